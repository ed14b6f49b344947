"""`tf.io.parse_single_example` / `parse_example` and their feature configurations.

As in TensorFlow, a `VarLenFeature` is parsed to a `tf.SparseTensor`: of dense
shape `(length,)` for one example (`parse_single_example`), or `(batch, longest
length)` for a batch (`parse_example`), the values of each example in order.
Densify it with `tf.sparse.to_dense`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.errors import InvalidArgumentError

_KIND_OF = {"float32": "float_list", "int64": "int64_list", "string": "bytes_list"}
_DATA_TYPE = {"float_list": "float", "int64_list": "int64", "bytes_list": "string"}


# Dtype keys already worked out (looked up per feature and example, so cached).
_KEYS: dict = {}


def _dtype_key(dtype, where: str) -> str:
    try:
        return _KEYS[dtype]
    except (KeyError, TypeError):
        pass
    key = _dtype_key_uncached(dtype, where)
    try:
        _KEYS[dtype] = key
    except TypeError:  # an unhashable dtype spelling
        pass
    return key


def _dtype_key_uncached(dtype, where: str) -> str:
    if dtype == string_tensor.string:
        return "string"
    try:
        name = dtype_name(as_dtype(dtype))
    except (TypeError, ValueError):
        name = str(dtype)
    if name not in ("float32", "int64"):
        raise ValueError(
            f"{where}: dtype must be tf.float32, tf.int64 or tf.string (the types a "
            f"tf.train.Example holds), got {name}. Parse as one of these, then tf.cast."
        )
    return name


def _shape(shape, where: str) -> tuple:
    if shape is None:
        raise ValueError(f"{where}: `shape` is required; use [] for a scalar.")
    if isinstance(shape, int):
        shape = (shape,)
    out = tuple(int(d) for d in shape)
    if any(d < 0 for d in out):
        raise ValueError(f"{where}: `shape` must have known, non-negative dimensions, got {out}.")
    return out


def _dtype_text(dtype) -> str:
    """TF's spelling of a dtype (`tf.float32`, `tf.string`) for the feature reprs."""
    if dtype == string_tensor.string:
        return "tf.string"
    return f"tf.{dtype_name(as_dtype(dtype))}"


def _feature_repr(self) -> str:
    # TF shows dtypes as `tf.float32` where a NamedTuple would show `torch.float32`.
    fields = ", ".join(
        f"{key}={_dtype_text(value) if key.endswith('dtype') else repr(value)}"
        for key, value in zip(self._fields, self)
    )
    return f"{type(self).__name__}({fields})"


class FixedLenFeature(NamedTuple):
    """Configuration of a dense feature of fixed shape for `tf.io.parse_example`.

    Args:
        shape: the shape of the feature (e.g. `[]` for a scalar, `[3]`).
        dtype: `tf.float32`, `tf.int64` or `tf.string`.
        default_value: the value used when an example lacks the feature; without
            one, a missing feature is an error.

    Example:
    >>> spec = {"x": tf.io.FixedLenFeature([2], tf.float32),
    ...         "label": tf.io.FixedLenFeature([], tf.int64, default_value=0)}
    """

    shape: tuple
    dtype: object
    default_value: object = None

    __repr__ = _feature_repr


class VarLenFeature(NamedTuple):
    """Configuration of a feature with a variable number of values.

    The values are returned as a `tf.SparseTensor` of dense shape `(length,)`
    (`parse_single_example`) or `(batch, longest_length)` (`parse_example`).
    `tf.sparse.to_dense(t)` gives a dense tensor padded with 0 or b"".

    Args:
        dtype: `tf.float32`, `tf.int64` or `tf.string`.

    Example:
    >>> spec = {"tokens": tf.io.VarLenFeature(tf.int64)}
    """

    dtype: object

    __repr__ = _feature_repr


class SparseFeature(NamedTuple):
    """Configuration of a sparse feature stored as index and value features.

    Parses to a `tf.SparseTensor` of dense shape `size` (one example) or
    `(batch, *size)` (a batch), whose coordinates are read from the int64
    feature(s) `index_key` and whose values from the feature `value_key`.

    Args:
        index_key: the name of the int64 index feature, or a list of names
            (one per dimension of `size`).
        value_key: the name of the value feature.
        dtype: `tf.float32`, `tf.int64` or `tf.string`.
        size: the dense size (an int, or a list with one size per index key).
        already_sorted: the indices are already in order (skip sorting them).

    Example:
    >>> spec = {"s": tf.io.SparseFeature("ix", "v", tf.float32, 4)}
    """

    index_key: object
    value_key: str
    dtype: object
    size: object
    already_sorted: bool = False

    __repr__ = _feature_repr


