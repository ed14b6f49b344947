"""Helpers shared by the normalization layers: axis checks and dtype handling."""

from __future__ import annotations

import torch

from tork.keras import constraints, initializers, regularizers
from tork.keras.layers._call_context import where

_LOW_PRECISION = (torch.float16, torch.bfloat16)


def check_axis_argument(axis, owner: str):
    """Validates a constructor `axis` (an int or a list/tuple of ints); returns it normalized."""
    if isinstance(axis, (list, tuple)):
        if not axis or not all(_is_int(a) for a in axis):
            raise TypeError(
                f"{owner}(axis=...) must be an int or a non-empty list/tuple of ints, got {axis!r}."
            )
        return [int(a) for a in axis]
    if not _is_int(axis):
        raise TypeError(
            f"{owner}(axis=...) must be an int or a list/tuple of ints, got {axis!r}. "
            "Example: axis=-1 for the last (features) axis."
        )
    return int(axis)


def _is_int(value) -> bool:
    return not isinstance(value, bool) and hasattr(value, "__index__")


def resolve_axes(layer, axis, input_shape) -> tuple[int, ...]:
    """The sorted non-negative axes `axis` names in an input of `input_shape`.

    Raises a ValueError naming the layer when an axis is out of range or repeated.
    """
    ndim = len(input_shape)
    given = axis if isinstance(axis, (list, tuple)) else [axis]
    axes = []
    for a in given:
        if not -ndim <= a < ndim:
            # tf_keras's sentence first (users search for it), then tork's.
            raise ValueError(
                "Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank (with "
                f"inputs.rank={ndim}). Received: axis={tuple(given)}. {where(layer)}: axis {a} "
                f"is out of range for an input of rank {ndim} (shape "
                f"{_shape_text(input_shape)}); valid axes are {-ndim}..{ndim - 1}."
            )
        axes.append(a % ndim)
    if len(set(axes)) != len(axes):
        raise ValueError(
            f"{where(layer)}: axis {list(given)} names the same axis twice for an input of rank "
            f"{ndim}."
        )
    return tuple(sorted(axes))


def known_sizes(layer, axes, input_shape) -> tuple[int, ...]:
    """The sizes of `axes` in `input_shape`; a clear error when one is unknown."""
    sizes = tuple(input_shape[a] for a in axes)
    if any(s is None for s in sizes):
        raise ValueError(
            f"{where(layer)}: the size of axis {list(axes)} must be known to create the "
            f"layer's weights, but the input shape is {_shape_text(input_shape)}."
        )
    return tuple(int(s) for s in sizes)


def _shape_text(shape) -> str:
    return str(tuple(None if d is None else int(d) for d in shape))


def compute_input(inputs: torch.Tensor, weight_dtype: torch.dtype) -> torch.Tensor:
    """The tensor to normalize: float16/bfloat16 and integer inputs are computed in the
    weights' dtype (Keras does the same, for numerical stability)."""
    if inputs.dtype in _LOW_PRECISION or not inputs.is_floating_point():
        return inputs.to(weight_dtype)
    return inputs


def serialize_or_none(module, value):
    """`module.serialize(value)`, or None for a missing regularizer/constraint."""
    return None if value is None else module.serialize(value)


def weight_configs(layer) -> dict:
    """The initializer/regularizer/constraint entries of gamma and beta for get_config."""
    return {
        "beta_initializer": initializers.serialize(layer.beta_initializer),
        "gamma_initializer": initializers.serialize(layer.gamma_initializer),
        "beta_regularizer": serialize_or_none(regularizers, layer.beta_regularizer),
        "gamma_regularizer": serialize_or_none(regularizers, layer.gamma_regularizer),
        "beta_constraint": serialize_or_none(constraints, layer.beta_constraint),
        "gamma_constraint": serialize_or_none(constraints, layer.gamma_constraint),
    }


def set_weight_arguments(
    layer,
    beta_initializer,
    gamma_initializer,
    beta_regularizer,
    gamma_regularizer,
    beta_constraint,
    gamma_constraint,
) -> None:
    """Stores gamma/beta initializers, regularizers and constraints on `layer`."""
    layer.beta_initializer = initializers.get(beta_initializer)
    layer.gamma_initializer = initializers.get(gamma_initializer)
    layer.beta_regularizer = regularizers.get(beta_regularizer)
    layer.gamma_regularizer = regularizers.get(gamma_regularizer)
    layer.beta_constraint = constraints.get(beta_constraint)
    layer.gamma_constraint = constraints.get(gamma_constraint)
