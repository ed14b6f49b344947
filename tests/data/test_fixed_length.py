"""tf.data.FixedLengthRecordDataset and tf.io.decode_raw, against values from TF 2.21."""

import gzip

import numpy as np
import pytest
import torch

import tork as tf


@pytest.fixture
def record_file(tmp_path):
    path = tmp_path / "records.bin"
    path.write_bytes(b"HH" + bytes(range(12)) + b"F")
    return str(path)


def test_records_skip_header_and_footer(record_file):
    ds = tf.data.FixedLengthRecordDataset(record_file, 4, header_bytes=2, footer_bytes=1)
    assert repr(ds) == (
        "<FixedLengthRecordDatasetV2 element_spec=TensorSpec(shape=(), dtype=tf.string, name=None)>"
    )
    assert int(ds.cardinality()) == tf.data.UNKNOWN_CARDINALITY
    assert list(ds.as_numpy_iterator()) == [
        b"\x00\x01\x02\x03",
        b"\x04\x05\x06\x07",
        b"\x08\t\n\x0b",
    ]
    # Without header and footer the whole 15-byte file is three 5-byte records (TF 2.21).
    plain = tf.data.FixedLengthRecordDataset([record_file], 5)
    assert list(plain.as_numpy_iterator()) == [
        b"HH\x00\x01\x02",
        b"\x03\x04\x05\x06\x07",
        b"\x08\t\n\x0bF",
    ]


def test_several_files_and_decode_raw_in_map(record_file):
    ds = tf.data.FixedLengthRecordDataset([record_file, record_file], 4, 2, 1)
    ds = ds.map(lambda r: tf.io.decode_raw(r, tf.uint8))
    values = list(ds.as_numpy_iterator())
    assert len(values) == 6
    np.testing.assert_array_equal(values[4], [4, 5, 6, 7])


def test_gzip_file(tmp_path):
    path = tmp_path / "r.gz"
    with gzip.open(path, "wb") as f:
        f.write(bytes(range(8)))
    ds = tf.data.FixedLengthRecordDataset(str(path), 4, compression_type="GZIP")
    assert list(ds.as_numpy_iterator()) == [b"\x00\x01\x02\x03", b"\x04\x05\x06\x07"]


def test_body_not_a_multiple_of_the_record_length(record_file):
    ds = tf.data.FixedLengthRecordDataset(record_file, 5, header_bytes=2, footer_bytes=1)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Excluding the header \(2 bytes\) and footer \(1 bytes\), input file .* has body "
        r"length 12 bytes, which is not an exact multiple of the record length \(5 bytes\)",
    ):
        list(ds)


def test_argument_errors(tmp_path, record_file):
    with pytest.raises(tf.errors.InvalidArgumentError, match="`record_bytes` must be > 0, got 0"):
        tf.data.FixedLengthRecordDataset(record_file, 0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be >= 0, got -1 and 0"):
        tf.data.FixedLengthRecordDataset(record_file, 4, header_bytes=-1)
    with pytest.raises(TypeError, match="`record_bytes` must be an integer, got 2.5"):
        tf.data.FixedLengthRecordDataset(record_file, 2.5)
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        list(tf.data.FixedLengthRecordDataset(str(tmp_path / "missing"), 4))


def test_decode_raw_matches_tensorflow():
    x = tf.constant([b"\x01\x00\x02\x00", b"\x03\x00\x04\x01"])
    out = tf.io.decode_raw(x, tf.int16)
    assert out.dtype == torch.int16
    np.testing.assert_array_equal(out.numpy(), [[1, 2], [3, 260]])
    np.testing.assert_array_equal(
        tf.io.decode_raw(x, tf.int16, little_endian=False).numpy(), [[256, 512], [768, 1025]]
    )
    np.testing.assert_array_equal(
        tf.io.decode_raw(x, tf.uint8, fixed_length=6).numpy(),
        [[1, 0, 2, 0, 0, 0], [3, 0, 4, 1, 0, 0]],
    )
    np.testing.assert_array_equal(
        tf.io.decode_raw(tf.constant(b"\x00\x00\x80\x3f"), tf.float32), [1.0]
    )
    np.testing.assert_array_equal(
        tf.io.decode_raw(tf.constant([b"\x01\x00\x02", b"\x03"]), tf.int16, fixed_length=4).numpy(),
        [[1, 2], [3, 0]],
    )
    # TF 2.21: float16 of a (2, 1) input has shape (2, 1, 2).
    half = tf.io.decode_raw(tf.constant([[b"ab\x00\x00"], [b"\x01\x02\x03\x04"]]), tf.float16)
    assert tuple(half.shape) == (2, 1, 2)
    np.testing.assert_allclose(half.float().numpy()[:, 0, 0], [816.5, 3.058e-05], rtol=1e-3)
    assert tf.io.decode_raw(tf.constant(b""), tf.int16).shape == (0,)
    assert tf.io.decode_raw(tf.constant([b"ab"]), tf.bool).tolist() == [[True, True]]
    assert tf.io.decode_raw(b"\x00\x00\x80\x3f\x00\x00\x00\x40", tf.complex64).tolist() == [1 + 2j]
    assert tf.io.decode_raw([b"\x01\x02"], tf.uint8).tolist() == [[1, 2]]


def test_decode_raw_errors():
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="requires input strings to all be the same size, but element 1 has size 1 != 3",
    ):
        tf.io.decode_raw(tf.constant([b"\x01\x00\x02", b"\x03"]), tf.int16)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="has length 3 that is not a multiple of 2, the size of int16",
    ):
        tf.io.decode_raw(tf.constant(b"abc"), tf.int16)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"fixed_length \(5\) must be a multiple of the size of out_type \(2\)",
    ):
        tf.io.decode_raw(tf.constant([b"ab"]), tf.int16, fixed_length=5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="out_type tf.string is not allowed"):
        tf.io.decode_raw(tf.constant(b"abcd"), tf.string)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="must be a string tensor, got a int32"
    ):
        tf.io.decode_raw(tf.constant([1]), tf.uint8)
