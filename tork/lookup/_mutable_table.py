"""The storage behind tork's mutable tables (MutableHashTable, DenseHashTable).

Entries live in a Python dict from the key (an int or bytes) to its value row as a
Python object (`.tolist()` of the row, or bytes), so inserts and removals are O(1)
and a lookup builds one tensor from the rows it finds.
"""

from __future__ import annotations

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.errors import InvalidArgumentError
from tork._backend.string_tensor import StringTensor
from tork.lookup._table_core import Table, check_key_dtype, to_tensor


def _as_dtype_tensor(value, dtype, what: str):
    """`value` as a tensor of `dtype`; another tensor dtype is TensorFlow's ValueError."""
    if isinstance(value, (torch.Tensor, StringTensor)) and value.dtype != dtype:
        shown = repr(value)
        raise ValueError(
            f"{what}: Tensor conversion requested dtype {dtype_name(dtype)} for Tensor with "
            f"dtype {dtype_name(value.dtype)}: {shown}"
        )
    return to_tensor(value, dtype)


class MutableTable(Table):
    """Base of the mutable tables: insert, remove, lookup, export, size."""

    def __init__(self, key_dtype, value_dtype, default_value, name):
        where = f"tf.lookup.experimental.{type(self).__name__}"
        self._key_dtype = check_key_dtype(key_dtype, where)
        self._value_dtype = as_dtype(value_dtype)
        self._default = to_tensor(default_value, self._value_dtype)
        self._value_shape = tuple(self._default.shape)
        self._name = name
        self._entries: dict = {}

    def _check_keys(self, flat_keys: list) -> None:
        """Subclasses refuse reserved keys here."""

    def _keys(self, keys) -> tuple:
        keys = _as_dtype_tensor(keys, self._key_dtype, "keys")
        if isinstance(keys, StringTensor):
            flat = list(keys.view(np.ndarray).reshape(-1))
        else:
            flat = keys.reshape(-1).tolist()
        self._check_keys(flat)
        return keys, flat

    def _value_rows(self, values, count: int) -> list:
        """`values` (shape `(count, *value_shape)` after flattening the keys) as rows."""
        if isinstance(values, StringTensor):
            array = values.view(np.ndarray).reshape(count, *self._value_shape)
            return [row if not self._value_shape else row.copy() for row in array]
        return values.reshape(count, *self._value_shape).tolist()

    def size(self, name=None) -> torch.Tensor:
        """The number of entries, an int64 scalar tensor."""
        del name
        return torch.tensor(len(self._entries), dtype=torch.int64)

    def insert(self, keys, values, name=None):
        """Inserts `keys` with their `values`, replacing the values of existing keys.

        Args:
            keys: keys of the table's key dtype, any shape.
            values: values of the table's value dtype, shaped `keys.shape + value_shape`
                (`value_shape` is the default value's shape).
            name: unused, for TensorFlow compatibility.

        Raises:
            ValueError: for keys or values of another dtype than the table's.
            tf.errors.InvalidArgumentError: when the values' shape does not fit the keys.
        """
        del name
        keys, flat = self._keys(keys)
        values = _as_dtype_tensor(values, self._value_dtype, "values")
        expected = tuple(keys.shape) + self._value_shape
        if tuple(values.shape) != expected:
            raise InvalidArgumentError(
                f"Expected shape {list(expected)} for value, got {list(values.shape)}"
            )
        self._entries.update(zip(flat, self._value_rows(values, len(flat))))

    def remove(self, keys, name=None):
        """Removes `keys` from the table; keys not in it are ignored."""
        del name
        _, flat = self._keys(keys)
        for key in flat:
            self._entries.pop(key, None)

    def lookup(self, keys, dynamic_default_values=None, name=None):
        """The values of `keys`, shaped `keys.shape + value_shape`.

        Args:
            keys: keys of the table's key dtype, any shape.
            dynamic_default_values: optional values for missing keys, one per key
                (shaped as the result); default: the table's default value.
            name: unused, for TensorFlow compatibility.

        Raises:
            ValueError: for keys of another dtype than the table's.
        """
        del name
        keys, flat = self._keys(keys)
        shape = tuple(keys.shape) + self._value_shape
        if dynamic_default_values is None:
            default = self._value_rows(self._default, 1)[0]
            get = self._entries.get
            rows = [get(key, default) for key in flat]
        else:
            defaults = _as_dtype_tensor(
                dynamic_default_values, self._value_dtype, "dynamic_default_values"
            )
            defaults = self._value_rows(defaults, len(flat))
            get = self._entries.get
            rows = [get(key, fallback) for key, fallback in zip(flat, defaults)]
        out = self._tensor(rows, shape)
        # The entries live on the host; the result goes where the keys are.
        return (
            out
            if isinstance(keys, StringTensor) or isinstance(out, StringTensor)
            else out.to(keys.device)
        )

    def _tensor(self, rows: list, shape: tuple):
        if self._value_dtype is string_tensor.string:
            array = np.empty(len(rows), dtype=object)
            if self._value_shape:
                array = np.empty((len(rows), *self._value_shape), dtype=object)
                for i, row in enumerate(rows):
                    array[i] = row
            else:
                array[:] = rows
            return string_tensor.wrap(array.reshape(shape))
        if not rows:
            return torch.zeros(shape, dtype=self._value_dtype)
        return torch.tensor(rows, dtype=self._value_dtype).reshape(shape)

    def __getitem__(self, keys):
        return self.lookup(keys)

    def export(self, name=None):
        """The table's keys and values: a 1-D key tensor and the values, one row a key."""
        del name
        keys = list(self._entries)
        if self._key_dtype is string_tensor.string:
            array = np.empty(len(keys), dtype=object)
            array[:] = keys
            key_tensor = string_tensor.wrap(array)
        else:
            key_tensor = torch.tensor(keys, dtype=self._key_dtype)
        values = self._tensor(list(self._entries.values()), (len(keys), *self._value_shape))
        return key_tensor, values
