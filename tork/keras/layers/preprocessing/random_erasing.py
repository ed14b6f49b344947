"""`keras.layers.RandomErasing`: erases random rectangles of images during training."""

from __future__ import annotations

import math

import torch

from tork.keras.layers.preprocessing.color_ops import _ValueRangeLayer, range_factor


class RandomErasing(_ValueRangeLayer):
    """Replaces a random rectangle of some images with a constant or noise during training.

    Each image is erased with probability `p`, drawn per image from
    `factor`. The rectangle's height and width are fractions `sqrt(s)` of
    the image's, `s` drawn from `scale` for each side (so it covers about a
    fraction `s` of the image), at a random place; it is
    filled with `fill_value`, or when `fill_value` is None with Gaussian
    noise `low + (high - low) * N(0, 1)` clipped to `value_range` (per
    pixel and channel). At inference the images are returned unchanged.

    Args:
        factor: the probability of erasing: a number `f` in [0, 1] (drawn
            from `[0, f]`) or a pair `(low, high)`; defaults to 1.
        scale: the range of the erased fraction of the image (per side, see
            above), a pair or a number `s` (`(0, s)`); defaults to
            `(0.02, 0.33)`.
        fill_value: the value of the erased pixels, or None for noise.
        value_range: `(low, high)`, the range of the input pixel values.
        seed: optional random seed.
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> layer = keras.layers.RandomErasing(factor=(1.0, 1.0), fill_value=0.0, seed=0)
    >>> layer(tf.ones((2, 8, 8, 3))).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        factor=1.0,
        scale=(0.02, 0.33),
        fill_value=None,
        value_range=(0, 255),
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.factor = range_factor(factor)
        self.scale = range_factor(scale, -math.inf, math.inf, name="scale")
        self.fill_value = fill_value

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        n, h, w, c = images.shape
        probability = self._random.uniform((n,), float(self.factor[0]), float(self.factor[1]))
        apply = self._random.uniform((n,), 0.0, 1.0) < probability
        # Each side is a fraction sqrt(s) of the image's, s drawn from `scale` for each side.
        low, high = max(float(self.scale[0]), 0.0), min(float(self.scale[1]), 1.0)
        patch_h = torch.round(torch.sqrt(self._random.uniform((n,), low, high)) * h)
        patch_w = torch.round(torch.sqrt(self._random.uniform((n,), low, high)) * w)
        top = torch.floor(self._random.uniform((n,), 0.0, 1.0) * (h - patch_h + 1))
        left = torch.floor(self._random.uniform((n,), 0.0, 1.0) * (w - patch_w + 1))
        rows = torch.arange(h, dtype=torch.float64).view(1, h, 1)
        cols = torch.arange(w, dtype=torch.float64).view(1, 1, w)
        inside = (
            (rows >= top.view(-1, 1, 1))
            & (rows < (top + patch_h).view(-1, 1, 1))
            & (cols >= left.view(-1, 1, 1))
            & (cols < (left + patch_w).view(-1, 1, 1))
            & apply.view(-1, 1, 1)
        )
        mask = inside.unsqueeze(-1).to(images.device)
        if self.fill_value is None:
            low, high = float(self.value_range[0]), float(self.value_range[1])
            noise = torch.randn((n, h, w, c), generator=self._random.generator)
            fill = self._clip((low + (high - low) * noise).to(images.device, images.dtype))
        else:
            fill = torch.full_like(images, float(self.fill_value))
        return torch.where(mask, fill, images)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"factor": self.factor, "scale": self.scale, "fill_value": self.fill_value})
        return config
