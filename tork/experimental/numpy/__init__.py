"""`tf.experimental.numpy` (`import tork.experimental.numpy as tnp`): NumPy's API on tensors.

`tnp.ndarray` is `torch.Tensor`, so tnp results mix with tork ops, `tf.GradientTape`
and torch code. Creation functions and dtypes follow NumPy, as in TensorFlow: Python
ints give int64, Python floats float64 (float32 after
`tnp.experimental_enable_numpy_behavior(prefer_float32=True)`), integer inputs to
float-valued ops give float64 and mixed dtypes promote as `np.result_type`.

Differences from TensorFlow: the dtypes (`tnp.float32`) are torch dtypes, as all tork
dtypes; `experimental_enable_numpy_behavior` adds `astype` to tensors but does not
change the dtype promotion of the `+`, `*`... operators (torch's rules), and tensors can
be assigned to in place (`x[1] = -1`), as torch tensors can.
"""

from __future__ import annotations

import builtins
import math as _math
import types

import numpy as _np
import torch

from tork._backend import dtypes as _dtypes
from tork._backend.dtypes import (
    complex64,
    complex128,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
)
from tork._backend.errors import module_getattr as _module_getattr
from tork.experimental.numpy import (
    _core,
    random,  # noqa: F401 - tnp.random
)
from tork.keras.ops import numpy as _kn
from tork.ops.math import _extreme_value

ndarray = torch.Tensor
newaxis = None
pi = _math.pi
e = _math.e
inf = _math.inf
nan = _math.nan

# NumPy's extra spellings of tf's dtypes.
bool_ = _dtypes.bool
int_ = int64
float_ = float64
complex_ = complex128


def experimental_enable_numpy_behavior(prefer_float32=False, dtype_conversion_mode="legacy"):
    """Turns on NumPy behaviour for tensors, as TensorFlow's function of the same name.

    Tensors get NumPy's `astype` (torch tensors already have `reshape`, `T`, `ndim`,
    `ravel`, `clip`...). With `prefer_float32=True`, Python floats become float32 in `tnp`
    functions instead of NumPy's float64.

    Args:
        prefer_float32: whether `tnp` makes Python floats float32.
        dtype_conversion_mode: accepted for TensorFlow compatibility; tork's tensor
            operators keep torch's promotion rules.

    Example:
    >>> tnp.experimental_enable_numpy_behavior()
    >>> tnp.ones([2]).astype(tnp.int32).dtype
    torch.int32
    """
    del dtype_conversion_mode
    _core._settings["prefer_float32"] = builtins.bool(prefer_float32)
    if "astype" not in torch.Tensor.__dict__:
        torch.Tensor.astype = _astype


def _astype(self, dtype):
    """Returns the tensor cast to `dtype` (NumPy's `ndarray.astype`)."""
    return self.to(_core.torch_dtype(dtype))


# ------------------------------------------------------------------ creation


def asarray(a, dtype=None):
    """`a` as a tensor: NumPy's dtype inference for Python values, tensors kept as they are.

    Example:
    >>> tnp.asarray([1, 2]).dtype
    torch.int64
    """
    return _core.asarray(a, dtype)


def _renamed(fn, name: str):
    """A copy of the function `fn` under `name` (TF's aliases are functions of their own,
    `tnp.divide.__name__ == "divide"`); no wrapper, so calls cost the same."""
    copy = types.FunctionType(fn.__code__, fn.__globals__, name, fn.__defaults__, fn.__closure__)
    copy.__kwdefaults__ = fn.__kwdefaults__
    copy.__dict__.update(fn.__dict__)
    copy.__doc__ = fn.__doc__
    copy.__module__ = fn.__module__
    copy.__qualname__ = name
    return copy


asanyarray = _renamed(asarray, "asanyarray")
ascontiguousarray = _renamed(asarray, "ascontiguousarray")


