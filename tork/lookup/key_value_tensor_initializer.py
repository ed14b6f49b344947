"""`tf.lookup.KeyValueTensorInitializer`: a table's contents from two tensors."""

from __future__ import annotations

from tork._backend.errors import InvalidArgumentError
from tork.lookup._table_core import to_tensor


class KeyValueTensorInitializer:
    """Table initializer given `keys` and `values` tensors.

    Args:
        keys: the keys: a tensor or anything `tf.convert_to_tensor` takes.
        values: the values, one per key.
        key_dtype: the keys' dtype; default: that of `keys`.
        value_dtype: the values' dtype; default: that of `values`.
        name: unused, for TensorFlow compatibility.

    Example:
    >>> init = tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2])
    >>> table = tf.lookup.StaticHashTable(init, default_value=-1)
    >>> table.lookup(tf.constant(["b", "z"])).tolist()
    [2, -1]
    """

    def __init__(self, keys, values, key_dtype=None, value_dtype=None, name=None):
        self._keys = to_tensor(keys, key_dtype)
        self._values = to_tensor(values, value_dtype)
        self._name = name

    @property
    def key_dtype(self):
        """The dtype of the keys."""
        return self._keys.dtype

    @property
    def value_dtype(self):
        """The dtype of the values."""
        return self._values.dtype

    def _contents(self):
        """The keys and values, as two tensors (what a table reads)."""
        if self._keys.numel() == 0 or self._values.numel() == 0:
            raise InvalidArgumentError("keys and values cannot be empty tensors.")
        if self._keys.shape != self._values.shape:
            raise InvalidArgumentError(
                f"Expected shape {list(self._keys.shape)} for value, got {list(self._values.shape)}"
            )
        return self._keys, self._values
