"""`tf.nn`: activations, dropout, moments and cross-entropies over torch.

Convolutions and pooling are not here (they raise a clear NotImplementedError);
Keras layers implement them on torch directly.
"""

from __future__ import annotations

import math
import numbers

import torch
import torch.nn.functional as F

from tork._backend.dtypes import dtype_name
from tork._backend.errors import module_getattr
from tork._backend.padding import same_pads
from tork._backend.tracing import values_readable
from tork.ops import _conv_layout
from tork.ops.array import _index, _like, _scalar_value, _shape_str, _t, gather
from tork.ops.debugging import InvalidArgumentError
from tork.ops.math import (
    _float,
    _reduce_dims,
    _tensor_operand,
    _true_div,
    in_top_k,
    l2_normalize,
    log_softmax,
    sigmoid,
    softmax,
    softplus,
    softsign,
    tanh,
    top_k,
    zero_fraction,
)
from tork.ops.random import _generator_for, learned_unigram_candidate_sampler

__all__ = [
    "learned_unigram_candidate_sampler",
    "atrous_conv2d",
    "avg_pool",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "batch_normalization",
    "bias_add",
    "compute_average_loss",
    "conv1d",
    "conv1d_transpose",
    "conv2d",
    "conv2d_transpose",
    "conv3d",
    "conv3d_transpose",
    "convolution",
    "ctc_beam_search_decoder",
    "ctc_greedy_decoder",
    "ctc_loss",
    "depth_to_space",
    "dilation2d",
    "depthwise_conv2d",
    "dropout",
    "elu",
    "embedding_lookup",
    "gelu",
    "in_top_k",
    "l2_loss",
    "l2_normalize",
    "leaky_relu",
    "local_response_normalization",
    "log_softmax",
    "lrn",
    "max_pool",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "moments",
    "nce_loss",
    "pool",
    "relu",
    "relu6",
    "scale_regularization_loss",
    "selu",
    "separable_conv2d",
    "sigmoid",
    "sampled_softmax_loss",
    "sigmoid_cross_entropy_with_logits",
    "silu",
    "softmax",
    "softmax_cross_entropy_with_logits",
    "softplus",
    "softsign",
    "space_to_depth",
    "sparse_softmax_cross_entropy_with_logits",
    "swish",
    "tanh",
    "top_k",
    "weighted_cross_entropy_with_logits",
]

_missing = module_getattr("tf.nn")
# Keras 2's RNN cell wrappers live in tf.nn; imported on first use (keras imports this module).
_CELL_WRAPPERS = ("RNNCellDropoutWrapper", "RNNCellResidualWrapper", "RNNCellDeviceWrapper")


def __getattr__(name: str):
    if name in _CELL_WRAPPERS:
        from tork.ops import _rnn_cell_wrappers as cell_wrappers

        return getattr(cell_wrappers, name)
    return _missing(name)


# ---------------------------------------------------------------- activations


def relu(features, name: str | None = None) -> torch.Tensor:
    """Rectified linear unit: max(features, 0).

    Args:
        features: a tensor-like value.
        name: unused.

    Returns:
        A tensor of the same shape and dtype.

    Example:
    >>> tf.nn.relu([-1.0, 2.0]).tolist()
    [0.0, 2.0]
    """
    del name
    return torch.relu(_t(features))


def relu6(features, name: str | None = None) -> torch.Tensor:
    """Rectified linear unit capped at 6: min(max(features, 0), 6).

    Args:
        features: a tensor-like value.
        name: unused.

    Returns:
        A tensor of the same shape and dtype.

    Example:
    >>> tf.nn.relu6([-1.0, 3.0, 9.0]).tolist()
    [0.0, 3.0, 6.0]
    """
    del name
    x = _t(features)
    if not (x.is_floating_point() or x.is_complex()) and x.dtype != torch.bool:
        return x.clamp(0, 6)  # TensorFlow's relu6 takes integers too
    return F.relu6(_float(x, "relu6"))


def elu(features, name: str | None = None) -> torch.Tensor:
    """Exponential linear unit: features if > 0, else exp(features) - 1.

    Args:
        features: a float tensor-like value.
        name: unused.

    Returns:
        A tensor of the same shape and dtype.

    Example:
    >>> tf.nn.elu([0.0, 1.0]).tolist()
    [0.0, 1.0]
    """
    del name
    return F.elu(_float(features, "elu"))


def selu(features, name: str | None = None) -> torch.Tensor:
    """Scaled exponential linear unit (Klambauer et al., 2017).

    Args:
        features: a float tensor-like value.
        name: unused.

    Returns:
        A tensor of the same shape and dtype.

    Example:
    >>> round(tf.nn.selu([1.0]).tolist()[0], 4)
    1.0507
    """
    del name
    from tork.ops import _selu

    # TF's gradient at 0 (`scale`; torch's F.selu gives `scale * alpha` there).
    return _selu.selu(_float(features, "selu"))


def gelu(features, approximate: bool = False, name: str | None = None) -> torch.Tensor:
    """Gaussian error linear unit: x * Phi(x), or its tanh approximation.

    Args:
        features: a float tensor-like value.
        approximate: use the tanh approximation.
        name: unused.

    Returns:
        A tensor of the same shape and dtype.

    Example:
    >>> round(tf.nn.gelu([1.0]).tolist()[0], 4)
    0.8413
    """
    del name
    return F.gelu(_float(features, "gelu"), approximate="tanh" if approximate else "none")


def swish(features, beta=1.0, name: str | None = None) -> torch.Tensor:
    """Sigmoid linear unit (swish): features * sigmoid(beta * features).

    `tf.nn.silu` is the same function, named `'swish'` as in TensorFlow.

    Args:
        features: a float tensor-like value.
        beta: the slope of the sigmoid.
        name: unused.

    Returns:
        A tensor of the same shape and dtype.

    Example:
    >>> tf.nn.silu([0.0]).tolist()
    [0.0]
    """
    del name
    x = _float(features, "silu")
    if isinstance(beta, numbers.Number) and beta == 1.0:
        return F.silu(x)
    return x * torch.sigmoid(beta * x)


silu = swish


def leaky_relu(features, alpha=0.2, name: str | None = None) -> torch.Tensor:
    """Leaky ReLU: features if > 0, else alpha * features.

    Args:
        features: a float tensor-like value.
        alpha: slope for negative inputs.
        name: unused.

    Returns:
        A tensor of the same shape and dtype.

    Example:
    >>> tf.nn.leaky_relu([-1.0, 1.0]).tolist()
    [-0.20000000298023224, 1.0]
    """
    del name
    return F.leaky_relu(_float(features, "leaky_relu"), float(_scalar_value(alpha)))


# ---------------------------------------------------------------- regularization and statistics


def dropout(x, rate, noise_shape=None, seed=None, name: str | None = None) -> torch.Tensor:
    """Inverted dropout: zeroes elements with probability `rate`, scales the rest by 1/(1 - rate).

    It always applies (there is no training flag in `tf.nn.dropout`).

    Args:
        x: a float tensor.
        rate: probability of dropping each element, in [0, 1).
        noise_shape: shape of the keep/drop mask, broadcast against `x`; None
            entries take `x`'s size.
        seed: optional op seed (see `tf.random.set_seed`).
        name: unused.

    Returns:
        A tensor of the same shape.

    Example:
    >>> y = tf.nn.dropout(tf.ones((1000,)), rate=0.5)
    >>> sorted(set(y.tolist()))
    [0.0, 2.0]
    """
    del name
    t = _float(x, "dropout")
    p = float(_scalar_value(rate))
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout: rate must be a scalar in the range [0, 1), got {p}.")
    if p == 0.0:
        # A variable's read is a snapshot, as TF (later assigns must not show through).
        return t.clone() if isinstance(t, torch.nn.Parameter) else t
    if noise_shape is None and seed is None:
        return F.dropout(t, p, training=True)
    if noise_shape is None:
        mask_shape = tuple(t.shape)
    else:
        dims = list(noise_shape.tolist() if isinstance(noise_shape, torch.Tensor) else noise_shape)
        if len(dims) != t.dim():
            raise ValueError(
                f"dropout: noise_shape {tuple(dims)} must have one entry per dimension of x "
                f"{_shape_str(t.shape)}."
            )
        mask_shape = tuple(t.shape[i] if d is None else int(d) for i, d in enumerate(dims))
    gen = _generator_for(seed, t.device)
    keep = torch.empty(mask_shape, dtype=t.dtype, device=t.device).uniform_(0, 1, generator=gen)
    scale = (keep >= p).to(t.dtype) * (1.0 / (1.0 - p))
    return t * scale


def l2_loss(t, name: str | None = None) -> torch.Tensor:
    """Half the sum of squares: sum(t ** 2) / 2.

    Args:
        t: a float tensor-like value.
        name: unused.

    Returns:
        A 0-D tensor.

    Example:
    >>> tf.nn.l2_loss([1.0, 2.0]).item()
    2.5
    """
    del name
    x = _float(t, "l2_loss")
    return torch.sum(x * x) / 2