def array(val, dtype=None, copy=True, ndmin=0):
    """A new tensor from `val` (a copy unless `copy=False`), with at least `ndmin` dims.

    Example:
    >>> tnp.array([1.0, 2.0]).dtype
    torch.float64
    """
    result = _core.asarray(val, dtype)
    if copy and result is val:
        result = result.clone()
    while result.dim() < ndmin:
        result = result.unsqueeze(0)
    return result


def copy(a):
    """A copy of `a` as a tensor."""
    return _core.asarray(a).clone()


def _shape(shape) -> tuple:
    if isinstance(shape, (int, _np.integer)):
        return (int(shape),)
    return tuple(int(d) for d in shape)


def _float_or(dtype) -> torch.dtype:
    return _core.default_float() if dtype is None else _core.torch_dtype(dtype)


def zeros(shape, dtype=float):
    """Zeros of `shape` (float64 by default, as NumPy)."""
    return _kn.zeros(_shape(shape), dtype=_float_or(dtype))


def ones(shape, dtype=float):
    """Ones of `shape` (float64 by default, as NumPy)."""
    return _kn.ones(_shape(shape), dtype=_float_or(dtype))


def empty(shape, dtype=float):
    """A tensor of `shape` (filled with zeros; float64 by default, as NumPy)."""
    return zeros(shape, dtype)


def full(shape, fill_value, dtype=None):
    """A tensor of `shape` filled with `fill_value` (its NumPy dtype by default)."""
    value = _core.asarray(fill_value, dtype)
    return torch.broadcast_to(value, _shape(shape)).clone()


def _like(a, dtype, fill):
    a = _core.asarray(a)
    target = a.dtype if dtype is None else _core.torch_dtype(dtype)
    return torch.full(a.shape, fill, dtype=target, device=a.device)


def zeros_like(a, dtype=None):
    """Zeros with the shape (and, by default, the dtype) of `a`."""
    return _like(a, dtype, 0)


def ones_like(a, dtype=None):
    """Ones with the shape (and, by default, the dtype) of `a`."""
    return _like(a, dtype, 1)


def empty_like(a, dtype=None):
    """A tensor with the shape of `a` (zeros)."""
    return _like(a, dtype, 0)


def full_like(a, fill_value, dtype=None):
    """`fill_value` with the shape (and, by default, the dtype) of `a`."""
    return _like(a, dtype, fill_value)


def eye(N, M=None, k=0, dtype=float):
    """A 2-D tensor with ones on the `k`-th diagonal (float64 by default)."""
    return _kn.eye(N, M, k, dtype=_float_or(dtype))


def identity(n, dtype=float):
    """The `n` x `n` identity matrix (float64 by default)."""
    return eye(n, dtype=dtype)


def tri(N, M=None, k=0, dtype=None):
    """Ones at and below the `k`-th diagonal (float64 by default)."""
    return _kn.tri(N, M, k, dtype=_float_or(dtype))


def arange(start, stop=None, step=1, dtype=None):
    """Evenly spaced values in `[start, stop)` (int64 for ints, float64 for floats).

    Example:
    >>> tnp.arange(3).dtype
    torch.int64
    """
    target = _core.torch_dtype(dtype) if dtype is not None else _core.result_dtype(start, step)
    if stop is not None and dtype is None:
        target = _core.result_dtype(start, stop, step)
    low, high = (0, start) if stop is None else (start, stop)
    if step != 0 and _math.ceil((float(high) - float(low)) / float(step)) <= 0:
        # An empty range (`arange(1, 0)`, a step of the wrong sign) is an empty tensor
        # in NumPy and TF; torch refuses bounds that disagree with the step's sign.
        return torch.zeros(0, dtype=target)
    return _kn.arange(start, stop, step, dtype=target)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=float, axis=0):
    """`num` evenly spaced values from `start` to `stop` (float64 by default)."""
    return _kn.linspace(
        start, stop, num, endpoint=endpoint, retstep=retstep, dtype=_float_or(dtype), axis=axis
    )


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """`base ** linspace(start, stop, num)` (float64 by default)."""
    exponents = linspace(start, stop, num, endpoint=endpoint, dtype=dtype, axis=axis)
    return torch.pow(torch.as_tensor(base, dtype=exponents.dtype), exponents)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """`num` values from `start` to `stop` evenly spaced on a log scale (float64 default)."""
    return _kn.geomspace(start, stop, num, endpoint=endpoint, dtype=_float_or(dtype), axis=axis)


