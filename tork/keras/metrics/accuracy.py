"""Accuracy metrics and their per-sample functions."""

from __future__ import annotations

import torch

from tork.keras.losses._utils import (
    as_float,
    as_tensor,
    like,
    prepare,
    shape_str,
    sparse_labels,
    squeeze_or_expand,
)
from tork.keras.metrics.reduction import MeanMetricWrapper


def _matches(y_true, y_pred, owner):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    return (y_true == y_pred).to(y_pred.dtype)


def _binary_matches(y_true, y_pred, owner, threshold=0.5):
    y_true, y_pred = prepare(y_true, y_pred, owner)
    predicted = (y_pred > threshold).to(y_pred.dtype)
    return (y_true == predicted).to(y_pred.dtype)


def _binary_accuracy(y_true, y_pred, owner, threshold=0.5):
    return _binary_matches(y_true, y_pred, owner, threshold).mean(dim=-1)


def _one_hot_inputs(y_true, y_pred, owner, sparse_name):
    y_pred = as_float(as_tensor(y_pred))
    y_true = like(as_tensor(y_true), y_pred)
    if y_true.shape != y_pred.shape:
        y_true, y_pred = squeeze_or_expand(y_true, y_pred)
        if y_true.shape != y_pred.shape:
            message = (
                f"{owner} expects one-hot labels of the predictions' shape {shape_str(y_pred)}, "
                f"but got labels of shape {shape_str(y_true)}."
            )
            batch = tuple(y_pred.shape[:-1])
            if y_pred.dim() > 0 and tuple(y_true.shape) in (batch, batch + (1,)):
                message += f" These look like integer class indices: use {sparse_name}."
            raise ValueError(message)
    return y_true, y_pred


def _categorical_accuracy(y_true, y_pred, owner):
    y_true, y_pred = _one_hot_inputs(y_true, y_pred, owner, "SparseCategoricalAccuracy")
    # torch.argmax returns the first maximal index, so ties go to the lowest class.
    return (y_true.argmax(dim=-1) == y_pred.argmax(dim=-1)).to(y_pred.dtype)


def _sparse_categorical_accuracy(y_true, y_pred, owner):
    y_pred = as_float(as_tensor(y_pred))
    labels = sparse_labels(y_true, y_pred, owner, dense_name="CategoricalAccuracy")
    predicted = y_pred.argmax(dim=-1)
    raw = as_tensor(y_true)
    if isinstance(raw, torch.Tensor) and raw.is_floating_point():
        # Keras casts the argmax to the labels' float dtype and compares exactly, so a
        # fractional label (a bilinear-resized segmentation mask) never matches; comparing
        # the truncated labels would count it as its floor class.
        raw = raw.reshape(labels.shape).to(labels.device)
        return (raw == predicted.to(raw.dtype)).to(y_pred.dtype)
    return (labels == predicted).to(y_pred.dtype)


def _in_top_k(labels: torch.Tensor, y_pred: torch.Tensor, k: int) -> torch.Tensor:
    # TensorFlow's in_top_k: a target is in the top k when fewer than k classes score
    # strictly higher, so ties at the boundary count as hits.
    index = labels.clamp(0, max(y_pred.shape[-1] - 1, 0)).unsqueeze(-1)
    target = y_pred.gather(-1, index)
    higher = (y_pred > target).sum(dim=-1)
    valid = (labels >= 0) & (labels < y_pred.shape[-1]) & torch.isfinite(target.squeeze(-1))
    return (higher < k) & valid


def _top_k_categorical_accuracy(y_true, y_pred, owner, k=5):
    y_true, y_pred = _one_hot_inputs(y_true, y_pred, owner, "SparseTopKCategoricalAccuracy")
    return _in_top_k(y_true.argmax(dim=-1), y_pred, int(k)).to(y_pred.dtype)


def _sparse_top_k_categorical_accuracy(y_true, y_pred, owner, k=5, from_sorted_ids=False):
    y_pred = as_tensor(y_pred)
    if from_sorted_ids:
        # y_pred holds class ids sorted by score: a hit is the label among the first k.
        labels = sparse_labels(y_true, y_pred, owner, dense_name="TopKCategoricalAccuracy")
        hits = (y_pred[..., : int(k)].to(labels.dtype) == labels.unsqueeze(-1)).any(dim=-1)
        return hits.to(torch.float32)
    y_pred = as_float(y_pred)
    labels = sparse_labels(y_true, y_pred, owner, dense_name="TopKCategoricalAccuracy")
    return _in_top_k(labels, y_pred, int(k)).to(y_pred.dtype)


def accuracy(y_true, y_pred) -> torch.Tensor:
    """Whether each prediction equals its label, element by element (Keras 2).

    Keras 2's function keeps the inputs' shape (no average over the last axis);
    `Accuracy()` averages these matches.

    Args:
        y_true: labels.
        y_pred: predicted labels (not probabilities), same shape.

    Returns:
        1.0 where they are equal and 0.0 elsewhere, of the inputs' shape.

    Example:
    >>> keras.metrics.accuracy([[1, 2], [3, 4]], [[1, 0], [3, 4]])  # [[1., 0.], [1., 1.]]
    """
    return _matches(y_true, y_pred, "accuracy")


def binary_accuracy(y_true, y_pred, threshold: float = 0.5) -> torch.Tensor:
    """How often `y_pred > threshold` equals the binary labels, averaged over the last axis.

    Args:
        y_true: labels in {0, 1}.
        y_pred: probabilities (or scores), same shape.
        threshold: a prediction is positive when strictly above it.

    Returns:
        Per-sample accuracies.

    Example:
    >>> keras.metrics.binary_accuracy([[1], [0]], [[0.6], [0.5]])  # [1.0, 1.0]
    """
    return _binary_accuracy(y_true, y_pred, "binary_accuracy", threshold=threshold)


