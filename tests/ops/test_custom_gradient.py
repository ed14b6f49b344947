"""tork.ops.custom_gradient: tf.custom_gradient and tf.recompute_grad."""

import numpy as np
import pytest
import torch

import tork as tf


def _np(t):
    return t.detach().cpu().numpy()


# ------------------------------------------------------------------ custom_gradient


@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))

    return tf.math.log(1 + e), grad


@tf.custom_gradient
def clip_gradients(y):
    def backward(dy):
        return tf.clip_by_norm(dy, 0.5)

    return y, backward


def test_log1pexp_gradient_is_stable_at_100():
    x = tf.constant(100.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    assert np.isinf(float(y))  # exp(100) overflows float32, as in TensorFlow
    g = tape.gradient(y, x)
    assert float(g) == 1.0

    # Without the custom gradient the same formula gives NaN (exp overflows float32).
    x2 = tf.constant(100.0)
    with tf.GradientTape() as tape:
        tape.watch(x2)
        naive = tf.math.log(1 + tf.exp(x2))
    assert np.isnan(float(tape.gradient(naive, x2)))


def test_log1pexp_matches_sigmoid_on_a_vector():
    values = np.array([-3.0, 0.0, 0.5, 4.0], np.float32)
    x = tf.constant(values)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    np.testing.assert_allclose(_np(y), np.log1p(np.exp(values)), rtol=1e-6)
    np.testing.assert_allclose(_np(tape.gradient(y, x)), 1 / (1 + np.exp(-values)), rtol=1e-6)


def test_clip_gradients_example():
    x = tf.constant([3.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(clip_gradients(x) * tf.constant([10.0, 20.0]))
    upstream = np.array([10.0, 20.0])
    expected = upstream * 0.5 / np.sqrt((upstream**2).sum())
    np.testing.assert_allclose(_np(tape.gradient(loss, x)), expected, rtol=1e-6)
    # A small upstream gradient passes unchanged.
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(clip_gradients(x) * 0.1)
    np.testing.assert_allclose(_np(tape.gradient(loss, x)), [0.1, 0.1], rtol=1e-6)


def test_works_with_torch_autograd_grad_and_backward():
    x = torch.tensor([0.0, 2.0], requires_grad=True)
    (g,) = torch.autograd.grad(log1pexp(x).sum(), x)
    np.testing.assert_allclose(_np(g), [0.5, 1 / (1 + np.exp(-2.0))], rtol=1e-6)
    log1pexp(x).sum().backward()
    np.testing.assert_allclose(_np(x.grad), _np(g), rtol=1e-6)


def test_multiple_inputs_and_a_non_tensor_argument():
    calls = []

    @tf.custom_gradient
    def scaled_product(a, b, scale):
        def grad(dy):
            calls.append(dy)
            # Deliberately not the true gradient, to see that it is the one used.
            return [dy * 2.0, dy * 3.0, None]

        return a * b * scale, grad

    a = tf.constant([1.0, 2.0])
    b = tf.constant([5.0, 7.0])
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = scaled_product(a, b, 4.0)
    np.testing.assert_allclose(_np(y), [20.0, 56.0])
    ga, gb = tape.gradient(y, [a, b])
    np.testing.assert_allclose(_np(ga), [2.0, 2.0])
    np.testing.assert_allclose(_np(gb), [3.0, 3.0])
    assert len(calls) == 1


def test_nested_input_structure_is_flattened():
    @tf.custom_gradient
    def weighted(pair):
        a, b = pair

        def grad(dy):
            return [dy * b, dy * a]

        return a * b, grad

    a, b = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = weighted([a, b])
    ga, gb = tape.gradient(y, [a, b])
    assert (float(ga), float(gb)) == (3.0, 2.0)


def test_multiple_outputs_get_one_upstream_each():
    @tf.custom_gradient
    def sincos(x):
        s, c = tf.sin(x), tf.cos(x)

        def grad(ds, dc):
            return ds * c - dc * s

        return (s, c), grad

    values = np.array([0.3, 1.2], np.float32)
    x = tf.constant(values)
    with tf.GradientTape() as tape:
        tape.watch(x)
        s, c = sincos(x)
        loss = tf.reduce_sum(2.0 * s + 3.0 * c)
    np.testing.assert_allclose(_np(s), np.sin(values), rtol=1e-6)
    expected = 2.0 * np.cos(values) - 3.0 * np.sin(values)
    np.testing.assert_allclose(_np(tape.gradient(loss, x)), expected, rtol=1e-5)


def test_unused_output_gets_a_zero_upstream():
    @tf.custom_gradient
    def two(x):
        def grad(d1, d2):
            return d1 + 10.0 * d2

        return [x * 1.0, x * 2.0], grad

    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        first, _ = two(x)
    assert float(tape.gradient(first, x)) == 1.0


def test_variable_example_from_the_tensorflow_docs():
    weights = tf.Variable(tf.ones([2]))

    @tf.custom_gradient
    def linear_poly(x):
        poly = weights[1] * x + weights[0]

        def grad_fn(dpoly, variables):
            assert len(variables) == 1 and variables[0] is weights
            grad_xs = dpoly * weights[1]
            dy_dw = dpoly * tf.stack([x**1, x**0])
            return grad_xs, [tf.reduce_sum(tf.reshape(dy_dw, [2, -1]), axis=1)]

        return poly, grad_fn

    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        poly = linear_poly(x)
    np.testing.assert_allclose(_np(poly), [2.0, 3.0, 4.0])
    np.testing.assert_allclose(_np(tape.gradient(poly, x)), [1.0, 1.0, 1.0])
    np.testing.assert_allclose(_np(tape.gradient(poly, weights)), [6.0, 3.0])
    assert [v is weights for v in tape.watched_variables()] == [True]


def test_variables_in_lists_and_first_use_order_and_metadata_reads_ignored():
    v1 = tf.Variable([1.0, 2.0])
    v2 = tf.Variable([3.0, 4.0])
    unused = tf.Variable([0.0, 0.0])
    frozen = tf.Variable([1.0, 1.0], trainable=False)
    seen = []

    @tf.custom_gradient
    def f(x):
        _ = unused.shape, unused.dtype, unused.dim()
        y = tf.reduce_sum(tf.concat([v2, v1], 0)) * x + frozen[0]

        def grad(dy, variables=None):
            seen.extend(variables)
            return dy * 0.0, [dy * 1.0 * tf.ones(2), dy * 2.0 * tf.ones(2)]

        return y, grad

    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    g2, g1 = tape.gradient(y, [v2, v1])
    assert seen == [v2, v1]
    np.testing.assert_allclose(_np(g2), [1.0, 1.0])
    np.testing.assert_allclose(_np(g1), [2.0, 2.0])


def test_variable_passed_as_input_is_not_in_variables():
    v = tf.Variable(3.0)

    @tf.custom_gradient
    def square(t):
        def grad(dy):  # no `variables` needed: v is an input
            return dy * 2.0 * t

        return t * t, grad

    with tf.GradientTape() as tape:
        y = square(v)
    assert float(tape.gradient(y, v)) == 6.0


def test_variables_without_variables_argument_is_a_clear_error():
    w = tf.Variable(2.0, name="w")

    @tf.custom_gradient
    def f(x):
        def grad(dy):
            return dy

        return x * w, grad

    with pytest.raises(TypeError, match=r"uses variables \(w:0\).*keyword argument `variables`"):
        f(tf.constant(1.0))


def test_wrong_number_of_input_gradients_names_the_counts():
    @tf.custom_gradient
    def f(a, b):
        def grad(dy):
            return dy  # one gradient for two inputs

        return a + b, grad

    a, b = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = f(a, b)
    with pytest.raises(ValueError, match=r"return 2 gradient\(s\).*returned 1 instead"):
        tape.gradient(y, [a, b])


def test_wrong_number_of_variable_gradients_names_the_counts():
    w = tf.Variable(2.0)

    @tf.custom_gradient
    def f(x):
        def grad(dy, variables):
            return dy * w, [dy, dy]

        return x * w, grad

    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    with pytest.raises(ValueError, match=r"used 1 variable\(s\).*returned 2 variable"):
        tape.gradient(y, [x, w])


def test_grad_fn_with_variables_must_return_a_pair():
    w = tf.Variable(2.0)

    @tf.custom_gradient
    def f(x):
        def grad(dy, variables):
            return dy * w

        return x * w, grad

    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    with pytest.raises(TypeError, match=r"must return a pair \(input_gradients"):
        tape.gradient(y, x)


def test_gradient_of_wrong_shape_is_a_clear_error():
    @tf.custom_gradient
    def f(x):
        def grad(dy):
            return tf.ones([3])

        return x * 2.0, grad

    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    with pytest.raises(ValueError, match=r"shape \(3,\) for input 0, which has shape \(2,\)"):
        tape.gradient(y, x)


def test_f_must_return_a_pair():
    @tf.custom_gradient
    def f(x):
        return x * 2.0

    with pytest.raises(TypeError, match=r"must return a pair \(y, grad_fn\)"):
        f(tf.constant(1.0))


def test_none_gradient_and_integer_input():
    @tf.custom_gradient
    def pick(x, index):
        def grad(dy):
            # A made-up gradient of x's shape; None for the integer index.
            return [tf.ones([3]) * tf.reduce_sum(dy) * 5.0, None]

        return tf.gather(x, index), grad

    x = tf.constant([1.0, 2.0, 3.0])
    index = tf.constant([2, 0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = pick(x, index)
    np.testing.assert_allclose(_np(y), [3.0, 1.0])
    np.testing.assert_allclose(_np(tape.gradient(y, x)), [10.0, 10.0, 10.0])


def test_second_order_through_grad_fn():
    @tf.custom_gradient
    def cube(x):
        def grad(dy):
            return dy * 3.0 * x * x

        return x * x * x, grad

    x = tf.constant(2.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = cube(x)
        dy_dx = inner.gradient(y, x)
    assert float(dy_dx) == 12.0
    assert float(outer.gradient(dy_dx, x)) == 12.0  # d/dx 3x^2 = 6x

    # torch.autograd.grad with create_graph=True as well.
    t = torch.tensor(3.0, requires_grad=True)
    (g,) = torch.autograd.grad(cube(t), t, create_graph=True)
    (gg,) = torch.autograd.grad(g, t)
    assert (float(g), float(gg)) == (27.0, 18.0)


def test_values_from_the_forward_are_constants_for_second_order():
    x = tf.constant(0.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = log1pexp(x)
        g = inner.gradient(y, x)  # uses e computed unrecorded in f
    assert float(g) == 0.5
    assert outer.gradient(g, x) is None


def test_composition_of_custom_gradient_functions():
    x = tf.constant([3.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(log1pexp(clip_gradients(x) * 100.0))
    # log1pexp'(300), log1pexp'(400) are 1; upstream to clip is [100, 100] -> norm 0.5.
    expected = np.full(2, 0.5 / np.sqrt(2.0))
    np.testing.assert_allclose(_np(tape.gradient(y, x)), expected, rtol=1e-6)


def test_custom_gradient_inside_custom_gradient():
    @tf.custom_gradient
    def outer_fn(x):
        inner_y = log1pexp(x)  # runs unrecorded: its own gradient is not used here

        def grad(dy):
            return dy * 7.0

        return inner_y * 2.0, grad

    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = outer_fn(x)
    assert float(y) == pytest.approx(2.0 * np.log1p(np.e), rel=1e-6)
    assert float(tape.gradient(y, x)) == 7.0


def test_tape_inside_f_gives_the_gradient_of_a_sub_computation():
    @tf.custom_gradient
    def doubled_grad(x):
        with tf.GradientTape() as t:
            t.watch(x)
            y = x * x

        def grad(dy):
            return 2.0 * t.gradient(y, x, output_gradients=dy)

        return y, grad

    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = doubled_grad(x)
    assert float(y) == 9.0
    assert float(tape.gradient(y, x)) == 12.0


def test_decorator_with_parentheses_and_method_binding():
    class Scale:
        def __init__(self):
            self.factor = 3.0

        @tf.custom_gradient()
        def __call__(self, x):
            def grad(dy):  # one gradient: `self` is not an input
                return dy * 10.0

            return x * self.factor, grad

    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = Scale()(x)
    assert float(y) == 6.0
    assert float(tape.gradient(y, x)) == 10.0
    assert Scale.__call__.__name__ == "__call__"


def test_no_recording_returns_y_and_skips_grad_fn():
    x = tf.constant(1.0)
    y = log1pexp(x)  # x does not require grad
    assert not y.requires_grad
    with torch.no_grad():
        y = log1pexp(torch.tensor(1.0, requires_grad=True))
    assert float(y) == pytest.approx(np.log1p(np.e))
    assert log1pexp.__name__ == "log1pexp"


def test_keyword_arguments_are_passed_but_get_no_gradient():
    @tf.custom_gradient
    def f(x, scale=None):
        def grad(dy):
            return dy * scale

        return x * scale, grad

    x = tf.constant(2.0)
    s = tf.constant(5.0)
    with tf.GradientTape() as tape:
        tape.watch([x, s])
        y = f(x, scale=s)
    gx, gs = tape.gradient(y, [x, s])
    assert float(y) == 10.0 and float(gx) == 5.0 and gs is None


# ------------------------------------------------------------------ recompute_grad


def _mlp_reference(x, w1, b1, w2):
    """Forward and hand-written backward of sum(relu(x @ w1 + b1) @ w2) in NumPy."""
    h_pre = x @ w1 + b1
    h = np.maximum(h_pre, 0.0)
    out = h @ w2
    d_out = np.ones_like(out)
    d_w2 = h.T @ d_out
    d_h = d_out @ w2.T
    d_pre = d_h * (h_pre > 0)
    return out, x.T @ d_pre, w1.T, d_pre.sum(0), d_w2, d_pre @ w1.T


def test_recompute_grad_matches_the_plain_function():
    rng = np.random.default_rng(0)
    xv = rng.normal(size=(4, 3)).astype(np.float32)
    w1v = rng.normal(size=(3, 5)).astype(np.float32)
    b1v = rng.normal(size=(5,)).astype(np.float32)
    w2v = rng.normal(size=(5, 2)).astype(np.float32)
    w1, b1, w2 = tf.Variable(w1v), tf.Variable(b1v), tf.Variable(w2v)
    calls = []

    def mlp(x):
        calls.append(1)
        return tf.matmul(tf.nn.relu(tf.matmul(x, w1) + b1), w2)

    block = tf.recompute_grad(mlp)
    x = tf.constant(xv)
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = block(x)
        loss = tf.reduce_sum(out)
    assert len(calls) == 1
    gx, gw1, gb1, gw2 = tape.gradient(loss, [x, w1, b1, w2])
    assert len(calls) == 2  # recomputed in the backward pass
    ref_out, ref_w1, _, ref_b1, ref_w2, ref_x = _mlp_reference(xv, w1v, b1v, w2v)
    np.testing.assert_allclose(_np(out), ref_out, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(gx), ref_x, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(gw1), ref_w1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(gb1), ref_b1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(gw2), ref_w2, rtol=1e-5, atol=1e-6)


def test_recompute_grad_keeps_no_intermediate_activations():
    w = tf.Variable(torch.randn(8, 8))

    def deep(x):
        for _ in range(4):
            x = torch.tanh(x @ w)
        return x

    saved = {"plain": 0, "recompute": 0}

    def count(key):
        def pack(t):
            saved[key] += 1
            return t

        return pack

    x = torch.randn(2, 8)
    with torch.autograd.graph.saved_tensors_hooks(count("plain"), lambda t: t):
        deep(x)
    with torch.autograd.graph.saved_tensors_hooks(count("recompute"), lambda t: t):
        tf.recompute_grad(deep)(x)
    assert saved["plain"] >= 8  # every matmul input and tanh output
    assert saved["recompute"] < saved["plain"]


def test_recompute_grad_replays_random_ops_and_passes_kwargs():
    def dropout_like(x, scale=None):
        mask = (torch.rand_like(x) > 0.5).to(x.dtype)
        return x * mask * scale

    block = tf.recompute_grad(dropout_like)
    x = tf.constant(np.ones(64, np.float32))
    s = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([x, s])
        y = block(x, scale=s)
        loss = tf.reduce_sum(y)
    gx, gs = tape.gradient(loss, [x, s])
    # The gradient uses the same mask as the forward: dy/dx = mask * 3 = y / x.
    np.testing.assert_array_equal(_np(gx), _np(y))
    assert float(gs) == pytest.approx(float(_np(y).sum()) / 3.0)


def test_recompute_grad_without_recording_just_calls_f():
    calls = []

    def f(x):
        calls.append(1)
        return x * 2.0

    g = tf.recompute_grad(f)
    assert g.__name__ == "f"
    assert float(g(tf.constant(1.0))) == 2.0
    with torch.no_grad():
        g(torch.tensor(1.0, requires_grad=True))
    assert len(calls) == 2
