"""`tf.data.TFRecordDataset`: the records of TFRecord files as scalar string tensors."""

from __future__ import annotations

import os

import numpy as np

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
