"""Keras 3's colour augmentation layers: AutoContrast, Solarization, RandomGrayscale, ...

All of them work on float `(N, H, W, C)` batches (the base class moves
unbatched and channels-first images there and back). Pixel values are in
`value_range`; most operations map them to `[0, 255]` first, as Keras does,
so thresholds and bit depths mean the same for every range.
"""

from __future__ import annotations

import numbers

import torch
import torch.nn.functional as F

from tork._backend.tensor import convert_to_tensor
from tork.keras.layers._call_context import CONTEXT
from tork.keras.layers.preprocessing._random_base import BaseRandomImageLayer
from tork.ops.image import _hsv_to_rgb, rgb_to_hsv

# The luma weights of `tf.image.rgb_to_grayscale` (ITU-R BT.601).
_GRAY_WEIGHTS = (0.2989, 0.5870, 0.1140)


def _number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_value_range(value_range, as_list: bool = False):
    """A `(low, high)` pair, sorted (Keras 3 stores some as lists, some as tuples)."""
    if (
        not isinstance(value_range, (tuple, list))
        or len(value_range) != 2
        or not all(_number(v) for v in value_range)
    ):
        raise ValueError(
            "The `value_range` argument should be a list of two numbers. "
            f"Received: value_range={value_range!r}"
        )
    low, high = sorted(value_range)
    return [low, high] if as_list else (low, high)


def range_factor(
    factor, low: float = 0, high: float = 1, symmetric: bool = False, name="factor", received=None
):
    """Keras 3's factor: a number `f` gives `(0, f)` (or `(-|f|, |f|)`), a pair is sorted.

    Every value must lie in `[low, high]`.
    """
    message = (
        f"The `{name}` argument should be a number (or a list of two numbers) in the range "
        f"[{low}, {high}]. Received: {name}={received if received is not None else factor!r}"
    )
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or not all(_number(v) for v in factor):
            raise ValueError(message)
        result = tuple(sorted(factor))
    elif _number(factor):
        if not low <= factor <= high:
            raise ValueError(message)
        result = (-abs(factor), abs(factor)) if symmetric else (0, factor)
    else:
        raise ValueError(message)
    if result[0] < low or result[1] > high:
        raise ValueError(message)
    return result


def to_255(images: torch.Tensor, value_range) -> torch.Tensor:
    low, high = float(value_range[0]), float(value_range[1])
    if (low, high) == (0.0, 255.0):
        return images
    return (images - low) * (255.0 / (high - low))


def from_255(images: torch.Tensor, value_range) -> torch.Tensor:
    low, high = float(value_range[0]), float(value_range[1])
    if (low, high) == (0.0, 255.0):
        return images
    return images * ((high - low) / 255.0) + low


def grayscale(images: torch.Tensor) -> torch.Tensor:
    """Luma of NHWC RGB images, `(N, H, W, 1)`."""
    w = torch.tensor(_GRAY_WEIGHTS, dtype=images.dtype, device=images.device)
    return (images * w).sum(dim=-1, keepdim=True)


def check_rgb(images: torch.Tensor, owner: str) -> None:
    if images.shape[-1] != 3:
        raise ValueError(
            f"{owner} expects RGB images with 3 channels. Received input with shape: "
            f"images.shape={tuple(images.shape)}"
        )


def per_image(values: torch.Tensor, images: torch.Tensor) -> torch.Tensor:
    """Per-image parameters, shaped `(N, 1, 1, 1)` to broadcast over NHWC images."""
    return values.to(device=images.device, dtype=images.dtype).view(-1, 1, 1, 1)


def _as_tensor(inputs) -> torch.Tensor:
    return inputs if isinstance(inputs, torch.Tensor) else convert_to_tensor(inputs)


class KeepsIntegerImages:
    """Mixin: integer images come back unchanged, dtype included, at inference (as in Keras 3).

    Keras 3's colour layers return their input as is when not training; the
    others (and every layer while training) return floats.
    """

    def call(self, inputs, training=True):
        if not training and not CONTEXT.symbolic and not isinstance(inputs, dict):
            tensor = _as_tensor(inputs)
            if not tensor.is_floating_point():
                return tensor
        return super().call(inputs, training=training)


