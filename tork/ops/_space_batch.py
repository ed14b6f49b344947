"""`tf.space_to_batch_nd` / `tf.batch_to_space` and their TF 1 spellings.

`space_to_batch_nd` zero-pads the M spatial dimensions after the batch, then moves each
`block_shape` block of positions into the batch: the output batch index is
`(offset_1 * ... * offset_M) * batch + b` with the block offsets major (TensorFlow's
layout, which atrous convolution written by hand relies on). `batch_to_space_nd` is the
inverse, followed by a crop.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from tork.ops.array import _shape_str, _t
from tork.ops.debugging import InvalidArgumentError

__all__ = ["batch_to_space", "batch_to_space_nd", "space_to_batch", "space_to_batch_nd"]


def _ints(value, what: str, op: str) -> list[int]:
    if isinstance(value, torch.Tensor):
        value = value.tolist()
    elif hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, int):
        value = [value]
    try:
        return [int(v) for v in value]
    except TypeError as e:
        raise ValueError(f"{op}: {what} must be a list of ints, got {value!r}.") from e


def _pairs(value, m: int, what: str, op: str) -> list[tuple[int, int]]:
    if isinstance(value, torch.Tensor) or hasattr(value, "tolist"):
        value = value.tolist()
    try:
        pairs = [(int(a), int(b)) for a, b in value]
    except (TypeError, ValueError) as e:
        raise ValueError(f"{op}: {what} must be a [M, 2] list of ints, got {value!r}.") from e
    if len(pairs) != m:
        raise ValueError(
            f"{op}: {what} must have one [before, after] pair per block dimension ({m}), "
            f"got {len(pairs)}: {value!r}."
        )
    if any(a < 0 or b < 0 for a, b in pairs):
        raise ValueError(f"{op}: {what} must be non-negative, got {value!r}.")
    return pairs


def _check_block(x: torch.Tensor, block: list[int], op: str) -> int:
    m = len(block)
    if m < 1 or any(b < 1 for b in block):
        raise ValueError(f"{op}: block_shape must be a non-empty list of ints >= 1, got {block}.")
    if x.dim() < m + 1:
        raise ValueError(
            f"{op}: the input (shape {_shape_str(x.shape)}) needs a batch dimension and at "
            f"least {m} spatial dimensions for block_shape {block}."
        )
    return m


def space_to_batch_nd(input, block_shape, paddings, name: str | None = None) -> torch.Tensor:
    """Zero-pads the spatial dimensions, then moves `block_shape` blocks into the batch.

    Args:
        input: a tensor `(batch, *spatial, *rest)` with M = `len(block_shape)` spatial dims.
        block_shape: M ints >= 1.
        paddings: an `[M, 2]` list of (before, after) zero pads; each padded spatial size
            must be divisible by its block size.
        name: unused.

    Returns:
        A tensor `(batch * prod(block_shape), *(padded_spatial / block_shape), *rest)`.

    Example:
    >>> tf.space_to_batch_nd(tf.reshape(tf.range(4.0), (1, 2, 2, 1)), [2, 2], [[0, 0], [0, 0]]).shape
    torch.Size([4, 1, 1, 1])
    """
    del name
    op = "space_to_batch_nd"
    x = _t(input)
    block = _ints(block_shape, "block_shape", op)
    m = _check_block(x, block, op)
    pads = _pairs(paddings, m, "paddings", op)
    spatial = list(x.shape[1 : m + 1])
    padded = [n + a + b for n, (a, b) in zip(spatial, pads, strict=True)]
    bad = [(p, b) for p, b in zip(padded, block, strict=True) if p % b]
    if bad:
        raise InvalidArgumentError(
            f"{op}: the padded spatial shape {padded} (input shape {_shape_str(x.shape)}, "
            f"paddings {[list(p) for p in pads]}) must be divisible by block_shape {block}."
        )
    rest = list(x.shape[m + 1 :])
    # F.pad wants the last axis first; the trailing (non-block) axes are not padded.
    flat = [0, 0] * len(rest)
    for a, b in reversed(pads):
        flat += [a, b]
    if any(flat):
        x = F.pad(x, flat)
    batch = x.shape[0]
    split = [batch]
    for p, b in zip(padded, block, strict=True):
        split += [p // b, b]
    y = x.reshape(*split, *rest)
    # (batch, q1, b1, ..., qM, bM, rest) -> (b1, ..., bM, batch, q1, ..., qM, rest)
    perm = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)]
    perm += list(range(2 * m + 1, 2 * m + 1 + len(rest)))
    y = y.permute(*perm)
    total = batch
    for b in block:
        total *= b
    return y.reshape(total, *[p // b for p, b in zip(padded, block, strict=True)], *rest)


def batch_to_space_nd(input, block_shape, crops, name: str | None = None) -> torch.Tensor:
    """Moves batch blocks back into the spatial dimensions, then crops them.

    The inverse of `space_to_batch_nd`.

    Args:
        input: a tensor `(batch * prod(block_shape), *spatial, *rest)`.
        block_shape: M ints >= 1.
        crops: an `[M, 2]` list of (before, after) amounts to crop from each spatial dim.
        name: unused.

    Returns:
        A tensor `(batch, *(spatial * block_shape - crops), *rest)`.

    Example:
    >>> tf.batch_to_space(tf.ones((4, 1, 1, 1)), [2, 2], [[0, 0], [0, 0]]).shape
    torch.Size([1, 2, 2, 1])
    """
    del name
    op = "batch_to_space"
    x = _t(input)
    block = _ints(block_shape, "block_shape", op)
    m = _check_block(x, block, op)
    cr = _pairs(crops, m, "crops", op)
    prod = 1
    for b in block:
        prod *= b
    if x.shape[0] % prod:
        raise InvalidArgumentError(
            f"{op}: the input batch ({x.shape[0]}, shape {_shape_str(x.shape)}) must be "
            f"divisible by the product of block_shape {block} ({prod})."
        )
    batch = x.shape[0] // prod
    spatial = list(x.shape[1 : m + 1])
    rest = list(x.shape[m + 1 :])
    full = [n * b for n, b in zip(spatial, block, strict=True)]
    for f, (a, b) in zip(full, cr, strict=True):
        if a + b > f:
            raise InvalidArgumentError(
                f"{op}: crops {[list(c) for c in cr]} remove more than the {full} spatial "
                f"cells of the un-batched input (input shape {_shape_str(x.shape)})."
            )
    y = x.reshape(*block, batch, *spatial, *rest)
    # (b1, ..., bM, batch, q1, ..., qM, rest) -> (batch, q1, b1, ..., qM, bM, rest)
    perm = [m]
    for i in range(m):
        perm += [m + 1 + i, i]
    perm += list(range(2 * m + 1, 2 * m + 1 + len(rest)))
    y = y.permute(*perm).reshape(batch, *full, *rest)
    index = (slice(None),) + tuple(slice(a, f - b) for f, (a, b) in zip(full, cr, strict=True))
    return y[index]


def space_to_batch(input, block_shape, paddings, name: str | None = None) -> torch.Tensor:
    """TF 2's `tf.space_to_batch`: the same as `space_to_batch_nd`.

    Args:
        input: a tensor `(batch, *spatial, *rest)`.
        block_shape: M ints >= 1.
        paddings: an `[M, 2]` list of (before, after) zero pads.
        name: unused.

    Returns:
        See `space_to_batch_nd`.

    Example:
    >>> tf.space_to_batch(tf.ones((1, 4, 4, 1)), [2, 2], [[0, 0], [0, 0]]).shape
    torch.Size([4, 2, 2, 1])
    """
    return space_to_batch_nd(input, block_shape, paddings, name)


def batch_to_space(input, block_shape, crops, name: str | None = None) -> torch.Tensor:
    """TF 2's `tf.batch_to_space`: the same as `batch_to_space_nd`.

    Args:
        input: a tensor `(batch * prod(block_shape), *spatial, *rest)`.
        block_shape: M ints >= 1.
        crops: an `[M, 2]` list of (before, after) crops.
        name: unused.

    Returns:
        See `batch_to_space_nd`.

    Example:
    >>> tf.batch_to_space(tf.ones((4, 2, 2, 1)), [2, 2], [[0, 0], [0, 0]]).shape
    torch.Size([1, 4, 4, 1])
    """
    return batch_to_space_nd(input, block_shape, crops, name)


def space_to_batch_v1(input, paddings, block_size=None, name=None, block_shape=None):
    """TF 1's `tf.compat.v1.space_to_batch(input, paddings, block_size)`: a square block.

    Example:
    >>> tf.compat.v1.space_to_batch(tf.ones((1, 4, 4, 1)), [[0, 0], [0, 0]], 2).shape
    torch.Size([4, 2, 2, 1])
    """
    size = block_shape if block_size is None else block_size
    if size is None:
        raise ValueError("tf.compat.v1.space_to_batch: give block_size (an int).")
    return space_to_batch_nd(input, [int(size)] * 2, paddings, name)


def batch_to_space_v1(input, crops, block_size, name=None, block_shape=None):
    """TF 1's `tf.compat.v1.batch_to_space(input, crops, block_size)`: a square block.

    Example:
    >>> tf.compat.v1.batch_to_space(tf.ones((4, 1, 1, 1)), [[0, 0], [0, 0]], 2).shape
    torch.Size([1, 2, 2, 1])
    """
    size = block_shape if block_size is None else block_size
    return batch_to_space_nd(input, [int(size)] * 2, crops, name)
