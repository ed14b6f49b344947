"""Metrics at a constraint: precision at a recall, sensitivity at a specificity, etc.

Each keeps true/false positive/negative counts at `num_thresholds` evenly spread
thresholds (the same histogram counting as `AUC`) and reports the best value of
one rate among the thresholds where the other rate meets the constraint.
"""

from __future__ import annotations

import numbers

import torch

from tork.keras.metrics.confusion import _counts, _divide_no_nan, _inputs, _ThresholdMetric


class _SensitivitySpecificityBase(_ThresholdMetric):
    """Counts at `num_thresholds` thresholds; subclasses pick the rates in `result`."""

    # The constructor argument holding the constraint value, e.g. 'recall'.
    _value_name = ""

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        owner = type(self).__name__
        if (
            isinstance(value, bool)
            or not isinstance(value, numbers.Number)
            or not 0.0 <= float(value) <= 1.0
        ):
            raise ValueError(
                f"{owner}: argument `{self._value_name}` must be in the range [0, 1]. "
                f"Received: {self._value_name}={value!r}"
            )
        if (
            isinstance(num_thresholds, bool)
            or not isinstance(num_thresholds, numbers.Integral)
            or num_thresholds <= 0
        ):
            raise ValueError(
                f"{owner}: argument `num_thresholds` must be an integer > 0. "
                f"Received: num_thresholds={num_thresholds!r}"
            )
        if class_id is not None and (
            isinstance(class_id, bool) or not isinstance(class_id, numbers.Integral)
        ):
            raise ValueError(
                f"{owner}: class_id must be an integer index or None; received "
                f"class_id={class_id!r}."
            )
        self.value = float(value)
        self.num_thresholds = int(num_thresholds)
        self.class_id = None if class_id is None else int(class_id)
        if self.num_thresholds == 1:
            values = [0.5]
        else:
            # Exactly 0 and 1 at the ends (unlike AUC's -1e-7 and 1 + 1e-7), as in Keras:
            # a prediction of exactly 0 is negative at every threshold.
            n = self.num_thresholds
            values = [0.0] + [i / (n - 1) for i in range(1, n - 1)] + [1.0]
        self.thresholds = values
        self._set_thresholds(values, evenly=self.num_thresholds > 1)
        shape = (len(values),)
        # Keras 2's order (tp, tn, fp, fn): `variables` and `get_weights()` line up with tf_keras.
        self.true_positives = self.add_variable(shape, initializer="zeros", name="true_positives")
        self.true_negatives = self.add_variable(shape, initializer="zeros", name="true_negatives")
        self.false_positives = self.add_variable(shape, initializer="zeros", name="false_positives")
        self.false_negatives = self.add_variable(shape, initializer="zeros", name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Accumulates the confusion counts at every threshold (`y_pred > threshold`).

        Args:
            y_true: binary labels (nonzero is positive).
            y_pred: predictions in [0, 1], same shape.
            sample_weight: optional weights.
        """
        y_pred, positive, weight = _inputs(
            self, y_true, y_pred, sample_weight, type(self).__name__, class_id=self.class_id
        )
        y_pred = self._clip(y_pred)
        tp, fp, tot_p, tot_n = _counts(y_pred, positive, weight, self._thresholds_t, True)
        self.true_positives.add_(tp)
        self.false_positives.add_(fp)
        self.true_negatives.add_(tot_n - fp)
        self.false_negatives.add_(tot_p - tp)

    def _max_under_constraint(self, constrained, dependent) -> torch.Tensor:
        # The best `dependent` among thresholds whose `constrained` rate reaches the
        # target; 0 when none does. Kept on device: no host sync.
        feasible = constrained >= self.value
        best = torch.where(feasible, dependent, torch.zeros_like(dependent)).max()
        return torch.where(feasible.any(), best, torch.zeros_like(best))

    def _rates(self):
        tp, fp = self.true_positives, self.false_positives
        tn, fn = self.true_negatives, self.false_negatives
        recall = _divide_no_nan(tp, tp + fn)
        specificity = _divide_no_nan(tn, tn + fp)
        precision = _divide_no_nan(tp, tp + fp)
        return recall, specificity, precision

    def reset_state(self) -> None:
        """Zeroes the counts."""
        for variable in self.variables:
            variable.data.zero_()

    def get_config(self) -> dict:
        """Returns the constructor arguments."""
        return {
            "num_thresholds": self.num_thresholds,
            "class_id": self.class_id,
            self._value_name: self.value,
            **super().get_config(),
        }


class SensitivityAtSpecificity(_SensitivitySpecificityBase):
    """The best sensitivity (recall) at thresholds whose specificity is >= `specificity`.

    Args:
        specificity: the minimum specificity, in [0, 1].
        num_thresholds: how many thresholds to evaluate; default 200.
        class_id: optional class index to compute the metric for (the last axis).
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.SensitivityAtSpecificity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> m.result()  # 0.5
    """

    _value_name = "specificity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(
            specificity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype
        )
        self.specificity = self.value

    def result(self) -> torch.Tensor:
        """Returns the best sensitivity meeting the specificity constraint (0 if none)."""
        recall, specificity, _ = self._rates()
        return self._max_under_constraint(specificity, recall)


class SpecificityAtSensitivity(_SensitivitySpecificityBase):
    """The best specificity at thresholds whose sensitivity (recall) is >= `sensitivity`.

    Args:
        sensitivity: the minimum sensitivity, in [0, 1].
        num_thresholds: how many thresholds to evaluate; default 200.
        class_id: optional class index to compute the metric for (the last axis).
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.SpecificityAtSensitivity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> m.result()  # 0.6667
    """

    _value_name = "sensitivity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(
            sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype
        )
        self.sensitivity = self.value

    def result(self) -> torch.Tensor:
        """Returns the best specificity meeting the sensitivity constraint (0 if none)."""
        recall, specificity, _ = self._rates()
        return self._max_under_constraint(recall, specificity)


class PrecisionAtRecall(_SensitivitySpecificityBase):
    """The best precision at thresholds whose recall is >= `recall`.

    Args:
        recall: the minimum recall, in [0, 1].
        num_thresholds: how many thresholds to evaluate; default 200.
        class_id: optional class index to compute the metric for (the last axis).
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.PrecisionAtRecall(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> m.result()  # 0.5
    """

    _value_name = "recall"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(
            recall, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype
        )
        self.recall = self.value

    def result(self) -> torch.Tensor:
        """Returns the best precision meeting the recall constraint (0 if none)."""
        recall, _, precision = self._rates()
        return self._max_under_constraint(recall, precision)


class RecallAtPrecision(_SensitivitySpecificityBase):
    """The best recall at thresholds whose precision is >= `precision`.

    Args:
        precision: the minimum precision, in [0, 1].
        num_thresholds: how many thresholds to evaluate; default 200.
        class_id: optional class index to compute the metric for (the last axis).
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.RecallAtPrecision(0.8)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> m.result()  # 0.5
    """

    _value_name = "precision"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(
            precision, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype
        )
        self.precision = self.value

    def result(self) -> torch.Tensor:
        """Returns the best recall meeting the precision constraint (0 if none)."""
        recall, _, precision = self._rates()
        return self._max_under_constraint(precision, recall)
