"""Confusion-matrix metrics: TP/FP/TN/FN counts, Precision, Recall and AUC.

Counts at many thresholds are taken with one `searchsorted` and a histogram
(O(samples + thresholds)), not a samples x thresholds comparison, so AUC's 200
thresholds cost about as much as one.
"""

from __future__ import annotations

import numbers

import torch

from tork.keras.losses._utils import (
    EPSILON,
    align_weight,
    as_float,
    as_tensor,
    broadcast_shape,
    check_same_shape,
    squeeze_or_expand,
)
from tork.keras.metrics.metric import Metric

_NEG_INF = -1e10
# Up to this many thresholds a dense comparison is cheaper than the histogram.
_DENSE_THRESHOLDS = 8


def _check_thresholds(thresholds, owner: str, default: float) -> list[float]:
    if thresholds is None:
        return [default]
    values = [thresholds] if isinstance(thresholds, numbers.Number) else list(thresholds)
    for value in values:
        if not isinstance(value, numbers.Number) or not 0.0 <= float(value) <= 1.0:
            raise ValueError(
                f"{owner}: threshold values must be numbers in [0, 1]; received "
                f"thresholds={thresholds!r}."
            )
    if not values:
        raise ValueError(f"{owner}: thresholds must not be empty.")
    return [float(v) for v in values]


def _filter_top_k(y_pred: torch.Tensor, k: int) -> torch.Tensor:
    k = min(int(k), y_pred.shape[-1])
    index = y_pred.topk(k, dim=-1).indices
    keep = torch.zeros_like(y_pred, dtype=torch.bool).scatter_(-1, index, True)
    return y_pred.masked_fill(~keep, _NEG_INF)


def _inputs(metric, y_true, y_pred, sample_weight, owner, top_k=None, class_id=None):
    """Flattened predictions, positive-label mask and weights (or None), on the state device."""
    # A Keras mask on `y_pred` is ignored, as Keras 2's metrics: compile()'s metrics
    # container folds masks into the sample weights.
    y_pred = as_float(as_tensor(y_pred), metric._tork_dtype)
    if y_pred.device != metric._device:
        y_pred = y_pred.to(metric._device)
    y_true = as_tensor(y_true)
    if y_true.device != y_pred.device:
        y_true = y_true.to(y_pred.device)
    if y_true.shape != y_pred.shape:
        y_true, y_pred = squeeze_or_expand(y_true, y_pred)
        check_same_shape(y_true, y_pred, owner)
    weight = None
    if sample_weight is not None:
        weight = as_tensor(sample_weight).to(device=y_pred.device, dtype=y_pred.dtype)
        aligned, weight = align_weight(y_pred, weight)
        y_true, y_pred = y_true.reshape(aligned.shape), aligned
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        num_classes = y_pred.shape[-1] if y_pred.dim() else 0
        if not 0 <= class_id < num_classes:
            raise ValueError(
                f"{owner}: class_id={class_id} is out of range for predictions of shape "
                f"{tuple(y_pred.shape)} ({num_classes} classes)."
            )
        if weight is not None:
            weight = weight.expand(broadcast_shape(weight.shape, y_pred.shape))
            weight = weight[..., class_id]
        y_true = y_true[..., class_id]
        y_pred = y_pred[..., class_id]
    positive = y_true != 0 if y_true.dtype != torch.bool else y_true
    if weight is not None:
        weight = weight.expand(y_pred.shape)
    return y_pred, positive, weight


def _counts(y_pred, positive, weight, thresholds, sorted_thresholds=True, labels_axis=False):
    """Weighted (tp, fp, total_pos, total_neg) at each threshold (`pred > threshold`).

    With `labels_axis`, the last axis of the inputs is kept (multi-label AUC) and
    the counts have shape `(num_thresholds, num_labels)`.
    """
    dtype = y_pred.dtype
    pos = positive.to(dtype)
    if weight is None:
        pos_w, neg_w = pos, 1.0 - pos
    else:
        pos_w, neg_w = pos * weight, (1.0 - pos) * weight
    if labels_axis:
        labels = y_pred.shape[-1]
        y_pred = y_pred.reshape(-1, labels)
        pos_w, neg_w = pos_w.reshape(-1, labels), neg_w.reshape(-1, labels)
    else:
        y_pred, pos_w, neg_w = y_pred.reshape(-1), pos_w.reshape(-1), neg_w.reshape(-1)
    if thresholds.shape[0] <= _DENSE_THRESHOLDS and not labels_axis:
        above = (y_pred.unsqueeze(0) > thresholds.unsqueeze(1)).to(dtype)
        return above @ pos_w, above @ neg_w, pos_w.sum(), neg_w.sum()
    if sorted_thresholds:
        return _histogram_counts(y_pred, pos_w, neg_w, thresholds, labels_axis)
    order = torch.argsort(thresholds)
    tp, fp, tot_p, tot_n = _histogram_counts(y_pred, pos_w, neg_w, thresholds[order], labels_axis)
    inverse = torch.argsort(order)
    return tp[inverse], fp[inverse], tot_p, tot_n


