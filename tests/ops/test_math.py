"""tork.ops.math against NumPy references and finite differences."""

import inspect
import types

import numpy as np
import pytest
import torch
from torch.autograd import gradcheck

import tork as tf
import tork.ops.math as math_ops
from tork.ops.debugging import InvalidArgumentError

RNG = np.random.default_rng(0)


def np_(t):
    return t.detach().cpu().numpy()


def f64(*shape):
    return torch.tensor(RNG.standard_normal(shape), dtype=torch.float64, requires_grad=True)


# ---------------------------------------------------------------- namespace


def test_math_names_are_top_level_too():
    for name in math_ops.__all__:
        assert getattr(tf, name) is getattr(tf.math, name), name


def test_modules_not_clobbered():
    for name in ("math", "nn", "random", "linalg", "debugging", "config", "dtypes"):
        assert isinstance(getattr(tf, name), types.ModuleType), name
    assert callable(tf.device)
    assert tf.bool is torch.bool


def test_softmax_aliases_under_math():
    np.testing.assert_allclose(np_(tf.math.softmax([0.0, 0.0])), [0.5, 0.5])
    assert tf.math.log_softmax is tf.nn.log_softmax


def test_unknown_name_raises_not_implemented():
    with pytest.raises(NotImplementedError, match=r"`tf\.math\.not_a_thing`"):
        tf.math.not_a_thing  # noqa: B018
    assert not hasattr(tf.math, "not_a_thing")


# ---------------------------------------------------------------- dtype rules of binary ops


@pytest.mark.parametrize(
    "x, y, dtype",
    [
        (tf.constant([1.0, 2.0]), 2, torch.float32),
        (tf.constant([1.0, 2.0]), 2.5, torch.float32),
        (tf.constant([1, 2]), 1, torch.int32),
        (tf.constant([1.0], dtype=tf.float16), 2.0, torch.float16),
        (tf.constant([1.0], dtype=tf.float64), 2.0, torch.float64),
        (tf.constant([1.0]), np.float64(2.0), torch.float32),
        (tf.constant([1.0]), np.array([2.0]), torch.float64),
        (tf.constant([1.0]), [2, 3], torch.float32),
        (1, 2, torch.int32),
        (1.0, 2.0, torch.float32),
        (np.array([1.0]), 2, torch.float64),
        (2, tf.constant([1.0]), torch.float32),
    ],
)
def test_scalars_keep_tensor_dtype(x, y, dtype):
    for op in (tf.add, tf.subtract, tf.multiply, tf.maximum, tf.minimum):
        assert op(x, y).dtype == dtype, op.__name__


def test_tensor_tensor_promotion_follows_numpy():
    a = tf.constant([1, 2], dtype=tf.int32)
    b = tf.constant([0.5, 0.5], dtype=tf.float32)
    assert tf.add(a, b).dtype == torch.float32
    assert tf.add(b, tf.constant([1.0], dtype=tf.float64)).dtype == torch.float64


@pytest.mark.parametrize(
    "op, ref",
    [
        (tf.add, np.add),
        (tf.subtract, np.subtract),
        (tf.multiply, np.multiply),
        (tf.maximum, np.maximum),
        (tf.minimum, np.minimum),
        (tf.math.squared_difference, lambda a, b: (a - b) ** 2),
        (tf.equal, np.equal),
        (tf.not_equal, np.not_equal),
        (tf.greater, np.greater),
        (tf.greater_equal, np.greater_equal),
        (tf.less, np.less),
        (tf.less_equal, np.less_equal),
        (tf.math.atan2, np.arctan2),
    ],
)
def test_binary_against_numpy(op, ref):
    a = RNG.standard_normal((3, 4)).astype(np.float32)
    b = RNG.standard_normal((4,)).astype(np.float32)
    b[0] = a[0, 0]
    got = op(a, b)
    np.testing.assert_allclose(np_(got), ref(a, b), rtol=1e-6)


def test_division_family():
    a = np.array([-7, 7, -8, 9], dtype=np.int32)
    b = np.array([2, -2, 3, 3], dtype=np.int32)
    np.testing.assert_array_equal(np_(tf.math.floordiv(a, b)), np.floor_divide(a, b))
    np.testing.assert_array_equal(np_(tf.math.floormod(a, b)), np.mod(a, b))
    assert tf.math.mod is tf.math.floormod
    np.testing.assert_array_equal(np_(tf.math.truncatediv(a, b)), np.trunc(a / b).astype(np.int32))
    np.testing.assert_array_equal(np_(tf.math.truncatemod(a, b)), np.fmod(a, b))
    fa, fb = a.astype(np.float32), b.astype(np.float32)
    np.testing.assert_allclose(np_(tf.math.floormod(fa, fb)), np.mod(fa, fb))
    np.testing.assert_allclose(np_(tf.math.floordiv(fa, fb)), np.floor_divide(fa, fb))
    # truediv: int32 -> float64 and int8/int16 -> float32, as in TensorFlow.
    q = tf.divide(a, b)
    assert q.dtype == torch.float64
    np.testing.assert_allclose(np_(q), a / b)
    assert tf.math.truediv(np.array([1], dtype=np.int16), 2).dtype == torch.float32
    assert tf.divide(tf.constant([1.0]), 2).dtype == torch.float32
    np.testing.assert_allclose(np_(tf.math.realdiv([1.0], [4.0])), [0.25])


def test_pow_and_no_nan_ops():
    np.testing.assert_array_equal(np_(tf.pow([2, 3], 2)), [4, 9])
    assert tf.pow(tf.constant([2.0]), 2).dtype == torch.float32
    np.testing.assert_array_equal(
        np_(tf.math.divide_no_nan([1.0, 1.0, 0.0], [0.0, 2.0, 0.0])), [0, 0.5, 0]
    )
    np.testing.assert_array_equal(np_(tf.math.divide_no_nan(tf.constant([1.0]), 0.0)), [0.0])
    np.testing.assert_array_equal(
        np_(tf.math.multiply_no_nan([np.inf, 2.0], [0.0, 3.0])), [0.0, 6.0]
    )
    np.testing.assert_allclose(np_(tf.math.xlogy([0.0, 2.0], [0.0, 3.0])), [0.0, 2 * np.log(3)])
    np.testing.assert_allclose(np_(tf.math.xdivy([0.0, 2.0], [0.0, 4.0])), [0.0, 0.5])


def test_logical():
    a = np.array([True, True, False, False])
    b = np.array([True, False, True, False])
    np.testing.assert_array_equal(np_(tf.logical_and(a, b)), a & b)
    np.testing.assert_array_equal(np_(tf.logical_or(a, b)), a | b)
    np.testing.assert_array_equal(np_(tf.math.logical_xor(a, b)), a ^ b)
    np.testing.assert_array_equal(np_(tf.logical_not(a)), ~a)


