"""The `Loss` base class, reductions and `LossFunctionWrapper`."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

import numpy as np
import torch

from tork._backend.dtypes import dtype_name
from tork._inplace import writable_copies, writes_in_place_once
from tork._naming import to_snake_case
from tork._symbolic import _has_symbolic
from tork.keras.losses._signature import signature_error
from tork.keras.losses._utils import (
    _SingleValueWeightError,
    align_weight,
    as_float,
    as_tensor,
    broadcast_shape,
    get_mask,
    resolve_dtype,
    single_value_weight_message,
    squeeze_or_expand,
)

_REDUCTIONS = ("sum_over_batch_size", "sum", "none", "mean_with_sample_weight", "mean", "auto")
_DEFAULT_REDUCTIONS = ("auto", "sum_over_batch_size")

# tork's built-in losses that tf_keras (Keras 2) also has: their configs follow Keras 2's
# layout (`reduction` first, 'auto', and `fn`). Losses only Keras 3 has keep Keras 3's.
_KERAS2_LOSSES = frozenset(
    {
        "Loss",
        "LossFunctionWrapper",
        "BinaryCrossentropy",
        "BinaryFocalCrossentropy",
        "CategoricalCrossentropy",
        "CategoricalFocalCrossentropy",
        "CategoricalHinge",
        "CosineSimilarity",
        "Hinge",
        "Huber",
        "KLDivergence",
        "LogCosh",
        "MeanAbsoluteError",
        "MeanAbsolutePercentageError",
        "MeanSquaredError",
        "MeanSquaredLogarithmicError",
        "Poisson",
        "SparseCategoricalCrossentropy",
        "SquaredHinge",
    }
)


def _is_builtin(cls) -> bool:
    return (cls.__module__ or "").startswith("tork.keras.losses")


def _keras2_layout(cls) -> bool:
    """Whether `cls`'s config follows Keras 2: its nearest tork class is one tf_keras has."""
    for base in cls.__mro__:
        if _is_builtin(base):
            return base.__name__ in _KERAS2_LOSSES
    return True


def _noting_reduction(init: Callable) -> Callable:
    """Wraps a built-in loss's `__init__` to note whether the caller gave `reduction`.

    The outermost constructor decides (a built-in passing its own default on to its base
    does not count), and `Loss.__init__` reads the note: Keras 2 reports its default
    reduction as 'auto' but an explicit 'sum_over_batch_size' as given.
    """
    signature = inspect.signature(init)
    if "reduction" not in signature.parameters:
        return init

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        if "_tork_reduction_given" not in self.__dict__:
            try:
                bound = signature.bind_partial(self, *args, **kwargs)
                given = "reduction" in bound.arguments
            except TypeError:
                given = False
            self.__dict__["_tork_reduction_given"] = given
        init(self, *args, **kwargs)

    return __init__


class Reduction:
    """Reduction names, as `tf.keras.losses.Reduction` (Keras 2).

    `AUTO` and `SUM_OVER_BATCH_SIZE` average over every element of the
    per-sample losses; `SUM` adds them; `NONE` returns them unreduced.

    Example:
    >>> loss = keras.losses.MeanSquaredError(reduction=keras.losses.Reduction.SUM)
    """

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls) -> tuple[str, ...]:
        """Returns every reduction name."""
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key: str) -> None:
        """Raises a ValueError if `key` is not a reduction name."""
        standardize_reduction(key)


ReductionV2 = Reduction


def standardize_reduction(reduction) -> str:
    """Returns the canonical reduction name for `reduction`.

    Args:
        reduction: 'sum_over_batch_size' (or Keras 2's 'auto'), 'sum', 'none'
            (or None), 'mean_with_sample_weight' or 'mean'.

    Returns:
        One of 'sum_over_batch_size', 'sum', 'none', 'mean_with_sample_weight'.
    """
    if reduction is None:
        return "none"
    if reduction in ("auto", "mean"):
        return "sum_over_batch_size"
    if reduction not in _REDUCTIONS:
        raise ValueError(
            f"Invalid loss reduction {reduction!r}. Expected one of "
            f"{', '.join(repr(r) for r in _REDUCTIONS)} or None."
        )
    return reduction


