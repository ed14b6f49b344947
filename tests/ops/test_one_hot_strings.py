"""tf.one_hot with string on/off values (TF 2.21's results)."""

import numpy as np
import pytest

import tork as tf


def test_string_values_give_a_string_tensor():
    out = tf.one_hot([0, 1, 2, 5], depth=4, on_value="We're live!", off_value="Offline")
    assert out.dtype == tf.string
    expected = np.where(np.eye(4, dtype=bool)[[0, 1, 2, 3]], b"We're live!", b"Offline")
    expected[3] = b"Offline"  # index 5 is out of range: a row of off_value
    np.testing.assert_array_equal(out.numpy(), expected)


def test_string_one_hot_along_axis_0():
    out = tf.one_hot([0, 2], depth=3, on_value="a", off_value="b", axis=0)
    np.testing.assert_array_equal(
        out.numpy(), np.array([[b"a", b"b"], [b"b", b"b"], [b"b", b"a"]], dtype=object)
    )


def test_a_string_with_a_missing_value_says_both_are_needed():
    with pytest.raises(TypeError, match="must both be strings when one is"):
        tf.one_hot([0], 2, on_value="a")
