"""A dense adjacency of fixed size meeting the features' unknown batch (spektral's single
mode): `Input((F,))` features, `Input((N,))` adjacency, `tf.matmul(a, x @ w)`.

tf_keras 2.21 builds the model with output shape (None, 3) and the values below.
"""

import numpy as np
import pytest

import tork as tf


def test_dense_single_mode_join_builds_with_unknown_batch():
    x_in = tf.keras.Input((5,))
    a_in = tf.keras.Input((6,))
    h = tf.keras.layers.Dense(3, kernel_initializer="ones")(x_in)
    out = tf.keras.layers.Lambda(lambda t: tf.matmul(t[0], t[1]))([a_in, h])
    model = tf.keras.Model([x_in, a_in], out)
    assert model.output_shape == (None, 3)
    x = np.arange(30, dtype="float32").reshape(6, 5) / 30
    a = np.eye(6, dtype="float32") + np.eye(6, k=1, dtype="float32")
    got = model.predict([x, a], batch_size=6, verbose=0)
    # numpy: row sums of x, then a @ h
    h_np = np.repeat(x.sum(axis=1, keepdims=True), 3, axis=1)
    np.testing.assert_allclose(got, a @ h_np, rtol=1e-6)
    np.testing.assert_allclose(got[:, 0], [1.5, 3.1667, 4.8333, 6.5, 8.1667, 4.5], atol=1e-4)


def test_any_fixed_size_may_be_the_batch():
    # (None, 7) @ (None, 3): the unknown batch may be 7; tf_keras gives (None, 3) too.
    x_in = tf.keras.Input((5,))
    a_in = tf.keras.Input((7,))
    h = tf.keras.layers.Dense(3)(x_in)
    out = tf.keras.layers.Lambda(lambda t: tf.matmul(t[0], t[1]))([a_in, h])
    assert tuple(out.shape) == (None, 3)


def test_a_real_mismatch_still_raises():
    x_in = tf.keras.Input((5,))
    a_in = tf.keras.Input((7,))
    h = tf.keras.layers.Dense(3)(x_in)
    with pytest.raises(Exception, match="inner dimensions 7 and 3 differ"):
        tf.keras.layers.Lambda(lambda t: tf.matmul(t[0], t[1]))([a_in, tf.transpose(h)])