class _ValueRangeLayer(BaseRandomImageLayer):
    """Base of the colour layers: `value_range` and Keras 3-style factors."""

    _value_range_as_list = False

    def __init__(self, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.value_range = check_value_range(value_range, self._value_range_as_list)

    def _clip(self, images: torch.Tensor) -> torch.Tensor:
        return images.clamp(float(self.value_range[0]), float(self.value_range[1]))

    def _draw(self, n: int, bounds, images: torch.Tensor) -> torch.Tensor:
        return per_image(self._random.uniform((n,), float(bounds[0]), float(bounds[1])), images)

    def get_config(self) -> dict:
        config = super().get_config()
        config["value_range"] = self.value_range
        return config


class AutoContrast(_ValueRangeLayer):
    """Stretches each channel of each image across the whole `value_range`.

    The darkest value of a channel becomes `low` and the brightest `high`
    (`(low, high)` = `value_range`), linearly in between; a constant channel
    is left as is. Unlike the random layers, this layer is applied at both
    training and inference time.

    Args:
        value_range: `(low, high)`, the range of the input pixel values;
            defaults to `(0, 255)`.

    Example:
    >>> layer = keras.layers.AutoContrast()
    >>> layer(tf.constant([[[[10.0], [20.0]]]]))[0, 0, :, 0]
    tensor([  0., 255.])
    """

    _value_range_as_list = True

    def __init__(self, value_range=(0, 255), **kwargs):
        data_format = kwargs.pop("data_format", None)
        super().__init__(value_range=value_range, data_format=data_format, **kwargs)

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        x = to_255(images, self.value_range)
        low = x.amin(dim=(1, 2), keepdim=True)
        high = x.amax(dim=(1, 2), keepdim=True)
        spread = high - low
        flat = spread == 0
        scale = 255.0 / torch.where(flat, torch.ones_like(spread), spread)
        out = torch.where(flat, x, (x - low) * scale).clamp(0.0, 255.0)
        return from_255(out, self.value_range)

    # Always applied, like Keras.
    _inference = _augment

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("seed")
        return config


class Solarization(_ValueRangeLayer):
    """Inverts the pixels above a threshold: `x -> high - x + low` during training.

    For each image an addition `a` and a threshold `t` are drawn from
    `addition_factor` and `threshold_factor` (fractions of the value
    range). In `[0, 255]` units every pixel becomes `y = clip(x + 255 a)`,
    then `y` if `y < 255 t`, else `255 - y`. The defaults (both 0) invert
    every pixel. At inference the images are returned unchanged.

    Args:
        addition_factor: a number `f` in [0, 1] (draws from `[0, f]`) or a
            pair `(low, high)`; defaults to 0.
        threshold_factor: likewise for the threshold; defaults to 0.
        value_range: `(low, high)`, the range of the input pixel values.
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.Solarization()
    >>> layer(tf.constant([[[[59.0, 62.0, 63.0]]]]))[0, 0, 0]
    tensor([196., 193., 192.])
    """

    _value_range_as_list = True

    def __init__(
        self,
        addition_factor=0.0,
        threshold_factor=0.0,
        value_range=(0, 255),
        seed=None,
        **kwargs,
    ):
        data_format = kwargs.pop("data_format", None)
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.addition_factor = self._factor(addition_factor)
        self.threshold_factor = self._factor(threshold_factor)

    @staticmethod
    def _factor(value):
        try:
            return range_factor(value)
        except ValueError:
            received = value
            if isinstance(value, (tuple, list)):
                # Keras names the offending number.
                received = next((v for v in value if _number(v) and not 0 <= v <= 1), value)
            raise ValueError(
                "The `addition_factor` and `threshold_factor` arguments should be a number "
                f"(or a list of two numbers) in the range [0, 1]. Received: "
                f"input_number={received!r}"
            ) from None

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        n = images.shape[0]
        addition = self._draw(n, self.addition_factor, images) * 255.0
        threshold = self._draw(n, self.threshold_factor, images) * 255.0
        x = (to_255(images, self.value_range) + addition).clamp(0.0, 255.0)
        out = torch.where(x < threshold, x, 255.0 - x)
        return from_255(out, self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {"addition_factor": self.addition_factor, "threshold_factor": self.threshold_factor}
        )
        return config


class RandomGrayscale(KeepsIntegerImages, BaseRandomImageLayer):
    """Converts each image to grayscale with probability `factor` during training.

    A converted image keeps its channels, all set to the luma
    `0.2989 R + 0.587 G + 0.114 B`. One-channel images are returned as
    they are; integer images stay integer (the luma truncated). At inference
    the images are returned unchanged.

    Args:
        factor: the probability, in [0, 1], of converting an image; defaults
            to 0.5.
        data_format: `'channels_last'` (default) or `'channels_first'`.
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.RandomGrayscale(factor=1.0)
    >>> layer(tf.constant([[[[10.0, 100.0, 200.0]]]]))[0, 0, 0]
    tensor([84.4890, 84.4890, 84.4890])
    """

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if not _number(factor) or not 0 <= factor <= 1:
            raise ValueError(f"`factor` should be between 0 and 1. Received: factor={factor!r}")
        self.factor = factor

    def call(self, inputs, training=True):
        out = super().call(inputs, training=training)
        source = _as_tensor(inputs)
        if training and not source.is_floating_point() and not CONTEXT.symbolic:
            # Keras 3 keeps integer images integer here, truncating the luma.
            out = out.to(source.dtype)
        return out

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        channels = images.shape[-1]
        if channels == 1:
            return images
        if channels != 3:
            raise ValueError(
                "Invalid channel size: expected 3 (RGB) or 1 (Grayscale). Received input with "
                f"shape: images.shape={tuple(images.shape)}"
            )
        n = images.shape[0]
        apply = per_image(self._random.uniform((n,), 0.0, 1.0), images) < float(self.factor)
        return torch.where(apply, grayscale(images).expand_as(images), images)

    def get_config(self) -> dict:
        config = super().get_config()
        config["factor"] = self.factor
        return config


class RandomInvert(KeepsIntegerImages, _ValueRangeLayer):
    """Inverts the colours of some images during training: `x -> high - x`.

    For each image a probability `p` is drawn from `factor` and the image
    is inverted with probability `p` (`high` is `value_range[1]`). At
    inference the images are returned unchanged.

    Args:
        factor: a number `f` in [0, 1] (`p` drawn from `[0, f]`) or a pair
            `(low, high)`; defaults to 1.
        value_range: `(low, high)`, the range of the input pixel values.
        seed: optional random seed.
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> layer = keras.layers.RandomInvert(factor=(1.0, 1.0))
    >>> layer(tf.constant([[[[10.0, 100.0, 200.0]]]]))[0, 0, 0]
    tensor([245., 155.,  55.])
    """

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.factor = range_factor(factor)

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        n = images.shape[0]
        probability = self._draw(n, self.factor, images)
        apply = self._draw(n, (0.0, 1.0), images) < probability
        # Keras 3 reflects about the upper bound alone.
        return torch.where(apply, float(self.value_range[1]) - images, images)

    def get_config(self) -> dict:
        config = super().get_config()
        config["factor"] = self.factor
        return config


class RandomPosterization(KeepsIntegerImages, _ValueRangeLayer):
    """Keeps only the top `bits` bits of each 8-bit channel value during training.

    In `[0, 255]` units each value is truncated to an integer and its
    `8 - bits` low bits are cleared (`bits` drawn per image from `factor`).
    At inference the images are returned unchanged.

    Args:
        factor: the number of bits to keep, an integer in [1, 8] (`bits`
            drawn from `[1, factor]`) or a pair `(low, high)`.
        value_range: `(low, high)`, the range of the input pixel values.
        data_format: `'channels_last'` (default) or `'channels_first'`.
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.RandomPosterization(factor=(3, 3))
    >>> layer(tf.constant([[[[10.0, 100.0, 200.0]]]]))[0, 0, 0]
    tensor([  0.,  96., 192.])
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        # A number `b` draws from [1, b] (Keras 3), not [0, b].
        self.factor = range_factor(
            (1, factor) if _number(factor) else factor, 1, 8, received=factor
        )

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        n = images.shape[0]
        low, high = float(self.factor[0]), float(self.factor[1])
        bits = torch.floor(self._random.uniform((n,), low, high + 1.0)).clamp(low, high)
        step = torch.pow(2.0, 8.0 - torch.floor(bits))
        step = per_image(step, images)
        x = torch.trunc(to_255(images, self.value_range).clamp(0.0, 255.0))
        return from_255(torch.floor(x / step) * step, self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config["factor"] = self.factor
        return config


def _shift_hue(images: torch.Tensor, delta: torch.Tensor) -> torch.Tensor:
    hue, saturation, value = rgb_to_hsv(images).unbind(-1)
    return _hsv_to_rgb(torch.remainder(hue + delta[..., 0], 1.0), saturation, value)


def _scale_saturation(images: torch.Tensor, factor: torch.Tensor) -> torch.Tensor:
    hue, saturation, value = rgb_to_hsv(images).unbind(-1)
    # 0 * inf (factor 1.0 on a gray pixel) stays 0.
    scaled = torch.where(saturation > 0, saturation * factor[..., 0], torch.zeros_like(saturation))
    return _hsv_to_rgb(hue, scaled.clamp(0.0, 1.0), value)


class RandomHue(KeepsIntegerImages, _ValueRangeLayer):
    """Rotates the hue of each RGB image by a random amount during training.

    For each image `f` is drawn from `factor` and the hue (a fraction of
    the colour wheel) is shifted by `+f/2` or `-f/2` (each with probability
    1/2). At inference the images are returned unchanged.

    Args:
        factor: a number `f` in [0, 1] (draws from `[0, f]`) or a pair
            `(low, high)`; 0 is a no-op, 1 the strongest change. Pass
            `(f, f)` for a fixed amount.
        value_range: `(low, high)`, the range of the input pixel values.
        data_format: `'channels_last'` (default) or `'channels_first'`.
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.RandomHue(factor=0.5, value_range=(0, 1), seed=0)
    >>> layer(tf.ones((2, 4, 4, 3))).shape
    torch.Size([2, 4, 4, 3])
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.factor = range_factor(factor)

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        check_rgb(images, "RandomHue")
        n = images.shape[0]
        amount = self._random.uniform((n,), float(self.factor[0]), float(self.factor[1]))
        sign = torch.where(self._random.uniform((n,), 0.0, 1.0) < 0.5, -1.0, 1.0)
        delta = per_image(amount * sign / 2.0, images)
        x = to_255(images, self.value_range) / 255.0
        out = _shift_hue(x, delta).clamp(0.0, 1.0) * 255.0
        return from_255(out, self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config["factor"] = self.factor
        return config


class RandomSaturation(KeepsIntegerImages, _ValueRangeLayer):
    """Scales the saturation of each RGB image by a random amount during training.

    For each image `f` is drawn from `factor` and the HSV saturation is
    multiplied by `f / (1 - f)`, clipped to [0, 1]: `f = 0.5` is a no-op,
    `f = 0` gives a gray image and `f = 1` a fully saturated one. At
    inference the images are returned unchanged.

    Args:
        factor: a number `f` (draws from `[-|f|, |f|]`; negative draws give
            gray images) or a pair `(low, high)`, within [-1, 1]. Pass
            `(f, f)` for a fixed amount.
        value_range: `(low, high)`, the range of the input pixel values.
        data_format: `'channels_last'` (default) or `'channels_first'`.
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.RandomSaturation(factor=(0.0, 0.0))
    >>> layer(tf.constant([[[[10.0, 100.0, 200.0]]]]))[0, 0, 0]
    tensor([200., 200., 200.])
    """

    _value_range_as_list = True

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.factor = range_factor(factor, -1, 1, symmetric=True)

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        check_rgb(images, "RandomSaturation")
        n = images.shape[0]
        f = self._random.uniform((n,), float(self.factor[0]), float(self.factor[1]))
        scale = per_image(f / (1.0 - f), images)
        x = to_255(images, self.value_range) / 255.0
        out = _scale_saturation(x, scale).clamp(0.0, 1.0) * 255.0
        return from_255(out, self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config["factor"] = self.factor
        return config


class RandomColorDegeneration(KeepsIntegerImages, _ValueRangeLayer):
    """Blends each RGB image with its grayscale version during training.

    For each image `f` is drawn from `factor`; the result is
    `x + f * (gray - x)`, clipped to `value_range`: 0 is a no-op, 1 the
    grayscale image, negative values exaggerate the colours. At inference
    the images are returned unchanged.

    Args:
        factor: a number `f` (draws from `[-|f|, |f|]`) or a pair
            `(low, high)`, within [-1, 1]. Pass `(f, f)` for a fixed amount.
        value_range: `(low, high)`, the range of the input pixel values.
        data_format: `'channels_last'` (default) or `'channels_first'`.
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.RandomColorDegeneration(factor=(1.0, 1.0))
    >>> layer(tf.constant([[[[10.0, 100.0, 200.0]]]]))[0, 0, 0]
    tensor([84.4890, 84.4890, 84.4890])
    """

    _value_range_as_list = True

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.factor = range_factor(factor, -1, 1, symmetric=True)

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        check_rgb(images, "RandomColorDegeneration")
        n = images.shape[0]
        f = self._draw(n, self.factor, images)
        return self._clip(images + f * (grayscale(images) - images))

    def get_config(self) -> dict:
        config = super().get_config()
        config["factor"] = self.factor
        return config


class RandomSharpness(_ValueRangeLayer):
    """Blurs or sharpens each image by a random amount during training.

    The image is smoothed with the 3x3 kernel `[[1, 1, 1], [1, 5, 1],
    [1, 1, 1]] / 13` (zero padding) and the result is
    `blurred + 2 f (x - blurred)`, clipped to `value_range`, `f` drawn per
    image from `factor`: 0 is fully blurred, 0.5 a no-op, 1 sharpened. At
    inference the images are returned unchanged.

    Args:
        factor: a number `f` in [0, 1] (draws from `[0, f]`) or a pair
            `(low, high)`. Pass `(f, f)` for a fixed amount.
        value_range: `(low, high)`, the range of the input pixel values.
        data_format: `'channels_last'` (default) or `'channels_first'`.
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.RandomSharpness(factor=(0.5, 0.5))
    >>> layer(tf.ones((1, 4, 4, 3))).shape
    torch.Size([1, 4, 4, 3])
    """

    _value_range_as_list = True

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.factor = range_factor(factor)

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        n, _, _, c = images.shape
        ratio = self._draw(n, self.factor, images) * 2.0
        x = images
        kernel = torch.ones(3, 3, dtype=images.dtype, device=images.device)
        kernel[1, 1] = 5.0
        kernel = (kernel / 13.0).expand(c, 1, 3, 3)
        blurred = F.conv2d(x.permute(0, 3, 1, 2), kernel, padding=1, groups=c)
        blurred = blurred.permute(0, 2, 3, 1)
        return self._clip(blurred + ratio * (x - blurred))

    def get_config(self) -> dict:
        config = super().get_config()
        config["factor"] = self.factor
        return config


class RandomColorJitter(KeepsIntegerImages, _ValueRangeLayer):
    """Applies random brightness, contrast, saturation and hue changes in turn.

    Each factor left `None` skips that step; the others behave as
    `RandomBrightness`, `RandomContrast`, `RandomSaturation` and
    `RandomHue` with the same `value_range`. At inference the images are
    returned unchanged.

    Args:
        value_range: `(low, high)`, the range of the input pixel values.
        brightness_factor: as `RandomBrightness`'s `factor`.
        contrast_factor: as `RandomContrast`'s `factor`.
        saturation_factor: as `RandomSaturation`'s `factor`.
        hue_factor: as `RandomHue`'s `factor`.
        seed: optional random seed.
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> layer = keras.layers.RandomColorJitter(brightness_factor=0.2, hue_factor=0.1)
    >>> layer(tf.ones((2, 4, 4, 3))).shape
    torch.Size([2, 4, 4, 3])
    """

    def __init__(
        self,
        value_range=(0, 255),
        brightness_factor=None,
        contrast_factor=None,
        saturation_factor=None,
        hue_factor=None,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        from tork.keras.layers.preprocessing.random_brightness import RandomBrightness
        from tork.keras.layers.preprocessing.random_contrast import RandomContrast

        self.brightness_factor = brightness_factor
        self.contrast_factor = contrast_factor
        self.saturation_factor = saturation_factor
        self.hue_factor = hue_factor
        # Each step draws from its own generator, seeded from `seed` when given.
        seeds = [None] * 4 if seed is None else [int(seed) + i for i in range(4)]
        steps = []
        if brightness_factor is not None:
            steps.append(RandomBrightness(brightness_factor, self.value_range, seed=seeds[0]))
        if contrast_factor is not None:
            steps.append(RandomContrast(contrast_factor, self.value_range, seed=seeds[1]))
        if saturation_factor is not None:
            steps.append(RandomSaturation(saturation_factor, self.value_range, seed=seeds[2]))
        if hue_factor is not None:
            steps.append(RandomHue(hue_factor, self.value_range, seed=seeds[3]))
        self._steps = steps

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        for step in self._steps:
            images = step._augment(images)
        return images

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "brightness_factor": self.brightness_factor,
                "contrast_factor": self.contrast_factor,
                "saturation_factor": self.saturation_factor,
                "hue_factor": self.hue_factor,
            }
        )
        return config


class Equalization(KeepsIntegerImages, _ValueRangeLayer):
    """Equalizes the histogram of each channel of each image during training.

    In `[0, 255]` units, a value `x` falls in bin `i = int(x / 255 * (bins -
    1))`; with `cdf` the cumulative counts of the bins and `cdf_min` the
    first non-zero one, `x` becomes `round(255 (cdf[i] - cdf_min) / (cdf[-1]
    - cdf_min))`. As in Keras 3, the histogram of a channel is counted over
    the whole batch, and a channel whose values all fall in one bin is left
    as is. Like Keras 3,
    the images are returned unchanged at inference (`training=False`).

    Args:
        value_range: `(low, high)`, the range of the input pixel values.
        bins: the number of histogram bins; defaults to 256.
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> layer = keras.layers.Equalization()
    >>> layer(tf.constant([[[[0.0], [10.0], [20.0]]]]))[0, 0, :, 0]
    tensor([  0., 128., 255.])
    """

    _value_range_as_list = True

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(value_range=value_range, data_format=data_format, **kwargs)
        if not isinstance(bins, int) or isinstance(bins, bool) or bins < 1:
            raise ValueError(f"`bins` must be a positive integer. Received: bins={bins!r}")
        self.bins = bins

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        n, h, w, c = images.shape
        bins = self.bins
        x = to_255(images, self.value_range)
        # Keras 3 counts one histogram per channel over the whole batch (not per image).
        flat = x.permute(3, 0, 1, 2).reshape(c, n * h * w)
        index = torch.trunc((flat / 255.0 * (bins - 1)).clamp(0, bins - 1)).long()
        hist = torch.zeros(c, bins, dtype=torch.float64, device=x.device)
        hist.scatter_add_(1, index, torch.ones_like(index, dtype=torch.float64))
        cdf = hist.cumsum(dim=1)
        cdf_min = torch.where(hist > 0, cdf, torch.full_like(cdf, float("inf"))).amin(dim=1)
        cdf_min = cdf_min.unsqueeze(1)
        denominator = cdf[:, -1:] - cdf_min
        denominator = torch.where(denominator == 0, torch.ones_like(denominator), denominator)
        table = torch.round((cdf - cdf_min) * 255.0 / denominator).clamp(0.0, 255.0)
        out = torch.gather(table, 1, index).to(x.dtype)
        # A channel with a single occupied bin stays as it is.
        single = ((hist > 0).sum(dim=1, keepdim=True) <= 1).expand_as(flat)
        out = torch.where(single, flat, out)
        out = out.reshape(c, n, h, w).permute(1, 2, 3, 0)
        return from_255(out, self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("seed")
        config["bins"] = self.bins
        return config