def test_broadcast_error_names_shapes():
    with pytest.raises(
        ValueError, match=r"add: cannot broadcast shapes \(64, 256\) and \(64, 128\)"
    ):
        tf.add(tf.zeros((64, 256)), tf.zeros((64, 128)))
    with pytest.raises(ValueError, match=r"maximum: cannot broadcast shapes \(2,\) and \(3,\)"):
        tf.maximum(tf.zeros(2), tf.zeros(3))


# ---------------------------------------------------------------- unary


X = RNG.uniform(0.1, 0.9, (2, 3)).astype(np.float32)


@pytest.mark.parametrize(
    "op, ref",
    [
        (tf.abs, np.abs),
        (tf.negative, np.negative),
        (tf.sign, np.sign),
        (tf.sqrt, np.sqrt),
        (tf.math.rsqrt, lambda v: 1 / np.sqrt(v)),
        (tf.square, np.square),
        (tf.exp, np.exp),
        (tf.math.expm1, np.expm1),
        (tf.math.log, np.log),
        (tf.math.log1p, np.log1p),
        (tf.sin, np.sin),
        (tf.cos, np.cos),
        (tf.tan, np.tan),
        (tf.asin, np.arcsin),
        (tf.acos, np.arccos),
        (tf.atan, np.arctan),
        (tf.sinh, np.sinh),
        (tf.cosh, np.cosh),
        (tf.tanh, np.tanh),
        (tf.asinh, np.arcsinh),
        (tf.atanh, np.arctanh),
        (tf.sigmoid, lambda v: 1 / (1 + np.exp(-v))),
        (tf.math.log_sigmoid, lambda v: -np.log1p(np.exp(-v))),
        (tf.math.softplus, lambda v: np.log1p(np.exp(v))),
        (tf.math.softsign, lambda v: v / (1 + np.abs(v))),
        (tf.floor, np.floor),
        (tf.math.ceil, np.ceil),
        (tf.math.reciprocal, np.reciprocal),
        (tf.math.erf, lambda v: np.vectorize(__import__("math").erf)(v)),
        (tf.math.lgamma, lambda v: np.vectorize(__import__("math").lgamma)(v)),
    ],
)
def test_unary_against_numpy(op, ref):
    for sample in (X, -X, 3 * X):
        if op in (tf.sqrt, tf.math.rsqrt, tf.math.log, tf.math.lgamma) and sample.min() < 0:
            continue
        if op in (tf.asin, tf.acos, tf.atanh) and np.abs(sample).max() >= 1:
            continue
        got = op(sample)
        assert got.dtype == torch.float32
        np.testing.assert_allclose(np_(got), ref(sample), rtol=2e-6, atol=1e-6)


def test_unary_python_float_becomes_float32():
    assert tf.exp(1.0).dtype == torch.float32
    assert tf.exp(np.float64(1.0)).dtype == torch.float64
    assert tf.abs(-3).dtype == torch.int32


def test_round_is_bankers():
    v = np.array([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6], dtype=np.float32)
    np.testing.assert_array_equal(np_(tf.round(v)), np.round(v))
    np.testing.assert_array_equal(np_(tf.math.rint(v)), np.rint(v))
    assert tf.round([1, 2]).tolist() == [1, 2]


def test_nan_inf_predicates():
    v = np.array([1.0, np.nan, np.inf, -np.inf])
    np.testing.assert_array_equal(np_(tf.math.is_nan(v)), np.isnan(v))
    np.testing.assert_array_equal(np_(tf.math.is_inf(v)), np.isinf(v))
    np.testing.assert_array_equal(np_(tf.math.is_finite(v)), np.isfinite(v))


def test_complex_helpers():
    c = np.array([1 + 2j, -3j])
    np.testing.assert_array_equal(np_(tf.math.real(c)), c.real)
    np.testing.assert_array_equal(np_(tf.math.imag(c)), c.imag)
    np.testing.assert_array_equal(np_(tf.math.conj(c)), c.conj())
    np.testing.assert_array_equal(np_(tf.math.imag([1.0])), [0.0])


def test_cast():
    got = tf.cast([-1.7, -0.5, 0.5, 1.7], tf.int32)
    assert got.dtype == torch.int32
    np.testing.assert_array_equal(np_(got), np.trunc([-1.7, -0.5, 0.5, 1.7]).astype(np.int32))
    np.testing.assert_array_equal(np_(tf.cast([0.0, 2.0], tf.bool)), [False, True])
    np.testing.assert_array_equal(np_(tf.cast(np.array([1 + 2j]), tf.float32)), [1.0])
    assert tf.cast([1, 2], "float64").dtype == torch.float64
    x = tf.constant([1.0])
    assert tf.cast(x, tf.float32) is x


def test_softplus_rejects_ints():
    with pytest.raises(TypeError, match=r"softplus expects a floating point tensor, got int32"):
        tf.math.softplus([1, 2])


# ---------------------------------------------------------------- reductions

A = RNG.standard_normal((2, 3, 4)).astype(np.float32)


@pytest.mark.parametrize("axis", [None, 0, -1, [0, 2], (1,), []])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize(
    "op, ref",
    [
        (tf.reduce_sum, np.sum),
        (tf.reduce_mean, np.mean),
        (tf.reduce_max, np.max),
        (tf.reduce_min, np.min),
        (tf.reduce_prod, np.prod),
        (tf.math.reduce_std, np.std),
        (tf.math.reduce_variance, np.var),
        (
            tf.reduce_logsumexp,
            lambda a, axis, keepdims: np.log(np.sum(np.exp(a), axis=axis, keepdims=keepdims)),
        ),
        (
            tf.math.reduce_euclidean_norm,
            lambda a, axis, keepdims: np.sqrt(np.sum(a * a, axis=axis, keepdims=keepdims)),
        ),
    ],
)
def test_reductions_against_numpy(op, ref, axis, keepdims):
    np_axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    if np_axis == ():
        if op in (tf.math.reduce_std, tf.math.reduce_variance):
            want = np.zeros_like(A)
        elif op is tf.math.reduce_euclidean_norm:
            want = np.abs(A)
        else:
            want = A
    else:
        want = ref(A, axis=np_axis, keepdims=keepdims)
    got = op(A, axis=axis, keepdims=keepdims)
    assert got.dtype == torch.float32
    assert tuple(got.shape) == np.shape(want)
    np.testing.assert_allclose(np_(got), want, rtol=1e-5, atol=1e-6)


def test_integer_reductions_keep_dtype():
    a = np.array([[1, -2, 3], [4, 5, -7]], dtype=np.int32)
    for op, ref in ((tf.reduce_sum, np.sum), (tf.reduce_prod, np.prod), (tf.reduce_max, np.max)):
        got = op(a, axis=1)
        assert got.dtype == torch.int32
        np.testing.assert_array_equal(np_(got), ref(a, axis=1))
    mean = tf.reduce_mean(a, axis=1)
    assert mean.dtype == torch.int32
    np.testing.assert_array_equal(np_(mean), np.trunc(a.sum(1) / 3).astype(np.int32))
    assert tf.reduce_mean(np.array([-1, -2], dtype=np.int32)).item() == -1
    assert tf.math.reduce_euclidean_norm(np.array([3, 4], dtype=np.int32)).dtype == torch.int32


