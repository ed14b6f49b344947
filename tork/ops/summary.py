"""`tf.summary`: TensorFlow 2's summary-writing API, over `torch.utils.tensorboard`.

Summaries are written as TensorFlow 2 writes them: tensor summaries tagged with the TensorBoard
plugin that shows them (`scalars`, `histograms`, `images`, `text`, `audio`), one event per call,
through the event-file writer of a `torch.utils.tensorboard.SummaryWriter` (without the
`tensorboard` package, through tork's own encoding and writer, `_summary_proto.py`).
TensorBoard reads them as it reads TensorFlow's. The default writer, default step and recording condition are
per thread, as in TensorFlow.
"""

from __future__ import annotations

import io as _pyio
import os
import threading
import time
import warnings
import wave
from typing import Any

import numpy as np
import torch

from tork._backend.errors import module_getattr
from tork.ops.scopes import get_current_name_scope

__all__ = [
    "SummaryWriter",
    "audio",
    "create_file_writer",
    "create_noop_writer",
    "experimental",
    "flush",
    "histogram",
    "image",
    "record_if",
    "scalar",
    "should_record_summaries",
    "text",
    "trace_export",
    "trace_off",
    "trace_on",
    "write",
]

__getattr__ = module_getattr("tf.summary")


class _State(threading.local):
    def __init__(self):
        self.writer: SummaryWriter | None = None
        self.step: Any = None
        self.recording: Any = True


_state = _State()

_NO_STEP = (
    "No step set. Please specify one either through the `step` argument or through "
    "tf.summary.experimental.set_step() (or `writer.as_default(step=...)`)."
)


def _tb():
    """Imports TensorBoard's protos and plugin metadata (only when something is written)."""
    from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2
    from tensorboard.plugins.audio import metadata as audio_meta
    from tensorboard.plugins.histogram import metadata as histogram_meta
    from tensorboard.plugins.image import metadata as image_meta
    from tensorboard.plugins.scalar import metadata as scalar_meta
    from tensorboard.plugins.text import metadata as text_meta

    return {
        "summary_pb2": summary_pb2,
        "tensor_pb2": tensor_pb2,
        "tensor_shape_pb2": tensor_shape_pb2,
        "types_pb2": types_pb2,
        "scalars": scalar_meta,
        "histograms": histogram_meta,
        "images": image_meta,
        "text": text_meta,
        "audio": audio_meta,
    }


_TB: dict | None = None


def _protos() -> dict:
    global _TB
    if _TB is None:
        try:
            _TB = _tb()
        except ImportError:
            # No tensorboard package: tork's own encoding of the same messages.
            from tork.ops import _summary_proto

            _TB = _summary_proto.protos()
    return _TB


def _tensor_proto(array: np.ndarray):
    """A TensorProto of a numeric or bytes NumPy array."""
    tb = _protos()
    shape = tb["tensor_shape_pb2"].TensorShapeProto(
        dim=[tb["tensor_shape_pb2"].TensorShapeProto.Dim(size=int(d)) for d in array.shape]
    )
    types = tb["types_pb2"]
    if array.dtype == object or array.dtype.kind in "SU":
        values = [v if isinstance(v, bytes) else str(v).encode("utf-8") for v in array.flat]
        return tb["tensor_pb2"].TensorProto(
            dtype=types.DT_STRING, tensor_shape=shape, string_val=values
        )
    codes = {
        np.dtype(np.float16): types.DT_HALF,
        np.dtype(np.float32): types.DT_FLOAT,
        np.dtype(np.float64): types.DT_DOUBLE,
        np.dtype(np.int8): types.DT_INT8,
        np.dtype(np.int16): types.DT_INT16,
        np.dtype(np.int32): types.DT_INT32,
        np.dtype(np.int64): types.DT_INT64,
        np.dtype(np.uint8): types.DT_UINT8,
        np.dtype(np.uint16): types.DT_UINT16,
        np.dtype(np.uint32): types.DT_UINT32,
        np.dtype(np.uint64): types.DT_UINT64,
        np.dtype(np.bool_): types.DT_BOOL,
        np.dtype(np.complex64): types.DT_COMPLEX64,
        np.dtype(np.complex128): types.DT_COMPLEX128,
    }
    code = codes.get(array.dtype)
    if code is None:
        raise TypeError(f"tf.summary: cannot write a tensor of dtype {array.dtype}.")
    # Little-endian raw bytes, as TensorFlow's tensor_content.
    content = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
    return tb["tensor_pb2"].TensorProto(dtype=code, tensor_shape=shape, tensor_content=content)


