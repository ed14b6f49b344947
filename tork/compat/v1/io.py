"""`tf.compat.v1.io`: TF 2's `tf.io` plus TF 1's record iterator.

`tf_record_iterator` and `TFRecordCompressionType` are TF 1 names (see `python_io`);
every other name is `tf.io`'s.
"""

from __future__ import annotations

from tork.compat.v1 import _v2_names
from tork.compat.v1.python_io import (
    TFRecordCompressionType,
    TFRecordOptions,
    TFRecordWriter,
    tf_record_iterator,
)

__all__ = ["TFRecordCompressionType", "TFRecordOptions", "TFRecordWriter", "tf_record_iterator"]


def _no_attribute(name: str):
    raise AttributeError(f"module 'tf.compat.v1.io' has no attribute '{name}'")


# `tf.compat.v1.io.parse_single_example`...: TF 2's tf.io.
__getattr__ = _v2_names.fallback_getattr(globals(), "tork.ops.io", _no_attribute)
