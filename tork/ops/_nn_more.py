"""Less common `tf.nn` ops: `conv_transpose`, `erosion2d`, `collapse_repeated`,
`ctc_unique_labels` and `batch_norm_with_global_normalization`."""

from __future__ import annotations

import torch

from tork.ops.array import _shape_str, _t

__all__ = [
    "batch_norm_with_global_normalization",
    "collapse_repeated",
    "conv_transpose",
    "ctc_unique_labels",
    "erosion2d",
]


def conv_transpose(
    input,  # noqa: A002
    filters,
    output_shape,
    strides,
    padding="SAME",
    data_format=None,
    dilations=None,
    name=None,
) -> torch.Tensor:
    """N-D transposed convolution: `conv1d_transpose`, `conv2d_transpose` or
    `conv3d_transpose` from the length of `output_shape`.

    Args:
        input: a 3-D, 4-D or 5-D tensor.
        filters: `(*kernel, out_channels, in_channels)` filters.
        output_shape: the output's full shape (N + 2 values).
        strides: an int or a list of 1, N or N + 2 ints.
        padding: `"SAME"` or `"VALID"`.
        data_format: channels last (default) or first (`"NCW"`, `"NCHW"`, `"NCDHW"`).
        dilations: dilation rate.
        name: unused.

    Returns:
        The transposed convolution, of shape `output_shape`.

    Example:
    >>> tf.nn.conv_transpose(tf.ones([1, 2, 1]), tf.ones([2, 1, 1]), [1, 4, 1], 2).shape
    torch.Size([1, 4, 1])
    """
    from tork.ops import nn

    shape = output_shape.tolist() if hasattr(output_shape, "tolist") else list(output_shape)
    rank = len(shape) - 2
    ops = {1: nn.conv1d_transpose, 2: nn.conv2d_transpose, 3: nn.conv3d_transpose}
    if rank not in ops:
        raise ValueError(
            f"conv_transpose: output_shape must have 3, 4 or 5 values (batch, spatial..., "
            f"channels), got {shape}."
        )
    defaults = {1: "NWC", 2: "NHWC", 3: "NDHWC"}
    return ops[rank](
        input, filters, shape, strides, padding, data_format or defaults[rank], dilations, name
    )


def erosion2d(value, filters, strides, padding, data_format, dilations, name=None):
    """Grayscale morphological erosion: `-dilation2d(-value, filters flipped in space)`.

    Args:
        value: a 4-D NHWC tensor.
        filters: a `(height, width, channels)` structuring element.
        strides: a list of 4 ints `[1, sh, sw, 1]`.
        padding: `"SAME"` or `"VALID"`.
        data_format: `"NHWC"`.
        dilations: a list of 4 ints `[1, rh, rw, 1]`.
        name: unused.

    Returns:
        The eroded tensor: the minimum of `value - filters` over each window.

    Example:
    >>> tf.nn.erosion2d(tf.ones([1, 2, 2, 1]), tf.zeros([1, 1, 1]), [1, 1, 1, 1], "SAME", "NHWC",
    ...                 [1, 1, 1, 1]).shape
    torch.Size([1, 2, 2, 1])
    """
    from tork.ops import nn

    k = _t(filters)
    if k.dim() != 3:
        raise ValueError(
            f"erosion2d: filters must be 3-D (height, width, channels), got shape "
            f"{_shape_str(k.shape)}."
        )
    flipped = torch.flip(k, dims=(0, 1))
    return -nn.dilation2d(-_t(value), flipped, strides, padding, data_format, dilations, name)


def collapse_repeated(labels, seq_length, name=None):
    """Merges runs of equal labels (within each row's `seq_length`) into one label.

    Args:
        labels: a `(batch, max_len)` integer tensor.
        seq_length: `(batch,)` valid lengths.
        name: unused.

    Returns:
        `(collapsed, new_length)`: the collapsed rows, zero-padded to the longest, and
        their lengths.

    Example:
    >>> out, n = tf.nn.collapse_repeated([[1, 1, 2, 2, 3]], [5])
    >>> out.tolist(), n.tolist()
    ([[1, 2, 3]], [3])
    """
    del name
    lab = _t(labels)
    if lab.dim() != 2:
        raise ValueError(
            f"collapse_repeated: labels must be 2-D (batch, max_len), got shape "
            f"{_shape_str(lab.shape)}."
        )
    length = _t(seq_length).to(torch.int64).reshape(-1)
    rows = []
    for row, n in zip(lab.tolist(), length.tolist(), strict=True):
        kept = [v for i, v in enumerate(row[:n]) if i == 0 or v != row[i - 1]]
        rows.append(kept)
    width = max((len(r) for r in rows), default=0)
    out = torch.zeros(len(rows), width, dtype=lab.dtype, device=lab.device)
    for b, r in enumerate(rows):
        if r:
            out[b, : len(r)] = torch.tensor(r, dtype=lab.dtype)
    new_length = torch.tensor([len(r) for r in rows], dtype=length.dtype, device=lab.device)
    return out, new_length.to(_t(seq_length).dtype)


def ctc_unique_labels(labels, name=None):
    """Each row's distinct labels (in order of first appearance) and every label's index
    among them, as `tf.unique` row by row.

    Args:
        labels: a `(batch, max_len)` integer tensor.
        name: unused.

    Returns:
        `(unique, indices)`: `unique` int64 (as TF, whatever the labels' integer dtype),
        zero-padded to `max_len`; `indices` int32 of the labels' shape.

    Example:
    >>> u, i = tf.nn.ctc_unique_labels([[3, 4, 4, 3]])
    >>> u.tolist(), i.tolist()
    ([[3, 4, 0, 0]], [[0, 1, 1, 0]])
    """
    del name
    lab = _t(labels)
    if lab.dim() != 2:
        raise ValueError(
            f"ctc_unique_labels: labels must be 2-D (batch, max_len), got shape "
            f"{_shape_str(lab.shape)}."
        )
    unique = torch.zeros(lab.shape, dtype=torch.int64, device=lab.device)
    index = torch.zeros(lab.shape, dtype=torch.int32, device=lab.device)
    for b, row in enumerate(lab.tolist()):
        seen: dict = {}
        for j, v in enumerate(row):
            if v not in seen:
                seen[v] = len(seen)
                unique[b, seen[v]] = v
            index[b, j] = seen[v]
    return unique, index


def batch_norm_with_global_normalization(
    input,  # noqa: A002
    mean,
    variance,
    beta,
    gamma,
    variance_epsilon,
    scale_after_normalization,
    name=None,
):
    """Batch normalization with given (global) statistics, TF 1's fused-op form.

    Args:
        input: a 4-D tensor (channels last).
        mean: per-channel mean.
        variance: per-channel variance.
        beta: per-channel offset.
        gamma: per-channel scale, used when `scale_after_normalization` is True.
        variance_epsilon: added to the variance.
        scale_after_normalization: whether to multiply by `gamma`.
        name: unused.

    Returns:
        `(input - mean) / sqrt(variance + epsilon) * gamma + beta`.
    """
    from tork.ops import nn

    scale = gamma if scale_after_normalization else None
    return nn.batch_normalization(input, mean, variance, beta, scale, variance_epsilon, name)
