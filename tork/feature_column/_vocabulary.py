"""Vocabulary lookup shared by the vocabulary-list and vocabulary-file columns."""

from __future__ import annotations

import numpy as np
import torch

from tork._backend import string_tensor
from tork.feature_column._base import CategoricalIds, FeatureCache, raw_categorical


def lookup(column, cache: FeatureCache, vocabulary: list) -> CategoricalIds:
    """Ids of `column.key`'s values in `vocabulary`, as TensorFlow's lookup tables.

    A value not in the vocabulary gets `default_value`, or with `num_oov_buckets` the
    id `vocabulary_size + Fingerprint64(value) % num_oov_buckets` (integers are hashed
    through their decimal string), as TensorFlow's `IdTableWithHashBuckets`.
    """
    from tork.keras.layers.preprocessing._fingerprint import fingerprint64

    raw = raw_categorical(cache, column.key, column)
    strings = column.dtype is string_tensor.string
    if strings != isinstance(raw.values, np.ndarray):
        got = "strings" if isinstance(raw.values, np.ndarray) else "integers"
        want = "string" if strings else "integer"
        raise ValueError(
            f"{cache.where}: column {column.name!r} has a {want} vocabulary but feature "
            f"{column.key!r} holds {got}. Make the vocabulary and the feature the same type."
        )
    table = _table(column, vocabulary)
    flat = raw.values.reshape(-1)
    items = list(flat) if strings else flat.tolist()
    size, oov, default = len(vocabulary), column.num_oov_buckets, column.default_value
    out = np.empty(len(items), dtype=np.int64)
    for i, item in enumerate(items):
        index = table.get(item)
        if index is None:
            if oov:
                text = item if strings else str(item).encode()
                index = size + fingerprint64(text) % oov
            else:
                index = default
        out[i] = index
    device = raw.mask.device if strings else raw.values.device
    ids = torch.as_tensor(out, device=device).reshape(raw.mask.shape)
    return CategoricalIds(ids, raw.mask.to(device))


def _table(column, vocabulary: list) -> dict:
    table = column.__dict__.get("_table")
    if table is None:
        if column.dtype is string_tensor.string:
            keys = [v if isinstance(v, bytes) else str(v).encode() for v in vocabulary]
        else:
            keys = [int(v) for v in vocabulary]
        table = {k: i for i, k in enumerate(keys)}
        column.__dict__["_table"] = table
    return table
