"""tf.gradients inside a tf.function, with respect to the function's tensor arguments.

Found by differential fuzzing of tork against TensorFlow 2.21 (helper fuzztape). TF
computes `tf.gradients(y, x)` in the function's graph; tork raised InputsNotRecordedError
for an argument `x` that no tape recorded. Expected values below were printed by
TensorFlow 2.21 (CPU) running the same code with `import tensorflow as tf`.
"""

import numpy as np
import pytest
import torch

import tork as tf

X = [0.5, -1.0, 2.0]


def test_gradients_of_argument_in_function():
    @tf.function
    def f(x):
        y = tf.reduce_sum(tf.sin(x) * x)
        return tf.gradients(y, x)

    # TF 2.21: [0.9182168, -1.3817732, 0.07700372], then for 2 * x.
    np.testing.assert_allclose(f(tf.constant(X))[0], [0.9182168, -1.3817732, 0.07700372], 1e-5)
    np.testing.assert_allclose(
        f(tf.constant(X) * 2.0)[0], [1.3817732, -0.07700372, -3.371377], 1e-5
    )


def test_gradients_of_arguments_and_variable_in_function():
    @tf.function
    def g(x, w):
        y = x * w
        return tf.gradients(tf.reduce_sum(y * y), [x, w])

    dx, dw = g(tf.constant(X), tf.constant(3.0))
    np.testing.assert_allclose(dx, [9.0, -18.0, 36.0])  # TF 2.21
    np.testing.assert_allclose(dw, 31.5)

    v = tf.Variable([1.0, 2.0, 3.0])

    @tf.function
    def h(x):
        return tf.gradients(x * v, [x, v])

    for _ in range(2):
        gx, gv = h(tf.constant(X))
        np.testing.assert_allclose(gx, [1.0, 2.0, 3.0])  # TF 2.21
        np.testing.assert_allclose(gv, X)


def test_second_order_and_hessians_in_function():
    @tf.function
    def hh(x):
        g = tf.gradients(tf.reduce_sum(x**3), x)[0]
        return tf.gradients(g, x)[0]

    @tf.function
    def hs(x):
        return tf.hessians(tf.reduce_sum(x**3), x)[0]

    np.testing.assert_allclose(hh(tf.constant(X)), [3.0, -6.0, 12.0])  # TF 2.21
    np.testing.assert_allclose(hs(tf.constant(X)), np.diag([3.0, -6.0, 12.0]))


def test_function_gradients_under_outer_tape_and_nested_args():
    @tf.function
    def f(x):
        return tf.gradients(tf.reduce_sum(tf.sin(x) * x), x)[0]

    x = tf.constant(X)
    f(x)  # the first call switches the function to recording its arguments
    with tf.GradientTape() as tape:
        tape.watch(x)
        s = tf.reduce_sum(f(x))
    # TF 2.21: the outer tape differentiates through tf.gradients (2cos(x) - x sin(x)).
    np.testing.assert_allclose(tape.gradient(s, x), [1.5154524, 0.2391336, -2.6508884], 1e-5)

    @tf.function
    def d(inp, n):
        return tf.gradients(tf.reduce_sum(inp["a"] ** 2 * tf.cast(n, tf.float32)), inp["a"])[0]

    np.testing.assert_allclose(d({"a": x}, tf.constant(2)), [2.0, -4.0, 8.0])


def test_variable_argument_is_not_copied():
    # A variable argument stays the variable: its assign must stick, once per call (TF 2.21:
    # [2, 3] then [3, 4]).
    v = tf.Variable([1.0, 2.0], trainable=False)

    @tf.function
    def f(x, var):
        var.assign_add([1.0, 1.0])
        return tf.gradients(tf.reduce_sum(x * x), x)[0]

    np.testing.assert_allclose(f(tf.constant([1.0, 3.0]), v), [2.0, 6.0])
    assert v.numpy().tolist() == [2.0, 3.0]
    np.testing.assert_allclose(f(tf.constant([1.0, 3.0]), v), [2.0, 6.0])
    assert v.numpy().tolist() == [3.0, 4.0]


def _grad_of_square(x):
    return tf.gradients(tf.reduce_sum(x * x), x)[0]


def test_gradients_in_a_helper_function():
    # tf.gradients in a helper the function calls: the first call runs again with its
    # arguments recorded (its Python code before tf.gradients runs twice that once).
    calls = []
    helper = _grad_of_square

    @tf.function
    def f(x):
        calls.append(1)
        return helper(x)

    np.testing.assert_allclose(f(tf.constant([1.0, 3.0])), [2.0, 6.0])
    assert len(calls) == 2
    np.testing.assert_allclose(f(tf.constant([2.0, 3.0])), [4.0, 6.0])
    assert len(calls) == 3


def test_no_grad_call_returns_plain_tensors():
    @tf.function
    def f(x):
        return tf.gradients(tf.reduce_sum(x * x), x)[0] + x

    with torch.no_grad():
        out = f(tf.constant([1.0, 2.0]))
    assert not out.requires_grad
    np.testing.assert_allclose(out, [3.0, 6.0])


def test_eager_tf_gradients_still_names_gradient_tape():
    x = tf.constant(X)
    y = tf.reduce_sum(x * x)
    with pytest.raises(RuntimeError, match="tf.GradientTape"):
        tf.gradients(y, x)
