"""Probabilistic losses: crossentropies (plain and focal), KL divergence, Poisson.

Probabilities are clipped to `[1e-7, 1 - 1e-7]` before the log; binary
crossentropy also adds 1e-7 inside each log, as Keras 2 does (Keras 3 does not:
a confident wrong prediction costs 15.33 in Keras 2 and 15.94 in Keras 3). Logits
use torch's fused, numerically stable kernels. When `from_logits=False` and the
predictions came out of tork's sigmoid/softmax (they carry `_keras_logits`),
the crossentropies use those logits instead, as TensorFlow Keras does: a
sigmoid of logit 40 against label 0 gives 40.0, not the clipped 15.94. With
`from_logits=True` on such predictions, Keras also uses the logits (it does not
apply the activation twice) and warns; so does tork.
"""

from __future__ import annotations

import math
import warnings

import torch
import torch.nn.functional as F

from tork._backend.tracing import values_readable
from tork._backend.value_range import known_range
from tork._symbolic import symbolic_op
from tork._warnings import warn_user
from tork.keras.losses._utils import (
    EPSILON,
    as_float,
    as_tensor,
    like,
    prepare,
    raise_label_range,
    recover_logits,
    shape_str,
    sparse_labels,
    squeeze_or_expand,
)
from tork.keras.losses.loss import LossFunctionWrapper, reduce_weighted_values
from tork.ops.nn import _tf_logits_gradient


def _activation_logits(y_pred, from_logits, activation, fn_name):
    """`(y_pred, from_logits)`, with the logits if `y_pred` came out of `activation`.

    As TensorFlow Keras: predictions from a sigmoid/softmax are replaced by their logits
    whatever `from_logits` says, and `from_logits=True` on them also warns (the
    activation would otherwise be applied twice).
    """
    logits = recover_logits(y_pred, activation)
    if logits is None:
        return y_pred, from_logits
    if from_logits:
        warnings.warn(
            f'"`{fn_name}` received `from_logits=True`, but the `output` argument was '
            f"produced by a {activation.capitalize()} activation and thus does not represent "
            "logits. Was this intended?",
            stacklevel=4,
        )
    return logits, True


# On CUDA an out-of-range label is a fatal device-side assert, not an exception.
# The first calls check labels on the host (a sync) so typical label bugs get a
# clear error; later calls clamp the labels and turn bad rows into NaN instead.
_cuda_label_checks = [25]


def _bce_from_probs(y_true, p):
    p = p.clamp(EPSILON, 1.0 - EPSILON)
    # Keras 2's formula: clip, then add epsilon inside each log as well.
    # A plain formula rather than F.binary_cross_entropy: that kernel asserts on NaN
    # inputs on CUDA (a fatal error), where a diverging model must just report NaN.
    return -(y_true * torch.log(p + EPSILON) + (1.0 - y_true) * torch.log(1.0 - p + EPSILON))


def _bce(y_true, y_pred, owner, from_logits=False, label_smoothing=0.0, axis=-1, _mean=False):
    y_pred, from_logits = _activation_logits(y_pred, from_logits, "sigmoid", "binary_crossentropy")
    y_true, y_pred = prepare(y_true, y_pred, owner)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        if _mean:
            # The mean over every element equals the mean of the per-sample means.
            return F.binary_cross_entropy_with_logits(y_pred, y_true)
        return F.binary_cross_entropy_with_logits(y_pred, y_true, reduction="none").mean(dim=axis)
    losses = _bce_from_probs(y_true, y_pred)
    return losses.mean() if _mean else losses.mean(dim=axis)


def _binary_focal(
    y_true,
    y_pred,
    owner,
    apply_class_balancing=False,
    alpha=0.25,
    gamma=2.0,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
):
    probs = None
    if not from_logits:
        logits = recover_logits(y_pred, "sigmoid")
        if logits is not None:
            # tf.keras: the crossentropy term from the kept logits, the focal factor from
            # the predictions as given (they differ for a softmax output's logits).
            probs = y_pred
            y_pred, from_logits = logits, True
    y_true, y_pred = prepare(y_true, y_pred, owner)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        bce = F.binary_cross_entropy_with_logits(y_pred, y_true, reduction="none")
        p = torch.sigmoid(y_pred) if probs is None else probs.to(y_pred.dtype)
    else:
        bce = _bce_from_probs(y_true, y_pred)
        p = y_pred
    p_t = y_true * p + (1.0 - y_true) * (1.0 - p)
    losses = torch.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        losses = (y_true * alpha + (1.0 - y_true) * (1.0 - alpha)) * losses
    return losses.mean(dim=axis)


