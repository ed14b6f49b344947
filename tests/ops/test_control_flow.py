"""Tests for tork/ops/control_flow.py against hand-computed values and NumPy."""

import collections
import math
import warnings

import numpy as np
import pytest
import torch

import tork as tf
from tork.errors import InvalidArgumentError

# ---------------------------------------------------------------- cond


def test_cond_runs_only_the_chosen_branch():
    calls = []

    def true_fn():
        calls.append("t")
        return tf.constant(1.0)

    def false_fn():
        calls.append("f")
        return tf.constant(2.0)

    assert tf.cond(tf.constant(3) < 2, true_fn, false_fn).item() == 2.0
    assert tf.cond(True, true_fn, false_fn).item() == 1.0
    assert calls == ["f", "t"]


def test_cond_nested_outputs_and_python_numbers():
    out = tf.cond(tf.constant(True), lambda: {"a": (1.0, 2)}, lambda: {"a": (0.0, 0)})
    assert out["a"][0].dtype == torch.float32 and out["a"][0].item() == 1.0
    assert out["a"][1].dtype == torch.int32 and out["a"][1].item() == 2


def test_cond_gradient_through_chosen_branch():
    x = torch.tensor(3.0, requires_grad=True)
    y = tf.cond(x > 0, lambda: x**3, lambda: -x)
    (grad,) = torch.autograd.grad(y, x)
    assert grad.item() == pytest.approx(27.0)  # d/dx x^3 = 3x^2
    x2 = torch.tensor(-2.0, requires_grad=True)
    (grad2,) = torch.autograd.grad(tf.cond(x2 > 0, lambda: x2**3, lambda: -5 * x2), x2)
    assert grad2.item() == -5.0


def test_cond_non_scalar_pred_error():
    with pytest.raises(ValueError, match=r"shape \(3,\).*tf.reduce_all.*tf.where"):
        tf.cond(tf.constant([True, False, True]), lambda: 1, lambda: 2)


def test_cond_missing_branch_errors():
    with pytest.raises(TypeError, match="false_fn is required"):
        tf.cond(True, lambda: 1)
    with pytest.raises(TypeError, match="true_fn must be callable"):
        tf.cond(True, 3, lambda: 1)


@pytest.mark.slow  # torch.cond compiles its branches with dynamo (seconds)
def test_cond_traced_becomes_torch_cond():
    from torch.fx.experimental.proxy_tensor import make_fx

    def f(x):
        return tf.cond(x.sum() > 0, lambda: x * 2, lambda: x)  # an aliasing branch

    graph = make_fx(f, tracing_mode="fake")(torch.ones(2))
    np.testing.assert_allclose(graph(torch.tensor([1.0, 2.0])).numpy(), [2.0, 4.0])
    np.testing.assert_allclose(graph(torch.tensor([-1.0, -2.0])).numpy(), [-1.0, -2.0])

    def g(x):
        return tf.cond(x.sum() > 0, lambda: (x, x), lambda: x)

    with pytest.raises(RuntimeError, match="tf.cond in traced code.*tf.where"):
        make_fx(g, tracing_mode="fake")(torch.ones(2))


# ---------------------------------------------------------------- case / switch_case


def test_case_first_true_default_and_exclusive():
    x = tf.constant(3)
    pairs = [(x < 2, lambda: tf.constant(10)), (x < 5, lambda: tf.constant(20))]
    assert tf.case(pairs, default=lambda: tf.constant(30)).item() == 20
    assert tf.case([(x > 9, lambda: 1)], default=lambda: [7]).item() == 7  # singleton unpacked
    assert tf.case([(x > 9, lambda: 1)], default=lambda: [7], strict=True)[0].item() == 7
    both = [(x < 4, lambda: 1), (x < 5, lambda: 2)]
    assert tf.case(both).item() == 1
    with pytest.raises(InvalidArgumentError, match=r"exclusive=True, but 2 predicates.*\[0, 1\]"):
        tf.case(both, exclusive=True)


