"""`keras.layers.GroupNormalization`: normalizes each sample over groups of channels."""

from __future__ import annotations

import numbers

import torch
import torch.nn.functional as F

from tork import autodiff
from tork.keras.layers._call_context import where
from tork.keras.layers.input_spec import InputSpec
from tork.keras.layers.layer import Layer
from tork.keras.layers.normalization._common import (
    compute_input,
    known_sizes,
    resolve_axes,
    set_weight_arguments,
    weight_configs,
)


class GroupNormalization(Layer):
    """Group normalization (Wu & He, 2018): per sample, over groups of channels.

    The channels (`axis`) are split into `groups` contiguous groups; each group
    of each sample is normalized with the mean and biased variance of its
    values over the spatial axes and the channels of the group. `gamma` and
    `beta` then scale and shift each channel. `groups=1` normalizes over all
    channels (like LayerNormalization with per-channel weights); `groups=-1`
    (one channel per group) is instance normalization.

    Args:
        groups: number of groups; must divide the number of channels. -1
            means one group per channel.
        axis: the channels axis (default the last, channels-last data).
        epsilon: small float added to the variance.
        center: whether to add the learned offset `beta`.
        scale: whether to multiply by the learned scale `gamma`.
        beta_initializer: initializer of `beta`.
        gamma_initializer: initializer of `gamma`.
        beta_regularizer: optional regularizer of `beta`.
        gamma_regularizer: optional regularizer of `gamma`.
        beta_constraint: optional constraint of `beta`.
        gamma_constraint: optional constraint of `gamma`.

    Example:
    >>> gn = keras.layers.GroupNormalization(groups=2)
    >>> gn(tf.ones((1, 8, 8, 4))).shape
    torch.Size([1, 8, 8, 4])
    """

    def __init__(
        self,
        groups: int = 32,
        axis: int = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if (
            isinstance(groups, bool)
            or not hasattr(groups, "__index__")
            or (int(groups) <= 0 and int(groups) != -1)
        ):
            raise ValueError(
                f"GroupNormalization(groups=...) must be a positive integer (or -1 for one "
                f"group per channel), got {groups!r}."
            )
        if isinstance(axis, bool) or not hasattr(axis, "__index__"):
            raise TypeError(f"GroupNormalization(axis=...) must be an int, got {axis!r}.")
        if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real) or epsilon < 0:
            raise ValueError(
                f"GroupNormalization(epsilon=...) must be a non-negative float, got {epsilon!r}."
            )
        self.groups = int(groups)
        self.axis = int(axis)
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        set_weight_arguments(
            self,
            beta_initializer,
            gamma_initializer,
            beta_regularizer,
            gamma_regularizer,
            beta_constraint,
            gamma_constraint,
        )
        self.supports_masking = True

    def build(self, input_shape) -> None:
        (axis,) = resolve_axes(self, self.axis, input_shape)
        (channels,) = known_sizes(self, (axis,), input_shape)
        if self.groups == -1:
            self.groups = channels
        if self.groups > channels:
            raise ValueError(
                f"{where(self)}: the number of groups ({self.groups}) cannot be more than the "
                f"number of channels ({channels}) on axis {self.axis} of the input shape "
                f"{tuple(input_shape)}. Use groups <= {channels}."
            )
        if channels % self.groups != 0:
            divisors = [g for g in range(1, channels + 1) if channels % g == 0]
            raise ValueError(
                f"{where(self)}: the number of channels ({channels}) must be a multiple of the "
                f"number of groups ({self.groups}); valid group counts are {divisors}."
            )
        self.gamma = (
            self.add_weight(
                name="gamma",
                shape=(channels,),
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
            if self.scale
            else None
        )
        self.beta = (
            self.add_weight(
                name="beta",
                shape=(channels,),
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
            if self.center
            else None
        )
        self.input_spec = InputSpec(ndim=len(input_shape), axes={axis: channels})
        self._channel_axis = axis
        self.built = True

    def call(self, inputs):
        x = compute_input(inputs, self._variable_dtype)
        axis = self._channel_axis
        # torch's group_norm wants channels at axis 1. A moved view is channels-last in
        # memory, and torch 2.13's CPU backward of group_norm crashes the process
        # (segmentation fault) on such input: hand it a contiguous tensor.
        moved = (x if axis == 1 else x.movedim(axis, 1)).contiguous()
        if autodiff._accumulating():
            outputs = _explicit_group_norm(moved, self.groups, self.gamma, self.beta, self.epsilon)
        else:
            outputs = F.group_norm(moved, self.groups, self.gamma, self.beta, self.epsilon)
        if axis != 1:
            outputs = outputs.movedim(1, axis)
        if inputs.is_floating_point() and outputs.dtype != inputs.dtype:
            outputs = outputs.to(inputs.dtype)
        return outputs

    def compute_output_shape(self, input_shape):
        resolve_axes(self, self.axis, input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "groups": self.groups,
                "axis": self.axis,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
            }
        )
        config.update(weight_configs(self))
        return config


def _explicit_group_norm(x, groups: int, gamma, beta, epsilon: float):
    """`F.group_norm` (channels at axis 1) as plain ops.

    torch's group_norm backward kernel has no forward-mode rule: a forward-over-backward
    Hessian-vector product (a tape inside a `tf.autodiff.ForwardAccumulator`) raised.
    """
    grouped = x.reshape(x.shape[0], groups, -1)
    variance, mean = torch.var_mean(grouped, dim=-1, correction=0, keepdim=True)
    outputs = ((grouped - mean) * torch.rsqrt(variance + epsilon)).reshape(x.shape)
    shape = (1, x.shape[1]) + (1,) * (x.dim() - 2)
    if gamma is not None:
        outputs = outputs * gamma.reshape(shape)
    if beta is not None:
        outputs = outputs + beta.reshape(shape)
    return outputs
