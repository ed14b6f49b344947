"""`tf.image`: image preprocessing and augmentation ops on channels-last torch tensors.

Images use TensorFlow's layout: 3-D `(height, width, channels)` or 4-D
`(batch, height, width, channels)`. Float images hold values in [0, 1],
integer images (uint8) values in [0, 255]; `convert_image_dtype` moves
between the two. Work happens in vectorised torch ops (channels-first views
for `torch.nn.functional` where needed).

Resizing follows TensorFlow 2 (half-pixel centers). Bilinear and bicubic
without antialiasing share the Keras `Resizing` layer's kernels; `area` is
exact box averaging over each output pixel's footprint; antialiased resizes
and the `lanczos3`, `lanczos5`, `gaussian` and `mitchellcubic` methods build
TensorFlow's scale-and-translate kernels as (output, input) weight matrices.

The bounding-box ops (`crop_and_resize`, the non-max suppressions,
`draw_bounding_boxes`, `sample_distorted_bounding_box`) live in
`tork.ops._image_boxes` and are re-exported here. The `stateless_random_*` ops
draw from `tf.random.stateless_uniform`: same seed, same result (not
TensorFlow's Philox numbers).
"""

from __future__ import annotations

import math as _math
import numbers

import numpy as np
import torch
import torch.nn.functional as F

from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.errors import InvalidArgumentError, module_getattr
from tork._backend.tracing import real_constant_cache
from tork.ops._image_boxes import (
    combined_non_max_suppression,
    crop_and_resize,
    draw_bounding_boxes,
    non_max_suppression,
    non_max_suppression_overlaps,
    non_max_suppression_padded,
    non_max_suppression_with_scores,
    sample_distorted_bounding_box,
    stateless_sample_distorted_bounding_box,
)
from tork.ops.array import _scalar_value, _shape_str, _t
from tork.ops.io import (
    decode_and_crop_jpeg,
    decode_bmp,
    decode_gif,
    decode_image,
    decode_jpeg,
    decode_png,
    encode_jpeg,
    encode_png,
    extract_jpeg_shape,
    is_jpeg,
)
from tork.ops.random import _generator_for

__all__ = [
    "random_jpeg_quality",
    "stateless_sample_distorted_bounding_box",
    "ssim_multiscale",
    "stateless_random_saturation",
    "stateless_random_jpeg_quality",
    "stateless_random_hue",
    "stateless_random_flip_up_down",
    "stateless_random_flip_left_right",
    "stateless_random_crop",
    "stateless_random_contrast",
    "stateless_random_brightness",
    "adjust_jpeg_quality",
    "sample_distorted_bounding_box",
    "non_max_suppression_with_scores",
    "non_max_suppression_padded",
    "non_max_suppression_overlaps",
    "non_max_suppression",
    "draw_bounding_boxes",
    "crop_and_resize",
    "combined_non_max_suppression",
    "ResizeMethod",
    "adjust_brightness",
    "adjust_contrast",
    "adjust_gamma",
    "adjust_hue",
    "adjust_saturation",
    "central_crop",
    "convert_image_dtype",
    "crop_to_bounding_box",
    "decode_and_crop_jpeg",
    "decode_bmp",
    "decode_gif",
    "decode_image",
    "decode_jpeg",
    "decode_png",
    "encode_jpeg",
    "encode_png",
    "extract_jpeg_shape",
    "extract_patches",
    "flip_left_right",
    "flip_up_down",
    "grayscale_to_rgb",
    "hsv_to_rgb",
    "image_gradients",
    "is_jpeg",
    "pad_to_bounding_box",
    "per_image_standardization",
    "psnr",
    "random_brightness",
    "random_contrast",
    "random_crop",
    "random_flip_left_right",
    "random_flip_up_down",
    "random_hue",
    "random_saturation",
    "resize",
    "resize_with_crop_or_pad",
    "resize_with_pad",
    "rgb_to_grayscale",
    "rgb_to_hsv",
    "rgb_to_yiq",
    "rgb_to_yuv",
    "rot90",
    "sobel_edges",
    "ssim",
    "total_variation",
    "transpose",
    "yiq_to_rgb",
    "yuv_to_rgb",
]

__getattr__ = module_getattr("tf.image")


class ResizeMethod:
    """Names of the `tf.image.resize` methods (the strings work as well).

    Example:
    >>> tf.image.ResizeMethod.BILINEAR
    'bilinear'
    """

    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


_METHODS = (
    "bilinear",
    "nearest",
    "bicubic",
    "area",
    "lanczos3",
    "lanczos5",
    "gaussian",
    "mitchellcubic",
)

# ---------------------------------------------------------------- helpers


def _images(images, op: str) -> tuple[torch.Tensor, bool]:
    """A 4-D NHWC view of 3-D/4-D images, and whether the input was unbatched."""
    x = _t(images)
    if x.dim() == 3:
        return x.unsqueeze(0), True
    if x.dim() == 4:
        return x, False
    raise ValueError(
        f"tf.image.{op} expects images of rank 3 (height, width, channels) or 4 (batch, height, "
        f"width, channels), got shape {_shape_str(x.shape)}."
    )


def _at_least_3d(image, op: str) -> torch.Tensor:
    x = _t(image)
    if x.dim() < 3:
        raise ValueError(
            f"tf.image.{op} expects an image of rank >= 3 (..., height, width, channels), got "
            f"shape {_shape_str(x.shape)}."
        )
    return x


def _int(value, what: str, op: str) -> int:
    value = _scalar_value(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"tf.image.{op}: `{what}` must be an integer, got {value!r}.")
    return int(value)


def _is_int_dtype(dtype: torch.dtype) -> bool:
    return not (dtype.is_floating_point or dtype.is_complex or dtype == torch.bool)


def _check_image_dtype(dtype: torch.dtype, op: str) -> None:
    if not isinstance(dtype, torch.dtype) or dtype == torch.bool or dtype.is_complex:
        raise TypeError(
            f"tf.image.{op} works on integer or float images, got dtype {dtype_name(dtype)}."
        )


def _check_rgb(x: torch.Tensor, op: str) -> None:
    if x.dim() < 1 or x.shape[-1] != 3:
        raise ValueError(
            f"tf.image.{op} expects RGB images with 3 channels in the last dimension, got shape "
            f"{_shape_str(x.shape)}."
        )


def _to_work_float(image: torch.Tensor) -> torch.Tensor:
    """TF's adjust_* ops compute in the image's dtype if it is float16/32, else in float32."""
    if image.dtype in (torch.float16, torch.float32):
        return image
    return convert_image_dtype(image, torch.float32)


def _scalar_like(value, ref: torch.Tensor):
    """A Python number, or a tensor moved next to `ref` in its dtype."""
    if isinstance(value, torch.Tensor):
        return value.to(device=ref.device, dtype=ref.dtype)
    return float(_scalar_value(value))


def _uniform(low: float, high: float, shape, seed, device) -> torch.Tensor:
    gen = _generator_for(seed, device)
    u = torch.rand(shape, generator=gen, device=device, dtype=torch.float32)
    return low + (high - low) * u


# ---------------------------------------------------------------- dtype conversion


