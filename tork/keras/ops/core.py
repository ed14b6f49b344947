"""`keras.ops.core`: Keras 3's core ops (conversion, control flow, slicing, scatter)."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from tork import nest
from tork._backend.dtypes import dtype_name
from tork._backend.errors import module_getattr, not_implemented
from tork._backend.tensor import convert_to_tensor as _convert
from tork._backend.tensor import to_numpy
from tork._backend.tracing import values_readable
from tork.keras.ops._utils import _dtype, _shape_tuple, _t
from tork.ops import control_flow as _cf
from tork.ops.custom_gradient import custom_gradient as _custom_gradient

__all__ = [
    "associative_scan",
    "cast",
    "cond",
    "convert_to_numpy",
    "convert_to_tensor",
    "custom_gradient",
    "dtype",
    "fori_loop",
    "is_tensor",
    "map",
    "rearrange",
    "saturate_cast",
    "scan",
    "scatter",
    "scatter_update",
    "shape",
    "slice",
    "slice_update",
    "stop_gradient",
    "switch",
    "unstack",
    "vectorized_map",
    "while_loop",
]


def cast(x, dtype) -> torch.Tensor:
    """Casts `x` to `dtype`.

    Args:
        x: Input tensor.
        dtype: Target dtype (a name like `"float32"` or a dtype).

    Returns:
        The cast tensor.

    Example:
    >>> keras.ops.cast([1.7, -1.7], "int32")  # [1, -1]
    """
    return _t(x).to(_dtype(dtype))


def saturate_cast(x, dtype) -> torch.Tensor:
    """Casts `x` to `dtype`, clipping values to the target dtype's range first.

    Args:
        x: Input tensor.
        dtype: Target dtype.

    Returns:
        The cast tensor.

    Example:
    >>> keras.ops.saturate_cast([300.0, -5.0], "uint8")  # [255, 0]
    """
    x = _t(x)
    target = _dtype(dtype)
    if target == torch.bool or target.is_floating_point and not x.is_floating_point():
        return x.to(target)
    info = torch.finfo(target) if target.is_floating_point else torch.iinfo(target)
    lo, hi = info.min, info.max
    if x.is_floating_point() and not target.is_floating_point:
        # Float bounds that round up past the int range would overflow; clamp in float64.
        return torch.clamp(x.double(), lo, hi).to(target)
    return torch.clamp(x, lo, hi).to(target)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None) -> torch.Tensor:
    """Converts a NumPy array, Python value or tensor to a tensor.

    Python floats become float32 and ints int32; NumPy arrays keep their dtype.

    Args:
        x: Value to convert.
        dtype: Optional target dtype.
        sparse: Sparse tensors are not supported (must be falsy).
        ragged: Ragged tensors are not supported (must be falsy).

    Returns:
        A `torch.Tensor`.

    Example:
    >>> keras.ops.convert_to_tensor([1.0, 2.0]).dtype  # torch.float32
    """
    if sparse:
        raise not_implemented("keras.ops.convert_to_tensor(sparse=True)")
    if ragged:
        raise not_implemented("keras.ops.convert_to_tensor(ragged=True)")
    return _convert(x, dtype=_dtype(dtype))


def convert_to_numpy(x) -> np.ndarray:
    """Converts a tensor (any device, with or without grad) to a NumPy array.

    Args:
        x: Tensor or array-like.

    Returns:
        A NumPy array.

    Example:
    >>> keras.ops.convert_to_numpy(keras.ops.ones((2,)))  # array([1., 1.], dtype=float32)
    """
    return to_numpy(x) if isinstance(x, torch.Tensor) else np.asarray(x)


def is_tensor(x) -> bool:
    """Whether `x` is a backend tensor (a `torch.Tensor`).

    Args:
        x: Any value.

    Returns:
        A Python bool.

    Example:
    >>> keras.ops.is_tensor(np.ones(2))  # False
    """
    return isinstance(x, torch.Tensor)


def shape(x) -> tuple[int, ...]:
    """The shape of `x` as a tuple of ints.

    Args:
        x: Tensor or array-like.

    Returns:
        A tuple.

    Example:
    >>> keras.ops.shape(keras.ops.zeros((2, 3)))  # (2, 3)
    """
    return tuple(x.shape) if hasattr(x, "shape") else tuple(_t(x).shape)


def dtype(x) -> str:
    """The dtype of `x` as a Keras dtype name.

    Args:
        x: Tensor or array-like.

    Returns:
        A string such as `"float32"`.

    Example:
    >>> keras.ops.dtype(keras.ops.ones((2,)))  # 'float32'
    """
    return dtype_name(_t(x).dtype)


def stop_gradient(variable) -> torch.Tensor:
    """Returns `variable` cut from the gradient computation.

    Args:
        variable: Tensor or Variable.

    Returns:
        A tensor with the same values and no gradient.

    Example:
    >>> y = keras.ops.stop_gradient(w * 2)  # d(y)/d(w) is zero
    """
    return _t(variable).detach()


def cond(pred, true_fn: Callable[[], Any], false_fn: Callable[[], Any]) -> Any:
    """Calls `true_fn()` if `pred` is true, else `false_fn()`.

    Args:
        pred: A Python bool or scalar boolean tensor.
        true_fn: Callable with no arguments.
        false_fn: Callable with no arguments.

    Returns:
        The chosen branch's output.

    Example:
    >>> keras.ops.cond(x > 0, lambda: x, lambda: -x)
    """
    return _cf.cond(pred, true_fn, false_fn)


def switch(index, branches: Sequence[Callable], *operands) -> Any:
    """Calls `branches[index](*operands)`; `index` is clamped to the valid range.

    Args:
        index: Int or scalar integer tensor.
        branches: Sequence of callables.
        *operands: Arguments passed to the chosen branch.

    Returns:
        The chosen branch's output.

    Example:
    >>> keras.ops.switch(1, [lambda x: x + 1, lambda x: x - 1], 5)  # 4
    """
    if not branches:
        raise ValueError("keras.ops.switch needs at least one branch.")
    i = int(index.item() if isinstance(index, torch.Tensor) else index)
    i = min(max(i, 0), len(branches) - 1)
    return branches[i](*operands)


def while_loop(
    cond: Callable[..., Any], body: Callable[..., Any], loop_vars: Any, maximum_iterations=None
) -> Any:
    """Runs `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` is true.

    Args:
        cond: Callable returning a boolean (scalar tensor or Python bool).
        body: Callable returning new loop variables of the same structure.
        loop_vars: A tensor, or a tuple/list of loop variables.
        maximum_iterations: Optional cap on the number of iterations.

    Returns:
        The final loop variables (same structure as `loop_vars`).

    Example:
    >>> keras.ops.while_loop(lambda i: i < 10, lambda i: i + 1, 0)  # 10
    """
    is_seq = isinstance(loop_vars, (tuple, list))
    start = tuple(loop_vars) if is_seq else (loop_vars,)

    def step(*values):
        out = body(*values)
        return tuple(out) if isinstance(out, (tuple, list)) else (out,)

    result = _cf.while_loop(lambda *v: cond(*v), step, start, maximum_iterations=maximum_iterations)
    result = tuple(result) if isinstance(result, (tuple, list)) else (result,)
    # Keras 3 gives a tuple for list loop variables too (every backend).
    return result if is_seq else result[0]


def fori_loop(lower, upper, body_fun: Callable[[Any, Any], Any], init_val: Any) -> Any:
    """Runs `val = body_fun(i, val)` for `i` in `range(lower, upper)`.

    Args:
        lower: First index (int or scalar tensor).
        upper: End index, exclusive.
        body_fun: Callable `(i, val) -> val`.
        init_val: Initial value (any structure).

    Returns:
        The final value, its leaves as tensors (Python ints become int32 tensors, floats
        float32, as Keras 3 with TensorFlow gives; None leaves stay None).

    Example:
    >>> keras.ops.fori_loop(0, 5, lambda i, s: s + i, 0)  # int32 tensor 10
    """
    lo = int(lower.item() if isinstance(lower, torch.Tensor) else lower)
    hi = int(upper.item() if isinstance(upper, torch.Tensor) else upper)
    val = init_val
    for i in range(lo, hi):
        val = body_fun(i, val)
    # Keras 3 (TensorFlow backend) returns tensors even for Python loop values, also when
    # the loop ran zero times: code then calls `.numpy()`/`ops.*` on the result.
    return nest.map_structure(_loop_leaf, val)


def _loop_leaf(value):
    """A loop result's leaf as a tensor (tensors, variables among them, and None kept)."""
    if value is None or isinstance(value, torch.Tensor):
        return value
    return _convert(value)


