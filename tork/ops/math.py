"""`tf.math`: elementwise math, reductions, comparisons and matrix products over torch.

Every name in `__all__` is reachable both as `tf.math.X` and as `tf.X`.

dtype rules: two tensors follow torch's (NumPy-style) promotion (TensorFlow
raises there). A non-tensor operand (Python number or list, NumPy array or
scalar) takes the tensor's dtype, as in TensorFlow: `float32_tensor *
np.float64_array` is float32, `int32_tensor + np.array([2.5])` is int32 (NumPy
values are cast), and a Python float for an int tensor raises TypeError
(TensorFlow never truncates Python floats).
"""

from __future__ import annotations

import builtins
import collections
import numbers
import operator

import numpy as np
import torch
import torch.nn.functional as F

from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.errors import module_getattr
from tork._backend.sparse_tensor import SparseTensor
from tork._backend.string_tensor import StringTensor
from tork._backend.tensor import convert_operand, convert_to_tensor
from tork._backend.tracing import values_readable
from tork.ops import _zero_safe_grad
from tork.ops.array import _as_axes, _like, _scalar_value, _shape_str, _snapshot, _t
from tork.ops.debugging import InvalidArgumentError
from tork.variables import Variable as _Variable

__all__ = [
    "abs",
    "acos",
    "acosh",
    "add",
    "add_n",
    "argmax",
    "argmin",
    "argsort",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "bincount",
    "cast",
    "ceil",
    "clip_by_global_norm",
    "clip_by_norm",
    "clip_by_value",
    "confusion_matrix",
    "conj",
    "cos",
    "cosh",
    "count_nonzero",
    "cumprod",
    "cumsum",
    "digamma",
    "divide",
    "divide_no_nan",
    "einsum",
    "equal",
    "erf",
    "erfc",
    "erfinv",
    "exp",
    "expm1",
    "floor",
    "floordiv",
    "floormod",
    "greater",
    "greater_equal",
    "imag",
    "in_top_k",
    "is_finite",
    "is_inf",
    "is_nan",
    "l2_normalize",
    "lgamma",
    "less",
    "less_equal",
    "log",
    "log1p",
    "log_sigmoid",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "matmul",
    "maximum",
    "minimum",
    "mod",
    "multiply",
    "multiply_no_nan",
    "negative",
    "not_equal",
    "pow",
    "real",
    "realdiv",
    "reciprocal",
    "reduce_all",
    "reduce_any",
    "reduce_euclidean_norm",
    "reduce_logsumexp",
    "reduce_max",
    "reduce_mean",
    "reduce_min",
    "reduce_prod",
    "reduce_std",
    "reduce_sum",
    "reduce_variance",
    "rint",
    "round",
    "rsqrt",
    "scalar_mul",
    "segment_max",
    "segment_mean",
    "segment_min",
    "segment_prod",
    "segment_sum",
    "sigmoid",
    "sign",
    "sin",
    "sinh",
    "softplus",
    "softsign",
    "sort",
    "sqrt",
    "square",
    "squared_difference",
    "subtract",
    "tan",
    "tanh",
    "tensordot",
    "top_k",
    "truediv",
    "truncatediv",
    "truncatemod",
    "unsorted_segment_max",
    "unsorted_segment_mean",
    "unsorted_segment_min",
    "unsorted_segment_prod",
    "unsorted_segment_sqrt_n",
    "unsorted_segment_sum",
    "xdivy",
    "xlogy",
]

__getattr__ = module_getattr("tf.math")

_PY_SCALARS = (builtins.bool, int, float, complex)


# ---------------------------------------------------------------- operand handling


_operand = convert_operand


def _tensor_operand(value, ref: torch.Tensor) -> torch.Tensor:
    """`_operand` for ops that need a tensor: a 0-D NumPy or Python value becomes one."""
    if isinstance(value, torch.Tensor):
        return value
    out = _operand(value, ref)
    if isinstance(out, torch.Tensor):
        return out
    return torch.tensor(out, dtype=ref.dtype, device=ref.device)


def _operands(x, y):
    """Both operands of a binary op, at least one a tensor, scalars left as numbers."""
    if isinstance(x, torch.Tensor):
        if isinstance(y, torch.Tensor):
            return x, y
        return x, _operand(y, x)
    if isinstance(y, torch.Tensor):
        return _operand(x, y), y
    x = convert_to_tensor(x)
    return x, _operand(y, x)


def _scalar_dtype(value, ref: torch.Tensor) -> torch.dtype:
    """torch's promotion of a tensor with a Python scalar, written out for Python numbers.

    torch.result_type returns a dtype, which torch.compile cannot put in a graph (it
    breaks the graph there), so the common cases are decided in plain Python.
    """
    kind = type(value)
    if kind is bool:
        return ref.dtype
    if kind is int:
        return torch.int64 if ref.dtype == torch.bool else ref.dtype
    if kind is float and not ref.is_complex():
        return ref.dtype if ref.is_floating_point() else torch.get_default_dtype()
    return torch.result_type(ref, value)


def _scalar_tensor(value, ref: torch.Tensor) -> torch.Tensor:
    # A 0-D CPU tensor acts as a scalar for tensors on any device, with no copy to the GPU.
    return torch.tensor(value, dtype=_scalar_dtype(value, ref))


def _tensor_operands(x, y):
    """Both operands as tensors, for torch functions that reject Python numbers."""
    x, y = _operands(x, y)
    if not isinstance(x, torch.Tensor):
        x = _scalar_tensor(x, y)
    elif not isinstance(y, torch.Tensor):
        y = _scalar_tensor(y, x)
    return x, y


def _broadcastable(a: tuple, b: tuple) -> builtins.bool:
    # Plain Python: torch.broadcast_shapes pulls in heavy modules on first use.
    return all(p == q or p == 1 or q == 1 for p, q in zip(reversed(a), reversed(b)))


def _raise_binary(opname: str, x, y, err: Exception):
    sx, sy = tuple(getattr(x, "shape", ())), tuple(getattr(y, "shape", ()))
    if not _broadcastable(sx, sy):
        raise ValueError(
            f"{opname}: cannot broadcast shapes {_shape_str(sx)} and {_shape_str(sy)}. Each "
            "dimension, aligned from the right, must be equal or 1 in one of them."
        ) from err
    dx, dy = getattr(x, "dtype", None), getattr(y, "dtype", None)
    if dx is not None and dy is not None and dx != dy:
        raise TypeError(
            f"{opname}: cannot combine dtypes {dtype_name(dx)} and {dtype_name(dy)} ({err}). "
            "Cast one side with tf.cast."
        ) from err
    if "ZeroDivisionError" in str(err):
        raise InvalidArgumentError(f"{opname}: integer division by zero.") from err
    if torch.bool in (dx, dy):
        # torch's own words name its operator or kernel; TF's kernels take no bools here.
        raise InvalidArgumentError(
            f"{opname} does not take bool tensors. Cast them first, e.g. "
            "tf.cast(x, tf.int32), or use tf.logical_and / tf.logical_or / tf.logical_xor."
        ) from err
    if dx == torch.uint64 and isinstance(err, NotImplementedError):
        raise NotImplementedError(
            f"{opname} is not available for uint64 tensors in tork (torch has no uint64 "
            "kernel for it). Cast to int64 first, e.g. tf.cast(x, tf.int64), when the "
            "values are below 2**63."
        ) from err
    raise err


def _binary(
    fn,
    opname: str,
    summary: str,
    example: str,
    tensors: builtins.bool = False,
    uint64: str | None = None,
):
    """Builds a tf.math binary op around `fn`. `uint64` is how uint64 tensors (which torch
    has few kernels for) are computed: "wrap" (modular arithmetic on int64 bits), "order"
    (comparisons and max/min on an order-preserving int64 image), or None (not at all)."""
    convert = _tensor_operands if tensors else _operands

    def op(x, y, name: str | None = None) -> torch.Tensor:
        if not (isinstance(x, torch.Tensor) and isinstance(y, torch.Tensor)):
            x, y = convert(x, y)
        try:
            return fn(x, y)
        except (RuntimeError, NotImplementedError) as err:
            wide = _wide_unsigned(fn, x, y, uint64)
            if wide is None:
                _raise_binary(opname, x, y, err)
            return wide

    op.__name__ = op.__qualname__ = opname
    op.__module__ = __name__
    op.__doc__ = f"""{summary}

    Inputs broadcast against each other. A Python number or list, or a NumPy
    value, is converted to the other operand's dtype, as in TensorFlow.

    Args:
        x: a tensor-like value.
        y: a tensor-like value.
        name: unused.

    Returns:
        A tensor of the broadcast shape.

    Example:
    {example}
    """
    return op


_UNSIGNED = (torch.uint16, torch.uint32, torch.uint64)
_INT64_MIN = -(2**63)


def _signed_image(x: torch.Tensor, uint64: str) -> torch.Tensor:
    """An int64 tensor to compute an unsigned tensor's op on (torch has few kernels for
    uint16-uint64). uint16/uint32 values all fit in int64. uint64 "wrap" takes the same
    bits (exact for +, -, *, sums and products, which wrap modulo 2**64 as in TF); "order"
    flips the top bit, which keeps the order (exact for comparisons, max and min)."""
    if x.dtype != torch.uint64:
        return x.to(torch.int64)
    bits = x.view(torch.int64)
    return bits ^ _INT64_MIN if uint64 == "order" else bits


def _from_signed_image(out: torch.Tensor, dtype: torch.dtype, uint64: str) -> torch.Tensor:
    """Inverse of `_signed_image` for an int64 result (a cast wraps, as TF's overflow)."""
    if dtype != torch.uint64:
        return out.to(dtype)
    return (out ^ _INT64_MIN if uint64 == "order" else out).view(torch.uint64)


def _unsigned_retry(compute, x: torch.Tensor, mode: str | None):
    """`compute(x)`; where torch has no kernel for a uint16-uint64 `x` (NotImplementedError)
    and `mode` says how ("wrap" or "order", see `_signed_image`), `compute` on its int64
    image, cast back. Other dtypes and other failures raise as they are."""
    try:
        return compute(x)
    except NotImplementedError:
        if mode is None or x.dtype not in _UNSIGNED:
            raise
        return _from_signed_image(compute(_signed_image(x, mode)), x.dtype, mode)


def _wide_unsigned(fn, x, y, uint64: str | None = None):
    """`fn(x, y)` for uint16/uint32 (and, when `uint64` says how, uint64) tensors, which
    torch has few CPU kernels for: computed on int64 images and cast back, wrapping around
    as TF does. None when the operands are not such tensors (the caller reports the
    original error)."""
    if not (isinstance(x, torch.Tensor) and isinstance(y, torch.Tensor)):
        return None
    if x.dtype != y.dtype or x.dtype not in _UNSIGNED:
        return None
    if x.dtype == torch.uint64 and uint64 is None:
        return None
    mode = uint64 or "wrap"
    out = fn(_signed_image(x, mode), _signed_image(y, mode))
    return _from_signed_image(out, x.dtype, mode) if out.dtype == torch.int64 else out


def _unary(fn, opname: str, summary: str, example: str):
    def op(x, name: str | None = None) -> torch.Tensor:
        return fn(x if isinstance(x, torch.Tensor) else convert_to_tensor(x))

    op.__name__ = op.__qualname__ = opname
    op.__module__ = __name__
    op.__doc__ = f"""{summary}

    Args:
        x: a tensor-like value.
        name: unused.

    Returns:
        A tensor of the same shape.

    Example:
    {example}
    """
    return op


def _true_div(x, y):
    kind = torch.result_type(x, y)
    if not (kind.is_floating_point or kind.is_complex):
        # TensorFlow's truediv: small ints divide in float32, int32/int64 in float64.
        wide = (torch.int32, torch.int64, torch.uint32, torch.uint64)
        target = torch.float64 if kind in wide else torch.float32
        if isinstance(x, torch.Tensor):
            x = x.to(target)
        if isinstance(y, torch.Tensor):
            y = y.to(target)
        if not isinstance(x, torch.Tensor) and not isinstance(y, torch.Tensor):
            x = torch.tensor(x, dtype=target)
    return x / y


def _squared_difference(x, y):
    d = x - y
    return d * d.conj() if isinstance(d, torch.Tensor) and d.is_complex() else d * d


def _divide_no_nan(x, y):
    quotient = _true_div(x, y)
    if not isinstance(y, torch.Tensor):
        if y != 0:
            return quotient
        if not (isinstance(x, torch.Tensor) and x.requires_grad):
            return torch.zeros_like(quotient)
        # Keep the result connected to x: TF's gradient here is 0, not None.
        y = torch.zeros((), dtype=quotient.dtype, device=quotient.device)
    zero = y == 0
    safe = torch.where(zero, torch.ones_like(y), y)
    return torch.where(zero, torch.zeros_like(quotient), _true_div(x, safe))


def _multiply_no_nan(x, y):
    product = x * y
    if not isinstance(y, torch.Tensor):
        if y != 0:
            return product
        if not (isinstance(x, torch.Tensor) and x.requires_grad):
            return torch.zeros_like(product)
        y = torch.zeros((), dtype=product.dtype, device=product.device)
    if product.requires_grad and isinstance(x, torch.Tensor):
        # TensorFlow's gradient for y is x * grad also where y == 0: zero only the x
        # values that would make the product NaN, and keep the product connected to y.
        keep = (y != 0) | torch.isfinite(x)
        return torch.where(keep, x, torch.zeros_like(x)) * y
    return torch.where(y == 0, torch.zeros_like(product), product)


def _xdivy(x, y):
    quotient = _true_div(x, y)
    if not isinstance(x, torch.Tensor):
        return torch.zeros_like(quotient) if x == 0 else quotient
    zero = x == 0
    if quotient.requires_grad:
        # As TensorFlow's gradient, 0 where x == 0 (x / 0 there would make it NaN).
        if not isinstance(y, torch.Tensor):
            y = torch.tensor(y, dtype=quotient.dtype, device=quotient.device)
        quotient = _true_div(x, torch.where(zero, torch.ones_like(y), y))
    return torch.where(zero, torch.zeros_like(quotient), quotient)


def _xlogy(x, y):
    zero = x == 0
    if torch.is_grad_enabled() and (x.requires_grad or y.requires_grad):
        # As TensorFlow's gradient: 0 for both inputs where x == 0 (torch gives log(y) to x
        # and NaN to y at y == 0 there).
        y = torch.where(zero, torch.ones_like(y), y)
        product = x * torch.log(y)
    else:
        product = torch.xlogy(x, y)
    # 0 where x == 0, also for a NaN y (TensorFlow; torch.xlogy gives NaN).
    return torch.where(zero, torch.zeros_like(product), product)


def _truncatediv(x, y):
    if torch.result_type(x, y).is_floating_point:
        return torch.trunc(x / y)
    if isinstance(x, torch.Tensor):
        return torch.div(x, y, rounding_mode="trunc")
    return torch.div(_scalar_tensor(x, y), y, rounding_mode="trunc")


def _truncatemod(x, y):
    if isinstance(x, torch.Tensor):
        return torch.fmod(x, y)
    return torch.fmod(_scalar_tensor(x, y), y)


# ---------------------------------------------------------------- elementwise binary

