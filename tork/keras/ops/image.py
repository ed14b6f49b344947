"""`keras.ops.image`: Keras 3's image ops over torch tensors.

Images are 3-D (one image) or 4-D (a batch), `channels_last` by default
(`keras.config.image_data_format()`); `data_format="channels_first"` takes
`(batch, channels, height, width)`. Integer images keep their dtype where Keras
keeps it (resize, crops, pads, geometric transforms).
"""

from __future__ import annotations

import builtins

import numpy as np
import torch
import torch.nn.functional as F

from tork._backend.dtypes import floatx_dtype
from tork._backend.errors import module_getattr
from tork.keras.ops._utils import _data_format, _float, _t
from tork.ops import image as _tf_image

_RESIZE_METHODS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")
_FILL_MODES = ("constant", "nearest", "wrap", "reflect")


def _rank_error(x: torch.Tensor, what: str = "images") -> ValueError:
    return ValueError(
        f"Invalid {what} rank: expected rank 3 (single image) or rank 4 (batch of images). "
        f"Received input with shape: {what}.shape={tuple(x.shape)}"
    )


def _nhwc(images, data_format, what: str = "images"):
    """(4-D NHWC tensor, unbatched?, channels_first?) for 3-D/4-D images."""
    x = _t(images)
    if x.dim() not in (3, 4):
        raise _rank_error(x, what)
    unbatched = x.dim() == 3
    if unbatched:
        x = x.unsqueeze(0)
    first = _data_format(data_format) == "channels_first"
    if first:
        x = x.permute(0, 2, 3, 1)
    return x, unbatched, first


def _back(y: torch.Tensor, unbatched: bool, first: bool) -> torch.Tensor:
    if first:
        y = y.permute(0, 3, 1, 2)
    return y.squeeze(0) if unbatched else y


def _cast_like(y: torch.Tensor, dtype: torch.dtype, rounding: bool) -> torch.Tensor:
    """Float results back to the input dtype: ints are rounded (or truncated) and clipped."""
    if y.dtype == dtype:
        return y
    if dtype.is_floating_point or dtype.is_complex:
        return y.to(dtype)
    if dtype == torch.bool:
        return y != 0
    if rounding:
        y = torch.round(y)
    info = torch.iinfo(dtype)
    return torch.clamp(y, info.min, info.max).to(dtype)


# ------------------------------------------------------------------ colour


def rgb_to_grayscale(images, data_format=None) -> torch.Tensor:
    """Converts RGB images to grayscale (weights 0.2989, 0.5870, 0.1140).

    Args:
        images: 3-D or 4-D RGB images.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        Grayscale images with one channel, in the input dtype (integers truncated).

    Example:
    >>> keras.ops.image.rgb_to_grayscale(np.ones((2, 2, 3))).shape  # (2, 2, 1)
    """
    x, unbatched, first = _nhwc(images, data_format)
    if x.shape[-1] != 3:
        raise ValueError(
            "Invalid channel size: expected 3 (RGB). "
            f"Received input with shape: images.shape={tuple(_t(images).shape)}"
        )
    weights = torch.tensor([0.2989, 0.5870, 0.1140], dtype=torch.float32, device=x.device)
    xf = x if x.is_floating_point() else x.to(torch.float32)
    gray = (xf * weights.to(xf.dtype)).sum(dim=-1, keepdim=True)
    return _back(_cast_like(gray, x.dtype, rounding=False), unbatched, first)


def _float_only(x: torch.Tensor) -> None:
    if not x.is_floating_point():
        raise ValueError(
            "Invalid images dtype: expected float dtype. "
            f"Received: images.dtype={str(x.dtype).replace('torch.', '')}"
        )


def rgb_to_hsv(images, data_format=None) -> torch.Tensor:
    """Converts float RGB images (values in [0, 1]) to HSV (all components in [0, 1]).

    Args:
        images: 3-D or 4-D float RGB images.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        The HSV images.

    Example:
    >>> keras.ops.image.rgb_to_hsv(np.array([[[0.0, 1.0, 0.0]]]))  # [[[0.3333, 1., 1.]]]
    """
    x, unbatched, first = _nhwc(images, data_format)
    _float_only(x)
    return _back(_tf_image.rgb_to_hsv(x), unbatched, first)


def hsv_to_rgb(images, data_format=None) -> torch.Tensor:
    """Converts float HSV images (all components in [0, 1]) to RGB.

    Args:
        images: 3-D or 4-D float HSV images.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        The RGB images.

    Example:
    >>> keras.ops.image.hsv_to_rgb(np.array([[[2 / 3, 1.0, 1.0]]]))  # [[[0., 0., 1.]]]
    """
    x, unbatched, first = _nhwc(images, data_format)
    _float_only(x)
    return _back(_tf_image.hsv_to_rgb(x), unbatched, first)


# ------------------------------------------------------------------ resize, pad, crop


