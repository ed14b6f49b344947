"""`tf.data.experimental.DatasetInitializer` and the tables built from datasets."""

from __future__ import annotations

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.dtypes import as_dtype
from tork.lookup._table_core import Typed, describe, tensor_of
from tork.lookup.static_hash_table import StaticHashTable
from tork.lookup.static_vocabulary_table import StaticVocabularyTable, _is_integer

_FORM = (
    "Datasets used to initialize lookup tables must produce elements in the form "
    "(key, value), where the keys and values are scalar tensors. However, the given "
    "dataset produces "
)


def _check_spec(spec) -> None:
    count = len(spec) if isinstance(spec, (tuple, list)) else 1
    if count != 2:
        raise ValueError(
            f"{_FORM}{count} components instead of two (key, value) components. Full "
            f"dataset element spec: {spec!r}."
        )
    for part, what in zip(spec, ("key", "value")):
        rank = len(part.shape)
        if rank != 0:
            raise ValueError(f"{_FORM}non-scalar {what} Tensors of rank {rank}.")


class DatasetInitializer(Typed):
    """Table initializer reading `(key, value)` pairs from a `tf.data.Dataset`.

    Args:
        dataset: a dataset of `(key, value)` scalar pairs.

    Example:
    >>> keys = tf.data.Dataset.range(3)
    >>> values = tf.data.Dataset.from_tensor_slices(["a", "b", "c"])
    >>> init = tf.data.experimental.DatasetInitializer(tf.data.Dataset.zip((keys, values)))
    >>> table = tf.lookup.StaticHashTable(init, "")
    >>> table.lookup(tf.constant([2, 9], tf.int64)).numpy().tolist()
    [b'c', b'']
    """

    def __init__(self, dataset):
        spec = dataset.element_spec
        _check_spec(spec)
        self.dataset = dataset
        self._key_dtype = as_dtype(spec[0].dtype)
        self._value_dtype = as_dtype(spec[1].dtype)

    def _contents(self):
        """Reads the dataset: the keys and values, as two tensors (what a table reads)."""
        keys, values = [], []
        for key, value in self.dataset:
            keys.append(_item(key))
            values.append(_item(value))
        return tensor_of(keys, self._key_dtype), tensor_of(values, self._value_dtype)


def _item(value):
    if isinstance(value, string_tensor.StringTensor):
        return value.view(np.ndarray)[()]
    return value.item()


def table_from_dataset(
    dataset=None,
    num_oov_buckets=0,
    vocab_size=None,
    default_value=None,
    hasher_spec=None,
    key_dtype=string_tensor.string,
    name=None,
):
    """A lookup table from a dataset of `(key, value)` pairs.

    Keys not in the table read `default_value`, or with `num_oov_buckets` a bucket
    id `vocab_size + Fingerprint64(key) % num_oov_buckets` (as TensorFlow's
    `FastHashSpec`; integer keys are hashed as decimal strings).

    Args:
        dataset: a dataset of `(key, value)` scalar pairs.
        num_oov_buckets: the number of out-of-vocabulary buckets (>= 0).
        vocab_size: read only this many pairs.
        default_value: the value of missing keys; default -1 (numeric values only).
        hasher_spec: unused (TensorFlow's default `FastHashSpec` is what tork does).
        key_dtype: the dtype of the keys `lookup` takes.
        name: unused, for TensorFlow compatibility.

    Returns:
        A `StaticHashTable`, or a `StaticVocabularyTable` when `num_oov_buckets > 0`.
    """
    del hasher_spec, name
    spec = dataset.element_spec
    _check_spec(spec)
    value_dtype = as_dtype(spec[1].dtype)
    if default_value is None:
        if value_dtype is string_tensor.string or value_dtype == torch.bool:
            raise ValueError(
                "`default_value` must be specified when creating a table from a dataset "
                f"that produces values of type {describe(value_dtype)}."
            )
        default_value = -1
    if num_oov_buckets < 0:
        raise ValueError(
            f"`num_oov_buckets` must be greater than or equal to 0, got {num_oov_buckets}."
        )
    if vocab_size is not None:
        vocab_size = int(vocab_size)
        if vocab_size < 1:
            raise ValueError(f"`vocab_size` must be greater than 0, got {vocab_size}.")
        dataset = dataset.take(vocab_size)
    initializer = DatasetInitializer(dataset)
    if not num_oov_buckets:
        return StaticHashTable(initializer, default_value)
    key_dtype = as_dtype(key_dtype)
    lookup_dtype = (
        key_dtype if _is_integer(key_dtype) == _is_integer(initializer.key_dtype) else None
    )
    return StaticVocabularyTable(initializer, num_oov_buckets, lookup_key_dtype=lookup_dtype)


def index_table_from_dataset(
    dataset=None,
    num_oov_buckets=0,
    vocab_size=None,
    default_value=-1,
    hasher_spec=None,
    key_dtype=string_tensor.string,
    name=None,
):
    """A table from a dataset of keys to their position in it (`table_from_dataset`).

    Args:
        dataset: a dataset of scalar keys.
        num_oov_buckets: the number of out-of-vocabulary buckets (>= 0).
        vocab_size: read only this many keys.
        default_value: the id of missing keys when `num_oov_buckets` is 0.
        hasher_spec: unused (TensorFlow's default `FastHashSpec` is what tork does).
        key_dtype: the dtype of the keys `lookup` takes.
        name: unused, for TensorFlow compatibility.

    Example:
    >>> words = tf.data.Dataset.from_tensor_slices(["x", "y", "z"])
    >>> table = tf.data.experimental.index_table_from_dataset(words, num_oov_buckets=2)
    >>> table.lookup(tf.constant(["y", "q", "z"])).tolist()
    [1, 4, 2]
    """
    pairs = dataset.enumerate().map(lambda index, key: (key, index))
    return table_from_dataset(
        pairs, num_oov_buckets, vocab_size, default_value, hasher_spec, key_dtype, name
    )
