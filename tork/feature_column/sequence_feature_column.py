"""`tf.feature_column.sequence_*`: columns of per-timestep features (sparse sequences).

Sequence features arrive as `tf.SparseTensor`s of dense shape `(batch, max_time)` (or
`(batch, max_time, n)` for several values per step), as `tf.io.parse_sequence_example`
gives them. The value at index `[b, t]` is step `t` of example `b`; a row's sequence
length is its last step index + 1. `tf.keras.experimental.SequenceFeatures` turns the
columns (`sequence_numeric_column`, and `embedding_column` / `indicator_column` of the
`sequence_categorical_column_with_*` columns) into a `(batch, max_time, size)` tensor.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.sparse_tensor import SparseTensor
from tork._backend.string_tensor import StringTensor
from tork._backend.tensor_shape import TensorShape
from tork.feature_column._base import (
    CategoricalColumn,
    CategoricalIds,
    FeatureCache,
    FeatureColumn,
    WrappingColumn,
    as_dtype,
    check_key,
)
from tork.feature_column.categorical_hash_bucket import categorical_column_with_hash_bucket
from tork.feature_column.categorical_identity import categorical_column_with_identity
from tork.feature_column.categorical_vocabulary_file import (
    categorical_column_with_vocabulary_file,
)
from tork.feature_column.categorical_vocabulary_list import (
    categorical_column_with_vocabulary_list,
)
from tork.feature_column.numeric_column import _default, _shape


def sparse_input(cache: FeatureCache, key: str) -> SparseTensor:
    value = cache.get(key)
    if not isinstance(value, SparseTensor):
        raise TypeError(
            f"{cache.where}: Input must be a SparseTensor. Sequence feature {key!r} is a dense "
            f"{type(value).__name__}; convert it with tf.sparse.from_dense (or parse it with "
            "tf.io.parse_sequence_example)."
        )
    return value


def sequence_length(sparse: SparseTensor, per_step: int = 1) -> torch.Tensor:
    """Each row's last used position + 1, in steps of `per_step` positions (TF's rule)."""
    batch = int(sparse.dense_shape[0])
    lengths = torch.zeros(batch, dtype=torch.int64)
    if sparse.indices.shape[0]:
        rows, cols = sparse.indices[:, 0].cpu(), sparse.indices[:, 1].cpu()
        lengths.scatter_reduce_(0, rows, cols + 1, reduce="amax")
    return -(-lengths // per_step)  # ceil division


class SequenceNumericColumn(FeatureColumn):
    """Real-valued sequence feature; see `sequence_numeric_column`."""

    _fields = ("key", "shape", "default_value", "dtype", "normalizer_fn")
    _is_sequence = True

    def __init__(self, key, shape, default_value, dtype, normalizer_fn):
        self.key = key
        self.shape = shape
        self.default_value = default_value
        self.dtype = dtype
        self.normalizer_fn = normalizer_fn

    @property
    def parents(self) -> list:
        return [self.key]

    @property
    def name(self) -> str:
        return self.key

    @property
    def parse_example_spec(self) -> dict:
        from tork.ops.io import VarLenFeature

        return {self.key: VarLenFeature(self.dtype)}

    @property
    def variable_shape(self):
        return TensorShape(self.shape)

    @property
    def _output_size(self) -> int:
        return math.prod(self.shape)

    def transform(self, cache: FeatureCache) -> SparseTensor:
        sparse = sparse_input(cache, self.key)
        if self.normalizer_fn is not None:
            # As TensorFlow: the normalizer sees the given values (not the padding).
            values = self.normalizer_fn(sparse.values)
            sparse = SparseTensor(sparse.indices, values, sparse.dense_shape)
        return sparse

    def get_sequence_dense_tensor(self, cache: FeatureCache, layer):
        sparse = cache.get(self)
        batch, width = (int(d) for d in sparse.dense_shape[:2])
        size = self._output_size
        steps = -(-width // size)
        flat = torch.full((batch, steps * size), float(self.default_value), dtype=torch.float32)
        values = torch.as_tensor(sparse.values).to(torch.float32).cpu()
        flat[sparse.indices[:, 0].cpu(), sparse.indices[:, 1].cpu()] = values
        return flat.reshape(batch, steps, size), sequence_length(sparse, size)


class SequenceCategoricalColumn(WrappingColumn, CategoricalColumn):
    """A categorical column applied to each step of a sequence; see the functions."""

    _fields = ("categorical_column",)
    _is_sequence = True

    def __init__(self, categorical_column):
        self.categorical_column = categorical_column

    @property
    def key(self) -> str:
        return self.categorical_column.key

    @property
    def num_buckets(self) -> int:
        return self.categorical_column.num_buckets

    def transform(self, cache: FeatureCache):
        """(ids of shape `(batch * max_time, n)`, batch, max_time, lengths)."""
        sparse = sparse_input(cache, self.key)
        shape = [int(d) for d in sparse.dense_shape]
        if len(shape) not in (2, 3):
            raise ValueError(
                f"{cache.where}: sequence feature {self.key!r} must be a SparseTensor of rank 2 "
                f"or 3, got dense shape {shape}."
            )
        batch, steps = shape[0], shape[1]
        per_step = shape[2] if len(shape) == 3 else 1
        index = tuple(sparse.indices[:, i].cpu().numpy() for i in range(len(shape)))
        if isinstance(sparse.values, StringTensor):
            # Absent steps hold the empty string, which the inner column ignores.
            grid = np.full(shape, b"", dtype=object)
            grid[index] = np.asarray(sparse.values.view(np.ndarray)).reshape(-1)
            grid = string_tensor.wrap(grid.reshape(batch * steps, per_step))
        else:
            grid = torch.full(shape, -1, dtype=torch.int64)
            grid[tuple(torch.as_tensor(i) for i in index)] = sparse.values.to(torch.int64).cpu()
            grid = grid.reshape(batch * steps, per_step)
        inner = FeatureCache({self.key: grid}, cache.where)
        ids = self.categorical_column.get_ids(inner)
        return CategoricalIds(ids.ids, ids.mask), batch, steps, sequence_length(sparse)

    def get_ids(self, cache: FeatureCache) -> CategoricalIds:
        raise ValueError(
            f"{cache.where}: the sequence column {self.name!r} can only be used in "
            "SequenceFeatures (wrapped in embedding_column or indicator_column); DenseFeatures "
            "needs a non-sequence categorical column."
        )


def sequence_dense_tensor(column, cache: FeatureCache, layer):
    """`(batch, max_time, size)` and lengths of a sequence embedding/indicator column."""
    from tork.feature_column._embedding_lookup import combined_lookup
    from tork.feature_column.indicator_column import IndicatorColumn

    ids, batch, steps, lengths = cache.get(column.categorical_column)
    if isinstance(column, IndicatorColumn):
        depth = column.categorical_column.num_buckets
        valid = ids.mask & (ids.ids >= 0) & (ids.ids < depth)
        out = torch.zeros(ids.ids.shape[0], depth, dtype=torch.float32)
        out.scatter_add_(1, torch.where(valid, ids.ids, 0), valid.to(torch.float32))
        return out.reshape(batch, steps, depth), lengths
    table = layer._tork_column_weights[column.name]
    out = combined_lookup(table, ids, column.combiner, column.max_norm)
    return out.reshape(batch, steps, -1), lengths


def sequence_numeric_column(
    key, shape=(1,), default_value=0.0, dtype=torch.float32, normalizer_fn=None
):
    """A real-valued sequence feature (one value of `shape` per step).

    Args:
        key: the feature name; its feature is a `tf.SparseTensor`.
        shape: the shape of each step's value.
        default_value: the value of padded steps.
        dtype: the feature's float or integer type.
        normalizer_fn: applied to the given values before padding.

    Returns:
        A `SequenceNumericColumn`.

    Example:
    >>> temps = tf.feature_column.sequence_numeric_column("temperature")
    >>> temps.name
    'temperature'
    """
    key = check_key(key, "sequence_numeric_column")
    dims = _shape(shape, key)
    dtype = as_dtype(dtype, f"sequence_numeric_column {key!r}")
    if not isinstance(dtype, torch.dtype) or dtype == torch.bool or dtype.is_complex:
        raise ValueError(f"dtype must be convertible to float. dtype: {dtype!r}, key: {key}")
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"normalizer_fn must be a callable. Given: {normalizer_fn}")
    if default_value is not None and not isinstance(default_value, (int, float)):
        default_value = _default(default_value, dims, key)
    return SequenceNumericColumn(key, dims, default_value, dtype, normalizer_fn)


def sequence_categorical_column_with_identity(key, num_buckets, default_value=None):
    """`categorical_column_with_identity` applied to each step of a sequence.

    Example:
    >>> ids = tf.feature_column.sequence_categorical_column_with_identity("ids", 4)
    >>> ids.num_buckets
    4
    """
    return SequenceCategoricalColumn(
        categorical_column_with_identity(key, num_buckets, default_value)
    )


def sequence_categorical_column_with_hash_bucket(key, hash_bucket_size, dtype=string_tensor.string):
    """`categorical_column_with_hash_bucket` applied to each step of a sequence.

    Example:
    >>> words = tf.feature_column.sequence_categorical_column_with_hash_bucket("words", 100)
    >>> words.name
    'words'
    """
    return SequenceCategoricalColumn(
        categorical_column_with_hash_bucket(key, hash_bucket_size, dtype)
    )


def sequence_categorical_column_with_vocabulary_list(
    key, vocabulary_list, dtype=None, default_value=-1, num_oov_buckets=0
):
    """`categorical_column_with_vocabulary_list` applied to each step of a sequence.

    Example:
    >>> colors = tf.feature_column.sequence_categorical_column_with_vocabulary_list(
    ...     "colors", ["R", "G", "B"])
    >>> colors.num_buckets
    3
    """
    return SequenceCategoricalColumn(
        categorical_column_with_vocabulary_list(
            key, vocabulary_list, dtype, default_value, num_oov_buckets
        )
    )


def sequence_categorical_column_with_vocabulary_file(
    key,
    vocabulary_file,
    vocabulary_size=None,
    num_oov_buckets=0,
    default_value=None,
    dtype=string_tensor.string,
):
    """`categorical_column_with_vocabulary_file` applied to each step of a sequence.

    Args:
        key: the feature name.
        vocabulary_file: the vocabulary file, one term per line.
        vocabulary_size: the number of lines to use (all when None).
        num_oov_buckets: hash buckets for out-of-vocabulary values.
        default_value: the id of out-of-vocabulary values.
        dtype: `tf.string` or an integer type.

    Returns:
        A `SequenceCategoricalColumn`.
    """
    return SequenceCategoricalColumn(
        categorical_column_with_vocabulary_file(
            key, vocabulary_file, vocabulary_size, dtype, default_value, num_oov_buckets
        )
    )
