"""`tf.compat.v1.nn` ops whose TF 1 signature differs from TF 2's.

TF 1 code passes these arguments by position (`tf.nn.in_top_k(logits, labels, 1)`,
`tf.nn.depthwise_conv2d(x, w, strides, padding, rate)`) or by their TF 1 names
(`value=`, `filter=`, `box_ind=`, `Targmax=`): each function here takes TF 1's order
and names and calls the TF 2 op. Also TF 1-only ops: `softmax_cross_entropy_with_logits_v2`,
`xw_plus_b`, `relu_layer`, `fused_batch_norm`, `depthwise_conv2d_native`, `max_pool_v2`,
`avg_pool_v2`.
"""

from __future__ import annotations

import torch

from tork.ops import nn as _nn
from tork.ops.array import _t

__all__ = [
    "avg_pool",
    "avg_pool_v2",
    "conv1d",
    "conv2d",
    "conv2d_transpose",
    "conv3d_transpose",
    "convolution",
    "depthwise_conv2d",
    "depthwise_conv2d_native",
    "dilation2d",
    "embedding_lookup_sparse",
    "fused_batch_norm",
    "in_top_k",
    "max_pool",
    "max_pool_v2",
    "max_pool_with_argmax",
    "pool",
    "relu_layer",
    "safe_embedding_lookup_sparse",
    "separable_conv2d",
    "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2",
    "weighted_cross_entropy_with_logits",
    "weighted_moments",
    "xw_plus_b",
]


def _one(op: str, first, first_name: str, second, second_name: str):
    """The value of an argument TF 1 accepts under two names (`value`/`input`...)."""
    if first is not None and second is not None:
        raise ValueError(f"tf.compat.v1.nn.{op}: give `{first_name}` or `{second_name}`, not both.")
    if first is None and second is None:
        raise ValueError(f"tf.compat.v1.nn.{op}: `{first_name}` is required.")
    return first if first is not None else second


def in_top_k(predictions, targets, k, name=None):
    """TF 1's `in_top_k(predictions, targets, k)` (TF 2 takes `targets` first).

    Args:
        predictions: `(batch, classes)` scores.
        targets: `(batch,)` class ids.
        k: how many top scores count.
        name: unused.

    Returns:
        A `(batch,)` bool tensor: whether each target is among its row's top `k`.

    Example:
    >>> tf.compat.v1.nn.in_top_k([[0.1, 0.9], [0.8, 0.2]], [1, 1], 1).tolist()
    [True, False]
    """
    return _nn.in_top_k(targets, predictions, k, name)


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name=None, dim=None):
    """TF 1's name of TF 2's `softmax_cross_entropy_with_logits` (gradients reach labels).

    Args:
        labels: a probability distribution per row.
        logits: unscaled log probabilities.
        axis: the class axis (default -1); `dim` is its TF 1 name.
        name: unused.
        dim: TF 1's name of `axis`.

    Returns:
        The per-row cross entropy.
    """
    if axis is None:
        axis = -1 if dim is None else dim
    return _nn.softmax_cross_entropy_with_logits(labels, logits, axis, name)


def softmax_cross_entropy_with_logits(labels, logits, dim=-1, name=None, axis=None):
    """TF 1's deprecated softmax cross entropy: no gradient flows into `labels`.

    Args:
        labels: a probability distribution per row.
        logits: unscaled log probabilities.
        dim: the class axis (TF 1's name, third).
        name: unused.
        axis: TF 2's name of `dim`.

    Returns:
        The per-row cross entropy.
    """
    axis = dim if axis is None else axis
    return _nn.softmax_cross_entropy_with_logits(_t(labels).detach(), logits, axis, name)


def xw_plus_b(x, weights, biases, name=None):
    """`matmul(x, weights) + biases` (TF 1).

    Args:
        x: a `(batch, in)` tensor.
        weights: an `(in, out)` matrix.
        biases: an `(out,)` vector.
        name: unused.

    Returns:
        The `(batch, out)` affine map.

    Example:
    >>> tf.compat.v1.nn.xw_plus_b([[1.0, 2.0]], [[1.0], [1.0]], [0.5]).tolist()
    [[3.5]]
    """
    del name
    x = _t(x)
    w = _t(weights).to(x.dtype)
    return _nn.bias_add(torch.matmul(x, w), _t(biases).to(x.dtype))


