"""`tf.summary`'s messages and event files, written without the `tensorboard` package.

TensorFlow writes event files itself; tork writes them through `tensorboard`'s protos and
torch's event writer when that package is installed. Without it, these classes take their
place: the few protobuf messages `tf.summary` needs (`Summary`, `SummaryMetadata`,
`TensorProto`, `TensorShapeProto`), encoded by hand in field-number order as protobuf
does, and an event-file writer (TFRecord framing, one `Event` per record). They follow the
constructor and method names of the protobuf classes that `tork/ops/summary.py` uses, so
that module runs unchanged on either.
"""

from __future__ import annotations

import itertools
import os
import socket
import struct
import time
import types

from tork.ops._tfrecord import frame
from tork.train._wire import _varint

# Protocol buffer wire types.
_VARINT, _I64, _LEN = 0, 1, 2


def _key(field: int, wire: int) -> bytes:
    return _varint((field << 3) | wire)


def _bytes_field(field: int, payload: bytes) -> bytes:
    return _key(field, _LEN) + _varint(len(payload)) + payload


def _int_field(field: int, value: int) -> bytes:
    # proto3: a zero scalar is not written.
    return _key(field, _VARINT) + _varint(int(value)) if value else b""


def _text(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


class _Message:
    """Base of the hand-encoded messages: `SerializeToString()` gives protobuf's bytes."""

    def SerializeToString(self) -> bytes:  # noqa: N802 - protobuf's name
        raise NotImplementedError


class _Dim(_Message):
    def __init__(self, size: int = 0, name: str = ""):
        self.size = int(size)
        self.name = name

    def SerializeToString(self) -> bytes:  # noqa: N802
        out = _int_field(1, self.size)
        return out + (_bytes_field(2, _text(self.name)) if self.name else b"")


class TensorShapeProto(_Message):
    """`tensorflow.TensorShapeProto`: `dim` (field 2) of `Dim(size=...)`."""

    Dim = _Dim

    def __init__(self, dim=()):
        self.dim = list(dim)

    def SerializeToString(self) -> bytes:  # noqa: N802
        return b"".join(_bytes_field(2, d.SerializeToString()) for d in self.dim)


class TensorProto(_Message):
    """`tensorflow.TensorProto` with `dtype`, `tensor_shape`, and `tensor_content` or
    `string_val` (the two layouts `tf.summary` writes)."""

    def __init__(self, dtype: int = 0, tensor_shape=None, tensor_content=b"", string_val=()):
        self.dtype = int(dtype)
        self.tensor_shape = tensor_shape if tensor_shape is not None else TensorShapeProto()
        self.tensor_content = bytes(tensor_content)
        self.string_val = [bytes(v) for v in string_val]

    def SerializeToString(self) -> bytes:  # noqa: N802
        out = _int_field(1, self.dtype)
        out += _bytes_field(2, self.tensor_shape.SerializeToString())
        if self.tensor_content:
            out += _bytes_field(4, self.tensor_content)
        return out + b"".join(_bytes_field(8, v) for v in self.string_val)


class SummaryMetadata(_Message):
    """`tensorflow.SummaryMetadata`: the plugin that shows a summary, and a description."""

    def __init__(self, plugin_name: str = "", content: bytes = b"", description: str = ""):
        self.plugin_name = plugin_name
        self.content = bytes(content)
        self.summary_description = description or ""
        self._raw: bytes | None = None

    @classmethod
    def FromString(cls, data: bytes) -> SummaryMetadata:  # noqa: N802 - protobuf's name
        """Keeps already serialized metadata (`tf.summary.write(metadata=b"...")`) as is."""
        meta = cls()
        meta._raw = bytes(data)
        return meta

    def SerializeToString(self) -> bytes:  # noqa: N802
        if self._raw is not None:
            return self._raw
        out = b""
        if self.plugin_name or self.content:
            plugin = _bytes_field(1, _text(self.plugin_name)) if self.plugin_name else b""
            plugin += _bytes_field(2, self.content) if self.content else b""
            out += _bytes_field(1, plugin)
        if self.summary_description:
            out += _bytes_field(3, _text(self.summary_description))
        return out


class _Value(_Message):
    def __init__(self, tag: str = "", tensor=None, metadata=None):
        self.tag = tag
        self.tensor = tensor
        self.metadata = metadata

    def SerializeToString(self) -> bytes:  # noqa: N802
        out = _bytes_field(1, _text(self.tag)) if self.tag else b""
        if self.tensor is not None:
            out += _bytes_field(8, self.tensor.SerializeToString())
        # Any protobuf message works as metadata (a TensorFlow or TensorBoard one too);
        # empty metadata is left out, as TensorFlow's writer does.
        meta = self.metadata.SerializeToString() if self.metadata is not None else b""
        return out + (_bytes_field(9, meta) if meta else b"")


class _Values(list):
    def add(self, **fields) -> _Value:
        value = _Value(**fields)
        self.append(value)
        return value


class Summary(_Message):
    """`tensorflow.Summary`: `value.add(tag=..., tensor=..., metadata=...)`."""

    def __init__(self):
        self.value = _Values()

    def SerializeToString(self) -> bytes:  # noqa: N802
        return b"".join(_bytes_field(1, v.SerializeToString()) for v in self.value)


def event_bytes(wall_time: float, step: int = 0, summary=None, file_version: str = "") -> bytes:
    """A serialized `tensorflow.Event` (wall_time 1, step 2, file_version 3, summary 5)."""
    out = _key(1, _I64) + struct.pack("<d", float(wall_time))
    out += _int_field(2, step)
    if file_version:
        out += _bytes_field(3, _text(file_version))
    if summary is not None:
        out += _bytes_field(5, summary.SerializeToString())
    return out


def _plugin(name: str, content: bytes = b"", **options) -> types.SimpleNamespace:
    def create_summary_metadata(display_name=None, description="", **kwargs):
        del display_name  # tf.summary passes None: TensorBoard's metadata leave it out too
        data = content
        if "encoding" in kwargs:
            # AudioPluginData: version 0, encoding (field 2).
            data = _int_field(2, kwargs["encoding"])
        return SummaryMetadata(name, data, description)

    return types.SimpleNamespace(create_summary_metadata=create_summary_metadata, **options)


def protos() -> dict:
    """The stand-ins for the TensorBoard modules `tork/ops/summary.py` uses."""
    # TensorFlow's DataType enum values.
    data_types = types.SimpleNamespace(
        DT_FLOAT=1,
        DT_DOUBLE=2,
        DT_INT32=3,
        DT_UINT8=4,
        DT_INT16=5,
        DT_INT8=6,
        DT_STRING=7,
        DT_COMPLEX64=8,
        DT_INT64=9,
        DT_BOOL=10,
        DT_UINT16=17,
        DT_COMPLEX128=18,
        DT_HALF=19,
        DT_UINT32=22,
        DT_UINT64=23,
    )
    # TensorBoard's audio plugin encodings (`WAV` is 11).
    encoding = types.SimpleNamespace(Value={"UNKNOWN": 0, "WAV": 11}.__getitem__)
    return {
        "summary_pb2": types.SimpleNamespace(Summary=Summary, SummaryMetadata=SummaryMetadata),
        "tensor_pb2": types.SimpleNamespace(TensorProto=TensorProto),
        "tensor_shape_pb2": types.SimpleNamespace(TensorShapeProto=TensorShapeProto),
        "types_pb2": data_types,
        "scalars": _plugin("scalars"),
        "histograms": _plugin("histograms"),
        "images": _plugin("images"),
        "text": _plugin("text"),
        "audio": _plugin("audio", Encoding=encoding),
    }


_FILE_IDS = itertools.count()


class EventFileWriter:
    """Writes `Event` records to a new event file in `logdir`, as TensorFlow 2 names it.

    Summaries are queued and written when the queue holds more than `max_queue`, when
    `flush_secs` have passed since the last write, on `flush()` and on `close()`.
    """

    def __init__(self, logdir: str, max_queue: int, flush_secs: float, filename_suffix: str):
        os.makedirs(logdir, exist_ok=True)
        name = (
            f"events.out.tfevents.{int(time.time())}.{socket.gethostname()}."
            f"{os.getpid()}.{next(_FILE_IDS)}{filename_suffix}"
        )
        self.path = os.path.join(logdir, name)
        self._max_queue = max_queue
        self._flush_secs = flush_secs
        self._queue: list[bytes] = []
        self._last_flush = time.time()
        self._file = open(self.path, "wb")  # noqa: SIM115 - open until close()
        self._file.write(frame(event_bytes(time.time(), file_version="brain.Event:2")))
        self._file.flush()

    def add_summary(self, summary, global_step: int, walltime: float) -> None:
        """Queues one `Event` holding `summary` at step `global_step`."""
        self._queue.append(frame(event_bytes(walltime, global_step, summary)))
        if len(self._queue) > self._max_queue or time.time() - self._last_flush > self._flush_secs:
            self.flush()

    def flush(self) -> None:
        """Writes the queued events to disk."""
        if self._file.closed:
            return
        self._file.write(b"".join(self._queue))
        self._queue.clear()
        self._file.flush()
        self._last_flush = time.time()

    def close(self) -> None:
        """Flushes and closes the file."""
        self.flush()
        self._file.close()
