"""uint16/uint32/uint64 reductions and tf.math comparisons (torch has no kernels for them).

Expected values computed with TensorFlow 2.21 (CPU) on the same inputs.
"""

import numpy as np
import pytest

import tork as tf

BIG = {"uint16": 65535, "uint32": 4294967295, "uint64": 18446744073709551615}


def _pair(name):
    dt = getattr(tf, name)
    x = np.array([[3, 7, BIG[name]], [5, 2, 9]], np.uint64).astype(name)
    y = np.array([[2, 7, 4], [6, 2, BIG[name]]], np.uint64).astype(name)
    return tf.constant(x, dt), tf.constant(y, dt)


def _list(t):
    return np.asarray(t).tolist()


# TF: reduce_sum(x, 1), reduce_max(x, 0), reduce_min(x, 1), reduce_prod(x, 1).
TF_REDUCTIONS = {
    "uint16": ([9, 16], [5, 7, 65535], [3, 2], [65515, 90]),
    "uint32": ([9, 16], [5, 7, 4294967295], [3, 2], [4294967275, 90]),
    "uint64": ([9, 16], [5, 7, 18446744073709551615], [3, 2], [18446744073709551595, 90]),
}


@pytest.mark.parametrize("name", ["uint16", "uint32", "uint64"])
def test_unsigned_reductions_match_tf(name):
    x, _ = _pair(name)
    sums, maxes, mins, prods = TF_REDUCTIONS[name]
    for out, want in [
        (tf.reduce_sum(x, 1), sums),
        (tf.reduce_max(x, 0), maxes),
        (tf.reduce_min(x, 1), mins),
        (tf.math.reduce_prod(x, 1), prods),
    ]:
        assert out.dtype == getattr(tf, name)
        assert _list(out) == want
    assert _list(tf.reduce_sum(x)) == 25


@pytest.mark.parametrize("name", ["uint16", "uint32", "uint64"])
def test_unsigned_comparisons_match_tf(name):
    x, y = _pair(name)
    assert _list(tf.less(x, y)) == [[False, False, False], [True, False, True]]
    assert _list(tf.greater_equal(x, y)) == [[True, True, True], [False, True, False]]
    assert _list(tf.equal(x, y)) == [[False, True, False], [False, True, False]]
    assert _list(tf.maximum(x, y)) == [[3, 7, BIG[name]], [6, 2, BIG[name]]]


def test_uint64_above_2_63_is_exact():
    # TF: values above 2**63 compare, add and reduce modulo 2**64.
    x = tf.constant(np.array([2**63 + 5, 2**64 - 1, 3], np.uint64))
    y = tf.constant(np.array([2**63 + 6, 2, 3], np.uint64))
    assert _list(tf.add(x, y)) == [11, 1, 6]
    assert _list(tf.subtract(x, y)) == [2**64 - 1, 2**64 - 3, 0]
    assert _list(tf.maximum(x, y)) == [9223372036854775814, 2**64 - 1, 3]
    assert _list(tf.minimum(x, y)) == [9223372036854775813, 2, 3]
    assert _list(tf.less(x, y)) == [True, False, False]
    assert _list(tf.greater(x, y)) == [False, True, False]
    assert _list(tf.less_equal(x, y)) == [True, False, True]
    assert _list(tf.reduce_max(x)) == 2**64 - 1
    assert _list(tf.reduce_min(x)) == 3
    assert _list(tf.reduce_sum(x)) == 9223372036854775815
    assert _list(tf.reduce_prod(x)) == 9223372036854775793


def test_unsigned_empty_and_keepdims_match_tf():
    empty32 = tf.zeros((0,), tf.uint32)
    assert _list(tf.reduce_max(empty32)) == 0
    assert _list(tf.reduce_min(empty32)) == 4294967295
    assert _list(tf.reduce_min(tf.zeros((0,), tf.uint64))) == 2**64 - 1
    wrapped = tf.reduce_sum(tf.constant([[60000, 6000]], tf.uint16), axis=1, keepdims=True)
    assert _list(wrapped) == [[464]]


@pytest.mark.parametrize("name", ["uint16", "uint32", "uint64"])
def test_unsigned_top_k_and_argmax_match_tf(name):
    big = BIG[name]
    x = tf.constant(np.array([[3, big, 7, 2], [big - 1, 2, 9, 9]], np.uint64).astype(name))
    result = tf.math.top_k(x, 2)
    assert result.values.dtype == getattr(tf, name)
    assert _list(result.values) == [[big, 7], [big - 1, 9]]
    assert _list(result.indices) == [[1, 2], [0, 2]]
    assert _list(tf.argmax(x, 1)) == [1, 0]
    assert _list(tf.argmin(x, 1)) == [3, 1]
    assert _list(tf.argmax(x, 0, output_type=tf.int32)) == [1, 0, 1, 1]


@pytest.mark.parametrize("name", ["uint16", "uint32", "uint64"])
def test_unsigned_segment_ops_match_tf(name):
    big = BIG[name]
    x = tf.constant(np.array([[3, big], [big - 1, 2], [9, 9]], np.uint64).astype(name))
    assert _list(tf.math.segment_sum(x, [0, 0, 2])) == [[1, 1], [0, 0], [9, 9]]
    assert _list(tf.math.segment_prod(x, [0, 0, 2])) == [[big - 5, big - 1], [1, 1], [9, 9]]
    assert _list(tf.math.segment_max(x, [0, 0, 2])) == [[big - 1, big], [0, 0], [9, 9]]
    assert _list(tf.math.segment_min(x, [0, 0, 2])) == [[3, 2], [0, 0], [9, 9]]
    assert _list(tf.math.unsorted_segment_sum(x, [1, 1, 3], 4)) == [[0, 0], [1, 1], [0, 0], [9, 9]]
    assert _list(tf.math.unsorted_segment_max(x, [1, 0, 1], 3)) == [[big - 1, 2], [9, big], [0, 0]]
    assert _list(tf.math.unsorted_segment_min(x, [1, 0, 1], 3)) == [
        [big - 1, 2],
        [3, 9],
        [big, big],
    ]
    assert _list(tf.math.unsorted_segment_prod(x, [1, 0, 1], 3)) == [
        [big - 1, 2],
        [27, big - 8],
        [1, 1],
    ]


@pytest.mark.parametrize("name", ["uint16", "uint32", "uint64"])
def test_unsigned_scans_wrap_as_tf(name):
    big = BIG[name]
    x = tf.constant(np.array([[3, big, 7], [big - 1, 2, 9]], np.uint64).astype(name))
    assert _list(tf.cumsum(x, 1)) == [[3, 2, 9], [big - 1, 0, 9]]
    assert _list(tf.cumsum(x, 1, exclusive=True, reverse=True)) == [[6, 7, 0], [11, 9, 0]]
    assert _list(tf.math.cumprod(x, 0)) == [[3, big, 7], [big - 5, big - 1, 63]]
    assert _list(tf.math.cumprod(x, 1, exclusive=True)) == [[1, 3, big - 2], [1, big - 1, big - 3]]


def test_uint64_floordiv_names_the_gap():
    # TF computes uint64 floordiv/floormod; torch has no kernel: a clear error, not torch's.
    x = tf.constant(np.array([7], np.uint64))
    with pytest.raises(NotImplementedError, match=r"floordiv is not available for uint64.*int64"):
        tf.math.floordiv(x, x)
    with pytest.raises(NotImplementedError, match=r"floormod is not available for uint64"):
        tf.math.floormod(x, x)
