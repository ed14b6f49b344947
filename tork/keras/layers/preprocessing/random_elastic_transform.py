"""`keras.layers.RandomElasticTransform`: random smooth elastic distortions during training."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from tork.keras.layers.preprocessing._image import _map_index
from tork.keras.layers.preprocessing.color_ops import _ValueRangeLayer, range_factor
from tork.keras.layers.preprocessing.geometric import check_fill_mode, check_interpolation

# The displacement field is white noise smoothed by a Gaussian of standard deviation
# _SMOOTH * size * s, scaled so that each component has standard deviation
# _MAGNITUDE * size * s pixels (size = the larger image side, s drawn from `scale`);
# these give about the statistics Keras 3.15 shows.
_SMOOTH = 0.05
_MAGNITUDE = 0.03


def _gaussian_smooth(field: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
    """Smooths `(N, 2, H, W)` fields, one Gaussian per image (replicated borders)."""
    n, c, h, w = field.shape
    radius = int(math.ceil(3 * float(sigma.max()))) if sigma.numel() else 0
    if radius == 0:
        return field
    offsets = torch.arange(-radius, radius + 1, dtype=torch.float64)
    safe = sigma.clamp_min(1e-6).view(-1, 1)
    kernel = torch.exp(-(offsets**2) / (2 * safe**2))
    kernel = (kernel / kernel.sum(dim=1, keepdim=True)).to(field.dtype)
    kernel = kernel.repeat_interleave(c, dim=0)  # (N * 2, K)
    k = 2 * radius + 1
    x = field.reshape(1, n * c, h, w)
    x = F.pad(x, (radius, radius, radius, radius), mode="replicate")
    x = F.conv2d(x, kernel.view(n * c, 1, k, 1), groups=n * c)
    x = F.conv2d(x, kernel.view(n * c, 1, 1, k), groups=n * c)
    return x.view(n, c, h, w)


def sample(images, in_y, in_x, interpolation: str, fill_mode: str, fill_value) -> torch.Tensor:
    """Reads NHWC `images` at float coordinates `(N, H, W)`, TF-style fill and interpolation."""
    n, h, w, c = images.shape
    flat = images.reshape(n, h * w, c)

    def read(iy, ix):
        my, inside_y = _map_index(iy, h, fill_mode)
        mx, inside_x = _map_index(ix, w, fill_mode)
        index = (my * w + mx).reshape(n, h * w, 1).expand(n, h * w, c)
        values = torch.gather(flat, 1, index).reshape(n, h, w, c)
        if inside_y is not None:
            inside = (inside_y & inside_x).unsqueeze(-1)
            values = torch.where(inside, values, torch.full_like(values, float(fill_value)))
        return values

    if interpolation == "nearest":
        # std::round, as TF: halves away from zero.
        iy = torch.sign(in_y) * torch.floor(in_y.abs() + 0.5)
        ix = torch.sign(in_x) * torch.floor(in_x.abs() + 0.5)
        return read(iy.long(), ix.long())
    y0f, x0f = torch.floor(in_y), torch.floor(in_x)
    wy = (in_y - y0f).unsqueeze(-1).to(images.dtype)
    wx = (in_x - x0f).unsqueeze(-1).to(images.dtype)
    y0, x0 = y0f.long(), x0f.long()
    top = read(y0, x0) * (1 - wx) + read(y0, x0 + 1) * wx
    bottom = read(y0 + 1, x0) * (1 - wx) + read(y0 + 1, x0 + 1) * wx
    return top * (1 - wy) + bottom * wy


class RandomElasticTransform(_ValueRangeLayer):
    """Distorts some images with a random smooth displacement field during training.

    Each image is transformed with probability `p` (drawn per image from
    `factor`). Its pixels are read from positions moved by a random field:
    uniform noise smoothed by a Gaussian whose width, like the size of the
    displacements, grows with `s * size` (`s` drawn from `scale`, `size` the
    larger image side). Positions outside the image follow `fill_mode`; the
    result is clipped to `value_range`. At inference the images are returned
    unchanged.

    Args:
        factor: the probability of transforming an image: a number `f` in
            [0, 1] (drawn from `[0, f]`) or a pair `(low, high)`; defaults
            to 1.
        scale: the strength of the distortion: a number `s` in [0, 1] (drawn
            from `[0, s]`) or a pair; defaults to 1.
        interpolation: `'bilinear'` (default) or `'nearest'`.
        fill_mode: `'reflect'` (default), `'wrap'`, `'constant'` or
            `'nearest'`.
        fill_value: the value outside the image for `fill_mode='constant'`.
        value_range: `(low, high)`, the range of the input pixel values.
        seed: optional random seed.
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> layer = keras.layers.RandomElasticTransform(seed=0)
    >>> layer(tf.ones((2, 16, 16, 3))).shape
    torch.Size([2, 16, 16, 3])
    """

    def __init__(
        self,
        factor=1.0,
        scale=1.0,
        interpolation="bilinear",
        fill_mode="reflect",
        fill_value=0.0,
        value_range=(0, 255),
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.factor = range_factor(factor)
        self.scale = range_factor(scale, name="scale")
        self.interpolation = check_interpolation(interpolation)
        self.fill_mode = check_fill_mode(fill_mode)
        self.fill_value = fill_value

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        n, h, w, _ = images.shape
        size = float(max(h, w))
        probability = self._random.uniform((n,), float(self.factor[0]), float(self.factor[1]))
        apply = (self._random.uniform((n,), 0.0, 1.0) < probability).to(torch.float64)
        strength = self._random.uniform((n,), float(self.scale[0]), float(self.scale[1]))
        sigma = _SMOOTH * size * strength
        noise = self._random.uniform((n, 2, h, w), -1.0, 1.0)
        smooth = _gaussian_smooth(noise, sigma)
        # Smoothing white noise of variance 1/3 by a unit-sum 2-D Gaussian leaves a variance
        # of about 1 / (3 * 4 pi sigma^2): undo that, then scale to the target size.
        spread = torch.sqrt(1.0 / (3.0 * 4.0 * math.pi * sigma.clamp_min(0.5) ** 2))
        gain = _MAGNITUDE * size * strength * apply / spread
        field = smooth * gain.view(n, 1, 1, 1)
        field = field.to(device=images.device, dtype=torch.float32)
        ys = torch.arange(h, device=images.device, dtype=torch.float32).view(1, h, 1)
        xs = torch.arange(w, device=images.device, dtype=torch.float32).view(1, 1, w)
        out = sample(
            images,
            ys + field[:, 0],
            xs + field[:, 1],
            self.interpolation,
            self.fill_mode,
            self.fill_value,
        )
        return self._clip(out)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "factor": self.factor,
                "scale": self.scale,
                "interpolation": self.interpolation,
                "fill_mode": self.fill_mode,
                "fill_value": self.fill_value,
            }
        )
        return config
