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
        # TF converts a NumPy array to the tensor's dtype (float64 -> float32).
        (tf.constant([1.0]), np.array([2.0]), torch.float32),
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


# ---------------------------------------------------------------- tf.math.special
# Reference values: TensorFlow 2.21 in float64 (tf.math.special.X(tf.constant(x, tf.float64))).

NAN, INF = float("nan"), float("inf")
SPECIAL_X = [-7.5, -2.0, 0.1, 0.5, 1.0, 2.5, 5.2367, 12.0, 30.0, 150.0]
SPECIAL_TF = {
    "bessel_i0": [
        268.1613115151893,
        2.279585302336067,
        1.0025015629340954,
        1.0634833707413238,
        1.2660658777520082,
        3.289839144050123,
        33.67558947275159,
        18948.925349296307,
        781672297823.9774,
        4.543597466270579e63,
    ],
    "bessel_i0e": [
        0.1483158300773955,
        0.308508322553671,
        0.9071009257823008,
        0.6450352704491502,
        0.46575960759364043,
        0.27004644161220276,
        0.17907926085086046,
        0.11642622121344044,
        0.07314594648223728,
        0.03260074788391805,
    ],
    "bessel_i1": [
        -249.58436542268808,
        -1.5906368546373295,
        0.0500625260470927,
        0.2578943053908962,
        0.565159103992485,
        2.5167162452886984,
        30.26079526651088,
        18141.348781638837,
        768532038938.9568,
        4.528426729115811e63,
    ],
    "bessel_i1e": [
        -0.13804121154855417,
        -0.2152692892489377,
        0.04529844680880933,
        0.15642080318487162,
        0.20791041534970844,
        0.20658464953126654,
        0.16092014821212863,
        0.11146429929018101,
        0.07191633059864753,
        0.03249189638884894,
    ],
    "bessel_j0": [
        0.26633965788037833,
        0.22389077914123562,
        0.99750156206604,
        0.938469807240813,
        0.7651976865579665,
        -0.04838377646819804,
        -0.09766712288060578,
        0.047689310796833355,
        -0.08636798358104031,
        -0.0007740903753941158,
    ],
    "bessel_j1": [
        -0.1352484275797055,
        -0.5767248077568734,
        0.049937526036242,
        0.24226845767487387,
        0.44005058574493355,
        0.497094102464274,
        -0.3446201551715161,
        -0.22344710449062757,
        -0.11875106261662303,
        -0.06514516365772736,
    ],
    "bessel_k0": [
        INF,
        INF,
        2.427069024702016,
        0.9244190712276663,
        0.42102443824070823,
        0.062347553200366196,
        0.0028492483912310232,
        2.200825397311491e-06,
        2.132477496463056e-14,
        7.336371406107646e-67,
    ],
    "bessel_k0e": [
        INF,
        INF,
        2.682326102262894,
        1.5241093857739103,
        1.1444630798068947,
        0.7595486903280997,
        0.5357969352403256,
        0.3581948784890782,
        0.2278866656162537,
        0.10224771116019106,
    ],
    "bessel_k1": [
        INF,
        INF,
        9.853844780870606,
        1.6564411200033013,
        0.6019072301972348,
        0.07389081634774707,
        0.003110247960219438,
        2.2907574647671883e-06,
        2.1677320018915495e-14,
        7.360785488768072e-67,
    ],
    "bessel_k1e": [
        INF,
        INF,
        10.890182683049698,
        2.7310097082117863,
        1.6361534862632587,
        0.900174423907878,
        0.5848775171907883,
        0.3728317533697099,
        0.2316541293777118,
        0.10258797256926121,
    ],
    "bessel_y0": [
        -INF,
        -INF,
        -1.5342386513503667,
        -0.4445187335067066,
        0.08825696421567697,
        0.498070359615232,
        -0.33392383022784905,
        -0.2252373126343615,
        -0.11729573168666396,
        -0.06514222150903737,
    ],
    "bessel_y1": [
        -INF,
        -INF,
        -6.458951094702027,
        -1.4714723926702433,
        -0.7812128213002888,
        0.14591813796678577,
        0.06647069297495586,
        -0.05709921826089675,
        0.08442557066174712,
        0.0005569563495603133,
    ],
    "dawsn": [
        -0.06727581164463062,
        -0.30134038892379195,
        0.09933599239785286,
        0.4244363835020223,
        0.5380795069127684,
        0.22308372216743552,
        0.09732609273964989,
        0.041812876453988256,
        0.016675941401059175,
        0.003333407412346228,
    ],
    "expint": [
        NAN,
        NAN,
        -1.6228128139692766,
        0.45421990486317354,
        1.895117816355937,
        7.073765894578601,
        47.92337543342099,
        14959.532666397525,
        368973209407.2742,
        9.354182728265378e62,
    ],
    "fresnel_cos": [
        -0.5160182501523362,
        -0.48825340607534073,
        0.09999753262708506,
        0.4923442258714464,
        0.779893400376823,
        0.45741300964177706,
        0.45173358708167166,
        0.49994136935201117,
        0.4999962473706091,
        0.49999996997891133,
    ],
    "fresnel_sin": [
        -0.4607012329468305,
        -0.34341567836369824,
        0.0005235895476122108,
        0.06473243285999929,
        0.4382591473903547,
        0.6191817558195929,
        0.4630862457368509,
        0.47347456491993545,
        0.4893896744421938,
        0.4978779340933822,
    ],
    "spence": [
        NAN,
        NAN,
        1.2997147230049588,
        0.5822405264650135,
        0.0,
        -1.1473806603755703,
        -2.4637939479167654,
        -4.43096251703983,
        -7.280084707384272,
        -14.157973201136013,
    ],
}
SPECIAL_EDGE = {
    "bessel_i0": [1.0, 1.2660658777520082, NAN, NAN],
    "bessel_i0e": [1.0, 0.46575960759364043, 0.0, 0.0],
    "bessel_i1": [0.0, -0.565159103992485, NAN, NAN],
    "bessel_i1e": [0.0, -0.20791041534970844, 0.0, -0.0],
    "bessel_j0": [1.0, 0.7651976865579665, NAN, NAN],
    "bessel_j1": [0.0, -0.44005058574493355, NAN, NAN],
    "bessel_k0": [INF, INF, 0.0, INF],
    "bessel_k0e": [INF, INF, 0.0, INF],
    "bessel_k1": [INF, INF, 0.0, INF],
    "bessel_k1e": [INF, INF, 0.0, INF],
    "bessel_y0": [-INF, -INF, NAN, -INF],
    "bessel_y1": [-INF, -INF, NAN, -INF],
    "dawsn": [0.0, -0.5380795069127684, 0.0, 0.0],
    "expint": [-INF, NAN, NAN, NAN],
    "fresnel_cos": [0.0, -0.779893400376823, 0.5, -0.5],
    "fresnel_sin": [0.0, -0.4382591473903547, 0.5, -0.5],
    "spence": [1.6449340668482264, NAN, NAN, NAN],
}


