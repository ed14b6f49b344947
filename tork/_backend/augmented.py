"""Augmented assignments (`e -= m`, `loss += w * tv`) with TensorFlow's meaning.

TensorFlow tensors are immutable, so `a -= b` is always `a = a - b`: a new tensor, the old
one unchanged. torch runs it in place, which breaks code written for TensorFlow in two
ways, both fixed here:

- Gradients. Keras layers write `e = K.sigmoid(x); e -= K.max(e, axis=-1, keepdims=True)`
  (keras-self-attention) or `a = K.exp(b); a *= mask`. The op that made `e` saved it for
  its backward pass; writing into it makes the backward pass fail ("one of the variables
  needed for gradient computation has been modified by an inplace operation"). So when the
  left tensor takes part in autograd (it requires grad and grad mode is on), the operator
  returns the new tensor `a op b`, as TensorFlow does.
- Broadcasting. The style-transfer tutorials write `loss += weight *
  tf.image.total_variation(image)`, a scalar plus a `(1,)` tensor: torch refuses to write
  a `(1,)` result into a scalar. When torch refuses because the result does not fit the
  left tensor, the operator returns the new, broadcast tensor.

The private copies tork hands to functions written for TF's immutable tensors
(`tork._inplace.writable_copies`: a loss, metric, Lambda or layer call with `a op= b`) get
new tensors too, outside autograd as well: one copy may reach several of the user's
functions (segmentation_models' `cce_dice_loss` holds two losses that each write `pr /=
sum`), and the second must see the values the first did.

Everything else stays torch's in-place update: tensors outside autograd (PyTorch code
updates buffers and statistics with `+=`, under `torch.no_grad()` or not) and variables
(Parameters), which keep their own rules (see tork.variables). The price is aliasing for
tensors in autograd: after `v = t[:, 0]; v += 1` on such a `t`, `t` is unchanged (as
with TensorFlow, where views do not exist); torch code that writes a slice of a
gradient-tracking tensor writes `t[:, 0] += 1`, which still writes into `t`.
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
    "__ifloordiv__": operator.floordiv,
    "__imod__": operator.mod,
}
# torch has no `@=` (Python already gives `a = a @ b`), and the bitwise operators (`&=`,
# `|=`, `^=`, `<<=`, `>>=`) take integer and bool tensors only, which autograd never
# tracks and which broadcast as torch's do: those stay torch's.


def _grows(self: torch.Tensor, other) -> bool:
    """Whether `self <op> other` broadcasts to a shape other than `self`'s."""
    shape = other.shape if isinstance(other, torch.Tensor) else getattr(other, "shape", ())
    try:
        return tuple(torch.broadcast_shapes(self.shape, tuple(shape))) != tuple(self.shape)
    except (RuntimeError, TypeError, ValueError):
        return False


def _left_dtype(result: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """`result` in the left tensor's dtype, as torch's in-place op would have written it.

    A float32 `a *= b` with a float64 `b` stays float32 (TF refuses mixed dtypes; torch's
    in-place op casts back), so the layers after it see the dtype they did before.
    """
    return result.to(dtype) if torch.can_cast(result.dtype, dtype) else result


def _install() -> None:
    parameter = torch.nn.Parameter
    grad_enabled = torch.is_grad_enabled
    for name, op in _OPERATORS.items():
        original = getattr(torch.Tensor, name)
        if getattr(original, "_tork_compat", False):
            continue

        def method(self, other, _original=original, _op=op):
            # `requires_grad` first: the common no-grad case pays two attribute reads.
            # `_tork_rebind` marks the private copies tork hands to functions written for
            # TF's immutable tensors (tork._inplace.writable_copies): one copy may reach
            # several of the user's functions (a loss object summing two losses that each
            # write `pr /= sum`), so none of them may write into it.
            if (
                self.requires_grad and grad_enabled() and not isinstance(self, parameter)
            ) or getattr(self, "_tork_rebind", False):
                result = _op(self, other)
                if result.dtype is not self.dtype:
                    result = _left_dtype(result, self.dtype)
                return result
            try:
                return _original(self, other)
            except RuntimeError:
                # torch checks shapes before writing anything. Variables (Parameters)
                # keep torch's in-place rules (see tork.variables).
                if isinstance(self, parameter) or not _grows(self, other):
                    raise
            return _op(self, other)

        method.__name__ = name
        method.__qualname__ = f"Tensor.{name}"
        method.__doc__ = original.__doc__
        method._tork_compat = True
        setattr(torch.Tensor, name, method)


_install()
