"""Dtypes TensorFlow gives nested Python values holding NumPy scalars and arrays.

Every expected dtype and value below was printed by TensorFlow 2.21 (tensorflow-cpu,
plain `import tensorflow as tf`) in the reference environment: TensorFlow lets the first
leaf of a list set the float width, reads NumPy arrays inside a list by their elements,
and refuses finite Python floats too large for the inferred width.
"""

import numpy as np
import pytest
import torch

import tork as tf

# (value, TensorFlow's dtype, TensorFlow's values) from tf.constant(value).
CASES = [
    ([np.float64(1.0), 2.0], torch.float64, [1.0, 2.0]),
    ([[np.float64(1.0)]], torch.float64, [[1.0]]),
    ([np.float16(1)], torch.float16, [1.0]),
    ([1.0, np.float64(2.0)], torch.float32, [1.0, 2.0]),
    ([np.float64(1.0), 2], torch.float64, [1.0, 2.0]),
    ([1, np.float64(2.0)], torch.float32, [1.0, 2.0]),
    ([np.float16(1), np.float64(2.0)], torch.float16, [1.0, 2.0]),
    ([np.float64(1), np.float16(2.0)], torch.float64, [1.0, 2.0]),
    ([np.float32(1), np.float64(2)], torch.float32, [1.0, 2.0]),
    ([[1], [np.float64(2.0)]], torch.float32, [[1.0], [2.0]]),
    ([[np.float64(2.0)], [1]], torch.float64, [[2.0], [1.0]]),
    ([[np.float64(1.0), 2.0], [3.0, 4.0]], torch.float64, [[1.0, 2.0], [3.0, 4.0]]),
    ([np.float64(1), True], torch.float64, [1.0, 1.0]),
    ([np.int64(1), 2], torch.int32, [1, 2]),
    ([np.int64(2**40), 1], torch.int64, [2**40, 1]),
    ([np.int64(1), 2.5], torch.float32, [1.0, 2.5]),
    ([np.array([1.0]), np.array([2.0])], torch.float64, [[1.0], [2.0]]),
    ([np.array([1.0], np.float32), np.array([2.0])], torch.float32, [[1.0], [2.0]]),
    ([np.array([1]), np.array([2])], torch.int32, [[1], [2]]),
    ([np.array([1], np.int8)], torch.int32, [[1]]),
    ([np.array([1], np.float16)], torch.float16, [[1.0]]),
    ([np.array([True])], torch.bool, [[True]]),
    ([np.array(1.0), 2.0], torch.float64, [1.0, 2.0]),
    ([np.complex64(1j), 2], torch.complex128, [1j, 2 + 0j]),
    ([np.float64(1), 1e300], torch.float64, [1.0, 1e300]),
]


@pytest.mark.parametrize("value, dtype, expected", CASES, ids=[repr(c[0]) for c in CASES])
def test_constant_first_leaf_sets_the_dtype(value, dtype, expected):
    t = tf.constant(value)
    assert t.dtype == dtype
    np.testing.assert_array_equal(np.asarray(t), np.asarray(expected))


def test_other_entry_points_follow_the_same_rule():
    # TF 2.21: float64 from each; Keras 3 keras.ops.convert_to_tensor agrees.
    value = [np.float64(1.0), 2.0]
    assert tf.convert_to_tensor(value).dtype == torch.float64
    assert tf.Variable(value).dtype == torch.float64
    assert tf.reduce_sum(value).dtype == torch.float64
    assert tf.add([np.float64(1)], [2.0]).dtype == torch.float64
    element = next(iter(tf.data.Dataset.from_tensor_slices(value)))
    assert element.dtype == torch.float64


def test_dtype_hint_still_wins_for_a_numpy_first_leaf():
    # TF 2.21: tf.convert_to_tensor([np.float64(1.0)], dtype_hint=tf.float32) is float32.
    t = tf.convert_to_tensor([np.float64(1.0)], dtype_hint=tf.float32)
    assert t.dtype == torch.float32


@pytest.mark.parametrize(
    "value", [1e300, [1e300], [1.0, 1e300], [np.float32(1), 1e300], [np.float16(1), 70000.0]]
)
def test_finite_float_too_large_for_the_inferred_width_raises(value):
    # TF 2.21: ValueError "Can't convert Python sequence with a value out of range for a
    # double-precision float." (torch alone would silently give inf).
    with pytest.raises(ValueError, match="out of range.*overflows float(32|16).*dtype=tf.float64"):
        tf.constant(value)


def test_large_floats_convert_with_an_explicit_dtype_or_when_they_fit():
    # TF 2.21: an explicit dtype casts (inf for float32); inf/nan pass; 70000.0 fits float32.
    np.testing.assert_array_equal(
        np.asarray(tf.constant([1.0, 1e300], dtype=tf.float32)), [1.0, np.inf]
    )
    assert np.asarray(tf.constant([1.0, 1e300], dtype=tf.float64))[1] == 1e300
    np.testing.assert_array_equal(
        np.asarray(tf.constant([1.0, float("inf"), float("nan")])), [1.0, np.inf, np.nan]
    )
    assert np.asarray(tf.constant([1.0, 70000.0])).tolist() == [1.0, 70000.0]


@pytest.mark.parametrize(
    "value", [[2**63], 2**64, [1, -(2**63) - 1], [np.array([2**63], np.uint64)]]
)
def test_integer_beyond_int64_raises_value_error(value):
    # TF 2.21: ValueError "Can't convert Python sequence with out-of-range integer to Tensor."
    with pytest.raises(ValueError, match="out-of-range integer.*does not fit in int64"):
        tf.constant(value)


def test_integers_at_the_int64_edges_and_with_a_dtype_convert():
    # TF 2.21: -2**63 is int64; 2**63 converts with dtype=tf.uint64 (and to float32).
    assert tf.constant(-(2**63)).dtype == torch.int64
    assert int(tf.constant(-(2**63))) == -(2**63)
    assert tf.constant(2**63, dtype=tf.uint64).dtype == torch.uint64
    assert float(tf.constant(2**63, dtype=tf.float32)) == float(np.float32(2**63))