def relu_layer(x, weights, biases, name=None):
    """`relu(matmul(x, weights) + biases)` (TF 1).

    Args:
        x: a `(batch, in)` tensor.
        weights: an `(in, out)` matrix.
        biases: an `(out,)` vector.
        name: unused.

    Returns:
        The rectified `(batch, out)` affine map.
    """
    return torch.relu(xw_plus_b(x, weights, biases, name))


def fused_batch_norm(
    x,
    scale,
    offset,
    mean=None,
    variance=None,
    epsilon=0.001,
    data_format="NHWC",
    is_training=True,
    name=None,
    exponential_avg_factor=1.0,
):
    """TF 1's fused batch normalization of a 4-D (or 5-D) tensor over all but channels.

    Args:
        x: `NHWC`/`NDHWC` (or channels-first per `data_format`) input.
        scale: per-channel gamma.
        offset: per-channel beta.
        mean: running mean (needed when `is_training=False`, else used by
            `exponential_avg_factor`).
        variance: running variance (as `mean`).
        epsilon: added to the variance.
        data_format: `"NHWC"`, `"NCHW"`, `"NDHWC"` or `"NCDHW"`.
        is_training: normalize with the batch statistics (True) or `mean`/`variance`.
        name: unused.
        exponential_avg_factor: in training, the returned statistics are
            `(1 - f) * running + f * batch` (f = 1: the batch's).

    Returns:
        `(y, batch_mean, batch_variance)`; in training the variance returned is the
        unbiased (n - 1) one, as TensorFlow's, while `y` uses the biased one.
    """
    del name
    x = _t(x)
    last = not str(data_format).upper().startswith("NC")
    axes = [d for d in range(x.dim()) if d != (x.dim() - 1 if last else 1)]
    shape = [1] * x.dim()
    shape[x.dim() - 1 if last else 1] = -1
    gamma = _t(scale).to(x.dtype).reshape(shape)
    beta = _t(offset).to(x.dtype).reshape(shape)
    if not is_training:
        if mean is None or variance is None:
            raise ValueError(
                "tf.compat.v1.nn.fused_batch_norm: is_training=False needs mean and variance."
            )
        m = _t(mean).to(x.dtype)
        v = _t(variance).to(x.dtype)
        y = (x - m.reshape(shape)) * torch.rsqrt(v.reshape(shape) + epsilon) * gamma + beta
        return y, m, v
    batch_mean = x.mean(dim=axes)
    biased = x.var(dim=axes, unbiased=False)
    count = x.numel() // max(batch_mean.numel(), 1)
    unbiased = biased * (count / max(count - 1, 1))
    y = (x - batch_mean.reshape(shape)) * torch.rsqrt(biased.reshape(shape) + epsilon)
    y = y * gamma + beta
    factor = float(exponential_avg_factor)
    if factor != 1.0 and mean is not None and variance is not None:
        batch_mean = (1 - factor) * _t(mean).to(x.dtype) + factor * batch_mean
        unbiased = (1 - factor) * _t(variance).to(x.dtype) + factor * unbiased
    return y, batch_mean, unbiased


def conv1d(
    value=None,
    filters=None,
    stride=None,
    padding=None,
    use_cudnn_on_gpu=None,
    data_format=None,
    name=None,
    input=None,  # noqa: A002
    dilations=None,
):
    """TF 1's `conv1d(value, filters, stride, padding, use_cudnn_on_gpu, data_format)`.

    Args:
        value: the `(batch, width, channels)` input (`input` is its TF 2 name).
        filters: `(width, in_channels, out_channels)` filters.
        stride: an int or list.
        padding: `"SAME"`, `"VALID"` or explicit pads.
        use_cudnn_on_gpu: ignored.
        data_format: `"NWC"` (default) or `"NCW"`.
        name: unused.
        input: TF 2's name of `value`.
        dilations: dilation rate.

    Returns:
        The convolved tensor.
    """
    del use_cudnn_on_gpu
    x = _one("conv1d", value, "value", input, "input")
    return _nn.conv1d(x, filters, stride, padding, data_format or "NWC", dilations, name)


