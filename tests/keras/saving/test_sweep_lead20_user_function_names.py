"""A user loss saved by name resolves to the user's function, not a built-in of that name.

Kaggle segmentation kernels define `def dice(y_true, y_pred)` in their script and save the
model: reloading must compile that function (tf_keras finds it or raises "Could not
locate function"), not tork's built-in `dice` loss (Keras 3's), which computes another value.
"""

import sys

import numpy as np

import tork as tf

keras = tf.keras


def _dice(y_true, y_pred):
    # Not Keras's dice: a plain sum of squared errors, to tell them apart.
    return tf.reduce_sum(tf.square(y_true - y_pred), axis=-1)


def test_script_function_named_like_a_builtin_loss_reloads_as_itself(tmp_path, monkeypatch):
    _dice.__name__ = _dice.__qualname__ = "dice"
    _dice.__module__ = "__main__"
    monkeypatch.setattr(sys.modules["__main__"], "dice", _dice, raising=False)
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2, kernel_initializer="ones")(inputs))
    model.compile("sgd", loss=_dice)
    x = np.array([[0.1, 0.2, 0.3], [0.5, -0.5, 1.0]], "float32")
    y = np.array([[1.0, 0.0], [0.0, 1.0]], "float32")
    expected = model.evaluate(x, y, verbose=0)
    # Hand value: outputs are the row sums [0.6, 0.6] and [1.0, 1.0].
    np.testing.assert_allclose(expected, ((0.4**2 + 0.6**2) + (1.0 + 0.0)) / 2, rtol=1e-6)
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.loss is _dice or getattr(loaded.loss, "fn", None) is _dice
    np.testing.assert_allclose(loaded.evaluate(x, y, verbose=0), expected, rtol=1e-6)