def _leading(xs) -> int:
    leaves = [_t(v) for v in nest.flatten(xs)]
    sizes = {int(v.shape[0]) for v in leaves}
    if len(sizes) > 1:
        raise ValueError(
            f"keras.ops.scan/map: all leaves of xs need the same leading size; got {sorted(sizes)}."
        )
    return sizes.pop() if sizes else 0


def _stack_outputs(outputs: list) -> Any:
    if not outputs:
        return None
    first = outputs[0]
    flats = [nest.flatten(o) for o in outputs]
    stacked = [
        None if leaf is None else torch.stack([_t(f[j]) for f in flats])
        for j, leaf in enumerate(flats[0])
    ]
    return nest.pack_sequence_as(first, stacked)


def scan(f: Callable, init: Any, xs: Any = None, length=None, reverse: bool = False, unroll=1):
    """Scans `f(carry, x) -> (carry, y)` over the leading axis of `xs`.

    Args:
        f: Callable taking the carry and a slice of `xs`, returning `(new_carry, y)`.
        init: Initial carry (any structure).
        xs: Tensor or structure of tensors to scan over, or None.
        length: Number of iterations (needed when `xs` is None).
        reverse: Scan from the end; `ys[i]` still lines up with `xs[i]`.
        unroll: Accepted for compatibility (the loop runs eagerly).

    Returns:
        `(final_carry, stacked_ys)`.

    Example:
    >>> keras.ops.scan(lambda c, x: (c + x, c + x), 0.0, keras.ops.arange(4.0))
    (6.0, [0., 1., 3., 6.])
    """
    del unroll
    if xs is None:
        if length is None:
            raise ValueError("keras.ops.scan: pass `xs` or `length` to set the number of steps.")
        n = int(length)
    else:
        xs = nest.map_structure(_t, xs)
        n = _leading(xs)
        if length is not None and int(length) != n:
            raise ValueError(
                f"keras.ops.scan: length={length} does not match the leading size {n} of xs."
            )
    order = range(n - 1, -1, -1) if reverse else range(n)
    carry = init
    ys = []
    for i in order:
        x = None if xs is None else nest.map_structure(lambda v, i=i: v[i], xs)
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys.reverse()
    return carry, _stack_outputs(ys)


