"""SELU with TensorFlow's gradient at 0.

TensorFlow's SeluGrad takes the negative branch only where the output is below 0, so the
gradient at x = 0 is `scale`; torch's `F.selu` gives `scale * alpha` there. Used by
`keras.activations.selu` (and meant for `tf.nn.selu`).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

_ALPHA = 1.6732632423543772
_SCALE = 1.0507009873554805


def selu(x: torch.Tensor) -> torch.Tensor:
    """`scale * x` for x >= 0, else `scale * alpha * (exp(x) - 1)`; TF's gradient at 0."""
    if not (torch.is_grad_enabled() and x.requires_grad):
        return F.selu(x)  # same values, one fused kernel
    negative = _ALPHA * torch.expm1(torch.clamp(x, max=0.0))
    return _SCALE * torch.where(x < 0, negative, x)
