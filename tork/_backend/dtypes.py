"""TensorFlow dtype names over torch dtypes.

tork dtypes *are* torch dtypes (`tf.float32 is torch.float32`), so comparisons
such as `x.dtype == tf.float32` work on any torch tensor.
"""

from __future__ import annotations

import numpy as np
import torch

from tork._backend._c_types import add_to_c_type

# `tf.string` is not a torch dtype: string tensors are `StringTensor`s (see string_tensor.py).
from tork._backend.string_tensor import StringDType, string

float16 = half = torch.float16
bfloat16 = torch.bfloat16
float32 = torch.float32
float64 = double = torch.float64
int8 = torch.int8
int16 = torch.int16
int32 = torch.int32
int64 = torch.int64
uint8 = torch.uint8
# Unsigned wider ints: torch has them as storage types with few ops (decode_png's uint16).
uint16 = torch.uint16
uint32 = torch.uint32
uint64 = torch.uint64
bool = torch.bool  # noqa: A001 - TensorFlow's public name
complex64 = torch.complex64
complex128 = torch.complex128

# How many times torch's `_apply` (`double()`, `to(device)`...) ran on a Keras layer: an
# optimizer compares it with the count at its last step to notice variables cast or moved
# under it, at the cost of one integer comparison per step.
_LAYER_APPLIES = [0]

_BY_NAME: dict[str, torch.dtype] = {
    "float16": torch.float16,
    "half": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float": torch.float32,
    "float64": torch.float64,
    "double": torch.float64,
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "uint8": torch.uint8,
    "uint16": torch.uint16,
    "uint32": torch.uint32,
    "uint64": torch.uint64,
    "bool": torch.bool,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
}

_floatx = torch.float32
_pybool = type(True)  # noqa: UP003 - `bool` here is TensorFlow's dtype name


# TensorFlow's `DataType` enum values (types.proto): `tf.as_dtype(1)` is float32, and
# user code passes them where a dtype goes (`tf.ones(batch_size, 1)` in a DCGAN loop).
_BY_ENUM: dict[int, str] = {
    1: "float32",
    2: "float64",
    3: "int32",
    4: "uint8",
    5: "int16",
    6: "int8",
    7: "string",
    8: "complex64",
    9: "int64",
    10: "bool",
    14: "bfloat16",
    17: "uint16",
    18: "complex128",
    19: "float16",
    22: "uint32",
    23: "uint64",
}

_ENUM_OF: dict[str, int] = {name: enum for enum, name in _BY_ENUM.items()}


def floatx() -> str:
    """Returns the default float type as a string, e.g. `'float32'`."""
    return str(_floatx).replace("torch.", "")


def set_floatx(value: str) -> None:
    """Sets the default float type.

    Args:
        value: `'float16'`, `'bfloat16'`, `'float32'` or `'float64'`.
    """
    global _floatx
    dtype = as_dtype(value)
    if not dtype.is_floating_point:
        raise ValueError(f"set_floatx expects a float type, got {value!r}.")
    _floatx = dtype


def floatx_dtype() -> torch.dtype:
    """Returns the default float type as a torch dtype."""
    return _floatx


def as_dtype(type_value) -> torch.dtype:
    """Converts a dtype-like value to a torch dtype.

    Args:
        type_value: a torch dtype, a numpy dtype or type, a Python type
            (`float`, `int`, `bool`), a name such as `'float32'` or one of
            TensorFlow's `DataType` enum values (`1` is float32).

    Returns:
        The matching `torch.dtype`.

    Example:
    >>> tf.dtypes.as_dtype("float32") == tf.float32
    True
    """
    if isinstance(type_value, torch.dtype):
        return type_value
    if isinstance(type_value, StringDType) or type_value is str or type_value is bytes:
        return string
    if type_value is None:
        raise TypeError("as_dtype got None; pass a dtype such as 'float32'.")
    if isinstance(type_value, str):
        name = type_value.replace("torch.", "").replace("tf.", "")
        if name == "string":
            return string
        if name in _BY_NAME:
            return _BY_NAME[name]
        raise TypeError(
            f"Cannot convert {type_value!r} to a dtype. Valid names: {sorted(_BY_NAME)}."
        )
    if type_value is float:
        return torch.float32
    if type_value is int:
        return torch.int32
    if type_value is _pybool:
        return torch.bool
    if isinstance(type_value, (int, np.integer)) and not isinstance(type_value, _pybool):
        enum_name = _BY_ENUM.get(int(type_value))
        if enum_name is None:
            raise TypeError(
                f"Cannot convert {type_value!r} to a dtype: it is not one of TensorFlow's "
                f"DataType enum values tork supports ({sorted(_BY_ENUM)}). Pass a dtype "
                "such as tf.float32 or 'float32'."
            )
        return string if enum_name == "string" else _BY_NAME[enum_name]
    name = getattr(type_value, "name", None)
    if isinstance(name, str) and name in _BY_NAME:
        return _BY_NAME[name]
    try:
        np_dtype = np.dtype(type_value)
    except TypeError:
        np_dtype = None
    if np_dtype is not None:
        if np_dtype.kind in ("U", "S", "O"):
            return string
        if np_dtype.name in _BY_NAME:
            return _BY_NAME[np_dtype.name]
    raise TypeError(f"Cannot convert {type_value!r} to a dtype.")


