"""Sweep of Geron's "Hands-On ML" (2nd ed.), ch. 14: depthwise max pooling (tf.nn.max_pool)."""

import numpy as np
import pytest

import tork as tf
from tork import keras


def _x():
    return (np.arange(2 * 3 * 3 * 6, dtype="float32").reshape(2, 3, 3, 6) % 7).astype("float32")


def test_depthwise_max_pool_values():
    x = _x()
    y = tf.nn.max_pool(x, ksize=(1, 1, 1, 3), strides=(1, 1, 1, 3), padding="VALID")
    assert tuple(y.shape) == (2, 3, 3, 2)
    np.testing.assert_array_equal(y.numpy(), x.reshape(2, 3, 3, 2, 3).max(-1))
    # TF 2.21: the first pixel's channels [0..5] pool to [2, 5]; SAME gives the same.
    np.testing.assert_array_equal(y.numpy()[0, 0, 0], [2.0, 5.0])
    same = tf.nn.max_pool(x, (1, 1, 1, 3), (1, 1, 1, 3), "SAME")
    np.testing.assert_array_equal(same.numpy(), y.numpy())
    two = tf.nn.max_pool2d(x, (1, 1, 1, 2), (1, 1, 1, 2), "VALID")
    np.testing.assert_array_equal(two.numpy()[0, 0, 0], [1.0, 3.0, 5.0])


def test_depthwise_max_pool_in_a_lambda_layer():
    x = _x()
    layer = keras.layers.Lambda(
        lambda X: tf.nn.max_pool(X, ksize=(1, 1, 1, 3), strides=(1, 1, 1, 3), padding="VALID")
    )
    model = keras.Sequential([keras.Input(shape=(3, 3, 6)), layer])
    assert model.output_shape == (None, 3, 3, 2)
    np.testing.assert_array_equal(model(x).numpy(), x.reshape(2, 3, 3, 2, 3).max(-1))


def test_depthwise_max_pool_errors_as_tf():
    x = _x()
    with pytest.raises(tf.errors.UnimplementedError, match="evenly divide the input depth"):
        tf.nn.max_pool(x, (1, 1, 1, 4), (1, 1, 1, 4), "VALID")
    with pytest.raises(tf.errors.UnimplementedError, match="depth window to equal the depth"):
        tf.nn.max_pool(x, (1, 1, 1, 3), (1, 1, 1, 2), "VALID")
    with pytest.raises(tf.errors.UnimplementedError, match="exactly one of pooling across"):
        tf.nn.max_pool(x, (1, 2, 2, 3), (1, 2, 2, 3), "VALID")
