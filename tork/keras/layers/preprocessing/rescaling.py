"""`keras.layers.Rescaling`: `inputs * scale + offset`."""

from __future__ import annotations

import numpy as np
import torch

from tork.keras.layers.layer import Layer
from tork.keras.layers.preprocessing._image import as_float_images


class Rescaling(Layer):
    """Multiplies the inputs by `scale` and adds `offset`; the output is float.

    For example `Rescaling(1 / 255)` maps `[0, 255]` to `[0, 1]` and
    `Rescaling(1 / 127.5, offset=-1)` maps it to `[-1, 1]`. `scale` and
    `offset` may be numbers or per-channel sequences (broadcast on the last axis).

    Args:
        scale: the scale (number or sequence).
        offset: the offset (number or sequence).

    Example:
    >>> keras.layers.Rescaling(1 / 255)(tf.constant([[0.0, 255.0]])).tolist()
    [[0.0, 1.0]]
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        # Sequences are kept as arrays: a list attribute would be tracked as a module container.
        self.scale = (
            np.asarray(scale, dtype=np.float64) if isinstance(scale, (list, tuple)) else scale
        )
        self.offset = (
            np.asarray(offset, dtype=np.float64) if isinstance(offset, (list, tuple)) else offset
        )
        self.supports_masking = True

    def call(self, inputs):
        images = as_float_images(inputs, self._tork_compute_dtype)
        return images * _constant(self.scale, images) + _constant(self.offset, images)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()

        def plain(value):
            if isinstance(value, (torch.Tensor, np.ndarray)):
                return np.asarray(value.tolist()).tolist()
            return value

        config.update({"scale": plain(self.scale), "offset": plain(self.offset)})
        return config


def _constant(value, like: torch.Tensor):
    # Python numbers multiply without building a tensor; sequences broadcast on the last axis.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, torch.Tensor):
        return value.detach().to(device=like.device, dtype=like.dtype)
    return torch.as_tensor(np.asarray(value), dtype=like.dtype, device=like.device)