def map(f: Callable, xs: Any) -> Any:
    """Applies `f` to each slice of `xs` along the leading axis and stacks the results.

    Args:
        f: Callable taking one slice (with the structure of `xs`).
        xs: Tensor or structure of tensors.

    Returns:
        The stacked outputs.

    Example:
    >>> keras.ops.map(lambda x: x * 2, keras.ops.arange(3))  # [0, 2, 4]
    """
    xs = nest.map_structure(_t, xs)
    n = _leading(xs)
    return _stack_outputs([f(nest.map_structure(lambda v, i=i: v[i], xs)) for i in range(n)])


def vectorized_map(function: Callable, elements: Any) -> Any:
    """Maps `function` over the leading axis of `elements`, vectorised with `torch.vmap`.

    Args:
        function: Callable taking one element.
        elements: Tensor or structure of tensors.

    Returns:
        The stacked outputs.

    Example:
    >>> keras.ops.vectorized_map(lambda x: x @ x, keras.ops.ones((4, 3)))  # [3., 3., 3., 3.]
    """
    return _cf.vectorized_map(function, elements, warn=False)


def custom_gradient(f: Callable) -> Callable:
    """Decorator for functions with a custom gradient.

    `f(*args)` returns `(y, grad_fn)`; `grad_fn(upstream)` returns the
    gradients with respect to `args`. Write `grad_fn(*args, upstream=None)` and
    use `args[0]` when `upstream` is None, as Keras recommends, so that the same
    code runs on every backend.

    Args:
        f: The function.

    Returns:
        The decorated function.

    Example:
    >>> @keras.ops.custom_gradient
    ... def clip_grad(x):
    ...     def grad(*args, upstream=None):
    ...         upstream = args[0] if upstream is None else upstream
    ...         return keras.ops.clip(upstream, -1.0, 1.0)
    ...     return x, grad
    """
    return _custom_gradient(f)