def _histogram_counts(y_pred, pos_w, neg_w, thresholds, labels_axis):
    num = thresholds.shape[0]
    dtype = y_pred.dtype
    # n = the number of (ascending) thresholds strictly below each prediction; NaN is
    # above none, as the comparison `nan > t` is false.
    n = torch.searchsorted(thresholds, torch.nan_to_num(y_pred.contiguous(), nan=-float("inf")))
    if labels_axis:
        labels = y_pred.shape[-1]
        index = (n * labels + torch.arange(labels, device=n.device)).reshape(-1)
        shape = (num + 1, labels)
        pos_w, neg_w = pos_w.reshape(-1), neg_w.reshape(-1)
    else:
        index, shape = n, (num + 1,)
    size = shape[0] * (shape[1] if len(shape) > 1 else 1)
    hist_p = torch.zeros(size, dtype=dtype, device=n.device).index_add_(0, index, pos_w)
    hist_n = torch.zeros(size, dtype=dtype, device=n.device).index_add_(0, index, neg_w)
    # Counts above threshold i are the bins n > i: suffix sums.
    above_p = hist_p.reshape(shape).flip(0).cumsum(0).flip(0)
    above_n = hist_n.reshape(shape).flip(0).cumsum(0).flip(0)
    return above_p[1:], above_n[1:], above_p[0], above_n[0]


def _divide_no_nan(a, b):
    return torch.where(b != 0, a / torch.where(b != 0, b, torch.ones_like(b)), torch.zeros_like(a))


def _evenly_spaced(values: list[float]) -> bool:
    """Whether `values` are the n >= 3 points i / (n - 1), i = 0..n-1 (to within 1e-7)."""
    n = len(values)
    return n >= 3 and all(abs(v - i / (n - 1)) <= EPSILON for i, v in enumerate(values))


class _ThresholdMetric(Metric):
    """Shared threshold handling: the thresholds as a tensor on the state device."""

    def _set_thresholds(self, values: list[float], evenly=None) -> None:
        self._threshold_values = values
        self._sorted = all(a <= b for a, b in zip(values, values[1:]))
        self._thresholds_t = torch.tensor(values, dtype=self._tork_dtype, device=self._device)
        # Keras 2 counts evenly spaced thresholds (AUC's and the constrained metrics'
        # defaults, or a given list like [0, 0.5, 1]) by bucketing predictions clipped
        # to [0, 1]: a prediction of 1.7 counts as 1.0 and -0.3 as 0.0. Other threshold
        # lists compare the raw predictions. `evenly` overrides the check (AUC checks
        # its thresholds without the epsilon end points).
        self._clip_predictions = _evenly_spaced(values) if evenly is None else evenly

    def _clip(self, y_pred: torch.Tensor) -> torch.Tensor:
        return y_pred.clamp(0.0, 1.0) if self._clip_predictions else y_pred

    def _on_device_change(self, device) -> None:
        self._thresholds_t = self._thresholds_t.to(device)


