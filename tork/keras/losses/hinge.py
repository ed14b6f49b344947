"""Hinge losses: Hinge, SquaredHinge, CategoricalHinge."""

from __future__ import annotations

import torch

from tork._symbolic import symbolic_op
from tork.keras.losses._utils import prepare
from tork.keras.losses.loss import LossFunctionWrapper


def _to_signed(y_true: torch.Tensor) -> torch.Tensor:
    # Labels that are all 0/1 become -1/+1; other labels (already -1/1) pass unchanged.
    # The choice stays on the device (no host sync).
    is_binary = ((y_true == 0) | (y_true == 1)).all()
    return torch.where(is_binary, 2.0 * y_true - 1.0, y_true)


def _hinge(y_true, y_pred, owner):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    return (1.0 - _to_signed(y_true) * y_pred).clamp(min=0.0).mean(dim=-1)


def _squared_hinge(y_true, y_pred, owner):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    return (1.0 - _to_signed(y_true) * y_pred).clamp(min=0.0).square().mean(dim=-1)


def _categorical_hinge(y_true, y_pred, owner):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    pos = (y_true * y_pred).sum(dim=-1)
    neg = ((1.0 - y_true) * y_pred).amax(dim=-1)
    return (neg - pos + 1.0).clamp(min=0.0)


@symbolic_op("keras.losses")
def hinge(y_true, y_pred) -> torch.Tensor:
    """Hinge loss `mean(max(1 - y_true * y_pred, 0), axis=-1)`.

    Args:
        y_true: labels in {-1, 1}; labels in {0, 1} are converted to {-1, 1}.
        y_pred: predictions of the same shape.

    Returns:
        Per-sample losses.

    Example:
    >>> keras.losses.hinge([[0.0, 1.0]], [[0.6, 0.4]])  # [1.1]
    """
    return _hinge(y_true, y_pred, "hinge")


@symbolic_op("keras.losses")
def squared_hinge(y_true, y_pred) -> torch.Tensor:
    """Squared hinge loss `mean(square(max(1 - y_true * y_pred, 0)), axis=-1)`.

    Args:
        y_true: labels in {-1, 1}; labels in {0, 1} are converted to {-1, 1}.
        y_pred: predictions of the same shape.

    Returns:
        Per-sample losses.

    Example:
    >>> keras.losses.squared_hinge([[0.0, 1.0]], [[0.6, 0.4]])  # [1.46]
    """
    return _squared_hinge(y_true, y_pred, "squared_hinge")


@symbolic_op("keras.losses")
def categorical_hinge(y_true, y_pred) -> torch.Tensor:
    """Categorical hinge `max(0, 1 + max((1 - y_true) * y_pred) - sum(y_true * y_pred))`.

    Args:
        y_true: one-hot labels.
        y_pred: predictions of the same shape.

    Returns:
        Per-sample losses.

    Example:
    >>> keras.losses.categorical_hinge([[0.0, 1.0]], [[0.6, 0.4]])  # [1.2]
    """
    return _categorical_hinge(y_true, y_pred, "categorical_hinge")


class Hinge(LossFunctionWrapper):
    """Hinge loss `max(1 - y_true * y_pred, 0)` for labels in {-1, 1} (or {0, 1}).

    Args:
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> keras.losses.Hinge()([[0.0, 1.0]], [[0.6, 0.4]])  # 1.1
    """

    _impl = staticmethod(_hinge)

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, reduction=reduction, name=name, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss `square(max(1 - y_true * y_pred, 0))`.

    Args:
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> keras.losses.SquaredHinge()([[0.0, 1.0]], [[0.6, 0.4]])  # 1.46
    """

    _impl = staticmethod(_squared_hinge)

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, reduction=reduction, name=name, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss for one-hot labels.

    Args:
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> keras.losses.CategoricalHinge()([[0.0, 1.0]], [[0.6, 0.4]])  # 1.2
    """

    _impl = staticmethod(_categorical_hinge)

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, reduction=reduction, name=name, dtype=dtype)