def test_reduce_any_all_count_nonzero():
    b = np.array([[True, False, False], [True, True, True]])
    for axis in (None, 0, 1, [0, 1]):
        np_axis = tuple(axis) if isinstance(axis, list) else axis
        np.testing.assert_array_equal(np_(tf.reduce_any(b, axis=axis)), np.any(b, axis=np_axis))
        np.testing.assert_array_equal(np_(tf.reduce_all(b, axis=axis)), np.all(b, axis=np_axis))
    assert tf.reduce_all(b, keepdims=True).shape == (1, 1)
    c = tf.math.count_nonzero([[0, 3, 0], [1, 0, 2]], axis=1)
    assert c.dtype == torch.int64 and c.tolist() == [1, 2]
    assert tf.math.count_nonzero([0.0, 2.0]).item() == 1


def test_reduce_max_empty_gives_lowest_value():
    e = tf.reduce_max(tf.zeros((0, 3)), axis=0)
    assert e.shape == (3,) and bool(torch.all(e == -np.inf))
    assert tf.reduce_min(tf.zeros((0,), dtype=tf.int32)).item() == np.iinfo(np.int32).max


@pytest.mark.parametrize(
    "op, ref",
    [
        (tf.reduce_sum, np.sum),
        (tf.reduce_max, np.max),
        (tf.reduce_min, np.min),
        (tf.reduce_prod, np.prod),
        (tf.reduce_any, np.any),
        (tf.reduce_all, np.all),
    ],
)
@pytest.mark.parametrize(
    "axis, np_axis",
    [
        ([2, 0], (0, 2)),
        ([-1, -3], (0, 2)),
        (-2, 1),
        (np.int64(1), 1),
        (np.array([0, 1]), (0, 1)),
        (torch.tensor([1, 2]), (1, 2)),
        (torch.tensor(-1), 2),
    ],
)
def test_reduction_axis_forms(op, ref, axis, np_axis):
    a = np.array([[[1, 0, 2], [3, 4, 0]], [[0, 1, 1], [2, 2, 5]]], dtype=np.int32)
    x = a.astype(bool) if op in (tf.reduce_any, tf.reduce_all) else a
    for keepdims in (False, True):
        got = op(x, axis=axis, keepdims=keepdims)
        want = ref(x, axis=np_axis, keepdims=keepdims)
        # TensorFlow keeps the input dtype where numpy widens int32 sums to int64.
        assert got.dtype == torch.from_numpy(x).dtype
        np.testing.assert_array_equal(np_(got), want)


def test_reduction_dtypes():
    b = np.array([[True, False, True], [True, True, True]])
    s = tf.reduce_sum(b, axis=1)
    assert s.dtype == torch.int32 and s.tolist() == np.sum(b, axis=1).tolist()
    for dtype in (np.int64, np.uint8, np.int16):
        a = np.array([[1, 2, 3], [4, 5, 6]], dtype=dtype)
        for op, ref in ((tf.reduce_sum, np.sum), (tf.reduce_prod, np.prod)):
            got = op(a, axis=0)
            assert got.dtype == torch.from_numpy(a).dtype
            np.testing.assert_array_equal(np_(got), ref(a, axis=0).astype(dtype))
    h = np.array([[0.5, 1.5], [2.0, 3.0]], dtype=np.float16)
    assert tf.reduce_sum(h, axis=0).dtype == torch.float16
    np.testing.assert_allclose(np_(tf.reduce_mean(h, axis=1)), [1.0, 2.5])
    c = np.array([[1 + 2j, 3 - 1j], [0.5j, 2]], dtype=np.complex64)
    np.testing.assert_allclose(np_(tf.reduce_sum(c, axis=1)), np.sum(c, axis=1), rtol=1e-6)
    np.testing.assert_allclose(np_(tf.reduce_mean(c)), np.mean(c), rtol=1e-6)
    v = tf.math.reduce_variance(c, axis=0)
    assert v.dtype == torch.float32
    np.testing.assert_allclose(np_(v), np.var(c, axis=0), rtol=1e-5)
    assert tf.math.reduce_variance(c, axis=[]).dtype == torch.float32


def test_integer_mean_and_norm_values():
    a = np.array([[7, -8, 2], [1, 1, 2]], dtype=np.int32)
    got = tf.reduce_mean(a, axis=[1], keepdims=True)
    assert got.dtype == torch.int32 and got.shape == (2, 1)
    np.testing.assert_array_equal(np_(got), np.trunc(a.sum(1, keepdims=True) / 3))
    assert tf.reduce_mean(np.zeros((0, 3), np.int32), axis=0).tolist() == [0, 0, 0]
    n = np.array([[3, 4], [5, 12], [1, 1]], dtype=np.int64)
    got = tf.math.reduce_euclidean_norm(n, axis=1)
    assert got.dtype == torch.int64
    np.testing.assert_array_equal(np_(got), np.trunc(np.sqrt((n * n).sum(1))))
    np.testing.assert_array_equal(np_(tf.math.reduce_euclidean_norm(n, axis=[])), np.abs(n))


def test_reduce_any_all_details():
    i = np.array([[0, 2, 0], [0, 0, 0]], dtype=np.int32)
    for op, ref in ((tf.reduce_any, np.any), (tf.reduce_all, np.all)):
        got = op(i, axis=1)
        assert got.dtype == torch.bool
        np.testing.assert_array_equal(np_(got), ref(i, axis=1))
        same = op(i, axis=[])
        assert same.dtype == torch.bool
        np.testing.assert_array_equal(np_(same), i != 0)
        assert op(i, keepdims=True).shape == (1, 1)
        assert op(i, axis=[-1, 0], keepdims=True).shape == (1, 1)
        empty = np.zeros((0, 2), bool)
        assert op(empty, axis=0).tolist() == ref(empty, axis=0).tolist()


def test_empty_extremes_shapes_and_dtypes():
    e = tf.reduce_min(tf.zeros((2, 0, 3)), axis=[1], keepdims=True)
    assert e.shape == (2, 1, 3) and bool(torch.all(e == np.inf))
    e = tf.reduce_max(np.zeros((0, 2), np.int64), axis=0)
    assert e.tolist() == [np.iinfo(np.int64).min] * 2
    e = tf.reduce_max(np.zeros((0, 2), bool), axis=0, keepdims=True)
    assert e.dtype == torch.bool and e.tolist() == [[False, False]]
    assert tf.reduce_min(np.zeros((0,), bool)).item() is True


