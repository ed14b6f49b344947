"""`tf.compat.v1.python_io` (TF 1's `tf.python_io`): TFRecord files from plain Python.

TF 1 era code reads TFRecord files record by record with
`for record in tf.compat.v1.io.tf_record_iterator(path): ...` (also
`tf.python_io.tf_record_iterator`), and writes them with `python_io.TFRecordWriter`.
The compression can be named by TF 1's `TFRecordCompressionType` enum (NONE=0,
ZLIB=1, GZIP=2) as well as by TF 2's strings.
"""

from __future__ import annotations

import os

from tork._backend.errors import NotFoundError
from tork.ops import _tfrecord
from tork.ops import io as _io

__all__ = ["TFRecordCompressionType", "TFRecordOptions", "TFRecordWriter", "tf_record_iterator"]


class TFRecordCompressionType:
    """TF 1's compression enum of TFRecord files."""

    NONE = 0
    ZLIB = 1
    GZIP = 2


_BY_ENUM = {0: "", 1: "ZLIB", 2: "GZIP"}


def _named(compression, where: str):
    """A compression given as TF 1's enum value turned into its TF 2 name."""
    if isinstance(compression, int) and not isinstance(compression, bool):
        if compression not in _BY_ENUM:
            raise ValueError(
                f"{where}: unknown TFRecordCompressionType {compression}; use "
                "TFRecordCompressionType.NONE (0), ZLIB (1) or GZIP (2)."
            )
        return _BY_ENUM[compression]
    return compression


class TFRecordOptions(_io.TFRecordOptions):
    """`tf.io.TFRecordOptions`, also taking a `TFRecordCompressionType` value."""

    def __init__(self, compression_type=None, *args, **kwargs):
        where = "tf.compat.v1.io.TFRecordOptions"
        super().__init__(_named(compression_type, where), *args, **kwargs)


class TFRecordWriter(_io.TFRecordWriter):
    """`tf.io.TFRecordWriter`, also taking a `TFRecordCompressionType` value."""

    def __init__(self, path, options=None):
        super().__init__(path, _named(options, "tf.compat.v1.io.TFRecordWriter"))


def _records(path: str, compression: str):
    yield from _tfrecord.read_records(path, compression)


def tf_record_iterator(path, options=None):
    """An iterator over the records of a TFRecord file, as Python `bytes`.

    Args:
        path: the file's path.
        options: None, a compression name ("GZIP", "ZLIB"), a
            `TFRecordCompressionType` value or a `TFRecordOptions`.

    Returns:
        An iterator of the records (bytes), read as it is advanced.

    Raises:
        NotFoundError: the file does not exist (raised here, as TF does).
        DataLossError: while iterating, a record is truncated or corrupt.

    Example:
    >>> for record in tf.compat.v1.io.tf_record_iterator("/tmp/data.tfrecord"):
    ...     example = tf.train.Example.FromString(record)
    """
    where = "tf.compat.v1.io.tf_record_iterator"
    options = getattr(options, "compression_type", options)
    compression = _tfrecord.compression_name(_named(options, where), where)
    path = os.fspath(path.numpy() if hasattr(path, "numpy") else path)
    path = path.decode() if isinstance(path, bytes) else path
    if not os.path.exists(path):
        raise NotFoundError(f"{where}: {path}: No such file or directory.")
    return _records(path, compression)