def convert_image_dtype(
    image, dtype, saturate: bool = False, name: str | None = None
) -> torch.Tensor:
    """Converts an image to `dtype`, rescaling its values between the dtypes' ranges.

    Float images are in [0, 1); integer images in [0, MAX] of their dtype.
    Integer -> float divides by MAX; float -> integer multiplies by
    `MAX + 0.5` and truncates; integer -> integer shifts by the ratio of the
    ranges; float -> float casts.

    Args:
        image: an image tensor.
        dtype: the target dtype.
        saturate: if True, clip to the target range before casting (avoids
            overflow when converting out-of-range values).
        name: unused.

    Returns:
        `image` converted to `dtype` (`image` itself when the dtype already matches).

    Example:
    >>> tf.image.convert_image_dtype(tf.constant([0, 255], dtype=tf.uint8), tf.float32)
    tensor([0., 1.])
    """
    del name
    x = _t(image)
    target = as_dtype(dtype)
    _check_image_dtype(x.dtype, "convert_image_dtype")
    _check_image_dtype(target, "convert_image_dtype")
    if x.dtype == target:
        return x
    src_int, dst_int = _is_int_dtype(x.dtype), _is_int_dtype(target)
    if src_int and dst_int:
        max_in, max_out = torch.iinfo(x.dtype).max, torch.iinfo(target).max
        if max_in > max_out:
            scaled = torch.div(
                x.to(torch.int64), (max_in + 1) // (max_out + 1), rounding_mode="floor"
            )
            return _saturate_cast(scaled, target) if saturate else scaled.to(target)
        cast = _saturate_cast(x, target) if saturate else x.to(target)
        return cast * ((max_out + 1) // (max_in + 1))
    if src_int:
        # TF casts first and scales in the target dtype, so float16 results
        # round (and int32 -> float16 underflows) exactly as TF's do.
        return x.to(target) * torch.tensor(1.0 / torch.iinfo(x.dtype).max, dtype=target)
    if not dst_int:
        return x.to(target)
    info = torch.iinfo(target)
    # TF scales in the image's own float dtype: `MAX + 0.5` rounds there (to
    # 2**31 in float32 for int32), and the cast truncates that product.
    scaled = x * torch.tensor(info.max + 0.5, dtype=x.dtype)
    return _saturate_cast(scaled, target) if saturate else scaled.to(target)


def _saturate_cast(x: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    if _is_int_dtype(dtype):
        info = torch.iinfo(dtype)
        if x.is_floating_point():
            # Clamp in the float dtype to the nearest values it can hold inside
            # the integer range (as TF does): float32 -> int32 saturates at
            # 2147483520, float16 -> int32 at 65504.
            lo, hi = (_inner_float(v, x.dtype) for v in (info.min, info.max))
            return x.clamp(lo, hi).to(dtype)
        x = x.to(torch.int64).clamp(info.min, info.max) if info.bits < 64 else x
        return x.to(dtype)
    return x.to(dtype)


def _inner_float(bound: int, dtype: torch.dtype) -> torch.Tensor:
    """`bound` in the float `dtype`, stepped toward 0 if rounding carried it outside."""
    value = torch.tensor(float(bound), dtype=torch.float64).to(dtype)
    if value.isinf() or abs(int(value.item())) > abs(bound):
        value = torch.nextafter(value, torch.zeros((), dtype=dtype))
    return value


# ---------------------------------------------------------------- resizing


def _method(method) -> str:
    m = str(method).lower()
    if m not in _METHODS:
        raise ValueError(
            f"tf.image.resize: unknown method {method!r}; expected one of "
            f"{', '.join(repr(x) for x in _METHODS)} (or a tf.image.ResizeMethod)."
        )
    return m


def _size(size, op: str) -> tuple[int, int]:
    values = size.tolist() if isinstance(size, (torch.Tensor, np.ndarray)) else size
    if not isinstance(values, (list, tuple)) or len(values) != 2:
        raise ValueError(
            f"tf.image.{op}: `size` must be a 1-D tensor of 2 elements (new_height, new_width), "
            f"got {size!r}."
        )
    h, w = (_int(v, "size", op) for v in values)
    if h <= 0 or w <= 0:
        raise ValueError(f"tf.image.{op}: `size` must contain positive values, got [{h}, {w}].")
    return h, w


def _kernel(name: str):
    """(function of |distance| in input pixels, radius) for the scale-and-translate kernels."""
    if name == "triangle":
        return (lambda d: (1.0 - d).clamp_min(0.0)), 1.0
    if name == "keyscubic":
        return (
            lambda d: torch.where(
                d < 1.0,
                (1.5 * d - 2.5) * d * d + 1.0,
                torch.where(d < 2.0, ((-0.5 * d + 2.5) * d - 4.0) * d + 2.0, 0.0),
            )
        ), 2.0
    if name == "mitchellcubic":
        return (
            lambda d: torch.where(
                d < 1.0,
                ((7.0 / 6.0) * d - 2.0) * d * d + 8.0 / 9.0,
                torch.where(
                    d < 2.0, (((-7.0 / 18.0) * d + 2.0) * d - 10.0 / 3.0) * d + 16.0 / 9.0, 0.0
                ),
            )
        ), 2.0
    if name == "gaussian":
        # sigma 0.5, cut at 3 sigma.
        return (lambda d: torch.where(d < 1.5, torch.exp(-2.0 * d.double() * d).float(), 0.0)), 1.5
    radius = 3.0 if name == "lanczos3" else 5.0

    def lanczos(d):
        pd = _math.pi * d
        safe = torch.where(d <= 1e-3, 1.0, pd * pd)
        value = radius * torch.sin(pd) * torch.sin(pd / radius) / safe
        return torch.where(d <= 1e-3, 1.0, torch.where(d > radius, 0.0, value))

    return lanczos, radius


@real_constant_cache(maxsize=256)
def _scale_translate_matrix(n_in: int, n_out: int, kernel: str, antialias: bool) -> torch.Tensor:
    """(n_out, n_in) weights of TF's ScaleAndTranslate resize along one axis (float32, CPU).

    Every step runs in float32 like TF's kernel: which input pixels enter a
    span depends on float32 rounding of the scale, and kernels that are not
    zero at their radius (`gaussian`) change visibly when a pixel at the
    edge of the span is in or out.
    """
    fn, radius = _kernel(kernel)
    f32 = np.float32
    scale = f32(n_out) / f32(n_in)
    inv_scale = f32(1.0 / float(scale))
    kernel_scale = max(inv_scale, f32(1.0)) if antialias else f32(1.0)
    centers = (np.arange(n_out, dtype=f32) + f32(0.5)) * inv_scale
    reach = f32(radius) * kernel_scale
    start = np.clip(np.ceil(centers - reach - f32(0.5)), 0, n_in - 1)
    end = np.clip(np.floor(centers + reach - f32(0.5)), 0, n_in - 1)
    index = np.arange(n_in, dtype=f32)
    inside = (index[None, :] >= start[:, None]) & (index[None, :] <= end[:, None])
    offsets = (index[None, :] + f32(0.5)) - centers[:, None]
    distance = np.abs(offsets * (f32(1.0) / kernel_scale))
    weights = fn(torch.from_numpy(distance)) * torch.from_numpy(inside)
    total = weights.sum(dim=1, keepdim=True)
    return torch.where(total.abs() > 1000 * np.finfo(f32).tiny, weights * (1.0 / total), 0.0)


@real_constant_cache(maxsize=256)
def _area_matrix(n_in: int, n_out: int) -> torch.Tensor:
    """(n_out, n_in) box-average weights: each output pixel averages its input footprint."""
    scale = n_in / n_out
    lo = torch.arange(n_out, dtype=torch.float64)[:, None] * scale
    hi = lo + scale
    index = torch.arange(n_in, dtype=torch.float64)[None, :]
    overlap = (torch.minimum(index + 1, hi) - torch.maximum(index, lo)).clamp_min(0.0)
    return overlap / scale


def _apply_matrices(x: torch.Tensor, mh: torch.Tensor, mw: torch.Tensor) -> torch.Tensor:
    mh = mh.to(device=x.device, dtype=x.dtype)
    mw = mw.to(device=x.device, dtype=x.dtype)
    return torch.einsum("oh,bhwc,pw->bopc", mh, x, mw)


def _nearest_index(n_in: int, n_out: int, device) -> torch.Tensor:
    scale = torch.tensor(n_in / n_out, dtype=torch.float32)
    pos = (torch.arange(n_out, dtype=torch.float32) + 0.5) * scale
    return torch.floor(pos).long().clamp_max(n_in - 1).to(device)


def _resize_nhwc(x: torch.Tensor, height: int, width: int, method: str, antialias: bool):
    in_h, in_w = x.shape[1], x.shape[2]
    if method == "nearest":
        if (in_h, in_w) != (height, width):
            x = x.index_select(1, _nearest_index(in_h, height, x.device))
            x = x.index_select(2, _nearest_index(in_w, width, x.device))
        return x
    x = x.to(torch.float32)
    if method == "area":
        return _apply_matrices(x, _area_matrix(in_h, height), _area_matrix(in_w, width))
    if method in ("bilinear", "bicubic") and not antialias:
        # Imported here: loading it imports tork.keras, which `tf.image` alone should not.
        from tork.keras.layers.preprocessing._image import resize as _keras_resize

        return _keras_resize(x, height, width, method)
    kernel = {"bilinear": "triangle", "bicubic": "keyscubic"}.get(method, method)
    return _apply_matrices(
        x,
        _scale_translate_matrix(in_h, height, kernel, bool(antialias)),
        _scale_translate_matrix(in_w, width, kernel, bool(antialias)),
    )


def resize(
    images,
    size,
    method: str = ResizeMethod.BILINEAR,
    preserve_aspect_ratio: bool = False,
    antialias: bool = False,
    name: str | None = None,
) -> torch.Tensor:
    """Resizes images to `size` with the given method (TensorFlow 2 half-pixel centers).

    The result is float32, except with `method='nearest'`, which keeps the
    input dtype.

    Args:
        images: 4-D `(batch, height, width, channels)` or 3-D `(height, width,
            channels)` images.
        size: `[new_height, new_width]` (positive ints).
        method: `'bilinear'` (default), `'nearest'`, `'bicubic'`, `'area'`,
            `'lanczos3'`, `'lanczos5'`, `'gaussian'` or `'mitchellcubic'`.
        preserve_aspect_ratio: if True, resize to the largest size that fits
            in `size` while keeping the aspect ratio.
        antialias: whether to widen the sampling kernel when downsampling.
            Has no effect when upsampling, nor for `'nearest'` and `'area'`.
        name: unused.

    Returns:
        The resized images, 4-D or 3-D like the input.

    Example:
    >>> tf.image.resize(tf.ones((2, 8, 8, 3)), [4, 6]).shape
    torch.Size([2, 4, 6, 3])
    """
    del name
    m = _method(method)
    x, unbatched, height, width = _resize_target(images, size, preserve_aspect_ratio)
    y = _resize_nhwc(x, height, width, m, antialias)
    return y.squeeze(0) if unbatched else y


def _resize_target(images, size, preserve_aspect_ratio: bool):
    """`resize`'s checked NHWC images, whether they were unbatched, and the output size.

    With `preserve_aspect_ratio`, the largest size within `size` keeping the input's
    aspect ratio (float32 arithmetic, as TensorFlow). Shared with `tf.compat.v1.image`.
    """
    x, unbatched = _images(images, "resize")
    height, width = _size(size, "resize")
    _check_image_dtype(x.dtype, "resize")
    if preserve_aspect_ratio:
        in_h, in_w = x.shape[1], x.shape[2]
        scale = np.float32(min(np.float32(height) / np.float32(in_h), np.float32(width) / in_w))
        height = max(int(np.round(scale * np.float32(in_h))), 1)
        width = max(int(np.round(scale * np.float32(in_w))), 1)
    return x, unbatched, height, width


def _bounding_box(op: str, offset_height, offset_width, target_height, target_width) -> list:
    """The box of crop/pad_to_bounding_box as ints, offsets checked to be >= 0."""
    oh, ow, th, tw = (
        _int(v, what, op)
        for what, v in (
            ("offset_height", offset_height),
            ("offset_width", offset_width),
            ("target_height", target_height),
            ("target_width", target_width),
        )
    )
    if oh < 0 or ow < 0:
        raise ValueError(
            f"tf.image.{op}: offset_height and offset_width must be >= 0, got ({oh}, {ow})."
        )
    return [oh, ow, th, tw]


def crop_to_bounding_box(
    image, offset_height, offset_width, target_height, target_width
) -> torch.Tensor:
    """Crops the box with top-left corner `(offset_height, offset_width)` out of the image.

    Args:
        image: 4-D `(batch, height, width, channels)` or 3-D images.
        offset_height: row of the box's top-left corner in the image.
        offset_width: column of the box's top-left corner.
        target_height: height of the box.
        target_width: width of the box.

    Returns:
        The cropped images, `(..., target_height, target_width, channels)`.

    Example:
    >>> tf.image.crop_to_bounding_box(tf.ones((5, 5, 1)), 1, 1, 3, 2).shape
    torch.Size([3, 2, 1])
    """
    op = "crop_to_bounding_box"
    x, unbatched = _images(image, op)
    oh, ow, th, tw = _bounding_box(op, offset_height, offset_width, target_height, target_width)
    h, w = x.shape[1], x.shape[2]
    if th <= 0 or tw <= 0:
        raise ValueError(
            f"tf.image.{op}: target_height and target_width must be > 0, got ({th}, {tw})."
        )
    if oh + th > h or ow + tw > w:
        raise ValueError(
            f"tf.image.{op}: the box (offset ({oh}, {ow}), size ({th}, {tw})) does not fit in "
            f"the image of height {h} and width {w}: height must be >= target + offset, and "
            "width too."
        )
    y = x[:, oh : oh + th, ow : ow + tw, :]
    return y.squeeze(0) if unbatched else y


def pad_to_bounding_box(
    image, offset_height, offset_width, target_height, target_width
) -> torch.Tensor:
    """Pads the image with zeros to `(target_height, target_width)`.

    The image is placed with its top-left corner at `(offset_height, offset_width)`.

    Args:
        image: 4-D `(batch, height, width, channels)` or 3-D images.
        offset_height: rows of zeros added on top.
        offset_width: columns of zeros added on the left.
        target_height: height of the result.
        target_width: width of the result.

    Returns:
        The padded images, `(..., target_height, target_width, channels)`.

    Example:
    >>> tf.image.pad_to_bounding_box(tf.ones((2, 2, 1)), 1, 1, 4, 4)[..., 0].sum()
    tensor(4.)
    """
    op = "pad_to_bounding_box"
    x, unbatched = _images(image, op)
    oh, ow, th, tw = _bounding_box(op, offset_height, offset_width, target_height, target_width)
    h, w = x.shape[1], x.shape[2]
    after_h, after_w = th - oh - h, tw - ow - w
    if after_h < 0 or after_w < 0:
        raise ValueError(
            f"tf.image.{op}: the image of height {h} and width {w} at offset ({oh}, {ow}) does "
            f"not fit in the target ({th}, {tw}): height must be <= target - offset, and width "
            "too."
        )
    y = x
    if oh or ow or after_h or after_w:
        y = x.new_zeros((x.shape[0], th, tw, x.shape[3]))
        y[:, oh : oh + h, ow : ow + w, :] = x
    return y.squeeze(0) if unbatched else y


def resize_with_crop_or_pad(image, target_height, target_width) -> torch.Tensor:
    """Crops and/or pads an image to a target size, keeping it centred.

    Dimensions larger than the target are cropped around the centre; smaller
    ones are padded with zeros evenly on both sides.

    Args:
        image: 4-D `(batch, height, width, channels)` or 3-D images.
        target_height: the output height.
        target_width: the output width.

    Returns:
        The images, `(..., target_height, target_width, channels)`, same dtype.

    Example:
    >>> tf.image.resize_with_crop_or_pad(tf.ones((4, 6, 1)), 6, 4).shape
    torch.Size([6, 4, 1])
    """
    op = "resize_with_crop_or_pad"
    x, unbatched = _images(image, op)
    th = _int(target_height, "target_height", op)
    tw = _int(target_width, "target_width", op)
    if th <= 0 or tw <= 0:
        raise ValueError(
            f"tf.image.{op}: target_height and target_width must be > 0, got ({th}, {tw})."
        )
    h, w = x.shape[1], x.shape[2]
    dh, dw = th - h, tw - w
    top, left = max(-dh // 2, 0), max(-dw // 2, 0)
    y = x[:, top : top + min(th, h), left : left + min(tw, w), :]
    y = pad_to_bounding_box(y, max(dh // 2, 0), max(dw // 2, 0), th, tw)
    return y.squeeze(0) if unbatched else y


def resize_with_pad(
    image,
    target_height,
    target_width,
    method: str = ResizeMethod.BILINEAR,
    antialias: bool = False,
) -> torch.Tensor:
    """Resizes an image to fit in the target size keeping its aspect ratio, then zero-pads it.

    Args:
        image: 4-D `(batch, height, width, channels)` or 3-D images.
        target_height: the output height.
        target_width: the output width.
        method: a `tf.image.resize` method.
        antialias: whether to antialias when downsampling.

    Returns:
        The images, `(..., target_height, target_width, channels)` (float32,
        except with `'nearest'`).

    Example:
    >>> tf.image.resize_with_pad(tf.ones((4, 8, 3)), 8, 8).shape
    torch.Size([8, 8, 3])
    """
    m = _method(method)
    return _pad_resize(
        image,
        target_height,
        target_width,
        lambda x, h, w: _resize_nhwc(x, h, w, m, antialias),
        "resize_with_pad",
    )


def _pad_resize(image, target_height, target_width, resize, op: str) -> torch.Tensor:
    """`resize_with_pad`'s sizing and padding around `resize(nhwc, height, width)` (shared
    with TF 1's `resize_image_with_pad`, which resizes without half-pixel centers)."""
    x, unbatched = _images(image, op)
    th = _int(target_height, "target_height", op)
    tw = _int(target_width, "target_width", op)
    if th <= 0 or tw <= 0:
        raise ValueError(
            f"tf.image.{op}: target_height and target_width must be > 0, got ({th}, {tw})."
        )
    # TensorFlow does this arithmetic in float32: 4 / (4 / 7) is 6.9999995 there, so a
    # float64 computation would resize to one more row or column than TF.
    f32 = np.float32
    h, w = f32(x.shape[1]), f32(x.shape[2])
    ratio = max(w / f32(tw), h / f32(th))
    new_h, new_w = h / ratio, w / ratio
    pad_top = max(0, int(np.floor((f32(th) - new_h) / f32(2))))
    pad_left = max(0, int(np.floor((f32(tw) - new_w) / f32(2))))
    rh, rw = int(np.floor(new_h)), int(np.floor(new_w))
    if rh <= 0 or rw <= 0:
        raise InvalidArgumentError(
            f"tf.image.{op}: the image (shape {tuple(x.shape[1:3])}) fitted into "
            f"({th}, {tw}) keeping its aspect ratio would be {rh}x{rw} (output dimensions "
            "must be positive). Use a larger target size."
        )
    y = pad_to_bounding_box(resize(x, rh, rw), pad_top, pad_left, th, tw)
    return y.squeeze(0) if unbatched else y


def central_crop(image, central_fraction) -> torch.Tensor:
    """Crops the central region of the image(s), keeping `central_fraction` of each side.

    Args:
        image: 4-D `(batch, height, width, channels)` or 3-D images.
        central_fraction: a float in (0, 1].

    Returns:
        The cropped images.

    Example:
    >>> tf.image.central_crop(tf.ones((10, 10, 3)), 0.5).shape
    torch.Size([6, 6, 3])
    """
    op = "central_crop"
    x, unbatched = _images(image, op)
    fraction = float(_scalar_value(central_fraction))
    if not 0.0 < fraction <= 1.0:
        raise ValueError(
            f"tf.image.{op}: central_fraction must be within (0, 1], got {central_fraction!r}."
        )
    if fraction == 1.0:
        return _t(image)
    h, w = x.shape[1], x.shape[2]
    top = int((h - h * fraction) / 2)
    left = int((w - w * fraction) / 2)
    y = x[:, top : h - top, left : w - left, :]
    return y.squeeze(0) if unbatched else y


# ---------------------------------------------------------------- flips and rotations


def flip_left_right(image) -> torch.Tensor:
    """Flips image(s) horizontally (mirrors the width axis).

    Args:
        image: 4-D `(batch, height, width, channels)` or 3-D images.

    Returns:
        The flipped images.

    Example:
    >>> tf.image.flip_left_right(tf.constant([[[1.0], [2.0]]]))[..., 0]
    tensor([[2., 1.]])
    """
    _images(image, "flip_left_right")
    return _t(image).flip(-2)


def flip_up_down(image) -> torch.Tensor:
    """Flips image(s) vertically (mirrors the height axis).

    Args:
        image: 4-D `(batch, height, width, channels)` or 3-D images.

    Returns:
        The flipped images.

    Example:
    >>> tf.image.flip_up_down(tf.constant([[[1.0]], [[2.0]]]))[..., 0]
    tensor([[2.],
            [1.]])
    """
    _images(image, "flip_up_down")
    return _t(image).flip(-3)


def _random_flip(image, seed, axis: int, op: str) -> torch.Tensor:
    x, unbatched = _images(image, op)
    flip = _uniform(0.0, 1.0, (x.shape[0], 1, 1, 1), seed, x.device) < 0.5
    y = torch.where(flip, x.flip(axis), x)
    return y.squeeze(0) if unbatched else y


def random_flip_left_right(image, seed=None) -> torch.Tensor:
    """Flips each image horizontally with probability 1/2 (independently per image).

    Args:
        image: 4-D `(batch, height, width, channels)` or 3-D images.
        seed: optional op seed (see `tf.random.set_seed`).

    Returns:
        The images, some flipped.

    Example:
    >>> tf.image.random_flip_left_right(tf.ones((2, 4, 4, 3))).shape
    torch.Size([2, 4, 4, 3])
    """
    return _random_flip(image, seed, 2, "random_flip_left_right")


def random_flip_up_down(image, seed=None) -> torch.Tensor:
    """Flips each image vertically with probability 1/2 (independently per image).

    Args:
        image: 4-D `(batch, height, width, channels)` or 3-D images.
        seed: optional op seed (see `tf.random.set_seed`).

    Returns:
        The images, some flipped.

    Example:
    >>> tf.image.random_flip_up_down(tf.ones((2, 4, 4, 3))).shape
    torch.Size([2, 4, 4, 3])
    """
    return _random_flip(image, seed, 1, "random_flip_up_down")


def rot90(image, k=1, name: str | None = None) -> torch.Tensor:
    """Rotates image(s) counter-clockwise by `k` times 90 degrees.

    Args:
        image: 4-D `(batch, height, width, channels)` or 3-D images.
        k: number of quarter turns (may be negative).
        name: unused.

    Returns:
        The rotated images.

    Example:
    >>> tf.image.rot90(tf.constant([[[1], [2]], [[3], [4]]]))[..., 0]
    tensor([[2, 4],
            [1, 3]], dtype=torch.int32)
    """
    del name
    _images(image, "rot90")
    return torch.rot90(_t(image), _int(k, "k", "rot90") % 4, dims=(-3, -2))


def transpose(image, name: str | None = None) -> torch.Tensor:
    """Swaps the height and width of image(s).

    Args:
        image: 4-D `(batch, height, width, channels)` or 3-D images.
        name: unused.

    Returns:
        The transposed images, `(..., width, height, channels)`.

    Example:
    >>> tf.image.transpose(tf.ones((2, 5, 3))).shape
    torch.Size([5, 2, 3])
    """
    del name
    _images(image, "transpose")
    return _t(image).transpose(-3, -2)


# ---------------------------------------------------------------- colour spaces


def rgb_to_grayscale(images, name: str | None = None) -> torch.Tensor:
    """Converts RGB images to grayscale (weights 0.2989, 0.5870, 0.1140).

    Args:
        images: images with 3 channels in the last dimension.
        name: unused.

    Returns:
        The grayscale images, with 1 channel and the input dtype.

    Example:
    >>> tf.image.rgb_to_grayscale(tf.ones((2, 2, 3))).shape
    torch.Size([2, 2, 1])
    """
    del name
    x = _t(images)
    _check_rgb(x, "rgb_to_grayscale")
    _check_image_dtype(x.dtype, "rgb_to_grayscale")
    flt = convert_image_dtype(x, torch.float32)
    weights = torch.tensor([0.2989, 0.5870, 0.1140], dtype=torch.float32, device=x.device)
    gray = (flt * weights).sum(dim=-1, keepdim=True)
    return convert_image_dtype(gray, x.dtype)


# (input channel, output channel) matrices of TF's linear colour-space conversions.
_RGB_TO_YUV = (
    (0.299, -0.14714119, 0.61497538),
    (0.587, -0.28886916, -0.51496512),
    (0.114, 0.43601035, -0.10001026),
)
_YUV_TO_RGB = ((1.0, 1.0, 1.0), (0.0, -0.394642334, 2.03206185), (1.13988303, -0.58062185, 0.0))
_RGB_TO_YIQ = (
    (0.299, 0.59590059, 0.2115),
    (0.587, -0.27455667, -0.52273617),
    (0.114, -0.32134392, 0.31119955),
)
_YIQ_TO_RGB = (
    (1.0, 1.0, 1.0),
    (0.95598634, -0.27201283, -1.10674021),
    (0.6208248, -0.64720424, 1.70423049),
)


def _linear_colour(images, matrix, op: str) -> torch.Tensor:
    x = _t(images)
    _check_rgb(x, op)
    if not x.is_floating_point():
        raise TypeError(
            f"tf.image.{op} expects float images in [0, 1], got dtype {dtype_name(x.dtype)}. "
            "Use tf.image.convert_image_dtype first."
        )
    return x @ torch.tensor(matrix, dtype=x.dtype, device=x.device)


def rgb_to_yuv(images) -> torch.Tensor:
    """Converts float RGB images to YUV (Y in [0, 1], U and V around 0).

    Args:
        images: float images with 3 channels in the last dimension.

    Returns:
        The YUV images, same shape and dtype.

    Example:
    >>> tf.image.rgb_to_yuv(tf.ones((1, 1, 3))).shape
    torch.Size([1, 1, 3])
    """
    return _linear_colour(images, _RGB_TO_YUV, "rgb_to_yuv")


def yuv_to_rgb(images) -> torch.Tensor:
    """Converts YUV images back to RGB (the inverse of `rgb_to_yuv`).

    Args:
        images: float images with 3 channels (Y, U, V) in the last dimension.

    Returns:
        The RGB images, same shape and dtype.

    Example:
    >>> tf.image.yuv_to_rgb(tf.zeros((1, 1, 3))).tolist()
    [[[0.0, 0.0, 0.0]]]
    """
    return _linear_colour(images, _YUV_TO_RGB, "yuv_to_rgb")


def rgb_to_yiq(images) -> torch.Tensor:
    """Converts float RGB images to YIQ (Y in [0, 1], I and Q around 0).

    Args:
        images: float images with 3 channels in the last dimension.

    Returns:
        The YIQ images, same shape and dtype.

    Example:
    >>> tf.image.rgb_to_yiq(tf.ones((1, 1, 3))).shape
    torch.Size([1, 1, 3])
    """
    return _linear_colour(images, _RGB_TO_YIQ, "rgb_to_yiq")


def yiq_to_rgb(images) -> torch.Tensor:
    """Converts YIQ images back to RGB (the inverse of `rgb_to_yiq`).

    Args:
        images: float images with 3 channels (Y, I, Q) in the last dimension.

    Returns:
        The RGB images, same shape and dtype.

    Example:
    >>> tf.image.yiq_to_rgb(tf.zeros((1, 1, 3))).tolist()
    [[[0.0, 0.0, 0.0]]]
    """
    return _linear_colour(images, _YIQ_TO_RGB, "yiq_to_rgb")


def grayscale_to_rgb(images, name: str | None = None) -> torch.Tensor:
    """Converts grayscale images (1 channel) to RGB by repeating the channel.

    Args:
        images: images with 1 channel in the last dimension.
        name: unused.

    Returns:
        The RGB images, with 3 channels.

    Example:
    >>> tf.image.grayscale_to_rgb(tf.ones((2, 2, 1))).shape
    torch.Size([2, 2, 3])
    """
    del name
    x = _t(images)
    if x.dim() < 2 or x.shape[-1] != 1:
        raise ValueError(
            "tf.image.grayscale_to_rgb: the last dimension of a grayscale image must have size "
            f"1, got shape {_shape_str(x.shape)}."
        )
    return x.expand(*x.shape[:-1], 3).clone()


def _float_images(images, op: str) -> torch.Tensor:
    x = _t(images)
    if not x.is_floating_point():
        raise TypeError(
            f"tf.image.{op} needs float images, got {dtype_name(x.dtype)}; convert them first "
            "with tf.image.convert_image_dtype(images, tf.float32)."
        )
    _check_rgb(x, op)
    return x


def rgb_to_hsv(images, name: str | None = None) -> torch.Tensor:
    """Converts RGB images to HSV; all three HSV components are in [0, 1].

    Args:
        images: float images with 3 channels (R, G, B) in [0, 1].
        name: unused.

    Returns:
        The images in HSV (hue, saturation, value).

    Example:
    >>> tf.image.rgb_to_hsv(tf.constant([0.0, 1.0, 0.0]))
    tensor([0.3333, 1.0000, 1.0000])
    """
    del name
    x = _float_images(images, "rgb_to_hsv")
    r, g, b = x.unbind(-1)
    value = x.amax(dim=-1)
    chroma = value - x.amin(dim=-1)
    safe_value = torch.where(value > 0, value, 1.0)
    saturation = torch.where(value > 0, chroma / safe_value, 0.0)
    safe_chroma = torch.where(chroma > 0, chroma, 1.0)
    hue = torch.where(
        value == r,
        (g - b) / safe_chroma,
        torch.where(value == g, (b - r) / safe_chroma + 2.0, (r - g) / safe_chroma + 4.0),
    )
    hue = torch.where(chroma > 0, hue / 6.0, 0.0)
    hue = torch.where(hue < 0, hue + 1.0, hue)
    return torch.stack([hue, saturation, value], dim=-1)


def _hsv_to_rgb(hue, saturation, value) -> torch.Tensor:
    # Each channel is v - v s clip(min(k, 4 - k), 0, 1), k = (n + 6 h) mod 6, n = 5, 3, 1.
    n = torch.tensor([5.0, 3.0, 1.0], dtype=hue.dtype, device=hue.device)
    k = torch.remainder(n + 6.0 * hue.unsqueeze(-1), 6.0)
    ramp = torch.minimum(k, 4.0 - k).clamp(0.0, 1.0)
    v = value.unsqueeze(-1)
    return v - v * saturation.unsqueeze(-1) * ramp


def hsv_to_rgb(images, name: str | None = None) -> torch.Tensor:
    """Converts HSV images (all components in [0, 1]) to RGB.

    Args:
        images: float images with 3 channels (hue, saturation, value).
        name: unused.

    Returns:
        The images in RGB.

    Example:
    >>> tf.image.hsv_to_rgb(tf.constant([2 / 3, 1.0, 1.0]))
    tensor([0., 0., 1.])
    """
    del name
    x = _float_images(images, "hsv_to_rgb")
    return _hsv_to_rgb(*x.unbind(-1))


# ---------------------------------------------------------------- colour adjustments


def adjust_brightness(image, delta) -> torch.Tensor:
    """Adds `delta` to every value of the image(s), computed in float.

    Integer images are converted to float ([0, 1]), shifted and converted
    back (saturating); float images are not clipped.

    Args:
        image: an image tensor.
        delta: the amount to add (in [0, 1] float units).

    Returns:
        The brightness-adjusted images, same dtype.

    Example:
    >>> tf.image.adjust_brightness(tf.constant([[[0.25]]]), 0.5)
    tensor([[[0.7500]]])
    """
    x = _t(image)
    _check_image_dtype(x.dtype, "adjust_brightness")
    flt = _to_work_float(x)
    return convert_image_dtype(flt + _scalar_like(delta, flt), x.dtype, saturate=True)


def adjust_contrast(images, contrast_factor) -> torch.Tensor:
    """Scales each channel's distance from its mean: `(x - mean) * contrast_factor + mean`.

    The mean is taken per image and channel over height and width.

    Args:
        images: images of rank >= 3, `(..., height, width, channels)`.
        contrast_factor: the multiplier.

    Returns:
        The contrast-adjusted images, same dtype (integer images saturate).

    Example:
    >>> tf.image.adjust_contrast(tf.constant([[[0.0], [1.0]]]), 2.0)[..., 0]
    tensor([[-0.5000,  1.5000]])
    """
    x = _at_least_3d(images, "adjust_contrast")
    _check_image_dtype(x.dtype, "adjust_contrast")
    flt = _to_work_float(x)
    mean = flt.mean(dim=(-3, -2), keepdim=True)
    out = (flt - mean) * _scalar_like(contrast_factor, flt) + mean
    return convert_image_dtype(out, x.dtype, saturate=True)


def _map_hsv(image, op: str, fn) -> torch.Tensor:
    x = _t(image)
    _check_image_dtype(x.dtype, op)
    _check_rgb(x, op)
    flt = _to_work_float(x)
    hue, saturation, value = rgb_to_hsv(flt).unbind(-1)
    hue, saturation = fn(hue, saturation)
    return convert_image_dtype(_hsv_to_rgb(hue, saturation, value), x.dtype)


def adjust_saturation(image, saturation_factor, name: str | None = None) -> torch.Tensor:
    """Multiplies the saturation of RGB images by `saturation_factor` (clipped to [0, 1]).

    Args:
        image: RGB images (3 channels last).
        saturation_factor: the multiplier.
        name: unused.

    Returns:
        The adjusted images, same dtype.

    Example:
    >>> tf.image.adjust_saturation(tf.constant([1.0, 0.5, 0.5]), 0.0)
    tensor([1., 1., 1.])
    """
    del name

    def fn(hue, saturation):
        return hue, (saturation * _scalar_like(saturation_factor, saturation)).clamp(0.0, 1.0)

    return _map_hsv(image, "adjust_saturation", fn)


def adjust_hue(image, delta, name: str | None = None) -> torch.Tensor:
    """Rotates the hue of RGB images by `delta` (a fraction of the colour wheel).

    Args:
        image: RGB images (3 channels last).
        delta: the hue shift, in [-1, 1].
        name: unused.

    Returns:
        The adjusted images, same dtype.

    Example:
    >>> tf.image.adjust_hue(tf.constant([1.0, 0.0, 0.0]), 1 / 3)
    tensor([0., 1., 0.])
    """
    del name
    if not isinstance(delta, torch.Tensor) and not -1.0 <= float(_scalar_value(delta)) <= 1.0:
        raise ValueError(
            f"tf.image.adjust_hue: delta must be in the interval [-1, 1], got {delta}."
        )

    def fn(hue, saturation):
        return torch.remainder(hue + _scalar_like(delta, hue), 1.0), saturation

    return _map_hsv(image, "adjust_hue", fn)


def adjust_gamma(image, gamma=1, gain=1) -> torch.Tensor:
    """Gamma correction: `gain * image ** gamma`, computed in float [0, 1] units.

    Args:
        image: an image tensor.
        gamma: a non-negative exponent.
        gain: a multiplier.

    Returns:
        The corrected images, same dtype (integer images saturate).

    Example:
    >>> tf.image.adjust_gamma(tf.constant([0.25]), gamma=0.5)
    tensor([0.5000])
    """
    x = _t(image)
    _check_image_dtype(x.dtype, "adjust_gamma")
    if not isinstance(gamma, torch.Tensor) and float(_scalar_value(gamma)) < 0:
        raise ValueError(
            f"tf.image.adjust_gamma: gamma should be a non-negative real number, got {gamma}."
        )
    flt = _to_work_float(x)
    out = _scalar_like(gain, flt) * flt ** _scalar_like(gamma, flt)
    return convert_image_dtype(out, x.dtype, saturate=True)


def _check_range(lower, upper, op: str) -> tuple[float, float]:
    lower, upper = float(_scalar_value(lower)), float(_scalar_value(upper))
    if upper <= lower:
        raise ValueError(f"tf.image.{op}: upper must be > lower, got lower={lower}, upper={upper}.")
    if lower < 0:
        raise ValueError(f"tf.image.{op}: lower must be non-negative, got lower={lower}.")
    return lower, upper


def random_brightness(image, max_delta, seed=None) -> torch.Tensor:
    """Adjusts brightness by one delta drawn uniformly from `[-max_delta, max_delta)`.

    Args:
        image: an image tensor.
        max_delta: a non-negative float.
        seed: optional op seed (see `tf.random.set_seed`).

    Returns:
        The adjusted images.

    Example:
    >>> tf.image.random_brightness(tf.zeros((2, 2, 3)), 0.2).shape
    torch.Size([2, 2, 3])
    """
    max_delta = float(_scalar_value(max_delta))
    if max_delta < 0:
        raise ValueError(
            f"tf.image.random_brightness: max_delta must be non-negative, got {max_delta}."
        )
    x = _t(image)
    delta = _uniform(-max_delta, max_delta, (), seed, x.device)
    return adjust_brightness(x, delta)


def random_contrast(image, lower, upper, seed=None) -> torch.Tensor:
    """Adjusts contrast by one factor drawn uniformly from `[lower, upper)`.

    Args:
        image: images of rank >= 3.
        lower: lower bound of the factor (>= 0).
        upper: upper bound of the factor (> lower).
        seed: optional op seed (see `tf.random.set_seed`).

    Returns:
        The adjusted images.

    Example:
    >>> tf.image.random_contrast(tf.zeros((2, 2, 3)), 0.5, 1.5).shape
    torch.Size([2, 2, 3])
    """
    lower, upper = _check_range(lower, upper, "random_contrast")
    x = _t(image)
    return adjust_contrast(x, _uniform(lower, upper, (), seed, x.device))


def random_saturation(image, lower, upper, seed=None) -> torch.Tensor:
    """Adjusts saturation by one factor drawn uniformly from `[lower, upper)`.

    Args:
        image: RGB images.
        lower: lower bound of the factor (>= 0).
        upper: upper bound of the factor (> lower).
        seed: optional op seed (see `tf.random.set_seed`).

    Returns:
        The adjusted images.

    Example:
    >>> tf.image.random_saturation(tf.zeros((2, 2, 3)), 0.5, 1.5).shape
    torch.Size([2, 2, 3])
    """
    lower, upper = _check_range(lower, upper, "random_saturation")
    x = _t(image)
    return adjust_saturation(x, _uniform(lower, upper, (), seed, x.device))


def random_hue(image, max_delta, seed=None) -> torch.Tensor:
    """Adjusts hue by one delta drawn uniformly from `[-max_delta, max_delta)`.

    Args:
        image: RGB images.
        max_delta: a float in [0, 0.5].
        seed: optional op seed (see `tf.random.set_seed`).

    Returns:
        The adjusted images.

    Example:
    >>> tf.image.random_hue(tf.zeros((2, 2, 3)), 0.1).shape
    torch.Size([2, 2, 3])
    """
    max_delta = float(_scalar_value(max_delta))
    if not 0.0 <= max_delta <= 0.5:
        raise ValueError(
            f"tf.image.random_hue: max_delta must be in the interval [0, 0.5], got {max_delta}."
        )
    x = _t(image)
    return adjust_hue(x, _uniform(-max_delta, max_delta, (), seed, x.device))


def random_crop(value, size, seed=None, name: str | None = None) -> torch.Tensor:
    """Randomly crops a tensor to `size` (one uniformly placed window).

    Args:
        value: a tensor of any rank (e.g. one image `(height, width, channels)`).
        size: the crop size, one int per dimension of `value`.
        seed: optional op seed (see `tf.random.set_seed`).
        name: unused.

    Returns:
        A tensor of shape `size`, same dtype.

    Example:
    >>> tf.image.random_crop(tf.ones((8, 8, 3)), [4, 4, 3]).shape
    torch.Size([4, 4, 3])
    """
    del name
    x = _t(value)
    sizes = size.tolist() if isinstance(size, (torch.Tensor, np.ndarray)) else list(size)
    sizes = [_int(s, "size", "random_crop") for s in sizes]
    if len(sizes) != x.dim() or any(s < 0 or s > d for s, d in zip(sizes, x.shape)):
        raise ValueError(
            f"tf.image.random_crop: need value.shape >= size (one size per dimension), got "
            f"value.shape={_shape_str(x.shape)} and size={sizes}."
        )
    limits = torch.tensor([d - s + 1 for d, s in zip(x.shape, sizes)], dtype=torch.float64)
    u = torch.rand(len(sizes), generator=_generator_for(seed, "cpu"), dtype=torch.float64)
    offsets = torch.floor(u * limits).long().minimum(limits.long() - 1).tolist()
    return x[tuple(slice(o, o + s) for o, s in zip(offsets, sizes))]


def per_image_standardization(image) -> torch.Tensor:
    """Scales each image to mean 0 and variance 1: `(x - mean) / max(stddev, 1 / sqrt(N))`.

    Args:
        image: a tensor of rank >= 3 whose last 3 dimensions are one image.

    Returns:
        A float32 tensor of the same shape.

    Example:
    >>> x = tf.image.per_image_standardization(tf.reshape(tf.range(1, 13), (2, 2, 3)))
    >>> round(float(x[0, 0, 0]), 4)
    -1.5933
    """
    x = _at_least_3d(image, "per_image_standardization").to(torch.float32)
    dims = (-3, -2, -1)
    n = x.shape[-3] * x.shape[-2] * x.shape[-1]
    std, mean = torch.std_mean(x, dim=dims, correction=0, keepdim=True)
    return (x - mean) / std.clamp_min(1.0 / _math.sqrt(max(n, 1)))


# ---------------------------------------------------------------- measures


def total_variation(images, name: str | None = None) -> torch.Tensor:
    """Sum of absolute differences between neighbouring pixels (a smoothness measure).

    Args:
        images: 4-D `(batch, height, width, channels)` or 3-D images.
        name: unused.

    Returns:
        One value per image (`(batch,)` for 4-D input, a scalar for 3-D).
        Integer images give exact int64 sums.

    Example:
    >>> tf.image.total_variation(tf.constant([[[0.0], [1.0]], [[1.0], [3.0]]]))
    tensor(6.)
    """
    del name
    x, unbatched = _images(images, "total_variation")
    dtype = x.dtype
    if _is_int_dtype(x.dtype):
        x = x.to(torch.int64)
    tv = (x[:, 1:] - x[:, :-1]).abs().sum(dim=(1, 2, 3)) + (x[:, :, 1:] - x[:, :, :-1]).abs().sum(
        dim=(1, 2, 3)
    )
    if dtype in (torch.int8, torch.int16, torch.int32):
        # TF keeps signed integer dtypes (it refuses unsigned ones; tork sums those in int64).
        tv = tv.to(dtype)
    return tv.squeeze(0) if unbatched else tv


def _pair_for_metric(a, b, max_val, op: str):
    x, y = _t(a), _t(b)
    if x.shape != y.shape:
        raise ValueError(
            f"tf.image.{op}: the two images must have the same shape, got {_shape_str(x.shape)} "
            f"and {_shape_str(y.shape)}."
        )
    if x.dim() < 3:
        raise ValueError(
            f"tf.image.{op} expects images of rank >= 3 (..., height, width, channels), got "
            f"shape {_shape_str(x.shape)}."
        )
    if x.dtype != y.dtype:
        raise TypeError(
            f"tf.image.{op}: the two images must have the same dtype, got "
            f"{dtype_name(x.dtype)} and {dtype_name(y.dtype)}."
        )
    _check_image_dtype(x.dtype, op)
    # max_val is given in the images' units; bring it to float [0, 1] units like the images.
    if _is_int_dtype(x.dtype):
        max_val = float(_scalar_value(max_val)) / torch.iinfo(x.dtype).max
    elif isinstance(max_val, torch.Tensor):
        max_val = max_val.to(device=x.device, dtype=torch.float32)
    else:
        max_val = float(_scalar_value(max_val))
    return convert_image_dtype(x, torch.float32), convert_image_dtype(y, torch.float32), max_val


def psnr(a, b, max_val, name: str | None = None) -> torch.Tensor:
    """Peak signal-to-noise ratio between two batches of images, in dB.

    `20 log10(max_val) - 10 log10(mse)`, with the mean squared error over
    each image's height, width and channels.

    Args:
        a: images `(..., height, width, channels)`.
        b: images of the same shape and dtype.
        max_val: the dynamic range of the images (e.g. 1.0 or 255).
        name: unused.

    Returns:
        A float32 tensor with one value per image (the leading dimensions).

    Example:
    >>> float(tf.image.psnr(tf.zeros((4, 4, 1)), tf.fill((4, 4, 1), 0.1), 1.0))
    20.0
    """
    del name
    x, y, max_val = _pair_for_metric(a, b, max_val, "psnr")
    mse = (x - y).square().mean(dim=(-3, -2, -1))
    log_max = torch.log(torch.as_tensor(max_val, dtype=torch.float32, device=x.device))
    return 20.0 * log_max / _math.log(10.0) - (10.0 / _math.log(10.0)) * torch.log(mse)


@real_constant_cache(maxsize=32)
def _gaussian_window(size: int, sigma: float) -> torch.Tensor:
    coords = torch.arange(size, dtype=torch.float64) - (size - 1) / 2.0
    g = torch.exp(-0.5 * coords.square() / (sigma * sigma))
    g = g / g.sum()
    return torch.outer(g, g)


def ssim(
    img1,
    img2,
    max_val,
    filter_size: int = 11,
    filter_sigma: float = 1.5,
    k1: float = 0.01,
    k2: float = 0.03,
    return_index_map: bool = False,
) -> torch.Tensor:
    """Structural similarity index between two batches of images.

    A Gaussian window (`filter_size`, `filter_sigma`) gives local means,
    variances and covariance (valid positions only);
    `SSIM = (2 mu1 mu2 + c1) (2 cov + c2) / ((mu1^2 + mu2^2 + c1) (var1 + var2 + c2))`
    with `c1 = (k1 max_val)^2`, `c2 = (k2 max_val)^2`, averaged over positions
    and channels.

    Args:
        img1: images `(..., height, width, channels)`, height and width at
            least `filter_size`.
        img2: images of the same shape and dtype.
        max_val: the dynamic range of the images (e.g. 1.0 or 255).
        filter_size: size of the Gaussian window.
        filter_sigma: width of the Gaussian window.
        k1: the luminance stabilizer.
        k2: the contrast stabilizer.
        return_index_map: if True, return the per-position SSIM map (averaged
            over channels) instead of its mean.

    Returns:
        A float32 tensor with one value per image, or `(..., h', w')` maps.

    Example:
    >>> float(tf.image.ssim(tf.ones((16, 16, 1)), tf.ones((16, 16, 1)), 1.0))
    1.0
    """
    x, y, max_val = _pair_for_metric(img1, img2, max_val, "ssim")
    size = _int(filter_size, "filter_size", "ssim")
    h, w, c = x.shape[-3:]
    if h < size or w < size:
        raise ValueError(
            f"tf.image.ssim: the images ({h} x {w}) must be at least filter_size={size} in height "
            "and width; pass a smaller filter_size for small images."
        )
    lead = x.shape[:-3]
    x4 = x.reshape(-1, h, w, c).permute(0, 3, 1, 2)
    y4 = y.reshape(-1, h, w, c).permute(0, 3, 1, 2)
    window = _gaussian_window(size, float(filter_sigma)).to(device=x.device, dtype=torch.float32)
    stacked = torch.cat([x4, y4, x4 * y4, x4 * x4 + y4 * y4], dim=1)
    weight = window.expand(4 * c, 1, size, size)
    mu_x, mu_y, mean_xy, mean_sq = F.conv2d(stacked, weight, groups=4 * c).split(c, dim=1)
    c1 = (k1 * max_val) ** 2
    c2 = (k2 * max_val) ** 2
    num0 = 2.0 * mu_x * mu_y
    den0 = mu_x.square() + mu_y.square()
    luminance = (num0 + c1) / (den0 + c1)
    cs = (2.0 * mean_xy - num0 + c2) / (mean_sq - den0 + c2)
    index = (luminance * cs).permute(0, 2, 3, 1)
    if return_index_map:
        out = index.mean(dim=-1)
        return out.reshape(*lead, *out.shape[1:])
    return index.mean(dim=(1, 2, 3)).reshape(lead)


def image_gradients(image) -> tuple[torch.Tensor, torch.Tensor]:
    """Forward differences `(dy, dx)` of a batch of images, zero on the last row/column.

    Args:
        image: 4-D `(batch, height, width, channels)` images.

    Returns:
        `(dy, dx)`, each of the input's shape: `dy[i, j] = image[i + 1, j] -
        image[i, j]`, `dx[i, j] = image[i, j + 1] - image[i, j]`.

    Example:
    >>> dy, dx = tf.image.image_gradients(tf.reshape(tf.range(4.0), (1, 2, 2, 1)))
    >>> dx[0, :, :, 0]
    tensor([[1., 0.],
            [1., 0.]])
    """
    x = _t(image)
    if x.dim() != 4:
        raise ValueError(
            "tf.image.image_gradients expects a 4-D tensor (batch, height, width, channels), "
            f"got shape {_shape_str(x.shape)}."
        )
    dy = F.pad(x[:, 1:] - x[:, :-1], (0, 0, 0, 0, 0, 1))
    dx = F.pad(x[:, :, 1:] - x[:, :, :-1], (0, 0, 0, 1))
    return dy, dx


def sobel_edges(image) -> torch.Tensor:
    """Sobel edge maps of a batch of images (reflect-padded, same size).

    Args:
        image: 4-D `(batch, height, width, channels)` images.

    Returns:
        `(batch, height, width, channels, 2)`: `[..., 0]` the vertical (dy)
        and `[..., 1]` the horizontal (dx) responses.

    Example:
    >>> tf.image.sobel_edges(tf.ones((1, 4, 4, 3))).shape
    torch.Size([1, 4, 4, 3, 2])
    """
    x = _t(image)
    if x.dim() != 4:
        raise ValueError(
            "tf.image.sobel_edges expects a 4-D tensor (batch, height, width, channels), got "
            f"shape {_shape_str(x.shape)}."
        )
    if not x.is_floating_point():
        x = x.to(torch.float32)
    b, h, w, c = x.shape
    ky = torch.tensor([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=x.dtype, device=x.device)
    weight = torch.stack([ky, ky.T]).unsqueeze(1)
    planes = x.permute(0, 3, 1, 2).reshape(b * c, 1, h, w)
    out = F.conv2d(F.pad(planes, (1, 1, 1, 1), mode="reflect"), weight)
    return out.reshape(b, c, 2, h, w).permute(0, 3, 4, 1, 2)


def _quad(values, what: str) -> tuple[int, int]:
    v = list(values.tolist() if isinstance(values, torch.Tensor) else values)
    if len(v) != 4 or int(v[0]) != 1 or int(v[3]) != 1 or min(int(v[1]), int(v[2])) < 1:
        raise ValueError(
            f"tf.image.extract_patches: `{what}` must be [1, rows, cols, 1] with positive rows "
            f"and cols, got {values!r}."
        )
    return int(v[1]), int(v[2])


def extract_patches(images, sizes, strides, rates, padding, name: str | None = None):
    """Extracts patches from images and puts them in the channels dimension.

    Args:
        images: 4-D `(batch, height, width, depth)` images.
        sizes: `[1, size_rows, size_cols, 1]`, the patch size.
        strides: `[1, stride_rows, stride_cols, 1]`, distance between patch starts.
        rates: `[1, rate_rows, rate_cols, 1]`, the dilation inside a patch.
        padding: `'VALID'` (only whole patches) or `'SAME'` (zero padding so that
            the output has `ceil(size / stride)` patches per dimension).
        name: unused.

    Returns:
        `(batch, out_rows, out_cols, size_rows * size_cols * depth)`, each patch
        flattened in (row, column, depth) order.

    Example:
    >>> x = tf.reshape(tf.range(16.0), (1, 4, 4, 1))
    >>> tf.image.extract_patches(x, [1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID").shape
    torch.Size([1, 2, 2, 4])
    """
    del name
    x = _t(images)
    if x.dim() != 4:
        raise ValueError(
            "tf.image.extract_patches expects a 4-D tensor (batch, height, width, depth), got "
            f"shape {_shape_str(x.shape)}."
        )
    kr, kc = _quad(sizes, "sizes")
    sr, sc = _quad(strides, "strides")
    rr, rc = _quad(rates, "rates")
    pad = str(padding).upper()
    if pad not in ("VALID", "SAME"):
        raise ValueError(
            f"tf.image.extract_patches: padding must be 'VALID' or 'SAME', got {padding!r}."
        )
    er, ec = (kr - 1) * rr + 1, (kc - 1) * rc + 1
    h, w = x.shape[1], x.shape[2]
    if pad == "SAME":
        out_r, out_c = -(-h // sr), -(-w // sc)
        pr = max((out_r - 1) * sr + er - h, 0)
        pc = max((out_c - 1) * sc + ec - w, 0)
        x = F.pad(x, (0, 0, pc // 2, pc - pc // 2, pr // 2, pr - pr // 2))
    elif h < er or w < ec:
        b, d = x.shape[0], x.shape[3]
        return x.new_zeros((b, max(0, (h - er) // sr + 1), max(0, (w - ec) // sc + 1), kr * kc * d))
    patches = x.unfold(1, er, sr).unfold(2, ec, sc)[..., ::rr, ::rc]
    b, out_r, out_c, d = patches.shape[:4]
    return patches.permute(0, 1, 2, 4, 5, 3).reshape(b, out_r, out_c, kr * kc * d)


# ---------------------------------------------------------------- stateless random ops
# Each draw comes from `tf.random.stateless_uniform(seed=...)`: the same seed gives the same
# result on every call, independent of `tf.random.set_seed` (tork's stateless draws are not
# TensorFlow's Philox numbers, so the values differ from TensorFlow's).


def _stateless_draw(low: float, high: float, shape, seed) -> torch.Tensor:
    from tork.ops.random import stateless_uniform

    return stateless_uniform(shape, seed=seed, minval=low, maxval=high, dtype=torch.float32)


def stateless_random_brightness(image, max_delta, seed) -> torch.Tensor:
    """`tf.image.random_brightness` with a stateless seed (same seed, same delta).

    Args:
        image: an image tensor.
        max_delta: a non-negative float; the delta is drawn from `[-max_delta, max_delta)`.
        seed: two ints.

    Returns:
        The adjusted images, same shape and dtype.

    Example:
    >>> a = tf.image.stateless_random_brightness(tf.zeros((2, 2, 3)), 0.2, seed=[1, 2])
    >>> bool((a == tf.image.stateless_random_brightness(tf.zeros((2, 2, 3)), 0.2, [1, 2])).all())
    True
    """
    max_delta = float(_scalar_value(max_delta))
    if max_delta < 0:
        raise ValueError(
            f"tf.image.stateless_random_brightness: max_delta must be non-negative, got {max_delta}."
        )
    x = _t(image)
    return adjust_brightness(x, _stateless_draw(-max_delta, max_delta, [], seed).to(x.device))


def stateless_random_contrast(image, lower, upper, seed) -> torch.Tensor:
    """`tf.image.random_contrast` with a stateless seed.

    Args:
        image: images of rank >= 3.
        lower: lower bound of the factor (>= 0).
        upper: upper bound of the factor (> lower).
        seed: two ints.

    Returns:
        The adjusted images.

    Example:
    >>> tf.image.stateless_random_contrast(tf.zeros((2, 2, 3)), 0.5, 1.5, seed=[1, 2]).shape
    torch.Size([2, 2, 3])
    """
    lower, upper = _check_range(lower, upper, "stateless_random_contrast")
    x = _t(image)
    return adjust_contrast(x, _stateless_draw(lower, upper, [], seed).to(x.device))


def stateless_random_saturation(image, lower, upper, seed=None) -> torch.Tensor:
    """`tf.image.random_saturation` with a stateless seed.

    Args:
        image: RGB images.
        lower: lower bound of the factor (>= 0).
        upper: upper bound of the factor (> lower).
        seed: two ints.

    Returns:
        The adjusted images.

    Example:
    >>> tf.image.stateless_random_saturation(tf.zeros((2, 2, 3)), 0.5, 1.5, seed=[1, 2]).shape
    torch.Size([2, 2, 3])
    """
    lower, upper = _check_range(lower, upper, "stateless_random_saturation")
    x = _t(image)
    return adjust_saturation(x, _stateless_draw(lower, upper, [], seed).to(x.device))


def stateless_random_hue(image, max_delta, seed) -> torch.Tensor:
    """`tf.image.random_hue` with a stateless seed.

    Args:
        image: RGB images.
        max_delta: a float in [0, 0.5].
        seed: two ints.

    Returns:
        The adjusted images.

    Example:
    >>> tf.image.stateless_random_hue(tf.zeros((2, 2, 3)), 0.1, seed=[1, 2]).shape
    torch.Size([2, 2, 3])
    """
    max_delta = float(_scalar_value(max_delta))
    if not 0.0 <= max_delta <= 0.5:
        raise ValueError(
            "tf.image.stateless_random_hue: max_delta must be in the interval [0, 0.5], got "
            f"{max_delta}."
        )
    x = _t(image)
    return adjust_hue(x, _stateless_draw(-max_delta, max_delta, [], seed).to(x.device))


def _stateless_flip(image, seed, axis: int, op: str) -> torch.Tensor:
    x = _t(image)
    if x.dim() < 3:
        raise ValueError(
            f"tf.image.{op}: 'image' (shape {_shape_str(x.shape)}) must be at least "
            "three-dimensional."
        )
    x, unbatched = _images(x, op)
    draw = _stateless_draw(0.0, 1.0, [x.shape[0]], seed).to(x.device)
    flip = (draw < 0.5).reshape(-1, 1, 1, 1)
    y = torch.where(flip, x.flip(axis), x)
    return y.squeeze(0) if unbatched else y


def stateless_random_flip_left_right(image, seed) -> torch.Tensor:
    """Flips each image horizontally with probability 1/2, decided by a stateless seed.

    Args:
        image: 4-D `(batch, height, width, channels)` or 3-D images.
        seed: two ints.

    Returns:
        The images, some flipped.

    Example:
    >>> tf.image.stateless_random_flip_left_right(tf.ones((2, 4, 4, 3)), seed=[1, 2]).shape
    torch.Size([2, 4, 4, 3])
    """
    return _stateless_flip(image, seed, 2, "stateless_random_flip_left_right")


def stateless_random_flip_up_down(image, seed) -> torch.Tensor:
    """Flips each image vertically with probability 1/2, decided by a stateless seed.

    Args:
        image: 4-D `(batch, height, width, channels)` or 3-D images.
        seed: two ints.

    Returns:
        The images, some flipped.

    Example:
    >>> tf.image.stateless_random_flip_up_down(tf.ones((2, 4, 4, 3)), seed=[1, 2]).shape
    torch.Size([2, 4, 4, 3])
    """
    return _stateless_flip(image, seed, 1, "stateless_random_flip_up_down")


def stateless_random_crop(value, size, seed, name: str | None = None) -> torch.Tensor:
    """`tf.image.random_crop` with a stateless seed (same seed, same window).

    Args:
        value: a tensor of any rank.
        size: the crop size, one int per dimension of `value`.
        seed: two ints.
        name: unused.

    Returns:
        A tensor of shape `size`, same dtype.

    Example:
    >>> tf.image.stateless_random_crop(tf.ones((8, 8, 3)), [4, 4, 3], seed=[1, 2]).shape
    torch.Size([4, 4, 3])
    """
    del name
    x = _t(value)
    sizes = size.tolist() if isinstance(size, (torch.Tensor, np.ndarray)) else list(size)
    sizes = [_int(s, "size", "stateless_random_crop") for s in sizes]
    if len(sizes) != x.dim() or any(s < 0 or s > d for s, d in zip(sizes, x.shape)):
        raise ValueError(
            "tf.image.stateless_random_crop: need value.shape >= size (one size per dimension), "
            f"got value.shape={_shape_str(x.shape)} and size={sizes}."
        )
    limits = torch.tensor([d - s + 1 for d, s in zip(x.shape, sizes)], dtype=torch.float64)
    u = _stateless_draw(0.0, 1.0, [len(sizes)], seed).cpu().double()
    offsets = torch.floor(u * limits).long().minimum(limits.long() - 1).tolist()
    return x[tuple(slice(o, o + s) for o, s in zip(offsets, sizes))]


def adjust_jpeg_quality(image, jpeg_quality, dct_method="", name: str | None = None):
    """Re-encodes an image as JPEG at `jpeg_quality` and decodes it (Pillow's codec).

    Args:
        image: one 3-D `(height, width, channels)` image, 1 or 3 channels.
        jpeg_quality: an int in [0, 100].
        dct_method: unused.
        name: unused.

    Returns:
        The image after the JPEG round trip, in its dtype.

    Example:
    >>> tf.image.adjust_jpeg_quality(tf.zeros((8, 8, 3)), 75).shape
    torch.Size([8, 8, 3])
    """
    del dct_method, name
    x = _t(image)
    if x.dim() != 3:
        dims = ",".join(str(d) for d in x.shape)
        raise InvalidArgumentError(f"image must be 3-dimensional[{dims}]")
    if x.shape[-1] not in (1, 3):
        dims = ",".join(str(d) for d in x.shape)
        raise InvalidArgumentError(f"image must have 1 or 3 channels, got [{dims}]")
    quality = _int(jpeg_quality, "jpeg_quality", "adjust_jpeg_quality")
    if not 0 <= quality <= 100:
        raise ValueError(
            f"tf.image.adjust_jpeg_quality: jpeg_quality must be in [0, 100], got {quality}."
        )
    pixels = convert_image_dtype(x, torch.uint8, saturate=True)
    decoded = decode_jpeg(encode_jpeg(pixels, quality=max(quality, 1)), channels=x.shape[-1])
    return convert_image_dtype(decoded.to(x.device), x.dtype, saturate=True)


def stateless_random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed):
    """Re-encodes an image as JPEG at a quality drawn from `[min, max)` with a stateless seed.

    Args:
        image: one 3-D `(height, width, channels)` image, 1 or 3 channels.
        min_jpeg_quality: lowest quality, in [0, 100].
        max_jpeg_quality: highest quality (excluded), in [0, 100], > min.
        seed: two ints.

    Returns:
        The image after the JPEG round trip, same shape and dtype.

    Example:
    >>> tf.image.stateless_random_jpeg_quality(tf.zeros((8, 8, 3)), 50, 90, seed=[1, 2]).shape
    torch.Size([8, 8, 3])
    """
    lo = _int(min_jpeg_quality, "min_jpeg_quality", "stateless_random_jpeg_quality")
    hi = _int(max_jpeg_quality, "max_jpeg_quality", "stateless_random_jpeg_quality")
    if not (0 <= lo <= 100 and 0 <= hi <= 100):
        raise ValueError("jpeg encoding range must be between 0 and 100.")
    if lo >= hi:
        raise ValueError("`min_jpeg_quality` must be less than `max_jpeg_quality`.")
    from tork.ops.random import stateless_uniform

    quality = int(stateless_uniform([], seed=seed, minval=lo, maxval=hi, dtype=torch.int32))
    return adjust_jpeg_quality(image, quality)


def _ssim_channels(x4, y4, max_val, size: int, sigma: float, k1: float, k2: float):
    """Per-channel SSIM and contrast-structure means of NCHW images (valid windows)."""
    c = x4.shape[1]
    window = _gaussian_window(size, sigma).to(device=x4.device, dtype=torch.float32)
    stacked = torch.cat([x4, y4, x4 * y4, x4 * x4 + y4 * y4], dim=1)
    weight = window.expand(4 * c, 1, size, size)
    mu_x, mu_y, mean_xy, mean_sq = F.conv2d(stacked, weight, groups=4 * c).split(c, dim=1)
    c1 = (k1 * max_val) ** 2
    c2 = (k2 * max_val) ** 2
    num0 = 2.0 * mu_x * mu_y
    den0 = mu_x.square() + mu_y.square()
    luminance = (num0 + c1) / (den0 + c1)
    cs = (2.0 * mean_xy - num0 + c2) / (mean_sq - den0 + c2)
    return (luminance * cs).mean(dim=(2, 3)), cs.mean(dim=(2, 3))


def ssim_multiscale(
    img1,
    img2,
    max_val,
    power_factors=(0.0448, 0.2856, 0.3001, 0.2363, 0.1333),
    filter_size: int = 11,
    filter_sigma: float = 1.5,
    k1: float = 0.01,
    k2: float = 0.03,
) -> torch.Tensor:
    """Multi-scale structural similarity (MS-SSIM, Wang et al. 2003) between two image batches.

    At each of `len(power_factors)` scales (each half the size of the previous:
    odd sizes are padded by repeating the last row/column, then 2x2 average
    pooling) the per-channel contrast-structure term (the SSIM at the last
    scale) is computed as in `tf.image.ssim`; the result is the product of
    these terms, clipped at 0, raised to `power_factors`, averaged over channels.

    Args:
        img1: images `(..., height, width, channels)`; height and width must stay
            at least `filter_size` at the coarsest scale.
        img2: images of the same shape and dtype.
        max_val: the dynamic range of the images (e.g. 1.0 or 255).
        power_factors: the weight of each scale (their number sets the scales).
        filter_size: size of the Gaussian window.
        filter_sigma: width of the Gaussian window.
        k1: the luminance stabilizer.
        k2: the contrast stabilizer.

    Returns:
        A float32 tensor with one value per image (the leading dimensions).

    Example:
    >>> x = tf.ones((1, 176, 176, 1))
    >>> round(float(tf.image.ssim_multiscale(x, x, 1.0)[0]), 4)
    1.0
    """
    x, y, max_val = _pair_for_metric(img1, img2, max_val, "ssim_multiscale")
    size = _int(filter_size, "filter_size", "ssim_multiscale")
    factors = torch.as_tensor(
        [float(_scalar_value(p)) for p in power_factors], dtype=torch.float32, device=x.device
    )
    scales = factors.numel()
    h, w, c = x.shape[-3:]
    smallest = (h >> (scales - 1), w >> (scales - 1))
    if min(-(-h // 2 ** (scales - 1)), -(-w // 2 ** (scales - 1))) < size:
        raise ValueError(
            f"tf.image.ssim_multiscale: the images ({h} x {w}) are too small for "
            f"{scales} scales with filter_size={size}: height and width must be at least "
            f"{size} at the coarsest scale (about {size * 2 ** (scales - 1)} pixels); got "
            f"{smallest[0]} x {smallest[1]} there."
        )
    lead = x.shape[:-3]
    xs = x.reshape(-1, h, w, c).permute(0, 3, 1, 2)
    ys = y.reshape(-1, h, w, c).permute(0, 3, 1, 2)
    terms = []
    for k in range(scales):
        if k > 0:
            # Odd sizes: repeat the last row/column (TF's SYMMETRIC padding by one).
            pad = (0, xs.shape[3] % 2, 0, xs.shape[2] % 2)
            if any(pad):
                xs = F.pad(xs, pad, mode="replicate")
                ys = F.pad(ys, pad, mode="replicate")
            xs = F.avg_pool2d(xs, 2)
            ys = F.avg_pool2d(ys, 2)
        ssim_c, cs_c = _ssim_channels(
            xs, ys, max_val, size, float(filter_sigma), float(k1), float(k2)
        )
        terms.append(torch.relu(cs_c if k < scales - 1 else ssim_c))
    stacked = torch.stack(terms, dim=-1)  # (n, channels, scales)
    ms = torch.prod(stacked**factors, dim=-1)
    return ms.mean(dim=-1).reshape(lead)


def random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed=None):
    """Re-encodes an image as JPEG at a quality drawn uniformly from `[min, max)`.

    Args:
        image: one 3-D `(height, width, channels)` image, 1 or 3 channels.
        min_jpeg_quality: lowest quality, in [0, 100].
        max_jpeg_quality: highest quality (excluded), in [0, 100], > min.
        seed: optional op seed (see `tf.random.set_seed`).

    Returns:
        The image after the JPEG round trip, same shape and dtype.

    Example:
    >>> tf.image.random_jpeg_quality(tf.zeros((8, 8, 3)), 50, 90).shape
    torch.Size([8, 8, 3])
    """
    lo = _int(min_jpeg_quality, "min_jpeg_quality", "random_jpeg_quality")
    hi = _int(max_jpeg_quality, "max_jpeg_quality", "random_jpeg_quality")
    if not (0 <= lo <= 100 and 0 <= hi <= 100):
        raise ValueError("jpeg encoding range must be between 0 and 100.")
    if lo >= hi:
        raise ValueError("`min_jpeg_quality` must be less than `max_jpeg_quality`.")
    quality = int(torch.randint(lo, hi, (), generator=_generator_for(seed, "cpu")))
    return adjust_jpeg_quality(image, quality)