class _RowSplits(NamedTuple):
    """A partition read from the int64 feature `key`: row splits (starting with 0)."""

    key: str


class _RowLengths(NamedTuple):
    """A partition read from the int64 feature `key`: row lengths."""

    key: str


class _RowStarts(NamedTuple):
    """A partition read from the int64 feature `key`: the start of each row."""

    key: str


class _RowLimits(NamedTuple):
    """A partition read from the int64 feature `key`: the end of each row."""

    key: str


class _ValueRowIds(NamedTuple):
    """A partition read from the int64 feature `key`: the row of each value."""

    key: str


class _UniformRowLength(NamedTuple):
    """A partition into rows of `length` values each."""

    length: int


class RaggedFeature(NamedTuple):
    """Configuration of a feature parsed to a `tf.RaggedTensor`.

    `parse_example` gives a RaggedTensor of shape `(batch, None, ...)`: each example's
    values form a row; `parse_single_example` gives the example's values (a 1-D tensor,
    or a RaggedTensor when there are partitions). Each partition, outermost first, cuts
    the values into rows with another int64 feature of the example
    (`RaggedFeature.RowSplits`, `RowLengths`, `RowStarts`, `RowLimits`, `ValueRowIds`)
    or a fixed length (`RaggedFeature.UniformRowLength`).

    Args:
        dtype: `tf.float32`, `tf.int64` or `tf.string`.
        value_key: the feature holding the values (default: the feature's own name).
        partitions: row partitions, outermost first.
        row_splits_dtype: `tf.int32` (default, as TF) or `tf.int64`.
        validate: unused (partitions are always checked).

    Example:
    >>> spec = {"tokens": tf.io.RaggedFeature(tf.string)}
    >>> spec = {"v": tf.io.RaggedFeature(
    ...     tf.int64, partitions=[tf.io.RaggedFeature.RowLengths("lengths")])}
    """

    dtype: object
    value_key: object = None
    partitions: tuple = ()
    row_splits_dtype: object = torch.int32
    validate: bool = False

    RowSplits = _RowSplits
    RowLengths = _RowLengths
    RowStarts = _RowStarts
    RowLimits = _RowLimits
    ValueRowIds = _ValueRowIds
    UniformRowLength = _UniformRowLength

    def __repr__(self) -> str:
        return (
            f"RaggedFeature(dtype={_dtype_text(self.dtype)}, value_key={self.value_key!r}, "
            f"partitions={tuple(self.partitions)!r}, "
            f"row_splits_dtype={_dtype_text(self.row_splits_dtype)}, validate={self.validate})"
        )


for _partition in (
    _RowSplits,
    _RowLengths,
    _RowStarts,
    _RowLimits,
    _ValueRowIds,
    _UniformRowLength,
):
    # Shown as TensorFlow names them: RowLengths(key='lengths').
    _partition.__name__ = _partition.__name__[1:]
    _partition.__qualname__ = f"RaggedFeature.{_partition.__name__}"


class FixedLenSequenceFeature(NamedTuple):
    """Configuration of a feature holding any number of fixed-shape items.

    In `parse_example` the values of each example are reshaped to
    `(n, *shape)` and the batch is padded to the longest `n` with
    `default_value` (0 or b"" when None).

    Args:
        shape: the shape of one item.
        dtype: `tf.float32`, `tf.int64` or `tf.string`.
        allow_missing: must be True when parsing `tf.train.Example`s.
        default_value: padding value.

    Example:
    >>> spec = {"frames": tf.io.FixedLenSequenceFeature([2], tf.float32, allow_missing=True)}
    """

    shape: tuple
    dtype: object
    allow_missing: bool = False
    default_value: object = None

    __repr__ = _feature_repr