def _start(start_indices) -> list[int]:
    if isinstance(start_indices, torch.Tensor):
        return [int(v) for v in start_indices.reshape(-1).tolist()]
    return [int(v.item() if isinstance(v, torch.Tensor) else v) for v in start_indices]


def _window(x: torch.Tensor, starts: list[int], sizes: Sequence[int], name: str):
    if len(starts) != x.dim() or len(sizes) != x.dim():
        raise ValueError(
            f"keras.ops.{name}: start_indices ({len(starts)} values) and the slice shape "
            f"({len(sizes)} values) need one entry per axis of the input (rank {x.dim()})."
        )
    window = []
    for d, (s, n) in enumerate(zip(starts, sizes)):
        if s < 0 or s + n > x.shape[d]:
            raise ValueError(
                f"keras.ops.{name}: a slice of size {n} starting at {s} does not fit axis {d} "
                f"of size {x.shape[d]} (input shape {tuple(x.shape)})."
            )
        window.append(builtins.slice(s, s + n))
    return tuple(window)


def slice(inputs, start_indices, shape) -> torch.Tensor:
    """A static-size slice of `inputs` starting at `start_indices`.

    Args:
        inputs: Input tensor.
        start_indices: One start per axis (list or 1-D tensor).
        shape: The size of the slice along each axis.

    Returns:
        The slice.

    Example:
    >>> keras.ops.slice(keras.ops.arange(10), [2], [3])  # [2, 3, 4]
    """
    x = _t(inputs)
    return x[_window(x, _start(start_indices), _shape_tuple(shape), "slice")]


def slice_update(inputs, start_indices, updates) -> torch.Tensor:
    """A copy of `inputs` with the block at `start_indices` replaced by `updates`.

    Gradients flow to both `inputs` (outside the block) and `updates`.

    Args:
        inputs: Input tensor.
        start_indices: One start per axis.
        updates: The new block, same rank as `inputs`.

    Returns:
        The updated tensor.

    Example:
    >>> keras.ops.slice_update(keras.ops.zeros((4,)), [1], keras.ops.ones((2,)))  # [0, 1, 1, 0]
    """
    x = _t(inputs)
    u = _t(updates).to(x.dtype)
    window = _window(x, _start(start_indices), tuple(u.shape), "slice_update")
    out = x.clone()
    out[window] = u
    return out


def _index_tuple(indices: torch.Tensor, shape: tuple, name: str) -> tuple[torch.Tensor, ...]:
    idx = indices.to(torch.long)
    rank = len(shape)
    if idx.dim() == 0 or idx.shape[-1] > rank:
        raise ValueError(
            f"keras.ops.{name}: indices of shape {tuple(idx.shape)} need a last axis of at most "
            f"{rank} (one coordinate per indexed axis of the target)."
        )
    depth = idx.shape[-1]
    if idx.numel() and values_readable(idx):
        # Checked on every device: on a GPU an out-of-range index is a device-side assert
        # that breaks every later CUDA call of the process.
        limits = torch.tensor(shape[:depth], device=idx.device)
        bad = (idx < 0) | (idx >= limits)
        if bool(bad.any()):
            row = bad.any(dim=-1).nonzero()[0].tolist()
            raise IndexError(
                f"keras.ops.{name}: indices{row} = {idx[tuple(row)].tolist()} is out of range "
                f"for a target of shape {tuple(shape)}."
            )
    return tuple(idx[..., i] for i in range(depth))


def scatter(indices, values, shape) -> torch.Tensor:
    """A zero tensor of `shape` with `values` added at `indices`.

    Values at repeated indices are summed.

    Args:
        indices: Integer tensor `(N, k)`: coordinates into the first `k` axes.
        values: Tensor `(N,) + shape[k:]`.
        shape: Output shape.

    Returns:
        The scattered tensor.

    Example:
    >>> keras.ops.scatter([[1], [3]], [5.0, 6.0], (4,))  # [0., 5., 0., 6.]
    """
    v = _t(values)
    target = _shape_tuple(shape)
    out = torch.zeros(target, dtype=v.dtype, device=v.device)
    return out.index_put(_index_tuple(_t(indices), target, "scatter"), v, accumulate=True)


_SCATTER_REDUCTIONS = {"max": "amax", "min": "amin", "mul": "prod"}