def _cce_inputs(y_true, y_pred, owner, loss_name="categorical_crossentropy"):
    y_pred = as_float(as_tensor(y_pred))
    if y_pred.dim() and y_pred.shape[-1] == 1:
        # One class: every probability renormalises to 1, so the loss is 0 and the
        # model never learns. Keras 2 warns; a sigmoid output wants binary_crossentropy.
        warn_user(
            f"In loss {loss_name}, expected y_pred.shape to be (batch_size, num_classes) "
            f"with num_classes > 1. Received: y_pred.shape={shape_str(y_pred)}. Consider "
            "using 'binary_crossentropy' if you only have 2 classes.",
            SyntaxWarning,
        )
    y_true = like(as_tensor(y_true), y_pred)
    if y_true.shape != y_pred.shape:
        y_true, y_pred = squeeze_or_expand(y_true, y_pred)
        if y_true.shape != y_pred.shape:
            _raise_cce_shape(y_true, y_pred, owner)
    return y_true, y_pred


def _raise_cce_shape(y_true, y_pred, owner):
    message = (
        f"{owner} expects one-hot labels of the predictions' shape {shape_str(y_pred)}, but "
        f"got labels of shape {shape_str(y_true)}."
    )
    batch = tuple(y_pred.shape[:-1])
    if y_pred.dim() > 0 and tuple(y_true.shape) in (batch, batch + (1,)):
        message += (
            " These look like integer class indices: use SparseCategoricalCrossentropy, or "
            "one-hot encode the labels (keras.utils.to_categorical)."
        )
    else:
        message += " Make the last layer output one unit per class."
    raise ValueError(message)