def moments(
    x,
    axes,
    shift=None,
    keepdims: bool = False,
    name: str | None = None,
    *,
    keep_dims: bool | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean and (biased) variance of `x` over `axes`.

    Args:
        x: a float tensor.
        axes: the dimensions to reduce.
        shift: unused.
        keepdims: keep reduced dimensions with size 1.
        name: unused.
        keep_dims: TensorFlow 1's name of `keepdims` (2017 Keras layers call
            `tf.nn.moments(x, axes, shift=None, keep_dims=False)`).

    Returns:
        A tuple `(mean, variance)`.

    Example:
    >>> m, v = tf.nn.moments(tf.constant([1.0, 3.0]), axes=[0])
    >>> m.item(), v.item()
    (2.0, 1.0)
    """
    del shift, name
    if keep_dims is not None:
        keepdims = keep_dims
    t = _float(x, "moments")
    dims = _reduce_dims(t, axes)
    work = t.float() if t.dtype in (torch.float16, torch.bfloat16) else t
    if dims == ():
        # No axes: TF reduces nothing (torch would read `dim=()` as every axis).
        # x - stop_gradient(x): zeros whose gradient is 0, not None (as TF's).
        return t * 1, (t - t.detach()).square() if t.requires_grad else torch.zeros_like(t)
    # A separate mean: torch.var_mean's single pass turns an infinite mean into NaN
    # (TF: the mean of [-inf, 1, 2] is -inf; the variance is NaN in both).
    if work.requires_grad and torch.is_grad_enabled():
        # TF's variance is the mean squared difference from stop_gradient(mean): the same
        # first derivative, but second derivatives (a gradient penalty) differ from torch.var's.
        kept = torch.mean(work, dim=dims, keepdim=True)
        centered = work - kept.detach()
        var = torch.mean(centered * centered, dim=dims, keepdim=bool(keepdims))
        if keepdims:
            mean = kept
        else:  # axes=None reduces every axis to a scalar
            mean = kept.reshape(()) if dims is None else kept.squeeze(dims)
    else:
        mean = torch.mean(work, dim=dims, keepdim=bool(keepdims))
        var = torch.var(work, dim=dims, correction=0, keepdim=bool(keepdims))
    return mean.to(t.dtype), var.to(t.dtype)


def batch_normalization(
    x, mean, variance, offset, scale, variance_epsilon, name: str | None = None
) -> torch.Tensor:
    """Normalizes with given statistics: scale * (x - mean) / sqrt(variance + eps) + offset.

    Args:
        x: the input tensor.
        mean: mean, broadcastable to `x`.
        variance: variance, broadcastable to `x`.
        offset: beta, or None.
        scale: gamma, or None.
        variance_epsilon: small float added to the variance.
        name: unused.

    Returns:
        The normalized tensor.

    Example:
    >>> tf.nn.batch_normalization(tf.constant([2.0]), 1.0, 4.0, None, None, 0.0).tolist()
    [0.5]
    """
    del name
    t = _float(x, "batch_normalization")
    inv = torch.rsqrt(_like(variance, t) + variance_epsilon)
    if scale is not None:
        inv = inv * _like(scale, t)
    out = (t - _like(mean, t)) * inv
    return out if offset is None else out + _like(offset, t)


def bias_add(value, bias, data_format=None, name: str | None = None) -> torch.Tensor:
    """Adds a 1-D bias to the channel dimension of `value`.

    Args:
        value: a tensor of rank >= 2.
        bias: a 1-D tensor with one entry per channel.
        data_format: None or `'N...C'` (channels last, e.g. 'NHWC'), or
            `'NC...'` (channels first, e.g. 'NCHW').
        name: unused.

    Returns:
        `value + bias` broadcast along the channel dimension.

    Example:
    >>> tf.nn.bias_add(tf.zeros((2, 3)), [1.0, 2.0, 3.0]).tolist()[0]
    [1.0, 2.0, 3.0]
    """
    del name
    v = _t(value)
    b = _tensor_operand(bias, v)  # a NumPy bias takes value's dtype, as in TF
    if b.dim() != 1:
        raise ValueError(f"bias_add: bias must be 1-D, got shape {_shape_str(b.shape)}.")
    channels_first = data_format is not None and str(data_format).startswith("NC")
    if data_format is not None and not channels_first and not str(data_format).endswith("C"):
        raise ValueError(
            f"bias_add: unknown data_format {data_format!r}; expected e.g. 'NHWC' or 'NCHW'."
        )
    axis = 1 if channels_first else -1
    if v.dim() < 2 or v.shape[axis] != b.shape[0]:
        raise ValueError(
            f"bias_add: bias of shape {_shape_str(b.shape)} does not match the channel "
            f"dimension ({'1' if channels_first else 'last'}) of value {_shape_str(v.shape)}."
        )
    if channels_first:
        b = b.reshape((-1,) + (1,) * (v.dim() - 2))
    return v + b


def embedding_lookup(params, ids, max_norm=None, name: str | None = None) -> torch.Tensor:
    """Looks up rows of `params` at `ids` (like `tf.gather(params, ids)`).

    Args:
        params: a 2-D (or higher) embedding table, or a list of shards of one split into
            contiguous row ranges (TF 2's "div" strategy: the shards are concatenated).
        ids: integer ids.
        max_norm: if given, rows with a larger L2 norm are scaled down to it.
        name: unused.

    Returns:
        A tensor of shape `ids.shape + params.shape[1:]`.

    Example:
    >>> tf.nn.embedding_lookup(tf.eye(3), [2]).tolist()
    [[0.0, 0.0, 1.0]]
    """
    del name
    return _embedding_lookup(params, ids, "div", max_norm)


def _embedding_lookup(params, ids, partition_strategy, max_norm) -> torch.Tensor:
    if isinstance(params, (list, tuple)):
        params = _merge_shards(params, partition_strategy)
    out = gather(params, ids)
    if max_norm is not None:
        dims = tuple(range(_index(ids).dim(), out.dim()))
        # Scalar embeddings (1-D params): TF clips each value by its own norm |x|; torch's
        # vector_norm over dim=() would take the norm of the whole output instead.
        norms = torch.linalg.vector_norm(out, dim=dims, keepdim=True) if dims else out.abs()
        out = out * torch.clamp(max_norm / torch.clamp(norms, min=1e-12), max=1.0)
    return out


def _merge_shards(params, partition_strategy) -> torch.Tensor:
    """One table from TensorFlow's partitioned embedding shards.

    "div" shards are contiguous row ranges; "mod" shards interleave: row `i` of the full
    table is row `i // n` of shard `i % n`.
    """
    shards = [_t(p) for p in params]
    if not shards:
        raise ValueError("embedding_lookup: params must be a non-empty list of tensors.")
    if len(shards) == 1:
        return shards[0]
    tails = {tuple(p.shape[1:]) for p in shards}
    if len(tails) != 1:
        raise ValueError(
            f"embedding_lookup: all shards of params must have the same shape after the first "
            f"dimension, got {[_shape_str(p.shape) for p in shards]}."
        )
    strategy = str(partition_strategy).lower()
    if strategy not in ("mod", "div"):
        raise ValueError(
            f"embedding_lookup: partition_strategy must be 'mod' or 'div', got "
            f"{partition_strategy!r}."
        )
    n = len(shards)
    sizes = [p.shape[0] for p in shards]
    total = sum(sizes)
    # Both strategies give the first `total % n` shards one extra row; other sizes would
    # make TensorFlow look rows up in the wrong shard.
    expected = [total // n + (1 if i < total % n else 0) for i in range(n)]
    if sizes != expected:
        raise ValueError(
            f"embedding_lookup: with the {strategy!r} partition strategy, {n} shards of "
            f"{total} rows must have {expected} rows, got {sizes}."
        )
    table = torch.cat([p.to(shards[0].dtype) for p in shards])
    if strategy == "div":
        return table
    offsets = [0]
    for size in sizes[:-1]:
        offsets.append(offsets[-1] + size)
    rows = torch.arange(total, device=table.device)
    where = torch.tensor(offsets, device=table.device)[rows % n] + torch.div(
        rows, n, rounding_mode="floor"
    )
    return table[where]


def compute_average_loss(
    per_example_loss, sample_weight=None, global_batch_size=None
) -> torch.Tensor:
    """Sums per-example losses and divides by the global batch size.

    As TensorFlow: `sample_weight` of one rank less than the losses (one weight per
    example of a `(batch, steps)` loss) weighs along the leading axes; weighting is done
    in float32 and cast back to the losses' dtype. Integer losses are summed in their
    dtype and the mean is float64 (float32 for 8- and 16-bit integers).

    Args:
        per_example_loss: per-example losses, of rank 1 or more.
        sample_weight: optional weights, broadcast to the losses.
        global_batch_size: the divisor (defaults to the number of examples).

    Returns:
        A 0-D tensor.

    Example:
    >>> tf.nn.compute_average_loss([1.0, 3.0]).item()
    2.0
    """
    loss = _t(per_example_loss)
    if loss.dtype == torch.bool:
        raise TypeError(
            "compute_average_loss expects numeric per-example losses, got bool. "
            "Cast them first, e.g. tf.cast(x, tf.float32)."
        )
    if loss.dim() == 0:
        raise ValueError(
            "Invalid value passed for `per_example_loss`. Expected a tensor with at least "
            f"rank 1. Received per_example_loss={_scalar_value(loss)} with rank 0"
        )
    dtype = loss.dtype
    if sample_weight is not None:
        weight = _like(sample_weight, loss)
        if weight.dim() == loss.dim() - 1:
            weight = weight.unsqueeze(-1)  # one weight per example: align on the leading axes
        elif weight.dim() == loss.dim() + 1 and weight.shape[-1] == 1:
            weight = weight.squeeze(-1)
        if weight.device != loss.device:
            weight = weight.to(loss.device)
        # TF weighs in float32 (complex losses keep their dtype here).
        compute = loss.dtype if loss.is_complex() else torch.float32
        try:
            weighted = loss.to(compute) * weight.to(compute)
        except RuntimeError as error:
            raise InvalidArgumentError(
                f"compute_average_loss: sample_weight of shape {_shape_str(weight.shape)} does not "
                f"broadcast to per_example_loss of shape {_shape_str(loss.shape)}."
            ) from error
        loss = weighted.to(dtype)
    n = loss.shape[0] if global_batch_size is None else global_batch_size
    n = int(_scalar_value(n))
    if loss.is_floating_point() or loss.is_complex():
        return torch.sum(loss) / n
    # TF's true division of integers (float64 for 32- and 64-bit ones, else float32).
    return _true_div(torch.sum(loss, dtype=dtype), n)


def scale_regularization_loss(regularization_loss) -> torch.Tensor:
    """Sums regularization losses (one replica: no further scaling).

    Args:
        regularization_loss: a tensor or a list of tensors.

    Returns:
        A 0-D tensor.

    Example:
    >>> tf.nn.scale_regularization_loss([1.0, 2.0]).item()
    3.0
    """
    if isinstance(regularization_loss, (list, tuple)):
        items = [_t(v) for v in regularization_loss]
        return torch.stack([torch.sum(v) for v in items]).sum() if items else torch.zeros(())
    return torch.sum(_t(regularization_loss))


# ---------------------------------------------------------------- cross-entropies


def _tf_logits_gradient(label_mass, logits, axis):
    """A zero-valued term giving softmax cross-entropy TensorFlow's gradient.

    TensorFlow's fused kernel (used by tf.keras for `from_logits=True` and for softmax
    outputs) backpropagates `softmax - y`, the exact gradient only when each row of labels
    sums to 1; for other labels (multi-hot targets, as in the Keras functional API guide)
    the exact gradient is `sum(y) * softmax - y`. Subtracting
    `(sum(y) - 1) * (logsumexp - logsumexp.detach())` keeps the loss value and gives TF's
    gradient, so models train as they do in tf.keras.
    """
    lse = torch.logsumexp(logits, dim=axis)
    return (label_mass - 1.0).detach() * (lse - lse.detach())


def softmax_cross_entropy_with_logits(
    labels, logits, axis=-1, name: str | None = None
) -> torch.Tensor:
    """Cross-entropy between `labels` (a distribution per row) and softmax(`logits`).

    Computes `-sum(labels * log_softmax(logits), axis)`. Gradients also flow
    into `labels`.

    Args:
        labels: class probabilities, the same shape as `logits`.
        logits: unnormalized log-probabilities.
        axis: the class dimension.
        name: unused.

    Returns:
        The per-example losses: `logits` without `axis`.

    Example:
    >>> round(tf.nn.softmax_cross_entropy_with_logits([[0.0, 1.0]], [[0.0, 0.0]]).item(), 4)
    0.6931
    """
    del name
    z = _float(logits, "softmax_cross_entropy_with_logits")
    y = _like(labels, z)
    if y.dtype != z.dtype:
        y = y.to(z.dtype)
    if y.shape != z.shape:
        raise ValueError(
            f"softmax_cross_entropy_with_logits: labels and logits must have the same shape, "
            f"got {_shape_str(y.shape)} and {_shape_str(z.shape)}."
        )
    if z.dim() == 1:
        return F.cross_entropy(z, y) - _tf_logits_gradient(y.sum(), z, 0)
    axis = int(axis)
    if axis not in (1, 1 - z.dim()):
        z, y = z.movedim(axis, 1), y.movedim(axis, 1)
    return F.cross_entropy(z, y, reduction="none") - _tf_logits_gradient(y.sum(dim=1), z, 1)


def sparse_softmax_cross_entropy_with_logits(
    labels, logits, name: str | None = None
) -> torch.Tensor:
    """Cross-entropy between integer class `labels` and softmax(`logits`).

    Args:
        labels: integer class ids in [0, num_classes), shape `logits.shape[:-1]`.
        logits: unnormalized log-probabilities, classes last.
        name: unused.

    Returns:
        The per-example losses, shape of `labels`.

    Example:
    >>> round(tf.nn.sparse_softmax_cross_entropy_with_logits([1], [[0.0, 0.0]]).item(), 4)
    0.6931
    """
    del name
    z = _float(logits, "sparse_softmax_cross_entropy_with_logits")
    raw = _t(labels)
    if raw.is_floating_point():
        raise TypeError(
            f"sparse_softmax_cross_entropy_with_logits: labels must be integer class ids, got "
            f"{dtype_name(raw.dtype)}. Cast them with tf.cast(labels, tf.int32), or use "
            "softmax_cross_entropy_with_logits for one-hot/probability labels."
        )
    y = _index(raw)
    if y.device != z.device:
        y = y.to(z.device)
    if z.dim() < 1 or tuple(y.shape) != tuple(z.shape[:-1]):
        raise ValueError(
            f"sparse_softmax_cross_entropy_with_logits: labels of shape {_shape_str(y.shape)} "
            f"must have the shape of logits {_shape_str(z.shape)} without its last (class) "
            "dimension."
        )
    classes = z.shape[-1]
    if y.device.type != "cpu" and y.numel() and values_readable(y):
        # On a GPU a bad label is a device-side assert, fatal to the process: check first.
        _check_labels(y, classes)
    try:
        # ignore_index is moved out of reach so that every label is checked, as in TF.
        out = F.cross_entropy(
            z.reshape(-1, classes), y.reshape(-1), reduction="none", ignore_index=-(2**62)
        )
    except (IndexError, RuntimeError) as err:
        _check_labels(y, classes, err)
        raise
    return out.reshape(y.shape)


def _check_labels(y: torch.Tensor, classes: int, cause=None) -> None:
    bad = y[(y < 0) | (y >= classes)]
    if bad.numel():
        raise InvalidArgumentError(
            f"Received a label value of {bad[0].item()} which is outside the valid range of "
            f"[0, {classes}). Labels must be class ids smaller than the number of logits."
        ) from cause


def sigmoid_cross_entropy_with_logits(
    labels=None, logits=None, name: str | None = None
) -> torch.Tensor:
    """Elementwise logistic loss: max(x, 0) - x * z + log(1 + exp(-|x|)), x=logits, z=labels.

    Args:
        labels: targets in [0, 1], the same shape as `logits`.
        logits: unnormalized scores.
        name: unused.

    Returns:
        The elementwise losses.

    Example:
    >>> round(tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0], logits=[0.0]).item(), 4)
    0.6931
    """
    del name
    if labels is None or logits is None:
        raise ValueError(
            "sigmoid_cross_entropy_with_logits needs both labels= and logits= (pass them by name)."
        )
    z = _float(logits, "sigmoid_cross_entropy_with_logits")
    y = _like(labels, z)
    if y.dtype != z.dtype:
        y = y.to(z.dtype)
    if y.shape != z.shape:
        raise ValueError(
            f"sigmoid_cross_entropy_with_logits: logits and labels must have the same shape "
            f"({_shape_str(z.shape)} vs {_shape_str(y.shape)})."
        )
    return F.binary_cross_entropy_with_logits(z, y, reduction="none")


def weighted_cross_entropy_with_logits(
    labels, logits, pos_weight, name: str | None = None
) -> torch.Tensor:
    """Logistic loss with the positive term weighted by `pos_weight`.

    Computes `pos_weight * labels * -log(sigmoid(logits)) + (1 - labels) *
    -log(1 - sigmoid(logits))`, stably.

    Args:
        labels: targets, the same shape as `logits`.
        logits: unnormalized scores.
        pos_weight: weight of positive examples.
        name: unused.

    Returns:
        The elementwise losses.

    Example:
    >>> round(tf.nn.weighted_cross_entropy_with_logits([1.0], [0.0], 2.0).item(), 4)
    1.3863
    """
    del name
    z = _float(logits, "weighted_cross_entropy_with_logits")
    y = _like(labels, z).to(z.dtype)
    if y.shape != z.shape:
        raise ValueError(
            f"weighted_cross_entropy_with_logits: logits and labels must have the same shape "
            f"({_shape_str(z.shape)} vs {_shape_str(y.shape)})."
        )
    w = _like(pos_weight, z).to(z.dtype)
    # TensorFlow's formula, term for term: its kinks (|x|, relu(-x)) give the gradient
    # 1 - labels at logits exactly 0 (a zero-initialised last layer), which torch's
    # smooth pos_weight formula does not.
    log_weight = 1 + (w - 1) * y
    softplus_neg = torch.log1p(torch.exp(-torch.abs(z))) + torch.relu(-z)
    return (1 - y) * z + log_weight * softplus_neg


# ---------------------------------------------------------------- convolution and pooling

_CHANNELS_LAST_FORMATS = {1: "NWC", 2: "NHWC", 3: "NDHWC"}
_CHANNELS_FIRST_FORMATS = {1: "NCW", 2: "NCHW", 3: "NCDHW"}
# Safe from a oneDNN bug on one-channel inputs (see _conv_layout).
_CONV = _conv_layout.CONV_FNS
_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def _channels_last(data_format, rank: int, op: str) -> bool:
    """True for NWC/NHWC/NDHWC (the default), False for NCW/NCHW/NCDHW."""
    if data_format is None or data_format == _CHANNELS_LAST_FORMATS[rank]:
        return True
    if data_format == _CHANNELS_FIRST_FORMATS[rank]:
        return False
    raise ValueError(
        f"{op}: data_format must be {_CHANNELS_LAST_FORMATS[rank]!r} or "
        f"{_CHANNELS_FIRST_FORMATS[rank]!r} for {rank + 2}D input, got {data_format!r}."
    )


def _spatial_ints(value, rank: int, channels_last: bool, arg: str, op: str) -> tuple:
    """TF's strides/dilations/ksize rule: an int, or 1, N or N + 2 ints (batch/channel entries 1)."""
    if value is None:
        return (1,) * rank
    if isinstance(value, numbers.Integral):
        values = (int(value),)
    else:
        values = tuple(int(v) for v in value)
    if len(values) == 1:
        values = values * rank
    elif len(values) == rank + 2:
        outer = (values[0], values[-1]) if channels_last else values[:2]
        if any(v != 1 for v in outer):
            raise ValueError(
                f"{op}: {arg} for the batch and channel dimensions must be 1, got {list(values)}."
            )
        values = values[1:-1] if channels_last else values[2:]
    elif len(values) != rank:
        raise ValueError(
            f"{op}: {arg} must be an int or a list of 1, {rank} or {rank + 2} ints for "
            f"{rank + 2}D input, got {value!r} ({len(values)} values)."
        )
    if any(v < 1 for v in values):
        raise ValueError(f"{op}: {arg} must be positive, got {value!r}.")
    return values


