"""tf.experimental.numpy against TensorFlow 2.21 (helper fuzzops3, differential fuzzing).

Every expected value below was printed by TF 2.21's `tf.experimental.numpy` (CPU, no
`experimental_enable_numpy_behavior`); the generators are in /tmp/fuzzops3/cases7.py and
probe_tnp.py.
"""

import numpy as np
import pytest
import torch

import tork.experimental.numpy as tnp


def _check(result, expected, dtype):
    assert result.dtype == dtype
    np.testing.assert_allclose(np.asarray(result), np.asarray(expected))


def test_empty_ranges_are_empty():
    # TF: arange(1, 0) -> [] int64; arange(-1.0, 1, -1.0) -> [] float64; arange(5, 1, -2) -> [5, 3]
    _check(tnp.arange(1, 0), np.zeros(0), torch.int64)
    _check(tnp.arange(-1.0, 1, -1.0), np.zeros(0), torch.float64)
    _check(tnp.arange(2.5, 1), np.zeros(0), torch.float64)
    _check(tnp.arange(0), np.zeros(0), torch.int64)
    _check(tnp.arange(5, 1, -2), [5, 3], torch.int64)


def test_max_min_of_empty_give_identities():
    x = np.zeros((2, 0, 3), np.float32)
    # TF: amax -> -inf; max(axis=0) -> shape (0, 3); max(axis=1) -> -inf of shape (2, 3)
    _check(tnp.amax(x), -np.inf, torch.float32)
    assert tuple(tnp.max(x, axis=0).shape) == (0, 3)
    _check(tnp.max(x, axis=1), np.full((2, 3), -np.inf), torch.float32)
    _check(tnp.ptp(x, keepdims=True), np.full((1, 1, 1), -np.inf), torch.float32)
    _check(tnp.amin(np.zeros(0)), np.inf, torch.float64)
    # TF: int32 -> the dtype's extremes
    _check(tnp.amax(np.zeros(0, np.int32)), -(2**31), torch.int32)
    _check(tnp.amin(np.zeros(0, np.int32)), 2**31 - 1, torch.int32)
    _check(tnp.amax(np.array([3.0, 1.0])), 3.0, torch.float64)


def test_reductions_take_dtype():
    x = np.array([1.5, 2.5])
    # TF casts the input to `dtype` first: mean -> 1 (int32), var -> 0, nanmean -> 1.5 float64
    _check(tnp.mean(x, dtype=np.int32), 1, torch.int32)
    _check(tnp.sum(x, dtype=np.int32), 3, torch.int32)
    _check(tnp.prod(x, dtype=np.int32), 2, torch.int32)
    _check(tnp.var(x, dtype=np.int32), 0, torch.int32)
    _check(tnp.nansum(x, dtype=np.int32), 3, torch.int32)
    _check(tnp.nanprod(x, dtype=np.int32), 2, torch.int32)
    _check(tnp.nanmean(x, dtype=np.int32), 1.5, torch.float64)
    _check(tnp.cumsum(x, dtype=np.int32), [1, 3], torch.int32)
    _check(tnp.mean(np.array([1, 2]), dtype=tnp.float64), 1.5, torch.float64)


def test_clip_with_one_bound_none():
    # TF: clip([-2., 3.], None, 1) -> [-2., 1.]; clip(.., 0, None) -> [0., 3.]
    _check(tnp.clip(tnp.asarray([-2.0, 3.0]), None, 1), [-2.0, 1.0], torch.float64)
    _check(tnp.clip(tnp.asarray([-2.0, 3.0]), 0, None), [0.0, 3.0], torch.float64)
    _check(tnp.clip(np.array([1, 5, 9]), np.array([2, 6, 1]), 8), [2, 6, 8], torch.int64)
    with pytest.raises(ValueError, match="cannot both be None"):
        tnp.clip(np.array([1.0]), None, None)


def test_trace_keeps_the_dtype():
    # TF: int32 -> 12 int32, int8 -> 2 int8, float16 -> 2.0 float16, offset=1 of int64 -> 18
    _check(tnp.trace(np.arange(9, dtype=np.int32).reshape(3, 3)), 12, torch.int32)
    _check(tnp.trace(np.ones((2, 2), np.int8)), 2, torch.int8)
    _check(tnp.trace(np.ones((2, 2), np.float16)), 2.0, torch.float16)
    _check(tnp.trace(np.arange(12).reshape(3, 4), offset=1), 18, torch.int64)


def test_take_clips_out_of_range_indices():
    a = np.arange(9, dtype=np.int32).reshape(3, 3)
    # TF's default mode is 'clip': -1 -> 0 and 20 -> 8 (NumPy would wrap -1 to 8)
    _check(tnp.take(a, [0, -1]), [0, 0], torch.int32)
    _check(tnp.take(a, [0, -1, 20]), [0, 0, 8], torch.int32)
    _check(tnp.take(a, [0, -1, 20], mode="wrap"), [0, 8, 2], torch.int32)
    _check(tnp.take(a, [-1, 5], axis=1), [[0, 2], [3, 5], [6, 8]], torch.int32)
    _check(tnp.take(a, [[0, -1], [2, 1]], axis=0), a[[[0, 0], [2, 1]]], torch.int32)
    _check(tnp.take(a, 2), 2, torch.int32)
    with pytest.raises(ValueError, match="'clip' or 'wrap'"):
        tnp.take(a, [0], mode="raise")