def is_float_dtype(dtype) -> bool:
    """Returns True when `dtype` is a floating point type."""
    return as_dtype(dtype).is_floating_point


def dtype_name(dtype) -> str:
    """Returns the TensorFlow-style name of a dtype, e.g. `'float32'`."""
    return str(as_dtype(dtype)).replace("torch.", "")


def cast(x, dtype, name: str | None = None):
    """`tf.dtypes.cast`: the same function as `tf.cast`.

    Args:
        x: a tensor-like value.
        dtype: the target dtype.
        name: unused.

    Returns:
        `x` converted to `dtype`.

    Example:
    >>> tf.dtypes.cast([1.7, -1.7], tf.int32).tolist()
    [1, -1]
    """
    from tork.ops.math import cast as _cast

    return _cast(x, dtype, name=name)


def saturate_cast(value, dtype, name: str | None = None):
    """`tf.dtypes.saturate_cast`: the same function as `tf.saturate_cast`.

    Args:
        value: a tensor-like value.
        dtype: the target dtype.
        name: unused.

    Returns:
        `value` clipped to the range of `dtype`, then converted.

    Example:
    >>> tf.dtypes.saturate_cast([300.0, -5.0], tf.uint8).tolist()
    [255, 0]
    """
    from tork.ops._casts import saturate_cast as _saturate_cast

    return _saturate_cast(value, dtype, name=name)


_UNSIGNED = frozenset({torch.uint8, torch.uint16, torch.uint32, torch.uint64})


def _is_integer(dtype: torch.dtype) -> _pybool:
    return not (dtype.is_floating_point or dtype.is_complex or dtype is torch.bool)


def _as_numpy_dtype(dtype: torch.dtype) -> type:
    # TF's bfloat16 is ml_dtypes' (NumPy has none): use it when it is installed.
    if dtype is torch.bfloat16:
        try:
            import ml_dtypes
        except ImportError:
            raise TypeError(
                "tf.bfloat16.as_numpy_dtype needs the `ml_dtypes` package (NumPy has no "
                "bfloat16): pip install ml_dtypes."
            ) from None
        return ml_dtypes.bfloat16
    return torch.empty(0, dtype=dtype).numpy().dtype.type


def _limit(dtype: torch.dtype, which: str):
    # TF's DType.min/max: NumPy scalars for floats, Python ints for integers; a TypeError
    # for bool and complex, which have no order.
    if dtype.is_floating_point:
        info = torch.finfo(dtype)
        value = info.min if which == "min" else info.max
        return value if dtype is torch.bfloat16 else _as_numpy_dtype(dtype)(value)
    if _is_integer(dtype):
        info = torch.iinfo(dtype)
        return int(info.min if which == "min" else info.max)
    raise TypeError(f"Cannot find {which}imum value of {dtype} (it is not ordered).")


# TensorFlow's `tf.DType` properties that TF code reads on dtypes (`x.dtype.is_floating`
# in tf-models' OnDeviceEmbedding, `dtype.as_numpy_dtype` in input pipelines, `dtype.max`
# to mask scores). `name` is left out: tork tells dtypes from dtype policies by it.
_DTYPE_PROPERTIES = {
    "base_dtype": (lambda dtype: dtype, "The dtype itself (TF)."),
    "is_floating": (lambda dtype: dtype.is_floating_point, "Whether a float type (TF)."),
    "is_integer": (_is_integer, "Whether an integer type, bool excluded (TF)."),
    "is_bool": (lambda dtype: dtype is torch.bool, "Whether the bool type (TF)."),
    "is_unsigned": (lambda dtype: dtype in _UNSIGNED, "Whether an unsigned integer type (TF)."),
    "as_numpy_dtype": (_as_numpy_dtype, "The NumPy scalar type, e.g. `np.float32` (TF)."),
    "min": (lambda dtype: _limit(dtype, "min"), "The smallest value of the type (TF)."),
    "max": (lambda dtype: _limit(dtype, "max"), "The largest value of the type (TF)."),
    "size": (lambda dtype: dtype.itemsize, "Bytes per element (TF)."),
    "as_datatype_enum": (
        lambda dtype: _ENUM_OF[str(dtype).replace("torch.", "")],
        "TensorFlow's DataType enum value, e.g. 1 for float32 (TF).",
    ),
}


def _install_dtype_properties() -> None:
    """Gives `torch.dtype` TensorFlow's `tf.DType` properties (`base_dtype`, `is_floating`...).

    TF code writes `var.dtype.base_dtype` (Keras 2 optimizers, custom layers) and
    `dtype.is_floating` / `dtype.as_numpy_dtype` / `dtype.max`; tork's dtypes are torch's,
    whose type is immutable, so the properties go into its dict directly. Left out where
    the interpreter does not allow it.
    """
    add_to_c_type(
        torch.dtype,
        {key: property(getter, doc=doc) for key, (getter, doc) in _DTYPE_PROPERTIES.items()},
    )


_install_dtype_properties()
