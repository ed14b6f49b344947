"""`keras.layers.UnitNormalization`: scales each sample to unit L2 norm over the given axes."""

from __future__ import annotations

import torch.nn.functional as F

from tork.keras.layers.layer import Layer
from tork.keras.layers.normalization._common import check_axis_argument, resolve_axes

# Keras computes x * rsqrt(max(sum(x**2), 1e-12)), i.e. x / max(||x||, 1e-6).
_NORM_FLOOR = 1e-6


class UnitNormalization(Layer):
    """Divides each sample by its L2 norm over `axis`: `x / max(||x||, 1e-6)`.

    The floor keeps all-zero samples at zero instead of dividing by zero
    (Keras takes `rsqrt(max(sum(x**2), 1e-12))`, the same thing).

    Args:
        axis: an axis or a list of axes to normalize over (default the last).

    Example:
    >>> y = keras.layers.UnitNormalization()(tf.constant([[3.0, 4.0]]))
    >>> [round(v, 3) for v in y[0].tolist()]
    [0.6, 0.8]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = check_axis_argument(axis, "UnitNormalization")
        self.supports_masking = True
        self._dims = tuple(self.axis) if isinstance(self.axis, list) else self.axis

    def call(self, inputs):
        x = inputs if inputs.is_floating_point() else inputs.to(self._tork_compute_dtype)
        return F.normalize(x, p=2.0, dim=self._dims, eps=_NORM_FLOOR)

    def build(self, input_shape) -> None:
        resolve_axes(self, self.axis, input_shape)
        self.built = True

    def compute_output_shape(self, input_shape):
        resolve_axes(self, self.axis, input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["axis"] = self.axis
        return config
