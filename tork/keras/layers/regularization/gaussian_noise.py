"""`keras.layers.GaussianNoise`: additive zero-centred Gaussian noise, in training only."""

from __future__ import annotations

import numbers

import torch

from tork.keras.layers._call_context import CONTEXT
from tork.keras.layers.layer import Layer
from tork.keras.layers.regularization._noise import (
    check_seed,
    drop_generator_args,
    generator_for,
    noise_dtype,
)


class GaussianNoise(Layer):
    """Adds zero-centred Gaussian noise of standard deviation `stddev` in training.

    A regularizer (a form of random data augmentation): it does nothing unless
    called with `training=True` (as `fit` does).

    Args:
        stddev: standard deviation of the noise (>= 0).
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.GaussianNoise(0.1)
    >>> layer(tf.ones((2, 3)), training=False).sum().item()
    6.0
    """

    def __init__(self, stddev: float, seed: int | None = None, **kwargs):
        super().__init__(**drop_generator_args(kwargs))
        if isinstance(stddev, bool) or not isinstance(stddev, numbers.Real) or stddev < 0:
            raise ValueError(
                f"GaussianNoise(stddev=...) must be a non-negative float (the standard "
                f"deviation of the noise), got stddev={stddev!r}."
            )
        self.stddev = float(stddev)
        self.seed = check_seed(seed, "GaussianNoise")
        self.supports_masking = True

    def call(self, inputs, training=None):
        if not training or self.stddev == 0 or CONTEXT.symbolic:
            return inputs
        noise = torch.randn(
            inputs.shape,
            generator=generator_for(self, inputs.device),
            dtype=noise_dtype(inputs, self),
            device=inputs.device,
        )
        return torch.add(inputs, noise, alpha=self.stddev)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"stddev": self.stddev, "seed": self.seed})
        return config
