"""`keras.utils.load_img`, `img_to_array`, `array_to_img`, `save_img` and `smart_resize`."""

from __future__ import annotations

import warnings

import numpy as np

_PIL_MODES = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}
_RESAMPLING = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def aspect_box(height: int, width: int, target_h: int, target_w: int, inside: bool):
    """`(top, left, h, w)`: the centred box with the target's aspect ratio.

    `inside=True`: the largest such box within the image (to crop to), at `(top, left)`
    in the image. `inside=False`: the smallest box around it (to pad to), with the image
    at `(top, left)` in the box. Sizes and offsets are truncated to integers, as Keras's
    `smart_resize` and `load_img(keep_aspect_ratio=True)` compute them (float32 quotients).
    """
    pick = min if inside else max
    box_h = pick(height, int(np.float32(width * target_h) / np.float32(target_w)))
    box_w = pick(width, int(np.float32(height * target_w) / np.float32(target_h)))
    return abs(height - box_h) // 2, abs(width - box_w) // 2, box_h, box_w


def _floatx() -> str:
    from tork.keras import backend

    return backend.floatx()


def _data_format(data_format, where: str) -> str:
    if data_format is None:
        from tork.keras import backend

        return backend.image_data_format()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            f"{where}: data_format must be 'channels_last' or 'channels_first', got "
            f"{data_format!r}."
        )
    return data_format


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
    grayscale: bool = False,
    color_mode: str = "rgb",
    target_size=None,
    interpolation: str = "nearest",
    keep_aspect_ratio: bool = False,
):
    """Loads an image file as a PIL image.

    Args:
        path: the image file (a path, or an `io.BytesIO` holding the file).
        grayscale: deprecated; `True` means `color_mode="grayscale"`.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`. Grayscale keeps 16- and
            32-bit grayscale images (PIL modes `"I;16"` and `"I"`) at full depth.
        target_size: optional `(height, width)` to resize to.
        interpolation: the resampling filter (`"nearest"`, `"bilinear"`,
            `"bicubic"`, `"hamming"`, `"box"`, `"lanczos"`), checked when the
            image is resized.
        keep_aspect_ratio: resize the largest centred box with the target's
            aspect ratio, instead of the whole image.

    Returns:
        A `PIL.Image.Image`.

    Example:
    >>> img = keras.utils.load_img("cat.jpg", target_size=(180, 180))  # doctest: +SKIP
    >>> keras.utils.img_to_array(img).shape
    (180, 180, 3)
    """
    import io
    import pathlib

    if grayscale:
        warnings.warn("grayscale is deprecated. Please use color_mode = 'grayscale'", stacklevel=2)
        color_mode = "grayscale"
    image_module = _pil()
    if color_mode not in _PIL_MODES:
        raise ValueError(
            f"load_img: color_mode must be 'grayscale', 'rgb' or 'rgba', got {color_mode!r}."
        )
    if isinstance(path, io.BytesIO):
        image = image_module.open(path)
    elif isinstance(path, (str, bytes, pathlib.Path)) or hasattr(path, "__fspath__"):
        with open(path, "rb") as f:
            image = image_module.open(io.BytesIO(f.read()))
    else:
        raise TypeError(f"path should be path-like or io.BytesIO, not {type(path)}")
    if color_mode == "grayscale":
        # As Keras: 16- and 32-bit grayscale images keep their depth.
        if image.mode not in ("L", "I;16", "I"):
            image = image.convert("L")
    elif image.mode != _PIL_MODES[color_mode]:
        image = image.convert(_PIL_MODES[color_mode])
    if target_size is not None:
        height, width = (int(s) for s in target_size)
        if image.size != (width, height):
            if interpolation not in _RESAMPLING:
                raise ValueError(
                    f"load_img: interpolation must be one of {', '.join(_RESAMPLING)}, got "
                    f"{interpolation!r}."
                )
            resample = getattr(image_module.Resampling, interpolation.upper())
            box = None
            if keep_aspect_ratio:
                w, h = image.size
                top, left, crop_h, crop_w = aspect_box(h, w, height, width, inside=True)
                # A resize of the box, not of a cropped copy: the resampling filter
                # then also reads the pixels just outside the box, as in Keras.
                box = (left, top, left + crop_w, top + crop_h)
            image = image.resize((width, height), resample, box=box)
    return image


