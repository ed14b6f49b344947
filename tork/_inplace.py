"""Augmented assignments (`x -= m`) in user code that was written for immutable tensors.

TensorFlow tensors are immutable: `x -= m` makes a new tensor, so Keras code writes it
freely in a layer's `call`, a Lambda function, a loss, a metric or a `Dataset.map`
function. On torch tensors it runs in place: the caller's tensor changes (other layers
reading it see the change, a batch's targets are overwritten, a dataset's stored element
is divided by 255 again every epoch) and autograd refuses the backward pass of the op
that made it. Such functions get private copies of their tensor arguments; whether a
function writes in place is read once from its bytecode, so the others pay nothing.
"""

from __future__ import annotations

import dis
import types

import torch

_CACHE: dict = {}

# Modules whose functions are library code, not the user's helpers.
_LIBRARIES = ("tork", "torch", "numpy")


def _unwrap(fn):
    """The Python function behind a tf.function, `functools.partial`, decorator or method."""
    for _ in range(8):
        inner = getattr(fn, "python_function", None) or getattr(fn, "func", None)
        inner = inner or getattr(fn, "__wrapped__", None)
        if inner is None or inner is fn:
            break
        fn = inner
    return getattr(fn, "__func__", fn)


def _names(fn) -> dict:
    """The names `fn`'s code can load: its globals and its closure's variables."""
    names = dict(getattr(fn, "__globals__", None) or {})
    cells = getattr(fn, "__closure__", None) or ()
    for name, cell in zip(fn.__code__.co_freevars, cells):
        try:
            names[name] = cell.cell_contents
        except ValueError:  # a cell not filled yet
            pass
    return names


def _code_writes_in_place(code: types.CodeType, helpers, seen: set, depth: int) -> bool:
    """Whether `code` has an in-place operator; with `helpers` (the function's globals),
    also in the user's functions it calls by name, `depth` calls deep."""
    if code in seen:
        return False
    seen.add(code)
    for instruction in dis.get_instructions(code):
        name = instruction.opname
        if name.startswith("INPLACE_"):  # Python < 3.11
            return True
        if name == "BINARY_OP" and str(instruction.argrepr).endswith("="):  # 3.11+: `+=`
            return True
        if name in ("LOAD_GLOBAL", "LOAD_DEREF") and helpers is not None and depth > 0:
            helper = _unwrap(helpers.get(instruction.argval))
            helper_code = getattr(helper, "__code__", None)
            module = getattr(helper, "__module__", None) or ""
            if helper_code is not None and not module.startswith(_LIBRARIES):
                if _code_writes_in_place(helper_code, _names(helper), seen, depth - 1):
                    return True
    # Nested functions and comprehensions inside.
    return any(
        isinstance(c, types.CodeType) and _code_writes_in_place(c, helpers, seen, depth)
        for c in code.co_consts
    )


def writes_in_place(fn, follow_helpers: bool = False) -> bool:
    """Whether `fn` (a function or method) contains an augmented assignment (`x += y`).

    Args:
        fn: a function, bound method, tf.function, `functools.partial` or callable object.
        follow_helpers: also read the user's own functions that `fn` calls by name, a
            global or a closure variable (a `Dataset.map` function calling
            `normalize(image, mask)`), up to three calls deep; library functions (tork,
            torch, NumPy) are not read.

    Returns:
        True when its code (or code nested in it) has an in-place operator.
    """
    fn = _unwrap(fn)
    code = getattr(fn, "__code__", None)
    if code is None:
        call = type(fn).__dict__.get("__call__")  # a callable object's method
        code = getattr(call, "__code__", None)
        if code is None:
            return False
    key = (code, follow_helpers)
    found = _CACHE.get(key)
    if found is None:
        helpers = _names(fn) if follow_helpers and hasattr(fn, "__code__") else None
        found = _CACHE[key] = _code_writes_in_place(code, helpers, set(), 3)
    return found


def writable_copies(value):
    """Copies of the tensors in `value` (a tensor or a list, tuple or dict of them).

    The copies keep the tensors' Python attributes (a Keras mask, the logits behind an
    activation), and stay in the autograd graph.
    """
    if isinstance(value, torch.Tensor):
        if isinstance(value, torch.nn.Parameter):
            return value  # a variable: its in-place assign is meant
        copy = value.clone()
        if getattr(value, "__dict__", None):
            copy.__dict__.update(value.__dict__)
        return copy
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(writable_copies(v) for v in value)
    if isinstance(value, dict):
        return {k: writable_copies(v) for k, v in value.items()}
    return value
