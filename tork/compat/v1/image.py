"""`tf.compat.v1.image`: TensorFlow 1's resize, with `align_corners`.

TensorFlow 1 resized without half-pixel centers: output pixel `i` samples input
position `i * in / out`, or `i * (in - 1) / (out - 1)` with `align_corners=True`
(the corner pixels of input and output then coincide). Code from that era
(keras-unet-collection's ASPP block, DeepLab ports) still calls
`tf.compat.v1.image.resize(x, size, method='bilinear', align_corners=True)`.
`tf.image.resize` (TensorFlow 2, half-pixel centers) gives other values, so these
functions sample as TensorFlow 1 did: bilinear, nearest-neighbor and bicubic (Keys'
cubic with a = -0.75, TensorFlow 1's; bubbliiiing's ViT resizes its position embedding
with `tf.image.resize_bicubic`). Area resizing is the same in both versions.
"""

from __future__ import annotations

import numpy as np
import torch

from tork._backend.errors import InvalidArgumentError
from tork.compat.v1 import _v2_names
from tork.ops import image as _image

__all__ = [
    "ResizeMethod",
    "crop_and_resize",
    "extract_image_patches",
    "resize",
    "resize_area",
    "resize_bicubic",
    "resize_bilinear",
    "resize_image_with_crop_or_pad",
    "resize_image_with_pad",
    "resize_images",
    "resize_nearest_neighbor",
    "sample_distorted_bounding_box",
    "transpose_image",
]


class ResizeMethod:
    """TensorFlow 1's resize methods (integers, as in `tf.compat.v1.image.ResizeMethod`)."""

    BILINEAR = 0
    NEAREST_NEIGHBOR = 1
    BICUBIC = 2
    AREA = 3


_NAMES = {0: "bilinear", 1: "nearest", 2: "bicubic", 3: "area"}


def _scale(n_in: int, n_out: int, align_corners: bool) -> np.float32:
    # TensorFlow computes the scale in float32; with one output pixel it falls back to in/out.
    if align_corners and n_out > 1:
        return np.float32(n_in - 1) / np.float32(n_out - 1)
    return np.float32(n_in) / np.float32(n_out)


def _positions(n_in: int, n_out: int, align_corners: bool) -> np.ndarray:
    return np.arange(n_out, dtype=np.float32) * _scale(n_in, n_out, align_corners)


def _nearest(n_in: int, n_out: int, align_corners: bool, device) -> torch.Tensor:
    pos = _positions(n_in, n_out, align_corners)
    # align_corners rounds half away from zero (positions are >= 0); otherwise floors.
    index = np.floor(pos + np.float32(0.5)) if align_corners else np.floor(pos)
    return torch.from_numpy(np.minimum(index, n_in - 1).astype(np.int64)).to(device)


def _linear(n_in: int, n_out: int, align_corners: bool, device):
    pos = _positions(n_in, n_out, align_corners)
    low = np.floor(pos)
    high = np.minimum(low + 1, n_in - 1)
    frac = torch.from_numpy(pos - low).to(device)
    as_index = lambda a: torch.from_numpy(a.astype(np.int64)).to(device)  # noqa: E731
    return as_index(low), as_index(high), frac


# TensorFlow 1's bicubic kernel reads its weights from a table of the cubic at 1024 steps
# per pixel (the fraction is rounded to the nearest step), with Keys' a = -0.75.
_CUBIC_STEPS = 1024
_CUBIC_A = -0.75


def _cubic_weights(frac: np.ndarray) -> np.ndarray:
    """The four weights (float32) of the pixels at offsets -1, 0, 1, 2 from the floor."""
    a = np.float64(_CUBIC_A)
    t = np.round(frac.astype(np.float64) * _CUBIC_STEPS) / _CUBIC_STEPS

    def near(d):  # |d| <= 1
        return ((a + 2) * d - (a + 3)) * d * d + 1

    def far(d):  # 1 < |d| < 2
        return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a

    weights = np.stack([far(t + 1), near(t), near(1 - t), far(2 - t)], axis=-1)
    return weights.astype(np.float32)