add = _binary(
    operator.add,
    "add",
    "Returns x + y elementwise.",
    ">>> tf.add([1, 2], 3).tolist()\n    [4, 5]",
    uint64="wrap",
)
subtract = _binary(
    operator.sub,
    "subtract",
    "Returns x - y elementwise.",
    ">>> tf.subtract(5, [1, 2]).tolist()\n    [4, 3]",
    uint64="wrap",
)
multiply = _binary(
    operator.mul,
    "multiply",
    "Returns x * y elementwise.",
    ">>> tf.multiply([1.0, 2.0], 2).tolist()\n    [2.0, 4.0]",
    uint64="wrap",
)
truediv = _binary(
    _true_div,
    "truediv",
    "Returns x / y elementwise; integer inputs give floats (int32 -> float64, as in TF).",
    ">>> tf.math.truediv([1, 2], 2).tolist()\n    [0.5, 1.0]",
)
divide = _binary(
    _true_div,
    "divide",
    "Returns x / y elementwise; integer inputs give floats (int32 -> float64, as in TF).",
    ">>> tf.divide(1.0, [2.0, 4.0]).tolist()\n    [0.5, 0.25]",
)
realdiv = _binary(
    operator.truediv,
    "realdiv",
    "Returns x / y elementwise for real types.",
    ">>> tf.math.realdiv([1.0], [4.0]).tolist()\n    [0.25]",
)


def _floordiv(x, y):
    # No gradient, as TensorFlow's FloorDiv (torch's backward raises for it).
    x, y = _no_grad_input(x), _no_grad_input(y)
    out = operator.floordiv(x, y)
    if out.is_floating_point():
        # TF's float FloorDiv is floor(x / y); torch's (Python's) corrects for the rounding
        # of x / y, so 7.0 // 0.1 is 69 there but 70 in TF, and -1 // inf is -1, not -0.
        return torch.floor(torch.true_divide(x, y)).to(out.dtype)
    return out


floordiv = _binary(
    _floordiv,
    "floordiv",
    "Returns floor(x / y) elementwise (rounding toward negative infinity).",
    ">>> tf.math.floordiv([-7, 7], 2).tolist()\n    [-4, 3]",
)
floormod = _binary(
    torch.remainder,
    "floormod",
    "Returns the remainder of floor division; its sign follows the divisor y.",
    ">>> tf.math.floormod([-7, 7], 3).tolist()\n    [2, 1]",
)
mod = floormod
truncatediv = _binary(
    _truncatediv,
    "truncatediv",
    "Returns x / y rounded toward zero.",
    ">>> tf.math.truncatediv([-7, 7], 2).tolist()\n    [-3, 3]",
)
truncatemod = _binary(
    _truncatemod,
    "truncatemod",
    "Returns the remainder of division rounded toward zero; its sign follows x.",
    ">>> tf.math.truncatemod([-7, 7], 3).tolist()\n    [-1, 1]",
)
pow = _binary(
    operator.pow, "pow", "Returns x ** y elementwise.", ">>> tf.pow([2, 3], 2).tolist()\n    [4, 9]"
)


def _tf_extreme(torch_op, take_x):
    """torch.maximum/minimum with TensorFlow's gradient at ties.

    TensorFlow sends the whole gradient to `x` where x == y (`tf.maximum(x, 0.0)` at
    x = 0 has gradient 1); torch splits it in halves. Only differentiable calls pay for
    the select; NaN in either input still gives NaN, as in both libraries.
    """

    def op(x, y):
        if not torch.is_grad_enabled() or not (x.requires_grad or y.requires_grad):
            return torch_op(x, y)
        keep_x = take_x(x, y) | torch.isnan(x)
        return torch.where(keep_x, x, y)

    op.__name__ = torch_op.__name__
    return op


maximum = _binary(
    _tf_extreme(torch.maximum, torch.ge),
    "maximum",
    "Returns the elementwise maximum of x and y.",
    ">>> tf.maximum([1, 5], 3).tolist()\n    [3, 5]",
    tensors=True,
    uint64="order",
)
minimum = _binary(
    _tf_extreme(torch.minimum, torch.le),
    "minimum",
    "Returns the elementwise minimum of x and y.",
    ">>> tf.minimum([1, 5], 3).tolist()\n    [1, 3]",
    tensors=True,
    uint64="order",
)
squared_difference = _binary(
    _squared_difference,
    "squared_difference",
    "Returns (x - y)**2 elementwise.",
    ">>> tf.math.squared_difference([1.0, 4.0], 2.0).tolist()\n    [1.0, 4.0]",
)
_atan2 = _binary(
    torch.atan2,
    "atan2",
    "Returns the angle atan(y / x) with the quadrant from the signs; called as atan2(y, x).",
    ">>> round(float(tf.math.atan2(1.0, 1.0)), 4)\n    0.7854",
    tensors=True,
)


def atan2(y, x, name: str | None = None) -> torch.Tensor:
    """Returns the angle atan(y / x) with the quadrant from the signs of `y` and `x`.

    Args:
        y: a float tensor-like value (the numerator).
        x: a float tensor-like value (the denominator), broadcast against `y`.
        name: unused.

    Returns:
        A tensor of the broadcast shape, in radians in [-pi, pi].

    Example:
    >>> round(float(tf.math.atan2(y=1.0, x=0.0)), 4)
    1.5708
    """
    # TF names the operands y, x: keyword calls must keep that meaning.
    return _atan2(y, x, name)


xlogy = _binary(
    _xlogy,
    "xlogy",
    "Returns x * log(y), and 0 where x == 0.",
    ">>> tf.math.xlogy([0.0, 1.0], [0.0, 1.0]).tolist()\n    [0.0, 0.0]",
    tensors=True,
)
xdivy = _binary(
    _xdivy,
    "xdivy",
    "Returns x / y, and 0 where x == 0.",
    ">>> tf.math.xdivy([0.0, 1.0], [0.0, 2.0]).tolist()\n    [0.0, 0.5]",
)
divide_no_nan = _binary(
    _divide_no_nan,
    "divide_no_nan",
    "Returns x / y, and 0 where y == 0 (with a finite gradient there).",
    ">>> tf.math.divide_no_nan([1.0, 1.0], [0.0, 2.0]).tolist()\n    [0.0, 0.5]",
)
multiply_no_nan = _binary(
    _multiply_no_nan,
    "multiply_no_nan",
    "Returns x * y, and 0 where y == 0 even if x is inf or nan.",
    ">>> tf.math.multiply_no_nan([float('inf')], [0.0]).tolist()\n    [0.0]",
)
equal = _binary(
    operator.eq,
    "equal",
    "Returns the truth of x == y elementwise.",
    ">>> tf.equal([1, 2], 2).tolist()\n    [False, True]",
)
not_equal = _binary(
    operator.ne,
    "not_equal",
    "Returns the truth of x != y elementwise.",
    ">>> tf.not_equal([1, 2], 2).tolist()\n    [True, False]",
)
greater = _binary(
    operator.gt,
    "greater",
    "Returns the truth of x > y elementwise.",
    ">>> tf.greater([1, 3], 2).tolist()\n    [False, True]",
    uint64="order",
)
greater_equal = _binary(
    operator.ge,
    "greater_equal",
    "Returns the truth of x >= y elementwise.",
    ">>> tf.greater_equal([1, 2], 2).tolist()\n    [False, True]",
    uint64="order",
)
less = _binary(
    operator.lt,
    "less",
    "Returns the truth of x < y elementwise.",
    ">>> tf.less([1, 3], 2).tolist()\n    [True, False]",
    uint64="order",
)
less_equal = _binary(
    operator.le,
    "less_equal",
    "Returns the truth of x <= y elementwise.",
    ">>> tf.less_equal([2, 3], 2).tolist()\n    [True, False]",
    uint64="order",
)
logical_and = _binary(
    torch.logical_and,
    "logical_and",
    "Returns x AND y elementwise.",
    ">>> tf.logical_and([True, True], [True, False]).tolist()\n    [True, False]",
    tensors=True,
)
logical_or = _binary(
    torch.logical_or,
    "logical_or",
    "Returns x OR y elementwise.",
    ">>> tf.logical_or([True, False], [False, False]).tolist()\n    [True, False]",
    tensors=True,
)
logical_xor = _binary(
    torch.logical_xor,
    "logical_xor",
    "Returns x XOR y elementwise.",
    ">>> tf.math.logical_xor([True, True], [True, False]).tolist()\n    [False, True]",
    tensors=True,
)


def scalar_mul(scalar, x, name: str | None = None) -> torch.Tensor:
    """Multiplies a tensor by a scalar, keeping the tensor's dtype.

    Args:
        scalar: a Python number or 0-D tensor.
        x: a tensor-like value.
        name: unused.

    Returns:
        `scalar * x`.

    Example:
    >>> tf.math.scalar_mul(2, [1.0, 2.0]).tolist()
    [2.0, 4.0]
    """
    del name
    # As TensorFlow: x converts first and the scalar takes its dtype (a NumPy scalar is
    # cast, a Python float for an int tensor raises TypeError).
    x = _t(x)
    if isinstance(scalar, torch.Tensor):
        # A tensor scalar stays in the graph (a trainable weight `w[i, j]` scaling a
        # product, as DeepCTR's FwFM does, gets its gradient); TF refuses other dtypes.
        if scalar.dim() != 0:
            raise ValueError(
                f"tf.math.scalar_mul: the input scalar must be a 0-D value. Received shape "
                f"{tuple(scalar.shape)}. Pass `tf.reshape(scalar, [])` or use tf.multiply to "
                "broadcast."
            )
        if scalar.dtype != x.dtype:
            raise ValueError(
                f"tf.math.scalar_mul: the scalar has dtype {str(scalar.dtype)[6:]} but x has "
                f"dtype {str(x.dtype)[6:]}; TensorFlow converts the scalar to x's dtype and "
                "refuses a tensor of another dtype. Cast it first: tf.cast(scalar, x.dtype)."
            )
        return multiply(scalar, x)
    if np.ndim(scalar) != 0:
        raise ValueError(
            f"tf.math.scalar_mul: the input scalar must be a 0-D value. Received shape "
            f"{np.shape(scalar)}. Use tf.multiply to broadcast."
        )
    return multiply(scalar if isinstance(scalar, np.generic) else _scalar_value(scalar), x)


# ---------------------------------------------------------------- elementwise unary


def _sign(x: torch.Tensor) -> torch.Tensor:
    if x.is_complex():
        return torch.sgn(x)
    if x.is_floating_point():
        # torch.sign(nan) is 0; TensorFlow keeps NaN.
        return torch.where(torch.isnan(x), x, torch.sign(x))
    return torch.sign(x)


def _round(x: torch.Tensor) -> torch.Tensor:
    # torch.round rounds half to even, which is TensorFlow's rule too.
    return (
        x.clone()
        if not x.is_floating_point()
        else torch.round(x.detach() if x.requires_grad else x)
    )


def _no_grad_input(x):
    """`x` cut from the gradient graph: TensorFlow registers no gradient for rounding ops.

    `tape.gradient` then returns None through them, as in TF (torch's own backward gives
    zeros, and none at all for floor division).
    """
    return x.detach() if isinstance(x, torch.Tensor) and x.requires_grad else x


def _floor(x: torch.Tensor) -> torch.Tensor:
    return torch.floor(x.detach() if x.requires_grad else x)


def _ceil(x: torch.Tensor) -> torch.Tensor:
    return torch.ceil(x.detach() if x.requires_grad else x)


abs = _unary(
    torch.abs,
    "abs",
    "Returns |x| elementwise (the modulus for complex x).",
    ">>> tf.abs([-1, 2]).tolist()\n    [1, 2]",
)
negative = _unary(
    torch.neg,
    "negative",
    "Returns -x elementwise.",
    ">>> tf.negative([1, -2]).tolist()\n    [-1, 2]",
)
sign = _unary(
    _sign,
    "sign",
    "Returns -1, 0 or 1 by the sign of x (x / |x| for complex).",
    ">>> tf.sign([-3.0, 0.0, 2.0]).tolist()\n    [-1.0, 0.0, 1.0]",
)
sqrt = _unary(
    _zero_safe_grad.sqrt,
    "sqrt",
    "Returns the square root of x elementwise.",
    ">>> tf.sqrt([4.0]).tolist()\n    [2.0]",
)
rsqrt = _unary(
    _zero_safe_grad.rsqrt,
    "rsqrt",
    "Returns 1 / sqrt(x) elementwise.",
    ">>> tf.math.rsqrt([4.0]).tolist()\n    [0.5]",
)
square = _unary(
    torch.square, "square", "Returns x * x elementwise.", ">>> tf.square([3]).tolist()\n    [9]"
)
exp = _unary(
    torch.exp, "exp", "Returns e ** x elementwise.", ">>> tf.exp([0.0]).tolist()\n    [1.0]"
)
expm1 = _unary(
    torch.expm1,
    "expm1",
    "Returns e ** x - 1 elementwise, accurate near 0.",
    ">>> tf.math.expm1([0.0]).tolist()\n    [0.0]",
)
log = _unary(
    torch.log,
    "log",
    "Returns the natural logarithm of x elementwise.",
    ">>> tf.math.log([1.0]).tolist()\n    [0.0]",
)
log1p = _unary(
    torch.log1p,
    "log1p",
    "Returns log(1 + x) elementwise, accurate near 0.",
    ">>> tf.math.log1p([0.0]).tolist()\n    [0.0]",
)
sin = _unary(
    torch.sin, "sin", "Returns sin(x) elementwise.", ">>> tf.sin([0.0]).tolist()\n    [0.0]"
)
cos = _unary(
    torch.cos, "cos", "Returns cos(x) elementwise.", ">>> tf.cos([0.0]).tolist()\n    [1.0]"
)
tan = _unary(
    torch.tan, "tan", "Returns tan(x) elementwise.", ">>> tf.tan([0.0]).tolist()\n    [0.0]"
)
asin = _unary(
    torch.asin, "asin", "Returns arcsin(x) elementwise.", ">>> tf.asin([0.0]).tolist()\n    [0.0]"
)
acos = _unary(
    torch.acos, "acos", "Returns arccos(x) elementwise.", ">>> tf.acos([1.0]).tolist()\n    [0.0]"
)
atan = _unary(
    torch.atan, "atan", "Returns arctan(x) elementwise.", ">>> tf.atan([0.0]).tolist()\n    [0.0]"
)
sinh = _unary(
    torch.sinh, "sinh", "Returns sinh(x) elementwise.", ">>> tf.sinh([0.0]).tolist()\n    [0.0]"
)
cosh = _unary(
    torch.cosh, "cosh", "Returns cosh(x) elementwise.", ">>> tf.cosh([0.0]).tolist()\n    [1.0]"
)
tanh = _unary(
    torch.tanh, "tanh", "Returns tanh(x) elementwise.", ">>> tf.tanh([0.0]).tolist()\n    [0.0]"
)
asinh = _unary(
    torch.asinh,
    "asinh",
    "Returns arsinh(x) elementwise.",
    ">>> tf.asinh([0.0]).tolist()\n    [0.0]",
)
acosh = _unary(
    torch.acosh,
    "acosh",
    "Returns arcosh(x) elementwise.",
    ">>> tf.acosh([1.0]).tolist()\n    [0.0]",
)
atanh = _unary(
    torch.atanh,
    "atanh",
    "Returns artanh(x) elementwise.",
    ">>> tf.atanh([0.0]).tolist()\n    [0.0]",
)
sigmoid = _unary(
    torch.sigmoid,
    "sigmoid",
    "Returns 1 / (1 + exp(-x)) elementwise.",
    ">>> tf.sigmoid([0.0]).tolist()\n    [0.5]",
)
log_sigmoid = _unary(
    F.logsigmoid,
    "log_sigmoid",
    "Returns log(sigmoid(x)) elementwise, computed stably.",
    ">>> tf.math.log_sigmoid([0.0]).tolist()[0] < 0\n    True",
)
floor = _unary(
    _floor,
    "floor",
    "Returns the largest integer not greater than x.",
    ">>> tf.floor([1.5, -1.5]).tolist()\n    [1.0, -2.0]",
)
ceil = _unary(
    _ceil,
    "ceil",
    "Returns the smallest integer not less than x.",
    ">>> tf.math.ceil([1.5, -1.5]).tolist()\n    [2.0, -1.0]",
)
round = _unary(
    _round,
    "round",
    "Rounds to the nearest integer, halves to even (banker's rounding).",
    ">>> tf.round([0.5, 1.5, 2.5]).tolist()\n    [0.0, 2.0, 2.0]",
)
rint = _unary(
    _round,
    "rint",
    "Rounds to the nearest integer, halves to even.",
    ">>> tf.math.rint([2.5]).tolist()\n    [2.0]",
)
reciprocal = _unary(
    _zero_safe_grad.reciprocal,
    "reciprocal",
    "Returns 1 / x elementwise.",
    ">>> tf.math.reciprocal([4.0]).tolist()\n    [0.25]",
)
erf = _unary(
    torch.erf,
    "erf",
    "Returns the Gauss error function of x.",
    ">>> tf.math.erf([0.0]).tolist()\n    [0.0]",
)
erfc = _unary(
    torch.erfc, "erfc", "Returns 1 - erf(x).", ">>> tf.math.erfc([0.0]).tolist()\n    [1.0]"
)
erfinv = _unary(
    torch.erfinv,
    "erfinv",
    "Returns the inverse error function of x.",
    ">>> tf.math.erfinv([0.0]).tolist()\n    [0.0]",
)
lgamma = _unary(
    torch.lgamma,
    "lgamma",
    "Returns log|Gamma(x)| elementwise.",
    ">>> tf.math.lgamma([1.0]).tolist()\n    [0.0]",
)


