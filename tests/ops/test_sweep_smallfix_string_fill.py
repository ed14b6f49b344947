"""tf.zeros / zeros_like / ones / ones_like / fill with tf.string (values from TF 2.21)."""

import numpy as np
import pytest

import tork as tf
from tork.ops.debugging import InvalidArgumentError


def test_zeros_string_gives_empty_bytes():
    z = tf.zeros([2, 3], dtype=tf.string)
    assert z.dtype == tf.string
    assert z.numpy().tolist() == [[b"", b"", b""], [b"", b"", b""]]
    assert tf.zeros([], dtype="string").numpy() == b""


def test_zeros_like_string():
    s = tf.constant(["ab", "c"])
    z = tf.zeros_like(s)
    assert z.dtype == tf.string
    assert z.numpy().tolist() == [b"", b""]
    # TF 2.21: an explicit numeric dtype gives numeric zeros of the shape.
    f = tf.zeros_like(s, dtype=tf.float32)
    assert f.dtype == tf.float32
    np.testing.assert_array_equal(f.numpy(), [0.0, 0.0])
    # ... and a numeric input with dtype=tf.string gives empty strings.
    assert tf.zeros_like([1, 2], dtype=tf.string).numpy().tolist() == [b"", b""]


def test_ones_string_errors_as_tf():
    with pytest.raises(TypeError, match="Cannot convert 1 to EagerTensor of dtype string"):
        tf.ones([2], dtype=tf.string)
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of string"):
        tf.ones_like(tf.constant(["a"]))
    np.testing.assert_array_equal(
        tf.ones_like(tf.constant(["a", "b"]), dtype=tf.float32), [1.0, 1.0]
    )


def test_fill_string():
    assert tf.fill([2, 2], "x").numpy().tolist() == [[b"x", b"x"], [b"x", b"x"]]
    assert tf.fill([], b"y").numpy() == b"y"
