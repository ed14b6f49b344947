"""fuzztape4: jacobians with experimental_use_pfor=False inside a tf.function.

Only eager TensorFlow needs a persistent tape for the row-by-row (non-pfor) jacobian: in
a tf.function the loop is part of the graph and a plain tape works. tork refused it
everywhere with TF's eager RuntimeError.
Reference values: TensorFlow 2.21 (/tmp/fuzztape4/repro4/jacfn.py).
"""

import numpy as np
import pytest

import tork as tf


def _inputs():
    x = tf.constant([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
    v = tf.Variable([[0.5, -1.0], [1.5, 0.25], [-0.5, 2.0]])
    return x, v


def test_jacobian_without_pfor_in_function_needs_no_persistent_tape():
    x, v = _inputs()

    @tf.function
    def f(a):
        with tf.GradientTape() as tape:
            tape.watch(a)
            out = tf.matmul(a, v) ** 2
        return tape.jacobian(out, a, experimental_use_pfor=False)

    expected = np.zeros((2, 2, 2, 3), np.float32)
    expected[0, 0, 0] = [2.0, 6.0, -2.0]
    expected[0, 1, 0] = [-11.0, 2.75, 22.0]
    expected[1, 0, 1] = [-2.25, -6.75, 2.25]
    expected[1, 1, 1] = [-6.5, 1.625, 13.0]
    np.testing.assert_allclose(f(x).numpy(), expected, rtol=1e-5, atol=1e-5)


def test_batch_jacobian_without_pfor_in_function_needs_no_persistent_tape():
    x, v = _inputs()

    @tf.function
    def g(a):
        with tf.GradientTape() as tape:
            tape.watch(a)
            out = tf.tanh(tf.matmul(a, v))
        return tape.batch_jacobian(out, a, experimental_use_pfor=False)

    expected = [
        [[3.53250e-02, 1.05976e-01, -3.53250e-02], [-6.70000e-05, 1.70000e-05, 1.34000e-04]],
        [[2.17320e-02, 6.51970e-02, -2.17320e-02], [-5.99600e-03, 1.49900e-03, 1.19910e-02]],
    ]
    np.testing.assert_allclose(g(x).numpy(), expected, rtol=1e-4, atol=2e-6)


def test_eager_jacobian_without_pfor_still_needs_persistent_tape():
    x, v = _inputs()
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = tf.matmul(x, v)
    with pytest.raises(RuntimeError, match="persistent=True to compute the jacobian"):
        tape.jacobian(out, x, experimental_use_pfor=False)


def test_run_functions_eagerly_keeps_the_eager_rule():
    x, v = _inputs()

    @tf.function
    def f(a):
        with tf.GradientTape() as tape:
            tape.watch(a)
            out = tf.matmul(a, v)
        return tape.jacobian(out, a, experimental_use_pfor=False)

    tf.config.run_functions_eagerly(True)
    try:
        with pytest.raises(RuntimeError, match="persistent=True"):
            f(x)
    finally:
        tf.config.run_functions_eagerly(False)
