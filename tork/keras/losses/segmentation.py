"""Overlap losses for segmentation: Dice and Tversky."""

from __future__ import annotations

import torch

from tork._symbolic import symbolic_op
from tork.keras.losses._utils import EPSILON, prepare, shape_str
from tork.keras.losses.loss import LossFunctionWrapper


def _dims(axis, tensor: torch.Tensor, owner: str):
    """`axis` as torch's `dim` argument, checked against `tensor`'s rank (None: all axes)."""
    if axis is None:
        return None
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    rank = tensor.dim()
    for a in axes:
        if not isinstance(a, int) or not -rank <= a < rank:
            raise ValueError(
                f"{owner}: axis={axis!r} is out of range for inputs of shape "
                f"{shape_str(tensor)} (rank {rank}). Pass integers in [{-rank}, {rank - 1}], "
                "or axis=None to reduce over every axis."
            )
    return axes


def _dice(y_true, y_pred, owner, axis=None):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    dims = _dims(axis, y_pred, owner)
    if dims is None:
        inter = (y_true * y_pred).sum()
        total = y_true.sum() + y_pred.sum()
    else:
        inter = (y_true * y_pred).sum(dim=dims)
        total = y_true.sum(dim=dims) + y_pred.sum(dim=dims)
    # Keras adds epsilon to the denominator only, so empty masks give loss 1, not NaN.
    return 1.0 - 2.0 * inter / (total + EPSILON)


def _tversky(y_true, y_pred, owner, alpha=0.5, beta=0.5, axis=None):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    dims = _dims(axis, y_pred, owner)
    tp_map = y_true * y_pred
    # As in Keras: alpha weights sum(y_true * (1 - y_pred)) and beta weights
    # sum(y_pred * (1 - y_true)), i.e. y_true - tp and y_pred - tp summed.
    if dims is None:
        tp = tp_map.sum()
        a_term = y_true.sum() - tp
        b_term = y_pred.sum() - tp
    else:
        tp = tp_map.sum(dim=dims)
        a_term = y_true.sum(dim=dims) - tp
        b_term = y_pred.sum(dim=dims) - tp
    return 1.0 - tp / (tp + alpha * a_term + beta * b_term + EPSILON)


@symbolic_op("keras.losses")
def dice(y_true, y_pred, axis=None) -> torch.Tensor:
    """Computes the Dice loss: `1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))`.

    Keras adds epsilon (1e-7) to the denominator.

    Args:
        y_true: tensor of true targets.
        y_pred: tensor of predicted targets, same shape.
        axis: an int or tuple of the axes to reduce; None (default) reduces all,
            giving a scalar.

    Returns:
        The Dice loss, with the `axis` dimensions removed.

    Example:
    >>> keras.losses.dice([[1.0, 1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0, 1.0]])  # 0.5
    """
    return _dice(y_true, y_pred, "dice", axis=axis)


@symbolic_op("keras.losses")
def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None) -> torch.Tensor:
    """Computes the Tversky loss, `1 - tp / (tp + alpha * a + beta * b + 1e-7)`.

    With `tp = sum(y_true * y_pred)`, `a = sum(y_true * (1 - y_pred))` and
    `b = sum(y_pred * (1 - y_true))`, as Keras computes it. With `alpha=0.5`
    and `beta=0.5` it equals the Dice loss.

    Args:
        y_true: tensor of true targets.
        y_pred: tensor of predicted targets, same shape.
        alpha: the coefficient of the first error term; default 0.5.
        beta: the coefficient of the second error term; default 0.5.
        axis: an int or tuple of the axes to reduce; None (default) reduces all.

    Returns:
        The Tversky loss, with the `axis` dimensions removed.

    Example:
    >>> keras.losses.tversky([[1.0, 1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0, 1.0]])  # 0.5
    """
    return _tversky(y_true, y_pred, "tversky", alpha=alpha, beta=beta, axis=axis)


class Dice(LossFunctionWrapper):
    """Computes the Dice loss value between `y_true` and `y_pred`.

    `loss = 1 - (2 * sum(y_true * y_pred)) / (sum(y_true) + sum(y_pred))`.

    Args:
        reduction: see `keras.losses.Loss`.
        name: the loss name; default "dice".
        axis: an int or tuple of the axes the loss is computed over; None
            (default) uses every axis.
        dtype: the compute dtype.

    Example:
    >>> loss = keras.losses.Dice(axis=(1, 2, 3), reduction=None)
    """

    _impl = staticmethod(_dice)

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, reduction=reduction, name=name, dtype=dtype, axis=axis)
        self.axis = axis


class Tversky(LossFunctionWrapper):
    """Computes the Tversky loss value between `y_true` and `y_pred`.

    Weights the two kinds of error by `alpha` and `beta`; with 0.5 and 0.5 it
    equals the Dice loss. See `keras.losses.tversky`.

    Args:
        alpha: the first error coefficient; default 0.5.
        beta: the second error coefficient; default 0.5.
        reduction: see `keras.losses.Loss`.
        name: the loss name; default "tversky".
        axis: an int or tuple of the axes the loss is computed over; None
            (default) uses every axis.
        dtype: the compute dtype.

    Example:
    >>> loss = keras.losses.Tversky(alpha=0.3, beta=0.7)
    """

    _impl = staticmethod(_tversky)

    def __init__(
        self,
        alpha=0.5,
        beta=0.5,
        reduction="sum_over_batch_size",
        name="tversky",
        axis=None,
        dtype=None,
    ):
        super().__init__(
            tversky, reduction=reduction, name=name, dtype=dtype, alpha=alpha, beta=beta, axis=axis
        )
        self.alpha = alpha
        self.beta = beta
        self.axis = axis