def test_case_without_default_uses_last_pair_and_errors_when_none_true():
    x = tf.constant(3)
    assert tf.case([(x < 2, lambda: 1), (x > 2, lambda: 2)]).item() == 2
    with pytest.raises(InvalidArgumentError, match="none of the 2 predicates is true"):
        tf.case([(x < 2, lambda: 1), (x > 5, lambda: 2)])
    with pytest.raises(TypeError, match=r"pred_fn_pairs\[0\] must be a \(pred, callable\)"):
        tf.case([(x < 2, 1)])


def test_switch_case_selection_and_out_of_range():
    fns = [lambda: tf.constant(17), lambda: tf.constant(31), lambda: tf.constant(99)]
    assert tf.switch_case(tf.constant(1), fns).item() == 31
    assert tf.switch_case(0, {1: fns[1], 0: fns[0]}).item() == 17
    assert tf.switch_case(tf.constant(2), [(0, fns[0]), (1, fns[1]), (2, fns[2])]).item() == 99
    # Out of range without default: the last branch (TensorFlow's documented max(keys)).
    assert tf.switch_case(tf.constant(7), fns).item() == 99
    assert tf.switch_case(tf.constant(-1), fns).item() == 99
    assert tf.switch_case(5, fns, default=lambda: tf.constant(-1)).item() == -1


def test_switch_case_errors():
    with pytest.raises(ValueError, match=r"0 \.\. 1 without gaps, but got \[0, 2\]"):
        tf.switch_case(0, {0: lambda: 1, 2: lambda: 2})
    with pytest.raises(TypeError, match="integer tensor, but got dtype torch.float32"):
        tf.switch_case(tf.constant(1.0), [lambda: 1])


# ---------------------------------------------------------------- while_loop


def test_while_loop_factorial_and_fibonacci():
    n, acc = tf.while_loop(lambda n, acc: n > 1, lambda n, acc: (n - 1, acc * n), (5, 1))
    assert (n.item(), acc.item()) == (1, math.factorial(5))
    i, a, b = tf.while_loop(lambda i, a, b: i < 10, lambda i, a, b: (i + 1, b, a + b), [0, 0, 1])
    assert a.item() == 55  # F(10)


def test_while_loop_structures():
    out = tf.while_loop(lambda i: i < 10, lambda i: i + 1, [tf.constant(0)])
    assert isinstance(out, list) and len(out) == 1 and out[0].item() == 10
    out = tf.while_loop(lambda i: i < 10, lambda i: (i + 1,), (tf.constant(0),))
    assert isinstance(out, tuple) and out[0].item() == 10
    State = collections.namedtuple("State", ["step", "values"])
    final = tf.while_loop(
        lambda s, d: s.step < 3,
        lambda s, d: (State(s.step + 1, s.values * 2), {"x": d["x"] + 1}),
        (State(tf.constant(0), tf.constant([1.0, 2.0])), {"x": tf.constant(0)}),
    )
    assert isinstance(final[0], State) and final[0].step.item() == 3
    np.testing.assert_allclose(final[0].values.numpy(), [8.0, 16.0])
    assert final[1]["x"].item() == 3


def test_while_loop_maximum_iterations_and_back_prop():
    (i,) = tf.while_loop(lambda i: i < 100, lambda i: [i + 1], [0], maximum_iterations=4)
    assert i.item() == 4
    x = torch.tensor(1.0, requires_grad=True)
    (y,) = tf.while_loop(lambda v: v < 10, lambda v: [v * 2], [x], back_prop=False)
    assert y.item() == 16.0 and not y.requires_grad


def test_while_loop_gradient():
    x = torch.tensor(1.5, requires_grad=True)
    # Three iterations of v -> v * x starting from v = x: y = x^4.
    _, y = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * x), (0, x))
    (grad,) = torch.autograd.grad(y, x)
    assert grad.item() == pytest.approx(4 * 1.5**3)


def test_while_loop_structure_error_names_both():
    with pytest.raises(ValueError, match=r"loop_vars is \(Tensor.*Tensor.*body returned \(Tensor"):
        tf.while_loop(lambda i, j: i < 3, lambda i, j: (i + 1,), (0, 1))