_SPECIAL_GRAD_X = [0.3, 0.9, 2.2, 7.3, 16.0]


def test_special_namespace():
    assert sorted(tf.math.special.__all__) == sorted(SPECIAL_TF)
    assert not hasattr(tf, "special") or tf.special is not tf.math.special
    with pytest.raises(NotImplementedError, match=r"`tf\.math\.special\.nope`"):
        tf.math.special.nope  # noqa: B018


@pytest.mark.parametrize("name", sorted(SPECIAL_TF))
def test_special_values_float64(name):
    fn = getattr(tf.math.special, name)
    got = np_(fn(tf.constant(SPECIAL_X, tf.float64)))
    # J and Y are series / asymptotic sums here: ~1e-11 absolute; the rest ~1e-15.
    np.testing.assert_allclose(got, SPECIAL_TF[name], rtol=1e-9, atol=2e-11)
    edge = np_(fn(tf.constant([0.0, -1.0, np.inf, -np.inf], tf.float64)))
    np.testing.assert_allclose(edge, SPECIAL_EDGE[name], rtol=1e-12, atol=0)


@pytest.mark.parametrize("name", sorted(SPECIAL_TF))
def test_special_values_float32(name):
    fn = getattr(tf.math.special, name)
    xs = np.array(SPECIAL_X, np.float32)
    out = fn(tf.constant(xs))
    assert out.dtype == torch.float32
    ref64 = np_(fn(tf.constant(xs.astype(np.float64))))
    with np.errstate(over="ignore"):  # float32 overflows to inf where float64 does not
        ref32 = ref64.astype(np.float32)
    np.testing.assert_allclose(np_(out), ref32, rtol=2e-6, atol=1e-30)
    # Against TF's float64 numbers at the float64 points (float32 rounding of x aside).
    finite = np.isfinite(SPECIAL_TF[name]) & (np.abs(SPECIAL_TF[name]) < 1e30)
    np.testing.assert_allclose(
        np_(out)[finite], np.array(SPECIAL_TF[name])[finite], rtol=2e-5, atol=1e-6
    )


