"""`keras.layers.SpatialDropout1D/2D/3D`: dropout of whole channels (feature maps)."""

from __future__ import annotations

import torch

from tork.keras.layers._call_context import CONTEXT
from tork.keras.layers.input_spec import InputSpec
from tork.keras.layers.layer import Layer
from tork.keras.layers.regularization._noise import (
    check_seed,
    generator_for,
    noise_dtype,
    standardize_data_format,
)
from tork.keras.layers.regularization.dropout import Dropout


class _SpatialDropout(Dropout):
    """Dropout with one keep/drop draw per (sample, channel), shared over the spatial axes."""

    _rank = 3

    def __init__(self, rate: float, seed: int | None = None, **kwargs):
        super().__init__(rate, seed=check_seed(seed, type(self).__name__), **kwargs)
        self.input_spec = InputSpec(ndim=self._rank)
        self.data_format = "channels_last"

    def _mask_shape(self, inputs: torch.Tensor) -> tuple:
        shape = inputs.shape
        if self.data_format == "channels_first":
            return (shape[0], shape[1]) + (1,) * (self._rank - 2)
        return (shape[0],) + (1,) * (self._rank - 2) + (shape[-1],)

    def call(self, inputs, training=None):
        rate = self.rate
        if not training or rate == 0 or CONTEXT.symbolic:
            return inputs
        if rate >= 1:
            return inputs * 0
        keep = 1.0 - rate
        mask = torch.empty(
            self._mask_shape(inputs), dtype=noise_dtype(inputs, self), device=inputs.device
        )
        mask.bernoulli_(keep, generator=generator_for(self, inputs.device))
        return inputs * mask.div_(keep)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        # tf_keras writes Dropout's `noise_shape` (always None: the spatial shape decides);
        # Keras 3 rejects it, so files leave it out (_keras2_config._KERAS3_REJECTED).
        config = Layer.get_config(self)
        config.update({"rate": self.rate, "noise_shape": None, "seed": self.seed})
        if self._rank > 3:
            config["data_format"] = self.data_format
        return config


class SpatialDropout1D(_SpatialDropout):
    """Spatial 1D dropout: drops entire channels of `(batch, timesteps, channels)` inputs.

    In training each (sample, channel) pair is dropped with probability `rate`
    for all timesteps at once, and kept channels are scaled by
    `1 / (1 - rate)`. Inactive at inference.

    Args:
        rate: fraction of the channels to drop, in [0, 1].
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.SpatialDropout1D(0.5)
    >>> layer(tf.ones((2, 3, 4)), training=False).shape
    torch.Size([2, 3, 4])
    """

    _rank = 3


class SpatialDropout2D(_SpatialDropout):
    """Spatial 2D dropout: drops entire feature maps of 4D inputs.

    In training each (sample, channel) pair is dropped with probability `rate`
    for all rows and columns at once (mask shape `(batch, 1, 1, channels)` for
    channels-last data), and kept channels are scaled by `1 / (1 - rate)`.
    Inactive at inference.

    Args:
        rate: fraction of the channels to drop, in [0, 1].
        data_format: `'channels_last'` (default) or `'channels_first'`.
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.SpatialDropout2D(0.5)
    >>> layer(tf.ones((2, 8, 8, 3)), training=False).shape
    torch.Size([2, 8, 8, 3])
    """

    _rank = 4

    def __init__(self, rate: float, data_format: str | None = None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = standardize_data_format(data_format, "SpatialDropout2D")


class SpatialDropout3D(_SpatialDropout):
    """Spatial 3D dropout: drops entire feature volumes of 5D inputs.

    In training each (sample, channel) pair is dropped with probability `rate`
    for the whole volume (mask shape `(batch, 1, 1, 1, channels)` for
    channels-last data), and kept channels are scaled by `1 / (1 - rate)`.
    Inactive at inference.

    Args:
        rate: fraction of the channels to drop, in [0, 1].
        data_format: `'channels_last'` (default) or `'channels_first'`.
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.SpatialDropout3D(0.5)
    >>> layer(tf.ones((2, 4, 4, 4, 3)), training=False).shape
    torch.Size([2, 4, 4, 4, 3])
    """

    _rank = 5

    def __init__(self, rate: float, data_format: str | None = None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = standardize_data_format(data_format, "SpatialDropout3D")
