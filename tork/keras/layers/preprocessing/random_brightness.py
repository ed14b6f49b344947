"""`keras.layers.RandomBrightness`: random brightness shifts during training."""

from __future__ import annotations

import numbers

import torch

from tork.keras.layers.preprocessing._random_base import BaseRandomImageLayer

_FACTOR_ERROR = (
    "RandomBrightness: `factor` must be a number (or a list of two numbers) in the range "
    "[-1.0, 1.0]."
)


def _number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


class RandomBrightness(BaseRandomImageLayer):
    """Randomly brightens or darkens each image during training.

    For each image a factor `f` is drawn uniformly from `[lower, upper]` and
    `f * (high - low)` is added to every pixel and channel, `(low, high)`
    being `value_range`; the result is clipped to `value_range`. `f = -1`
    gives a black image, `f = 1` a white one. At inference the images are
    returned unchanged (as floats).

    Args:
        factor: a number `f` in [0, 1] (draws from `[-f, f]`) or a pair
            `(lower, upper)` within [-1, 1].
        value_range: `(low, high)`, the range of the input pixel values, e.g.
            `(0, 1)` for images already rescaled; defaults to `(0, 255)`.
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.RandomBrightness(0.2, seed=0)
    >>> layer(tf.fill((2, 4, 4, 3), 100.0), training=True).shape
    torch.Size([2, 4, 4, 3])
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        data_format = kwargs.pop("data_format", None)
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or not all(_number(v) for v in factor):
                raise ValueError(f"{_FACTOR_ERROR} Received: factor={factor!r}")
            lower, upper = sorted(float(v) for v in factor)
        elif _number(factor):
            upper = abs(float(factor))
            lower = -upper
        else:
            raise ValueError(f"{_FACTOR_ERROR} Received: factor={factor!r}")
        if lower < -1.0 or upper > 1.0:
            raise ValueError(f"{_FACTOR_ERROR} Received: factor={factor!r}")
        if (
            not isinstance(value_range, (tuple, list))
            or len(value_range) != 2
            or not all(_number(v) for v in value_range)
        ):
            raise ValueError(
                "RandomBrightness: `value_range` must be a list or tuple of two numbers "
                f"(low, high). Received: value_range={value_range!r}"
            )
        self.factor = factor
        self.value_range = tuple(sorted(value_range))
        self._lower, self._upper = lower, upper

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        n = images.shape[0]
        low, high = float(self.value_range[0]), float(self.value_range[1])
        delta = self._random.uniform((n,), self._lower, self._upper) * (high - low)
        delta = delta.to(device=images.device, dtype=images.dtype).view(n, 1, 1, 1)
        return (images + delta).clamp(low, high)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range})
        return config