@pytest.mark.parametrize("name", sorted(SPECIAL_TF))
def test_special_gradients_by_finite_differences(name):
    fn = getattr(tf.math.special, name)
    x = torch.tensor(_SPECIAL_GRAD_X, dtype=torch.float64, requires_grad=True)
    assert gradcheck(fn, (x,), eps=1e-6, atol=1e-4, rtol=1e-4)
    if name in ("bessel_i0", "bessel_i0e", "bessel_j0", "bessel_j1", "dawsn", "bessel_i1e"):
        x = torch.tensor([-2.5, -0.4], dtype=torch.float64, requires_grad=True)
        assert gradcheck(fn, (x,), eps=1e-6, atol=1e-4, rtol=1e-4)


def test_special_gradient_formulas_match_tensorflow():
    # d/dx from TF 2.21 at x = 1 (float64).
    expected = {
        "dawsn": -0.0761590138255368,
        "expint": 2.718281828459045,
        "fresnel_cos": 6.123233995736766e-17,
        "spence": -1.0,
        "bessel_y0": 0.7812128213002888,
        "bessel_k0": -0.6019072301972348,
    }
    for name, value in expected.items():
        x = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
        getattr(tf.math.special, name)(x).sum().backward()
        np.testing.assert_allclose(np_(x.grad), [value], rtol=1e-9, atol=1e-15)


def test_special_rejects_integers():
    with pytest.raises(TypeError, match=r"tf.math.special.dawsn expects a floating point"):
        tf.math.special.dawsn(tf.constant([1, 2]))


# ---------------------------------------------------------------- betainc, zeta, sobol_sample

BETAINC_A = [0.5, 1.0, 2.0, 10.0, 0.1, 300.0, 2000.0]
BETAINC_B = [0.5, 2.0, 3.0, 5.0, 0.2, 200.0, 3000.0]
BETAINC_X = [0.3, 0.5, 0.9, 0.7, 0.01, 0.6, 0.4]
# TF 2.21, float64.
BETAINC_TF = [
    0.36901011956554536,
    0.75,
    0.9963,
    0.5842011862193505,
    0.4324969742161059,
    0.49757138368010567,
    0.5007677879475486,
]
BETAINC_GRAD_TF = [
    0.6946091180428566,
    1.0,
    0.108,
    3.2719108091669935,
    4.3567002904917205,
    18.199532673566758,
    57.57931925691068,
]


def test_betainc_values_and_edges():
    a, b, x = (tf.constant(v, tf.float64) for v in (BETAINC_A, BETAINC_B, BETAINC_X))
    np.testing.assert_allclose(np_(tf.math.betainc(a, b, x)), BETAINC_TF, rtol=1e-10)
    out32 = tf.math.betainc(tf.cast(a, tf.float32), tf.cast(b, tf.float32), tf.cast(x, tf.float32))
    assert out32.dtype == torch.float32
    np.testing.assert_allclose(np_(out32), BETAINC_TF, rtol=1e-4)
    # I_x(1, 1) = x; I_0.5(2, 2) = 0.5 (symmetric); NaN outside the domain, as TF.
    edge = tf.math.betainc(
        [1.0, 1.0, 1.0, -1.0, 1.0, 0.0, float("nan"), 2.0],
        [1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 2.0],
        [0.0, 1.0, 1.5, 0.5, 0.5, 0.5, 0.5, 0.5],
    )
    np.testing.assert_allclose(np_(edge), [0, 1, NAN, NAN, NAN, NAN, NAN, 0.5], rtol=1e-12)
    # Scalars broadcast against the common shape.
    # I_x(2, 1) = x^2.
    np.testing.assert_allclose(np_(tf.math.betainc(2.0, [1.0, 2.0], 0.5)), [0.25, 0.5], rtol=1e-6)


