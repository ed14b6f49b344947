"""Shared input handling for losses and metrics: conversion, rank alignment, shape checks."""

from __future__ import annotations

import numpy as np
import torch

from tork._backend.dtypes import as_dtype, floatx_dtype
from tork._backend.tensor import convert_to_tensor

EPSILON = 1e-7


def resolve_dtype(dtype) -> torch.dtype:
    """The compute dtype for a loss or metric: `dtype`, or floatx when None.

    Mixed-precision policy names ('mixed_float16') compute losses and metrics in
    float32, as Keras does.
    """
    if dtype is None:
        return floatx_dtype()
    if isinstance(dtype, str) and dtype.startswith("mixed_"):
        return torch.float32
    name = getattr(dtype, "compute_dtype", None)
    if name is not None and not isinstance(dtype, torch.dtype):
        # A dtype policy object: losses run at float32 under mixed precision.
        return torch.float32 if getattr(dtype, "name", "").startswith("mixed_") else as_dtype(name)
    return as_dtype(dtype)


def as_tensor(value) -> torch.Tensor:
    """`value` as a torch tensor (tensors pass through untouched, keeping attributes)."""
    if isinstance(value, torch.Tensor):
        return value
    return convert_to_tensor(value)


def as_float(value: torch.Tensor, dtype: torch.dtype | None = None) -> torch.Tensor:
    """Casts to `dtype`, or to floatx when `value` is not floating point and no dtype is given."""
    if dtype is None:
        if value.is_floating_point():
            return value
        dtype = floatx_dtype()
    return value if value.dtype == dtype else value.to(dtype)