def _digamma(x):
    out = torch.digamma(x)
    if not out.is_floating_point():
        return out
    # TF gives NaN at the poles (0, -0, -1, ...); torch gives -inf/inf at 0 and -0.
    return torch.where(_at_pole(x), torch.nan, out)


def _at_pole(x) -> torch.Tensor:
    """Where `x` is 0 or a negative integer (the poles of digamma and polygamma)."""
    return (x <= 0) & (x == torch.floor(x))


digamma = _unary(
    _digamma,
    "digamma",
    "Returns the derivative of lgamma.",
    ">>> round(float(tf.math.digamma(1.0)), 4)\n    -0.5772",
)
is_nan = _unary(
    torch.isnan,
    "is_nan",
    "Returns True where x is NaN.",
    ">>> tf.math.is_nan([1.0, float('nan')]).tolist()\n    [False, True]",
)
is_inf = _unary(
    torch.isinf,
    "is_inf",
    "Returns True where x is +inf or -inf.",
    ">>> tf.math.is_inf([1.0, float('inf')]).tolist()\n    [False, True]",
)
is_finite = _unary(
    torch.isfinite,
    "is_finite",
    "Returns True where x is neither inf nor NaN.",
    ">>> tf.math.is_finite([1.0, float('inf')]).tolist()\n    [True, False]",
)
logical_not = _unary(
    torch.logical_not,
    "logical_not",
    "Returns NOT x elementwise.",
    ">>> tf.logical_not([True, False]).tolist()\n    [False, True]",
)


def _conj(x: torch.Tensor) -> torch.Tensor:
    # torch.conj_physical gives a real input back; a variable's read is a snapshot.
    out = torch.conj_physical(x)
    return out.clone() if out is x and isinstance(x, _Variable) else out


conj = _unary(
    _conj,
    "conj",
    "Returns the complex conjugate (real x is returned unchanged).",
    ">>> tf.math.conj([1.0]).tolist()\n    [1.0]",
)


def _real(x: torch.Tensor) -> torch.Tensor:
    # torch.real gives a real input back (a complex one: a view); a variable's read is a
    # snapshot, as TensorFlow's (see array._snapshot).
    out = torch.real(x)
    return _snapshot(out) if isinstance(x, _Variable) else out


_real_op = _unary(
    _real, "real", "Returns the real part of x.", ">>> tf.math.real([1.0]).tolist()\n    [1.0]"
)


def real(input, name: str | None = None) -> torch.Tensor:
    """Returns the real part of a tensor (the tensor itself for real input).

    Args:
        input: a tensor-like value.
        name: unused.

    Returns:
        A real tensor of the same shape.

    Example:
    >>> tf.math.real(input=[1.0]).tolist()
    [1.0]
    """
    return _real_op(input, name)


def imag(input, name: str | None = None) -> torch.Tensor:
    """Returns the imaginary part of a tensor (zeros for real input).

    Args:
        input: a tensor-like value.
        name: unused.

    Returns:
        A real tensor of the same shape.

    Example:
    >>> tf.math.imag([1.0]).tolist()
    [0.0]
    """
    del name
    x = _t(input)
    return torch.imag(x) if x.is_complex() else torch.zeros_like(x)


def _complex(real, imag, name: str | None = None) -> torch.Tensor:
    """`tf.complex` (top level only: TF has no `tf.math.complex`).

    Builds a complex tensor from its real and imaginary parts (`tf.complex`).

    Both parts must have the same dtype, float32 (giving complex64) or float64 (giving
    complex128); they broadcast against each other. Gradients flow to both parts.

    Args:
        real: a float32 or float64 tensor-like value.
        imag: a tensor-like value of the same dtype as `real`.
        name: unused.

    Returns:
        A complex64 or complex128 tensor.

    Example:
    >>> tf.complex([1.0, 2.0], [3.0, 4.0]).tolist()
    [(1+3j), (2+4j)]
    """
    del name
    real_t, imag_t = _t(real), _t(imag)
    if real_t.dtype != imag_t.dtype or real_t.dtype not in (torch.float32, torch.float64):
        raise TypeError(
            f"The `real` and `imag` components have incorrect types: "
            f"{dtype_name(real_t.dtype)} {dtype_name(imag_t.dtype)}. They must be consistent, "
            "and one of [tf.float32, tf.float64]"
        )
    real_t, imag_t = torch.broadcast_tensors(real_t, imag_t)
    return torch.complex(real_t, imag_t)


_complex.__name__ = _complex.__qualname__ = "complex"  # exported as tf.complex


def softplus(features, name: str | None = None) -> torch.Tensor:
    """Returns log(exp(features) + 1), computed stably.

    Args:
        features: a float tensor-like value.
        name: unused.

    Returns:
        A tensor of the same shape and dtype.

    Example:
    >>> round(float(tf.math.softplus(0.0)), 4)
    0.6931
    """
    del name
    return F.softplus(_float(features, "softplus"))


def softsign(features, name: str | None = None) -> torch.Tensor:
    """Returns features / (|features| + 1).

    Args:
        features: a float tensor-like value.
        name: unused.

    Returns:
        A tensor of the same shape and dtype.

    Example:
    >>> tf.math.softsign([1.0]).tolist()
    [0.5]
    """
    del name
    return F.softsign(_float(features, "softsign"))


def _float(value, opname: str) -> torch.Tensor:
    x = _t(value)
    if not (x.is_floating_point() or x.is_complex()):
        raise TypeError(
            f"{opname} expects a floating point tensor, got {dtype_name(x.dtype)}. "
            "Cast it first, e.g. tf.cast(x, tf.float32)."
        )
    return x


def softmax(logits, axis=None, name: str | None = None) -> torch.Tensor:
    """Computes softmax activations: exp(logits) / sum(exp(logits), axis).

    Args:
        logits: a float tensor.
        axis: the dimension to normalize over (default -1).
        name: unused.

    Returns:
        A tensor of the same shape whose slices along `axis` sum to 1.

    Example:
    >>> tf.nn.softmax([0.0, 0.0]).tolist()
    [0.5, 0.5]
    """
    del name
    x = _float(logits, "softmax")
    return torch.softmax(x, dim=-1 if axis is None else int(axis))


def log_softmax(logits, axis=None, name: str | None = None) -> torch.Tensor:
    """Computes log(softmax(logits)) stably.

    Args:
        logits: a float tensor.
        axis: the dimension to normalize over (default -1).
        name: unused.

    Returns:
        A tensor of the same shape.

    Example:
    >>> round(tf.nn.log_softmax([0.0, 0.0]).tolist()[0], 4)
    -0.6931
    """
    del name
    x = _float(logits, "log_softmax")
    return torch.log_softmax(x, dim=-1 if axis is None else int(axis))


# dtype-like values tf.cast has seen (names, NumPy types, ...) -> dtypes: as_dtype of a
# NumPy type costs microseconds, and tf.cast runs on every call of many layers.
_CAST_TARGETS: dict = {}