# ------------------------------------------------------------------ wrappers over keras.ops


def _unary(name, kind="same"):
    """A tnp function whose first argument is an array (NumPy's dtype rules, see _core)."""
    op = getattr(_kn, name)

    def fn(x, *args, **kwargs):
        x = _core.asarray(x)
        if kind == "float":
            x = _core.to_float(x)
        elif kind == "acc":
            x = _core.accumulate(x)
        result = op(x, *args, **kwargs)
        if kind == "index":
            result = result.to(torch.int64)
        return result

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"NumPy's `{name}` on tensors (tf.experimental.numpy.{name})."
    return fn


def _binary(name, kind="same"):
    """A tnp function of two arrays, promoted to their NumPy result dtype first."""
    op = getattr(_kn, name)

    def fn(x1, x2, *args, **kwargs):
        a, b = _core.promote(x1, x2)
        if kind == "float":
            a, b = _core.to_float(a), _core.to_float(b)
        return op(a, b, *args, **kwargs)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"NumPy's `{name}` on tensors (tf.experimental.numpy.{name})."
    return fn


_UNARY_SAME = (
    "abs absolute negative sign square fabs conj conjugate real imag floor ceil trunc "
    "reciprocal round reshape transpose moveaxis swapaxes expand_dims squeeze broadcast_to "
    "flip fliplr flipud roll rot90 tile repeat ravel diag diagonal diagflat tril triu "
    "take_along_axis pad split hsplit vsplit dsplit all any "
    "isfinite isinf isnan isneginf isposinf isreal signbit logical_not bitwise_not "
    "vander ndim size diff"
).split()
_UNARY_FLOAT = (
    "sqrt exp exp2 expm1 log log10 log1p log2 sin cos tan arcsin arccos arctan sinh cosh "
    "tanh arcsinh arccosh arctanh cbrt deg2rad rad2deg sinc mean std var median nanmean"
).split()
_UNARY_ACC = "sum prod cumsum cumprod nansum nanprod".split()
_UNARY_INDEX = "argmax argmin argsort count_nonzero".split()
_BINARY_SAME = (
    "add subtract multiply maximum minimum power mod floor_divide matmul dot inner outer "
    "vdot kron tensordot bitwise_and bitwise_or bitwise_xor gcd lcm heaviside "
    "nextafter equal not_equal less less_equal greater greater_equal logical_and "
    "logical_or logical_xor isclose allclose append"
).split()
_BINARY_FLOAT = "arctan2 hypot logaddexp logaddexp2".split()

for _name in _UNARY_SAME:
    globals()[_name] = _unary(_name)
for _name in _UNARY_FLOAT:
    globals()[_name] = _unary(_name, "float")
for _name in _UNARY_ACC:
    globals()[_name] = _unary(_name, "acc")
for _name in _UNARY_INDEX:
    globals()[_name] = _unary(_name, "index")
for _name in _BINARY_SAME:
    globals()[_name] = _binary(_name)
for _name in _BINARY_FLOAT:
    globals()[_name] = _binary(_name, "float")
del _name

around = _renamed(globals()["round"], "around")
remainder = _renamed(globals()["mod"], "remainder")


def _with_dtype(name):
    """A reduction taking NumPy's `dtype=`: TF casts the input to it before reducing."""
    plain = globals()[name]

    def fn(a, *args, dtype=None, **kwargs):
        a = _core.asarray(a)
        if dtype is None:
            return plain(a, *args, **kwargs)
        target = _core.torch_dtype(dtype)
        return plain(a.to(target), *args, **kwargs).to(target)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = plain.__doc__
    return fn


