"""keras.ops.numpy additions of Keras 3.15 (cbrt, nan*, windows, bitwise...): NumPy/SciPy
references, and dtypes printed by Keras 3.15 (TensorFlow 2.21) on the same inputs."""

import numpy as np
import pytest
import scipy.special
import torch

from tork import keras

ops = keras.ops
RNG = np.random.default_rng(1)
A = RNG.normal(size=(3, 4)).astype(np.float32)
B = RNG.normal(size=(3, 4)).astype(np.float32)
I32 = np.array([3, -1, 4, 0], "int32")
F_NAN = np.array([1.5, -2.0, np.nan, 0.25], "float32")
M = np.arange(12, dtype="float32").reshape(3, 4)


def _np(t):
    return t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)


def _dt(t) -> str:
    return str(t.dtype).replace("torch.", "")


UNARY = [
    ("cbrt", np.cbrt, A), ("deg2rad", np.deg2rad, A), ("rad2deg", np.rad2deg, A),
    ("fabs", np.fabs, A), ("sinc", np.sinc, A), ("i0", np.i0, A), ("signbit", np.signbit, A),
    ("isposinf", np.isposinf, np.array([np.inf, -np.inf, 1.0])),
    ("isneginf", np.isneginf, np.array([np.inf, -np.inf, 1.0])),
    ("fliplr", np.fliplr, A), ("flipud", np.flipud, A), ("angle", np.angle, A),
]  # fmt: skip


@pytest.mark.parametrize("name,ref,x", UNARY, ids=[u[0] for u in UNARY])
def test_unary_matches_numpy(name, ref, x):
    np.testing.assert_allclose(_np(getattr(ops, name)(x)), ref(x), rtol=1e-5, atol=1e-6)


BINARY = [
    ("fmax", np.fmax), ("fmin", np.fmin), ("fmod", np.fmod), ("hypot", np.hypot),
    ("logaddexp2", np.logaddexp2), ("kron", np.kron), ("heaviside", np.heaviside),
]  # fmt: skip


@pytest.mark.parametrize("name,ref", BINARY, ids=[b[0] for b in BINARY])
def test_binary_matches_numpy(name, ref):
    a, b = A.copy(), B.copy()
    a[0, 0], b[1, 1] = np.nan, np.nan
    if name == "heaviside":
        a[2, 2] = 0.0
    np.testing.assert_allclose(_np(getattr(ops, name)(a, b)), ref(a, b), rtol=1e-5, atol=1e-6)


def test_float_ops_on_ints_give_float32_as_keras():
    # Keras 3.15: cbrt/deg2rad/hypot/heaviside/ldexp/logaddexp2/sinc/i0 of int32 -> float32.
    for out in (
        ops.cbrt(I32),
        ops.deg2rad(I32),
        ops.fabs(I32),
        ops.sinc(I32),
        ops.i0(I32),
        ops.angle(I32),
        ops.hypot(I32, I32),
        ops.heaviside(I32, 1),
        ops.ldexp(I32, 2),
        ops.logaddexp2(I32, I32),
        ops.nanmean(I32),
        ops.nanvar(I32),
        ops.trapezoid(I32),
        ops.percentile(I32, 50),
    ):
        assert out.dtype == torch.float32
    f16 = np.array([1.0, 2.5], "float16")
    assert ops.cbrt(f16).dtype == ops.angle(f16).dtype == torch.float16


def test_integer_ops_keep_keras_dtypes():
    u8, i8 = np.array([1, 2, 250], "uint8"), np.array([1, -2, 3], "int8")
    assert _dt(ops.bitwise_and(u8, i8)) == "int16"  # Keras: int16
    np.testing.assert_array_equal(_np(ops.bitwise_and(u8, i8)), [1, 2, 2])
    assert _dt(ops.fmod(i8, u8)) == "int16"
    assert _dt(ops.kron(I32, i8)) == "int32"
    assert _dt(ops.nansum(i8)) == "int32"
    assert _dt(ops.nanprod(I32)) == "int32"
    assert _dt(ops.prod(I32)) == "int32"  # torch alone widens to int64
    assert _dt(ops.nancumsum(np.array([True, False, True]))) == "int32"
    assert _dt(ops.ptp(i8)) == "int8"
    assert _dt(ops.vander(I32, 2)) == "int32"
    assert _dt(ops.argpartition(I32, 1)) == "int32"
    assert _dt(ops.nanargmax(F_NAN)) == "int32"


