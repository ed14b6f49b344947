"""Correlation metrics (Pearson, concordance) and `MeanRelativeError`."""

from __future__ import annotations

import torch

from tork.keras.losses._utils import as_float, as_tensor, prepare, shape_str
from tork.keras.metrics.reduction import (
    Mean,
    MeanMetricWrapper,
    _as_state_tensor,
    _mean_terms,
)


def _dims(axis, tensor: torch.Tensor, owner: str) -> tuple[int, ...]:
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    rank = tensor.dim()
    for a in axes:
        if not isinstance(a, int) or not -rank <= a < rank:
            raise ValueError(
                f"{owner}: axis={axis!r} is out of range for inputs of shape "
                f"{shape_str(tensor)} (rank {rank}). Pass an integer or tuple of integers "
                f"in [{-rank}, {rank - 1}]."
            )
    return axes


def _pearson(y_true, y_pred, owner, axis=-1):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    dims = _dims(axis, y_pred, owner)
    # Population statistics (ddof 0), as Keras's ops.std.
    t = y_true - y_true.mean(dim=dims, keepdim=True)
    p = y_pred - y_pred.mean(dim=dims, keepdim=True)
    t = t / y_true.std(dim=dims, keepdim=True, correction=0)
    p = p / y_pred.std(dim=dims, keepdim=True, correction=0)
    return (t * p).mean(dim=dims)


def _concordance(y_true, y_pred, owner, axis=-1):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    dims = _dims(axis, y_pred, owner)
    mean_t = y_true.mean(dim=dims, keepdim=True)
    mean_p = y_pred.mean(dim=dims, keepdim=True)
    var_t = y_true.var(dim=dims, keepdim=True, correction=0)
    var_p = y_pred.var(dim=dims, keepdim=True, correction=0)
    norm = var_t + var_p + (mean_t - mean_p).square()
    return (2.0 * (y_true - mean_t) * (y_pred - mean_p) / norm).mean(dim=dims)


def pearson_correlation(y_true, y_pred, axis=-1) -> torch.Tensor:
    """Computes the Pearson correlation coefficient along `axis`.

    `mean((y_true - mean(y_true)) / std(y_true) * (y_pred - mean(y_pred)) / std(y_pred))`,
    with population standard deviations.

    Args:
        y_true: tensor of true targets.
        y_pred: tensor of predicted targets, same shape.
        axis: the axis (or tuple of axes) to correlate along; default -1.

    Returns:
        The coefficients, with `axis` removed.

    Example:
    >>> keras.metrics.pearson_correlation([[0, 1, 0.5]], [[0.1, 0.9, 0.5]])  # [1.0]
    """
    return _pearson(y_true, y_pred, "pearson_correlation", axis=axis)


def concordance_correlation(y_true, y_pred, axis=-1) -> torch.Tensor:
    """Computes Lin's concordance correlation coefficient along `axis`.

    `mean(2 * (y_true - mean(y_true)) * (y_pred - mean(y_pred)) /
    (var(y_true) + var(y_pred) + square(mean(y_true) - mean(y_pred))))`.

    Args:
        y_true: tensor of true targets.
        y_pred: tensor of predicted targets, same shape.
        axis: the axis (or tuple of axes) to compute along; default -1.

    Returns:
        The coefficients, with `axis` removed.

    Example:
    >>> keras.metrics.concordance_correlation([[0, 1, 0.5]], [[0.1, 0.9, 0.5]])  # [0.9756]
    """
    return _concordance(y_true, y_pred, "concordance_correlation", axis=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """The mean over samples of the Pearson correlation along `axis`.

    Args:
        name: the metric name; default "pearson_correlation".
        dtype: the state dtype.
        axis: the axis (or tuple of axes) to correlate along; default -1.

    Example:
    >>> m = keras.metrics.PearsonCorrelation()
    >>> m.update_state([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    >>> m.result()  # 0.9967
    """

    _impl = staticmethod(_pearson)

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis


class ConcordanceCorrelation(MeanMetricWrapper):
    """The mean over samples of the concordance correlation coefficient along `axis`.

    Args:
        name: the metric name; default "concordance_correlation".
        dtype: the state dtype.
        axis: the axis (or tuple of axes) to compute along; default -1.

    Example:
    >>> m = keras.metrics.ConcordanceCorrelation()
    >>> m.update_state([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    >>> m.result()  # 0.9816
    """

    _impl = staticmethod(_concordance)

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis


class MeanRelativeError(Mean):
    """The mean of `abs(y_true - y_pred) / normalizer` (0 where the normalizer is 0).

    Args:
        normalizer: values to divide the absolute errors by, broadcastable to
            the predictions' shape.
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.MeanRelativeError(normalizer=[1, 3, 2, 3])
    >>> m.update_state([1, 3, 2, 3], [2, 4, 6, 8])
    >>> m.result()  # 1.25
    """

    def __init__(self, normalizer, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.normalizer = as_float(as_tensor(normalizer), self._tork_dtype).to(self._device)

    def _on_device_change(self, device) -> None:
        self.normalizer = self.normalizer.to(device)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Adds the relative errors to the running mean.

        Args:
            y_true: labels.
            y_pred: predictions of the same shape.
            sample_weight: optional per-sample weights.
        """
        y_true, y_pred = prepare(y_true, y_pred, "MeanRelativeError")
        normalizer = self.normalizer
        if normalizer.device != y_pred.device or normalizer.dtype != y_pred.dtype:
            normalizer = normalizer.to(device=y_pred.device, dtype=y_pred.dtype)
        try:
            shape = torch.broadcast_shapes(normalizer.shape, y_pred.shape)
        except RuntimeError:
            shape = None
        if shape != y_pred.shape:
            raise ValueError(
                f"MeanRelativeError: normalizer of shape {shape_str(normalizer)} cannot be "
                f"broadcast to predictions of shape {shape_str(y_pred)}. Pass a normalizer "
                "with the predictions' shape (or one that broadcasts to it)."
            )
        error = (y_true - y_pred).abs()
        safe = torch.where(normalizer != 0, normalizer, torch.ones_like(normalizer))
        values = torch.where(normalizer != 0, error / safe, torch.zeros_like(error))
        values = _as_state_tensor(values, self)
        if sample_weight is not None:
            sample_weight = _as_state_tensor(sample_weight, self)
        total, count = _mean_terms(values, sample_weight)
        self.total.add_(total)
        self.count.add_(count)

    def get_config(self) -> dict:
        """Returns the constructor arguments (the normalizer as a nested list)."""
        return {"normalizer": self.normalizer.tolist(), **super().get_config()}