def test_betainc_gradient_only_in_x():
    a, b = tf.constant(BETAINC_A, tf.float64), tf.constant(BETAINC_B, tf.float64)
    x = tf.constant(BETAINC_X, tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, b, x])
        y = tf.math.betainc(a, b, x)
    np.testing.assert_allclose(np_(tape.gradient(y, x)), BETAINC_GRAD_TF, rtol=1e-9)
    assert tape.gradient(y, a) is None and tape.gradient(y, b) is None
    xs = torch.tensor([0.2, 0.45, 0.8], dtype=torch.float64, requires_grad=True)
    assert gradcheck(
        lambda v: tf.math.betainc(
            torch.tensor(2.5, dtype=torch.float64), torch.tensor(1.5, dtype=torch.float64), v
        ),
        (xs,),
    )


def test_betainc_errors():
    with pytest.raises(
        InvalidArgumentError, match=r"shapes of a and b are inconsistent: \[2\] vs\. \[3\]"
    ):
        tf.math.betainc([1.0, 2.0], [1.0, 2.0, 3.0], [0.5])
    with pytest.raises(InvalidArgumentError, match=r"shapes of b and x are inconsistent"):
        tf.math.betainc(1.0, [1.0, 2.0], [[0.5], [0.2]])
    with pytest.raises(InvalidArgumentError, match="a has dtype int32; it must be float32"):
        tf.math.betainc([1, 2], [1, 2], [0, 1])
    with pytest.raises(InvalidArgumentError, match="a is float32 but b is float64"):
        tf.math.betainc(tf.constant(1.0), tf.constant(1.0, tf.float64), 0.5)


def test_zeta_values_gradient_and_errors():
    x = tf.constant([2.0, 3.0, 1.0, 0.5, 2.0, 2.0, 2.0, 4.5], tf.float64)
    q = tf.constant([1.0, 2.0, 1.0, 1.0, 0.0, -1.0, -1.5, 0.3], tf.float64)
    expected = [
        1.6449340668482266,
        0.2020569031595943,
        INF,
        NAN,
        INF,
        INF,
        9.379246644989124,
        225.73807390399492,
    ]
    np.testing.assert_allclose(np_(tf.math.zeta(x, q)), expected, rtol=1e-12)
    np.testing.assert_allclose(
        np_(tf.math.zeta(2.0, [[1.0], [2.0]])), [[1.644934], [0.644934]], rtol=1e-6
    )
    xx, qq = tf.constant([2.0, 3.5]), tf.constant([1.5])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([xx, qq])
        z = tf.math.zeta(xx, qq)
    # d/dq zeta(x, q) = -x zeta(x + 1, q), summed over the broadcast (TF 2.21: -1.4699342).
    np.testing.assert_allclose(np_(tape.gradient(z, qq)), [-1.4699342], rtol=1e-5)
    assert tape.gradient(z, xx) is None
    qs = torch.tensor([1.5, 2.0, 3.3], dtype=torch.float64, requires_grad=True)
    assert gradcheck(lambda v: tf.math.zeta(torch.tensor(2.5, dtype=torch.float64), v), (qs,))
    with pytest.raises(InvalidArgumentError, match=r"incompatible shapes \[2\] and \[3\]"):
        tf.math.zeta([2.0, 3.0], [1.0, 2.0, 3.0])
    with pytest.raises(InvalidArgumentError, match="x has dtype int32"):
        tf.math.zeta([2, 3], [1, 2])