for _name in "sum prod cumsum cumprod nansum nanprod mean var".split():
    globals()[_name] = _with_dtype(_name)
del _name
_nanmean = globals()["nanmean"]


def nanmean(a, axis=None, dtype=None, keepdims=False):
    """The mean of the non-NaN values, in floats (a `dtype` casts the input first, as TF)."""
    a = _core.asarray(a)
    if dtype is not None:
        a = a.to(_core.torch_dtype(dtype))
    return _nanmean(a, axis=axis, keepdims=keepdims)


def trace(a, offset=0, axis1=0, axis2=1, dtype=None):
    """The sum along a diagonal, in the input's dtype (int8 stays int8, as TF)."""
    a = _core.asarray(a)
    if dtype is not None:
        a = a.to(_core.torch_dtype(dtype))
    diagonal = torch.diagonal(a, offset=offset, dim1=axis1, dim2=axis2)
    return diagonal.sum(-1, dtype=a.dtype)


def _extreme(name, largest):
    def fn(a, axis=None, keepdims=False, initial=None):
        a = _core.asarray(a)
        if initial is None and a.numel() == 0:
            # TF: -inf / +inf, or the integer dtype's lowest / highest value.
            initial = _extreme_value(a.dtype, lowest=largest)
        return getattr(_kn, "max" if largest else "min")(a, axis, keepdims, initial=initial)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"NumPy's `{name}` (tf.experimental.numpy.{name}); an empty input gives "
        f"{'-inf' if largest else '+inf'} (the dtype's extreme for integers), as TF."
    )
    return fn


amax = _extreme("amax", True)
amin = _extreme("amin", False)
max = _extreme("max", True)  # noqa: A001 - NumPy's name
min = _extreme("min", False)  # noqa: A001 - NumPy's name


def ptp(a, axis=None, keepdims=False):
    """`max - min` along `axis` (an empty float input gives -inf, as TF)."""
    return amax(a, axis, keepdims) - amin(a, axis, keepdims)


def clip(a, a_min, a_max):
    """Values of `a` limited to `[a_min, a_max]`; either bound may be None (no limit)."""
    if a_min is None and a_max is None:
        raise ValueError("tnp.clip: a_min and a_max cannot both be None.")
    if a_min is None or a_max is None:
        x, bound = _core.promote(a, a_max if a_min is None else a_min)
        return torch.minimum(x, bound) if a_min is None else torch.maximum(x, bound)
    return _kn.clip(*_core.promote(a, a_min, a_max))


def take(a, indices, axis=None, out=None, mode="clip"):
    """Elements of `a` at `indices` along `axis` (of the flattened `a` when None).

    Out-of-range indices follow `mode`, with TF's default `"clip"`: clipped into
    `[0, n - 1]` (so `-1` gives the first element, not the last as in NumPy);
    `"wrap"` wraps them around. TF does not support `"raise"`.
    """
    if out is not None:
        raise ValueError("tnp.take: out is not supported.")
    if mode not in ("clip", "wrap"):
        raise ValueError(
            f"tnp.take: mode must be 'clip' or 'wrap'; got {mode!r} (TF has no 'raise')."
        )
    a = _core.asarray(a)
    if axis is None:
        a, axis = a.reshape(-1), 0
    size = a.shape[axis]
    index = _core.asarray(indices).to(torch.int64)
    index = index.clamp(0, size - 1) if mode == "clip" else torch.remainder(index, size)
    picked = torch.index_select(a, axis, index.reshape(-1))
    axis = axis % a.dim()
    return picked.reshape(a.shape[:axis] + index.shape + a.shape[axis + 1 :])


def sort(a, axis=-1, kind="quicksort", order=None):
    """`a` sorted along `axis` (the flattened array when `axis` is None)."""
    del kind, order
    a = _core.asarray(a)
    return _kn.sort(a.reshape(-1) if axis is None else a, axis=0 if axis is None else axis)