def test_reduction_errors():
    with pytest.raises(TypeError, match=r"reduce_mean does not take bool tensors; cast to float"):
        tf.reduce_mean([True, False])
    for op in (tf.math.reduce_variance, tf.reduce_logsumexp):
        with pytest.raises(TypeError, match=rf"{op.__name__} expects a floating point tensor, got"):
            op([1, 2])
    with pytest.raises(TypeError, match=r"expects a floating point tensor, got int32"):
        tf.math.reduce_std([1, 2])
    for op in (tf.reduce_sum, tf.reduce_mean, tf.reduce_max, tf.reduce_prod, tf.reduce_all):
        with pytest.raises(ValueError, match=r"axis=2 is out of range for a tensor of rank 2"):
            op(tf.zeros((2, 3)), axis=2)
        with pytest.raises(ValueError, match=r"axis=-3 is out of range"):
            op(tf.zeros((2, 3)), axis=[0, -3])


def test_reduction_signatures():
    params = ["input_tensor", "axis", "keepdims", "name"]
    for name in ("sum", "mean", "max", "min", "prod", "all", "any", "logsumexp", "std"):
        op = getattr(tf.math, f"reduce_{name}")
        assert op.__name__ == f"reduce_{name}"
        assert list(inspect.signature(op).parameters) == params
        np.testing.assert_allclose(np_(op(A, 1, True, "n")), np_(op(A, axis=1, keepdims=True)))


def test_reduce_max_gradient_splits_ties():
    x = torch.tensor([1.0, 3.0, 3.0], requires_grad=True)
    tf.reduce_max(x).backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.5, 0.5])


def test_argmax_argmin():
    a = np.array([[1, 9, 9], [5, 2, 5]])
    got = tf.argmax(a)
    assert got.dtype == torch.int64
    np.testing.assert_array_equal(np_(got), np.argmax(a, axis=0))
    np.testing.assert_array_equal(np_(tf.argmax(a, axis=1)), np.argmax(a, axis=1))
    np.testing.assert_array_equal(np_(tf.argmin(a, axis=-1)), np.argmin(a, axis=-1))
    assert tf.argmax(a, 1, output_type=tf.int32).dtype == torch.int32


@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
def test_cumsum_cumprod(exclusive, reverse):
    a = np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int32)

    def ref(v, fn, ident):
        w = v[:, ::-1] if reverse else v
        out = fn(w, axis=1)
        if exclusive:
            out = np.concatenate([np.full((2, 1), ident), out[:, :-1]], axis=1)
        return out[:, ::-1] if reverse else out

    got = tf.cumsum(a, axis=1, exclusive=exclusive, reverse=reverse)
    assert got.dtype == torch.int32
    np.testing.assert_array_equal(np_(got), ref(a, np.cumsum, 0))
    got = tf.math.cumprod(a, axis=1, exclusive=exclusive, reverse=reverse)
    np.testing.assert_array_equal(np_(got), ref(a, np.cumprod, 1))


# ---------------------------------------------------------------- sorting


def test_top_k_sort_argsort():
    a = RNG.standard_normal((3, 6)).astype(np.float32)
    values, indices = tf.math.top_k(a, k=2)
    assert indices.dtype == torch.int32
    order = np.argsort(-a, axis=1)[:, :2]
    np.testing.assert_array_equal(np_(indices), order)
    np.testing.assert_allclose(np_(values), np.take_along_axis(a, order, 1))
    out = tf.nn.top_k(a, 3)
    assert out.values.shape == (3, 3) and out.indices.shape == (3, 3)
    with pytest.raises(InvalidArgumentError, match="at least k=7"):
        tf.math.top_k(a, 7)
    np.testing.assert_array_equal(np_(tf.sort(a)), np.sort(a))
    np.testing.assert_array_equal(
        np_(tf.sort(a, axis=0, direction="DESCENDING")), -np.sort(-a, axis=0)
    )
    s = tf.argsort([3, 1, 2, 1])
    assert s.dtype == torch.int32
    np.testing.assert_array_equal(np_(s), np.argsort([3, 1, 2, 1], kind="stable"))
    with pytest.raises(ValueError, match="'ASCENDING' or 'DESCENDING'"):
        tf.sort(a, direction="UP")


def test_in_top_k():
    pred = np.array([[0.1, 0.5, 0.4], [0.3, 0.3, 0.4], [0.2, np.nan, 0.1]], dtype=np.float32)
    got = tf.math.in_top_k([2, 0, 1], pred, 1)
    np.testing.assert_array_equal(np_(got), [False, False, False])
    got2 = tf.math.in_top_k([2, 0, 0], pred, 2)
    np.testing.assert_array_equal(np_(got2), [True, True, True])
    # TensorFlow: a target outside [0, num_classes) is never in the top k.
    got3 = tf.math.in_top_k([3, -1, 1], pred[:, :3], 3)
    np.testing.assert_array_equal(np_(got3), [False, False, False])


# ---------------------------------------------------------------- products


def test_matmul():
    a = RNG.standard_normal((5, 2, 3)).astype(np.float32)
    b = RNG.standard_normal((3, 4)).astype(np.float32)
    np.testing.assert_allclose(np_(tf.matmul(a, b)), a @ b, rtol=1e-5, atol=1e-6)
    bt = np.ascontiguousarray(b.T)
    np.testing.assert_allclose(np_(tf.matmul(a, bt, transpose_b=True)), a @ b, rtol=1e-5, atol=1e-6)
    at = np.ascontiguousarray(np.swapaxes(a, -1, -2))
    np.testing.assert_allclose(np_(tf.matmul(at, b, transpose_a=True)), a @ b, rtol=1e-5, atol=1e-6)
    c = RNG.standard_normal((2, 2)) + 1j * RNG.standard_normal((2, 2))
    np.testing.assert_allclose(np_(tf.matmul(c, c, adjoint_a=True)), c.conj().T @ c)


def test_matmul_errors():
    with pytest.raises(ValueError, match=r"inner dimensions 3 and 4 differ"):
        tf.matmul(tf.zeros((2, 3)), tf.zeros((4, 5)))
    with pytest.raises(ValueError, match=r"rank >= 2.*\(3,\)"):
        tf.matmul(tf.zeros(3), tf.zeros((3, 2)))
    with pytest.raises(TypeError, match="same dtype, got float32 and float64"):
        tf.matmul(tf.zeros((2, 2)), tf.zeros((2, 2), dtype=tf.float64))


