"""Image helpers shared by the image preprocessing layers: resizing, affine sampling, layouts.

Everything works on channels-last batches `(batch, height, width, channels)`;
the layers move channels-first inputs and unbatched images into that layout
and back. The semantics are TensorFlow's (what Keras uses):

- Resizing uses half-pixel centers: bilinear equals torch's
  `interpolate(mode='bilinear', align_corners=False)`, nearest equals
  `'nearest-exact'`, and bicubic uses Keys' kernel with a = -0.5 whose taps
  outside the image get weight 0 (the rest renormalized), unlike torch's
  a = -0.75 with clamped taps.
- Affine transforms map each *output* pixel (x, y) to an input point
  `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`, `k = c0 x + c1 y + 1`,
  sampled with bilinear or nearest interpolation; neighbours outside the
  image follow `fill_mode` ('reflect' `dcba|abcd|dcba`, 'wrap' `abcd|abcd`,
  'nearest' `aaaa|abcd|dddd`, 'constant' `kkkk|abcd|kkkk`).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from tork._backend.tensor import convert_to_tensor
from tork.ops.image import _METHODS as _RESIZE_METHODS

# Every `tf.image.resize` method.
INTERPOLATIONS = _RESIZE_METHODS
# Methods only `tf.image.resize` offers; the affine layers (RandomZoom, ...) reject them.
_UNSUPPORTED_INTERPOLATIONS = ("area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")
FILL_MODES = ("reflect", "wrap", "constant", "nearest")


def standardize_data_format(data_format) -> str:
    if data_format is None:
        from tork.keras import backend

        return backend.image_data_format()
    data_format = str(data_format).lower()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            "The `data_format` argument must be one of 'channels_first', 'channels_last'. "
            f"Received: data_format={data_format!r}"
        )
    return data_format


def check_interpolation(interpolation: str, owner: str, allowed=INTERPOLATIONS) -> str:
    if interpolation in _UNSUPPORTED_INTERPOLATIONS and interpolation not in allowed:
        raise NotImplementedError(
            f"tork does not implement `{owner}(interpolation={interpolation!r})` yet; supported: "
            f"{', '.join(repr(i) for i in allowed)}."
        )
    if interpolation not in allowed:
        raise ValueError(
            f"{owner}: invalid interpolation {interpolation!r}; expected one of "
            f"{', '.join(repr(i) for i in allowed)}."
        )
    return interpolation


def check_fill_mode(fill_mode: str, owner: str) -> str:
    if fill_mode not in FILL_MODES:
        raise NotImplementedError(
            f"Unknown `fill_mode` {fill_mode!r} for {owner}. Expected one of {FILL_MODES}."
        )
    return fill_mode


def as_float_images(inputs, dtype: torch.dtype) -> torch.Tensor:
    """Converts image input to a floating tensor of the layer's compute dtype."""
    if not isinstance(inputs, torch.Tensor):
        inputs = convert_to_tensor(inputs)
    if inputs.dtype != dtype:
        inputs = inputs.to(dtype)
    return inputs


def to_nhwc(images: torch.Tensor, data_format: str, where_text: str):
    """(N, H, W, C) view of 3-D/4-D images, and a function restoring the input's layout."""
    if images.ndim not in (3, 4):
        raise ValueError(
            f"{where_text}: expected images of rank 3 (height, width, channels) or 4 (batch, "
            f"height, width, channels), got shape {tuple(images.shape)}."
        )
    unbatched = images.ndim == 3
    x = images.unsqueeze(0) if unbatched else images
    channels_first = data_format == "channels_first"
    if channels_first:
        x = x.permute(0, 2, 3, 1)

    def restore(y: torch.Tensor) -> torch.Tensor:
        if channels_first:
            y = y.permute(0, 3, 1, 2)
        return y.squeeze(0) if unbatched else y

    return x, restore