def test_sobol_sample_matches_tensorflow():
    assert tf.math.sobol_sample(3, 4).tolist() == [
        [0.5, 0.5, 0.5],
        [0.75, 0.25, 0.25],
        [0.25, 0.75, 0.75],
        [0.375, 0.375, 0.625],
    ]
    out = tf.math.sobol_sample(3, 5, skip=7, dtype=tf.float64)
    assert out.dtype == torch.float64
    assert out.tolist() == [
        [0.1875, 0.3125, 0.9375],
        [0.6875, 0.8125, 0.4375],
        [0.9375, 0.0625, 0.6875],
        [0.4375, 0.5625, 0.1875],
        [0.3125, 0.1875, 0.3125],
    ]
    out = tf.math.sobol_sample(40, 2, skip=1000)
    assert out.dtype == torch.float32
    assert out[:, 30:].tolist() == [
        [
            0.6474609375,
            0.6455078125,
            0.7958984375,
            0.0927734375,
            0.3017578125,
            0.2705078125,
            0.3486328125,
            0.3310546875,
            0.8076171875,
            0.9794921875,
        ],
        [
            0.3974609375,
            0.3955078125,
            0.0458984375,
            0.3427734375,
            0.0517578125,
            0.0205078125,
            0.5986328125,
            0.5810546875,
            0.0576171875,
            0.2294921875,
        ],
    ]
    assert tf.math.sobol_sample(tf.constant(2), tf.constant(2)).tolist() == [
        [0.5, 0.5],
        [0.75, 0.25],
    ]


def test_sobol_sample_errors():
    with pytest.raises(InvalidArgumentError, match="dim must be at least one"):
        tf.math.sobol_sample(0, 3)
    with pytest.raises(InvalidArgumentError, match="dim must be at most 21200"):
        tf.math.sobol_sample(21201, 3)
    with pytest.raises(InvalidArgumentError, match="num_results must be at least one"):
        tf.math.sobol_sample(3, 0)
    with pytest.raises(InvalidArgumentError, match="skip must be non-negative"):
        tf.math.sobol_sample(2, 3, -1)
    with pytest.raises(InvalidArgumentError, match="dtype int32 is not supported"):
        tf.math.sobol_sample(2, 3, dtype=tf.int32)
    with pytest.raises(TypeError, match="dim must be an integer"):
        tf.math.sobol_sample(2.0, 3)


def test_new_math_names_stay_under_tf_math():
    for name in ("betainc", "zeta", "sobol_sample", "special"):
        assert hasattr(tf.math, name)
        assert name not in tf.math.__all__


def test_special_half_precision_inputs():
    # TF 2.21 accepts float16 for the Bessel functions: these are its values.
    x = tf.constant([0.5, 2.0], tf.float16)
    expected = {
        "bessel_j0": [0.9385, 0.2239],
        "bessel_k0": [0.9243, 0.1139],
        "bessel_y1": [-1.472, -0.10706],
        "bessel_i0": [1.063, 2.28],
    }
    for name, values in expected.items():
        out = getattr(tf.math.special, name)(x)
        assert out.dtype == torch.float16
        np.testing.assert_allclose(np_(out).astype(np.float64), values, rtol=2e-3)
    for name in tf.math.special.__all__:
        assert (
            getattr(tf.math.special, name)(tf.constant([0.5], tf.bfloat16)).dtype == torch.bfloat16
        )


def test_special_and_betainc_in_the_functional_api():
    from tork import keras

    inp = keras.Input((3,))
    model = keras.Model(inp, [tf.math.special.dawsn(inp), tf.math.betainc(2.0, 3.0, inp)])
    dawsn, beta = model(np.full((2, 3), 0.5, np.float32))
    np.testing.assert_allclose(np_(dawsn), np.full((2, 3), 0.4244363835020223), rtol=1e-6)
    np.testing.assert_allclose(np_(beta), np.full((2, 3), 0.6875), rtol=1e-6)  # 11/16
    config = keras.Model(inp, tf.math.special.dawsn(inp)).get_config()
    assert config["layers"][1]["config"]["function"] == "tf.math.special.dawsn"
    rebuilt = keras.Model.from_config(config)
    np.testing.assert_allclose(
        np_(rebuilt(np.ones((1, 3), np.float32))), [[0.5380795] * 3], rtol=1e-6
    )
