"""Keras 3's dtype helpers: `standardize_dtype`, `result_type`, `is_float_dtype`, `is_int_dtype`.

Keras 3 names dtypes by strings (`'float32'`) and promotes them on its own lattice
(JAX's), in which Python `int`/`float` are "weak": they take the other operand's
type (`result_type('int8', int) == 'int8'`). tork's dtypes are torch dtypes; these
functions take them as well as names, NumPy dtypes and Python types, and answer
in Keras's strings.
"""

from __future__ import annotations

import numpy as np
import torch

from tork._backend import dtypes as _dtypes
from tork._backend.string_tensor import StringDType

_NAMES = (
    "bool",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "int8",
    "int16",
    "int32",
    "int64",
    "bfloat16",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
)

# Keras's lattice: each type's direct supertypes. "int*", "float*" and "complex*"
# are the weak types of Python scalars.
_SUPERTYPES = {
    "bool": ("int*",),
    "int*": ("uint8", "int8"),
    "uint8": ("uint16", "int16"),
    "uint16": ("uint32", "int32"),
    "uint32": ("uint64", "int64"),
    "uint64": ("float*",),
    "int8": ("int16",),
    "int16": ("int32",),
    "int32": ("int64",),
    "int64": ("float*",),
    "float*": ("complex*", "bfloat16", "float16"),
    "bfloat16": ("float32",),
    "float16": ("float32",),
    "float32": ("float64", "complex64"),
    "float64": ("complex128",),
    "complex*": ("complex64",),
    "complex64": ("complex128",),
    "complex128": (),
}

# What a weak result becomes, and the types Keras's default (TensorFlow) backend narrows.
_WEAK_DEFAULT = {"int*": "int32", "float*": "float32", "complex*": "complex64"}
_CANONICAL = {"uint64": "uint32", "complex128": "complex64"}


def _up_set(node: str) -> frozenset:
    seen = {node}
    stack = [node]
    while stack:
        for parent in _SUPERTYPES[stack.pop()]:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return frozenset(seen)


_UP = {node: _up_set(node) for node in _SUPERTYPES}


def standardize_dtype(dtype=None) -> str:
    """Returns Keras's name for a dtype: `'float32'`, `'int64'`, `'string'`...

    Args:
        dtype: a name such as `'float32'`, a tork (torch) dtype, a NumPy dtype or
            type, a Python type (`int` and `'int'` are `'int64'`, `float` `'float32'`, as Keras),
            or `None` for `keras.config.floatx()`.

    Returns:
        The dtype's name as a string.

    Raises:
        ValueError: for names Keras does not know, such as `'double'`.

    Example:
    >>> keras.backend.standardize_dtype(tf.float16)
    'float16'
    """
    if dtype is None:
        return _dtypes.floatx()
    if dtype is int or (isinstance(dtype, str) and dtype == "int"):
        return "int64"
    if dtype is float:
        return "float32"
    if dtype is bool:
        return "bool"
    if isinstance(dtype, StringDType) or dtype is str or dtype == "string":
        return "string"
    if isinstance(dtype, torch.dtype):
        name = str(dtype).replace("torch.", "")
    elif isinstance(dtype, str):
        name = dtype
    elif isinstance(getattr(dtype, "name", None), str):
        name = dtype.name
    else:
        try:
            name = np.dtype(dtype).name
        except TypeError:
            name = None
    if name not in _NAMES:
        raise ValueError(f"Invalid dtype: {dtype}")
    return name


def _lattice_node(dtype) -> str | None:
    if dtype is None:
        return None
    if dtype is int:
        return "int*"
    if dtype is float:
        return "float*"
    if dtype is complex:
        return "complex*"
    return standardize_dtype(dtype)


def result_type(*dtypes) -> str:
    """Returns the dtype Keras 3 computes from operands of these dtypes.

    Keras promotes on JAX's lattice: Python `int` and `float` are weak and take
    the other operand's type, `uint8` with `int8` gives `int16`, `uint64` with a
    signed integer gives `float32`, and `bfloat16` with `float16` gives `float32`.
    As in Keras with its default backend, `uint64` results narrow to `uint32` and
    `complex128` to `complex64`.

    Args:
        *dtypes: dtypes (names, tork dtypes, NumPy dtypes) or the Python types
            `bool`, `int`, `float`; `None` entries are ignored.

    Returns:
        The promoted dtype's name; `keras.config.floatx()` when no dtype is given.

    Example:
    >>> keras.backend.result_type("int8", "uint8")
    'int16'
    """
    nodes = [node for node in map(_lattice_node, dtypes) if node is not None]
    if not nodes:
        return _dtypes.floatx()
    common = frozenset.intersection(*(_UP[node] for node in nodes))
    # The least upper bound: the common supertype all the others lie above.
    least = next(node for node in common if _UP[node] >= common)
    least = _WEAK_DEFAULT.get(least, least)
    return _CANONICAL.get(least, least)


def is_float_dtype(dtype) -> bool:
    """True for floating point dtypes (`float16/32/64`, `bfloat16`).

    Args:
        dtype: anything `standardize_dtype` takes.

    Returns:
        Whether the dtype is a float type.

    Example:
    >>> keras.backend.is_float_dtype("bfloat16")
    True
    """
    name = standardize_dtype(dtype)
    return name.startswith("float") or name == "bfloat16"


def is_int_dtype(dtype) -> bool:
    """True for signed and unsigned integer dtypes (not `bool`).

    Args:
        dtype: anything `standardize_dtype` takes.

    Returns:
        Whether the dtype is an integer type.

    Example:
    >>> keras.backend.is_int_dtype("uint8")
    True
    """
    name = standardize_dtype(dtype)
    return name.startswith(("int", "uint"))
