"""`keras.layers.RMSNormalization`: scales each sample by the inverse root mean square."""

from __future__ import annotations

import numbers

import torch
import torch.nn.functional as F

from tork.keras.layers._call_context import where
from tork.keras.layers.layer import Layer
from tork.keras.layers.normalization._common import (
    check_axis_argument,
    known_sizes,
    resolve_axes,
)


class RMSNormalization(Layer):
    """Root mean square normalization (Zhang & Sennrich, 2019), as Keras 3.

    The output is `x * rsqrt(mean(x**2) + epsilon) * scale`, the mean taken
    over `axis`; `scale` (initialized to ones) has the shape of those axes.
    Computations run in at least float32.

    Args:
        axis: an axis or a list of axes to normalize over (default the last).
        epsilon: small float added to the mean of squares.

    Example:
    >>> rms = keras.layers.RMSNormalization()
    >>> y = rms(tf.constant([[3.0, 4.0]]))
    >>> [round(v, 3) for v in y[0].tolist()]
    [0.849, 1.131]
    """

    def __init__(self, axis=-1, epsilon: float = 1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = check_axis_argument(axis, "RMSNormalization")
        if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real) or epsilon < 0:
            raise ValueError(
                f"RMSNormalization(epsilon=...) must be a non-negative float, got {epsilon!r}."
            )
        self.epsilon = float(epsilon)
        # Set in __dict__ directly: a per-rank cache, not state for Keras tracking.
        self.__dict__["_plans"] = {}

    def build(self, input_shape) -> None:
        axes = resolve_axes(self, self.axis, input_shape)
        shape = known_sizes(self, axes, input_shape)
        self.scale = self.add_weight(name="scale", shape=shape, initializer="ones")
        self._weight_shape = shape
        self.built = True

    def _plan(self, x: torch.Tensor) -> tuple:
        """(axes, broadcast shape of `scale`, whether the axes are the trailing ones), per rank."""
        ndim = x.dim()
        plan = self._plans.get(ndim)
        if plan is None:
            axes = resolve_axes(self, self.axis, x.shape)
            broadcast = tuple(
                self._weight_shape[axes.index(i)] if i in axes else 1 for i in range(ndim)
            )
            plan = (axes, broadcast, axes == tuple(range(ndim - len(axes), ndim)))
            self._plans[ndim] = plan
        if tuple(x.shape[i] for i in plan[0]) != self._weight_shape:
            raise ValueError(
                f"{where(self)}: the layer was built for size {self._weight_shape} on axis "
                f"{list(plan[0])}, but got an input of shape {tuple(x.shape)}. Feed inputs of "
                "the size the layer was first called with, or use a new layer."
            )
        return plan

    def call(self, inputs):
        # At least float32, as Keras (result_type(x.dtype, float32)): float64 stays float64.
        dtype = inputs.dtype if inputs.is_floating_point() else self._tork_compute_dtype
        dtype = torch.promote_types(dtype, torch.float32)
        x = inputs.to(dtype)
        scale = self.scale if self.scale.dtype == dtype else self.scale.to(dtype)
        axes, broadcast, trailing = self._plan(x)
        if trailing:
            outputs = F.rms_norm(x, self._weight_shape, scale, self.epsilon)
        else:
            mean_square = x.square().mean(dim=axes, keepdim=True)
            outputs = x * torch.rsqrt(mean_square + self.epsilon) * scale.view(broadcast)
        if inputs.is_floating_point() and outputs.dtype != inputs.dtype:
            outputs = outputs.to(inputs.dtype)
        return outputs

    def compute_output_shape(self, input_shape):
        resolve_axes(self, self.axis, input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"axis": self.axis, "epsilon": self.epsilon})
        return config