def _cubic(x: torch.Tensor, axis: int, n_out: int, align_corners: bool) -> torch.Tensor:
    n_in = x.shape[axis]
    pos = _positions(n_in, n_out, align_corners)
    low = np.floor(pos)
    weights = torch.from_numpy(_cubic_weights(pos - low)).to(x.device)
    out = 0
    for k, offset in enumerate((-1, 0, 1, 2)):
        # Out-of-range neighbours repeat the edge pixel, as TensorFlow 1 clamps them.
        index = np.clip(low + offset, 0, n_in - 1).astype(np.int64)
        shape = [1] * x.dim()
        shape[axis] = n_out
        picked = x.index_select(axis, torch.from_numpy(index).to(x.device))
        out = out + picked * weights[:, k].view(shape)
    return out


def _legacy_resize(x: torch.Tensor, height: int, width: int, method: str, align_corners: bool):
    in_h, in_w = x.shape[1], x.shape[2]
    if method == "bicubic":
        x = _cubic(x.to(torch.float32), 1, height, align_corners)
        return _cubic(x, 2, width, align_corners)
    if method == "nearest":
        x = x.index_select(1, _nearest(in_h, height, align_corners, x.device))
        return x.index_select(2, _nearest(in_w, width, align_corners, x.device))
    x = x.to(torch.float32)
    y0, y1, fy = _linear(in_h, height, align_corners, x.device)
    x0, x1, fx = _linear(in_w, width, align_corners, x.device)
    fy = fy.view(1, -1, 1, 1)
    fx = fx.view(1, 1, -1, 1)
    top, bottom = x.index_select(1, y0), x.index_select(1, y1)
    top_left, top_right = top.index_select(2, x0), top.index_select(2, x1)
    bottom_left, bottom_right = bottom.index_select(2, x0), bottom.index_select(2, x1)
    # The same interpolation steps as TensorFlow's kernel, for the same float32 rounding.
    upper = top_left + (top_right - top_left) * fx
    lower = bottom_left + (bottom_right - bottom_left) * fx
    return upper + (lower - upper) * fy


def resize(
    images,
    size,
    method=ResizeMethod.BILINEAR,
    align_corners: bool = False,
    preserve_aspect_ratio: bool = False,
    name: str | None = None,
) -> torch.Tensor:
    """Resizes images to `size` as TensorFlow 1 did (no half-pixel centers).

    Args:
        images: 4-D `(batch, height, width, channels)` or 3-D `(height, width,
            channels)` images.
        size: `[new_height, new_width]` (positive ints).
        method: `ResizeMethod.BILINEAR` (default), `NEAREST_NEIGHBOR` or `BICUBIC`, or
            their names (`'bilinear'`, `'nearest'`, `'bicubic'`). `AREA` uses
            `tf.image.resize`'s kernel (TensorFlow 1's is the same) and refuses
            `align_corners=True`.
        align_corners: if True, the corner pixels of the input and the output are
            aligned: output pixel `i` samples input position `i * (in - 1) / (out - 1)`.
        preserve_aspect_ratio: if True, resize to the largest size that fits in `size`
            while keeping the aspect ratio.
        name: unused.

    Returns:
        The resized images, 4-D or 3-D like the input: float32, except with the
        nearest-neighbor method, which keeps the input dtype.

    Example:
    >>> x = tf.reshape(tf.range(4.0), (1, 2, 2, 1))
    >>> tf.compat.v1.image.resize(x, [3, 3], align_corners=True)[0, :, :, 0].numpy()
    array([[0. , 0.5, 1. ],
           [1. , 1.5, 2. ],
           [2. , 2.5, 3. ]], dtype=float32)
    """
    del name
    m = _NAMES.get(method, method) if isinstance(method, int) else str(method).lower()
    if m == "nearest_neighbor":
        m = "nearest"
    if m not in ("bilinear", "nearest", "bicubic"):
        if align_corners:
            raise NotImplementedError(
                f"tf.compat.v1.image.resize: tork supports align_corners=True only with the "
                f"bilinear, nearest-neighbor and bicubic methods, got method {method!r}."
            )
        return _image.resize(images, size, method=m, preserve_aspect_ratio=preserve_aspect_ratio)
    x, unbatched, height, width = _image._resize_target(images, size, preserve_aspect_ratio)
    y = _legacy_resize(x, height, width, m, bool(align_corners))
    return y.squeeze(0) if unbatched else y