def test_tensordot_einsum():
    a = RNG.standard_normal((2, 3, 4))
    b = RNG.standard_normal((4, 3, 5))
    np.testing.assert_allclose(
        np_(tf.tensordot(a, b, [[1, 2], [1, 0]])), np.tensordot(a, b, [[1, 2], [1, 0]])
    )
    np.testing.assert_allclose(np_(tf.tensordot(a, b[:, :, 0], 1)), np.tensordot(a, b[:, :, 0], 1))
    np.testing.assert_allclose(
        np_(tf.tensordot(a[0], a[1], [[0], [0]])), np.tensordot(a[0], a[1], [[0], [0]])
    )
    with pytest.raises(ValueError, match="must have the same sizes"):
        tf.tensordot(a, b, [[0], [0]])
    np.testing.assert_allclose(
        np_(tf.einsum("bij,jkl->bikl", a, b)), np.einsum("bij,jkl->bikl", a, b)
    )
    np.testing.assert_allclose(
        np_(tf.einsum("...j,j", a, a[0, 0])), np.einsum("...j,j", a, a[0, 0])
    )


# ---------------------------------------------------------------- clipping and norms


def test_clip_by_value():
    v = np.array([-2.0, 0.5, 3.0], dtype=np.float32)
    np.testing.assert_array_equal(np_(tf.clip_by_value(v, -1.0, 1.0)), np.clip(v, -1, 1))
    lo, hi = np.array([0.0, 0.0, 0.0]), np.array([1.0, 0.2, 2.0])
    np.testing.assert_allclose(np_(tf.clip_by_value(v, lo, hi)), np.clip(v, lo, hi))
    assert tf.clip_by_value(v, lo, hi).dtype == torch.float32


def test_clip_by_norm_and_l2_normalize():
    v = RNG.standard_normal((3, 4)).astype(np.float32)
    for axes in (None, 1, [0]):
        np_axes = tuple(axes) if isinstance(axes, list) else axes
        norm = np.sqrt(np.sum(v * v, axis=np_axes, keepdims=True))
        want = v * 1.0 / np.maximum(norm, 1.0)
        np.testing.assert_allclose(np_(tf.clip_by_norm(v, 1.0, axes=axes)), want, rtol=1e-6)
        want = v / np.sqrt(np.maximum(np.sum(v * v, axis=np_axes, keepdims=True), 1e-12))
        np.testing.assert_allclose(np_(tf.math.l2_normalize(v, axis=axes)), want, rtol=1e-6)
    np.testing.assert_allclose(np_(tf.clip_by_norm([0.3, 0.4], 1.0)), [0.3, 0.4], rtol=1e-6)
    np.testing.assert_array_equal(np_(tf.clip_by_norm([0.0, 0.0], 1.0)), [0.0, 0.0])
    assert tf.nn.l2_normalize is tf.math.l2_normalize


def test_clip_by_global_norm():
    ts = [RNG.standard_normal((2, 2)).astype(np.float32), RNG.standard_normal(3).astype(np.float32)]
    g = np.sqrt(sum(np.sum(t * t) for t in ts))
    clipped, norm = tf.clip_by_global_norm([tf.constant(t) for t in ts] + [None], 1.0)
    np.testing.assert_allclose(norm.item(), g, rtol=1e-6)
    assert clipped[-1] is None
    for got, t in zip(clipped, ts):
        np.testing.assert_allclose(np_(got), t / max(g, 1.0), rtol=1e-6)
    kept, _ = tf.clip_by_global_norm([tf.constant([0.1])], 5.0)
    np.testing.assert_allclose(np_(kept[0]), [0.1], rtol=1e-6)


def test_add_n_scalar_mul():
    np.testing.assert_array_equal(np_(tf.add_n([[1, 2], [3, 4], [5, 6]])), [9, 12])
    with pytest.raises(ValueError, match=r"input 0 has shape \(2,\) and input 1 has shape \(3,\)"):
        tf.add_n([[1, 2], [1, 2, 3]])
    assert tf.math.scalar_mul(2, tf.constant([1.0], dtype=tf.float16)).dtype == torch.float16


# ---------------------------------------------------------------- segments and counts


def test_segment_ops():
    data = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    ids = np.array([1, 0, 1])
    want_sum = np.stack([data[ids == 0].sum(0), data[ids == 1].sum(0), np.zeros(2)])
    np.testing.assert_allclose(np_(tf.math.unsorted_segment_sum(data, ids, 3)), want_sum)
    np.testing.assert_allclose(
        np_(tf.math.unsorted_segment_mean(data, ids, 3)),
        [data[ids == 0].mean(0), data[ids == 1].mean(0), [0, 0]],
    )
    mx = np_(tf.math.unsorted_segment_max(data, ids, 3))
    np.testing.assert_allclose(mx[:2], [data[ids == 0].max(0), data[ids == 1].max(0)])
    # TF fills empty segments with the dtype's lowest finite value, not -inf.
    assert np.all(mx[2] == np.finfo(np.float64).min)
    mn = np_(tf.math.unsorted_segment_min(data, ids, 2))
    np.testing.assert_allclose(mn, [data[ids == 0].min(0), data[ids == 1].min(0)])
    np.testing.assert_allclose(
        np_(tf.math.segment_sum(data, [0, 0, 1])), [data[:2].sum(0), data[2]]
    )


def _np_sorted_segments(data, ids, fn, empty):
    n = int(ids.max()) + 1
    out = np.full((n,) + data.shape[1:], empty, dtype=data.dtype)
    for k in range(n):
        if (ids == k).any():
            out[k] = fn(data[ids == k], axis=0)
    return out


def test_sorted_segment_reductions_match_numpy():
    data = RNG.standard_normal((7, 3)).astype(np.float32)
    ids = np.array([0, 0, 2, 2, 2, 4, 4])  # segments 1 and 3 are empty
    cases = [
        (tf.math.segment_sum, np.sum, 0),
        (tf.math.segment_mean, np.mean, 0),
        (tf.math.segment_max, np.max, 0),
        (tf.math.segment_min, np.min, 0),
        (tf.math.segment_prod, np.prod, 1),
    ]
    for op, fn, empty in cases:
        got = op(data, ids)
        assert got.dtype == torch.float32 and got.shape == (5, 3), op.__name__
        want = _np_sorted_segments(data, ids, fn, empty)
        np.testing.assert_allclose(np_(got), want, rtol=1e-5, err_msg=op.__name__)
        assert getattr(tf, op.__name__) is op
        assert list(inspect.signature(op).parameters) == ["data", "segment_ids", "name"]


def test_sorted_segment_documented_examples_and_int_data():
    c = np.array([[1, 2, 3, 4], [4, 3, 2, 1], [5, 6, 7, 8]], dtype=np.int32)
    ids = tf.constant([0, 0, 1])
    np.testing.assert_array_equal(np_(tf.math.segment_prod(c, ids)), [[4, 6, 6, 4], [5, 6, 7, 8]])
    np.testing.assert_array_equal(np_(tf.math.segment_max(c, ids)), [[4, 3, 3, 4], [5, 6, 7, 8]])
    np.testing.assert_array_equal(np_(tf.math.segment_min(c, ids)), [[1, 2, 2, 1], [5, 6, 7, 8]])
    mean = tf.math.segment_mean(c, ids)
    # Integer means truncate in the data's dtype: (1 + 4) / 2 -> 2.
    assert mean.dtype == torch.int32
    np.testing.assert_array_equal(np_(mean), [[2, 2, 2, 2], [5, 6, 7, 8]])
    gap = np_(tf.math.segment_max(np.array([-3, -1, -7], np.int64), [0, 0, 2]))
    np.testing.assert_array_equal(gap, [-1, 0, -7])
    assert tf.math.segment_mean(np.zeros((0, 2), np.float32), np.zeros(0, np.int64)).shape == (0, 2)


