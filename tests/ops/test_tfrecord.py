"""CRC-32C, TFRecord framing and tf.io.TFRecordWriter."""

import gzip
import os
import struct
import zlib

import pytest

import tork as tf
from tork.ops import _tfrecord


def _crc32c_bitwise(data: bytes) -> int:
    """Bit-at-a-time CRC-32C straight from its definition (reflected 0x82F63B78)."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def _mask(crc: int) -> int:
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def test_crc32c_known_vectors():
    assert _tfrecord.crc32c(b"123456789") == 0xE3069283
    # RFC 3720 (iSCSI) appendix B.4 vectors.
    assert _tfrecord.crc32c(bytes(32)) == 0x8A9136AA
    assert _tfrecord.crc32c(b"\xff" * 32) == 0x62A8AB43
    assert _tfrecord.crc32c(bytes(range(32))) == 0x46DD794E
    assert _tfrecord.crc32c(bytes(range(31, -1, -1))) == 0x113FDB5C
    assert _tfrecord.crc32c(b"") == 0


@pytest.mark.parametrize("size", [511, 512, 513, 1000, 4099])
def test_crc32c_vectorised_path_matches_bitwise(size):
    data = os.urandom(size)
    assert _tfrecord.crc32c(data) == _crc32c_bitwise(data)


def test_masked_crc_and_frame_bytes():
    assert _tfrecord.masked_crc32c(b"") == 0xA282EAD8
    data = b"hello"
    framed = _tfrecord.frame(data)
    length = struct.pack("<Q", 5)
    expected = (
        length
        + struct.pack("<I", _mask(_crc32c_bitwise(length)))
        + data
        + struct.pack("<I", _mask(_crc32c_bitwise(data)))
    )
    assert framed == expected


def test_writer_writes_framed_records(tmp_path):
    path = tmp_path / "a.tfrecord"
    with tf.io.TFRecordWriter(str(path)) as writer:
        writer.write(b"ab")
        writer.write("c")
        writer.flush()
    assert path.read_bytes() == _tfrecord.frame(b"ab") + _tfrecord.frame(b"c")


@pytest.mark.parametrize(
    ("options", "decompress"),
    [
        ("GZIP", gzip.decompress),
        (tf.io.TFRecordOptions(compression_type="ZLIB"), zlib.decompress),
        (tf.io.TFRecordOptions(compression_type="GZIP", compression_level=1), gzip.decompress),
    ],
)
def test_writer_compression(tmp_path, options, decompress):
    path = str(tmp_path / "c.tfrecord")
    writer = tf.io.TFRecordWriter(path, options)
    writer.write(b"x" * 100)
    writer.close()
    with open(path, "rb") as f:
        assert decompress(f.read()) == _tfrecord.frame(b"x" * 100)


def test_options_and_writer_errors(tmp_path):
    assert tf.io.TFRecordOptions.get_compression_type_string("gzip") == "GZIP"
    assert tf.io.TFRecordOptions.get_compression_type_string(None) == ""
    with pytest.raises(ValueError, match="unknown compression type 'LZ4'"):
        tf.io.TFRecordOptions(compression_type="LZ4")
    with pytest.raises(ValueError, match="compression_level must be in 0..9"):
        tf.io.TFRecordOptions("GZIP", compression_level=12)
    with pytest.raises(tf.errors.NotFoundError, match="does not exist"):
        tf.io.TFRecordWriter(str(tmp_path / "missing" / "a.tfrecord"))
    writer = tf.io.TFRecordWriter(str(tmp_path / "w.tfrecord"))
    writer.close()
    with pytest.raises(ValueError, match="after close"):
        writer.write(b"x")
    with pytest.raises(TypeError, match="must be a scalar string"):
        tf.io.TFRecordWriter(str(tmp_path / "v.tfrecord")).write(3)
