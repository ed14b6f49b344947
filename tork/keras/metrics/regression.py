"""Regression metrics: MSE, MAE, MAPE, MSLE, RMSE, cosine similarity, log-cosh."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from tork.keras.losses._utils import (
    as_float,
    as_tensor,
    broadcastable,
    like,
    prepare,
    squeeze_or_expand,
)
from tork.keras.losses.regression import (
    _log_cosh,
    _mae,
    _mape,
    _mse,
    _msle,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from tork.keras.metrics.reduction import (
    Mean,
    MeanMetricWrapper,
    _as_state_tensor,
    _broadcast_elementwise,
    _mean_terms,
)


def _cosine(y_true, y_pred, owner, axis=-1):
    y_true, y_pred = _cosine_inputs(y_true, y_pred, owner)
    if not -y_pred.dim() <= axis < y_pred.dim():
        # torch's IndexError names neither the metric nor the shapes.
        raise ValueError(
            f"{owner}: axis={axis} is out of range for predictions of shape "
            f"{tuple(y_pred.shape)} (rank {y_pred.dim()}); use axis=-1 for the last axis."
        )
    # Each side is normalized at its own shape, then the product broadcasts: Keras 2's
    # value for (N, 1) labels against (N, C) predictions.
    y_true = F.normalize(y_true, p=2.0, dim=axis, eps=1e-6)
    y_pred = F.normalize(y_pred, p=2.0, dim=axis, eps=1e-6)
    return (y_true * y_pred).sum(dim=axis)


def _cosine_inputs(y_true, y_pred, owner):
    """`prepare`, except that shapes which broadcast are kept (Keras 2 broadcasts them)."""
    y_pred = as_float(as_tensor(y_pred))
    y_true = as_tensor(y_true)
    if isinstance(y_true, torch.Tensor) and y_true.dim() > 0 and y_true.shape != y_pred.shape:
        y, p = squeeze_or_expand(like(y_true, y_pred), y_pred)
        if y.shape != p.shape and broadcastable(tuple(y.shape), tuple(p.shape)):
            return y, p
    return prepare(y_true, y_pred, owner)


def cosine_similarity(y_true, y_pred, axis: int = -1) -> torch.Tensor:
    """Cosine similarity `sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`.

    The metric is positive for aligned vectors (the loss
    `keras.losses.cosine_similarity` is its negative).

    Args:
        y_true: labels.
        y_pred: predictions of the same shape.
        axis: the axis of the vectors.

    Returns:
        Per-sample similarities.

    Example:
    >>> keras.metrics.cosine_similarity([[0.0, 1.0]], [[1.0, 1.0]])  # [0.7071]
    """
    return _cosine(y_true, y_pred, "cosine_similarity", axis=axis)


class MeanSquaredError(MeanMetricWrapper):
    """The mean squared error between labels and predictions.

    Args:
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.MeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> m.result()  # 0.25
    """

    _impl = staticmethod(_mse)

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    """The mean absolute error between labels and predictions.

    Args:
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.MeanAbsoluteError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> m.result()  # 0.25
    """

    _impl = staticmethod(_mae)

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """The mean absolute percentage error between labels and predictions.

    Args:
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.MeanAbsolutePercentageError()
    >>> m.update_state([[2.0]], [[1.0]])
    >>> m.result()  # 50.0
    """

    _impl = staticmethod(_mape)

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """The mean squared logarithmic error between labels and predictions.

    Args:
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.MeanSquaredLogarithmicError()
    """

    _impl = staticmethod(_msle)

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name=name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """The mean cosine similarity between labels and predictions (positive sign).

    Args:
        name: the metric name.
        dtype: the state dtype.
        axis: the axis of the vectors.

    Example:
    >>> m = keras.metrics.CosineSimilarity(axis=1)
    >>> m.update_state([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])
    >>> m.result()  # 0.5
    """

    _impl = staticmethod(_cosine)

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)


class LogCoshError(MeanMetricWrapper):
    """The mean logarithm of the hyperbolic cosine of the prediction error.

    Args:
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.LogCoshError()
    """

    _impl = staticmethod(_log_cosh)

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(log_cosh, name=name, dtype=dtype)


class RootMeanSquaredError(Mean):
    """The square root of the mean squared error: `sqrt(mean(square(y_true - y_pred)))`.

    Args:
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.RootMeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> m.result()  # 0.5
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Adds the squared errors to the running mean.

        Args:
            y_true: labels.
            y_pred: predictions of the same shape.
            sample_weight: optional per-sample weights.
        """
        # Keras 2 broadcasts (N, 1) labels against (N, C) predictions here too.
        y_true, y_pred = _broadcast_elementwise(y_true, y_pred, _mse)
        y_true, y_pred = prepare(y_true, y_pred, "RootMeanSquaredError")
        values = _as_state_tensor((y_pred - y_true).square(), self)
        if sample_weight is not None:
            sample_weight = _as_state_tensor(sample_weight, self)
        total, count = _mean_terms(values, sample_weight)
        self.total.add_(total)
        self.count.add_(count)

    def result(self) -> torch.Tensor:
        """Returns `sqrt(total / count)`, or 0 before any update."""
        return torch.sqrt(super().result())