def img_to_array(img, data_format=None, dtype=None) -> np.ndarray:
    """Converts a PIL image to a NumPy array `(height, width, channels)`.

    Args:
        img: a PIL image.
        data_format: `"channels_last"` or `"channels_first"` (default: Keras's
            image data format).
        dtype: the array's dtype (default: floatx).

    Returns:
        The array.

    Example:
    >>> keras.utils.img_to_array(img).dtype  # doctest: +SKIP
    dtype('float32')
    """
    data_format = _data_format(data_format, "img_to_array")
    array = np.asarray(img, dtype=dtype or _floatx())
    if array.ndim == 2:
        array = array[:, :, None]
    if array.ndim != 3:
        raise ValueError(f"img_to_array: unsupported image shape {array.shape}.")
    if data_format == "channels_first":
        array = array.transpose(2, 0, 1)
    return array


def array_to_img(x, data_format=None, scale: bool = True, dtype=None):
    """Converts a `(height, width, channels)` array (or tensor) to a PIL image.

    Args:
        x: the array; 1, 3 or 4 channels.
        data_format: `"channels_last"` or `"channels_first"` (default: Keras's
            image data format).
        scale: rescale the values to [0, 255] first (from their min and max).
        dtype: unused (Keras compatibility).

    Returns:
        A `PIL.Image.Image`.

    Example:
    >>> img = keras.utils.array_to_img(np.zeros((4, 4, 3)))  # doctest: +SKIP
    """
    del dtype
    image_module = _pil()
    data_format = _data_format(data_format, "array_to_img")
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
    if channels == 1 and array.max() > 255:
        # As Keras: one channel above 255 (e.g. 16-bit grayscale) becomes a 32-bit
        # integer image instead of being clipped to 8 bits.
        return image_module.fromarray(array[:, :, 0].astype("int32"), "I")
    # Out-of-range values are clipped (Keras's uint8 cast wraps them around).
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
        file_format in ("jpg", "jpeg") or str(path).lower().endswith((".jpg", ".jpeg"))
    ):
        warnings.warn(
            "The JPG format does not support RGBA images, converting to RGB.", stacklevel=2
        )
        image = image.convert("RGB")
    image.save(path, format=file_format, **kwargs)


def smart_resize(x, size, interpolation: str = "bilinear"):
    """Resizes images to a target size without distorting their aspect ratio.

    The largest centred crop with the target's aspect ratio is taken, then
    resized to `size` with `tf.image.resize`.

    Args:
        x: an image `(height, width, channels)` or a batch of them
            `(batch, height, width, channels)`, as a NumPy array or tensor.
        size: `(height, width)` of the result.
        interpolation: a `tf.image.resize` method (`"bilinear"`, `"nearest"`,
            `"bicubic"`, `"area"`, `"lanczos3"`, `"lanczos5"`, `"gaussian"`,
            `"mitchellcubic"`).

    Returns:
        The resized images: a NumPy array for a NumPy input, else a tensor.

    Example:
    >>> keras.preprocessing.image.smart_resize(np.zeros((340, 500, 3)), (200, 200)).shape
    (200, 200, 3)
    """
    import torch

    from tork.ops import image as tf_image

    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers, but got: {size}.")
    is_numpy = isinstance(x, np.ndarray)
    images = torch.as_tensor(x)
    if not 3 <= images.dim() <= 4:
        raise ValueError(
            "Expected an image array with shape `(height, width, channels)`, or "
            "`(batch_size, height, width, channels)`, but got input with incorrect rank, of "
            f"shape {tuple(images.shape)}."
        )
    height, width = images.shape[-3], images.shape[-2]
    target_h, target_w = (int(s) for s in size)
    top, left, crop_h, crop_w = aspect_box(height, width, target_h, target_w, inside=True)
    images = images[..., top : top + crop_h, left : left + crop_w, :]
    out = tf_image.resize(images, [target_h, target_w], method=interpolation)
    return out.numpy() if is_numpy else out
