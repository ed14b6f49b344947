"""`keras.ops.math`: Keras 3's math ops (segment reductions, top-k, logsumexp, erf...)."""

from __future__ import annotations

import torch

from tork._backend.errors import module_getattr
from tork.keras.ops._utils import _axes, _float, _t
from tork.ops import math as _tfmath

__all__ = [
    "erf",
    "erfinv",
    "extract_sequences",
    "in_top_k",
    "logdet",
    "logsumexp",
    "qr",
    "rsqrt",
    "segment_max",
    "segment_sum",
    "top_k",
]


def _num_segments(segment_ids: torch.Tensor, num_segments) -> int:
    if num_segments is not None:
        return int(num_segments)
    return int(segment_ids.max()) + 1 if segment_ids.numel() else 0


def segment_sum(data, segment_ids, num_segments=None, sorted: bool = False) -> torch.Tensor:
    """Sums the rows of `data` that share a segment id.

    Args:
        data: Input tensor.
        segment_ids: Integer ids, one per leading row of `data`.
        num_segments: Number of segments (default: largest id + 1).
        sorted: Whether the ids are sorted (any order works).

    Returns:
        A tensor of shape `(num_segments,) + data.shape[1:]`.

    Example:
    >>> keras.ops.segment_sum([1.0, 2.0, 3.0], [0, 0, 1])  # [3., 3.]
    """
    del sorted
    ids = _t(segment_ids)
    return _tfmath._segment(data, ids, _num_segments(ids, num_segments), "sum")


def segment_max(data, segment_ids, num_segments=None, sorted: bool = False) -> torch.Tensor:
    """Maximum over the rows of `data` that share a segment id.

    Empty segments hold the dtype's lowest value (-inf for floats).

    Args:
        data: Input tensor.
        segment_ids: Integer ids, one per leading row of `data`.
        num_segments: Number of segments (default: largest id + 1).
        sorted: Whether the ids are sorted (any order works).

    Returns:
        A tensor of shape `(num_segments,) + data.shape[1:]`.

    Example:
    >>> keras.ops.segment_max([1.0, 5.0, 3.0], [0, 0, 1])  # [5., 3.]
    """
    del sorted
    ids = _t(segment_ids)
    return _tfmath._segment(data, ids, _num_segments(ids, num_segments), "amax")


def top_k(x, k: int, sorted: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """The `k` largest entries along the last axis, and their int32 indices.

    Args:
        x: Input tensor.
        k: Number of entries.
        sorted: Return them in descending order.

    Returns:
        `(values, indices)`.

    Example:
    >>> keras.ops.top_k([1.0, 3.0, 2.0], 2)  # ([3., 2.], [1, 2])
    """
    out = _tfmath.top_k(_t(x), k=k, sorted=sorted)
    return out.values, out.indices


def in_top_k(targets, predictions, k: int) -> torch.Tensor:
    """Whether each target class is among the `k` highest predictions.

    Args:
        targets: Integer class ids `(batch,)`.
        predictions: Scores `(batch, classes)`.
        k: Number of top entries to consider.

    Returns:
        A boolean tensor `(batch,)`.

    Example:
    >>> keras.ops.in_top_k([1], [[0.1, 0.9, 0.0]], 1)  # [True]
    """
    return _tfmath.in_top_k(_t(targets), _t(predictions), k)


def logsumexp(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """`log(sum(exp(x)))` over `axis`, computed stably.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The reduced tensor.

    Example:
    >>> keras.ops.logsumexp([0.0, 0.0])  # 0.6931
    """
    x = _float(_t(x))
    return torch.logsumexp(x, dim=_axes(axis, x.dim()), keepdim=keepdims)


def erf(x) -> torch.Tensor:
    """The error function.

    Args:
        x: Input tensor.

    Returns:
        `erf(x)`, element-wise.

    Example:
    >>> keras.ops.erf([0.0])  # [0.]
    """
    return torch.erf(_float(_t(x)))


def erfinv(x) -> torch.Tensor:
    """The inverse error function.

    Args:
        x: Input tensor in `(-1, 1)`.

    Returns:
        `erfinv(x)`, element-wise.

    Example:
    >>> keras.ops.erfinv([0.0])  # [0.]
    """
    return torch.erfinv(_float(_t(x)))


def rsqrt(x) -> torch.Tensor:
    """`1 / sqrt(x)`.

    Args:
        x: Input tensor.

    Returns:
        The reciprocal square root.

    Example:
    >>> keras.ops.rsqrt([4.0])  # [0.5]
    """
    return torch.rsqrt(_float(_t(x)))


def logdet(x) -> torch.Tensor:
    """`log(det(x))` of Hermitian positive-definite matrices.

    Args:
        x: Tensor `(..., M, M)`.

    Returns:
        The log-determinants.

    Example:
    >>> keras.ops.logdet([[2.0, 0.0], [0.0, 3.0]])  # log(6)
    """
    return torch.logdet(_float(_t(x)))


def qr(x, mode: str = "reduced") -> tuple[torch.Tensor, torch.Tensor]:
    """QR decomposition.

    Args:
        x: Tensor `(..., M, N)`.
        mode: `"reduced"` or `"complete"`.

    Returns:
        `(q, r)`.

    Example:
    >>> q, r = keras.ops.qr([[1.0, 2.0], [3.0, 4.0]])
    """
    if mode not in ("reduced", "complete"):
        raise ValueError(f"keras.ops.qr: mode must be 'reduced' or 'complete', got {mode!r}.")
    q, r = torch.linalg.qr(_float(_t(x)), mode=mode)
    return q, r


def extract_sequences(x, sequence_length: int, sequence_stride: int) -> torch.Tensor:
    """Frames the last axis into overlapping windows.

    Args:
        x: Input tensor `(..., length)`.
        sequence_length: Window length.
        sequence_stride: Hop between windows.

    Returns:
        A tensor `(..., num_sequences, sequence_length)`.

    Example:
    >>> keras.ops.extract_sequences([1, 2, 3, 4, 5], 3, 2)  # [[1, 2, 3], [3, 4, 5]]
    """
    x = _t(x)
    if sequence_length > x.shape[-1]:
        raise ValueError(
            f"keras.ops.extract_sequences: sequence_length={sequence_length} is longer than "
            f"the last axis ({x.shape[-1]}) of the input of shape {tuple(x.shape)}."
        )
    return x.unfold(-1, sequence_length, sequence_stride)


__getattr__ = module_getattr("keras.ops.math")