def reduce_weighted_values(
    values: torch.Tensor,
    sample_weight=None,
    mask: torch.Tensor | None = None,
    reduction: str = "sum_over_batch_size",
) -> torch.Tensor:
    """Weights per-sample losses and reduces them as Keras does.

    `sum_over_batch_size` divides the weighted sum by the number of elements
    (not by the sum of weights); with a Keras mask it divides by the number of
    valid entries. `mean_with_sample_weight` divides by the sum of weights.

    Args:
        values: per-sample losses.
        sample_weight: optional weights, broadcastable after rank alignment.
        mask: optional boolean Keras mask of valid entries.
        reduction: a canonical reduction name (see `standardize_reduction`).

    Returns:
        The reduced loss (a scalar unless reduction is 'none').
    """
    if sample_weight is None and mask is None:
        # The fast path: one kernel.
        if reduction == "sum_over_batch_size" or reduction == "mean_with_sample_weight":
            return values.mean() if values.numel() else values.sum()
        if reduction == "sum":
            return values.sum()
        return values
    sw = None
    if sample_weight is not None:
        sw = as_tensor(sample_weight)
        if not isinstance(sw, torch.Tensor):
            # Strings (a StringTensor) cannot weigh a loss; `.to()` would fail obscurely.
            raise TypeError(
                f"sample_weight must be numbers, got {type(sw).__name__} of dtype "
                f"{sw.dtype}: {sw!r:.80}. Convert it, e.g. np.asarray(w, 'float32')."
            )
        if sw.dtype != values.dtype or sw.device != values.device:
            sw = sw.to(device=values.device, dtype=values.dtype)
        values, sw = align_weight(values, sw)
    valid_count = None
    if mask is not None:
        mask = mask.to(device=values.device, dtype=values.dtype)
        shape = values.shape
        values, mask = align_weight(values, mask, what="mask")
        if sw is not None and values.shape != shape:
            values, sw = align_weight(values, sw)
        if reduction == "sum_over_batch_size":
            valid_count = mask.expand(broadcast_shape(mask.shape, values.shape)).sum()
    weight = mask if sw is None else (sw if mask is None else sw * mask)
    weighted = values * weight
    if reduction == "none" or weighted.dim() == 0:
        return weighted
    total = weighted.sum()
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight":
        divisor = weight.expand(weighted.shape).sum()
    elif valid_count is not None:
        divisor = valid_count
    else:
        divisor = weighted.numel()
        return total / divisor if divisor else total
    # divide_no_nan: an all-masked (or all-zero-weight) batch gives 0, not NaN.
    return torch.where(divisor != 0, total / divisor, torch.zeros_like(total))


