"""`tf.feature_column.categorical_column_with_identity`: integer features used as ids."""

from __future__ import annotations

import torch

from tork._backend.errors import InvalidArgumentError
from tork.feature_column._base import (
    CategoricalColumn,
    CategoricalIds,
    FeatureCache,
    KeyedColumn,
    check_key,
    raw_categorical,
)


class IdentityCategoricalColumn(KeyedColumn, CategoricalColumn):
    """Integer feature values used directly as ids; see the function."""

    _fields = ("key", "number_buckets", "default_value")
    _parse_dtype = torch.int64

    def __init__(self, key, number_buckets, default_value):
        self.key = key
        self.number_buckets = number_buckets
        self.default_value = default_value

    @property
    def num_buckets(self) -> int:
        return self.number_buckets

    def transform(self, cache: FeatureCache) -> CategoricalIds:
        raw = raw_categorical(cache, self.key, self)
        if not isinstance(raw.values, torch.Tensor):
            raise ValueError(
                f"{cache.where}: categorical_column_with_identity {self.key!r} needs integer "
                "values, got strings. Use categorical_column_with_vocabulary_list or "
                "categorical_column_with_hash_bucket for strings."
            )
        ids = raw.values
        outside = ((ids < 0) | (ids >= self.number_buckets)) & raw.mask
        if torch.compiler.is_compiling():
            # A traced program (tf.saved_model.save, torch.compile) cannot branch on the
            # values: out-of-range ids take the default (or stay, as no check can raise).
            if self.default_value is not None:
                ids = torch.where(outside, torch.full_like(ids, self.default_value), ids)
            return CategoricalIds(ids, raw.mask)
        if bool(outside.any()):
            if self.default_value is None:
                bad = ids[outside][0].item()
                raise InvalidArgumentError(
                    f"{cache.where}: column {self.key!r}: ids must be in [0, "
                    f"{self.number_buckets}), got {bad}. Give the column a default_value for "
                    "out-of-range ids, or more num_buckets."
                )
            ids = torch.where(outside, torch.full_like(ids, self.default_value), ids)
        return CategoricalIds(ids, raw.mask)


def categorical_column_with_identity(key, num_buckets, default_value=None):
    """A categorical column whose integer values are the ids.

    Values must be in `[0, num_buckets)`; values outside become `default_value`,
    or raise an error when it is None. -1 means "no value".

    Args:
        key: the feature name.
        num_buckets: the number of ids.
        default_value: the id of out-of-range values, or None to raise an error.

    Returns:
        An `IdentityCategoricalColumn`.

    Example:
    >>> ids = tf.feature_column.categorical_column_with_identity("video_id", 4)
    >>> layer = tf.keras.layers.DenseFeatures([tf.feature_column.indicator_column(ids)])
    >>> layer({"video_id": [1, 3]}).tolist()
    [[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
    """
    key = check_key(key, "categorical_column_with_identity")
    if int(num_buckets) < 1:
        raise ValueError(f"num_buckets {num_buckets} < 1, column_name {key}")
    if default_value is not None and (default_value < 0 or default_value >= num_buckets):
        raise ValueError(
            f"default_value {default_value} not in range [0, {num_buckets}), column_name {key}"
        )
    return IdentityCategoricalColumn(key, int(num_buckets), default_value)
