"""`tf.data.TFRecordDataset`, `TextLineDataset`, `FixedLengthRecordDataset`: file records as
scalar string tensors."""

from __future__ import annotations

import os

import numpy as np
import torch

from tork._backend import string_tensor
from tork.data.dataset import UNKNOWN_CARDINALITY, Dataset
from tork.data.tensor_spec import TensorSpec


def _filename(value, where: str = "tf.data.TFRecordDataset") -> str:
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.view(np.ndarray)[()]
    if isinstance(value, (bytes, np.bytes_)):
        return os.fsdecode(bytes(value))
    if isinstance(value, str):
        return value
    raise TypeError(
        f"{where}: `filenames` must be a file name, a list or 1-D string "
        f"tensor of them, or a dataset of file names; got an item of type {type(value).__name__}."
    )


class TFRecordDataset(Dataset):
    """A dataset of the records of one or more TFRecord files.

    Each element is a scalar `tf.string` tensor holding one record (usually a
    serialized `tf.train.Example`; parse it with `tf.io.parse_single_example`
    in `map`). Files are read lazily, one after the other, in the order given,
    and every record's CRC-32C checksums are checked.

    Args:
        filenames: a file name, a list or 1-D string tensor of file names, or a
            `tf.data.Dataset` of file names.
        compression_type: None or "" (no compression), "GZIP" or "ZLIB".
        buffer_size: unused (read buffering is left to Python's file objects).
        num_parallel_reads: unused; files are read sequentially, so the order of
            the records is deterministic.
        name: unused.

    Raises:
        NotFoundError: (when iterating) a file does not exist.
        DataLossError: (when iterating) a record is truncated or corrupt.

    Example:
    >>> ds = tf.data.TFRecordDataset(["train-0.tfrecord", "train-1.tfrecord"])
    >>> ds = ds.map(lambda r: tf.io.parse_single_example(r, spec)).batch(32)
    """

    def __init__(
        self,
        filenames,
        compression_type: str | None = None,
        buffer_size: int | None = None,
        num_parallel_reads: int | None = None,
        name: str | None = None,
    ):
        from tork.ops import _tfrecord

        del buffer_size, num_parallel_reads, name
        where = f"tf.data.{type(self).__name__}"
        self._compression = _tfrecord.compression_name(compression_type, where)
        if isinstance(filenames, Dataset):
            super().__init__((filenames,))
            self._filenames = filenames
        else:
            super().__init__()
            if hasattr(filenames, "numpy") and not isinstance(filenames, np.ndarray):
                filenames = filenames.numpy()
            if isinstance(filenames, (str, bytes, os.PathLike)) or (
                isinstance(filenames, np.ndarray) and filenames.ndim == 0
            ):
                filenames = [filenames]
            self._filenames = [
                _filename(f, where) for f in np.asarray(filenames, dtype=object).ravel()
            ]
            if not self._filenames:
                raise ValueError(f"{where}: `filenames` is empty.")

    def _generic(self):
        from tork.ops import _tfrecord

        names = self._filenames
        if isinstance(names, Dataset):
            names = (_filename(f) for f in names)
        for path in names:
            for record in _tfrecord.read_records(path, self._compression):
                element = np.empty((), dtype=object)
                element[()] = record
                yield element.view(string_tensor.StringTensor)

    def _spec(self):
        return TensorSpec((), string_tensor.string)

    def _cardinality(self) -> int:
        return UNKNOWN_CARDINALITY


def _read_lines(path: str, compression: str):
    """Yields the lines of a text file as bytes, without their "\\n" or "\\r\\n" endings."""
    import gzip

    from tork._backend.errors import NotFoundError
    from tork.ops import _tfrecord

    if not os.path.exists(path):
        raise NotFoundError(f"TextLineDataset: {path}: No such file or directory.")
    if compression == "GZIP":
        stream = gzip.open(path, "rb")
    elif compression == "ZLIB":
        stream = _tfrecord._ZlibReader(path)
    else:
        stream = open(path, "rb")  # noqa: SIM115 - closed in finally
    try:
        pending = b""
        while True:
            chunk = stream.read(1 << 16)
            if not chunk:
                break
            lines = (pending + chunk).split(b"\n")
            pending = lines.pop()
            for line in lines:
                yield line[:-1] if line.endswith(b"\r") else line
        if pending:
            yield pending[:-1] if pending.endswith(b"\r") else pending
    finally:
        stream.close()


class TextLineDataset(TFRecordDataset):
    """A dataset of the lines of one or more text files.

    Each element is a scalar `tf.string` tensor holding one line, without its
    line ending ("\\n" or "\\r\\n"). Files are read lazily, one after the other.

    Args:
        filenames: a file name, a list or 1-D string tensor of file names, or a
            `tf.data.Dataset` of file names.
        compression_type: None or "" (no compression), "GZIP" or "ZLIB".
        buffer_size: unused.
        num_parallel_reads: unused; files are read in the order given.
        name: unused.

    Raises:
        NotFoundError: (when iterating) a file does not exist.

    Example:
    >>> ds = tf.data.TextLineDataset("train.csv").skip(1)  # drop the header line
    >>> ds = ds.map(lambda line: tf.strings.split(line, ","))
    """

    def _generic(self):
        names = self._filenames
        if isinstance(names, Dataset):
            names = (_filename(f) for f in names)
        for path in names:
            for line in _read_lines(path, self._compression):
                element = np.empty((), dtype=object)
                element[()] = line
                yield element.view(string_tensor.StringTensor)