def resize_images(
    images,
    size,
    method=ResizeMethod.BILINEAR,
    align_corners: bool = False,
    preserve_aspect_ratio: bool = False,
    name: str | None = None,
) -> torch.Tensor:
    """TensorFlow 1's other name of `tf.compat.v1.image.resize`."""
    return resize(images, size, method, align_corners, preserve_aspect_ratio, name)


def _half_pixel(images, size, method: str, align_corners: bool, op: str):
    # TensorFlow's own check, made when the kernel runs.
    if align_corners:
        raise InvalidArgumentError(
            f"tf.compat.v1.image.{op}: If half_pixel_centers is True, align_corners must be "
            "False. Set only one of them to True."
        )
    # Half-pixel centers are TensorFlow 2's sampling: tf.image.resize's kernels.
    return _image.resize(images, size, method=method)


def resize_bilinear(
    images,
    size,
    align_corners: bool = False,
    name: str | None = None,
    half_pixel_centers: bool = False,
):
    """Bilinear `tf.compat.v1.image.resize` (TensorFlow 1 sampling, float32 result).

    With `half_pixel_centers=True` it samples as `tf.image.resize` does (TensorFlow 2).
    """
    if half_pixel_centers:
        return _half_pixel(images, size, "bilinear", align_corners, "resize_bilinear")
    return resize(images, size, ResizeMethod.BILINEAR, align_corners, name=name)


def resize_nearest_neighbor(
    images,
    size,
    align_corners: bool = False,
    name: str | None = None,
    half_pixel_centers: bool = False,
):
    """Nearest-neighbor `tf.compat.v1.image.resize` (TensorFlow 1 sampling, dtype kept).

    With `half_pixel_centers=True` it samples as `tf.image.resize` does (TensorFlow 2).
    """
    if half_pixel_centers:
        return _half_pixel(images, size, "nearest", align_corners, "resize_nearest_neighbor")
    return resize(images, size, ResizeMethod.NEAREST_NEIGHBOR, align_corners, name=name)


def resize_bicubic(
    images,
    size,
    align_corners: bool = False,
    name: str | None = None,
    half_pixel_centers: bool = False,
) -> torch.Tensor:
    """Bicubic `tf.compat.v1.image.resize` (TensorFlow 1 sampling, float32 result).

    With `half_pixel_centers=True` it samples as `tf.image.resize` does (TensorFlow 2).
    """
    if half_pixel_centers:
        return _half_pixel(images, size, "bicubic", align_corners, "resize_bicubic")
    return resize(images, size, ResizeMethod.BICUBIC, align_corners, name=name)


def resize_area(images, size, align_corners: bool = False, name: str | None = None):
    """Area `tf.compat.v1.image.resize`: the same values as `tf.image.resize(method='area')`."""
    return resize(images, size, ResizeMethod.AREA, align_corners, name=name)


def resize_image_with_pad(
    image,
    target_height,
    target_width,
    method=ResizeMethod.BILINEAR,
    align_corners: bool = False,
):
    """TF 1's `resize_image_with_pad`: `tf.image.resize_with_pad` resizing as TF 1 did.

    Args:
        image: 4-D `(batch, height, width, channels)` or 3-D images.
        target_height: the output height.
        target_width: the output width.
        method: a `ResizeMethod` (int) or method name.
        align_corners: TF 1's corner-aligned sampling (see `resize`).

    Returns:
        The resized, zero-padded images.

    Example:
    >>> tf.compat.v1.image.resize_image_with_pad(tf.ones((4, 8, 3)), 8, 8).shape
    torch.Size([8, 8, 3])
    """
    return _image._pad_resize(
        image,
        target_height,
        target_width,
        lambda x, h, w: resize(x, [h, w], method, align_corners),
        "resize_image_with_pad",
    )


def resize_image_with_crop_or_pad(image, target_height, target_width):
    """TF 1's name of `tf.image.resize_with_crop_or_pad`.

    Args:
        image: 4-D or 3-D images.
        target_height: the output height.
        target_width: the output width.

    Returns:
        The centrally cropped or zero-padded images.
    """
    return _image.resize_with_crop_or_pad(image, target_height, target_width)