def _step_value(step: Any, what: str = "step") -> int:
    """The int64 value of a step given as int, NumPy scalar, tensor or Variable."""
    if isinstance(step, torch.Tensor):
        if step.numel() != 1:
            raise ValueError(
                f"tf.summary: `{what}` must be a scalar, got a tensor of shape {tuple(step.shape)}."
            )
        return int(step.detach().reshape(()).item())
    try:
        return int(step)
    except (TypeError, ValueError) as e:
        raise ValueError(
            f"tf.summary: `{what}` must be an int64-castable value (int, tensor or Variable), "
            f"got {step!r}."
        ) from e


def _max_outputs(value: Any, api: str) -> int:
    count = _step_value(value, "max_outputs")
    if count < 0:
        raise ValueError(f"{api}: `max_outputs` must be non-negative, got {count}.")
    return count


def _recording() -> bool:
    condition = _state.recording
    if callable(condition):
        condition = condition()
    if isinstance(condition, torch.Tensor):
        return bool(condition.detach().reshape(()).item())
    return bool(condition)


def _active_writer(step: Any):
    """Returns (writer, step int) to write with, or None when nothing must be written."""
    writer = _state.writer
    if writer is None or not _recording():
        return None
    if step is None:
        step = _state.step
        if step is None:
            raise ValueError(_NO_STEP)
    return writer, _step_value(step)


def _tag(name: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"tf.summary: `name` must be a string, got {type(name).__name__}.")
    scope = get_current_name_scope()
    return f"{scope}/{name}" if scope else name


def _metadata(plugin: str, description: str | None, **kwargs):
    return _protos()[plugin].create_summary_metadata(
        display_name=None, description=description or "", **kwargs
    )


def _emit(writer: SummaryWriter, step: int, tag: str, tensor, metadata) -> bool:
    summary = _protos()["summary_pb2"].Summary()
    summary.value.add(tag=tag, tensor=tensor, metadata=metadata)
    writer._write(summary, step)
    return True


def _numpy(data: Any) -> np.ndarray:
    if isinstance(data, torch.Tensor):
        return data.detach().cpu().numpy()
    return np.asarray(data)


class SummaryWriter:
    """Interface of the summary writers: where `tf.summary` functions write.

    Make one with `tf.summary.create_file_writer(logdir)` (or `create_noop_writer()`);
    summaries go to the default writer, set by `as_default()` or `set_as_default()`.

    Example:
    >>> writer = tf.summary.create_file_writer("/tmp/logs")
    >>> with writer.as_default(step=1):
    ...     tf.summary.scalar("loss", 0.5)
    """

    def set_as_default(self, step: Any = None) -> None:
        """Makes this writer the default writer for the current thread.

        Args:
            step: if not None, also sets it as the default step
                (`tf.summary.experimental.set_step`).
        """
        self._check_open()
        _state.writer = self
        if step is not None:
            _state.step = step

    def as_default(self, step: Any = None) -> _WriterContext:
        """Returns a context manager in which this writer is the default writer.

        On exit the previous default writer (and step, when `step` was given) comes back
        and this writer is flushed.

        Args:
            step: if not None, the default step inside the block: an int, a scalar tensor
                or a Variable (read at each write, e.g. `optimizer.iterations`).

        Returns:
            A context manager.

        Example:
        >>> with writer.as_default(step=optimizer.iterations):
        ...     tf.summary.scalar("loss", loss)
        """
        return _WriterContext(self, step)

    def init(self) -> None:
        """Initializes the writer (it already is: this reopens a closed file writer)."""

    def flush(self) -> None:
        """Writes pending summaries to disk."""

    def close(self) -> None:
        """Flushes and closes the writer; a closed writer cannot be made the default."""

    def _check_open(self) -> None:
        pass

    def _write(self, summary, step: int) -> None:
        pass