def _pads_for(padding, spatial, kernel, strides, dilations, channels_last, op, explicit=True):
    """Per-spatial-axis (before, after) pads for 'SAME', 'VALID' or an explicit list of pairs."""
    rank = len(spatial)
    if isinstance(padding, str):
        mode = padding.upper()
        if mode == "VALID":
            return [(0, 0)] * rank
        if mode == "SAME":
            return [
                same_pads(n, k, s, d)
                for n, k, s, d in zip(spatial, kernel, strides, dilations, strict=True)
            ]
    elif explicit and isinstance(padding, (list, tuple)):
        pairs = [tuple(int(v) for v in p) for p in padding]
        if len(pairs) == rank + 2 and all(len(p) == 2 for p in pairs):
            outer = (pairs[0], pairs[-1]) if channels_last else tuple(pairs[:2])
            if any(p != (0, 0) for p in outer):
                raise ValueError(
                    f"{op}: explicit padding of the batch and channel dimensions must be "
                    f"[0, 0], got {padding!r}."
                )
            return pairs[1:-1] if channels_last else pairs[2:]
        raise ValueError(
            f"{op}: explicit padding must be a list of {rank + 2} [before, after] pairs (one per "
            f"dimension of the input), got {padding!r}."
        )
    valid = "'SAME', 'VALID' or a list of [before, after] pairs" if explicit else "'SAME', 'VALID'"
    raise ValueError(f"{op}: padding must be {valid}, got {padding!r}.")


def _to_channels_first(x: torch.Tensor, rank: int, channels_last: bool) -> torch.Tensor:
    return x.permute(0, rank + 1, *range(1, rank + 1)) if channels_last else x


def _from_channels_first(y: torch.Tensor, rank: int, channels_last: bool) -> torch.Tensor:
    return y.permute(0, *range(2, rank + 2), 1) if channels_last else y


def _flat(pads) -> list:
    """F.pad's argument (last axis first) for channels-first spatial pads."""
    out = []
    for before, after in reversed(pads):
        out += [before, after]
    return out


def _conv(op, rank, input, filters, strides, padding, data_format, dilations) -> torch.Tensor:
    x = _t(input)
    w = _like(filters, x)
    if x.dim() != rank + 2:
        raise ValueError(
            f"{op}: input must be {rank + 2}D, got shape {_shape_str(x.shape)} ({x.dim()}D)."
        )
    if w.dim() != rank + 2:
        raise ValueError(
            f"{op}: filters must be {rank + 2}D (*kernel, in_channels, out_channels), got shape "
            f"{_shape_str(w.shape)}."
        )
    last = _channels_last(data_format, rank, op)
    s = _spatial_ints(strides, rank, last, "strides", op)
    d = _spatial_ints(dilations, rank, last, "dilations", op)
    channels = x.shape[-1] if last else x.shape[1]
    in_f = w.shape[-2]
    if in_f == 0 or channels % in_f:
        raise ValueError(
            f"{op}: input channels ({channels}, input shape {_shape_str(x.shape)}) must equal "
            f"(or be a multiple of) the filters' in_channels ({in_f}, filters shape "
            f"{_shape_str(w.shape)}). Filters are (*kernel, in_channels, out_channels)."
        )
    groups = channels // in_f
    if w.shape[-1] % groups:
        raise ValueError(
            f"{op}: out_channels ({w.shape[-1]}) must be a multiple of the number of groups "
            f"({groups}) for grouped convolution (filters shape {_shape_str(w.shape)})."
        )
    spatial = tuple(x.shape[1:-1] if last else x.shape[2:])
    kernel = tuple(w.shape[:rank])
    pads = _pads_for(padding, spatial, kernel, s, d, last, op)
    for n, (a, b), kk, dd in zip(spatial, pads, kernel, d, strict=True):
        if n + a + b < dd * (kk - 1) + 1:
            # torch raises a RuntimeError here; TensorFlow an InvalidArgumentError.
            raise InvalidArgumentError(
                f"{op}: the filters (shape {_shape_str(w.shape)}, dilations {d}) cover "
                f"{dd * (kk - 1) + 1} cells, more than the {n + a + b} of the padded input "
                f"(shape {_shape_str(x.shape)}, padding {padding!r}); the output would be "
                "empty. Use padding='SAME', a smaller kernel or smaller dilations."
            )
    xt = _to_channels_first(x, rank, last)
    if w.dtype != x.dtype:
        w = w.to(x.dtype)
    wt = w.permute(rank + 1, rank, *range(rank))
    if all(a == b for a, b in pads):
        torch_pad = tuple(a for a, _ in pads)
    else:
        # torch pads symmetrically: pad TF's extra bottom/right cell explicitly.
        xt = F.pad(xt, _flat(pads))
        torch_pad = 0
    y = _CONV[rank](xt, wt, None, s, torch_pad, d, groups)
    return _from_channels_first(y, rank, last)


def conv1d(
    input,
    filters,
    stride,
    padding,
    data_format: str = "NWC",
    dilations=None,
    name: str | None = None,
) -> torch.Tensor:
    """1D convolution (cross-correlation) of `input` with `filters`.

    Args:
        input: a 3D tensor, `(batch, width, channels)` (or `(batch, channels, width)` for NCW).
        filters: a 3D tensor `(width, in_channels, out_channels)`.
        stride: an int or a list of 1 or 3 ints.
        padding: `"SAME"`, `"VALID"` or a list of `[before, after]` pairs.
        data_format: `"NWC"` or `"NCW"`.
        dilations: an int or a list of 1 or 3 ints.
        name: ignored.

    Returns:
        The convolved tensor.

    Example:
    >>> tf.nn.conv1d(tf.ones([1, 4, 1]), tf.ones([2, 1, 1]), 1, "VALID").shape
    torch.Size([1, 3, 1])
    """
    del name
    return _conv("conv1d", 1, input, filters, stride, padding, data_format, dilations)


def conv2d(
    input,
    filters,
    strides,
    padding,
    data_format: str = "NHWC",
    dilations=None,
    name: str | None = None,
) -> torch.Tensor:
    """2D convolution (cross-correlation) of `input` with `filters`, TensorFlow's layout.

    Args:
        input: a 4D tensor, NHWC (or NCHW).
        filters: a 4D tensor `(height, width, in_channels, out_channels)`.
        strides: an int or a list of 1, 2 or 4 ints.
        padding: `"SAME"` (output `ceil(n / stride)`, the odd pad cell at the bottom/right),
            `"VALID"`, or a list of 4 `[before, after]` pairs.
        data_format: `"NHWC"` or `"NCHW"`.
        dilations: an int or a list of 1, 2 or 4 ints.
        name: ignored.

    Returns:
        The convolved tensor.

    Example:
    >>> tf.nn.conv2d(tf.ones([1, 5, 5, 1]), tf.ones([2, 2, 1, 3]), 2, "SAME").shape
    torch.Size([1, 3, 3, 3])
    """
    del name
    return _conv("conv2d", 2, input, filters, strides, padding, data_format, dilations)


def conv3d(
    input,
    filters,
    strides,
    padding,
    data_format: str = "NDHWC",
    dilations=None,
    name: str | None = None,
) -> torch.Tensor:
    """3D convolution (cross-correlation) of `input` with `filters`.

    Args:
        input: a 5D tensor, NDHWC (or NCDHW).
        filters: a 5D tensor `(depth, height, width, in_channels, out_channels)`.
        strides: an int or a list of 1, 3 or 5 ints.
        padding: `"SAME"`, `"VALID"` or a list of 5 `[before, after]` pairs.
        data_format: `"NDHWC"` or `"NCDHW"`.
        dilations: an int or a list of 1, 3 or 5 ints.
        name: ignored.

    Returns:
        The convolved tensor.

    Example:
    >>> tf.nn.conv3d(tf.ones([1, 3, 3, 3, 1]), tf.ones([2, 2, 2, 1, 1]), 1, "VALID").shape
    torch.Size([1, 2, 2, 2, 1])
    """
    del name
    return _conv("conv3d", 3, input, filters, strides, padding, data_format, dilations)


def atrous_conv2d(value, filters, rate: int, padding: str, name: str | None = None) -> torch.Tensor:
    """2D dilated ("atrous") convolution: `conv2d` with stride 1 and dilation `rate`, NHWC.

    Args:
        value: a 4D NHWC tensor.
        filters: `(height, width, in_channels, out_channels)`.
        rate: a positive int, the dilation along height and width.
        padding: `"SAME"` or `"VALID"`.
        name: ignored.

    Returns:
        The convolved tensor.

    Example:
    >>> tf.nn.atrous_conv2d(tf.ones([1, 5, 5, 1]), tf.ones([2, 2, 1, 1]), 2, "VALID").shape
    torch.Size([1, 3, 3, 1])
    """
    del name
    if isinstance(rate, bool) or not isinstance(rate, numbers.Integral) or rate < 1:
        raise ValueError(f"atrous_conv2d: rate must be a positive int, got {rate!r}.")
    return _conv("atrous_conv2d", 2, value, filters, 1, padding, "NHWC", int(rate))