def test_bitwise_values():
    np.testing.assert_array_equal(_np(ops.bitwise_and(I32, 6)), [2, 6, 4, 0])
    np.testing.assert_array_equal(_np(ops.bitwise_or(I32, 6)), [7, -1, 6, 6])
    np.testing.assert_array_equal(_np(ops.bitwise_xor(I32, 6)), [5, -7, 2, 6])
    np.testing.assert_array_equal(_np(ops.bitwise_not(I32)), [-4, 0, -5, -1])
    np.testing.assert_array_equal(_np(ops.bitwise_invert(I32)), [-4, 0, -5, -1])
    np.testing.assert_array_equal(_np(ops.bitwise_left_shift(I32, 2)), [12, -4, 16, 0])
    np.testing.assert_array_equal(_np(ops.left_shift(I32, 2)), [12, -4, 16, 0])
    np.testing.assert_array_equal(_np(ops.bitwise_right_shift(I32, 1)), [1, -1, 2, 0])
    np.testing.assert_array_equal(_np(ops.right_shift(I32, 1)), [1, -1, 2, 0])
    np.testing.assert_array_equal(_np(ops.gcd(np.array([12, 18]), 8)), [4, 2])
    np.testing.assert_array_equal(_np(ops.lcm(np.array([4, 6]), 10)), [20, 30])


def test_bitwise_rejects_floats():
    with pytest.raises(TypeError, match="keras.ops.bitwise_and needs integer or bool inputs"):
        ops.bitwise_and(np.array([1.0]), 1)
    with pytest.raises(TypeError, match="keras.ops.bitwise_invert needs integer or bool"):
        ops.bitwise_invert(np.array([1.0]))


def test_ldexp_and_nextafter():
    np.testing.assert_allclose(_np(ops.ldexp(np.array([1.0, 2.0]), np.array([2, 3]))), [4, 16])
    with pytest.raises(TypeError, match="ldexp exponent must be an integer type"):
        ops.ldexp(np.array([1.0]), np.array([1.0]))
    one = np.array([1.0], "float32")
    assert _np(ops.nextafter(one, 2.0))[0] == np.nextafter(np.float32(1), np.float32(2))


def test_nan_reductions_match_numpy():
    x = A.copy()
    x[0, 1] = x[2, 3] = x[1, 0] = np.nan
    for name in ("nansum", "nanprod", "nanmean", "nanvar", "nanstd", "nanmax", "nanmin"):
        for axis in (None, 0, 1, (0, 1)):
            np.testing.assert_allclose(
                _np(getattr(ops, name)(x, axis=axis)),
                getattr(np, name)(x, axis=axis),
                rtol=1e-5,
                atol=1e-6,
                err_msg=f"{name} axis={axis}",
            )
    np.testing.assert_allclose(
        _np(ops.nanmedian(x, axis=1, keepdims=True)),
        np.nanmedian(x, axis=1, keepdims=True),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        _np(ops.nanquantile(x, [0.25, 0.5])), np.nanquantile(x, [0.25, 0.5]), rtol=1e-5
    )
    np.testing.assert_allclose(
        _np(ops.nanpercentile(x, 30, axis=0)), np.nanpercentile(x, 30, 0), rtol=1e-5
    )
    np.testing.assert_allclose(_np(ops.nancumsum(x, axis=1)), np.nancumsum(x, axis=1), rtol=1e-5)
    np.testing.assert_allclose(_np(ops.nancumprod(x)), np.nancumprod(x), rtol=1e-5)
    np.testing.assert_array_equal(_np(ops.nanargmax(x, axis=0)), np.nanargmax(x, axis=0))
    np.testing.assert_array_equal(_np(ops.nanargmin(x)), np.nanargmin(x))