def conv2d(
    input,  # noqa: A002
    filter=None,  # noqa: A002
    strides=None,
    padding=None,
    use_cudnn_on_gpu=True,
    data_format="NHWC",
    dilations=None,
    name=None,
    filters=None,
):
    """TF 1's `conv2d(input, filter, strides, padding, use_cudnn_on_gpu, data_format)`.

    Args:
        input: the 4-D input.
        filter: `(h, w, in_channels, out_channels)` filters (`filters` is TF 2's name).
        strides: an int or a list of 1, 2 or 4 ints.
        padding: `"SAME"`, `"VALID"` or explicit pads.
        use_cudnn_on_gpu: ignored.
        data_format: `"NHWC"` or `"NCHW"`.
        dilations: dilation rate.
        name: unused.
        filters: TF 2's name of `filter`.

    Returns:
        The convolved tensor.
    """
    del use_cudnn_on_gpu
    w = _one("conv2d", filter, "filter", filters, "filters")
    return _nn.conv2d(input, w, strides, padding, data_format, dilations, name)


def conv2d_transpose(
    value=None,
    filter=None,  # noqa: A002
    output_shape=None,
    strides=None,
    padding="SAME",
    data_format="NHWC",
    name=None,
    input=None,  # noqa: A002
    filters=None,
    dilations=None,
):
    """TF 1's `conv2d_transpose(value, filter, output_shape, strides, padding)`.

    Args:
        value: the 4-D input (`input` is its TF 2 name).
        filter: `(h, w, out_channels, in_channels)` filters (`filters`: TF 2's name).
        output_shape: the output's shape.
        strides: an int or a list of 1, 2 or 4 ints.
        padding: `"SAME"` or `"VALID"`.
        data_format: `"NHWC"` or `"NCHW"`.
        name: unused.
        input: TF 2's name of `value`.
        filters: TF 2's name of `filter`.
        dilations: dilation rate.

    Returns:
        The transposed convolution.
    """
    x = _one("conv2d_transpose", value, "value", input, "input")
    w = _one("conv2d_transpose", filter, "filter", filters, "filters")
    return _nn.conv2d_transpose(x, w, output_shape, strides, padding, data_format, dilations, name)


def conv3d_transpose(
    value,
    filter=None,  # noqa: A002
    output_shape=None,
    strides=None,
    padding="SAME",
    data_format="NDHWC",
    name=None,
    input=None,  # noqa: A002
    filters=None,
    dilations=None,
):
    """TF 1's `conv3d_transpose(value, filter, output_shape, strides, padding)`.

    Args:
        value: the 5-D input (`input` is its TF 2 name).
        filter: `(d, h, w, out_channels, in_channels)` filters (`filters`: TF 2's name).
        output_shape: the output's shape.
        strides: an int or a list of 1, 3 or 5 ints.
        padding: `"SAME"` or `"VALID"`.
        data_format: `"NDHWC"` or `"NCDHW"`.
        name: unused.
        input: TF 2's name of `value`.
        filters: TF 2's name of `filter`.
        dilations: dilation rate.

    Returns:
        The transposed convolution.
    """
    x = _one("conv3d_transpose", value, "value", input, "input")
    w = _one("conv3d_transpose", filter, "filter", filters, "filters")
    return _nn.conv3d_transpose(x, w, output_shape, strides, padding, data_format, dilations, name)


