"""What tork's lookup tables share: dtype checks, key conversion, the key index."""

from __future__ import annotations

import numpy as np
import torch

from tork import _symbolic
from tork._backend import string_tensor
from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.errors import FailedPreconditionError
from tork._backend.ragged_tensor import RaggedTensor
from tork._backend.sparse_tensor import SparseTensor
from tork._backend.string_tensor import StringTensor
from tork._backend.tensor import public_convert_to_tensor

# TensorFlow's hash table kernels take these key dtypes only.
_KEY_DTYPES = (torch.int32, torch.int64, string_tensor.string)


def describe(dtype) -> str:
    """A dtype as TensorFlow's messages print it: `<dtype: 'int64'>`."""
    return f"<dtype: '{dtype_name(dtype)}'>"


def to_tensor(value, dtype=None):
    """`value` as a tensor (a `StringTensor` for strings), of `dtype` when given."""
    if dtype is not None and as_dtype(dtype) is string_tensor.string:
        return string_tensor.make(value, "tf.lookup")
    return public_convert_to_tensor(value, dtype=dtype)


def check_key_dtype(dtype, where: str):
    dtype = as_dtype(dtype)
    if dtype not in _KEY_DTYPES:
        raise TypeError(
            f"{where}: keys of dtype {dtype_name(dtype)} are not supported. TensorFlow's "
            "hash tables take int32, int64 or string keys."
        )
    return dtype


def _items(flat) -> list:
    """The elements of a 1-D key or value tensor as Python bytes/ints/floats."""
    if isinstance(flat, StringTensor):
        return list(flat.view(np.ndarray))
    return flat.tolist()


def tensor_of(items: list, dtype):
    """A 1-D tensor of `items` (Python values) of `dtype`, strings included."""
    if dtype is string_tensor.string:
        array = np.empty(len(items), dtype=object)
        array[:] = items
        return string_tensor.wrap(array)
    return torch.tensor(items, dtype=dtype)


class Typed:
    """`key_dtype`/`value_dtype` read from `_key_dtype`/`_value_dtype` (tables, initializers)."""

    @property
    def key_dtype(self):
        """The dtype of the keys."""
        return self._key_dtype

    @property
    def value_dtype(self):
        """The dtype of the values."""
        return self._value_dtype


class Table(Typed):
    """What every tork lookup table shares: its dtypes, `name` and `resource_handle`."""

    @property
    def name(self):
        """The table's name (None unless one was given)."""
        return self._name

    @property
    def resource_handle(self):
        """TensorFlow's resource handle: tork tables have none; this is the table itself."""
        return self


class KeyIndex:
    """Maps keys to their row in a table's key/value arrays (missing keys: to `len`).

    Integer keys are found by a binary search over the sorted keys (vectorised in
    torch); string keys through a Python dict.
    """

    def __init__(self, keys, values):
        # Duplicates are allowed when they repeat the same value, as in TensorFlow.
        rows: dict = {}
        key_items, value_items = _items(keys.reshape(-1)), _items(values.reshape(-1))
        keep = []
        for i, (key, value) in enumerate(zip(key_items, value_items)):
            row = rows.get(key)
            if row is None:
                rows[key] = len(keep)
                keep.append(i)
            elif value_items[keep[row]] != value:
                shown = key.decode("utf-8", "replace") if isinstance(key, bytes) else key
                old = value_items[keep[row]]
                old = old.decode("utf-8", "replace") if isinstance(old, bytes) else old
                new = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
                raise FailedPreconditionError(
                    f"HashTable has different value for same key. Key {shown} has {old} "
                    f"and trying to add value {new}"
                )
        index = torch.as_tensor(keep, dtype=torch.int64)
        self.keys = _take(keys.reshape(-1), index)
        self.values = _take(values.reshape(-1), index)
        self.size = len(keep)
        if isinstance(self.keys, StringTensor):
            self._rows = rows
        else:
            # The search runs on the CPU, where the keys' rows are gathered too.
            self._sorted, self._order = torch.sort(self.keys.to("cpu", torch.int64))

    def rows(self, keys) -> torch.Tensor:
        """The row of each key of a 1-D key tensor, `size` for the missing ones."""
        n = self.size
        if isinstance(keys, StringTensor):
            get = self._rows.get
            return torch.as_tensor([get(k, n) for k in keys.view(np.ndarray)], dtype=torch.int64)
        flat = keys.to(device="cpu", dtype=torch.int64)
        if n == 0:
            return torch.zeros(flat.shape, dtype=torch.int64)
        found = torch.searchsorted(self._sorted, flat).clamp_(max=n - 1)
        hit = self._sorted[found] == flat
        return torch.where(hit, self._order[found], torch.full_like(found, n))


def _take(values, index: torch.Tensor):
    if isinstance(values, StringTensor):
        return string_tensor.wrap(values.view(np.ndarray)[index.numpy()].copy())
    return values[index.to(values.device)]


def gather(values, default, rows: torch.Tensor, shape, device=None):
    """`values[rows]` with row `len(values)` reading `default`, reshaped to `shape`."""
    if isinstance(values, StringTensor):
        table = np.empty(values.shape[0] + 1, dtype=object)
        table[:-1] = values.view(np.ndarray)
        table[-1] = default.view(np.ndarray)[()]
        return string_tensor.wrap(table[rows.numpy()].reshape(tuple(shape)))
    table = torch.cat([values, default.reshape(1).to(values.device)])
    out = table[rows.to(table.device)].reshape(tuple(shape))
    return out if device is None else out.to(device)


def map_keys(keys, key_dtype, where: str, fn):
    """Applies `fn` to a dense key tensor, or to the values of a ragged/sparse one.

    Keys must already be tensors of `key_dtype` (TensorFlow's rule); Python lists and
    NumPy arrays are converted to it, which TensorFlow refuses with an AttributeError.
    """
    if isinstance(keys, RaggedTensor):
        return keys.with_flat_values(map_keys(keys.flat_values, key_dtype, where, fn))
    if isinstance(keys, SparseTensor):
        return keys.with_values(map_keys(keys.values, key_dtype, where, fn))
    if type(keys) in _symbolic._TYPES:
        # As in TensorFlow, whose tables are no ops the functional API can record.
        raise TypeError(
            f"{where}: a lookup table cannot take a symbolic Keras tensor ({keys!r}) "
            "directly, as in TensorFlow. Call the lookup inside a layer: "
            "`keras.layers.Lambda(table.lookup)(inputs)` or a custom Layer's `call`."
        )
    if not isinstance(keys, (torch.Tensor, StringTensor)):
        keys = to_tensor(keys, key_dtype)
    if keys.dtype != key_dtype:
        raise TypeError(
            f"Dtype of argument `keys` must be {describe(key_dtype)}, received: "
            f"{describe(keys.dtype)}"
        )
    return fn(keys)