def test_all_nan_slices_as_keras():
    x = np.array([[np.nan, np.nan], [2.0, np.nan]])
    # Keras 3.15: nanmax -> [nan, 2.], nanargmax -> [-1, 0], nanmean keepdims -> [[nan], [2.]].
    np.testing.assert_array_equal(_np(ops.nanmax(x, axis=1)), [np.nan, 2.0])
    np.testing.assert_array_equal(_np(ops.nanargmax(x, axis=1)), [-1, 0])
    np.testing.assert_array_equal(_np(ops.nanmean(x, axis=1, keepdims=True)), [[np.nan], [2.0]])


def test_percentile_and_ptp():
    np.testing.assert_allclose(_np(ops.percentile(M, 50, axis=1)), [1.5, 5.5, 9.5])
    np.testing.assert_allclose(_np(ops.percentile(M, [10, 90])), np.percentile(M, [10, 90]))
    assert float(ops.percentile(M, 50, method="nearest")) == 6.0  # Keras 3.15
    np.testing.assert_array_equal(_np(ops.ptp(M, axis=1)), [3, 3, 3])
    with pytest.raises(ValueError, match="keras.ops.percentile: unknown method 'cubic'"):
        ops.percentile(M, 50, method="cubic")


def test_windows_match_numpy():
    for name in ("bartlett", "blackman", "hamming", "hanning"):
        for n in (1, 5, 8):
            out = getattr(ops, name)(n)
            assert out.dtype == torch.float32
            np.testing.assert_allclose(_np(out), getattr(np, name)(n), atol=1e-6)
    np.testing.assert_allclose(_np(ops.kaiser(5, 14.0)), np.kaiser(5, 14.0), atol=1e-6)
    np.testing.assert_allclose(_np(ops.kaiser(1, 14.0)), [1.0])


def test_geomspace():
    np.testing.assert_allclose(_np(ops.geomspace(1, 1000, 4)), [1, 10, 100, 1000], rtol=1e-6)
    np.testing.assert_allclose(
        _np(ops.geomspace(1, 16, 5, endpoint=False)), np.geomspace(1, 16, 6)[:5], rtol=1e-6
    )
    np.testing.assert_allclose(_np(ops.geomspace(-1, -100, 3)), [-1, -10, -100], rtol=1e-6)
    out = ops.geomspace(np.array([1.0, 2.0]), np.array([100.0, 200.0]), 3, axis=1)
    np.testing.assert_allclose(_np(out), [[1, 10, 100], [2, 20, 200]], rtol=1e-6)
    assert ops.geomspace(1, 2, 3).dtype == torch.float32


def test_splits_and_stacks():
    parts = ops.array_split(np.arange(7), 3)
    assert [_np(p).tolist() for p in parts] == [[0, 1, 2], [3, 4], [5, 6]]
    parts = ops.array_split(M, [1, 3], axis=1)
    assert [tuple(p.shape) for p in parts] == [(3, 1), (3, 2), (3, 1)]
    assert [tuple(p.shape) for p in ops.hsplit(M, 2)] == [(3, 2), (3, 2)]
    assert [tuple(p.shape) for p in ops.vsplit(M, 3)] == [(1, 4)] * 3
    parts = ops.dsplit(np.arange(16.0).reshape(2, 2, 4), 2)
    np.testing.assert_array_equal(_np(parts[1]), np.dsplit(np.arange(16.0).reshape(2, 2, 4), 2)[1])
    out = ops.dstack([np.array([1, 2]), np.array([3.0, 4])])
    np.testing.assert_array_equal(_np(out), [[[1, 3], [2, 4]]])
    with pytest.raises(ValueError, match="`indices_or_sections` must be a positive integer"):
        ops.array_split(np.arange(3), 0)
    with pytest.raises(ValueError, match="keras.ops.dsplit needs an input of rank >= 3"):
        ops.dsplit(M, 2)
    with pytest.raises(ValueError, match="keras.ops.fliplr needs an input of rank >= 2"):
        ops.fliplr(np.arange(3))