def resize(
    images,
    size,
    interpolation: str = "bilinear",
    antialias: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    fill_mode: str = "constant",
    fill_value: float = 0.0,
    data_format=None,
) -> torch.Tensor:
    """Resizes images to `size` (half-pixel centres, as `tf.image.resize`).

    Args:
        images: 3-D or 4-D images.
        size: `(height, width)` of the output.
        interpolation: `"bilinear"`, `"nearest"`, `"bicubic"`, `"area"`, `"lanczos3"`
            or `"lanczos5"`.
        antialias: Widen the filter when downsampling.
        crop_to_aspect_ratio: Centre-crop to the target aspect ratio first.
        pad_to_aspect_ratio: Pad evenly (with `fill_value`) to the target aspect ratio first.
        fill_mode: Only `"constant"` is supported.
        fill_value: Padding value for `pad_to_aspect_ratio`.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        The resized images, in the input dtype (integers rounded and clipped).

    Example:
    >>> keras.ops.image.resize(np.zeros((1, 4, 4, 3)), (2, 2)).shape  # (1, 2, 2, 3)
    """
    if interpolation not in _RESIZE_METHODS:
        raise ValueError(
            "Invalid value for argument `interpolation`. Expected of one "
            f"{_RESIZE_METHODS}. Received: interpolation={interpolation}"
        )
    if fill_mode != "constant":
        raise ValueError(
            "Invalid value for argument `fill_mode`. Only `'constant'` is supported. "
            f"Received: fill_mode={fill_mode}"
        )
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError(
            "Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`."
        )
    size = tuple(size)
    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers. Received: size={size}")
    target_h, target_w = int(size[0]), int(size[1])
    if target_h <= 0 or target_w <= 0:
        raise ValueError(f"`size` must have positive height and width. Received: size={size}")
    x, unbatched, first = _nhwc(images, data_format)
    dtype = x.dtype
    h, w = x.shape[1], x.shape[2]
    if crop_to_aspect_ratio:
        crop_h = builtins.max(builtins.min(h, int(w * target_h / target_w)), 1)
        crop_w = builtins.max(builtins.min(w, int(h * target_w / target_h)), 1)
        top, left = int((h - crop_h) / 2), int((w - crop_w) / 2)
        x = x[:, top : top + crop_h, left : left + crop_w]
    elif pad_to_aspect_ratio:
        # As Keras: the same margin on both sides, (padded - size) // 2 each.
        pad_h = int((builtins.max(h, int(w * target_h / target_w)) - h) / 2)
        pad_w = int((builtins.max(w, int(h * target_w / target_h)) - w) / 2)
        if pad_h or pad_w:
            x = F.pad(
                x.permute(0, 3, 1, 2), (pad_w, pad_w, pad_h, pad_h), value=float(fill_value)
            ).permute(0, 2, 3, 1)
    y = _tf_image._resize_nhwc(
        x if x.is_floating_point() or interpolation == "nearest" else x.to(torch.float32),
        target_h,
        target_w,
        interpolation,
        bool(antialias),
    )
    return _back(_cast_like(y, dtype, rounding=True), unbatched, first)


def _check_non_negative(**values) -> None:
    for name, value in values.items():
        if value is not None and value < 0:
            raise ValueError(f"{name} must be >= 0. Received: {name}={value}")


def _two_of(names: tuple[str, str, str], values) -> None:
    if builtins.sum(v is not None for v in values) != 2:
        received = ", ".join(f"{n}={v}" for n, v in zip(names, values, strict=True))
        raise ValueError(f"Must specify exactly two of {', '.join(names)}. Received: {received}")


def pad_images(
    images,
    top_padding=None,
    left_padding=None,
    bottom_padding=None,
    right_padding=None,
    target_height=None,
    target_width=None,
    data_format=None,
) -> torch.Tensor:
    """Pads images with zeros; give exactly two of top/bottom/target height (and width).

    Args:
        images: 3-D or 4-D images.
        top_padding: Rows added above.
        left_padding: Columns added on the left.
        bottom_padding: Rows added below.
        right_padding: Columns added on the right.
        target_height: Height of the output.
        target_width: Width of the output.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        The padded images.

    Example:
    >>> keras.ops.image.pad_images(np.ones((2, 2, 1)), 1, 1, 1, 1).shape  # (4, 4, 1)
    """
    _two_of(
        ("top_padding", "bottom_padding", "target_height"),
        (top_padding, bottom_padding, target_height),
    )
    _two_of(
        ("left_padding", "right_padding", "target_width"),
        (left_padding, right_padding, target_width),
    )
    x, unbatched, first = _nhwc(images, data_format)
    h, w = x.shape[1], x.shape[2]
    if top_padding is None:
        top_padding = target_height - bottom_padding - h
    if bottom_padding is None:
        bottom_padding = target_height - top_padding - h
    if left_padding is None:
        left_padding = target_width - right_padding - w
    if right_padding is None:
        right_padding = target_width - left_padding - w
    _check_non_negative(
        top_padding=top_padding,
        bottom_padding=bottom_padding,
        left_padding=left_padding,
        right_padding=right_padding,
    )
    y = F.pad(
        x.permute(0, 3, 1, 2),
        (int(left_padding), int(right_padding), int(top_padding), int(bottom_padding)),
    )
    return _back(y.permute(0, 2, 3, 1), unbatched, first)


