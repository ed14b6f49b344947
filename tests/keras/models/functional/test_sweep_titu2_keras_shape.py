"""`tensor._keras_shape`: standalone Keras 2's static shape attribute of symbolic tensors.

titu1994/Keras-ResNeXt (resnext.py) tests `if init._keras_shape[-1] != 2 * filters:` to decide
whether a bottleneck block needs a projection shortcut; the attribute is what
`K.int_shape(init)` returns today (tf_keras 2.21 gives `(None, 4, 4, 3)` for the Dense below).
"""

from tork import keras


def test_keras_shape_is_the_int_shape_tuple():
    i = keras.Input((4, 4, 2))
    y = keras.layers.Dense(3)(i)
    assert i._keras_shape == (None, 4, 4, 2)
    assert y._keras_shape == (None, 4, 4, 3)
    assert isinstance(y._keras_shape, tuple)
    assert y._keras_shape == keras.backend.int_shape(y)
