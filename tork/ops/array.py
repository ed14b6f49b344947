"""TensorFlow array ops (creation, shapes, indexing) over torch tensors.

Every function follows the TensorFlow name, argument order and defaults and
returns a plain `torch.Tensor`. Index tensors may be int32, as in TensorFlow;
they are widened to int64 only where torch needs it.
"""

from __future__ import annotations

import builtins
import collections
import math
import numbers
from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F

from tork._backend.device import current_device
from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.errors import module_getattr
from tork._backend.sparse_tensor import SparseTensor
from tork._backend.string_tensor import StringTensor
from tork._backend.string_tensor import string as _string_dtype
from tork._backend.string_tensor import wrap as _wrap_strings
from tork._backend.tensor import (
    check_python_value,
    convert_operand,
    convert_to_tensor,
    to_numpy,
)
from tork._backend.tensor_shape import TensorShape
from tork._backend.tracing import values_readable
from tork.ops import _lookup_rows, _string_ops
from tork.ops.debugging import InvalidArgumentError
from tork.variables import Variable as _Variable

__all__ = [
    "Assert",
    "DType",
    "as_dtype",
    "boolean_mask",
    "broadcast_static_shape",
    "broadcast_to",
    "concat",
    "constant",
    "ensure_shape",
    "expand_dims",
    "eye",
    "fill",
    "gather",
    "gather_nd",
    "get_static_value",
    "histogram_fixed_width",
    "identity",
    "is_tensor",
    "linspace",
    "meshgrid",
    "newaxis",
    "one_hot",
    "ones",
    "ones_like",
    "pad",
    "range",
    "rank",
    "repeat",
    "reshape",
    "reverse",
    "roll",
    "scatter_nd",
    "searchsorted",
    "sequence_mask",
    "shape",
    "size",
    "slice",
    "split",
    "squeeze",
    "stack",
    "stop_gradient",
    "strided_slice",
    "tensor_scatter_nd_add",
    "tensor_scatter_nd_max",
    "tensor_scatter_nd_min",
    "tensor_scatter_nd_sub",
    "tensor_scatter_nd_update",
    "tile",
    "transpose",
    "unique",
    "unstack",
    "where",
    "zeros",
    "zeros_like",
]

__getattr__ = module_getattr("tf")

_builtin_range = builtins.range
_builtin_slice = builtins.slice

newaxis = None

_INT_DTYPES = (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8)


# ---------------------------------------------------------------- helpers used by other ops


def _t(value) -> torch.Tensor:
    """Converts to a tensor unless it already is one (the common, fast path)."""
    return value if isinstance(value, torch.Tensor) else convert_to_tensor(value)


def _snapshot(out):
    """The result of a view-making op on a variable, as a copy (`out` may be a list).

    Reading a TensorFlow variable gives its value at that moment: `tf.reshape(v, [-1])`
    does not change when `v` is assigned or trained later. torch's reshape, permute,
    unsqueeze... give views of the variable, so the ops below copy their result when
    their input is a variable (the callers check that: one isinstance on the fast path).
    The copy is differentiable; results that are copies already are kept.
    """
    if isinstance(out, list):
        return [_snapshot(o) for o in out]
    if out._base is not None or isinstance(out, _Variable):
        return out.clone()
    return out


def _like(value, ref: torch.Tensor) -> torch.Tensor:
    """Converts `value` next to the tensor `ref`: same device, `ref`'s dtype as a hint."""
    if isinstance(value, torch.Tensor):
        return value
    out = convert_to_tensor(value, dtype_hint=ref.dtype)
    return out if out.device == ref.device else out.to(ref.device)


def _as_shape(shape, what: str = "shape") -> tuple[int, ...]:
    """Turns a TF shape argument (list, tuple, TensorShape, tensor, int) into ints."""
    if isinstance(shape, torch.Size):
        return tuple(shape)
    if isinstance(shape, torch.Tensor):
        # tolist() without a reshape: it also reads the constant fake tensors tf.shape gives
        # inside a layer's call during functional-API shape inference.
        values = shape.tolist() if shape.ndim == 1 else [shape.tolist()]
        return tuple(int(v) for v in values)
    if isinstance(shape, np.ndarray):
        return tuple(int(v) for v in shape.reshape(-1).tolist())
    if isinstance(shape, TensorShape):
        if not shape.is_fully_defined():
            raise ValueError(
                f"{what} {shape} has unknown dimensions; every dimension must be known here."
            )
        return tuple(shape.as_list())
    if isinstance(shape, numbers.Integral):
        return (int(shape),)
    dims = []
    for d in shape:
        if d is None:
            raise ValueError(
                f"{what} {tuple(shape)} has an unknown (None) dimension; every dimension "
                "must be known here."
            )
        try:
            size = int(d)
        except (TypeError, ValueError):
            size = None
        if size is None or (isinstance(d, float) and size != d):  # 'x', 1.5: no size
            raise ValueError(f"{what} must hold integers, got {tuple(shape)!r} (dimension {d!r}).")
        dims.append(size)
    return tuple(dims)


def _as_int_list(value) -> list[int]:
    """A Python list of ints from an int, list, numpy array or tensor."""
    if isinstance(value, torch.Tensor):
        return [int(v) for v in value.reshape(-1).tolist()]
    if isinstance(value, np.ndarray):
        return [int(v) for v in value.reshape(-1).tolist()]
    if isinstance(value, numbers.Integral):
        return [int(value)]
    if isinstance(value, (list, tuple)) and all(type(v) is int for v in value):
        # The common literal (`tf.transpose(x, [0, 2, 1, 3])`): no NumPy round trip, which
        # torch.compile cannot trace (a graph break in every such call).
        return list(value)
    if isinstance(value, (list, tuple)) and any(isinstance(v, torch.Tensor) for v in value):
        # `[tf.shape(x)[0], 1, 1]` inside a layer's call during functional shape inference
        # holds a constant fake tensor, which NumPy cannot read but int() can.
        return [n for v in value for n in _as_int_list(v)]
    return [int(v) for v in np.asarray(value, dtype=np.int64).reshape(-1).tolist()]


def _axis_int(axis) -> int:
    if isinstance(axis, torch.Tensor):
        return int(axis.item())
    return int(axis)


def _norm_axis(axis: int, ndim: int, what: str = "axis") -> int:
    if not -ndim <= axis < max(ndim, 1):
        raise InvalidArgumentError(
            f"{what}={axis} is out of range for a tensor of rank {ndim}; "
            f"expected a value in [{-ndim}, {ndim})."
        )
    return axis % ndim if ndim else 0


def _as_axes(axis, ndim: int) -> tuple[int, ...] | None:
    """None (all axes) or a tuple of non-negative axes from a TF `axis` argument."""
    if axis is None:
        return None
    if isinstance(axis, torch.Tensor):
        axis = axis.reshape(-1).tolist() if axis.dim() else int(axis.item())
    elif isinstance(axis, np.ndarray):
        axis = axis.reshape(-1).tolist() if axis.ndim else int(axis)
    if isinstance(axis, numbers.Integral):
        return (_norm_axis(int(axis), ndim),)
    return tuple(_norm_axis(int(a), ndim) for a in axis)


def _index(indices) -> torch.Tensor:
    """Index tensor as int64 (torch's index type); rejects non-integer indices."""
    idx = _t(indices)
    if idx.dtype == torch.int64:
        return idx
    if idx.dtype not in _INT_DTYPES:
        raise TypeError(
            f"indices must be an integer tensor (int32 or int64), got {dtype_name(idx.dtype)}. "
            "Cast them first, e.g. tf.cast(indices, tf.int32)."
        )
    return idx.long()


