"""The base classes of feature columns and the per-call cache that transforms features.

A feature column describes how one raw input feature (a key of the features dict)
becomes model input. Dense columns (`numeric_column`, `indicator_column`,
`embedding_column`, ...) give a float tensor `(batch, *variable_shape)`;
categorical columns (`categorical_column_with_*`, `bucketized_column`,
`crossed_column`) give integer ids. TensorFlow carries those ids in a
`SparseTensor`; tork carries them as `CategoricalIds`: a padded `(batch, n)` id
matrix with a mask of the entries that exist (and optional weights), which the
dense columns turn into one-hot sums or embedding lookups with torch ops.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.sparse_tensor import SparseTensor
from tork._backend.string_tensor import StringTensor


class CategoricalIds(NamedTuple):
    """The ids a categorical column gives for a batch.

    Attributes:
        ids: int64 tensor `(batch, n)`; entries where `mask` is False are padding.
        mask: bool tensor `(batch, n)`, True where an id exists.
        weights: float tensor `(batch, n)` (weighted columns) or None.
    """

    ids: torch.Tensor
    mask: torch.Tensor
    weights: torch.Tensor | None = None


class RawValues(NamedTuple):
    """A raw categorical feature as `(batch, n)` values with a mask of existing entries.

    `values` is an object ndarray of bytes (strings) or an int64 torch tensor.
    """

    values: object
    mask: torch.Tensor


def dtype_repr(dtype) -> str:
    """A dtype as TensorFlow prints it in a column repr (`tf.float32`, `tf.string`)."""
    if dtype is string_tensor.string:
        return "tf.string"
    return "tf." + str(dtype).replace("torch.", "")


def as_dtype(dtype, where: str):
    """A dtype argument as a torch dtype, or `tf.string`."""
    from tork._backend.dtypes import as_dtype as _as_dtype

    if dtype is string_tensor.string or dtype in ("string", "tf.string"):
        return string_tensor.string
    if dtype is str or dtype is bytes:
        return string_tensor.string
    try:
        return _as_dtype(dtype)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{where}: unsupported dtype {dtype!r}.") from error


def is_integer_dtype(dtype) -> bool:
    return isinstance(dtype, torch.dtype) and not dtype.is_floating_point and dtype != torch.bool


def value_repr(value) -> str:
    """A field value as TensorFlow's namedtuple repr shows it."""
    if isinstance(value, torch.dtype) or value is string_tensor.string:
        return dtype_repr(value)
    return repr(value)


class FeatureColumn:
    """The base of all feature columns: a name, the raw keys it reads, a parse spec.

    Columns are immutable value objects, compared and hashed by their fields (as
    TensorFlow's namedtuple columns), so the same column twice is one column.
    """

    _fields: tuple = ()

    @property
    def name(self) -> str:
        """The column's name; `DenseFeatures` orders its outputs by it."""
        raise NotImplementedError

    @property
    def parse_example_spec(self) -> dict:
        """`{feature key: tf.io.FixedLenFeature/VarLenFeature}`: how to parse this column."""
        raise NotImplementedError

    @property
    def parents(self) -> list:
        """The columns and raw keys this column is built on."""
        return []

    def _values(self) -> tuple:
        return tuple(getattr(self, field) for field in self._fields)

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and _hashable(self._values()) == _hashable(other._values())

    def __hash__(self) -> int:
        return hash((type(self).__name__, _hashable(self._values())))

    def __repr__(self) -> str:
        fields = ", ".join(f"{f}={value_repr(getattr(self, f))}" for f in self._fields)
        return f"{type(self).__name__}({fields})"

    def transform(self, cache: FeatureCache):
        """This column's transformed value for the batch in `cache` (cached per call)."""
        raise NotImplementedError

    def create_state(self, layer) -> None:
        """Creates this column's weights in `layer` (embedding columns)."""


def _hashable(value):
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, np.ndarray):
        return tuple(value.tolist())
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    try:
        hash(value)
    except TypeError:
        return id(value)
    return value


class DenseColumn(FeatureColumn):
    """A column with a dense float output of shape `(batch, *variable_shape)`."""

    @property
    def variable_shape(self):
        """The `tf.TensorShape` of one example's output."""
        raise NotImplementedError

    @property
    def _output_size(self) -> int:
        return math.prod(int(d) for d in self.variable_shape)

    def get_dense_tensor(self, cache: FeatureCache, layer) -> torch.Tensor:
        """The column's dense output `(batch, *variable_shape)`, with `layer`'s weights."""
        raise NotImplementedError


class KeyedColumn(FeatureColumn):
    """A column reading one raw feature, `key`, parsed as a `tf.io.VarLenFeature`."""

    # The parse dtype; None: the column's own `dtype`.
    _parse_dtype = None

    @property
    def name(self) -> str:
        return self.key

    @property
    def parse_example_spec(self) -> dict:
        from tork.ops.io import VarLenFeature

        dtype = self._parse_dtype if self._parse_dtype is not None else self.dtype
        return {self.key: VarLenFeature(dtype)}

    @property
    def parents(self) -> list:
        return [self.key]