def test_while_loop_traced_error():
    from torch.fx.experimental.proxy_tensor import make_fx

    def f(x):
        return tf.while_loop(lambda v: v.sum() < 10, lambda v: [v * 2], [x])

    with pytest.raises(RuntimeError, match="tf.while_loop: the condition is a traced tensor"):
        make_fx(f, tracing_mode="fake")(torch.ones(2))


# ---------------------------------------------------------------- map_fn / vectorized_map


def test_map_fn_tensor_and_nested():
    x = np.arange(6, dtype=np.float32).reshape(3, 2)
    out = tf.map_fn(lambda r: r * r, tf.constant(x))
    np.testing.assert_allclose(out.numpy(), x * x)
    elems = {"a": tf.constant(x), "b": tf.constant([1.0, 2.0, 3.0])}
    s, d = tf.map_fn(lambda e: (tf.reduce_sum(e["a"]), e["a"] * e["b"]), elems)
    np.testing.assert_allclose(s.numpy(), x.sum(1))
    np.testing.assert_allclose(d.numpy(), x * np.array([[1.0], [2.0], [3.0]]))


def test_map_fn_signature_and_empty():
    out = tf.map_fn(
        lambda v: tf.cast(v, tf.int64), tf.constant([1.5, 2.5]), fn_output_signature=tf.int64
    )
    assert out.dtype == torch.int64 and out.tolist() == [1, 2]
    empty = tf.map_fn(lambda v: v, tf.zeros((0, 3)))
    assert tuple(empty.shape) == (0, 3)
    spec = tf.TensorSpec((2,), tf.int64)
    empty = tf.map_fn(lambda v: v, tf.zeros((0, 3)), fn_output_signature=spec)
    assert tuple(empty.shape) == (0, 2) and empty.dtype == torch.int64
    with pytest.raises(TypeError, match="torch.float32 tensor where fn_output_signature says"):
        tf.map_fn(lambda v: v, tf.constant([1.0]), fn_output_signature=tf.int32)


def test_map_fn_gradient():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = tf.map_fn(lambda v: v**2 + 3 * v, x)
    (grad,) = torch.autograd.grad(y.sum(), x)
    np.testing.assert_allclose(grad.numpy(), 2 * np.array([1.0, 2.0, 3.0]) + 3)


def test_map_fn_errors():
    with pytest.raises(ValueError, match=r"same size along axis 0, but got sizes \[3, 2\]"):
        tf.map_fn(lambda e: e[0], (tf.zeros(3), tf.zeros(2)))
    with pytest.raises(ValueError, match=r"same shape for every element.*\(1,\), \(2,\)"):
        tf.map_fn(lambda v: tf.ones(int(v), tf.int32), tf.constant([1, 2]))
    with pytest.raises(ValueError, match="is a scalar.*np.array"):
        tf.map_fn(lambda v: v, [1, 2, 3])


def test_vectorized_map_equals_python_loop():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4, 3, 2)).astype(np.float32)
    b = rng.standard_normal((4, 2)).astype(np.float32)
    out = tf.vectorized_map(
        lambda e: tf.linalg.matvec(e[0], e[1]), (tf.constant(a), tf.constant(b))
    )
    np.testing.assert_allclose(out.numpy(), np.stack([a[i] @ b[i] for i in range(4)]), rtol=1e-5)


