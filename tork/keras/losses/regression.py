"""Regression losses: MSE, MAE, MAPE, MSLE, Huber, LogCosh, CosineSimilarity."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from tork import autodiff
from tork._backend.dtypes import floatx_dtype
from tork._symbolic import symbolic_op
from tork.keras.losses._utils import EPSILON, as_float, as_tensor, prepare
from tork.keras.losses.loss import LossFunctionWrapper

_LOG2 = math.log(2.0)


def _full(y_true, y_pred):
    # One label per sequence `(N, 1)` against `(N, T)` (see `prepare`): torch's losses warn
    # on broadcast targets, so they get the expanded view.
    return y_true if y_true.shape == y_pred.shape else y_true.expand_as(y_pred)


def _mse(y_true, y_pred, owner, _mean=False):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    # torch's mse_loss backward has no forward-mode rule for its mean (a
    # ForwardAccumulator around a tape, for Hessian-vector products, raised
    # "ZeroTensors are immutable"): use the plain formula while one is open.
    if _mean:
        if autodiff._open_ref is None:
            return F.mse_loss(y_pred, _full(y_true, y_pred))
        return (y_pred - y_true).square().mean()
    return (y_pred - y_true).square().mean(dim=-1)


def _mae(y_true, y_pred, owner, _mean=False):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    if _mean:
        return F.l1_loss(y_pred, _full(y_true, y_pred))
    return (y_pred - y_true).abs().mean(dim=-1)


def _mape(y_true, y_pred, owner):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    diff = (y_true - y_pred).abs() / y_true.abs().clamp(min=EPSILON)
    return 100.0 * diff.mean(dim=-1)


def _msle(y_true, y_pred, owner):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    first = torch.log(y_pred.clamp(min=EPSILON) + 1.0)
    second = torch.log(y_true.clamp(min=EPSILON) + 1.0)
    return (first - second).square().mean(dim=-1)


def _huber(y_true, y_pred, owner, delta=1.0):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    y_true = _full(y_true, y_pred)
    try:
        return F.huber_loss(y_pred, y_true, reduction="none", delta=float(delta)).mean(dim=-1)
    except RuntimeError as error:  # the failed path only: torch refuses delta <= 0
        if float(delta) > 0:
            raise
        raise ValueError(
            f"{owner}: the Huber loss needs delta > 0 (the error size where it turns from "
            f"squared to linear), got delta={float(delta)}."
        ) from error


def _log_cosh(y_true, y_pred, owner):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    d = y_pred - y_true
    # log(cosh(d)) = d + softplus(-2d) - log 2, which never overflows.
    return (d + F.softplus(-2.0 * d) - _LOG2).mean(dim=-1)


def _cosine(y_true, y_pred, owner, axis=-1):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    # x / sqrt(max(sum(x^2), 1e-12)) == x / max(||x||, 1e-6).
    y_true = F.normalize(y_true, p=2.0, dim=axis, eps=1e-6)
    y_pred = F.normalize(y_pred, p=2.0, dim=axis, eps=1e-6)
    return -(y_true * y_pred).sum(dim=axis)


@symbolic_op("keras.losses")
def mean_squared_error(y_true, y_pred) -> torch.Tensor:
    """Mean squared error over the last axis: `mean(square(y_true - y_pred), axis=-1)`.

    Args:
        y_true: labels, shape `(batch, d0, .. dN)`.
        y_pred: predictions, same shape (`(N,)` and `(N, 1)` are aligned).

    Returns:
        Per-sample losses, shape `(batch, d0, .. dN-1)`.

    Example:
    >>> keras.losses.mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]])  # [0.5]
    """
    return _mse(y_true, y_pred, "mean_squared_error")


@symbolic_op("keras.losses")
def mean_absolute_error(y_true, y_pred) -> torch.Tensor:
    """Mean absolute error over the last axis: `mean(abs(y_true - y_pred), axis=-1)`.

    Args:
        y_true: labels.
        y_pred: predictions of the same shape.

    Returns:
        Per-sample losses.

    Example:
    >>> keras.losses.mean_absolute_error([[0.0, 1.0]], [[1.0, 1.0]])  # [0.5]
    """
    return _mae(y_true, y_pred, "mean_absolute_error")


@symbolic_op("keras.losses")
def mean_absolute_percentage_error(y_true, y_pred) -> torch.Tensor:
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), 1e-7)), axis=-1)`.

    Args:
        y_true: labels.
        y_pred: predictions of the same shape.

    Returns:
        Per-sample losses.

    Example:
    >>> keras.losses.mean_absolute_percentage_error([[2.0]], [[1.0]])  # [50.0]
    """
    return _mape(y_true, y_pred, "mean_absolute_percentage_error")


@symbolic_op("keras.losses")
def mean_squared_logarithmic_error(y_true, y_pred) -> torch.Tensor:
    """`mean(square(log(max(y_pred, 1e-7) + 1) - log(max(y_true, 1e-7) + 1)), axis=-1)`.

    Args:
        y_true: labels.
        y_pred: predictions of the same shape.

    Returns:
        Per-sample losses.

    Example:
    >>> keras.losses.mean_squared_logarithmic_error([[1.0]], [[0.0]])  # [log(2)^2]
    """
    return _msle(y_true, y_pred, "mean_squared_logarithmic_error")


