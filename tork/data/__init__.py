"""`tf.data`: input pipelines over torch tensors.

Example:
>>> ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x)).batch(32)
"""

from tork._backend.errors import module_getattr
from tork.data import experimental
from tork.data._tfrecord import FixedLengthRecordDataset, TextLineDataset, TFRecordDataset
from tork.data.dataset import (
    AUTOTUNE,
    INFINITE_CARDINALITY,
    UNKNOWN_CARDINALITY,
    Dataset,
    Iterator,
)
from tork.data.options import Options, ThreadingOptions
from tork.data.tensor_spec import DatasetSpec, TensorSpec

DatasetV2 = Dataset

__all__ = [
    "AUTOTUNE",
    "INFINITE_CARDINALITY",
    "UNKNOWN_CARDINALITY",
    "Dataset",
    "DatasetSpec",
    "FixedLengthRecordDataset",
    "DatasetV2",
    "Iterator",
    "Options",
    "TensorSpec",
    "TextLineDataset",
    "TFRecordDataset",
    "ThreadingOptions",
    "experimental",
]

__getattr__ = module_getattr("tf.data")