def crop_images(
    images,
    top_cropping=None,
    left_cropping=None,
    bottom_cropping=None,
    right_cropping=None,
    target_height=None,
    target_width=None,
    data_format=None,
) -> torch.Tensor:
    """Crops images; give exactly two of top/bottom/target height (and width).

    Args:
        images: 3-D or 4-D images.
        top_cropping: Rows removed from the top.
        left_cropping: Columns removed from the left.
        bottom_cropping: Rows removed from the bottom.
        right_cropping: Columns removed from the right.
        target_height: Height of the output.
        target_width: Width of the output.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        The cropped images.

    Example:
    >>> keras.ops.image.crop_images(np.ones((4, 4, 1)), 1, 1, 1, 1).shape  # (2, 2, 1)
    """
    _two_of(
        ("top_cropping", "bottom_cropping", "target_height"),
        (top_cropping, bottom_cropping, target_height),
    )
    _two_of(
        ("left_cropping", "right_cropping", "target_width"),
        (left_cropping, right_cropping, target_width),
    )
    x, unbatched, first = _nhwc(images, data_format)
    h, w = x.shape[1], x.shape[2]
    if top_cropping is None:
        top_cropping = h - target_height - bottom_cropping
    if target_height is None:
        target_height = h - top_cropping - bottom_cropping
    if left_cropping is None:
        left_cropping = w - target_width - right_cropping
    if target_width is None:
        target_width = w - left_cropping - right_cropping
    _check_non_negative(
        top_cropping=top_cropping,
        left_cropping=left_cropping,
        target_height=target_height,
        target_width=target_width,
    )
    if top_cropping + target_height > h or left_cropping + target_width > w:
        raise ValueError(
            f"The crop (top={top_cropping}, left={left_cropping}, height={target_height}, "
            f"width={target_width}) does not fit in images of size {h}x{w}."
        )
    y = x[
        :, top_cropping : top_cropping + target_height, left_cropping : left_cropping + target_width
    ]
    return _back(y, unbatched, first)


# ------------------------------------------------------------------ patches


def _tuple(value, n: int, what: str) -> tuple[int, ...]:
    if isinstance(value, (int, np.integer)):
        return (int(value),) * n
    value = tuple(int(v) for v in value)
    if len(value) != n:
        raise ValueError(
            f"Invalid `{what}` argument. Expected an int or a tuple of length {n}. "
            f"Received: {what}={value}"
        )
    return value


