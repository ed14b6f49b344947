"""keras.ops.numpy against NumPy on the same inputs."""

import numpy as np
import pytest
import torch

from tork import keras

ops = keras.ops
RNG = np.random.default_rng(0)
A = RNG.normal(size=(3, 4)).astype(np.float32)
B = RNG.normal(size=(3, 4)).astype(np.float32)
POS = RNG.uniform(0.1, 0.9, size=(3, 4)).astype(np.float32)
INT = RNG.integers(-5, 6, size=(3, 4)).astype(np.int32)


def _np(t):
    return t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)


UNARY = [
    ("abs", A), ("absolute", INT), ("negative", A), ("sign", A), ("square", A), ("sqrt", POS),
    ("reciprocal", POS), ("exp", A), ("exp2", A), ("expm1", A), ("log", POS), ("log2", POS),
    ("log10", POS), ("log1p", POS), ("sin", A), ("cos", A), ("tan", A), ("sinh", A),
    ("cosh", A), ("tanh", A), ("arcsin", POS), ("arccos", POS), ("arctan", A),
    ("arcsinh", A), ("arccosh", POS + 1), ("arctanh", POS), ("ceil", A), ("floor", A),
    ("trunc", A), ("isnan", A), ("isinf", A), ("isfinite", A), ("logical_not", INT),
    ("real", A), ("conjugate", A), ("copy", A), ("ravel", A),
]  # fmt: skip


@pytest.mark.parametrize("name,x", UNARY, ids=[u[0] for u in UNARY])
def test_unary_matches_numpy(name, x):
    got = getattr(ops, name)(x)
    np.testing.assert_allclose(_np(got), getattr(np, name)(x), rtol=1e-5, atol=1e-6)


BINARY = [
    ("add", A, B), ("subtract", A, B), ("multiply", A, B), ("divide", A, POS),
    ("true_divide", A, POS), ("floor_divide", INT, 3), ("mod", INT, 3), ("power", POS, B),
    ("maximum", A, B), ("minimum", A, B), ("equal", INT, 0), ("not_equal", INT, 0),
    ("greater", A, B), ("greater_equal", A, B), ("less", A, B), ("less_equal", A, B),
    ("logical_and", INT, A > 0), ("logical_or", INT, A > 0), ("logical_xor", INT, A > 0),
    ("arctan2", A, B), ("logaddexp", A, B), ("outer", A[0], B[0]), ("inner", A, B),
    ("vdot", A, B), ("matmul", A, B.T), ("dot", A, B.T), ("dot", A, B[0]),
    ("dot", A[0], B[0]), ("append", A, B),
]  # fmt: skip


@pytest.mark.parametrize("name,x1,x2", BINARY, ids=[f"{b[0]}{i}" for i, b in enumerate(BINARY)])
def test_binary_matches_numpy(name, x1, x2):
    got = getattr(ops, name)(x1, x2)
    np.testing.assert_allclose(_np(got), getattr(np, name)(x1, x2), rtol=1e-5, atol=1e-5)


REDUCTIONS = ["sum", "prod", "mean", "var", "std", "max", "min", "amax", "amin", "all", "any"]


