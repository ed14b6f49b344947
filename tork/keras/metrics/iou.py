"""Intersection-over-Union metrics: `IoU`, `MeanIoU`, `BinaryIoU`, `OneHotIoU`, `OneHotMeanIoU`.

All of them accumulate a weighted `(num_classes, num_classes)` confusion matrix
(rows: true class, columns: predicted class) in the `total_cm` state variable
and compute, for each target class, `TP / (TP + FP + FN)`; the result is the
mean over the target classes whose denominator is not zero (Keras's rule: a
class that never appears in labels nor predictions does not count).

The matrix is filled with one `index_add_` over `label * num_classes + pred`,
on the device of the inputs and without a host sync, except for the range
checks described in `_IoUBase.update_state`.
"""

from __future__ import annotations

import numbers

import torch

from tork._backend.dtypes import dtype_name
from tork._backend.errors import InvalidArgumentError
from tork._backend.tracing import values_readable
from tork.keras.losses._utils import as_tensor, broadcastable, shape_str
from tork.keras.metrics.metric import Metric

# On accelerators, reading the labels back for the range check is a host sync: only the
# first updates of each metric check (typical label bugs show up at once); later updates
# drop out-of-range entries instead of failing.
_DEVICE_CHECKS = 5


def _check_num_classes(num_classes, owner: str) -> int:
    if isinstance(num_classes, bool) or not isinstance(num_classes, numbers.Integral):
        raise ValueError(
            f"{owner}: `num_classes` must be a positive integer; received "
            f"num_classes={num_classes!r}."
        )
    if num_classes < 1:
        raise ValueError(
            f"{owner}: `num_classes` must be a positive integer; received "
            f"num_classes={num_classes!r}."
        )
    return int(num_classes)


def _check_target_class_ids(target_class_ids, num_classes: int, owner: str) -> list[int]:
    if isinstance(target_class_ids, numbers.Integral) and not isinstance(target_class_ids, bool):
        target_class_ids = [target_class_ids]
    try:
        ids = [int(i) for i in target_class_ids]
    except (TypeError, ValueError):
        raise ValueError(
            f"{owner}: `target_class_ids` must be a list or tuple of class ids; received "
            f"target_class_ids={target_class_ids!r}."
        ) from None
    if not ids:
        raise ValueError(f"{owner}: `target_class_ids` must not be empty.")
    for i in ids:
        if not 0 <= i < num_classes:
            raise ValueError(
                f"{owner}: target class id {i} is out of range, which is [0, {num_classes}). "
                f"Received target_class_ids={list(target_class_ids)!r} with "
                f"num_classes={num_classes}."
            )
    return ids


def _class_ids(values: torch.Tensor) -> torch.Tensor:
    # Keras casts labels and predictions to the metric dtype, then to int: floats truncate.
    if values.dtype == torch.bool:
        return values.long()
    return values if values.dtype == torch.int64 else values.long()


