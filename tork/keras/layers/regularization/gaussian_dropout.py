"""`keras.layers.GaussianDropout`: multiplicative 1-centred Gaussian noise, in training only."""

from __future__ import annotations

import math

import torch

from tork.keras.layers._call_context import CONTEXT
from tork.keras.layers.layer import Layer
from tork.keras.layers.regularization._noise import (
    check_rate,
    check_seed,
    drop_generator_args,
    generator_for,
    noise_dtype,
)


class GaussianDropout(Layer):
    """Multiplies the inputs by Gaussian noise of mean 1 in training.

    The noise has standard deviation `sqrt(rate / (1 - rate))`, the spread of
    inverted dropout at the same rate. It does nothing unless called with
    `training=True` (as `fit` does), or when `rate` is 0 or 1.

    Args:
        rate: drop probability (as with `Dropout`), in [0, 1].
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.GaussianDropout(0.2)
    >>> layer(tf.ones((2, 3)), training=False).sum().item()
    6.0
    """

    def __init__(self, rate: float, seed: int | None = None, **kwargs):
        super().__init__(**drop_generator_args(kwargs))
        self.rate = check_rate(rate, "GaussianDropout")
        self.seed = check_seed(seed, "GaussianDropout")
        self.supports_masking = True

    def call(self, inputs, training=None):
        rate = self.rate
        if not training or not 0 < rate < 1 or CONTEXT.symbolic:
            return inputs
        noise = torch.empty(inputs.shape, dtype=noise_dtype(inputs, self), device=inputs.device)
        noise.normal_(
            1.0, math.sqrt(rate / (1.0 - rate)), generator=generator_for(self, inputs.device)
        )
        return inputs * noise

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed})
        return config