def test_sorted_segment_gradients():
    ids = torch.tensor([0, 0, 1, 3])
    for op in (tf.math.segment_mean, tf.math.segment_max, tf.math.segment_prod):
        x = f64(4, 2)
        assert gradcheck(lambda t, op=op: op(t, ids), (x,)), op.__name__


def test_sorted_segment_ids_are_checked():
    data = np.ones((3, 2), np.float32)
    with pytest.raises(InvalidArgumentError, match=r"not increasing: segment_ids\[1\] = 2 > "):
        tf.math.segment_mean(data, [0, 2, 1])
    with pytest.raises(InvalidArgumentError, match=r"must be >= 0; segment_ids\[0\] = -1"):
        tf.math.segment_max(data, [-1, 0, 0])
    with pytest.raises(InvalidArgumentError, match=r"has 2 entries but data of shape \(3, 2\)"):
        tf.math.segment_min(data, [0, 1])
    with pytest.raises(InvalidArgumentError, match=r"must be a 1-D tensor"):
        tf.math.segment_prod(data, [[0, 0, 1]])


def test_segment_ids_out_of_range():
    data = np.array([1.0, 2.0, 4.0, 8.0])
    # TensorFlow drops the rows of negative ids...
    np.testing.assert_allclose(np_(tf.math.unsorted_segment_sum(data, [0, -1, 1, 0], 2)), [9, 4])
    np.testing.assert_allclose(np_(tf.math.unsorted_segment_max(data, [0, -1, 1, 0], 2)), [8, 4])
    # ... and refuses ids past num_segments (before torch indexes: fatal on a GPU).
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"segment_ids\[1\] = 3 .* \[0, 2\)"):
        tf.math.unsorted_segment_sum(data[:3], [0, 3, 1], 2)


def test_unsorted_segments_int_and_nested_ids():
    data = np.arange(12, dtype=np.int32).reshape(2, 2, 3)
    ids = np.array([[2, 0], [2, 2]])
    rows = data.reshape(4, 3)
    flat = ids.reshape(-1)
    n = tf.constant(4)
    got = tf.math.unsorted_segment_sum(data, ids, n)
    assert got.dtype == torch.int32 and got.shape == (4, 3)
    want = np.stack([rows[flat == k].sum(0) for k in range(4)])
    np.testing.assert_array_equal(np_(got), want)
    lo, hi = np.iinfo(np.int32).min, np.iinfo(np.int32).max
    mx = np_(tf.math.unsorted_segment_max(data, ids, n))
    mn = np_(tf.math.unsorted_segment_min(data, ids, n))
    for k in range(4):
        hit = flat == k
        np.testing.assert_array_equal(mx[k], rows[hit].max(0) if hit.any() else [lo] * 3)
        np.testing.assert_array_equal(mn[k], rows[hit].min(0) if hit.any() else [hi] * 3)
    mean = tf.math.unsorted_segment_mean(data.astype(np.float32), ids, 4)
    np.testing.assert_allclose(np_(mean)[2], rows[flat == 2].mean(0))
    np.testing.assert_array_equal(np_(mean)[[1, 3]], np.zeros((2, 3)))
    for op in (tf.math.unsorted_segment_sum, tf.math.unsorted_segment_max):
        params = list(inspect.signature(op).parameters)
        assert params == ["data", "segment_ids", "num_segments", "name"]


def test_bincount_confusion_matrix():
    arr = np.array([1, 1, 3, 0, 5])
    np.testing.assert_array_equal(np_(tf.math.bincount(arr)), np.bincount(arr))
    np.testing.assert_array_equal(
        np_(tf.math.bincount(arr, minlength=8)), np.bincount(arr, minlength=8)
    )
    w = np.array([0.5, 1.0, 2.0, 1.0, 1.0], dtype=np.float32)
    np.testing.assert_allclose(np_(tf.math.bincount(arr, weights=w)), np.bincount(arr, weights=w))
    np.testing.assert_array_equal(np_(tf.math.bincount(arr, maxlength=2)), [1, 2])
    labels, preds = np.array([0, 1, 1, 2]), np.array([0, 0, 1, 2])
    want = np.zeros((3, 3), dtype=np.int32)
    for lab, p in zip(labels, preds):
        want[lab, p] += 1
    cm = tf.math.confusion_matrix(labels, preds)
    assert cm.dtype == torch.int32
    np.testing.assert_array_equal(np_(cm), want)
    assert tf.math.confusion_matrix(labels, preds, num_classes=4).shape == (4, 4)


# ---------------------------------------------------------------- gradients against finite differences


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: tf.reduce_sum(t, axis=1),
        lambda t: tf.reduce_mean(t, axis=[0, 1], keepdims=True),
        lambda t: tf.reduce_max(t, axis=0),
        lambda t: tf.reduce_prod(t, axis=[0, 1]),
        lambda t: tf.reduce_logsumexp(t, axis=1),
        lambda t: tf.math.reduce_std(t, axis=0),
        lambda t: tf.math.l2_normalize(t, axis=1),
        lambda t: tf.clip_by_norm(t, 0.5, axes=[1]),
        lambda t: tf.cumsum(t, axis=1, exclusive=True, reverse=True),
        lambda t: tf.math.squared_difference(t, 1.0),
        lambda t: tf.math.divide_no_nan(t, t * 0 + 2.0),
    ],
)
def test_gradients_match_finite_differences(fn):
    assert gradcheck(fn, (f64(3, 4),))


def test_matmul_gradient():
    a, b = f64(2, 3, 4), f64(4, 2)
    assert gradcheck(lambda x, y: tf.matmul(x, y), (a, b))
    assert gradcheck(lambda x, y: tf.matmul(x, y.mT.contiguous(), transpose_b=True), (a, b))


def test_safe_gradients_at_zero():
    x = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    tf.reduce_sum(tf.clip_by_norm(x, 1.0)).backward()
    assert torch.isfinite(x.grad).all()
    y = torch.tensor([0.0, 2.0], dtype=torch.float64, requires_grad=True)
    tf.reduce_sum(tf.math.divide_no_nan(torch.ones(2, dtype=torch.float64), y)).backward()
    assert torch.isfinite(y.grad).all()
    np.testing.assert_allclose(y.grad.numpy(), [0.0, -0.25])