_argsort = globals()["argsort"]


def argsort(a, axis=-1, kind="quicksort", order=None):
    """The indices that sort `a` along `axis` (ties in index order: a stable sort)."""
    del kind, order
    a = _core.asarray(a)
    return _argsort(a.reshape(-1) if axis is None else a, axis=0 if axis is None else axis)


def angle(z, deg=False):
    """The argument of complex `z` (radians, or degrees with `deg=True`)."""
    result = _kn.angle(_core.to_float(_core.asarray(z)))
    return torch.rad2deg(result) if deg else result


def average(a, axis=None, weights=None, returned=False):
    """The (weighted) mean along `axis`; with `returned=True` also the sum of weights."""
    a = _core.to_float(_core.asarray(a))
    if weights is None:
        result = _kn.average(a, axis=axis)
        if not returned:
            return result
        count = a.numel() if axis is None else a.shape[axis]
        return result, torch.full(result.shape, float(count), dtype=result.dtype)
    a, w = _core.promote(a, weights)
    result = _kn.average(a, axis=axis, weights=w)
    if not returned:
        return result
    w = torch.broadcast_to(w, a.shape) if w.dim() == a.dim() else w
    total = w.sum() if axis is None or w.dim() == 1 else w.sum(dim=axis)
    return result, torch.broadcast_to(total.to(result.dtype), result.shape)


def _true_divide_dtype(dtype: torch.dtype) -> torch.dtype:
    # TF divides 8- and 16-bit integers in float32, 32- and 64-bit ones in float64.
    if dtype in (torch.int8, torch.int16, torch.uint8, torch.uint16):
        return torch.float32
    return torch.float64


def true_divide(x1, x2):
    """`x1 / x2` as floats (integers: float32 for 8/16-bit, float64 for 32/64-bit, as TF)."""
    a, b = _core.promote(x1, x2)
    if not (a.is_floating_point() or a.is_complex()):
        target = _core.default_float() if a.dtype == torch.bool else _true_divide_dtype(a.dtype)
        a, b = a.to(target), b.to(target)
    return torch.true_divide(a, b)


