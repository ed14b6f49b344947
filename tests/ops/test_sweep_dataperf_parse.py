"""`tf.io.parse_example` on the quick decoding path and on input it leaves to the full
decoder (dataperf): the values come from hand-written wire bytes."""

import numpy as np
import pytest

import tork as tf
from tork.ops import _parse_example


def _ld(field, payload):
    """A length-delimited protobuf field (lengths below 128 here)."""
    assert len(payload) < 128
    return bytes([field << 3 | 2, len(payload)]) + payload


def _example(entries):
    """An Example from (name, feature bytes) map entries, in the given order."""
    features = b"".join(
        _ld(1, _ld(1, name.encode()) + _ld(2, feature)) for name, feature in entries
    )
    return _ld(1, features)


def _floats(*values):
    return _ld(2, _ld(1, np.array(values, "<f4").tobytes()))


def _int64s_packed(payload):
    return _ld(3, _ld(1, payload))


SPEC = {
    "x": tf.io.FixedLenFeature([2], tf.float32),
    "n": tf.io.VarLenFeature(tf.int64),
    "s": tf.io.FixedLenFeature([], tf.string, default_value="none"),
}


def test_canonical_examples_take_the_quick_path():
    # 150 = 0x96 0x01; -1 = ten bytes ff..ff 01.
    record = _example(
        [
            ("x", _floats(1.5, -2.0)),
            ("n", _int64s_packed(b"\x96\x01" + b"\xff" * 9 + b"\x01")),
            ("s", _ld(1, _ld(1, b"hi"))),
        ]
    )
    assert _parse_example._quick_decode(record) is not None
    out = tf.io.parse_single_example(record, SPEC)
    assert out["x"].tolist() == [1.5, -2.0]
    assert out["n"].values.tolist() == [150, -1]
    assert out["s"].numpy() == b"hi"


def test_batch_mixes_quick_and_full_decoding():
    quick = _example([("x", _floats(1.0, 2.0)), ("n", _int64s_packed(b"\x05"))])
    # An unpacked int64 (field 1 as a varint, tag 0x08): valid protobuf, full decoder.
    unpacked = _example([("x", _floats(3.0, 4.0)), ("n", _ld(3, b"\x08\x07\x08\x09"))])
    # A key given twice: the last entry wins.
    twice = _example([("x", _floats(0.0, 0.0)), ("x", _floats(5.0, 6.0))])
    assert _parse_example._quick_decode(unpacked) is None
    assert _parse_example._quick_decode(twice) is None
    out = tf.io.parse_example([quick, unpacked, twice], SPEC)
    assert out["x"].tolist() == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    assert out["n"].values.tolist() == [5, 7, 9]
    assert out["n"].indices.tolist() == [[0, 0], [1, 0], [1, 1]]
    assert out["s"].tolist() == [b"none"] * 3


def test_empty_lists_and_types():
    record = _example([("x", _floats(1.0, 2.0)), ("n", _ld(3, b"")), ("s", _ld(1, b""))])
    out = tf.io.parse_single_example(
        record, {"n": tf.io.VarLenFeature(tf.int64), "s": tf.io.VarLenFeature(tf.string)}
    )
    assert out["n"].values.tolist() == [] and out["n"].values.dtype == tf.int64
    assert list(out["s"].values.shape) == [0]


def test_damaged_bytes_raise_the_full_decoders_error():
    record = _example([("x", _floats(1.0, 2.0))])
    with pytest.raises(tf.errors.InvalidArgumentError, match="could not parse example 0"):
        tf.io.parse_single_example(record[:-2], SPEC)


def test_wrong_kind_error_names_the_feature():
    record = _example([("x", _int64s_packed(b"\x01\x02"))])
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="feature 'x' of example 0 holds int64"
    ):
        tf.io.parse_single_example(record, SPEC)


def test_bad_dtype_error_is_not_cached_away():
    record = _example([("x", _floats(1.0, 2.0))])
    for _ in range(2):
        with pytest.raises(ValueError, match="dtype must be tf.float32, tf.int64 or tf.string"):
            tf.io.parse_single_example(record, {"x": tf.io.FixedLenFeature([2], tf.float64)})
