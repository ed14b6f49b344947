"""sqrt, rsqrt and reciprocal with TensorFlow's gradients: zero where the upstream is zero.

TensorFlow's gradient kernels of these ops return 0 where the incoming gradient is 0, so
`tf.where(x > 0, tf.sqrt(x), 0.0)` trains at x = 0 (the unused branch gets a zero
upstream). torch's own backward multiplies that zero by an infinite local derivative and
gives NaN. The functions below keep torch's forward and TF's backward; they are used only
when the input needs a gradient.
"""

from __future__ import annotations

import torch


def _safe_grad_op(forward, derivative, name: str):
    """`forward` with the backward `grad * derivative(y)`, zero where `grad` is zero.

    `derivative` gets the op's output `y` (each of these ops' derivatives is a function
    of it), so only the output is saved for the backward pass.
    """

    def forward_pass(ctx, x):
        y = forward(x)
        ctx.save_for_backward(y)
        return y

    def backward_pass(ctx, grad):
        (y,) = ctx.saved_tensors
        local = derivative(y)
        return torch.where(grad == 0, torch.zeros_like(local), grad * local)

    function = type(
        name,
        (torch.autograd.Function,),
        {"forward": staticmethod(forward_pass), "backward": staticmethod(backward_pass)},
    )

    def run(x: torch.Tensor) -> torch.Tensor:
        if x.requires_grad and x.is_floating_point() and torch.is_grad_enabled():
            return function.apply(x)
        return forward(x)

    return run


sqrt = _safe_grad_op(torch.sqrt, lambda y: 0.5 / y, "_Sqrt")
rsqrt = _safe_grad_op(torch.rsqrt, lambda y: -0.5 * y * y * y, "_Rsqrt")
reciprocal = _safe_grad_op(torch.reciprocal, lambda y: -(y * y), "_Reciprocal")
