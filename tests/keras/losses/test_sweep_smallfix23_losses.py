"""Losses on half-precision predictions compute at float32 (a documented difference).

tf_keras 2.21 (reference env) computes Loss objects in the predictions' dtype: on these
inputs MeanSquaredError gives float16 2752.0 (bfloat16 2752.0) and a mixed_float16 model
with a float16 output logs fit loss 4448.0 where the float32 value is 4445.82. tork, as
Keras 3, computes at float32 (numerically safer, no float16 overflow under loss scaling);
the per-sample loss functions keep the prediction's dtype, as in tf_keras.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras


def _data():
    rng = np.random.default_rng(0)
    return rng.random((8, 4)).astype("float32"), rng.random((8, 4)).astype("float32") * 100


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_loss_objects_compute_half_predictions_at_float32(dtype):
    y_true, y_pred = _data()
    half = tf.cast(y_pred, dtype)
    loss = keras.losses.MeanSquaredError()(y_true, half)
    assert loss.dtype == tf.float32
    # The exact value for the rounded predictions, from numpy in float64.
    rounded = np.asarray(tf.cast(half, "float32"), dtype="float64")
    np.testing.assert_allclose(float(loss), np.mean((y_true - rounded) ** 2), rtol=1e-6)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_loss_functions_keep_the_half_dtype(dtype):
    # tf_keras: mean_squared_error on float16 (bfloat16) predictions is float16 (bfloat16).
    y_true, y_pred = _data()
    values = keras.losses.mean_squared_error(y_true, tf.cast(y_pred, dtype))
    assert values.dtype == getattr(tf, dtype)
