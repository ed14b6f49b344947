"""Keras tensor shapes concatenate with lists, as Keras 2's TensorShape (keras-xla-benchmarks).

sayakpaul/keras-xla-benchmarks builds `[BATCH_SIZE] + model.inputs[0].shape[1:]`; with
tf_keras (TF 2.21) that is the TensorShape (4, 224, 224, 3). tork's shape tuple raised
`TypeError: can only concatenate list (not "KerasShape") to list`.
"""

import tork as tf


def _model(shape):
    inp = tf.keras.Input(shape)
    return tf.keras.Model(inp, tf.keras.layers.GlobalAveragePooling2D()(inp))


def test_list_plus_input_shape():
    model = _model((32, 32, 3))
    spec = [4] + model.inputs[0].shape[1:]
    assert tuple(spec) == (4, 32, 32, 3)
    assert spec.as_list() == [4, 32, 32, 3]
    assert tuple(tf.random.normal(spec).shape) == (4, 32, 32, 3)
    assert tuple(tf.TensorSpec(spec, tf.float32).shape) == (4, 32, 32, 3)


def test_unknown_dims_and_both_orders():
    model = _model((None, None, 3))
    spec = [2] + model.inputs[0].shape[1:]
    # TF: TensorShape([2, None, None, 3]); index 1 is None.
    assert spec[1] is None and tuple(spec) == (2, None, None, 3)
    assert tuple(model.inputs[0].shape[1:] + [5]) == (None, None, 3, 5)
    assert tuple(model.inputs[0].shape + (7,)) == (None, None, None, 3, 7)
    assert tuple((1,) + model.inputs[0].shape[3:]) == (1, 3)