def like(y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    """`y_true` cast to the dtype and device of `y_pred`."""
    if y_true.dtype != y_pred.dtype or y_true.device != y_pred.device:
        return y_true.to(device=y_pred.device, dtype=y_pred.dtype)
    return y_true


def squeeze_or_expand(x1: torch.Tensor, x2: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Aligns ranks that differ by one where the longer tensor ends in a size-1 axis.

    A rank-1 tensor is expanded to `(N, 1)`; otherwise the trailing 1 is squeezed.
    So `(N,)` and `(N, 1)` become `(N, 1)` both, and `(N, T)` and `(N, T, 1)`
    become `(N, T)` both. Any other pair is returned unchanged.
    """
    r1, r2 = x1.dim(), x2.dim()
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1:
            x2 = x2.unsqueeze(-1)
        else:
            x1 = _squeezed_steps(x1)
    elif r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1:
            x1 = x1.unsqueeze(-1)
        else:
            x2 = _squeezed_steps(x2)
    return x1, x2


def _squeezed_steps(x: torch.Tensor) -> torch.Tensor:
    squeezed = x.squeeze(-1)
    if x.dim() >= 3:
        # A sequence of single values, `(N, T, 1)` -> `(N, T)`: `prepare` lets one value
        # per sequence `(N, 1)` broadcast over its steps, as Keras 2's losses do.
        squeezed._tork_squeezed_steps = True
    return squeezed


def _one_value_per_sequence(x1: torch.Tensor, x2: torch.Tensor) -> bool:
    """True for `(N, 1)` against a squeezed sequence `(N, T)` (either order)."""
    for value, sequence in ((x1, x2), (x2, x1)):
        if (
            getattr(sequence, "_tork_squeezed_steps", False)
            and value.dim() == sequence.dim()
            and value.shape[-1] == 1
            and value.shape[:-1] == sequence.shape[:-1]
        ):
            return True
    return False


def shape_str(tensor: torch.Tensor) -> str:
    """A shape written as a Python tuple, e.g. `(32, 10)` or `(32,)`."""
    return str(tuple(tensor.shape))


def _looks_like_indices(y_true: torch.Tensor, y_pred: torch.Tensor) -> bool:
    if y_pred.dim() == 0 or y_pred.shape[-1] <= 1:
        return False
    batch = tuple(y_pred.shape[:-1])
    if tuple(y_true.shape) not in (batch, batch + (1,)):
        return False
    # Fractional labels (a regression target) are not class indices. An error path: the
    # values may be read (not while tracing, where they are unknown).
    from tork._backend.tracing import values_readable

    if y_true.is_floating_point() and y_true.numel() and values_readable(y_true):
        return bool((y_true == y_true.round()).all())
    return True


def _is_unflattened_feature_map(y_true: torch.Tensor, y_pred: torch.Tensor) -> bool:
    # A CNN with no Flatten: predictions (batch, h, w, units) against (batch, units) labels
    # (rank 3 is a sequence output, which has its own hint).
    return (
        y_pred.dim() > 3
        and y_true.dim() == 2
        and y_true.shape[0] == y_pred.shape[0]
        and y_true.shape[-1] == y_pred.shape[-1]
    )


def _is_sequence_output(y_true: torch.Tensor, y_pred: torch.Tensor) -> bool:
    if y_pred.dim() != 3 or y_true.dim() not in (1, 2) or y_true.shape[0] != y_pred.shape[0]:
        return False
    return tuple(y_true.shape[1:]) in ((), (y_pred.shape[-1],))


def check_same_shape(y_true: torch.Tensor, y_pred: torch.Tensor, owner: str) -> None:
    """Raises a ValueError naming `owner` when labels and predictions differ in shape.

    Called after `squeeze_or_expand`, so `(N,)` against `(N, 1)` never reaches here.
    """
    if y_true.shape == y_pred.shape:
        return
    true_s, pred_s = shape_str(y_true), shape_str(y_pred)
    if _looks_like_indices(y_true, y_pred):
        hint = (
            f"The labels look like integer class indices for {y_pred.shape[-1]} classes: for "
            "classification use SparseCategoricalCrossentropy (or one-hot encode the labels), "
            "or make the model output one value per label."
        )
    elif (
        y_true.dim() == y_pred.dim()
        and y_true.dim() > 0
        and y_true.shape[:-1] == y_pred.shape[:-1]
        and y_true.shape[-1] > 1
        and y_pred.shape[-1] == 1
    ):
        hint = (
            f"The labels have {y_true.shape[-1]} values per sample but the model outputs 1: "
            f"make the last layer output {y_true.shape[-1]} units (e.g. Dense({y_true.shape[-1]}))."
        )
    elif _is_unflattened_feature_map(y_true, y_pred):
        hint = (
            f"The model outputs {y_pred.dim() - 2} extra axes per sample (a convolutional "
            "feature map): add a Flatten or GlobalAveragePooling layer before the last Dense "
            "layer, so that it outputs one vector per sample."
        )
    elif _is_sequence_output(y_true, y_pred):
        # C4-style time series: a recurrent/Conv1D model left with return_sequences=True
        # gives (batch, steps, features) while the windows' labels are one per sample.
        hint = (
            "The model outputs a sequence (batch, steps, features) but the labels have one "
            "value per sample: set return_sequences=False on the last recurrent layer (or "
            "add a Flatten or GlobalAveragePooling1D layer), or give labels for every step."
        )
    else:
        hint = "Make the model's output shape match the labels' shape."
    raise ValueError(
        f"{owner}: labels of shape {true_s} do not match predictions of shape {pred_s}. {hint}"
    )


def prepare(y_true, y_pred, owner: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Converts, aligns ranks, checks shapes and casts `y_true` to `y_pred`'s float dtype."""
    y_pred = as_float(as_tensor(y_pred))
    y_true = as_tensor(y_true)
    if not isinstance(y_true, torch.Tensor):
        raise_non_numeric_labels(y_true, owner)
    y_true = like(y_true, y_pred)
    if y_true.dim() == 0 and y_pred.dim() > 0:
        # A scalar target broadcasts, as in Keras 2 (e.g. a sparsity regularizer's
        # `kl_divergence(0.1, mean_activities)`).
        y_true = y_true.expand(y_pred.shape)
    if y_true.shape != y_pred.shape:
        if _one_sample_label(y_true, y_pred):
            # One sample's label vector against a batch-of-one prediction (PyImageSearch's
            # FGSM: `MSE(label, model(image[None]))`): TF broadcasts it to the batch of one.
            return y_true.reshape(y_pred.shape), y_pred
        y_true, y_pred = squeeze_or_expand(y_true, y_pred)
        if _pairwise(y_true, y_pred):
            # Deliberate all-pairs comparisons (SimCLR ports: `CosineSimilarity(axis=2)` of
            # `(N, 1, D)` against `(1, 2N, D)`) broadcast as TF does.
            return torch.broadcast_tensors(y_true, y_pred)
        if not _one_value_per_sequence(y_true, y_pred):
            check_same_shape(y_true, y_pred, owner)
    return y_true, y_pred


def _pairwise(y_true: torch.Tensor, y_pred: torch.Tensor) -> bool:
    """Whether each side has a size-1 axis the other expands (`(N, 1, D)` and `(1, M, D)`).

    Only such mutual broadcasting is taken as intended: a one-sided mismatch such as
    `(N, 1)` labels against `(N, C)` predictions stays an error with a hint.
    """
    if y_true.dim() != y_pred.dim() or y_true.dim() < 2:
        return False
    true_expands = pred_expands = False
    for a, b in zip(y_true.shape, y_pred.shape):
        if a == b:
            continue
        if a == 1:
            true_expands = True
        elif b == 1:
            pred_expands = True
        else:
            return False
    return true_expands and pred_expands


def _one_sample_label(y_true: torch.Tensor, y_pred: torch.Tensor) -> bool:
    """Whether `y_pred` is `y_true` with leading axes of size 1 (`(C,)` against `(1, C)`)."""
    extra = y_pred.dim() - y_true.dim()
    return (
        extra > 0
        and y_true.dim() > 0
        and all(size == 1 for size in y_pred.shape[:extra])
        and tuple(y_pred.shape[extra:]) == tuple(y_true.shape)
    )


def raise_non_numeric_labels(y_true, owner: str) -> None:
    """Raises a ValueError for labels that are not numbers (e.g. a `tf.string` tensor)."""
    # A string tensor is a NumPy object array of bytes: show a plain first value.
    values = np.asarray(y_true).view(np.ndarray).ravel() if hasattr(y_true, "ravel") else []
    example = values[0] if len(values) else None
    if isinstance(example, bytes):
        example = example.decode("utf-8", "replace")
    raise ValueError(
        f"{owner} got labels of dtype {getattr(y_true, 'dtype', type(y_true).__name__)} "
        f"(e.g. {example!r}), but labels must be numbers. Map the class names to integers "
        "0..num_classes-1 first, e.g. with keras.layers.StringLookup(vocabulary=..., "
        "num_oov_indices=0) or sklearn's LabelEncoder."
    )


def recover_logits(y_pred, activation: str) -> torch.Tensor | None:
    """The pre-activation logits carried by `y_pred`, or None.

    tork's sigmoid/softmax activations set `_keras_logits` (and `_keras_activation`)
    on their output; TensorFlow Keras recovers those logits so that
    `from_logits=False` crossentropies are computed stably without clipping. As in
    tf.keras (2 and 3), whichever activation kept them: `binary_crossentropy` on a
    2-unit softmax output is the sigmoid crossentropy of the softmax's logits
    (PyImageSearch's 2-class classifiers train on that). `activation` is the one the
    loss expects, kept for the callers' clarity.
    """
    logits = getattr(y_pred, "_keras_logits", None)
    if logits is None:
        return None
    if not isinstance(logits, torch.Tensor) or logits.shape != y_pred.shape:
        return None
    return logits


def get_mask(value) -> torch.Tensor | None:
    """The Keras mask (`_keras_mask`) a tensor carries, or None."""
    return getattr(value, "_keras_mask", None)


def align_weight(values: torch.Tensor, weight: torch.Tensor, what: str = "sample_weight"):
    """Aligns a weight with per-sample values so they broadcast like Keras.

    The Keras rank rule first; then a lower-rank weight gets trailing size-1
    axes, so weights of shape `(N,)` weight every row of `(N, T)` values.

    Returns:
        `(values, weight)` ready to multiply.
    """
    if weight.shape == values.shape:
        return values, weight
    if values.dim() == 0 and weight.dim() == 1 and weight.numel() > 1 and what == "sample_weight":
        # Only rank-1 weights, as Keras 2 (it squeezes a weight one rank above the values).
        _raise_weights_for_single_value(weight)
    if weight.dim() == values.dim() + 1 and weight.shape[-1] == 1:
        # Keras 2 squeezes the weight, never expands the values: (N,) losses weighted by
        # (N, 1) stay (N,) (what reduction='none' returns).
        weight = weight.squeeze(-1)
    values, weight = squeeze_or_expand(values, weight)
    if weight.dim() < values.dim():
        weight = weight.reshape(tuple(weight.shape) + (1,) * (values.dim() - weight.dim()))
    if not broadcastable(values.shape, weight.shape):
        hint = (
            f"Pass one weight per sample (shape ({values.shape[0]},)) or weights of the "
            "values' shape."
        )
        if values.dim() >= 1 and weight.dim() >= 1 and values.shape[0] != weight.shape[0]:
            # Usually a custom loss that averaged over the batch axis (axis=0).
            hint = (
                f"The loss returned {values.shape[0]} values for a batch of "
                f"{weight.shape[0]} samples: a custom loss must return one value per sample, "
                "so reduce over the last axis (axis=-1), not the batch axis (axis=0)."
            )
        raise ValueError(
            f"{what} of shape {shape_str(weight)} cannot be applied to values of shape "
            f"{shape_str(values)}. {hint}"
        )
    return values, weight


class _SingleValueWeightError(ValueError):
    """sample_weight met a loss value already averaged to one number.

    Raised where only the values and weights are known; `Loss.__call__` knows
    the labels and re-raises with `single_value_weight_message(..., labels)`.
    """

    def __init__(self, weight_shape: tuple):
        super().__init__(single_value_weight_message(weight_shape))
        self.weight_shape = weight_shape


def single_value_weight_message(weight_shape: tuple, labels_shape=None, name=None) -> str:
    """The error for sample weights on a single loss/metric value, naming what is known.

    Args:
        weight_shape: the sample weights' shape.
        labels_shape: the labels' shape, when the caller knows it.
        name: the loss's name, when the caller knows it.
    """
    n = weight_shape[0] if weight_shape else 1
    what = f"the value of loss {name!r}" if name else "a loss or metric value"
    message = (
        f"sample_weight of shape {weight_shape} cannot weigh {what}: it is a single number "
        "(shape ()), already averaged over the batch. "
    )
    per_sample = (
        "A custom loss or metric must return one value per sample (reduce over axis=-1, "
        "not over everything)."
    )
    if labels_shape is not None and len(labels_shape) != 1:
        # Labels with a feature axis: the function itself reduced over the batch.
        return (
            f"{message}For labels of shape {tuple(labels_shape)} it must have shape ({n},). "
            f"{per_sample}"
        )
    fix = (
        f"give them a trailing axis of size 1 (shape ({n}, 1)), e.g. `y.reshape(-1, 1)` "
        "and a model output of shape (batch, 1). "
    )
    if labels_shape is None:
        # Unknown labels (a metric's Sum/Mean): say when the batch-axis reading applies.
        return (
            f"{message}If the labels and predictions have shape ({n},), their last axis, "
            f"which losses and metrics reduce over, is the batch axis: {fix}{per_sample}"
        )
    return (
        f"{message}Labels and predictions of shape ({n},) are reduced over their last axis, "
        f"which is the batch axis: {fix}{per_sample}"
    )


def _raise_weights_for_single_value(weight: torch.Tensor) -> None:
    # Multiplying would scale the one value by the mean weight instead of weighing the
    # samples (what tf_keras's fit does with such a custom loss): a silently wrong loss.
    # tork refuses, as tf_keras's `Sum().update_state(3.0, sample_weight=[1, 0, 2])` does.
    raise _SingleValueWeightError(tuple(weight.shape))


def broadcast_shape(a, b) -> tuple[int, ...] | None:
    """The broadcast of two shapes, or None if they do not broadcast.

    Plain Python: `torch.broadcast_shapes` imports torch's reference ops on first use.
    """
    out = []
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x != y and x != 1 and y != 1:
            return None
        out.append(x if y == 1 else y)
    return tuple(reversed(out))


def broadcastable(a, b) -> bool:
    """Whether two shapes broadcast together."""
    return broadcast_shape(a, b) is not None


def sparse_labels(
    y_true, y_pred: torch.Tensor, owner: str, dense_name: str = "CategoricalCrossentropy"
) -> torch.Tensor:
    """Integer class labels of shape `y_pred.shape[:-1]` for class scores `y_pred`.

    Accepts labels of shape `y_pred.shape[:-1]` or that plus a trailing 1, of any
    integer or float dtype (floats are truncated, as Keras casts them).

    Raises:
        ValueError: naming `owner` and both shapes when the labels do not fit;
            one-hot labels get a hint to use `dense_name` instead.
    """
    y_true = as_tensor(y_true)
    batch = tuple(y_pred.shape[:-1])
    shape = tuple(y_true.shape)
    if shape != batch:
        if shape == batch + (1,):
            y_true = y_true.squeeze(-1)
        else:
            _raise_sparse_shape(y_true, y_pred, owner, dense_name)
    if y_true.dtype != torch.int64:
        if not isinstance(y_true, torch.Tensor):
            raise_non_numeric_labels(y_true, owner)
        y_true = y_true.long()
    if y_true.device != y_pred.device:
        y_true = y_true.to(y_pred.device)
    return y_true


def _raise_sparse_shape(y_true, y_pred, owner, dense_name):
    batch = tuple(y_pred.shape[:-1])
    expected = f"{batch} or {batch + (1,)}"
    message = (
        f"{owner} expects integer class labels of shape {expected} for predictions of shape "
        f"{shape_str(y_pred)}, but got labels of shape {shape_str(y_true)}."
    )
    if y_true.shape == y_pred.shape:
        message += f" These look one-hot encoded: use {dense_name}, or pass class indices (argmax)."
    else:
        message += " Pass one integer class index per sample."
    raise ValueError(message)


def raise_label_range(labels: torch.Tensor, num_classes: int, owner: str, ignore_class=None):
    """Raises the ValueError for class labels outside `[0, num_classes)` (a host sync)."""
    bad = (labels < 0) | (labels >= num_classes)
    if ignore_class is not None:
        bad &= labels != ignore_class
    values = torch.unique(labels[bad]).tolist()
    if not values:
        return
    shown = ", ".join(str(v) for v in values[:5]) + (", ..." if len(values) > 5 else "")
    hint = (
        "If your labels start at 1, subtract 1; if there are more classes, give the last layer "
        "more units."
    )
    if num_classes == 1:
        hint = (
            "The model outputs a single unit: for binary classification use "
            "BinaryCrossentropy with a sigmoid output, or output 2 units."
        )
    raise ValueError(
        f"{owner} got class label(s) {shown}, but the predictions have {num_classes} "
        f"class{'es' if num_classes != 1 else ''} (valid labels are 0 to {num_classes - 1}). "
        f"{hint}"
    )
