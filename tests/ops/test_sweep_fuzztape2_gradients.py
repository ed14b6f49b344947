"""tf.gradients of a gradient through abs gives ordinary zeros (fuzztape2 sweep).

torch's derivative of `sign` is a lazy ZeroTensor that `.numpy()` refused. TensorFlow 2.21
gives [[0, 0], [0, 0]] here (the second derivative of |a| away from 0).
"""

import numpy as np

import tork as tf


def test_gradients_of_abs_gradient_in_function():
    @tf.function
    def hess(a):
        g = tf.gradients(tf.reduce_sum(tf.abs(a)), a)[0]
        return g, tf.gradients(g, a)[0]

    g, h = hess(tf.constant([[0.5, -1.0], [2.0, -3.0]]))
    np.testing.assert_array_equal(g.numpy(), [[1.0, -1.0], [1.0, -1.0]])
    np.testing.assert_array_equal(h.numpy(), np.zeros((2, 2), np.float32))