def scatter_update(inputs, indices, updates, reduction=None) -> torch.Tensor:
    """A copy of `inputs` with the entries (or slices) at `indices` set to `updates`.

    Args:
        inputs: Input tensor.
        indices: Integer tensor `(N, k)`: coordinates into the first `k` axes.
        updates: Tensor `(N,) + inputs.shape[k:]`.
        reduction: How updates combine with the existing value (and with each other, at
            repeated indices): None (the update replaces it; at repeated indices one
            update wins), `"add"`, `"max"`, `"min"` or `"mul"`.

    Returns:
        The updated tensor.

    Raises:
        ValueError: for another `reduction`.

    Example:
    >>> keras.ops.scatter_update(keras.ops.zeros((3,)), [[1]], [9.0])  # [0., 9., 0.]
    >>> keras.ops.scatter_update([1.0, 2.0], [[0], [0]], [3.0, 4.0], reduction="add")  # [8, 2]
    """
    if reduction is not None and reduction != "add" and reduction not in _SCATTER_REDUCTIONS:
        raise ValueError(
            f"Invalid reduction: {reduction}. Supported values are: None, 'add', 'max', "
            "'min', 'mul'."
        )
    x = _t(inputs)
    u = _t(updates).to(x.dtype)
    index = _index_tuple(_t(indices), tuple(x.shape), "scatter_update")
    if reduction is None:
        return x.index_put(index, u)
    if reduction == "add":
        # accumulate=True sums repeated indices into the existing value.
        return x.index_put(index, u, accumulate=True)
    # max/min/mul: a scatter_reduce over the indexed leading axes flattened into one.
    position = torch.zeros_like(index[0]) if index else torch.zeros((), dtype=torch.long)
    for axis, i in enumerate(index):
        position = position * x.shape[axis] + i
    rest = tuple(x.shape[len(index) :])
    flat = x.reshape((-1,) + rest)
    rows = u.reshape((position.numel(),) + rest)
    where = position.reshape((-1,) + (1,) * len(rest)).expand(rows.shape)
    out = flat.scatter_reduce(
        0, where.to(flat.device), rows, reduce=_SCATTER_REDUCTIONS[reduction], include_self=True
    )
    return out.reshape(x.shape)


def unstack(x, num=None, axis: int = 0) -> list[torch.Tensor]:
    """Splits `x` along `axis` into a list of tensors.

    Args:
        x: Input tensor.
        num: Optional expected number of pieces.
        axis: Axis to unstack along.

    Returns:
        A list of tensors.

    Example:
    >>> len(keras.ops.unstack(keras.ops.zeros((3, 2))))  # 3
    """
    x = _t(x)
    if num is not None and x.shape[axis] != num:
        raise ValueError(
            f"keras.ops.unstack: num={num} but axis {axis} of shape {tuple(x.shape)} has size "
            f"{x.shape[axis]}."
        )
    return list(torch.unbind(x, dim=axis))


def associative_scan(f: Callable, elems: Any, reverse: bool = False, axis: int = 0) -> Any:
    """Inclusive scan of `elems` along `axis` with an associative binary function.

    `result[i] = f(...f(f(elems[0], elems[1]), elems[2])..., elems[i])`, computed in
    O(log n) calls of `f` on whole slices, so `f` must work element-wise on batches.

    Args:
        f: Associative function of two arguments shaped like `elems`.
        elems: Tensor or nest of tensors with the same size along `axis`.
        reverse: Scan from the end (flip, scan, flip back).
        axis: Axis to scan along.

    Returns:
        The scanned tensor(s), structured as `elems`.

    Example:
    >>> keras.ops.associative_scan(lambda a, b: a + b, [1.0, 2.0, 3.0])  # [1., 3., 6.]
    """
    leaves = [_t(v) for v in nest.flatten(elems)]
    if not leaves:
        return elems
    ax = int(axis) % leaves[0].dim()
    sizes = {int(v.shape[ax]) for v in leaves}
    if len(sizes) > 1:
        raise ValueError(
            "keras.ops.associative_scan: all elements need the same size along axis "
            f"{axis}; got sizes {sorted(sizes)}."
        )
    n = sizes.pop()
    if reverse:
        leaves = [torch.flip(v, (ax,)) for v in leaves]

    def pack(values):
        return nest.pack_sequence_as(elems, values)

    offset = 1
    while offset < n:
        # Hillis-Steele step: position i combines with position i - offset.
        left = [v.narrow(ax, 0, n - offset) for v in leaves]
        right = [v.narrow(ax, offset, n - offset) for v in leaves]
        combined = [_t(v) for v in nest.flatten(f(pack(left), pack(right)))]
        leaves = [
            torch.cat([v.narrow(ax, 0, offset), c.to(v.dtype)], dim=ax)
            for v, c in zip(leaves, combined, strict=True)
        ]
        offset *= 2
    if reverse:
        leaves = [torch.flip(v, (ax,)) for v in leaves]
    return pack(leaves)