class _WriterContext:
    """The context manager of `SummaryWriter.as_default`."""

    __slots__ = ("_saved", "_step", "_writer")

    def __init__(self, writer: SummaryWriter, step: Any):
        self._writer = writer
        self._step = step
        self._saved: list[tuple[Any, Any]] = []

    def __enter__(self) -> SummaryWriter:
        self._writer._check_open()
        self._saved.append((_state.writer, _state.step))
        _state.writer = self._writer
        if self._step is not None:
            _state.step = self._step
        return self._writer

    def __exit__(self, exc_type, exc_value, traceback) -> bool:
        writer, step = self._saved.pop()
        _state.writer = writer
        if self._step is not None:
            _state.step = step
        self._writer.flush()
        return False


class _FileWriter(SummaryWriter):
    """Writes event files in `logdir` with `torch.utils.tensorboard`, or without the
    `tensorboard` package with tork's own event-file writer."""

    def __init__(self, logdir: str, max_queue: int, flush_secs: float, filename_suffix: str):
        self._logdir = logdir
        self._options = (max_queue, flush_secs, filename_suffix)
        self._torch_writer = None
        self.init()

    def init(self) -> None:
        """Initializes the writer: opens a new event file when it was closed."""
        if self._torch_writer is not None:
            return
        max_queue, flush_secs, suffix = self._options
        try:
            cls = _import_writer_class()
        except ImportError:
            # No tensorboard package: TensorFlow writes event files without it, and so does
            # tork, with its own writer (same records, same file names).
            from tork.ops._summary_proto import EventFileWriter

            self._torch_writer = EventFileWriter(self._logdir, max_queue, flush_secs, suffix)
            self._events = self._torch_writer
            return
        self._torch_writer = cls(
            log_dir=self._logdir, max_queue=max_queue, flush_secs=flush_secs, filename_suffix=suffix
        )
        self._events = self._torch_writer._get_file_writer()

    def flush(self) -> None:
        """Writes pending summaries to the event file."""
        if self._torch_writer is not None:
            self._torch_writer.flush()

    def close(self) -> None:
        """Flushes and closes the event file (`init()` opens a new one)."""
        if self._torch_writer is not None:
            self._torch_writer.close()
            self._torch_writer = None
            if _state.writer is self:
                _state.writer = None

    def _check_open(self) -> None:
        if self._torch_writer is None:
            raise RuntimeError(
                f"tf.summary: the SummaryWriter for {self._logdir!r} is closed; call "
                "`writer.init()` to reopen it or create a new one with "
                "tf.summary.create_file_writer()."
            )

    def _write(self, summary, step: int) -> None:
        self._check_open()
        self._events.add_summary(summary, step, time.time())

    def __repr__(self) -> str:
        return f"<tf.summary.SummaryWriter logdir={self._logdir!r}>"


class _NoopWriter(SummaryWriter):
    """A writer that does nothing: `as_default()` leaves the current default in place."""

    def set_as_default(self, step: Any = None) -> None:
        """Does nothing."""

    def as_default(self, step: Any = None) -> _NoopContext:
        """Returns a context manager that does nothing."""
        return _NoopContext(self)


class _NoopContext:
    __slots__ = ("_writer",)

    def __init__(self, writer: SummaryWriter):
        self._writer = writer

    def __enter__(self) -> SummaryWriter:
        return self._writer

    def __exit__(self, exc_type, exc_value, traceback) -> bool:
        return False


def _import_writer_class() -> type:
    # Deferred: tensorboard is optional.
    from tork._backend.tensorboard import import_summary_writer

    return import_summary_writer("tf.summary.create_file_writer")