def convolution(
    input,  # noqa: A002
    filter=None,  # noqa: A002
    padding=None,
    strides=None,
    dilation_rate=None,
    name=None,
    data_format=None,
    filters=None,
    dilations=None,
):
    """TF 1's `convolution(input, filter, padding, strides, dilation_rate)`.

    Args:
        input: the N-D input.
        filter: the filters (`filters` is TF 2's name).
        padding: `"SAME"` or `"VALID"` (third, as in TF 1).
        strides: a list of N ints.
        dilation_rate: a list of N ints (`dilations` is TF 2's name).
        name: unused.
        data_format: channels last (default) or first.
        filters: TF 2's name of `filter`.
        dilations: TF 2's name of `dilation_rate`.

    Returns:
        The convolved tensor.
    """
    w = _one("convolution", filter, "filter", filters, "filters")
    rate = dilation_rate if dilations is None else dilations
    return _nn.convolution(input, w, strides, padding or "VALID", data_format, rate, name)


def pool(
    input,  # noqa: A002
    window_shape,
    pooling_type,
    padding,
    dilation_rate=None,
    strides=None,
    name=None,
    data_format=None,
    dilations=None,
):
    """TF 1's `pool(input, window_shape, pooling_type, padding, dilation_rate, strides)`.

    Args:
        input: the N-D input.
        window_shape: a list of N ints.
        pooling_type: `"MAX"` or `"AVG"`.
        padding: `"SAME"` or `"VALID"` (fourth, as in TF 1).
        dilation_rate: a list of N ints (`dilations` is TF 2's name).
        strides: a list of N ints.
        name: unused.
        data_format: channels last (default) or first.
        dilations: TF 2's name of `dilation_rate`.

    Returns:
        The pooled tensor.
    """
    rate = dilation_rate if dilations is None else dilations
    return _nn.pool(input, window_shape, pooling_type, strides, padding, data_format, rate, name)


def depthwise_conv2d(
    input,  # noqa: A002
    filter,  # noqa: A002
    strides,
    padding,
    rate=None,
    name=None,
    data_format=None,
    dilations=None,
):
    """TF 1's `depthwise_conv2d(input, filter, strides, padding, rate)`.

    Args:
        input: the 4-D input.
        filter: `(h, w, in_channels, multiplier)` filters.
        strides: a list of 4 ints.
        padding: `"SAME"`, `"VALID"` or explicit pads.
        rate: the dilation rate (fifth, as in TF 1; `dilations` is TF 2's name).
        name: unused.
        data_format: `"NHWC"` or `"NCHW"`.
        dilations: TF 2's name of `rate`.

    Returns:
        The depthwise convolution.
    """
    rate = rate if dilations is None else dilations
    return _nn.depthwise_conv2d(input, filter, strides, padding, data_format, rate, name)


def separable_conv2d(
    input,  # noqa: A002
    depthwise_filter,
    pointwise_filter,
    strides,
    padding,
    rate=None,
    name=None,
    data_format=None,
    dilations=None,
):
    """TF 1's `separable_conv2d(input, depthwise_filter, pointwise_filter, strides,
    padding, rate)`.

    Args:
        input: the 4-D input.
        depthwise_filter: `(h, w, in_channels, multiplier)` filters.
        pointwise_filter: `(1, 1, in_channels * multiplier, out_channels)` filters.
        strides: a list of 4 ints.
        padding: `"SAME"` or `"VALID"`.
        rate: the dilation rate (sixth, as in TF 1; `dilations` is TF 2's name).
        name: unused.
        data_format: `"NHWC"` or `"NCHW"`.
        dilations: TF 2's name of `rate`.

    Returns:
        The separable convolution.
    """
    rate = rate if dilations is None else dilations
    return _nn.separable_conv2d(
        input, depthwise_filter, pointwise_filter, strides, padding, data_format, rate, name
    )


def depthwise_conv2d_native(
    input,  # noqa: A002
    filter,  # noqa: A002
    strides,
    padding,
    data_format="NHWC",
    dilations=None,
    name=None,
):
    """TF 1's raw depthwise convolution op (4-element `strides` and `dilations`).

    Args:
        input: the 4-D input.
        filter: `(h, w, in_channels, multiplier)` filters.
        strides: a list of 4 ints.
        padding: `"SAME"`, `"VALID"` or explicit pads.
        data_format: `"NHWC"` or `"NCHW"`.
        dilations: a list of 4 ints.
        name: unused.

    Returns:
        The depthwise convolution.
    """
    return _nn.depthwise_conv2d(input, filter, strides, padding, data_format, dilations, name)


