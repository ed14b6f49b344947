"""`tf.__internal__`: the few entries of TensorFlow's internal API that libraries use.

TensorFlow exposes `tf.__internal__` for its own packages (tf_keras, TF Addons); library
code written against TensorFlow calls some of it directly, such as TF Addons'
MovingAverage optimizer with `tf.__internal__.train.assign_moving_average`.
"""

from __future__ import annotations

import types

import torch

from tork.train.moving_averages import assign_moving_average


def broadcast_weights(weights, values):
    """`weights` broadcast to the shape of `values`, in the dtype of `values`.

    As TensorFlow's `tf.__internal__.ops.broadcast_weights` (custom metrics and losses
    weighting per-element values): `weights` must be a scalar or have the rank of
    `values` with each dimension 1 or equal to that of `values`.

    Args:
        weights: the weights (a scalar, a tensor or an array).
        values: the tensor the weights apply to.

    Returns:
        A tensor of the shape of `values`.

    Raises:
        ValueError: the weights cannot be broadcast to the values (callers catch it to
            fall back to reducing the values, as tf_keras's own metrics do).
    """
    from tork._backend.tensor import convert_to_tensor

    values = convert_to_tensor(values)
    weights = convert_to_tensor(weights)
    if weights.dtype != values.dtype or weights.device != values.device:
        weights = weights.to(device=values.device, dtype=values.dtype)
    if tuple(weights.shape) == tuple(values.shape):
        return weights
    ok = weights.dim() == 0 or (
        weights.dim() == values.dim()
        and all(w in (1, v) for w, v in zip(weights.shape, values.shape))
    )
    if not ok:
        raise ValueError(
            "weights can not be broadcast to values. "
            f"values.rank={values.dim()}. weights.rank={weights.dim()}. "
            f"values.shape={tuple(values.shape)}. weights.shape={tuple(weights.shape)}."
        )
    return weights * torch.ones_like(values)


# `tf.__internal__.train` and `tf.__internal__.ops`
def _tracking_wrap(value):
    """`tf.__internal__.tracking.wrap`: a list or dict as a tracked structure.

    Keras 2 code builds layer lists with it (`self.blocks = wrap([Dense(3)])`); the
    result is a list/dict with `layers` and the weights properties, which tork tracks
    like any list or dict assigned to a layer attribute. Other values come back as given.
    """
    from tork._tracking import TrackedDict, TrackedList

    if isinstance(value, list):
        return TrackedList(value)
    if isinstance(value, dict):
        return TrackedDict(value)
    return value


train = types.SimpleNamespace(assign_moving_average=assign_moving_average)
tracking = types.SimpleNamespace(wrap=_tracking_wrap)
ops = types.SimpleNamespace(broadcast_weights=broadcast_weights)

__all__ = ["ops", "tracking", "train"]