def crop_box_for_aspect(height: int, width: int, target_height: int, target_width: int):
    """Largest centered window of the target aspect ratio: (top, left, height, width)."""
    crop_height = int(float(width * target_height) / target_width)
    crop_height = max(min(height, crop_height), 1)
    crop_width = int(float(height * target_width) / target_height)
    crop_width = max(min(width, crop_width), 1)
    top = int(float(height - crop_height) / 2)
    left = int(float(width - crop_width) / 2)
    return top, left, crop_height, crop_width


def pad_for_aspect(images: torch.Tensor, target_height: int, target_width: int, fill_value):
    """Pads NHWC images symmetrically to the target aspect ratio with `fill_value`."""
    height, width = images.shape[1], images.shape[2]
    pad_height = max(height, int(float(width * target_height) / target_width))
    pad_width = max(width, int(float(height * target_width) / target_height))
    top = int(float(pad_height - height) / 2)
    left = int(float(pad_width - width) / 2)
    if pad_height == height and pad_width == width:
        return images
    return F.pad(
        images,
        (0, 0, left, pad_width - width - left, top, pad_height - height - top),
        value=float(fill_value),
    )


def _keys_cubic_matrix(n_in: int, n_out: int, dtype, device) -> torch.Tensor:
    """(n_out, n_in) interpolation matrix of TF's half-pixel bicubic resize (Keys, a=-0.5)."""
    a = -0.5
    scale = n_in / n_out
    pos = (torch.arange(n_out, dtype=torch.float64) + 0.5) * scale - 0.5
    base = torch.floor(pos)
    # TF reads the kernel from a 1024-entry table: quantize the fraction the same way.
    frac = torch.round((pos - base) * 1024.0) / 1024.0
    taps = base[:, None] + torch.arange(-1, 3, dtype=torch.float64)[None, :]
    dist = (frac[:, None] - torch.arange(-1, 3, dtype=torch.float64)[None, :]).abs()
    near = ((a + 2) * dist - (a + 3)) * dist * dist + 1
    far = ((a * dist - 5 * a) * dist + 8 * a) * dist - 4 * a
    weights = torch.where(dist <= 1, near, torch.where(dist < 2, far, torch.zeros_like(dist)))
    inside = (taps >= 0) & (taps < n_in)
    weights = weights * inside
    weights = weights / weights.sum(dim=1, keepdim=True)
    index = taps.clamp(0, n_in - 1).long()
    matrix = torch.zeros(n_out, n_in, dtype=torch.float64)
    matrix.scatter_add_(1, index, weights)
    return matrix.to(dtype=dtype, device=device)


def resize(
    images: torch.Tensor,
    height: int,
    width: int,
    interpolation: str = "bilinear",
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    fill_value: float = 0.0,
    antialias: bool = False,
) -> torch.Tensor:
    """Resizes float NHWC images to (height, width) with TF's semantics."""
    if crop_to_aspect_ratio:
        top, left, ch, cw = crop_box_for_aspect(images.shape[1], images.shape[2], height, width)
        images = images[:, top : top + ch, left : left + cw, :]
    elif pad_to_aspect_ratio:
        images = pad_for_aspect(images, height, width, fill_value)
    in_h, in_w = images.shape[1], images.shape[2]
    if (in_h, in_w) == (height, width):
        return images
    if interpolation not in ("bilinear", "nearest", "bicubic") or (
        antialias and interpolation != "nearest"
    ):
        # The other kernels (area, lanczos, ...) and antialiasing are `tf.image.resize`'s,
        # which Keras calls too; tork.ops implements them (it computes in float32).
        from tork.ops.image import resize as tf_resize

        out = tf_resize(images, [height, width], method=interpolation, antialias=antialias)
        return out.to(images.dtype)
    if interpolation == "bicubic":
        mh = _keys_cubic_matrix(in_h, height, images.dtype, images.device)
        mw = _keys_cubic_matrix(in_w, width, images.dtype, images.device)
        return torch.einsum("oh,bhwc,pw->bopc", mh, images, mw)
    x = images.permute(0, 3, 1, 2)
    if interpolation == "nearest":
        y = F.interpolate(x, size=(height, width), mode="nearest-exact")
    else:
        y = F.interpolate(
            x, size=(height, width), mode="bilinear", align_corners=False, antialias=antialias
        )
    return y.permute(0, 2, 3, 1)


