"""fuzzops2 sweep: tf.math.igamma/igammac domain edges, tf.histogram_fixed_width_bins.

Expected values come from TensorFlow 2.21 (CPU).
"""

import math

import pytest

import tork as tf

NAN = math.nan
INF = math.inf


def _same(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g == w or (math.isnan(g) and math.isnan(w)) or abs(g - w) < 1e-6, (got, want)


A = [-1.0, 0.0, 0.0, 1.0, 2.0, NAN, 1.0, 0.5, INF, 2.0]
X = [0.0, 0.0, 1.0, -1.0, 0.0, 0.0, NAN, INF, 1.0, INF]


def test_igamma_domain():
    # tork gave P(0, 1) = 1 (torch's convention); TF gives NaN for a <= 0 unless x == 0.
    got = tf.math.igamma(tf.constant(A), tf.constant(X)).tolist()
    _same(got, [0.0, 0.0, NAN, NAN, 0.0, 0.0, NAN, 1.0, 0.0, 1.0])


def test_igammac_domain():
    got = tf.math.igammac(tf.constant(A), tf.constant(X)).tolist()
    _same(got, [NAN, NAN, NAN, NAN, 1.0, NAN, NAN, 0.0, 1.0, 0.0])


def test_igamma_regular_values_unchanged():
    got = tf.math.igamma(tf.constant([0.5, 2.0, 3.0]), tf.constant([0.5, 1.0, 4.0])).tolist()
    # scipy.special.gammainc
    _same(got, [0.6826894921, 0.2642411177, 0.7618966944])


def test_histogram_fixed_width_bins_float32_edges():
    # Silent wrong result before: float64 arithmetic put 0.7 in bin 6 and 0.9 in bin 8.
    x = tf.constant([0.3, 0.7, 0.1, 0.2, 0.9, 0.6], tf.float32)
    out = tf.histogram_fixed_width_bins(x, [0.0, 1.0], nbins=10)
    assert out.tolist() == [3, 7, 1, 2, 9, 6]
    x = tf.constant([0.3, 0.7, 0.1, 0.2, 0.9, 0.6, 2.0], tf.float32)
    assert tf.histogram_fixed_width_bins(x, [0.1, 0.7], nbins=6).tolist() == [2, 5, 0, 1, 5, 5, 5]


def test_histogram_fixed_width_bins_is_int32_whatever_dtype():
    # TF ignores `dtype` here (the bins are always int32).
    x = tf.constant([-1.0, 0.0, 0.5, 2.0])
    out = tf.histogram_fixed_width_bins(x, [0.0, 1.0], nbins=3, dtype=tf.int64)
    assert out.dtype == tf.int32
    assert out.tolist() == [0, 0, 1, 2]


def test_floordiv_float_is_floor_of_quotient():
    # Silent wrong result before: torch's (Python's) float floor division gave 69 for
    # 7.0 // 0.1 and -1 for -1 // inf; TF's FloorDiv is floor(x / y).
    x = tf.constant([7.0, -7.0, -1.0, 1.0, 5.0, 7.3], tf.float32)
    y = tf.constant([0.1, 0.1, INF, -INF, 0.0, -2.0], tf.float32)
    got = tf.math.floordiv(x, y).tolist()
    assert got == [70.0, -70.0, -0.0, -0.0, INF, -4.0]
    assert math.copysign(1.0, got[2]) == -1.0
    assert tf.math.floordiv(tf.constant([-7, 7]), 2).tolist() == [-4, 3]


def test_saturate_cast_int_to_float16_clips_to_largest_half():
    # tork gave inf; TF clips to +-65504.
    got = tf.saturate_cast(tf.constant([0, 70000, -70000]), tf.float16)
    assert got.dtype == tf.float16
    assert got.tolist() == [0.0, 65504.0, -65504.0]
    got = tf.saturate_cast(tf.constant([2**40, -(2**40)], tf.int64), tf.float16)
    assert got.tolist() == [65504.0, -65504.0]
    assert tf.saturate_cast(tf.constant([1e5, -1e5]), tf.float16).tolist() == [65504.0, -65504.0]


def test_uint16_binary_ops():
    # tork raised torch's "add_stub not implemented for 'UInt16'" (and lt_cpu, ...).
    a = tf.constant([0, 65535, 7, 200], tf.uint16)
    b = tf.constant([1, 1, 2, 3], tf.uint16)
    expected = {
        "add": [1, 0, 9, 203],
        "subtract": [65535, 65534, 5, 197],
        "multiply": [0, 65535, 14, 600],
        "maximum": [1, 65535, 7, 200],
        "minimum": [0, 1, 2, 3],
        "floordiv": [0, 65535, 3, 66],
        "floormod": [0, 0, 1, 2],
    }
    for op, want in expected.items():
        got = getattr(tf.math, op)(a, b)
        assert got.dtype == tf.uint16, op
        assert got.tolist() == want, op
    assert tf.math.less(a, b).tolist() == [True, False, False, False]
    assert tf.math.greater_equal(a, b).tolist() == [False, True, True, True]
    assert tf.truncatediv(a, b).tolist() == [0, 65535, 3, 66]
    assert tf.math.divide(a, b).tolist() == [0.0, 65535.0, 3.5, 66.66666412353516]


def test_exclusive_scan_over_empty_axis():
    # tork raised "start (0) + length (1) exceeds dimension size (0)".
    out = tf.math.cumsum(tf.zeros([2, 0], tf.int8), axis=-1, exclusive=True, reverse=True)
    assert tuple(out.shape) == (2, 0)
    assert tuple(tf.math.cumprod(tf.zeros([0, 3]), axis=0, exclusive=True).shape) == (0, 3)


def test_xlog1py_zero_x_with_nan_y():
    got = tf.math.xlog1py(tf.constant([0.0, 0.0, 1.0]), tf.constant([-1.0, NAN, -1.0])).tolist()
    assert got == [0.0, 0.0, -INF]


def test_angle_of_real_nan_is_zero():
    # TF's real angle is where(x < 0, pi, 0).
    got = tf.math.angle(tf.constant([NAN, -0.0, -1.0])).tolist()
    _same(got, [0.0, 0.0, 3.1415927410125732])
    assert tf.math.angle(tf.constant([-1.0], tf.float64)).dtype == tf.float64


def test_is_non_decreasing_and_strictly_increasing():
    # Missing in tork before (TorkNotImplementedError).
    assert bool(tf.math.is_non_decreasing(tf.constant([1, 2, 2])))
    assert not bool(tf.math.is_strictly_increasing(tf.constant([1, 2, 2])))
    assert bool(tf.math.is_non_decreasing(tf.constant([], tf.float32)))
    assert bool(tf.math.is_strictly_increasing(tf.constant([[1, 2], [3, 4]])))
    assert bool(tf.math.is_strictly_increasing(5))
    assert not bool(tf.math.is_non_decreasing(tf.constant([1.0, NAN])))
    with pytest.raises(TypeError, match="real numeric tensor"):
        tf.math.is_non_decreasing(["a"])


def test_approx_max_k_min_k():
    x = tf.constant([[1.0, 5.0, 5.0, 2.0], [9.0, 0.0, 4.0, 4.0]])
    values, indices = tf.math.approx_max_k(x, 3)
    # TF 2.21 CPU: ties keep the lower index first.
    assert values.tolist() == [[5.0, 5.0, 2.0], [9.0, 4.0, 4.0]]
    assert indices.tolist() == [[1, 2, 3], [0, 2, 3]]
    assert indices.dtype == tf.int32
    values, indices = tf.math.approx_min_k(x, 2)
    assert values.tolist() == [[1.0, 2.0], [0.0, 4.0]]
    assert indices.tolist() == [[0, 3], [1, 2]]
    col = tf.math.approx_max_k(tf.transpose(x), 1, reduction_dimension=0)
    assert col.values.tolist() == [[5.0, 9.0]]
    assert col.indices.tolist() == [[1, 0]]


def test_xlog1py_gradient_is_zero_where_x_is_zero():
    # TF 2.21: d/dy xlog1py(0, nan) = 0 (tork leaked NaN through torch.where).
    y = tf.Variable([NAN, 1.0])
    with tf.GradientTape() as tape:
        out = tf.reduce_sum(tf.math.xlog1py(tf.constant([0.0, 1.0]), y) * tf.constant([1.0, 2.0]))
    assert tape.gradient(out, y).tolist() == [0.0, 1.0]


def test_digamma_polygamma_poles_and_zeta_at_infinity():
    # TF 2.21: NaN at digamma's poles (torch: -inf at 0, inf at -0), polygamma NaN at the
    # poles for even orders and inf for odd ones, zeta(x, inf) = 0 (torch: NaN).
    got = tf.math.digamma(tf.constant([0.0, -0.0, -1.0, -2.5, INF, -INF])).tolist()
    _same(got, [NAN, NAN, NAN, 1.1031568050384521, INF, NAN])
    a = tf.constant([0.0, 1.0, 2.0, 3.0, 1.0, 0.0, 1.5, -1.0])
    x = tf.constant([0.0, 0.0, 0.0, -1.0, -2.5, -3.0, 1.0, 1.0])
    got = tf.math.polygamma(a, x).tolist()
    assert math.isnan(got[0]) and got[1] == INF and math.isnan(got[2]) and got[3] == INF
    assert abs(got[4] - 9.539246559143066) < 1e-4
    assert all(math.isnan(v) for v in got[5:])
    got = tf.math.zeta(
        tf.constant([2.0, 3.0, 1.0, 0.5]), tf.constant([INF, 1.0, 1.0, 1.0])
    ).tolist()
    _same(got[:2], [0.0, 1.2020570039749146])
    assert got[2] == INF and math.isnan(got[3])
