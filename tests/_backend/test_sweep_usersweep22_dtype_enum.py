"""Sweep usersweep22: TensorFlow's DataType enum values work as dtypes.

aladdinpersson's DCGAN (ML/TensorFlow/more_advanced/DCGAN/main.py) writes
`tf.ones(batch_size, 1)`: TF reads the `1` as `DT_FLOAT`. Values printed by TF 2.21.
"""

import numpy as np
import pytest

import tork as tf


@pytest.mark.parametrize(
    "enum, dtype",
    [(1, tf.float32), (2, tf.float64), (3, tf.int32), (4, tf.uint8), (9, tf.int64), (10, tf.bool)],
)
def test_as_dtype_of_enum(enum, dtype):
    assert tf.as_dtype(enum) == dtype
    assert tf.as_dtype(np.int64(enum)) == dtype


def test_ones_with_enum_dtype():
    # TF 2.21: tf.ones(4, 1) has shape (4,) and dtype float32.
    ones = tf.ones(4, 1)
    assert tuple(ones.shape) == (4,) and ones.dtype == tf.float32
    assert tf.zeros((2,), 3).dtype == tf.int32
    np.testing.assert_array_equal(tf.cast(tf.constant([1.5]), 3).numpy(), [1])
    assert tf.as_dtype(7) == tf.string


def test_unknown_enum_is_refused():
    with pytest.raises(TypeError, match="not one of TensorFlow's DataType enum values"):
        tf.as_dtype(0)
    with pytest.raises(TypeError, match="Pass a dtype such as tf.float32"):
        tf.ones(2, 11)
    # A Python bool is its own dtype, never enum 1.
    assert tf.as_dtype(True.__class__) == tf.bool


def test_as_datatype_enum_round_trips():
    # TF 2.21: float32 1, int64 9, bool 10, float16 19.
    assert [d.as_datatype_enum for d in (tf.float32, tf.int64, tf.bool, tf.float16)] == [
        1,
        9,
        10,
        19,
    ]
    assert tf.as_dtype(tf.int32.as_datatype_enum) == tf.int32