def test_rot90_diagflat_vander_kron():
    for k in (-1, 1, 2, 3):
        np.testing.assert_array_equal(_np(ops.rot90(M, k)), np.rot90(M, k))
    x3 = np.arange(8).reshape(2, 2, 2)
    np.testing.assert_array_equal(_np(ops.rot90(x3, axes=(1, 2))), np.rot90(x3, axes=(1, 2)))
    np.testing.assert_array_equal(_np(ops.rot90(M, 2, axes=(1, 0))), np.rot90(M, 2, axes=(1, 0)))
    with pytest.raises(ValueError, match="keras.ops.rot90 needs an input of rank >= 2"):
        ops.rot90(np.arange(3))
    with pytest.raises(ValueError, match="`axes` must be two different dimensions"):
        ops.rot90(M, axes=(0, 0))
    np.testing.assert_array_equal(
        _np(ops.diagflat([[1, 2], [3, 4]], k=-1)), np.diagflat([[1, 2], [3, 4]], -1)
    )
    np.testing.assert_array_equal(_np(ops.vander(np.array([1, 2, 3]))), np.vander([1, 2, 3]))
    np.testing.assert_array_equal(
        _np(ops.vander(np.array([1.0, 2.0]), N=3, increasing=True)),
        np.vander([1.0, 2.0], 3, increasing=True),
    )
    with pytest.raises(ValueError, match="keras.ops.vander needs a 1-D input"):
        ops.vander(M)


def test_corrcoef_correlate_trapezoid():
    np.testing.assert_allclose(_np(ops.corrcoef(A)), np.corrcoef(A), rtol=1e-5, atol=1e-6)
    a, v = np.array([1.0, 2, 3, 4, 5]), np.array([0.0, 1, 0.5])
    for mode in ("valid", "same", "full"):
        np.testing.assert_allclose(_np(ops.correlate(a, v, mode)), np.correlate(a, v, mode))
        np.testing.assert_allclose(_np(ops.correlate(v, a, mode)), np.correlate(v, a, mode))
    assert ops.correlate(I32, I32).dtype == torch.float32  # Keras: float32
    with pytest.raises(ValueError, match="keras.ops.correlate: unknown mode 'wide'"):
        ops.correlate(a, v, "wide")
    np.testing.assert_allclose(float(ops.trapezoid(np.array([1.0, 2.0, 3.0]))), 4.0)
    np.testing.assert_allclose(
        float(ops.trapezoid(np.array([1.0, 2.0, 3.0]), x=np.array([0.0, 1.0, 3.0]))), 6.5
    )
    np.testing.assert_allclose(_np(ops.trapezoid(M, dx=0.5, axis=0)), [4, 5, 6, 7])


def test_histogram():
    counts, edges = ops.histogram(np.array([1.0, 2.0, 2.0, 3.0, 4.0]), bins=3)
    ref_c, ref_e = np.histogram([1.0, 2.0, 2.0, 3.0, 4.0], bins=3)
    np.testing.assert_array_equal(_np(counts), ref_c)
    np.testing.assert_allclose(_np(edges), ref_e)
    x = np.array([-2.0, 1.5], "float32")
    counts, edges = ops.histogram(x, bins=2)  # Keras 3.15: both float32
    assert counts.dtype == edges.dtype == torch.float32
    np.testing.assert_allclose(_np(edges), [-2.0, -0.25, 1.5])
    counts, _ = ops.histogram(np.array([1.0, 2, 2, 3, 9]), bins=2, range=(0, 4))
    np.testing.assert_array_equal(_np(counts), [1, 3])
    with pytest.raises(ValueError, match="keras.ops.histogram needs a 1-D input"):
        ops.histogram(M)
    with pytest.raises(ValueError, match="`bins` must be a positive integer"):
        ops.histogram(I32, bins=0)
    with pytest.raises(ValueError, match="`range` must be a tuple of two numbers"):
        ops.histogram(I32, bins=2, range=(1,))


def test_isin_isreal_allclose_empty_like():
    np.testing.assert_array_equal(_np(ops.isin(I32, [4, 0])), np.isin(I32, [4, 0]))
    np.testing.assert_array_equal(
        _np(ops.isin(I32, [4, 0], invert=True)), [True, True, False, False]
    )
    np.testing.assert_array_equal(_np(ops.isreal(np.array([1 + 2j, 3 + 0j]))), [False, True])
    np.testing.assert_array_equal(_np(ops.isreal(A)), np.ones_like(A, bool))
    assert not bool(ops.allclose(F_NAN, F_NAN))
    assert bool(ops.allclose(F_NAN, F_NAN, equal_nan=True))
    e = ops.empty_like(I32, dtype="float16")
    assert tuple(e.shape) == (4,) and e.dtype == torch.float16