def create_file_writer(
    logdir: str | os.PathLike | None,
    max_queue: int | None = None,
    flush_millis: int | None = None,
    filename_suffix: str | None = None,
    name: str | None = None,
    experimental_trackable: bool = False,
) -> SummaryWriter:
    """Creates a summary file writer for the given log directory.

    The event file is created now. Without the `tensorboard` package, tork writes the
    event file itself (TensorBoard reads it as TensorFlow's).

    Args:
        logdir: the directory in which to write an event file (created if missing).
            None gives a writer that does nothing.
        max_queue: the largest number of summaries to keep in a queue; the writer
            flushes once the queue gets bigger than this. Defaults to 10.
        flush_millis: the largest interval between flushes, in milliseconds.
            Defaults to 120,000.
        filename_suffix: suffix for the event file name. Defaults to `.v2`.
        name: unused (the name of the op in TensorFlow).
        experimental_trackable: accepted and ignored.

    Returns:
        A `tf.summary.SummaryWriter`.

    Example:
    >>> writer = tf.summary.create_file_writer("/tmp/logs")
    >>> with writer.as_default():
    ...     tf.summary.scalar("loss", 0.345, step=1)
    True
    """
    del name, experimental_trackable
    if logdir is None:
        return _NoopWriter()
    max_queue = 10 if max_queue is None else int(max_queue)
    flush_secs = 120.0 if flush_millis is None else float(flush_millis) / 1000.0
    suffix = ".v2" if filename_suffix is None else str(filename_suffix)
    return _FileWriter(os.fspath(logdir), max_queue, flush_secs, suffix)


def create_noop_writer() -> SummaryWriter:
    """Returns a summary writer that does nothing.

    Useful as a placeholder in code that expects a writer or a context manager.

    Returns:
        A `tf.summary.SummaryWriter` whose methods do nothing.

    Example:
    >>> with tf.summary.create_noop_writer().as_default():
    ...     pass
    """
    return _NoopWriter()


def flush(writer: SummaryWriter | None = None, name: str | None = None) -> None:
    """Forces the summary writer to flush any buffered data.

    Args:
        writer: the writer to flush; None flushes the default writer (if any).
        name: unused.

    Example:
    >>> tf.summary.flush()
    """
    del name
    writer = _state.writer if writer is None else writer
    if writer is not None:
        writer.flush()


def scalar(name: str, data: Any, step: Any = None, description: str | None = None) -> bool:
    """Writes a scalar summary (a point of a TensorBoard time series).

    Args:
        name: a name for this summary; the tag is this name prefixed by the active
            name scopes (`tf.name_scope`).
        data: a real numeric scalar, written as float32.
        step: an int64-castable step (int, scalar tensor or Variable). If omitted,
            `tf.summary.experimental.get_step()`, which must not be None.
        description: optional long-form description (Markdown).

    Returns:
        True on success, False if nothing was written because there is no default
        writer (or `record_if` is off).

    Raises:
        ValueError: if no step is given nor set, or `data` is not a scalar.

    Example:
    >>> with tf.summary.create_file_writer("/tmp/logs").as_default():
    ...     tf.summary.scalar("loss", 0.345, step=1)
    True
    """
    target = _active_writer(step)
    if target is None:
        return False
    writer, step = target
    array = _numpy(data)
    if array.size != 1 or array.ndim != 0:
        raise ValueError(
            f"tf.summary.scalar({name!r}): `data` must be a scalar, got shape {array.shape}. "
            "Reduce it first (e.g. tf.reduce_mean)."
        )
    tensor = _tensor_proto(np.asarray(array, dtype=np.float32))
    return _emit(writer, step, _tag(name), tensor, _metadata("scalars", description))


def _histogram_buckets(values: torch.Tensor, bucket_count: int) -> np.ndarray:
    """The `(bucket_count, 3)` [left, right, count] table of TensorBoard's histograms."""
    if bucket_count == 0 or values.numel() == 0:
        return np.zeros((bucket_count, 3))
    low, high = torch.aminmax(values)
    low, high = float(low), float(high)
    if high == low:
        table = np.zeros((bucket_count, 3))
        table[:, :2] = low
        table[-1, 2] = values.numel()
        return table
    width = (high - low) / bucket_count
    index = torch.floor((values - low) / width).long().clamp_(max=bucket_count - 1)
    counts = torch.bincount(index, minlength=bucket_count).numpy().astype(np.float64)
    edges = np.linspace(low, high, bucket_count + 1)
    return np.stack([edges[:-1], edges[1:], counts], axis=1)


