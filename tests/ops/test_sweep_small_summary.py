"""tf.summary without the tensorboard package: tork encodes and writes the event files.

TensorFlow writes event files without tensorboard; the reference bytes below are the
`Summary` messages TF 2.21 wrote (read back with `tf.compat.v1.train.summary_iterator`)
for the same calls, with TensorBoard 2.21's plugin metadata (`scalars`:
b'\\n\\t\\n\\x07scalars') where TensorBoard's own summary functions set it.
"""

import struct
from pathlib import Path

import numpy as np
import pytest

import tork as tf
from tork.ops import _summary_proto, summary

# TF 2.21, tf.summary.write(tag, tensor, step, metadata=...), Summary bytes per step.
_TF_WRITE = {
    7: b'\n\x19\n\x03rawB\x12\x08\x01\x12\x04\x12\x02\x08\x02"\x08\x00\x00\x80?\x00\x00\x00@',
    8: b"\n%\n\x03i64B\x1e\x08\t\x12\x08\x12\x02\x08\x01\x12\x02\x08\x02"
    b'"\x10\x01\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00',
    9: b"\n\r\n\x01sB\x08\x08\x07\x12\x00B\x02hi",
}
# TF 2.21, tf.summary.write("loss", 0.5, step=1, metadata=<TensorBoard's scalar metadata>)
# and ("acc", 0.25, step=2) with description "accuracy".
_TF_SCALARS = {
    1: b'\n\x1f\n\x04lossB\n\x08\x01\x12\x00"\x04\x00\x00\x00?J\x0b\n\t\n\x07scalars',
    2: b'\n(\n\x03accB\n\x08\x01\x12\x00"\x04\x00\x00\x80>J\x15\n\t\n\x07scalars\x1a\x08accuracy',
}


@pytest.fixture(autouse=True)
def _without_tensorboard(monkeypatch):
    """tork's own writer and encoding, whether or not tensorboard is installed here."""

    def missing():
        raise ImportError("No module named 'tensorboard'")

    monkeypatch.setattr(summary, "_TB", _summary_proto.protos())
    monkeypatch.setattr(summary, "_import_writer_class", missing)
    monkeypatch.setattr(_summary_proto.time, "time", lambda: 1000.0)
    yield
    summary._state.writer = None
    summary._state.step = None


def _records(path: Path) -> list:
    """The payloads of a TFRecord file (8-byte length, 4-byte crc, data, 4-byte crc)."""
    data, out, pos = path.read_bytes(), [], 0
    while pos < len(data):
        (length,) = struct.unpack("<Q", data[pos : pos + 8])
        out.append(data[pos + 12 : pos + 12 + length])
        pos += 16 + length
    assert pos == len(data)
    return out


def _event(step: int, summary_bytes: bytes) -> bytes:
    # Event: wall_time (field 1, double), step (2, varint), summary (5, message).
    return (
        b"\t"
        + struct.pack("<d", 1000.0)
        + bytes([0x10, step, 0x2A, len(summary_bytes)])
        + (summary_bytes)
    )


def test_create_file_writer_and_write_without_tensorboard(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path / "logs"))
    with writer.as_default():
        assert tf.summary.write("raw", tf.constant([1.0, 2.0]), step=7, metadata=b"")
        assert tf.summary.write("i64", np.array([[1, 2]], np.int64), step=8)
        assert tf.summary.write("s", tf.constant("hi"), step=9)
    writer.close()
    (path,) = (tmp_path / "logs").glob("events.out.tfevents.*.v2")
    records = _records(path)
    # TF 2.21's first record: wall_time then file_version 'brain.Event:2'.
    assert records[0] == b"\t" + struct.pack("<d", 1000.0) + b"\x1a\rbrain.Event:2"
    assert records[1:] == [_event(step, _TF_WRITE[step]) for step in (7, 8, 9)]


def test_scalar_summaries_match_tf_bytes(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        assert tf.summary.scalar("loss", 0.5, step=1) is True
        tf.summary.scalar("acc", tf.constant(0.25), step=2, description="accuracy")
        writer.flush()
    (path,) = tmp_path.glob("events.out.tfevents.*")
    assert _records(path)[1:] == [_event(step, _TF_SCALARS[step]) for step in (1, 2)]


def test_queue_is_flushed_when_full_and_closed_writer_refuses(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path), max_queue=2)
    (path,) = tmp_path.glob("events.out.tfevents.*")
    with writer.as_default(step=0):
        for i in range(3):
            tf.summary.scalar("x", float(i))
        # Three queued events are more than max_queue=2: all are on disk (1 + 3 records).
        assert len(_records(path)) == 4
    writer.close()
    with pytest.raises(RuntimeError, match="is closed; call `writer.init\\(\\)`"):
        writer.set_as_default()