def _rank_from(x: torch.Tensor, op: str) -> int:
    rank = x.dim() - 2
    if rank not in (1, 2, 3):
        raise ValueError(
            f"{op}: input must be 3D, 4D or 5D (batch, *spatial, channels), got shape "
            f"{_shape_str(x.shape)}."
        )
    return rank


def convolution(
    input,
    filters,
    strides=None,
    padding: str = "VALID",
    data_format: str | None = None,
    dilations=None,
    name: str | None = None,
) -> torch.Tensor:
    """N-D convolution (1D, 2D or 3D, from the input's rank).

    Args:
        input: a 3D, 4D or 5D tensor, channels last (or channels first per `data_format`).
        filters: `(*kernel, in_channels, out_channels)`.
        strides: an int or a list of ints (default 1).
        padding: `"SAME"`, `"VALID"` or a list of `[before, after]` pairs.
        data_format: e.g. `"NHWC"`/`"NCHW"`; None means channels last.
        dilations: an int or a list of ints (default 1).
        name: ignored.

    Returns:
        The convolved tensor.

    Example:
    >>> tf.nn.convolution(tf.ones([1, 4, 4, 1]), tf.ones([3, 3, 1, 2])).shape
    torch.Size([1, 2, 2, 2])
    """
    del name
    x = _t(input)
    rank = _rank_from(x, "convolution")
    return _conv("convolution", rank, x, filters, strides, padding, data_format, dilations)


def _pool(op, rank, kind, input, ksize, strides, padding, data_format, dilations=None):
    x = _t(input)
    if rank is None:
        rank = _rank_from(x, op)
    elif x.dim() != rank + 2:
        raise ValueError(
            f"{op}: input must be {rank + 2}D, got shape {_shape_str(x.shape)} ({x.dim()}D)."
        )
    last = _channels_last(data_format, rank, op)
    if kind == "MAX" and last and _pools_depth(ksize, rank):
        return _depth_max_pool(op, x, ksize, strides, rank)
    k = _spatial_ints(ksize, rank, last, "ksize", op)
    s = _spatial_ints(strides, rank, last, "strides", op)
    d = _spatial_ints(dilations, rank, last, "dilations", op)
    spatial = tuple(x.shape[1:-1] if last else x.shape[2:])
    pads = _pads_for(padding, spatial, k, s, d, last, op, explicit=False)
    _check_window_fits(op, x, spatial, pads, k, d, padding)
    xt = _to_channels_first(x, rank, last)
    padded = any(a or b for a, b in pads)
    # torch's own (symmetric) padding is ignored by max and, with count_include_pad=False, by
    # average: TF's SAME rule exactly, without materialising a padded copy. (avg_pool3d checks
    # the window against the unpadded input, so a window larger than the input pads by hand.)
    symmetric = all(
        a == b and a <= kk // 2 and kk <= n for (a, b), kk, n in zip(pads, k, spatial, strict=True)
    )
    if kind == "MAX":
        if symmetric:
            return _from_channels_first(
                _MAX_POOL[rank](xt, k, s, tuple(a for a, _ in pads), d), rank, last
            )
        xt = F.pad(xt, _flat(pads), value=float("-inf"))
        y = _MAX_POOL[rank](xt, k, s, 0, d)
    else:
        if not xt.is_floating_point():
            raise TypeError(
                f"{op}: average pooling needs a floating point input, got "
                f"{dtype_name(xt.dtype)}. Cast it first, e.g. tf.cast(x, tf.float32)."
            )
        if any(v != 1 for v in d):
            if padded:
                raise ValueError(
                    f"{op}: dilated average pooling supports only padding='VALID', got "
                    f"dilations {d} and padding {padding!r}."
                )
            y = _dilated_avg_pool(xt, k, s, d, rank)
        elif symmetric:
            y = _AVG_POOL[rank](xt, k, s, tuple(a for a, _ in pads), count_include_pad=False)
        elif padded:
            # TF averages over the valid cells only: divide by the pooled in-bounds fraction.
            flat = _flat(pads)
            ones = torch.ones((1, 1, *spatial), dtype=xt.dtype, device=xt.device)
            y = _AVG_POOL[rank](F.pad(xt, flat), k, s) / _AVG_POOL[rank](F.pad(ones, flat), k, s)
        else:
            y = _AVG_POOL[rank](xt, k, s)
    return _from_channels_first(y, rank, last)


def _check_window_fits(op, x, spatial, pads, k, d, padding) -> None:
    """A clear error where the (dilated) window is larger than the padded input.

    TensorFlow returns an empty tensor there; torch raises a bare RuntimeError. tork raises,
    as its convolutions do, since an empty feature map is almost always a shape mistake.
    """
    for n, (a, b), kk, dd in zip(spatial, pads, k, d, strict=True):
        if n + a + b < dd * (kk - 1) + 1:
            raise InvalidArgumentError(
                f"{op}: the pooling window (ksize {list(k)}, dilations {list(d)}) covers "
                f"{dd * (kk - 1) + 1} cells, more than the {n + a + b} of the padded input "
                f"(shape {_shape_str(x.shape)}, padding {padding!r}); the output would be "
                "empty. Use padding='SAME' or a smaller window."
            )


def _dilated_avg_pool(xt: torch.Tensor, k, s, d, rank: int) -> torch.Tensor:
    """VALID average pooling over a dilated window: a per-channel convolution with 1/size."""
    channels = xt.shape[1]
    size = 1
    for v in k:
        size *= v
    w = torch.full((channels, 1, *k), 1.0 / size, dtype=xt.dtype, device=xt.device)
    return _CONV[rank](xt, w, None, s, 0, d, channels)


def _pools_depth(ksize, rank: int) -> bool:
    """True for a channels-last max-pool window over channels: `ksize=(1, 1, 1, k)`, k > 1."""
    if isinstance(ksize, numbers.Integral) or ksize is None:
        return False
    values = [int(v) for v in ksize]
    return len(values) == rank + 2 and values[0] == 1 and values[-1] != 1