class Loss:
    """Base class for losses, as `tf.keras.losses.Loss`.

    Subclasses implement `call(y_true, y_pred)` returning per-sample losses;
    calling the loss weights and reduces them.

    Args:
        name: the loss name; defaults to the snake_case class name.
        reduction: 'sum_over_batch_size' (default; Keras 2's 'auto'), 'sum',
            'none', 'mean_with_sample_weight'. Keras 2's
            `Reduction.AUTO/SUM/NONE/SUM_OVER_BATCH_SIZE` are accepted.
        dtype: the dtype losses are computed in; defaults to floatx.

    Example:
    >>> class MyLoss(keras.losses.Loss):
    ...     def call(self, y_true, y_pred):
    ...         return tf.reduce_mean(tf.square(y_pred - y_true), axis=-1)
    >>> MyLoss()([[0.0, 1.0]], [[1.0, 1.0]])  # 0.5
    """

    # Built-ins whose `_impl` can return the sum_over_batch_size mean directly.
    _fusable = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "call" in cls.__dict__ or "_impl" not in cls.__dict__:
            # A user subclass (overriding `call`) must always go through `call`.
            cls._fusable = cls.__dict__.get("_fusable", False) and "call" not in cls.__dict__
        if _is_builtin(cls) and "__init__" in cls.__dict__:
            cls.__init__ = _noting_reduction(cls.__dict__["__init__"])

    def __init__(self, name: str | None = None, reduction="auto", dtype=None):
        # Keras 2 order was (reduction, name): `Loss(Reduction.SUM)` still works.
        if isinstance(name, str) and name in _REDUCTIONS and reduction in _DEFAULT_REDUCTIONS:
            name, reduction = None, name
        keras2 = _keras2_layout(type(self))
        given = self.__dict__.pop("_tork_reduction_given", None)
        if keras2 and reduction == "sum_over_batch_size" and given is False:
            # tork's built-in classes default to Keras 3's name; Keras 2 calls its default
            # 'auto' (and keeps a 'sum_over_batch_size' the user gave).
            reduction = "auto"
        if name is None and (_is_builtin(type(self)) or not keras2):
            # tork's own classes, and user subclasses of Keras-3-only losses (Keras 3
            # names them by their snake_case class name).
            name = to_snake_case(type(self).__name__)
            self._default_name = name
        else:
            # tf_keras leaves a user subclass's defaulted name None (`MyLoss().name`).
            self._default_name = None
        self.name = name
        self.reduction = reduction
        self._dtype_arg = dtype
        self._compute_dtype = resolve_dtype(dtype)

    @property
    def reduction(self) -> str:
        """The reduction name as given (e.g. 'auto' or 'sum_over_batch_size')."""
        return self._reduction_arg

    @reduction.setter
    def reduction(self, value) -> None:
        self._reduction = standardize_reduction(value)
        self._reduction_arg = value

    @property
    def dtype(self) -> torch.dtype:
        """The dtype the loss is computed in."""
        return self._compute_dtype

    def __call__(self, y_true, y_pred, sample_weight=None) -> torch.Tensor:
        """Computes the weighted, reduced loss.

        Args:
            y_true: labels.
            y_pred: predictions (a Keras mask on them, `_keras_mask`, weights
                out masked entries).
            sample_weight: optional per-sample (or per-element) weights.

        Returns:
            The loss: a scalar tensor unless the reduction is 'none'.
        """
        if _has_symbolic((y_true, y_pred, sample_weight), None):
            # Keras 2's `model.add_loss(MeanAbsoluteError()(targets, outputs))` on
            # keras.Input tensors: the loss becomes a graph node the model computes.
            from tork.keras.models.functional.node import call_torch_op

            return call_torch_op(self, (y_true, y_pred, sample_weight), {})
        in_mask = get_mask(y_pred)
        dtype = self._call_dtype(y_pred)
        y_pred = self._convert_pred(y_pred, dtype)
        y_true = _true_input(y_true)
        if (
            isinstance(y_true, torch.Tensor)
            and y_true.is_floating_point()
            and y_true.dtype != dtype
        ):
            y_true = y_true.to(dtype)
        if (
            self._fusable
            and sample_weight is None
            and in_mask is None
            and self._reduction == "sum_over_batch_size"
            and y_pred.numel()
        ):
            # The common case in one fused torch kernel: the built-in computes the
            # plain mean (Keras's sum_over_batch_size) itself.
            return type(self)._impl(
                y_true, y_pred, type(self).__name__, _mean=True, **self._fn_kwargs
            )
        if type(self).call is not LossFunctionWrapper.call and writes_in_place_once(
            self, self.call
        ):
            # A user Loss subclass whose `call` writes `t = y_true[..., :2]; t *= 2`, as TF
            # code may: on copies, or every epoch would write into the batch's targets.
            y_true, y_pred = writable_copies(y_true), writable_copies(y_pred)
        losses = self.call(y_true, y_pred)
        if not isinstance(losses, torch.Tensor):
            if losses is None:
                raise ValueError(
                    f"The loss {self.name or type(self).__name__!r} returned None, but a loss "
                    "must return a tensor of per-sample losses, e.g. "
                    "`return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)`. Check that the function ends with a `return`."
                )
            losses = _numeric_losses(losses, self.name or type(self).__name__)
        out_mask = get_mask(losses)
        losses = as_float(losses, dtype) if losses.is_floating_point() else losses
        mask = in_mask
        if out_mask is not None:
            if in_mask is None:
                mask = out_mask
            else:
                a, b = squeeze_or_expand(in_mask.to(out_mask.device), out_mask)
                mask = a & b
        try:
            return reduce_weighted_values(losses, sample_weight, mask, self._reduction)
        except _SingleValueWeightError as error:
            # Here the labels are known: name their real shape in the message.
            labels = getattr(y_true, "shape", None)
            raise ValueError(
                single_value_weight_message(
                    error.weight_shape, labels, self.name or type(self).__name__
                )
            ) from None

    def _call_dtype(self, y_pred) -> torch.dtype:
        """The dtype this call computes in: the loss's dtype, or float64 for float64 predictions.

        Keras 2 computes a loss in its predictions' dtype, so float64 inputs (numpy's
        default) give a float64 loss at float64 precision. Half-precision predictions
        still compute at floatx (Keras 3, and numerically safer); so does any loss
        given an explicit `dtype`.
        """
        if self._dtype_arg is None and getattr(y_pred, "dtype", None) in (
            torch.float64,
            np.float64,
        ):
            return torch.float64
        return self._compute_dtype

    def _convert_pred(self, y_pred, dtype: torch.dtype | None = None) -> torch.Tensor:
        dtype = self._compute_dtype if dtype is None else dtype
        y_pred = as_tensor(y_pred)
        if y_pred.dtype == dtype:
            return y_pred
        converted = y_pred.to(dtype)
        logits = getattr(y_pred, "_keras_logits", None)
        if logits is not None:
            # The cast makes a new tensor: keep the logits (and their activation) on it.
            converted._keras_logits = logits.to(dtype)
            kind = getattr(y_pred, "_keras_activation", None)
            if kind is not None:
                converted._keras_activation = kind
        return converted

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        """Returns the per-sample losses; subclasses implement it.

        Args:
            y_true: labels.
            y_pred: predictions.

        Returns:
            A tensor of per-sample losses.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement `call(self, y_true, y_pred)` returning the "
            "per-sample losses."
        )

    def get_config(self) -> dict:
        """Returns the constructor arguments as a dict.

        As in Keras 2: `{"reduction": "auto", "name": None}` for a subclass
        created with the defaults. Losses that only Keras 3 has keep Keras 3's
        layout (`name` first, reduction 'sum_over_batch_size').
        """
        if _keras2_layout(type(self)):
            name = None if self.name == getattr(self, "_default_name", None) else self.name
            config = {"reduction": self.reduction, "name": name}
        else:
            config = {"name": self.name, "reduction": self.reduction}
        if self._dtype_arg is not None:
            config["dtype"] = (
                dtype_name(self._dtype_arg)
                if isinstance(self._dtype_arg, torch.dtype)
                else self._dtype_arg
            )
        return config

    @classmethod
    def from_config(cls, config: dict):
        """Creates a loss from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} reduction={self.reduction!r}>"