@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("axis,keepdims", [(None, False), (1, False), ((0, 1), True), (-1, True)])
def test_reductions_match_numpy(name, axis, keepdims):
    got = getattr(ops, name)(A, axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(
        _np(got), getattr(np, name)(A, axis=axis, keepdims=keepdims), rtol=1e-5, atol=1e-6
    )


AXIS_OPS = [
    ("argmax", {"axis": 1}), ("argmax", {}), ("argmin", {"axis": 0}), ("argsort", {}),
    ("argsort", {"axis": 0}), ("sort", {"axis": None}), ("cumsum", {}), ("cumsum", {"axis": 1}),
    ("cumprod", {"axis": 0}), ("count_nonzero", {"axis": 1}), ("median", {"axis": 1}),
    ("flip", {}), ("flip", {"axis": 1}), ("roll", {"shift": 2}), ("roll", {"shift": 1, "axis": 0}),
    ("diff", {}), ("transpose", {}), ("transpose", {"axes": (1, 0)}), ("tril", {"k": 1}),
    ("triu", {"k": -1}), ("diagonal", {"offset": 1}), ("trace", {}), ("squeeze", {}),
    ("repeat", {"repeats": 2}), ("repeat", {"repeats": 2, "axis": 1}), ("tile", {"reps": (2, 1)}),
    ("expand_dims", {"axis": 1}), ("moveaxis", {"source": 0, "destination": 1}),
    ("swapaxes", {"axis1": 0, "axis2": 1}), ("average", {"axis": 1, "weights": POS[0]}),
    ("clip", {"a_min": -0.5, "a_max": 0.5}), ("round", {"decimals": 1}),
    ("nan_to_num", {}), ("reshape", {"shape": (4, 3)}),
]  # fmt: skip
_KERAS_NAMES = {"reps": "repeats", "a_min": "x_min", "a_max": "x_max", "shape": "newshape"}


@pytest.mark.parametrize(
    "name,kwargs", AXIS_OPS, ids=[f"{n}{i}" for i, (n, _) in enumerate(AXIS_OPS)]
)
def test_axis_ops_match_numpy(name, kwargs):
    x = INT if name in ("count_nonzero", "cumprod") else A
    keras_kwargs = {_KERAS_NAMES.get(k, k): v for k, v in kwargs.items()}
    got = getattr(ops, name)(x, **keras_kwargs)
    want = getattr(np, name)(x, **kwargs)
    np.testing.assert_allclose(_np(got), want, rtol=1e-5, atol=1e-5)


def test_dtype_rules_follow_keras3():
    i32 = ops.arange(3)
    assert i32.dtype == torch.int32
    assert ops.add(i32, 1.5).dtype == torch.float32  # weak Python float
    assert ops.add(i32, 1).dtype == torch.int32
    assert ops.multiply(i32, ops.ones(3)).dtype == torch.float32
    assert ops.mean(i32).dtype == torch.float32
    assert ops.sum(i32).dtype == torch.int32 and ops.sum([True, True]).dtype == torch.int32
    assert ops.argmax(A).dtype == torch.int32 and ops.argsort(A).dtype == torch.int32
    assert ops.sqrt(i32).dtype == torch.float32
    assert ops.divide(i32, 2).dtype == torch.float32
    assert ops.add(np.ones(2), 1.0).dtype == torch.float64  # NumPy keeps its dtype
    assert ops.arange(0.0, 1.0, 0.5).dtype == torch.float32
    assert ops.zeros((2,)).dtype == torch.float32 and ops.full((2,), 7).dtype == torch.float32
    assert ops.clip([True, False], 0, 1).dtype == torch.int32


def test_creation_matches_numpy():
    np.testing.assert_allclose(_np(ops.eye(3, 4, k=1)), np.eye(3, 4, k=1))
    np.testing.assert_allclose(_np(ops.tri(3, 2, k=0)), np.tri(3, 2, k=0))
    np.testing.assert_allclose(_np(ops.identity(2)), np.identity(2))
    np.testing.assert_allclose(_np(ops.arange(1, 10, 3)), np.arange(1, 10, 3))
    np.testing.assert_allclose(_np(ops.linspace(0, 1, 7)), np.linspace(0, 1, 7), rtol=1e-6)
    np.testing.assert_allclose(
        _np(ops.linspace(0, 1, 4, endpoint=False)), np.linspace(0, 1, 4, endpoint=False)
    )
    samples, step = ops.linspace([0.0, 1.0], [1.0, 3.0], 3, retstep=True, axis=1)
    want, want_step = np.linspace([0.0, 1.0], [1.0, 3.0], 3, retstep=True, axis=1)
    np.testing.assert_allclose(_np(samples), want)
    np.testing.assert_allclose(_np(step), want_step)
    np.testing.assert_allclose(_np(ops.logspace(0, 2, 3)), np.logspace(0, 2, 3), rtol=1e-6)
    np.testing.assert_allclose(_np(ops.full_like(INT, 2.5, dtype="float32")), np.full_like(A, 2.5))
    assert _np(ops.zeros_like(INT)).tolist() == np.zeros_like(INT).tolist()
    assert ops.ones_like(INT, dtype="float16").dtype == torch.float16
    np.testing.assert_allclose(_np(ops.diag([1, 2], k=1)), np.diag([1, 2], k=1))
    np.testing.assert_allclose(_np(ops.diag(A)), np.diag(A))
    xs, ys = ops.meshgrid([1, 2, 3], [4, 5])
    wx, wy = np.meshgrid([1, 2, 3], [4, 5])
    assert _np(xs).tolist() == wx.tolist() and _np(ys).tolist() == wy.tolist()


def test_joining_and_splitting_match_numpy():
    np.testing.assert_allclose(_np(ops.concatenate([A, B], axis=1)), np.concatenate([A, B], 1))
    np.testing.assert_allclose(_np(ops.concatenate([A, B[0]], axis=None)), np.r_[A.ravel(), B[0]])
    np.testing.assert_allclose(_np(ops.stack([A, B], axis=-1)), np.stack([A, B], axis=-1))
    np.testing.assert_allclose(_np(ops.hstack([A, B])), np.hstack([A, B]))
    np.testing.assert_allclose(_np(ops.vstack([A[0], B[0]])), np.vstack([A[0], B[0]]))
    for got, want in zip(ops.split(A, 2, axis=1), np.split(A, 2, axis=1)):
        np.testing.assert_allclose(_np(got), want)
    for got, want in zip(ops.split(A, [1, 3], axis=1), np.split(A, [1, 3], axis=1)):
        np.testing.assert_allclose(_np(got), want)
    np.testing.assert_allclose(_np(ops.broadcast_to(A[0], (2, 4))), np.broadcast_to(A[0], (2, 4)))
    assert ops.expand_dims(A, (0, -1)).shape == np.expand_dims(A, (0, -1)).shape
    assert ops.squeeze(np.zeros((1, 3, 1)), axis=(0, 2)).shape == (3,)


def test_indexing_matches_numpy():
    idx = np.array([[0, -1], [2, 1]])
    np.testing.assert_allclose(_np(ops.take(A, idx)), np.take(A, idx))
    np.testing.assert_allclose(_np(ops.take(A, idx, axis=1)), np.take(A, idx, axis=1))
    order = np.argsort(A, axis=1)
    np.testing.assert_allclose(
        _np(ops.take_along_axis(A, order, axis=1)), np.take_along_axis(A, order, axis=1)
    )
    np.testing.assert_allclose(
        _np(ops.take_along_axis(A, np.array([3, 0]), axis=None)), A.ravel()[[3, 0]]
    )
    np.testing.assert_allclose(_np(ops.where(A > 0, A, 0.0)), np.where(A > 0, A, 0.0))
    for got, want in zip(ops.where(A > 0), np.nonzero(A > 0)):
        assert _np(got).tolist() == want.tolist() and got.dtype == torch.int32
    conds = [A < -0.5, A > 0.5]
    np.testing.assert_allclose(
        _np(ops.select(conds, [A, B], default=7.0)), np.select(conds, [A, B], default=7.0)
    )
    assert _np(ops.searchsorted([1, 3, 5], [3, 4], side="right")).tolist() == [2, 2]
    assert _np(ops.digitize(A, [-1.0, 0.0, 1.0])).tolist() == np.digitize(A, [-1, 0, 1]).tolist()
    assert _np(ops.bincount([0, 1, 1, 4], minlength=6)).tolist() == [1, 2, 0, 0, 1, 0]
    np.testing.assert_allclose(_np(ops.bincount([0, 1, 1], weights=[0.5, 1.0, 2.0])), [0.5, 3.0])
    assert ops.get_item(A, (1, 2)).item() == pytest.approx(A[1, 2])


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric", "wrap"])
def test_pad_matches_numpy(mode):
    widths = ((1, 5), (2, 0))
    kwargs = {"constant_values": 3.0} if mode == "constant" else {}
    np.testing.assert_allclose(
        _np(ops.pad(A, widths, mode=mode, **kwargs)), np.pad(A, widths, mode=mode, **kwargs)
    )


def test_products_and_statistics_match_numpy():
    C = RNG.normal(size=(2, 4, 5)).astype(np.float32)
    np.testing.assert_allclose(_np(ops.dot(A, C)), np.dot(A, C), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(
        _np(ops.tensordot(A, C, axes=([1], [1]))), np.tensordot(A, C, axes=([1], [1])), atol=1e-5
    )
    np.testing.assert_allclose(
        _np(ops.einsum("ij,bjk->bik", A, C)), np.einsum("ij,bjk->bik", A, C), atol=1e-5
    )
    np.testing.assert_allclose(
        _np(ops.cross(A[:, :3], B[:, :3])), np.cross(A[:, :3], B[:, :3]), atol=1e-6
    )
    np.testing.assert_allclose(
        _np(ops.quantile(A, [0.1, 0.5], axis=1, keepdims=True)),
        np.quantile(A, [0.1, 0.5], axis=1, keepdims=True),
        rtol=1e-5,
    )
    np.testing.assert_allclose(_np(ops.median(A)), np.median(A), rtol=1e-6)
    np.testing.assert_allclose(
        _np(ops.average(A, weights=POS)), np.average(A, weights=POS), rtol=1e-5
    )
    sign, logdet = ops.slogdet(A[:, :3])
    want_sign, want_logdet = np.linalg.slogdet(A[:, :3])
    assert sign.item() == want_sign and logdet.item() == pytest.approx(want_logdet, rel=1e-5)
    np.testing.assert_allclose(_np(ops.divide_no_nan([1.0, 2.0], [0.0, 4.0])), [0.0, 0.5])
    assert _np(ops.isclose([1.0, 1.1], [1.0 + 1e-7, 1.0])).tolist() == [True, False]
    assert ops.ndim(A) == 2 and ops.size(A) == 12
    np.testing.assert_allclose(_np(ops.max(np.zeros((0,)), initial=3.0)), 3.0)


def test_gradient_flows_through_numpy_ops():
    w = torch.tensor(A, requires_grad=True)
    loss = ops.mean(ops.square(ops.matmul(w, B.T))) + ops.sum(ops.take(w, [0, 5]))
    loss.backward()
    want = 2 * (A @ B.T) @ B / 9.0
    want.ravel()[[0, 5]] += 1.0
    np.testing.assert_allclose(w.grad.numpy(), want, rtol=1e-4, atol=1e-5)


def test_user_errors_have_clear_messages():
    with pytest.raises(ValueError, match=r"cannot squeeze axis 1 .* size is 4"):
        ops.squeeze(A, axis=1)
    with pytest.raises(ValueError, match=r"cannot reshape .*\(3, 4\).* to \(5, 2\)"):
        ops.reshape(A, (5, 2))
    with pytest.raises(ValueError, match=r"does not split into 3 equal sections"):
        ops.split(A, 3, axis=1)
    with pytest.raises(ValueError, match=r"pass both `x1` and `x2`"):
        ops.where(A > 0, A)
    with pytest.raises(ValueError, match=r"unsupported mode 'mean'"):
        ops.pad(A, 1, mode="mean")
    with pytest.raises(ValueError, match=r"`constant_values` only applies"):
        ops.pad(A, 1, mode="edge", constant_values=1)
    with pytest.raises(ValueError, match=r"pad_width .* does not fit a tensor of rank 2"):
        ops.pad(A, ((1, 1), (1, 1), (1, 1)))
    with pytest.raises(ValueError, match=r"cannot broadcast shape \(4,\) to \(3,\)"):
        ops.broadcast_to(A[0], (3,))
    with pytest.raises(ValueError, match=r"shapes \[\(3, 4\), \(4, 3\)\] cannot be joined"):
        ops.concatenate([A, A.T], axis=0)
    with pytest.raises(ValueError, match=r"one shape"):
        ops.stack([A, A.T])
    with pytest.raises(ValueError, match=r"matmul: shapes \(3, 4\) and \(3, 4\)"):
        ops.matmul(A, B)
    with pytest.raises(ValueError, match=r"axis 5 is out of bounds .* rank 2"):
        ops.argmax(A, axis=5)
    with pytest.raises(IndexError, match=r"index 12 is out of bounds for an axis of size 12"):
        ops.take(A, [12])
    with pytest.raises(ValueError, match=r"take_along_axis: indices .* rank of x"):
        ops.take_along_axis(A, np.array([0]), axis=1)
    with pytest.raises(ValueError, match=r"empty tensor .* pass `initial=`"):
        ops.max(np.zeros((0,), np.float32))
    with pytest.raises(ValueError, match=r"unknown method 'cubic'"):
        ops.quantile(A, 0.5, method="cubic")
    with pytest.raises(ValueError, match=r"diag takes a 1-D or 2-D tensor"):
        ops.diag(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match=r"not a permutation"):
        ops.transpose(A, (0, 0))
    with pytest.raises(ValueError, match=r"1-D weights .* need an `axis`"):
        ops.average(A, weights=POS[0])
    with pytest.raises(ValueError, match=r"select: condlist has 1 entries but choicelist has 2"):
        ops.select([A > 0], [A, B])
    with pytest.raises(ValueError, match=r"cross supports 3-vectors"):
        ops.cross(A, B)
    with pytest.raises(ValueError, match=r"bincount supports 1-D input"):
        ops.bincount(INT)
    with pytest.raises(ValueError, match=r"side must be 'left' or 'right'"):
        ops.searchsorted([1], [1], side="middle")
    with pytest.raises(ValueError, match=r"indexing must be 'xy' or 'ij'"):
        ops.meshgrid([1], indexing="yx")
    with pytest.raises(NotImplementedError, match=r"keras.ops.bincount\(sparse=True\)"):
        ops.bincount([1], sparse=True)
    with pytest.raises(NotImplementedError, match=r"keras.ops.no_such_op"):
        ops.no_such_op  # noqa: B018


def test_arange_step_none_means_one():
    # Keras 3.15's signature is arange(start, stop=None, step=None, dtype=None).
    assert ops.arange(0, 5, None).tolist() == list(np.arange(0, 5))
    assert ops.arange(5, step=None).dtype == torch.int32
    got = ops.arange(1.0, 3, None)
    assert got.dtype == torch.float32 and got.tolist() == [1.0, 2.0]