class _ConfusionMatrixConditionCount(_ThresholdMetric):
    _condition = ""

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        values = _check_thresholds(thresholds, type(self).__name__, 0.5)
        self.init_thresholds = thresholds
        self.thresholds = values
        self._set_thresholds(values)
        self.accumulator = self.add_variable(
            shape=(len(values),), initializer="zeros", name="accumulator"
        )

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Accumulates the weighted count at each threshold (`y_pred > threshold`).

        Args:
            y_true: binary labels (nonzero is positive).
            y_pred: predictions in [0, 1], same shape.
            sample_weight: optional weights.
        """
        y_pred, positive, weight = _inputs(self, y_true, y_pred, sample_weight, type(self).__name__)
        y_pred = self._clip(y_pred)
        tp, fp, tot_p, tot_n = _counts(y_pred, positive, weight, self._thresholds_t, self._sorted)
        if self._condition == "tp":
            count = tp
        elif self._condition == "fp":
            count = fp
        else:
            # A difference of float sums can round to a tiny negative count (-2e-6): a
            # count is never below zero.
            count = (tot_p - tp if self._condition == "fn" else tot_n - fp).clamp(min=0.0)
        self.accumulator.add_(count)

    def result(self) -> torch.Tensor:
        """Returns the count (a vector when several thresholds were given)."""
        if len(self._threshold_values) == 1:
            return self.accumulator[0].clone()
        return self.accumulator.clone()

    def get_config(self) -> dict:
        """Returns the constructor arguments."""
        return {"thresholds": self.init_thresholds, **super().get_config()}


class TruePositives(_ConfusionMatrixConditionCount):
    """The weighted number of true positives (label positive, `y_pred > threshold`).

    Args:
        thresholds: a float or list of floats in [0, 1]; default 0.5.
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.TruePositives()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> m.result()  # 2.0
    """

    _condition = "tp"


class FalsePositives(_ConfusionMatrixConditionCount):
    """The weighted number of false positives (label negative, `y_pred > threshold`).

    Args:
        thresholds: a float or list of floats in [0, 1]; default 0.5.
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.FalsePositives()
    >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1])
    >>> m.result()  # 2.0
    """

    _condition = "fp"


class TrueNegatives(_ConfusionMatrixConditionCount):
    """The weighted number of true negatives (label negative, `y_pred <= threshold`).

    Args:
        thresholds: a float or list of floats in [0, 1]; default 0.5.
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.TrueNegatives()
    >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0])
    >>> m.result()  # 2.0
    """

    _condition = "tn"


class FalseNegatives(_ConfusionMatrixConditionCount):
    """The weighted number of false negatives (label positive, `y_pred <= threshold`).

    Args:
        thresholds: a float or list of floats in [0, 1]; default 0.5.
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.FalseNegatives()
    >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
    >>> m.result()  # 2.0
    """

    _condition = "fn"


class _PrecisionRecall(_ThresholdMetric):
    _second = ""

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        owner = type(self).__name__
        if top_k is not None and (not isinstance(top_k, numbers.Integral) or top_k < 1):
            raise ValueError(
                f"{owner}: top_k must be a positive integer; received top_k={top_k!r}."
            )
        default = 0.5 if top_k is None else _NEG_INF
        if thresholds is None:
            values = [default]
        else:
            values = _check_thresholds(thresholds, owner, default)
        self.init_thresholds = thresholds
        self.thresholds = values
        self.top_k = top_k
        self.class_id = class_id
        self._set_thresholds(values)
        size = (len(values),)
        self.true_positives = self.add_variable(size, initializer="zeros", name="true_positives")
        second = "false_positives" if self._second == "fp" else "false_negatives"
        setattr(self, second, self.add_variable(size, initializer="zeros", name=second))

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Accumulates true positives and false positives/negatives.

        Args:
            y_true: binary labels (nonzero is positive).
            y_pred: predictions in [0, 1], same shape.
            sample_weight: optional weights.
        """
        y_pred, positive, weight = _inputs(
            self,
            y_true,
            y_pred,
            sample_weight,
            type(self).__name__,
            top_k=self.top_k,
            class_id=self.class_id,
        )
        y_pred = self._clip(y_pred)
        tp, fp, tot_p, _ = _counts(y_pred, positive, weight, self._thresholds_t, self._sorted)
        self.true_positives.add_(tp)
        if self._second == "fp":
            self.false_positives.add_(fp)
        else:
            self.false_negatives.add_(tot_p - tp)

    def result(self) -> torch.Tensor:
        """Returns the value at each threshold (a scalar for one threshold)."""
        tp = self.true_positives
        other = self.false_positives if self._second == "fp" else self.false_negatives
        value = _divide_no_nan(tp, tp + other)
        return value[0] if len(self._threshold_values) == 1 else value

    def get_config(self) -> dict:
        """Returns the constructor arguments."""
        return {
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
            **super().get_config(),
        }


class Precision(_PrecisionRecall):
    """Precision `tp / (tp + fp)` of thresholded predictions (`y_pred > threshold`).

    Args:
        thresholds: a float or list of floats in [0, 1]; default 0.5 (or, with
            `top_k`, every top-k prediction counts as positive).
        top_k: only the `k` highest predictions per sample can be positive.
        class_id: only this class (index on the last axis) is evaluated.
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.Precision()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> m.result()  # 0.6667
    """

    _second = "fp"


class Recall(_PrecisionRecall):
    """Recall `tp / (tp + fn)` of thresholded predictions (`y_pred > threshold`).

    Args:
        thresholds: a float or list of floats in [0, 1]; default 0.5.
        top_k: only the `k` highest predictions per sample can be positive.
        class_id: only this class (index on the last axis) is evaluated.
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.Recall()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> m.result()  # 0.6667
    """

    _second = "fn"