def _cast_target(dtype):
    # Keyed with the type too: np.dtype("float64") == float, but float means float32.
    key = (dtype.__class__, dtype)
    try:
        return _CAST_TARGETS[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable dtype-like value
        return as_dtype(dtype)
    target = as_dtype(dtype)
    if len(_CAST_TARGETS) < 256:
        _CAST_TARGETS[key] = target
    return target


def cast(x, dtype, name: str | None = None) -> torch.Tensor:
    """Casts a tensor to a new dtype.

    Float to integer truncates toward zero; complex to real keeps the real part;
    anything to bool is `x != 0`.

    Args:
        x: a tensor-like value.
        dtype: the target dtype.
        name: unused.

    Returns:
        A tensor of the target dtype.

    Example:
    >>> tf.cast([-1.7, 1.7], tf.int32).tolist()
    [-1, 1]
    """
    del name
    target = dtype if dtype.__class__ is torch.dtype else _cast_target(dtype)
    if isinstance(x, torch.Tensor):
        # The common case first: a torch tensor, a torch target dtype.
        if x.dtype is target:
            return x
        if target.__class__ is torch.dtype and not x.is_complex():
            return x.to(target)
        t = x
    elif isinstance(x, SparseTensor):
        # As TensorFlow: a SparseTensor keeps its structure, its values are cast.
        return SparseTensor(x.indices, cast(x.values, target), x.dense_shape)
    else:
        t = convert_to_tensor(x)
    if t.dtype == target:
        return t
    try:
        if t.is_complex() and not target.is_complex:
            t = t.real
        return t.to(target)
    except (AttributeError, TypeError):
        # A string tensor or the string dtype (checked here, off the common path).
        if isinstance(t, torch.Tensor) and isinstance(target, torch.dtype):
            raise
        raise _string_cast_error(t.dtype, target) from None


def _string_cast_error(source, target) -> Exception:
    """TensorFlow's UnimplementedError for a cast to or from strings (its kernel has none)."""
    from tork._backend.errors import UnimplementedError

    def tf_name(dtype) -> str:
        # TensorFlow's kernel names: float32 is "float", float64 "double".
        name = dtype_name(dtype)
        return {"float32": "float", "float64": "double"}.get(name, name)

    if dtype_name(source) == "string":
        hint = "Parse numbers with tf.strings.to_number(x, out_type=...) instead."
    else:
        hint = "Format numbers as strings with tf.strings.as_string(x) instead."
    return UnimplementedError(
        f"Cast {tf_name(source)} to {tf_name(target)} is not supported. {hint}"
    )


# ---------------------------------------------------------------- reductions


def _reduce_dims(x: torch.Tensor, axis):
    return _as_axes(axis, x.dim())


def _keep_all(out: torch.Tensor, ndim: int, keepdims) -> torch.Tensor:
    return out.reshape((1,) * ndim) if keepdims else out


def _acc_dtype(x: torch.Tensor):
    """dtype for sum/prod: TF keeps integer dtypes where torch widens them to int64."""
    if x.is_floating_point() or x.is_complex():
        return None
    return torch.int32 if x.dtype == torch.bool else x.dtype


def _reduction(
    kernel,
    opname: str,
    summary: str,
    example: str,
    *,
    details: str = "",
    value: str = "a tensor-like value.",
    returns: str = "The reduced tensor.",
    floats: str | None = None,
    no_axes=None,
    unsigned: str | None = None,
):
    """Builds a `tf.math.reduce_*` function: TF's signature and axis rules around `kernel`.

    `kernel(x, dims, keepdims)` reduces over `dims`: a tuple of non-negative axes, or None
    for all of them. An empty axis list reduces over nothing, so it never reaches the
    kernel: the result is `no_axes(x)`, or `x` itself when `no_axes` is None. `floats`,
    when given, is the name that the error for a non-float input shows. `unsigned`
    ("wrap" or "order", see `_signed_image`) computes uint16-uint64 inputs, which torch
    has no kernels for, on an int64 image.
    """

    def op(
        input_tensor, axis=None, keepdims: bool = False, name: str | None = None
    ) -> torch.Tensor:
        if floats is None:
            x = input_tensor if isinstance(input_tensor, torch.Tensor) else _t(input_tensor)
        else:
            x = _float(input_tensor, floats)
        dims = _as_axes(axis, x.dim())
        if dims == ():
            out = x if no_axes is None else no_axes(x)
            # Reducing over nothing gives the input back: a variable's read is a snapshot.
            return out.clone() if isinstance(out, _Variable) else out
        keep = builtins.bool(keepdims)
        try:
            # torch's unsigned gaps are retried on the failed path only.
            return _unsigned_retry(lambda v: kernel(v, dims, keep), x, unsigned)
        except TypeError as error:  # the failed path only: strings reach no torch kernel
            if not isinstance(x, StringTensor):
                raise
            raise InvalidArgumentError(
                f"{opname} cannot reduce a string tensor (shape {_shape_str(x.shape)}): it "
                "needs numbers. Join strings with tf.strings.reduce_join, or parse numbers "
                "with tf.strings.to_number first."
            ) from error

    op.__name__ = op.__qualname__ = opname
    op.__module__ = __name__
    details = f"\n    {details}\n" if details else ""
    op.__doc__ = f"""{summary}
{details}
    Args:
        input_tensor: {value}
        axis: None (all dimensions), an int or a list of ints.
        keepdims: keep reduced dimensions with size 1.
        name: unused.

    Returns:
        {returns}

    Example:
    {example}
    """
    return op


def _sum(x: torch.Tensor, dims, keep: builtins.bool) -> torch.Tensor:
    return torch.sum(x, dim=dims, keepdim=keep, dtype=_acc_dtype(x))


def _mean(x: torch.Tensor, dims, keep: builtins.bool) -> torch.Tensor:
    if x.is_floating_point() or x.is_complex():
        return torch.mean(x, dim=dims, keepdim=keep)
    if x.dtype == torch.bool:
        raise TypeError("reduce_mean does not take bool tensors; cast to float first.")
    total = torch.sum(x, dim=dims, keepdim=keep, dtype=torch.int64)
    count = x.numel() // builtins.max(total.numel(), 1) if x.numel() else 0
    return torch.div(total, builtins.max(count, 1), rounding_mode="trunc").to(x.dtype)


def _extreme_value(dtype: torch.dtype, lowest: builtins.bool):
    """The lowest (or highest) value of `dtype`: TF's max (min) over no elements."""
    if dtype == torch.bool:
        return not lowest
    if dtype.is_floating_point:
        return float("-inf") if lowest else float("inf")
    info = torch.iinfo(dtype)
    return info.min if lowest else info.max


def _empty_extreme(x: torch.Tensor, dims, keepdims, lowest: builtins.bool) -> torch.Tensor:
    """TF's result for max/min over no elements: the lowest/highest value of the dtype."""
    fill = _extreme_value(x.dtype, lowest)
    dims = tuple(range(x.dim())) if dims is None else dims
    shape = [1 if d in dims else s for d, s in enumerate(x.shape)]
    if not keepdims:
        shape = [s for d, s in enumerate(x.shape) if d not in dims]
    return torch.full(shape, fill, dtype=x.dtype, device=x.device)


def _extreme(fn, lowest: builtins.bool):
    def kernel(x: torch.Tensor, dims, keep: builtins.bool) -> torch.Tensor:
        if x.numel() == 0:
            return _empty_extreme(x, dims, keep, lowest=lowest)
        return fn(x, dim=() if dims is None else dims, keepdim=keep)

    return kernel


def _prod(x: torch.Tensor, dims, keep: builtins.bool) -> torch.Tensor:
    acc = _acc_dtype(x)
    if dims is None:
        return _keep_all(torch.prod(x, dtype=acc), x.dim(), keep)
    # torch.prod takes one dim at a time.
    out = x
    for d in sorted(set(dims), reverse=True):
        out = torch.prod(out, dim=d, keepdim=True, dtype=acc)
    return out if keep else out.squeeze(tuple(dims))


def _logical(fn):
    def kernel(x: torch.Tensor, dims, keep: builtins.bool) -> torch.Tensor:
        if dims is None:
            return _keep_all(fn(x), x.dim(), keep)
        return fn(x, dim=dims, keepdim=keep)

    return kernel


def _no_spread(x: torch.Tensor) -> torch.Tensor:
    return torch.zeros_like(x.real if x.is_complex() else x)


def _variance(x: torch.Tensor, dims, keep: builtins.bool) -> torch.Tensor:
    return torch.var(x, dim=dims, correction=0, keepdim=keep)


def _std(x: torch.Tensor, dims, keep: builtins.bool) -> torch.Tensor:
    # TF's sqrt gradient: 0 where the upstream is 0, so a constant row whose std is unused
    # (masked out of the loss) does not make every gradient NaN.
    return _zero_safe_grad.sqrt(_variance(x, dims, keep))


def _logsumexp(x: torch.Tensor, dims, keep: builtins.bool) -> torch.Tensor:
    if dims is None:
        dims = tuple(range(x.dim()))
    return torch.logsumexp(x, dim=dims, keepdim=keep)


def _euclidean_norm(x: torch.Tensor, dims, keep: builtins.bool) -> torch.Tensor:
    if x.is_floating_point() or x.is_complex():
        return torch.linalg.vector_norm(x, 2, dim=dims, keepdim=keep)
    total = torch.sum(x.double() ** 2, dim=dims, keepdim=keep)
    return torch.sqrt(total).to(x.dtype)


reduce_sum = _reduction(
    _sum,
    "reduce_sum",
    "Sums elements across dimensions.",
    ">>> tf.reduce_sum([[1, 2], [3, 4]], axis=0).tolist()\n    [4, 6]",
    returns="The reduced tensor; integer inputs keep their dtype.",
    unsigned="wrap",
)
reduce_mean = _reduction(
    _mean,
    "reduce_mean",
    "Averages elements across dimensions.",
    ">>> tf.reduce_mean([[1.0, 2.0], [3.0, 4.0]]).item()\n    2.5",
    details="Integer inputs give an integer mean (the sum divided by the count,\n"
    "    truncated toward zero), as in TensorFlow.",
)
reduce_max = _reduction(
    _extreme(torch.amax, lowest=True),
    "reduce_max",
    "Takes the maximum across dimensions.",
    ">>> tf.reduce_max([[1, 5], [3, 4]], axis=1).tolist()\n    [5, 4]",
    details="Ties share the gradient equally, as in TensorFlow.",
    unsigned="order",
)
reduce_min = _reduction(
    _extreme(torch.amin, lowest=False),
    "reduce_min",
    "Takes the minimum across dimensions.",
    ">>> tf.reduce_min([[1, 5], [3, 4]], axis=1).tolist()\n    [1, 3]",
    unsigned="order",
)
reduce_prod = _reduction(
    _prod,
    "reduce_prod",
    "Multiplies elements across dimensions.",
    ">>> tf.reduce_prod([[1, 2], [3, 4]], axis=1).tolist()\n    [2, 12]",
    returns="The reduced tensor; integer inputs keep their dtype.",
    unsigned="wrap",
)
reduce_any = _reduction(
    _logical(torch.any),
    "reduce_any",
    "Logical OR across dimensions.",
    ">>> tf.reduce_any([[True, False], [False, False]], axis=1).tolist()\n    [True, False]",
    value="a boolean tensor-like value.",
    returns="A boolean tensor.",
    no_axes=torch.Tensor.bool,
)
reduce_all = _reduction(
    _logical(torch.all),
    "reduce_all",
    "Logical AND across dimensions.",
    ">>> tf.reduce_all([[True, False], [True, True]], axis=1).tolist()\n    [False, True]",
    value="a boolean tensor-like value.",
    returns="A boolean tensor.",
    no_axes=torch.Tensor.bool,
)
reduce_variance = _reduction(
    _variance,
    "reduce_variance",
    "Population (biased) variance across dimensions: mean((x - mean(x))**2).",
    ">>> tf.math.reduce_variance([1.0, 3.0]).item()\n    1.0",
    value="a float tensor-like value.",
    returns="The reduced tensor (real for complex input).",
    floats="reduce_variance",
    no_axes=_no_spread,
)
reduce_std = _reduction(
    _std,
    "reduce_std",
    "Population (biased) standard deviation across dimensions.",
    ">>> tf.math.reduce_std([1.0, 3.0]).item()\n    1.0",
    value="a float tensor-like value.",
    floats="reduce_std",
    no_axes=_no_spread,
)
reduce_logsumexp = _reduction(
    _logsumexp,
    "reduce_logsumexp",
    "Computes log(sum(exp(x))) across dimensions, stably.",
    ">>> round(tf.reduce_logsumexp([0.0, 0.0]).item(), 4)\n    0.6931",
    value="a float tensor-like value.",
    floats="reduce_logsumexp",
)
reduce_euclidean_norm = _reduction(
    _euclidean_norm,
    "reduce_euclidean_norm",
    "Computes sqrt(sum(x**2)) across dimensions.",
    ">>> tf.math.reduce_euclidean_norm([3.0, 4.0]).item()\n    5.0",
    returns="The reduced tensor; integer inputs give a truncated integer norm.",
    no_axes=torch.abs,
)


def count_nonzero(
    input, axis=None, keepdims: bool | None = None, dtype=torch.int64, name: str | None = None
) -> torch.Tensor:
    """Counts the non-zero elements across dimensions.

    Args:
        input: a tensor-like value.
        axis: None (all dimensions), an int or a list of ints.
        keepdims: keep reduced dimensions with size 1.
        dtype: dtype of the count, int64 by default.
        name: unused.

    Returns:
        The counts.

    Example:
    >>> tf.math.count_nonzero([0, 3, 0, 1]).item()
    2
    """
    del name
    x = _t(input)
    dims = _reduce_dims(x, axis)
    if isinstance(x, StringTensor):
        # TF counts the non-empty strings.
        mask = torch.tensor(np.asarray(x) != b"", dtype=torch.bool).reshape(tuple(x.shape))
    else:
        mask = x != 0
    if dims == ():
        return mask.to(as_dtype(dtype))
    return torch.sum(mask, dim=dims, keepdim=builtins.bool(keepdims), dtype=as_dtype(dtype))


def argmax(input, axis=None, output_type=torch.int64, name: str | None = None) -> torch.Tensor:
    """Returns the index of the largest value along an axis (the first one on ties).

    Args:
        input: a tensor-like value.
        axis: the dimension to reduce (default 0).
        output_type: int64 (default) or int32.
        name: unused.

    Returns:
        An integer tensor.

    Example:
    >>> tf.argmax([[1, 9], [5, 2]], axis=1).tolist()
    [1, 0]
    """
    del name
    x = _t(input)
    if x.dtype == torch.bool:  # TF takes booleans; torch's kernel does not
        x = x.to(torch.uint8)
    elif x.dtype in _UNSIGNED:  # nor uint16-uint64: their order-keeping int64 image
        x = _signed_image(x, "order")
    dim = 0 if axis is None else int(_scalar_value(axis))
    try:
        out = torch.argmax(x, dim=dim)
    except IndexError as error:  # the failed path only: name the op, axis and shape
        raise _arg_axis_error(x, dim, "argmax") from error
    target = as_dtype(output_type)
    return out if target == torch.int64 else out.to(target)


def _arg_axis_error(x: torch.Tensor, dim: int, opname: str) -> InvalidArgumentError:
    n = x.dim()
    return InvalidArgumentError(
        f"{opname}: axis={dim} is out of range for a tensor of shape {_shape_str(x.shape)}; "
        f"expected a value in [{-n}, {n})."
    )


def argmin(input, axis=None, output_type=torch.int64, name: str | None = None) -> torch.Tensor:
    """Returns the index of the smallest value along an axis (the first one on ties).

    Args:
        input: a tensor-like value.
        axis: the dimension to reduce (default 0).
        output_type: int64 (default) or int32.
        name: unused.

    Returns:
        An integer tensor.

    Example:
    >>> tf.argmin([[1, 9], [5, 2]], axis=1).tolist()
    [0, 1]
    """
    del name
    x = _t(input)
    if x.dtype == torch.bool:  # TF takes booleans; torch's kernel does not
        x = x.to(torch.uint8)
    elif x.dtype in _UNSIGNED:  # nor uint16-uint64: their order-keeping int64 image
        x = _signed_image(x, "order")
    dim = 0 if axis is None else int(_scalar_value(axis))
    try:
        out = torch.argmin(x, dim=dim)
    except IndexError as error:  # the failed path only: name the op, axis and shape
        raise _arg_axis_error(x, dim, "argmin") from error
    target = as_dtype(output_type)
    return out if target == torch.int64 else out.to(target)


def _scan(x, axis, exclusive, reverse, fn, identity):
    # torch has no uint16-uint64 scans: retried on their int64 image (failed path only).
    return _unsigned_retry(
        lambda v: _scan_values(v, axis, exclusive, reverse, fn, identity), x, "wrap"
    )


def _scan_values(x, axis, exclusive, reverse, fn, identity):
    axis = int(_scalar_value(axis))
    if reverse:
        x = torch.flip(x, (axis,))
    out = fn(x, dim=axis, dtype=_acc_dtype(x))
    if exclusive and out.shape[axis]:  # an empty axis has nothing to shift
        first = torch.full_like(out.narrow(axis, 0, 1), identity)
        out = torch.cat([first, out.narrow(axis, 0, out.shape[axis] - 1)], dim=axis)
    if reverse:
        out = torch.flip(out, (axis,))
    return out


def cumsum(x, axis=0, exclusive=False, reverse=False, name: str | None = None) -> torch.Tensor:
    """Cumulative sum along an axis.

    Args:
        x: a tensor-like value.
        axis: the dimension to scan.
        exclusive: each output excludes its own element (starts from 0).
        reverse: scan from the end.
        name: unused.

    Returns:
        A tensor of the same shape and dtype.

    Example:
    >>> tf.cumsum([1, 2, 3], exclusive=True).tolist()
    [0, 1, 3]
    """
    del name
    return _scan(_t(x), axis, exclusive, reverse, torch.cumsum, 0)


def cumprod(x, axis=0, exclusive=False, reverse=False, name: str | None = None) -> torch.Tensor:
    """Cumulative product along an axis.

    Args:
        x: a tensor-like value.
        axis: the dimension to scan.
        exclusive: each output excludes its own element (starts from 1).
        reverse: scan from the end.
        name: unused.

    Returns:
        A tensor of the same shape and dtype.

    Example:
    >>> tf.math.cumprod([1, 2, 3]).tolist()
    [1, 2, 6]
    """
    del name
    return _scan(_t(x), axis, exclusive, reverse, torch.cumprod, 1)


# ---------------------------------------------------------------- sorting

TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])


def top_k(input, k=1, sorted=True, index_type=torch.int32, name: str | None = None) -> TopKV2:
    """Finds the k largest entries along the last dimension.

    Args:
        input: a tensor with last dimension at least k.
        k: number of entries to keep.
        sorted: return them in descending order.
        index_type: dtype of the indices, int32 by default.
        name: unused.

    Returns:
        A namedtuple `(values, indices)`.

    Example:
    >>> tf.math.top_k([1, 5, 3], k=2).indices.tolist()
    [1, 2]
    """
    del name
    x = _t(input)
    k = int(_scalar_value(k))
    n = x.shape[-1] if x.dim() else 0
    if x.dim() == 0 or k > n or k < 0:
        raise InvalidArgumentError(
            f"top_k: input of shape {_shape_str(x.shape)} must have at least k={k} entries "
            "in its last dimension."
        )
    if x.dtype in _UNSIGNED:  # torch has no topk kernel for uint16-uint64
        image = top_k(_signed_image(x, "order"), k, sorted, index_type)
        return TopKV2(_from_signed_image(image.values, x.dtype, "order"), image.indices)
    # TensorFlow breaks ties by the lower index; torch.topk gives no such guarantee (it
    # returns [2, 3] for the top 2 of [4, 0, 4, 4]). topk is several times faster than a
    # sort, so keep its answer when no tie can change it: no equal values among the k kept
    # and the k-th value occurring once. Otherwise take the head of a stable sort.
    if k and x.numel():
        values, indices = torch.topk(x, k, dim=-1, largest=True, sorted=True)
        if values_readable(values):
            tied = (values[..., 1:] == values[..., :-1]).any() or (
                (x == values[..., -1:]).sum(-1) > 1
            ).any()
            if not tied:
                return TopKV2(values, indices.to(as_dtype(index_type)))
    values, indices = torch.sort(x, dim=-1, descending=True, stable=True)
    return TopKV2(values[..., :k], indices[..., :k].to(as_dtype(index_type)))


def in_top_k(targets, predictions, k, name: str | None = None) -> torch.Tensor:
    """Says whether each target class is among the k highest predictions.

    Ties at the k-th place count as in the top k; a non-finite prediction for
    the target counts as not.

    Args:
        targets: integer class ids, shape (batch,).
        predictions: scores, shape (batch, classes).
        k: how many top entries to look at.
        name: unused.

    Returns:
        A boolean tensor of shape (batch,).

    Example:
    >>> tf.math.in_top_k([1], [[0.1, 0.5, 0.4]], 1).tolist()
    [True]
    """
    del name
    pred = _t(predictions)
    tgt = _t(targets).long().to(pred.device)
    # An out-of-range target is never in the top k (TensorFlow's rule); clamping first keeps
    # the gather in range (on a GPU a bad index is a fatal device-side assert).
    valid = (tgt >= 0) & (tgt < pred.shape[1])
    target_score = pred.gather(1, tgt.clamp(0, max(pred.shape[1] - 1, 0)).reshape(-1, 1))
    above = (pred > target_score).sum(dim=1)
    found = (above < int(_scalar_value(k))) & torch.isfinite(target_score.squeeze(1))
    return found & valid


def _direction(direction: str) -> builtins.bool:
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"direction must be 'ASCENDING' or 'DESCENDING', got {direction!r}.")
    return direction == "DESCENDING"


def sort(values, axis=-1, direction="ASCENDING", name: str | None = None) -> torch.Tensor:
    """Sorts a tensor along an axis.

    Args:
        values: a tensor-like value.
        axis: the dimension to sort.
        direction: `'ASCENDING'` or `'DESCENDING'`.
        name: unused.

    Returns:
        The sorted tensor.

    Example:
    >>> tf.sort([3, 1, 2], direction="DESCENDING").tolist()
    [3, 2, 1]
    """
    del name
    x = _t(values)
    return torch.sort(x, dim=int(axis), descending=_direction(direction), stable=True).values


def argsort(
    values, axis=-1, direction="ASCENDING", stable=False, name: str | None = None
) -> torch.Tensor:
    """Returns the int32 indices that sort a tensor along an axis.

    Args:
        values: a tensor-like value.
        axis: the dimension to sort.
        direction: `'ASCENDING'` or `'DESCENDING'`.
        stable: keep equal elements in their original order (always done).
        name: unused.

    Returns:
        An int32 tensor of the same shape.

    Example:
    >>> tf.argsort([3, 1, 2]).tolist()
    [1, 2, 0]
    """
    del name, stable
    x = _t(values)
    out = torch.sort(x, dim=int(axis), descending=_direction(direction), stable=True).indices
    return out.to(torch.int32)


