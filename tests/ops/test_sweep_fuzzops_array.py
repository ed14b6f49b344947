"""tf.bitcast and tf.saturate_cast (fuzzops sweep: both were missing).

Expected numbers come from TensorFlow 2.21 (CPU, /tmp/tfenv) running the same calls
(/tmp/fuzzops/probe_cast.py).
"""

import numpy as np
import pytest

import tork as tf


def test_saturate_cast_float_to_int():
    x = tf.constant([300.0, -5.0, 3e9, 1.7, -1.7, np.nan, np.inf])
    out = tf.saturate_cast(x, tf.uint8)
    assert out.dtype == tf.uint8
    assert out.tolist() == [255, 0, 255, 1, 0, 0, 255]
    # float32 cannot hold 2**31 - 1: TF saturates at the largest float32 below it.
    out = tf.saturate_cast(tf.constant([300.0, -5.0, 3e9, 1.7, -3e9]), tf.int32)
    assert out.tolist() == [300, -5, 2147483520, 1, -2147483648]


def test_saturate_cast_int_and_float_narrowing():
    assert tf.saturate_cast(tf.constant([300, -5, 70000]), tf.int8).tolist() == [127, -5, 127]
    assert tf.saturate_cast(tf.constant([300, -5, 70000]), tf.uint16).tolist() == [300, 0, 65535]
    assert tf.saturate_cast(tf.constant([255, 0], tf.uint8), tf.int8).tolist() == [127, 0]
    big = tf.saturate_cast(tf.constant([1e40, -1e300], tf.float64), tf.float32)
    assert big.tolist() == [3.4028234663852886e38, -3.4028234663852886e38]
    assert tf.saturate_cast(tf.constant([1e5, -1e5]), tf.float16).tolist() == [65504.0, -65504.0]
    assert tf.saturate_cast(tf.constant([3 + 4j]), tf.float32).tolist() == [3.0]


def test_bitcast_same_smaller_and_larger_sizes():
    assert tf.bitcast(tf.constant([1.0, -2.0]), tf.int32).tolist() == [1065353216, -1073741824]
    assert tf.bitcast(tf.constant([1, 256], tf.int32), tf.uint8).tolist() == [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
    ]
    packed = tf.constant([[1, 0, 0, 0], [0, 1, 0, 0]], tf.uint8)
    assert tf.bitcast(packed, tf.int32).tolist() == [1, 256]
    assert tf.bitcast(tf.constant([1.0], tf.float64), tf.int64).tolist() == [4607182418800017408]
    halves = tf.bitcast(tf.constant([1.0, 2.0]), tf.float16)
    assert halves.tolist() == [[0.0, 1.875], [0.0, 2.0]]
    assert tf.bitcast(tf.constant([[1, 2]], tf.int16), tf.int32).tolist() == [131073]
    assert tf.bitcast(tf.constant(1.0), tf.int32).shape == ()
    assert tf.bitcast(tf.constant(1), tf.uint8).tolist() == [1, 0, 0, 0]


def test_bitcast_errors():
    # TF: "Cannot bitcast from 4 to 3" / bool not in the allowed list.
    with pytest.raises(tf.errors.InvalidArgumentError, match="last dimension must be 4"):
        tf.bitcast(tf.constant([1, 2, 3], tf.uint8), tf.int32)
    with pytest.raises(TypeError, match="bool is not a bitcast dtype"):
        tf.bitcast(tf.constant([1.0]), tf.bool)


def test_dtypes_saturate_cast_alias():
    assert tf.dtypes.saturate_cast([300.0, -5.0], tf.uint8).tolist() == [255, 0]