def _map_index(index: torch.Tensor, size: int, fill_mode: str):
    """Maps integer pixel indices outside [0, size) by the fill mode; returns (index, inside)."""
    if fill_mode == "reflect":
        period = 2 * size
        r = torch.remainder(index, period)
        return torch.where(r >= size, period - 1 - r, r), None
    if fill_mode == "wrap":
        return torch.remainder(index, size), None
    if fill_mode == "nearest":
        return index.clamp(0, size - 1), None
    inside = (index >= 0) & (index < size)
    return index.clamp(0, size - 1), inside


def _map_coordinate(coord: torch.Tensor, size: int, fill_mode: str) -> torch.Tensor:
    """TensorFlow's mapping of a float input coordinate into [0, size - 1] ('reflect', 'wrap').

    TF maps the coordinate before interpolating, then clamps it. Its 'wrap' counts whole
    periods with `size - 1` but shifts by `size`, so points far outside land on the edge.
    """
    if size <= 1:
        return torch.zeros_like(coord)
    # C++'s static_cast to an integer truncates toward zero.
    trunc = torch.trunc
    if fill_mode == "reflect":
        period = 2 * size
        low = coord < 0
        folded = torch.where(coord < -period, period * trunc(-coord / period) + coord, coord)
        below = torch.where(folded < -size, folded + period, -folded - 1)
        above = coord - period * trunc(coord / period)
        above = torch.where(above >= size, period - above - 1, above)
        mapped = torch.where(low, below, torch.where(coord > size - 1, above, coord))
    else:
        span = size - 1
        below = coord + size * (trunc(-coord / span) + 1)
        above = coord - size * trunc(coord / span)
        mapped = torch.where(coord < 0, below, torch.where(coord > span, above, coord))
    return mapped.clamp(0, size - 1)


def affine_transform(
    images: torch.Tensor,
    transforms: torch.Tensor,
    interpolation: str = "bilinear",
    fill_mode: str = "reflect",
    fill_value: float = 0.0,
) -> torch.Tensor:
    """Applies one projective transform per image (TF's ImageProjectiveTransform semantics).

    Args:
        images: float `(N, H, W, C)`.
        transforms: `(N, 8)` rows `[a0, a1, a2, b0, b1, b2, c0, c1]` mapping
            output points to input points.
        interpolation: `'bilinear'` or `'nearest'`.
        fill_mode: `'reflect'`, `'wrap'`, `'constant'` or `'nearest'`.
        fill_value: value outside the image in `'constant'` mode.

    Returns:
        The transformed images, same shape.
    """
    n, h, w, c = images.shape
    t = transforms.to(device=images.device, dtype=torch.float32)
    ys = torch.arange(h, device=images.device, dtype=torch.float32).view(1, h, 1)
    xs = torch.arange(w, device=images.device, dtype=torch.float32).view(1, 1, w)
    a0, a1, a2, b0, b1, b2, c0, c1 = (t[:, i].view(n, 1, 1) for i in range(8))
    k = c0 * xs + c1 * ys + 1.0
    in_x = (a0 * xs + a1 * ys + a2) / k
    in_y = (b0 * xs + b1 * ys + b2) / k
    if fill_mode in ("reflect", "wrap"):
        in_x = _map_coordinate(in_x, w, fill_mode)
        in_y = _map_coordinate(in_y, h, fill_mode)
        # Mapped into the image: a neighbour past the edge only ever gets weight 0.
        fill_mode = "nearest"
    flat = images.reshape(n, h * w, c)

    def read(iy: torch.Tensor, ix: torch.Tensor) -> torch.Tensor:
        my, inside_y = _map_index(iy, h, fill_mode)
        mx, inside_x = _map_index(ix, w, fill_mode)
        index = (my * w + mx).reshape(n, h * w, 1).expand(n, h * w, c)
        values = torch.gather(flat, 1, index).reshape(n, h, w, c)
        if inside_y is not None:
            inside = (inside_y & inside_x).unsqueeze(-1)
            values = torch.where(inside, values, torch.full_like(values, float(fill_value)))
        return values

    if interpolation == "nearest":
        # std::round: halves away from zero.
        iy = (torch.sign(in_y) * torch.floor(in_y.abs() + 0.5)).long()
        ix = (torch.sign(in_x) * torch.floor(in_x.abs() + 0.5)).long()
        return read(iy, ix)
    y0f, x0f = torch.floor(in_y), torch.floor(in_x)
    wy = (in_y - y0f).unsqueeze(-1).to(images.dtype)
    wx = (in_x - x0f).unsqueeze(-1).to(images.dtype)
    y0, x0 = y0f.long(), x0f.long()
    top = read(y0, x0) * (1 - wx) + read(y0, x0 + 1) * wx
    bottom = read(y0 + 1, x0) * (1 - wx) + read(y0 + 1, x0 + 1) * wx
    return top * (1 - wy) + bottom * wy


