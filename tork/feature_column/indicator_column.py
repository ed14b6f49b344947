"""`tf.feature_column.indicator_column`: a categorical column as multi-hot."""

from __future__ import annotations

import torch

from tork._backend.tensor_shape import TensorShape
from tork.feature_column._base import (
    CategoricalColumn,
    DenseColumn,
    FeatureCache,
    WrappingColumn,
)


class IndicatorColumn(WrappingColumn, DenseColumn):
    """The multi-hot (or weight-sum) of a categorical column's ids; see the function."""

    _suffix = "_indicator"

    _fields = ("categorical_column",)

    def __init__(self, categorical_column):
        self.categorical_column = categorical_column

    @property
    def variable_shape(self):
        return TensorShape((1, self.categorical_column.num_buckets))

    @property
    def _output_size(self) -> int:
        return self.categorical_column.num_buckets

    def transform(self, cache: FeatureCache) -> torch.Tensor:
        ids = self.categorical_column.get_ids(cache)
        depth = self.categorical_column.num_buckets
        # Missing entries and negative ids (out of vocabulary with default -1) add nothing.
        valid = ids.mask & (ids.ids >= 0) & (ids.ids < depth)
        weights = valid.to(torch.float32)
        if ids.weights is not None:
            weights = weights * ids.weights.to(torch.float32)
        out = torch.zeros(ids.ids.shape[0], depth, dtype=torch.float32, device=ids.ids.device)
        return out.scatter_add_(1, torch.where(valid, ids.ids, 0), weights)

    def get_dense_tensor(self, cache: FeatureCache, layer) -> torch.Tensor:
        return cache.get(self)


def indicator_column(categorical_column):
    """Represents the multi-hot of a categorical column.

    Each example gives a vector of `num_buckets` counts of its ids (for a
    `weighted_categorical_column`, the sum of the weights of each id). Ids the
    column marks as missing or out of vocabulary (-1) add nothing.

    Args:
        categorical_column: a categorical column (`categorical_column_with_*`,
            `bucketized_column`, `crossed_column`, `weighted_categorical_column`).

    Returns:
        An `IndicatorColumn`.

    Example:
    >>> kind = tf.feature_column.categorical_column_with_vocabulary_list(
    ...     "kind", ["cat", "dog"])
    >>> layer = tf.keras.layers.DenseFeatures([tf.feature_column.indicator_column(kind)])
    >>> layer({"kind": ["dog", "cat"]}).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """
    if not isinstance(categorical_column, CategoricalColumn):
        raise ValueError(
            "Unsupported input type. Input must be a CategoricalColumn. Given: "
            f"{categorical_column}"
        )
    return IndicatorColumn(categorical_column)
