"""Shared conversion and dtype helpers for `keras.ops` (private)."""

from __future__ import annotations

import builtins

import torch

from tork._backend.dtypes import as_dtype, floatx_dtype
from tork._backend.tensor import convert_to_tensor

_SCALARS = (bool, int, float)
# Keras accumulates small integer types in int32 (NumPy/JAX style), where torch would use int64.
_SMALL_INTS = (torch.bool, torch.int8, torch.int16, torch.int32, torch.uint8)


def _t(x) -> torch.Tensor:
    """Converts `x` to a tensor (Python floats -> float32, ints -> int32)."""
    return x if isinstance(x, torch.Tensor) else convert_to_tensor(x)


# Keras 3 spells a few dtypes by Python names (`ops.cast(x, "int")`, DeBERTa's relative
# buckets in bert4keras3); `int` means int32 for keras.ops here, as for Python ints.
_KERAS_DTYPE_NAMES = {"int": torch.int32}


def _dtype(dtype) -> torch.dtype | None:
    """A keras.ops `dtype` argument as a torch dtype (None stays None)."""
    if dtype is None:
        return None
    if isinstance(dtype, str) and dtype in _KERAS_DTYPE_NAMES:
        return _KERAS_DTYPE_NAMES[dtype]
    return as_dtype(dtype)


def _operands(x1, x2) -> tuple[torch.Tensor, torch.Tensor]:
    """Two tensors of the promoted dtype; Python scalars are weakly typed, as in Keras 3."""
    t1 = isinstance(x1, torch.Tensor)
    t2 = isinstance(x2, torch.Tensor)
    if t1 and t2:
        if x1.dtype != x2.dtype:
            dt = torch.result_type(x1, x2)
            return x1.to(dt), x2.to(dt)
        return x1, x2
    if t1 and isinstance(x2, _SCALARS):
        dt = _scalar_result_type(x1, x2)
        return x1.to(dt), torch.tensor(x2, dtype=dt, device=x1.device)
    if t2 and isinstance(x1, _SCALARS):
        dt = _scalar_result_type(x2, x1)
        return torch.tensor(x1, dtype=dt, device=x2.device), x2.to(dt)
    # A NumPy array (0-d included) is strongly typed in Keras 3: float16 tensor + a 0-d
    # float32 array is float32, where torch's rule would let the 0-d operand adapt.
    # An array beside a tensor goes where the tensor is (not to the default device).
    if t1:
        return _strong(x1, _t(x2).to(x1.device))
    if t2:
        return _strong(_t(x1).to(x2.device), x2)
    # Neither is a tensor: a Python scalar stays weak beside an array (0-d float16 array
    # + 2.5 is float16, as Keras 3).
    if isinstance(x2, _SCALARS):
        return _operands(_t(x1), x2)
    if isinstance(x1, _SCALARS):
        return _operands(x1, _t(x2))
    return _strong(_t(x1), _t(x2))


def _strong(x1: torch.Tensor, x2: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Both tensors in the common dtype of their dtypes (ranks play no part)."""
    if x1.dtype != x2.dtype:
        dt = torch.promote_types(x1.dtype, x2.dtype)
        return x1.to(dt), x2.to(dt)
    return x1, x2


def _scalar_result_type(x: torch.Tensor, scalar) -> torch.dtype:
    """The dtype of `x` combined with a weakly typed Python scalar."""
    # A bool tensor with a Python int gives int32 in Keras 3 (torch would give int64).
    if x.dtype == torch.bool and isinstance(scalar, int) and not isinstance(scalar, bool):
        return torch.int32
    return torch.result_type(x, scalar)


def _float(x: torch.Tensor) -> torch.Tensor:
    """Integer and bool tensors become floatx (float32), as Keras does for float-valued ops."""
    return x if x.is_floating_point() or x.is_complex() else x.to(floatx_dtype())


def _acc_dtype(x: torch.Tensor) -> torch.dtype | None:
    return torch.int32 if x.dtype in _SMALL_INTS else None


def _axes(axis, ndim: int) -> tuple[int, ...]:
    """Normalises `axis` (None, int or sequence) to a tuple of non-negative dims."""
    if axis is None:
        return tuple(builtins.range(ndim))
    if isinstance(axis, (list, tuple)):
        return tuple(_axis(a, ndim) for a in axis)
    return (_axis(axis, ndim),)


def _axis(axis, ndim: int) -> int:
    a = int(axis)
    if not -builtins.max(ndim, 1) <= a < builtins.max(ndim, 1):
        raise ValueError(
            f"axis {a} is out of bounds for a tensor of rank {ndim}; "
            f"use an axis in [{-ndim}, {ndim})."
        )
    return a % builtins.max(ndim, 1)


def _shape_tuple(shape) -> tuple[int, ...]:
    if isinstance(shape, torch.Tensor):
        return tuple(int(s) for s in shape.tolist())
    if isinstance(shape, int):
        return (shape,)
    return tuple(int(s) for s in shape)


def _data_format(data_format) -> str:
    """`data_format`, or the configured image data format when None; checked."""
    if data_format is None:
        from tork.keras import backend

        data_format = backend.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            f"Received: data_format={data_format}"
        )
    return data_format
