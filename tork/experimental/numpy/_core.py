"""NumPy dtype rules for `tf.experimental.numpy` over torch tensors.

`tnp` follows NumPy's dtypes, not Keras's: Python ints become int64, Python floats
float64 (float32 after `experimental_enable_numpy_behavior(prefer_float32=True)`),
float-valued ops on integers give float64, sums of int32 give int64, and mixed
operands promote as `np.result_type` says (Python scalars are weak: `float32 + 1.0`
stays float32). The ops themselves are tork's `keras.ops.numpy` and torch.
"""

from __future__ import annotations

import numbers

import numpy as np
import torch

from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.tensor import convert_to_tensor

# Set by experimental_enable_numpy_behavior(prefer_float32=...).
_settings = {"prefer_float32": False}


def default_float() -> torch.dtype:
    """The dtype of Python floats in `tnp`: float64, or float32 with prefer_float32."""
    return torch.float32 if _settings["prefer_float32"] else torch.float64


def np_dtype(dtype) -> np.dtype:
    """The NumPy dtype of a torch dtype (bfloat16, which NumPy lacks, as float32)."""
    if dtype == torch.bfloat16:
        return np.dtype(np.float32)
    return np.dtype(dtype_name(dtype))


def torch_dtype(dtype) -> torch.dtype:
    """`dtype` (a NumPy or torch dtype, a type such as `float`, or a name) as a torch dtype."""
    if dtype is float:
        return default_float()
    if dtype is int:
        return torch.int64
    if dtype is complex:
        return torch.complex128
    return as_dtype(dtype)


def _is_python_scalar(value) -> bool:
    return isinstance(value, (numbers.Number, np.bool_)) and not isinstance(
        value, (np.generic, torch.Tensor)
    )


def _narrow(dtype: torch.dtype) -> torch.dtype:
    """With prefer_float32, the 64-bit float NumPy infers for Python floats is float32."""
    if _settings["prefer_float32"]:
        if dtype == torch.float64:
            return torch.float32
        if dtype == torch.complex128:
            return torch.complex64
    return dtype


def asarray(value, dtype=None) -> torch.Tensor:
    """`value` as a tensor with NumPy's dtype inference (tensors are kept as they are)."""
    target = torch_dtype(dtype) if dtype is not None else None
    if isinstance(value, torch.Tensor):
        return value if target is None or value.dtype == target else value.to(target)
    if isinstance(value, (np.ndarray, np.generic)):
        return convert_to_tensor(value, dtype=target)
    if isinstance(value, (list, tuple)) and _holds_tensor(value):
        tensor = torch.stack([asarray(v) for v in value]) if value else torch.zeros(0)
        return tensor if target is None else tensor.to(target)
    array = np.asarray(value)
    if target is None:
        inferred = as_dtype(array.dtype)
        target = _narrow(inferred) if array.dtype.kind in "fc" else inferred
    return convert_to_tensor(array, dtype=target)


def _holds_tensor(value) -> bool:
    return any(
        isinstance(v, torch.Tensor) or (isinstance(v, (list, tuple)) and _holds_tensor(v))
        for v in value
    )


def result_dtype(*values) -> torch.dtype:
    """The dtype NumPy gives an op on `values` (Python scalars count as weak)."""
    operands = []
    all_python = True
    for value in values:
        if _is_python_scalar(value):
            operands.append(value)
        else:
            all_python = False
            operands.append(np_dtype(asarray(value).dtype))
    result = as_dtype(np.result_type(*operands))
    return _narrow(result) if all_python else result


def promote(*values) -> list:
    """`values` as tensors of their common NumPy dtype."""
    target = result_dtype(*values)
    return [asarray(v, target) for v in values]


def to_float(x: torch.Tensor) -> torch.Tensor:
    """Integers and bools as the default float (NumPy's float64), for float-valued ops."""
    if x.is_floating_point() or x.is_complex():
        return x
    return x.to(default_float())


def accumulate(x: torch.Tensor) -> torch.Tensor:
    """Bools and narrow integers as int64 (NumPy sums and products of int32 are int64)."""
    if x.dtype in (torch.bool, torch.int8, torch.int16, torch.int32, torch.uint8):
        return x.to(torch.int64)
    return x
