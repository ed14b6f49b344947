"""`keras.ops.nn`: Keras 3's neural-network ops (activations, losses, normalization)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from tork._backend.dtypes import floatx_dtype
from tork._backend.errors import module_getattr, not_implemented
from tork._backend.tracing import values_readable
from tork.keras.ops._utils import _axes, _axis, _dtype, _float, _t

__all__ = [
    "batch_normalization",
    "binary_crossentropy",
    "categorical_crossentropy",
    "celu",
    "ctc_decode",
    "ctc_loss",
    "elu",
    "gelu",
    "glu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "log_sigmoid",
    "log_softmax",
    "moments",
    "multi_hot",
    "normalize",
    "one_hot",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "silu",
    "soft_shrink",
    "softmax",
    "softplus",
    "softsign",
    "sparse_categorical_crossentropy",
    "sparse_plus",
    "sparsemax",
    "squareplus",
    "swish",
    "tanh_shrink",
    "threshold",
]

_EPSILON = 1e-7  # keras.backend.epsilon()


def _x(x) -> torch.Tensor:
    return _float(_t(x))


def relu(x) -> torch.Tensor:
    """Rectified linear unit: `max(x, 0)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.relu([-1.0, 2.0])  # [0., 2.]
    """
    return torch.relu(_t(x))


def relu6(x) -> torch.Tensor:
    """ReLU capped at 6: `min(max(x, 0), 6)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.relu6([-1.0, 8.0])  # [0., 6.]
    """
    return F.relu6(_t(x))


def sigmoid(x) -> torch.Tensor:
    """Logistic sigmoid: `1 / (1 + exp(-x))`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.sigmoid([0.0])  # [0.5]
    """
    return torch.sigmoid(_x(x))


def log_sigmoid(x) -> torch.Tensor:
    """`log(sigmoid(x))`, computed stably.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.log_sigmoid([0.0])  # [-0.6931]
    """
    return F.logsigmoid(_x(x))


def softplus(x) -> torch.Tensor:
    """`log(exp(x) + 1)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.softplus([0.0])  # [0.6931]
    """
    x = _x(x)
    # Exact form (torch's softplus switches to `x` past a threshold).
    return torch.logaddexp(x, torch.zeros((), dtype=x.dtype, device=x.device))


def softsign(x) -> torch.Tensor:
    """`x / (abs(x) + 1)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.softsign([1.0])  # [0.5]
    """
    return F.softsign(_x(x))


def silu(x) -> torch.Tensor:
    """SiLU / swish: `x * sigmoid(x)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.silu([0.0])  # [0.]
    """
    return F.silu(_x(x))


def swish(x) -> torch.Tensor:
    """Alias of `silu`: `x * sigmoid(x)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.swish([0.0])  # [0.]
    """
    return silu(x)


def hard_sigmoid(x) -> torch.Tensor:
    """Piecewise-linear sigmoid: `relu6(x + 3) / 6`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.hard_sigmoid([0.0, 4.0])  # [0.5, 1.]
    """
    return F.hardsigmoid(_x(x))


def hard_silu(x) -> torch.Tensor:
    """`x * hard_sigmoid(x)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.hard_silu([3.0])  # [3.]
    """
    return F.hardswish(_x(x))


def hard_swish(x) -> torch.Tensor:
    """Alias of `hard_silu`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.hard_swish([-3.0])  # [0.]
    """
    return hard_silu(x)


def hard_tanh(x) -> torch.Tensor:
    """`clip(x, -1, 1)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.hard_tanh([-2.0, 0.5])  # [-1., 0.5]
    """
    return F.hardtanh(_x(x))


def tanh_shrink(x) -> torch.Tensor:
    """`x - tanh(x)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.tanh_shrink([0.0])  # [0.]
    """
    return F.tanhshrink(_x(x))


def soft_shrink(x, threshold: float = 0.5) -> torch.Tensor:
    """Moves values towards 0 by `threshold`, zeroing those within it.

    Args:
        x: Input tensor.
        threshold: Shrink amount.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.soft_shrink([-1.0, 0.2, 1.0])  # [-0.5, 0., 0.5]
    """
    return F.softshrink(_x(x), threshold)


def hard_shrink(x, threshold: float = 0.5) -> torch.Tensor:
    """Zeroes values with `|x| <= threshold`.

    Args:
        x: Input tensor.
        threshold: Cut-off.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.hard_shrink([-1.0, 0.2])  # [-1., 0.]
    """
    return F.hardshrink(_x(x), threshold)


def sparse_plus(x) -> torch.Tensor:
    """0 for `x <= -1`, `(x + 1)**2 / 4` for `|x| < 1`, `x` for `x >= 1`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.sparse_plus([-2.0, 0.0, 2.0])  # [0., 0.25, 2.]
    """
    x = _x(x)
    mid = torch.square(x + 1) / 4
    return torch.where(x <= -1, torch.zeros_like(x), torch.where(x >= 1, x, mid))


def squareplus(x, b: float = 4) -> torch.Tensor:
    """`(x + sqrt(x**2 + b)) / 2`.

    Args:
        x: Input tensor.
        b: Smoothness (> 0).

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.squareplus([0.0])  # [1.]
    """
    x = _x(x)
    return (x + torch.sqrt(torch.square(x) + b)) / 2


def sparsemax(x, axis: int = -1) -> torch.Tensor:
    """Sparsemax: the Euclidean projection of `x` onto the probability simplex along `axis`.

    Like softmax it gives non-negative values summing to 1, but small entries become
    exactly 0: `max(x - tau, 0)` with `tau` chosen so the outputs sum to 1.

    Args:
        x: Input tensor (float).
        axis: The axis to normalise.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.sparsemax([1.0, 2.0, 2.5])  # [0., 0.25, 0.75]
    """
    x = _float(_x(x))
    a = _axis(axis, x.dim())
    ordered = torch.sort(x, dim=a, descending=True).values
    cumulative = ordered.cumsum(a)
    shape = [1] * x.dim()
    shape[a] = -1
    rank = torch.arange(1, x.shape[a] + 1, dtype=x.dtype, device=x.device).reshape(shape)
    # Entry k (1-based, sorted) is in the support while 1 + k * z_k > sum of the top k.
    support = (1 + rank * ordered) > cumulative
    k = support.sum(a, keepdim=True)
    # tau uses the cumulative sum at the last entry of the support (k - 1, 0-based).
    top = torch.gather(cumulative, a, (k - 1).clamp(min=0))
    tau = (top - 1) / k.to(x.dtype)
    return torch.clamp(x - tau, min=0)


def threshold(x, threshold, default_value) -> torch.Tensor:
    """Keeps `x` where `x > threshold` and puts `default_value` elsewhere.

    Args:
        x: Input tensor.
        threshold: The cut-off (values at or below it are replaced).
        default_value: The replacement value.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.ops.threshold([-1.0, 0.5, 0.9], 0.5, 7.0)  # [7., 7., 0.9]
    """
    x = _t(x)  # an integer input stays integer, as in Keras
    fill = torch.as_tensor(default_value, device=x.device).to(x.dtype)
    return torch.where(x > threshold, x, fill)


def leaky_relu(x, negative_slope: float = 0.2) -> torch.Tensor:
    """`x` for `x >= 0`, else `negative_slope * x`.

    Args:
        x: Input tensor.
        negative_slope: Slope of the negative part (Keras 3 default 0.2).

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.leaky_relu([-1.0, 1.0])  # [-0.2, 1.]
    """
    return F.leaky_relu(_x(x), negative_slope)


def elu(x, alpha: float = 1.0) -> torch.Tensor:
    """`x` for `x > 0`, else `alpha * (exp(x) - 1)`.

    Args:
        x: Input tensor.
        alpha: Scale of the negative part.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.elu([-1.0])  # [-0.6321]
    """
    return F.elu(_x(x), alpha)


def selu(x) -> torch.Tensor:
    """Scaled ELU with the self-normalising constants.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.selu([1.0])  # [1.0507]
    """
    return F.selu(_x(x))


def celu(x, alpha: float = 1.0) -> torch.Tensor:
    """`max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`.

    Args:
        x: Input tensor.
        alpha: Scale.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.celu([-1.0])  # [-0.6321]
    """
    return F.celu(_x(x), alpha)


def gelu(x, approximate: bool = True) -> torch.Tensor:
    """Gaussian error linear unit; Keras 3 defaults to the tanh approximation.

    Args:
        x: Input tensor.
        approximate: Use `0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x**3)))`
            (default) instead of the exact `x * Phi(x)`.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.gelu([1.0])  # [0.8412]
    """
    return F.gelu(_x(x), approximate="tanh" if approximate else "none")


def glu(x, axis: int = -1) -> torch.Tensor:
    """Gated linear unit: `a * sigmoid(b)` where `a, b` are the halves of `x` along `axis`.

    Args:
        x: Input tensor; `axis` must have even size.
        axis: Axis to split.

    Returns:
        A tensor with half the size along `axis`.

    Example:
    >>> keras.ops.glu([1.0, 0.0])  # [0.5]
    """
    x = _x(x)
    a = _axis(axis, x.dim())
    if x.shape[a] % 2:
        raise ValueError(
            f"keras.ops.glu: axis {axis} of shape {tuple(x.shape)} has odd size {x.shape[a]}; "
            "it must split into two equal halves."
        )
    return F.glu(x, dim=a)


def _softmax_like(x, axis, log: bool) -> torch.Tensor:
    x = _x(x)
    if isinstance(axis, (tuple, list)):
        dims = _axes(axis, x.dim())
        shifted = x - torch.logsumexp(x, dim=dims, keepdim=True)
        return shifted if log else torch.exp(shifted)
    return (torch.log_softmax if log else torch.softmax)(x, dim=axis)


def softmax(x, axis: int = -1) -> torch.Tensor:
    """`exp(x) / sum(exp(x))` along `axis` (an int or a tuple).

    Args:
        x: Input tensor.
        axis: Axis or axes to normalise over.

    Returns:
        A tensor of the same shape whose slices sum to 1.

    Example:
    >>> keras.ops.softmax([0.0, 0.0])  # [0.5, 0.5]
    """
    return _softmax_like(x, axis, log=False)


def log_softmax(x, axis: int = -1) -> torch.Tensor:
    """`x - logsumexp(x)` along `axis`.

    Args:
        x: Input tensor.
        axis: Axis or axes to normalise over.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.ops.log_softmax([0.0, 0.0])  # [-0.6931, -0.6931]
    """
    return _softmax_like(x, axis, log=True)


def one_hot(x, num_classes: int, axis: int = -1, dtype=None, sparse: bool = False):
    """One-hot encodes integer `x`; out-of-range (e.g. negative) indices give all zeros.

    Args:
        x: Integer tensor of class indices.
        num_classes: Number of classes.
        axis: Where the class axis goes.
        dtype: Output dtype (default float32).
        sparse: Unsupported (must be False).

    Returns:
        A tensor with one more axis than `x`.

    Example:
    >>> keras.ops.one_hot([0, 2], 3)  # [[1., 0., 0.], [0., 0., 1.]]
    """
    if sparse:
        raise not_implemented("keras.ops.one_hot(sparse=True)")
    x = _t(x)
    if x.is_floating_point():
        raise TypeError(
            f"keras.ops.one_hot needs integer class indices; got dtype {x.dtype}. "
            "Cast with keras.ops.cast(x, 'int32')."
        )
    n = int(num_classes)
    idx = x.long()
    valid = (idx >= 0) & (idx < n)
    out = F.one_hot(torch.where(valid, idx, torch.zeros_like(idx)), n)
    out = (out * valid.unsqueeze(-1)).to(_dtype(dtype) or floatx_dtype())
    if axis != -1:
        out = torch.movedim(out, -1, _axis(axis, out.dim()))
    return out


def multi_hot(inputs, num_classes: int | None = None, axis: int = -1, dtype=None, sparse=False):
    """Multi-hot encodes integer `inputs`: one row per sample with 1 at each listed class.

    Args:
        inputs: Integer tensor `(num_indices,)` or `(batch, num_indices)`.
        num_classes: Number of classes.
        axis: Where the class axis goes.
        dtype: Output dtype (default float32).
        sparse: Unsupported (must be False).

    Returns:
        `(num_classes,)` or `(batch, num_classes)`.

    Example:
    >>> keras.ops.multi_hot([[0, 2], [1, 1]], 3)  # [[1., 0., 1.], [0., 1., 0.]]
    """
    if num_classes is None:
        raise ValueError("keras.ops.multi_hot needs `num_classes`.")
    x = _t(inputs)
    encoded = one_hot(x, num_classes, axis=axis, dtype=dtype, sparse=sparse)
    reduce_axis = 1 if x.dim() > 1 else 0
    return torch.amax(encoded, dim=reduce_axis)


def _same_shape(target: torch.Tensor, output: torch.Tensor, name: str) -> None:
    if target.shape != output.shape:
        raise ValueError(
            f"keras.ops.{name}: target and output must have the same shape; got "
            f"target.shape={tuple(target.shape)}, output.shape={tuple(output.shape)}."
        )


def binary_crossentropy(target, output, from_logits: bool = False) -> torch.Tensor:
    """Element-wise binary crossentropy (no reduction).

    Args:
        target: Labels in `[0, 1]`.
        output: Probabilities, or logits when `from_logits`.
        from_logits: Whether `output` is logits.

    Returns:
        The loss, same shape as `output`.

    Example:
    >>> keras.ops.binary_crossentropy([1.0], [0.9])  # [0.1054]
    """
    output = _x(output)
    target = _t(target).to(output.dtype)
    _same_shape(target, output, "binary_crossentropy")
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    p = torch.clamp(output, _EPSILON, 1.0 - _EPSILON)
    return -(target * torch.log(p) + (1.0 - target) * torch.log1p(-p))


def categorical_crossentropy(target, output, from_logits: bool = False, axis: int = -1):
    """Categorical crossentropy between one-hot `target` and `output`, reduced over `axis`.

    Args:
        target: One-hot (or soft) labels, same shape as `output`.
        output: Probabilities (renormalised to sum to 1), or logits when `from_logits`.
        from_logits: Whether `output` is logits.
        axis: The class axis.

    Returns:
        The loss, `output`'s shape without `axis`.

    Example:
    >>> keras.ops.categorical_crossentropy([[0.0, 1.0]], [[0.2, 0.8]])  # [0.2231]
    """
    output = _x(output)
    target = _t(target).to(output.dtype)
    _same_shape(target, output, "categorical_crossentropy")
    a = _axis(axis, output.dim())
    if from_logits:
        logp = torch.log_softmax(output, dim=a)
    else:
        probs = output / torch.sum(output, dim=a, keepdim=True)
        logp = torch.log(torch.clamp(probs, _EPSILON, 1.0 - _EPSILON))
    return -torch.sum(target * logp, dim=a)


def sparse_categorical_crossentropy(target, output, from_logits: bool = False, axis: int = -1):
    """Categorical crossentropy with integer class `target`.

    Args:
        target: Integer labels, `output`'s shape without `axis` (a trailing 1 is allowed).
        output: Probabilities, or logits when `from_logits`.
        from_logits: Whether `output` is logits.
        axis: The class axis.

    Returns:
        The loss, same shape as `target`.

    Example:
    >>> keras.ops.sparse_categorical_crossentropy([1], [[0.2, 0.8]])  # [0.2231]
    """
    output = _x(output)
    target = _t(target)
    a = _axis(axis, output.dim())
    if target.dim() == output.dim() and target.shape[-1] == 1:
        target = target.squeeze(-1)
    expected = tuple(s for d, s in enumerate(output.shape) if d != a)
    if tuple(target.shape) != expected:
        raise ValueError(
            f"keras.ops.sparse_categorical_crossentropy: target shape {tuple(target.shape)} "
            f"must equal output shape {tuple(output.shape)} without the class axis {axis} "
            f"(i.e. {expected})."
        )
    if from_logits:
        logp = torch.log_softmax(output, dim=a)
    else:
        probs = output / torch.sum(output, dim=a, keepdim=True)
        logp = torch.log(torch.clamp(probs, _EPSILON, 1.0 - _EPSILON))
    target = target.long()
    classes = output.shape[a]
    if target.numel() and values_readable(target):
        # On every device: on a GPU a bad label is a device-side assert, fatal to the process.
        lo, hi = int(target.min()), int(target.max())
        if lo < 0 or hi >= classes:
            raise ValueError(
                f"keras.ops.sparse_categorical_crossentropy: target value {lo if lo < 0 else hi} "
                f"is outside the valid class range [0, {classes - 1}] of output shape "
                f"{tuple(output.shape)}."
            )
    picked = torch.gather(logp, a, target.unsqueeze(a)).squeeze(a)
    return -picked


def moments(x, axes, keepdims: bool = False, synchronized: bool = False):
    """Mean and (population) variance of `x` over `axes`.

    float16/bfloat16 inputs are computed in float32 and cast back.

    Args:
        x: Input tensor.
        axes: Axis or axes to reduce.
        keepdims: Keep reduced axes with size 1.
        synchronized: Accepted for compatibility (single-process only).

    Returns:
        `(mean, variance)`.

    Example:
    >>> keras.ops.moments([1.0, 3.0], axes=[0])  # (2., 1.)
    """
    del synchronized
    x = _x(x)
    low = x.dtype in (torch.float16, torch.bfloat16)
    work = x.float() if low else x
    dims = _axes(axes, x.dim())
    variance = torch.var(work, dim=dims, correction=0, keepdim=keepdims)
    # A separate mean: torch.var_mean's single pass turns an infinite mean into NaN.
    mean = torch.mean(work, dim=dims, keepdim=keepdims)
    if low:
        mean, variance = mean.to(x.dtype), variance.to(x.dtype)
    return mean, variance


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset`, with 1-D stats along `axis`.

    Args:
        x: Input tensor.
        mean: 1-D mean, one value per entry of `axis`.
        variance: 1-D variance.
        axis: The feature axis of `x`.
        offset: Optional 1-D offset (beta).
        scale: Optional 1-D scale (gamma).
        epsilon: Added to the variance.

    Returns:
        The normalised tensor.

    Example:
    >>> keras.ops.batch_normalization(x, mean, var, axis=-1)
    """
    x = _x(x)
    a = _axis(axis, x.dim())
    shape = [-1 if d == a else 1 for d in range(x.dim())]

    def stat(v):
        v = _t(v).to(x.dtype)
        if v.dim() == 1 and v.shape[0] not in (1, x.shape[a]):
            raise ValueError(
                f"keras.ops.batch_normalization: statistics of shape {tuple(v.shape)} do not "
                f"match axis {axis} of size {x.shape[a]} (x shape {tuple(x.shape)})."
            )
        return v.reshape(shape) if v.dim() == 1 else v

    inv = torch.rsqrt(stat(variance) + epsilon)
    if scale is not None:
        inv = inv * stat(scale)
    out = (x - stat(mean)) * inv
    return out + stat(offset) if offset is not None else out


def normalize(x, axis: int = -1, order: int = 2, epsilon: float | None = None) -> torch.Tensor:
    """Scales `x` to unit `order`-norm along `axis`.

    Args:
        x: Input tensor.
        axis: Axis to normalise over.
        order: Norm order (2 by default).
        epsilon: Lower bound of the norm (default 1e-7, squared-norm bound for order 2).

    Returns:
        The normalised tensor.

    Example:
    >>> keras.ops.normalize([3.0, 4.0])  # [0.6, 0.8]
    """
    x = _x(x)
    eps = _EPSILON if epsilon is None else epsilon
    if order == 2:
        sq = torch.sum(torch.square(x), dim=axis, keepdim=True)
        return x * torch.rsqrt(torch.clamp_min(sq, eps))
    norm = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
    return x / torch.clamp_min(norm, eps)


def ctc_loss(target, output, target_length, output_length, mask_index: int = 0) -> torch.Tensor:
    """CTC (Connectionist Temporal Classification) loss of each batch element.

    Args:
        target: `(batch, max_label_len)` integer labels; entries past
            `target_length` are ignored.
        output: `(batch, max_length, num_classes)` logits (log-softmax is applied).
        target_length: `(batch,)` label lengths.
        output_length: `(batch,)` numbers of valid time steps in `output`.
        mask_index: the blank class.

    Returns:
        The per-example loss, shape `(batch,)`.

    Example:
    >>> keras.ops.ctc_loss([[1, 2]], keras.ops.zeros((1, 4, 3)), [2], [4])  # [1.6864]
    """
    from tork.ops.nn import _ctc_core

    output = _x(output)
    if output.dim() != 3:
        raise ValueError(
            "keras.ops.ctc_loss: expected output of shape (batch, max_length, num_classes), "
            f"got {tuple(output.shape)}."
        )
    if output.dtype not in (torch.float32, torch.float64):
        output = output.float()
    return _ctc_core(
        torch.log_softmax(output, dim=-1),
        target,
        target_length,
        output_length,
        int(mask_index),
        "keras.ops.ctc_loss",
    )


def _ctc_greedy(scores, lengths, blank: int, merge_repeated: bool, owner: str):
    """Best-path decoding: `(decoded (batch, time) int64 padded with -1, -sum of maxima (batch, 1))`."""
    from tork.ops.nn import _ctc_lengths

    batch, steps, _ = scores.shape
    lengths = _ctc_lengths(lengths, batch, "sequence_lengths", owner, scores.device)
    best, idx = scores.max(dim=-1)
    valid = torch.arange(steps, device=scores.device) < lengths[:, None]
    keep = valid & (idx != blank)
    if merge_repeated and steps > 1:
        # A repeat is dropped only when it directly follows the same class; a blank
        # between two equal classes keeps both.
        same = torch.zeros_like(keep)
        same[:, 1:] = idx[:, 1:] == idx[:, :-1]
        keep &= ~same
    # Move kept classes to the front in time order (stable sort on a 0/1 key).
    order = torch.argsort((~keep).to(torch.int8), dim=1, stable=True)
    decoded = torch.where(keep, idx, -1).gather(1, order)
    neg_sum = -(best * valid).sum(dim=1, keepdim=True)
    return decoded, neg_sum


def ctc_decode(
    inputs,
    sequence_lengths,
    strategy: str = "greedy",
    beam_width: int = 100,
    top_paths: int = 1,
    merge_repeated: bool = True,
    mask_index: int | None = 0,
):
    """Decodes the output of a CTC model (greedy or beam search).

    Args:
        inputs: `(batch, max_length, num_classes)` logits.
        sequence_lengths: `(batch,)` numbers of valid time steps.
        strategy: "greedy" (best path) or "beam_search" (TensorFlow's CTC beam
            search over softmax-normalized logits).
        beam_width: the number of prefixes the beam search keeps.
        top_paths: the number of paths the beam search returns (greedy: one).
        merge_repeated: merge consecutive repeated classes before removing blanks
            (greedy only; the beam search keeps labels a blank separates apart).
        mask_index: the blank class; None means the last class.

    Returns:
        A tuple `(decoded, scores)`: `decoded` is int32 of shape
        `(top_paths, batch, max_length)`, padded with -1. Greedy: `scores` is
        `(batch, 1)`, the negative sum over valid steps of the maximal input;
        beam search: `(batch, top_paths)`, the log-probability of each path.

    Example:
    >>> logits = keras.ops.convert_to_tensor([[[0.0, 5.0], [5.0, 0.0], [0.0, 5.0]]])
    >>> keras.ops.ctc_decode(logits, [3])[0]  # [[[1, 1, -1]]]
    """
    owner = "keras.ops.ctc_decode"
    if strategy not in ("greedy", "beam_search"):
        raise ValueError(
            f"{owner}: invalid strategy {strategy!r}. Supported strategies: 'greedy' and "
            "'beam_search'."
        )
    inputs = _x(inputs)
    if inputs.dim() != 3:
        raise ValueError(
            f"{owner}: expected inputs of shape (batch, max_length, num_classes), got "
            f"{tuple(inputs.shape)}."
        )
    classes = inputs.shape[-1]
    blank = classes - 1 if mask_index is None else int(mask_index) % classes
    if strategy == "beam_search":
        return _ctc_beam_search(inputs, sequence_lengths, blank, beam_width, top_paths, owner)
    decoded, neg_sum = _ctc_greedy(inputs, sequence_lengths, blank, merge_repeated, owner)
    return decoded.to(torch.int32)[None], neg_sum


def _ctc_beam_search(inputs, lengths, blank: int, beam_width, top_paths, owner: str):
    """`ctc_decode`'s beam search: TF's decoder with the blank moved to the last class."""
    from tork.ops._ctc_decode import ctc_beam_search_decoder
    from tork.ops.nn import _ctc_lengths

    batch, steps, classes = inputs.shape
    if inputs.dtype != torch.float64:
        inputs = inputs.to(torch.float32)
    lengths = _ctc_lengths(lengths, batch, "sequence_lengths", owner, inputs.device)
    if blank != classes - 1:
        # TF's decoder takes the last class as the blank.
        order = [c for c in range(classes) if c != blank] + [blank]
        inputs = inputs[..., order]
    decoded, scores = ctc_beam_search_decoder(
        inputs.transpose(0, 1), lengths, beam_width=beam_width, top_paths=top_paths
    )
    dense = torch.full((len(decoded), batch, steps), -1, dtype=torch.int32, device=inputs.device)
    for j, path in enumerate(decoded):
        rows, cols = path.indices[:, 0], path.indices[:, 1]
        labels = path.values.to(torch.int32)
        # Undo the move: classes from the blank's old index on were shifted down by one.
        labels = torch.where(labels >= blank, labels + 1, labels)
        dense[j, rows, cols] = labels
    return dense, scores


__getattr__ = module_getattr("keras.ops.nn")
