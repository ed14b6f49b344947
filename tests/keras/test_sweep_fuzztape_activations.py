"""Gradients of Keras's ReLU variants, PReLU and SELU at their kinks, as TensorFlow.

Found by differential fuzzing of gradients at special points (helper fuzztape). The
expected gradients were printed by TensorFlow 2.21 with tf_keras 2.21 (CPU), for
x = [-2, -1, -0.5, 0, 0.5, 1, 2, 6, 7] and `tape.gradient(f(x), x)`.
"""

import numpy as np
import pytest

import tork as tf

X = np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 6.0, 7.0], np.float32)
S = 0.1  # the slope


def _grad(f):
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return np.asarray(tape.gradient(y, x))


A = tf.keras.activations
L = tf.keras.layers

CASES = {
    # TF 2.21 / tf_keras 2.21 gradients.
    "relu_max1": (lambda x: A.relu(x, max_value=1.0), [0, 0, 0, 0, 1, 1, 0, 0, 0]),
    "relu_alpha_max": (
        lambda x: A.relu(x, alpha=S, max_value=2.0),
        [S, S, S, 0, 1, 1, 1, 0, 0],
    ),
    "relu_thr_alpha": (
        lambda x: A.relu(x, threshold=0.5, alpha=S),
        [S, S, S, S, 0, 1, 1, 1, 1],
    ),
    "relu_alpha": (lambda x: A.relu(x, alpha=S), [S, S, S, S, 1, 1, 1, 1, 1]),
    "relu_thr_neg": (
        lambda x: A.relu(x, threshold=-1.0, max_value=1.0),
        [0, 0, 0, 1, 1, 1, 0, 0, 0],
    ),
    "layer_ReLU_all": (
        lambda x: L.ReLU(max_value=2.0, negative_slope=S, threshold=0.5)(x),
        [S, S, S, S, 0, 1, 1, 0, 0],
    ),
    "layer_ReLU_ns": (lambda x: L.ReLU(negative_slope=S)(x), [S, S, S, S, 1, 1, 1, 1, 1]),
    "layer_ReLU_ns_max": (  # Keras's relu6 for max_value=6: no gradient at 6
        lambda x: L.ReLU(negative_slope=S, max_value=6.0)(x),
        [S, S, S, 0, 1, 1, 1, 0, 0],
    ),
    "layer_ReLU_max6": (lambda x: L.ReLU(max_value=6.0)(x), [0, 0, 0, 0, 1, 1, 1, 0, 0]),
    "relu_alpha_max6": (
        lambda x: A.relu(x, alpha=S, max_value=6.0),
        [S, S, S, 0, 1, 1, 1, 0, 0],
    ),
    "selu": (
        lambda x: A.selu(x),
        [0.2379, 0.6468, 1.0663, 1.0507, 1.0507, 1.0507, 1.0507, 1.0507, 1.0507],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_at_kinks(name):
    f, want = CASES[name]
    np.testing.assert_allclose(_grad(f), want, atol=1e-4)


def test_values_unchanged():
    # Keras 2's formulas (numpy): relu(x) clipped, minus slope * relu(threshold - x).
    x = tf.constant(X)
    np.testing.assert_allclose(
        A.relu(x, alpha=S, max_value=2.0), np.clip(X, 0, 2) - S * np.maximum(-X, 0), 1e-6
    )
    np.testing.assert_allclose(
        A.relu(x, threshold=0.5, alpha=S),
        np.where(X > 0.5, X, 0) - S * np.maximum(0.5 - X, 0),
        1e-6,
    )
    np.testing.assert_allclose(
        L.ReLU(max_value=2.0, negative_slope=S, threshold=0.5)(x),
        np.minimum(np.where(X > 0.5, X, S * (X - 0.5)), 2.0),
        1e-6,
    )
    alpha, scale = 1.6732632423543772, 1.0507009873554805
    want = scale * np.where(X > 0, X, alpha * np.expm1(np.minimum(X, 0)))
    np.testing.assert_allclose(A.selu(x), want, 1e-6)
    xv = tf.Variable(X)  # the differentiable path gives the same values
    np.testing.assert_allclose(A.selu(xv).detach(), want, 1e-6)


def test_prelu_gradient_at_zero():
    layer = L.PReLU(alpha_initializer=tf.keras.initializers.Constant(0.25))
    x = tf.constant(X.reshape(1, 9))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(layer(x) * np.arange(1, 10, dtype=np.float32))
    gx, ga = tape.gradient(y, [x, layer.alpha])
    # TF 2.21 / tf_keras 2.21.
    np.testing.assert_allclose(gx[0], [0.25, 0.5, 0.75, 0, 5, 6, 7, 8, 9])
    np.testing.assert_allclose(ga, [-2.0, -2.0, -1.5, 0, 0, 0, 0, 0, 0])
    np.testing.assert_allclose(layer(x)[0], np.where(X > 0, X, 0.25 * X))