def _shape_str(shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


# ---------------------------------------------------------------- creation


def constant(value, dtype=None, shape=None, name: str | None = None) -> torch.Tensor:
    """Creates a constant tensor from a tensor-like value.

    Python floats become float32 and ints int32; NumPy arrays keep their dtype.
    The result is always a new tensor (never aliasing `value`).

    Args:
        value: a Python scalar or nested list, a NumPy array or a tensor.
        dtype: optional dtype to cast to.
        shape: optional shape. A single value is broadcast to fill it; otherwise
            the number of elements must match and the value is reshaped.
        name: unused, for TensorFlow compatibility.

    Returns:
        A `torch.Tensor`.

    Example:
    >>> tf.constant(0.0, shape=(2, 2))
    tensor([[0., 0.],
            [0., 0.]])
    """
    del name
    if isinstance(value, torch.Tensor):
        target = value.dtype if dtype is None else as_dtype(dtype)
        if target != value.dtype and not isinstance(value, StringTensor):
            # TensorFlow's TypeError: tf.constant does not cast tensors (tf.cast does).
            raise TypeError(
                f"Expected tensor {to_numpy(value)} with dtype tf.{dtype_name(target)}, but "
                f"got dtype tf.{dtype_name(value.dtype)}. Cast it with tf.cast."
            )
        tensor = value.detach().to(dtype=target, copy=True)
    else:
        tensor = convert_to_tensor(value, dtype=dtype, _no_truncation=True)
    if shape is None:
        return tensor
    dims = _as_shape(shape)
    if tuple(tensor.shape) == dims:
        return tensor
    count = 1
    for d in dims:
        count *= d
    if tensor.numel() == count:
        return tensor.reshape(dims)
    if tensor.numel() == 1:
        return tensor.reshape(()).expand(dims).clone()
    raise TypeError(
        f"tf.constant cannot give shape {_shape_str(dims)} ({count} elements) to a value of "
        f"shape {_shape_str(tensor.shape)} ({tensor.numel()} elements). Pass a single value to "
        "fill the shape, or a value with the same number of elements."
    )


def zeros(shape, dtype=torch.float32, name: str | None = None) -> torch.Tensor:
    """Creates a tensor of zeros.

    Args:
        shape: a list/tuple of ints, a `TensorShape` or a 1-D int tensor.
        dtype: element type, float32 by default.
        name: unused.

    Returns:
        A tensor of the given shape filled with 0.

    Example:
    >>> tf.zeros((2, 3)).shape
    torch.Size([2, 3])
    """
    del name
    dtype = as_dtype(dtype)
    if dtype is _string_dtype:
        return _empty_strings(_as_shape(shape))
    return torch.zeros(_as_shape(shape), dtype=dtype, device=current_device())


def _empty_strings(shape) -> StringTensor:
    """A string tensor of `shape` holding b"": TensorFlow's zero for `tf.string`."""
    return _wrap_strings(np.full(tuple(shape), b"", dtype=object))


def ones(shape, dtype=torch.float32, name: str | None = None) -> torch.Tensor:
    """Creates a tensor of ones.

    Args:
        shape: a list/tuple of ints, a `TensorShape` or a 1-D int tensor.
        dtype: element type, float32 by default.
        name: unused.

    Returns:
        A tensor of the given shape filled with 1.

    Example:
    >>> tf.ones([2]).tolist()
    [1.0, 1.0]
    """
    del name
    dtype = as_dtype(dtype)
    if dtype is _string_dtype:
        # TensorFlow has no "one" string: tf.ones(..., tf.string) fails converting 1.
        raise TypeError("Cannot convert 1 to EagerTensor of dtype string")
    return torch.ones(_as_shape(shape), dtype=dtype, device=current_device())


def zeros_like(input, dtype=None, name: str | None = None) -> torch.Tensor:
    """Creates a tensor of zeros with the shape (and by default dtype) of `input`.

    Args:
        input: a tensor-like value.
        dtype: optional dtype of the result.
        name: unused.

    Returns:
        A tensor of zeros.

    Example:
    >>> tf.zeros_like([[1, 2]]).dtype
    torch.int32
    """
    del name
    x = _t(input)
    dtype = None if dtype is None else as_dtype(dtype)
    if isinstance(x, StringTensor) or dtype is _string_dtype:
        shape = tuple(x.shape)
        if dtype is _string_dtype or (dtype is None and isinstance(x, StringTensor)):
            return _empty_strings(shape)
        return torch.zeros(shape, dtype=dtype, device=current_device())
    return torch.zeros_like(x, dtype=dtype)


def ones_like(input, dtype=None, name: str | None = None) -> torch.Tensor:
    """Creates a tensor of ones with the shape (and by default dtype) of `input`.

    Args:
        input: a tensor-like value.
        dtype: optional dtype of the result.
        name: unused.

    Returns:
        A tensor of ones.

    Example:
    >>> tf.ones_like(tf.zeros((2,))).tolist()
    [1.0, 1.0]
    """
    del name
    x = _t(input)
    dtype = None if dtype is None else as_dtype(dtype)
    if isinstance(x, StringTensor) or dtype is _string_dtype:
        if dtype is None or dtype is _string_dtype:
            raise InvalidArgumentError(
                "Value for attr 'T' of string is not in the list of allowed values "
                "(tf.ones_like has no string version). [Op:OnesLike]",
            )
        return torch.ones(tuple(x.shape), dtype=dtype, device=current_device())
    return torch.ones_like(x, dtype=dtype)


def fill(dims, value, name: str | None = None) -> torch.Tensor:
    """Creates a tensor of shape `dims` filled with a scalar `value`.

    The dtype is the value's: a Python float gives float32, an int int32.

    Args:
        dims: the shape.
        value: a scalar (Python, NumPy or 0-D tensor).
        name: unused.

    Returns:
        A tensor of shape `dims`.

    Example:
    >>> tf.fill([2], 7).tolist()
    [7, 7]
    """
    del name
    dims = _as_shape(dims, "dims")
    v = _t(value)
    if v.numel() != 1:
        raise ValueError(f"fill expects a scalar value, got a tensor of shape {tuple(v.shape)}.")
    if isinstance(v, StringTensor):  # string tensors hold NumPy object arrays, not torch data
        return _string_ops.tile(v.reshape(()), list(dims))
    return v.reshape(()).expand(dims).clone()


def eye(
    num_rows: int,
    num_columns: int | None = None,
    batch_shape=None,
    dtype=torch.float32,
    name: str | None = None,
) -> torch.Tensor:
    """Creates an identity matrix, or a batch of them.

    Args:
        num_rows: number of rows.
        num_columns: number of columns (defaults to `num_rows`).
        batch_shape: optional leading batch shape.
        dtype: element type, float32 by default.
        name: unused.

    Returns:
        A tensor of shape `batch_shape + [num_rows, num_columns]`.

    Example:
    >>> tf.eye(2).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    del name
    rows = int(num_rows)
    cols = rows if num_columns is None else int(num_columns)
    out = torch.eye(rows, cols, dtype=as_dtype(dtype), device=current_device())
    if batch_shape is not None:
        batch = _as_shape(batch_shape, "batch_shape")
        out = out.expand(batch + (rows, cols)).clone()
    return out


def _scalar_value(v):
    if isinstance(v, torch.Tensor):
        return v.item()
    if isinstance(v, np.generic):
        return v.item()
    return v


def _python_dtype(values) -> torch.dtype:
    """The dtype TF's range infers from its arguments (the widest of them)."""
    order = [torch.int32, torch.int64, torch.float32, torch.float64]
    best = torch.int32
    for v in values:
        if isinstance(v, torch.Tensor):
            d = v.dtype
        elif isinstance(v, np.generic):
            d = as_dtype(v.dtype)
        elif isinstance(v, builtins.bool) or isinstance(v, numbers.Integral):
            d = torch.int32
        else:
            d = torch.float32
        if d in order and order.index(d) > order.index(best):
            best = d
    return best


def range(start, limit=None, delta=1, dtype=None, name: str | None = "range") -> torch.Tensor:
    """Creates a sequence of numbers from `start` up to (not including) `limit`.

    With one argument, `tf.range(n)` counts from 0 to n - 1. Integer arguments
    give int32, any float gives float32, unless `dtype` says otherwise.

    Args:
        start: first value (or the limit when `limit` is None).
        limit: end of the sequence, exclusive.
        delta: increment, non-zero; may be negative.
        dtype: optional dtype of the result.
        name: unused.

    Returns:
        A 1-D tensor.

    Example:
    >>> tf.range(3, 18, 3).tolist()
    [3, 6, 9, 12, 15]
    """
    del name
    if limit is None:
        start, limit = 0, start
    target = as_dtype(dtype) if dtype is not None else _python_dtype((start, limit, delta))
    start, limit, delta = _scalar_value(start), _scalar_value(limit), _scalar_value(delta)
    if delta == 0:
        raise ValueError("tf.range requires delta != 0.")
    if (delta > 0 and start > limit) or (delta < 0 and start < limit):
        raise InvalidArgumentError(
            f"tf.range: start={start} and limit={limit} are in the wrong order for "
            f"delta={delta}; TensorFlow requires start <= limit when delta > 0 and "
            "start >= limit when delta < 0."
        )
    if target.is_floating_point:
        # TensorFlow computes value i as start + i * delta in the result dtype: for
        # float32, tf.range(-8.0, 8.0, 0.1)[80] is exactly 0.0, where torch.arange's
        # float64 arithmetic gives 4.4e-16 (and relu's gradient there becomes 1).
        size = max(0, math.ceil((limit - start) / delta))
        steps = torch.arange(size, dtype=target, device=current_device())
        return torch.tensor(start, dtype=target, device=steps.device) + steps * torch.tensor(
            delta, dtype=target, device=steps.device
        )
    return torch.arange(start, limit, delta, dtype=target, device=current_device())


def linspace(start, stop, num, name: str | None = None, axis=0) -> torch.Tensor:
    """Creates `num` evenly spaced values from `start` to `stop`, both included.

    `start` and `stop` may be tensors of the same shape: the values are then
    laid out along `axis` of the result.

    Args:
        start: first value(s).
        stop: last value(s).
        num: number of values.
        name: unused.
        axis: where the new dimension goes in the batched case.

    Returns:
        A float tensor: float32 for Python floats, float64 for integer endpoints.

    Example:
    >>> tf.linspace(0.0, 1.0, 5).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    del name
    num = int(_scalar_value(num))
    a, b = _t(start), _t(stop)
    dtype = torch.promote_types(a.dtype, b.dtype)
    if not dtype.is_floating_point:
        # TensorFlow computes integer endpoints in float64 (tf.linspace(0, 10, 5) is float64).
        dtype = torch.float64
    if a.dim() == 0 and b.dim() == 0:
        return torch.linspace(a.item(), b.item(), num, dtype=dtype, device=a.device)
    a, b = torch.broadcast_tensors(a.to(dtype), b.to(dtype))
    steps = torch.arange(num, dtype=dtype, device=a.device)
    frac = steps / (num - 1) if num > 1 else steps
    # start*(1-t) + stop*t hits both endpoints exactly.
    out = a.unsqueeze(-1) * (1 - frac) + b.unsqueeze(-1) * frac
    return out.movedim(-1, _norm_axis(int(axis), out.dim()))


def identity(input, name: str | None = None) -> torch.Tensor:
    """Returns a tensor with the same shape and values as `input`.

    The result is a new tensor: later `assign`s to a variable passed in do not
    change it. Gradients flow through.

    Args:
        input: a tensor-like value (or a variable).
        name: unused.

    Returns:
        A tensor equal to `input`.

    Example:
    >>> tf.identity([1, 2]).tolist()
    [1, 2]
    """
    del name
    x = _t(input)
    return _string_ops.identity(x) if isinstance(x, StringTensor) else x.clone()


def stop_gradient(input, name: str | None = None) -> torch.Tensor:
    """Returns `input` with no gradient flowing back through it.

    Args:
        input: a tensor-like value.
        name: unused.

    Returns:
        The same values, detached from the autograd graph.

    Example:
    >>> tf.stop_gradient(tf.ones(2)).requires_grad
    False
    """
    del name
    x = _t(input)
    # A variable's read is a snapshot (see `_snapshot`); detach() alone would share it.
    return x.detach().clone() if isinstance(x, _Variable) else x.detach()


def is_tensor(x) -> builtins.bool:
    """Returns True when `x` is a tensor (any `torch.Tensor`, variables included).

    Args:
        x: any Python object.

    Returns:
        A Python bool.

    Example:
    >>> tf.is_tensor(tf.ones(1)), tf.is_tensor([1.0])
    (True, False)
    """
    # TF counts string and composite tensors as tensors too (RaggedTensors: see install() below).
    return isinstance(x, (torch.Tensor, StringTensor, SparseTensor))


# ---------------------------------------------------------------- shape queries


def shape(input, out_type=torch.int32, name: str | None = None) -> torch.Tensor:
    """Returns the shape of a tensor as a 1-D int32 tensor.

    The result lives on the CPU (like TensorFlow's host-side shape tensors), so
    reading it never waits for an accelerator.

    Args:
        input: a tensor-like value.
        out_type: int32 (default) or int64.
        name: unused.

    Returns:
        A 1-D tensor holding the dimensions.

    Example:
    >>> tf.shape(tf.zeros((2, 3))).tolist()
    [2, 3]
    """
    del name
    if isinstance(input, torch.Tensor):
        dims = tuple(input.shape)
    elif isinstance(input, SparseTensor):
        # TF: a SparseTensor's shape is its dense shape (a value, not a static shape).
        return torch.as_tensor(input.dense_shape).to(as_dtype(out_type))
    else:
        dims = tuple(convert_to_tensor(input).shape)
    if any(isinstance(d, torch.SymInt) for d in dims):
        # Under torch.export a dynamic size is symbolic: torch.tensor would bake the traced
        # example's size into the program as a constant; stacking keeps it symbolic.
        dtype = as_dtype(out_type)
        return torch.stack([torch.scalar_tensor(d, dtype=dtype) for d in dims])
    out = torch.tensor(dims, dtype=as_dtype(out_type))
    # Its values are the static shape: a `tf.function(jit_compile=True)` step may read them
    # on the host (`tf.zeros(tf.shape(x))`, `int(tf.shape(x)[0])`) and still be one graph.
    out._tork_static_value = True
    return out


def rank(input, name: str | None = None) -> torch.Tensor:
    """Returns the number of dimensions of a tensor as a 0-D int32 tensor.

    Args:
        input: a tensor-like value.
        name: unused.

    Returns:
        A 0-D int32 tensor.

    Example:
    >>> int(tf.rank(tf.zeros((2, 3))))
    2
    """
    del name
    return torch.tensor(_t(input).dim(), dtype=torch.int32)


def size(input, out_type=torch.int32, name: str | None = None) -> torch.Tensor:
    """Returns the number of elements of a tensor as a 0-D tensor.

    Args:
        input: a tensor-like value.
        out_type: int32 (default) or int64.
        name: unused.

    Returns:
        A 0-D tensor.

    Example:
    >>> int(tf.size(tf.zeros((2, 3))))
    6
    """
    del name
    return torch.tensor(_t(input).numel(), dtype=as_dtype(out_type))


def ensure_shape(x, shape, name: str | None = None) -> torch.Tensor:
    """Checks that `x` has a shape compatible with `shape` and returns it.

    Args:
        x: a tensor.
        shape: a shape with None for dimensions that may be anything.
        name: unused.

    Returns:
        `x` itself.

    Example:
    >>> tf.ensure_shape(tf.zeros((4, 3)), (None, 3)).shape
    torch.Size([4, 3])
    """
    del name
    x = _t(x)
    expected = TensorShape(shape)
    if not expected.is_compatible_with(TensorShape(tuple(x.shape))):
        raise InvalidArgumentError(
            f"Shape of tensor {_shape_str(x.shape)} is not compatible with expected shape "
            f"{expected}."
        )
    return x.clone() if isinstance(x, _Variable) else x


# ---------------------------------------------------------------- shape manipulation


def _is_float_dim(d) -> builtins.bool:
    if isinstance(d, torch.Tensor):
        return d.is_floating_point()
    return isinstance(d, float)


def _check_integer_dims(dims) -> None:
    """Raises TF's error for a Python float in a reshape shape list."""
    for d in dims:
        if isinstance(d, float):
            raise InvalidArgumentError(
                f"reshape: the shape {list(dims)} holds the float {d!r}; every dimension must "
                "be an int (use int(...) or tf.cast(..., tf.int32))."
            )


def reshape(tensor, shape, name: str | None = None) -> torch.Tensor:
    """Reshapes a tensor; one dimension may be -1 and is then inferred.

    Args:
        tensor: a tensor-like value.
        shape: the new shape (list, tuple, `TensorShape` or 1-D int tensor).
        name: unused.

    Returns:
        A tensor with the same elements in the new shape.

    Example:
    >>> tf.reshape(tf.range(6), (2, -1)).shape
    torch.Size([2, 3])
    """
    del name
    x = _t(tensor)
    dims = shape if isinstance(shape, (tuple, list)) else _as_shape(shape)
    try:
        out = x.reshape(dims)
        return _snapshot(out) if isinstance(x, _Variable) else out
    except (RuntimeError, TypeError) as err:
        if isinstance(dims, (tuple, list)) and any(_is_float_dim(d) for d in dims):
            # TF packs a list holding float tensors (`[tf.math.ceil(h / 8), w, 9]`, keras.io's
            # RetinaNet) into an int shape, truncating each; a plain Python float is an error.
            dims = [int(d) if isinstance(d, torch.Tensor) else d for d in dims]
            _check_integer_dims(dims)
            return reshape(x, dims)
        dims = _as_shape([-1 if d is None else d for d in dims])
        known = 1
        for d in dims:
            if d != -1:
                known *= d
        raise InvalidArgumentError(
            f"Cannot reshape a tensor of shape {_shape_str(x.shape)} ({x.numel()} elements) to "
            f"shape {_shape_str(dims)}"
            + (" (with -1 inferred)" if -1 in dims else f" ({known} elements)")
            + ". The number of elements must stay the same; use at most one -1."
        ) from err


def transpose(
    a, perm=None, conjugate: builtins.bool = False, name: str | None = "transpose"
) -> torch.Tensor:
    """Permutes the dimensions of a tensor.

    Args:
        a: a tensor-like value.
        perm: the new order of the dimensions; reverses them when None.
        conjugate: also take the complex conjugate.
        name: unused.

    Returns:
        The permuted tensor.

    Example:
    >>> tf.transpose(tf.zeros((2, 3, 4))).shape
    torch.Size([4, 3, 2])
    """
    del name
    x = _t(a)
    if perm is None:
        order = list(_builtin_range(x.dim() - 1, -1, -1))
    else:
        order = _as_int_list(perm)
        if sorted(o % max(x.dim(), 1) for o in order) != list(_builtin_range(x.dim())):
            raise ValueError(
                f"transpose: perm {order} is not a permutation of the {x.dim()} dimensions "
                f"of a tensor of shape {_shape_str(x.shape)}."
            )
    if isinstance(x, StringTensor):
        return _string_ops.transpose(x, order)
    out = x.permute(*order)
    if conjugate and out.is_complex():
        return torch.conj_physical(out)
    return _snapshot(out) if isinstance(x, _Variable) else out


def expand_dims(input, axis, name: str | None = None) -> torch.Tensor:
    """Inserts a dimension of size 1 at `axis`.

    Args:
        input: a tensor-like value.
        axis: position of the new dimension, in [-rank - 1, rank].
        name: unused.

    Returns:
        A tensor with one more dimension.

    Example:
    >>> tf.expand_dims(tf.zeros((2, 3)), -1).shape
    torch.Size([2, 3, 1])
    """
    del name
    x = _t(input)
    if isinstance(axis, (list, tuple)) or (isinstance(axis, torch.Tensor) and axis.dim()):
        # TensorFlow accepts a one-element list or 1-D tensor for the axis.
        items = axis.reshape(-1).tolist() if isinstance(axis, torch.Tensor) else list(axis)
        if len(items) != 1:
            raise InvalidArgumentError(f"expand_dims: axis must be a single integer, got {items}.")
        axis = items[0]
    axis = _axis_int(axis)
    if not -x.dim() - 1 <= axis <= x.dim():
        raise InvalidArgumentError(
            f"expand_dims: axis={axis} is out of range for a tensor of shape "
            f"{_shape_str(x.shape)}; expected a value in [{-x.dim() - 1}, {x.dim()}]."
        )
    out = x.unsqueeze(axis)
    return _snapshot(out) if isinstance(x, _Variable) else out


def squeeze(input, axis=None, name: str | None = None) -> torch.Tensor:
    """Removes dimensions of size 1.

    Args:
        input: a tensor-like value.
        axis: an int or list of ints: only these dimensions are removed, and
            each must have size 1. None removes every size-1 dimension.
        name: unused.

    Returns:
        The squeezed tensor.

    Example:
    >>> tf.squeeze(tf.zeros((1, 2, 1)), axis=0).shape
    torch.Size([2, 1])
    """
    del name
    x = _t(input)
    if axis is None:
        out = x.squeeze()
        return _snapshot(out) if isinstance(x, _Variable) else out
    axes = _as_axes(axis, x.dim())
    for a in axes:
        if x.shape[a] != 1:
            raise InvalidArgumentError(
                f"Can not squeeze dim[{a}] of a tensor of shape {_shape_str(x.shape)}: expected "
                f"a dimension of 1, got {x.shape[a]}."
            )
    out = x.squeeze(axes)
    return _snapshot(out) if isinstance(x, _Variable) else out


def _mismatch(values: Sequence[torch.Tensor], axis: int | None, op: str) -> str:
    """Describes the first pair of shapes that `op` cannot combine."""
    first = values[0]
    for i, v in enumerate(values[1:], start=1):
        if v.dim() != first.dim():
            return (
                f"{op}: all inputs must have the same rank, but input 0 has shape "
                f"{_shape_str(first.shape)} and input {i} has shape {_shape_str(v.shape)}."
            )
        for d in _builtin_range(first.dim()):
            if d != axis and v.shape[d] != first.shape[d]:
                keep = "" if axis is None else f" except axis {axis}"
                return (
                    f"{op}: shapes {_shape_str(first.shape)} (input 0) and "
                    f"{_shape_str(v.shape)} (input {i}) differ in dimension {d}; every "
                    f"dimension{keep} must match."
                )
    return f"{op}: cannot combine shapes " + ", ".join(_shape_str(v.shape) for v in values) + "."


def _tensor_list(values) -> list[torch.Tensor]:
    if isinstance(values, torch.Tensor):
        return list(values.unbind(0))
    values = list(values)
    ref = next((v for v in values if isinstance(v, torch.Tensor)), None)
    if ref is None:
        if not values:
            return []
        head = convert_to_tensor(values[0])
        if head.dtype.is_complex:
            return [head] + [convert_to_tensor(v) for v in values[1:]]
        # With no tensor among them, TF gives every input the first one's dtype.
        return [head] + [_in_dtype(v, head) for v in values[1:]]
    # Non-tensor inputs take the first tensor's dtype, so concat/stack keep it.
    return [_in_dtype(v, ref) for v in values]


def _in_dtype(value, ref: torch.Tensor) -> torch.Tensor:
    """Converts a concat/stack input to `ref`'s dtype the way TF does; tensors pass as they are.

    NumPy values are cast (TF truncates floats to ints and wraps int64 into int32). Python
    values are converted strictly: a float in a list joined with an int tensor is a
    TypeError in TF ("Cannot convert [2.5] to EagerTensor of dtype int32"), not a promotion.
    """
    if isinstance(value, torch.Tensor):
        return value
    if _is_numeric_numpy(value):
        out = convert_to_tensor(value).to(ref.dtype)
    else:
        out = convert_to_tensor(value, dtype=ref.dtype, _no_truncation=True)
    return out if out.device == ref.device else out.to(ref.device)


def _is_numeric_numpy(value) -> bool:
    """Whether `value` is a NumPy array or scalar of numbers or bools (not strings)."""
    return isinstance(value, (np.ndarray, np.generic)) and np.asarray(value).dtype.kind in "biufc"


def concat(values, axis, name: str | None = "concat") -> torch.Tensor:
    """Concatenates tensors along one dimension.

    Args:
        values: a list of tensors; all dimensions except `axis` must match.
        axis: the dimension to join along.
        name: unused.

    Returns:
        The concatenated tensor.

    Example:
    >>> tf.concat([tf.zeros((2, 3)), tf.ones((2, 1))], axis=1).shape
    torch.Size([2, 4])
    """
    del name
    if isinstance(values, (torch.Tensor, StringTensor)):
        # TF wraps a lone tensor in a list, and concat of one tensor is that tensor
        # (tf.concat(x, 0) is x, not its rows joined).
        return identity(values)
    if _string_ops.holds_strings(values):
        return _string_ops.concat(values, _axis_int(axis))
    tensors = _tensor_list(values)
    if not tensors:
        raise ValueError("concat needs at least one tensor.")
    if isinstance(axis, (list, tuple, np.ndarray)) and np.size(axis) == 1:
        # TF converts `axis` to a tensor and its kernel takes a one-element
        # vector too (tf.concat(xs, [-1])).
        axis = np.asarray(axis).reshape(-1)[0]
    axis = _axis_int(axis)
    try:
        return torch.cat(tensors, dim=axis)
    except (RuntimeError, IndexError) as err:
        ndim = tensors[0].dim()
        if not -ndim <= axis < ndim:
            raise ValueError(
                f"concat: axis={axis} is out of range for inputs of rank {ndim}."
            ) from err
        raise InvalidArgumentError(_mismatch(tensors, axis % ndim, "concat")) from err


def stack(values, axis: int = 0, name: str | None = "stack") -> torch.Tensor:
    """Stacks tensors of the same shape along a new dimension.

    Args:
        values: a list of tensors of one shape.
        axis: where the new dimension goes.
        name: unused.

    Returns:
        A tensor with one more dimension than the inputs.

    Example:
    >>> tf.stack([tf.zeros(3), tf.ones(3)], axis=1).shape
    torch.Size([3, 2])
    """
    del name
    if _string_ops.holds_strings(values):
        return _string_ops.stack(values, _axis_int(axis))
    tensors = _tensor_list(values)
    if not tensors:
        if _axis_int(axis) == 0:
            # TF converts the list itself along axis 0: `tf.stack([])` is an empty float32
            # vector (n-beats stacks an empty list of cosines when a block has one theta).
            return convert_to_tensor([])
        raise ValueError(
            f"stack: cannot stack an empty list along axis={axis}; TensorFlow accepts an "
            "empty list only along axis 0 (giving an empty float32 vector)."
        )
    try:
        return torch.stack(tensors, dim=_axis_int(axis))
    except (RuntimeError, IndexError) as err:
        ndim = tensors[0].dim()
        if not -ndim - 1 <= _axis_int(axis) <= ndim:
            raise ValueError(
                f"stack: axis={axis} is out of range for inputs of rank {ndim}."
            ) from err
        raise InvalidArgumentError(_mismatch(tensors, None, "stack")) from err


def unstack(value, num=None, axis: int = 0, name: str | None = "unstack") -> list[torch.Tensor]:
    """Splits a tensor into a list of tensors along `axis`, removing that dimension.

    Args:
        value: a tensor of rank >= 1.
        num: optional expected length of `axis`.
        axis: the dimension to unpack along.
        name: unused.

    Returns:
        A list of tensors.

    Example:
    >>> [t.shape for t in tf.unstack(tf.zeros((2, 3)), axis=1)]
    [torch.Size([2]), torch.Size([2]), torch.Size([2])]
    """
    del name
    x = _t(value)
    axis = _norm_axis(_axis_int(axis), x.dim())
    if num is not None and int(num) != x.shape[axis]:
        raise ValueError(
            f"unstack: num={num} does not match dimension {axis} of shape "
            f"{_shape_str(x.shape)}, which is {x.shape[axis]}."
        )
    if isinstance(x, StringTensor):
        return _string_ops.unstack(x, axis)
    out = list(x.unbind(axis))
    return _snapshot(out) if isinstance(x, _Variable) else out


def split(
    value, num_or_size_splits, axis: int = 0, num=None, name: str | None = "split"
) -> list[torch.Tensor]:
    """Splits a tensor into pieces along `axis`.

    Args:
        value: a tensor-like value.
        num_or_size_splits: an int (that many equal pieces; it must divide the
            dimension) or a list of piece sizes, one of which may be -1.
        axis: the dimension to split.
        num: unused (TensorFlow needs it only for unknown shapes).
        name: unused.

    Returns:
        A list of tensors.

    Example:
    >>> [t.shape[1] for t in tf.split(tf.zeros((2, 10)), [2, -1, 3], axis=1)]
    [2, 5, 3]
    """
    del num, name
    x = _t(value)
    axis = _norm_axis(_axis_int(axis), x.dim())
    length = x.shape[axis]
    splits = num_or_size_splits
    if isinstance(splits, (torch.Tensor, np.ndarray)) and splits.ndim == 0:
        splits = int(splits.item())
    if isinstance(splits, numbers.Integral):
        n = int(splits)
        if n <= 0 or length % n:
            raise InvalidArgumentError(
                f"split: cannot split dimension {axis} of shape {_shape_str(x.shape)} (size "
                f"{length}) into {n} equal pieces; the number of pieces must divide the size. "
                "Pass a list of sizes instead."
            )
        out = list(torch.split(x, length // n, dim=axis))
        return _snapshot(out) if isinstance(x, _Variable) else out
    sizes = _as_int_list(splits)
    if sizes.count(-1) > 1:
        raise ValueError(f"split: at most one size may be -1, got {sizes}.")
    if -1 in sizes:
        sizes[sizes.index(-1)] = length - (sum(sizes) + 1)
    if sum(sizes) != length or builtins.min(sizes) < 0:
        raise ValueError(
            f"split: sizes {_as_int_list(splits)} do not add up to dimension {axis} of shape "
            f"{_shape_str(x.shape)}, which is {length}."
        )
    out = list(torch.split(x, sizes, dim=axis))
    return _snapshot(out) if isinstance(x, _Variable) else out


def tile(input, multiples, name: str | None = None) -> torch.Tensor:
    """Repeats a tensor `multiples[i]` times along each dimension i.

    Args:
        input: a tensor-like value.
        multiples: one int per dimension.
        name: unused.

    Returns:
        The tiled tensor.

    Example:
    >>> tf.tile([[1, 2]], [2, 2]).tolist()
    [[1, 2, 1, 2], [1, 2, 1, 2]]
    """
    del name
    x = _t(input)
    reps = _as_int_list(multiples)
    if len(reps) != x.dim():
        raise ValueError(
            f"tile: multiples {reps} must have one entry per dimension of the input of shape "
            f"{_shape_str(x.shape)} (rank {x.dim()})."
        )
    if isinstance(x, StringTensor):
        return _string_ops.tile(x, reps)
    return x.repeat(reps)


def _mirror_index(n: int, before: int, after: int, symmetric: builtins.bool, device):
    edge = 0 if symmetric else 1
    left = list(_builtin_range(before - 1 + edge, edge - 1, -1))
    right = list(_builtin_range(n - 1 - edge, n - 1 - edge - after, -1))
    return torch.tensor(left + list(_builtin_range(n)) + right, dtype=torch.int64, device=device)


def pad(
    tensor, paddings, mode="CONSTANT", constant_values=0, name: str | None = None
) -> torch.Tensor:
    """Pads a tensor.

    Args:
        tensor: a tensor-like value.
        paddings: `[[before_0, after_0], [before_1, after_1], ...]`, one pair
            per dimension.
        mode: `'CONSTANT'`, `'REFLECT'` (mirror without the edge) or
            `'SYMMETRIC'` (mirror with the edge); case-insensitive.
        constant_values: the fill value in CONSTANT mode.
        name: unused.

    Returns:
        The padded tensor.

    Example:
    >>> tf.pad([[1, 2, 3]], [[0, 0], [2, 1]], "REFLECT").tolist()
    [[3, 2, 1, 2, 3, 2]]
    """
    del name
    x = _t(tensor)
    flat = _as_int_list(paddings)
    if len(flat) != 2 * x.dim():
        raise ValueError(
            f"pad: paddings must have shape ({x.dim()}, 2) for an input of shape "
            f"{_shape_str(x.shape)}, got {len(flat)} values."
        )
    pairs = [(flat[2 * i], flat[2 * i + 1]) for i in _builtin_range(x.dim())]
    if builtins.min(flat, default=0) < 0:
        # InvalidArgumentError (a ValueError) as TF's eager Pad op raises.
        raise InvalidArgumentError(f"pad: paddings must be non-negative, got {pairs}.")
    kind = str(mode).upper()
    if isinstance(x, StringTensor) and kind in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        if kind != "CONSTANT":
            _check_mirror_pad(kind, pairs, x.shape)
        return _string_ops.pad(x, pairs, kind, constant_values)
    if kind == "CONSTANT":
        torch_pad = []
        for before, after in reversed(pairs):
            torch_pad += [before, after]
        return F.pad(x, torch_pad, mode="constant", value=_scalar_value(constant_values))
    if kind not in ("REFLECT", "SYMMETRIC"):
        raise ValueError(
            f"pad: unknown mode {mode!r}; expected 'CONSTANT', 'REFLECT' or 'SYMMETRIC'."
        )
    symmetric = kind == "SYMMETRIC"
    _check_mirror_pad(kind, pairs, x.shape)
    out = x
    for dim, (before, after) in enumerate(pairs):
        if before == 0 and after == 0:
            continue
        n = x.shape[dim]
        out = out.index_select(dim, _mirror_index(n, before, after, symmetric, x.device))
    return out


def _check_mirror_pad(kind: str, pairs: list, shape) -> None:
    """REFLECT may add at most `n - 1` entries on a side of a dimension of size n,
    SYMMETRIC at most n (TF's MirrorPad limits)."""
    for dim, (before, after) in enumerate(pairs):
        if before == 0 and after == 0:
            continue
        limit = shape[dim] if kind == "SYMMETRIC" else shape[dim] - 1
        if before > limit or after > limit:
            raise InvalidArgumentError(
                f"pad: {kind} padding of ({before}, {after}) on dimension {dim} of shape "
                f"{_shape_str(shape)} is too large; at most {limit} is allowed."
            )


def broadcast_to(input, shape, name: str | None = None) -> torch.Tensor:
    """Broadcasts a tensor to a compatible shape.

    Args:
        input: a tensor-like value.
        shape: the target shape.
        name: unused.

    Returns:
        The broadcast tensor (a view; do not write to it in place).

    Example:
    >>> tf.broadcast_to([1, 2], (3, 2)).shape
    torch.Size([3, 2])
    """
    del name
    x = _t(input)
    dims = _as_shape(shape)
    try:
        out = torch.broadcast_to(x, dims)
    except RuntimeError as err:
        raise ValueError(
            f"broadcast_to: cannot broadcast shape {_shape_str(x.shape)} to "
            f"{_shape_str(dims)}; each dimension must be equal or 1 in the input."
        ) from err
    return _snapshot(out) if isinstance(x, _Variable) else out


def reverse(tensor, axis, name: str | None = None) -> torch.Tensor:
    """Reverses the order of elements along the given dimensions.

    Args:
        tensor: a tensor-like value.
        axis: a list of dimensions to reverse.
        name: unused.

    Returns:
        The reversed tensor.

    Example:
    >>> tf.reverse([[1, 2, 3]], [1]).tolist()
    [[3, 2, 1]]
    """
    del name
    x = _t(tensor)
    if isinstance(x, StringTensor):
        return _string_ops.reverse(x, _as_axes(axis, x.dim()))
    return torch.flip(x, _as_axes(axis, x.dim()))


def roll(input, shift, axis, name: str | None = None) -> torch.Tensor:
    """Rolls elements along dimensions; those shifted past the end come back at the start.

    Args:
        input: a tensor-like value.
        shift: an int or list of ints.
        axis: an int or list of ints, one per shift.
        name: unused.

    Returns:
        The rolled tensor.

    Example:
    >>> tf.roll([0, 1, 2, 3, 4], shift=2, axis=0).tolist()
    [3, 4, 0, 1, 2]
    """
    del name
    x = _t(input)
    return torch.roll(x, tuple(_as_int_list(shift)), tuple(_as_int_list(axis)))


def repeat(input, repeats, axis=None, name: str | None = None) -> torch.Tensor:
    """Repeats each element `repeats` times along `axis` (flattening when axis is None).

    Args:
        input: a tensor-like value.
        repeats: an int, or a 1-D tensor of counts, one per element along axis.
        axis: the dimension to repeat along.
        name: unused.

    Returns:
        The repeated tensor.

    Example:
    >>> tf.repeat([1, 2], 2).tolist()
    [1, 1, 2, 2]
    """
    del name
    x = _t(input)
    if not isinstance(repeats, numbers.Integral):
        repeats = _index(repeats)
        if repeats.dim() == 0:
            repeats = int(repeats)
    if axis is None:
        return torch.repeat_interleave(x.reshape(-1), repeats)
    return torch.repeat_interleave(x, repeats, dim=_axis_int(axis))


def slice(input_, begin, size, name: str | None = None) -> torch.Tensor:
    """Extracts a slice of `size` elements starting at `begin` in each dimension.

    Args:
        input_: a tensor-like value.
        begin: start index per dimension.
        size: number of elements per dimension; -1 takes the rest.
        name: unused.

    Returns:
        The slice.

    Example:
    >>> tf.slice([[1, 2, 3], [4, 5, 6]], [1, 0], [1, 2]).tolist()
    [[4, 5]]
    """
    del name
    x = _t(input_)
    starts, sizes = _as_int_list(begin), _as_int_list(size)
    # TensorFlow's Slice kernel rejects bad begin/size with InvalidArgumentError (a
    # ValueError subclass in tork, so `except ValueError` still catches it).
    if len(starts) != x.dim() or len(sizes) != x.dim():
        raise InvalidArgumentError(
            f"slice: begin {starts} and size {sizes} need one entry per dimension of shape "
            f"{_shape_str(x.shape)}."
        )
    index = []
    for d, (b, s) in enumerate(zip(starts, sizes)):
        end = x.shape[d] if s == -1 else b + s
        if b < 0 or s < -1 or end > x.shape[d]:
            raise InvalidArgumentError(
                f"slice: begin {starts} with size {sizes} is out of bounds for shape "
                f"{_shape_str(x.shape)} (dimension {d})."
            )
        index.append(_builtin_slice(b, end))
    out = x[tuple(index)]
    return _snapshot(out) if isinstance(x, _Variable) else out


def meshgrid(*args, **kwargs) -> list[torch.Tensor]:
    """Broadcasts 1-D coordinate vectors into N-D grids.

    Args:
        *args: coordinate tensors; as in TensorFlow (and NumPy), tensors of higher
            rank are flattened first.
        **kwargs: `indexing='xy'` (Cartesian, the default) or `'ij'` (matrix).

    Returns:
        A list of N-D tensors.

    Example:
    >>> [g.shape for g in tf.meshgrid([1, 2, 3], [4, 5])]
    [torch.Size([2, 3]), torch.Size([2, 3])]
    """
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"meshgrid got unexpected arguments {sorted(kwargs)}.")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}.")
    # TF reshapes every input to 1-D (Faster R-CNN anchor code meshes 2-D grids again).
    return list(torch.meshgrid(*[_t(a).reshape(-1) for a in args], indexing=indexing))


def sequence_mask(lengths, maxlen=None, dtype=torch.bool, name: str | None = None) -> torch.Tensor:
    """Returns a mask whose row i is True in its first `lengths[i]` positions.

    Args:
        lengths: an integer tensor of any shape.
        maxlen: size of the new last dimension (defaults to `max(lengths)`).
        dtype: dtype of the mask.
        name: unused.

    Returns:
        A tensor of shape `lengths.shape + (maxlen,)`.

    Example:
    >>> tf.sequence_mask([1, 3], 4).int().tolist()
    [[1, 0, 0, 0], [1, 1, 1, 0]]
    """
    del name
    lens = _t(lengths)
    if maxlen is None:
        maxlen = int(lens.max().item()) if lens.numel() else 0
    mask = torch.arange(int(_scalar_value(maxlen)), device=lens.device) < lens.unsqueeze(-1)
    dtype = as_dtype(dtype)
    return mask if dtype == torch.bool else mask.to(dtype)


# ---------------------------------------------------------------- indexing


def _out_of_range(indices: torch.Tensor, limit: int, what: str) -> InvalidArgumentError:
    bad = ((indices < 0) | (indices >= limit)).nonzero()
    where_ = tuple(bad[0].tolist()) if len(bad) else ()
    value = indices[where_].item() if len(bad) else "?"
    pos = ", ".join(str(i) for i in where_)
    return InvalidArgumentError(f"{what}: indices[{pos}] = {value} is not in [0, {limit}).")


def gather(
    params, indices, validate_indices=None, axis=None, batch_dims: int = 0, name: str | None = None
) -> torch.Tensor:
    """Gathers slices of `params` along `axis` at `indices`.

    The result has shape `params.shape[:axis] + indices.shape[batch_dims:] +
    params.shape[axis + 1:]`.

    Args:
        params: the tensor to gather from.
        indices: integer indices (int32 or int64) into `params.shape[axis]`.
        validate_indices: unused.
        axis: the dimension to gather along (defaults to `batch_dims`).
        batch_dims: number of leading batch dimensions shared by `params`
            and `indices`.
        name: unused.

    Returns:
        The gathered tensor.

    Example:
    >>> tf.gather([10, 20, 30], [2, 0]).tolist()
    [30, 10]
    """
    del validate_indices, name
    x = _t(params)
    idx = _index(indices)
    if idx.device != x.device:
        idx = idx.to(x.device)
    batch_dims = int(batch_dims)
    # TF defaults `axis` to `batch_dims` as given, so a negative batch_dims counts the axis
    # from the end of params: gather(p, i, batch_dims=-1) gathers along p's last axis.
    axis = _norm_axis(batch_dims if axis is None else _axis_int(axis), x.dim())
    if batch_dims < 0:
        batch_dims += idx.dim()
    table = axis == 0 and isinstance(params, torch.nn.Parameter) and params.requires_grad
    if table:
        # TF gives a variable read by a gather an `IndexedSlices` gradient, which Keras 2's
        # legacy optimizers apply to the gathered rows only (keras/optimizers/_legacy_apply).
        params._tork_sparse_grad = True
    if axis < batch_dims:
        raise ValueError(f"gather: axis ({axis}) must be >= batch_dims ({batch_dims}).")
    limit = x.shape[axis]
    if isinstance(x, StringTensor):
        if tuple(x.shape[:batch_dims]) != tuple(idx.shape[:batch_dims]):
            raise ValueError(
                f"gather: the first {batch_dims} (batch) dimensions of params "
                f"{_shape_str(x.shape)} and indices {_shape_str(idx.shape)} must match."
            )
        if idx.numel() and ((idx < 0) | (idx >= limit)).any():
            raise _out_of_range(idx, limit, "gather")
        if batch_dims:
            # String ids merged by top-k scores (TF Recommenders' streaming top-k).
            return _string_ops.gather_batched(x, idx, axis, batch_dims)
        return _string_ops.gather(x, idx, axis)
    if (
        x.device.type != "cpu"
        and idx.numel()
        and values_readable(idx)
        and ((idx < 0) | (idx >= limit)).any()
    ):
        # On a GPU a bad index is a device-side assert that breaks every later CUDA call of
        # the process (TensorFlow's GPU kernel returns zeros there): check first, at one sync.
        raise _out_of_range(idx, limit, "gather")
    try:
        if batch_dims == 0:
            out = x.index_select(axis, idx.reshape(-1))
            if table and _lookup_rows._RECORDING[0] and _lookup_rows.wanted(params):
                # An optimizer clips: Keras 2 clips the per-lookup rows of the gradient.
                _lookup_rows.record(params, idx, out)
            return out.reshape(x.shape[:axis] + idx.shape + x.shape[axis + 1 :])
        if tuple(x.shape[:batch_dims]) != tuple(idx.shape[:batch_dims]):
            raise ValueError(
                f"gather: the first {batch_dims} (batch) dimensions of params "
                f"{_shape_str(x.shape)} and indices {_shape_str(idx.shape)} must match."
            )
        batch = x.shape[:batch_dims]
        nb = 1
        for d in batch:
            nb *= d
        xf = x.reshape((nb,) + x.shape[batch_dims:]).movedim(axis - batch_dims + 1, 1)
        idf = idx.reshape(nb, -1)
        rows = torch.arange(nb, device=x.device).unsqueeze(1)
        if idf.numel() and ((idf < 0) | (idf >= limit)).any():
            raise IndexError("out of range")
        got = xf[rows, idf]  # (nb, k) + params.shape[batch_dims:] without axis
        got = got.reshape((nb,) + idx.shape[batch_dims:] + got.shape[2:])
        # Move the index dims to where `axis` was.
        k = idx.dim() - batch_dims
        pre = axis - batch_dims
        order = (
            [0]
            + list(_builtin_range(1 + k, 1 + k + pre))
            + list(_builtin_range(1, 1 + k))
            + list(_builtin_range(1 + k + pre, got.dim()))
        )
        got = got.permute(order)
        return got.reshape(tuple(batch) + tuple(got.shape[1:]))
    except (IndexError, RuntimeError) as err:
        if idx.numel() and ((idx < 0) | (idx >= limit)).any():
            raise _out_of_range(idx, limit, "gather") from err
        raise


def _check_nd_indices(idx: torch.Tensor, shape, batch_dims: int, what: str, target: str) -> None:
    """Raises if a row of `idx` (its last axis indexes `shape` after the batch axes) is out
    of range; skipped while tracing."""
    if not idx.numel() or not values_readable(idx):
        return
    depth = idx.shape[-1]
    limits = torch.tensor(shape[batch_dims : batch_dims + depth], device=idx.device)
    bad = (idx < 0) | (idx >= limits)
    if bad.any():
        where_ = bad.nonzero()[0].tolist()[:-1]
        raise InvalidArgumentError(
            f"{what}: indices[{', '.join(map(str, where_))}] = {idx[tuple(where_)].tolist()} "
            f"does not index into {target} of shape {_shape_str(shape)}."
        )


def gather_nd(params, indices, batch_dims: int = 0, name: str | None = None) -> torch.Tensor:
    """Gathers slices of `params` addressed by the last dimension of `indices`.

    With `indices` of shape `I + (d,)`, each row of d integers indexes the first
    d dimensions of `params`; the result has shape `I + params.shape[d:]`.

    Args:
        params: the tensor to gather from.
        indices: integer tensor, last dimension at most `params` rank.
        batch_dims: number of leading batch dimensions shared by both.
        name: unused.

    Returns:
        The gathered tensor.

    Example:
    >>> tf.gather_nd([[1, 2], [3, 4]], [[0, 1], [1, 0]]).tolist()
    [2, 3]
    """
    del name
    x = _t(params)
    idx = _index(indices)
    if idx.device != x.device:
        idx = idx.to(x.device)
    b = int(batch_dims)
    depth = idx.shape[-1]
    if depth > x.dim() - b:
        raise ValueError(
            f"gather_nd: index depth {depth} (last dimension of indices "
            f"{_shape_str(idx.shape)}) exceeds the rank of params {_shape_str(x.shape)}"
            + (f" after {b} batch dimensions" if b else "")
            + "."
        )
    _check_nd_indices(idx, x.shape, b, "gather_nd", "params")
    if b == 0:
        out = x[tuple(idx[..., i] for i in _builtin_range(depth))]
        return _snapshot(out) if isinstance(x, _Variable) else out
    batch = x.shape[:b]
    nb = 1
    for d in batch:
        nb *= d
    xf = x.reshape((nb,) + x.shape[b:])
    idf = idx.reshape((nb, -1, depth))
    rows = torch.arange(nb, device=x.device).unsqueeze(1)
    got = xf[(rows,) + tuple(idf[..., i] for i in _builtin_range(depth))]
    return got.reshape(tuple(idx.shape[:-1]) + tuple(x.shape[b + depth :]))


def boolean_mask(tensor, mask, axis=None, name: str | None = "boolean_mask") -> torch.Tensor:
    """Keeps the entries of `tensor` where `mask` is True.

    `mask` (rank k) covers dimensions `axis ... axis + k - 1` of `tensor`, which
    are flattened into one dimension holding only the kept entries.

    Args:
        tensor: a tensor-like value.
        mask: a boolean tensor whose shape matches part of `tensor`'s shape.
        axis: the first dimension the mask covers (default 0).
        name: unused.

    Returns:
        The masked tensor.

    Example:
    >>> tf.boolean_mask([1, 2, 3], [True, False, True]).tolist()
    [1, 3]
    """
    del name
    x = _t(tensor)
    m = _t(mask)
    if m.dtype != torch.bool:
        m = m != 0
    if m.device != x.device:
        m = m.to(x.device)
    k = m.dim()
    if k == 0:
        raise ValueError("boolean_mask: mask cannot be a scalar.")
    axis = 0 if axis is None else _axis_int(axis)
    if axis < 0:
        axis += x.dim()
    if tuple(x.shape[axis : axis + k]) != tuple(m.shape):
        raise ValueError(
            f"boolean_mask: mask of shape {_shape_str(m.shape)} does not match dimensions "
            f"{axis}..{axis + k - 1} of the tensor of shape {_shape_str(x.shape)}."
        )
    # The masked dims' size spelled out: -1 is ambiguous to torch when another dim is 0.
    flat = x.reshape(x.shape[:axis] + (m.numel(),) + x.shape[axis + k :])
    return flat[(_builtin_slice(None),) * axis + (m.reshape(-1),)]


def where(condition, x=None, y=None, name: str | None = None) -> torch.Tensor:
    """Selects from `x` where `condition` is True and from `y` elsewhere.

    With only `condition`, returns the coordinates of its True entries as an
    int64 tensor of shape `(num_true, rank)`.

    Args:
        condition: a boolean tensor.
        x: values where True (broadcast with the others).
        y: values where False.
        name: unused.

    Returns:
        The selected values, or the coordinates.

    Example:
    >>> tf.where([True, False], [1, 2], [3, 4]).tolist()
    [1, 4]
    """
    del name
    cond = _t(condition)
    if cond.dtype != torch.bool:
        cond = cond != 0
    if x is None and y is None:
        return torch.nonzero(cond)
    if x is None or y is None:
        raise ValueError("where: x and y must both be given, or both be None.")
    if _string_ops.holds_strings([x]) or _string_ops.holds_strings([y]):
        return _string_ops.where(cond, x, y)
    # As TensorFlow: a non-tensor x or y takes the other's dtype (NumPy values are cast,
    # Python floats never truncate into ints); with neither a tensor, x converts first.
    x_is_t, y_is_t = isinstance(x, torch.Tensor), isinstance(y, torch.Tensor)
    if not x_is_t and not y_is_t:
        x = convert_to_tensor(x)
        x_is_t = True
    if x_is_t and not y_is_t:
        y = convert_operand(y, x)
    elif y_is_t and not x_is_t:
        x = convert_operand(x, y)
    try:
        return torch.where(cond, x, y)
    except RuntimeError as err:
        shapes = [_shape_str(getattr(v, "shape", ())) for v in (cond, x, y)]
        raise ValueError(
            f"where: condition {shapes[0]}, x {shapes[1]} and y {shapes[2]} cannot be "
            f"broadcast together ({err})."
        ) from err


def one_hot(
    indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name: str | None = None
) -> torch.Tensor:
    """One-hot encodes integer indices.

    Indices outside `[0, depth)` give a row of `off_value`.

    Args:
        indices: integer tensor.
        depth: number of classes.
        on_value: value at the index (default 1).
        off_value: value elsewhere (default 0).
        axis: where the new dimension goes (default last).
        dtype: result dtype (default: that of on/off_value, else float32).
        name: unused.

    Returns:
        A tensor of shape `indices.shape` with `depth` inserted at `axis`.

    Example:
    >>> tf.one_hot([0, 2], 3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    del name
    idx = _t(indices)
    if idx.dtype not in _INT_DTYPES:
        raise TypeError(
            f"one_hot expects integer indices (uint8, int8, int32 or int64), got "
            f"{dtype_name(idx.dtype)}. Cast them first: tf.one_hot(tf.cast(indices, tf.int32), "
            "depth)."
        )
    depth = int(_scalar_value(depth))
    if depth < 0:
        raise InvalidArgumentError(
            f"one_hot: depth must be non-negative (the number of classes), got {depth}."
        )
    if isinstance(on_value, (str, bytes)) or isinstance(off_value, (str, bytes)):
        return _string_one_hot(idx, int(depth), on_value, off_value, axis)
    if dtype is None:
        given = next((v for v in (on_value, off_value) if v is not None), None)
        dtype = torch.float32 if given is None else _t(given).dtype
    else:
        dtype = as_dtype(dtype)
    # Small index types would wrap around in arange; compare in int64 then.
    wide = idx.dtype if idx.dtype in (torch.int32, torch.int64) else torch.int64
    mask = idx.unsqueeze(-1) == torch.arange(depth, device=idx.device, dtype=wide)
    on = 1 if on_value is None else _scalar_value(on_value)
    off = 0 if off_value is None else _scalar_value(off_value)
    if on == 1 and off == 0:
        out = mask.to(dtype)
    else:
        out = torch.where(
            mask,
            torch.full((), on, dtype=dtype, device=idx.device),
            torch.full((), off, dtype=dtype, device=idx.device),
        )
    if axis is not None and axis != -1:
        out = out.movedim(-1, _axis_int(axis))
    return out


def _string_one_hot(idx: torch.Tensor, depth: int, on_value, off_value, axis):
    """`tf.one_hot` with string on/off values: a string tensor, as TensorFlow gives."""

    def as_bytes(value):
        return value.encode("utf-8") if isinstance(value, str) else value

    if not (isinstance(on_value, (str, bytes)) and isinstance(off_value, (str, bytes))):
        raise TypeError(
            "tf.one_hot: on_value and off_value must both be strings when one is "
            f"(got {on_value!r} and {off_value!r})."
        )
    mask = idx.cpu().numpy()[..., None] == np.arange(depth)
    out = np.where(mask, as_bytes(on_value), as_bytes(off_value)).astype(object)
    if axis is not None and axis != -1:
        out = np.moveaxis(out, -1, _axis_int(axis))
    return _wrap_strings(out)


def scatter_nd(indices, updates, shape, name: str | None = None) -> torch.Tensor:
    """Scatters `updates` into a zero tensor of `shape`; duplicate indices add up.

    Args:
        indices: integer tensor of shape `I + (d,)`.
        updates: values of shape `I + shape[d:]`.
        shape: shape of the result.
        name: unused.

    Returns:
        A tensor of `shape`.

    Example:
    >>> tf.scatter_nd([[1], [3]], [9, 7], [5]).tolist()
    [0, 9, 0, 7, 0]
    """
    del name
    upd = _t(updates)
    out = torch.zeros(_as_shape(shape), dtype=upd.dtype, device=upd.device)
    return _scatter(out, indices, upd, accumulate=True)


def _scatter(out: torch.Tensor, indices, updates: torch.Tensor, accumulate: builtins.bool):
    idx = _index(indices)
    if idx.device != out.device:
        idx = idx.to(out.device)
    depth = idx.shape[-1]
    # Checked on every device: torch's index_put wraps a negative index around (TensorFlow
    # rejects it), and on a GPU a bad index would be a device-side assert (fatal to the
    # process).
    _check_nd_indices(idx, out.shape, 0, "scatter", "a tensor")
    key = tuple(idx[..., i] for i in _builtin_range(depth))
    return out.index_put(key, updates.to(out.dtype), accumulate=accumulate)


def _scatter_target(tensor, updates) -> torch.Tensor:
    """The `tensor` of a tensor_scatter_nd_* op: a NumPy array or list there takes the
    dtype of a tensor `updates`, as TF's op infers its type from the tensors it is given
    (`tensor_scatter_nd_update([[1., 2.]], [[0]], float64_t)` is float64)."""
    if isinstance(tensor, torch.Tensor) or not isinstance(updates, torch.Tensor):
        return _t(tensor)
    check_python_value(tensor, updates.dtype)  # TF's TypeError for floats into ints
    return convert_to_tensor(tensor, dtype=updates.dtype)


def tensor_scatter_nd_update(tensor, indices, updates, name: str | None = None) -> torch.Tensor:
    """Returns a copy of `tensor` with `updates` written at `indices`.

    Args:
        tensor: the tensor to copy.
        indices: integer tensor of shape `I + (d,)`.
        updates: values of shape `I + tensor.shape[d:]`.
        name: unused.

    Returns:
        The updated copy.

    Example:
    >>> tf.tensor_scatter_nd_update([1, 2, 3], [[0]], [9]).tolist()
    [9, 2, 3]
    """
    del name
    x = _scatter_target(tensor, updates)
    return _scatter(x, indices, _like(updates, x), accumulate=False)


def tensor_scatter_nd_add(tensor, indices, updates, name: str | None = None) -> torch.Tensor:
    """Returns a copy of `tensor` with `updates` added at `indices`.

    Args:
        tensor: the tensor to copy.
        indices: integer tensor of shape `I + (d,)`.
        updates: values of shape `I + tensor.shape[d:]`.
        name: unused.

    Returns:
        The updated copy.

    Example:
    >>> tf.tensor_scatter_nd_add([1, 2, 3], [[0], [0]], [5, 5]).tolist()
    [11, 2, 3]
    """
    del name
    x = _scatter_target(tensor, updates)
    return _scatter(x, indices, _like(updates, x), accumulate=True)


def tensor_scatter_nd_sub(tensor, indices, updates, name: str | None = None) -> torch.Tensor:
    """Returns a copy of `tensor` with `updates` subtracted at `indices`.

    Args:
        tensor: the tensor to copy.
        indices: integer tensor of shape `I + (d,)`.
        updates: values of shape `I + tensor.shape[d:]`.
        name: unused.

    Returns:
        The updated copy.

    Example:
    >>> tf.tensor_scatter_nd_sub([1, 2, 3], [[0], [0]], [5, 5]).tolist()
    [-9, 2, 3]
    """
    del name
    x = _scatter_target(tensor, updates)
    return _scatter(x, indices, -_like(updates, x), accumulate=True)


def _scatter_extreme(tensor, indices, updates, reduce: str) -> torch.Tensor:
    x = _scatter_target(tensor, updates)
    upd = _like(updates, x)
    idx = _index(indices)
    if idx.device != x.device:
        idx = idx.to(x.device)
    depth = idx.shape[-1]
    _check_nd_indices(idx, x.shape, 0, f"tensor_scatter_nd_{reduce[1:]}", "a tensor")
    # One row per indexed position: the first `depth` axes flattened.
    inner = tuple(x.shape[depth:])
    rows = x.reshape((-1,) + inner)
    linear = torch.zeros(idx.shape[:-1], dtype=torch.long, device=x.device)
    for i in _builtin_range(depth):
        linear = linear * x.shape[i] + idx[..., i]
    values = upd.reshape((-1,) + inner)
    index = linear.reshape((-1,) + (1,) * len(inner)).expand_as(values)
    out = rows.scatter_reduce(0, index, values, reduce=reduce, include_self=True)
    return out.reshape(x.shape)


def tensor_scatter_nd_max(tensor, indices, updates, name: str | None = None) -> torch.Tensor:
    """Returns a copy of `tensor` holding the maximum of it and `updates` at `indices`.

    Args:
        tensor: the tensor to copy.
        indices: integer tensor of shape `I + (d,)`.
        updates: values of shape `I + tensor.shape[d:]`.
        name: unused.

    Returns:
        The updated copy.

    Example:
    >>> tf.tensor_scatter_nd_max([1, 5, 3], [[0], [1]], [4, 2]).tolist()
    [4, 5, 3]
    """
    del name
    return _scatter_extreme(tensor, indices, updates, "amax")


def tensor_scatter_nd_min(tensor, indices, updates, name: str | None = None) -> torch.Tensor:
    """Returns a copy of `tensor` holding the minimum of it and `updates` at `indices`.

    Args:
        tensor: the tensor to copy.
        indices: integer tensor of shape `I + (d,)`.
        updates: values of shape `I + tensor.shape[d:]`.
        name: unused.

    Returns:
        The updated copy.

    Example:
    >>> tf.tensor_scatter_nd_min([1, 5, 3], [[0], [1]], [4, 2]).tolist()
    [1, 2, 3]
    """
    del name
    return _scatter_extreme(tensor, indices, updates, "amin")


UniqueOutput = collections.namedtuple("UniqueOutput", ["y", "idx"])


def unique(x, out_idx=torch.int32, name: str | None = None) -> UniqueOutput:
    """Finds the unique elements of a 1-D tensor, in order of first appearance.

    Args:
        x: a 1-D tensor.
        out_idx: dtype of `idx` (int32 default).
        name: unused.

    Returns:
        A namedtuple `(y, idx)`: the unique values and, for each element of `x`,
        the position of its value in `y`.

    Example:
    >>> y, idx = tf.unique([4, 1, 4, 2])
    >>> y.tolist(), idx.tolist()
    ([4, 1, 2], [0, 1, 0, 2])
    """
    del name
    t = _t(x)
    if t.dim() != 1:
        raise ValueError(f"unique expects a 1-D tensor, got shape {_shape_str(t.shape)}.")
    if isinstance(t, StringTensor):
        strings, positions = _string_ops.unique(t)
        return UniqueOutput(strings, positions.to(as_dtype(out_idx)))
    values, inverse = torch.unique(t, sorted=True, return_inverse=True)
    positions = torch.arange(t.numel(), device=t.device)
    first = torch.full((values.numel(),), t.numel(), device=t.device, dtype=torch.int64)
    first = first.scatter_reduce(0, inverse, positions, reduce="amin")
    order = torch.argsort(first)
    rank_of = torch.empty_like(order)
    rank_of[order] = torch.arange(order.numel(), device=t.device)
    return UniqueOutput(values[order], rank_of[inverse].to(as_dtype(out_idx)))


def searchsorted(
    sorted_sequence, values, side="left", out_type=torch.int32, name: str | None = None
) -> torch.Tensor:
    """Finds where `values` would be inserted in the innermost sorted dimension.

    Args:
        sorted_sequence: tensor sorted along its last dimension.
        values: values to place, with the same leading dimensions.
        side: `'left'` or `'right'` for ties.
        out_type: int32 (default) or int64.
        name: unused.

    Returns:
        Insertion indices with the shape of `values`.

    Example:
    >>> tf.searchsorted([1.0, 2.0, 3.0], [2.5]).tolist()
    [2]
    """
    del name
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}.")
    seq = _t(sorted_sequence)
    vals = _like(values, seq)
    # torch warns (and copies) for non-contiguous inputs, e.g. broadcast values (NeRF's
    # sample_pdf); contiguous() copies only when needed and silences it.
    out = torch.searchsorted(
        seq.contiguous(), vals.to(seq.dtype).contiguous(), right=side == "right"
    )
    return out.to(as_dtype(out_type))


# ---------------------------------------------------------------- strided_slice and small utilities

DType = torch.dtype


def _bit(mask: int, i: int) -> builtins.bool:
    return builtins.bool((mask >> i) & 1)


def strided_slice(
    input_,
    begin,
    end,
    strides=None,
    begin_mask: int = 0,
    end_mask: int = 0,
    ellipsis_mask: int = 0,
    new_axis_mask: int = 0,
    shrink_axis_mask: int = 0,
    var=None,
    name: str | None = None,
) -> torch.Tensor:
    """Extracts a strided slice of a tensor (generalized Python array indexing).

    Spec `i` is `begin[i]:end[i]:strides[i]`; bit `i` of each mask changes it:
    `begin_mask` / `end_mask` ignore `begin[i]` / `end[i]` (the fullest range is
    used), `ellipsis_mask` makes it `...`, `new_axis_mask` makes it `tf.newaxis`
    and `shrink_axis_mask` makes it the single index `begin[i]`, removing that axis.
    Most code should just write `x[1:3, ..., ::-1]`. Gradients flow through.

    Args:
        input_: a tensor.
        begin: 1-D ints, the start of each spec.
        end: 1-D ints, the (exclusive) end of each spec, as long as `begin`.
        strides: 1-D non-zero ints, as long as `begin` (default all 1).
        begin_mask: int bitmask, see above.
        end_mask: int bitmask, see above.
        ellipsis_mask: int bitmask with at most one bit set, see above.
        new_axis_mask: int bitmask, see above.
        shrink_axis_mask: int bitmask, see above.
        var: unused (TensorFlow uses it for sliced assignment).
        name: unused.

    Returns:
        The sliced tensor.

    Example:
    >>> t = tf.constant([[[1, 1, 1], [2, 2, 2]], [[3, 3, 3], [4, 4, 4]]])
    >>> tf.strided_slice(t, [1, -1, 0], [2, -3, 3], [1, -1, 1]).tolist()
    [[[4, 4, 4], [3, 3, 3]]]
    """
    del var, name
    x = _t(input_)
    begin = _as_int_list(begin)
    end = _as_int_list(end)
    strides = [1] * len(begin) if strides is None else _as_int_list(strides)
    if not len(begin) == len(end) == len(strides):
        raise ValueError(
            f"strided_slice: begin, end and strides must have the same length, got "
            f"{len(begin)}, {len(end)} and {len(strides)}."
        )
    n = len(begin)
    if bin(ellipsis_mask & ((1 << n) - 1)).count("1") > 1:
        raise ValueError(
            f"strided_slice: multiple ellipses in slice spec not allowed "
            f"(ellipsis_mask={ellipsis_mask}); set at most one bit."
        )
    consumed = builtins.sum(
        1 for i in _builtin_range(n) if not _bit(ellipsis_mask, i) and not _bit(new_axis_mask, i)
    )
    if consumed > x.dim():
        raise ValueError(
            f"strided_slice: the slice spec indexes {consumed} dimensions but the input has "
            f"shape {_shape_str(x.shape)} ({x.dim()} dimensions)."
        )
    index: list = []
    flips: list[int] = []
    in_dim = out_dim = 0
    for i in _builtin_range(n):
        if _bit(ellipsis_mask, i):
            span = x.dim() - consumed
            index.extend([_builtin_slice(None)] * span)
            in_dim += span
            out_dim += span
        elif _bit(new_axis_mask, i):
            index.append(None)
            out_dim += 1
        elif _bit(shrink_axis_mask, i):
            size = x.shape[in_dim]
            b = begin[i] + size if begin[i] < 0 else begin[i]
            if not 0 <= b < size:
                raise InvalidArgumentError(
                    f"strided_slice: slice index {begin[i]} of dimension {in_dim} out of "
                    f"bounds for shape {_shape_str(x.shape)}."
                )
            index.append(b)
            in_dim += 1
        else:
            step = strides[i]
            if step == 0:
                raise ValueError(f"strided_slice: strides[{i}] must be non-zero, got 0.")
            spec = _builtin_slice(
                None if _bit(begin_mask, i) else begin[i],
                None if _bit(end_mask, i) else end[i],
                step,
            )
            if step < 0:
                # torch has no negative steps: take the same elements forwards, then flip.
                start, stop, step = spec.indices(x.shape[in_dim])
                count = len(_builtin_range(start, stop, step))
                if count:
                    last = start + (count - 1) * step
                    spec = _builtin_slice(last, start + 1, -step)
                    flips.append(out_dim)
                else:
                    spec = _builtin_slice(0, 0)
            index.append(spec)
            in_dim += 1
            out_dim += 1
    out = x[tuple(index)]
    if flips:
        return torch.flip(out, flips)
    return _snapshot(out) if isinstance(x, _Variable) else out


def get_static_value(tensor, partial: builtins.bool = False):
    """Returns the constant value of `tensor` as a NumPy array.

    Eagerly every tensor's value is known, so this is its NumPy value (a copy);
    values that are not tensors are returned as they are, as in TensorFlow.

    Args:
        tensor: a tensor, or any other value.
        partial: unused (eagerly the value is always fully known).

    Returns:
        A NumPy array for tensors; `tensor` itself otherwise.

    Example:
    >>> tf.get_static_value(tf.constant([1, 2]))
    array([1, 2], dtype=int32)
    """
    del partial
    if isinstance(tensor, torch.Tensor):
        from tork._backend.tensor import to_numpy

        return to_numpy(tensor, copy=True)
    return tensor


def _summarize(value, summarize) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    flat = _t(value).detach().reshape(-1).cpu()
    limit = flat.numel() if summarize is None or summarize < 0 else summarize
    if flat.dtype == torch.bfloat16:
        flat = flat.float()
    items = [str(v) for v in flat[:limit].tolist()]
    if limit < flat.numel():
        items.append("...")
    return ", ".join(items)


def Assert(condition, data, summarize=None, name: str | None = None) -> None:  # noqa: N802
    """Asserts that `condition` is true, raising with a summary of `data` when it is not.

    It runs eagerly: it raises at once, or returns None.

    Args:
        condition: a scalar boolean (tensor or Python bool).
        data: a list of tensors (or strings) to describe in the error message.
        summarize: how many entries of each tensor to show (default 3; -1 for all).
        name: unused.

    Returns:
        None.

    Raises:
        tf.errors.InvalidArgumentError: if `condition` is False.

    Example:
    >>> x = tf.constant([0.5, 0.9])
    >>> tf.Assert(tf.reduce_max(x) <= 1.0, ["x too large:", x])
    """
    del name
    if isinstance(condition, torch.Tensor):
        if condition.numel() != 1:
            raise ValueError(
                f"Assert: condition must be a scalar boolean, got a tensor of shape "
                f"{_shape_str(condition.shape)}. Reduce it first, e.g. tf.reduce_all(...)."
            )
        ok = builtins.bool(condition.item())
    else:
        ok = builtins.bool(np.asarray(condition).item())
    if ok:
        return None
    if summarize is None:
        summarize = 3
    if isinstance(data, (str, bytes, torch.Tensor, np.ndarray)) or not isinstance(data, Sequence):
        data = [data]
    text = "\n".join(_summarize(d, summarize) for d in data)
    raise InvalidArgumentError(f"Expected 'condition' to be true. Summarized data: {text}")


def histogram_fixed_width(
    values, value_range, nbins=100, dtype=torch.int32, name: str | None = None
) -> torch.Tensor:
    """Returns a histogram of `values` with `nbins` equal-width bins over `value_range`.

    Values `<= value_range[0]` count in the first bin and values `>= value_range[1]`
    in the last, so every value is counted.

    Args:
        values: a numeric tensor.
        value_range: `[lo, hi]` with `lo < hi`.
        nbins: the number of bins (a positive int or scalar tensor; default 100).
        dtype: int32 (default) or int64, the dtype of the counts.
        name: unused.

    Returns:
        A 1-D tensor of `nbins` counts.

    Raises:
        tf.errors.InvalidArgumentError: if `value_range[0] >= value_range[1]` or
            `nbins` is not positive.

    Example:
    >>> tf.histogram_fixed_width([-1.0, 0.0, 1.5, 2.0, 5.0, 15], [0.0, 5.0], nbins=5).tolist()
    [2, 1, 1, 0, 2]
    """
    del name
    x = _t(values)
    target = as_dtype(dtype)
    if target not in (torch.int32, torch.int64):
        raise TypeError(
            f"histogram_fixed_width: dtype must be int32 or int64, got {dtype_name(target)}."
        )
    if isinstance(value_range, torch.Tensor):
        bounds = [float(v) for v in value_range.detach().reshape(-1).tolist()]
    else:
        bounds = [float(v) for v in np.asarray(value_range, dtype=np.float64).reshape(-1)]
    if len(bounds) != 2:
        raise ValueError(
            f"histogram_fixed_width: value_range must have 2 entries [lo, hi], got {bounds}."
        )
    lo, hi = bounds
    if not lo < hi:
        raise InvalidArgumentError(
            f"histogram_fixed_width: value_range[0] < value_range[1] is required, got "
            f"value_range={bounds}."
        )
    nbins = _as_int(nbins) if isinstance(nbins, torch.Tensor) else int(nbins)
    if nbins <= 0:
        raise InvalidArgumentError(
            f"histogram_fixed_width: nbins should be a positive number, got {nbins}."
        )
    # As TensorFlow's kernel: bin positions in float64, clamped into the edge bins.
    scaled = (x.detach().reshape(-1).to(torch.float64) - lo) * (nbins / (hi - lo))
    bins = torch.floor(scaled).clamp_(0, nbins - 1).to(torch.int64)
    return torch.bincount(bins, minlength=nbins).to(target)


def _as_int(value) -> int:
    return int(value.item()) if isinstance(value, torch.Tensor) else int(value)


def broadcast_static_shape(shape_x, shape_y) -> TensorShape:
    """Computes the shape of a broadcast given known (static) shapes.

    Unknown (None) dimensions broadcast against 1 to None and against a known
    size `n > 1` to `n`; a shape of unknown rank gives an unknown shape.

    Args:
        shape_x: a `TensorShape` (or list/tuple of ints and None).
        shape_y: a `TensorShape` (or list/tuple of ints and None).

    Returns:
        The broadcast `TensorShape`.

    Raises:
        ValueError: if the shapes are not broadcast-compatible.

    Example:
    >>> tf.broadcast_static_shape(tf.TensorShape([1, 2, 3]), tf.TensorShape([5, 1, 3]))
    TensorShape([5, 2, 3])
    """
    x, y = TensorShape(shape_x), TensorShape(shape_y)
    if x.rank is None or y.rank is None:
        return TensorShape(None)
    a, b = x.as_list(), y.as_list()
    width = max(len(a), len(b))
    a = [1] * (width - len(a)) + a
    b = [1] * (width - len(b)) + b
    dims = []
    for da, db in zip(a, b):
        if da == 1:
            dims.append(db)
        elif db == 1:
            dims.append(da)
        elif da is None or db is None:
            dims.append(da if db is None else db)
        elif da == db:
            dims.append(da)
        else:
            raise ValueError(
                f"Incompatible shapes for broadcasting: {x} and {y}. Two shapes are "
                "compatible if, for each dimension pair, they are equal or one of them is 1."
            )
    return TensorShape(dims)


# ---------------------------------------------------------------- less common array ops

UniqueWithCounts = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])


def unique_with_counts(x, out_idx=torch.int32, name: str | None = None) -> UniqueWithCounts:
    """Finds the unique elements of a 1-D tensor and how often each occurs.

    Args:
        x: a 1-D tensor.
        out_idx: dtype of `idx` and `count` (int32 default).
        name: unused.

    Returns:
        A namedtuple `(y, idx, count)`: the unique values in order of first
        appearance, the position of each element's value in `y`, and the number
        of times each value of `y` occurs.

    Example:
    >>> out = tf.unique_with_counts([3, 1, 3, 2])
    >>> out.y.tolist(), out.idx.tolist(), out.count.tolist()
    ([3, 1, 2], [0, 1, 0, 2], [2, 1, 1])
    """
    y, idx = unique(x, out_idx=out_idx, name=name)
    count = torch.bincount(idx.long(), minlength=int(y.shape[0])).to(idx.dtype)
    return UniqueWithCounts(y, idx, count)


def shape_n(input, out_type=torch.int32, name: str | None = None) -> list:
    """Returns the shapes of a list of tensors, as 1-D integer tensors.

    Args:
        input: a list of tensors.
        out_type: int32 (default) or int64.
        name: unused.

    Returns:
        A list of 1-D tensors.

    Example:
    >>> [s.tolist() for s in tf.shape_n([tf.zeros((2, 3)), tf.zeros(4)])]
    [[2, 3], [4]]
    """
    return [shape(v, out_type=out_type, name=name) for v in input]


def broadcast_dynamic_shape(shape_x, shape_y) -> torch.Tensor:
    """Computes the broadcast of two shapes given as 1-D integer tensors.

    Args:
        shape_x: a 1-D integer tensor (or list) holding a shape.
        shape_y: a 1-D integer tensor (or list) holding a shape.

    Returns:
        A 1-D tensor of the dtype of `shape_x` (int32 for lists).

    Raises:
        tf.errors.InvalidArgumentError: if the shapes do not broadcast.

    Example:
    >>> tf.broadcast_dynamic_shape([3, 1], [1, 4]).tolist()
    [3, 4]
    """
    sx, sy = _t(shape_x), _t(shape_y)
    a, b = [int(v) for v in sx.reshape(-1).tolist()], [int(v) for v in sy.reshape(-1).tolist()]
    try:
        out = torch.broadcast_shapes(tuple(a), tuple(b))
    except RuntimeError as err:
        raise InvalidArgumentError(
            f"broadcast_dynamic_shape: incompatible shapes {a} and {b}; each dimension, "
            "aligned from the right, must be equal or 1 in one of them."
        ) from err
    return torch.tensor(list(out), dtype=sx.dtype if sx.dtype in _INT_DTYPES else torch.int32)


def unravel_index(indices, dims, name: str | None = None) -> torch.Tensor:
    """Converts flat indices into coordinates in an array of shape `dims` (row-major).

    Args:
        indices: a scalar or 1-D integer tensor of flat indices.
        dims: a 1-D integer tensor, the shape to index into.
        name: unused.

    Returns:
        A tensor of shape `(len(dims),)` for a scalar index, else
        `(len(dims), len(indices))`, with the dtype of `indices`.

    Example:
    >>> tf.unravel_index([5, 7], [3, 4]).tolist()
    [[1, 1], [1, 3]]
    """
    del name
    idx = _t(indices)
    shape_ = [int(v) for v in _t(dims).reshape(-1).tolist()]
    total = int(np.prod(shape_)) if shape_ else 1
    if idx.numel() and values_readable(idx):
        lo, hi = int(idx.min()), int(idx.max())
        if lo < 0 or hi >= total:
            raise InvalidArgumentError(
                f"unravel_index: flat index {hi if hi >= total else lo} is out of range for "
                f"dims {shape_} (size {total})."
            )
    rest = idx.long()
    coords = []
    for d in reversed(shape_):
        coords.append(rest % d)
        rest = torch.div(rest, d, rounding_mode="floor")
    return torch.stack(coords[::-1]).to(idx.dtype)


def histogram_fixed_width_bins(
    values, value_range, nbins=100, dtype=torch.int32, name: str | None = None
) -> torch.Tensor:
    """Returns, for each value, the index of its bin in a fixed-width histogram.

    Values `<= value_range[0]` go to bin 0 and values `>= value_range[1]` to the
    last bin, as in `tf.histogram_fixed_width`.

    Args:
        values: a numeric tensor.
        value_range: `[lo, hi]` with `lo < hi`.
        nbins: the number of bins (default 100).
        dtype: ignored, as in TF: the indices are always int32.
        name: unused.

    Returns:
        An int32 tensor of bin indices with the shape of `values`.

    Example:
    >>> tf.histogram_fixed_width_bins([-1.0, 0.0, 1.5, 2.0, 5.0, 15], [0.0, 5.0], 5).tolist()
    [0, 0, 1, 2, 4, 4]
    """
    del name
    x = _t(values)
    bounds = [float(v) for v in np.asarray(_t(value_range).tolist(), np.float64).reshape(-1)]
    if len(bounds) != 2 or not bounds[0] < bounds[1]:
        raise InvalidArgumentError(
            f"histogram_fixed_width_bins: value_range must be [lo, hi] with lo < hi, got {bounds}."
        )
    nbins = _as_int(nbins)
    if nbins <= 0:
        raise InvalidArgumentError(
            f"histogram_fixed_width_bins: nbins should be a positive number, got {nbins}."
        )
    # TF computes in the values' float dtype, in this order ((x - lo) / width, then times
    # nbins), and returns int32 whatever `dtype` says; float64 would move values that
    # sit on a bin edge (0.7 in [0, 1] with 10 bins is bin 7 in float32, 6 in float64).
    del dtype
    work = x.dtype if x.is_floating_point() else torch.float64
    x = x.detach().to(work)
    lo, hi = (torch.tensor(b, dtype=work, device=x.device) for b in bounds)
    scaled = torch.floor(torch.tensor(nbins, dtype=work, device=x.device) * ((x - lo) / (hi - lo)))
    return scaled.clamp_(0, nbins - 1).to(torch.int32)


def reverse_sequence(
    input, seq_lengths, seq_axis=None, batch_axis=None, name: str | None = None
) -> torch.Tensor:
    """Reverses the first `seq_lengths[i]` entries along `seq_axis` of each batch entry i.

    Args:
        input: a tensor.
        seq_lengths: a 1-D integer tensor, one length per entry of `batch_axis`.
        seq_axis: the dimension to reverse.
        batch_axis: the dimension that indexes the sequences (default 0).
        name: unused.

    Returns:
        A tensor of the same shape.

    Example:
    >>> tf.reverse_sequence([[1, 2, 3], [4, 5, 6]], [2, 3], seq_axis=1).tolist()
    [[2, 1, 3], [6, 5, 4]]
    """
    del name
    x = _t(input)
    if seq_axis is None:
        raise ValueError("reverse_sequence needs seq_axis.")
    seq_axis = _norm_axis(_axis_int(seq_axis), x.dim(), "seq_axis")
    batch_axis = _norm_axis(_axis_int(batch_axis or 0), x.dim(), "batch_axis")
    lengths = _t(seq_lengths).to(x.device).long().reshape(-1)
    if lengths.numel() != x.shape[batch_axis]:
        raise InvalidArgumentError(
            f"reverse_sequence: seq_lengths has {lengths.numel()} entries but the batch "
            f"dimension {batch_axis} of shape {_shape_str(x.shape)} has {x.shape[batch_axis]}."
        )
    if values_readable(lengths) and lengths.numel() and int(lengths.max()) > x.shape[seq_axis]:
        raise InvalidArgumentError(
            f"reverse_sequence: seq_lengths must be <= {x.shape[seq_axis]} (dimension "
            f"{seq_axis}), got {int(lengths.max())}."
        )
    n = x.shape[seq_axis]
    pos = torch.arange(n, device=x.device)
    # Position j of batch entry b reads from L_b - 1 - j when j < L_b, else from j.
    src = torch.where(pos < lengths[:, None], lengths[:, None] - 1 - pos, pos)  # (batch, n)
    view = [1] * x.dim()
    view[batch_axis], view[seq_axis] = src.shape[0], n
    if batch_axis > seq_axis:
        src = src.t()
    return torch.gather(x, seq_axis, src.reshape(view).expand(x.shape))


def dynamic_partition(data, partitions, num_partitions, name: str | None = None) -> list:
    """Splits `data` into `num_partitions` tensors by a partition id per (leading) element.

    Args:
        data: a tensor.
        partitions: integer ids in [0, num_partitions), shaped like a prefix of `data`.
        num_partitions: the number of outputs.
        name: unused.

    Returns:
        A list of `num_partitions` tensors; output i holds the entries with id i,
        in order.

    Example:
    >>> [p.tolist() for p in tf.dynamic_partition([1, 2, 3, 4], [0, 1, 0, 1], 2)]
    [[1, 3], [2, 4]]
    """
    del name
    x = _t(data)
    ids = _t(partitions).to(x.device).long()
    n = int(_scalar_value(num_partitions))
    if tuple(x.shape[: ids.dim()]) != tuple(ids.shape):
        raise InvalidArgumentError(
            f"dynamic_partition: partitions of shape {_shape_str(ids.shape)} must be a "
            f"prefix of data's shape {_shape_str(x.shape)}."
        )
    if ids.numel() and values_readable(ids) and (int(ids.min()) < 0 or int(ids.max()) >= n):
        raise InvalidArgumentError(
            f"dynamic_partition: partition ids must be in [0, {n}), got "
            f"{int(ids.min())}..{int(ids.max())}."
        )
    rows = x.reshape((-1,) + tuple(x.shape[ids.dim() :]))
    flat = ids.reshape(-1)
    return [rows[flat == i] for i in _builtin_range(n)]


def dynamic_stitch(indices, data, name: str | None = None) -> torch.Tensor:
    """Interleaves the values of `data` into one tensor: `merged[indices[m][i]] = data[m][i]`.

    Later entries win when an index repeats; rows never written are 0.

    Args:
        indices: a list of integer tensors.
        data: a list of tensors, `data[m].shape = indices[m].shape + row_shape`.
        name: unused.

    Returns:
        A tensor of shape `(max(indices) + 1,) + row_shape`.

    Example:
    >>> tf.dynamic_stitch([[0, 2], [1, 3]], [[1.0, 2.0], [3.0, 4.0]]).tolist()
    [1.0, 3.0, 2.0, 4.0]
    """
    del name
    if len(indices) != len(data) or not indices:
        raise ValueError(
            f"dynamic_stitch needs as many index tensors as data tensors, got {len(indices)} "
            f"and {len(data)}."
        )
    idx = [_t(i).long() for i in indices]
    vals = [_t(d) for d in data]
    row_shape = tuple(vals[0].shape[idx[0].dim() :])
    flat_idx = torch.cat([i.reshape(-1).to(vals[0].device) for i in idx])
    flat_val = torch.cat([v.reshape((-1,) + row_shape) for v in vals])
    size = int(flat_idx.max()) + 1 if flat_idx.numel() else 0
    out = torch.zeros((size,) + row_shape, dtype=flat_val.dtype, device=flat_val.device)
    # index_put with accumulate=False lets the last duplicate win on the CPU; make it so
    # everywhere by keeping only the last occurrence of each index.
    order = torch.arange(flat_idx.numel(), device=flat_idx.device)
    last = torch.full((size,), -1, dtype=torch.int64, device=flat_idx.device)
    last = last.scatter_reduce(0, flat_idx, order, reduce="amax")
    keep = last[flat_idx] == order
    out[flat_idx[keep]] = flat_val[keep]
    return out


def identity_n(input, name: str | None = None) -> list:
    """Returns a list of tensors with the same values as `input`.

    Args:
        input: a list of tensor-like values.
        name: unused.

    Returns:
        A list of tensors.

    Example:
    >>> [t.tolist() for t in tf.identity_n([[1], [2.0]])]
    [[1], [2.0]]
    """
    return [identity(v, name=name) for v in input]


__all__ += [
    "broadcast_dynamic_shape",
    "dynamic_partition",
    "dynamic_stitch",
    "histogram_fixed_width_bins",
    "identity_n",
    "reverse_sequence",
    "shape_n",
    "unique_with_counts",
    "unravel_index",
]

# The ops above that take RaggedTensors hand them to tork/_backend/ragged_tensor.py.
from tork._backend import ragged_tensor as _ragged  # noqa: E402

_ragged.install(globals())

# tf.space_to_batch(_nd) / tf.batch_to_space(_nd) live in their own module.
from tork.ops._space_batch import (  # noqa: E402
    batch_to_space,
    batch_to_space_nd,
    space_to_batch,
    space_to_batch_nd,
)

__all__ += ["batch_to_space", "batch_to_space_nd", "space_to_batch", "space_to_batch_nd"]
