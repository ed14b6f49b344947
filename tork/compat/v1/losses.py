"""`tf.compat.v1.losses`: TensorFlow 1's loss functions, which weigh and reduce at once.

Each takes `weights` (a scalar, or a tensor that broadcasts to the per-element losses)
and a `reduction`; the default, `SUM_BY_NONZERO_WEIGHTS`, divides the weighted sum by
the number of non-zero weights (so with `weights=1.0` it is the mean). Collections
(`scope`, `loss_collection`) are accepted and unused: there is no graph.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from tork._backend.tensor import convert_to_tensor


class Reduction:
    """TensorFlow 1's loss reductions (`tf.compat.v1.losses.Reduction`)."""

    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls) -> tuple:
        """All reduction names."""
        return (
            cls.NONE,
            cls.SUM,
            cls.MEAN,
            cls.SUM_OVER_BATCH_SIZE,
            cls.SUM_OVER_NONZERO_WEIGHTS,
            cls.SUM_BY_NONZERO_WEIGHTS,
        )


def _float(value, like=None) -> torch.Tensor:
    tensor = convert_to_tensor(value)
    if like is not None:
        return tensor.to(dtype=like.dtype, device=like.device)
    return tensor if tensor.is_floating_point() else tensor.to(torch.float32)


def compute_weighted_loss(
    losses,
    weights=1.0,
    scope=None,
    loss_collection=None,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """Weighs per-element losses and reduces them as TensorFlow 1 does.

    Args:
        losses: the per-element losses.
        weights: a scalar or a tensor broadcasting to `losses`.
        scope: unused.
        loss_collection: unused.
        reduction: a `Reduction` name.

    Returns:
        The weighted losses (`Reduction.NONE`) or a scalar.

    Example:
    >>> float(tf.compat.v1.losses.compute_weighted_loss([1.0, 3.0], weights=[1.0, 0.0]))
    1.0
    """
    del scope, loss_collection
    losses = _float(losses)
    weights = _float(weights, losses)
    weighted = losses * weights
    if reduction == Reduction.NONE:
        return weighted
    total = weighted.sum()
    if reduction == Reduction.SUM:
        return total
    if reduction == Reduction.MEAN:
        count = (weights * torch.ones_like(losses)).sum()
    elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
        count = torch.tensor(float(losses.numel()), dtype=losses.dtype, device=losses.device)
    elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
        count = (torch.broadcast_to(weights, losses.shape) != 0).sum().to(losses.dtype)
    else:
        raise ValueError(f"Invalid reduction {reduction!r}; expected one of {Reduction.all()}.")
    # As TF's div_no_nan: no weights at all gives 0, not NaN.
    return torch.where(count > 0, total / torch.where(count > 0, count, 1), 0.0)


def _loss(name: str, summary: str, per_element):
    def loss(
        labels,
        predictions,
        weights=1.0,
        scope=None,
        loss_collection=None,
        reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
    ):
        predictions = _float(predictions)
        labels = _float(labels, predictions)
        if labels.shape != predictions.shape:
            raise ValueError(
                f"tf.compat.v1.losses.{name}: labels {tuple(labels.shape)} and predictions "
                f"{tuple(predictions.shape)} must have the same shape."
            )
        return compute_weighted_loss(per_element(labels, predictions), weights, reduction=reduction)

    loss.__name__ = loss.__qualname__ = name
    loss.__doc__ = f"""{summary}

    Args:
        labels: the targets.
        predictions: the predictions, shaped as `labels`.
        weights: a scalar or a tensor broadcasting to the losses.
        scope: unused.
        loss_collection: unused.
        reduction: a `Reduction` name (default `SUM_BY_NONZERO_WEIGHTS`).

    Returns:
        The weighted loss.

    Example:
    >>> float(tf.compat.v1.losses.{name}([0.0, 1.0], [0.0, 1.0]))
    0.0
    """
    return loss


mean_squared_error = _loss(
    "mean_squared_error", "Squared differences, weighted and reduced.", lambda y, p: (p - y) ** 2
)
absolute_difference = _loss(
    "absolute_difference", "Absolute differences, weighted and reduced.", lambda y, p: (p - y).abs()
)


def huber_loss(
    labels,
    predictions,
    weights=1.0,
    delta=1.0,
    scope=None,
    loss_collection=None,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """Huber loss: quadratic up to `delta`, linear beyond, weighted and reduced.

    Args:
        labels: the targets.
        predictions: the predictions, shaped as `labels`.
        weights: a scalar or a tensor broadcasting to the losses.
        delta: where the loss turns linear.
        scope: unused.
        loss_collection: unused.
        reduction: a `Reduction` name.

    Returns:
        The weighted loss.

    Example:
    >>> float(tf.compat.v1.losses.huber_loss([0.0], [3.0]))
    2.5
    """
    predictions = _float(predictions)
    error = (predictions - _float(labels, predictions)).abs()
    quadratic = torch.clamp(error, max=float(delta))
    losses = 0.5 * quadratic**2 + float(delta) * (error - quadratic)
    return compute_weighted_loss(losses, weights, reduction=reduction)


def log_loss(
    labels,
    predictions,
    weights=1.0,
    epsilon=1e-7,
    scope=None,
    loss_collection=None,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """Binary log loss of probabilities, weighted and reduced.

    Args:
        labels: 0/1 targets.
        predictions: probabilities, shaped as `labels`.
        weights: a scalar or a tensor broadcasting to the losses.
        epsilon: added inside the logarithms.
        scope: unused.
        loss_collection: unused.
        reduction: a `Reduction` name.

    Returns:
        The weighted loss.

    Example:
    >>> round(float(tf.compat.v1.losses.log_loss([1.0], [0.5])), 4)
    0.6931
    """
    p = _float(predictions)
    y = _float(labels, p)
    losses = -y * torch.log(p + epsilon) - (1 - y) * torch.log(1 - p + epsilon)
    return compute_weighted_loss(losses, weights, reduction=reduction)


def hinge_loss(
    labels,
    logits,
    weights=1.0,
    scope=None,
    loss_collection=None,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """Hinge loss of 0/1 labels (mapped to -1/1) and logits, weighted and reduced.

    Args:
        labels: 0/1 targets.
        logits: the scores, shaped as `labels`.
        weights: a scalar or a tensor broadcasting to the losses.
        scope: unused.
        loss_collection: unused.
        reduction: a `Reduction` name.

    Returns:
        The weighted loss.

    Example:
    >>> float(tf.compat.v1.losses.hinge_loss([1.0], [0.25]))
    0.75
    """
    logits = _float(logits)
    signs = 2 * _float(labels, logits) - 1
    return compute_weighted_loss(F.relu(1 - signs * logits), weights, reduction=reduction)


def sigmoid_cross_entropy(
    multi_class_labels,
    logits,
    weights=1.0,
    label_smoothing=0,
    scope=None,
    loss_collection=None,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """Sigmoid cross-entropy of 0/1 labels and logits, weighted and reduced.

    Args:
        multi_class_labels: 0/1 targets.
        logits: the logits, shaped as the labels.
        weights: a scalar or a tensor broadcasting to the losses.
        label_smoothing: labels become `labels * (1 - s) + 0.5 * s`.
        scope: unused.
        loss_collection: unused.
        reduction: a `Reduction` name.

    Returns:
        The weighted loss.

    Example:
    >>> round(float(tf.compat.v1.losses.sigmoid_cross_entropy([1.0], [0.0])), 4)
    0.6931
    """
    logits = _float(logits)
    labels = _float(multi_class_labels, logits)
    if label_smoothing:
        labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
    losses = F.binary_cross_entropy_with_logits(logits, labels, reduction="none")
    return compute_weighted_loss(losses, weights, reduction=reduction)


def softmax_cross_entropy(
    onehot_labels,
    logits,
    weights=1.0,
    label_smoothing=0,
    scope=None,
    loss_collection=None,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """Softmax cross-entropy of one-hot labels and logits, one loss per example.

    Args:
        onehot_labels: one-hot targets `(batch, classes)`.
        logits: the logits, shaped as the labels.
        weights: a scalar or a `(batch,)` tensor.
        label_smoothing: labels become `labels * (1 - s) + s / classes`.
        scope: unused.
        loss_collection: unused.
        reduction: a `Reduction` name.

    Returns:
        The weighted loss.

    Example:
    >>> round(float(tf.compat.v1.losses.softmax_cross_entropy([[1.0, 0.0]], [[0.0, 0.0]])), 4)
    0.6931
    """
    logits = _float(logits)
    labels = _float(onehot_labels, logits)
    if label_smoothing:
        labels = labels * (1 - label_smoothing) + label_smoothing / labels.shape[-1]
    losses = -(labels * torch.log_softmax(logits, dim=-1)).sum(-1)
    return compute_weighted_loss(losses, weights, reduction=reduction)


def sparse_softmax_cross_entropy(
    labels,
    logits,
    weights=1.0,
    scope=None,
    loss_collection=None,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """Softmax cross-entropy of integer class labels and logits, one loss per example.

    Args:
        labels: class indices `(batch,)`.
        logits: the logits `(batch, classes)`.
        weights: a scalar or a `(batch,)` tensor.
        scope: unused.
        loss_collection: unused.
        reduction: a `Reduction` name.

    Returns:
        The weighted loss.

    Example:
    >>> round(float(tf.compat.v1.losses.sparse_softmax_cross_entropy([0], [[0.0, 0.0]])), 4)
    0.6931
    """
    logits = _float(logits)
    index = convert_to_tensor(labels).to(device=logits.device, dtype=torch.long)
    losses = -torch.log_softmax(logits, dim=-1).gather(-1, index.unsqueeze(-1)).squeeze(-1)
    return compute_weighted_loss(losses, weights, reduction=reduction)


def cosine_distance(
    labels,
    predictions,
    axis=None,
    weights=1.0,
    scope=None,
    loss_collection=None,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
    dim=None,
):
    """`1 - sum(labels * predictions, axis)` of unit-normalised inputs, weighted and reduced.

    Args:
        labels: unit-normalised targets.
        predictions: unit-normalised predictions, shaped as `labels`.
        axis: the axis of the vectors (`dim` is its old name).
        weights: a scalar or a tensor broadcasting to the losses (the axis kept as 1).
        scope: unused.
        loss_collection: unused.
        reduction: a `Reduction` name.
        dim: the old name of `axis`.

    Returns:
        The weighted loss.

    Example:
    >>> float(tf.compat.v1.losses.cosine_distance([[1.0, 0.0]], [[1.0, 0.0]], axis=1))
    0.0
    """
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("tf.compat.v1.losses.cosine_distance: you must specify `axis`.")
    predictions = _float(predictions)
    labels = _float(labels, predictions)
    losses = 1 - (labels * predictions).sum(dim=int(axis), keepdim=True)
    return compute_weighted_loss(losses, weights, reduction=reduction)


__all__ = [
    "Reduction",
    "absolute_difference",
    "compute_weighted_loss",
    "cosine_distance",
    "hinge_loss",
    "huber_loss",
    "log_loss",
    "mean_squared_error",
    "sigmoid_cross_entropy",
    "softmax_cross_entropy",
    "sparse_softmax_cross_entropy",
]