def parse_factor(factor, name: str, owner: str, bound: float = 1.0, ordered: bool = False):
    """A Keras augmentation factor: a number f -> (-|f|, |f|); a pair -> (low, high).

    `ordered`: a pair given as (high, low) is an error (Keras 2's RandomRotation and
    RandomTranslation refuse it) rather than reordered.
    """
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(
                f"{owner}: `{name}` must be a number or a list of two numbers in [-{bound}, "
                f"{bound}]. Received: {name}={factor!r}"
            )
        low, high = float(factor[0]), float(factor[1])
    elif isinstance(factor, (int, float)) and not isinstance(factor, bool):
        low, high = -abs(float(factor)), abs(float(factor))
    else:
        raise ValueError(
            f"{owner}: `{name}` must be a number or a list of two numbers in [-{bound}, "
            f"{bound}]. Received: {name}={factor!r}"
        )
    if ordered and high < low:
        raise ValueError(
            f"{owner}: `{name}` cannot have an upper bound less than the lower bound. "
            f"Received: {name}={factor!r}"
        )
    for value in (low, high):
        if abs(value) > bound:
            raise ValueError(
                f"{owner}: `{name}` must be in the range [-{bound}, {bound}]. "
                f"Received: {name}={factor!r}"
            )
    return min(low, high), max(low, high)


class SeededRandom:
    """Draws augmentation parameters on the CPU (from a seeded generator when given).

    Parameters are few, so drawing them on the CPU and moving them costs
    little and makes a seed give the same augmentations on every device.
    """

    def __init__(self, seed):
        self.seed = seed
        self.generator = torch.Generator().manual_seed(int(seed)) if seed is not None else None

    def uniform(self, shape, low: float, high: float) -> torch.Tensor:
        u = torch.rand(shape, generator=self.generator, dtype=torch.float64)
        return low + (high - low) * u

    def integer(self, low: int, high_inclusive: int) -> int:
        return int(
            torch.randint(low, high_inclusive + 1, (), generator=self.generator, dtype=torch.int64)
        )


def rotation_transforms(angles: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Transforms rotating each image by `angles` (radians, counter-clockwise) about its center."""
    cos, sin = torch.cos(angles), torch.sin(angles)
    cx, cy = (width - 1) / 2.0, (height - 1) / 2.0
    zeros = torch.zeros_like(angles)
    return torch.stack(
        [cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy, zeros, zeros],
        dim=1,
    )


def translation_transforms(dx: torch.Tensor, dy: torch.Tensor) -> torch.Tensor:
    """Transforms shifting image content by (dx, dy) pixels (right/down positive)."""
    ones, zeros = torch.ones_like(dx), torch.zeros_like(dx)
    return torch.stack([ones, zeros, -dx, zeros, ones, -dy, zeros, zeros], dim=1)


def zoom_transforms(zx: torch.Tensor, zy: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Transforms sampling a (zx * width, zy * height) window about the center (zoom > 1: out)."""
    cx, cy = (width - 1) / 2.0, (height - 1) / 2.0
    zeros = torch.zeros_like(zx)
    return torch.stack([zx, zeros, cx * (1 - zx), zeros, zy, cy * (1 - zy), zeros, zeros], dim=1)