def histogram(
    name: str,
    data: Any,
    step: Any = None,
    buckets: int | None = None,
    description: str | None = None,
) -> bool:
    """Writes a histogram summary, for TensorBoard's Histograms and Distributions dashboards.

    The histogram is over all elements of `data`: `buckets` equal-width buckets from
    its minimum to its maximum (the last bucket includes the maximum). If all values
    are equal, every bucket is `[value, value]` and only the last one counts them.

    Args:
        name: a name for this summary; the tag is this name prefixed by the active
            name scopes.
        data: a tensor of any shape, castable to float64.
        step: an int64-castable step; defaults to `tf.summary.experimental.get_step()`,
            which must not be None.
        buckets: optional positive int, the number of buckets. Defaults to 30.
        description: optional long-form description (Markdown).

    Returns:
        True on success, False if no default writer is available.

    Raises:
        ValueError: if no step is given nor set, or `buckets` is negative.

    Example:
    >>> with writer.as_default():
    ...     tf.summary.histogram("weights", tf.random.normal([1000]), step=0)
    True
    """
    target = _active_writer(step)
    if target is None:
        return False
    writer, step = target
    bucket_count = 30 if buckets is None else int(buckets)
    if bucket_count < 0:
        raise ValueError(f"tf.summary.histogram({name!r}): `buckets` must be >= 0, got {buckets}.")
    if isinstance(data, torch.Tensor):
        values = data.detach().reshape(-1).to("cpu", torch.float64)
    else:
        values = torch.as_tensor(np.asarray(data, dtype=np.float64).reshape(-1))
    table = _histogram_buckets(values, bucket_count)
    tensor = _tensor_proto(table.astype(np.float64))
    return _emit(writer, step, _tag(name), tensor, _metadata("histograms", description))


def image(
    name: str,
    data: Any,
    step: Any = None,
    max_outputs: int = 3,
    description: str | None = None,
) -> bool:
    """Writes an image summary (PNG-encoded), shown in TensorBoard's Images dashboard.

    Args:
        name: a name for this summary; the tag is this name prefixed by the active
            name scopes.
        data: a tensor `(k, h, w, c)` with `c` in 1 (grayscale), 3 (RGB) or 4 (RGBA):
            floats in [0, 1] (converted with `tf.image.convert_image_dtype(...,
            saturate=True)`) or uint8.
        step: an int64-castable step; defaults to `tf.summary.experimental.get_step()`,
            which must not be None.
        max_outputs: at most this many images of the batch are written.
        description: optional long-form description (Markdown).

    Returns:
        True on success, False if no default writer is available.

    Raises:
        ValueError: if no step is given nor set, or `data` is not `(k, h, w, c)`
            with 1, 3 or 4 channels.

    Example:
    >>> with writer.as_default():
    ...     tf.summary.image("samples", tf.random.uniform([4, 28, 28, 1]), step=0)
    True
    """
    target = _active_writer(step)
    if target is None:
        return False
    writer, step = target
    from tork.ops.image import convert_image_dtype
    from tork.ops.io import encode_png

    images = data if isinstance(data, torch.Tensor) else torch.as_tensor(np.asarray(data))
    if images.dim() != 4 or images.shape[-1] not in (1, 3, 4):
        raise ValueError(
            f"tf.summary.image({name!r}): `data` must have shape (k, h, w, c) with c in "
            f"(1, 3, 4), got shape {tuple(images.shape)}."
        )
    images = images.detach()[: _max_outputs(max_outputs, f"tf.summary.image({name!r})")]
    images = convert_image_dtype(images, torch.uint8, saturate=True).cpu()
    height, width = int(images.shape[1]), int(images.shape[2])
    encoded = [str(width).encode(), str(height).encode()]
    encoded.extend(encode_png(img).numpy() for img in images)
    tensor = _tensor_proto(np.array(encoded, dtype=object))
    return _emit(writer, step, _tag(name), tensor, _metadata("images", description))


def _as_bytes_array(data: Any) -> np.ndarray:
    if isinstance(data, (str, bytes)):
        array = np.array(data, dtype=object)
    else:
        array = np.asarray(data, dtype=object)
    for value in array.flat:
        if not isinstance(value, (str, bytes, np.str_, np.bytes_)):
            raise TypeError(
                "tf.summary.text: `data` must be strings (a str, a list of str or a tf.string "
                f"tensor), got an element of type {type(value).__name__}."
            )
    return array


