"""fit(jit_compile=True) keeps one graph when a layer reads `tf.shape` values.

Keras's transformer examples build positions as `tf.range(start=0, limit=tf.shape(x)[-1])`.
The whole-step trace (make_fx on fake tensors) must see those values as the constants they
are; before, the read failed the trace and every step ran eagerly after a warning.
"""

import warnings

import numpy as np
import pytest

import tork as tf
from tork import keras


class AddPositions(keras.layers.Layer):
    """x + [0, 1, ..., n-1] along the last axis, n read with tf.shape as Keras examples do."""

    def call(self, x):
        positions = tf.range(start=0, limit=tf.shape(x)[-1], delta=1)
        scale = tf.shape(x)[0] * tf.shape(x)[1]  # products of shape values stay readable
        return x + tf.cast(positions, x.dtype) / tf.cast(scale, x.dtype)


def _numpy_sgd(x, y, w, lr, batch):
    """Plain SGD on mean squared error of (x + pos / (B * n)) @ w, batch by batch."""
    w = w.astype(np.float64).copy()
    for start in range(0, len(x), batch):
        xb = x[start : start + batch].astype(np.float64)
        yb = y[start : start + batch].astype(np.float64)
        n = xb.shape[1]
        h = xb + np.arange(n) / (xb.shape[0] * n)
        err = h @ w - yb
        w -= lr * 2.0 * h.T @ err / err.size
    return w


def test_fit_jit_compiles_a_step_that_reads_tf_shape_values():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((12, 4)).astype(np.float32)
    y = rng.standard_normal((12, 1)).astype(np.float32)
    w0 = rng.standard_normal((4, 1)).astype(np.float32)
    inputs = keras.Input((4,))
    outputs = keras.layers.Dense(1, use_bias=False)(AddPositions()(inputs))
    model = keras.Model(inputs, outputs)
    model.layers[-1].set_weights([w0])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", jit_compile=True)
    with warnings.catch_warnings():
        # No "cannot be compiled as one graph" fallback to the eager step.
        warnings.filterwarnings("error", message=".*cannot be compiled as one graph")
        model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    step = model._tork_train_fn
    assert getattr(step, "compile_count", 0) >= 1, "the step did not compile"
    expected = _numpy_sgd(x, y, w0, 0.1, 4)
    np.testing.assert_allclose(model.layers[-1].get_weights()[0], expected, rtol=1e-5, atol=1e-6)


class Sampling(keras.layers.Layer):
    """The reparameterization layer of Keras's VAE example."""

    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = tf.shape(z_mean)[0]
        dim = tf.shape(z_mean)[1]
        epsilon = tf.random.normal(shape=(batch, dim))
        return z_mean + tf.exp(0.5 * z_log_var) * epsilon


def _fit_without_fallback(model, x, y, **compile_kwargs):
    model.compile(jit_compile=True, **compile_kwargs)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*cannot be compiled as one graph")
        history = model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    assert getattr(model._tork_train_fn, "compile_count", 0) >= 1, "the step did not compile"
    return history


def test_fit_jit_compiles_a_reshape_to_the_batch_size_read_with_tf_shape():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((12, 2, 3)).astype(np.float32)
    y = rng.standard_normal((12, 1)).astype(np.float32)
    w0 = rng.standard_normal((6, 1)).astype(np.float32)
    inputs = keras.Input((2, 3))
    flat = keras.layers.Lambda(lambda t: tf.reshape(t, [tf.shape(t)[0], -1]))(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1, use_bias=False)(flat))
    model.layers[-1].set_weights([w0])
    _fit_without_fallback(model, x, y, optimizer=keras.optimizers.SGD(0.1), loss="mse")
    w = w0.astype(np.float64).copy()
    for start in range(0, 12, 4):
        xb = x[start : start + 4].reshape(4, -1).astype(np.float64)
        err = xb @ w - y[start : start + 4]
        w -= 0.1 * 2.0 * xb.T @ err / err.size
    np.testing.assert_allclose(model.layers[-1].get_weights()[0], w, rtol=1e-5, atol=1e-6)


def test_fit_jit_compiles_the_vae_sampling_layer():
    rng = np.random.default_rng(2)
    inputs = keras.Input((6,))
    h = keras.layers.Dense(4)(inputs)
    z = Sampling()([keras.layers.Dense(2)(h), keras.layers.Dense(2)(h)])
    model = keras.Model(inputs, keras.layers.Dense(6)(z))
    x = rng.standard_normal((12, 6)).astype(np.float32)
    history = _fit_without_fallback(model, x, x, optimizer="adam", loss="mse")
    assert np.isfinite(history.history["loss"][0])


def test_traced_shape_values_match_the_inputs_of_each_signature():
    # predict with jit_compile=True compiles per input shape: each graph's positions are
    # those of its own shape, not baked in from the first one.
    inputs = keras.Input((None,))
    model = keras.Model(inputs, AddPositions()(inputs))
    model.compile(optimizer="sgd", loss="mse", jit_compile=True)
    for n in (3, 5):
        x = np.zeros((2, n), np.float32)
        expected = np.tile(np.arange(n) / (2 * n), (2, 1))
        np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-6)


if __name__ == "__main__":
    pytest.main([__file__, "-q"])


class AddBatchSize(keras.layers.Layer):
    """Keras 2 style: reads the batch size with `K.shape` (tf.shape under another name)."""

    def call(self, x):
        n = keras.backend.shape(x)[0]
        return x + keras.backend.cast(n, "float32")


def test_fit_jit_compiles_a_step_that_reads_keras_backend_shape():
    # K.shape wraps tf.shape: the inner call's constant was not given to make_fx's tracer,
    # so the compiled graph held a fake tensor and the second step fell back to eager.
    rng = np.random.default_rng(2)
    x = rng.standard_normal((12, 3)).astype(np.float32)
    y = rng.standard_normal((12, 1)).astype(np.float32)
    w0 = rng.standard_normal((3, 1)).astype(np.float32)
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(1, use_bias=False)(AddBatchSize()(inputs)))
    model.layers[-1].set_weights([w0])
    _fit_without_fallback(model, x, y, optimizer=keras.optimizers.SGD(0.05), loss="mse")
    w = w0.astype(np.float64).copy()
    for start in range(0, 12, 4):
        h = x[start : start + 4].astype(np.float64) + 4.0  # the batch size, 4
        err = h @ w - y[start : start + 4]
        w -= 0.05 * 2.0 * h.T @ err / err.size
    np.testing.assert_allclose(model.layers[-1].get_weights()[0], w, rtol=1e-5, atol=1e-6)
