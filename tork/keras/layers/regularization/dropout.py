"""`keras.layers.Dropout`: inverted dropout, active only in training."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from tork.keras.layers.layer import Layer
from tork.keras.layers.regularization._noise import drop_generator_args


class Dropout(Layer):
    """Randomly sets input units to 0 with frequency `rate` during training.

    Kept units are scaled by `1 / (1 - rate)`, so inference needs no rescaling.
    It does nothing unless called with `training=True` (as `fit` does).

    Args:
        rate: fraction of the units to drop, in [0, 1).
        noise_shape: shape of the binary mask; None entries take the input's
            size, size-1 axes share one mask value (e.g. `(batch, 1, features)`).
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.Dropout(0.5)
    >>> layer(tf.ones((2, 4)), training=False).sum().item()
    8.0
    """

    def __init__(self, rate: float, noise_shape=None, seed: int | None = None, **kwargs):
        super().__init__(**drop_generator_args(kwargs))
        if not 0 <= rate <= 1:
            raise ValueError(
                f"Invalid value received for argument `rate`. Expected a float value between 0 "
                f"and 1. Received: rate={rate}"
            )
        self.rate = float(rate)
        self.noise_shape = noise_shape
        self.seed = seed
        self.supports_masking = True
        self._generator = None
        if seed is not None:
            self._generator = torch.Generator().manual_seed(int(seed))

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        if self.rate == 1:
            return torch.zeros_like(inputs)
        if self.noise_shape is None and self._generator is None:
            return F.dropout(inputs, self.rate, training=True)
        shape = tuple(inputs.shape)
        if self.noise_shape is not None:
            if len(self.noise_shape) != inputs.ndim:
                raise ValueError(
                    f"Dropout layer '{self.name}': noise_shape {tuple(self.noise_shape)} must have "
                    f"one entry per input axis, but the input has shape {tuple(inputs.shape)}."
                )
            shape = tuple(s if n is None else n for s, n in zip(inputs.shape, self.noise_shape))
            if any(n != 1 and n != s for n, s in zip(shape, inputs.shape)):
                raise ValueError(
                    f"Dropout layer '{self.name}': noise_shape {tuple(self.noise_shape)} does "
                    f"not broadcast to the input shape {tuple(inputs.shape)}: each entry must "
                    "be 1, None or the input's size on that axis."
                )
        keep = 1.0 - self.rate
        if self._generator is not None:
            noise = torch.rand(shape, generator=self._generator).to(inputs.device)
        else:
            noise = torch.rand(shape, device=inputs.device)
        mask = (noise < keep).to(inputs.dtype)
        return inputs * mask / keep

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed})
        return config