def test_vectorized_map_falls_back_for_data_dependent_fn():
    def fn(v):
        return v * 2 if v.sum() > 0 else v * 0  # Python control flow on values: no vmap

    x = tf.constant([[1.0, 1.0], [-1.0, -2.0]])
    with pytest.warns(UserWarning, match="could not be vectorized"):
        out = tf.vectorized_map(fn, x)
    np.testing.assert_allclose(out.numpy(), [[2.0, 2.0], [0.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(tf.vectorized_map(fn, x, warn=False).numpy(), out.numpy())
    with pytest.raises(ValueError, match="could not be vectorized with torch.vmap"):
        tf.vectorized_map(fn, x, fallback_to_while_loop=False)


# ---------------------------------------------------------------- scan / foldl / foldr


def test_scan_matches_cumsum():
    x = np.array([1, 2, 3, 4, 5, 6], dtype=np.int32)
    np.testing.assert_array_equal(tf.scan(lambda a, v: a + v, tf.constant(x)).numpy(), np.cumsum(x))
    rev = tf.scan(lambda a, v: a + v, tf.constant(x), reverse=True)
    np.testing.assert_array_equal(rev.numpy(), np.cumsum(x[::-1])[::-1])
    init = tf.scan(lambda a, v: a + v, tf.constant(x), initializer=tf.constant(10))
    np.testing.assert_array_equal(init.numpy(), 10 + np.cumsum(x))


def test_scan_nested_accumulator_fibonacci():
    elems = tf.constant(np.ones(6, dtype=np.int32))
    a, b = tf.scan(lambda acc, _: (acc[1], acc[0] + acc[1]), elems, initializer=(0, 1))
    assert a.tolist() == [1, 1, 2, 3, 5, 8] and b.tolist() == [1, 2, 3, 5, 8, 13]


def test_scan_gradient_and_empty():
    x = torch.tensor([2.0, 3.0, 4.0], requires_grad=True)
    prods = tf.scan(lambda a, v: a * v, x)  # [x0, x0 x1, x0 x1 x2]
    (grad,) = torch.autograd.grad(prods[-1], x)
    np.testing.assert_allclose(grad.numpy(), [12.0, 8.0, 6.0])
    empty = tf.scan(lambda a, v: a + v, tf.zeros((0, 2)), initializer=tf.zeros(2))
    assert tuple(empty.shape) == (0, 2)
    with pytest.raises(ValueError, match="elems is empty.*no initializer"):
        tf.scan(lambda a, v: a + v, tf.zeros((0,)))


def test_foldl_foldr_order():
    x = tf.constant([1, 2, 3])
    assert tf.foldl(lambda a, v: a - v, x).item() == (1 - 2) - 3
    assert tf.foldr(lambda a, v: a - v, x).item() == (3 - 2) - 1
    assert tf.foldl(lambda a, v: a - v, x, initializer=10).item() == 10 - 1 - 2 - 3
    # a * 10 + v records the visiting order as digits.
    assert tf.foldl(lambda a, v: a * 10 + v, x, initializer=0).item() == 123
    assert tf.foldr(lambda a, v: a * 10 + v, x, initializer=0).item() == 321


def test_fold_nested_and_errors():
    elems = (tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0]))
    total = tf.foldl(lambda a, e: a + e[0] * e[1], elems, initializer=tf.constant(0.0))
    assert total.item() == 1 * 3 + 2 * 4
    assert tf.foldr(lambda a, v: a + v, tf.zeros((0,)), initializer=5.0).item() == 5.0
    with pytest.raises(ValueError, match="tf.foldl: elems is empty"):
        tf.foldl(lambda a, v: a + v, tf.zeros((0,)))
    with pytest.raises(ValueError, match=r"structure of its accumulator.*returned \(Tensor"):
        tf.foldl(lambda a, v: (a, v), tf.constant([1, 2]))


def test_vectorized_map_of_per_example_gradients_falls_back_without_a_warning():
    # TF's guide: per-example gradients with a GradientTape inside fn. TF vectorizes it;
    # tork runs it element by element, silently, with the same values.
    layer = tf.keras.layers.Dense(3, kernel_initializer="ones")
    layer.build([None, 5])
    x = tf.constant(np.arange(20, dtype="float32").reshape(4, 5))

    def per_example(xi):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(layer(xi[None, :]) ** 2)
        return tape.gradient(loss, layer.kernel)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grads = tf.vectorized_map(per_example, x)
    # d/dW sum((x W)^2) = 2 x^T (x W); with W = ones, x W = sum(x) in every column.
    xs = x.numpy()
    expected = np.stack([2 * np.outer(r, np.full(3, r.sum())) for r in xs])
    np.testing.assert_allclose(grads.numpy(), expected, rtol=1e-5)
