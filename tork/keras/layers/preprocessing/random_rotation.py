"""`keras.layers.RandomRotation`: random rotations during training."""

from __future__ import annotations

import math

import torch

from tork.keras.layers.preprocessing._image import (
    affine_transform,
    check_fill_mode,
    check_interpolation,
    parse_factor,
    rotation_transforms,
)
from tork.keras.layers.preprocessing._random_base import BaseRandomImageLayer


class RandomRotation(BaseRandomImageLayer):
    """Randomly rotates images during training.

    Each image is rotated about its center by an angle drawn uniformly from
    `[low, high] * 2π` (positive = counter-clockwise). Pixels that come from
    outside the image are filled by `fill_mode`. At inference
    (`training=False`) the images are returned unchanged (as floats).

    Args:
        factor: a fraction of a full turn `f` (angles in `[-f, f] * 2π`) or a
            pair `(low, high)`.
        fill_mode: `'reflect'` (`dcba|abcd|dcba`), `'wrap'` (`abcd|abcd|abcd`),
            `'constant'` (`kkkk|abcd|kkkk`, k = `fill_value`) or `'nearest'`
            (`aaaa|abcd|dddd`).
        interpolation: `'bilinear'` or `'nearest'`.
        seed: optional random seed.
        fill_value: the value outside the image for `fill_mode='constant'`.
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> layer = keras.layers.RandomRotation(0.1, seed=0)
    >>> layer(tf.ones((2, 8, 8, 3)), training=True).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        factor,
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed=None,
        fill_value: float = 0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = factor
        self._low, self._high = parse_factor(
            factor, "factor", "RandomRotation", math.inf, ordered=True
        )
        self.fill_mode = check_fill_mode(fill_mode, "RandomRotation")
        self.interpolation = check_interpolation(
            interpolation, "RandomRotation", ("bilinear", "nearest")
        )
        self.fill_value = fill_value

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        n, h, w = images.shape[0], images.shape[1], images.shape[2]
        angles = self._random.uniform((n,), self._low, self._high) * (2 * math.pi)
        transforms = rotation_transforms(angles, h, w)
        return affine_transform(
            images, transforms, self.interpolation, self.fill_mode, self.fill_value
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "factor": self.factor,
                "fill_mode": self.fill_mode,
                "interpolation": self.interpolation,
                "fill_value": self.fill_value,
            }
        )
        return config
