"""`tf.sets`: set operations along the last dimension of dense or sparse tensors.

Each position of the leading dimensions holds one set: the values along the
last dimension (for a dense tensor, every value, zeros included; for a
SparseTensor, the stored values). Results are SparseTensors whose last
dimension lists each set's elements in ascending order, and whose last
dense dimension is the largest set's size, as in TensorFlow.

The computation is vectorised: every element becomes a (set id, value) row,
and `torch.unique(..., dim=0)` sorts and deduplicates all sets at once.
Strings are first mapped to integer codes in byte order.
"""

from __future__ import annotations

import math as _math

import numpy as np
import torch

from tork._backend import string_tensor as _string_tensor
from tork._backend.errors import InvalidArgumentError as _InvalidArgumentError
from tork._backend.errors import module_getattr as _module_getattr
from tork._backend.sparse_tensor import SparseTensor as _SparseTensor
from tork._backend.sparse_tensor import dtype_name as _dtype_name
from tork._backend.tensor import convert_to_tensor as _convert_to_tensor
from tork.ops.sparse import _linear, _unravel, _validate_indices

__all__ = ["difference", "intersection", "size", "union"]

_INT_DTYPES = (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8, torch.uint16)
_SUPPORTED = "int8, int16, int32, int64, uint8, uint16, string"


def _parts(x, where: str, arg: str, validate_indices: bool):
    """(set id per element, values, shape of the leading dimensions) of a set operand."""
    if isinstance(x, _SparseTensor):
        shape = [int(d) for d in x.dense_shape.tolist()]
        values = x.values
        indices = x.indices
        _check_dtype(values, arg, where)
        if len(shape) < 2:
            raise _InvalidArgumentError(
                f"{where}: {arg} must have rank >= 2 (each set lies along the last "
                f"dimension), got dense shape {shape}."
            )
        if validate_indices:
            _validate_indices(x, where)
        group = _linear(indices[:, :-1], shape[:-1])
        return group, values, shape[:-1]
    if isinstance(x, _string_tensor.StringTensor) or _string_tensor.is_string(x):
        dense = _string_tensor.make(x, where)
        shape = list(dense.shape)
        flat = _string_tensor.wrap(np.asarray(dense.view(np.ndarray)).reshape(-1))
    else:
        dense = _convert_to_tensor(x)
        shape = list(dense.shape)
        flat = dense.reshape(-1)
    _check_dtype(flat, arg, where)
    if len(shape) < 2:
        raise _InvalidArgumentError(
            f"{where}: {arg} must have rank >= 2 (each set lies along the last dimension), "
            f"got shape {shape}. Add a leading dimension, e.g. tf.expand_dims(x, 0)."
        )
    count = _math.prod(shape[:-1])
    device = flat.device if isinstance(flat, torch.Tensor) else torch.device("cpu")
    group = torch.arange(count, dtype=torch.int64, device=device).repeat_interleave(shape[-1])
    return group, flat, shape[:-1]


def _check_dtype(values, arg: str, where: str):
    dtype = values.dtype
    if dtype == _string_tensor.string or dtype in _INT_DTYPES:
        return dtype
    raise TypeError(
        f"{where}: '{arg}' has invalid dtype {_dtype_name(dtype)}, not in the supported dtypes "
        f"({_SUPPORTED}). Sets of floats are not supported; cast to an integer type first."
    )


def _codes(values_a, values_b, is_string: bool, device):
    """Both operands' values as int64 codes, plus a function mapping codes back."""
    if not is_string:
        return values_a.to(torch.int64), values_b.to(device=device, dtype=torch.int64), None
    a = np.asarray(values_a.view(np.ndarray), dtype=object)
    b = np.asarray(values_b.view(np.ndarray), dtype=object)
    both = np.concatenate([a, b])
    if both.size == 0:
        vocab = np.empty(0, dtype=object)
        inverse = np.empty(0, dtype=np.int64)
    else:
        # np.unique sorts bytes by their byte order, as TensorFlow's string sets do.
        vocab, inverse = np.unique(both.astype(bytes), return_inverse=True)
        vocab = vocab.astype(object)
    inverse = torch.as_tensor(inverse.reshape(-1), dtype=torch.int64)
    return inverse[: a.size], inverse[a.size :], vocab


def _result(rows: torch.Tensor, group_shape: list, dtype, vocab) -> _SparseTensor:
    """A SparseTensor from sorted unique (set id, code) rows."""
    n = rows.shape[0]
    groups, codes = rows[:, 0], rows[:, 1]
    device = rows.device
    if n:
        position = torch.arange(n, dtype=torch.int64, device=device)
        first = torch.ones(n, dtype=torch.bool, device=device)
        first[1:] = groups[1:] != groups[:-1]
        start = torch.cummax(torch.where(first, position, torch.zeros_like(position)), 0).values
        column = position - start
        width = int(column.max()) + 1
    else:
        column = torch.zeros(0, dtype=torch.int64, device=device)
        width = 0
    indices = torch.cat([_unravel(groups, group_shape), column.unsqueeze(1)], 1)
    if vocab is not None:
        values = _string_tensor.wrap(np.asarray(vocab[codes.cpu().numpy()], dtype=object))
    else:
        values = codes.to(dtype)
    return _SparseTensor(indices, values, group_shape + [width])


def _peek_dtype(x, arg: str, where: str):
    if isinstance(x, _SparseTensor):
        values = x.values
    elif isinstance(x, _string_tensor.StringTensor) or _string_tensor.is_string(x):
        return _string_tensor.string
    else:
        values = _convert_to_tensor(x)
    return _check_dtype(values, arg, where)


