"""`keras.layers.RandomTranslation`: random shifts during training."""

from __future__ import annotations

import torch

from tork.keras.layers.preprocessing._image import (
    affine_transform,
    check_fill_mode,
    check_interpolation,
    parse_factor,
    translation_transforms,
)
from tork.keras.layers.preprocessing._random_base import BaseRandomImageLayer


class RandomTranslation(BaseRandomImageLayer):
    """Randomly translates images during training.

    Each image is shifted down by `u * height` pixels and right by
    `v * width`, with `u` and `v` drawn uniformly from the factor ranges
    (negative values shift up/left). Pixels that come from outside the image
    are filled by `fill_mode`. At inference the images are returned unchanged.

    Args:
        height_factor: fraction `f` of the height (shifts in `[-f, f]`) or a
            pair `(low, high)`, within [-1, 1].
        width_factor: the same for the width.
        fill_mode: `'reflect'`, `'wrap'`, `'constant'` or `'nearest'`
            (see `RandomRotation`).
        interpolation: `'bilinear'` or `'nearest'`.
        seed: optional random seed.
        fill_value: the value outside the image for `fill_mode='constant'`.
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> layer = keras.layers.RandomTranslation(0.1, 0.1, seed=0)
    >>> layer(tf.ones((2, 8, 8, 3)), training=True).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        height_factor,
        width_factor,
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed=None,
        fill_value: float = 0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.width_factor = width_factor
        self._height_range = parse_factor(
            height_factor, "height_factor", "RandomTranslation", ordered=True
        )
        self._width_range = parse_factor(
            width_factor, "width_factor", "RandomTranslation", ordered=True
        )
        self.fill_mode = check_fill_mode(fill_mode, "RandomTranslation")
        self.interpolation = check_interpolation(
            interpolation, "RandomTranslation", ("bilinear", "nearest")
        )
        self.fill_value = fill_value

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        n, h, w = images.shape[0], images.shape[1], images.shape[2]
        dy = self._random.uniform((n,), *self._height_range) * h
        dx = self._random.uniform((n,), *self._width_range) * w
        return affine_transform(
            images,
            translation_transforms(dx, dy),
            self.interpolation,
            self.fill_mode,
            self.fill_value,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "height_factor": self.height_factor,
                "width_factor": self.width_factor,
                "fill_mode": self.fill_mode,
                "interpolation": self.interpolation,
                "fill_value": self.fill_value,
            }
        )
        return config