def _as_byte_count(value, name: str, default: int | None) -> int:
    if value is None and default is not None:
        return default
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, np.integer):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"tf.data.FixedLengthRecordDataset: `{name}` must be an integer, got {value!r}."
        )
    return value


def _read_fixed_records(path: str, compression: str, record: int, header: int, footer: int):
    """Yields the records of one file, skipping its header and footer bytes."""
    import gzip

    from tork._backend.errors import InvalidArgumentError, NotFoundError
    from tork.ops import _tfrecord

    if not os.path.exists(path):
        raise NotFoundError(f"FixedLengthRecordDataset: {path}: No such file or directory.")

    def misfit(body: int):
        return InvalidArgumentError(
            f"Excluding the header ({header} bytes) and footer ({footer} bytes), input file "
            f'"{path}" has body length {body} bytes, which is not an exact multiple of the '
            f"record length ({record} bytes)."
        )

    if not compression:
        # As TensorFlow, an uncompressed file's size is checked before any record is read.
        body = max(os.path.getsize(path) - header - footer, 0)
        if body % record:
            raise misfit(body)
    if compression == "GZIP":
        stream = gzip.open(path, "rb")
    elif compression == "ZLIB":
        stream = _tfrecord._ZlibReader(path)
    else:
        stream = open(path, "rb")  # noqa: SIM115 - closed in finally
    try:
        pending = b""
        skip = header
        while True:
            chunk = stream.read(1 << 16)
            if skip:
                dropped = min(skip, len(chunk))
                chunk, skip = chunk[dropped:], skip - dropped
            if not chunk:
                break
            pending += chunk
            # Keep `footer` bytes back: they may be the file's last ones.
            usable = (max(len(pending) - footer, 0) // record) * record
            for start in range(0, usable, record):
                element = np.empty((), dtype=object)
                element[()] = pending[start : start + record]
                yield element.view(string_tensor.StringTensor)
            pending = pending[usable:]
        if len(pending) > footer:
            raise misfit(len(pending) - footer)
    finally:
        stream.close()


class FixedLengthRecordDataset(TFRecordDataset):
    """A dataset of the fixed-length records of one or more binary files.

    Each element is a scalar `tf.string` tensor of `record_bytes` bytes; decode it
    with `tf.io.decode_raw` in `map`. The first `header_bytes` and last
    `footer_bytes` of each file are skipped. Files are read lazily, one after the
    other, in the order given.

    Args:
        filenames: a file name, a list or 1-D string tensor of file names, or a
            `tf.data.Dataset` of file names.
        record_bytes: the length of each record, in bytes (> 0).
        header_bytes: bytes to skip at the start of each file (default 0).
        footer_bytes: bytes to ignore at the end of each file (default 0).
        buffer_size: unused (reads are buffered by Python's file objects).
        compression_type: None or "" (no compression), "GZIP" or "ZLIB".
        num_parallel_reads: unused; files are read sequentially, in order.
        name: unused.

    Raises:
        InvalidArgumentError: `record_bytes` is not positive or a size is
            negative; (when iterating) a file's body (without header and footer)
            is not a whole number of records.
        NotFoundError: (when iterating) a file does not exist.

    Example:
    >>> ds = tf.data.FixedLengthRecordDataset("data_batch_1.bin", 3073)  # CIFAR-10
    >>> ds = ds.map(lambda r: tf.io.decode_raw(r, tf.uint8))
    """

    def __init__(
        self,
        filenames,
        record_bytes,
        header_bytes=None,
        footer_bytes=None,
        buffer_size=None,
        compression_type=None,
        num_parallel_reads=None,
        name: str | None = None,
    ):
        from tork._backend.errors import InvalidArgumentError

        super().__init__(filenames, compression_type, buffer_size, num_parallel_reads, name)
        self._record = _as_byte_count(record_bytes, "record_bytes", None)
        self._header = _as_byte_count(header_bytes, "header_bytes", 0)
        self._footer = _as_byte_count(footer_bytes, "footer_bytes", 0)
        if self._record <= 0:
            raise InvalidArgumentError(
                f"tf.data.FixedLengthRecordDataset: `record_bytes` must be > 0, got {self._record}."
            )
        if self._header < 0 or self._footer < 0:
            raise InvalidArgumentError(
                "tf.data.FixedLengthRecordDataset: `header_bytes` and `footer_bytes` must be "
                f">= 0, got {self._header} and {self._footer}."
            )

    def _generic(self):
        names = self._filenames
        if isinstance(names, Dataset):
            names = (_filename(f) for f in names)
        for path in names:
            yield from _read_fixed_records(
                path, self._compression, self._record, self._header, self._footer
            )