def test_unsorted_segment_extremes_fill_empty_segments_with_finite_limits():
    # TF 2.21: unsorted_segment_min([1., 2.], [0, 0], 2) == [1., 3.4028235e+38]
    got = tf.math.unsorted_segment_min(tf.constant([1.0, 2.0]), [0, 0], 2).numpy()
    np.testing.assert_array_equal(got, [1.0, np.finfo(np.float32).max])
    got = tf.math.unsorted_segment_max(tf.constant([1.0, 2.0]), [1, 1], 2).numpy()
    np.testing.assert_array_equal(got, [np.finfo(np.float32).min, 2.0])
    got = tf.math.unsorted_segment_max(tf.constant([1, 2]), [0, 0], 2).numpy()
    np.testing.assert_array_equal(got, [2, np.iinfo(np.int32).min])


def test_unsorted_segment_prod():
    data = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=np.float32)
    got = tf.math.unsorted_segment_prod(tf.constant(data), [2, 0, 2], 3).numpy()
    np.testing.assert_array_equal(got, [data[1], [1.0, 1.0], data[0] * data[2]])
    assert tf.math.unsorted_segment_prod([1.0, 2.0], [0, 0], 2).tolist() == [2.0, 1.0]


def test_divide_and_multiply_no_nan_by_python_zero_keep_a_zero_gradient():
    # TF 2.21: the gradient of divide_no_nan(x, 0.0) w.r.t. x is 0 (not None).
    x = tf.Variable([2.5, float("inf")])
    with tf.GradientTape(persistent=True) as tape:
        y = tf.math.divide_no_nan(x, 0.0)
        z = tf.math.multiply_no_nan(x, 0.0)
    assert y.tolist() == [0.0, 0.0] and z.tolist() == [0.0, 0.0]
    assert tape.gradient(y, x).tolist() == [0.0, 0.0]
    assert tape.gradient(z, x).tolist() == [0.0, 0.0]


def test_maximum_and_minimum_send_tie_gradients_to_x_as_tensorflow():
    # TF 2.21: d/dx tf.maximum(x, 2.5) at x = 2.5 is 1 (torch alone gives 0.5).
    x = tf.Variable([2.5, 1.0, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        hi = tf.maximum(x, 2.5)
        lo = tf.minimum(x, tf.constant([2.5, 2.5, 1.0]))
        relu_like = tf.reduce_sum(tf.maximum(x - 2.5, 0.0))
    assert tape.gradient(hi, x).tolist() == [1.0, 0.0, 1.0]
    assert tape.gradient(lo, x).tolist() == [1.0, 1.0, 0.0]
    assert tape.gradient(relu_like, x).tolist() == [1.0, 0.0, 1.0]
    assert hi.tolist() == [2.5, 2.5, 3.0] and lo.tolist() == [2.5, 1.0, 1.0]
    nan = tf.maximum(tf.Variable([float("nan"), 1.0]), 0.0)
    assert np.isnan(nan.numpy()[0]) and nan.numpy()[1] == 1.0


def test_binary_ops_with_python_scalars_compile_without_graph_break():
    # torch.result_type (a dtype result) used to break torch.compile graphs here.
    def f(a):
        return tf.maximum(a, 2.0).sum() + tf.minimum(a, 1).sum()

    x = torch.tensor([1.0, 3.0], requires_grad=True)
    torch._dynamo.reset()
    got = torch.compile(f, fullgraph=True, backend="eager")(x)
    assert float(got) == 7.0


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.int32, torch.bool])
@pytest.mark.parametrize("value", [True, 3, 2.5])
def test_scalar_promotion_matches_torch_result_type(dtype, value):
    from tork.ops.math import _scalar_dtype

    ref = torch.ones(1, dtype=dtype)
    assert _scalar_dtype(value, ref) == torch.result_type(ref, value)


# ---------------------------------------------------------------- TF 2.21 sweep (numbers from TF)


def test_top_k_breaks_ties_by_lower_index():
    # TF 2.21: top_k([[1,3,3,2],[4,0,4,4]], 4).indices
    x = tf.constant([[1, 3, 3, 2], [4, 0, 4, 4]], tf.float32)
    out = tf.math.top_k(x, k=4)
    assert out.indices.tolist() == [[1, 2, 3, 0], [0, 2, 3, 1]]
    assert out.values.tolist() == [[3, 3, 2, 1], [4, 4, 4, 0]]
    assert out.indices.dtype == torch.int32
    assert tf.math.top_k(x, k=2).indices.tolist() == [[1, 2], [0, 2]]


def test_sign_keeps_nan():
    out = tf.sign(tf.constant([np.nan, -0.0, 3.0, -2.0]))
    assert np.isnan(out[0].item())
    assert out[1:].tolist() == [0.0, 1.0, -1.0]


def test_clip_by_value_min_above_max_gives_min():
    # TF clips with min(x, max) first, then max(., min): min wins where min > max.
    x = tf.constant([-1.0, 0.0, 2.0])
    assert tf.clip_by_value(x, 0.5, -0.5).tolist() == [0.5, 0.5, 0.5]
    lo = tf.constant([1.5, -1.0, -1.0])
    assert tf.clip_by_value(x, lo, 1.0).tolist() == [1.5, 0.0, 1.0]


def test_einsum_keeps_int32():
    out = tf.einsum("ij->j", tf.constant([[1, 2], [3, 4]]))
    assert out.dtype == torch.int32 and out.tolist() == [4, 6]


def test_integer_floordiv_by_zero_is_invalid_argument():
    with pytest.raises(InvalidArgumentError, match="integer division by zero"):
        tf.math.floordiv(tf.constant([1]), tf.constant([0]))


def test_bincount_axis_minus_one_and_binary_output():
    x = tf.constant([[1, 2], [2, 0]])
    assert tf.math.bincount(x, axis=-1).tolist() == [[0, 1, 1], [1, 0, 1]]
    assert tf.math.bincount(x, axis=0).tolist() == [1, 1, 2]
    w = tf.math.bincount(x, axis=-1, weights=tf.constant([[0.5, 1.0], [2.0, 3.0]]))
    assert w.tolist() == [[0.0, 0.5, 1.0], [3.0, 0.0, 2.0]]
    b = tf.math.bincount(x, axis=-1, binary_output=True, minlength=4)
    assert b.tolist() == [[0, 1, 1, 0], [1, 0, 1, 0]] and b.dtype == torch.int32
    assert tf.math.bincount([1, 1, 2, 5, 0, 1], binary_output=True).tolist() == [1, 1, 1, 0, 0, 1]
    assert tf.math.bincount([1, 1, 2, 5], maxlength=3).tolist() == [0, 2, 1]
    with pytest.raises(InvalidArgumentError, match="non-negative"):
        tf.math.bincount([1, -1])