def _set_operation(a, b, mode: str, validate_indices: bool, where: str) -> _SparseTensor:
    # TensorFlow's order of checks: each dtype, then the dtypes match, then the shapes.
    dtype_a = _peek_dtype(a, "a", where)
    dtype_b = _peek_dtype(b, "b", where)
    if dtype_a != dtype_b:
        raise TypeError(
            f"{where}: Types don't match, {_dtype_name(dtype_a)} vs {_dtype_name(dtype_b)}. "
            "Cast one operand with tf.cast."
        )
    group_a, values_a, shape_a = _parts(a, where, "a", validate_indices)
    group_b, values_b, shape_b = _parts(b, where, "b", validate_indices)
    if shape_a != shape_b:
        raise _InvalidArgumentError(
            f"{where}: Mismatched shapes {shape_a} vs {shape_b}: the dimensions before the "
            "last must be equal (one set per position)."
        )
    is_string = dtype_a == _string_tensor.string
    device = group_a.device
    codes_a, codes_b, vocab = _codes(values_a, values_b, is_string, device)
    rows_a = torch.unique(torch.stack([group_a, codes_a.to(device)], 1), dim=0)
    rows_b = torch.unique(torch.stack([group_b.to(device), codes_b.to(device)], 1), dim=0)
    rows, inverse = torch.unique(torch.cat([rows_a, rows_b]), dim=0, return_inverse=True)
    in_a = torch.zeros(rows.shape[0], dtype=torch.bool, device=device)
    in_b = torch.zeros_like(in_a)
    in_a[inverse[: rows_a.shape[0]]] = True
    in_b[inverse[rows_a.shape[0] :]] = True
    if mode == "intersection":
        keep = in_a & in_b
    elif mode == "a-b":
        keep = in_a & ~in_b
    elif mode == "b-a":
        keep = in_b & ~in_a
    else:
        keep = in_a | in_b
    return _result(rows[keep], shape_a, dtype_a, vocab)


def size(a, validate_indices=True):
    """The number of unique elements of each set along the last dimension of a SparseTensor.

    Args:
        a: a `tf.SparseTensor` of rank >= 2 (integer or string values).
        validate_indices: check that the indices are sorted.

    Returns:
        An int32 tensor of the SparseTensor's dense shape without its last dimension.

    Example:
    >>> sp = tf.SparseTensor([[0, 0], [0, 1], [2, 0]], [5, 5, 1], [3, 4])
    >>> tf.sets.size(sp).tolist()
    [1, 0, 1]
    """
    where = "tf.sets.size"
    if not isinstance(a, _SparseTensor):
        raise TypeError(
            f"{where}: Expected `SparseTensor`, got {type(a).__name__} of shape "
            f"{tuple(getattr(a, 'shape', ()))}. Convert a dense tensor with "
            "tf.sparse.from_dense (or use tf.sets.union(a, a) for dense sets)."
        )
    group, values, group_shape = _parts(a, where, "a", validate_indices)
    codes, _, _ = _codes(values, values[:0], values.dtype == _string_tensor.string, group.device)
    rows = torch.unique(torch.stack([group, codes.to(group.device)], 1), dim=0)
    count = _math.prod(group_shape)
    out = torch.zeros(count, dtype=torch.int32, device=group.device)
    out = out.index_add(0, rows[:, 0], torch.ones_like(rows[:, 0], dtype=torch.int32))
    return out.reshape(group_shape)


def intersection(a, b, validate_indices=True):
    """The elements in both `a` and `b`, per set along the last dimension.

    Args:
        a: a dense tensor or `tf.SparseTensor` of rank >= 2 (integers or strings).
        b: same kind, with the same leading dimensions and dtype.
        validate_indices: check that sparse indices are sorted.

    Returns:
        A `tf.SparseTensor`: each set's elements in ascending order along the last
        dimension, whose size is the largest result set.

    Example:
    >>> out = tf.sets.intersection(tf.constant([[1, 2, 3]]), tf.constant([[3, 1, 9]]))
    >>> out.values.tolist(), out.dense_shape.tolist()
    ([1, 3], [1, 2])
    """
    return _set_operation(a, b, "intersection", validate_indices, "tf.sets.intersection")


def union(a, b, validate_indices=True):
    """The elements in `a` or `b`, per set along the last dimension.

    Args:
        a: a dense tensor or `tf.SparseTensor` of rank >= 2 (integers or strings).
        b: same kind, with the same leading dimensions and dtype.
        validate_indices: check that sparse indices are sorted.

    Returns:
        A `tf.SparseTensor` of the sorted unions (see `tf.sets.intersection`).

    Example:
    >>> tf.sets.union(tf.constant([[2, 1]]), tf.constant([[1, 5]])).values.tolist()
    [1, 2, 5]
    """
    return _set_operation(a, b, "union", validate_indices, "tf.sets.union")


def difference(a, b, aminusb=True, validate_indices=True):
    """The elements of `a` not in `b` (or of `b` not in `a`), per set along the last dimension.

    Args:
        a: a dense tensor or `tf.SparseTensor` of rank >= 2 (integers or strings).
        b: same kind, with the same leading dimensions and dtype.
        aminusb: True for `a - b`, False for `b - a`.
        validate_indices: check that sparse indices are sorted.

    Returns:
        A `tf.SparseTensor` of the sorted differences (see `tf.sets.intersection`).

    Example:
    >>> tf.sets.difference(tf.constant([[1, 2, 3]]), tf.constant([[2]])).values.tolist()
    [1, 3]
    """
    mode = "a-b" if aminusb else "b-a"
    return _set_operation(a, b, mode, validate_indices, "tf.sets.difference")


__getattr__ = _module_getattr("tf.sets")
