"""F-scores: `FBetaScore` and `F1Score` for multi-class and multi-label predictions."""

from __future__ import annotations

import numbers

import torch

from tork.keras.losses._utils import EPSILON, as_float, as_tensor, shape_str
from tork.keras.metrics.metric import Metric

_AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """The F-beta score `(1 + b^2) P R / (b^2 P + R)`, per class or averaged.

    Predictions are binarised with `threshold` (positive when strictly above),
    or, when it is None, the highest score of each sample is positive.

    Args:
        average: None (one score per class), 'micro' (from pooled counts),
            'macro' (mean of class scores) or 'weighted' (class scores weighted
            by support).
        beta: the recall weight; 1 gives F1.
        threshold: the decision threshold in (0, 1], or None for argmax.
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.FBetaScore(beta=2.0, threshold=0.5)
    >>> m.update_state([[1, 1, 1], [1, 0, 0], [1, 1, 0]],
    ...                [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
    >>> m.result()  # [0.3846, 0.9091, 0.8333]
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        owner = type(self).__name__
        if average not in _AVERAGES:
            raise ValueError(
                f"{owner}: invalid average {average!r}. Expected one of None, 'micro', 'macro', "
                "'weighted'."
            )
        if isinstance(beta, bool) or not isinstance(beta, numbers.Real) or beta <= 0:
            raise ValueError(f"{owner}: beta must be a number > 0; received beta={beta!r}.")
        if threshold is not None and (
            isinstance(threshold, bool)
            or not isinstance(threshold, numbers.Real)
            or not 0.0 < threshold <= 1.0
        ):
            raise ValueError(
                f"{owner}: threshold must be a number in (0, 1] or None; received "
                f"threshold={threshold!r}."
            )
        self.average = average
        self.beta = float(beta)
        self.threshold = threshold
        self._axis = None if average == "micro" else 0
        self._num_classes = None

    def _build(self, num_classes: int) -> None:
        shape = () if self.average == "micro" else (num_classes,)
        self._num_classes = num_classes
        self.true_positives = self.add_variable(shape, initializer="zeros", name="true_positives")
        self.false_positives = self.add_variable(shape, initializer="zeros", name="false_positives")
        self.false_negatives = self.add_variable(shape, initializer="zeros", name="false_negatives")
        self.intermediate_weights = self.add_variable(
            shape, initializer="zeros", name="intermediate_weights"
        )

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Accumulates true positives, false positives and false negatives per class.

        Args:
            y_true: binary (one-hot or multi-hot) labels, shape `(batch, num_classes)`.
            y_pred: scores of the same shape.
            sample_weight: optional per-sample weights, shape `(batch,)`.
        """
        owner = type(self).__name__
        y_pred = as_float(as_tensor(y_pred), self._tork_dtype)
        y_true = as_tensor(y_true).to(device=y_pred.device, dtype=y_pred.dtype)
        if y_pred.dim() != 2 or y_true.dim() != 2:
            raise ValueError(
                f"{owner} expects 2D inputs of shape (batch_size, num_classes); got labels of "
                f"shape {shape_str(y_true)} and predictions of shape {shape_str(y_pred)}."
            )
        if y_true.shape != y_pred.shape:
            raise ValueError(
                f"{owner}: labels of shape {shape_str(y_true)} do not match predictions of "
                f"shape {shape_str(y_pred)}. Pass one-hot (or multi-hot) labels."
            )
        if self._num_classes is None:
            self._build(y_pred.shape[-1])
        elif y_pred.shape[-1] != self._num_classes:
            raise ValueError(
                f"{owner} was first used with {self._num_classes} classes but now got "
                f"predictions of shape {shape_str(y_pred)}."
            )
        if self.threshold is None:
            top = y_pred.amax(dim=-1, keepdim=True)
            # An all-zero row must not make every class positive.
            predicted = (y_pred >= top) & (y_pred.abs() > 1e-9)
        else:
            predicted = y_pred > self.threshold
        predicted = predicted.to(y_pred.dtype)
        weight = None
        if sample_weight is not None:
            weight = as_tensor(sample_weight).to(device=y_pred.device, dtype=y_pred.dtype)
            if weight.dim() == 1:
                weight = weight.unsqueeze(1)

        def weighted_sum(values):
            if weight is not None:
                values = values * weight
            return values.sum() if self._axis is None else values.sum(dim=0)

        self.true_positives.add_(weighted_sum(predicted * y_true))
        self.false_positives.add_(weighted_sum(predicted * (1.0 - y_true)))
        self.false_negatives.add_(weighted_sum((1.0 - predicted) * y_true))
        self.intermediate_weights.add_(weighted_sum(y_true))

    def result(self) -> torch.Tensor:
        """Returns the score (per class when `average` is None)."""
        if self._num_classes is None:
            return torch.zeros((), dtype=self._tork_dtype, device=self._device)
        tp = self.true_positives
        precision = tp / (tp + self.false_positives + EPSILON)
        recall = tp / (tp + self.false_negatives + EPSILON)
        beta2 = self.beta**2
        score = (1.0 + beta2) * (precision * recall) / (beta2 * precision + recall + EPSILON)
        if self.average == "weighted":
            weights = self.intermediate_weights / (self.intermediate_weights.sum() + EPSILON)
            return (score * weights).sum()
        if self.average is not None:
            return score.mean()
        return score

    def reset_state(self) -> None:
        """Zeroes the counts (the number of classes is kept)."""
        for variable in self.variables:
            variable.data.zero_()

    def get_config(self) -> dict:
        """Returns the constructor arguments."""
        return {
            "average": self.average,
            "beta": self.beta,
            "threshold": self.threshold,
            **super().get_config(),
        }


class F1Score(FBetaScore):
    """The F1 score `2 P R / (P + R)`, per class or averaged.

    Args:
        average: None, 'micro', 'macro' or 'weighted' (see `FBetaScore`).
        threshold: the decision threshold in (0, 1], or None for argmax.
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.F1Score(threshold=0.5)
    >>> m.update_state([[1, 1, 1], [1, 0, 0], [1, 1, 0]],
    ...                [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
    >>> m.result()  # [0.5, 0.8, 0.6667]
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict:
        """Returns the constructor arguments."""
        config = super().get_config()
        del config["beta"]
        return config
