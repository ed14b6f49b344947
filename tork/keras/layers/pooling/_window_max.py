"""Max pooling over non-overlapping windows, written for traced (compiled) steps.

torch's `max_pool*d` records the winning position of each window as an index, and its
backward scatters the gradient through those indices. Inside a compiled training step
inductor decomposes that scatter into index arithmetic, a zero fill and a `scatter_add`
over layout transposes: on the CPU the pooling backward of the `small_cnn` benchmark took
~25 ms of a ~130 ms step. When the windows tile the input (stride equal to the window,
no padding), the pooled value is a reduction over a reshaped view and the gradient can be
recomputed from the input and the output alone: a pointwise mask that inductor fuses into
one pass over the input. Results equal torch's exactly, including ties: the gradient goes
to the first maximal cell of each window in row-major order, as torch's kernel does (a
window holding NaN gives its gradient to its first NaN, torch's kernel to its last).
"""

from __future__ import annotations

import itertools

import torch
import torch.nn.functional as F

# Windows of more cells than this keep torch's kernel: the backward enumerates the cells.
_MAX_WINDOW_CELLS = 16


def tiles(spatial: tuple, pool_size: tuple, strides: tuple) -> bool:
    """Whether windows of `pool_size` stepped by `strides` tile the spatial sizes."""
    cells = 1
    for k in pool_size:
        cells *= k
    return (
        tuple(strides) == tuple(pool_size)
        and cells <= _MAX_WINDOW_CELLS
        and all(n is not None and n >= k for n, k in zip(spatial, pool_size))
    )


def _windowed(x: torch.Tensor, pool_size: tuple) -> torch.Tensor:
    """The channels-last (N, *S, C) input as (N, o1, k1, o2, k2, ..., C), remainders cut."""
    outs = [n // k for n, k in zip(x.shape[1:-1], pool_size)]
    index = (slice(None), *(slice(0, o * k) for o, k in zip(outs, pool_size)), slice(None))
    shape = [x.shape[0]]
    for o, k in zip(outs, pool_size):
        shape += [o, k]
    return x[index].reshape(*shape, x.shape[-1])


class _WindowMax(torch.autograd.Function):
    """Max over tiling windows of a channels-last tensor; first-max gradient routing."""

    generate_vmap_rule = True

    @staticmethod
    def forward(x: torch.Tensor, pool_size: tuple) -> torch.Tensor:
        window_dims = tuple(2 + 2 * i for i in range(len(pool_size)))
        return _windowed(x, pool_size).amax(window_dims)

    @staticmethod
    def setup_context(ctx, inputs, output) -> None:
        x, pool_size = inputs
        ctx.pool_size = pool_size
        ctx.save_for_backward(x, output)

    @staticmethod
    def backward(ctx, grad):
        x, pooled = ctx.saved_tensors
        pool_size = ctx.pool_size
        rank = len(pool_size)
        t = _windowed(x, pool_size)
        # A window holding NaN pools to NaN and its first NaN takes the gradient (torch's
        # kernel picks the last NaN: routing it the same, the gradient being NaN anyway,
        # would cost a second pass of masks). `c != c` rather than `isnan()`: inductor's CPU
        # code vectorizes only the compare. The masks are built per cell, on slices of the
        # pooled shape: a mask over the whole window shape became a slow stored buffer.
        zero = torch.zeros((), dtype=grad.dtype, device=grad.device)
        seen = None
        parts = []
        for cell in itertools.product(*(range(k) for k in pool_size)):
            index = [slice(None)]
            for c in cell:
                index += [slice(None), c]
            value = t[tuple(index)]
            hit = (value == pooled) | (value != value)
            first = hit if seen is None else hit & ~seen
            seen = hit if seen is None else seen | hit
            parts.append(torch.where(first, grad, zero))
        # (k1*...*kr, N, o1..or, C) -> (N, o1, k1, ..., or, kr, C) -> (N, *S', C).
        stacked = torch.stack(parts).reshape(*pool_size, *grad.shape)
        order = [rank]
        for i in range(rank):
            order += [rank + 1 + i, i]
        order.append(2 * rank + 1)
        spatial = [o * k for o, k in zip(grad.shape[1:-1], pool_size)]
        out = stacked.permute(order).reshape(grad.shape[0], *spatial, grad.shape[-1])
        cut = [n - s for n, s in zip(x.shape[1:-1], spatial)]
        if any(cut):
            pads = [0, 0]
            for c in reversed(cut):
                pads += [0, c]
            out = F.pad(out, pads)
        return out, None


def window_max(x: torch.Tensor, pool_size: tuple, channels_last: bool) -> torch.Tensor:
    """Max pooling of `x` over windows that tile it (see `tiles`), 'valid' output size.

    Args:
        x: a (N, *spatial, C) tensor, or (N, C, *spatial) when not `channels_last`.
        pool_size: the window size per spatial axis (equal to the strides).
        channels_last: the layout of `x`.

    Returns:
        The pooled tensor in the layout of `x`.
    """
    if channels_last:
        return _WindowMax.apply(x, tuple(pool_size))
    return _WindowMax.apply(x.movedim(1, -1), tuple(pool_size)).movedim(-1, 1)