# ---------------------------------------------------------------- products


def matmul(
    a,
    b,
    transpose_a=False,
    transpose_b=False,
    adjoint_a=False,
    adjoint_b=False,
    a_is_sparse=False,
    b_is_sparse=False,
    output_type=None,
    name: str | None = None,
) -> torch.Tensor:
    """Multiplies matrices: `a @ b` over the last two dimensions, batching the rest.

    Args:
        a: a tensor of rank >= 2.
        b: a tensor of rank >= 2 with the same dtype.
        transpose_a: transpose the last two dimensions of `a` first.
        transpose_b: transpose the last two dimensions of `b` first.
        adjoint_a: conjugate-transpose `a` first.
        adjoint_b: conjugate-transpose `b` first.
        a_is_sparse: unused.
        b_is_sparse: unused.
        output_type: optional dtype of the result.
        name: unused.

    Returns:
        A tensor of shape `batch + (a_rows, b_cols)`.

    Example:
    >>> tf.matmul(tf.ones((2, 3)), tf.ones((3, 4))).shape
    torch.Size([2, 4])
    """
    del a_is_sparse, b_is_sparse, name
    # As TensorFlow: `a` converts on its own, a non-tensor `b` to `a`'s dtype (a float64
    # NumPy matrix times a float32 tensor is float32); two tensors must agree.
    a = _t(a)
    b = _tensor_operand(b, a)
    if a.dim() < 2 or b.dim() < 2:
        raise ValueError(
            f"matmul needs tensors of rank >= 2, got shapes {_shape_str(a.shape)} and "
            f"{_shape_str(b.shape)}. Use tf.expand_dims to make a vector a matrix, or "
            "tf.tensordot / tf.linalg.matvec."
        )
    if (transpose_a and adjoint_a) or (transpose_b and adjoint_b):
        raise ValueError("matmul: only one of transpose_X and adjoint_X can be True.")
    if transpose_a or adjoint_a:
        a = a.mH if adjoint_a else a.mT
    if transpose_b or adjoint_b:
        b = b.mH if adjoint_b else b.mT
    try:
        out = torch.matmul(a, b)
    except RuntimeError as err:
        # TF's eager kernel raises InvalidArgumentError (a ValueError here too, so both
        # `except` forms catch it).
        if a.shape[-1] != b.shape[-2]:
            raise InvalidArgumentError(
                f"matmul: cannot multiply shapes {_shape_str(a.shape)} and {_shape_str(b.shape)}"
                f" (after transposes): the inner dimensions {a.shape[-1]} and {b.shape[-2]} "
                "differ."
            ) from err
        if a.dtype != b.dtype:
            raise TypeError(
                f"matmul: both inputs must have the same dtype, got {dtype_name(a.dtype)} and "
                f"{dtype_name(b.dtype)}. Cast one with tf.cast."
            ) from err
        raise InvalidArgumentError(
            f"matmul: cannot multiply shapes {_shape_str(a.shape)} and {_shape_str(b.shape)}: "
            f"the batch dimensions do not broadcast ({err})."
        ) from err
    return out if output_type is None else out.to(as_dtype(output_type))


def tensordot(a, b, axes, name: str | None = None) -> torch.Tensor:
    """Contracts `a` and `b` over the given axes.

    Args:
        a: a tensor-like value.
        b: a tensor-like value.
        axes: an int N (the last N axes of `a` with the first N of `b`), or a
            pair `[a_axes, b_axes]` of ints or lists of ints.
        name: unused.

    Returns:
        The contracted tensor.

    Example:
    >>> tf.tensordot(tf.ones((2, 3)), tf.ones((3, 4)), axes=1).shape
    torch.Size([2, 4])
    """
    del name
    a = _t(a)
    b = _like(b, a)
    if a.dtype != b.dtype:
        # TensorFlow converts both sides on their own; its MatMul then refuses the mix.
        raise InvalidArgumentError(
            f"tensordot: both inputs must have the same dtype, got {dtype_name(a.dtype)} and "
            f"{dtype_name(b.dtype)}. Cast one with tf.cast."
        )
    if isinstance(axes, torch.Tensor):
        axes = axes.tolist()
    if isinstance(axes, numbers.Integral):
        try:
            return torch.tensordot(a, b, dims=int(axes))
        except RuntimeError as error:  # the failed path only: say which axes and shapes
            n = int(axes)
            raise InvalidArgumentError(
                f"tensordot: axes={n} contracts the last {n} axes of shape "
                f"{_shape_str(a.shape)} with the first {n} axes of shape {_shape_str(b.shape)}, "
                "but their sizes differ. Transpose an input, or pass axes=[a_axes, b_axes]."
            ) from error
    a_axes, b_axes = axes
    a_axes = [int(a_axes)] if isinstance(a_axes, numbers.Integral) else [int(v) for v in a_axes]
    b_axes = [int(b_axes)] if isinstance(b_axes, numbers.Integral) else [int(v) for v in b_axes]
    if len(a_axes) != len(b_axes) or any(a.shape[i] != b.shape[j] for i, j in zip(a_axes, b_axes)):
        raise ValueError(
            f"tensordot: axes {a_axes} of shape {_shape_str(a.shape)} and axes {b_axes} of "
            f"shape {_shape_str(b.shape)} must have the same sizes."
        )
    return torch.tensordot(a, b, dims=(a_axes, b_axes))


def einsum(equation: str, *inputs, **kwargs) -> torch.Tensor:
    """Evaluates an Einstein summation, e.g. `'bij,bjk->bik'`.

    Args:
        equation: the subscripts, with optional `->output` and `...`.
        *inputs: the tensors.
        **kwargs: `name` (unused) and TensorFlow's `optimize` hint (ignored).

    Returns:
        The result tensor.

    Example:
    >>> tf.einsum('ij,jk->ik', tf.ones((2, 3)), tf.ones((3, 4))).shape
    torch.Size([2, 4])
    """
    kwargs.pop("name", None)
    kwargs.pop("optimize", None)
    if kwargs:
        raise TypeError(f"einsum got unexpected arguments {sorted(kwargs)}.")
    if len(inputs) == 1 and isinstance(inputs[0], (list, tuple)):
        inputs = tuple(inputs[0])
    # As TensorFlow: non-tensor operands take the dtype of the first tensor operand (or of
    # the first operand when none is a tensor).
    ref = next((v for v in inputs if isinstance(v, torch.Tensor)), None)
    if ref is None and inputs:
        ref = _t(inputs[0])
    tensors = [_tensor_operand(v, ref) for v in inputs]
    try:
        out = torch.einsum(equation, *tensors)
    except RuntimeError as err:
        shapes = ", ".join(_shape_str(t.shape) for t in tensors)
        raise ValueError(f"einsum {equation!r} failed for shapes {shapes}: {err}") from err
    # A summed int32 comes back from torch as int64; TensorFlow keeps the inputs' dtype.
    if tensors and not out.is_floating_point() and not out.is_complex():
        kind = tensors[0].dtype
        if out.dtype != kind and all(t.dtype == kind for t in tensors):
            out = out.to(kind)
    return out


# ---------------------------------------------------------------- clipping and norms


def clip_by_value(t, clip_value_min, clip_value_max, name: str | None = None) -> torch.Tensor:
    """Clips values into [clip_value_min, clip_value_max].

    Args:
        t: a tensor-like value.
        clip_value_min: lower bound (scalar or broadcastable tensor).
        clip_value_max: upper bound (scalar or broadcastable tensor).
        name: unused.

    Returns:
        The clipped tensor.

    Example:
    >>> tf.clip_by_value([-2.0, 0.5, 3.0], -1.0, 1.0).tolist()
    [-1.0, 0.5, 1.0]
    """
    del name
    x = _t(t)
    lo, hi = clip_value_min, clip_value_max
    # TensorFlow takes the minimum with the upper bound first, then the maximum with the
    # lower one, so where min > max the result is min (torch.clamp would give max).
    if isinstance(lo, torch.Tensor) or isinstance(hi, torch.Tensor) or np.ndim(lo) or np.ndim(hi):
        lo = _tensor_operand(lo, x).to(x.dtype)
        hi = _tensor_operand(hi, x).to(x.dtype)
        # tf.maximum/minimum's gradients at ties: `t` keeps its whole gradient at the
        # bounds, as TensorFlow's (torch.maximum would halve it there).
        return maximum(minimum(x, hi), lo)
    # Bounds take x's dtype as in TensorFlow: NumPy scalars are cast (an int tensor stays
    # int), Python floats for an int tensor raise TypeError.
    lo, hi = _operand(lo, x), _operand(hi, x)
    if lo > hi:
        return torch.clamp(x, max=hi).clamp(min=lo)
    return torch.clamp(x, lo, hi)


def clip_by_norm(t, clip_norm, axes=None, name: str | None = None) -> torch.Tensor:
    """Rescales `t` so its L2 norm (over `axes`) is at most `clip_norm`.

    Computes `t * clip_norm / max(norm(t), clip_norm)`; the gradient is finite
    at t = 0.

    Args:
        t: a float tensor-like value.
        clip_norm: the maximum norm (> 0).
        axes: None (the whole tensor), an int or a list of ints.
        name: unused.

    Returns:
        The clipped tensor.

    Example:
    >>> tf.clip_by_norm([3.0, 4.0], 1.0).tolist()
    [0.6000000238418579, 0.800000011920929]
    """
    del name
    x = _float(t, "clip_by_norm")
    dims = _reduce_dims(x, axes)
    sq = torch.sum(x * x, dim=dims, keepdim=True)
    positive = sq > 0
    # sqrt only where it is safe, so the gradient at zero stays finite.
    norm = torch.where(positive, torch.sqrt(torch.where(positive, sq, torch.ones_like(sq))), sq)
    c = clip_norm if isinstance(clip_norm, torch.Tensor) else _scalar_value(clip_norm)
    if isinstance(c, torch.Tensor):
        c = c.to(x.dtype)
        return x * c / torch.maximum(norm, c)
    return x * c / torch.clamp(norm, min=c)


def _global_norm(t_list) -> torch.Tensor:
    tensors = [_t(v) for v in t_list if v is not None]
    if not tensors:
        return torch.zeros(())
    norms = torch._foreach_norm(tensors)
    ref = tensors[0]
    squares = torch.stack([n.to(device=ref.device, dtype=ref.dtype) for n in norms]) ** 2
    return torch.sqrt(squares.sum())


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name: str | None = None):
    """Scales a list of tensors so that their joint L2 norm is at most `clip_norm`.

    Args:
        t_list: a list of tensors (None entries are kept as None).
        clip_norm: the maximum global norm.
        use_norm: optional precomputed global norm.
        name: unused.

    Returns:
        A tuple `(clipped_list, global_norm)`.

    Example:
    >>> clipped, norm = tf.clip_by_global_norm([tf.constant([3.0]), tf.constant([4.0])], 1.0)
    >>> norm.item()
    5.0
    """
    del name
    items = list(t_list)
    gnorm = _global_norm(items) if use_norm is None else _t(use_norm)
    c = _scalar_value(clip_norm)
    # clip_norm * min(1/norm, 1/clip_norm): an infinite or NaN norm gives NaN, as in TF.
    scale = c * torch.minimum(1.0 / gnorm, torch.tensor(1.0 / c, dtype=gnorm.dtype))
    # An infinite norm gives a scale of 0, which would zero the finite entries: TF makes
    # every entry NaN then.
    scale = torch.where(torch.isfinite(gnorm), scale, torch.full_like(scale, float("nan")))
    out = [None if v is None else _t(v) * scale.to(_t(v).dtype) for v in items]
    return out, gnorm


def l2_normalize(x, axis=None, epsilon=1e-12, name: str | None = None, dim=None) -> torch.Tensor:
    """Divides `x` by its L2 norm along `axis`: x / sqrt(max(sum(x**2), epsilon)).

    Args:
        x: a float tensor-like value.
        axis: None (the whole tensor), an int or a list of ints.
        epsilon: lower bound on the squared norm, avoiding division by zero.
        name: unused.
        dim: deprecated alias of `axis`.

    Returns:
        A tensor of the same shape.

    Example:
    >>> tf.math.l2_normalize([3.0, 4.0]).tolist()
    [0.6000000238418579, 0.800000011920929]
    """
    del name
    t = _float(x, "l2_normalize")
    axis = dim if axis is None else axis
    dims = _reduce_dims(t, axis)
    # |x|^2 for complex values (TF's l2_normalize of complex tensors works).
    sq = torch.sum((t * t.conj()).real if t.is_complex() else t * t, dim=dims, keepdim=True)
    return t * torch.rsqrt(torch.clamp(sq, min=epsilon))


def add_n(inputs, name: str | None = None) -> torch.Tensor:
    """Adds a list of tensors of the same shape and dtype elementwise.

    Args:
        inputs: a list of tensors.
        name: unused.

    Returns:
        Their sum.

    Example:
    >>> tf.add_n([[1, 2], [3, 4], [5, 6]]).tolist()
    [9, 12]
    """
    del name
    if isinstance(inputs, torch.Tensor):
        # TF iterates a tensor given as `inputs`: its rows are the summands
        # (add_n(t) of shape (n, ...) is reduce_sum(t, 0)); a scalar is not iterable.
        if inputs.dim() == 0:
            raise TypeError(
                "add_n: cannot iterate over a scalar tensor; inputs must be a list of "
                "tensors (or a tensor whose rows are summed). Wrap it: tf.add_n([x])."
            )
        inputs = list(inputs.unbind(0))
    tensors = [_t(v) for v in inputs]
    if not tensors:
        raise ValueError("add_n needs at least one tensor.")
    first = tensors[0]
    for i, v in enumerate(tensors[1:], start=1):
        if v.shape != first.shape:
            raise ValueError(
                f"add_n: all inputs must have the same shape, but input 0 has shape "
                f"{_shape_str(first.shape)} and input {i} has shape {_shape_str(v.shape)}."
            )
    if len(tensors) == 1:
        return first.clone()
    out = tensors[0] + tensors[1]
    for v in tensors[2:]:
        out = out.add_(v) if not out.requires_grad else out + v
    return out


# ---------------------------------------------------------------- segments and counts


def _scatter_extreme(out_shape, index, values, reduce: str) -> torch.Tensor:
    """`scatter_reduce` of `values` by `index` ("amax" or "amin") from the dtype's extremes.

    TensorFlow starts a max/min segment from the dtype's finite extreme (an empty segment
    of float32 holds -3.4028e38 for max). Reducing with include_self=True from that start
    also keeps torch from sharing a result's gradient with a start value equal to it, as
    include_self=False does (a segment whose maximum is 0 got half its gradient).
    """
    info = torch.finfo(values.dtype) if values.is_floating_point() else torch.iinfo(values.dtype)
    start = info.min if reduce == "amax" else info.max
    init = torch.full(out_shape, start, dtype=values.dtype, device=values.device)
    return init.scatter_reduce(0, index, values, reduce=reduce, include_self=True)


def _zero_empty_segments(out: torch.Tensor, ids: torch.Tensor, n: int) -> torch.Tensor:
    """`out` with the rows of the segments `ids` never names set to 0 (TF's sorted ops)."""
    empty = torch.bincount(ids, minlength=n) == 0
    return torch.where(empty.view((n,) + (1,) * (out.dim() - 1)), torch.zeros_like(out), out)


# How segment reductions of uint16-uint64 data (torch has no scatter kernels for them)
# run on an int64 image (see _signed_image); mean and sqrt_n have none.
_UNSIGNED_SEGMENT = {"sum": "wrap", "prod": "wrap", "amax": "order", "amin": "order"}


