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
        cells = list(itertools.product(*(range(k) for k in pool_size)))
        # The winning cell of each window, numbered in row-major order, as a small tensor of
        # the pooled shape: the cells are visited last to first so that the first maximal
        # one is written last. A window holding NaN pools to NaN and its first NaN takes the
        # gradient (torch's kernel picks the last NaN: routing it the same, the gradient
        # being NaN anyway, would cost another pass). `c != c` rather than `isnan()`:
        # inductor's CPU code vectorizes only the compare.
        winner = torch.zeros_like(pooled)
        for number in range(len(cells) - 1, -1, -1):
            index = [slice(None)]
            for c in cells[number]:
                index += [slice(None), c]
            value = t[tuple(index)]
            hit = (value == pooled) | (value != value)
            winner = torch.where(hit, float(number), winner)
        # One pointwise pass writes the input-shaped gradient in place of the windows:
        # (N, o1, 1, o2, 1, ..., C) broadcast against the cells' numbers (1, 1, k1, 1, k2,
        # ..., 1). Stacking per-cell parts instead cost a stored buffer per cell and a
        # permuted read of them (~10 ms per small_cnn step on the CPU).
        numbers = torch.arange(len(cells), dtype=grad.dtype, device=grad.device)
        shape = [1]
        for k in pool_size:
            shape += [1, k]
        numbers = numbers.reshape(*shape, 1)
        winner_b, grad_b = winner, grad
        for i in range(rank):
            winner_b = winner_b.unsqueeze(2 + 2 * i)
            grad_b = grad_b.unsqueeze(2 + 2 * i)
        zero = torch.zeros((), dtype=grad.dtype, device=grad.device)
        routed = torch.where(numbers == winner_b, grad_b, zero)
        spatial = [o * k for o, k in zip(grad.shape[1:-1], pool_size)]
        out = routed.reshape(grad.shape[0], *spatial, grad.shape[-1])
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