class WrappingColumn(FeatureColumn):
    """A column over one categorical column (dense, or its sequence form), named
    `<its name><_suffix>`, parsed as it is."""

    _suffix = ""

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}{self._suffix}"

    @property
    def parse_example_spec(self) -> dict:
        return self.categorical_column.parse_example_spec

    @property
    def parents(self) -> list:
        return [self.categorical_column]


class CategoricalColumn(FeatureColumn):
    """A column of integer ids in `[0, num_buckets)`."""

    @property
    def num_buckets(self) -> int:
        """The number of distinct ids."""
        raise NotImplementedError

    def get_ids(self, cache: FeatureCache) -> CategoricalIds:
        """The column's ids for the batch in `cache`."""
        return cache.get(self)


class FeatureCache:
    """The features of one call and every column's transformed value, computed once each.

    Args:
        features: the dict of raw features (tensors, NumPy arrays, string tensors,
            Python lists or `tf.SparseTensor`s).
        where: the layer name for error messages.
    """

    def __init__(self, features: dict, where: str):
        self._features = features
        self._where = where
        self._cache: dict = {}

    @property
    def where(self) -> str:
        return self._where

    def get(self, key):
        """The raw feature `key` (a string) or a column's transformed value."""
        cache_key = ("key", key) if isinstance(key, str) else ("column", key)
        if cache_key not in self._cache:
            if isinstance(key, str):
                self._cache[cache_key] = self._raw(key)
            else:
                self._cache[cache_key] = key.transform(self)
        return self._cache[cache_key]

    def _raw(self, key: str):
        if key not in self._features:
            raise ValueError(
                f"{self._where}: the feature column needs the feature {key!r}, which the "
                f"features dict does not have (its keys: {sorted(self._features)}). Add it to "
                "the input dict (e.g. the DataFrame column) or fix the column's key."
            )
        value = self._convert(self._features[key])
        if isinstance(value, SparseTensor):
            return value
        if value.ndim == 0:
            raise ValueError(
                f"{self._where}: feature {key!r} is a scalar; feature columns need a batch "
                "dimension (shape (batch,) or (batch, ...))."
            )
        if value.ndim == 1:
            # As TensorFlow: a (batch,) feature is one value per example, (batch, 1).
            value = value.reshape(value.shape[0], 1)
        return value

    @staticmethod
    def _convert(value):
        if isinstance(value, (torch.Tensor, StringTensor, SparseTensor)):
            return value
        if string_tensor.is_string(value):
            return string_tensor.make(value, "tf.feature_column")
        array = np.asarray(value)
        if array.dtype.kind in "OUS":
            return string_tensor.make(array, "tf.feature_column")
        return torch.as_tensor(array)


def raw_categorical(cache: FeatureCache, key: str, column) -> RawValues:
    """Feature `key` as `(batch, n)` values, without TF's ignore value ('' or -1)."""
    value = cache.get(key)
    if isinstance(value, SparseTensor):
        return _sparse_to_raw(value, cache, key)
    if isinstance(value, StringTensor):
        array = np.asarray(value.view(np.ndarray)).reshape(value.shape[0], -1)
        mask = torch.as_tensor(array != b"", dtype=torch.bool)
        return RawValues(array, mask)
    if value.is_floating_point() or value.dtype == torch.bool:
        raise ValueError(
            f"{cache.where}: column {column.name!r} needs a string or integer feature "
            f"{key!r}, got dtype {str(value.dtype).replace('torch.', '')}. Cast it to an "
            "integer (or use bucketized_column for a numeric feature)."
        )
    flat = value.reshape(value.shape[0], -1).to(torch.int64)
    return RawValues(flat, flat != -1)


def _sparse_to_raw(value: SparseTensor, cache: FeatureCache, key: str) -> RawValues:
    """A rank-2 SparseTensor as left-aligned padded rows."""
    shape = [int(d) for d in value.dense_shape]
    if len(shape) != 2:
        raise ValueError(
            f"{cache.where}: the SparseTensor feature {key!r} must have rank 2, got dense "
            f"shape {shape}."
        )
    rows = value.indices[:, 0].tolist()
    counts = [0] * shape[0]
    positions = []
    for row in rows:
        positions.append(counts[row])
        counts[row] += 1
    width = max(counts, default=0)
    mask = torch.zeros(shape[0], width, dtype=torch.bool)
    values = value.values
    if isinstance(values, StringTensor):
        out = np.full((shape[0], width), b"", dtype=object)
        flat = list(np.asarray(values.view(np.ndarray)).reshape(-1))
        for row, pos, item in zip(rows, positions, flat):
            out[row, pos] = item
            mask[row, pos] = True
        return RawValues(out, mask)
    out = torch.zeros(shape[0], width, dtype=torch.int64)
    flat = values.to(torch.int64).tolist()
    for row, pos, item in zip(rows, positions, flat):
        out[row, pos] = item
        mask[row, pos] = True
    return RawValues(out, mask)


def check_key(key, where: str) -> str:
    if not isinstance(key, str):
        raise ValueError(f"{where}: key must be a string, got {key!r} ({type(key).__name__}).")
    return key