def _patches(x: torch.Tensor, size, strides, dilation, padding: str) -> torch.Tensor:
    """Patches of a channels-last `(batch, *spatial, channels)` tensor.

    Returns `(batch, *out_spatial, prod(size) * channels)`, each patch flattened in
    (spatial..., channel) order as `tf.image.extract_patches`.
    """
    n = len(size)
    if padding not in ("valid", "same"):
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding}")
    if builtins.max(strides) > 1 and builtins.max(dilation) > 1:
        raise ValueError(
            "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
            f"Received: strides={list(strides)} and dilation_rate={list(dilation)}"
        )
    eff = [(k - 1) * d + 1 for k, d in zip(size, dilation, strict=True)]
    if padding == "same":
        pads = []
        for i in builtins.range(n):
            length = x.shape[1 + i]
            out = -(-length // strides[i])
            total = builtins.max((out - 1) * strides[i] + eff[i] - length, 0)
            pads.append((total // 2, total - total // 2))
        flat = []
        for before, after in reversed(pads):
            flat += [before, after]
        x = F.pad(x, [0, 0] + flat)
    for i in builtins.range(n):
        x = x.unfold(1 + i, eff[i], strides[i])
        if dilation[i] > 1:
            x = x[..., :: dilation[i]]
    # x: (batch, *out, channels, *size) -> (batch, *out, *size, channels)
    perm = [0, *builtins.range(1, n + 1), *builtins.range(n + 2, 2 * n + 2), n + 1]
    x = x.permute(perm)
    return x.reshape(*x.shape[: n + 1], -1)


def extract_patches(
    images, size, strides=None, dilation_rate=1, padding: str = "valid", data_format=None
) -> torch.Tensor:
    """Extracts `size` patches from images into the channel axis.

    Args:
        images: 3-D or 4-D images.
        size: Patch size, an int or `(height, width)`.
        strides: Step between patches (the patch size by default).
        dilation_rate: Spacing of the sampled pixels within a patch.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        `(batch, rows, cols, size_h * size_w * channels)` for channels-last input.

    Example:
    >>> keras.ops.image.extract_patches(np.zeros((1, 4, 4, 3)), 2).shape  # (1, 2, 2, 12)
    """
    if not isinstance(size, (int, np.integer, tuple, list)):
        raise TypeError(
            "Invalid `size` argument. Expected an int or a tuple. "
            f"Received: size={size} of type {type(size).__name__}"
        )
    size = _tuple(size, 2, "size")
    strides = size if strides is None else _tuple(strides, 2, "strides")
    dilation = _tuple(dilation_rate, 2, "dilation_rate")
    x, unbatched, first = _nhwc(images, data_format)
    return _back(_patches(x, size, strides, dilation, padding), unbatched, first)


def extract_patches_3d(
    volumes, size, strides=None, dilation_rate=1, padding: str = "valid", data_format=None
) -> torch.Tensor:
    """Extracts 3-D `size` patches from volumes into the channel axis.

    Args:
        volumes: 4-D `(d, h, w, c)` or 5-D `(batch, d, h, w, c)` volumes (channels last).
        size: Patch size, an int or `(depth, height, width)`.
        strides: Step between patches (the patch size by default).
        dilation_rate: Spacing of the sampled voxels within a patch.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        `(batch, d', h', w', size_d * size_h * size_w * channels)` for channels-last input.

    Example:
    >>> keras.ops.image.extract_patches_3d(np.zeros((1, 4, 4, 4, 1)), 2).shape  # (1, 2, 2, 2, 8)
    """
    size = _tuple(size, 3, "size")
    strides = size if strides is None else _tuple(strides, 3, "strides")
    dilation = _tuple(dilation_rate, 3, "dilation_rate")
    x = _t(volumes)
    if x.dim() not in (4, 5):
        raise ValueError(
            "Invalid volumes rank: expected rank 4 (single volume) or rank 5 (batch of "
            f"volumes). Received input with shape: volumes.shape={tuple(x.shape)}"
        )
    unbatched = x.dim() == 4
    if unbatched:
        x = x.unsqueeze(0)
    first = _data_format(data_format) == "channels_first"
    if first:
        x = x.permute(0, 2, 3, 4, 1)
    y = _patches(x, size, strides, dilation, padding)
    if first:
        y = y.permute(0, 4, 1, 2, 3)
    return y.squeeze(0) if unbatched else y


# ------------------------------------------------------------------ filters


def _gaussian_1d(size: int, sigma: float, dtype) -> torch.Tensor:
    x = torch.arange(size, dtype=torch.float64) - (size - 1) / 2
    k = torch.exp(-(x**2) / (2 * float(sigma) ** 2))
    return (k / k.sum()).to(dtype)


def _depthwise_same(x: torch.Tensor, kh: torch.Tensor, kw: torch.Tensor) -> torch.Tensor:
    """Separable depthwise filtering of NHWC `x` with zero 'same' padding."""
    c = x.shape[-1]
    y = x.permute(0, 3, 1, 2)
    kh, kw = kh.to(x.device), kw.to(x.device)
    h, w = kh.numel(), kw.numel()
    y = F.pad(y, ((w - 1) // 2, w // 2, (h - 1) // 2, h // 2))
    y = F.conv2d(y, kh.reshape(1, 1, h, 1).expand(c, 1, h, 1), groups=c)
    y = F.conv2d(y, kw.reshape(1, 1, 1, w).expand(c, 1, 1, w), groups=c)
    return y.permute(0, 2, 3, 1)


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blurs images with a Gaussian kernel (zero padding, output the input size).

    Args:
        images: 3-D or 4-D images.
        kernel_size: Kernel size, an int or a pair; as in Keras's code, the first entry
            is the size along the width and the second along the height.
        sigma: Standard deviations, a number or a pair ordered as `kernel_size`.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        The blurred images (floatx for integer images).

    Example:
    >>> keras.ops.image.gaussian_blur(np.ones((1, 5, 5, 1))).shape  # (1, 5, 5, 1)
    """
    kernel_size = _tuple(kernel_size, 2, "kernel_size")
    sigma = (float(sigma),) * 2 if isinstance(sigma, (int, float)) else tuple(sigma)
    x, unbatched, first = _nhwc(images, data_format)
    x = _float(x)
    # As every Keras backend builds it: the first entries of `kernel_size` and `sigma`
    # shape the kernel along the width, the second along the height.
    y = _depthwise_same(
        x,
        _gaussian_1d(kernel_size[1], sigma[1], x.dtype),
        _gaussian_1d(kernel_size[0], sigma[0], x.dtype),
    )
    return _back(y, unbatched, first)


def sobel_edges(images, data_format=None) -> torch.Tensor:
    """Sobel gradients `(dy, dx)` of each channel (reflect padding, as `tf.image.sobel_edges`).

    Args:
        images: 4-D images.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        `(batch, h, w, channels, 2)` for channels-last input.

    Example:
    >>> keras.ops.image.sobel_edges(np.ones((1, 4, 4, 1))).shape  # (1, 4, 4, 1, 2)
    """
    x = _t(images)
    if x.dim() != 4:
        raise ValueError(
            "Invalid images rank: expected rank 4 (batch of images). "
            f"Received: images.shape={tuple(x.shape)}"
        )
    first = _data_format(data_format) == "channels_first"
    if first:
        x = x.permute(0, 2, 3, 1)
    y = _tf_image.sobel_edges(_float(x))
    return y.permute(0, 3, 1, 2, 4) if first else y


def ssim(
    image1,
    image2,
    max_val=1.0,
    filter_size: int = 11,
    filter_sigma: float = 1.5,
    k1: float = 0.01,
    k2: float = 0.03,
    data_format=None,
) -> torch.Tensor:
    """Structural similarity between two images (as `tf.image.ssim`).

    Args:
        image1: 3-D or 4-D images.
        image2: Images of the same shape.
        max_val: Dynamic range of the pixel values.
        filter_size: Size of the Gaussian window.
        filter_sigma: Width of the Gaussian window.
        k1: Luminance stability constant.
        k2: Contrast stability constant.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        The SSIM of each image (a scalar for 3-D inputs).

    Example:
    >>> keras.ops.image.ssim(np.ones((1, 16, 16, 1)), np.ones((1, 16, 16, 1)))  # [1.]
    """
    a, unbatched, _ = _nhwc(image1, data_format, "image1")
    b, _, _ = _nhwc(image2, data_format, "image2")
    out = _tf_image.ssim(
        a, b, max_val, filter_size=filter_size, filter_sigma=filter_sigma, k1=k1, k2=k2
    )
    return out.squeeze(0) if unbatched else out


# ------------------------------------------------------------------ geometric transforms


def _tf_fill_coord(c: torch.Tensor, n: int, mode: str) -> torch.Tensor:
    """Maps a continuous input coordinate into the image, as TF's projective transform."""
    if mode == "constant":
        return c
    if n <= 1:
        return torch.zeros_like(c)
    if mode == "nearest":
        return c.clamp(0, n - 1)
    if mode == "reflect":
        # (d c b a | a b c d | d c b a), period 2n.
        j = torch.remainder(c, 2 * n)
        j = torch.where(j >= n, 2 * n - j - 1, j)
        return j.clamp(0, n - 1)
    # wrap, with TF's period arithmetic: shifts by whole image widths, the count taken
    # from a division by n - 1, then clamps.
    sz = n - 1
    low = c + n * (torch.trunc(-c / sz) + 1)
    high = c - n * torch.trunc(c / sz)
    return torch.where(c < 0, low, torch.where(c > sz, high, c)).clamp(0, n - 1)


def _sample_nhwc(x, ys, xs, interpolation: str, fill_value) -> torch.Tensor:
    """Samples NHWC `x` at per-batch float coordinates `ys`, `xs` of shape (batch, H, W).

    A neighbour outside the image reads `fill_value` (TF's per-pixel constant fill).
    """
    b, h, w, c = x.shape
    flat = x.reshape(b, h * w, c)
    fill = torch.tensor(float(fill_value), dtype=x.dtype, device=x.device)

    def read(yi, xi):
        valid = (yi >= 0) & (yi < h) & (xi >= 0) & (xi < w)
        idx = (yi.clamp(0, h - 1) * w + xi.clamp(0, w - 1)).reshape(b, -1, 1).expand(-1, -1, c)
        vals = torch.gather(flat, 1, idx).reshape(*yi.shape, c)
        return torch.where(valid.unsqueeze(-1), vals, fill)

    if interpolation == "nearest":
        # std::round: halves away from zero.
        r = lambda v: (torch.sign(v) * torch.floor(torch.abs(v) + 0.5)).long()  # noqa: E731
        return read(r(ys), r(xs))
    y0, x0 = torch.floor(ys), torch.floor(xs)
    wy, wx = (ys - y0).unsqueeze(-1), (xs - x0).unsqueeze(-1)
    y0, x0 = y0.long(), x0.long()
    top = (1 - wx) * read(y0, x0) + wx * read(y0, x0 + 1)
    bottom = (1 - wx) * read(y0 + 1, x0) + wx * read(y0 + 1, x0 + 1)
    return (1 - wy) * top + wy * bottom


def _projective(x, transforms, interpolation, fill_mode, fill_value) -> torch.Tensor:
    b, h, w, _ = x.shape
    t = transforms.to(device=x.device, dtype=torch.float32)
    if t.shape[0] == 1 and b > 1:
        t = t.expand(b, -1)
    ys, xs = torch.meshgrid(
        torch.arange(h, dtype=torch.float32, device=x.device),
        torch.arange(w, dtype=torch.float32, device=x.device),
        indexing="ij",
    )
    a0, a1, a2, b0, b1, b2, c0, c1 = (t[:, i].reshape(-1, 1, 1) for i in builtins.range(8))
    k = c0 * xs + c1 * ys + 1.0
    in_x = (a0 * xs + a1 * ys + a2) / k
    in_y = (b0 * xs + b1 * ys + b2) / k
    in_x = _tf_fill_coord(in_x, w, fill_mode)
    in_y = _tf_fill_coord(in_y, h, fill_mode)
    xf = x.to(torch.float32) if not x.is_floating_point() else x
    return _sample_nhwc(xf, in_y.to(xf.dtype), in_x.to(xf.dtype), interpolation, fill_value)


def _check_interp_fill(interpolation: str, fill_mode: str) -> None:
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(
            "Invalid value for argument `interpolation`. Expected of one "
            f"('nearest', 'bilinear'). Received: interpolation={interpolation}"
        )
    if fill_mode not in _FILL_MODES:
        raise ValueError(
            "Invalid value for argument `fill_mode`. Expected of one "
            f"{_FILL_MODES}. Received: fill_mode={fill_mode}"
        )


def affine_transform(
    images,
    transform,
    interpolation: str = "bilinear",
    fill_mode: str = "constant",
    fill_value=0,
    data_format=None,
) -> torch.Tensor:
    """Applies projective transforms `[a0, a1, a2, b0, b1, b2, c0, c1]` to images.

    The output pixel `(x, y)` samples the input at
    `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`, `k = c0 x + c1 y + 1`.

    Args:
        images: 3-D or 4-D images.
        transform: `(8,)` or `(batch, 8)` transform(s).
        interpolation: `"nearest"` or `"bilinear"`.
        fill_mode: `"constant"`, `"nearest"`, `"wrap"` or `"reflect"`.
        fill_value: Value outside the image with `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        The transformed images, in the input dtype (integers truncated).

    Example:
    >>> shift = [1, 0, -1, 0, 1, 0, 0, 0]  # moves the image right by one pixel
    >>> keras.ops.image.affine_transform(np.ones((4, 4, 1)), shift).shape  # (4, 4, 1)
    """
    _check_interp_fill(interpolation, fill_mode)
    t = _t(transform)
    if t.dim() not in (1, 2):
        raise ValueError(
            "Invalid transform rank: expected rank 1 (single transform) or rank 2 (batch of "
            f"transforms). Received input with shape: transform.shape={tuple(t.shape)}"
        )
    if t.dim() == 1:
        t = t.unsqueeze(0)
    x, unbatched, first = _nhwc(images, data_format)
    y = _projective(x, t, interpolation, fill_mode, fill_value)
    return _back(_cast_like(y, x.dtype, rounding=False), unbatched, first)


def _homography(start: torch.Tensor, end: torch.Tensor) -> torch.Tensor:
    """The 8 projective coefficients mapping each `end` point to its `start` point."""
    start, end = start.to(torch.float64), end.to(torch.float64)
    rows, rhs = [], []
    for i in builtins.range(4):
        xe, ye = end[:, i, 0], end[:, i, 1]
        xs, ys = start[:, i, 0], start[:, i, 1]
        z, o = torch.zeros_like(xe), torch.ones_like(xe)
        rows.append(torch.stack([xe, ye, o, z, z, z, -xe * xs, -ye * xs], -1))
        rows.append(torch.stack([z, z, z, xe, ye, o, -xe * ys, -ye * ys], -1))
        rhs += [xs, ys]
    a = torch.stack(rows, 1)
    return torch.linalg.solve(a, torch.stack(rhs, 1).unsqueeze(-1)).squeeze(-1)


def perspective_transform(
    images,
    start_points,
    end_points,
    interpolation: str = "bilinear",
    fill_value=0,
    data_format=None,
) -> torch.Tensor:
    """Warps images so that the four `start_points` move to `end_points`.

    Args:
        images: 3-D or 4-D images.
        start_points: `(4, 2)` or `(batch, 4, 2)` `(x, y)` points in the input.
        end_points: Where those points go in the output, same shape.
        interpolation: `"nearest"` or `"bilinear"`.
        fill_value: Value outside the input image.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        The warped images, in the input dtype (integers truncated).

    Example:
    >>> pts = [[0, 0], [3, 0], [0, 3], [3, 3]]
    >>> keras.ops.image.perspective_transform(np.ones((4, 4, 1)), pts, pts).shape  # (4, 4, 1)
    """
    _check_interp_fill(interpolation, "constant")
    s, e = _t(start_points), _t(end_points)
    for name, p in (("start_points", s), ("end_points", e)):
        if p.shape[-2:] != (4, 2) or p.dim() not in (2, 3):
            raise ValueError(
                f"Invalid {name} shape: expected (4,2) for a single image or (N,4,2) for a "
                f"batch. Received shape: {tuple(p.shape)}"
            )
    s = s.unsqueeze(0) if s.dim() == 2 else s
    e = e.unsqueeze(0) if e.dim() == 2 else e
    x, unbatched, first = _nhwc(images, data_format)
    coeffs = _homography(s, e).to(torch.float32)
    y = _projective(x, coeffs, interpolation, "constant", fill_value)
    return _back(_cast_like(y, x.dtype, rounding=False), unbatched, first)


def _fix_index(i: torch.Tensor, n: int, mode: str) -> torch.Tensor:
    """Integer sample indices mapped into `[0, n)` by `fill_mode` (scipy's conventions)."""
    if mode in ("constant", "nearest"):
        return i.clamp(0, n - 1)
    if mode == "wrap":
        return torch.remainder(i, n)
    if mode == "mirror":
        if n == 1:
            return torch.zeros_like(i)
        s = n - 1
        return torch.abs(torch.remainder(i + s, 2 * s) - s)
    # reflect: (d c b a | a b c d | d c b a)
    j = torch.remainder(i, 2 * n)
    return torch.where(j >= n, 2 * n - 1 - j, j)


def map_coordinates(inputs, coordinates, order, fill_mode: str = "constant", fill_value=0):
    """Samples `inputs` at `coordinates` by nearest (order 0) or linear (order 1) interpolation.

    Args:
        inputs: N-D input tensor.
        coordinates: `(N, ...)` coordinates, one row per input dimension.
        order: 0 (nearest, halves to even) or 1 (linear).
        fill_mode: `"constant"`, `"nearest"`, `"wrap"`, `"mirror"` or `"reflect"`.
        fill_value: Value for neighbours outside the input with `"constant"`.

    Returns:
        A tensor of shape `coordinates.shape[1:]`, in the input dtype (integers truncated).

    Example:
    >>> keras.ops.image.map_coordinates(np.arange(4.0), [[1.5]], order=1)  # [1.5]
    """
    x = _t(inputs)
    coords = _t(coordinates)
    if coords.dim() < 2:
        raise ValueError(
            "Invalid coordinates rank: expected at least rank 2. "
            f"Received input with shape: {tuple(coords.shape)}"
        )
    if coords.shape[0] != x.dim():
        raise ValueError(
            "First dim of `coordinates` must be the same as the rank of `inputs`. "
            f"Received inputs with shape: {tuple(x.shape)} and coordinate leading dim of "
            f"{coords.shape[0]}"
        )
    if fill_mode not in ("constant", "nearest", "wrap", "mirror", "reflect"):
        raise ValueError(
            "Invalid value for argument `fill_mode`. Expected one of "
            "('constant', 'nearest', 'wrap', 'mirror', 'reflect'). "
            f"Received: fill_mode={fill_mode}"
        )
    if order not in (0, 1):
        raise NotImplementedError("map_coordinates currently requires order<=1")
    xf = x if x.is_floating_point() else x.to(floatx_dtype())
    coords = coords.to(device=x.device, dtype=xf.dtype)
    shape = x.shape
    corners = []  # per dimension: list of (index tensor, weight tensor)
    for d in builtins.range(x.dim()):
        c = coords[d]
        if order == 0:
            corners.append([(torch.round(c).long(), torch.ones_like(c))])
        else:
            lo = torch.floor(c)
            frac = c - lo
            corners.append([(lo.long(), 1 - frac), (lo.long() + 1, frac)])
    fill = torch.tensor(float(fill_value), dtype=xf.dtype, device=x.device)
    flat = xf.reshape(-1)
    out = torch.zeros(coords.shape[1:], dtype=xf.dtype, device=x.device)
    for combo in np.ndindex(*[len(c) for c in corners]):
        weight = torch.ones_like(out)
        index = torch.zeros(coords.shape[1:], dtype=torch.long, device=x.device)
        valid = torch.ones(coords.shape[1:], dtype=torch.bool, device=x.device)
        for d, k in enumerate(combo):
            i, wgt = corners[d][k]
            if fill_mode == "constant":
                valid &= (i >= 0) & (i < shape[d])
            index = index * shape[d] + _fix_index(i, shape[d], fill_mode)
            weight = weight * wgt
        vals = flat[index.reshape(-1)].reshape(index.shape)
        out = out + weight * torch.where(valid, vals, fill)
    return _cast_like(out, x.dtype, rounding=False)


# ------------------------------------------------------------------ scale and translate


def _st_kernel(method: str):
    if method in ("linear", "bilinear", "trilinear", "triangle"):
        return lambda d: torch.clamp(1 - d, min=0)
    if method in ("cubic", "bicubic", "tricubic", "keyscubic"):

        def keys(d):
            # Keys cubic with a = -0.5.
            near = ((1.5 * d - 2.5) * d) * d + 1
            far = ((-0.5 * d + 2.5) * d - 4) * d + 2
            return torch.where(d < 1, near, torch.where(d < 2, far, torch.zeros_like(d)))

        return keys
    if method in ("lanczos3", "lanczos5"):
        r = 3.0 if method == "lanczos3" else 5.0
        return lambda d: torch.where(d < r, torch.sinc(d) * torch.sinc(d / r), torch.zeros_like(d))
    raise ValueError(
        "Invalid value for argument `method`. Expected one of 'linear', 'bilinear', "
        "'trilinear', 'triangle', 'cubic', 'bicubic', 'tricubic', 'keyscubic', 'lanczos3', "
        f"'lanczos5'. Received: method={method}"
    )


def _st_matrix(n_in: int, n_out: int, scale: float, shift: float, kernel, antialias: bool):
    """(n_out, n_in) resampling weights: output pixel centres mapped back into the input."""
    # float32 arithmetic in this order, as Keras: whether a sample sits exactly on the
    # input's edge (and so is kept) depends on its rounding.
    f32 = torch.float32
    inv = torch.tensor(1.0, dtype=f32) / torch.tensor(scale, dtype=f32)
    kernel_scale = torch.clamp(inv, min=1.0) if antialias else torch.tensor(1.0, dtype=f32)
    shift_t = torch.tensor(shift, dtype=f32)
    sample = (torch.arange(n_out, dtype=f32) + 0.5) * inv - shift_t * inv - 0.5
    dist = torch.abs(sample[:, None] - torch.arange(n_in, dtype=f32)[None, :])
    weights = kernel(dist / kernel_scale)
    total = weights.sum(dim=1, keepdim=True)
    weights = torch.where(total.abs() > 1000 * np.finfo(np.float32).eps, weights / total, 0.0)
    # Output pixels whose sample falls outside the input are zero.
    inside = (sample >= -0.5) & (sample <= n_in - 0.5)
    return weights * inside[:, None]


def scale_and_translate(
    images, output_shape, scale, translation, spatial_dims, method: str, antialias: bool = True
) -> torch.Tensor:
    """Resamples `images` to `output_shape` with a scale and translation per spatial dim.

    An input location `x` maps to `x * scale + translation` in the output (half-pixel
    centres); output pixels whose source lies outside the input are zero.

    Args:
        images: Input tensor.
        output_shape: Shape of the result (same rank as `images`).
        scale: `(K,)` scales, one per entry of `spatial_dims`.
        translation: `(K,)` translations, one per entry of `spatial_dims`.
        spatial_dims: The K dimensions to resample.
        method: `"linear"`, `"cubic"`, `"lanczos3"` or `"lanczos5"` (and their aliases).
        antialias: Widen the filter when downsampling.

    Returns:
        The resampled tensor (floatx for integer inputs).

    Example:
    >>> keras.ops.image.scale_and_translate(
    ...     np.ones((3, 3)), (6, 6), [2.0, 2.0], [0.0, 0.0], (0, 1), "linear").shape  # (6, 6)
    """
    kernel = _st_kernel(method)
    x = _float(_t(images))
    scale = [float(v) for v in _t(scale).reshape(-1).tolist()]
    translation = [float(v) for v in _t(translation).reshape(-1).tolist()]
    output_shape = [int(s) for s in output_shape]
    for k, d in enumerate(spatial_dims):
        d = int(d) % x.dim()
        mat = _st_matrix(
            x.shape[d], output_shape[d], scale[k], translation[k], kernel, bool(antialias)
        ).to(device=x.device, dtype=x.dtype)
        x = torch.movedim(torch.tensordot(mat, torch.movedim(x, d, 0), dims=1), 0, d)
    return x


def elastic_transform(
    images,
    alpha: float = 20.0,
    sigma: float = 5.0,
    interpolation: str = "bilinear",
    fill_mode: str = "reflect",
    fill_value: float = 0.0,
    seed=None,
    data_format=None,
) -> torch.Tensor:
    """Elastic deformation: pixels move by smoothed random displacement fields.

    As Keras: each displacement field is standard normal noise times `sigma`, blurred by
    a Gaussian of standard deviation `sigma` (kernel size `6 * int(sigma) | 1`) and scaled
    by `alpha`; the image is then resampled as `map_coordinates` does.

    Args:
        images: 3-D or 4-D images.
        alpha: Strength of the displacement.
        sigma: Smoothness of the displacement (Gaussian standard deviation, pixels).
        interpolation: `"nearest"` or `"bilinear"`.
        fill_mode: `"constant"`, `"nearest"`, `"wrap"` or `"reflect"`.
        fill_value: Value outside the image with `fill_mode="constant"`.
        seed: Optional int seed (or a `keras.random.SeedGenerator`).
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        The deformed images, in the input dtype (integers truncated).

    Example:
    >>> keras.ops.image.elastic_transform(np.ones((8, 8, 1)), seed=1).shape  # (8, 8, 1)
    """
    _check_interp_fill(interpolation, fill_mode)
    x, unbatched, first = _nhwc(images, data_format)
    b, h, w, c = x.shape
    gen = torch.Generator()
    if isinstance(seed, (int, np.integer)):
        gen.manual_seed(int(seed))
    elif seed is not None and hasattr(seed, "next"):
        gen.manual_seed(int(torch.as_tensor(seed.next()).reshape(-1)[0]))
    else:
        gen.seed()
    xf = x if x.is_floating_point() else x.to(floatx_dtype())
    noise = torch.randn((b, h, w, 2), generator=gen, dtype=torch.float32) * float(sigma)
    size = 6 * int(sigma) | 1
    k = _gaussian_1d(size, float(sigma), torch.float32)
    dy, dx = (_depthwise_same(noise.to(x.device), k, k) * float(alpha)).unbind(-1)
    ys, xs = torch.meshgrid(
        torch.arange(h, dtype=torch.float32, device=x.device),
        torch.arange(w, dtype=torch.float32, device=x.device),
        indexing="ij",
    )
    order = 0 if interpolation == "nearest" else 1
    out = torch.empty_like(xf)
    for i in builtins.range(b):
        coords = torch.stack([ys + dy[i], xs + dx[i]])
        for ch in builtins.range(c):
            out[i, ..., ch] = map_coordinates(xf[i, ..., ch], coords, order, fill_mode, fill_value)
    return _back(_cast_like(out, x.dtype, rounding=False), unbatched, first)


__getattr__ = module_getattr("keras.ops.image")

__all__ = [
    "affine_transform",
    "crop_images",
    "elastic_transform",
    "extract_patches",
    "extract_patches_3d",
    "gaussian_blur",
    "hsv_to_rgb",
    "map_coordinates",
    "pad_images",
    "perspective_transform",
    "resize",
    "rgb_to_grayscale",
    "rgb_to_hsv",
    "scale_and_translate",
    "sobel_edges",
    "ssim",
]