def _serialized_list(serialized, where: str) -> tuple[list, tuple]:
    """The serialized examples as a flat list of bytes, with their batch shape."""
    if hasattr(serialized, "numpy") and not isinstance(serialized, np.ndarray):
        serialized = serialized.numpy()
    if isinstance(serialized, (bytes, bytearray, str)):
        serialized = np.array(
            serialized.encode("utf-8") if isinstance(serialized, str) else bytes(serialized),
            dtype=object,
        )
    array = np.asarray(serialized, dtype=object)
    flat = []
    for item in array.reshape(-1):
        if isinstance(item, str):
            item = item.encode("utf-8")
        if not isinstance(item, (bytes, bytearray, np.bytes_)):
            raise TypeError(
                f"{where}: `serialized` must hold serialized tf.train.Example bytes, got "
                f"{type(item).__name__}. Pass the elements of a TFRecordDataset or "
                "example.SerializeToString()."
            )
        flat.append(bytes(item))
    return flat, array.shape


def _values(feature, kind: str) -> np.ndarray:
    if kind == "float_list":
        return np.asarray(feature.float_list.value, dtype=np.float32)
    if kind == "int64_list":
        return np.asarray(feature.int64_list.value, dtype=np.int64)
    out = np.empty(len(feature.bytes_list.value), dtype=object)
    out[:] = feature.bytes_list.value
    return out


def _to_tensor(array: np.ndarray, key: str):
    if key == "string":
        return string_tensor.wrap(array)
    return torch.as_tensor(np.array(array, copy=True))


def _default(value, shape: tuple, key: str, name: str, where: str) -> np.ndarray:
    np_dtype = object if key == "string" else np.dtype(key)
    if key == "string":
        flat = [
            v.encode("utf-8") if isinstance(v, str) else bytes(v)
            for v in np.asarray(value, dtype=object).reshape(-1)
        ]
        array = np.empty(len(flat), dtype=object)
        array[:] = flat
        array = array.reshape(np.shape(value))
    else:
        if hasattr(value, "numpy"):
            value = value.numpy()
        array = np.asarray(value, dtype=np_dtype)
    try:
        if array.size == 1:
            return np.broadcast_to(array.reshape(()), shape).copy()
        return array.reshape(shape)
    except ValueError:
        raise ValueError(
            f"{where}: the default_value of feature '{name}' has {array.size} values, which "
            f"do not fit its shape {list(shape)}."
        ) from None


def _feature_values(example, name: str, spec, key: str, index: int, where: str):
    """The raw values of feature `name`, or None when the example lacks it.

    `example` is a `tf.train.Example` or what `_quick_decode` makes of one.
    """
    if type(example) is dict:
        entry = example.get(name)
        if entry is None:
            return None
        kind, array = entry
    else:
        feature = example.features.feature.get(name)
        if feature is None:
            return None
        kind = feature.WhichOneof("kind")
        if kind is None:
            return None
        array = None
    wanted = _KIND_OF[key]
    if kind != wanted:
        raise InvalidArgumentError(
            f"{where}: feature '{name}' of example {index} holds {_DATA_TYPE[kind]} values "
            f"({kind}) but the feature spec asks for {_DATA_TYPE[wanted]} ({spec!r}). Use "
            f"dtype=tf.{'string' if kind == 'bytes_list' else _DATA_TYPE[kind]}."
        )
    return _values(feature, kind) if array is None else array


class _Unusual(Exception):
    """Raised inside `_quick_decode` for input it leaves to the full decoder."""


def _varint_at(data: bytes, pos: int, end: int) -> tuple[int, int]:
    result = shift = 0
    while pos < end:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
        if shift >= 70:
            break
    raise _Unusual


def _length_delimited(data: bytes, pos: int, end: int) -> tuple[int, int]:
    """(start, stop) of the payload of a length-delimited field whose tag ends at `pos`."""
    if pos < end and data[pos] < 0x80:  # most lengths fit one byte
        size = data[pos]
        pos += 1
    else:
        size, pos = _varint_at(data, pos, end)
    if pos + size > end:
        raise _Unusual
    return pos, pos + size