class LossFunctionWrapper(Loss):
    """Wraps a per-sample loss function `fn(y_true, y_pred, **kwargs)` into a `Loss`.

    Args:
        fn: the loss function.
        reduction: see `Loss`.
        name: the loss name; defaults to `fn.__name__`.
        dtype: see `Loss`.
        **kwargs: extra keyword arguments passed to `fn` on each call.

    Example:
    >>> loss = keras.losses.LossFunctionWrapper(keras.losses.huber, delta=2.0)
    """

    # Built-in subclasses compute through `_impl(y_true, y_pred, owner, **kwargs)`,
    # so shape errors name the class (e.g. 'MeanSquaredError') rather than the function.
    _impl: Callable | None = None

    def __init__(
        self,
        fn: Callable,
        reduction="auto",
        name: str | None = None,
        dtype=None,
        **kwargs,
    ):
        default = name is None
        if name is None:
            name = getattr(fn, "__name__", None)
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        if default:
            self._default_name = self.name
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred) -> torch.Tensor:
        """Returns `fn(y_true, y_pred, **kwargs)` after Keras's rank alignment."""
        impl = type(self)._impl
        if impl is not None:
            return impl(y_true, y_pred, type(self).__name__, **self._fn_kwargs)
        if y_true.shape != y_pred.shape:
            y_true, y_pred = squeeze_or_expand(y_true, y_pred)
        if writes_in_place_once(self, self.fn):
            # `y_pred /= s` or `offset = y_true[..., :4]; offset *= mask` in a loss written
            # for TF's immutable tensors: on copies (see tork/_inplace.py). The write may sit
            # in a helper the loss calls (Atienza's SSD losses call `mask_offset`).
            y_true, y_pred = writable_copies(y_true), writable_copies(y_pred)
        try:
            return self.fn(y_true, y_pred, **self._fn_kwargs)
        except TypeError as error:
            clear = signature_error(self.fn, self._fn_kwargs, "Loss", error)
            if clear is None:
                raise
            raise clear from None

    def get_config(self) -> dict:
        """Returns the constructor arguments, the function by its registered name."""
        config = super().get_config()
        if not _keras2_layout(type(self)):
            # Keras 3's built-ins do not write their function.
            if type(self)._impl is None:
                from tork.keras.losses.serialization import serialize

                config["fn"] = serialize(self.fn)
            config.update(self._fn_kwargs)
            return config
        if config.get("name") is None and self.name != getattr(self.fn, "__name__", None):
            config["name"] = self.name
        config.update(self._fn_kwargs)
        # Keras 2 writes the function last, by its registered name ('huber').
        from tork.keras.saving.object_registration import get_registered_name

        config["fn"] = get_registered_name(self.fn)
        return config

    @classmethod
    def from_config(cls, config: dict):
        """Creates the loss from `get_config()`'s output (tork's, Keras 2's or Keras 3's)."""
        config = dict(config)
        if cls._impl is not None:
            # A built-in (BinaryCrossentropy...): Keras 2's config also names the function
            # the class stands for, `'fn': 'binary_crossentropy'`, which the class does not take.
            config.pop("fn", None)
        elif "fn" in config:
            from tork.keras.losses.serialization import get

            config["fn"] = get(config["fn"])
        return cls(**config)


def _true_input(y_true):
    """`y_true` as a tensor, or as given when it is a structure that is not one array.

    Keras hands `y_true` to `Loss.call` unconverted, so a subclass may take several
    targets: google/automl's FocalLoss is called with `[normalizer, targets]` and
    unpacks them in `call`.
    """
    if isinstance(y_true, (list, tuple, dict)):
        try:
            return as_tensor(y_true)
        except (ValueError, TypeError):
            return y_true
    return as_tensor(y_true)


def _numeric_losses(value, name: str) -> torch.Tensor:
    """A loss's non-tensor return value as a numeric tensor, or a TypeError naming the loss."""
    try:
        losses = as_tensor(value)
    except (TypeError, ValueError, AttributeError) as err:
        losses, cause = None, f" ({err})"
    else:
        cause = ""
    if not isinstance(losses, torch.Tensor) or losses.dtype == torch.bool:
        raise TypeError(
            f"The loss {name!r} returned {type(value).__name__} {value!r:.60}{cause}, but a loss "
            "must return a numeric tensor of per-sample losses, e.g. "
            "`return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)`."
        ) from None
    return losses