def text(name: str, data: Any, step: Any = None, description: str | None = None) -> bool:
    """Writes a text summary (Markdown), shown in TensorBoard's Text dashboard.

    Args:
        name: a name for this summary; the tag is this name prefixed by the active
            name scopes.
        data: a string, or a string tensor / nested list of strings (shown as a table).
        step: an int64-castable step; defaults to `tf.summary.experimental.get_step()`,
            which must not be None.
        description: optional long-form description (Markdown).

    Returns:
        True on success, False if no default writer is available.

    Raises:
        ValueError: if no step is given nor set.
        TypeError: if `data` holds non-strings.

    Example:
    >>> with writer.as_default():
    ...     tf.summary.text("notes", "learning rate **0.01**", step=0)
    True
    """
    target = _active_writer(step)
    if target is None:
        return False
    writer, step = target
    tensor = _tensor_proto(_as_bytes_array(data))
    return _emit(writer, step, _tag(name), tensor, _metadata("text", description))


def _encode_wav(clip: np.ndarray, sample_rate: int) -> bytes:
    """16-bit PCM WAV of a `(frames, channels)` float clip in [-1, 1]."""
    pcm = np.round(np.clip(clip, -1.0, 1.0) * 32767.0).astype("<i2")
    buffer = _pyio.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(int(clip.shape[1]))
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def audio(
    name: str,
    data: Any,
    sample_rate: Any,
    step: Any = None,
    max_outputs: int = 3,
    encoding: str | None = None,
    description: str | None = None,
) -> bool:
    """Writes an audio summary (16-bit WAV), playable in TensorBoard's Audio dashboard.

    Args:
        name: a name for this summary; the tag is this name prefixed by the active
            name scopes.
        data: a float tensor `(k, t, c)`: `k` clips of `t` frames and `c` channels,
            with values in [-1, 1] (clipped).
        sample_rate: the sample rate in Hz, an int or scalar tensor.
        step: an int64-castable step; defaults to `tf.summary.experimental.get_step()`,
            which must not be None.
        max_outputs: at most this many clips of the batch are written.
        encoding: None or `"wav"` (the only encoding).
        description: optional long-form description (Markdown).

    Returns:
        True on success, False if no default writer is available.

    Raises:
        ValueError: if no step is given nor set, `data` is not `(k, t, c)`, or
            `encoding` is not `"wav"`.

    Example:
    >>> with writer.as_default():
    ...     tf.summary.audio("tone", tf.zeros([1, 16000, 1]), 16000, step=0)
    True
    """
    if encoding not in (None, "wav"):
        raise ValueError(
            f"tf.summary.audio({name!r}): unknown encoding {encoding!r}; only 'wav' is supported."
        )
    target = _active_writer(step)
    if target is None:
        return False
    writer, step = target
    clips = _numpy(data)
    if clips.ndim != 3:
        raise ValueError(
            f"tf.summary.audio({name!r}): `data` must have shape (k, t, c), got shape "
            f"{clips.shape}."
        )
    rate = _step_value(sample_rate, "sample_rate")
    clips = clips[: _max_outputs(max_outputs, f"tf.summary.audio({name!r})")].astype(np.float32)
    table = np.empty((len(clips), 2), dtype=object)
    for i, clip in enumerate(clips):
        table[i, 0] = _encode_wav(clip, rate)
        table[i, 1] = b""
    meta = _protos()["audio"]
    metadata = _metadata("audio", description, encoding=meta.Encoding.Value("WAV"))
    return _emit(writer, step, _tag(name), _tensor_proto(table), metadata)


def write(
    tag: str, tensor: Any, step: Any = None, metadata: Any = None, name: str | None = None
) -> bool:
    """Writes a generic tensor summary to the default writer.

    Unlike `scalar` and the others, `tag` is used as given (no name-scope prefix).

    Args:
        tag: the tag of the summary.
        tensor: a tensor (numeric or string) or a callable returning one.
        step: an int64-castable step; defaults to `tf.summary.experimental.get_step()`,
            which must not be None.
        metadata: a `SummaryMetadata` protobuf or its serialized bytes, or None.
        name: unused.

    Returns:
        True on success, False if no default writer is available.

    Raises:
        ValueError: if no step is given nor set.

    Example:
    >>> with writer.as_default():
    ...     tf.summary.write("raw", tf.constant([1.0, 2.0]), step=0)
    True
    """
    del name
    target = _active_writer(step)
    if target is None:
        return False
    writer, step = target
    if callable(tensor):
        tensor = tensor()
    array = _numpy(tensor)
    meta_cls = _protos()["summary_pb2"].SummaryMetadata
    if metadata is None:
        metadata = meta_cls()
    elif isinstance(metadata, (bytes, bytearray)):
        metadata = meta_cls.FromString(bytes(metadata))
    return _emit(writer, step, tag, _tensor_proto(array), metadata)


