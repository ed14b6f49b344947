"""Second-order gradients through abs/sign come back as ordinary zeros (fuzztape2 sweep).

torch returns the derivative of `sign` as a lazy ZeroTensor, which `.numpy()` refused
("Cannot convert a ZeroTensor to numpy"): a gradient penalty over mean absolute error
crashed. Expected numbers from TensorFlow 2.21 / tf_keras (TF_USE_LEGACY_KERAS=1).
"""

import numpy as np

import tork as tf


def _abs_grad_tape(x):
    outer = tf.GradientTape(persistent=True)
    with outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(tf.abs(x) * 2.0)
        g = inner.gradient(y, x)
    return outer, g


def test_hessian_of_mae_without_reduction_is_zeros():
    y = tf.constant([[0.0, 1.0, 2.0], [1.0, -1.0, 0.5]])
    p = tf.constant([[0.5, 0.2, 2.5], [-1.0, 0.3, 0.7]])
    loss = tf.keras.losses.MeanAbsoluteError(reduction="none")
    with tf.GradientTape() as t2:
        t2.watch(p)
        with tf.GradientTape() as t1:
            t1.watch(p)
            val = loss(y, p)
        g = t1.gradient(val, p)
        s = tf.reduce_sum(g * g * tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
    h = t2.gradient(s, p)
    np.testing.assert_allclose(val.numpy(), [0.6, 1.1666666], rtol=1e-6)
    third = 1.0 / 3.0
    np.testing.assert_allclose(
        g.numpy(), [[third, -third, third], [-third, third, third]], rtol=1e-6
    )
    np.testing.assert_allclose(float(s), 2.3333335, rtol=1e-6)
    # TF: [[0, 0, 0], [0, 0, 0]]
    h = h.numpy()
    assert h.shape == (2, 3) and h.dtype == np.float32
    np.testing.assert_array_equal(h, np.zeros((2, 3), np.float32))


def test_second_order_of_abs_gradient_jacobian_and_inplace():
    x = tf.constant([0.5, -2.0, 3.0])
    outer, g = _abs_grad_tape(x)
    np.testing.assert_array_equal(g.numpy(), [2.0, -2.0, 2.0])
    h = outer.gradient(tf.reduce_sum(g * g), x)
    np.testing.assert_array_equal(h.numpy(), [0.0, 0.0, 0.0])
    h += 1.0  # an ordinary tensor: in-place ops work (a ZeroTensor is immutable)
    np.testing.assert_array_equal(h.numpy(), [1.0, 1.0, 1.0])
    # TF: a 3x3 zero jacobian
    np.testing.assert_array_equal(outer.jacobian(g, x).numpy(), np.zeros((3, 3), np.float32))


def test_batch_jacobian_of_abs_gradient():
    x = tf.constant([[0.5, -2.0], [3.0, 1.0]])
    outer, g = _abs_grad_tape(x)
    bj = outer.batch_jacobian(g, x)
    np.testing.assert_array_equal(bj.numpy(), np.zeros((2, 2, 2), np.float32))
