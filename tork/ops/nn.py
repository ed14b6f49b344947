"""`tf.nn`: activations, dropout, moments and cross-entropies over torch.

Convolutions and pooling are not here (they raise a clear NotImplementedError);
Keras layers implement them on torch directly.
"""

from __future__ import annotations

import numbers

import torch
import torch.nn.functional as F

from tork._backend.dtypes import dtype_name
from tork._backend.errors import module_getattr
from tork._backend.tracing import values_readable
from tork.ops.array import _index, _like, _scalar_value, _shape_str, _t, gather
from tork.ops.debugging import InvalidArgumentError
from tork.ops.math import (
    _float,
    _reduce_dims,
    in_top_k,
    l2_normalize,
    log_softmax,
    sigmoid,
    softmax,
    softplus,
    softsign,
    tanh,
    top_k,
)
from tork.ops.random import _generator_for

__all__ = [
    "batch_normalization",
    "bias_add",
    "compute_average_loss",
    "dropout",
    "elu",
    "embedding_lookup",
    "gelu",
    "in_top_k",
    "l2_loss",
    "l2_normalize",
    "leaky_relu",
    "log_softmax",
    "moments",
    "relu",
    "relu6",
    "scale_regularization_loss",
    "selu",
    "sigmoid",
    "sigmoid_cross_entropy_with_logits",
    "silu",
    "softmax",
    "softmax_cross_entropy_with_logits",
    "softplus",
    "softsign",
    "sparse_softmax_cross_entropy_with_logits",
    "swish",
    "tanh",
    "top_k",
    "weighted_cross_entropy_with_logits",
]

__getattr__ = module_getattr("tf.nn")


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
    return F.relu6(_float(features, "relu6"))


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
    return F.selu(_float(features, "selu"))


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


def silu(features, beta=1.0, name: str | None = None) -> torch.Tensor:
    """Sigmoid linear unit (swish): features * sigmoid(beta * features).

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


swish = silu


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
        return t
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
    x, axes, shift=None, keepdims: bool = False, name: str | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean and (biased) variance of `x` over `axes`.

    Args:
        x: a float tensor.
        axes: the dimensions to reduce.
        shift: unused.
        keepdims: keep reduced dimensions with size 1.
        name: unused.

    Returns:
        A tuple `(mean, variance)`.

    Example:
    >>> m, v = tf.nn.moments(tf.constant([1.0, 3.0]), axes=[0])
    >>> m.item(), v.item()
    (2.0, 1.0)
    """
    del shift, name
    t = _float(x, "moments")
    dims = _reduce_dims(t, axes)
    work = t.float() if t.dtype in (torch.float16, torch.bfloat16) else t
    var, mean = torch.var_mean(work, dim=dims, correction=0, keepdim=bool(keepdims))
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
    b = _like(bias, v)
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
        params: a 2-D (or higher) embedding table.
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
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            from tork._backend.errors import not_implemented

            raise not_implemented("tf.nn.embedding_lookup with partitioned params")
        params = params[0]
    out = gather(params, ids)
    if max_norm is not None:
        norms = torch.linalg.vector_norm(
            out, dim=tuple(range(_index(ids).dim(), out.dim())), keepdim=True
        )
        out = out * torch.clamp(max_norm / torch.clamp(norms, min=1e-12), max=1.0)
    return out


def compute_average_loss(
    per_example_loss, sample_weight=None, global_batch_size=None
) -> torch.Tensor:
    """Sums per-example losses and divides by the global batch size.

    Args:
        per_example_loss: per-example losses.
        sample_weight: optional weights, broadcast to the losses.
        global_batch_size: the divisor (defaults to the number of examples).

    Returns:
        A 0-D tensor.

    Example:
    >>> tf.nn.compute_average_loss([1.0, 3.0]).item()
    2.0
    """
    loss = _float(per_example_loss, "compute_average_loss")
    if sample_weight is not None:
        loss = loss * _like(sample_weight, loss)
    n = loss.shape[0] if global_batch_size is None and loss.dim() else global_batch_size
    n = 1 if n is None else int(_scalar_value(n))
    return torch.sum(loss) / n


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
        return F.cross_entropy(z, y)
    axis = int(axis)
    if axis not in (1, 1 - z.dim()):
        z, y = z.movedim(axis, 1), y.movedim(axis, 1)
    return F.cross_entropy(z, y, reduction="none")


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
    return F.binary_cross_entropy_with_logits(z, y, pos_weight=w, reduction="none")
