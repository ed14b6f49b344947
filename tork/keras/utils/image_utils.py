"""`keras.utils.load_img`, `img_to_array`, `array_to_img`, `save_img` (Pillow images)."""

from __future__ import annotations

import numpy as np

_PIL_MODES = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}
_RESAMPLING = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def aspect_box(height: int, width: int, target_h: int, target_w: int, inside: bool):
    """`(top, left, h, w)`: the centred box with the target's aspect ratio.

    `inside=True`: the largest such box within the image (to crop to), at `(top, left)`
    in the image. `inside=False`: the smallest box around it (to pad to), with the image
    at `(top, left)` in the box.
    """
    pick = min if inside else max
    box_h = pick(height, int(round(width * target_h / target_w)))
    box_w = pick(width, int(round(height * target_w / target_h)))
    return abs(height - box_h) // 2, abs(width - box_w) // 2, box_h, box_w


def _pil():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(
            "keras.utils image helpers read and write images with Pillow: pip install pillow."
        ) from None
    return Image


def load_img(
    path,
    color_mode: str = "rgb",
    target_size=None,
    interpolation: str = "nearest",
    keep_aspect_ratio: bool = False,
):
    """Loads an image file as a PIL image.

    Args:
        path: the image file.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`.
        target_size: optional `(height, width)` to resize to.
        interpolation: the resampling filter (`"nearest"`, `"bilinear"`,
            `"bicubic"`, `"hamming"`, `"box"`, `"lanczos"`).
        keep_aspect_ratio: centre-crop to the target's aspect ratio before
            resizing.

    Returns:
        A `PIL.Image.Image`.

    Example:
    >>> img = keras.utils.load_img("cat.jpg", target_size=(180, 180))  # doctest: +SKIP
    >>> keras.utils.img_to_array(img).shape
    (180, 180, 3)
    """
    image_module = _pil()
    if color_mode not in _PIL_MODES:
        raise ValueError(
            f"load_img: color_mode must be 'grayscale', 'rgb' or 'rgba', got {color_mode!r}."
        )
    if interpolation not in _RESAMPLING:
        raise ValueError(
            f"load_img: interpolation must be one of {', '.join(_RESAMPLING)}, got "
            f"{interpolation!r}."
        )
    with open(path, "rb") as f:
        image = image_module.open(f)
        image.load()
    if image.mode != _PIL_MODES[color_mode]:
        image = image.convert(_PIL_MODES[color_mode])
    if target_size is not None:
        height, width = (int(s) for s in target_size)
        if image.size != (width, height):
            if keep_aspect_ratio:
                w, h = image.size
                top, left, crop_h, crop_w = aspect_box(h, w, height, width, inside=True)
                image = image.crop((left, top, left + crop_w, top + crop_h))
            resample = getattr(image_module.Resampling, interpolation.upper())
            image = image.resize((width, height), resample)
    return image


def img_to_array(img, data_format=None, dtype=None) -> np.ndarray:
    """Converts a PIL image to a NumPy array `(height, width, channels)`.

    Args:
        img: a PIL image.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dtype: the array's dtype (default float32).

    Returns:
        The array.

    Example:
    >>> keras.utils.img_to_array(img).dtype  # doctest: +SKIP
    dtype('float32')
    """
    array = np.asarray(img, dtype=dtype or "float32")
    if array.ndim == 2:
        array = array[:, :, None]
    if array.ndim != 3:
        raise ValueError(f"img_to_array: unsupported image shape {array.shape}.")
    if data_format == "channels_first":
        array = array.transpose(2, 0, 1)
    elif data_format not in (None, "channels_last"):
        raise ValueError(
            f"img_to_array: data_format must be 'channels_last' or 'channels_first', got "
            f"{data_format!r}."
        )
    return array


def array_to_img(x, data_format=None, scale: bool = True, dtype=None):
    """Converts a `(height, width, channels)` array (or tensor) to a PIL image.

    Args:
        x: the array; 1, 3 or 4 channels.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        scale: rescale the values to [0, 255] first (from their min and max).
        dtype: unused (Keras compatibility).

    Returns:
        A `PIL.Image.Image`.

    Example:
    >>> img = keras.utils.array_to_img(np.zeros((4, 4, 3)))  # doctest: +SKIP
    """
    del dtype
    image_module = _pil()
    array = np.asarray(x, dtype="float32")
    if array.ndim != 3:
        raise ValueError(f"array_to_img expects an image array of rank 3, got shape {array.shape}.")
    if data_format == "channels_first":
        array = array.transpose(1, 2, 0)
    if scale:
        array = array - array.min()
        peak = array.max()
        if peak != 0:
            array = array / peak
        array = array * 255
    channels = array.shape[-1]
    modes = {1: "L", 3: "RGB", 4: "RGBA"}
    if channels not in modes:
        raise ValueError(f"array_to_img: unsupported number of channels {channels}.")
    array = np.clip(array, 0, 255).astype("uint8")
    return image_module.fromarray(array[:, :, 0] if channels == 1 else array, modes[channels])


def save_img(path, x, data_format=None, file_format=None, scale: bool = True, **kwargs) -> None:
    """Saves an image array (or tensor) to a file.

    Args:
        path: the file to write.
        x: the image array.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        file_format: optional format name (else from the file extension).
        scale: rescale the values to [0, 255] first.
        **kwargs: passed to `PIL.Image.Image.save`.

    Example:
    >>> keras.utils.save_img("out.png", image_array)  # doctest: +SKIP
    """
    image = array_to_img(x, data_format=data_format, scale=scale)
    if image.mode == "RGBA" and (
        file_format in ("jpg", "jpeg") or str(path).endswith((".jpg", ".jpeg"))
    ):
        image = image.convert("RGB")
    image.save(path, format=file_format, **kwargs)
