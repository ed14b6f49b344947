"""Python ints out of an integer dtype's range wrap, as in TensorFlow 2.21."""

import pytest

import tork as tf


@pytest.mark.parametrize("fn", [tf.constant, tf.convert_to_tensor])
def test_out_of_range_python_ints_wrap(fn):
    # TF 2.21 (tf.constant and tf.convert_to_tensor alike).
    assert fn(300, dtype=tf.uint8).numpy() == 44
    assert fn(2**31 - 1, dtype=tf.uint8).numpy() == 255
    assert fn(2**31, dtype=tf.int32).numpy() == -(2**31)
    assert fn(-129, dtype=tf.int8).numpy() == 127
    assert fn(70000, dtype=tf.int16).numpy() == 4464
    assert fn([1, 300], dtype=tf.uint8).numpy().tolist() == [1, 44]


def test_floats_into_integers_still_refused():
    with pytest.raises(TypeError, match="Cannot convert 300.0 to EagerTensor of dtype uint8"):
        tf.constant(300.0, dtype=tf.uint8)
