"""Probabilistic metrics: crossentropies, KL divergence and Poisson as running means."""

from __future__ import annotations

from tork.keras.losses.probabilistic import (
    _bce,
    _cce,
    _kld,
    _poisson,
    _scce,
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from tork.keras.metrics.reduction import MeanMetricWrapper


class BinaryCrossentropy(MeanMetricWrapper):
    """The mean binary crossentropy between labels and predictions.

    Args:
        name: the metric name.
        dtype: the state dtype.
        from_logits: whether predictions are logits.
        label_smoothing: labels become `y (1 - ls) + 0.5 ls`.

    Example:
    >>> m = keras.metrics.BinaryCrossentropy()
    >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> m.result()  # 0.8157
    """

    _impl = staticmethod(_bce)

    def __init__(
        self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0
    ):
        super().__init__(
            binary_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing


class CategoricalCrossentropy(MeanMetricWrapper):
    """The mean categorical crossentropy between one-hot labels and predictions.

    Args:
        name: the metric name.
        dtype: the state dtype.
        from_logits: whether predictions are logits.
        label_smoothing: labels become `y (1 - ls) + ls / num_classes`.
        axis: the class axis.

    Example:
    >>> m = keras.metrics.CategoricalCrossentropy()
    >>> m.update_state([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    >>> m.result()  # 1.1769
    """

    _impl = staticmethod(_cce)

    def __init__(
        self,
        name="categorical_crossentropy",
        dtype=None,
        from_logits=False,
        label_smoothing=0,
        axis=-1,
    ):
        super().__init__(
            categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """The mean crossentropy between integer labels and predicted class scores.

    Args:
        name: the metric name.
        dtype: the state dtype.
        from_logits: whether predictions are logits.
        ignore_class: optional label value (e.g. a padding class) whose entries
            are left out of the mean.
        axis: the class axis.

    Example:
    >>> m = keras.metrics.SparseCategoricalCrossentropy()
    >>> m.update_state([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    >>> m.result()  # 1.1769
    """

    _impl = staticmethod(_scce)

    def __init__(
        self,
        name="sparse_categorical_crossentropy",
        dtype=None,
        from_logits=False,
        ignore_class=None,
        axis=-1,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis


class KLDivergence(MeanMetricWrapper):
    """The mean Kullback-Leibler divergence between label and predicted distributions.

    Args:
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.KLDivergence()
    """

    _impl = staticmethod(_kld)

    # Keras 2's default name (and so its log key); Keras 3 calls it 'kl_divergence'.
    def __init__(self, name="kullback_leibler_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, dtype=dtype)


class Poisson(MeanMetricWrapper):
    """The mean Poisson loss `y_pred - y_true * log(y_pred)`.

    Args:
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.Poisson()
    """

    _impl = staticmethod(_poisson)

    def __init__(self, name="poisson", dtype=None):
        super().__init__(poisson, name=name, dtype=dtype)