def test_true_divide_of_integers():
    # TF: int8/int16/uint8 -> float32, int32/int64 -> float64
    _check(tnp.divide(np.array([1], np.int16), np.array([3], np.int16)), [1 / 3], torch.float32)
    _check(tnp.divide(np.array([1], np.uint8), 3), [1 / 3], torch.float32)
    _check(tnp.true_divide(np.array([1, 2], np.int8), 3), [1 / 3, 2 / 3], torch.float32)
    _check(tnp.divide(np.array([1], np.int32), 3), [1 / 3], torch.float64)
    _check(tnp.true_divide(np.array([1], np.int8), np.array([1], np.int32)), [1.0], torch.float64)
    _check(tnp.divide(np.array([True]), np.array([True])), [1.0], torch.float64)
    _check(tnp.divide(np.array([1.0], np.float32), 4), [0.25], torch.float32)


def test_cross_of_two_vectors():
    # TF: cross([1, 2], [3, 4]) -> -2; ([1, 2], [3, 4, 5]) -> [10, -5, -2]
    _check(tnp.cross(np.array([1, 2]), np.array([3, 4])), -2, torch.int64)
    _check(tnp.cross(np.array([1, 2]), np.array([3, 4, 5])), [10, -5, -2], torch.int64)
    _check(tnp.cross(np.array([[1, 2], [0, 1]]), np.array([3, 4])), [-2, -3], torch.int64)
    _check(
        tnp.cross(np.array([[1, 2], [3, 4]]), np.array([5, 6, 7])),
        [[14, -7, -4], [28, -21, -2]],
        torch.int64,
    )
    _check(tnp.cross(np.array([1.0, 0, 0]), np.array([0.0, 1, 0])), [0, 0, 1], torch.float64)
    with pytest.raises(ValueError, match="2 or 3 elements"):
        tnp.cross(np.ones(4), np.ones(3))


def test_keyword_arguments_numpy_code_passes():
    # TF: argsort(kind='stable') -> [2, 0, 1]; angle(deg=True) -> [90, 180]
    _check(tnp.argsort(np.array([1, 1, 0]), kind="stable"), [2, 0, 1], torch.int64)
    _check(tnp.angle(np.array([1j, -1]), deg=True), [90.0, 180.0], torch.float64)
    avg, total = tnp.average(
        np.array([[1.0, 2.0], [3.0, 4.0]]), axis=0, weights=np.array([1.0, 3.0]), returned=True
    )
    # TF: ([2.5, 3.5], [4., 4.])
    _check(avg, [2.5, 3.5], torch.float64)
    _check(total, [4.0, 4.0], torch.float64)
    avg, count = tnp.average(np.array([1.0, 2.0]), returned=True)
    _check(avg, 1.5, torch.float64)
    _check(count, 2.0, torch.float64)


def test_compress_polyval_ix_diag_indices():
    # TF: compress([T, F, T], [[1,2,3],[4,5,6]], axis=1) -> [[1, 3], [4, 6]]; ([0, 1], 2x2) -> [2]
    x = np.array([[1, 2, 3], [4, 5, 6]])
    _check(tnp.compress(np.array([True, False, True]), x, axis=1), [[1, 3], [4, 6]], torch.int64)
    _check(tnp.compress([0, 1], np.array([[1, 2], [3, 4]])), [2], torch.int64)
    # TF: polyval([1, 2, 3], [2, 3]) -> [11, 18] int64; polyval([1., 2.], 2) -> 4.0
    _check(tnp.polyval(np.array([1, 2, 3]), np.array([2, 3])), [11, 18], torch.int64)
    _check(tnp.polyval([1.0, 2.0], 2), 4.0, torch.float64)
    # TF: ix_([0, 1], [True, False, True]) -> [[[0], [1]], [[0, 2]]]
    rows, cols = tnp.ix_(np.array([0, 1]), np.array([True, False, True]))
    _check(rows, [[0], [1]], torch.int64)
    _check(cols, [[0, 2]], torch.int64)
    # TF: diag_indices(2, 3) -> three int32 [0, 1]
    indices = tnp.diag_indices(2, 3)
    assert len(indices) == 3
    for index in indices:
        _check(index, [0, 1], torch.int32)


def test_floor_divide_of_floats_follows_tf():
    # TF: floor_divide([-inf, inf, 5, -5, 7], [2, 2, 0, 0, 0.1]) -> [-inf, inf, inf, -inf, 70]
    # (NumPy gives NaN, NaN and 69 where TF gives -inf, inf and 70)
    out = tnp.floor_divide(
        np.array([-np.inf, np.inf, 5.0, -5.0, 7.0]), np.array([2.0, 2.0, 0.0, 0.0, 0.1])
    )
    _check(out, [-np.inf, np.inf, np.inf, -np.inf, 70.0], torch.float64)
    _check(tnp.floor_divide(np.array([7, -7]), 2), [3, -4], torch.int64)
    quotient, remainder = tnp.divmod(np.array([7.0, -7.0]), np.array([2.0, 2.0]))
    _check(quotient, [3.0, -4.0], torch.float64)
    _check(remainder, [1.0, 1.0], torch.float64)
