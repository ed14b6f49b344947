"""`tf.feature_column.bucketized_column`: a numeric feature discretized by boundaries."""

from __future__ import annotations

import math

import torch

from tork._backend.tensor_shape import TensorShape
from tork.feature_column._base import (
    CategoricalColumn,
    CategoricalIds,
    DenseColumn,
    FeatureCache,
)
from tork.feature_column.numeric_column import NumericColumn


class BucketizedColumn(DenseColumn, CategoricalColumn):
    """A numeric column's values as bucket ids; see `bucketized_column`."""

    _fields = ("source_column", "boundaries")

    def __init__(self, source_column, boundaries):
        self.source_column = source_column
        self.boundaries = boundaries

    @property
    def name(self) -> str:
        return f"{self.source_column.name}_bucketized"

    @property
    def parse_example_spec(self) -> dict:
        return self.source_column.parse_example_spec

    @property
    def parents(self) -> list:
        return [self.source_column]

    @property
    def _source_size(self) -> int:
        return math.prod(self.source_column.shape)

    @property
    def num_buckets(self) -> int:
        # Each element of the source value has its own range of buckets.
        return (len(self.boundaries) + 1) * self._source_size

    @property
    def variable_shape(self):
        return TensorShape((*self.source_column.shape, len(self.boundaries) + 1))

    def transform(self, cache: FeatureCache) -> torch.Tensor:
        """Bucket indices of the source values: `i` where `b[i-1] <= x < b[i]`."""
        values = cache.get(self.source_column)
        edges = torch.tensor(self.boundaries, dtype=values.dtype, device=values.device)
        return torch.bucketize(values, edges, right=True)

    def get_dense_tensor(self, cache: FeatureCache, layer) -> torch.Tensor:
        buckets = cache.get(self)
        depth = len(self.boundaries) + 1
        return torch.nn.functional.one_hot(buckets, depth).to(torch.float32)

    def get_ids(self, cache: FeatureCache) -> CategoricalIds:
        buckets = cache.get(self).reshape(-1, self._source_size)
        offsets = torch.arange(self._source_size, device=buckets.device) * (
            len(self.boundaries) + 1
        )
        ids = buckets + offsets
        return CategoricalIds(ids, torch.ones_like(ids, dtype=torch.bool))


def bucketized_column(source_column, boundaries):
    """Represents discretized dense input bucketed by `boundaries`.

    Buckets include the left boundary and exclude the right one: with
    `boundaries=[0., 1., 2.]` the buckets are `(-inf, 0.)`, `[0., 1.)`, `[1., 2.)`
    and `[2., +inf)`. As a dense column it gives the one-hot bucket; it is also a
    categorical column (for `crossed_column`, `embedding_column`, ...).

    Args:
        source_column: a one-dimensional `numeric_column`.
        boundaries: a sorted list or tuple of floats.

    Returns:
        A `BucketizedColumn`.

    Example:
    >>> age = tf.feature_column.numeric_column("age")
    >>> buckets = tf.feature_column.bucketized_column(age, boundaries=[18, 65])
    >>> tf.keras.layers.DenseFeatures([buckets])({"age": [[10.0], [70.0]]}).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    if not isinstance(source_column, NumericColumn):
        raise ValueError(
            "source_column must be a column generated with numeric_column(). Given: "
            f"{source_column!r}"
        )
    if len(source_column.shape) > 1:
        raise ValueError(f"source_column must be one-dimensional column. Given: {source_column!r}")
    if not boundaries:
        raise ValueError("boundaries must not be empty.")
    if not isinstance(boundaries, (list, tuple)):
        raise ValueError("boundaries must be a sorted list.")
    for i in range(len(boundaries) - 1):
        if boundaries[i] >= boundaries[i + 1]:
            raise ValueError("boundaries must be a sorted list.")
    return BucketizedColumn(source_column, tuple(boundaries))
