"""`keras.layers.RandAugment` and `keras.layers.AugMix`: policies over the augmentation layers.

Both draw their operations from the same set of layers (shear, translation,
rotation, brightness, colour degeneration, contrast, sharpness, solarization,
posterization, auto-contrast, equalization), each built with the policy's
strength `factor`. As in Keras 3, an operation is chosen for the whole batch
and then draws its own random parameters per image.
"""

from __future__ import annotations

import torch

from tork.keras.layers.preprocessing.color_ops import (
    AutoContrast,
    Equalization,
    RandomColorDegeneration,
    RandomPosterization,
    RandomSharpness,
    Solarization,
    _ValueRangeLayer,
    range_factor,
)
from tork.keras.layers.preprocessing.geometric import RandomShear, check_interpolation
from tork.keras.layers.preprocessing.mixing import _gamma, _ratio
from tork.keras.layers.preprocessing.random_brightness import RandomBrightness
from tork.keras.layers.preprocessing.random_contrast import RandomContrast
from tork.keras.layers.preprocessing.random_rotation import RandomRotation
from tork.keras.layers.preprocessing.random_translation import RandomTranslation

# The operations that change colours only (AugMix leaves them out unless `all_ops`).
_COLOUR_ONLY = (
    "random_brightness",
    "random_color_degeneration",
    "random_contrast",
    "random_sharpness",
)


def _operations(strength, value_range, interpolation, seed) -> dict:
    """The named augmentation layers of strength `(0, strength)`, in a fixed order."""
    factor = (0, strength)
    seeds = iter(range(100)) if seed is None else iter(range(int(seed), int(seed) + 100))

    def next_seed():
        return None if seed is None else next(seeds)

    bits = max(1, min(8, int(strength * 8)))
    return {
        "random_shear": RandomShear(factor, factor, interpolation=interpolation, seed=next_seed()),
        "random_translation": RandomTranslation(
            factor, factor, interpolation=interpolation, seed=next_seed()
        ),
        "random_rotation": RandomRotation(factor, interpolation=interpolation, seed=next_seed()),
        "random_brightness": RandomBrightness(factor, value_range, seed=next_seed()),
        "random_color_degeneration": RandomColorDegeneration(factor, value_range, seed=next_seed()),
        "random_contrast": RandomContrast(factor, value_range, seed=next_seed()),
        "random_sharpness": RandomSharpness(factor, value_range, seed=next_seed()),
        "solarization": Solarization(factor, factor, value_range, seed=next_seed()),
        "random_posterization": RandomPosterization((1, bits), value_range, seed=next_seed()),
        "auto_contrast": AutoContrast(value_range),
        "equalization": Equalization(value_range),
    }


class RandAugment(_ValueRangeLayer):
    """Applies `num_ops` augmentations drawn at random from a fixed set during training.

    For each of the `num_ops` steps one operation is drawn uniformly from:
    shear, translation, rotation, brightness, colour degeneration, contrast,
    sharpness, solarization, posterization, auto-contrast and equalization,
    each with strength `factor` (e.g. rotations up to `factor` of a turn,
    posterization to `int(8 * factor)` bits). The operation is chosen for
    the whole batch; its random parameters are drawn per image. At
    inference the images are returned unchanged.

    Args:
        value_range: `(low, high)`, the range of the input pixel values.
        num_ops: the number of operations applied in turn; defaults to 2.
        factor: the strength, a number in [0, 1] (or a pair whose upper
            bound is used); defaults to 0.5.
        interpolation: `'bilinear'` (default) or `'nearest'`, for the
            geometric operations.
        seed: optional random seed.
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> layer = keras.layers.RandAugment(num_ops=2, factor=0.5, seed=0)
    >>> layer(tf.ones((2, 8, 8, 3)) * 100).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        value_range=(0, 255),
        num_ops=2,
        factor=0.5,
        interpolation="bilinear",
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.num_ops = int(num_ops)
        self.factor = range_factor(factor)
        self.interpolation = check_interpolation(interpolation)
        self._ops = list(
            _operations(float(self.factor[1]), self.value_range, interpolation, seed).values()
        )

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        for _ in range(self.num_ops):
            op = self._ops[self._random.integer(0, len(self._ops) - 1)]
            images = op._augment(images)
        return self._clip(images)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {"num_ops": self.num_ops, "factor": self.factor, "interpolation": self.interpolation}
        )
        return config


class AugMix(_ValueRangeLayer):
    """Mixes the image with `num_chains` randomly augmented versions of it during training.

    Each chain applies between 1 and `chain_depth` operations drawn at
    random (from the same set as `RandAugment`, without the colour-only
    ones unless `all_ops`), with strength `factor`. The chains are averaged
    with weights drawn from `Dirichlet(alpha)`, and the result is
    `m * image + (1 - m) * mix` with `m ~ Beta(alpha, alpha)`. The
    operations are chosen for the whole batch, their parameters and the
    weights per image. At inference the images are returned unchanged.

    Args:
        value_range: `(low, high)`, the range of the input pixel values.
        num_chains: the number of chains mixed; defaults to 3.
        chain_depth: the largest number of operations in a chain; defaults
            to 3.
        factor: the strength, a number in [0, 1] (or a pair whose upper
            bound is used); defaults to 0.3.
        alpha: the concentration of the Beta and Dirichlet weights; defaults
            to 1.
        all_ops: whether to use the colour-only operations (brightness,
            colour degeneration, contrast, sharpness) too; defaults to True.
        interpolation: `'bilinear'` (default) or `'nearest'`.
        seed: optional random seed.
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> layer = keras.layers.AugMix(seed=0)
    >>> layer(tf.ones((2, 8, 8, 3)) * 100).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        value_range=(0, 255),
        num_chains=3,
        chain_depth=3,
        factor=0.3,
        alpha=1.0,
        all_ops=True,
        interpolation="bilinear",
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.num_chains = int(num_chains)
        self.chain_depth = int(chain_depth)
        self.factor = range_factor(factor)
        self.alpha = alpha
        self.all_ops = bool(all_ops)
        self.interpolation = check_interpolation(interpolation)
        ops = _operations(float(self.factor[1]), self.value_range, interpolation, seed)
        self._ops = [op for name, op in ops.items() if all_ops or name not in _COLOUR_ONLY]

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        n = images.shape[0]
        alpha = float(self.alpha)
        gammas = torch.stack([_gamma(self._random, n, alpha) for _ in range(self.num_chains)], 1)
        chain_weights = gammas / gammas.sum(dim=1, keepdim=True).clamp_min(1e-300)
        chain_weights = chain_weights.to(device=images.device, dtype=images.dtype)
        mix = torch.zeros_like(images)
        for chain in range(self.num_chains):
            x = images
            for _ in range(self._random.integer(1, max(1, self.chain_depth))):
                x = self._ops[self._random.integer(0, len(self._ops) - 1)]._augment(x)
            mix = mix + chain_weights[:, chain].view(n, 1, 1, 1) * self._clip(x)
        m = _ratio(self._random, n, alpha).to(device=images.device, dtype=images.dtype)
        m = m.view(n, 1, 1, 1)
        return self._clip(m * images + (1 - m) * mix)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "num_chains": self.num_chains,
                "chain_depth": self.chain_depth,
                "factor": self.factor,
                "alpha": self.alpha,
                "all_ops": self.all_ops,
                "interpolation": self.interpolation,
            }
        )
        return config
