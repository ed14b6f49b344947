"""`keras.ops.numpy`: Keras 3's NumPy-style ops over torch tensors.

Every function accepts tensors, NumPy arrays and Python values (Python floats
become float32, ints int32) and returns `torch.Tensor`s. Dtypes follow Keras 3:
Python scalars are weakly typed (`int32 tensor + 1.5` is float32), float-valued
ops on integers give float32, sums of small integers stay int32, and index
results (`argmax`, `argsort`, `nonzero`) are int32.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable

import numpy as np
import torch

from tork._backend.dtypes import floatx_dtype
from tork._backend.errors import module_getattr
from tork._backend.tracing import values_readable
from tork._symbolic import SymbolicTensor
from tork.keras.ops._utils import (
    _acc_dtype,
    _axes,
    _axis,
    _dtype,
    _float,
    _operands,
    _shape_tuple,
    _t,
)

# ------------------------------------------------------------------ factories


def _make_unary(name: str, fn: Callable, summary: str, example: str, to_float: bool = False):
    def op(x) -> torch.Tensor:
        x = _t(x)
        return fn(_float(x) if to_float else x)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"""{summary}

    Args:
        x: Input tensor.

    Returns:
        Output tensor, element-wise.

    Example:
    >>> keras.ops.{example}
    """
    return op


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_COMPARISONS = ("equal", "not_equal", "greater", "greater_equal", "less", "less_equal")


def _widen_for(x, other):
    """`x` as int64 when it is an integer tensor-like and `other` a Python int outside its
    dtype's range (so the comparison sees the int's value, not a wrapped one)."""
    if _is_number(x) or not isinstance(other, int) or isinstance(other, bool):
        return x
    x = _t(x)
    if x.is_floating_point() or x.is_complex() or x.dtype == torch.bool:
        return x
    info = torch.iinfo(x.dtype)
    return x if info.min <= other <= info.max else x.to(torch.int64)


def _make_binary(name: str, fn: Callable, summary: str, example: str, to_float: bool = False):
    float_valued = to_float or name in ("divide", "true_divide")
    comparison = name in _COMPARISONS

    def op(x1, x2) -> torch.Tensor:
        if float_valued and (_is_number(x1) or _is_number(x2)):
            # A float-valued op takes a Python number at its value: the other operand goes
            # to floats first (divide(uint8 tensor, -3) is -1.67, as Keras; converting -3
            # to uint8 would wrap it to 253).
            x1 = x1 if _is_number(x1) else _float(_t(x1))
            x2 = x2 if _is_number(x2) else _float(_t(x2))
        elif comparison and (_is_number(x1) or _is_number(x2)):
            # Comparisons take a Python int the integer dtype cannot hold at its value too
            # (greater(uint8 tensor, -3) is True, as Keras).
            x1, x2 = _widen_for(x1, x2), _widen_for(x2, x1)
        a, b = _operands(x1, x2)
        if to_float:
            a, b = _float(a), _float(b)
        return fn(a, b)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"""{summary}

    Broadcasts `x1` against `x2`; Python scalars take the other operand's dtype kind.

    Args:
        x1: First input tensor.
        x2: Second input tensor.

    Returns:
        Output tensor, element-wise.

    Example:
    >>> keras.ops.{example}
    """
    return op


def _round_float(fn):
    # Keras returns floats for ceil/floor/trunc of integers.
    return lambda x: fn(_float(x))


# ------------------------------------------------------------------ element-wise unary


def _abs(x: torch.Tensor) -> torch.Tensor:
    # torch has no abs kernel for bool; a bool is its own absolute value (Keras returns it).
    return x.clone() if x.dtype == torch.bool else torch.abs(x)


abs = _make_unary("abs", _abs, "Absolute value, element-wise.", "abs([-1, 2])  # [1, 2]")
absolute = _make_unary("absolute", _abs, "Alias of `abs`.", "absolute([-1.5])  # [1.5]")
negative = _make_unary("negative", torch.neg, "Numerical negative.", "negative([1, -2])  # [-1, 2]")
sign = _make_unary(
    "sign",
    # Complex values have sign x / |x| (0 at 0), as Keras; torch.sign refuses them.
    lambda x: torch.sgn(x) if x.is_complex() else torch.sign(x),
    "Sign (-1, 0 or 1; x / |x| for complex values).",
    "sign([-3.0, 0.0])  # [-1., 0.]",
)
square = _make_unary(
    "square",
    lambda x: torch.square(x.to(torch.int32) if x.dtype == torch.bool else x),
    "Square, element-wise.",
    "square([2, 3])  # [4, 9]",
)
sqrt = _make_unary("sqrt", torch.sqrt, "Square root.", "sqrt([4.0])  # [2.]", to_float=True)
reciprocal = _make_unary(
    "reciprocal", torch.reciprocal, "`1 / x`.", "reciprocal([2.0])  # [0.5]", to_float=True
)
exp = _make_unary("exp", torch.exp, "Exponential.", "exp([0.0])  # [1.]", to_float=True)
exp2 = _make_unary("exp2", torch.exp2, "`2 ** x`.", "exp2([3.0])  # [8.]", to_float=True)
expm1 = _make_unary("expm1", torch.expm1, "`exp(x) - 1`.", "expm1([0.0])  # [0.]", to_float=True)
log = _make_unary("log", torch.log, "Natural logarithm.", "log([1.0])  # [0.]", to_float=True)
log2 = _make_unary("log2", torch.log2, "Base-2 logarithm.", "log2([8.0])  # [3.]", to_float=True)
log10 = _make_unary("log10", torch.log10, "Base-10 logarithm.", "log10([100.])  # [2.]", True)
log1p = _make_unary("log1p", torch.log1p, "`log(1 + x)`.", "log1p([0.0])  # [0.]", to_float=True)
sin = _make_unary("sin", torch.sin, "Sine.", "sin([0.0])  # [0.]", to_float=True)
cos = _make_unary("cos", torch.cos, "Cosine.", "cos([0.0])  # [1.]", to_float=True)
tan = _make_unary("tan", torch.tan, "Tangent.", "tan([0.0])  # [0.]", to_float=True)
sinh = _make_unary("sinh", torch.sinh, "Hyperbolic sine.", "sinh([0.0])  # [0.]", to_float=True)
cosh = _make_unary("cosh", torch.cosh, "Hyperbolic cosine.", "cosh([0.0])  # [1.]", True)
tanh = _make_unary("tanh", torch.tanh, "Hyperbolic tangent.", "tanh([0.0])  # [0.]", True)
arcsin = _make_unary("arcsin", torch.asin, "Inverse sine.", "arcsin([0.0])  # [0.]", True)
arccos = _make_unary("arccos", torch.acos, "Inverse cosine.", "arccos([1.0])  # [0.]", True)
arctan = _make_unary("arctan", torch.atan, "Inverse tangent.", "arctan([0.0])  # [0.]", True)
arcsinh = _make_unary("arcsinh", torch.asinh, "Inverse hyperbolic sine.", "arcsinh([0.])", True)
arccosh = _make_unary("arccosh", torch.acosh, "Inverse hyperbolic cosine.", "arccosh([1.])", True)
arctanh = _make_unary("arctanh", torch.atanh, "Inverse hyperbolic tangent.", "arctanh([0.])", True)
ceil = _make_unary("ceil", _round_float(torch.ceil), "Ceiling.", "ceil([1.2])  # [2.]")
floor = _make_unary("floor", _round_float(torch.floor), "Floor.", "floor([1.8])  # [1.]")
trunc = _make_unary(
    "trunc",
    lambda x: x if not x.is_floating_point() else torch.trunc(x),
    "Rounds towards zero.",
    "trunc([-1.7])  # [-1.]",
)
isnan = _make_unary("isnan", torch.isnan, "True where `x` is NaN.", "isnan([float('nan')])")
isinf = _make_unary("isinf", torch.isinf, "True where `x` is +/-inf.", "isinf([float('inf')])")
isfinite = _make_unary("isfinite", torch.isfinite, "True where `x` is finite.", "isfinite([1.])")
logical_not = _make_unary(
    "logical_not", torch.logical_not, "Logical NOT.", "logical_not([True])  # [False]"
)
real = _make_unary("real", lambda x: torch.real(x) if x.is_complex() else x, "Real part.", "real")
imag = _make_unary(
    "imag",
    lambda x: torch.imag(x) if x.is_complex() else torch.zeros_like(x),
    "Imaginary part.",
    "imag",
)
conjugate = _make_unary("conjugate", torch.conj_physical, "Complex conjugate.", "conjugate")
conj = _make_unary("conj", torch.conj_physical, "Alias of `conjugate`.", "conj")
copy = _make_unary("copy", torch.clone, "Returns a copy of `x`.", "copy([1, 2])")
ravel = _make_unary("ravel", lambda x: x.reshape(-1), "Flattens to 1-D.", "ravel([[1], [2]])")

# ------------------------------------------------------------------ element-wise binary

add = _make_binary("add", torch.add, "Adds `x1` and `x2`.", "add(1, [2, 3])  # [3, 4]")
subtract = _make_binary("subtract", torch.sub, "`x1 - x2`.", "subtract([3], 1)  # [2]")
multiply = _make_binary("multiply", torch.mul, "`x1 * x2`.", "multiply([2], 3)  # [6]")
divide = _make_binary("divide", torch.true_divide, "`x1 / x2` (true division).", "divide(1, 2)")
true_divide = _make_binary("true_divide", torch.true_divide, "Alias of `divide`.", "true_divide")
floor_divide = _make_binary("floor_divide", torch.floor_divide, "`x1 // x2`.", "floor_divide(7, 2)")
mod = _make_binary("mod", torch.remainder, "Remainder with the sign of `x2`.", "mod(-1, 3)  # 2")
power = _make_binary("power", torch.pow, "`x1 ** x2`.", "power([2], 3)  # [8]")
maximum = _make_binary("maximum", torch.maximum, "Element-wise maximum.", "maximum([1], [2])")
minimum = _make_binary("minimum", torch.minimum, "Element-wise minimum.", "minimum([1], [2])")
equal = _make_binary("equal", torch.eq, "`x1 == x2`.", "equal([1, 2], 1)  # [True, False]")
not_equal = _make_binary("not_equal", torch.ne, "`x1 != x2`.", "not_equal([1], 1)  # [False]")
greater = _make_binary("greater", torch.gt, "`x1 > x2`.", "greater([2], 1)  # [True]")
greater_equal = _make_binary("greater_equal", torch.ge, "`x1 >= x2`.", "greater_equal([1], 1)")
less = _make_binary("less", torch.lt, "`x1 < x2`.", "less([0], 1)  # [True]")
less_equal = _make_binary("less_equal", torch.le, "`x1 <= x2`.", "less_equal([1], 1)  # [True]")
logical_and = _make_binary("logical_and", torch.logical_and, "Logical AND.", "logical_and")
logical_or = _make_binary("logical_or", torch.logical_or, "Logical OR.", "logical_or")
logical_xor = _make_binary("logical_xor", torch.logical_xor, "Logical XOR.", "logical_xor")
arctan2 = _make_binary("arctan2", torch.atan2, "Angle of `(x2, x1)`.", "arctan2(1., 1.)", True)
logaddexp = _make_binary(
    "logaddexp", torch.logaddexp, "`log(exp(x1) + exp(x2))`.", "logaddexp", True
)


def divide_no_nan(x1, x2) -> torch.Tensor:
    """`x1 / x2`, with 0 where `x2` is 0.

    Args:
        x1: Numerator.
        x2: Denominator.

    Returns:
        The quotient, 0 wherever `x2 == 0`.

    Example:
    >>> keras.ops.divide_no_nan([1.0, 1.0], [0.0, 2.0])  # [0., 0.5]
    """
    a, b = _operands(x1, x2)
    safe = torch.where(b == 0, torch.ones_like(b), b)
    return torch.where(b == 0, torch.zeros((), dtype=torch.result_type(a, safe)), a / safe)


def isclose(
    x1, x2, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False
) -> torch.Tensor:
    """True where `|x1 - x2| <= atol + rtol * |x2|`.

    Args:
        x1: First input tensor.
        x2: Second input tensor.
        rtol: Relative tolerance.
        atol: Absolute tolerance.
        equal_nan: Whether NaNs compare equal.

    Returns:
        A boolean tensor.

    Example:
    >>> keras.ops.isclose([1.0], [1.0 + 1e-9])  # [True]
    """
    a, b = _operands(x1, x2)
    return torch.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


def clip(x, x_min, x_max) -> torch.Tensor:
    """Clips values to `[x_min, x_max]`.

    Args:
        x: Input tensor.
        x_min: Minimum value.
        x_max: Maximum value.

    Returns:
        The clipped tensor (bool inputs give int32).

    Example:
    >>> keras.ops.clip([-1, 5, 2], 0, 3)  # [0, 3, 2]
    """
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    lo = x_min if isinstance(x_min, (int, float)) else _t(x_min)
    hi = x_max if isinstance(x_max, (int, float)) else _t(x_max)
    if not x.is_floating_point() and (isinstance(lo, float) or isinstance(hi, float)):
        x = _float(x)
    return torch.clamp(x, lo, hi)


def nan_to_num(x, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None):
    """Replaces NaN and infinities with finite numbers.

    Args:
        x: Input tensor.
        nan: Value for NaN.
        posinf: Value for +inf (default: the dtype's largest value).
        neginf: Value for -inf (default: the dtype's lowest value).

    Returns:
        A tensor without NaN or infinities.

    Example:
    >>> keras.ops.nan_to_num([float("nan"), 1.0])  # [0., 1.]
    """
    x = _t(x)
    if not x.is_floating_point():
        return x
    return torch.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def round(x, decimals: int = 0) -> torch.Tensor:
    """Rounds half to even, to `decimals` decimal places.

    Args:
        x: Input tensor.
        decimals: Number of decimal places.

    Returns:
        The rounded tensor.

    Example:
    >>> keras.ops.round([0.5, 1.5, 1.234], decimals=0)  # [0., 2., 1.]
    """
    x = _t(x)
    if not x.is_floating_point():
        if decimals >= 0:
            return x
        scale = 10**-decimals
        return (torch.round(x.double() / scale) * scale).to(x.dtype)
    return torch.round(x, decimals=decimals)


# ------------------------------------------------------------------ reductions


def _reduce(fn, x: torch.Tensor, axis, keepdims: bool, **kwargs) -> torch.Tensor:
    if isinstance(axis, (tuple, list)) and len(axis) == 0:
        return x
    return fn(x, dim=_axes(axis, x.dim()), keepdim=keepdims, **kwargs)


def sum(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Sum over `axis` (all axes when None).

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The sum; bool and small integer inputs give int32.

    Example:
    >>> keras.ops.sum([[1, 2], [3, 4]], axis=0)  # [4, 6]
    """
    x = _t(x)
    return _reduce(torch.sum, x, axis, keepdims, dtype=_acc_dtype(x))


def prod(x, axis=None, keepdims: bool = False, dtype=None) -> torch.Tensor:
    """Product over `axis` (all axes when None).

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.
        dtype: Optional output dtype.

    Returns:
        The product.

    Example:
    >>> keras.ops.prod([[1, 2], [3, 4]])  # 24
    """
    x = _t(x)
    out_dtype = _dtype(dtype) or _acc_dtype(x) or x.dtype
    x = x.to(out_dtype)
    if isinstance(axis, (tuple, list)) and len(axis) == 0:
        return x
    dims = _axes(axis, x.dim())
    out = x
    for d in sorted(dims, reverse=True):
        # torch widens integer products to int64 unless told the dtype.
        out = torch.prod(out, dim=d, keepdim=True, dtype=out_dtype)
    if not keepdims:
        out = out.reshape([s for i, s in enumerate(out.shape) if i not in dims])
    return out


def mean(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Arithmetic mean over `axis`.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The mean; integer inputs give float32.

    Example:
    >>> keras.ops.mean([1, 2, 3, 4])  # 2.5
    """
    return _reduce(torch.mean, _float(_t(x)), axis, keepdims)


def var(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Population variance (divides by N) over `axis`.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The variance.

    Example:
    >>> keras.ops.var([1.0, 3.0])  # 1.0
    """
    return _reduce(torch.var, _float(_t(x)), axis, keepdims, correction=0)


def std(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Population standard deviation (divides by N) over `axis`.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The standard deviation.

    Example:
    >>> keras.ops.std([1.0, 3.0])  # 1.0
    """
    return _reduce(torch.std, _float(_t(x)), axis, keepdims, correction=0)


def _extreme(fn, name: str, x, axis, keepdims, initial):
    x = _t(x)
    if x.numel() == 0 and initial is None:
        raise ValueError(
            f"keras.ops.{name} of an empty tensor (shape {tuple(x.shape)}) has no value; "
            "pass `initial=` to give one."
        )
    if x.numel() == 0:
        shape = _reduce(torch.sum, x, axis, keepdims).shape
        return torch.full(shape, initial, dtype=torch.result_type(x, initial), device=x.device)
    out = _reduce(fn, x, axis, keepdims)
    if initial is not None:
        out = (torch.clamp_min if name == "max" else torch.clamp_max)(out, initial)
    return out


def max(x, axis=None, keepdims: bool = False, initial=None) -> torch.Tensor:
    """Maximum over `axis`.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.
        initial: Lower bound of the result (lets empty tensors reduce).

    Returns:
        The maximum.

    Example:
    >>> keras.ops.max([[1, 5], [3, 2]], axis=1)  # [5, 3]
    """
    return _extreme(torch.amax, "max", x, axis, keepdims, initial)


def min(x, axis=None, keepdims: bool = False, initial=None) -> torch.Tensor:
    """Minimum over `axis`.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.
        initial: Upper bound of the result (lets empty tensors reduce).

    Returns:
        The minimum.

    Example:
    >>> keras.ops.min([[1, 5], [3, 2]], axis=1)  # [1, 2]
    """
    return _extreme(torch.amin, "min", x, axis, keepdims, initial)


def amax(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Alias of `max` without `initial`.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The maximum.

    Example:
    >>> keras.ops.amax([1, 3, 2])  # 3
    """
    return max(x, axis=axis, keepdims=keepdims)


def amin(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Alias of `min` without `initial`.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The minimum.

    Example:
    >>> keras.ops.amin([1, 3, 2])  # 1
    """
    return min(x, axis=axis, keepdims=keepdims)


def all(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """True when all elements along `axis` are truthy.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        A boolean tensor.

    Example:
    >>> keras.ops.all([True, False])  # False
    """
    return _reduce(torch.all, _t(x).bool(), axis, keepdims)


def any(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """True when any element along `axis` is truthy.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        A boolean tensor.

    Example:
    >>> keras.ops.any([True, False])  # True
    """
    return _reduce(torch.any, _t(x).bool(), axis, keepdims)


def count_nonzero(x, axis=None) -> torch.Tensor:
    """Counts non-zero elements along `axis`.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.

    Returns:
        An int32 tensor of counts.

    Example:
    >>> keras.ops.count_nonzero([0, 1, 2])  # 2
    """
    x = _t(x)
    return torch.count_nonzero(x, dim=_axes(axis, x.dim())).to(torch.int32)


def average(x, axis=None, weights=None) -> torch.Tensor:
    """Weighted average along `axis`.

    Args:
        x: Input tensor.
        axis: Int or None (all elements).
        weights: Optional weights, of `x`'s shape or 1-D along `axis`.

    Returns:
        The weighted average.

    Example:
    >>> keras.ops.average([1.0, 3.0], weights=[3.0, 1.0])  # 1.5
    """
    x = _float(_t(x))
    if weights is None:
        return mean(x, axis=axis)
    w = _t(weights).to(x.dtype)
    if w.dim() == 1 and x.dim() > 1:
        if axis is None:
            raise ValueError(
                f"keras.ops.average: 1-D weights (shape {tuple(w.shape)}) need an `axis` "
                f"for an input of shape {tuple(x.shape)}."
            )
        a = _axis(axis, x.dim())
        w = w.reshape([-1 if i == a else 1 for i in builtins.range(x.dim())])
    dims = _axes(axis, x.dim())
    return torch.sum(x * w, dim=dims) / torch.sum(w.expand_as(x), dim=dims)


def _quantile_core(x, q, axis, method, keepdims):
    x = _float(_t(x))
    qt = _t(q).to(x.dtype)
    dims = _axes(axis, x.dim())
    rest = [d for d in builtins.range(x.dim()) if d not in dims]
    moved = x.permute(rest + list(dims)).reshape([x.shape[d] for d in rest] + [-1])
    if x.dtype in (torch.float16, torch.bfloat16):
        # torch.quantile takes float32/float64 only; Keras returns the input's half dtype.
        out = torch.quantile(moved.float(), qt.float(), dim=-1, interpolation=method).to(x.dtype)
    else:
        out = torch.quantile(moved, qt, dim=-1, interpolation=method)
    if keepdims:
        shape = [1 if d in dims else s for d, s in enumerate(x.shape)]
        out = out.reshape(tuple(qt.shape) + tuple(shape))
    return out


def quantile(x, q, axis=None, method: str = "linear", keepdims: bool = False) -> torch.Tensor:
    """The q-th quantiles of `x` along `axis`.

    Args:
        x: Input tensor.
        q: Quantile(s) in `[0, 1]`.
        axis: Int, tuple of ints, or None (all elements).
        method: `"linear"`, `"lower"`, `"higher"`, `"midpoint"` or `"nearest"`.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The quantiles; a 1-D `q` adds a leading axis.

    Example:
    >>> keras.ops.quantile([1.0, 2.0, 3.0, 4.0], 0.5)  # 2.5
    """
    methods = ("linear", "lower", "higher", "midpoint", "nearest")
    if method not in methods:
        raise ValueError(f"keras.ops.quantile: unknown method {method!r}; use one of {methods}.")
    return _quantile_core(x, q, axis, method, keepdims)


def median(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Median along `axis` (the mean of the two middle values for even sizes).

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The median.

    Example:
    >>> keras.ops.median([1.0, 2.0, 3.0, 4.0])  # 2.5
    """
    return _quantile_core(x, 0.5, axis, "linear", keepdims)


def _index_result(out: torch.Tensor) -> torch.Tensor:
    return out.to(torch.int32)


def argmax(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Index of the maximum along `axis` (of the flattened tensor when None).

    Args:
        x: Input tensor.
        axis: Int or None.
        keepdims: Keep the reduced axis with size 1.

    Returns:
        An int32 tensor of indices.

    Example:
    >>> keras.ops.argmax([[1, 5], [7, 2]], axis=1)  # [1, 0]
    """
    return _arg_extreme(torch.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Index of the minimum along `axis` (of the flattened tensor when None).

    Args:
        x: Input tensor.
        axis: Int or None.
        keepdims: Keep the reduced axis with size 1.

    Returns:
        An int32 tensor of indices.

    Example:
    >>> keras.ops.argmin([[1, 5], [7, 2]], axis=1)  # [0, 1]
    """
    return _arg_extreme(torch.argmin, x, axis, keepdims)


def _arg_extreme(fn, x, axis, keepdims):
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    if axis is None:
        out = fn(x.reshape(-1))
        return _index_result(out.reshape([1] * x.dim()) if keepdims else out)
    return _index_result(fn(x, dim=_axis(axis, x.dim()), keepdim=keepdims))


def _cum_dtype(x: torch.Tensor) -> torch.dtype | None:
    # Keras keeps an integer input's dtype in cumsum/cumprod (torch would widen to
    # int64); only bool is counted in int32.
    if x.dtype == torch.bool:
        return torch.int32
    return x.dtype if not x.is_floating_point() and not x.is_complex() else None


def cumsum(x, axis=None, dtype=None) -> torch.Tensor:
    """Cumulative sum along `axis` (of the flattened tensor when None).

    Args:
        x: Input tensor.
        axis: Int or None.
        dtype: Optional output dtype.

    Returns:
        The cumulative sum.

    Example:
    >>> keras.ops.cumsum([1, 2, 3])  # [1, 3, 6]
    """
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.cumsum(x, dim=_axis(axis, x.dim()), dtype=_dtype(dtype) or _cum_dtype(x))


def cumprod(x, axis=None, dtype=None) -> torch.Tensor:
    """Cumulative product along `axis` (of the flattened tensor when None).

    Args:
        x: Input tensor.
        axis: Int or None.
        dtype: Optional output dtype.

    Returns:
        The cumulative product.

    Example:
    >>> keras.ops.cumprod([1, 2, 3])  # [1, 2, 6]
    """
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.cumprod(x, dim=_axis(axis, x.dim()), dtype=_dtype(dtype) or _cum_dtype(x))


def sort(x, axis: int = -1) -> torch.Tensor:
    """Sorts ascending along `axis` (the flattened tensor when None).

    Args:
        x: Input tensor.
        axis: Int or None.

    Returns:
        The sorted tensor.

    Example:
    >>> keras.ops.sort([3, 1, 2])  # [1, 2, 3]
    """
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.sort(x, dim=_axis(axis, x.dim()), stable=True).values


def argsort(x, axis: int = -1) -> torch.Tensor:
    """Indices that sort `x` ascending along `axis` (flattened when None).

    Args:
        x: Input tensor.
        axis: Int or None.

    Returns:
        An int32 tensor of indices.

    Example:
    >>> keras.ops.argsort([3, 1, 2])  # [1, 2, 0]
    """
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return _index_result(torch.argsort(x, dim=_axis(axis, x.dim()), stable=True))


def nonzero(x) -> tuple[torch.Tensor, ...]:
    """Indices of the non-zero elements, one int32 tensor per dimension.

    Args:
        x: Input tensor.

    Returns:
        A tuple of 1-D int32 tensors.

    Example:
    >>> keras.ops.nonzero([0, 3, 0, 4])  # ([1, 3],)
    """
    return tuple(i.to(torch.int32) for i in torch.nonzero(_t(x), as_tuple=True))


def searchsorted(sorted_sequence, values, side: str = "left") -> torch.Tensor:
    """Indices where `values` would be inserted to keep `sorted_sequence` sorted.

    Args:
        sorted_sequence: 1-D sorted tensor.
        values: Values to insert.
        side: `"left"` or `"right"`.

    Returns:
        An int32 tensor of `values`' shape.

    Example:
    >>> keras.ops.searchsorted([1, 3, 5], [3, 4])  # [1, 2]
    """
    if side not in ("left", "right"):
        raise ValueError(f"keras.ops.searchsorted: side must be 'left' or 'right', got {side!r}.")
    s, v = _operands(sorted_sequence, values)
    return torch.searchsorted(s, v, right=side == "right").to(torch.int32)


def digitize(x, bins) -> torch.Tensor:
    """Index of the bin each value falls in: `bins[i-1] <= x < bins[i]`.

    Args:
        x: Input tensor.
        bins: 1-D increasing tensor of bin edges.

    Returns:
        An int32 tensor of bin indices.

    Example:
    >>> keras.ops.digitize([0.5, 1.0, 2.5], [1.0, 2.0])  # [0, 1, 2]
    """
    a, b = _operands(x, bins)
    return torch.bucketize(a, b, right=True).to(torch.int32)


def bincount(x, weights=None, minlength: int = 0, sparse: bool = False) -> torch.Tensor:
    """Counts occurrences of each non-negative integer in 1-D `x`.

    Args:
        x: 1-D non-negative integer tensor.
        weights: Optional weights, same shape as `x`.
        minlength: Minimum number of bins.
        sparse: Unsupported (must be False).

    Returns:
        Counts (int32), or summed weights.

    Example:
    >>> keras.ops.bincount([0, 1, 1, 3])  # [1, 2, 0, 1]
    """
    if sparse:
        from tork._backend.errors import not_implemented

        raise not_implemented("keras.ops.bincount(sparse=True)")
    x = _t(x)
    if x.dim() != 1:
        raise ValueError(
            f"keras.ops.bincount supports 1-D input; got shape {tuple(x.shape)}. "
            "Use keras.ops.vectorized_map for batches."
        )
    if weights is None:
        return torch.bincount(x.long(), minlength=minlength).to(torch.int32)
    w = _t(weights)
    return torch.bincount(x.long(), weights=w, minlength=minlength).to(w.dtype)


def diff(a, n: int = 1, axis: int = -1) -> torch.Tensor:
    """n-th discrete difference along `axis`.

    Args:
        a: Input tensor.
        n: Number of times to difference.
        axis: Axis to difference along.

    Returns:
        The differences.

    Example:
    >>> keras.ops.diff([1, 4, 9])  # [3, 5]
    """
    a = _t(a)
    return torch.diff(a, n=n, dim=_axis(axis, a.dim()))


# ------------------------------------------------------------------ creation


def _infer(values) -> torch.dtype:
    if builtins.any(isinstance(v, float) for v in values):
        return floatx_dtype()
    for v in values:
        if isinstance(v, (torch.Tensor, np.ndarray, np.generic)):
            t = _t(v)
            if t.is_floating_point():
                return floatx_dtype() if t.dtype == torch.float64 else t.dtype
    return torch.int32


def array(x, dtype=None) -> torch.Tensor:
    """Creates a tensor from `x`.

    Args:
        x: Array-like value.
        dtype: Optional dtype.

    Returns:
        A tensor.

    Example:
    >>> keras.ops.array([1, 2]).dtype  # torch.int32
    """
    return _t(x) if dtype is None else _t(x).to(_dtype(dtype))


def zeros(shape, dtype=None) -> torch.Tensor:
    """A tensor of zeros.

    Args:
        shape: Shape of the tensor.
        dtype: Dtype (default float32).

    Returns:
        A tensor of zeros.

    Example:
    >>> keras.ops.zeros((2, 3)).shape  # torch.Size([2, 3])
    """
    return torch.zeros(_shape_tuple(shape), dtype=_dtype(dtype) or floatx_dtype())


def ones(shape, dtype=None) -> torch.Tensor:
    """A tensor of ones.

    Args:
        shape: Shape of the tensor.
        dtype: Dtype (default float32).

    Returns:
        A tensor of ones.

    Example:
    >>> keras.ops.ones((2,))  # [1., 1.]
    """
    return torch.ones(_shape_tuple(shape), dtype=_dtype(dtype) or floatx_dtype())


def empty(shape, dtype=None) -> torch.Tensor:
    """An uninitialised tensor.

    Args:
        shape: Shape of the tensor.
        dtype: Dtype (default float32).

    Returns:
        A tensor with arbitrary contents.

    Example:
    >>> keras.ops.empty((2,)).shape  # torch.Size([2])
    """
    return torch.empty(_shape_tuple(shape), dtype=_dtype(dtype) or floatx_dtype())


def full(shape, fill_value, dtype=None) -> torch.Tensor:
    """A tensor filled with `fill_value`.

    Args:
        shape: Shape of the tensor.
        fill_value: Fill value (a scalar or a broadcastable tensor).
        dtype: Dtype (default: `keras.config.floatx()`, whatever the type of
            `fill_value`, as in Keras 3).

    Returns:
        The filled tensor.

    Example:
    >>> keras.ops.full((2,), 7)  # [7., 7.] (float32)
    """
    value = _t(fill_value)
    value = value.to(_dtype(dtype) if dtype is not None else floatx_dtype())
    return value.expand(_shape_tuple(shape)).clone()


def zeros_like(x, dtype=None) -> torch.Tensor:
    """Zeros with the shape (and by default dtype) of `x`.

    Args:
        x: Input tensor.
        dtype: Optional dtype.

    Returns:
        A tensor of zeros.

    Example:
    >>> keras.ops.zeros_like([1, 2])  # [0, 0]
    """
    return torch.zeros_like(_t(x), dtype=_dtype(dtype))


def ones_like(x, dtype=None) -> torch.Tensor:
    """Ones with the shape (and by default dtype) of `x`.

    Args:
        x: Input tensor.
        dtype: Optional dtype.

    Returns:
        A tensor of ones.

    Example:
    >>> keras.ops.ones_like([1, 2])  # [1, 1]
    """
    return torch.ones_like(_t(x), dtype=_dtype(dtype))


def full_like(x, fill_value, dtype=None) -> torch.Tensor:
    """`fill_value` with the shape (and by default dtype) of `x`.

    Args:
        x: Input tensor.
        fill_value: Fill value.
        dtype: Optional dtype.

    Returns:
        The filled tensor.

    Example:
    >>> keras.ops.full_like([1, 2], 5)  # [5, 5]
    """
    x = _t(x)
    out_dtype = _dtype(dtype) or x.dtype
    return _t(fill_value).to(device=x.device, dtype=out_dtype).expand(x.shape).clone()


def arange(start, stop=None, step=None, dtype=None) -> torch.Tensor:
    """Evenly spaced values in `[start, stop)`.

    Args:
        start: Start (or the stop, when `stop` is None).
        stop: End, exclusive.
        step: Spacing (None: 1).
        dtype: Dtype (default int32, float32 if any argument is a float).

    Returns:
        A 1-D tensor.

    Example:
    >>> keras.ops.arange(3)  # [0, 1, 2] (int32)
    """
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    values = [v.item() if isinstance(v, torch.Tensor) else v for v in (start, stop, step)]
    out_dtype = _dtype(dtype) or _infer(values)
    return torch.arange(*values, dtype=out_dtype)


def linspace(
    start, stop, num: int = 50, endpoint: bool = True, retstep: bool = False, dtype=None, axis=0
):
    """`num` evenly spaced values from `start` to `stop`.

    Args:
        start: Start value(s).
        stop: End value(s).
        num: Number of samples.
        endpoint: Whether `stop` is the last sample.
        retstep: Also return the spacing.
        dtype: Dtype (default float32).
        axis: Where the samples axis goes when `start`/`stop` are tensors.

    Returns:
        The samples, or `(samples, step)` when `retstep`.

    Example:
    >>> keras.ops.linspace(0, 1, 5)  # [0., .25, .5, .75, 1.]
    """
    out_dtype = _dtype(dtype) or floatx_dtype()
    work = out_dtype if out_dtype.is_floating_point else floatx_dtype()
    a, b = _t(start).to(work), _t(stop).to(work)
    div = (num - 1) if endpoint else num
    step = (b - a) / div if div > 0 else torch.full_like(b - a, float("nan"))
    frac = torch.arange(num, dtype=work, device=a.device)
    shape = torch.broadcast_shapes(a.shape, b.shape)
    frac = frac.reshape((num,) + (1,) * len(shape))
    samples = a + frac * (step if div > 0 else torch.zeros_like(step))
    if endpoint and num > 1:
        samples[-1] = b.expand(shape)
    if len(shape):
        samples = torch.movedim(samples, 0, _axis(axis, len(shape) + 1))
    if not out_dtype.is_floating_point:
        samples = torch.floor(samples)
    samples = samples.to(out_dtype)
    return (samples, step) if retstep else samples


def logspace(start, stop, num: int = 50, endpoint: bool = True, base=10, dtype=None, axis=0):
    """`num` values spaced evenly on a log scale, `base ** linspace(start, stop)`.

    Args:
        start: Start exponent.
        stop: End exponent.
        num: Number of samples.
        endpoint: Whether `base ** stop` is the last sample.
        base: The log base.
        dtype: Dtype (default float32).
        axis: Where the samples axis goes for tensor `start`/`stop`.

    Returns:
        The samples.

    Example:
    >>> keras.ops.logspace(0, 2, 3)  # [1., 10., 100.]
    """
    exps = linspace(start, stop, num=num, endpoint=endpoint, axis=axis)
    out = torch.pow(_t(base).to(exps.dtype), exps)
    return out.to(_dtype(dtype)) if dtype is not None else out


def eye(N: int, M: int | None = None, k: int = 0, dtype=None) -> torch.Tensor:
    """A 2-D tensor with ones on the k-th diagonal.

    Args:
        N: Number of rows.
        M: Number of columns (default N).
        k: Diagonal offset (positive: above the main diagonal).
        dtype: Dtype (default float32).

    Returns:
        An `(N, M)` tensor.

    Example:
    >>> keras.ops.eye(2)  # [[1., 0.], [0., 1.]]
    """
    M = N if M is None else M
    i = torch.arange(int(N)).unsqueeze(1)
    j = torch.arange(int(M)).unsqueeze(0)
    return (j - i == k).to(_dtype(dtype) or floatx_dtype())


def identity(n: int, dtype=None) -> torch.Tensor:
    """The `(n, n)` identity matrix.

    Args:
        n: Size.
        dtype: Dtype (default float32).

    Returns:
        The identity matrix.

    Example:
    >>> keras.ops.identity(2)  # [[1., 0.], [0., 1.]]
    """
    return eye(n, dtype=dtype)


def tri(N: int, M: int | None = None, k: int = 0, dtype=None) -> torch.Tensor:
    """Ones at and below the k-th diagonal, zeros elsewhere.

    Args:
        N: Number of rows.
        M: Number of columns (default N).
        k: Diagonal offset.
        dtype: Dtype (default float32).

    Returns:
        An `(N, M)` tensor.

    Example:
    >>> keras.ops.tri(2)  # [[1., 0.], [1., 1.]]
    """
    M = N if M is None else M
    i = torch.arange(int(N)).unsqueeze(1)
    j = torch.arange(int(M)).unsqueeze(0)
    return (j - i <= k).to(_dtype(dtype) or floatx_dtype())


def tril(x, k: int = 0) -> torch.Tensor:
    """Zeros above the k-th diagonal (of the last two axes).

    Args:
        x: Input tensor, rank >= 2.
        k: Diagonal offset.

    Returns:
        The lower triangle.

    Example:
    >>> keras.ops.tril([[1, 2], [3, 4]])  # [[1, 0], [3, 4]]
    """
    return torch.tril(_t(x), diagonal=k)


def triu(x, k: int = 0) -> torch.Tensor:
    """Zeros below the k-th diagonal (of the last two axes).

    Args:
        x: Input tensor, rank >= 2.
        k: Diagonal offset.

    Returns:
        The upper triangle.

    Example:
    >>> keras.ops.triu([[1, 2], [3, 4]])  # [[1, 2], [0, 4]]
    """
    return torch.triu(_t(x), diagonal=k)


def diag(x, k: int = 0) -> torch.Tensor:
    """Extracts a diagonal (2-D input) or builds a diagonal matrix (1-D input).

    Args:
        x: 1-D or 2-D tensor.
        k: Diagonal offset.

    Returns:
        The diagonal, or the matrix.

    Example:
    >>> keras.ops.diag([1, 2])  # [[1, 0], [0, 2]]
    """
    x = _t(x)
    if x.dim() not in (1, 2):
        raise ValueError(
            f"keras.ops.diag takes a 1-D or 2-D tensor; got shape {tuple(x.shape)}. "
            "Use keras.ops.diagonal for higher ranks."
        )
    return torch.diag(x, diagonal=k)


def diagonal(x, offset: int = 0, axis1: int = 0, axis2: int = 1) -> torch.Tensor:
    """The diagonal over `axis1` and `axis2`, as a new last axis.

    Args:
        x: Input tensor, rank >= 2.
        offset: Diagonal offset.
        axis1: First axis.
        axis2: Second axis.

    Returns:
        The diagonals.

    Example:
    >>> keras.ops.diagonal([[1, 2], [3, 4]])  # [1, 4]
    """
    return torch.diagonal(_t(x), offset=offset, dim1=axis1, dim2=axis2)


def trace(x, offset: int = 0, axis1: int = 0, axis2: int = 1) -> torch.Tensor:
    """Sum along a diagonal.

    Args:
        x: Input tensor, rank >= 2.
        offset: Diagonal offset.
        axis1: First axis.
        axis2: Second axis.

    Returns:
        The sums of the diagonals.

    Example:
    >>> keras.ops.trace([[1, 2], [3, 4]])  # 5
    """
    x = _t(x)
    return torch.diagonal(x, offset=offset, dim1=axis1, dim2=axis2).sum(-1, dtype=_acc_dtype(x))


def meshgrid(*x, indexing: str = "xy") -> list[torch.Tensor]:
    """Coordinate grids from 1-D coordinate vectors.

    Args:
        *x: 1-D tensors.
        indexing: `"xy"` (Cartesian) or `"ij"` (matrix).

    Returns:
        A list of N-D grids.

    Example:
    >>> xs, ys = keras.ops.meshgrid([1, 2, 3], [4, 5])  # shapes (2, 3)
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(f"keras.ops.meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}.")
    return list(torch.meshgrid(*[_t(v) for v in x], indexing=indexing))


# ------------------------------------------------------------------ shapes


def ndim(x) -> int:
    """Number of dimensions of `x`.

    Args:
        x: Input tensor.

    Returns:
        The rank, an int.

    Example:
    >>> keras.ops.ndim([[1, 2]])  # 2
    """
    if isinstance(x, SymbolicTensor):  # a functional-API input: its rank is known
        return len(x.shape)
    return _t(x).dim()


def size(x) -> int:
    """Number of elements of `x`.

    Args:
        x: Input tensor.

    Returns:
        The element count, an int.

    Example:
    >>> keras.ops.size([[1, 2]])  # 2
    """
    return _t(x).numel()


def reshape(x, newshape) -> torch.Tensor:
    """Gives `x` a new shape (one entry may be -1).

    Args:
        x: Input tensor.
        newshape: Target shape.

    Returns:
        The reshaped tensor.

    Example:
    >>> keras.ops.reshape([1, 2, 3, 4], (2, -1)).shape  # (2, 2)
    """
    x = _t(x)
    target = _shape_tuple(newshape)
    try:
        return x.reshape(target)
    except RuntimeError as err:
        raise ValueError(
            f"keras.ops.reshape: cannot reshape a tensor of shape {tuple(x.shape)} "
            f"({x.numel()} elements) to {target}; the element counts must match."
        ) from err


def transpose(x, axes=None) -> torch.Tensor:
    """Permutes the axes (reverses them when `axes` is None).

    Args:
        x: Input tensor.
        axes: Permutation of `range(ndim)`.

    Returns:
        The transposed tensor.

    Example:
    >>> keras.ops.transpose(keras.ops.zeros((2, 3))).shape  # (3, 2)
    """
    x = _t(x)
    if axes is None:
        return x.permute(tuple(builtins.range(x.dim() - 1, -1, -1)))
    perm = [_axis(a, x.dim()) for a in axes]
    if sorted(perm) != list(builtins.range(x.dim())):
        raise ValueError(
            f"keras.ops.transpose: axes {tuple(axes)} are not a permutation of the "
            f"{x.dim()} axes of a tensor of shape {tuple(x.shape)}."
        )
    return x.permute(perm)


def moveaxis(x, source, destination) -> torch.Tensor:
    """Moves axes to new positions.

    Args:
        x: Input tensor.
        source: Axis or axes to move.
        destination: Their new positions.

    Returns:
        The tensor with axes moved.

    Example:
    >>> keras.ops.moveaxis(keras.ops.zeros((2, 3, 4)), 0, -1).shape  # (3, 4, 2)
    """
    return torch.movedim(_t(x), source, destination)


def swapaxes(x, axis1: int, axis2: int) -> torch.Tensor:
    """Swaps two axes.

    Args:
        x: Input tensor.
        axis1: First axis.
        axis2: Second axis.

    Returns:
        The tensor with the axes swapped.

    Example:
    >>> keras.ops.swapaxes(keras.ops.zeros((2, 3)), 0, 1).shape  # (3, 2)
    """
    return torch.swapaxes(_t(x), axis1, axis2)


def expand_dims(x, axis) -> torch.Tensor:
    """Inserts size-1 axes at `axis` (an int or a tuple).

    Args:
        x: Input tensor.
        axis: Position(s) in the output of the new axes.

    Returns:
        The expanded tensor.

    Example:
    >>> keras.ops.expand_dims([1, 2], 0).shape  # (1, 2)
    """
    x = _t(x)
    if not isinstance(axis, (list, tuple)):
        return x.unsqueeze(axis)
    out_rank = x.dim() + len(axis)
    new = sorted(_axis(a, out_rank) for a in axis)
    for a in new:
        x = x.unsqueeze(a)
    return x


def squeeze(x, axis=None) -> torch.Tensor:
    """Removes size-1 axes (all of them, or those in `axis`).

    Args:
        x: Input tensor.
        axis: None, an int or a tuple of ints.

    Returns:
        The squeezed tensor.

    Example:
    >>> keras.ops.squeeze(keras.ops.zeros((1, 3, 1))).shape  # (3,)
    """
    x = _t(x)
    if axis is None:
        return x.squeeze()
    dims = _axes(axis, x.dim())
    for d in dims:
        if x.shape[d] != 1:
            raise ValueError(
                f"keras.ops.squeeze: cannot squeeze axis {d} of a tensor of shape "
                f"{tuple(x.shape)}: its size is {x.shape[d]}, not 1."
            )
    return x.squeeze(dims)


def broadcast_to(x, shape) -> torch.Tensor:
    """Broadcasts `x` to `shape`.

    Args:
        x: Input tensor.
        shape: Target shape.

    Returns:
        The broadcast tensor (a view).

    Example:
    >>> keras.ops.broadcast_to([1, 2], (3, 2)).shape  # (3, 2)
    """
    x = _t(x)
    target = _shape_tuple(shape)
    try:
        return torch.broadcast_to(x, target)
    except RuntimeError as err:
        raise ValueError(
            f"keras.ops.broadcast_to: cannot broadcast shape {tuple(x.shape)} to {target}; "
            "each dimension must match or be 1."
        ) from err


def _seq(xs) -> list[torch.Tensor]:
    tensors = [_t(v) for v in xs]
    if len(tensors) > 1:
        dt = tensors[0].dtype
        for t in tensors[1:]:
            dt = torch.promote_types(dt, t.dtype)
        tensors = [t.to(dt) for t in tensors]
    return tensors


def concatenate(xs, axis: int = 0) -> torch.Tensor:
    """Joins tensors along an existing axis (flattened first when `axis` is None).

    Args:
        xs: Sequence of tensors.
        axis: Axis to join along.

    Returns:
        The concatenated tensor.

    Example:
    >>> keras.ops.concatenate([[1, 2], [3]])  # [1, 2, 3]
    """
    tensors = _seq(xs)
    if axis is None:
        return torch.cat([t.reshape(-1) for t in tensors])
    try:
        return torch.cat(tensors, dim=axis)
    except RuntimeError as err:
        shapes = [tuple(t.shape) for t in tensors]
        raise ValueError(
            f"keras.ops.concatenate: shapes {shapes} cannot be joined along axis {axis}; "
            "all other dimensions must match."
        ) from err


def append(x1, x2, axis=None) -> torch.Tensor:
    """Appends `x2` to `x1` (flattening both when `axis` is None).

    Args:
        x1: First tensor.
        x2: Second tensor.
        axis: Axis to join along, or None.

    Returns:
        The joined tensor.

    Example:
    >>> keras.ops.append([1, 2], [[3]])  # [1, 2, 3]
    """
    return concatenate([x1, x2], axis=axis)


def stack(x, axis: int = 0) -> torch.Tensor:
    """Joins tensors along a new axis.

    Args:
        x: Sequence of same-shape tensors.
        axis: Position of the new axis.

    Returns:
        The stacked tensor.

    Example:
    >>> keras.ops.stack([[1, 2], [3, 4]], axis=1)  # [[1, 3], [2, 4]]
    """
    tensors = _seq(x)
    shapes = {tuple(t.shape) for t in tensors}
    if len(shapes) > 1:
        raise ValueError(
            f"keras.ops.stack needs tensors of one shape; got shapes "
            f"{[tuple(t.shape) for t in tensors]}."
        )
    return torch.stack(tensors, dim=axis)


def hstack(xs) -> torch.Tensor:
    """Stacks horizontally (axis 1, or 0 for 1-D tensors).

    Args:
        xs: Sequence of tensors.

    Returns:
        The stacked tensor.

    Example:
    >>> keras.ops.hstack([[1], [2]])  # [1, 2]
    """
    return torch.hstack(_seq(xs))


def vstack(xs) -> torch.Tensor:
    """Stacks vertically (along axis 0, 1-D tensors becoming rows).

    Args:
        xs: Sequence of tensors.

    Returns:
        The stacked tensor.

    Example:
    >>> keras.ops.vstack([[1, 2], [3, 4]]).shape  # (2, 2)
    """
    return torch.vstack(_seq(xs))


def split(x, indices_or_sections, axis: int = 0) -> list[torch.Tensor]:
    """Splits into equal sections (an int) or at the given indices (a list).

    Args:
        x: Input tensor.
        indices_or_sections: Number of equal sections, or sorted split indices.
        axis: Axis to split along.

    Returns:
        A list of tensors.

    Example:
    >>> [t.tolist() for t in keras.ops.split([1, 2, 3, 4], 2)]  # [[1, 2], [3, 4]]
    """
    x = _t(x)
    a = _axis(axis, x.dim())
    if isinstance(indices_or_sections, int):
        n = x.shape[a]
        if indices_or_sections <= 0 or n % indices_or_sections:
            raise ValueError(
                f"keras.ops.split: axis {axis} of size {n} does not split into "
                f"{indices_or_sections} equal sections; pass a list of split indices instead."
            )
    else:
        indices_or_sections = [int(i) for i in indices_or_sections]
    return list(torch.tensor_split(x, indices_or_sections, dim=a))


def tile(x, repeats) -> torch.Tensor:
    """Repeats the whole tensor `repeats` times along each axis.

    Args:
        x: Input tensor.
        repeats: Int or one int per axis (shorter sequences apply to the last axes).

    Returns:
        The tiled tensor.

    Example:
    >>> keras.ops.tile([1, 2], 2)  # [1, 2, 1, 2]
    """
    return torch.tile(_t(x), _shape_tuple(repeats))


def repeat(x, repeats, axis=None) -> torch.Tensor:
    """Repeats each element `repeats` times along `axis` (flattened when None).

    Args:
        x: Input tensor.
        repeats: Int, or one count per element along `axis`.
        axis: Axis, or None.

    Returns:
        The repeated tensor.

    Example:
    >>> keras.ops.repeat([1, 2], 2)  # [1, 1, 2, 2]
    """
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    r = repeats if isinstance(repeats, int) else _t(repeats).to(torch.long)
    return torch.repeat_interleave(x, r, dim=_axis(axis, x.dim()))


def flip(x, axis=None) -> torch.Tensor:
    """Reverses the order of elements along `axis` (all axes when None).

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.

    Returns:
        The flipped tensor.

    Example:
    >>> keras.ops.flip([1, 2, 3])  # [3, 2, 1]
    """
    x = _t(x)
    return torch.flip(x, _axes(axis, x.dim()))


def roll(x, shift, axis=None) -> torch.Tensor:
    """Rolls elements along `axis` (of the flattened tensor when None).

    Args:
        x: Input tensor.
        shift: Number of places (or one per axis).
        axis: Int, tuple of ints, or None.

    Returns:
        The rolled tensor.

    Example:
    >>> keras.ops.roll([1, 2, 3], 1)  # [3, 1, 2]
    """
    return torch.roll(_t(x), shift, dims=axis)


def _wrap_indices(indices: torch.Tensor, n: int) -> torch.Tensor:
    idx = indices.to(torch.long)
    if idx.numel() and values_readable(idx):
        # On a GPU this costs one sync, but an out-of-range index there is a device-side
        # assert that breaks every later CUDA call of the process.
        lo, hi = int(idx.min()), int(idx.max())
        if lo < -n or hi >= n:
            bad = lo if lo < -n else hi
            raise IndexError(f"index {bad} is out of bounds for an axis of size {n}.")
    return torch.where(idx < 0, idx + n, idx)


def take(x, indices, axis=None) -> torch.Tensor:
    """Takes elements along `axis` (from the flattened tensor when None).

    Negative indices count from the end, as in NumPy.

    Args:
        x: Input tensor.
        indices: Integer indices.
        axis: Axis, or None.

    Returns:
        The gathered tensor: `x.shape[:axis] + indices.shape + x.shape[axis+1:]`.

    Example:
    >>> keras.ops.take([[1, 2], [3, 4]], [3, 0])  # [4, 1]
    """
    x = _t(x)
    indices = _t(indices)
    if axis is None:
        x, axis = x.reshape(-1), 0
    a = _axis(axis, x.dim())
    idx = _wrap_indices(indices.to(x.device), x.shape[a])
    out = x.index_select(a, idx.reshape(-1))
    return out.reshape(tuple(x.shape[:a]) + tuple(idx.shape) + tuple(x.shape[a + 1 :]))


def take_along_axis(x, indices, axis=None) -> torch.Tensor:
    """Picks values along `axis` with indices of matching (broadcastable) shape.

    Args:
        x: Input tensor.
        indices: Integer indices, same rank as `x`.
        axis: Axis, or None (both are flattened).

    Returns:
        The gathered tensor.

    Example:
    >>> keras.ops.take_along_axis([[10, 30, 20]], [[1, 2]], axis=1)  # [[30, 20]]
    """
    x = _t(x)
    indices = _t(indices)
    if axis is None:
        x, indices, axis = x.reshape(-1), indices.reshape(-1), 0
    if indices.dim() != x.dim():
        raise ValueError(
            f"keras.ops.take_along_axis: indices (shape {tuple(indices.shape)}) must have the "
            f"rank of x (shape {tuple(x.shape)})."
        )
    a = _axis(axis, x.dim())
    return torch.take_along_dim(x, _wrap_indices(indices.to(x.device), x.shape[a]), dim=a)


def where(condition, x1=None, x2=None):
    """Picks `x1` where `condition` is true, else `x2` (or `nonzero(condition)`).

    Args:
        condition: Boolean tensor.
        x1: Values where true.
        x2: Values where false.

    Returns:
        The selected tensor, or a tuple of indices when `x1` and `x2` are None.

    Example:
    >>> keras.ops.where([True, False], 1, 0)  # [1, 0]
    """
    if x1 is None and x2 is None:
        return nonzero(condition)
    if x1 is None or x2 is None:
        raise ValueError(
            "keras.ops.where: pass both `x1` and `x2`, or neither (to get the indices of "
            "`condition`'s true elements)."
        )
    a, b = _operands(x1, x2)
    return torch.where(_t(condition).bool(), a, b)


def select(condlist, choicelist, default=0) -> torch.Tensor:
    """Picks from `choicelist` by the first true condition in `condlist`.

    Args:
        condlist: List of boolean tensors.
        choicelist: List of tensors, one per condition.
        default: Value where no condition holds.

    Returns:
        The selected tensor.

    Example:
    >>> keras.ops.select([[True, False], [False, True]], [[1, 1], [2, 2]])  # [1, 2]
    """
    if len(condlist) != len(choicelist):
        raise ValueError(
            f"keras.ops.select: condlist has {len(condlist)} entries but choicelist has "
            f"{len(choicelist)}; they must match."
        )
    choices = _seq(list(choicelist))
    out = _t(default)
    if choices:
        out = out.to(torch.promote_types(out.dtype, choices[0].dtype))
    for cond, choice in builtins.zip(reversed(list(condlist)), reversed(choices)):
        out = torch.where(_t(cond).bool(), choice.to(out.dtype), out)
    return out


def get_item(x, key) -> torch.Tensor:
    """`x[key]`.

    Args:
        x: Input tensor.
        key: Index, slice, tuple, or tensor index.

    Returns:
        The indexed tensor.

    Example:
    >>> keras.ops.get_item([1, 2, 3], 1)  # 2
    """
    return _t(x)[key]


def _pad_index(n: int, before: int, after: int, mode: str) -> torch.Tensor:
    i = np.arange(-before, n + after)
    if mode == "edge":
        i = np.clip(i, 0, n - 1)
    elif mode == "wrap":
        i = np.mod(i, n)
    elif mode == "reflect":
        period = 2 * (n - 1) if n > 1 else 1
        i = np.mod(i, period)
        i = np.where(i >= n, period - i, i)
    else:  # symmetric
        i = np.mod(i, 2 * n)
        i = np.where(i >= n, 2 * n - 1 - i, i)
    return torch.from_numpy(i)


_PAD_MODES = ("constant", "edge", "reflect", "symmetric", "wrap")


def pad(x, pad_width, mode: str = "constant", constant_values=None) -> torch.Tensor:
    """Pads a tensor (NumPy `pad` semantics).

    Args:
        x: Input tensor.
        pad_width: Int, `(before, after)`, or one `(before, after)` pair per axis.
        mode: `"constant"`, `"edge"`, `"reflect"`, `"symmetric"` or `"wrap"`.
        constant_values: Fill value for `"constant"` (default 0).

    Returns:
        The padded tensor.

    Example:
    >>> keras.ops.pad([1, 2], (1, 2))  # [0, 1, 2, 0, 0]
    """
    x = _t(x)
    if mode not in _PAD_MODES:
        raise ValueError(f"keras.ops.pad: unsupported mode {mode!r}; use one of {_PAD_MODES}.")
    if constant_values is not None and mode != "constant":
        raise ValueError(
            f"keras.ops.pad: `constant_values` only applies to mode='constant'; got mode={mode!r}."
        )
    try:
        widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (x.dim(), 2))
    except ValueError as err:
        raise ValueError(
            f"keras.ops.pad: pad_width {pad_width!r} does not fit a tensor of rank {x.dim()}; "
            "give an int, a (before, after) pair, or one pair per axis."
        ) from err
    if mode == "constant":
        flat = [int(v) for pair in widths[::-1] for v in pair]
        value = 0 if constant_values is None else constant_values
        if isinstance(value, torch.Tensor):
            value = value.item()
        return torch.nn.functional.pad(x, flat, value=value)
    for d, (before, after) in enumerate(widths):
        if before or after:
            if x.shape[d] == 0:
                raise ValueError(f"keras.ops.pad: cannot {mode}-pad empty axis {d}.")
            index = _pad_index(x.shape[d], int(before), int(after), mode).to(x.device)
            x = x.index_select(d, index)
    return x


# ------------------------------------------------------------------ products


def matmul(x1, x2) -> torch.Tensor:
    """Matrix product (batched over leading axes, NumPy `matmul` rules).

    Args:
        x1: First tensor.
        x2: Second tensor.

    Returns:
        The product.

    Example:
    >>> keras.ops.matmul(keras.ops.ones((2, 3)), keras.ops.ones((3, 4))).shape  # (2, 4)
    """
    a, b = _operands(x1, x2)
    try:
        return torch.matmul(a, b)
    except RuntimeError as err:
        if a.dim() and b.dim() and a.shape[-1] == b.shape[-2 if b.dim() > 1 else 0]:
            raise  # not a shape mismatch (devices, dtypes): torch's message says what
        raise ValueError(
            f"keras.ops.matmul: shapes {tuple(a.shape)} and {tuple(b.shape)} are incompatible; "
            "the last axis of x1 must equal the second-to-last axis of x2."
        ) from err


def dot(x1, x2) -> torch.Tensor:
    """NumPy `dot`: inner product, matrix product, or sum-product over the last axes.

    Args:
        x1: First tensor.
        x2: Second tensor.

    Returns:
        The product.

    Example:
    >>> keras.ops.dot([1, 2], [3, 4])  # 11
    """
    a, b = _operands(x1, x2)
    if a.dim() == 0 or b.dim() == 0:
        return a * b
    if b.dim() == 1:
        return torch.tensordot(a, b, dims=([a.dim() - 1], [0]))
    return torch.tensordot(a, b, dims=([a.dim() - 1], [b.dim() - 2]))


def vdot(x1, x2) -> torch.Tensor:
    """Dot product of the flattened tensors (conjugating `x1`).

    Args:
        x1: First tensor.
        x2: Second tensor.

    Returns:
        A scalar.

    Example:
    >>> keras.ops.vdot([[1, 2]], [[3, 4]])  # 11
    """
    a, b = _operands(x1, x2)
    return torch.vdot(a.reshape(-1), b.reshape(-1))


def inner(x1, x2) -> torch.Tensor:
    """Sum-product over the last axes.

    Args:
        x1: First tensor.
        x2: Second tensor.

    Returns:
        The inner product.

    Example:
    >>> keras.ops.inner([1, 2], [3, 4])  # 11
    """
    a, b = _operands(x1, x2)
    return torch.inner(a, b)


def outer(x1, x2) -> torch.Tensor:
    """Outer product of the flattened tensors.

    Args:
        x1: First tensor.
        x2: Second tensor.

    Returns:
        A 2-D tensor.

    Example:
    >>> keras.ops.outer([1, 2], [3, 4])  # [[3, 4], [6, 8]]
    """
    a, b = _operands(x1, x2)
    return torch.outer(a.reshape(-1), b.reshape(-1))


def tensordot(x1, x2, axes=2) -> torch.Tensor:
    """Sum-product over the given axes.

    Args:
        x1: First tensor.
        x2: Second tensor.
        axes: Int (last N of `x1` with first N of `x2`) or a pair of axis lists.

    Returns:
        The contraction.

    Example:
    >>> keras.ops.tensordot(keras.ops.ones((2, 3)), keras.ops.ones((3, 4)), axes=1).shape
    """
    a, b = _operands(x1, x2)
    if not isinstance(axes, int):
        axes = tuple(list(ax) if isinstance(ax, (list, tuple)) else [ax] for ax in axes)
    return torch.tensordot(a, b, dims=axes)


def einsum(subscripts: str, *operands) -> torch.Tensor:
    """Einstein summation.

    Args:
        subscripts: The subscripts, e.g. `"ij,jk->ik"`.
        *operands: The tensors.

    Returns:
        The result.

    Example:
    >>> keras.ops.einsum("i,i->", [1.0, 2.0], [3.0, 4.0])  # 11.
    """
    return torch.einsum(subscripts, *_seq(operands))


def cross(x1, x2, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis=None) -> torch.Tensor:
    """Cross product of 3-vectors.

    Args:
        x1: First tensor of vectors.
        x2: Second tensor of vectors.
        axisa: Vector axis of `x1`.
        axisb: Vector axis of `x2`.
        axisc: Vector axis of the result.
        axis: If set, overrides the three axes.

    Returns:
        The cross products.

    Example:
    >>> keras.ops.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0])  # [0., 0., 1.]
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = _operands(x1, x2)
    a = torch.movedim(a, axisa, -1)
    b = torch.movedim(b, axisb, -1)
    if a.shape[-1] != 3 or b.shape[-1] != 3:
        raise ValueError(
            f"keras.ops.cross supports 3-vectors; got vector sizes {a.shape[-1]} and {b.shape[-1]}."
        )
    a, b = torch.broadcast_tensors(a, b)
    return torch.movedim(torch.linalg.cross(a, b, dim=-1), -1, axisc)


def slogdet(x) -> tuple[torch.Tensor, torch.Tensor]:
    """Sign and log absolute determinant of square matrices.

    Args:
        x: Tensor of shape `(..., M, M)`.

    Returns:
        `(sign, logabsdet)`.

    Example:
    >>> keras.ops.slogdet([[2.0, 0.0], [0.0, 3.0]])  # (1., log(6))
    """
    out = torch.linalg.slogdet(_float(_t(x)))
    return out.sign, out.logabsdet


# ------------------------------------------------------------------ more NumPy-style ops
# (Keras 3.15 additions.) Float-valued ops on integers give floatx, as elsewhere in this file.

cbrt = _make_unary(
    "cbrt",
    lambda x: torch.sign(x) * torch.abs(x).pow(1.0 / 3.0),
    "Cube root.",
    "cbrt([-8.0, 27.0])  # [-2., 3.]",
    to_float=True,
)
deg2rad = _make_unary(
    "deg2rad", lambda x: x * (np.pi / 180.0), "Degrees to radians.", "deg2rad([180.])", True
)
rad2deg = _make_unary(
    "rad2deg", lambda x: x * (180.0 / np.pi), "Radians to degrees.", "rad2deg([np.pi])", True
)
fabs = _make_unary("fabs", torch.abs, "Absolute value as floats.", "fabs([-2])  # [2.]", True)
sinc = _make_unary(
    "sinc", torch.sinc, "Normalised sinc, `sin(pi x) / (pi x)`.", "sinc([0.0])  # [1.]", True
)
i0 = _make_unary(
    "i0", torch.special.i0, "Modified Bessel function of order 0.", "i0([0.0])  # [1.]", True
)
angle = _make_unary(
    "angle",
    lambda x: torch.angle(x),
    "Counterclockwise angle of complex numbers (pi for negative reals).",
    "angle([-1.0])  # [3.1416]",
    to_float=True,
)
signbit = _make_unary(
    "signbit",
    lambda x: torch.signbit(x) if x.dtype != torch.bool else torch.zeros_like(x),
    "True where the sign bit is set (negative numbers and -0.0).",
    "signbit([-0.0, 1.0])  # [True, False]",
)
isposinf = _make_unary(
    "isposinf", torch.isposinf, "True where `x` is +inf.", "isposinf([np.inf])  # [True]"
)
isneginf = _make_unary(
    "isneginf", torch.isneginf, "True where `x` is -inf.", "isneginf([-np.inf])  # [True]"
)
isreal = _make_unary(
    "isreal",
    lambda x: x.imag == 0 if x.is_complex() else torch.ones_like(x, dtype=torch.bool),
    "True where the imaginary part is zero.",
    "isreal([1.0])  # [True]",
)
fliplr = _make_unary(
    "fliplr", lambda x: _flip_axis(x, 1, "fliplr"), "Reverses axis 1.", "fliplr([[1, 2]])"
)
flipud = _make_unary(
    "flipud", lambda x: _flip_axis(x, 0, "flipud"), "Reverses axis 0.", "flipud([[1], [2]])"
)


def _flip_axis(x: torch.Tensor, axis: int, name: str) -> torch.Tensor:
    if x.dim() <= axis:
        raise ValueError(
            f"keras.ops.{name} needs an input of rank >= {axis + 1}; got shape {tuple(x.shape)}."
        )
    return torch.flip(x, dims=(axis,))


def _int_operands(name: str, x1, x2) -> tuple[torch.Tensor, torch.Tensor]:
    a, b = _operands(x1, x2)
    if a.is_floating_point() or a.is_complex():
        raise TypeError(
            f"keras.ops.{name} needs integer or bool inputs; got dtype "
            f"{str(a.dtype).replace('torch.', '')}."
        )
    return a, b


def _make_bitwise(name: str, fn: Callable, summary: str, example: str, arg_names=("x", "y")):
    first, second = arg_names

    def op(x, y) -> torch.Tensor:
        a, b = _int_operands(name, x, y)
        return fn(a, b)

    if arg_names != ("x", "y"):
        # Keras names the operands x1/x2 for some of these (gcd, lcm).
        def op(x1, x2) -> torch.Tensor:  # noqa: F811
            a, b = _int_operands(name, x1, x2)
            return fn(a, b)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"""{summary}

    Args:
        {first}: First integer input tensor.
        {second}: Second integer input tensor (broadcast against the first).

    Returns:
        Output tensor, element-wise.

    Example:
    >>> keras.ops.{example}
    """
    return op


bitwise_and = _make_bitwise("bitwise_and", torch.bitwise_and, "Bit-wise AND.", "bitwise_and(6, 3)")
bitwise_or = _make_bitwise("bitwise_or", torch.bitwise_or, "Bit-wise OR.", "bitwise_or(6, 3)")
bitwise_xor = _make_bitwise("bitwise_xor", torch.bitwise_xor, "Bit-wise XOR.", "bitwise_xor(6, 3)")


def _tf_shift(which: str) -> Callable:
    # Keras 3 with TensorFlow shifts through tf.bitwise: the shift amount is clamped to
    # [0, bits - 1] (torch gives 0 for negative or too-large amounts) and uint16-uint64
    # work.
    from tork.ops import bitwise as _bitwise

    tf_op = _bitwise.left_shift if which == "left" else _bitwise.right_shift

    def shift(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        if a.dtype == torch.bool:
            raise TypeError(
                f"keras.ops.{which}_shift needs integer inputs; got dtype bool (cast it to "
                "an integer dtype first)."
            )
        return tf_op(a, b.to(a.dtype))

    return shift


bitwise_left_shift = _make_bitwise(
    "bitwise_left_shift", _tf_shift("left"), "Shifts bits left.", "bitwise_left_shift(1, 3)"
)
bitwise_right_shift = _make_bitwise(
    "bitwise_right_shift",
    _tf_shift("right"),
    "Shifts bits right (arithmetic shift for signed integers).",
    "bitwise_right_shift(8, 2)  # 2",
)
left_shift = _make_bitwise(
    "left_shift", _tf_shift("left"), "Alias of `bitwise_left_shift`.", "left_shift(1, 3)"
)
right_shift = _make_bitwise(
    "right_shift", _tf_shift("right"), "Alias of `bitwise_right_shift`.", "right_shift(8, 2)"
)
gcd = _make_bitwise("gcd", torch.gcd, "Greatest common divisor.", "gcd(12, 8)  # 4", ("x1", "x2"))
lcm = _make_bitwise("lcm", torch.lcm, "Least common multiple.", "lcm(4, 6)  # 12", ("x1", "x2"))


def _bitwise_invert(x) -> torch.Tensor:
    x = _t(x)
    if x.is_floating_point() or x.is_complex():
        raise TypeError(
            "keras.ops.bitwise_invert needs integer or bool inputs; got dtype "
            f"{str(x.dtype).replace('torch.', '')}."
        )
    return torch.bitwise_not(x)


def bitwise_invert(x) -> torch.Tensor:
    """Bit-wise NOT (`~x`; logical NOT for bools).

    Args:
        x: Integer or bool input tensor.

    Returns:
        Output tensor, element-wise.

    Example:
    >>> keras.ops.bitwise_invert([0, 3])  # [-1, -4]
    """
    return _bitwise_invert(x)


def bitwise_not(x) -> torch.Tensor:
    """Alias of `bitwise_invert`.

    Args:
        x: Integer or bool input tensor.

    Returns:
        Output tensor, element-wise.

    Example:
    >>> keras.ops.bitwise_not([0, 3])  # [-1, -4]
    """
    return _bitwise_invert(x)


def _nan_choose(fn):
    # fmax/fmin ignore a NaN when the other operand is a number.
    def run(a, b):
        if not a.is_floating_point():
            return fn(a, b)
        return torch.where(torch.isnan(a), b, torch.where(torch.isnan(b), a, fn(a, b)))

    return run


fmax = _make_binary(
    "fmax", _nan_choose(torch.maximum), "Element-wise maximum, ignoring NaNs.", "fmax([1.], 2.)"
)
fmin = _make_binary(
    "fmin", _nan_choose(torch.minimum), "Element-wise minimum, ignoring NaNs.", "fmin([1.], 2.)"
)
fmod = _make_binary(
    "fmod", torch.fmod, "Remainder with the sign of `x1` (C `fmod`).", "fmod(-7, 3)  # -1"
)
hypot = _make_binary("hypot", torch.hypot, "`sqrt(x1**2 + x2**2)`.", "hypot(3., 4.)  # 5.", True)
logaddexp2 = _make_binary(
    "logaddexp2", torch.logaddexp2, "`log2(2**x1 + 2**x2)`.", "logaddexp2(1., 1.)  # 2.", True
)
kron = _make_binary(
    "kron", torch.kron, "Kronecker product.", "kron([1, 2], [1, 1])  # [1, 1, 2, 2]"
)


def heaviside(x1, x2) -> torch.Tensor:
    """Heaviside step: 0 where `x1 < 0`, `x2` where `x1 == 0`, 1 where `x1 > 0`.

    Args:
        x1: Input tensor.
        x2: Value used where `x1` is 0.

    Returns:
        Output tensor (floatx for integer inputs).

    Example:
    >>> keras.ops.heaviside([-1.0, 0.0, 2.0], 0.5)  # [0., 0.5, 1.]
    """
    a, b = _operands(x1, x2)
    a, b = _float(a), _float(b)
    # NaN stays NaN, as in NumPy (torch.heaviside gives 0).
    return torch.where(torch.isnan(a), a, torch.heaviside(a, b))


def ldexp(x1, x2) -> torch.Tensor:
    """`x1 * 2**x2`, element-wise.

    Args:
        x1: Mantissas.
        x2: Integer exponents.

    Returns:
        Output tensor (floatx for integer `x1`).

    Example:
    >>> keras.ops.ldexp([1.0, 2.0], [2, 3])  # [4., 16.]
    """
    e = _t(x2) if not isinstance(x2, int) else x2
    if isinstance(e, torch.Tensor) and (e.is_floating_point() or e.is_complex()):
        raise TypeError(
            "keras.ops.ldexp exponent must be an integer type; got dtype "
            f"{str(e.dtype).replace('torch.', '')}."
        )
    m = _float(_t(x1))
    e = torch.as_tensor(e, device=m.device)
    return m * torch.pow(torch.tensor(2.0, dtype=m.dtype, device=m.device), e.to(m.dtype))


def nextafter(x1, x2) -> torch.Tensor:
    """The next representable float after `x1` towards `x2`.

    Args:
        x1: Start values.
        x2: Directions.

    Returns:
        Output tensor (floatx for integer inputs).

    Example:
    >>> keras.ops.nextafter([1.0], 2.0)  # [1.0000001]
    """
    a, b = _operands(x1, x2)
    a, b = _float(a), _float(b)
    return torch.nextafter(a, b)


def allclose(x1, x2, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False):
    """Whether all elements satisfy `|x1 - x2| <= atol + rtol * |x2|`.

    Args:
        x1: First input tensor.
        x2: Second input tensor.
        rtol: Relative tolerance.
        atol: Absolute tolerance.
        equal_nan: Whether NaNs compare equal.

    Returns:
        A scalar bool tensor.

    Example:
    >>> keras.ops.allclose([1.0, 2.0], [1.0, 2.0 + 1e-7])  # True
    """
    return torch.all(isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


def empty_like(x, dtype=None) -> torch.Tensor:
    """An uninitialised tensor with the shape (and dtype, unless given) of `x`.

    Args:
        x: Input tensor.
        dtype: Optional dtype.

    Returns:
        A tensor whose values are undefined.

    Example:
    >>> keras.ops.empty_like([[1, 2]]).shape  # (1, 2)
    """
    x = _t(x)
    return torch.empty_like(x, dtype=_dtype(dtype) or x.dtype)


def _window(name: str, x, fn) -> torch.Tensor:
    n = int(x)
    if n <= 0:
        return torch.zeros((0,), dtype=floatx_dtype())
    if n == 1:
        return torch.ones((1,), dtype=floatx_dtype())
    k = torch.arange(n, dtype=torch.float64)
    return fn(k, n).to(floatx_dtype())


def bartlett(x) -> torch.Tensor:
    """The Bartlett (triangular) window of `x` points.

    Args:
        x: Number of points.

    Returns:
        A float32 tensor of shape `(x,)`.

    Example:
    >>> keras.ops.bartlett(5)  # [0., 0.5, 1., 0.5, 0.]
    """
    return _window("bartlett", x, lambda k, n: 1 - torch.abs(2 * k / (n - 1) - 1))


def blackman(x) -> torch.Tensor:
    """The Blackman window of `x` points.

    Args:
        x: Number of points.

    Returns:
        A float32 tensor of shape `(x,)`.

    Example:
    >>> keras.ops.blackman(5)  # [0., 0.34, 1., 0.34, 0.]
    """

    def w(k, n):
        t = 2 * np.pi * k / (n - 1)
        return 0.42 - 0.5 * torch.cos(t) + 0.08 * torch.cos(2 * t)

    return _window("blackman", x, w)


def hamming(x) -> torch.Tensor:
    """The Hamming window of `x` points.

    Args:
        x: Number of points.

    Returns:
        A float32 tensor of shape `(x,)`.

    Example:
    >>> keras.ops.hamming(5)  # [0.08, 0.54, 1., 0.54, 0.08]
    """
    return _window("hamming", x, lambda k, n: 0.54 - 0.46 * torch.cos(2 * np.pi * k / (n - 1)))


def hanning(x) -> torch.Tensor:
    """The Hann window of `x` points.

    Args:
        x: Number of points.

    Returns:
        A float32 tensor of shape `(x,)`.

    Example:
    >>> keras.ops.hanning(5)  # [0., 0.5, 1., 0.5, 0.]
    """
    return _window("hanning", x, lambda k, n: 0.5 - 0.5 * torch.cos(2 * np.pi * k / (n - 1)))


def kaiser(x, beta) -> torch.Tensor:
    """The Kaiser window of `x` points.

    Args:
        x: Number of points.
        beta: Shape parameter (0 gives a rectangle; larger is narrower).

    Returns:
        A float32 tensor of shape `(x,)`.

    Example:
    >>> keras.ops.kaiser(5, 14.0)  # [0., 0.1649, 1., 0.1649, 0.]
    """
    b = torch.tensor(float(beta), dtype=torch.float64)

    def w(k, n):
        r = 2 * k / (n - 1) - 1
        return torch.special.i0(b * torch.sqrt(torch.clamp(1 - r * r, min=0))) / torch.special.i0(b)

    return _window("kaiser", x, w)


def geomspace(start, stop, num: int = 50, endpoint: bool = True, dtype=None, axis: int = 0):
    """Numbers spaced evenly on a log scale (a geometric progression).

    Args:
        start: First value (non-zero).
        stop: Last value (included when `endpoint`), of the same sign as `start`.
        num: Number of values.
        endpoint: Whether `stop` is the last value.
        dtype: Output dtype (floatx by default).
        axis: Where the samples go when `start`/`stop` are arrays.

    Returns:
        A tensor of `num` values along `axis`.

    Example:
    >>> keras.ops.geomspace(1, 1000, 4)  # [1., 10., 100., 1000.]
    """
    s = _float(_t(start)).to(torch.float64)
    e = _float(_t(stop)).to(torch.float64)
    s, e = torch.broadcast_tensors(s, e)
    sign = torch.sign(s)
    step = torch.arange(num, dtype=torch.float64, device=s.device) / builtins.max(
        num - 1 if endpoint else num, 1
    )
    shape = (num,) + tuple(s.shape)
    log_s, log_e = torch.log(torch.abs(s)), torch.log(torch.abs(e))
    t = step.reshape((num,) + (1,) * s.dim())
    out = sign * torch.exp(log_s + t * (log_e - log_s))
    # The ends are exact, as in NumPy.
    out = out.expand(shape).clone()
    if num > 0:
        out[0] = s
        if endpoint and num > 1:
            out[-1] = e
    out = torch.moveaxis(out, 0, _axis(axis, out.dim()))
    dt = _dtype(dtype) or floatx_dtype()
    return out.to(dt)


# ------------------------------------------------------------------ NaN-aware reductions


def _nan_filled(x: torch.Tensor, value: float) -> torch.Tensor:
    return (
        torch.where(torch.isnan(x), torch.tensor(value, dtype=x.dtype), x)
        if (x.is_floating_point())
        else x
    )


def nansum(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Sum over `axis`, treating NaNs as zero.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The sum; bool and small integer inputs give int32.

    Example:
    >>> keras.ops.nansum([1.0, np.nan, 2.0])  # 3.
    """
    return sum(_nan_filled(_t(x), 0.0), axis=axis, keepdims=keepdims)


def nanprod(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Product over `axis`, treating NaNs as one.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The product.

    Example:
    >>> keras.ops.nanprod([2.0, np.nan, 3.0])  # 6.
    """
    return prod(_nan_filled(_t(x), 1.0), axis=axis, keepdims=keepdims)


def _nan_count(x: torch.Tensor, axis, keepdims: bool) -> torch.Tensor:
    return _reduce(torch.sum, (~torch.isnan(x)).to(x.dtype), axis, keepdims)


def nanmean(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Mean over `axis`, ignoring NaNs (NaN where a slice is all NaN).

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The mean; integer inputs give floatx.

    Example:
    >>> keras.ops.nanmean([1.0, np.nan, 3.0])  # 2.
    """
    x = _float(_t(x))
    total = _reduce(torch.sum, _nan_filled(x, 0.0), axis, keepdims)
    return total / _nan_count(x, axis, keepdims)


def nanvar(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Population variance over `axis`, ignoring NaNs.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The variance; integer inputs give floatx.

    Example:
    >>> keras.ops.nanvar([1.0, np.nan, 3.0])  # 1.
    """
    x = _float(_t(x))
    centre = nanmean(x, axis=axis, keepdims=True)
    sq = _nan_filled(torch.abs(x - centre) ** 2, 0.0)
    return _reduce(torch.sum, sq, axis, keepdims) / _nan_count(x, axis, keepdims)


def nanstd(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Population standard deviation over `axis`, ignoring NaNs.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The standard deviation; integer inputs give floatx.

    Example:
    >>> keras.ops.nanstd([1.0, np.nan, 3.0])  # 1.
    """
    return torch.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


def _nan_extreme(x, axis, keepdims, fill: float, fn) -> torch.Tensor:
    x = _t(x)
    if not x.is_floating_point():
        return fn(x, axis=axis, keepdims=keepdims)
    nan = torch.isnan(x)
    out = fn(_nan_filled(x, fill), axis=axis, keepdims=keepdims)
    all_nan = all(nan, axis=axis, keepdims=keepdims)
    return torch.where(all_nan, torch.tensor(float("nan"), dtype=x.dtype), out)


def nanmax(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Maximum over `axis`, ignoring NaNs (NaN where a slice is all NaN).

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The maximum.

    Example:
    >>> keras.ops.nanmax([1.0, np.nan, 3.0])  # 3.
    """
    return _nan_extreme(x, axis, keepdims, float("-inf"), max)


def nanmin(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Minimum over `axis`, ignoring NaNs (NaN where a slice is all NaN).

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The minimum.

    Example:
    >>> keras.ops.nanmin([1.0, np.nan, 3.0])  # 1.
    """
    return _nan_extreme(x, axis, keepdims, float("inf"), min)


def _nan_arg(x, axis, keepdims, fill: float, fn) -> torch.Tensor:
    x = _t(x)
    if not x.is_floating_point():
        return fn(x, axis=axis, keepdims=keepdims)
    out = fn(_nan_filled(x, fill), axis=axis, keepdims=keepdims)
    if axis is None:
        all_nan = torch.all(torch.isnan(x))
        if keepdims:
            all_nan = all_nan.reshape([1] * x.dim())
    else:
        all_nan = all(torch.isnan(x), axis=axis, keepdims=keepdims)
    # Keras gives -1 for an all-NaN slice (NumPy raises).
    return torch.where(all_nan, torch.tensor(-1, dtype=out.dtype), out)


def nanargmax(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Index of the maximum along `axis`, ignoring NaNs (-1 for an all-NaN slice).

    Args:
        x: Input tensor.
        axis: Int or None (the flattened tensor).
        keepdims: Keep the reduced axis with size 1.

    Returns:
        An int32 tensor of indices.

    Example:
    >>> keras.ops.nanargmax([np.nan, 1.0, 3.0])  # 2
    """
    return _nan_arg(x, axis, keepdims, float("-inf"), argmax)


def nanargmin(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Index of the minimum along `axis`, ignoring NaNs (-1 for an all-NaN slice).

    Args:
        x: Input tensor.
        axis: Int or None (the flattened tensor).
        keepdims: Keep the reduced axis with size 1.

    Returns:
        An int32 tensor of indices.

    Example:
    >>> keras.ops.nanargmin([np.nan, 1.0, 3.0])  # 1
    """
    return _nan_arg(x, axis, keepdims, float("inf"), argmin)


def nancumsum(x, axis=None, dtype=None) -> torch.Tensor:
    """Cumulative sum along `axis`, treating NaNs as zero.

    Args:
        x: Input tensor.
        axis: Int or None (the flattened tensor).
        dtype: Optional output dtype.

    Returns:
        The cumulative sum.

    Example:
    >>> keras.ops.nancumsum([1.0, np.nan, 2.0])  # [1., 1., 3.]
    """
    return cumsum(_nan_filled(_t(x), 0.0), axis=axis, dtype=dtype)


def nancumprod(x, axis=None, dtype=None) -> torch.Tensor:
    """Cumulative product along `axis`, treating NaNs as one.

    Args:
        x: Input tensor.
        axis: Int or None (the flattened tensor).
        dtype: Optional output dtype.

    Returns:
        The cumulative product.

    Example:
    >>> keras.ops.nancumprod([2.0, np.nan, 3.0])  # [2., 2., 6.]
    """
    return cumprod(_nan_filled(_t(x), 1.0), axis=axis, dtype=dtype)


_QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _check_method(name: str, method: str) -> None:
    if method not in _QUANTILE_METHODS:
        raise ValueError(
            f"keras.ops.{name}: unknown method {method!r}; use one of {_QUANTILE_METHODS}."
        )


def _nan_quantile(x, q, axis, method, keepdims):
    x = _float(_t(x))
    qt = _t(q).to(x.dtype)
    dims = _axes(axis, x.dim())
    rest = [d for d in builtins.range(x.dim()) if d not in dims]
    moved = x.permute(rest + list(dims)).reshape([x.shape[d] for d in rest] + [-1])
    out = torch.nanquantile(moved, qt, dim=-1, interpolation=method)
    if keepdims:
        shape = [1 if d in dims else s for d, s in enumerate(x.shape)]
        out = out.reshape(tuple(qt.shape) + tuple(shape))
    return out


def percentile(x, q, axis=None, method: str = "linear", keepdims: bool = False):
    """The q-th percentiles of `x` along `axis`.

    Args:
        x: Input tensor.
        q: Percentile(s) in `[0, 100]`.
        axis: Int, tuple of ints, or None (all elements).
        method: `"linear"`, `"lower"`, `"higher"`, `"midpoint"` or `"nearest"`.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The percentiles; a 1-D `q` adds a leading axis.

    Example:
    >>> keras.ops.percentile([1.0, 2.0, 3.0, 4.0], 50)  # 2.5
    """
    _check_method("percentile", method)
    return _quantile_core(x, _float(_t(q)) / 100.0, axis, method, keepdims)


def nanquantile(x, q, axis=None, method: str = "linear", keepdims: bool = False):
    """The q-th quantiles of `x` along `axis`, ignoring NaNs.

    Args:
        x: Input tensor.
        q: Quantile(s) in `[0, 1]`.
        axis: Int, tuple of ints, or None (all elements).
        method: `"linear"`, `"lower"`, `"higher"`, `"midpoint"` or `"nearest"`.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The quantiles; a 1-D `q` adds a leading axis.

    Example:
    >>> keras.ops.nanquantile([1.0, np.nan, 3.0], 0.5)  # 2.
    """
    _check_method("nanquantile", method)
    return _nan_quantile(x, q, axis, method, keepdims)


def nanpercentile(x, q, axis=None, method: str = "linear", keepdims: bool = False):
    """The q-th percentiles of `x` along `axis`, ignoring NaNs.

    Args:
        x: Input tensor.
        q: Percentile(s) in `[0, 100]`.
        axis: Int, tuple of ints, or None (all elements).
        method: `"linear"`, `"lower"`, `"higher"`, `"midpoint"` or `"nearest"`.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The percentiles; a 1-D `q` adds a leading axis.

    Example:
    >>> keras.ops.nanpercentile([1.0, np.nan, 3.0], 50)  # 2.
    """
    _check_method("nanpercentile", method)
    return _nan_quantile(x, _float(_t(q)) / 100.0, axis, method, keepdims)


def nanmedian(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Median along `axis`, ignoring NaNs.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The median; integer inputs give floatx.

    Example:
    >>> keras.ops.nanmedian([1.0, np.nan, 3.0, 4.0])  # 3.
    """
    return _nan_quantile(x, 0.5, axis, "linear", keepdims)


def ptp(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Range of values (`max - min`) along `axis`.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The peak-to-peak range, in the input dtype.

    Example:
    >>> keras.ops.ptp([[1, 5], [2, 9]], axis=1)  # [4, 7]
    """
    x = _t(x)
    return max(x, axis=axis, keepdims=keepdims) - min(x, axis=axis, keepdims=keepdims)


# ------------------------------------------------------------------ shapes, splits, misc


def argpartition(x, kth, axis: int = -1) -> torch.Tensor:
    """Indices that partition `x` along `axis` around its `kth` smallest element.

    The element at position `kth` is the one a full sort would put there; smaller
    elements come before it and larger ones after (here in sorted order).

    Args:
        x: Input tensor.
        kth: Int, the partition position (negative counts from the end).
        axis: Axis to partition along.

    Returns:
        An int32 tensor of indices.

    Example:
    >>> keras.ops.argpartition([3, -1, 4, 0], 1)[1]  # 3 (the index of 0)
    """
    x = _t(x)
    a = _axis(axis, x.dim())
    n = x.shape[a]
    k = int(kth)
    if not -n <= k < n:
        raise ValueError(f"keras.ops.argpartition: kth={k} is out of bounds for axis size {n}.")
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    # A stable full sort is a valid partition for every kth.
    return torch.argsort(x, dim=a, stable=True).to(torch.int32)


def array_split(x, indices_or_sections, axis: int = 0) -> list[torch.Tensor]:
    """Splits into `indices_or_sections` nearly equal parts (the first ones one larger).

    Unlike `split`, the axis need not divide evenly; a list of indices splits there.

    Args:
        x: Input tensor.
        indices_or_sections: Positive number of sections, or sorted split indices.
        axis: Axis to split along.

    Returns:
        A list of tensors.

    Example:
    >>> [t.tolist() for t in keras.ops.array_split([1, 2, 3], 2)]  # [[1, 2], [3]]
    """
    x = _t(x)
    a = _axis(axis, x.dim())
    if isinstance(indices_or_sections, (int, np.integer)):
        if indices_or_sections <= 0:
            raise ValueError(
                "keras.ops.array_split: `indices_or_sections` must be a positive integer; "
                f"got {indices_or_sections}."
            )
        return list(torch.tensor_split(x, int(indices_or_sections), dim=a))
    return list(torch.tensor_split(x, [int(i) for i in indices_or_sections], dim=a))


def _split_on(name: str, x, indices_or_sections, axis: int, min_rank: int):
    x = _t(x)
    if x.dim() < min_rank:
        raise ValueError(
            f"keras.ops.{name} needs an input of rank >= {min_rank}; got shape {tuple(x.shape)}."
        )
    return split(x, indices_or_sections, axis=axis)


def hsplit(x, indices_or_sections) -> list[torch.Tensor]:
    """Splits along axis 1 (axis 0 for 1-D inputs), into equal parts or at indices.

    Args:
        x: Input tensor.
        indices_or_sections: Number of equal sections, or sorted split indices.

    Returns:
        A list of tensors.

    Example:
    >>> len(keras.ops.hsplit(np.zeros((2, 4)), 2))  # 2
    """
    x = _t(x)
    return _split_on("hsplit", x, indices_or_sections, 0 if x.dim() == 1 else 1, 1)


def vsplit(x, indices_or_sections) -> list[torch.Tensor]:
    """Splits along axis 0, into equal parts or at indices.

    Args:
        x: Input tensor.
        indices_or_sections: Number of equal sections, or sorted split indices.

    Returns:
        A list of tensors.

    Example:
    >>> len(keras.ops.vsplit(np.zeros((4, 2)), 2))  # 2
    """
    return _split_on("vsplit", x, indices_or_sections, 0, 1)


def dsplit(x, indices_or_sections) -> list[torch.Tensor]:
    """Splits along axis 2 (depth), into equal parts or at indices.

    Args:
        x: Input tensor of rank >= 3.
        indices_or_sections: Number of equal sections, or sorted split indices.

    Returns:
        A list of tensors.

    Example:
    >>> len(keras.ops.dsplit(np.zeros((2, 2, 4)), 2))  # 2
    """
    return _split_on("dsplit", x, indices_or_sections, 2, 3)


def dstack(xs) -> torch.Tensor:
    """Stacks along axis 2 (1-D `(N,)` become `(1, N, 1)`, 2-D `(M, N)` become `(M, N, 1)`).

    Args:
        xs: Sequence of tensors.

    Returns:
        The stacked tensor.

    Example:
    >>> keras.ops.dstack([[1, 2], [3, 4]]).shape  # (1, 2, 2)
    """
    return torch.dstack(_seq(xs))


def diagflat(x, k: int = 0) -> torch.Tensor:
    """A 2-D tensor with the flattened `x` on its `k`-th diagonal.

    Args:
        x: Input tensor (flattened).
        k: Diagonal offset (positive above the main diagonal).

    Returns:
        A square 2-D tensor.

    Example:
    >>> keras.ops.diagflat([1, 2])  # [[1, 0], [0, 2]]
    """
    return torch.diag(_t(x).reshape(-1), diagonal=int(k))


def rot90(array, k: int = 1, axes=(0, 1)) -> torch.Tensor:
    """Rotates by 90 degrees `k` times in the plane of `axes` (from the first towards the second).

    Args:
        array: Input tensor of rank >= 2.
        k: Number of quarter turns (negative turns the other way).
        axes: Two different axes defining the plane.

    Returns:
        The rotated tensor.

    Example:
    >>> keras.ops.rot90([[1, 2], [3, 4]])  # [[2, 4], [1, 3]]
    """
    x = _t(array)
    if x.dim() < 2:
        raise ValueError(
            f"keras.ops.rot90 needs an input of rank >= 2; got shape {tuple(x.shape)}."
        )
    axes = tuple(axes)
    if len(axes) != 2 or _axis(axes[0], x.dim()) == _axis(axes[1], x.dim()):
        raise ValueError(f"keras.ops.rot90: `axes` must be two different dimensions; got {axes}.")
    return torch.rot90(x, int(k), dims=[_axis(a, x.dim()) for a in axes])


def corrcoef(x) -> torch.Tensor:
    """Pearson correlation coefficients between the rows (variables) of `x`.

    Args:
        x: 1-D or 2-D tensor; each row is a variable, each column an observation.

    Returns:
        The correlation matrix (a scalar for 1-D input), floatx for integer inputs.

    Example:
    >>> keras.ops.corrcoef([[1.0, 2.0, 3.0], [2.0, 4.0, 7.0]])  # [[1., 0.99], [0.99, 1.]]
    """
    x = _float(_t(x))
    if x.dim() > 2:
        raise ValueError(
            f"keras.ops.corrcoef needs a 1-D or 2-D input; got shape {tuple(x.shape)}."
        )
    out = torch.corrcoef(x)
    if out.is_floating_point():
        out = torch.clamp(out, -1.0, 1.0)
    return out


def correlate(x1, x2, mode: str = "valid") -> torch.Tensor:
    """Cross-correlation of two 1-D sequences, `c[k] = sum_n x1[n + k] * x2[n]`.

    Args:
        x1: First 1-D tensor.
        x2: Second 1-D tensor.
        mode: `"valid"` (full overlap only), `"same"` (length of the longer input)
            or `"full"` (every overlap).

    Returns:
        A 1-D tensor (floatx for integer inputs).

    Example:
    >>> keras.ops.correlate([1.0, 2.0, 3.0], [0.0, 1.0, 0.5])  # [3.5]
    """
    if mode not in ("valid", "same", "full"):
        raise ValueError(
            f"keras.ops.correlate: unknown mode {mode!r}; use 'valid', 'same' or 'full'."
        )
    a, v = _operands(x1, x2)
    a, v = _float(a), _float(v)
    if a.dim() != 1 or v.dim() != 1:
        raise ValueError(
            "keras.ops.correlate needs 1-D inputs; got shapes "
            f"{tuple(a.shape)} and {tuple(v.shape)}."
        )
    n, m = a.shape[0], v.shape[0]
    v = torch.conj_physical(v) if v.is_complex() else v
    swapped = m > n
    if swapped:
        a, v, n, m = v, a, m, n
    pad = {"valid": (0, 0), "full": (m - 1, m - 1), "same": (m // 2, m - 1 - m // 2)}[mode]
    a = torch.nn.functional.pad(a, pad)
    out = torch.nn.functional.conv1d(a[None, None], v[None, None])[0, 0]
    # With swapped operands the correlation runs the other way round.
    return torch.flip(out, (0,)) if swapped else out


def histogram(x, bins: int = 10, range=None):
    """Counts of `x` in `bins` equal-width bins over `range` (the data's range by default).

    Args:
        x: 1-D input tensor.
        bins: Number of bins.
        range: `(min, max)` of the bins; values outside are ignored.

    Returns:
        `(counts, bin_edges)`, both in the input dtype; `bin_edges` has `bins + 1` values.

    Example:
    >>> keras.ops.histogram([1.0, 2.0, 2.0, 3.0], bins=2)  # ([1., 3.], [1., 2., 3.])
    """
    x = _t(x)
    if x.dim() != 1:
        raise ValueError(f"keras.ops.histogram needs a 1-D input; got shape {tuple(x.shape)}.")
    if not isinstance(bins, (int, np.integer)) or bins <= 0:
        raise ValueError(f"keras.ops.histogram: `bins` must be a positive integer; got {bins}.")
    if range is not None and len(range) != 2:
        raise ValueError(
            f"keras.ops.histogram: `range` must be a tuple of two numbers; got {range}."
        )
    xf = x.to(torch.float64)
    if range is None:
        lo, hi = (xf.min(), xf.max()) if xf.numel() else (xf.new_tensor(0.0), xf.new_tensor(1.0))
    else:
        lo, hi = xf.new_tensor(float(range[0])), xf.new_tensor(float(range[1]))
    hi = torch.where(hi == lo, hi + 0.5, hi)
    lo = torch.where(hi - 0.5 == lo, lo - 0.5, lo) if range is None else lo
    edges = lo + (hi - lo) * torch.arange(bins + 1, dtype=torch.float64, device=x.device) / bins
    inside = (xf >= lo) & (xf <= hi)
    idx = torch.clamp(((xf - lo) / (hi - lo) * bins).floor().to(torch.int64), 0, bins - 1)
    counts = torch.zeros(bins, dtype=torch.float64, device=x.device)
    counts = counts.index_add_(0, idx, inside.to(torch.float64))
    return counts.to(x.dtype), edges.to(x.dtype)


def isin(x1, x2, assume_unique: bool = False, invert: bool = False) -> torch.Tensor:
    """True where an element of `x1` occurs in `x2`.

    Args:
        x1: Input tensor.
        x2: Values to look for (any shape).
        assume_unique: Accepted for NumPy compatibility (no effect).
        invert: Return the negation (True where the element is absent).

    Returns:
        A bool tensor of the shape of `x1`.

    Example:
    >>> keras.ops.isin([1, 2, 3], [2, 5])  # [False, True, False]
    """
    a, b = _operands(x1, x2)
    return torch.isin(a, b.reshape(-1), invert=bool(invert))


def trapezoid(y, x=None, dx: float = 1.0, axis: int = -1) -> torch.Tensor:
    """Integral of `y` along `axis` by the trapezoidal rule.

    Args:
        y: Samples.
        x: Sample positions (same length as `y` along `axis`); spacing `dx` when None.
        dx: Spacing of the samples when `x` is None.
        axis: Axis to integrate along.

    Returns:
        The integral (floatx for integer inputs).

    Example:
    >>> keras.ops.trapezoid([1.0, 2.0, 3.0])  # 4.
    """
    y = _float(_t(y))
    if x is None:
        return torch.trapezoid(y, dx=float(dx), dim=_axis(axis, y.dim()))
    xs = _t(x).to(device=y.device, dtype=y.dtype)
    return torch.trapezoid(y, xs, dim=_axis(axis, y.dim()))


def unique(
    x,
    sorted: bool = True,
    return_index: bool = False,
    return_inverse: bool = False,
    return_counts: bool = False,
    axis=None,
    size=None,
    fill_value=None,
):
    """The unique elements of `x` (or unique slices along `axis`), sorted.

    Args:
        x: Input tensor.
        sorted: Accepted for compatibility; the values are always sorted.
        return_index: Also return the index of each value's first occurrence.
        return_inverse: Also return, for each element of `x`, the index of its value.
        return_counts: Also return how often each value occurs.
        axis: Axis whose slices are compared; None flattens `x`.
        size: Fixed number of values: fewer are padded with `fill_value`, more truncated.
        fill_value: Padding value when `size` is given (0 by default).

    Returns:
        The unique values, or a tuple `(values, index, inverse, counts)` holding only the
        parts asked for; the index, inverse and counts tensors are int32.

    Example:
    >>> keras.ops.unique([3, 1, 3, 2])  # [1, 2, 3]
    """
    x = _t(x)
    dim = None if axis is None else _axis(axis, x.dim())
    src = x.reshape(-1) if dim is None else x
    values, inverse, counts = torch.unique(
        src, sorted=True, return_inverse=True, return_counts=True, dim=dim
    )
    n = values.shape[0 if dim is None else dim]
    index = None
    if return_index:
        positions = torch.arange(inverse.numel(), device=inverse.device)
        index = torch.full((n,), inverse.numel(), dtype=torch.int64, device=inverse.device)
        index = index.scatter_reduce(0, inverse.reshape(-1), positions, reduce="amin")
    if dim is None and axis is None:
        inverse = inverse.reshape(x.shape) if x.dim() > 1 else inverse
    if size is not None:
        size = int(size)
        fill = 0 if fill_value is None else fill_value
        d = 0 if dim is None else dim
        if n >= size:
            values = values.narrow(d, 0, size)
            counts = counts[:size]
            index = None if index is None else index[:size]
        else:
            pad_shape = list(values.shape)
            pad_shape[d] = size - n
            filler = torch.full(pad_shape, fill, dtype=values.dtype, device=values.device)
            values = torch.cat([values, filler], d)
            counts = torch.cat([counts, counts.new_zeros(size - n)])
            if index is not None:
                index = torch.cat([index, index.new_zeros(size - n)])
    parts = [values]
    if return_index:
        parts.append(index.to(torch.int32))
    if return_inverse:
        parts.append(inverse.to(torch.int32))
    if return_counts:
        parts.append(counts.to(torch.int32))
    return values if len(parts) == 1 else tuple(parts)


def unravel_index(indices, shape) -> tuple[torch.Tensor, ...]:
    """Converts flat indices into a tuple of coordinate tensors for a tensor of `shape`.

    Args:
        indices: Integer flat indices (C order).
        shape: The shape the indices address.

    Returns:
        A tuple with one tensor per dimension, in the dtype of `indices`.

    Example:
    >>> keras.ops.unravel_index([5, 7], (3, 4))  # ([1, 1], [1, 3])
    """
    idx = _t(indices)
    dims = _shape_tuple(shape)
    out = []
    for d in reversed(dims):
        out.append(torch.remainder(idx, d))
        idx = torch.div(idx, d, rounding_mode="floor")
    return tuple(reversed(out))


def vander(x, N=None, increasing: bool = False) -> torch.Tensor:
    """The Vandermonde matrix of a 1-D `x`: columns are powers of `x`.

    Args:
        x: 1-D input tensor.
        N: Number of columns (`len(x)` by default).
        increasing: Powers increase left to right when True (decrease by default).

    Returns:
        A 2-D tensor of shape `(len(x), N)`.

    Example:
    >>> keras.ops.vander([1, 2, 3])  # [[1, 1, 1], [4, 2, 1], [9, 3, 1]]
    """
    x = _t(x)
    if x.dim() != 1:
        raise ValueError(f"keras.ops.vander needs a 1-D input; got shape {tuple(x.shape)}.")
    n = x.shape[0] if N is None else int(N)
    if n < 0:
        raise ValueError(f"keras.ops.vander: `N` must be non-negative; got {N}.")
    # torch widens integers to int64; Keras keeps the input dtype.
    return torch.vander(x, N=n, increasing=bool(increasing)).to(x.dtype)


def view(x, dtype=None) -> torch.Tensor:
    """Reinterprets the bytes of `x` as `dtype` (the last axis scales by the size ratio).

    Args:
        x: Input tensor.
        dtype: Target dtype; None returns `x` unchanged.

    Returns:
        A tensor sharing `x`'s bytes.

    Example:
    >>> keras.ops.view(np.array([1.0], "float32"), "int32")  # [1065353216]
    """
    x = _t(x)
    if dtype is None:
        return x
    return x.view(_dtype(dtype))


def vectorize(pyfunc, *, excluded=None, signature=None):
    """Turns a function of tensors into one that maps over extra leading dimensions.

    Like `numpy.vectorize`: without `signature` the function is applied element by
    element; with a signature such as `"(n),(n)->()"` it receives the core dimensions
    and the remaining (broadcast) leading dimensions are looped over.

    Args:
        pyfunc: The function to vectorize.
        excluded: Positions or names of arguments passed through unchanged.
        signature: Generalised-ufunc signature of core dimensions.

    Returns:
        The vectorized function.

    Example:
    >>> keras.ops.vectorize(lambda a, b: a + b)([1, 2], [10, 20])  # [11, 22]
    """
    excluded = set(excluded or ())
    ins = None if signature is None else _parse_signature(signature)[0]

    def wrapped(*args, **kwargs):
        pos = [i for i in builtins.range(len(args)) if i not in excluded]
        tensors = [_t(args[i]) for i in pos]
        cores = [0] * len(tensors) if ins is None else [len(c) for c in ins]
        if len(cores) != len(tensors):
            raise ValueError(
                f"keras.ops.vectorize: the signature {signature!r} names {len(cores)} inputs; "
                f"the call passed {len(tensors)}."
            )
        batch = torch.broadcast_shapes(
            *[t.shape[: t.dim() - c] for t, c in zip(tensors, cores, strict=True)]
        )
        flat = [
            t.expand(batch + t.shape[t.dim() - c :]).reshape((-1,) + t.shape[t.dim() - c :])
            for t, c in zip(tensors, cores, strict=True)
        ]
        results = []
        count = int(np.prod(batch)) if len(batch) else 1
        for k in builtins.range(count):
            call = list(args)
            for i, f in zip(pos, flat, strict=True):
                call[i] = f[k]
            results.append(pyfunc(*call, **kwargs))
        if not results:
            return torch.zeros(batch)
        if isinstance(results[0], (tuple, list)):
            return tuple(
                torch.stack([_t(r[j]) for r in results]).reshape(batch + _t(results[0][j]).shape)
                for j in builtins.range(len(results[0]))
            )
        return torch.stack([_t(r) for r in results]).reshape(batch + _t(results[0]).shape)

    return wrapped


def _parse_signature(signature: str):
    import re

    match = re.fullmatch(r"\s*(\(.*?\)(?:\s*,\s*\(.*?\))*)\s*->\s*(.*)", signature)
    if match is None:
        raise ValueError(f"keras.ops.vectorize: invalid signature {signature!r}.")

    def groups(text):
        return [
            [d.strip() for d in g.split(",") if d.strip()] for g in re.findall(r"\((.*?)\)", text)
        ]

    return groups(match.group(1)), groups(match.group(2))


__getattr__ = module_getattr("keras.ops.numpy")

__all__ = [
    n
    for n, v in list(globals().items())
    if not n.startswith("_")
    and callable(v)
    and getattr(v, "__module__", None) == __name__
    and n != "module_getattr"
]
