"""Keras 3's geometric augmentations: `RandomShear` and `RandomPerspective`.

Both build one projective transform per image and sample it with the same
machinery as `RandomRotation` (`_image.affine_transform`, TF semantics).
"""

from __future__ import annotations

import torch

from tork.keras.layers.preprocessing._image import FILL_MODES, affine_transform
from tork.keras.layers.preprocessing._random_base import BaseRandomImageLayer
from tork.keras.layers.preprocessing.color_ops import _number, range_factor


def _shear_factor(value, name: str):
    """A number `f` in [0, 1] gives `(-f, f)`; a pair of values in [0, 1] is sorted."""
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(_number(v) for v in value):
        values, result = list(value), tuple(sorted(value))
        if value[0] == -value[1]:  # the `(-f, f)` a number gives, back from a config
            values = [abs(value[0])]
    elif _number(value):
        values, result = [value], (-value, value)
    else:
        raise ValueError(
            "The `factor` argument should be a number (or a list of two numbers) in the range "
            f"[0, 1.0]. Received: {name}={value}"
        )
    for v in values:
        if not 0 <= v <= 1:
            raise ValueError(
                "The `factor` argument should be a number (or a list of two numbers) in the "
                f"range [0, 1.0]. Received: input_number={v}"
            )
    return result


def check_interpolation(interpolation) -> str:
    if interpolation not in ("nearest", "bilinear"):
        raise NotImplementedError(
            f"Unknown `interpolation` {interpolation}. Expected of one ('nearest', 'bilinear')."
        )
    return interpolation


def check_fill_mode(fill_mode) -> str:
    if fill_mode not in FILL_MODES:
        raise NotImplementedError(f"Unknown `fill_mode` {fill_mode}. Expected of one {FILL_MODES}.")
    return fill_mode


class RandomShear(BaseRandomImageLayer):
    """Randomly shears images along x and/or y during training.

    For each image `sx` and `sy` are drawn from `x_factor` and `y_factor`
    and both are negated with probability 1/2; the output pixel `(x, y)` is read from the
    input at `(x + sx * y, y + sy * x)` (the top row and the left column stay
    in place). Pixels from outside the image follow `fill_mode`. At
    inference the images are returned unchanged.

    Args:
        x_factor: a number `f` in [0, 1] (draws from `[-f, f]`) or a pair
            `(low, high)` within [0, 1]; the shear in pixels per row. Pass `(f, f)` for
            shears of `f` or `-f`. Defaults to 0.
        y_factor: likewise along y (pixels per column).
        interpolation: `'bilinear'` (default) or `'nearest'`.
        fill_mode: `'reflect'` (default), `'wrap'`, `'constant'` or
            `'nearest'`.
        fill_value: the value outside the image for `fill_mode='constant'`.
        data_format: `'channels_last'` (default) or `'channels_first'`.
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.RandomShear(x_factor=0.2, y_factor=0.2, seed=0)
    >>> layer(tf.ones((2, 8, 8, 3))).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        x_factor=0.0,
        y_factor=0.0,
        interpolation="bilinear",
        fill_mode="reflect",
        fill_value=0.0,
        data_format=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.x_factor = _shear_factor(x_factor, "x_factor")
        self.y_factor = _shear_factor(y_factor, "y_factor")
        self.interpolation = check_interpolation(interpolation)
        self.fill_mode = check_fill_mode(fill_mode)
        self.fill_value = fill_value

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        n = images.shape[0]
        # Like Keras 3, one random sign per image flips both shears.
        sign = torch.where(self._random.uniform((n,), 0.0, 1.0) < 0.5, -1.0, 1.0)
        sx = self._random.uniform((n,), float(self.x_factor[0]), float(self.x_factor[1])) * sign
        sy = self._random.uniform((n,), float(self.y_factor[0]), float(self.y_factor[1])) * sign
        ones, zeros = torch.ones_like(sx), torch.zeros_like(sx)
        transforms = torch.stack([ones, sx, zeros, sy, ones, zeros, zeros, zeros], dim=1)
        return affine_transform(
            images, transforms, self.interpolation, self.fill_mode, self.fill_value
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "x_factor": self.x_factor,
                "y_factor": self.y_factor,
                "fill_mode": self.fill_mode,
                "interpolation": self.interpolation,
                "fill_value": self.fill_value,
            }
        )
        return config


def perspective_transforms(source: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Rows `[a0, a1, a2, b0, b1, b2, c0, c1]` mapping each `target` corner onto `source`.

    `source` and `target` are `(N, 4, 2)` corner coordinates `(x, y)`; the
    transform maps output points to input points, so the output shows the
    input's `source` quadrilateral stretched over `target`.
    """
    n = source.shape[0]
    rows = []
    rhs = []
    for i in range(4):
        x, y = target[:, i, 0], target[:, i, 1]
        u, v = source[:, i, 0], source[:, i, 1]
        one, zero = torch.ones_like(x), torch.zeros_like(x)
        rows.append(torch.stack([x, y, one, zero, zero, zero, -u * x, -u * y], dim=1))
        rows.append(torch.stack([zero, zero, zero, x, y, one, -v * x, -v * y], dim=1))
        rhs.extend([u, v])
    system = torch.stack(rows, dim=1)
    values = torch.stack(rhs, dim=1).view(n, 8, 1)
    return torch.linalg.solve(system, values).view(n, 8)


