"""`tf.data.TFRecordDataset`: the records of TFRecord files as scalar string tensors."""

from __future__ import annotations

import os

import numpy as np

from tork._backend import string_tensor
from tork.data.dataset import UNKNOWN_CARDINALITY, Dataset
from tork.data.tensor_spec import TensorSpec


def _filename(value) -> str:
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
        "tf.data.TFRecordDataset: `filenames` must be a file name, a list or 1-D string "
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
        self._compression = _tfrecord.compression_name(compression_type, "tf.data.TFRecordDataset")
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
            self._filenames = [_filename(f) for f in np.asarray(filenames, dtype=object).ravel()]
            if not self._filenames:
                raise ValueError("tf.data.TFRecordDataset: `filenames` is empty.")

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