def max_pool(
    value=None, ksize=None, strides=None, padding=None, data_format="NHWC", name=None, input=None
):  # noqa: A002
    """TF 1's `max_pool(value, ksize, strides, padding, data_format)`.

    Args:
        value: the input (`input` is its TF 2 name).
        ksize: an int or a list of 1, N or N + 2 ints.
        strides: an int or a list of 1, N or N + 2 ints.
        padding: `"SAME"` or `"VALID"`.
        data_format: channels last (default) or first.
        name: unused.
        input: TF 2's name of `value`.

    Returns:
        The pooled tensor.
    """
    x = _one("max_pool", value, "value", input, "input")
    return _nn.max_pool(x, ksize, strides, padding, data_format, name)


def avg_pool(
    value=None, ksize=None, strides=None, padding=None, data_format="NHWC", name=None, input=None
):  # noqa: A002
    """TF 1's `avg_pool(value, ksize, strides, padding, data_format)`.

    Args:
        value: the input (`input` is its TF 2 name).
        ksize: an int or a list of 1, N or N + 2 ints.
        strides: an int or a list of 1, N or N + 2 ints.
        padding: `"SAME"` or `"VALID"`.
        data_format: channels last (default) or first.
        name: unused.
        input: TF 2's name of `value`.

    Returns:
        The pooled tensor.
    """
    x = _one("avg_pool", value, "value", input, "input")
    return _nn.avg_pool(x, ksize, strides, padding, data_format, name)