_CURVES = ("ROC", "PR", "PR_GAIN")
_SUMMATIONS = ("interpolation", "minoring", "majoring")


def _pr_gain(tp, fp, tn, fn):
    """Recall gain and precision gain (Flach & Kull's precision-recall-gain curve).

    Both are `1 - (P / N) * (fn or fp) / tp`. Where there is no true positive the
    gains diverge: recall gain is then 0 and precision gain 1, as Keras 2 does, and a
    negative recall gain (recall below the positive rate) is clipped to 0.
    """
    scale = _divide_no_nan(tp + fn, fp + tn)
    recall_gain = 1.0 - scale * _divide_no_nan(fn, tp)
    precision_gain = 1.0 - scale * _divide_no_nan(fp, tp)
    none = tp == 0
    recall_gain = torch.where(none, torch.zeros_like(recall_gain), recall_gain).clamp(min=0.0)
    precision_gain = torch.where(none, torch.ones_like(precision_gain), precision_gain)
    return recall_gain, precision_gain


class AUC(_ThresholdMetric):
    """Area under the ROC or precision-recall curve, from counts at fixed thresholds.

    Thresholds are `[-1e-7] + [i / (n - 1) for i in 1..n-2] + [1 + 1e-7]`. ROC
    uses the trapezoid rule; PR with 'interpolation' uses Davis & Goadrich's
    interpolation of precision between thresholds.

    Args:
        num_thresholds: how many thresholds; default 200.
        curve: 'ROC', 'PR' or 'PR_GAIN' (precision-recall-gain).
        summation_method: 'interpolation', 'minoring' (left Riemann sum) or
            'majoring' (right Riemann sum).
        name: the metric name.
        dtype: the state dtype.
        thresholds: explicit thresholds in [0, 1] (then `num_thresholds` is
            their number + 2, with -1e-7 and 1 + 1e-7 added).
        multi_label: whether each column is a separate label (AUCs averaged)
            rather than all entries pooled.
        num_labels: the number of labels for `multi_label` (else inferred).
        label_weights: per-label weights: for pooling (multi_label False), or
            for averaging the per-label AUCs.
        from_logits: whether predictions are logits (a sigmoid is applied).

    Example:
    >>> m = keras.metrics.AUC()
    >>> m.update_state([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> m.result()  # 0.75
    """

    def __init__(
        self,
        num_thresholds=200,
        curve="ROC",
        summation_method="interpolation",
        name=None,
        dtype=None,
        thresholds=None,
        multi_label=False,
        num_labels=None,
        label_weights=None,
        from_logits=False,
    ):
        super().__init__(name=name, dtype=dtype)
        curve_name = str(curve).upper()
        if curve_name == "PRGAIN":
            curve_name = "PR_GAIN"
        if curve_name not in _CURVES:
            raise ValueError(
                f"AUC: invalid curve {curve!r}. Expected one of 'ROC', 'PR', 'PR_GAIN'."
            )
        method = str(summation_method).lower()
        if method == "careful_interpolation":
            method = "interpolation"
        if method not in _SUMMATIONS:
            raise ValueError(
                f"AUC: invalid summation_method {summation_method!r}. Expected one of "
                "'interpolation', 'minoring', 'majoring'."
            )
        if thresholds is not None:
            inner = sorted(_check_thresholds(thresholds, "AUC", 0.5))
            num_thresholds = len(inner) + 2
        else:
            if not isinstance(num_thresholds, numbers.Integral) or num_thresholds <= 1:
                raise ValueError(
                    f"AUC: num_thresholds must be an integer > 1; received {num_thresholds!r}."
                )
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        self.num_thresholds = int(num_thresholds)
        self.curve = curve_name
        self.summation_method = method
        self.multi_label = bool(multi_label)
        self.num_labels = num_labels
        self.from_logits = bool(from_logits)
        self._init_from_thresholds = thresholds is not None
        self.label_weights = None
        if label_weights is not None:
            self.label_weights = torch.as_tensor(label_weights, dtype=self._tork_dtype).to(
                self._device
            )
        self._set_thresholds(
            [0.0 - EPSILON] + inner + [1.0 + EPSILON], evenly=_evenly_spaced([0.0] + inner + [1.0])
        )
        self._built = False
        if not self.multi_label or num_labels is not None:
            self._build(num_labels)

    @property
    def thresholds(self) -> list[float]:
        """The thresholds, including the -1e-7 and 1 + 1e-7 end points."""
        return list(self._threshold_values)

    def _on_device_change(self, device) -> None:
        super()._on_device_change(device)
        if self.label_weights is not None:
            self.label_weights = self.label_weights.to(device)

    def _build(self, num_labels) -> None:
        shape = (
            (self.num_thresholds,) if not self.multi_label else (self.num_thresholds, num_labels)
        )
        self.num_labels = num_labels
        # Keras 2's order (tp, tn, fp, fn): `variables` and `get_weights()` line up with tf_keras.
        for name in ("true_positives", "true_negatives", "false_positives", "false_negatives"):
            setattr(self, name, self.add_variable(shape, initializer="zeros", name=name))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Accumulates the confusion counts at every threshold.

        Args:
            y_true: binary labels (nonzero is positive).
            y_pred: probabilities (or logits with `from_logits`), same shape.
            sample_weight: optional weights.
        """
        y_pred = as_float(as_tensor(y_pred), self._tork_dtype)
        if self.from_logits:
            y_pred = torch.sigmoid(y_pred)
        y_pred, positive, weight = _inputs(self, y_true, y_pred, sample_weight, "AUC")
        if self.multi_label:
            if y_pred.dim() != 2:
                raise ValueError(
                    "AUC with multi_label=True expects predictions of shape (batch, num_labels); "
                    f"got {tuple(y_pred.shape)}."
                )
            if not self._built:
                self._build(y_pred.shape[-1])
            elif y_pred.shape[-1] != self.num_labels:
                raise ValueError(
                    f"AUC was built for {self.num_labels} labels but got predictions of shape "
                    f"{tuple(y_pred.shape)}."
                )
        elif self.label_weights is not None:
            label_w = self.label_weights.expand(y_pred.shape)
            weight = label_w if weight is None else weight * label_w
        y_pred = self._clip(y_pred)
        tp, fp, tot_p, tot_n = _counts(
            y_pred, positive, weight, self._thresholds_t, True, labels_axis=self.multi_label
        )
        self.true_positives.add_(tp)
        self.false_positives.add_(fp)
        self.true_negatives.add_(tot_n - fp)
        self.false_negatives.add_(tot_p - tp)

    def _average(self, per_threshold: torch.Tensor) -> torch.Tensor:
        if not self.multi_label:
            return per_threshold.sum()
        by_label = per_threshold.sum(dim=0)
        if self.label_weights is None:
            return by_label.mean()
        return _divide_no_nan((by_label * self.label_weights).sum(), self.label_weights.sum())

    def _interpolate_pr_auc(self) -> torch.Tensor:
        # Between adjacent thresholds TP grows linearly with P = TP + FP, so precision
        # is slope + intercept / P; integrating it over recall gives, per interval,
        # slope * (dTP + intercept * log(P_lo / P_hi)) / (TP + FN).
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = _divide_no_nan(dtp, dp.clamp(min=0))
        intercept = tp[1:] - slope * p[1:]
        both = (p[:-1] > 0) & (p[1:] > 0)
        ratio = torch.where(both, _divide_no_nan(p[:-1], p[1:].clamp(min=0)), torch.ones_like(dp))
        increments = _divide_no_nan(
            slope * (dtp + intercept * torch.log(ratio)), (tp[1:] + fn[1:]).clamp(min=0)
        )
        return self._average(increments)

    def interpolate_pr_auc(self) -> torch.Tensor:
        """Returns the PR-AUC with Davis & Goadrich's interpolation, from the current counts.

        This is what `result()` returns for `curve='PR'` with
        `summation_method='interpolation'`; it is public as in Keras 2.
        """
        return self._interpolate_pr_auc()

    def result(self) -> torch.Tensor:
        """Returns the area under the curve."""
        if not self._built:
            return torch.zeros((), dtype=self._tork_dtype, device=self._device)
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolate_pr_auc()
        tp, fp = self.true_positives, self.false_positives
        tn, fn = self.true_negatives, self.false_negatives
        recall = _divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, _divide_no_nan(tp, tp + fp)
        else:
            x, y = _pr_gain(tp, fp, tn, fn)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = torch.minimum(y[:-1], y[1:])
        else:
            heights = torch.maximum(y[:-1], y[1:])
        return self._average((x[:-1] - x[1:]) * heights)

    def get_config(self) -> dict:
        """Returns the constructor arguments."""
        config = {
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": None if self.label_weights is None else self.label_weights.tolist(),
            "from_logits": self.from_logits,
            **super().get_config(),
        }
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
