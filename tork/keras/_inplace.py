"""Augmented assignments (`x -= m`) in user code that was written for immutable tensors.

TensorFlow tensors are immutable: `x -= m` makes a new tensor, so Keras code writes it
freely in a layer's `call`, a Lambda function, a loss or a metric. On torch tensors it
runs in place: the caller's tensor changes (other layers reading it see the change, a
batch's targets are overwritten) and autograd refuses the backward pass of the op that
made it. Such functions get private copies of their tensor arguments; whether a function
writes in place is read once from its bytecode, so the others pay nothing.
"""

from __future__ import annotations

import dis
import types

import torch

_CACHE: dict = {}


def _code_writes_in_place(code: types.CodeType) -> bool:
    for instruction in dis.get_instructions(code):
        name = instruction.opname
        if name.startswith("INPLACE_"):  # Python < 3.11
            return True
        if name == "BINARY_OP" and str(instruction.argrepr).endswith("="):  # 3.11+: `+=`
            return True
    # Nested functions and comprehensions inside.
    return any(isinstance(c, types.CodeType) and _code_writes_in_place(c) for c in code.co_consts)


def writes_in_place(fn) -> bool:
    """Whether `fn` (a function or method) contains an augmented assignment (`x += y`).

    Args:
        fn: a function, bound method, or callable object.

    Returns:
        True when its code (or code nested in it) has an in-place operator.
    """
    fn = getattr(fn, "__func__", fn)
    code = getattr(fn, "__code__", None)
    if code is None:
        call = type(fn).__dict__.get("__call__")  # a callable object's method
        code = getattr(call, "__code__", None)
        if code is None:
            return False
    found = _CACHE.get(code)
    if found is None:
        found = _CACHE[code] = _code_writes_in_place(code)
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
