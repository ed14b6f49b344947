"""`tf.lookup.StaticVocabularyTable`: vocabulary ids with hashed out-of-vocabulary buckets."""

from __future__ import annotations

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.dtypes import as_dtype
from tork._backend.string_tensor import StringTensor
from tork.lookup._table_core import Table, describe, map_keys
from tork.lookup.static_hash_table import StaticHashTable


def _is_integer(dtype) -> bool:
    return dtype is not string_tensor.string and not (
        dtype.is_floating_point or dtype.is_complex or dtype == torch.bool
    )


class StaticVocabularyTable(Table):
    """A vocabulary table: known keys read their id, others one of `num_oov_buckets`.

    A key not in the vocabulary gets `vocab_size + Fingerprint64(key) % num_oov_buckets`
    (integer keys are hashed through their decimal string), bit for bit as in
    TensorFlow.

    Args:
        initializer: a `KeyValueTensorInitializer` or `TextFileInitializer` with int64
            or string keys and int64 values, or None for a table of buckets only.
        num_oov_buckets: the number of out-of-vocabulary buckets (> 0).
        lookup_key_dtype: the dtype of the keys `lookup` takes; default the
            initializer's key dtype (int32 keys are looked up as int64).
        name: unused, for TensorFlow compatibility.
        experimental_is_anonymous: unused, for TensorFlow compatibility.

    Example:
    >>> init = tf.lookup.KeyValueTensorInitializer(
    ...     ["emerson", "lake", "palmer"], tf.constant([0, 1, 2], dtype=tf.int64))
    >>> table = tf.lookup.StaticVocabularyTable(init, num_oov_buckets=5)
    >>> table.lookup(tf.constant(["lake", "king"])).tolist()
    [1, 6]
    """

    def __init__(
        self,
        initializer,
        num_oov_buckets,
        lookup_key_dtype=None,
        name=None,
        experimental_is_anonymous=False,
    ):
        del experimental_is_anonymous
        num_oov_buckets = int(num_oov_buckets)
        if num_oov_buckets <= 0:
            raise ValueError("`num_oov_buckets` must be > 0; use StaticHashTable.")
        self._num_oov_buckets = num_oov_buckets
        self._name = name
        self._table = None
        if initializer is not None:
            if initializer.value_dtype != torch.int64:
                raise TypeError(
                    f"Invalid `value_dtype`, expected {describe(torch.int64)} but got "
                    f"{describe(initializer.value_dtype)}."
                )
            key_dtype = as_dtype(initializer.key_dtype)
            if key_dtype not in (torch.int64, string_tensor.string):
                raise TypeError(
                    "Invalid `key_dtype`, expected one of (tf.int64, tf.string), but got "
                    f"{describe(key_dtype)}."
                )
            self._table = StaticHashTable(initializer, default_value=-1)
            table_key_dtype = key_dtype
        else:
            table_key_dtype = string_tensor.string
        lookup_key_dtype = table_key_dtype if lookup_key_dtype is None else lookup_key_dtype
        lookup_key_dtype = as_dtype(lookup_key_dtype)
        if _is_integer(table_key_dtype) != _is_integer(lookup_key_dtype):
            want = "integer" if _is_integer(lookup_key_dtype) else "non-integer"
            raise TypeError(
                f"Invalid `key_dtype`, expected {want} but got {describe(table_key_dtype)}."
            )
        self._key_dtype = lookup_key_dtype

    @property
    def value_dtype(self):
        """The dtype of the ids: int64."""
        return torch.int64

    def size(self, name=None) -> torch.Tensor:
        """The vocabulary size plus `num_oov_buckets`, an int64 scalar tensor."""
        del name
        known = 0 if self._table is None else self._table._index.size
        return torch.tensor(known + self._num_oov_buckets, dtype=torch.int64)

    def lookup(self, keys, name=None) -> torch.Tensor:
        """The ids of `keys`: vocabulary ids, or hashed bucket ids past the vocabulary.

        Args:
            keys: a tensor of `key_dtype` (dense, ragged or sparse).
            name: unused, for TensorFlow compatibility.

        Returns:
            An int64 tensor shaped as `keys`.

        Raises:
            TypeError: when `keys` has another dtype than `key_dtype`.
        """
        del name
        return map_keys(keys, self._key_dtype, f"{type(self).__name__}.lookup", self._lookup_dense)

    def _lookup_dense(self, keys) -> torch.Tensor:
        strings = isinstance(keys, StringTensor)
        device = None if strings else keys.device
        flat = keys.reshape(-1) if strings else keys.reshape(-1).to("cpu", torch.int64)
        if self._table is None:
            ids = self._buckets(flat)
        else:
            ids = self._table._lookup_dense(flat).cpu()
            # TensorFlow's rule: an id equal to the inner table's default (-1) is missing.
            # Only those keys are hashed (the hash runs in Python).
            missing = torch.nonzero(ids == -1).reshape(-1)
            if missing.numel():
                if strings:
                    subset = string_tensor.wrap(flat.view(np.ndarray)[missing.numpy()])
                else:
                    subset = flat[missing]
                ids[missing] = self._buckets(subset) + self._table._index.size
        ids = ids.reshape(tuple(keys.shape))
        return ids if device is None else ids.to(device)

    def _buckets(self, flat) -> torch.Tensor:
        """`Fingerprint64(key) % num_oov_buckets`, integers hashed as decimal strings."""
        from tork.ops.strings import as_string, to_hash_bucket_fast

        text = flat if isinstance(flat, StringTensor) else as_string(flat)
        return to_hash_bucket_fast(text, self._num_oov_buckets)

    def __getitem__(self, keys):
        return self.lookup(keys)
