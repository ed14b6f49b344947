"""Augmented assignments (`loss += w * tv`) whose result is larger than the left tensor.

TensorFlow tensors are immutable, so `a += b` is `a = a + b` and may broadcast `a` to a
larger shape: the style-transfer tutorials write `loss += weight *
tf.image.total_variation(image)`, a scalar plus a `(1,)` tensor. torch runs `+=` in
place and raises ("output with shape [] doesn't match the broadcast shape [1]"). Only
that case changes here: when torch refuses because the result does not fit the left
tensor, the operator returns the new, broadcast tensor, as TensorFlow does. Every
in-place update torch accepts stays in place, and variables keep their own rules.
"""

from __future__ import annotations

import operator

import torch

_OPERATORS = {
    "__iadd__": operator.add,
    "__isub__": operator.sub,
    "__imul__": operator.mul,
    "__itruediv__": operator.truediv,
    "__ipow__": operator.pow,
}


def _grows(self: torch.Tensor, other) -> bool:
    """Whether `self <op> other` broadcasts to a shape other than `self`'s."""
    shape = other.shape if isinstance(other, torch.Tensor) else getattr(other, "shape", ())
    try:
        return tuple(torch.broadcast_shapes(self.shape, tuple(shape))) != tuple(self.shape)
    except (RuntimeError, TypeError, ValueError):
        return False


def _install() -> None:
    for name, op in _OPERATORS.items():
        original = getattr(torch.Tensor, name)
        if getattr(original, "_tork_compat", False):
            continue

        def method(self, other, _original=original, _op=op):
            try:
                return _original(self, other)
            except RuntimeError:
                # torch checks shapes before writing anything. Variables (Parameters)
                # keep torch's in-place rules (see tork.variables).
                if isinstance(self, torch.nn.Parameter) or not _grows(self, other):
                    raise
            return _op(self, other)

        method.__name__ = name
        method.__qualname__ = f"Tensor.{name}"
        method.__doc__ = original.__doc__
        method._tork_compat = True
        setattr(torch.Tensor, name, method)


_install()
