"""Reduction metrics: `Mean`, `Sum` and `MeanMetricWrapper`."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from tork._backend.tracing import values_readable
from tork._inplace import writable_copies, writes_in_place_once
from tork.keras.losses._signature import signature_error
from tork.keras.losses._utils import (
    align_weight,
    as_tensor,
    broadcast_shape,
    get_mask,
    squeeze_or_expand,
)
from tork.keras.metrics.metric import Metric


def _as_state_tensor(value, metric: Metric) -> torch.Tensor:
    value = as_tensor(value)
    if not isinstance(value, torch.Tensor):
        # tork holds strings in a NumPy-based StringTensor, which `.to()` cannot convert.
        raise TypeError(
            f"{type(metric).__name__} metric '{metric.name}' accumulates numbers, but "
            f"update_state() received {type(value).__name__} {value!r:.80}. Convert the "
            "values to numbers first (e.g. tf.strings.to_number)."
        )
    if value.dtype != metric._tork_dtype or value.device != metric._device:
        value = value.to(device=metric._device, dtype=metric._tork_dtype)
    return value


def _fold_mask(values: torch.Tensor, mask, sample_weight):
    """Merges a Keras mask into the sample weights (masked entries weigh 0)."""
    if mask is None:
        return sample_weight
    mask = mask.to(device=values.device, dtype=values.dtype)
    if mask.shape != values.shape:
        _, mask = align_weight(values, mask, what="mask")
    if sample_weight is None:
        return mask
    sample_weight = as_tensor(sample_weight).to(device=values.device, dtype=values.dtype)
    if values.dim() < mask.dim() and sample_weight.dim() < mask.dim():
        # Values of lower rank than the mask (a metric that returns one number under a
        # (batch, time) mask): Keras 2 gives per-sample weights trailing axes and multiplies
        # them into the mask, so each token carries its sample's weight.
        extra = (1,) * (mask.dim() - sample_weight.dim())
        return sample_weight.reshape(tuple(sample_weight.shape) + extra) * mask
    if sample_weight.shape != values.shape:
        _, sample_weight = align_weight(values, sample_weight)
    return sample_weight * mask


def _mean_terms(values: torch.Tensor, sample_weight: torch.Tensor | None):
    """Keras 2's weighted-mean terms: returns (sum of w * v, sum of w).

    Every element is one value: without weights `count` grows by the number of
    elements (a (32, 10) batch adds 320), so batches whose per-sample size
    differs (padded sequences) weigh each element, not each sample, the same.
    Weights follow Keras 2: a weight one rank below the values gets a trailing
    axis, one rank above loses its trailing size-1 axis; a weight that then
    broadcasts to the values weighs each element (and counts once per element);
    otherwise (e.g. (N,) weights on (N, T, C) values) the values are averaged
    down to the weight's rank first.
    """
    if sample_weight is None:
        return values.sum(), float(values.numel())
    weight = sample_weight
    if weight.dim() == 0:
        return (values * weight).sum(), weight * values.numel()
    if weight.dim() == values.dim() - 1:
        weight = weight.unsqueeze(-1)
    elif weight.dim() == values.dim() + 1 and weight.shape[-1] == 1:
        weight = weight.squeeze(-1)
    if weight.dim() == values.dim() and all(
        w == v or w == 1 for w, v in zip(weight.shape, values.shape)
    ):
        weight = weight.expand(values.shape)
    elif weight.dim() < values.dim():
        values = values.mean(dim=tuple(range(weight.dim(), values.dim())))
    if weight.dim() > values.dim() and broadcast_shape(values.shape, weight.shape) == tuple(
        weight.shape
    ):
        # A metric function that returns one scalar, under a (batch, time) mask from
        # `Embedding(mask_zero=True)`: Keras 2 multiplies the value into the weights, so the
        # result is that value's weighted mean rather than an error.
        return (values * weight).sum(), weight.sum()
    if weight.dim() > values.dim() or broadcast_shape(values.shape, weight.shape) is None:
        raise ValueError(
            f"sample_weight of shape {tuple(sample_weight.shape)} cannot be applied to values "
            f"of shape {tuple(values.shape)}. Pass one weight per sample."
        )
    return (values * weight).sum(), weight.sum()


class Mean(Metric):
    """The weighted mean of the given values: `sum(w * v) / sum(w)`.

    Args:
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.Mean()
    >>> m.update_state([1, 3, 5, 7])
    >>> m.result()  # 4.0
    >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    >>> m.result()  # (16 + 4) / 6 = 3.333
    """

    def __init__(self, name: str = "mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")
        # `count` as the host knows it, valid while `count` is as this metric left it (its
        # version and storage); None when unknown (tensor weights, a user's assign). With it
        # `result()` is one division, not a device-side "divide unless zero" of four kernels.
        self._host_count: tuple | None = None
        if values_readable(self.count):
            self._host_count = (self._count_key(), 0.0)

    def _count_key(self) -> tuple:
        count = self.count
        return count._version, count.data_ptr()

    def _known_count(self) -> float | None:
        known = self._host_count
        if known is None or not values_readable(self.count) or known[0] != self._count_key():
            return None
        return known[1]

    def _add_to_count(self, weight) -> None:
        before = self._known_count() if isinstance(weight, float) else None
        self.count.add_(weight)
        self._host_count = None if before is None else (self._count_key(), before + weight)

    def reset_state(self) -> None:
        super().reset_state()
        readable = values_readable(self.count)
        self._host_count = (self._count_key(), 0.0) if readable else None

    def _tork_add_batch_mean(self, value: torch.Tensor, batch: int) -> None:
        """Adds a batch's mean `value` (a detached scalar) with weight `batch`: the trainer's
        loss trackers, in two kernels."""
        self.total.add_(value, alpha=batch)
        self._add_to_count(float(batch))

    def _accumulate(self, values, sample_weight=None) -> None:
        # A Keras mask on `values` is ignored, as Keras 2's metrics: compile()'s metrics
        # container folds masks into the sample weights.
        values = _as_state_tensor(values, self)
        if sample_weight is not None:
            sample_weight = _as_state_tensor(sample_weight, self)
        total, count = _mean_terms(values, sample_weight)
        self.total.add_(total)
        self._add_to_count(count)

    def update_state(self, values, sample_weight=None) -> None:
        """Adds `values` (weighted by `sample_weight`) to the running mean.

        Args:
            values: a tensor of any shape; each element is one value (Keras 2).
            sample_weight: optional weights broadcastable to `values`.
        """
        self._accumulate(values, sample_weight)

    def result(self) -> torch.Tensor:
        """Returns `total / count`, or 0 before any update."""
        count = self.count
        known = self._known_count()
        if known is not None:
            return self.total / count if known != 0 else torch.zeros_like(count)
        return torch.where(count != 0, self.total / count, torch.zeros_like(count))


class Sum(Metric):
    """The weighted sum of the given values.

    Args:
        name: the metric name.
        dtype: the state dtype.

    Example:
    >>> m = keras.metrics.Sum()
    >>> m.update_state([1, 3, 5, 7])
    >>> m.result()  # 16.0
    """

    def __init__(self, name: str = "sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")

    def update_state(self, values, sample_weight=None) -> None:
        """Adds `sum(values * sample_weight)` to the total.

        Args:
            values: a tensor of any shape.
            sample_weight: optional weights broadcastable to `values`.
        """
        values = _as_state_tensor(values, self)
        if sample_weight is not None:
            sample_weight = _as_state_tensor(sample_weight, self)
        if sample_weight is not None:
            values, sample_weight = align_weight(values, sample_weight)
            values = values * sample_weight
        self.total.add_(values.sum())

    def result(self) -> torch.Tensor:
        """Returns the total."""
        return self.total.clone()


def _prepare_for_fn(y_true, y_pred, metric: Metric):
    """Keras 2's preparation of the arguments of a custom metric function.

    Both arrive cast to the metric dtype (so `fn` may mix uint8 labels with float
    predictions, e.g. `tf.image.psnr`), and ranks that differ by a trailing size-1
    axis are aligned: `(N,)` labels with `(N, 1)` predictions reach `fn` as `(N, 1)`
    both, instead of broadcasting to `(N, N)`; `(N, T)` with `(N, T, 1)` as `(N, T)`.
    """
    if not isinstance(y_true, torch.Tensor) and not _plain_array(y_true):
        return y_true, y_pred
    if not isinstance(y_pred, torch.Tensor) and not _plain_array(y_pred):
        return y_true, y_pred
    y_true, y_pred = as_tensor(y_true), as_tensor(y_pred)
    if not metric._tork_dtype.is_floating_point or not all(_numeric(t) for t in (y_true, y_pred)):
        return y_true, y_pred
    y_true = _as_state_tensor(y_true, metric)
    y_pred = _as_state_tensor(y_pred, metric)
    # Keras 2's compiled metrics first expand (N,) labels to (N, 1) for (N, 1)
    # predictions; aligning the same way here keeps per-sample values (so per-sample
    # weights apply) for both compiled and direct calls.
    return squeeze_or_expand(y_true, y_pred)


def _float_inputs_at(dtype: torch.dtype, *values):
    """Floating-point tensors cast to the metric's dtype, as Keras 2's metrics do first.

    So float16 (or float64) predictions compute at float32 for a float32 metric, as in
    Keras 2, rather than at half precision and cast after. Integer labels are left for
    the metric (it casts them as it needs).
    """
    if not dtype.is_floating_point:
        return values
    out = []
    for v in values:
        if isinstance(v, np.ndarray) and getattr(v.dtype, "kind", None) == "f":
            v = as_tensor(v)  # numpy's float64 default computes at float32, as Keras 2
        if isinstance(v, torch.Tensor) and v.is_floating_point() and v.dtype != dtype:
            v = v.to(dtype)
        out.append(v)
    return tuple(out)


def _elementwise_functions() -> frozenset:
    """The built-in metric functions whose value is elementwise before any reduction."""
    global _ELEMENTWISE
    if _ELEMENTWISE is None:
        # Imported here: the accuracy module imports this one. By module path, since the
        # packages export functions of the same names (`keras.losses.hinge`).
        from importlib import import_module

        hinge = import_module("tork.keras.losses.hinge")
        probabilistic = import_module("tork.keras.losses.probabilistic")
        regression = import_module("tork.keras.losses.regression")
        accuracy = import_module("tork.keras.metrics.accuracy")

        _ELEMENTWISE = frozenset(
            [
                regression._mse,
                regression._mae,
                regression._mape,
                regression._msle,
                regression._log_cosh,
                regression.mean_squared_error,
                regression.mean_absolute_error,
                regression.mean_absolute_percentage_error,
                regression.mean_squared_logarithmic_error,
                regression.log_cosh,
                hinge._hinge,
                hinge._squared_hinge,
                hinge._categorical_hinge,
                hinge.hinge,
                hinge.squared_hinge,
                hinge.categorical_hinge,
                probabilistic._bce,
                probabilistic._kld,
                probabilistic._poisson,
                probabilistic.binary_crossentropy,
                probabilistic.kl_divergence,
                probabilistic.poisson,
                accuracy._binary_matches,
                accuracy.binary_accuracy,
            ]
        )
    return _ELEMENTWISE


_ELEMENTWISE: frozenset | None = None


def _is_elementwise(fn) -> bool:
    """Whether `fn` is a built-in metric function whose labels broadcast (see below)."""
    try:
        return fn in _elementwise_functions()
    except TypeError:  # an unhashable callable object: a user's metric
        return False


def _broadcast_elementwise(y_true, y_pred, fn):
    """Labels and predictions expanded to their broadcast shape, as Keras 2's metrics.

    Keras 2's metric objects compute elementwise metrics (MSE, BinaryAccuracy, Hinge,
    KLDivergence, ...) with broadcasting TF ops: `(N, 1)` labels against `(N, C)`
    predictions give the mean over the `(N, C)` broadcast, not an error. tork's
    losses check shapes (their errors catch wrong models in fit), so a metric expands
    both first. Shapes that do not broadcast are returned as given: the metric then
    raises tork's shape error, where Keras 2 fails with "Incompatible shapes".
    """
    y_shape, p_shape = getattr(y_true, "shape", None), getattr(y_pred, "shape", None)
    if y_shape is not None and y_shape == p_shape:
        return y_true, y_pred  # the common case, kept free
    if not all(isinstance(v, torch.Tensor) or _plain_array(v) for v in (y_true, y_pred)):
        return y_true, y_pred
    y, p = as_tensor(y_true), as_tensor(y_pred)
    if y.dim() == 0 or y.shape == p.shape:
        return y_true, y_pred
    y, p = squeeze_or_expand(y, p)
    shape = broadcast_shape(tuple(y.shape), tuple(p.shape))
    if shape is None or (tuple(y.shape) == shape and tuple(p.shape) == shape):
        return y_true, y_pred
    expanded = p.expand(shape)
    logits = getattr(p, "_keras_logits", None)
    if isinstance(logits, torch.Tensor) and logits.shape == p.shape:
        # Keep a sigmoid output's logits with it (binary_crossentropy reads them).
        expanded._keras_logits = logits.expand(shape)
    return y.expand(shape), expanded


def _plain_array(value) -> bool:
    """NumPy arrays and nested lists/scalars of numbers (not ragged or sparse values)."""
    import numpy as np

    if isinstance(value, np.ndarray):
        # tork's StringTensor is an ndarray whose dtype has no `kind`.
        return getattr(value.dtype, "kind", None) in ("b", "i", "u", "f")
    if isinstance(value, (int, float, bool, list, tuple)):
        try:
            return np.asarray(value).dtype.kind in "biuf"
        except (ValueError, TypeError):
            return False
    return False


def _numeric(tensor: torch.Tensor) -> bool:
    """A dense real tensor (ragged, sparse and complex values reach `fn` untouched)."""
    return (
        isinstance(tensor, torch.Tensor)
        and tensor.layout == torch.strided
        and not tensor.dtype.is_complex
    )


class MeanMetricWrapper(Mean):
    """The mean of a per-sample function `fn(y_true, y_pred, **kwargs)`.

    Args:
        fn: the function, e.g. `keras.metrics.binary_accuracy` or any
            `fn(y_true, y_pred)` returning per-sample values.
        name: the metric name; defaults to `mean_metric_wrapper`, made unique
            per session (`mean_metric_wrapper_1`, ...), as in Keras. compile()
            names the wrapper it makes for a function after the function.
        dtype: the state dtype.
        **kwargs: keyword arguments passed to `fn`.

    Example:
    >>> m = keras.metrics.MeanMetricWrapper(keras.metrics.binary_accuracy, threshold=0.7)
    """

    # Built-in subclasses compute through `_impl(y_true, y_pred, owner, **kwargs)` so
    # shape errors name the metric class.
    _impl: Callable | None = None

    # Whether the function broadcasts labels (`_is_elementwise`), found at the first update.
    _tork_elementwise = None

    def __init__(self, fn: Callable, name: str | None = None, dtype=None, **kwargs):
        # Keras 2 and 3 name an unnamed wrapper after its class (`mean_metric_wrapper`,
        # then `mean_metric_wrapper_1`...), not after `fn`.
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Adds `fn(y_true, y_pred)` to the mean.

        As Keras 2, a Keras mask on `y_pred` is ignored (compile() folds it into the
        sample weights); one on the values `fn` returns masks them.

        Args:
            y_true: labels.
            y_pred: predictions.
            sample_weight: optional per-sample weights.
        """
        impl = type(self)._impl
        # Known once per metric: only built-in elementwise functions broadcast their labels.
        elementwise = self._tork_elementwise
        if elementwise is None:
            elementwise = self._tork_elementwise = _is_elementwise(impl or self._fn)
        if impl is not None:
            y_true, y_pred = _float_inputs_at(self._tork_dtype, y_true, y_pred)
            if elementwise:
                y_true, y_pred = _broadcast_elementwise(y_true, y_pred, impl)
            values = impl(y_true, y_pred, type(self).__name__, **self._fn_kwargs)
        else:
            y_true, y_pred = _prepare_for_fn(y_true, y_pred, self)
            if elementwise:
                y_true, y_pred = _broadcast_elementwise(y_true, y_pred, self._fn)
            if writes_in_place_once(self, self._fn):
                # `offset *= mask` in a metric written for TF's immutable tensors (or in a
                # helper it calls) would change the batch's targets: on copies (see
                # tork/_inplace.py).
                y_true, y_pred = writable_copies(y_true), writable_copies(y_pred)
            try:
                values = self._fn(y_true, y_pred, **self._fn_kwargs)
            except TypeError as error:
                clear = signature_error(self._fn, self._fn_kwargs, "Metric", error)
                if clear is None:
                    raise
                raise clear from None
            if values is None:
                # Keras fails converting None ("None values not supported"): name the function.
                name = getattr(self._fn, "__name__", type(self._fn).__name__)
                raise TypeError(
                    f"Metric function '{name}' (metric '{self.name}') returned None. A metric "
                    "function must return a tensor of values, e.g. per-sample values of shape "
                    "(batch_size,): check that it ends with a `return`."
                )
            if isinstance(values, dict):
                name = getattr(self._fn, "__name__", type(self._fn).__name__)
                raise TypeError(
                    f"The output of a metric function can only be a single Tensor. Metric "
                    f"function '{name}' returned a dict with keys {sorted(values)!r:.100}. To "
                    "return a dict of values, implement a custom Metric subclass."
                )
        values_mask = get_mask(values)
        values = _as_state_tensor(values, self)
        if sample_weight is not None:
            sample_weight = _as_state_tensor(sample_weight, self)
        sample_weight = _fold_mask(values, values_mask, sample_weight)
        total, count = _mean_terms(values, sample_weight)
        self.total.add_(total)
        self.count.add_(count)

    def get_config(self) -> dict:
        """Returns the constructor arguments (the function by name for custom wrappers)."""
        config = super().get_config()
        # As Keras: only the wrapper class itself saves `fn`; a subclass (TF Addons'
        # HammingLoss) fixes its function in `__init__`, which takes no `fn`.
        if type(self)._impl is None and type(self) is MeanMetricWrapper:
            from tork.keras.metrics.serialization import serialize

            config["fn"] = serialize(self._fn)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: dict):
        """Creates the metric from `get_config()`'s output."""
        config = dict(config)
        if "fn" in config:
            from tork.keras.metrics.serialization import get

            fn = get(config["fn"])
            if isinstance(fn, MeanMetricWrapper):
                # `get('sparse_categorical_accuracy')` may give the metric object; the wrapper
                # needs its per-batch function (the object would average its own running total).
                fn = fn._fn
            config["fn"] = fn
        return cls(**config)
