"""`keras.layers.LayerNormalization`: normalizes each sample over the given axes."""

from __future__ import annotations

import numbers

import torch
import torch.nn.functional as F

from tork.keras.activations import _ragged_class
from tork.keras.layers._call_context import where
from tork.keras.layers.layer import Layer
from tork.keras.layers.normalization._common import (
    check_axis_argument,
    compute_input,
    known_sizes,
    resolve_axes,
    set_weight_arguments,
    weight_configs,
)


class LayerNormalization(Layer):
    """Normalizes each sample independently over `axis` (Ba et al., 2016).

    The output is `gamma * (x - mean) / sqrt(var + epsilon) + beta`, with the
    mean and the biased variance of each sample taken over the axes in `axis`.
    `gamma` and `beta` have the shape of those axes, e.g. `(5, 6)` for
    `axis=[1, 2]` on inputs of shape `(batch, 5, 6)`.

    Args:
        axis: an axis or a list of axes to normalize over (default the last).
        epsilon: small float added to the variance (Keras's 1e-3, not torch's 1e-5).
        center: whether to add the learned offset `beta`.
        scale: whether to multiply by the learned scale `gamma`.
        rms_scaling: if True, `center` and `scale` are ignored and the output
            is `x * gamma / sqrt(var + epsilon)` (Keras 3's definition: it
            uses the variance, not the mean of squares; see RMSNormalization).
        beta_initializer: initializer of `beta`.
        gamma_initializer: initializer of `gamma`.
        beta_regularizer: optional regularizer of `beta`.
        gamma_regularizer: optional regularizer of `gamma`.
        beta_constraint: optional constraint of `beta`.
        gamma_constraint: optional constraint of `gamma`.

    Example:
    >>> ln = keras.layers.LayerNormalization()
    >>> y = ln(tf.constant([[1.0, 3.0]]))
    >>> [round(v, 3) for v in y[0].tolist()]
    [-1.0, 1.0]
    """

    def __init__(
        self,
        axis=-1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        rms_scaling: bool = False,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.axis = check_axis_argument(axis, "LayerNormalization")
        if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real) or epsilon < 0:
            raise ValueError(
                f"LayerNormalization(epsilon=...) must be a non-negative float, got {epsilon!r}."
            )
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.rms_scaling = bool(rms_scaling)
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
        # Set in __dict__ directly: a per-rank cache, not state for Keras tracking.
        self.__dict__["_plans"] = {}

    def build(self, input_shape) -> None:
        axes = resolve_axes(self, self.axis, input_shape)
        if self.scale or self.rms_scaling or self.center:
            shape = known_sizes(self, axes, input_shape)
        else:
            # No weights (center=False, scale=False): sizes may be unknown, as in Keras 2.
            shape = tuple(None if input_shape[a] is None else int(input_shape[a]) for a in axes)
        self.gamma = (
            self.add_weight(
                name="gamma",
                shape=shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
            if self.scale or self.rms_scaling
            else None
        )
        self.beta = (
            self.add_weight(
                name="beta",
                shape=shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
            if self.center and not self.rms_scaling
            else None
        )
        self._weight_shape = shape
        # As Keras 2: once built, `axis` (and the config) is the list of non-negative axes,
        # e.g. `[2]` for axis=-1 on rank-3 inputs.
        ndim = len(input_shape)
        given = self.axis if isinstance(self.axis, (list, tuple)) else [self.axis]
        self.axis = [int(a) % ndim for a in given]
        self.built = True

    def _plan(self, x: torch.Tensor) -> tuple:
        """(axes, broadcast shape of the weights, trailing-axes shape or None), per rank."""
        plan = self._plans.get(x.dim())
        if plan is None:
            axes = resolve_axes(self, self.axis, x.shape)
            ndim = x.dim()
            broadcast = tuple(
                self._weight_shape[axes.index(i)] if i in axes else 1 for i in range(ndim)
            )
            trailing = axes == tuple(range(ndim - len(axes), ndim))
            plan = (axes, broadcast, trailing)
            self._plans[ndim] = plan
        axes = plan[0]
        if not self._sizes_fit(tuple(x.shape[i] for i in axes)):
            raise ValueError(
                f"{where(self)}: the layer was built for size {self._weight_shape} on axis "
                f"{list(axes)}, but got an input of shape {tuple(x.shape)}. Feed inputs of the "
                "size the layer was first called with, or use a new layer."
            )
        return plan

    def _sizes_fit(self, sizes: tuple) -> bool:
        built = self._weight_shape
        return sizes == built or (
            None in built and all(b is None or b == n for b, n in zip(built, sizes))
        )

    def call(self, inputs):
        if not isinstance(inputs, torch.Tensor) and inputs.__class__ is _ragged_class():
            return self._call_ragged(inputs)
        x = compute_input(inputs, self._variable_dtype)
        return self._normalize(inputs, x, *self._plan(x))

    def _call_ragged(self, inputs):
        # As tf.keras: the normalized axes must be uniform inner axes (the weights need
        # their sizes), so each normalized slice lies whole in the flat values.
        axes = resolve_axes(self, self.axis, inputs.shape)
        ragged_rank = inputs.ragged_rank
        if axes[0] <= ragged_rank:
            raise ValueError(
                f"{where(self)}: axis {list(axes)} of a RaggedTensor of shape {inputs.shape} "
                f"includes the batch or a ragged axis; only the uniform inner axes "
                f"(> {ragged_rank}) can be normalized."
            )
        flat = inputs.flat_values
        x = compute_input(flat, self._variable_dtype)
        axes = tuple(a - ragged_rank for a in axes)
        if not self._sizes_fit(tuple(x.shape[i] for i in axes)):
            raise ValueError(
                f"{where(self)}: the layer was built for size {self._weight_shape} on axis "
                f"{list(axes)}, but got a RaggedTensor of shape {inputs.shape}. Feed inputs of "
                "the size the layer was first called with, or use a new layer."
            )
        ndim = x.dim()
        broadcast = tuple(
            self._weight_shape[axes.index(i)] if i in axes else 1 for i in range(ndim)
        )
        trailing = axes == tuple(range(ndim - len(axes), ndim))
        return inputs.with_flat_values(self._normalize(flat, x, axes, broadcast, trailing))

    def _normalize(self, inputs, x, axes, broadcast, trailing):
        gamma, beta = self.gamma, self.beta
        if self.rms_scaling:
            variance = torch.var(x, dim=axes, correction=0, keepdim=True)
            outputs = x * torch.rsqrt(variance + self.epsilon) * gamma.view(broadcast)
        elif trailing:
            normalized_shape = x.shape[len(x.shape) - len(axes) :]
            outputs = F.layer_norm(x, normalized_shape, gamma, beta, self.epsilon)
        else:
            variance, mean = torch.var_mean(x, dim=axes, correction=0, keepdim=True)
            inv = torch.rsqrt(variance + self.epsilon)
            if gamma is not None:
                inv = inv * gamma.view(broadcast)
            shift = -mean * inv
            if beta is not None:
                shift = shift + beta.view(broadcast)
            outputs = x * inv + shift
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
                "axis": self.axis,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
            }
        )
        # `rms_scaling` is a Keras 3 argument: tf.keras 2 refuses configs that hold it, so
        # it is written only when set, and default configs load in both.
        if self.rms_scaling:
            config["rms_scaling"] = True
        config.update(weight_configs(self))
        return config