def test_argpartition_is_a_partition():
    x = RNG.normal(size=(5, 7)).astype(np.float32)
    for kth in (0, 3, -1):
        idx = _np(ops.argpartition(x, kth, axis=1))
        part = np.take_along_axis(x, idx, axis=1)
        k = kth % 7
        np.testing.assert_array_equal(part[:, k], np.sort(x, axis=1)[:, k])
        assert (part[:, :k] <= part[:, k : k + 1]).all()
        assert (part[:, k + 1 :] >= part[:, k : k + 1]).all()
    with pytest.raises(ValueError, match="kth=4 is out of bounds for axis size 4"):
        ops.argpartition(I32, 4)


def test_unique():
    x = np.array([3, 1, 3, 2])
    np.testing.assert_array_equal(_np(ops.unique(x)), [1, 2, 3])
    values, index, inverse, counts = ops.unique(
        x, return_index=True, return_inverse=True, return_counts=True
    )
    ref = np.unique(x, return_index=True, return_inverse=True, return_counts=True)
    for got, want in zip((values, index, inverse, counts), ref, strict=True):
        np.testing.assert_array_equal(_np(got), want)
    assert index.dtype == inverse.dtype == counts.dtype == torch.int32  # Keras: int32
    rows = np.array([[1, 2], [1, 2], [0, 1]])
    np.testing.assert_array_equal(_np(ops.unique(rows, axis=0)), [[0, 1], [1, 2]])
    np.testing.assert_array_equal(_np(ops.unique(x, size=5, fill_value=-1)), [1, 2, 3, -1, -1])
    np.testing.assert_array_equal(_np(ops.unique(x, size=2)), [1, 2])


def test_unravel_index_and_view():
    rows, cols = ops.unravel_index(np.array([5, 7], "int32"), (3, 4))
    np.testing.assert_array_equal(_np(rows), [1, 1])
    np.testing.assert_array_equal(_np(cols), [1, 3])
    assert rows.dtype == torch.int32
    assert [int(v) for v in ops.unravel_index(7, (3, 4))] == [1, 3]
    assert _np(ops.view(np.array([1.0], "float32"), "int32")).tolist() == [1065353216]
    assert _np(ops.view(np.array([1, 2], "int16"), "int32")).tolist() == [131073]


def test_vectorize():
    double = ops.vectorize(lambda a: a * 2)
    np.testing.assert_array_equal(_np(double(I32)), I32 * 2)
    dot = ops.vectorize(lambda a, b: (a * b).sum(), signature="(n),(n)->()")
    np.testing.assert_allclose(_np(dot(A, B)), (A * B).sum(-1), rtol=1e-5)
    scaled = ops.vectorize(lambda a, s: a * s, excluded={1})
    np.testing.assert_allclose(_np(scaled(A, 3.0)), A * 3.0)
    with pytest.raises(ValueError, match="the signature '\\(n\\)->\\(\\)' names 1 inputs"):
        ops.vectorize(lambda a, b: a, signature="(n)->()")(A, B)


def test_i0_matches_scipy():
    x = np.linspace(-3, 3, 7).astype(np.float32)
    np.testing.assert_allclose(_np(ops.i0(x)), scipy.special.i0(x), rtol=1e-5)


def test_symbolic_use_in_a_functional_model():
    inp = keras.Input((4,))
    out = ops.nansum(ops.cbrt(ops.fmax(inp, 0.0)), axis=1)
    model = keras.Model(inp, out)
    x = np.array([[8.0, -1.0, np.nan, 27.0]], "float32")
    np.testing.assert_allclose(_np(model(x)), [5.0], rtol=1e-6)
    clone = keras.Model.from_config(model.get_config())
    np.testing.assert_allclose(_np(clone(x)), [5.0], rtol=1e-6)
