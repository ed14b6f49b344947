"""`tf.feature_column.weighted_categorical_column`: ids with a weight per value."""

from __future__ import annotations

import torch

from tork._backend.sparse_tensor import SparseTensor
from tork.feature_column._base import (
    CategoricalColumn,
    CategoricalIds,
    FeatureCache,
    _sparse_to_raw,
    as_dtype,
)


class WeightedCategoricalColumn(CategoricalColumn):
    """A categorical column's ids with the weights of another feature; see the function."""

    _fields = ("categorical_column", "weight_feature_key", "dtype")

    def __init__(self, categorical_column, weight_feature_key, dtype):
        self.categorical_column = categorical_column
        self.weight_feature_key = weight_feature_key
        self.dtype = dtype

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}_weighted_by_{self.weight_feature_key}"

    @property
    def parse_example_spec(self) -> dict:
        from tork.ops.io import VarLenFeature

        spec = dict(self.categorical_column.parse_example_spec)
        if self.weight_feature_key in spec:
            raise ValueError(
                f"Parse config {spec[self.weight_feature_key]} already exists for "
                f"{self.weight_feature_key}."
            )
        spec[self.weight_feature_key] = VarLenFeature(self.dtype)
        return spec

    @property
    def parents(self) -> list:
        return [self.categorical_column, self.weight_feature_key]

    @property
    def num_buckets(self) -> int:
        return self.categorical_column.num_buckets

    def transform(self, cache: FeatureCache) -> CategoricalIds:
        ids = self.categorical_column.get_ids(cache)
        value = cache.get(self.weight_feature_key)
        if isinstance(value, SparseTensor):
            weights = _sparse_to_raw(value, cache, self.weight_feature_key).values
        else:
            weights = value.reshape(value.shape[0], -1)
        if tuple(weights.shape) != tuple(ids.ids.shape):
            raise ValueError(
                f"{cache.where}: weighted_categorical_column {self.name!r}: the weights "
                f"{self.weight_feature_key!r} have shape {tuple(weights.shape)} but the ids "
                f"have shape {tuple(ids.ids.shape)}; give one weight per value."
            )
        return CategoricalIds(ids.ids, ids.mask, weights.to(ids.ids.device, torch.float32))


def weighted_categorical_column(categorical_column, weight_feature_key, dtype=torch.float32):
    """Applies a weight to each value of a categorical column.

    The feature `weight_feature_key` holds one weight per value of the categorical
    feature. `indicator_column` then sums the weights of each id and
    `embedding_column` combines the embeddings by weight.

    Args:
        categorical_column: a categorical column.
        weight_feature_key: the feature name of the weights.
        dtype: the weights' type (a float type).

    Returns:
        A `WeightedCategoricalColumn`.

    Example:
    >>> words = tf.feature_column.categorical_column_with_identity("words", 3)
    >>> weighted = tf.feature_column.weighted_categorical_column(words, "counts")
    >>> weighted.name
    'words_weighted_by_counts'
    """
    if not isinstance(categorical_column, CategoricalColumn):
        raise ValueError(
            f"categorical_column must be a CategoricalColumn, got {categorical_column}."
        )
    dtype = as_dtype(dtype, "weighted_categorical_column")
    if not isinstance(dtype, torch.dtype) or not (
        dtype.is_floating_point or dtype in (torch.int32, torch.int64)
    ):
        raise ValueError(f"dtype {dtype} is not convertible to float.")
    return WeightedCategoricalColumn(categorical_column, weight_feature_key, dtype)