divide = _renamed(true_divide, "divide")


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 2- or 3-vectors (two 2-vectors give the z component, as NumPy)."""
    x, y = _core.promote(a, b)
    if axis is not None:
        axisa = axisb = axisc = axis
    x, y = torch.movedim(x, axisa, -1), torch.movedim(y, axisb, -1)
    sizes = (x.shape[-1], y.shape[-1])
    if builtins.any(n not in (2, 3) for n in sizes):
        raise ValueError(f"tnp.cross: vectors must have 2 or 3 elements; got sizes {sizes}.")
    if sizes == (2, 2):
        return x[..., 0] * y[..., 1] - x[..., 1] * y[..., 0]
    pad = [torch.nn.functional.pad(v, (0, 1)) if v.shape[-1] == 2 else v for v in (x, y)]
    shape = torch.broadcast_shapes(pad[0].shape, pad[1].shape)
    result = torch.linalg.cross(pad[0].expand(shape), pad[1].expand(shape), dim=-1)
    return torch.movedim(result, -1, axisc)


def compress(condition, a, axis=None):
    """The slices of `a` along `axis` (of the flattened `a` when None) where `condition`."""
    keep = _core.asarray(condition).to(torch.bool).reshape(-1)
    a = _core.asarray(a)
    if axis is None:
        a, axis = a.reshape(-1), 0
    index = torch.nonzero(keep[: a.shape[axis]]).reshape(-1)
    return torch.index_select(a, axis, index)


def polyval(p, x):
    """The polynomial with coefficients `p` (highest degree first) at `x` (Horner's rule)."""
    coeffs = list(p) if isinstance(p, (list, tuple)) else list(_core.asarray(p))
    result = _core.asarray(0) if not coeffs else None
    for c in coeffs:
        result = c if result is None else multiply(result, x) + c  # noqa: F821
        result = _core.asarray(result)
    if result is not None and not coeffs:
        return result
    return multiply(result, ones_like(_core.asarray(x), dtype=result.dtype))  # noqa: F821


def ix_(*args):
    """Open mesh index arrays: the k-th argument reshaped to length along axis k only."""
    out = []
    for k, arg in enumerate(args):
        arg = _core.asarray(arg)
        if arg.dtype == torch.bool:
            arg = torch.nonzero(arg).reshape(-1)
        shape = [1] * len(args)
        shape[k] = -1
        out.append(arg.reshape(shape))
    return out


def diag_indices(n, ndim=2):
    """The indices of the main diagonal of an `n` x ... x `n` array (`ndim` int32 tensors)."""
    index = torch.arange(n, dtype=torch.int32)
    return tuple(index for _ in range(ndim))


def positive(x):
    """`+x` (a tensor of the same values)."""
    return _core.asarray(x).clone()


def fix(x):
    """Rounds towards zero (float64 for integer input, as NumPy)."""
    return torch.trunc(_core.to_float(_core.asarray(x)))


_floor_divide = globals()["floor_divide"]


def floor_divide(x1, x2):
    """`floor(x1 / x2)`; for floats TF's definition (`floor_divide(inf, 2)` is inf, NumPy's
    NaN; `floor_divide(7.0, 0.1)` is 70, NumPy's 69)."""
    a, b = _core.promote(x1, x2)
    if a.is_floating_point():
        return torch.floor(a / b)
    return _floor_divide(a, b)


def divmod(x1, x2):  # noqa: A001 - NumPy's name
    """`(floor_divide(x1, x2), mod(x1, x2))`."""
    return floor_divide(x1, x2), mod(x1, x2)  # noqa: F821 - defined by the loop above


def float_power(x1, x2):
    """`x1 ** x2` computed in float64 (complex128 for complex inputs)."""
    a, b = _core.promote(x1, x2)
    target = torch.complex128 if a.is_complex() else torch.float64
    return torch.pow(a.to(target), b.to(target))


def nonzero(a):
    """The indices of the non-zero elements, one int64 tensor per dimension."""
    return tuple(i.to(torch.int64) for i in _kn.nonzero(_core.asarray(a)))


def shape(a) -> tuple:
    """The shape of `a` as a tuple of ints."""
    return tuple(_core.asarray(a).shape)


def where(condition, x=None, y=None):
    """Elements of `x` where `condition` holds, else of `y` (`nonzero` with one argument)."""
    condition = _core.asarray(condition)
    if x is None and y is None:
        return nonzero(condition)
    a, b = _core.promote(x, y)
    return _kn.where(condition, a, b)


def _promote_all(values) -> list:
    values = list(values)
    return _core.promote(*values) if values else values


def concatenate(arys, axis=0):
    """Joins arrays along an existing axis (promoted to their common dtype)."""
    return _kn.concatenate(_promote_all(arys), axis=axis)


def stack(arrays, axis=0):
    """Joins arrays along a new axis (promoted to their common dtype)."""
    return _kn.stack(_promote_all(arrays), axis=axis)


def hstack(tup):
    """Stacks arrays horizontally (column-wise)."""
    return _kn.hstack(_promote_all(tup))


def vstack(tup):
    """Stacks arrays vertically (row-wise)."""
    return _kn.vstack(_promote_all(tup))


def dstack(tup):
    """Stacks arrays along the third axis."""
    return _kn.dstack(_promote_all(tup))


def meshgrid(*xi, indexing="xy"):
    """Coordinate matrices from coordinate vectors."""
    return _kn.meshgrid(*[_core.asarray(x) for x in xi], indexing=indexing)


def einsum(subscripts, *operands, **kwargs):
    """Einstein summation over the operands (promoted to their common dtype)."""
    return _kn.einsum(subscripts, *_promote_all(operands), **kwargs)


def select(condlist, choicelist, default=0):
    """Elements of `choicelist` chosen by the first true condition of `condlist`."""
    choices = _promote_all(list(choicelist) + [default])
    return _kn.select([_core.asarray(c) for c in condlist], choices[:-1], choices[-1])


def atleast_1d(*arys):
    """The arrays with at least one dimension (a list for several)."""
    out = [torch.atleast_1d(_core.asarray(a)) for a in arys]
    return out[0] if len(out) == 1 else out


def atleast_2d(*arys):
    """The arrays with at least two dimensions (a list for several)."""
    out = [torch.atleast_2d(_core.asarray(a)) for a in arys]
    return out[0] if len(out) == 1 else out


def atleast_3d(*arys):
    """The arrays with at least three dimensions (a list for several)."""
    out = [torch.atleast_3d(_core.asarray(a)) for a in arys]
    return out[0] if len(out) == 1 else out


def broadcast_arrays(*args):
    """The arrays broadcast to their common shape."""
    return list(torch.broadcast_tensors(*[_core.asarray(a) for a in args]))


def array_equal(a1, a2):
    """Whether the arrays have the same shape and elements (a scalar bool tensor)."""
    a, b = _core.promote(a1, a2)
    return torch.tensor(builtins.bool(a.shape == b.shape and torch.equal(a, b)))


# ------------------------------------------------------------------ dtypes


def result_type(*arrays_and_dtypes) -> torch.dtype:
    """The dtype NumPy gives an operation on these arrays and dtypes.

    Example:
    >>> tnp.result_type(tnp.int32, tnp.float32)
    torch.float64
    """
    operands = []
    for value in arrays_and_dtypes:
        if isinstance(value, torch.dtype):
            operands.append(_core.np_dtype(value))
        elif isinstance(value, (str, type, _np.dtype)) and not _core._is_python_scalar(value):
            operands.append(_np.dtype(value))
        elif isinstance(value, torch.Tensor):
            operands.append(_core.np_dtype(value.dtype))
        else:
            operands.append(value)
    return _dtypes.as_dtype(_np.result_type(*operands))


def promote_types(type1, type2) -> torch.dtype:
    """The smallest dtype both `type1` and `type2` convert to safely."""
    return result_type(_core.torch_dtype(type1), _core.torch_dtype(type2))


def _as_np(dtype):
    if isinstance(dtype, torch.dtype):
        return _core.np_dtype(dtype)
    return dtype


def finfo(dtype):
    """Machine limits of a float dtype (NumPy's `finfo`)."""
    return _np.finfo(_as_np(getattr(dtype, "dtype", dtype)))


def iinfo(int_type):
    """Machine limits of an integer dtype (NumPy's `iinfo`)."""
    return _np.iinfo(_as_np(getattr(int_type, "dtype", int_type)))


def issubdtype(arg1, arg2) -> bool:
    """Whether `arg1` is a dtype lower in NumPy's hierarchy than `arg2`."""
    return _np.issubdtype(_as_np(arg1), _as_np(arg2))


def isscalar(num) -> bool:
    """Whether `num` is a scalar (a Python or NumPy scalar, or a 0-d tensor)."""
    if isinstance(num, torch.Tensor):
        return num.dim() == 0
    return _np.isscalar(num)


def iscomplexobj(x) -> bool:
    """Whether `x` has a complex dtype."""
    return _core.asarray(x).is_complex()


def isrealobj(x) -> bool:
    """Whether `x` has no complex dtype."""
    return not iscomplexobj(x)


def iscomplex(x):
    """Element-wise: whether the imaginary part is non-zero."""
    x = _core.asarray(x)
    if not x.is_complex():
        return torch.zeros(x.shape, dtype=torch.bool, device=x.device)
    return torch.imag(x) != 0


# NumPy names tork leaves out raise NotImplementedError.
__getattr__ = _module_getattr("tf.experimental.numpy")
