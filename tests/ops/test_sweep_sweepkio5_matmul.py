"""tf.matmul shape errors are tf.errors.InvalidArgumentError, as TF's eager kernel raises
(keras.io "Keras debugging tips": concatenating on the wrong axis)."""

import pytest

import tork as tf


def test_inner_dimension_mismatch_is_invalid_argument_error():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.matmul(tf.ones((4, 5)), tf.ones((10, 5)))
    assert str(info.value) == (
        "matmul: cannot multiply shapes (4, 5) and (10, 5) (after transposes): the inner "
        "dimensions 5 and 10 differ."
    )
    assert isinstance(info.value, ValueError)  # `except ValueError` still catches it


def test_batch_mismatch_is_invalid_argument_error():
    with pytest.raises(tf.errors.InvalidArgumentError, match="batch dimensions do not broadcast"):
        tf.matmul(tf.ones((2, 4, 5)), tf.ones((3, 5, 5)))