class _RecordIf:
    __slots__ = ("_condition", "_saved")

    def __init__(self, condition):
        self._condition = condition
        self._saved: list[Any] = []

    def __enter__(self) -> None:
        self._saved.append(_state.recording)
        _state.recording = self._condition

    def __exit__(self, exc_type, exc_value, traceback) -> bool:
        _state.recording = self._saved.pop()
        return False


def record_if(condition: Any) -> _RecordIf:
    """Sets the summary recording condition inside a `with` block.

    Args:
        condition: a bool, a boolean scalar tensor, or a callable returning one
            (evaluated at each summary call).

    Returns:
        A context manager.

    Example:
    >>> with tf.summary.record_if(lambda: step % 10 == 0):
    ...     tf.summary.scalar("loss", loss, step=step)
    """
    return _RecordIf(condition)


def should_record_summaries() -> bool:
    """Whether summaries will be recorded now.

    Returns:
        False without a default writer; otherwise the `record_if` condition.

    Example:
    >>> tf.summary.should_record_summaries()
    False
    """
    return _state.writer is not None and _recording()


def trace_on(graph: bool = True, profiler: bool = False, profiler_outdir: str | None = None):
    """Starts a graph trace: records nothing in tork, with a warning.

    tork runs eagerly on PyTorch, so there is no TensorFlow graph to trace; the
    script goes on and `trace_export` writes nothing. Profile with `torch.profiler`
    instead (its traces open in TensorBoard with the torch-tb-profiler plugin).

    Args:
        graph: accepted.
        profiler: accepted.
        profiler_outdir: accepted.

    Example:
    >>> tf.summary.trace_on(graph=True)  # doctest: +SKIP
    """
    del graph, profiler, profiler_outdir
    warnings.warn(
        "tf.summary.trace_on records nothing in tork: it runs eagerly on PyTorch, so there is "
        "no TensorFlow graph to trace, and tf.summary.trace_export will write no graph. "
        "Profile with torch.profiler instead (TensorBoard shows its traces with the "
        "torch-tb-profiler plugin).",
        UserWarning,
        stacklevel=2,
    )


def trace_export(name: str, step: Any = None, profiler_outdir: str | None = None) -> None:
    """Exports a graph trace: writes nothing in tork (see `trace_on`).

    Args:
        name: accepted.
        step: accepted.
        profiler_outdir: accepted.
    """
    del name, step, profiler_outdir


def trace_off() -> None:
    """Stops tracing: does nothing (`trace_on` records nothing in tork)."""


def _get_step() -> Any:
    """Returns the default summary step of the current thread (None if unset).

    Returns:
        The value given to `set_step` or `as_default(step=...)`: an int, tensor or
        Variable, or None.

    Example:
    >>> tf.summary.experimental.set_step(3)
    >>> tf.summary.experimental.get_step()
    3
    """
    return _state.step


def _set_step(step: Any) -> None:
    """Sets the default summary step of the current thread.

    Args:
        step: an int64-castable step (a Variable is read at each write, e.g.
            `optimizer.iterations`), or None to unset.

    Example:
    >>> tf.summary.experimental.set_step(optimizer.iterations)
    """
    _state.step = step


class _Experimental:
    """`tf.summary.experimental`: the default-step functions."""

    get_step = staticmethod(_get_step)
    set_step = staticmethod(_set_step)
    __getattr__ = staticmethod(module_getattr("tf.summary.experimental"))


_get_step.__name__ = _get_step.__qualname__ = "get_step"
_set_step.__name__ = _set_step.__qualname__ = "set_step"

experimental = _Experimental()
