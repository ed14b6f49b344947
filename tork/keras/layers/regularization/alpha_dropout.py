"""`keras.layers.AlphaDropout`: dropout that keeps SELU's self-normalizing mean and variance."""

from __future__ import annotations

import torch

from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers.layer import Layer
from tork.keras.layers.regularization._noise import (
    check_rate,
    check_seed,
    drop_generator_args,
    generator_for,
)

# SELU's constants: dropped units are set to its negative saturation value -alpha * scale.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
_ALPHA_P = -_SELU_ALPHA * _SELU_SCALE


class AlphaDropout(Layer):
    """Alpha dropout: drops units to SELU's saturation value, then restores mean and variance.

    In training each unit is kept with probability `1 - rate`; dropped units
    become `alpha' = -1.6733 * 1.0507` and the result goes through the affine
    map `a * x + b` with `a = ((1 - rate) * (1 + rate * alpha'**2)) ** -0.5`
    and `b = -a * alpha' * rate`, so inputs of zero mean and unit variance keep
    them. Pair it with `selu` activations. Inactive at inference.

    Args:
        rate: drop probability, in [0, 1].
        noise_shape: shape of the keep/drop mask; None entries take the input's
            size, size-1 axes share one draw (e.g. `(batch, 1, features)`).
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.AlphaDropout(0.1)
    >>> layer(tf.ones((2, 3)), training=False).sum().item()
    6.0
    """

    def __init__(self, rate: float, noise_shape=None, seed: int | None = None, **kwargs):
        super().__init__(**drop_generator_args(kwargs))
        self.rate = check_rate(rate, "AlphaDropout")
        self.noise_shape = noise_shape
        self.seed = check_seed(seed, "AlphaDropout")
        self.supports_masking = True

    def _mask_shape(self, inputs: torch.Tensor) -> tuple:
        if self.noise_shape is None:
            return tuple(inputs.shape)
        noise_shape = tuple(self.noise_shape)
        if len(noise_shape) != inputs.dim():
            raise ValueError(
                f"{where(self)}: noise_shape {noise_shape} needs one entry per axis of the "
                f"input of shape {tuple(inputs.shape)}; use None for axes that take the "
                "input's size."
            )
        return tuple(s if n is None else int(n) for s, n in zip(inputs.shape, noise_shape))

    def call(self, inputs, training=None):
        rate = self.rate
        if not training or not 0 < rate < 1 or CONTEXT.symbolic:
            return inputs
        kept = torch.empty(self._mask_shape(inputs), device=inputs.device)
        kept = kept.bernoulli_(1.0 - rate, generator=generator_for(self, inputs.device)).bool()
        a = ((1.0 - rate) * (1.0 + rate * _ALPHA_P**2)) ** -0.5
        b = -a * _ALPHA_P * rate
        return torch.where(kept, inputs, _ALPHA_P).mul_(a).add_(b)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed})
        return config