def max_pool_v2(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """TF 1's name of TF 2's `max_pool` (N-D).

    Args:
        input: the input.
        ksize: an int or a list of 1, N or N + 2 ints.
        strides: an int or a list of 1, N or N + 2 ints.
        padding: `"SAME"` or `"VALID"`.
        data_format: channels last (default) or first.
        name: unused.

    Returns:
        The pooled tensor.
    """
    return _nn.max_pool(input, ksize, strides, padding, data_format, name)


def avg_pool_v2(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """TF 1's name of TF 2's `avg_pool` (N-D).

    Args:
        input: the input.
        ksize: an int or a list of 1, N or N + 2 ints.
        strides: an int or a list of 1, N or N + 2 ints.
        padding: `"SAME"` or `"VALID"`.
        data_format: channels last (default) or first.
        name: unused.

    Returns:
        The pooled tensor.
    """
    return _nn.avg_pool(input, ksize, strides, padding, data_format, name)


def max_pool_with_argmax(
    input,  # noqa: A002
    ksize,
    strides,
    padding,
    data_format="NHWC",
    Targmax=None,  # noqa: N803 - TF 1's name
    name=None,
    output_dtype=None,
    include_batch_in_index=False,
):
    """TF 1's `max_pool_with_argmax(..., Targmax=None, ...)`.

    Args:
        input: a 4-D NHWC input.
        ksize: the window.
        strides: the strides.
        padding: `"SAME"` or `"VALID"`.
        data_format: `"NHWC"`.
        Targmax: the index dtype (TF 1's name of `output_dtype`; default int64).
        name: unused.
        output_dtype: TF 2's name of `Targmax`.
        include_batch_in_index: include the batch in the flat index.

    Returns:
        `(output, argmax)`.
    """
    dtype = output_dtype if Targmax is None else Targmax
    return _nn.max_pool_with_argmax(
        input,
        ksize,
        strides,
        padding,
        data_format,
        torch.int64 if dtype is None else dtype,
        include_batch_in_index,
        name,
    )


def dilation2d(
    input,  # noqa: A002
    filter=None,  # noqa: A002
    strides=None,
    rates=None,
    padding=None,
    name=None,
    filters=None,
    dilations=None,
):
    """TF 1's `dilation2d(input, filter, strides, rates, padding)`.

    Args:
        input: a 4-D NHWC input.
        filter: `(h, w, channels)` structuring element (`filters`: TF 2's name).
        strides: a list of 4 ints.
        rates: a list of 4 ints (`dilations` is TF 2's name).
        padding: `"SAME"` or `"VALID"`.
        name: unused.
        filters: TF 2's name of `filter`.
        dilations: TF 2's name of `rates`.

    Returns:
        The morphological dilation.
    """
    w = _one("dilation2d", filter, "filter", filters, "filters")
    rate = rates if dilations is None else dilations
    return _nn.dilation2d(input, w, strides, padding, "NHWC", rate, name)


def weighted_moments(x, axes, frequency_weights, name=None, keep_dims=None, keepdims=None):
    """TF 1's `weighted_moments(x, axes, frequency_weights, name, keep_dims)`.

    Args:
        x: the input.
        axes: the axes to reduce.
        frequency_weights: weights broadcast to `x`.
        name: unused.
        keep_dims: keep the reduced axes (TF 1's name of `keepdims`).
        keepdims: TF 2's name of `keep_dims`.

    Returns:
        `(mean, variance)`.
    """
    keep = keep_dims if keepdims is None else keepdims
    return _nn.weighted_moments(x, axes, frequency_weights, bool(keep), name)


def weighted_cross_entropy_with_logits(
    labels=None, logits=None, pos_weight=None, name=None, targets=None
):
    """TF 1's `weighted_cross_entropy_with_logits` (`targets` is the old name of `labels`).

    Args:
        labels: 0/1 (or soft) targets.
        logits: unscaled log odds.
        pos_weight: the weight of the positive term.
        name: unused.
        targets: the pre-1.13 name of `labels`.

    Returns:
        The elementwise loss.
    """
    y = _one("weighted_cross_entropy_with_logits", labels, "labels", targets, "targets")
    return _nn.weighted_cross_entropy_with_logits(y, logits, pos_weight, name)


def _merged(params, partition_strategy):
    if isinstance(params, (list, tuple)):
        return _nn._merge_shards(params, partition_strategy)
    return params


def embedding_lookup_sparse(
    params,
    sp_ids,
    sp_weights,
    partition_strategy="mod",
    name=None,
    combiner=None,
    max_norm=None,
    allow_fast_lookup=False,
):
    """TF 1's `embedding_lookup_sparse` (partitioned `params`, `partition_strategy` fourth).

    Args:
        params: an embedding table or a list of its shards.
        sp_ids: a SparseTensor of ids.
        sp_weights: a SparseTensor of weights, or None.
        partition_strategy: `"mod"` or `"div"` for a list of shards.
        name: unused.
        combiner: `"sum"`, `"mean"` (default) or `"sqrtn"`.
        max_norm: clip each looked-up row to this L2 norm.
        allow_fast_lookup: ignored.

    Returns:
        The combined embeddings, one row per row of `sp_ids`.
    """
    return _nn.embedding_lookup_sparse(
        _merged(params, partition_strategy),
        sp_ids,
        sp_weights,
        combiner,
        max_norm,
        name,
        allow_fast_lookup,
    )


def safe_embedding_lookup_sparse(
    embedding_weights,
    sparse_ids,
    sparse_weights=None,
    combiner="mean",
    default_id=None,
    name=None,
    partition_strategy="div",
    max_norm=None,
    allow_fast_lookup=False,
):
    """TF 1's `safe_embedding_lookup_sparse` (`name` sixth, then `partition_strategy`).

    Args:
        embedding_weights: an embedding table or a list of its shards.
        sparse_ids: a SparseTensor of ids.
        sparse_weights: a SparseTensor of weights, or None.
        combiner: `"sum"`, `"mean"` or `"sqrtn"`.
        default_id: the id whose row fills empty rows (else zeros).
        name: unused.
        partition_strategy: `"div"` (default) or `"mod"` for a list of shards.
        max_norm: clip each looked-up row to this L2 norm.
        allow_fast_lookup: ignored.

    Returns:
        The combined embeddings.
    """
    return _nn.safe_embedding_lookup_sparse(
        _merged(embedding_weights, partition_strategy),
        sparse_ids,
        sparse_weights,
        combiner,
        default_id,
        max_norm,
        name,
        allow_fast_lookup,
    )
