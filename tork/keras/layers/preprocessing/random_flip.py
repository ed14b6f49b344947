"""`keras.layers.RandomFlip`: random horizontal and/or vertical flips during training."""

from __future__ import annotations

import torch

from tork.keras.layers.preprocessing._random_base import BaseRandomImageLayer

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"


class RandomFlip(BaseRandomImageLayer):
    """Randomly flips images during training.

    Each image is flipped left-right (`'horizontal'`), up-down
    (`'vertical'`) or each of the two independently (`'horizontal_and_vertical'`),
    with probability 1/2. At inference (`training=False`) the images are
    returned unchanged (as floats).

    Args:
        mode: `'horizontal'`, `'vertical'` or `'horizontal_and_vertical'`.
        seed: optional random seed.
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> layer = keras.layers.RandomFlip("horizontal", seed=1)
    >>> layer(tf.ones((2, 4, 4, 3)), training=True).shape
    torch.Size([2, 4, 4, 3])
    """

    def __init__(self, mode: str = HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if mode not in (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL):
            raise ValueError(
                f"RandomFlip layer {self.name} received an unknown mode argument {mode!r}; "
                f"expected one of {[HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL]}."
            )
        self.mode = mode

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        n = images.shape[0]
        shape = (n, 1, 1, 1)
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            flip = (self._random.uniform((n,), 0.0, 1.0) < 0.5).to(images.device).view(shape)
            images = torch.where(flip, images.flip(2), images)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            flip = (self._random.uniform((n,), 0.0, 1.0) < 0.5).to(images.device).view(shape)
            images = torch.where(flip, images.flip(1), images)
        return images

    def get_config(self) -> dict:
        config = super().get_config()
        config["mode"] = self.mode
        return config
