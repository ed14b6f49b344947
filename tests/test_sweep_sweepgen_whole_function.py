"""`tf.shape` values read on the host inside `tf.function(jit_compile=True)` steps.

TF/XLA compiles `tf.ones(tf.shape(y))` and `tf.random.normal((tf.shape(x)[0], d))`
(the keras.io GAN train steps): shapes are static in the compiled program. The
reference is plain NumPy gradient descent on the same least-squares problem.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import tork as tf
from tork import keras


def _numpy_sgd(x, kernel, bias, steps, lr):
    """Gradient descent on mean((x @ k + b - 1)^2) + 0 * noise, as the step below."""
    for _ in range(steps):
        err = x @ kernel + bias - 1.0
        grad_k = 2.0 * x.T @ err / len(x)
        grad_b = 2.0 * err.mean(0)
        kernel, bias = kernel - lr * grad_k, bias - lr * grad_b
    return kernel, bias


@pytest.mark.slow
def test_shape_values_read_on_the_host_keep_one_compiled_graph():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 3)).astype("float32")
    kernel0 = rng.normal(size=(3, 1)).astype("float32")
    bias0 = np.array([0.5], "float32")
    layer = keras.layers.Dense(1)
    model = keras.Sequential([keras.Input((3,)), layer])
    layer.set_weights([kernel0, bias0])
    optimizer = keras.optimizers.SGD(0.1)

    @tf.function(jit_compile=True)
    def step(xb):
        batch = tf.shape(xb)[0]  # read on the host by tf.random.normal below
        noise = tf.random.normal((batch, 1))
        with tf.GradientTape() as tape:
            pred = model(xb, training=True)
            target = tf.ones(tf.shape(pred))  # tf.shape read on the host (tolist)
            loss = tf.reduce_mean(tf.square(pred - target)) + 0.0 * tf.reduce_sum(noise)
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        return loss

    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="tf.function", category=RuntimeWarning)
        for _ in range(5):
            step(tf.constant(x))
    whole = step._whole
    assert whole.reason is None
    assert len(whole._graphs) == 1
    kernel, bias = _numpy_sgd(x, kernel0, bias0, 5, 0.1)
    np.testing.assert_allclose(layer.kernel.numpy(), kernel, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.bias.numpy(), bias, rtol=1e-5, atol=1e-6)


def test_shape_result_is_marked_static_and_still_a_plain_int32_tensor():
    s = tf.shape(tf.zeros((4, 2)))
    assert s.tolist() == [4, 2]
    assert s.dtype == tf.int32
    assert getattr(s, "_tork_static_value", False) is True


@pytest.mark.slow
def test_reading_a_computed_value_still_falls_back_to_eager():
    # Only shape values are exempt: a value computed from the data is still a host read.
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    optimizer = keras.optimizers.SGD(0.1)

    @tf.function(jit_compile=True)
    def step(xb):
        with tf.GradientTape() as tape:
            pred = model(xb)
            loss = tf.reduce_mean(tf.square(pred))
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        return tf.zeros((int(tf.shape(xb)[0] * tf.cast(loss > -1.0, tf.int32)), 1))

    with pytest.warns(RuntimeWarning, match=r"reads tensor values on the host \(__int__\)"):
        for _ in range(3):
            out = step(tf.constant(np.ones((4, 3), "float32")))
    assert tuple(out.shape) == (4, 1)