def _quick_list(data: bytes, tag: int, start: int, stop: int):
    """(kind, values) of a FloatList / Int64List / BytesList payload in canonical form."""
    if tag == 0x0A:  # bytes_list: repeated bytes value = 1
        values = []
        pos = start
        while pos < stop:
            if data[pos] != 0x0A:
                raise _Unusual
            lo, pos = _length_delimited(data, pos + 1, stop)
            values.append(data[lo:pos])
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return "bytes_list", out
    if start == stop:
        return (
            ("float_list", np.empty(0, np.float32))
            if tag == 0x12
            else (
                "int64_list",
                np.empty(0, np.int64),
            )
        )
    # Numbers: one packed field (value = 1) filling the whole payload.
    if data[start] != 0x0A:
        raise _Unusual
    lo, hi = _length_delimited(data, start + 1, stop)
    if hi != stop:
        raise _Unusual
    if tag == 0x12:
        if (hi - lo) % 4:
            raise _Unusual
        return "float_list", np.frombuffer(data, "<f4", (hi - lo) // 4, lo).astype(np.float32)
    if data[lo:hi].isascii():  # every value below 128: one byte each
        return "int64_list", np.frombuffer(data, np.uint8, hi - lo, lo).astype(np.int64)
    numbers = []
    pos = lo
    while pos < hi:
        value, pos = _varint_at(data, pos, hi)
        numbers.append(value - (1 << 64) if value >= 1 << 63 else value)
    return "int64_list", np.array(numbers, dtype=np.int64)


def _quick_decode(data: bytes):
    """A serialized Example as {name: (kind, values)}, or None to use the full decoder.

    Parsing builds a `tf.train.Example` object per example, which costs most of
    the time of `parse_example`. Examples as writers serialize them (one
    `features` field; map entries of a key then a value; a feature holding one
    list; numbers packed) are read here straight into arrays, with the full
    decoder's results. Anything else (other fields, repeated or missing parts,
    damaged bytes) returns None, and the full decoder handles it, errors included.
    """
    try:
        end = len(data)
        if end == 0 or data[0] != 0x0A:
            return None
        start, stop = _length_delimited(data, 1, end)
        if stop != end:
            return None
        out = {}
        pos = start
        while pos < stop:
            if data[pos] != 0x0A:  # Features.feature map entry
                return None
            entry, entry_end = _length_delimited(data, pos + 1, stop)
            if entry == entry_end or data[entry] != 0x0A:  # the key comes first
                return None
            key_lo, key_hi = _length_delimited(data, entry + 1, entry_end)
            if key_hi == entry_end or data[key_hi] != 0x12:  # then the value
                return None
            value_lo, value_hi = _length_delimited(data, key_hi + 1, entry_end)
            if value_hi != entry_end or value_lo == value_hi:
                return None
            tag = data[value_lo]
            if tag not in (0x0A, 0x12, 0x1A):  # bytes_list, float_list, int64_list
                return None
            list_lo, list_hi = _length_delimited(data, value_lo + 1, value_hi)
            if list_hi != value_hi:
                return None
            name = data[key_lo:key_hi].decode("utf-8")
            if name in out:
                return None
            out[name] = _quick_list(data, tag, list_lo, list_hi)
            pos = entry_end
        return out
    except (_Unusual, UnicodeDecodeError, IndexError):
        return None


def _parse_examples(flat: list, features: dict, where: str) -> dict:
    from tork.train.example import DecodeError, Example

    if not isinstance(features, dict) or not features:
        raise ValueError(
            f"{where}: `features` must be a non-empty dict from feature names to "
            "tf.io.FixedLenFeature / VarLenFeature / FixedLenSequenceFeature."
        )
    from tork.ops.debugging import STAND_IN_TRACE

    if STAND_IN_TRACE.get():
        # tf.data is tracing the map function on stand-in strings (not Examples) to learn
        # its element_spec, as TF does symbolically: parse made-up examples instead.
        flat = [_stand_in_example(features, 1 if not data else 2) for data in flat]
    examples = []
    for i, data in enumerate(flat):
        if type(data) is dict:
            examples.append(data)
            continue
        quick = _quick_decode(data)
        if quick is not None:
            examples.append(quick)
            continue
        try:
            examples.append(Example.FromString(data))
        except (DecodeError, UnicodeDecodeError) as err:
            raise InvalidArgumentError(
                f"{where}: could not parse example {i} as a tf.train.Example ({err})."
            ) from None
    out = {}
    for name, spec in features.items():
        if isinstance(spec, SparseFeature):
            out[name] = _sparse_feature(examples, name, spec, where)
            continue
        if isinstance(spec, RaggedFeature):
            out[name] = _ragged_feature(examples, name, spec, where)
            continue
        if not isinstance(spec, (FixedLenFeature, VarLenFeature, FixedLenSequenceFeature)):
            raise TypeError(
                f"{where}: the spec of feature '{name}' must be a tf.io.FixedLenFeature, "
                f"VarLenFeature, SparseFeature, RaggedFeature or FixedLenSequenceFeature, got "
                f"{type(spec).__name__}."
            )
        key = _dtype_key(spec.dtype, f"{where} (feature '{name}')")
        values = [_feature_values(ex, name, spec, key, i, where) for i, ex in enumerate(examples)]
        if isinstance(spec, FixedLenFeature):
            out[name] = _fixed(values, name, spec, key, where)
        elif isinstance(spec, VarLenFeature):
            out[name] = _VarLen(values, key)
        else:
            out[name] = _padded(values, name, _shape(spec.shape, where), key, spec, where)
    # TF returns the VarLenFeatures first, then the dense (FixedLen /
    # FixedLenSequence) features, then the SparseFeatures and RaggedFeatures,
    # each group sorted by name; users see that order when they print or
    # iterate over the parsed dict.
    return {name: out[name] for name in sorted(out, key=lambda n: (_key_group(features[n]), n))}


def _stand_in_example(features: dict, n: int) -> dict:
    """An example (as `_quick_decode` gives) holding every feature of `features`.

    Varying lengths (VarLen values, sequence items, ragged rows) are all `n`: the two
    element_spec traces use n=1 and n=2, so those dimensions come out unknown while
    FixedLen shapes stay static.
    """

    def put(key: str, kind_key: str, count: int) -> None:
        if kind_key == "string":
            values = np.full(count, b"", dtype=object)
        else:
            values = np.zeros(count, dtype=kind_key)
        out[key] = (_KIND_OF[kind_key], values)

    out: dict = {}
    for name, spec in features.items():
        if not hasattr(spec, "dtype"):
            continue  # a bad spec: parsing reports it
        key = _dtype_key(spec.dtype, "tf.io.parse_example")
        if isinstance(spec, FixedLenFeature):
            put(name, key, math.prod(int(d) for d in spec.shape))
        elif isinstance(spec, FixedLenSequenceFeature):
            put(name, key, n * math.prod(int(d) for d in spec.shape))
        elif isinstance(spec, VarLenFeature):
            put(name, key, n)
        elif isinstance(spec, SparseFeature):
            put(spec.value_key, key, n)
            index_keys = [spec.index_key] if isinstance(spec.index_key, str) else spec.index_key
            for index_key in index_keys:
                put(index_key, "int64", n)
        elif isinstance(spec, RaggedFeature):
            partitions = tuple(spec.partitions)
            rows = n * math.prod(
                int(p.length) if isinstance(p, _UniformRowLength) else n for p in partitions
            )
            put(spec.value_key or name, key, rows)
            for partition in reversed(partitions):  # innermost first, as parsing goes
                if isinstance(partition, _UniformRowLength):
                    rows //= int(partition.length)
                    continue
                rows //= n  # `rows` rows of n values each
                starts = np.arange(rows, dtype=np.int64) * n
                out[partition.key] = (
                    "int64_list",
                    {
                        _RowSplits: np.append(starts, rows * n),
                        _RowLengths: np.full(rows, n, dtype=np.int64),
                        _RowStarts: starts,
                        _RowLimits: starts + n,
                        _ValueRowIds: np.repeat(np.arange(rows, dtype=np.int64), n),
                    }.get(type(partition), starts),
                )
    return out


def _key_group(spec) -> int:
    if isinstance(spec, VarLenFeature):
        return 0
    if isinstance(spec, (SparseFeature, RaggedFeature)):
        return 2
    return 1


class _Sparse(NamedTuple):
    """A SparseFeature's per-example (coordinates, values), made into a SparseTensor at the end."""

    coords: list
    values: list
    key: str
    size: list

    def sparse(self, batched: bool):
        from tork._backend.sparse_tensor import SparseTensor

        rank = len(self.size)
        empty = np.empty(0, dtype=object if self.key == "string" else self.key)
        values = _to_tensor(np.concatenate([empty, *self.values]), self.key)
        if not batched:
            coords = self.coords[0] if self.coords else np.zeros((0, rank), np.int64)
            return SparseTensor(torch.as_tensor(coords).reshape(-1, rank), values, self.size)
        rows = [np.hstack([np.full((c.shape[0], 1), i), c]) for i, c in enumerate(self.coords)]
        coords = np.concatenate([np.zeros((0, rank + 1), np.int64), *rows]).astype(np.int64)
        return SparseTensor(torch.as_tensor(coords), values, [len(self.coords), *self.size])


def _sparse_feature(examples: list, name: str, spec, where: str) -> _Sparse:
    index_keys = [spec.index_key] if isinstance(spec.index_key, str) else list(spec.index_key)
    size = [int(spec.size)] if isinstance(spec.size, (int, np.integer)) else list(spec.size)
    size = [int(d) for d in size]
    if len(size) != len(index_keys):
        raise ValueError(
            f"{where}: SparseFeature '{name}' has {len(index_keys)} index keys but size "
            f"{size} has {len(size)} dimensions; give one size per index key."
        )
    key = _dtype_key(spec.dtype, f"{where} (feature '{name}')")
    coords, values = [], []
    for i, example in enumerate(examples):
        vals = _feature_values(example, spec.value_key, spec, key, i, where)
        vals = np.empty(0, dtype=object if key == "string" else key) if vals is None else vals
        columns = []
        for index_key in index_keys:
            idx = _feature_values(example, index_key, spec, "int64", i, where)
            idx = np.empty(0, np.int64) if idx is None else idx
            if idx.size != vals.size:
                raise InvalidArgumentError(
                    f"{where}: SparseFeature '{name}' of example {i}: index feature "
                    f"'{index_key}' has {idx.size} values but value feature '{spec.value_key}' "
                    f"has {vals.size}; they must have one index per value."
                )
            columns.append(idx)
        coord = np.stack(columns, 1) if columns else np.zeros((vals.size, 0), np.int64)
        if not spec.already_sorted and coord.shape[0]:
            order = np.lexsort(coord.T[::-1])
            coord, vals = coord[order], vals[order]
        coords.append(coord)
        values.append(vals)
    return _Sparse(coords, values, key, size)


_FACTORIES = {
    _RowSplits: "from_row_splits",
    _RowLengths: "from_row_lengths",
    _RowStarts: "from_row_starts",
    _RowLimits: "from_row_limits",
    _ValueRowIds: "from_value_rowids",
}


class _Ragged(NamedTuple):
    """A RaggedFeature's per-example values (a tensor or a RaggedTensor per example)."""

    values: list
    row_splits_dtype: object

    def sparse(self, batched: bool):  # the name the other parsed kinds use
        from tork._backend.ragged_tensor import RaggedTensor, _concat_rows

        if not batched:
            value = self.values[0]
            return (
                value.with_row_splits_dtype(self.row_splits_dtype)
                if isinstance(value, RaggedTensor)
                else value
            )
        lengths = [
            int(v.nrows_int() if isinstance(v, RaggedTensor) else v.shape[0]) for v in self.values
        ]
        if self.values and isinstance(self.values[0], RaggedTensor):
            flat = _concat_rows(self.values)
        elif self.values and isinstance(self.values[0], string_tensor.StringTensor):
            flat = string_tensor.wrap(np.concatenate([np.asarray(v) for v in self.values]))
        else:
            flat = torch.cat(self.values) if self.values else torch.zeros(0)
        rt = RaggedTensor.from_row_lengths(flat, torch.tensor(lengths, dtype=torch.int64))
        return rt.with_row_splits_dtype(self.row_splits_dtype)


def _uniform_rows(value, length: int, name: str, where: str):
    """`value` cut into rows of `length` values: a dense reshape below the ragged partitions.

    As in TF, a uniform partition of plain values adds a fixed dimension (`[n, length]`)
    rather than a ragged one; over a RaggedTensor it is a uniform ragged dimension.
    """
    from tork._backend.ragged_tensor import RaggedTensor

    if isinstance(value, RaggedTensor):
        return RaggedTensor.from_uniform_row_length(value, length)
    total = int(value.shape[0])
    if length <= 0 or total % length:
        raise InvalidArgumentError(
            f"{where}: RaggedFeature '{name}' has {total} values, which UniformRowLength("
            f"{length}) cannot cut into whole rows."
        )
    shape = (total // length, length, *value.shape[1:])
    if isinstance(value, string_tensor.StringTensor):
        return string_tensor.wrap(np.asarray(value).reshape(shape))
    return value.reshape(shape)


def _ragged_feature(examples: list, name: str, spec, where: str) -> _Ragged:
    from tork._backend.ragged_tensor import RaggedTensor

    key = _dtype_key(spec.dtype, f"{where} (feature '{name}')")
    splits_dtype = as_dtype(spec.row_splits_dtype)
    if splits_dtype not in (torch.int32, torch.int64):
        raise ValueError(f"{where}: RaggedFeature row_splits_dtype must be tf.int32 or tf.int64.")
    value_key = spec.value_key or name
    out = []
    for i, example in enumerate(examples):
        vals = _feature_values(example, value_key, spec, key, i, where)
        vals = np.empty(0, dtype=object if key == "string" else key) if vals is None else vals
        value = _to_tensor(vals, key)
        # Innermost partition first: the values become rows, rows become rows of rows...
        for partition in reversed(tuple(spec.partitions)):
            if isinstance(partition, _UniformRowLength):
                value = _uniform_rows(value, int(partition.length), name, where)
                continue
            factory = _FACTORIES.get(type(partition))
            if factory is None:
                raise TypeError(
                    f"{where}: RaggedFeature '{name}' partitions must be RaggedFeature.RowSplits, "
                    "RowLengths, RowStarts, RowLimits, ValueRowIds or UniformRowLength, got "
                    f"{type(partition).__name__}."
                )
            index = _feature_values(example, partition.key, spec, "int64", i, where)
            index = torch.as_tensor(np.empty(0, np.int64) if index is None else index)
            if factory == "from_row_splits" and index.numel() == 0:
                index = torch.zeros(1, dtype=torch.int64)  # a missing feature: no rows
            value = getattr(RaggedTensor, factory)(value, index)
        out.append(value)
    return _Ragged(out, splits_dtype)


class _VarLen(NamedTuple):
    """A VarLenFeature's per-example values, made into a SparseTensor at the end."""

    values: list
    key: str

    def sparse(self, batched: bool):
        from tork._backend.sparse_tensor import SparseTensor

        arrays = [np.empty(0, dtype=object if self.key == "string" else self.key)]
        arrays += [v.reshape(-1) for v in self.values if v is not None]
        lengths = torch.tensor([0 if v is None else v.size for v in self.values], dtype=torch.int64)
        values = _to_tensor(np.concatenate(arrays), self.key)
        total = int(lengths.sum())
        if not batched:
            return SparseTensor(torch.arange(total).unsqueeze(1), values, [total])
        rows = torch.repeat_interleave(torch.arange(lengths.shape[0]), lengths)
        starts = torch.cumsum(lengths, 0) - lengths
        cols = torch.arange(total) - torch.repeat_interleave(starts, lengths)
        longest = int(lengths.max()) if lengths.numel() else 0
        return SparseTensor(torch.stack([rows, cols], 1), values, [lengths.shape[0], longest])


def _fixed(values: list, name: str, spec, key: str, where: str) -> np.ndarray:
    shape = _shape(spec.shape, f"{where} (feature '{name}')")
    size = math.prod(shape)
    rows = []
    for i, v in enumerate(values):
        if v is None:
            if spec.default_value is None:
                raise InvalidArgumentError(
                    f"{where}: feature '{name}' (data type: {_DATA_TYPE[_KIND_OF[key]]}) is "
                    f"required but could not be found in example {i}. Give the "
                    "FixedLenFeature a default_value, or check the feature name."
                )
            rows.append(_default(spec.default_value, shape, key, name, where))
            continue
        if v.size != size:
            raise InvalidArgumentError(
                f"{where}: feature '{name}' of example {i} has {v.size} values but its "
                f"FixedLenFeature shape {list(shape)} needs {size}. Fix the shape, or use "
                "tf.io.VarLenFeature for a varying number of values."
            )
        rows.append(v.reshape(shape))
    if len(rows) == 1:  # one example (parse_single_example): what np.stack gives, cheaper
        return rows[0].reshape((1, *shape)).copy()
    return (
        np.stack(rows) if rows else np.empty((0, *shape), dtype=object if key == "string" else key)
    )


def _padded(values: list, name: str, item_shape: tuple, key: str, spec, where: str):
    size = math.prod(item_shape)
    lengths = []
    for i, v in enumerate(values):
        n = 0 if v is None else v.size
        if spec is not None and v is None and not spec.allow_missing:
            raise InvalidArgumentError(
                f"{where}: feature '{name}' is required but could not be found in example {i}; "
                "pass allow_missing=True to FixedLenSequenceFeature to allow that."
            )
        if size and n % size:
            raise InvalidArgumentError(
                f"{where}: feature '{name}' of example {i} has {n} values, not a multiple of "
                f"the item shape {list(item_shape)} ({size} values)."
            )
        lengths.append(n // size if size else 0)
    longest = max(lengths, default=0)
    np_dtype = object if key == "string" else np.dtype(key)
    pad = b"" if key == "string" else 0
    if spec is not None and spec.default_value is not None:
        pad = _default(spec.default_value, (), key, name, where)[()]
    out = np.full((len(values), longest, *item_shape), pad, dtype=np_dtype)
    for i, (v, n) in enumerate(zip(values, lengths)):
        if n:
            out[i, :n] = v.reshape((n, *item_shape))
    return out


def parse_example(serialized, features: dict, example_names=None, name: str | None = None):
    """Parses a batch of serialized `tf.train.Example`s into a dict of tensors.

    Args:
        serialized: a 1-D string tensor (or list) of serialized examples.
        features: a dict from feature names to `tf.io.FixedLenFeature`,
            `tf.io.VarLenFeature` or `tf.io.FixedLenSequenceFeature`.
        example_names: unused.
        name: unused.

    Returns:
        A dict from feature names to tensors with the batch as first dimension:
        `(batch, *shape)` for FixedLenFeature; for VarLenFeature a
        `tf.SparseTensor` of dense shape `(batch, longest_length)`;
        `(batch, max_items, *shape)` for FixedLenSequenceFeature.

    Raises:
        InvalidArgumentError: a required feature is missing, has the wrong
            number of values or the wrong type, or an example cannot be parsed.

    Example:
    >>> batch = tf.io.parse_example(
    ...     [ex.SerializeToString() for ex in examples],
    ...     {"x": tf.io.FixedLenFeature([2], tf.float32)})
    >>> batch["x"].shape
    torch.Size([len(examples), 2])
    """
    del example_names, name
    flat, shape = _serialized_list(serialized, "tf.io.parse_example")
    if len(shape) != 1:
        raise ValueError(
            f"tf.io.parse_example: `serialized` must be a 1-D batch of examples, got shape "
            f"{shape}. Use tf.io.parse_single_example for one example."
        )
    parsed = _parse_examples(flat, features, "tf.io.parse_example")
    keys = {n: _dtype_key(s.dtype, "tf.io.parse_example") for n, s in features.items()}
    return {
        n: v.sparse(batched=True)
        if isinstance(v, (_VarLen, _Sparse, _Ragged))
        else _to_tensor(v, keys[n])
        for n, v in parsed.items()
    }


def parse_single_example(serialized, features: dict, example_names=None, name: str | None = None):
    """Parses one serialized `tf.train.Example` into a dict of tensors.

    Use it in `dataset.map` over a `tf.data.TFRecordDataset`.

    Args:
        serialized: a scalar string tensor (or bytes) holding a serialized example.
        features: a dict from feature names to `tf.io.FixedLenFeature`,
            `tf.io.VarLenFeature` or `tf.io.FixedLenSequenceFeature`.
        example_names: unused.
        name: unused.

    Returns:
        A dict from feature names to tensors: of the FixedLenFeature's shape and
        dtype; for VarLenFeature a `tf.SparseTensor` of dense shape `(length,)`
        holding the example's values; `(items, *shape)` for FixedLenSequenceFeature.

    Raises:
        InvalidArgumentError: a required feature is missing, has the wrong
            number of values or the wrong type, or the bytes cannot be parsed.

    Example:
    >>> spec = {"x": tf.io.FixedLenFeature([2], tf.float32),
    ...         "y": tf.io.FixedLenFeature([], tf.int64)}
    >>> ds = tf.data.TFRecordDataset("data.tfrecord").map(
    ...     lambda record: tf.io.parse_single_example(record, spec))
    """
    del example_names, name
    flat, shape = _serialized_list(serialized, "tf.io.parse_single_example")
    if shape != ():
        raise ValueError(
            f"tf.io.parse_single_example: `serialized` must be a scalar (one example), got "
            f"shape {shape}. Use tf.io.parse_example for a batch."
        )
    parsed = _parse_examples(flat, features, "tf.io.parse_single_example")
    keys = {n: _dtype_key(s.dtype, "tf.io.parse_single_example") for n, s in features.items()}
    return {
        n: v.sparse(batched=False)
        if isinstance(v, (_VarLen, _Sparse, _Ragged))
        else _to_tensor(v[0, ...], keys[n])
        for n, v in parsed.items()
    }
