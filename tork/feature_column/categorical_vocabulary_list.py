"""`tf.feature_column.categorical_column_with_vocabulary_list`."""

from __future__ import annotations

import numpy as np
import torch

from tork._backend import string_tensor
from tork.feature_column import _vocabulary
from tork.feature_column._base import (
    CategoricalColumn,
    CategoricalIds,
    FeatureCache,
    KeyedColumn,
    as_dtype,
    check_key,
    is_integer_dtype,
)


class VocabularyListCategoricalColumn(KeyedColumn, CategoricalColumn):
    """Ids of a feature's values in an in-memory vocabulary; see the function."""

    _fields = ("key", "vocabulary_list", "dtype", "default_value", "num_oov_buckets")

    def __init__(self, key, vocabulary_list, dtype, default_value, num_oov_buckets):
        self.key = key
        self.vocabulary_list = vocabulary_list
        self.dtype = dtype
        self.default_value = default_value
        self.num_oov_buckets = num_oov_buckets

    @property
    def num_buckets(self) -> int:
        return len(self.vocabulary_list) + self.num_oov_buckets

    def transform(self, cache: FeatureCache) -> CategoricalIds:
        return _vocabulary.lookup(self, cache, list(self.vocabulary_list))


def check_oov(default_value, num_oov_buckets, where: str) -> None:
    if num_oov_buckets is None or int(num_oov_buckets) < 0:
        raise ValueError(f"{where}: Invalid num_oov_buckets {num_oov_buckets}.")
    if num_oov_buckets and default_value not in (None, -1):
        raise ValueError(
            f"{where}: Can't specify both num_oov_buckets and default_value. Given "
            f"num_oov_buckets={num_oov_buckets}, default_value={default_value}."
        )


def categorical_column_with_vocabulary_list(
    key, vocabulary_list, dtype=None, default_value=-1, num_oov_buckets=0
):
    """A categorical column with an in-memory vocabulary.

    Each value becomes its index in `vocabulary_list`. A value not in the list
    gets `default_value` (-1: ignored by `indicator_column` and
    `embedding_column`), or with `num_oov_buckets > 0` one of the ids
    `[len(vocabulary_list), len(vocabulary_list) + num_oov_buckets)` chosen by
    TensorFlow's string hash. Empty strings (and -1 for integers) mean "no
    value".

    Args:
        key: the feature name.
        vocabulary_list: an ordered iterable of strings or integers.
        dtype: `tf.string` or an integer type; inferred from the vocabulary if None.
        default_value: the id of out-of-vocabulary values (when `num_oov_buckets` is 0).
        num_oov_buckets: the number of hash buckets for out-of-vocabulary values.

    Returns:
        A `VocabularyListCategoricalColumn`.

    Example:
    >>> colors = tf.feature_column.categorical_column_with_vocabulary_list(
    ...     "color", ["R", "G", "B"])
    >>> layer = tf.keras.layers.DenseFeatures([tf.feature_column.indicator_column(colors)])
    >>> layer({"color": ["G", "B"]}).tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    key = check_key(key, "categorical_column_with_vocabulary_list")
    if vocabulary_list is None or isinstance(vocabulary_list, (str, bytes)):
        raise ValueError(
            f"vocabulary_list {vocabulary_list!r} must be non-empty, column_name: {key}"
        )
    items = [v.item() if isinstance(v, np.generic) else v for v in vocabulary_list]
    if not items:
        raise ValueError(
            f"vocabulary_list {vocabulary_list!r} must be non-empty, column_name: {key}"
        )
    if len(set(items)) != len(items):
        raise ValueError(
            f"Duplicate keys in vocabulary_list {vocabulary_list!r}, column_name: {key}"
        )
    strings = all(isinstance(v, (str, bytes)) for v in items)
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in items)
    if not (strings or ints):
        raise ValueError(
            f"Invalid vocabulary dtype for column {key!r}: the vocabulary must be all strings "
            f"or all integers, got {vocabulary_list!r}."
        )
    vocab_dtype = string_tensor.string if strings else torch.int64
    if dtype is None:
        dtype = vocab_dtype
    else:
        dtype = as_dtype(dtype, f"categorical_column_with_vocabulary_list {key!r}")
        if (dtype is string_tensor.string) != strings or not (strings or is_integer_dtype(dtype)):
            raise ValueError(
                f"dtype {dtype!r} and vocabulary dtype {vocab_dtype!r} do not match, "
                f"column_name: {key}"
            )
    check_oov(default_value, num_oov_buckets, f"column {key!r}")
    return VocabularyListCategoricalColumn(
        key,
        tuple(items),
        dtype,
        -1 if default_value is None else default_value,
        int(num_oov_buckets),
    )