class RandomPerspective(BaseRandomImageLayer):
    """Randomly distorts the perspective of images during training.

    Each image is transformed with probability `p` (drawn per image from
    `factor`): its four corners are moved by random offsets of up to
    `scale / 4` of the image size in each direction, and the image is
    warped by the projective transform taking the corners to their new
    places. Pixels from outside the image get `fill_value`. At inference
    the images are returned unchanged.

    Args:
        factor: the probability of transforming an image: a number `f` in
            [0, 1] (drawn from `[0, f]`) or a pair `(low, high)`; defaults
            to 1.
        scale: the strength of the distortion, in [0, 1]; defaults to 1.
        interpolation: `'bilinear'` (default) or `'nearest'`.
        fill_value: the value outside the image.
        seed: optional random seed.
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> layer = keras.layers.RandomPerspective(factor=1.0, scale=0.5, seed=0)
    >>> layer(tf.ones((2, 8, 8, 3))).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        factor=1.0,
        scale=1.0,
        interpolation="bilinear",
        fill_value=0.0,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = range_factor(factor)
        if not _number(scale) or not 0 <= scale <= 1:
            raise ValueError(
                f"The `scale` argument should be a number in the range [0,1]. Received: "
                f"scale={scale!r}"
            )
        self.scale = scale
        self.interpolation = check_interpolation(interpolation)
        self.fill_value = fill_value

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        n, h, w = images.shape[0], images.shape[1], images.shape[2]
        probability = self._random.uniform((n,), float(self.factor[0]), float(self.factor[1]))
        apply = self._random.uniform((n,), 0.0, 1.0) < probability
        corners = torch.tensor(
            [[0.0, 0.0], [w - 1.0, 0.0], [w - 1.0, h - 1.0], [0.0, h - 1.0]],
            dtype=torch.float64,
        ).expand(n, 4, 2)
        size = torch.tensor([w, h], dtype=torch.float64)
        offsets = self._random.uniform((n, 4, 2), -1.0, 1.0) * (float(self.scale) / 4.0) * size
        offsets = offsets * apply.view(n, 1, 1)
        transforms = perspective_transforms(corners, corners + offsets)
        return affine_transform(images, transforms, self.interpolation, "constant", self.fill_value)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "factor": self.factor,
                "scale": self.scale,
                "interpolation": self.interpolation,
                "fill_value": self.fill_value,
            }
        )
        return config
