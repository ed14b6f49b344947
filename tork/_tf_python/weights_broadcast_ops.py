"""`tensorflow.python.ops.weights_broadcast_ops`: sample weights shaped like the values.

TF Addons' RSquare metric imports it (`weights_broadcast_ops.broadcast_weights(
weights=sample_weight, values=y_true)`). TensorFlow's rule: the weights are a scalar, or
have the values' rank with each dimension 1 or equal to the values'.
"""

from __future__ import annotations

import torch

from tork._backend.tensor import convert_to_tensor


def assert_broadcastable(weights, values) -> None:
    """Raises `ValueError` unless `weights` can be broadcast to `values` (TF's rule).

    Args:
        weights: the weights (a scalar, or a tensor of `values`' rank).
        values: the values.

    Returns:
        None: the check runs eagerly.
    """
    weights_shape = tuple(convert_to_tensor(weights).shape)
    values_shape = tuple(convert_to_tensor(values).shape)
    if not weights_shape:
        return None
    if len(weights_shape) != len(values_shape) or any(
        w not in (1, v) for w, v in zip(weights_shape, values_shape)
    ):
        raise ValueError(
            "weights can not be broadcast to values. "
            f"values.rank={len(values_shape)}. weights.rank={len(weights_shape)}. "
            f"values.shape={values_shape}. weights.shape={weights_shape}. Give the weights "
            "the values' rank (e.g. `weights[:, None]`), with each dimension 1 or equal."
        )
    return None


def broadcast_weights(weights, values) -> torch.Tensor:
    """Returns `weights` broadcast to the shape of `values`.

    Args:
        weights: a scalar, or a tensor of `values`' rank whose dimensions are 1 or
            equal to `values`'.
        values: the tensor the weights apply to.

    Returns:
        The weights, shaped like `values` (in the weights' dtype).

    Raises:
        ValueError: the weights cannot be broadcast to the values.
    """
    weights = convert_to_tensor(weights)
    values = convert_to_tensor(values)
    if weights.shape == values.shape:
        return weights
    assert_broadcastable(weights, values)
    return weights * torch.ones_like(values, dtype=weights.dtype)


__all__ = ["assert_broadcastable", "broadcast_weights"]