def categorical_accuracy(y_true, y_pred) -> torch.Tensor:
    """Whether the argmax of one-hot labels equals the argmax of predictions.

    Ties in `y_pred` resolve to the first (lowest) class index.

    Args:
        y_true: one-hot labels, shape `(..., num_classes)`.
        y_pred: class scores of the same shape.

    Returns:
        Per-sample 0/1 values, shape `y_pred.shape[:-1]`.

    Example:
    >>> keras.metrics.categorical_accuracy([[0, 1]], [[0.3, 0.7]])  # [1.0]
    """
    return _categorical_accuracy(y_true, y_pred, "categorical_accuracy")


def sparse_categorical_accuracy(y_true, y_pred) -> torch.Tensor:
    """Whether integer labels equal the argmax of predictions.

    Args:
        y_true: class indices, shape `y_pred.shape[:-1]` (or with a trailing 1).
        y_pred: class scores, shape `(..., num_classes)`.

    Returns:
        Per-sample 0/1 values, shape `y_pred.shape[:-1]`.

    Example:
    >>> keras.metrics.sparse_categorical_accuracy([1], [[0.3, 0.7]])  # [1.0]
    """
    return _sparse_categorical_accuracy(y_true, y_pred, "sparse_categorical_accuracy")


def top_k_categorical_accuracy(y_true, y_pred, k: int = 5) -> torch.Tensor:
    """Whether the one-hot label's class is among the top `k` predictions.

    Args:
        y_true: one-hot labels.
        y_pred: class scores of the same shape.
        k: how many top classes count as a hit.

    Returns:
        Per-sample 0/1 values.

    Example:
    >>> keras.metrics.top_k_categorical_accuracy([[0, 0, 1]], [[0.5, 0.3, 0.2]], k=2)  # [0.]
    """
    return _top_k_categorical_accuracy(y_true, y_pred, "top_k_categorical_accuracy", k=k)


def sparse_top_k_categorical_accuracy(
    y_true, y_pred, k: int = 5, from_sorted_ids: bool = False
) -> torch.Tensor:
    """Whether the integer label is among the top `k` predictions.

    Args:
        y_true: class indices.
        y_pred: class scores, or (with `from_sorted_ids`) class ids sorted by score.
        k: how many top classes count as a hit.
        from_sorted_ids: whether `y_pred` holds sorted class ids.

    Returns:
        Per-sample 0/1 values.

    Example:
    >>> keras.metrics.sparse_top_k_categorical_accuracy([2], [[0.5, 0.3, 0.2]], k=2)  # [0.]
    """
    return _sparse_top_k_categorical_accuracy(
        y_true, y_pred, "sparse_top_k_categorical_accuracy", k=k, from_sorted_ids=from_sorted_ids
    )


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels.

    Args:
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.Accuracy()
    >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    >>> m.result()  # 0.75
    """

    # Keras 2's class averages element-wise matches (as its function returns them):
    # rank-1 inputs take one weight per element, (batch, n) inputs per-entry ones.
    _impl = staticmethod(_matches)

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often thresholded predictions (`p > threshold`) equal binary labels.

    Args:
        name: the metric name.
        dtype: the state dtype.
        threshold: a prediction is positive when strictly above it; default 0.5.

    Example:
    >>> m = keras.metrics.BinaryAccuracy()
    >>> m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    >>> m.result()  # 0.75
    """

    # Element-wise matches, as Keras 2's class (see Accuracy).
    _impl = staticmethod(_binary_matches)

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        if isinstance(threshold, (str, bytes)):
            # Keras fails at the first update ("Cast string to float is not supported").
            raise TypeError(
                f"BinaryAccuracy: threshold must be a number such as 0.5, got the string "
                f"{threshold!r}."
            )
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of predictions matches the argmax of one-hot labels.

    Args:
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.CategoricalAccuracy()
    >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> m.result()  # 0.5
    """

    _impl = staticmethod(_categorical_accuracy)

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of predictions matches integer labels.

    Args:
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.SparseCategoricalAccuracy()
    >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
    >>> m.result()  # 0.5
    """

    _impl = staticmethod(_sparse_categorical_accuracy)

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label's class is among the top `k` predictions.

    Args:
        k: how many top classes count; default 5.
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.TopKCategoricalAccuracy(k=1)
    """

    _impl = staticmethod(_top_k_categorical_accuracy)

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the top `k` predictions.

    Args:
        k: how many top classes count; default 5.
        name: the metric name.
        dtype: the state dtype.
        from_sorted_ids: whether predictions are class ids sorted by score.

    Example:
    >>> m = keras.metrics.SparseTopKCategoricalAccuracy(k=1)
    """

    _impl = staticmethod(_sparse_top_k_categorical_accuracy)

    def __init__(
        self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False
    ):
        super().__init__(
            sparse_top_k_categorical_accuracy,
            name=name,
            dtype=dtype,
            k=k,
            from_sorted_ids=from_sorted_ids,
        )
        self.k = k
        self.from_sorted_ids = from_sorted_ids

    def get_config(self) -> dict:
        """Returns the constructor arguments; `from_sorted_ids` only when set.

        Keras 2 has no `from_sorted_ids` (a Keras 3 option) and rejects configs that carry it.
        """
        config = super().get_config()
        if not self.from_sorted_ids:
            config.pop("from_sorted_ids", None)
        return config