@symbolic_op("keras.losses")
def huber(y_true, y_pred, delta: float = 1.0) -> torch.Tensor:
    """Huber loss: `0.5 d^2` where `|d| <= delta`, else `delta * (|d| - delta / 2)`.

    Args:
        y_true: labels.
        y_pred: predictions of the same shape.
        delta: where the loss turns from quadratic to linear.

    Returns:
        Per-sample losses (mean over the last axis).

    Example:
    >>> keras.losses.huber([[0.0]], [[3.0]])  # [2.5]
    """
    # Keras 2's huber computes at floatx: float64 (or float16) inputs give a float32 loss.
    y_pred = as_float(as_tensor(y_pred), floatx_dtype())
    return _huber(y_true, y_pred, "huber", delta=delta)


@symbolic_op("keras.losses")
def log_cosh(y_true, y_pred) -> torch.Tensor:
    """`mean(log(cosh(y_pred - y_true)), axis=-1)`, computed without overflow.

    Args:
        y_true: labels.
        y_pred: predictions of the same shape.

    Returns:
        Per-sample losses.

    Example:
    >>> keras.losses.log_cosh([[0.0]], [[1.0]])  # [0.4338]
    """
    return _log_cosh(y_true, y_pred, "log_cosh")


@symbolic_op("keras.losses")
def cosine_similarity(y_true, y_pred, axis: int = -1) -> torch.Tensor:
    """Negative cosine similarity: `-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`.

    A loss to minimise: -1 means identical directions. (The metric
    `keras.metrics.cosine_similarity` has the opposite sign.)

    Args:
        y_true: labels.
        y_pred: predictions of the same shape.
        axis: the axis along which similarity is computed.

    Returns:
        The per-sample negative similarities.

    Example:
    >>> keras.losses.cosine_similarity([[1.0, 0.0]], [[2.0, 0.0]])  # [-1.0]
    """
    return _cosine(y_true, y_pred, "cosine_similarity", axis=axis)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
logcosh = log_cosh


class MeanSquaredError(LossFunctionWrapper):
    """Mean of squares of errors: `mean(square(y_true - y_pred))`.

    Args:
        reduction: see `keras.losses.Loss`; default 'sum_over_batch_size'.
        name: the loss name.
        dtype: the compute dtype; defaults to floatx.

    Example:
    >>> keras.losses.MeanSquaredError()([[0.0, 1.0]], [[1.0, 1.0]])  # 0.5
    """

    _impl = staticmethod(_mse)
    _fusable = True

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors: `mean(abs(y_true - y_pred))`.

    Args:
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> keras.losses.MeanAbsoluteError()([[0.0, 1.0]], [[1.0, 1.0]])  # 0.5
    """

    _impl = staticmethod(_mae)
    _fusable = True

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), 1e-7)))`.

    Args:
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> keras.losses.MeanAbsolutePercentageError()([[2.0]], [[1.0]])  # 50.0
    """

    _impl = staticmethod(_mape)

    def __init__(
        self,
        reduction="sum_over_batch_size",
        name="mean_absolute_percentage_error",
        dtype=None,
    ):
        super().__init__(
            mean_absolute_percentage_error, reduction=reduction, name=name, dtype=dtype
        )


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """`mean(square(log(y_pred + 1) - log(y_true + 1)))`, inputs floored at 1e-7.

    Args:
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> keras.losses.MeanSquaredLogarithmicError()([[1.0]], [[0.0]])  # 0.4805
    """

    _impl = staticmethod(_msle)

    def __init__(
        self,
        reduction="sum_over_batch_size",
        name="mean_squared_logarithmic_error",
        dtype=None,
    ):
        super().__init__(
            mean_squared_logarithmic_error, reduction=reduction, name=name, dtype=dtype
        )


class Huber(LossFunctionWrapper):
    """Huber loss: quadratic for `|error| <= delta`, linear beyond.

    Args:
        delta: the switch point; default 1.0.
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> keras.losses.Huber()([[0.0]], [[3.0]])  # 2.5
    """

    _impl = staticmethod(_huber)

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=delta)

    def _call_dtype(self, y_pred) -> torch.dtype:
        # Keras 2's huber casts its inputs to floatx, so float64 predictions give a
        # float32 loss here, unlike the other losses.
        return self._compute_dtype


class LogCosh(LossFunctionWrapper):
    """Logarithm of the hyperbolic cosine of the error.

    Args:
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> keras.losses.LogCosh()([[0.0]], [[1.0]])  # 0.4338
    """

    _impl = staticmethod(_log_cosh)

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, reduction=reduction, name=name, dtype=dtype)


class CosineSimilarity(LossFunctionWrapper):
    """Negative cosine similarity between labels and predictions along `axis`.

    Args:
        axis: the axis of the vectors; default -1.
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> keras.losses.CosineSimilarity()([[1.0, 0.0]], [[2.0, 0.0]])  # -1.0
    """

    _impl = staticmethod(_cosine)

    def __init__(
        self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None
    ):
        super().__init__(cosine_similarity, reduction=reduction, name=name, dtype=dtype, axis=axis)
