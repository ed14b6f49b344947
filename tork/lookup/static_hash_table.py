"""`tf.lookup.StaticHashTable`: an immutable key-to-value table."""

from __future__ import annotations

import torch

from tork._backend.string_tensor import StringTensor
from tork.lookup._table_core import KeyIndex, Table, check_key_dtype, gather, map_keys, to_tensor


class StaticHashTable(Table):
    """A hash table whose contents are set once, by an initializer.

    Keys may be int32, int64 or string tensors of any shape; a missing key reads
    `default_value`. Ragged and sparse keys map their values.

    Args:
        initializer: a `KeyValueTensorInitializer` or `TextFileInitializer`.
        default_value: the value of keys not in the table (a scalar of the values'
            dtype).
        name: unused, for TensorFlow compatibility.
        experimental_is_anonymous: unused, for TensorFlow compatibility.

    Example:
    >>> init = tf.lookup.KeyValueTensorInitializer([1, 2, 3], [10, 20, 30])
    >>> table = tf.lookup.StaticHashTable(init, default_value=0)
    >>> table.lookup(tf.constant([[3, 5], [1, 2]])).tolist()
    [[30, 0], [10, 20]]
    """

    def __init__(self, initializer, default_value, name=None, experimental_is_anonymous=False):
        del experimental_is_anonymous
        self._initializer = initializer
        self._name = name
        self._key_dtype = check_key_dtype(initializer.key_dtype, "tf.lookup.StaticHashTable")
        self._value_dtype = initializer.value_dtype
        default = to_tensor(default_value, self._value_dtype)
        if tuple(default.shape) != ():
            raise ValueError(
                "tf.lookup.StaticHashTable: `default_value` must be a scalar, got shape "
                f"{tuple(default.shape)}."
            )
        self._default_value = default
        keys, values = initializer._contents()
        self._index = KeyIndex(keys, values)

    @property
    def default_value(self):
        """The value missing keys read, a scalar tensor."""
        return self._default_value

    def size(self, name=None) -> torch.Tensor:
        """The number of entries, an int64 scalar tensor."""
        del name
        return torch.tensor(self._index.size, dtype=torch.int64)

    def lookup(self, keys, name=None):
        """The values of `keys` (missing keys give `default_value`), in the keys' shape.

        Args:
            keys: a tensor of the table's key dtype (dense, ragged or sparse).
            name: unused, for TensorFlow compatibility.

        Returns:
            A tensor of `value_dtype` shaped as `keys` (ragged/sparse for such keys).

        Raises:
            TypeError: when `keys` has another dtype than the table's keys.
        """
        del name
        return map_keys(keys, self._key_dtype, f"{type(self).__name__}.lookup", self._lookup_dense)

    def _lookup_dense(self, keys):
        rows = self._index.rows(keys.reshape(-1))
        device = None if isinstance(keys, StringTensor) else keys.device
        return gather(self._index.values, self._default_value, rows, keys.shape, device)

    def __getitem__(self, keys):
        return self.lookup(keys)

    def export(self, name=None):
        """The table's keys and values, as two 1-D tensors."""
        del name
        return self._index.keys, self._index.values