def _einops_side(text: str, name: str) -> list[list[str]]:
    """Groups of axis names of one side of a `rearrange` pattern: "b (h w) c"."""
    groups, current = [], None
    for token in text.replace("(", " ( ").replace(")", " ) ").split():
        if token == "(":
            if current is not None:
                raise ValueError(f"keras.ops.rearrange: nested parentheses in {name!r}.")
            current = []
        elif token == ")":
            if current is None:
                raise ValueError(f"keras.ops.rearrange: unbalanced ')' in {name!r}.")
            groups.append(current)
            current = None
        elif not token.isidentifier():
            raise ValueError(
                f"keras.ops.rearrange: axis names must be identifiers; got {token!r} in {name!r}."
            )
        elif current is None:
            groups.append([token])
        else:
            current.append(token)
    if current is not None:
        raise ValueError(f"keras.ops.rearrange: unbalanced '(' in {name!r}.")
    return groups


def rearrange(tensor, pattern: str, **axes_lengths) -> torch.Tensor:
    """Reorders, merges and splits axes with an einops pattern, e.g. `"b h w c -> b (h w) c"`.

    Args:
        tensor: Input tensor.
        pattern: `"left -> right"`; each side names every axis once, parentheses group
            axes that are merged (right) or split (left).
        **axes_lengths: Sizes of the axes a split cannot infer (`h=3`).

    Returns:
        The rearranged tensor.

    Example:
    >>> keras.ops.rearrange(np.zeros((2, 3, 4)), "b h w -> b (h w)").shape  # (2, 12)
    """
    x = _t(tensor)
    if "->" not in pattern:
        raise ValueError(f"keras.ops.rearrange: the pattern needs '->'; got {pattern!r}.")
    left_text, right_text = pattern.split("->", 1)
    left = _einops_side(left_text, pattern)
    right = _einops_side(right_text, pattern)
    left_names = [n for g in left for n in g]
    right_names = [n for g in right for n in g]
    if sorted(left_names) != sorted(right_names) or len(set(left_names)) != len(left_names):
        raise ValueError(
            "keras.ops.rearrange: both sides must name the same axes, each once; got "
            f"{left_names} and {right_names}."
        )
    if len(left) != x.dim():
        raise ValueError(
            f"keras.ops.rearrange: the pattern's left side has {len(left)} axes but the input "
            f"has shape {tuple(x.shape)}."
        )
    sizes = {k: int(v) for k, v in axes_lengths.items()}
    for group, dim in zip(left, x.shape, strict=True):
        unknown = [n for n in group if n not in sizes]
        known = 1
        for n in group:
            if n in sizes:
                known *= sizes[n]
        if len(unknown) > 1:
            raise ValueError(
                f"keras.ops.rearrange: cannot split an axis of size {dim} into {group}; pass "
                f"the sizes of all but one of {unknown} as keyword arguments."
            )
        if unknown:
            if known == 0 or dim % known:
                raise ValueError(
                    f"keras.ops.rearrange: an axis of size {dim} does not split into {group} "
                    f"with {axes_lengths}."
                )
            sizes[unknown[0]] = dim // known
        elif known != dim:
            raise ValueError(f"keras.ops.rearrange: axis {group} has size {dim}, not {known}.")
    y = x.reshape([sizes[n] for n in left_names])
    y = y.permute([left_names.index(n) for n in right_names])
    out_shape = []
    for group in right:
        size = 1
        for n in group:
            size *= sizes[n]
        out_shape.append(size)
    return y.reshape(out_shape)


__getattr__ = module_getattr("keras.ops.core")
