"""sqrt, rsqrt and reciprocal with TensorFlow's gradients: zero where the upstream is zero.

TensorFlow's gradient kernels of these ops return 0 where the incoming gradient is 0, so
`tf.where(x > 0, tf.sqrt(x), 0.0)` trains at x = 0 (the unused branch gets a zero
upstream). torch's own backward multiplies that zero by an infinite local derivative and
gives NaN. The functions below keep torch's forward and TF's backward; they are used only
when the input needs a gradient.
"""

from __future__ import annotations

import torch


def _masked(grad: torch.Tensor, local: torch.Tensor) -> torch.Tensor:
    return torch.where(grad == 0, torch.zeros_like(local), grad * local)


class _Sqrt(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = torch.sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return _masked(grad, 0.5 / y)


class _Rsqrt(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = torch.rsqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return _masked(grad, -0.5 * y * y * y)


class _Reciprocal(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = torch.reciprocal(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return _masked(grad, -(y * y))


def _with_safe_grad(forward, function):
    def run(x: torch.Tensor) -> torch.Tensor:
        if x.requires_grad and x.is_floating_point() and torch.is_grad_enabled():
            return function.apply(x)
        return forward(x)

    return run


sqrt = _with_safe_grad(torch.sqrt, _Sqrt)
rsqrt = _with_safe_grad(torch.rsqrt, _Rsqrt)
reciprocal = _with_safe_grad(torch.reciprocal, _Reciprocal)
