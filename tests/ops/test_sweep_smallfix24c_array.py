"""tf.concat / tf.stack convert non-tensor inputs to the first tensor's dtype, as TF does.

Expected values and errors come from TensorFlow 2.21 (the reference env), hard-coded here.
"""

import numpy as np
import pytest
import torch

import tork as tf


def _i32():
    return tf.constant([1, 2], dtype=tf.int32)


def test_python_int_list_takes_first_tensor_dtype():
    # TF 2.21: tf.concat([int32, [3]], 0) -> int32 [1, 2, 3]; [5] before an int64 -> int64.
    out = tf.concat([_i32(), [3]], 0)
    assert out.dtype == torch.int32 and out.tolist() == [1, 2, 3]
    out = tf.concat([[5], tf.constant([3], dtype=tf.int64)], 0)
    assert out.dtype == torch.int64 and out.tolist() == [5, 3]


def test_list_holding_an_int64_tensor_is_converted_to_int32():
    # TF 2.21: tf.concat([int32 [1, 2], [int64 scalar 3]], 0) -> int32 [1, 2, 3].
    out = tf.concat([_i32(), [tf.constant(3, dtype=tf.int64)]], 0)
    assert out.dtype == torch.int32 and out.tolist() == [1, 2, 3]


def test_out_of_range_python_ints_wrap_like_tf():
    # TF 2.21: [2**40] joined with int32 -> 0; [-2**40 - 1] -> -1; uint8 with [300] -> 44.
    assert tf.concat([_i32(), [2**40]], 0).tolist() == [1, 2, 0]
    out = tf.concat([_i32(), [-(2**40) - 1]], 0)
    assert out.dtype == torch.int32 and out.tolist() == [1, 2, -1]
    out = tf.concat([tf.constant([1], dtype=tf.uint8), [300]], 0)
    assert out.dtype == torch.uint8 and out.tolist() == [1, 44]


@pytest.mark.parametrize(
    "make",
    [
        lambda: tf.concat([_i32(), [2.5]], 0),
        lambda: tf.concat([_i32(), [2.0]], 0),
        lambda: tf.concat([[2.5], _i32()], 0),
        lambda: tf.concat([tf.constant([[1, 2]]), [[1, 2.5]]], 0),
        lambda: tf.concat([_i32(), [np.float64(2.5)]], 0),
        lambda: tf.stack([_i32(), [2.5, 1]], 0),
        lambda: tf.stack([tf.constant(1), 2.5]),
    ],
)
def test_python_floats_with_int_tensor_raise_type_error(make):
    # TF 2.21: TypeError "Cannot convert [2.5] to EagerTensor of dtype int32" (tork promoted
    # to float32 before: a silent dtype change).
    with pytest.raises(TypeError, match="Cannot convert .* dtype int32"):
        make()


def test_no_tensor_inputs_take_first_entry_dtype():
    # TF 2.21: tf.concat([[1], [2.5]], 0) -> TypeError; [[2.5], [1]] -> float32 [2.5, 1.0].
    with pytest.raises(TypeError, match="Cannot convert .* dtype int32"):
        tf.concat([[1], [2.5]], 0)
    out = tf.concat([[2.5], [1]], 0)
    assert out.dtype == torch.float32 and out.tolist() == [2.5, 1.0]


def test_bool_and_float_first_tensor():
    # TF 2.21: bool with [1] -> TypeError; bool with [True] -> bool; float32 with [True] ->
    # float32 [1.5, 1.0]; float32 with [1] -> float32; float16 with [1e5] -> inf.
    flag = tf.constant([True])
    with pytest.raises(TypeError, match="Cannot convert .* dtype bool"):
        tf.concat([flag, [1]], 0)
    assert tf.concat([flag, [True]], 0).tolist() == [True, True]
    out = tf.concat([tf.constant([1.5]), [True]], 0)
    assert out.dtype == torch.float32 and out.tolist() == [1.5, 1.0]
    assert tf.concat([tf.constant([1.5]), [1]], 0).dtype == torch.float32
    half = tf.concat([tf.constant([1], dtype=tf.float16), [1e5]], 0)
    assert half.dtype == torch.float16 and np.isinf(half.numpy()[1])


def test_complex_python_value_with_real_tensor_raises():
    # TF 2.21: TypeError for [1+2j] joined with int32 or float32.
    with pytest.raises(TypeError, match="Cannot convert"):
        tf.concat([_i32(), [1 + 2j]], 0)
    with pytest.raises(TypeError, match="Cannot convert"):
        tf.concat([tf.constant([1.5]), [1 + 2j]], 0)


def test_numpy_inputs_still_cast_to_first_tensor_dtype():
    # TF 2.21: NumPy arrays are cast (float64 [7.7] -> int32 7; int64 first -> int32).
    assert tf.concat([_i32(), np.array([7.7])], 0).tolist() == [1, 2, 7]
    out = tf.concat([np.array([7], np.int64), _i32()], 0)
    assert out.dtype == torch.int32 and out.tolist() == [7, 1, 2]
    out = tf.concat([_i32(), [np.int64(5)], (6,), []], 0)
    assert out.dtype == torch.int32 and out.tolist() == [1, 2, 5, 6]
