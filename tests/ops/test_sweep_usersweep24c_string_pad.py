"""`tf.pad` of string tensors (OpenNMT-tf's `WordNoiser` pads its noisy tokens back to the
input length with `tf.pad(outputs, [[0, input_length - output_length]])`). Expected values
from TF 2.21."""

import pytest

import tork as tf


def _values(t):
    return t.numpy().tolist()


def test_constant_pad_fills_empty_strings():
    t = tf.constant(["a", "b", "c"])
    out = tf.pad(t, [[1, 2]])
    assert _values(out) == [b"", b"a", b"b", b"c", b"", b""]
    assert all(type(v) is bytes for v in _values(out))
    assert out.dtype == tf.string


def test_constant_pad_with_a_string_and_2d():
    t = tf.constant(["a", "b", "c"])
    assert _values(tf.pad(t, [[1, 2]], constant_values="x")) == [b"x", b"a", b"b", b"c", b"x", b"x"]
    m = tf.constant([["a", "b"], ["c", "d"]])
    assert _values(tf.pad(m, [[0, 1], [1, 0]])) == [
        [b"", b"a", b"b"],
        [b"", b"c", b"d"],
        [b"", b"", b""],
    ]
    assert tf.pad(t, tf.constant([[0, 1]])).shape.as_list() == [4]


def test_mirror_pads_of_strings():
    m = tf.constant([["a", "b"], ["c", "d"]])
    assert _values(tf.pad(m, [[1, 1], [0, 1]], "REFLECT")) == [
        [b"c", b"d", b"c"],
        [b"a", b"b", b"a"],
        [b"c", b"d", b"c"],
        [b"a", b"b", b"a"],
    ]
    assert _values(tf.pad(m, [[2, 0], [0, 2]], "SYMMETRIC")) == [
        [b"c", b"d", b"d", b"c"],
        [b"a", b"b", b"b", b"a"],
        [b"a", b"b", b"b", b"a"],
        [b"c", b"d", b"d", b"c"],
    ]


def test_bad_paddings_raise_invalid_argument_as_tf():
    m = tf.constant([["a", "b"], ["c", "d"]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="REFLECT padding of \\(2, 0\\)"):
        tf.pad(m, [[2, 0], [0, 0]], "REFLECT")
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be non-negative"):
        tf.pad(tf.constant(["a"]), [[0, -1]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be non-negative"):
        tf.pad(tf.constant([1.0]), [[0, -1]])