def _segment(data, segment_ids, num_segments, reduce: str):
    x = _t(data)
    return _unsigned_retry(
        lambda v: _segment_rows(v, segment_ids, num_segments, reduce),
        x,
        _UNSIGNED_SEGMENT.get(reduce),
    )


def _segment_rows(x: torch.Tensor, segment_ids, num_segments, reduce: str):
    ids = _t(segment_ids).long().to(x.device)
    n = int(_scalar_value(num_segments))
    rows = x.reshape((-1,) + tuple(x.shape[ids.dim() :]))
    flat = ids.reshape(-1)
    if flat.numel() and values_readable(flat):
        # Checked before torch indexes with them: on a GPU a bad id is a device-side assert
        # that breaks every later CUDA call of the process.
        lo, hi = (int(v) for v in torch.aminmax(flat))
        if hi >= n:
            raise InvalidArgumentError(
                f"segment_ids[{int((flat >= n).nonzero()[0])}] = {hi} is out of range [0, {n}): "
                f"there are num_segments={n} segments."
            )
        if lo < 0:
            # TensorFlow drops the rows of negative ids.
            keep = flat >= 0
            rows, flat = rows[keep], flat[keep]
    out_shape = (n,) + tuple(rows.shape[1:])
    if reduce == "sum":
        return torch.zeros(out_shape, dtype=x.dtype, device=x.device).index_add(0, flat, rows)
    index = flat.view((-1,) + (1,) * (rows.dim() - 1)).expand_as(rows)
    if reduce in ("mean", "sqrt_n"):
        if not (rows.is_floating_point() or rows.is_complex()):
            if reduce == "sqrt_n":
                raise TypeError(
                    f"unsorted_segment_sqrt_n expects floating point data, got "
                    f"{dtype_name(x.dtype)}. Cast it first, e.g. tf.cast(data, tf.float32)."
                )
            # TensorFlow sums integer segments and counts their rows in the data's dtype
            # (both wrap around), then divides as truediv: float32 for 8/16-bit ints,
            # float64 for 32/64-bit ones. int64 holds the sums before the wrap.
            wide = rows.to(torch.int64)
            total = torch.zeros(out_shape, dtype=torch.int64, device=x.device)
            total = total.index_add(0, flat, wide).to(x.dtype)
            count = torch.zeros(n, dtype=torch.int64, device=x.device)
            count = count.index_add(0, flat, torch.ones_like(flat))
            # Wrap the count to the data's dtype, then at least 1 (TF's maximum(n, 1)).
            count = count.to(x.dtype).to(torch.int64).clamp(min=1).to(x.dtype)
            return _true_div(total, count.view((n,) + (1,) * (rows.dim() - 1)))
        total = torch.zeros(out_shape, dtype=rows.dtype, device=x.device).index_add(0, flat, rows)
        count = torch.zeros(n, dtype=rows.dtype, device=x.device).index_add(
            0, flat, torch.ones(flat.shape, dtype=rows.dtype, device=x.device)
        )
        count = count.clamp(min=1).view((n,) + (1,) * (rows.dim() - 1))
        return total / (count if reduce == "mean" else count.sqrt())
    if reduce == "prod":
        init = torch.ones(out_shape, dtype=x.dtype, device=x.device)
        return init.scatter_reduce(0, index, rows, reduce="prod", include_self=True)
    # An empty segment holds -3.4028e38 (max) or 3.4028e38 (min) for float32, not -inf/inf.
    return _scatter_extreme(out_shape, index, rows, reduce)


def _unsorted_segment(reduce: str, opname: str, summary: str, example: str, *, details: str = ""):
    """Builds a `tf.math.unsorted_segment_*` function around `_segment(..., reduce)`."""

    def op(data, segment_ids, num_segments, name: str | None = None) -> torch.Tensor:
        return _segment(data, segment_ids, num_segments, reduce)

    op.__name__ = op.__qualname__ = opname
    op.__module__ = __name__
    kind = "a float tensor" if reduce == "mean" else "a tensor"
    details = f"\n    {details}\n" if details else ""
    op.__doc__ = f"""{summary}
{details}
    Args:
        data: {kind} whose leading dimensions match `segment_ids`.
        segment_ids: integer ids in [0, num_segments).
        num_segments: number of output rows.
        name: unused.

    Returns:
        A tensor of shape `(num_segments,) + data.shape[segment_ids.ndim:]`.

    Example:
    {example}
    """
    return op


unsorted_segment_sum = _unsorted_segment(
    "sum",
    "unsorted_segment_sum",
    "Sums the rows of `data` that share a segment id.",
    ">>> tf.math.unsorted_segment_sum([1, 2, 3], [0, 1, 0], 2).tolist()\n    [4, 2]",
)
unsorted_segment_mean = _unsorted_segment(
    "mean",
    "unsorted_segment_mean",
    "Averages the rows of `data` that share a segment id (0 for empty segments).",
    ">>> tf.math.unsorted_segment_mean([1.0, 2.0, 3.0], [0, 1, 0], 2).tolist()\n    [2.0, 2.0]",
)
unsorted_segment_sqrt_n = _unsorted_segment(
    "sqrt_n",
    "unsorted_segment_sqrt_n",
    "Sums the rows of `data` that share a segment id, divided by sqrt(rows in the segment).",
    ">>> tf.math.unsorted_segment_sqrt_n([1.0, 2.0, 3.0], [0, 1, 0], 2).tolist()\n"
    "    [2.8284270763397217, 2.0]",
    details="Empty segments hold 0.",
)
unsorted_segment_max = _unsorted_segment(
    "amax",
    "unsorted_segment_max",
    "Takes the maximum of the rows of `data` that share a segment id.",
    ">>> tf.math.unsorted_segment_max([1, 2, 3], [0, 1, 0], 2).tolist()\n    [3, 2]",
    details="Empty segments hold the lowest value of the dtype.",
)
unsorted_segment_min = _unsorted_segment(
    "amin",
    "unsorted_segment_min",
    "Takes the minimum of the rows of `data` that share a segment id.",
    ">>> tf.math.unsorted_segment_min([1, 2, 3], [0, 1, 0], 2).tolist()\n    [1, 2]",
    details="Empty segments hold the highest value of the dtype.",
)

unsorted_segment_prod = _unsorted_segment(
    "prod",
    "unsorted_segment_prod",
    "Multiplies the rows of `data` that share a segment id.",
    ">>> tf.math.unsorted_segment_prod([1, 2, 3], [0, 1, 0], 2).tolist()\n    [3, 2]",
    details="Empty segments hold 1 (the empty product).",
)


def _sorted_segment_count(x: torch.Tensor, segment_ids, opname: str) -> tuple[torch.Tensor, int]:
    """The ids as int64 on `x`'s device and the number of segments (the last id + 1).

    Checks what TensorFlow checks on the CPU: 1-D ids, one per row of `data`, that
    start at 0 or above and never decrease.
    """
    ids = _t(segment_ids)
    if ids.dim() != 1:
        raise InvalidArgumentError(
            f"{opname}: segment_ids must be a 1-D tensor (one id per row of data); got shape "
            f"{_shape_str(ids.shape)}."
        )
    rows = x.shape[0] if x.dim() else None
    if rows != ids.shape[0]:
        raise InvalidArgumentError(
            f"{opname}: segment_ids has {ids.shape[0]} entries but data of shape "
            f"{_shape_str(x.shape)} has {rows if rows is not None else 'no'} rows; give one "
            "segment id per row of data."
        )
    ids = ids.long()
    if ids.device != x.device:
        ids = ids.to(x.device)
    if not ids.numel():
        return ids, 0
    if not values_readable(ids):
        return ids, int(ids[-1]) + 1
    # One host read for the checks and the size: sorted ids end with the largest.
    decreasing = ids[1:] < ids[:-1]
    first, last, unsorted = torch.stack([ids[0], ids[-1], decreasing.any().long()]).tolist()
    if first < 0:
        raise InvalidArgumentError(
            f"{opname}: segment ids must be >= 0; segment_ids[0] = {first}. Use "
            f"tf.math.unsorted_{opname} to drop the rows of negative ids."
        )
    if unsorted:
        i = int(decreasing.nonzero()[0])
        a, b = ids[i : i + 2].tolist()
        raise InvalidArgumentError(
            f"{opname}: segment ids are not increasing: segment_ids[{i}] = {a} > "
            f"segment_ids[{i + 1}] = {b}. Sort them, or use tf.math.unsorted_{opname}."
        )
    return ids, last + 1


def _sorted_segment(data, segment_ids, reduce: str, opname: str) -> torch.Tensor:
    x = _t(data)
    mode = _UNSIGNED_SEGMENT.get(reduce)

    def compute(v: torch.Tensor) -> torch.Tensor:
        out = _sorted_segment_rows(v, segment_ids, reduce, opname)
        if v is not x and x.dtype == torch.uint64 and mode == "order":
            # On uint64's flipped image, empty segments must hold int64's lowest (0 after
            # flipping back), not the 0 the kernel writes.
            ids, n = _sorted_segment_count(x, segment_ids, opname)
            empty = (torch.bincount(ids, minlength=n) == 0).view((n,) + (1,) * (out.dim() - 1))
            out = torch.where(empty, _INT64_MIN, out)
        return out

    # torch's unsigned gaps are retried on the int64 image (failed path only).
    return _unsigned_retry(compute, x, mode)


def _sorted_segment_rows(x: torch.Tensor, segment_ids, reduce: str, opname: str) -> torch.Tensor:
    ids, n = _sorted_segment_count(x, segment_ids, opname)
    out_shape = (n,) + tuple(x.shape[1:])
    if reduce in ("sum", "mean"):
        # The ids were checked above: index_add directly, without `_segment`'s second read.
        total = torch.zeros(out_shape, dtype=x.dtype, device=x.device).index_add(0, ids, x)
        if reduce == "sum":
            return total
        count = torch.bincount(ids, minlength=n).clamp(min=1)
        count = count.view((n,) + (1,) * (x.dim() - 1)).to(x.dtype)
        if x.is_floating_point() or x.is_complex():
            return total / count
        # Integer data: TensorFlow divides in the integer dtype (truncating).
        return torch.div(total, count, rounding_mode="trunc")
    index = ids.view((-1,) + (1,) * (x.dim() - 1)).expand_as(x)
    if reduce == "prod":
        # Empty segments hold 1, the empty product.
        init = torch.ones(out_shape, dtype=x.dtype, device=x.device)
        return init.scatter_reduce(0, index, x, reduce="prod", include_self=True)
    if x.dtype == torch.bool:
        init = torch.zeros(out_shape, dtype=x.dtype, device=x.device)
        return init.scatter_reduce(0, index, x, reduce=reduce, include_self=False)
    # Empty segments hold 0 (TensorFlow's sorted ops), not the dtype's extreme value.
    return _zero_empty_segments(_scatter_extreme(out_shape, index, x, reduce), ids, n)


def _sorted_segment_op(reduce: str, opname: str, summary: str, empty: str, example: str):
    """Builds a `tf.math.segment_*` function around `_sorted_segment(..., reduce)`."""

    def op(data, segment_ids, name: str | None = None) -> torch.Tensor:
        return _sorted_segment(data, segment_ids, reduce, opname)

    op.__name__ = op.__qualname__ = opname
    op.__module__ = __name__
    op.__doc__ = f"""{summary}

    Row `i` of the output reduces the rows `j` of `data` with
    `segment_ids[j] == i`; there are `max(segment_ids) + 1` output rows.
    {empty}

    Args:
        data: a tensor; its first dimension matches `segment_ids`.
        segment_ids: sorted (non-decreasing) 1-D integer ids >= 0, one per row
            of `data`.
        name: unused.

    Returns:
        A tensor of `data`'s dtype and shape `(max(segment_ids) + 1,) + data.shape[1:]`.

    Raises:
        InvalidArgumentError: the ids are not 1-D, not one per row, negative or
            not sorted.

    Example:
    {example}
    """
    return op


segment_sum = _sorted_segment_op(
    "sum",
    "segment_sum",
    "Sums the rows of `data` by sorted segment ids.",
    "Empty segments hold 0.",
    ">>> tf.math.segment_sum([1, 2, 3], [0, 0, 1]).tolist()\n    [3, 3]",
)
segment_mean = _sorted_segment_op(
    "mean",
    "segment_mean",
    "Averages the rows of `data` by sorted segment ids.",
    "Empty segments hold 0; integer data is divided in its dtype (truncating), as TensorFlow.",
    ">>> tf.math.segment_mean([1.0, 2.0, 6.0], [0, 0, 1]).tolist()\n    [1.5, 6.0]",
)
segment_max = _sorted_segment_op(
    "amax",
    "segment_max",
    "Takes the maximum of the rows of `data` by sorted segment ids.",
    "Empty segments hold 0 (unlike `unsorted_segment_max`, whose empty segments hold the\n"
    "    dtype's lowest value).",
    ">>> tf.math.segment_max([1, 5, 3], [0, 0, 2]).tolist()\n    [5, 0, 3]",
)
segment_min = _sorted_segment_op(
    "amin",
    "segment_min",
    "Takes the minimum of the rows of `data` by sorted segment ids.",
    "Empty segments hold 0 (unlike `unsorted_segment_min`, whose empty segments hold the\n"
    "    dtype's highest value).",
    ">>> tf.math.segment_min([1, 5, 3], [0, 0, 2]).tolist()\n    [1, 0, 3]",
)
segment_prod = _sorted_segment_op(
    "prod",
    "segment_prod",
    "Multiplies the rows of `data` by sorted segment ids.",
    "Empty segments hold 1.",
    ">>> tf.math.segment_prod([2, 3, 4], [0, 0, 1]).tolist()\n    [6, 4]",
)


def bincount(
    arr,
    weights=None,
    minlength=None,
    maxlength=None,
    dtype=torch.int32,
    name: str | None = None,
    axis=None,
    binary_output=False,
) -> torch.Tensor:
    """Counts occurrences of each value in a non-negative integer tensor.

    Args:
        arr: non-negative integers.
        weights: optional weights, same shape as `arr`; sums them instead of counting.
        minlength: minimum length of the output.
        maxlength: values >= maxlength are ignored.
        dtype: dtype of the counts when `weights` is None.
        name: unused.
        axis: None or 0 counts over the flattened input; -1 counts each row of a 2-D
            input separately (output shape `(rows, length)`).
        binary_output: mark presence (1) instead of counting.

    Returns:
        A 1-D tensor, or 2-D for `axis=-1` on a 2-D input.

    Example:
    >>> tf.math.bincount([1, 1, 3]).tolist()
    [0, 2, 0, 1]
    >>> tf.math.bincount([[1, 2], [2, 0]], axis=-1).tolist()
    [[0, 1, 1], [1, 0, 1]]
    """
    del name
    if axis not in (None, 0, -1):
        raise ValueError(f"bincount supports axis=None, 0 or -1 only, got {axis}.")
    x = _t(arr)
    per_row = axis == -1 and x.dim() == 2
    if axis == -1 and x.dim() > 2:
        raise ValueError(
            f"bincount with axis=-1 needs a 1-D or 2-D input, got shape {_shape_str(x.shape)}."
        )
    rows = x.shape[0] if per_row else 1
    values = x.reshape(-1).long()
    w = None if weights is None else _t(weights).reshape(-1).to(values.device)
    if values.numel() and values_readable(values) and int(values.min()) < 0:
        raise InvalidArgumentError(
            f"bincount: input must be non-negative, got {int(values.min())}."
        )
    row_id = (
        torch.arange(rows, device=values.device).repeat_interleave(x.shape[1])
        if per_row
        else torch.zeros_like(values)
    )
    # TF sizes the output from the largest value before dropping those >= maxlength:
    # bincount([0, 4], maxlength=3) has length 3, not 1.
    length = int(values.max()) + 1 if values.numel() else 0
    length = builtins.max(length, int(minlength or 0))
    if maxlength is not None:
        keep = values < int(maxlength)
        values, row_id = values[keep], row_id[keep]
        w = None if w is None else w[keep]
    if maxlength is not None:
        length = builtins.min(length, int(maxlength))
    flat = row_id * length + values
    if binary_output:
        out = torch.zeros(rows * length, dtype=torch.int64, device=values.device)
        out = out.index_fill(0, flat, 1)
        target = as_dtype(dtype) if w is None else w.dtype
    elif w is None:
        out = torch.bincount(flat, minlength=rows * length)
        target = as_dtype(dtype)
    else:
        out = torch.zeros(rows * length, dtype=w.dtype, device=values.device)
        out = out.index_add(0, flat, w)
        target = w.dtype
    out = out.reshape(rows, length) if per_row else out
    return out.to(target)


