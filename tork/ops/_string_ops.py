"""The shape ops of `tf` on string tensors (`tf.string`), computed on their NumPy arrays.

String tensors are NumPy object arrays of `bytes` (`StringTensor`), so torch cannot move
them around; TensorFlow's structural ops (concat, stack, gather, transpose...) work on any
dtype, and text pipelines use them on strings. Each function here is the string branch of
the `tf` op of the same name in `tork.ops.array`, which calls it when its input holds
strings; the arguments are already checked or normalized there where noted.
"""

from __future__ import annotations

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.string_tensor import StringTensor
from tork._backend.tensor import convert_to_tensor


def holds_strings(value) -> bool:
    """True for a string tensor, or a list/tuple whose first tensor-like entry is one."""
    if isinstance(value, StringTensor):
        return True
    if isinstance(value, (list, tuple)) and value:
        return any(isinstance(v, StringTensor) for v in value) or string_tensor.is_string(value)
    return False


def _strings(value, op: str) -> np.ndarray:
    converted = value if isinstance(value, StringTensor) else convert_to_tensor(value)
    if not isinstance(converted, StringTensor):
        dtype = str(converted.dtype).replace("torch.", "")
        raise TypeError(
            f"{op}: cannot mix string tensors with a tensor of dtype {dtype}; convert the "
            "numbers with tf.strings.as_string first."
        )
    return np.asarray(converted)


def _shapes(arrays: list) -> str:
    return ", ".join(str(tuple(a.shape)) for a in arrays)


def concat(values, axis: int) -> StringTensor:
    arrays = [_strings(v, "concat") for v in values]
    try:
        return string_tensor.wrap(np.concatenate(arrays, axis=axis))
    except (ValueError, np.exceptions.AxisError) as err:
        raise ValueError(
            f"concat: string tensors of shapes {_shapes(arrays)} cannot be joined along axis "
            f"{axis}: every other dimension must match."
        ) from err


def stack(values, axis: int) -> StringTensor:
    arrays = [_strings(v, "stack") for v in values]
    try:
        return string_tensor.wrap(np.stack(arrays, axis=axis))
    except (ValueError, np.exceptions.AxisError) as err:
        raise ValueError(
            f"stack: string tensors of shapes {_shapes(arrays)} cannot be stacked on axis "
            f"{axis}: they must all have one shape."
        ) from err


def unstack(value: StringTensor, axis: int) -> list:
    array = np.asarray(value)
    return [string_tensor.wrap(part) for part in np.moveaxis(array, axis, 0)]


def gather(value: StringTensor, indices: torch.Tensor, axis: int) -> StringTensor:
    """`indices` are checked to be in range by the caller."""
    picked = np.take(np.asarray(value), indices.cpu().numpy(), axis=axis)
    return string_tensor.wrap(picked)


def gather_batched(
    value: StringTensor, indices: torch.Tensor, axis: int, batch_dims: int
) -> StringTensor:
    """`gather` with `batch_dims` leading batch axes (shapes and ranges checked by the caller):
    one plain gather per batch element."""
    params = np.asarray(value)
    ids = indices.cpu().numpy()
    batch = params.shape[:batch_dims]
    out_shape = (
        batch + params.shape[batch_dims:axis] + ids.shape[batch_dims:] + params.shape[axis + 1 :]
    )
    out = np.empty(out_shape, dtype=object)
    for b in np.ndindex(*batch):
        out[b] = np.take(params[b], ids[b], axis=axis - batch_dims)
    return string_tensor.wrap(out)


def transpose(value: StringTensor, perm) -> StringTensor:
    return string_tensor.wrap(np.transpose(np.asarray(value), perm))


def tile(value: StringTensor, reps: list) -> StringTensor:
    return string_tensor.wrap(np.tile(np.asarray(value), reps))


def reverse(value: StringTensor, axes) -> StringTensor:
    return string_tensor.wrap(np.flip(np.asarray(value), axis=tuple(axes)))


def pad(value: StringTensor, pairs: list, kind: str, constant_values) -> StringTensor:
    """`tf.pad` of strings (`pairs` and `kind` checked by the caller): CONSTANT fills with
    `constant_values`, the empty string for TF's default 0 (OpenNMT's `WordNoiser` pads
    its tokens back to the input length); REFLECT and SYMMETRIC mirror as for numbers."""
    array = np.asarray(value)
    if kind != "CONSTANT":
        return string_tensor.wrap(np.pad(array, pairs, mode=kind.lower()))
    # Filled by hand: np.pad would store the fill as np.bytes_, not the bytes TF returns.
    shape = tuple(n + before + after for n, (before, after) in zip(array.shape, pairs))
    out = np.empty(shape, dtype=object)
    out.fill(_pad_fill(constant_values))
    out[tuple(slice(before, before + n) for n, (before, _) in zip(array.shape, pairs))] = array
    return string_tensor.wrap(out)


def _pad_fill(constant_values) -> bytes:
    if isinstance(constant_values, (int, float)) and not isinstance(constant_values, bool):
        if constant_values == 0:
            return b""
    fill = np.asarray(_strings(constant_values, "pad"))
    if fill.ndim != 0:
        raise ValueError(
            f"pad: constant_values must be a scalar string, got shape {tuple(fill.shape)}."
        )
    return bytes(fill[()])


def identity(value: StringTensor) -> StringTensor:
    return string_tensor.wrap(np.array(np.asarray(value), dtype=object))


def where(condition: torch.Tensor, x, y) -> StringTensor:
    xs, ys = _strings(x, "where"), _strings(y, "where")
    cond = condition.cpu().numpy()
    try:
        return string_tensor.wrap(np.where(cond, xs, ys))
    except ValueError as err:
        raise ValueError(
            f"where: condition of shape {tuple(cond.shape)} and string values of shapes "
            f"{_shapes([xs, ys])} do not broadcast together."
        ) from err


def unique(value: StringTensor) -> tuple[StringTensor, torch.Tensor]:
    """`tf.unique` of a 1-D string tensor (rank checked by the caller): the distinct
    strings in order of first appearance, and each element's position among them (int64)."""
    first: dict = {}
    idx = [first.setdefault(item, len(first)) for item in np.asarray(value).tolist()]
    y = np.empty(len(first), dtype=object)
    y[:] = list(first)
    return string_tensor.wrap(y), torch.tensor(idx, dtype=torch.int64)
