"""`tf.feature_column.crossed_column`: hashed combinations of categorical features."""

from __future__ import annotations

import numpy as np
import torch

from tork._backend.sparse_tensor import SparseTensor
from tork._backend.string_tensor import StringTensor
from tork.feature_column._base import (
    CategoricalColumn,
    CategoricalIds,
    FeatureCache,
    _sparse_to_raw,
)
from tork.feature_column.categorical_hash_bucket import HashedCategoricalColumn

_MASK64 = (1 << 64) - 1


class CrossedColumn(CategoricalColumn):
    """Hashed crosses of raw features and categorical columns; see the function."""

    _fields = ("keys", "hash_bucket_size", "hash_key")

    def __init__(self, keys, hash_bucket_size, hash_key):
        self.keys = keys
        self.hash_bucket_size = hash_bucket_size
        self.hash_key = hash_key

    @property
    def name(self) -> str:
        names = [k.name if not isinstance(k, str) else k for k in _leaf_keys(self)]
        return "_X_".join(sorted(names))

    @property
    def parse_example_spec(self) -> dict:
        from tork._backend import string_tensor
        from tork.ops.io import VarLenFeature

        spec = {}
        for key in self.keys:
            if isinstance(key, str):
                spec[key] = VarLenFeature(string_tensor.string)
            else:
                spec.update(key.parse_example_spec)
        return spec

    @property
    def parents(self) -> list:
        return list(self.keys)

    @property
    def num_buckets(self) -> int:
        return self.hash_bucket_size

    def transform(self, cache: FeatureCache) -> CategoricalIds:
        from tork.keras.layers.preprocessing._fingerprint import (
            CROSS_HASH_KEY,
            fingerprint64,
            fingerprint_cat64,
        )

        # TensorFlow's cross kernel takes its sparse inputs (the categorical columns' ids,
        # SparseTensor features) before its dense ones (raw dense features), each group in
        # key order; the order changes the hashes.
        keys = _leaf_keys(self)
        dense = [k for k in keys if isinstance(k, str) and not _is_sparse(cache.get(k))]
        ordered = [k for k in keys if k not in dense] + dense
        rows_per_key = [_rows(key, cache, self) for key in ordered]
        batch = len(rows_per_key[0])
        start = CROSS_HASH_KEY if self.hash_key is None else int(self.hash_key) & _MASK64
        hashes = [{}]  # fingerprints of strings, computed once each

        def feature_hash(item) -> int:
            if isinstance(item, bytes):
                value = hashes[0].get(item)
                if value is None:
                    value = hashes[0][item] = fingerprint64(item)
                return value
            return item & _MASK64

        crossed = []
        for row in range(batch):
            # Every combination of one value per key, the first key varying slowest, as
            # TensorFlow's sparse_cross_hashed.
            combos = [start]
            for rows in rows_per_key:
                items = [feature_hash(item) for item in rows[row]]
                combos = [fingerprint_cat64(c, h) for c in combos for h in items]
            crossed.append([c % self.hash_bucket_size for c in combos])
        width = max((len(r) for r in crossed), default=0)
        ids = torch.zeros(batch, width, dtype=torch.int64)
        mask = torch.zeros(batch, width, dtype=torch.bool)
        for row, values in enumerate(crossed):
            ids[row, : len(values)] = torch.tensor(values, dtype=torch.int64)
            mask[row, : len(values)] = True
        return CategoricalIds(ids, mask)


def _leaf_keys(column: CrossedColumn) -> list:
    """The keys of `column` with nested crossed columns replaced by their keys."""
    leaves = []
    for key in column.keys:
        leaves.extend(_leaf_keys(key) if isinstance(key, CrossedColumn) else [key])
    return leaves


def _is_sparse(value) -> bool:
    return isinstance(value, SparseTensor)


def _rows(key, cache: FeatureCache, column) -> list:
    """Per example, the list of values (bytes or ints) `key` gives to the cross."""
    if isinstance(key, str):
        value = cache.get(key)
        if isinstance(value, SparseTensor):
            raw = _sparse_to_raw(value, cache, key)
            values, mask = raw.values, raw.mask.tolist()
            values = values.tolist() if isinstance(values, torch.Tensor) else values
            return [[v for v, keep in zip(values[r], mask[r]) if keep] for r in range(len(mask))]
        if isinstance(value, StringTensor):
            array = np.asarray(value.view(np.ndarray)).reshape(value.shape[0], -1)
            return [list(row) for row in array]
        if value.is_floating_point():
            raise ValueError(
                f"{cache.where}: crossed_column {column.name!r} cannot cross the float "
                f"feature {key!r}. Bucketize it first (bucketized_column) and cross the "
                "bucketized column."
            )
        # Dense tensors enter the cross whole, as TensorFlow (no ignore value dropped).
        return value.reshape(value.shape[0], -1).to(torch.int64).tolist()
    ids = key.get_ids(cache)
    if ids.weights is not None:
        raise ValueError(
            f"crossed_column does not support weight_tensor, but the given column populates "
            f"weight_tensor. Given column: {key.name}"
        )
    values, mask = ids.ids.tolist(), ids.mask.tolist()
    return [[v for v, keep in zip(values[r], mask[r]) if keep] for r in range(len(mask))]


def crossed_column(keys, hash_bucket_size, hash_key=None):
    """Returns a column for performing crosses of categorical features.

    Each example gets one id per combination of its values of the `keys`:
    `FingerprintCat64` of the values' fingerprints, modulo `hash_bucket_size`,
    bit for bit as TensorFlow's `sparse_cross_hashed`.

    Args:
        keys: a list of at least two raw feature names (strings) or categorical
            columns (not `categorical_column_with_hash_bucket`).
        hash_bucket_size: the number of buckets (> 1).
        hash_key: optional starting key of the hash (TensorFlow's default when None).

    Returns:
        A `CrossedColumn`.

    Example:
    >>> age = tf.feature_column.numeric_column("age")
    >>> buckets = tf.feature_column.bucketized_column(age, [18, 65])
    >>> cross = tf.feature_column.crossed_column([buckets, "city"], hash_bucket_size=100)
    >>> cross.name
    'age_bucketized_X_city'
    """
    if not hash_bucket_size or int(hash_bucket_size) < 1:
        raise ValueError(f"hash_bucket_size must be > 1. hash_bucket_size: {hash_bucket_size}")
    if not keys or len(keys) < 2:
        raise ValueError(f"keys must be a list with length > 1. Given: {keys}")
    for key in keys:
        if not isinstance(key, (str, CategoricalColumn)):
            raise ValueError(
                "Unsupported key type. All keys must be either string, or categorical column "
                f"except HashedCategoricalColumn. Given: {key}"
            )
        if isinstance(key, HashedCategoricalColumn):
            raise ValueError(
                "categorical_column_with_hash_bucket is not supported for crossing. Hashing "
                "before crossing will increase probability of collision. Instead, use the "
                f"feature name as a string. Given: {key}"
            )
    return CrossedColumn(tuple(keys), int(hash_bucket_size), hash_key)