def confusion_matrix(
    labels, predictions, num_classes=None, weights=None, dtype=torch.int32, name: str | None = None
) -> torch.Tensor:
    """Builds the confusion matrix: entry (i, j) counts label i predicted as j.

    Args:
        labels: 1-D integer labels.
        predictions: 1-D integer predictions, same length.
        num_classes: size of the matrix (default: max of both + 1).
        weights: optional per-example weights.
        dtype: dtype of the matrix.
        name: unused.

    Returns:
        A `(num_classes, num_classes)` tensor.

    Example:
    >>> tf.math.confusion_matrix([0, 1, 1], [0, 0, 1]).tolist()
    [[1, 0], [1, 1]]
    """
    del name
    lab = _t(labels).reshape(-1).long()
    pred = _t(predictions).reshape(-1).long().to(lab.device)
    if lab.shape != pred.shape:
        raise ValueError(
            f"confusion_matrix: labels {_shape_str(lab.shape)} and predictions "
            f"{_shape_str(pred.shape)} must have the same length."
        )
    if num_classes is None:
        n = int(builtins.max(lab.max().item(), pred.max().item())) + 1 if lab.numel() else 0
    else:
        n = int(_scalar_value(num_classes))
    target = as_dtype(dtype)
    # TF casts the weights to `dtype` before summing: float weights of an int32 matrix
    # truncate one by one (0.6 + 0.5 counts 0, not 1).
    w = None if weights is None else _t(weights).reshape(-1).to(lab.device, target).double()
    counts = torch.bincount(lab * n + pred, weights=w, minlength=n * n)
    return counts.reshape(n, n).to(target)


# ---------------------------------------------------------------- special functions and extras


def _float_input(value, opname: str) -> torch.Tensor:
    x = _t(value)
    if not (x.is_floating_point() or x.is_complex()):
        raise TypeError(
            f"{opname} expects a floating point tensor, got {dtype_name(x.dtype)}. "
            "Cast it first, e.g. tf.cast(x, tf.float32)."
        )
    return x


def _float_pair(x, y, opname: str):
    x, y = _tensor_operands(x, y)
    for v in (x, y):
        if not v.is_floating_point():
            raise TypeError(
                f"{opname} expects floating point tensors, got {dtype_name(v.dtype)}. "
                "Cast it first, e.g. tf.cast(x, tf.float32)."
            )
    return x, y


def _special_unary(fn, opname: str, summary: str, example: str):
    def op(x, name: str | None = None) -> torch.Tensor:
        return fn(_float_input(x, opname))

    op.__name__ = op.__qualname__ = opname
    op.__module__ = __name__
    op.__doc__ = f"""{summary}

    Args:
        x: a floating point tensor.
        name: unused.

    Returns:
        A tensor of the same shape and dtype.

    Example:
    {example}
    """
    return op


def _reciprocal_no_nan(x: torch.Tensor) -> torch.Tensor:
    zero = x == 0
    return torch.where(zero, torch.zeros_like(x), 1 / torch.where(zero, torch.ones_like(x), x))


def _erfcinv(x: torch.Tensor) -> torch.Tensor:
    # erfc(y) = 2 * Phi(-y * sqrt(2)), so erfcinv(x) = -ndtri(x / 2) / sqrt(2).
    return -torch.special.ndtri(x / 2) * (0.5**0.5)


reciprocal_no_nan = _special_unary(
    _reciprocal_no_nan,
    "reciprocal_no_nan",
    "Computes 1 / x, and 0 where x is 0.",
    ">>> tf.math.reciprocal_no_nan([0.0, 2.0]).tolist()\n    [0.0, 0.5]",
)
ndtri = _special_unary(
    torch.special.ndtri,
    "ndtri",
    "Computes the inverse of the standard normal CDF.",
    ">>> round(float(tf.math.ndtri([0.5])[0]), 6)\n    0.0",
)
erfcinv = _special_unary(
    _erfcinv,
    "erfcinv",
    "Computes the inverse of the complementary error function.",
    ">>> round(float(tf.math.erfcinv([0.1])[0]), 4)\n    1.1631",
)
bessel_i0 = _special_unary(
    torch.special.i0,
    "bessel_i0",
    "Computes the modified Bessel function of the first kind of order 0.",
    ">>> round(float(tf.math.bessel_i0([1.0])[0]), 4)\n    1.2661",
)
bessel_i0e = _special_unary(
    torch.special.i0e,
    "bessel_i0e",
    "Computes the exponentially scaled modified Bessel function of order 0.",
    ">>> round(float(tf.math.bessel_i0e([1.0])[0]), 4)\n    0.4658",
)
bessel_i1 = _special_unary(
    torch.special.i1,
    "bessel_i1",
    "Computes the modified Bessel function of the first kind of order 1.",
    ">>> float(tf.math.bessel_i1([0.0])[0])\n    0.0",
)
bessel_i1e = _special_unary(
    torch.special.i1e,
    "bessel_i1e",
    "Computes the exponentially scaled modified Bessel function of order 1.",
    ">>> float(tf.math.bessel_i1e([0.0])[0])\n    0.0",
)


def xlog1py(x, y, name: str | None = None) -> torch.Tensor:
    """Computes x * log1p(y), and 0 where x is 0.

    Args:
        x: a floating point tensor.
        y: a floating point tensor broadcastable with `x`.
        name: unused.

    Returns:
        The broadcast result.

    Example:
    >>> tf.math.xlog1py([0.0, 1.0], [-1.0, 0.0]).tolist()
    [0.0, 0.0]
    """
    del name
    x, y = _float_pair(x, y, "xlog1py")
    zero = x == 0
    # 0 where x == 0, also for a NaN y (TensorFlow; torch gives NaN); y is made safe
    # there first so that no NaN reaches the gradients either (TF's gradient is 0).
    y = torch.where(zero, torch.zeros_like(y), y)
    out = torch.special.xlog1py(x, y)
    return torch.where(zero, torch.zeros_like(out), out)


def igamma(a, x, name: str | None = None) -> torch.Tensor:
    """Computes the regularized lower incomplete gamma function P(a, x).

    Args:
        a: a floating point tensor, a > 0.
        x: a floating point tensor broadcastable with `a`, x >= 0.
        name: unused.

    Returns:
        The broadcast result.

    Example:
    >>> round(float(tf.math.igamma(1.0, 1.0)), 4)
    0.6321
    """
    del name
    a, x = _float_pair(a, x, "igamma")
    # TF's domain rules: P(a, 0) = 0 for any a, NaN for x < 0 or a <= 0 (torch gives 1
    # for a = 0).
    out = torch.where((x < 0) | (a <= 0), torch.nan, torch.special.gammainc(a, x))
    return torch.where(x == 0, 0.0, out)


def igammac(a, x, name: str | None = None) -> torch.Tensor:
    """Computes the regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x).

    Args:
        a: a floating point tensor, a > 0.
        x: a floating point tensor broadcastable with `a`, x >= 0.
        name: unused.

    Returns:
        The broadcast result.

    Example:
    >>> round(float(tf.math.igammac(1.0, 1.0)), 4)
    0.3679
    """
    del name
    a, x = _float_pair(a, x, "igammac")
    # TF's domain rule: NaN for x < 0 or a <= 0 (torch gives 0 for a = 0), and for a NaN a
    # (torch gives Q(nan, 0) = 1).
    bad = (x < 0) | (a <= 0) | torch.isnan(a)
    return torch.where(bad, torch.nan, torch.special.gammaincc(a, x))


def polygamma(a, x, name: str | None = None) -> torch.Tensor:
    """Computes the polygamma function of order `a` (a non-negative integer value).

    Args:
        a: the orders, a floating point tensor of whole numbers.
        x: a floating point tensor broadcastable with `a`.
        name: unused.

    Returns:
        The broadcast result.

    Example:
    >>> round(float(tf.math.polygamma(1.0, 1.0)), 6)
    1.644934
    """
    del name
    a, x = _float_pair(a, x, "polygamma")
    a, x = torch.broadcast_tensors(a, x)
    out = torch.empty_like(x)
    # torch.special.polygamma takes one integer order, so evaluate once per distinct order.
    for order in torch.unique(a).tolist():
        mask = a == order
        if order < 0 or order != int(order):
            out[mask] = float("nan")
        else:
            out[mask] = torch.special.polygamma(int(order), x[mask])
    # TF at the poles: NaN for even orders (digamma included), +inf for odd ones.
    return torch.where(_at_pole(x) & (torch.remainder(a, 2) == 0), torch.nan, out)


def lbeta(x, name: str | None = None) -> torch.Tensor:
    """Computes the log of the multivariate beta function over the last dimension.

    `lbeta(x) = sum(lgamma(x), -1) - lgamma(sum(x, -1))`.

    Args:
        x: a floating point tensor of rank >= 1.
        name: unused.

    Returns:
        A tensor with the last dimension removed.

    Example:
    >>> round(float(tf.math.lbeta([1.0, 2.0])), 6)
    -0.693147
    """
    del name
    x = _float_input(x, "lbeta")
    return torch.lgamma(x).sum(-1) - torch.lgamma(x.sum(-1))


def polyval(coeffs, x, name: str | None = None) -> torch.Tensor:
    """Evaluates a polynomial, highest power first: `coeffs[0] * x**(n-1) + ... + coeffs[-1]`.

    Args:
        coeffs: a list of tensors (or numbers), the polynomial's coefficients.
        x: a tensor.
        name: unused.

    Returns:
        The polynomial at `x` (zeros for an empty `coeffs`).

    Example:
    >>> float(tf.math.polyval([2.0, -1.0, 3.0], tf.constant(2.0)))
    9.0
    """
    del name
    x = _t(x)
    if isinstance(coeffs, torch.Tensor):
        coeffs = list(coeffs)
    if not coeffs:
        return torch.zeros_like(x)
    # Horner's scheme.
    out = _like(coeffs[0], x)
    for c in coeffs[1:]:
        out = out * x + _like(c, x)
    return out if out.shape == x.shape else torch.broadcast_to(out, x.shape).clone()


def accumulate_n(inputs, shape=None, tensor_dtype=None, name: str | None = None) -> torch.Tensor:
    """Adds a list of tensors elementwise (same as `tf.math.add_n`).

    Args:
        inputs: a list of tensors of the same shape and dtype.
        shape: optional expected shape (checked).
        tensor_dtype: optional expected dtype (checked).
        name: unused.

    Returns:
        Their sum.

    Example:
    >>> tf.math.accumulate_n([[1, 2], [3, 4]]).tolist()
    [4, 6]
    """
    out = add_n(inputs)
    if shape is not None and tuple(out.shape) != tuple(shape):
        raise ValueError(
            f"accumulate_n: inputs have shape {_shape_str(out.shape)}, not the given "
            f"shape {_shape_str(tuple(shape))}."
        )
    if tensor_dtype is not None and out.dtype != as_dtype(tensor_dtype):
        raise TypeError(
            f"accumulate_n: inputs have dtype {dtype_name(out.dtype)}, not the given "
            f"tensor_dtype {dtype_name(as_dtype(tensor_dtype))}."
        )
    return out


def nextafter(x1, x2, name: str | None = None) -> torch.Tensor:
    """Returns the next representable value of `x1` in the direction of `x2`.

    Args:
        x1: a float32 or float64 tensor.
        x2: a tensor of the same dtype, broadcastable with `x1`.
        name: unused.

    Returns:
        The broadcast result.

    Example:
    >>> bool(tf.math.nextafter(tf.constant(1.0), 2.0) > 1.0)
    True
    """
    del name
    x1, x2 = _float_pair(x1, x2, "nextafter")
    return torch.nextafter(x1, x2)


def cumulative_logsumexp(
    x, axis=0, exclusive=False, reverse=False, name: str | None = None
) -> torch.Tensor:
    """Computes log(cumsum(exp(x))) along an axis, without overflow.

    Args:
        x: a floating point tensor.
        axis: the dimension to scan.
        exclusive: leave out each element itself (the first output is -inf).
        reverse: scan from the end.
        name: unused.

    Returns:
        A tensor of the same shape.

    Example:
    >>> [round(v, 4) for v in tf.math.cumulative_logsumexp([0.0, 0.0]).tolist()]
    [0.0, 0.6931]
    """
    del name
    t = _float_input(x, "cumulative_logsumexp")
    axis = _as_axes(axis, t.dim())[0] if t.dim() else 0
    if reverse:
        t = torch.flip(t, (axis,))
    out = torch.logcumsumexp(t, dim=axis)
    if exclusive and out.shape[axis]:
        first = torch.full_like(out.narrow(axis, 0, 1), float("-inf"))
        out = torch.cat([first, out.narrow(axis, 0, out.shape[axis] - 1)], dim=axis)
    return torch.flip(out, (axis,)) if reverse else out


def invert_permutation(x, name: str | None = None) -> torch.Tensor:
    """Computes the inverse of a permutation: `y[x[i]] = i`.

    Args:
        x: a 1-D int32 or int64 tensor holding a permutation of 0..n-1.
        name: unused.

    Returns:
        A tensor of the same shape and dtype.

    Example:
    >>> tf.math.invert_permutation([2, 0, 1]).tolist()
    [1, 2, 0]
    """
    del name
    p = _t(x)
    if p.dim() != 1 or p.dtype not in (torch.int32, torch.int64):
        raise InvalidArgumentError(
            f"invert_permutation expects a 1-D int32/int64 tensor, got shape "
            f"{_shape_str(p.shape)} and dtype {dtype_name(p.dtype)}."
        )
    n = p.shape[0]
    if values_readable(p) and not torch.equal(
        torch.sort(p).values, torch.arange(n, dtype=p.dtype, device=p.device)
    ):
        raise InvalidArgumentError(f"invert_permutation: {p.tolist()} is not a permutation.")
    out = torch.empty_like(p)
    out[p.long()] = torch.arange(n, dtype=p.dtype, device=p.device)
    return out


def zero_fraction(value, name: str | None = None) -> torch.Tensor:
    """Returns the fraction of zeros in `value`, as a float32 scalar.

    Args:
        value: a tensor.
        name: unused.

    Returns:
        A float32 scalar.

    Example:
    >>> float(tf.math.zero_fraction([0.0, 1.0, 0.0, 2.0]))
    0.5
    """
    del name
    x = _t(value)
    return (x == 0).to(torch.float32).mean()


def angle(input, name: str | None = None) -> torch.Tensor:
    """Returns the argument (phase) of complex values; for real input, pi where x < 0 else 0.

    Args:
        input: a float or complex tensor.
        name: unused.

    Returns:
        A real tensor.

    Example:
    >>> tf.math.angle([1.0, -1.0]).tolist()
    [0.0, 3.1415927410125732]
    """
    del name
    x = _float_input(input, "angle")
    if not x.is_complex():
        # TF's real angle is where(x < 0, pi, 0): NaN gives 0 (torch.angle gives NaN).
        return torch.where(x < 0, torch.pi, 0.0).to(x.dtype)
    return torch.angle(x)


