"""`tf.feature_column.categorical_column_with_hash_bucket`: ids by string hashing."""

from __future__ import annotations

import numpy as np

from tork._backend import string_tensor
from tork.feature_column._base import (
    CategoricalColumn,
    CategoricalIds,
    FeatureCache,
    KeyedColumn,
    as_dtype,
    check_key,
    is_integer_dtype,
    raw_categorical,
)


class HashedCategoricalColumn(KeyedColumn, CategoricalColumn):
    """Ids by hashing a feature's values into buckets; see the function."""

    _fields = ("key", "hash_bucket_size", "dtype")

    def __init__(self, key, hash_bucket_size, dtype):
        self.key = key
        self.hash_bucket_size = hash_bucket_size
        self.dtype = dtype

    @property
    def num_buckets(self) -> int:
        return self.hash_bucket_size

    def transform(self, cache: FeatureCache) -> CategoricalIds:
        from tork.ops.strings import to_hash_bucket_fast

        raw = raw_categorical(cache, self.key, self)
        if isinstance(raw.values, np.ndarray):
            if self.dtype is not string_tensor.string:
                raise ValueError(
                    f"{cache.where}: column {self.key!r} has dtype {self.dtype!r} but the "
                    "feature holds strings."
                )
            strings = raw.values
        else:
            # As TensorFlow: integers are hashed through their decimal string.
            flat = raw.values.reshape(-1).tolist()
            strings = np.empty(len(flat), dtype=object)
            strings[:] = [str(v).encode() for v in flat]
            strings = strings.reshape(tuple(raw.mask.shape))
        ids = to_hash_bucket_fast(string_tensor.wrap(strings), self.hash_bucket_size)
        return CategoricalIds(ids.to(raw.mask.device), raw.mask)


def categorical_column_with_hash_bucket(key, hash_bucket_size, dtype=string_tensor.string):
    """A categorical column that hashes its values into `hash_bucket_size` buckets.

    The id is `Fingerprint64(value) % hash_bucket_size` (integers through their
    decimal string), bit for bit TensorFlow's ids (`tf.strings.to_hash_bucket_fast`).

    Args:
        key: the feature name.
        hash_bucket_size: the number of buckets (> 1).
        dtype: `tf.string` or an integer type.

    Returns:
        A `HashedCategoricalColumn`.

    Example:
    >>> breed = tf.feature_column.categorical_column_with_hash_bucket("breed", 10)
    >>> breed.num_buckets
    10
    """
    key = check_key(key, "categorical_column_with_hash_bucket")
    if hash_bucket_size is None:
        raise ValueError(f"hash_bucket_size must be set. key: {key}")
    if int(hash_bucket_size) < 1:
        raise ValueError(
            f"hash_bucket_size must be at least 1. hash_bucket_size: {hash_bucket_size}, key: {key}"
        )
    dtype = as_dtype(dtype, f"categorical_column_with_hash_bucket {key!r}")
    if dtype is not string_tensor.string and not is_integer_dtype(dtype):
        raise ValueError(f"dtype must be string or integer. dtype: {dtype!r}, column_name: {key}")
    return HashedCategoricalColumn(key, int(hash_bucket_size), dtype)