def transpose_image(image):
    """TF 1's name of `tf.image.transpose` (swaps height and width).

    Args:
        image: 4-D or 3-D images.

    Returns:
        The transposed images.
    """
    return _image.transpose(image)


def extract_image_patches(
    images, ksizes=None, strides=None, rates=None, padding=None, name=None, sizes=None
):
    """TF 1's `extract_image_patches(images, ksizes, strides, rates, padding)`.

    Args:
        images: `(batch, height, width, channels)` images.
        ksizes: the patch size `[1, h, w, 1]` (`sizes` is TF 2's name).
        strides: `[1, sh, sw, 1]`.
        rates: `[1, rh, rw, 1]` dilation.
        padding: `"SAME"` or `"VALID"`.
        name: unused.
        sizes: TF 2's name of `ksizes`.

    Returns:
        `(batch, out_h, out_w, h * w * channels)` patches.
    """
    if (ksizes is None) == (sizes is None):
        raise ValueError(
            "tf.compat.v1.image.extract_image_patches: give `ksizes` (or TF 2's `sizes`), "
            "exactly one of them."
        )
    size = ksizes if sizes is None else sizes
    return _image.extract_patches(images, size, strides, rates, padding, name)


def crop_and_resize(
    image,
    boxes,
    box_ind=None,
    crop_size=None,
    method="bilinear",
    extrapolation_value=0,
    name=None,
    box_indices=None,
):
    """TF 1's `crop_and_resize(image, boxes, box_ind, crop_size)` (`box_ind` is TF 2's
    `box_indices`).

    Args:
        image: `(batch, height, width, channels)` images.
        boxes: `(num_boxes, 4)` normalized `[y1, x1, y2, x2]` boxes.
        box_ind: `(num_boxes,)` image index of each box.
        crop_size: `[crop_height, crop_width]`.
        method: `"bilinear"` or `"nearest"`.
        extrapolation_value: the value of samples outside the image.
        name: unused.
        box_indices: TF 2's name of `box_ind`.

    Returns:
        `(num_boxes, crop_height, crop_width, channels)` float32 crops.
    """
    if (box_ind is None) == (box_indices is None):
        raise ValueError(
            "tf.compat.v1.image.crop_and_resize: give `box_ind` (or TF 2's `box_indices`), "
            "exactly one of them."
        )
    index = box_ind if box_indices is None else box_indices
    return _image.crop_and_resize(image, boxes, index, crop_size, method, extrapolation_value, name)


def sample_distorted_bounding_box(
    image_size,
    bounding_boxes,
    seed=None,
    seed2=None,
    min_object_covered=0.1,
    aspect_ratio_range=None,
    area_range=None,
    max_attempts=None,
    use_image_if_no_bounding_boxes=None,
    name=None,
):
    """TF 1's `sample_distorted_bounding_box` (`seed2` fourth, `min_object_covered` fifth).

    Args:
        image_size: `[height, width, channels]`.
        bounding_boxes: `(batch, N, 4)` normalized boxes.
        seed: the op seed (`seed2` is folded in, as TF 1's two seeds).
        seed2: TF 1's second seed.
        min_object_covered: the fraction of a box the crop must cover.
        aspect_ratio_range: allowed crop aspect ratios.
        area_range: allowed crop areas (fractions of the image).
        max_attempts: how many crops to try.
        use_image_if_no_bounding_boxes: use the whole image when no box is given.
        name: unused.

    Returns:
        `(begin, size, bboxes)` as `tf.image.sample_distorted_bounding_box`.
    """
    from tork.ops import _image_boxes

    combined = (int(seed or 0) * 1000003 + int(seed2 or 0)) if seed2 else seed
    return _image_boxes.sample_distorted_bounding_box(
        image_size,
        bounding_boxes,
        0 if combined is None else combined,
        min_object_covered,
        aspect_ratio_range,
        area_range,
        max_attempts,
        use_image_if_no_bounding_boxes,
        name,
    )


def _no_attribute(name: str):
    raise AttributeError(f"module 'tf.compat.v1.image' has no attribute '{name}'")


# `tf.compat.v1.image.flip_left_right`...: TF 2's tf.image (only resizing differs).
__getattr__ = _v2_names.fallback_getattr(globals(), "tork.ops.image", _no_attribute)