def _monotonic(x, strict: builtins.bool, opname: str) -> torch.Tensor:
    v = _t(x)
    if not isinstance(v, torch.Tensor) or v.dtype == torch.bool or v.is_complex():
        raise TypeError(
            f"tf.math.{opname}: x must be a real numeric tensor, got {dtype_name(v.dtype)}."
        )
    v = v.reshape(-1)
    steps = v[1:] > v[:-1] if strict else v[1:] >= v[:-1]
    return torch.all(steps)


def is_non_decreasing(x, name: str | None = None) -> torch.Tensor:
    """Returns True if `x` is non-decreasing, read in row-major order.

    Args:
        x: a real numeric tensor (any shape; empty and one-element tensors are True).
        name: unused.

    Returns:
        A boolean scalar tensor.

    Example:
    >>> bool(tf.math.is_non_decreasing([1, 2, 2]))
    True
    """
    del name
    return _monotonic(x, False, "is_non_decreasing")


def is_strictly_increasing(x, name: str | None = None) -> torch.Tensor:
    """Returns True if `x` is strictly increasing, read in row-major order.

    Args:
        x: a real numeric tensor (any shape; empty and one-element tensors are True).
        name: unused.

    Returns:
        A boolean scalar tensor.

    Example:
    >>> bool(tf.math.is_strictly_increasing([1, 2, 2]))
    False
    """
    del name
    return _monotonic(x, True, "is_strictly_increasing")


ApproxTopK = collections.namedtuple("ApproxTopK", ["values", "indices"])


def _approx_k(operand, k, reduction_dimension, largest: builtins.bool) -> ApproxTopK:
    x = _t(operand)
    dim = int(reduction_dimension)
    # Exact: TF's CPU kernel sorts too; ties keep the lower index first (stable sort).
    values, indices = torch.sort(x, dim=dim, descending=largest, stable=True)
    k = int(k)
    return ApproxTopK(values.narrow(dim, 0, k), indices.narrow(dim, 0, k).to(torch.int32))


def approx_max_k(
    operand,
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name: str | None = None,
) -> ApproxTopK:
    """Returns the `k` largest values of `operand` along `reduction_dimension`, and their indices.

    tork computes them exactly (recall 1), as TF's CPU kernel does; the approximation
    arguments are accepted and ignored.

    Args:
        operand: a tensor.
        k: how many values to keep.
        reduction_dimension: the dimension to search (default the last).
        recall_target: ignored.
        reduction_input_size_override: ignored.
        aggregate_to_topk: ignored.
        name: unused.

    Returns:
        A namedtuple `(values, indices)`, sorted largest first; indices are int32.

    Example:
    >>> tf.math.approx_max_k([[1.0, 5.0, 3.0]], 2).indices.tolist()
    [[1, 2]]
    """
    del recall_target, reduction_input_size_override, aggregate_to_topk, name
    return _approx_k(operand, k, reduction_dimension, True)


def approx_min_k(
    operand,
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name: str | None = None,
) -> ApproxTopK:
    """Returns the `k` smallest values of `operand` along `reduction_dimension`, and their indices.

    Computed exactly (see `approx_max_k`).

    Args:
        operand: a tensor.
        k: how many values to keep.
        reduction_dimension: the dimension to search (default the last).
        recall_target: ignored.
        reduction_input_size_override: ignored.
        aggregate_to_topk: ignored.
        name: unused.

    Returns:
        A namedtuple `(values, indices)`, sorted smallest first; indices are int32.

    Example:
    >>> tf.math.approx_min_k([[1.0, 5.0, 3.0]], 2).indices.tolist()
    [[0, 2]]
    """
    del recall_target, reduction_input_size_override, aggregate_to_topk, name
    return _approx_k(operand, k, reduction_dimension, False)


__all__ += [
    "accumulate_n",
    "angle",
    "bessel_i0",
    "bessel_i0e",
    "bessel_i1",
    "bessel_i1e",
    "cumulative_logsumexp",
    "erfcinv",
    "igamma",
    "igammac",
    "invert_permutation",
    "lbeta",
    "ndtri",
    "nextafter",
    "polygamma",
    "polyval",
    "reciprocal_no_nan",
    "xlog1py",
    "zero_fraction",
]


# ---------------------------------------------------------------- betainc, zeta, sobol_sample
# tf.math only (TensorFlow has no top-level tf.betainc), so they stay out of __all__.

from tork.ops import _special as special  # noqa: E402, F401 - tf.math.special


def _real_float(value, opname: str, what: str) -> torch.Tensor:
    x = _t(value)
    if x.dtype not in (torch.float32, torch.float64):
        raise InvalidArgumentError(
            f"tf.math.{opname}: {what} has dtype {dtype_name(x.dtype)}; it must be float32 or "
            "float64. Cast it with tf.cast."
        )
    return x


def _like_first_tensor(*values):
    """`values` with the non-tensors converted to the first tensor's dtype (or the first
    value's), as TF converts the inputs of its one-dtype kernels (zeta, betainc)."""
    ref = next((v for v in values if isinstance(v, torch.Tensor)), None)
    if ref is None:  # no tensor: the first value converts on its own, as in TF
        ref = _t(values[0])
        values = (ref,) + values[1:]
    return tuple(_tensor_operand(v, ref) for v in values)


def _same_float_dtype(opname: str, named: dict) -> None:
    names = list(named)
    first = named[names[0]]
    for other in names[1:]:
        if named[other].dtype != first.dtype:
            raise InvalidArgumentError(
                f"tf.math.{opname}: {names[0]} is {dtype_name(first.dtype)} but {other} is "
                f"{dtype_name(named[other].dtype)}; all inputs must have one dtype."
            )


def _betacf(a: torch.Tensor, b: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """The continued fraction of the incomplete beta function (modified Lentz), float64.

    Converges quickly where x < (a + 1) / (a + b + 2); the caller uses the symmetry
    I_x(a, b) = 1 - I_(1-x)(b, a) elsewhere. It needs about sqrt(max(a, b)) steps.
    """
    tiny = 1e-300

    def guard(v):
        return torch.where(v.abs() < tiny, torch.full_like(v, tiny), v)

    qab, qap, qam = a + b, a + 1, a - 1
    c = torch.ones_like(x)
    d = 1 / guard(1 - qab * x / qap)
    h = d
    for m in range(1, 5001):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 / guard(1 + aa * d)
        c = guard(1 + aa / c)
        h = h * d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 / guard(1 + aa * d)
        c = guard(1 + aa / c)
        step = d * c
        h = h * step
        if m % 8 == 0:
            if not values_readable(step):
                # Traced (symbolic inputs, torch.compile): no early exit; 300 steps cover
                # a and b up to ~1e4.
                if m >= 300:
                    break
            elif not bool(((step - 1).abs() > 1e-15).any()):
                break
    return h


def _betainc64(a: torch.Tensor, b: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    flip = x > (a + 1) / (a + b + 2)
    aa, bb = torch.where(flip, b, a), torch.where(flip, a, b)
    xx = torch.where(flip, 1 - x, x)
    inside = (xx > 0) & (xx < 1)
    xs = torch.where(inside, xx, torch.full_like(xx, 0.5))
    log_front = (
        torch.lgamma(aa + bb)
        - torch.lgamma(aa)
        - torch.lgamma(bb)
        + aa * torch.log(xs)
        + bb * torch.log1p(-xs)
    )
    part = torch.exp(log_front) * _betacf(aa, bb, xs) / aa
    part = torch.where(
        inside, part, torch.where(xx <= 0, torch.zeros_like(xx), torch.ones_like(xx))
    )
    out = torch.where(flip, 1 - part, part)
    bad = (a <= 0) | (b <= 0) | (x < 0) | (x > 1) | a.isnan() | b.isnan() | x.isnan()
    return torch.where(bad, torch.full_like(out, float("nan")), out)


class _Betainc(torch.autograd.Function):
    # TensorFlow differentiates betainc in x only; a and b get no gradient.
    @staticmethod
    def forward(ctx, x, a, b):
        ctx.save_for_backward(x, a, b)
        return _betainc64(a.double(), b.double(), x.double()).to(x.dtype)

    @staticmethod
    def backward(ctx, g):
        x, a, b = ctx.saved_tensors
        log_density = (
            (a - 1) * torch.log(x)
            + (b - 1) * torch.log1p(-x)
            - (torch.lgamma(a) + torch.lgamma(b) - torch.lgamma(a + b))
        )
        return g * torch.exp(log_density), None, None


def betainc(a, b, x, name: str | None = None) -> torch.Tensor:
    """Computes the regularized incomplete beta integral I_x(a, b).

    `I_x(a, b) = B(x; a, b) / B(a, b)` with `B(x; a, b) = int_0^x t^(a-1) (1-t)^(b-1) dt`.
    As in TensorFlow, `a`, `b` and `x` have the same shape or are scalars (no other
    broadcasting), the result is NaN outside `a > 0, b > 0, 0 <= x <= 1`, and the gradient
    flows to `x` only.

    Args:
        a: a float32 or float64 tensor, a > 0.
        b: a tensor of the same dtype, b > 0.
        x: a tensor of the same dtype, 0 <= x <= 1.
        name: unused.

    Returns:
        A tensor of the common shape and dtype.

    Raises:
        InvalidArgumentError: for shapes that differ (other than scalars), mixed dtypes or
            a dtype other than float32/float64.

    Example:
    >>> round(float(tf.math.betainc(2.0, 3.0, 0.5)), 4)
    0.6875
    """
    del name
    a, b, x = _like_first_tensor(a, b, x)
    a = _real_float(a, "betainc", "a")
    b = _real_float(b, "betainc", "b")
    x = _real_float(x, "betainc", "x")
    _same_float_dtype("betainc", {"a": a, "b": b, "x": x})
    shape = None
    shape_of = None
    for label, v in (("a", a), ("b", b), ("x", x)):
        if v.ndim == 0:
            continue
        if shape is not None and v.shape != shape:
            raise InvalidArgumentError(
                f"tf.math.betainc: shapes of {shape_of} and {label} are inconsistent: "
                f"{list(shape)} vs. {list(v.shape)}. a, b and x must have the same shape "
                "or be scalars."
            )
        shape, shape_of = v.shape, label
    a, b, x = torch.broadcast_tensors(a, b, x)
    if x.requires_grad and torch.is_grad_enabled():
        return _Betainc.apply(x, a.detach(), b.detach())
    return _betainc64(a.double(), b.double(), x.double()).to(x.dtype)


class _Zeta(torch.autograd.Function):
    # TensorFlow differentiates zeta in q only: d/dq zeta(x, q) = -x zeta(x + 1, q).
    @staticmethod
    def forward(ctx, q, x):
        ctx.save_for_backward(q, x)
        return torch.special.zeta(x, q)

    @staticmethod
    def backward(ctx, g):
        q, x = ctx.saved_tensors
        grad = -x * torch.special.zeta(x + 1, q)
        return _reduce_to(g * grad, q.shape), None


def _reduce_to(g: torch.Tensor, shape) -> torch.Tensor:
    """Sums a broadcast gradient back to an input's shape."""
    while g.ndim > len(shape):
        g = g.sum(0)
    for i, n in enumerate(shape):
        if n == 1 and g.shape[i] != 1:
            g = g.sum(i, keepdim=True)
    return g


def zeta(x, q, name: str | None = None) -> torch.Tensor:
    """Computes the Hurwitz zeta function, `sum_{n>=0} (q + n)^(-x)`.

    Inputs broadcast. As in TensorFlow the result is `inf` at `x = 1` and NaN for
    `x < 1`, and the gradient flows to `q` only.

    Args:
        x: a float32 or float64 tensor.
        q: a tensor of the same dtype, broadcastable with `x`.
        name: unused.

    Returns:
        The broadcast result.

    Raises:
        InvalidArgumentError: for mixed dtypes, a dtype other than float32/float64, or
            shapes that do not broadcast.

    Example:
    >>> round(float(tf.math.zeta(2.0, 1.0)), 6)
    1.644934
    """
    del name
    x, q = _like_first_tensor(x, q)
    x = _real_float(x, "zeta", "x")
    q = _real_float(q, "zeta", "q")
    _same_float_dtype("zeta", {"x": x, "q": q})
    if not _broadcastable(tuple(x.shape), tuple(q.shape)):
        raise InvalidArgumentError(
            f"tf.math.zeta: incompatible shapes {list(x.shape)} and {list(q.shape)}; each "
            "dimension, aligned from the right, must be equal or 1 in one of them."
        )
    if q.requires_grad and torch.is_grad_enabled():
        out = _Zeta.apply(q, x.detach())
    else:
        out = torch.special.zeta(x.detach(), q)
    # zeta(x, inf) = 0 for x > 1, as TF (torch gives NaN).
    return torch.where((q == torch.inf) & (x > 1), torch.zeros_like(out), out)


_SOBOL_MAX_DIM = 21200


def sobol_sample(dim, num_results, skip=0, dtype=torch.float32, name: str | None = None):
    """Returns points of the (unscrambled) Sobol low-discrepancy sequence in [0, 1)^dim.

    The same points as TensorFlow: the sequence starts after its all-zero first point, and
    `skip` drops that many more.

    Args:
        dim: the dimension of each point, 1 to 21200.
        num_results: how many points, at least 1.
        skip: how many points of the sequence to skip first (>= 0).
        dtype: `tf.float32` (default) or `tf.float64`.
        name: unused.

    Returns:
        A `(num_results, dim)` tensor.

    Raises:
        InvalidArgumentError: for an argument out of range or another dtype.

    Example:
    >>> tf.math.sobol_sample(2, 3).tolist()
    [[0.5, 0.5], [0.75, 0.25], [0.25, 0.75]]
    """
    del name
    target = as_dtype(dtype)
    if target not in (torch.float32, torch.float64):
        raise InvalidArgumentError(
            f"tf.math.sobol_sample: dtype {dtype_name(target)} is not supported; use "
            "tf.float32 or tf.float64."
        )
    values = {}
    for label, v in (("dim", dim), ("num_results", num_results), ("skip", skip)):
        v = _scalar_value(v) if isinstance(v, torch.Tensor) else v
        if isinstance(v, numbers.Integral) and not isinstance(v, builtins.bool):
            values[label] = int(v)
        else:
            raise TypeError(f"tf.math.sobol_sample: {label} must be an integer, got {v!r}.")
    if values["dim"] < 1:
        raise InvalidArgumentError("tf.math.sobol_sample: dim must be at least one.")
    if values["dim"] > _SOBOL_MAX_DIM:
        raise InvalidArgumentError(
            f"tf.math.sobol_sample: dim must be at most {_SOBOL_MAX_DIM}, got {values['dim']}."
        )
    if values["num_results"] < 1:
        raise InvalidArgumentError("tf.math.sobol_sample: num_results must be at least one.")
    if values["skip"] < 0:
        raise InvalidArgumentError("tf.math.sobol_sample: skip must be non-negative.")
    engine = torch.quasirandom.SobolEngine(values["dim"], scramble=False)
    # TensorFlow's sequence leaves out the all-zero first point of torch's.
    engine.fast_forward(values["skip"] + 1)
    # Drawn in float64 (the points are exact binary fractions), then rounded once.
    return engine.draw(values["num_results"], dtype=torch.float64).to(target)


# The ops above that take RaggedTensors hand them to tork/_backend/ragged_tensor.py.
from tork._backend import ragged_tensor as _ragged  # noqa: E402

_ragged.install(globals())