class _IoUBase(Metric):
    """Accumulates the confusion matrix; subclasses compute the result from `total_cm`."""

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype=None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        super().__init__(name=name, dtype=dtype)
        owner = type(self).__name__
        self.num_classes = _check_num_classes(num_classes, owner)
        if ignore_class is not None and (
            isinstance(ignore_class, bool) or not isinstance(ignore_class, numbers.Integral)
        ):
            raise ValueError(
                f"{owner}: `ignore_class` must be an integer class id or None; received "
                f"ignore_class={ignore_class!r}."
            )
        self.ignore_class = None if ignore_class is None else int(ignore_class)
        self.sparse_y_true = bool(sparse_y_true)
        self.sparse_y_pred = bool(sparse_y_pred)
        self.axis = int(axis)
        self._checks_left = _DEVICE_CHECKS
        self.total_cm = self.add_variable(
            shape=(self.num_classes, self.num_classes),
            initializer="zeros",
            name="total_confusion_matrix",
        )

    def _predicted_classes(self, y_pred: torch.Tensor) -> torch.Tensor:
        if self.sparse_y_pred:
            return _class_ids(y_pred)
        return y_pred.argmax(dim=self.axis)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Adds the (weighted) confusion matrix of a batch to `total_cm`.

        Labels and predictions are flattened; entries whose label equals
        `ignore_class` are skipped. A label or prediction outside
        `[0, num_classes)` raises `InvalidArgumentError` (a `ValueError`) on
        the CPU and in the first updates on an accelerator; later updates on
        an accelerator skip such entries, so that updating never waits for
        the device.

        Args:
            y_true: class ids (`sparse_y_true=True`) or per-class scores / one-hot
                rows along `axis`.
            y_pred: class ids (`sparse_y_pred=True`) or per-class scores along `axis`.
            sample_weight: optional weights, of the labels' shape (after any argmax)
                or broadcastable to it, e.g. one weight per sample.
        """
        owner = type(self).__name__
        device = self._device
        y_true = as_tensor(y_true)
        y_pred = as_tensor(y_pred)
        if y_true.device != device:
            y_true = y_true.to(device)
        if y_pred.device != device:
            y_pred = y_pred.to(device)
        labels = _class_ids(y_true) if self.sparse_y_true else y_true.argmax(dim=self.axis)
        preds = self._predicted_classes(y_pred)
        if labels.numel() != preds.numel():
            hint = ""
            if self.sparse_y_pred and preds.numel() == labels.numel() * self.num_classes:
                hint = (
                    " The predictions look like per-class scores: pass sparse_y_pred=False "
                    "(or use OneHotMeanIoU / OneHotIoU for one-hot labels)."
                )
            raise ValueError(
                f"{owner}: labels of shape {shape_str(y_true)} and predictions of shape "
                f"{shape_str(y_pred)} give {labels.numel()} labels but {preds.numel()} "
                f"predicted classes; they must match one to one.{hint}"
            )
        weight = None
        if sample_weight is not None:
            weight = as_tensor(sample_weight).to(device=device, dtype=self._tork_dtype)
            if weight.shape != labels.shape:
                if weight.numel() == labels.numel():
                    weight = weight.reshape(labels.shape)
                else:
                    if weight.dim() < labels.dim():
                        extra = (1,) * (labels.dim() - weight.dim())
                        weight = weight.reshape(tuple(weight.shape) + extra)
                    if weight.dim() > labels.dim() or not broadcastable(weight.shape, labels.shape):
                        raise ValueError(
                            f"{owner}: sample_weight of shape {shape_str(as_tensor(sample_weight))} "
                            f"does not match labels of shape {tuple(labels.shape)}. Pass one "
                            "weight per label or one weight per sample."
                        )
                    weight = weight.expand(labels.shape)
            weight = weight.reshape(-1)
        labels = labels.reshape(-1)
        preds = preds.reshape(-1)
        n = self.num_classes
        out_of_range = (labels < 0) | (labels >= n) | (preds < 0) | (preds >= n)
        ignored = None if self.ignore_class is None else labels == self.ignore_class
        if values_readable(labels) and (device.type == "cpu" or self._checks_left > 0):
            if device.type != "cpu":
                self._checks_left -= 1
            bad = out_of_range if ignored is None else out_of_range & ~ignored
            if bool(bad.any()):
                self._raise_range(labels, preds, bad)
            if ignored is None:
                out_of_range = None
        keep = None
        if out_of_range is not None:
            keep = ~out_of_range
        if ignored is not None:
            keep = ~ignored if keep is None else keep & ~ignored
        index = labels * n + preds
        if keep is not None:
            index = torch.where(keep, index, torch.zeros_like(index))
            mask = keep.to(self._tork_dtype)
            weight = mask if weight is None else weight * mask
        if weight is None:
            weight = torch.ones(index.shape, dtype=self._tork_dtype, device=device)
        self.total_cm.data.view(-1).index_add_(0, index, weight)

    def _raise_range(self, labels, preds, bad) -> None:
        owner = type(self).__name__
        n = self.num_classes
        first = int(bad.nonzero()[0])
        label, pred = int(labels[first]), int(preds[first])
        which = f"label {label}" if not 0 <= label < n else f"predicted class {pred}"
        raise InvalidArgumentError(
            f"{owner}: {which} (at flattened position {first}) is out of range [0, {n}) for "
            f"num_classes={n}. Labels and predictions must be class ids below num_classes"
            + (
                f" (or equal to ignore_class={self.ignore_class})."
                if self.ignore_class is not None
                else "; pass ignore_class=... to skip a void label."
            )
        )

    def _iou(self, target: torch.Tensor | None) -> torch.Tensor:
        cm = self.total_cm
        true_positives = torch.diagonal(cm)
        predicted = cm.sum(dim=0)
        actual = cm.sum(dim=1)
        denominator = predicted + actual - true_positives
        if target is not None:
            true_positives = true_positives[target]
            denominator = denominator[target]
        valid = denominator != 0
        iou = torch.where(valid, true_positives / torch.where(valid, denominator, 1.0), 0.0)
        count = valid.sum().to(iou.dtype)
        return torch.where(count > 0, iou.sum() / count.clamp(min=1.0), 0.0).detach()

    def reset_state(self) -> None:
        """Zeroes the confusion matrix."""
        with torch.no_grad():
            self.total_cm.data.zero_()

    def _base_config(self) -> dict:
        return {"name": self.name, "dtype": dtype_name(self._tork_dtype)}


class IoU(_IoUBase):
    """Intersection-over-Union of the given classes, averaged over them.

    For each class `c`, `IoU_c = TP_c / (TP_c + FP_c + FN_c)`, counted from
    the (weighted) confusion matrix accumulated over every update. The result
    is the mean of `IoU_c` over `target_class_ids`, leaving out classes that
    appear neither in the labels nor in the predictions.

    Args:
        num_classes: the number of classes (the matrix is
            `num_classes x num_classes`).
        target_class_ids: the class ids (a list or tuple) to average over.
        name: the metric name.
        dtype: the dtype of the state and result.
        ignore_class: a label value to skip (e.g. a "void" class), or None.
        sparse_y_true: whether labels are class ids (True) or per-class scores
            along `axis` (False: the argmax is taken).
        sparse_y_pred: whether predictions are class ids (True) or per-class
            scores along `axis` (False: the argmax is taken).
        axis: the class axis of non-sparse inputs.

    Example:
    >>> m = keras.metrics.IoU(num_classes=2, target_class_ids=[0])
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> float(m.result())  # 1 / (2 + 2 - 1)
    0.3333333432674408
    """

    def __init__(
        self,
        num_classes: int,
        target_class_ids,
        name: str | None = None,
        dtype=None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        super().__init__(
            num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )
        self.target_class_ids = _check_target_class_ids(
            target_class_ids, self.num_classes, type(self).__name__
        )
        self._target = torch.tensor(self.target_class_ids, dtype=torch.long, device=self._device)

    def _on_device_change(self, device) -> None:
        self._target = self._target.to(device)

    def result(self) -> torch.Tensor:
        """Returns the mean IoU over the target classes with a nonzero denominator."""
        return self._iou(self._target)

    def get_config(self) -> dict:
        """Returns the constructor arguments."""
        return {
            "num_classes": self.num_classes,
            "target_class_ids": list(self.target_class_ids),
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
            **self._base_config(),
        }


class MeanIoU(_IoUBase):
    """Mean Intersection-over-Union over all classes (semantic segmentation's mIoU).

    `IoU_c = TP_c / (TP_c + FP_c + FN_c)` per class from the (weighted)
    confusion matrix accumulated over every update; the result is their mean
    over the classes that appear in the labels or the predictions.

    Args:
        num_classes: the number of classes.
        name: the metric name.
        dtype: the dtype of the state and result.
        ignore_class: a label value to skip (e.g. a "void" class), or None.
        sparse_y_true: whether labels are class ids (True) or per-class scores
            along `axis` (False: the argmax is taken).
        sparse_y_pred: whether predictions are class ids (True) or per-class
            scores along `axis` (False: the argmax is taken).
        axis: the class axis of non-sparse inputs.

    Example:
    >>> m = keras.metrics.MeanIoU(num_classes=2)
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> float(m.result())  # (1/3 + 1/3) / 2
    0.3333333432674408
    """

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype=None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        super().__init__(
            num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )
        self.target_class_ids = list(range(self.num_classes))

    def result(self) -> torch.Tensor:
        """Returns the mean IoU over the classes with a nonzero denominator."""
        return self._iou(None)

    def get_config(self) -> dict:
        """Returns the constructor arguments."""
        return {
            "num_classes": self.num_classes,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
            **self._base_config(),
        }


class BinaryIoU(IoU):
    """IoU of class 0 and/or class 1 for binary predictions (probabilities or logits).

    Predictions `>= threshold` become class 1, the others class 0; labels
    are 0 or 1. The result is the mean IoU over `target_class_ids`.

    Args:
        target_class_ids: `[0]`, `[1]` or `[0, 1]` (the default).
        threshold: the decision threshold; with logits use 0.
        name: the metric name.
        dtype: the dtype of the state and result.

    Example:
    >>> m = keras.metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
    >>> float(m.result())
    0.3333333432674408
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
            raise ValueError(
                f"BinaryIoU: `threshold` must be a number; received threshold={threshold!r}."
            )
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = float(threshold)

    def _predicted_classes(self, y_pred: torch.Tensor) -> torch.Tensor:
        if not y_pred.is_floating_point():
            y_pred = y_pred.to(self._tork_dtype)
        return (y_pred >= self.threshold).long()

    def get_config(self) -> dict:
        """Returns the constructor arguments."""
        return {
            "target_class_ids": list(self.target_class_ids),
            "threshold": self.threshold,
            **self._base_config(),
        }


class OneHotIoU(IoU):
    """IoU of the given classes for one-hot labels and per-class scores.

    The same as `IoU(..., sparse_y_true=False)`: the argmax of the labels and
    (unless `sparse_y_pred=True`) of the predictions along `axis` give the
    classes.

    Args:
        num_classes: the number of classes.
        target_class_ids: the class ids (a list or tuple) to average over.
        name: the metric name.
        dtype: the dtype of the state and result.
        ignore_class: a class id to skip, or None.
        sparse_y_pred: whether predictions are already class ids.
        axis: the class axis.

    Example:
    >>> m = keras.metrics.OneHotIoU(num_classes=3, target_class_ids=[0, 2])
    >>> m.update_state([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]],
    ...                [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1],
    ...                 [0.1, 0.4, 0.5]])
    >>> round(float(m.result()), 4)  # (0/3 + 1/3) / 2
    0.1667
    """

    def __init__(
        self,
        num_classes: int,
        target_class_ids,
        name: str | None = None,
        dtype=None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ):
        super().__init__(
            num_classes=num_classes,
            target_class_ids=target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        """Returns the constructor arguments."""
        return {
            "num_classes": self.num_classes,
            "target_class_ids": list(self.target_class_ids),
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
            **self._base_config(),
        }


class OneHotMeanIoU(MeanIoU):
    """Mean IoU over all classes for one-hot labels and per-class scores.

    The same as `MeanIoU(..., sparse_y_true=False)`.

    Args:
        num_classes: the number of classes.
        name: the metric name.
        dtype: the dtype of the state and result.
        ignore_class: a class id to skip, or None.
        sparse_y_pred: whether predictions are already class ids.
        axis: the class axis.

    Example:
    >>> m = keras.metrics.OneHotMeanIoU(num_classes=3)
    >>> m.update_state([[0, 0, 1], [1, 0, 0]], [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7]])
    >>> float(m.result())  # class 0: 0/1, class 2: 1/2
    0.25
    """

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype=None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ):
        super().__init__(
            num_classes=num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        """Returns the constructor arguments."""
        return {
            "num_classes": self.num_classes,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
            **self._base_config(),
        }