def _depth_max_pool(op, x: torch.Tensor, ksize, strides, rank: int) -> torch.Tensor:
    """TF's depthwise max pooling: the max of each group of `k` consecutive channels.

    TensorFlow (CPU) pools either across channels or across space, never both, with the
    channel stride equal to the window (so padding has nothing to pad).
    """
    from tork._backend.errors import UnimplementedError

    k = [int(v) for v in ksize]
    s = [int(v) for v in strides] if not isinstance(strides, numbers.Integral) else [strides]
    if any(v != 1 for v in k[1:-1]) or (len(s) == rank + 2 and any(v != 1 for v in s[:-1])):
        raise UnimplementedError(
            f"{op}: MaxPooling supports exactly one of pooling across depth or pooling across "
            f"width/height, got ksize={k} and strides={s}."
        )
    if len(s) != rank + 2 or s[-1] != k[-1]:
        raise UnimplementedError(
            f"{op}: depthwise max pooling requires the depth window to equal the depth "
            f"stride, got ksize={k} and strides={s}."
        )
    depth = x.shape[-1]
    if depth % k[-1]:
        raise UnimplementedError(
            f"{op}: depthwise max pooling requires the depth window ({k[-1]}) to evenly "
            f"divide the input depth ({depth}, input shape {_shape_str(x.shape)})."
        )
    return x.reshape(*x.shape[:-1], depth // k[-1], k[-1]).amax(-1)


def _pool_doc_fn(kind: str, rank: int | None, default_format: str | None):
    op = f"{kind.lower()}_pool{'' if rank is None else f'{rank}d'}"

    def fn(
        input, ksize, strides, padding, data_format=default_format, name: str | None = None
    ) -> torch.Tensor:
        del name
        return _pool(op, rank, kind, input, ksize, strides, padding, data_format)

    what = "Max" if kind == "MAX" else "Average"
    dims = "N-D (from the input's rank)" if rank is None else f"{rank}D"
    fn.__name__ = fn.__qualname__ = op
    fn.__doc__ = f"""{what} pooling, {dims}, TensorFlow's layout.

    Args:
        input: a tensor `(batch, *spatial, channels)` (or channels first per `data_format`).
        ksize: window size: an int or a list of 1, N or N + 2 ints.
        strides: an int or a list of 1, N or N + 2 ints.
        padding: `"SAME"` (output `ceil(n / stride)`{
        ", averaging only over in-bounds cells" if kind == "AVG" else ""
    }) or `"VALID"`.
        data_format: channels last (`"NHWC"`-style, the default) or channels first.
        name: ignored.

    Returns:
        The pooled tensor.

    Example:
    >>> tf.nn.{op}(tf.ones({[1] + [4] * (rank or 2) + [1]}), 2, 2, "VALID").shape[1]
    2
    """
    return fn


max_pool1d = _pool_doc_fn("MAX", 1, "NWC")
max_pool2d = _pool_doc_fn("MAX", 2, "NHWC")
max_pool3d = _pool_doc_fn("MAX", 3, "NDHWC")
max_pool = _pool_doc_fn("MAX", None, None)
avg_pool1d = _pool_doc_fn("AVG", 1, "NWC")
avg_pool2d = _pool_doc_fn("AVG", 2, "NHWC")
avg_pool3d = _pool_doc_fn("AVG", 3, "NDHWC")
avg_pool = _pool_doc_fn("AVG", None, None)


def pool(
    input,
    window_shape,
    pooling_type: str,
    strides=None,
    padding: str = "VALID",
    data_format: str | None = None,
    dilations=None,
    name: str | None = None,
) -> torch.Tensor:
    """N-D max or average pooling (rank from `window_shape`).

    Args:
        input: a tensor `(batch, *spatial, channels)` (or channels first per `data_format`).
        window_shape: a list of N ints.
        pooling_type: `"MAX"` or `"AVG"`.
        strides: a list of N ints (default 1).
        padding: `"SAME"` or `"VALID"`.
        data_format: channels last (default) or channels first, e.g. `"NCHW"`.
        dilations: a list of N ints (default 1; average pooling needs 1).
        name: ignored.

    Returns:
        The pooled tensor.

    Example:
    >>> tf.nn.pool(tf.ones([1, 4, 4, 1]), [2, 2], "MAX", strides=[2, 2]).shape
    torch.Size([1, 2, 2, 1])
    """
    del name
    kind = str(pooling_type).upper()
    if kind not in ("MAX", "AVG"):
        raise ValueError(f"pool: pooling_type must be 'MAX' or 'AVG', got {pooling_type!r}.")
    rank = len(window_shape)
    _check_dilated_pool(rank, strides, padding, dilations)
    return _pool("pool", rank, kind, input, window_shape, strides, padding, data_format, dilations)


def _check_dilated_pool(rank: int, strides, padding, dilations) -> None:
    """TensorFlow's two refusals for dilated `tf.nn.pool` (tork would compute something else)."""
    if dilations is None:
        return
    d = [
        int(v)
        for v in ([dilations] * rank if isinstance(dilations, numbers.Integral) else dilations)
    ]
    if all(v == 1 for v in d):
        return
    s = [1] * rank if strides is None else strides
    s = [int(v) for v in ([s] * rank if isinstance(s, numbers.Integral) else s)]
    if any(v != 1 for v in s):
        raise ValueError(
            f"pool: strides > 1 are not supported together with dilations > 1 (as in "
            f"TensorFlow); got strides={s} and dilations={d}. Pool with strides 1, then slice "
            "every n-th position."
        )
    if str(padding).upper() == "SAME":
        raise ValueError(
            f"pool: 'SAME' padding is not implemented for dilations > 1 (as in TensorFlow); "
            f"got dilations={d}. Use padding='VALID' (pad the input first with tf.pad if needed)."
        )


def depthwise_conv2d(
    input,
    filter,
    strides,
    padding,
    data_format: str | None = None,
    dilations=None,
    name: str | None = None,
) -> torch.Tensor:
    """Depthwise 2D convolution: each input channel convolved with its own `multiplier` filters.

    Output channel `k * multiplier + q` is input channel `k` convolved with `filter[..., k, q]`.

    Args:
        input: a 4D tensor, NHWC (or NCHW).
        filter: a 4D tensor `(height, width, in_channels, channel_multiplier)`.
        strides: an int or a list of 1, 2 or 4 ints.
        padding: `"SAME"`, `"VALID"` or a list of 4 `[before, after]` pairs.
        data_format: `"NHWC"` (None, the default) or `"NCHW"`.
        dilations: an int or a list of 1, 2 or 4 ints.
        name: ignored.

    Returns:
        A tensor with `in_channels * channel_multiplier` channels.

    Example:
    >>> tf.nn.depthwise_conv2d(tf.ones([1, 4, 4, 3]), tf.ones([2, 2, 3, 2]), 1, "VALID").shape
    torch.Size([1, 3, 3, 6])
    """
    del name
    x = _t(input)
    w = _like(filter, x)
    op = "depthwise_conv2d"
    if w.dim() != 4:
        raise ValueError(
            f"{op}: filter must be 4D (height, width, in_channels, channel_multiplier), got "
            f"shape {_shape_str(w.shape)}."
        )
    if x.dim() == 4:
        channels = x.shape[-1] if _channels_last(data_format, 2, op) else x.shape[1]
        if channels != w.shape[2]:
            raise ValueError(
                f"{op}: input channels ({channels}, input shape {_shape_str(x.shape)}) must equal "
                f"the filter's in_channels ({w.shape[2]}, filter shape {_shape_str(w.shape)})."
            )
    # (h, w, in, mult) -> (h, w, 1, in * mult): one group per input channel, in TF's order.
    w = w.reshape(w.shape[0], w.shape[1], 1, w.shape[2] * w.shape[3])
    return _conv(op, 2, x, w, strides, padding, data_format, dilations)


def separable_conv2d(
    input,
    depthwise_filter,
    pointwise_filter,
    strides,
    padding,
    data_format: str | None = None,
    dilations=None,
    name: str | None = None,
) -> torch.Tensor:
    """A depthwise convolution followed by a 1x1 (pointwise) convolution.

    Args:
        input: a 4D tensor, NHWC (or NCHW).
        depthwise_filter: `(height, width, in_channels, channel_multiplier)`.
        pointwise_filter: `(1, 1, in_channels * channel_multiplier, out_channels)`.
        strides: the depthwise convolution's strides (an int or 1, 2 or 4 ints).
        padding: `"SAME"`, `"VALID"` or a list of 4 `[before, after]` pairs.
        data_format: `"NHWC"` (None, the default) or `"NCHW"`.
        dilations: the depthwise convolution's dilations.
        name: ignored.

    Returns:
        A tensor with `out_channels` channels.

    Example:
    >>> tf.nn.separable_conv2d(
    ...     tf.ones([1, 4, 4, 3]), tf.ones([3, 3, 3, 2]), tf.ones([1, 1, 6, 5]), 1, "SAME"
    ... ).shape
    torch.Size([1, 4, 4, 5])
    """
    del name
    x = _t(input)
    p = _like(pointwise_filter, x)
    if p.dim() != 4 or p.shape[0] != 1 or p.shape[1] != 1:
        raise ValueError(
            "separable_conv2d: pointwise_filter must be (1, 1, in_channels * channel_multiplier, "
            f"out_channels), got shape {_shape_str(p.shape)}."
        )
    y = depthwise_conv2d(x, depthwise_filter, strides, padding, data_format, dilations)
    return _conv("separable_conv2d", 2, y, p, 1, "VALID", data_format, None)


def _conv_transpose(op, rank, input, filters, output_shape, strides, padding, data_format, dil):
    x = _t(input)
    w = _like(filters, x)
    if x.dim() != rank + 2 or w.dim() != rank + 2:
        raise ValueError(
            f"{op}: input and filters must be {rank + 2}D, got shapes {_shape_str(x.shape)} and "
            f"{_shape_str(w.shape)}."
        )
    if not x.is_floating_point():
        raise TypeError(
            f"{op}: tork computes transposed convolutions in floating point only, got "
            f"{dtype_name(x.dtype)}. Cast the input and filters first, e.g. tf.cast(x, tf.float32)."
        )
    last = _channels_last(data_format, rank, op)
    s = _spatial_ints(strides, rank, last, "strides", op)
    d = _spatial_ints(dil, rank, last, "dilations", op)
    channels = x.shape[-1] if last else x.shape[1]
    if channels != w.shape[-1]:
        raise ValueError(
            f"{op}: input channels ({channels}, input shape {_shape_str(x.shape)}) must equal "
            f"the filters' in_channels, their last axis ({w.shape[-1]}, filters shape "
            f"{_shape_str(w.shape)}). Filters are (*kernel, out_channels, in_channels)."
        )
    shape = [
        int(v) for v in (output_shape.tolist() if torch.is_tensor(output_shape) else output_shape)
    ]
    if len(shape) == rank + 2:
        out_channels = shape[-1] if last else shape[1]
        spatial = shape[1:-1] if last else shape[2:]
        if out_channels != w.shape[-2]:
            raise ValueError(
                f"{op}: output_shape {shape} has {out_channels} channels but the filters "
                f"(shape {_shape_str(w.shape)}) produce {w.shape[-2]}."
            )
    elif len(shape) == rank:
        spatial = shape
    else:
        raise ValueError(
            f"{op}: output_shape must have {rank + 2} (or {rank} spatial) entries, got {shape}."
        )
    kernel = tuple(w.shape[:rank])
    pads = _pads_for(padding, spatial, kernel, s, d, last, op)
    in_spatial = tuple(x.shape[1:-1] if last else x.shape[2:])
    # output_shape must be a size whose forward convolution gives the input's size.
    expected = tuple(
        (n + a + b - (dd * (k - 1) + 1)) // ss + 1
        for n, (a, b), k, ss, dd in zip(spatial, pads, kernel, s, d, strict=True)
    )
    if expected != in_spatial:
        raise ValueError(
            f"{op}: output_shape {shape} does not match the input: a convolution of that size "
            f"with these strides and padding gives spatial size {expected}, but the input's is "
            f"{in_spatial} (input shape {_shape_str(x.shape)})."
        )
    if w.dtype != x.dtype:
        w = w.to(x.dtype)
    wt = w.permute(rank + 1, rank, *range(rank))
    fn = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[rank - 1]
    y = fn(_to_channels_first(x, rank, last), wt, None, s, 0, 0, 1, d)
    # Crop the forward padding off (negative F.pad) and zero-fill cells no window reached.
    crop = []
    for (before, _), n, full in zip(
        reversed(pads), reversed(spatial), reversed(y.shape[2:]), strict=True
    ):
        crop += [-before, n - (full - before)]
    if any(crop):
        y = F.pad(y, crop)
    return _from_channels_first(y, rank, last)


def conv1d_transpose(
    input,
    filters,
    output_shape,
    strides,
    padding: str = "SAME",
    data_format: str = "NWC",
    dilations=None,
    name: str | None = None,
) -> torch.Tensor:
    """The transpose (gradient) of `conv1d`.

    Args:
        input: a 3D tensor, NWC (or NCW).
        filters: `(width, out_channels, in_channels)`.
        output_shape: the output's full shape (3 ints) or its width.
        strides: an int or a list of 1 or 3 ints.
        padding: `"SAME"`, `"VALID"` or a list of 3 `[before, after]` pairs.
        data_format: `"NWC"` or `"NCW"`.
        dilations: an int or a list of 1 or 3 ints.
        name: ignored.

    Returns:
        A tensor of shape `output_shape`.

    Example:
    >>> tf.nn.conv1d_transpose(tf.ones([1, 3, 2]), tf.ones([2, 4, 2]), [1, 6, 4], 2).shape
    torch.Size([1, 6, 4])
    """
    del name
    return _conv_transpose(
        "conv1d_transpose",
        1,
        input,
        filters,
        output_shape,
        strides,
        padding,
        data_format,
        dilations,
    )


def conv2d_transpose(
    input,
    filters,
    output_shape,
    strides,
    padding: str = "SAME",
    data_format: str = "NHWC",
    dilations=None,
    name: str | None = None,
) -> torch.Tensor:
    """The transpose (gradient) of `conv2d`, sometimes called deconvolution.

    The result has `output_shape`, which must be a shape whose `conv2d` with the same filters,
    strides and padding has the input's shape.

    Args:
        input: a 4D tensor, NHWC (or NCHW).
        filters: `(height, width, out_channels, in_channels)`.
        output_shape: the output's full shape (4 ints) or its (height, width).
        strides: an int or a list of 1, 2 or 4 ints.
        padding: `"SAME"`, `"VALID"` or a list of 4 `[before, after]` pairs.
        data_format: `"NHWC"` or `"NCHW"`.
        dilations: an int or a list of 1, 2 or 4 ints.
        name: ignored.

    Returns:
        A tensor of shape `output_shape`.

    Example:
    >>> tf.nn.conv2d_transpose(tf.ones([1, 3, 3, 2]), tf.ones([2, 2, 4, 2]), [1, 6, 6, 4], 2).shape
    torch.Size([1, 6, 6, 4])
    """
    del name
    return _conv_transpose(
        "conv2d_transpose",
        2,
        input,
        filters,
        output_shape,
        strides,
        padding,
        data_format,
        dilations,
    )


def conv3d_transpose(
    input,
    filters,
    output_shape,
    strides,
    padding: str = "SAME",
    data_format: str = "NDHWC",
    dilations=None,
    name: str | None = None,
) -> torch.Tensor:
    """The transpose (gradient) of `conv3d`.

    Args:
        input: a 5D tensor, NDHWC (or NCDHW).
        filters: `(depth, height, width, out_channels, in_channels)`.
        output_shape: the output's full shape (5 ints) or its (depth, height, width).
        strides: an int or a list of 1, 3 or 5 ints.
        padding: `"SAME"`, `"VALID"` or a list of 5 `[before, after]` pairs.
        data_format: `"NDHWC"` or `"NCDHW"`.
        dilations: an int or a list of 1, 3 or 5 ints.
        name: ignored.

    Returns:
        A tensor of shape `output_shape`.

    Example:
    >>> x = tf.ones([1, 2, 2, 2, 1])
    >>> tf.nn.conv3d_transpose(x, tf.ones([2, 2, 2, 3, 1]), [1, 4, 4, 4, 3], 2).shape
    torch.Size([1, 4, 4, 4, 3])
    """
    del name
    return _conv_transpose(
        "conv3d_transpose",
        3,
        input,
        filters,
        output_shape,
        strides,
        padding,
        data_format,
        dilations,
    )


# ---------------------------------------------------------------- space/depth, LRN


def _nhwc(x: torch.Tensor, data_format, op: str) -> tuple[torch.Tensor, bool]:
    if x.dim() != 4:
        raise ValueError(f"{op}: input must be 4D, got shape {_shape_str(x.shape)}.")
    last = _channels_last(data_format, 2, op)
    return (x if last else x.permute(0, 2, 3, 1)), last


def _check_block(block_size, op: str) -> int:
    if isinstance(block_size, bool) or not isinstance(block_size, numbers.Integral):
        raise TypeError(f"{op}: block_size must be an int, got {block_size!r}.")
    if block_size < 2:
        raise ValueError(f"{op}: block_size must be at least 2, got {block_size}.")
    return int(block_size)


def space_to_depth(
    input, block_size: int, data_format: str = "NHWC", name: str | None = None
) -> torch.Tensor:
    """Moves `block_size x block_size` spatial blocks into the channel axis.

    Output channel `(i * block_size + j) * C + c` holds input pixel `(i, j)` of each block.

    Args:
        input: a 4D tensor, NHWC (or NCHW); height and width divisible by `block_size`.
        block_size: an int >= 2.
        data_format: `"NHWC"` or `"NCHW"`.
        name: ignored.

    Returns:
        A tensor `(batch, height / block_size, width / block_size, channels * block_size**2)`.

    Example:
    >>> tf.nn.space_to_depth(tf.ones([1, 4, 4, 3]), 2).shape
    torch.Size([1, 2, 2, 12])
    """
    del name
    op = "space_to_depth"
    bs = _check_block(block_size, op)
    x, last = _nhwc(_t(input), data_format, op)
    n, h, w, c = x.shape
    if h % bs or w % bs:
        raise ValueError(
            f"{op}: height ({h}) and width ({w}) must be divisible by block_size ({bs})."
        )
    y = x.reshape(n, h // bs, bs, w // bs, bs, c).permute(0, 1, 3, 2, 4, 5)
    y = y.reshape(n, h // bs, w // bs, bs * bs * c)
    return y if last else y.permute(0, 3, 1, 2)


def depth_to_space(
    input, block_size: int, data_format: str = "NHWC", name: str | None = None
) -> torch.Tensor:
    """Moves channel-axis values into `block_size x block_size` spatial blocks (inverse of
    `space_to_depth`).

    Args:
        input: a 4D tensor, NHWC (or NCHW); channels divisible by `block_size**2`.
        block_size: an int >= 2.
        data_format: `"NHWC"` or `"NCHW"`.
        name: ignored.

    Returns:
        A tensor `(batch, height * block_size, width * block_size, channels / block_size**2)`.

    Example:
    >>> tf.nn.depth_to_space(tf.ones([1, 2, 2, 12]), 2).shape
    torch.Size([1, 4, 4, 3])
    """
    del name
    op = "depth_to_space"
    bs = _check_block(block_size, op)
    x, last = _nhwc(_t(input), data_format, op)
    n, h, w, c = x.shape
    if c % (bs * bs):
        raise ValueError(
            f"{op}: channels ({c}) must be divisible by block_size**2 ({bs * bs}); input shape "
            f"{_shape_str(x.shape if last else x.permute(0, 3, 1, 2).shape)}."
        )
    y = x.reshape(n, h, w, bs, bs, c // (bs * bs)).permute(0, 1, 3, 2, 4, 5)
    y = y.reshape(n, h * bs, w * bs, c // (bs * bs))
    return y if last else y.permute(0, 3, 1, 2)


def local_response_normalization(
    input,
    depth_radius: int = 5,
    bias: float = 1.0,
    alpha: float = 1.0,
    beta: float = 0.5,
    name: str | None = None,
) -> torch.Tensor:
    """Local response normalization over the last (channel) axis.

    `output = input / (bias + alpha * sum(input[..., d - r : d + r + 1] ** 2)) ** beta`.

    Args:
        input: a 4D tensor (NHWC).
        depth_radius: half-width `r` of the channel window.
        bias: offset (usually positive, to avoid dividing by 0).
        alpha: scale of the squared sum.
        beta: exponent.
        name: ignored.

    Returns:
        A tensor of the input's shape.

    Example:
    >>> round(tf.nn.local_response_normalization(tf.ones([1, 1, 1, 1]) * 2.0)[0, 0, 0, 0].item(), 4)
    0.8944
    """
    del name
    x = _float(input, "local_response_normalization")
    if x.dim() != 4:
        raise ValueError(
            f"local_response_normalization: input must be 4D (NHWC), got shape "
            f"{_shape_str(x.shape)}."
        )
    r = int(depth_radius)
    if r < 0:
        raise ValueError(f"local_response_normalization: depth_radius must be >= 0, got {r}.")
    c = x.shape[-1]
    sq = (x * x).reshape(-1, 1, c)
    # Zero-padded windowed sum over channels: an average pool times its window size.
    window = 2 * r + 1
    sums = F.avg_pool1d(sq, window, 1, r, count_include_pad=True) * window
    return x / (bias + alpha * sums.reshape(x.shape)) ** beta


lrn = local_response_normalization


# ---------------------------------------------------------------- CTC


def _ctc_lengths(value, batch: int, name: str, owner: str, device) -> torch.Tensor:
    """`value` as an int64 vector of `batch` lengths; Keras 2's `(batch, 1)` is accepted."""
    t = _t(value)
    if t.dim() == 2 and t.shape[1] == 1:
        t = t.reshape(-1)
    if t.dim() != 1 or t.shape[0] != batch:
        raise ValueError(
            f"{owner}: {name} must have shape (batch,) = ({batch},) (or ({batch}, 1)), got "
            f"{_shape_str(t.shape)}. Pass one length per batch element."
        )
    return t.to(device=device, dtype=torch.int64)


def _ctc_core(
    log_probs,
    labels,
    label_length,
    logit_length,
    blank: int,
    owner: str,
    null_label_padding: bool = False,
):
    """Per-example CTC negative log-likelihood from batch-major log-probabilities.

    `log_probs` is `(batch, time, classes)` and already log-normalised; `labels` is a
    dense `(batch, max_label_len)` integer tensor whose entries past `label_length`
    are ignored (any padding value).

    With `null_label_padding` (TensorFlow's v1 CTC op, which Keras 2's
    `keras.backend.ctc_batch_cost` and sparse labels run; the blank must be the last
    class), a label >= `classes - 1` inside `label_length` is a "null" label that ends
    the sequence: the keras.io handwriting example pads its labels with 99 and passes
    the padded length. A real label after a null one is an error, as in TensorFlow.

    Without it (TensorFlow 2's dense CTC), a label equal to a `blank` > 0 counts as
    class `blank - 1`, as TensorFlow's dense loss reads it: it moves the blank to the
    front and shifts only the labels below it.
    """
    if log_probs.dim() != 3:
        raise ValueError(
            f"{owner}: expected predictions of shape (batch, time, classes), got "
            f"{_shape_str(log_probs.shape)}."
        )
    labels = _t(labels)
    if labels.dim() != 2:
        raise ValueError(
            f"{owner}: expected dense labels of shape (batch, max_label_len), got "
            f"{_shape_str(labels.shape)}."
        )
    batch, steps, classes = log_probs.shape
    if labels.shape[0] != batch:
        raise ValueError(
            f"{owner}: labels have batch size {labels.shape[0]} but predictions have {batch}."
        )
    if not -classes <= blank < classes:
        raise ValueError(f"{owner}: blank index {blank} is out of range for {classes} classes.")
    blank = blank % classes
    device = log_probs.device
    label_length = _ctc_lengths(label_length, batch, "label_length", owner, device)
    logit_length = _ctc_lengths(logit_length, batch, "logit_length", owner, device)
    labels = labels.to(device=device, dtype=torch.int64)
    if null_label_padding and values_readable(labels):
        label_length = _ctc_null_label_lengths(labels, label_length, classes, owner)
    elif not null_label_padding and blank > 0:
        # TF's dense loss rotates the blank to class 0 and adds 1 to the labels below it,
        # so a label equal to the blank lands on the class before it (and then counts as
        # a repeat of that class).
        labels = torch.where(labels == blank, blank - 1, labels)
    # One host sync for all checks; the detailed messages are built only on failure.
    if values_readable(labels) and bool(
        (label_length > labels.shape[1]).any()
        | (logit_length > steps).any()
        | (label_length < 0).any()
        | (logit_length < 0).any()
        | (label_length > logit_length).any()
    ):
        if bool((label_length > labels.shape[1]).any()) or bool((label_length < 0).any()):
            raise ValueError(
                f"{owner}: label_length {label_length.tolist()} must lie in [0, "
                f"{labels.shape[1]}] (the labels' max_label_len)."
            )
        if bool((logit_length > steps).any()) or bool((logit_length < 0).any()):
            raise ValueError(
                f"{owner}: logit_length {logit_length.tolist()} must lie in [0, {steps}] "
                "(the number of time steps)."
            )
        if bool((label_length > logit_length).any()):
            raise ValueError(
                f"{owner}: labels are longer than the logits: label_length "
                f"{label_length.tolist()} exceeds logit_length {logit_length.tolist()}. "
                "CTC needs at least one time step per label."
            )
    # Padding past label_length may hold -1 or the blank; torch reads only the
    # valid prefix, but keep every entry a legal class index regardless.
    valid = torch.arange(labels.shape[1], device=device) < label_length[:, None]
    if values_readable(labels):
        # torch's CPU kernel reads out of bounds (and may crash the process) on a class
        # index outside [0, classes): reject it with TensorFlow's error type instead.
        bad = valid & ((labels < 0) | (labels >= classes))
        if bool(bad.any()):
            row = int(bad.any(dim=1).nonzero()[0])
            raise InvalidArgumentError(
                None,
                None,
                f"{owner}: labels must be class indices in [0, {classes}), got "
                f"{labels[row, : int(label_length[row])].tolist()} in batch element {row} "
                f"(label_length {int(label_length[row])}).",
            )
    labels = torch.where(valid, labels, blank)
    if log_probs.dtype not in (torch.float32, torch.float64):
        log_probs = log_probs.float()
    # A label needs a time step per symbol plus one between repeated symbols; without
    # them no alignment exists. torch's loss is inf there with NaN gradients, which would
    # poison every weight of a batch: TensorFlow's v1 op (Keras 2's ctc_batch_cost) gives
    # an infinite loss and zero gradients for that sample, and so does tork (TF 2's dense
    # loss gives a large finite value, ~709, and finite gradients).
    repeats = ((labels[:, 1:] == labels[:, :-1]) & valid[:, 1:]).sum(1)
    impossible = label_length + repeats > logit_length
    loss = F.ctc_loss(
        log_probs.transpose(0, 1),
        labels,
        logit_length,
        label_length,
        blank=blank,
        reduction="none",
        zero_infinity=True,
    )
    loss = torch.where(impossible, torch.full_like(loss, float("inf")), loss)
    if null_label_padding:
        loss = _ctc_v1_empty_rows(loss, log_probs[..., blank], label_length, logit_length)
    return loss


def _ctc_v1_empty_rows(loss, blank_log_probs, label_length, logit_length):
    """TF 1's CTC op's value for a row whose labels are all null (length 0 after cutting).

    For such a row TF's backward pass also marks the blank one step before the end as
    a final state, so with T >= 2 valid steps it returns
    `-(sum_{t < T-1} log p_blank(t) + log(1 + p_blank(T-1)))` instead of
    `-sum_t log p_blank(t)`. The same value is given here.
    """
    empty = (label_length == 0) & (logit_length >= 2)
    if not values_readable(empty) or not bool(empty.any()):
        return loss
    steps = torch.arange(blank_log_probs.shape[1], device=loss.device)
    head = (blank_log_probs * (steps < logit_length[:, None] - 1)).sum(dim=1)
    last = blank_log_probs.gather(1, (logit_length - 1).clamp(min=0)[:, None]).squeeze(1)
    value = -(head + torch.log1p(torch.exp(last)))
    return torch.where(empty, value.to(loss.dtype), loss)


def _ctc_null_label_lengths(labels, label_length, classes: int, owner: str):
    """Label lengths cut at the first null label (>= `classes - 1`), as TF's v1 CTC op."""
    steps = torch.arange(labels.shape[1], device=labels.device)
    in_prefix = steps < label_length[:, None]
    null = in_prefix & (labels >= classes - 1)
    first_null = torch.where(null.any(dim=1), null.int().argmax(dim=1), label_length)
    after = in_prefix & (steps >= first_null[:, None]) & ~null
    if bool(after.any()):
        row = int(after.any(dim=1).nonzero()[0])
        raise InvalidArgumentError(
            None,
            None,
            f"{owner}: Saw a non-null label (index >= num_classes - 1) following a null "
            f"label, batch: {row} num_classes: {classes} labels: "
            f"{','.join(str(v) for v in labels[row, : int(label_length[row])].tolist())}",
        )
    return torch.minimum(label_length, first_null)


def ctc_loss(
    labels,
    logits,
    label_length,
    logit_length,
    logits_time_major: bool = True,
    unique=None,
    blank_index: int | None = None,
    name: str | None = None,
) -> torch.Tensor:
    """Computes the CTC (Connectionist Temporal Classification) loss per example.

    Args:
        labels: dense integer labels of shape `(batch, max_label_len)`; entries past
            `label_length` are ignored. A label equal to a `blank_index` > 0 counts
            as class `blank_index - 1`, as in TensorFlow. Or a `tf.SparseTensor` of
            labels (then `blank_index` is required and `label_length` unused): row
            `b`'s stored values, in order, are example `b`'s labels, and TensorFlow
            1's CTC rules apply (see `tf.compat.v1.nn.ctc_loss`).
        logits: unnormalised scores, `(time, batch, classes)` when
            `logits_time_major` (default) else `(batch, time, classes)`.
        label_length: `(batch,)` integer label lengths.
        logit_length: `(batch,)` integer numbers of valid time steps.
        logits_time_major: layout of `logits`.
        unique: accepted for compatibility and ignored (an optimisation in TF; the
            loss is the same).
        blank_index: the blank class; None means 0, as TF does for dense labels.
            Negative values count from the end (-1: the last class).
        name: ignored.

    Returns:
        The negative log-likelihood of each label sequence, shape `(batch,)`.

    Example:
    >>> logits = tf.zeros([4, 1, 3])  # time-major: 4 steps, batch 1, 3 classes
    >>> tf.nn.ctc_loss([[1, 2]], logits, [2], [4])  # blank 0; -log(15/81)
    tensor([1.6864])
    """
    del unique, name
    if _is_sparse(labels):
        return _ctc_sparse_v2(labels, logits, logit_length, logits_time_major, blank_index)
    logits = _float(logits, "tf.nn.ctc_loss")
    if logits.dim() != 3:
        raise ValueError(
            "tf.nn.ctc_loss: expected 3-D logits, (time, batch, classes) with "
            f"logits_time_major=True or (batch, time, classes) otherwise, got {_shape_str(logits.shape)}."
        )
    if logits_time_major:
        logits = logits.transpose(0, 1)
    blank = 0 if blank_index is None else int(blank_index)
    return _ctc_core(
        torch.log_softmax(logits, dim=-1),
        labels,
        label_length,
        logit_length,
        blank,
        "tf.nn.ctc_loss",
    )


def _is_sparse(value) -> bool:
    from tork._backend.sparse_tensor import SparseTensor

    return isinstance(value, SparseTensor)


def _ctc_sparse_v2(labels, logits, logit_length, time_major: bool, blank_index):
    """TF 2's `ctc_loss` with SparseTensor labels: TF 1's loss with the blank moved last."""
    if blank_index is None:
        raise ValueError(
            "tf.nn.ctc_loss: Argument `blank_index` must be provided when `labels` is a "
            "`SparseTensor`."
        )
    logits = _float(logits, "tf.nn.ctc_loss")
    if logits.dim() != 3:
        raise ValueError(f"tf.nn.ctc_loss: expected 3-D logits, got {_shape_str(logits.shape)}.")
    classes = logits.shape[-1]
    blank = int(blank_index)
    if blank < 0:
        blank += classes
    if not 0 <= blank < classes:
        raise ValueError(
            f"tf.nn.ctc_loss: blank index {blank_index} is out of range for {classes} classes."
        )
    values = labels.values
    if blank != classes - 1:
        # As TF does: the blank's scores move to the end and every label from the blank
        # up drops by one (a label equal to the blank lands on the class before it).
        order = [c for c in range(classes) if c != blank] + [blank]
        logits = logits[..., order]
        values = torch.where(values < blank, values, values - 1)
    return _ctc_v1(
        labels.indices,
        values,
        logits,
        logit_length,
        False,
        True,
        False,
        time_major,
        "tf.nn.ctc_loss",
    )


def _ctc_v1(
    indices,
    values,
    logits,
    sequence_length,
    collapse: bool,
    merge_repeated: bool,
    ignore_longer: bool,
    time_major: bool,
    owner: str,
):
    """TF 1's CTC loss op: sparse labels, blank last, labels >= classes - 1 end a row."""
    logits = _float(logits, owner)
    if logits.dim() != 3:
        raise ValueError(
            f"{owner}: expected 3-D inputs, (max_time, batch, classes) with time_major=True "
            f"or (batch, max_time, classes) otherwise, got {_shape_str(logits.shape)}."
        )
    if time_major:
        logits = logits.transpose(0, 1)
    batch, steps, classes = logits.shape
    lengths = _t(sequence_length).reshape(-1).to(torch.int64)
    if lengths.numel() != batch:
        raise InvalidArgumentError(
            None,
            None,
            f"{owner}: len(sequence_length) != batch_size. len(sequence_length): "
            f"{lengths.numel()} batch_size: {batch}",
        )
    host_lengths = lengths.tolist()
    for b, n in enumerate(host_lengths):
        if n < 0 or n > steps:
            raise InvalidArgumentError(
                None,
                None,
                f"{owner}: sequence_length({b}) = {n} must lie in [0, {steps}] (max_time).",
            )
    idx = _t(indices).to(torch.int64).cpu().reshape(-1, 2).tolist()
    vals = _t(values).to(torch.int64).cpu().reshape(-1).tolist()
    rows: list[list[int]] = [[] for _ in range(batch)]
    for i, (row, col) in enumerate(idx):
        if i and (row, col) <= tuple(idx[i - 1]):
            how = "repeated" if (row, col) == tuple(idx[i - 1]) else "out of order"
            raise InvalidArgumentError(
                None,
                None,
                f"{owner}: label SparseTensor is not valid: indices[{i}] = [{row},{col}] is "
                f"{how}. The indices must be sorted; use `tf.sparse.reorder` to sort them.",
            )
        if not 0 <= row < batch:
            raise InvalidArgumentError(
                None,
                None,
                f"{owner}: label SparseTensor is not valid: indices[{i}] = [{row},{col}] is "
                f"out of bounds: the batch size (len(sequence_length)) is {batch}.",
            )
        # TF reads each row's stored values in order; their column indices do not matter.
        rows[row].append(vals[i])
    too_long = []
    for b, row in enumerate(rows):
        if not row:
            raise InvalidArgumentError(None, None, f"{owner}: Labels length is zero in batch {b}")
        if min(row) < 0:
            raise InvalidArgumentError(
                None,
                None,
                f"{owner}: All labels must be nonnegative integers, batch: {b} labels: "
                f"{','.join(map(str, row))}",
            )
        # A label >= classes - 1 is "null" and ends the row; TF refuses a real label after
        # one before it looks at lengths (also with ignore_longer_outputs_than_inputs).
        nulls = [i for i, v in enumerate(row) if v >= classes - 1]
        if nulls and any(v < classes - 1 for v in row[nulls[0] :]):
            raise InvalidArgumentError(
                None,
                None,
                f"{owner}: Saw a non-null label (index >= num_classes - 1) following a null "
                f"label, batch: {b} num_classes: {classes} labels: {','.join(map(str, row))}",
            )
        # TF compares the stored count (before collapsing repeats or null labels).
        if len(row) > host_lengths[b]:
            if not ignore_longer:
                raise InvalidArgumentError(
                    None,
                    None,
                    f"{owner}: Not enough time for target transition sequence (required: "
                    f"{len(row)}, available: {host_lengths[b]}). You can turn this error "
                    "into a warning by using the flag ignore_longer_outputs_than_inputs",
                )
            too_long.append(b)
            rows[b] = []
        elif collapse:
            rows[b] = [v for i, v in enumerate(row) if i == 0 or v != row[i - 1]]
    width = max(len(r) for r in rows)
    dense = torch.zeros(batch, max(width, 1), dtype=torch.int64)
    for b, row in enumerate(rows):
        dense[b, : len(row)] = torch.tensor(row, dtype=torch.int64)
    label_length = torch.tensor([len(r) for r in rows], dtype=torch.int64)
    log_probs = torch.log_softmax(
        logits if logits.dtype in (torch.float32, torch.float64) else logits.float(), dim=-1
    )
    if merge_repeated:
        loss = _ctc_core(
            log_probs, dense, label_length, lengths, classes - 1, owner, null_label_padding=True
        )
    else:
        lab = _ctc_null_label_lengths(dense, label_length, classes, owner)
        steps_used = lengths.to(log_probs.device)
        loss = _ctc_no_merge(log_probs, dense, lab, steps_used)
        loss = _ctc_v1_empty_rows(loss, log_probs[..., -1], lab.to(loss.device), steps_used)
    if too_long:
        # ignore_longer_outputs_than_inputs: such examples give 0 (and no gradient).
        skip = torch.zeros(batch, dtype=torch.bool, device=loss.device)
        skip[too_long] = True
        loss = torch.where(skip, torch.zeros_like(loss), loss)
    return loss.to(logits.dtype)


def _ctc_no_merge(log_probs, labels, label_length, logit_length):
    """CTC loss where every label frame is one output label (TF 1's ctc_merge_repeated=False).

    The usual CTC forward recursion over the blank-interleaved labels, except that a
    label state has no self-loop (a label held for two frames means the label twice) and
    a label may follow an equal one directly.
    """
    batch, steps, classes = log_probs.shape
    blank = classes - 1
    device = log_probs.device
    labels = labels.to(device)
    label_length = label_length.to(device)
    states = 2 * labels.shape[1] + 1
    ext = torch.full((batch, states), blank, dtype=torch.int64, device=device)
    ext[:, 1::2] = torch.where(labels < classes, labels, blank)
    is_label = torch.zeros(states, dtype=torch.bool, device=device)
    is_label[1::2] = True
    neg_inf = torch.tensor(-math.inf, dtype=log_probs.dtype, device=device)
    alpha = torch.full((batch, states), -math.inf, dtype=log_probs.dtype, device=device)
    emit = log_probs.gather(2, ext[:, None, :].expand(batch, steps, states))
    alpha[:, 0] = emit[:, 0, 0]
    if states > 1:
        alpha[:, 1] = emit[:, 0, 1]
    for t in range(1, steps):
        stay = torch.where(is_label, neg_inf, alpha)
        step1 = F.pad(alpha[:, :-1], (1, 0), value=-math.inf)
        step2 = torch.where(is_label, F.pad(alpha[:, :-2], (2, 0), value=-math.inf), neg_inf)
        new = _log_sum_exp0(torch.stack([stay, step1, step2])) + emit[:, t]
        # Examples whose sequence has ended keep their last alphas.
        alpha = torch.where((t < logit_length)[:, None], new, alpha)
    last = 2 * label_length
    end = torch.stack(
        [
            alpha.gather(1, last[:, None]).squeeze(1),
            torch.where(
                label_length > 0,
                alpha.gather(1, (last - 1).clamp(min=0)[:, None]).squeeze(1),
                neg_inf,
            ),
        ]
    )
    return -_log_sum_exp0(end)


def _log_sum_exp0(x):
    """logsumexp over dim 0 whose gradient is 0 (not NaN) where every term is -inf."""
    dead = torch.isneginf(x).all(dim=0)
    out = torch.logsumexp(torch.where(dead, torch.zeros_like(x), x), dim=0)
    return torch.where(dead, torch.full_like(out, -math.inf), out)


def _ctc_loss_v1(
    labels,
    inputs=None,
    sequence_length=None,
    preprocess_collapse_repeated: bool = False,
    ctc_merge_repeated: bool = True,
    ignore_longer_outputs_than_inputs: bool = False,
    time_major: bool = True,
    logits=None,
) -> torch.Tensor:
    """`tf.compat.v1.nn.ctc_loss`: TensorFlow 1's CTC loss, with SparseTensor labels.

    The inputs are unnormalised scores (a log-softmax is applied); the blank is the
    LAST class. Row `b` of `labels` holds example `b`'s labels in storage order. A
    label >= `num_classes - 1` ends its row ("null" label); a real label after it is
    an error.

    Args:
        labels: an int `tf.SparseTensor` of shape `(batch, max_label_len)`, indices sorted.
        inputs: float scores, `(max_time, batch, num_classes)` when `time_major` else
            `(batch, max_time, num_classes)`.
        sequence_length: `(batch,)` numbers of valid time steps.
        preprocess_collapse_repeated: merge repeated labels before computing the loss.
        ctc_merge_repeated: if False, every frame of a label is a separate output label
            (a label held for two frames means the label twice).
        ignore_longer_outputs_than_inputs: give 0 (instead of an error) for examples with
            more labels than time steps.
        time_major: the layout of `inputs`.
        logits: the deprecated name of `inputs`.

    Returns:
        The negative log-likelihood of each example, shape `(batch,)`.

    Raises:
        TypeError: `labels` is not a SparseTensor.
        InvalidArgumentError: a row without labels, a negative label, unsorted indices,
            more labels than time steps, or a real label after a null one.

    Example:
    >>> labels = tf.SparseTensor([[0, 0], [0, 1]], [0, 1], [1, 2])
    >>> tf.compat.v1.nn.ctc_loss(labels, tf.zeros([4, 1, 3]), [4])  # blank 2; -log(15/81)
    tensor([1.6864])
    """
    if inputs is not None and logits is not None:
        raise ValueError("Cannot specify both 'logits' and 'inputs'.")
    if inputs is None:
        inputs = logits
    if not _is_sparse(labels):
        raise TypeError(
            "Expected argument `labels` to be a SparseTensor. Received labels="
            f"{labels} of type: {type(labels).__name__}"
        )
    return _ctc_v1(
        labels.indices,
        labels.values,
        inputs,
        sequence_length,
        bool(preprocess_collapse_repeated),
        bool(ctc_merge_repeated),
        bool(ignore_longer_outputs_than_inputs),
        bool(time_major),
        "tf.compat.v1.nn.ctc_loss",
    )


# ---------------------------------------------------------------- less common ops


def crelu(features, axis=-1, name: str | None = None) -> torch.Tensor:
    """Concatenated ReLU: `concat([relu(x), relu(-x)], axis)`, doubling that dimension.

    Args:
        features: a float tensor.
        axis: where to concatenate (default the last dimension).
        name: unused.

    Returns:
        A tensor with `axis` twice as long.

    Example:
    >>> tf.nn.crelu([-1.0, 2.0]).tolist()
    [0.0, 2.0, 1.0, 0.0]
    """
    del name
    x = _float(features, "crelu")
    return torch.cat([torch.relu(x), torch.relu(-x)], dim=int(_scalar_value(axis)))


def sufficient_statistics(x, axes, shift=None, keepdims: bool = False, name: str | None = None):
    """Counts, sums and sums of squares of `x` over `axes` (for `normalize_moments`).

    Args:
        x: a float tensor.
        axes: the dimensions to reduce.
        shift: optional value subtracted from `x` before summing (or None).
        keepdims: keep reduced dimensions with size 1.
        name: unused.

    Returns:
        A tuple `(count, mean_ss, var_ss, shift)`: the number of reduced elements
        (a scalar of x's dtype), the sum of (x - shift), the sum of (x - shift)**2,
        and the shift (None if none was given).

    Example:
    >>> c, s, ss, _ = tf.nn.sufficient_statistics(tf.constant([1.0, 3.0]), axes=[0])
    >>> c.item(), s.item(), ss.item()
    (2.0, 4.0, 10.0)
    """
    del name
    t = _float(x, "sufficient_statistics")
    dims = _reduce_dims(t, axes)
    count = 1
    for d in dims if dims is not None else range(t.dim()):
        count *= t.shape[d]
    m = t if shift is None else t - _like(shift, t)
    keep = bool(keepdims)
    total = m.sum(dim=dims, keepdim=keep) if dims else m.clone()
    squares = (m * m).sum(dim=dims, keepdim=keep) if dims else m * m
    counts = torch.tensor(float(count), dtype=t.dtype, device=t.device)
    return counts, total, squares, (None if shift is None else _like(shift, t))


def normalize_moments(counts, mean_ss, variance_ss, shift, name: str | None = None):
    """Turns the sufficient statistics into a mean and (biased) variance.

    Args:
        counts: the number of elements summed.
        mean_ss: the sum of the (shifted) elements.
        variance_ss: the sum of their squares.
        shift: the shift used (or None).
        name: unused.

    Returns:
        A tuple `(mean, variance)`.

    Example:
    >>> m, v = tf.nn.normalize_moments(2.0, tf.constant(4.0), tf.constant(10.0), None)
    >>> m.item(), v.item()
    (2.0, 1.0)
    """
    del name
    ss = _t(mean_ss)
    divisor = 1 / _like(counts, ss)
    shifted_mean = ss * divisor
    mean = shifted_mean if shift is None else shifted_mean + _like(shift, ss)
    variance = _like(variance_ss, ss) * divisor - shifted_mean * shifted_mean
    return mean, variance


def weighted_moments(x, axes, frequency_weights, keepdims: bool = False, name: str | None = None):
    """Weighted mean and (biased) variance of `x` over `axes`.

    Args:
        x: a float tensor.
        axes: the dimensions to reduce.
        frequency_weights: weights broadcastable to `x`.
        keepdims: keep reduced dimensions with size 1.
        name: unused.

    Returns:
        A tuple `(mean, variance)`; 0 where the weights sum to 0.

    Example:
    >>> m, v = tf.nn.weighted_moments(tf.constant([1.0, 3.0]), [0], tf.constant([1.0, 3.0]))
    >>> m.item(), v.item()
    (2.5, 0.75)
    """
    del name
    t = _float(x, "weighted_moments")
    w = _like(frequency_weights, t).to(t.dtype)
    dims = _reduce_dims(t, axes)
    w = torch.broadcast_to(w, torch.broadcast_shapes(w.shape, t.shape))
    total = (w * t).sum(dim=dims, keepdim=True)
    weight = w.sum(dim=dims, keepdim=True)
    zero = weight == 0
    safe = torch.where(zero, torch.ones_like(weight), weight)
    mean = torch.where(zero, torch.zeros_like(total), total / safe)
    dev = t - mean
    var_total = (w * dev * dev).sum(dim=dims, keepdim=True)
    var = torch.where(zero, torch.zeros_like(var_total), var_total / safe)
    if not keepdims:
        mean = mean.squeeze(dims) if dims else mean.reshape(())
        var = var.squeeze(dims) if dims else var.reshape(())
    return mean, var


def log_poisson_loss(targets, log_input, compute_full_loss: bool = False, name: str | None = None):
    """Poisson negative log likelihood given the log of the predicted rate.

    `exp(log_input) - log_input * targets`, plus Stirling's approximation of
    `log(targets!)` (for targets > 1) when `compute_full_loss` is True.

    Args:
        targets: the observed counts.
        log_input: the log of the predicted rates, same shape.
        compute_full_loss: add the Stirling term.
        name: unused.

    Returns:
        The elementwise loss.

    Example:
    >>> round(float(tf.nn.log_poisson_loss(tf.constant(1.0), tf.constant(0.0))), 6)
    1.0
    """
    del name
    lg = _float(log_input, "log_poisson_loss")
    z = _like(targets, lg).to(lg.dtype)
    loss = torch.exp(lg) - lg * z
    if compute_full_loss:
        stirling = z * torch.log(z) - z + 0.5 * torch.log(2 * torch.pi * z)
        loss = loss + torch.where(z > 1, stirling, torch.zeros_like(z))
    return loss


def max_pool_with_argmax(
    input,
    ksize,
    strides,
    padding,
    data_format="NHWC",
    output_dtype=torch.int64,
    include_batch_in_index: bool = False,
    name: str | None = None,
):
    """2-D max pooling that also returns where each maximum came from.

    The index of input element `[b, y, x, c]` is `((b * height + y) * width + x) *
    channels + c` with `include_batch_in_index=True`, else `(y * width + x) *
    channels + c`.

    Args:
        input: a 4-D NHWC float tensor.
        ksize: the window size (an int or a list of 1, 2 or 4 ints).
        strides: the stride (an int or a list of 1, 2 or 4 ints).
        padding: `'SAME'` or `'VALID'`.
        data_format: only `'NHWC'`.
        output_dtype: int64 (default) or int32.
        include_batch_in_index: include the batch index in the flat index.
        name: unused.

    Returns:
        A tuple `(output, argmax)` of the pooled shape.

    Example:
    >>> out, idx = tf.nn.max_pool_with_argmax(tf.reshape(tf.range(4.0), (1, 2, 2, 1)), 2, 2, "VALID")
    >>> out.numpy().ravel().tolist(), idx.numpy().ravel().tolist()
    ([3.0], [3])
    """
    del name
    from tork._backend.dtypes import as_dtype

    op = "max_pool_with_argmax"
    x = _t(input)
    if data_format != "NHWC" or x.dim() != 4:
        raise ValueError(
            f"{op}: needs a 4-D NHWC input, got shape {_shape_str(x.shape)} and "
            f"data_format={data_format!r}."
        )
    k = _spatial_ints(ksize, 2, True, "ksize", op)
    s = _spatial_ints(strides, 2, True, "strides", op)
    b, h, w, c = x.shape
    pads = _pads_for(padding, (h, w), k, s, (1, 1), True, op, explicit=False)
    _check_window_fits(op, x, (h, w), pads, k, (1, 1), padding)
    xt = F.pad(_to_channels_first(x, 2, True), _flat(pads), value=float("-inf"))
    y, flat = F.max_pool2d(xt, k, s, return_indices=True)
    # torch's indices are row-major positions in the padded plane of each (batch, channel).
    wp = w + pads[1][0] + pads[1][1]
    row = torch.div(flat, wp, rounding_mode="floor") - pads[0][0]
    col = flat % wp - pads[1][0]
    chan = torch.arange(c, device=x.device).view(1, c, 1, 1)
    index = (row * w + col) * c + chan
    if include_batch_in_index:
        index = index + torch.arange(b, device=x.device).view(b, 1, 1, 1) * (h * w * c)
    return (
        _from_channels_first(y, 2, True),
        _from_channels_first(index, 2, True).to(as_dtype(output_dtype)),
    )


__all__ += [
    "crelu",
    "log_poisson_loss",
    "max_pool_with_argmax",
    "normalize_moments",
    "sufficient_statistics",
    "weighted_moments",
    "zero_fraction",
]


# ---------------------------------------------------------------- morphology, decoders, sampled losses

from tork.ops._ctc_decode import ctc_beam_search_decoder, ctc_greedy_decoder  # noqa: E402
from tork.ops._embedding_sparse import (  # noqa: E402
    embedding_lookup_sparse,
    safe_embedding_lookup_sparse,
)
from tork.ops._nn_more import (  # noqa: E402
    batch_norm_with_global_normalization,
    collapse_repeated,
    conv_transpose,
    ctc_unique_labels,
    erosion2d,
)
from tork.ops._sampled_losses import nce_loss, sampled_softmax_loss  # noqa: E402
from tork.ops._space_batch import space_to_batch  # noqa: E402

__all__ += ["embedding_lookup_sparse", "safe_embedding_lookup_sparse", "space_to_batch"]
__all__ += [
    "batch_norm_with_global_normalization",
    "collapse_repeated",
    "conv_transpose",
    "ctc_unique_labels",
    "erosion2d",
]


def _four(values, what: str, batch_msg: str):
    v = [int(_scalar_value(s)) for s in (values if isinstance(values, (list, tuple)) else [values])]
    if len(v) != 4:
        raise InvalidArgumentError(
            f"tf.nn.dilation2d: {what} must have 4 elements [1, h, w, 1], got {len(v)}."
        )
    if v[0] != 1 or v[3] != 1:
        from tork._backend.errors import UnimplementedError

        raise UnimplementedError(f"tf.nn.dilation2d: {batch_msg}")
    return v[1], v[2]


def dilation2d(input, filters, strides, padding, data_format, dilations, name=None):
    """Grayscale morphological dilation of NHWC images by a per-channel structuring element.

    `out[b, y, x, c] = max over (dy, dx) of
    input[b, y*sh + dy*rh - pad_top, x*sw + dx*rw - pad_left, c] + filters[dy, dx, c]`,
    where cells outside the image take no part (as TensorFlow pads with -infinity).

    Args:
        input: a `(batch, height, width, depth)` tensor.
        filters: a `(filter_height, filter_width, depth)` tensor.
        strides: `[1, stride_height, stride_width, 1]`.
        padding: `'SAME'` or `'VALID'`.
        data_format: must be `'NHWC'`.
        dilations: `[1, rate_height, rate_width, 1]`.
        name: unused.

    Returns:
        A `(batch, out_height, out_width, depth)` tensor; the gradient flows to the input
        cell and filter entry that reached the maximum.

    Raises:
        ValueError: for a `data_format` other than NHWC.
        InvalidArgumentError: for bad shapes, strides, dilations or padding.
        UnimplementedError: for a stride or rate other than 1 on the batch or depth axis.

    Example:
    >>> x = tf.reshape(tf.range(9.0), (1, 3, 3, 1))
    >>> y = tf.nn.dilation2d(x, tf.zeros((2, 2, 1)), [1, 1, 1, 1], "VALID", "NHWC",
    ...                      [1, 1, 1, 1])
    >>> tf.reshape(y, (-1,)).tolist()
    [4.0, 5.0, 7.0, 8.0]
    """
    del name
    if data_format != "NHWC":
        raise ValueError(
            "tf.nn.dilation2d: data_format values other than 'NHWC' are not supported. "
            f"Received: data_format={data_format}"
        )
    if padding not in ("SAME", "VALID"):
        raise InvalidArgumentError(
            f"tf.nn.dilation2d: padding must be 'SAME' or 'VALID', got {padding!r}."
        )
    sh, sw = _four(strides, "strides", "stride is only supported across spatial dimensions.")
    rh, rw = _four(dilations, "dilations", "rate is only supported across spatial dimensions.")
    x = _t(input)
    f = _like(filters, x)
    if x.dim() != 4:
        raise InvalidArgumentError(
            f"tf.nn.dilation2d: input must be 4-dimensional (batch, height, width, depth), "
            f"got shape {_shape_str(x.shape)}."
        )
    if f.dim() != 3:
        raise InvalidArgumentError(
            f"tf.nn.dilation2d: filters must be 3-dimensional (height, width, depth), got "
            f"shape {_shape_str(f.shape)}."
        )
    if x.shape[3] != f.shape[2]:
        raise InvalidArgumentError(
            f"tf.nn.dilation2d: input and filter must have the same depth: {x.shape[3]} vs "
            f"{f.shape[2]}."
        )
    if f.dtype != x.dtype:
        common = torch.promote_types(x.dtype, f.dtype)
        x, f = x.to(common), f.to(common)
    dtype = x.dtype
    if not dtype.is_floating_point:
        # Integer images: dilate exactly in float64 and cast back.
        x, f = x.double(), f.double()
    n, h, w, c = x.shape
    kh, kw = f.shape[0], f.shape[1]
    eff_h, eff_w = (kh - 1) * rh + 1, (kw - 1) * rw + 1
    if padding == "SAME":
        top, bottom = same_pads(h, kh, sh, rh)
        left, right = same_pads(w, kw, sw, rw)
    else:
        top = bottom = left = right = 0
    out_h = (h + top + bottom - eff_h) // sh + 1
    out_w = (w + left + right - eff_w) // sw + 1
    if out_h <= 0 or out_w <= 0:
        return torch.zeros((n, max(out_h, 0), max(out_w, 0), c), dtype=dtype, device=x.device)
    images = x.permute(0, 3, 1, 2)
    images = F.pad(images, (left, right, top, bottom), value=float("-inf"))
    patches = F.unfold(images, (kh, kw), dilation=(rh, rw), stride=(sh, sw))
    patches = patches.reshape(n, c, kh * kw, out_h * out_w)
    scores = patches + f.permute(2, 0, 1).reshape(1, c, kh * kw, 1)
    # max with an index: the whole gradient goes to one cell, as in TensorFlow.
    best = scores.max(dim=2).values
    out = best.reshape(n, c, out_h, out_w).permute(0, 2, 3, 1)
    return out.to(dtype) if out.dtype != dtype else out


# The ops above that take RaggedTensors hand them to tork/_backend/ragged_tensor.py.
from tork._backend import ragged_tensor as _ragged  # noqa: E402

_ragged.install(globals())