def _cce(y_true, y_pred, owner, from_logits=False, label_smoothing=0.0, axis=-1, _mean=False):
    y_pred, from_logits = _activation_logits(
        y_pred, from_logits, "softmax", "categorical_crossentropy"
    )
    y_true, y_pred = _cce_inputs(y_true, y_pred, owner)
    if from_logits and y_pred.dim() == 2 and axis in (-1, 1):
        # One fused kernel; its soft-label smoothing is y(1 - ls) + ls / C, as Keras.
        losses = F.cross_entropy(
            y_pred, y_true, reduction="none", label_smoothing=float(label_smoothing)
        )
        mass = y_true.sum(dim=axis)
        if label_smoothing:
            mass = mass * (1.0 - label_smoothing) + label_smoothing
        losses = losses - _tf_logits_gradient(mass, y_pred, axis)
        return losses.mean() if _mean else losses
    if label_smoothing:
        num_classes = y_pred.shape[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    if from_logits:
        losses = -(y_true * F.log_softmax(y_pred, dim=axis)).sum(dim=axis)
        losses = losses - _tf_logits_gradient(y_true.sum(dim=axis), y_pred, axis)
    else:
        p = y_pred / y_pred.sum(dim=axis, keepdim=True)
        p = p.clamp(EPSILON, 1.0 - EPSILON)
        losses = -(y_true * torch.log(p)).sum(dim=axis)
    return losses.mean() if _mean else losses


def _categorical_focal(
    y_true,
    y_pred,
    owner,
    alpha=0.25,
    gamma=2.0,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
):
    y_true, y_pred = _cce_inputs(y_true, y_pred, owner, "categorical_focal_crossentropy")
    if label_smoothing:
        # Keras counts the classes on the last axis here, whatever `axis` is.
        num_classes = y_true.shape[-1]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    if from_logits:
        y_pred = torch.softmax(y_pred, dim=axis)
    p = y_pred / y_pred.sum(dim=axis, keepdim=True)
    p = p.clamp(EPSILON, 1.0 - EPSILON)
    losses = alpha * torch.pow(1.0 - p, gamma) * (-y_true * torch.log(p))
    return losses.sum(dim=axis)


def _guard_cuda_labels(labels, num_classes, owner, ignore_class):
    if _cuda_label_checks[0] > 0 and values_readable(labels):
        _cuda_label_checks[0] -= 1
        bad = (labels < 0) | (labels >= num_classes)
        if ignore_class is not None:
            bad &= labels != ignore_class
        if bool(bad.any()):
            raise_label_range(labels, num_classes, owner, ignore_class)
        return labels, None
    safe = labels.clamp(0, num_classes - 1)
    if ignore_class is not None:
        safe = torch.where(labels == ignore_class, labels, safe)
    return safe, safe != labels


def _flatten_label_rank(y_true, y_pred: torch.Tensor):
    """Labels whose rank is not `y_pred`'s rank - 1, laid out as `y_pred.shape[:-1]`.

    Keras 2 flattens such labels and the class scores alike, so a one-step decoder's
    labels of shape (batch,) fit predictions of shape (batch, 1, classes) (seq2seq
    training loops rely on it). Keras 3 raises instead; tork follows Keras 2.
    """
    labels = as_tensor(y_true)
    if not isinstance(labels, torch.Tensor) or labels.dim() == y_pred.dim() - 1:
        return y_true
    batch = tuple(y_pred.shape[:-1])
    if tuple(labels.shape) == batch + (1,) or labels.numel() != math.prod(batch):
        return y_true  # the squeezable trailing 1, or a mismatch sparse_labels reports
    return labels.reshape(batch)


def _scce(y_true, y_pred, owner, from_logits=False, ignore_class=None, axis=-1, _mean=False):
    y_pred, from_logits = _activation_logits(
        y_pred, from_logits, "softmax", "sparse_categorical_crossentropy"
    )
    y_pred = as_float(as_tensor(y_pred))
    if y_pred.dim() == 0:
        raise ValueError(
            f"{owner} expects predictions with a class axis, shape (batch, num_classes); got a "
            "scalar."
        )
    if axis != -1 and axis != y_pred.dim() - 1:
        y_pred = y_pred.movedim(axis, -1)
    # The (min, max) that `fit` read once from array targets on an accelerator: labels known
    # to be class indices need no per-batch guard.
    known = known_range(y_true) if values_readable(y_pred) else None
    labels = sparse_labels(_flatten_label_rank(y_true, y_pred), y_pred, owner)
    num_classes = y_pred.shape[-1]
    poisoned = None
    if labels.device.type != "cpu" and not (
        known is not None and known[0] >= 0 and known[1] < num_classes
    ):
        labels, poisoned = _guard_cuda_labels(labels, num_classes, owner, ignore_class)
    ignored = None if ignore_class is None else labels == ignore_class
    # With a plain mean wanted and nothing to mask, torch's fused mean is Keras's
    # sum_over_batch_size (the sum over every label divided by their number).
    fused_mean = _mean and ignored is None and poisoned is None
    try:
        if from_logits:
            flat = y_pred.dim() != 2
            losses = F.cross_entropy(
                y_pred.reshape(-1, num_classes) if flat else y_pred,
                labels.reshape(-1) if flat else labels,
                reduction="mean" if fused_mean else "none",
                ignore_index=-100 if ignore_class is None else int(ignore_class),
            )
            if fused_mean:
                return losses
            if flat:
                losses = losses.reshape(labels.shape)
        else:
            index = labels if ignored is None else labels.masked_fill(ignored, 0)
            # Keras clips the probabilities first and then normalises them (a softmax of
            # their log), so outputs that are not a distribution (a Dense layer without
            # softmax) give Keras's value: log(sum(clip(p))) - log(clip(p_label)).
            clipped = y_pred.clamp(EPSILON, 1.0 - EPSILON)
            picked = clipped.gather(-1, index.unsqueeze(-1)).squeeze(-1)
            losses = torch.log(clipped.sum(dim=-1)) - torch.log(picked)
            if ignored is not None:
                losses = losses.masked_fill(ignored, 0.0)
    except (IndexError, RuntimeError):
        raise_label_range(labels, num_classes, owner, ignore_class)
        raise
    if poisoned is not None:
        losses = losses.masked_fill(poisoned, float("nan"))
    if ignored is not None:
        # The reduction divides by the number of non-ignored labels.
        if _mean:
            return reduce_weighted_values(losses, None, ~ignored, "sum_over_batch_size")
        losses._keras_mask = ~ignored
    return losses.mean() if _mean else losses


def _kld(y_true, y_pred, owner):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    y_true = y_true.clamp(EPSILON, 1.0)
    y_pred = y_pred.clamp(EPSILON, 1.0)
    return (y_true * torch.log(y_true / y_pred)).sum(dim=-1)


def _poisson(y_true, y_pred, owner):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    return (y_pred - y_true * torch.log(y_pred + EPSILON)).mean(dim=-1)


@symbolic_op("keras.losses")
def binary_crossentropy(
    y_true, y_pred, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> torch.Tensor:
    """Binary crossentropy, averaged over `axis`.

    Probabilities: `-(y log(p + 1e-7) + (1 - y) log(1 - p + 1e-7))` with `p`
    clipped to `[1e-7, 1 - 1e-7]` (Keras 2's formula). Logits: `max(z, 0) - z y + log(1 + exp(-|z|))`.

    Args:
        y_true: labels in [0, 1].
        y_pred: probabilities, or logits when `from_logits=True`.
        from_logits: whether `y_pred` are logits.
        label_smoothing: labels become `y (1 - ls) + 0.5 ls`.
        axis: the axis averaged over.

    Returns:
        Per-sample losses.

    Example:
    >>> keras.losses.binary_crossentropy([[0.0, 1.0]], [[0.4, 0.6]])  # [0.5108]
    """
    return _bce(y_true, y_pred, "binary_crossentropy", from_logits, label_smoothing, axis)


@symbolic_op("keras.losses")
def binary_focal_crossentropy(
    y_true,
    y_pred,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Binary focal crossentropy: `(1 - p_t)^gamma * bce`, averaged over `axis`.

    `p_t = y p + (1 - y)(1 - p)`. With `apply_class_balancing`, multiplied by
    `y alpha + (1 - y)(1 - alpha)`.

    Args:
        y_true: labels in [0, 1].
        y_pred: probabilities, or logits when `from_logits=True`.
        apply_class_balancing: whether to weight by `alpha`.
        alpha: the positive class weight.
        gamma: the focusing parameter.
        from_logits: whether `y_pred` are logits.
        label_smoothing: labels become `y (1 - ls) + 0.5 ls`.
        axis: the axis averaged over.

    Returns:
        Per-sample losses.

    Example:
    >>> keras.losses.binary_focal_crossentropy([[0.0, 1.0]], [[0.4, 0.6]], gamma=2.0)
    """
    return _binary_focal(
        y_true,
        y_pred,
        "binary_focal_crossentropy",
        apply_class_balancing,
        alpha,
        gamma,
        from_logits,
        label_smoothing,
        axis,
    )


@symbolic_op("keras.losses")
def categorical_crossentropy(
    y_true, y_pred, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> torch.Tensor:
    """Categorical crossentropy `-sum(y log p)` over `axis`, for one-hot labels.

    Probabilities are renormalised to sum to 1 and clipped to `[1e-7, 1 - 1e-7]`;
    logits go through a fused log-softmax.

    Args:
        y_true: one-hot (or soft) labels of the predictions' shape.
        y_pred: probabilities, or logits when `from_logits=True`.
        from_logits: whether `y_pred` are logits.
        label_smoothing: labels become `y (1 - ls) + ls / num_classes`.
        axis: the class axis.

    Returns:
        Per-sample losses.

    Example:
    >>> keras.losses.categorical_crossentropy([[0, 1, 0]], [[0.05, 0.95, 0.0]])  # [0.0513]
    """
    return _cce(y_true, y_pred, "categorical_crossentropy", from_logits, label_smoothing, axis)


@symbolic_op("keras.losses")
def categorical_focal_crossentropy(
    y_true,
    y_pred,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Categorical focal crossentropy: `-sum(alpha (1 - p)^gamma y log p)` over `axis`.

    Args:
        y_true: one-hot labels of the predictions' shape.
        y_pred: probabilities, or logits when `from_logits=True`.
        alpha: the weighting factor.
        gamma: the focusing parameter.
        from_logits: whether `y_pred` are logits (softmax is applied).
        label_smoothing: labels become `y (1 - ls) + ls / num_classes`.
        axis: the class axis.

    Returns:
        Per-sample losses.

    Example:
    >>> keras.losses.categorical_focal_crossentropy([[0, 1, 0]], [[0.05, 0.95, 0.0]])
    """
    return _categorical_focal(
        y_true,
        y_pred,
        "categorical_focal_crossentropy",
        alpha,
        gamma,
        from_logits,
        label_smoothing,
        axis,
    )


@symbolic_op("keras.losses")
def sparse_categorical_crossentropy(
    y_true, y_pred, from_logits: bool = False, ignore_class: int | None = None, axis: int = -1
) -> torch.Tensor:
    """Categorical crossentropy with integer class labels.

    Args:
        y_true: class indices, shape `y_pred.shape[:-1]` (or with a trailing 1).
        y_pred: class probabilities, or logits when `from_logits=True`.
        from_logits: whether `y_pred` are logits.
        ignore_class: a label value whose entries get loss 0 and are left out of
            the average.
        axis: the class axis of `y_pred`.

    Returns:
        Per-sample losses, shape `y_pred.shape[:-1]`.

    Example:
    >>> keras.losses.sparse_categorical_crossentropy([1], [[0.05, 0.95, 0.0]])  # [0.0513]
    """
    return _scce(y_true, y_pred, "sparse_categorical_crossentropy", from_logits, ignore_class, axis)


@symbolic_op("keras.losses")
def kl_divergence(y_true, y_pred) -> torch.Tensor:
    """Kullback-Leibler divergence `sum(y log(y / p))`, both clipped to `[1e-7, 1]`.

    Args:
        y_true: the target distribution.
        y_pred: the predicted distribution, same shape.

    Returns:
        Per-sample divergences (summed over the last axis).

    Example:
    >>> keras.losses.kl_divergence([[0.5, 0.5]], [[0.25, 0.75]])
    """
    return _kld(y_true, y_pred, "kl_divergence")


@symbolic_op("keras.losses")
def poisson(y_true, y_pred) -> torch.Tensor:
    """Poisson loss `mean(y_pred - y_true * log(y_pred + 1e-7))` over the last axis.

    Args:
        y_true: observed counts.
        y_pred: predicted rates, same shape.

    Returns:
        Per-sample losses.

    Example:
    >>> keras.losses.poisson([[1.0]], [[1.0]])  # [1.0]
    """
    return _poisson(y_true, y_pred, "poisson")


def _generalized_ce(y_true, y_pred, owner, q=0.5):
    y_pred = as_float(as_tensor(y_pred))
    labels = as_tensor(y_true)
    if labels.ndim == y_pred.ndim and labels.shape[-1:] == (1,):
        labels = labels.squeeze(-1)  # (N, 1) labels, as for the sparse crossentropy
    if tuple(labels.shape) != tuple(y_pred.shape[:-1]):
        raise ValueError(
            f"{owner}: y_true must hold one integer class label per row of y_pred; got "
            f"y_true of shape {tuple(as_tensor(y_true).shape)} for y_pred of shape "
            f"{tuple(y_pred.shape)} (expected {tuple(y_pred.shape[:-1])})."
        )
    labels = labels.to(device=y_pred.device, dtype=torch.long)
    p = torch.gather(y_pred, -1, labels.unsqueeze(-1)).squeeze(-1)
    return (1.0 - p.pow(q)) / q


@symbolic_op("keras.losses")
def categorical_generalized_cross_entropy(y_true, y_pred, q: float = 0.5) -> torch.Tensor:
    """Generalized cross entropy `(1 - p**q) / q`, `p` the probability of the true class.

    Between crossentropy (`q -> 0`) and mean absolute error (`q = 1`); robust to
    noisy labels (Zhang & Sabuncu, 2018).

    Args:
        y_true: integer class labels, shape `(batch, ...)`.
        y_pred: class probabilities, shape `(batch, ..., num_classes)`.
        q: the noise parameter, in `(0, 1)`.

    Returns:
        Per-sample losses.

    Example:
    >>> keras.losses.categorical_generalized_cross_entropy([1], [[0.2, 0.8]])  # [0.2111]
    """
    return _generalized_ce(y_true, y_pred, "categorical_generalized_cross_entropy", q=q)


kld = KLD = kullback_leibler_divergence = kl_divergence
bce = BCE = binary_crossentropy


class BinaryCrossentropy(LossFunctionWrapper):
    """Crossentropy between binary labels and predicted probabilities (or logits).

    Args:
        from_logits: whether predictions are logits; default False.
        label_smoothing: labels become `y (1 - ls) + 0.5 ls`.
        axis: the axis averaged over.
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> keras.losses.BinaryCrossentropy()([[0.0, 1.0]], [[0.4, 0.6]])  # 0.5108
    """

    _impl = staticmethod(_bce)
    _fusable = True

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Focal crossentropy for binary labels: down-weights easy examples.

    Args:
        apply_class_balancing: whether to weight classes by `alpha`.
        alpha: the positive class weight (used with class balancing).
        gamma: the focusing parameter; 0 gives plain binary crossentropy.
        from_logits: whether predictions are logits.
        label_smoothing: labels become `y (1 - ls) + 0.5 ls`.
        axis: the axis averaged over.
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> keras.losses.BinaryFocalCrossentropy(gamma=2.0)([[0.0, 1.0]], [[0.4, 0.6]])
    """

    _impl = staticmethod(_binary_focal)

    def __init__(
        self,
        apply_class_balancing=False,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_focal_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma


class CategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy between one-hot labels and predicted class probabilities (or logits).

    Args:
        from_logits: whether predictions are logits.
        label_smoothing: labels become `y (1 - ls) + ls / num_classes`.
        axis: the class axis.
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> keras.losses.CategoricalCrossentropy()([[0, 1, 0]], [[0.05, 0.95, 0.0]])  # 0.0513
    """

    _impl = staticmethod(_cce)
    _fusable = True

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Focal crossentropy for one-hot labels.

    Args:
        alpha: the weighting factor.
        gamma: the focusing parameter.
        from_logits: whether predictions are logits.
        label_smoothing: labels become `y (1 - ls) + ls / num_classes`.
        axis: the class axis.
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> keras.losses.CategoricalFocalCrossentropy()([[0, 1, 0]], [[0.05, 0.95, 0.0]])
    """

    _impl = staticmethod(_categorical_focal)

    def __init__(
        self,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_focal_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.alpha = alpha
        self.gamma = gamma


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy between integer class labels and predicted class scores.

    Args:
        from_logits: whether predictions are logits.
        ignore_class: a label value to leave out (loss 0, not counted).
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> keras.losses.SparseCategoricalCrossentropy()([1], [[0.05, 0.95, 0.0]])  # 0.0513
    """

    _impl = staticmethod(_scce)
    _fusable = True

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction="sum_over_batch_size",
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence between label and predicted distributions.

    Args:
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> keras.losses.KLDivergence()([[0.5, 0.5]], [[0.25, 0.75]])
    """

    _impl = staticmethod(_kld)

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, reduction=reduction, name=name, dtype=dtype)


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """Generalized cross entropy `(1 - p**q) / q` between integer labels and probabilities.

    `p` is the predicted probability of the true class. Small `q` behaves like
    crossentropy, `q` near 1 like mean absolute error, which makes the loss robust
    to noisy labels (Zhang & Sabuncu, 2018).

    Args:
        q: the noise parameter, in `(0, 1)`; default 0.5.
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> keras.losses.CategoricalGeneralizedCrossEntropy()([0, 1], [[0.7, 0.3], [0.2, 0.8]])
    """

    _impl = staticmethod(_generalized_ce)

    def __init__(
        self,
        q=0.5,
        reduction="sum_over_batch_size",
        name="categorical_generalized_cross_entropy",
        dtype=None,
    ):
        if not 0 < q < 1:
            raise ValueError(
                f"CategoricalGeneralizedCrossEntropy: q must be in the interval (0, 1). "
                f"Received: q={q!r}. Use q near 0 for crossentropy-like behaviour, near 1 "
                "for mean-absolute-error-like behaviour."
            )
        super().__init__(
            categorical_generalized_cross_entropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            q=q,
        )
        self.q = q


class Poisson(LossFunctionWrapper):
    """Poisson loss `y_pred - y_true * log(y_pred)`.

    Args:
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> keras.losses.Poisson()([[1.0]], [[1.0]])  # 1.0
    """

    _impl = staticmethod(_poisson)

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, reduction=reduction, name=name, dtype=dtype)