def test_unsorted_segment_mean_of_ints_is_float64_and_sqrt_n():
    out = tf.math.unsorted_segment_mean(tf.constant([1, 2, 4]), tf.constant([0, 0, 1]), 3)
    assert out.dtype == torch.float64 and out.tolist() == [1.5, 4.0, 0.0]
    data = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    got = tf.math.unsorted_segment_sqrt_n(data, tf.constant([0, 0, 2]), 3)
    np.testing.assert_allclose(np_(got), [[2.8284271, 4.2426410], [0, 0], [5, 6]], rtol=1e-6)
    with pytest.raises(TypeError, match="unsorted_segment_sqrt_n expects floating point"):
        tf.math.unsorted_segment_sqrt_n(tf.constant([1]), tf.constant([0]), 1)


@pytest.mark.parametrize(
    "fn, x, expected",
    [
        (tf.math.ndtri, [0.01, 0.5, 0.9], [-2.3263478, 0.0, 1.2815511]),
        (tf.math.erfcinv, [0.1, 1.0, 1.5], [1.1630871, 0.0, -0.4769363]),
        (tf.math.bessel_i0, [0.1, 2.5, 7.0], [1.0025017, 3.2898395, 168.59392]),
        (tf.math.bessel_i0e, [0.1, 2.5, 7.0], [0.9071010, 0.2700465, 0.1537378]),
        (tf.math.bessel_i1, [0.1, 2.5, 7.0], [0.0500625, 2.5167162, 156.03914]),
        (tf.math.bessel_i1e, [0.1, 2.5, 7.0], [0.0452985, 0.2065846, 0.1422893]),
        (tf.math.reciprocal_no_nan, [0.0, 2.0, -4.0], [0.0, 0.5, -0.25]),
        (tf.math.angle, [1.0, -1.0, 0.0], [0.0, np.pi, 0.0]),
    ],
)
def test_special_unary_functions_match_tf(fn, x, expected):
    out = fn(tf.constant(x))
    assert out.dtype == torch.float32
    np.testing.assert_allclose(np_(out), expected, rtol=2e-6, atol=1e-7)


def test_special_binary_functions_match_tf():
    a, x = tf.constant([0.5, 1.0, 3.0]), tf.constant([0.3, 1.0, 2.0])
    np.testing.assert_allclose(np_(tf.math.igamma(a, x)), [0.5614220, 0.6321205, 0.3233236], 1e-6)
    np.testing.assert_allclose(np_(tf.math.igammac(a, x)), [0.4385780, 0.3678795, 0.6766764], 1e-6)
    got = tf.math.polygamma(tf.constant([0.0, 1.0, 2.0]), tf.constant([0.5, 3.0, 1.5]))
    np.testing.assert_allclose(np_(got), [-1.9635108, 0.3949341, -0.8287967], 1e-6)
    got = tf.math.lbeta(tf.constant([[1.0, 2.0], [0.5, 0.5], [2.0, 3.0]]))
    np.testing.assert_allclose(np_(got), [-0.6931472, 1.1447299, -2.4849067], 1e-6)
    got = tf.math.xlog1py(tf.constant([0.0, 2.0, 1.5]), tf.constant([-1.0, 1.0, 0.5]))
    np.testing.assert_allclose(np_(got), [0.0, 1.3862944, 0.6081976], 1e-6)
    got = tf.math.nextafter(tf.constant([1.0, 1.0]), tf.constant([2.0, 0.0]))
    assert got.tolist() == [np.nextafter(np.float32(1), np.float32(2)), np.float32(1 - 2**-24)]
    with pytest.raises(TypeError, match="igamma expects floating point tensors, got int32"):
        tf.math.igamma(tf.constant([1]), tf.constant([1]))


def test_cumulative_logsumexp_matches_tf():
    x = tf.constant([[1.0, 2.0, 3.0], [0.0, -1.0, 5.0]])
    got = tf.math.cumulative_logsumexp(x, axis=1, exclusive=True, reverse=True)
    np.testing.assert_allclose(np_(got), [[3.3132617, 3.0, -np.inf], [5.0024757, 5.0, -np.inf]])
    got = tf.math.cumulative_logsumexp(x, axis=0)
    np.testing.assert_allclose(np_(got), [[1.0, 2.0, 3.0], [1.3132617, 2.0485873, 5.1269279]])


def test_polyval_accumulate_n_invert_permutation_zero_fraction():
    assert tf.math.polyval([2.0, -1.0, 3.0], tf.constant([0.0, 1.0, 2.0])).tolist() == [3, 4, 9]
    out = tf.math.polyval([1, 2, 3], tf.constant(2))
    assert out.dtype == torch.int32 and out.item() == 11
    assert tf.math.polyval([], tf.constant([2.0, 3.0])).tolist() == [0.0, 0.0]
    assert tf.math.accumulate_n([tf.constant([1, 2]), tf.constant([3, 4])]).tolist() == [4, 6]
    with pytest.raises(ValueError, match="not the given shape"):
        tf.math.accumulate_n([tf.constant([1, 2])], shape=[3])
    perm = tf.math.invert_permutation(tf.constant([2, 0, 1]))
    assert perm.tolist() == [1, 2, 0] and perm.dtype == torch.int32
    with pytest.raises(InvalidArgumentError, match="is not a permutation"):
        tf.math.invert_permutation(tf.constant([0, 0]))
    frac = tf.math.zero_fraction(tf.constant([0, 1, 0, 2]))
    assert frac.dtype == torch.float32 and frac.item() == 0.5


def test_sqrt_rsqrt_reciprocal_gradients_are_zero_where_the_upstream_is_zero():
    # TF 2.21: the gradient of tf.where(x > 0, tf.sqrt(x), 0) at x = [-1, 0, 4] is
    # [0, 0, 0.25] (torch's own backward gives nan at -1 and 0).
    x = tf.Variable([-1.0, 0.0, 4.0])
    with tf.GradientTape() as tape:
        y = tf.where(x > 0, tf.sqrt(x), 0.0)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [0.0, 0.0, 0.25])
    with tf.GradientTape() as tape:
        y = tf.where(x > 0, tf.math.rsqrt(x), 0.0) + tf.where(x != 0, tf.math.reciprocal(x), 0.0)
    # d rsqrt = -x**-1.5 / 2, d reciprocal = -1 / x**2
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [-1.0, 0.0, -0.0625 - 0.0625])
    # Second derivatives still flow: d2 sqrt(x) / dx2 = -x**-1.5 / 4.
    v = tf.Variable([4.0, 9.0])
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = tf.reduce_sum(tf.sqrt(v))
        first = inner.gradient(y, v)
    np.testing.assert_allclose(first.numpy(), [0.25, 1 / 6], rtol=1e-6)
    np.testing.assert_allclose(outer.gradient(first, v).numpy(), [-1 / 32, -1 / 108], rtol=1e-5)
