"""`R2Score`: the coefficient of determination, optionally adjusted."""

from __future__ import annotations

import numbers
import warnings

import torch

from tork.keras.losses._utils import as_float, as_tensor, shape_str, squeeze_or_expand
from tork.keras.metrics.metric import Metric

_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """The R2 score `1 - sum((y - y_pred)^2) / sum((y - mean(y))^2)` per output column.

    Args:
        class_aggregation: how to combine the per-column scores: None (return
            them all), 'uniform_average' (their mean) or
            'variance_weighted_average' (weighted by each column's variance).
        num_regressors: the number of independent regressors, for the adjusted
            R2 `1 - (1 - R2)(n - 1)/(n - p - 1)`; 0 gives plain R2. As in Keras,
            `n` counts every label value seen (batch size times outputs), not rows.
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.R2Score()
    >>> m.update_state([[1], [4], [3]], [[2], [4], [4]])
    >>> m.result()  # 0.5714
    """

    def __init__(
        self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in _AGGREGATIONS:
            raise ValueError(
                f"R2Score: invalid class_aggregation {class_aggregation!r}. Expected one of "
                "None, 'uniform_average', 'variance_weighted_average'."
            )
        if not isinstance(num_regressors, numbers.Integral) or num_regressors < 0:
            raise ValueError(
                "R2Score: num_regressors must be a non-negative integer; received "
                f"num_regressors={num_regressors!r}."
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = int(num_regressors)
        self.num_samples = self.add_variable((), initializer="zeros", name="num_samples")
        self._num_outputs = None

    def _build(self, num_outputs: int) -> None:
        self._num_outputs = num_outputs
        shape = (num_outputs,)
        self.squared_sum = self.add_variable(shape, initializer="zeros", name="squared_sum")
        self.sum = self.add_variable(shape, initializer="zeros", name="sum")
        self.total_mse = self.add_variable(shape, initializer="zeros", name="residual")
        self.count = self.add_variable(shape, initializer="zeros", name="count")

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Accumulates the sums needed for R2.

        Args:
            y_true: targets, shape `(batch, num_outputs)` (or `(batch,)`).
            y_pred: predictions of the same shape.
            sample_weight: optional per-sample weights.
        """
        y_pred = as_float(as_tensor(y_pred), self._tork_dtype)
        y_true = as_tensor(y_true).to(device=y_pred.device, dtype=y_pred.dtype)
        y_true, y_pred = squeeze_or_expand(y_true, y_pred)
        if y_pred.dim() == 1:
            y_true, y_pred = y_true.unsqueeze(-1), y_pred.unsqueeze(-1)
        if y_pred.dim() != 2 or y_true.shape != y_pred.shape:
            raise ValueError(
                "R2Score expects labels and predictions of the same 2D shape (batch_size, "
                f"num_outputs); got labels of shape {shape_str(y_true)} and predictions of shape "
                f"{shape_str(y_pred)}."
            )
        if self._num_outputs is None:
            self._build(y_pred.shape[-1])
        elif y_pred.shape[-1] != self._num_outputs:
            raise ValueError(
                f"R2Score was first used with {self._num_outputs} outputs but now got "
                f"predictions of shape {shape_str(y_pred)}."
            )
        if sample_weight is None:
            weight = torch.ones_like(y_true)
        else:
            weight = as_tensor(sample_weight).to(device=y_pred.device, dtype=y_pred.dtype)
            if weight.dim() == 1:
                weight = weight.unsqueeze(1)
            weight = weight.expand(y_true.shape)
        weighted = y_true * weight
        self.sum.add_(weighted.sum(dim=0))
        self.squared_sum.add_((y_true * weighted).sum(dim=0))
        self.total_mse.add_(((y_true - y_pred).square() * weight).sum(dim=0))
        self.count.add_(weight.sum(dim=0))
        # Keras adds the size of y_true (rows x outputs), which the adjusted score uses as n.
        self.num_samples.add_(y_true.numel())

    def result(self) -> torch.Tensor:
        """Returns the (aggregated) R2 score."""
        if self._num_outputs is None:
            return torch.zeros((), dtype=self._tork_dtype, device=self._device)
        mean = self.sum / self.count
        total = self.squared_sum - self.sum * mean
        raw = 1.0 - self.total_mse / total
        raw = torch.where(torch.isinf(raw), torch.zeros_like(raw), raw)
        if self.class_aggregation == "uniform_average":
            score = raw.mean()
        elif self.class_aggregation == "variance_weighted_average":
            score = (total * raw).sum() / total.sum()
        else:
            score = raw
        if self.num_regressors:
            n = float(self.num_samples)  # a host sync, only for the adjusted score
            p = float(self.num_regressors)
            if p > n - 1:
                warnings.warn(
                    "More independent predictors than datapoints in adjusted R2 score. Falling "
                    "back to standard R2 score.",
                    stacklevel=2,
                )
            elif p == n - 1:
                warnings.warn(
                    "Division by zero in adjusted R2 score. Falling back to standard R2 score.",
                    stacklevel=2,
                )
            else:
                score = 1.0 - (1.0 - score) * (n - 1.0) / (n - p - 1.0)
        return score

    def reset_state(self) -> None:
        """Zeroes the sums (the number of outputs is kept)."""
        for variable in self.variables:
            variable.data.zero_()

    def get_config(self) -> dict:
        """Returns the constructor arguments."""
        return {
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
            **super().get_config(),
        }
