"""fuzztape4: second derivatives through `tf.nn.moments` follow TensorFlow.

TF computes the variance as the mean squared difference from `stop_gradient(mean)`:
first derivatives equal the plain variance's, second derivatives (a gradient penalty on
a model with a hand-written normalization) do not. tork used `torch.var`, whose
second derivatives differ (a silent wrong result in second-order code).
Reference values: TensorFlow 2.21 (/tmp/fuzztape4/repro4/moments2.py).
"""

import numpy as np

import tork as tf


def _x():
    return tf.Variable([[1.0, -2.0, 0.5], [0.25, 3.0, -1.0], [2.0, 0.0, 1.5]])


def test_moments_second_derivative_matches_tf():
    x = _x()
    weights = tf.constant([[0.5, 1.0, -1.0], [2.0, 0.5, 0.25], [1.0, -0.5, 0.0]])
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            mean, var = tf.nn.moments(x, axes=[0])
            y = tf.reduce_sum(var**2) + tf.reduce_sum(mean * var)
        g = inner.gradient(y, x)
        s = tf.reduce_sum(g * weights)
    np.testing.assert_allclose(
        g.numpy(),
        [
            [0.05401229, -12.246912, 0.62345678],
            [-1.00154328, 17.01234436, -1.82098782],
            [1.46141958, -0.54320979, 2.25308633],
        ],
        rtol=1e-5,
        atol=1e-6,
    )
    np.testing.assert_allclose(
        outer.gradient(s, x).numpy(),
        [
            [0.5216049, 6.87654209, -1.84259248],
            [2.57716036, 1.3580246, 1.11111116],
            [1.29938269, -2.93827128, -0.82407403],
        ],
        rtol=1e-5,
        atol=1e-6,
    )


def test_moments_values_and_first_derivative_unchanged():
    x = _x()
    with tf.GradientTape() as tape:
        mean, var = tf.nn.moments(x, axes=[1], keepdims=True)
        z = tf.reduce_sum(tf.sin(var) * mean)
    assert tuple(var.shape) == (3, 1)
    np.testing.assert_allclose(var.numpy().ravel(), np.var(x.numpy(), axis=1), rtol=1e-6)
    np.testing.assert_allclose(
        tape.gradient(z, x).numpy(),
        [
            [0.34907338, 0.29879072, 0.34069294],
            [0.3491256, -0.94254684, 0.93624938],
            [0.70668185, -0.46051145, 0.41488349],
        ],
        rtol=1e-5,
    )
    # Outside a tape (no gradient needed) the value is the same.
    _, plain = tf.nn.moments(tf.constant(x.numpy()), axes=[1], keepdims=True)
    np.testing.assert_allclose(plain.numpy(), var.numpy(), rtol=1e-6)


def test_moments_over_no_axes_reduces_nothing():
    # TF 2.21: tf.nn.moments(x, axes=[]) gives mean x and variance 0, shape (3, 4).
    x = np.arange(12, dtype="float32").reshape(3, 4)
    mean, var = tf.nn.moments(tf.constant(x), axes=[])
    assert tuple(mean.shape) == (3, 4) and tuple(var.shape) == (3, 4)
    np.testing.assert_array_equal(mean.numpy(), x)
    np.testing.assert_array_equal(var.numpy(), np.zeros_like(x))
    w = tf.Variable(x)
    with tf.GradientTape() as tape:
        mean, var = tf.nn.moments(w, axes=[])
        loss = tf.reduce_sum(mean)
    assert tuple(mean.shape) == (3, 4)
    np.testing.assert_array_equal(tape.gradient(loss, w).numpy(), np.ones_like(x))
