"""`tf.keras.preprocessing.image` (Keras 2): `ImageDataGenerator` and its iterators.

The legacy augmentation API works on NumPy arrays, one image at a time, and draws its
random numbers from NumPy's global generator (so `np.random.seed` and the `seed`
arguments reproduce runs as in Keras). The iterators are `keras.utils.PyDataset`s, so
`model.fit(datagen.flow(x, y), ...)` and `model.fit(datagen.flow_from_directory(...))`
work directly.

Geometry follows Keras 2.9+ (`apply_affine_transform`'s `tx` moves the image along its
width, positive `theta` turns it counter-clockwise on screen, and pixels are resampled as
`scipy.ndimage.affine_transform` does, without needing SciPy for `order` 0 and 1). Two
deliberate departures from Keras bugs: `ImageDataGenerator`'s `height_shift_range` shifts
images vertically and `width_shift_range` horizontally (as documented; Keras 2.9+ swaps
them; tork draws them into `ty` and `tx`, so `apply_transform(x, {"tx": 10})` moves the
image sideways as in Keras), and rotations and zooms turn about the true centre of non-square images.
"""

from __future__ import annotations

import operator
import os
import threading
import warnings

import numpy as np

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras import backend as _keras_backend
from tork.keras.utils.image_utils import (
    array_to_img,
    img_to_array,
    load_img,
    save_img,
    smart_resize,
)
from tork.keras.utils.sequence import PyDataset

__all__ = [
    "DataFrameIterator",
    "DirectoryIterator",
    "ImageDataGenerator",
    "Iterator",
    "NumpyArrayIterator",
    "apply_affine_transform",
    "apply_brightness_shift",
    "apply_channel_shift",
    "array_to_img",
    "img_to_array",
    "load_img",
    "random_brightness",
    "random_channel_shift",
    "random_rotation",
    "random_shear",
    "random_shift",
    "random_zoom",
    "save_img",
    "smart_resize",
]

_FILL_MODES = ("constant", "nearest", "reflect", "wrap")
_COLOR_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}
_CLASS_MODES = ("categorical", "binary", "sparse", "input", None)
_SUBSETS = ("training", "validation")


# ---------------------------------------------------------------------------------------------
# Resampling (scipy.ndimage.affine_transform semantics for order 0 and 1)
# ---------------------------------------------------------------------------------------------


def _check_fill_mode(fill_mode, where: str) -> None:
    if fill_mode not in _FILL_MODES:
        raise ValueError(
            f"{where}: fill_mode must be one of 'constant', 'nearest', 'reflect', 'wrap', "
            f"got {fill_mode!r}."
        )


def _check_order(order, where: str) -> int:
    if isinstance(order, bool) or not isinstance(order, (int, np.integer)) or not 0 <= order <= 5:
        raise ValueError(
            f"{where}: the interpolation order must be an integer from 0 to 5 (0: nearest, "
            f"1: bilinear, 2-5: splines), got {order!r}."
        )
    return int(order)


def _map_coordinates(u: np.ndarray, n: int, mode: str):
    """Folds input coordinates into `[0, n - 1]` the way `scipy.ndimage` does for `mode`.

    Returns `(u, outside)`; `outside` marks the points `constant` mode fills with `cval`.
    `wrap` is SciPy's legacy wrap, whose period is `n - 1` (the edges overlap), and
    `reflect` mirrors about the pixel edges (`d c b a | a b c d | d c b a`).
    """
    if mode == "constant":
        return u, (u < 0) | (u > n - 1)
    if n == 1:
        return np.zeros_like(u), None
    if mode == "nearest":
        return np.clip(u, 0, n - 1), None
    if mode == "wrap":
        period = n - 1
        u = np.where(u < 0, u + period * (np.trunc(-u / period) + 1), u)
        u = np.where(u > n - 1, u - period * np.trunc(u / period), u)
        return u, None
    period = 2 * n  # reflect
    low = u < 0
    folded = np.where(u < -period, u + period * np.trunc(-u / period), u)
    folded = np.where(folded < -n, folded + period, np.where(folded > -1e-15, 1e-15, -folded) - 1)
    high = u > n - 1
    wrapped = u - period * np.trunc(u / period)
    wrapped = np.where(wrapped >= n, period - wrapped - 1, wrapped)
    return np.where(low, folded, np.where(high, wrapped, u)), None


def _warp(image: np.ndarray, matrix: np.ndarray, offset: np.ndarray, order, mode, cval):
    """Resamples an `(rows, cols, channels)` image: `out[p] = image[matrix @ p + offset]`."""
    if order > 1:
        return _warp_spline(image, matrix, offset, order, mode, cval)
    height, width = image.shape[:2]
    rows = np.arange(height, dtype=np.float64)[:, None]
    cols = np.arange(width, dtype=np.float64)[None, :]
    r = offset[0] + matrix[0, 0] * rows + matrix[0, 1] * cols
    c = offset[1] + matrix[1, 0] * rows + matrix[1, 1] * cols
    r, r_out = _map_coordinates(r, height, mode)
    c, c_out = _map_coordinates(c, width, mode)
    if order == 0:
        ri = np.clip(np.floor(r + 0.5), 0, height - 1).astype(np.intp)
        ci = np.clip(np.floor(c + 0.5), 0, width - 1).astype(np.intp)
        out = image[ri, ci].astype(np.float64)
    else:
        r0, c0 = np.floor(r), np.floor(c)
        fr, fc = (r - r0)[..., None], (c - c0)[..., None]
        # Only the first neighbour can fall one step outside after folding, and it then
        # has the weight of an edge pixel, so clamping the indices is exact.
        r0 = r0.astype(np.intp)
        c0 = c0.astype(np.intp)
        r1 = np.clip(r0 + 1, 0, height - 1)
        c1 = np.clip(c0 + 1, 0, width - 1)
        r0 = np.clip(r0, 0, height - 1)
        c0 = np.clip(c0, 0, width - 1)
        top = image[r0, c0] * (1 - fc) + image[r0, c1] * fc
        bottom = image[r1, c0] * (1 - fc) + image[r1, c1] * fc
        out = top * (1 - fr) + bottom * fr
    if r_out is not None:
        out[r_out | c_out] = cval
    return _cast_like(out, image.dtype)


def _warp_spline(image, matrix, offset, order, mode, cval):
    try:
        from scipy import ndimage
    except ImportError:
        raise ImportError(
            f"Interpolation order {order} needs SciPy (pip install scipy); orders 0 "
            "(nearest) and 1 (bilinear) work without it."
        ) from None
    channels = [
        ndimage.affine_transform(image[..., k], matrix, offset, order=order, mode=mode, cval=cval)
        for k in range(image.shape[-1])
    ]
    return np.stack(channels, axis=-1)


def _cast_like(values: np.ndarray, dtype) -> np.ndarray:
    dtype = np.dtype(dtype)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        values = np.clip(np.rint(values), info.min, info.max)
    return values.astype(dtype, copy=False)


def _affine_matrix(theta, tx, ty, shear, zx, zy):
    """The 3x3 output-to-input map in `(x, y)` = `(col, row)` coordinates, or None."""
    matrix = None

    def compose(m, step):
        return step if m is None else m @ step

    if theta != 0:
        t = np.deg2rad(theta)
        matrix = np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]])
    if tx != 0 or ty != 0:
        matrix = compose(matrix, np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]], dtype=float))
    if shear != 0:
        s = np.deg2rad(shear)
        matrix = compose(matrix, np.array([[1, -np.sin(s), 0], [0, np.cos(s), 0], [0, 0, 1]]))
    if zx != 1 or zy != 1:
        matrix = compose(matrix, np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]], dtype=float))
    return matrix


def apply_affine_transform(
    x,
    theta=0,
    tx=0,
    ty=0,
    shear=0,
    zx=1,
    zy=1,
    row_axis: int = 1,
    col_axis: int = 2,
    channel_axis: int = 0,
    fill_mode: str = "nearest",
    cval: float = 0.0,
    order: int = 1,
):
    """Applies an affine transformation specified by the parameters given.

    The transform maps each output pixel to the input position it samples, about the
    image centre: zoom, then shear, then shift, then rotation.

    Args:
        x: 3D NumPy array, a 2D image with one or more channels.
        theta: rotation angle in degrees (counter-clockwise on screen).
        tx: width shift in pixels (the image moves left for positive values).
        ty: height shift in pixels (the image moves up for positive values).
        shear: shear angle in degrees.
        zx: zoom along the width (values above 1 shrink the content).
        zy: zoom along the height.
        row_axis: index of the rows axis in `x`.
        col_axis: index of the columns axis in `x`.
        channel_axis: index of the channels axis in `x`.
        fill_mode: how points outside the input are filled: `"constant"`,
            `"nearest"`, `"reflect"` or `"wrap"` (as in `scipy.ndimage`).
        cval: the value used outside the input when `fill_mode="constant"`.
        order: interpolation order (0: nearest, 1: bilinear; 2-5 need SciPy).

    Returns:
        The transformed image, with `x`'s shape and dtype.

    Example:
    >>> img = np.arange(16.0).reshape(4, 4, 1)
    >>> out = apply_affine_transform(img, theta=90, row_axis=0, col_axis=1, channel_axis=2)
    >>> np.allclose(out[..., 0], np.rot90(img[..., 0]))
    True
    """
    x = np.asarray(x)
    axes = (row_axis, col_axis, channel_axis)
    if len(set(axes)) != 3 or set(axes) != {0, 1, 2}:
        raise ValueError(
            "apply_affine_transform: row_axis, col_axis and channel_axis must be 0, 1 and 2 "
            f"in some order, got row_axis={row_axis}, col_axis={col_axis}, "
            f"channel_axis={channel_axis}."
        )
    if x.ndim != 3:
        raise ValueError(
            "apply_affine_transform expects a single image of rank 3 (rows, cols and "
            f"channels), got shape {x.shape}. Add a channels axis to a 2D image."
        )
    _check_fill_mode(fill_mode, "apply_affine_transform")
    order = _check_order(order, "apply_affine_transform")
    matrix = _affine_matrix(theta, tx, ty, shear, zx, zy)
    if matrix is None:
        return x
    height, width = x.shape[row_axis], x.shape[col_axis]
    center = np.array([[1, 0, (width - 1) / 2], [0, 1, (height - 1) / 2], [0, 0, 1]])
    uncenter = np.array([[1, 0, -(width - 1) / 2], [0, 1, -(height - 1) / 2], [0, 0, 1]])
    matrix = center @ matrix @ uncenter
    # (x, y) -> (row, col): swap both the coordinates and the matrix rows.
    swap = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1]], dtype=float)
    matrix = swap @ matrix @ swap
    image = np.transpose(x, axes)
    out = _warp(image, matrix[:2, :2], matrix[:2, 2], order, fill_mode, cval)
    return np.transpose(out, np.argsort(axes))


# ---------------------------------------------------------------------------------------------
# Random transforms on single images
# ---------------------------------------------------------------------------------------------


def random_rotation(
    x,
    rg,
    row_axis: int = 1,
    col_axis: int = 2,
    channel_axis: int = 0,
    fill_mode: str = "nearest",
    cval: float = 0.0,
    interpolation_order: int = 1,
):
    """Rotates an image by a random angle drawn uniformly from `[-rg, rg]` degrees.

    Args:
        x: 3D NumPy array, a single image.
        rg: rotation range in degrees.
        row_axis: index of the rows axis in `x`.
        col_axis: index of the columns axis in `x`.
        channel_axis: index of the channels axis in `x`.
        fill_mode: `"constant"`, `"nearest"`, `"reflect"` or `"wrap"`.
        cval: fill value for `fill_mode="constant"`.
        interpolation_order: 0 (nearest) or 1 (bilinear); 2-5 need SciPy.

    Returns:
        The rotated image.

    Example:
    >>> out = random_rotation(np.zeros((3, 8, 8)), 30)
    >>> out.shape
    (3, 8, 8)
    """
    theta = np.random.uniform(-rg, rg)
    return apply_affine_transform(
        x,
        theta=theta,
        row_axis=row_axis,
        col_axis=col_axis,
        channel_axis=channel_axis,
        fill_mode=fill_mode,
        cval=cval,
        order=interpolation_order,
    )


def random_shift(
    x,
    wrg,
    hrg,
    row_axis: int = 1,
    col_axis: int = 2,
    channel_axis: int = 0,
    fill_mode: str = "nearest",
    cval: float = 0.0,
    interpolation_order: int = 1,
):
    """Shifts an image by a random fraction of its width and height.

    Args:
        x: 3D NumPy array, a single image.
        wrg: width shift range, as a fraction of the width.
        hrg: height shift range, as a fraction of the height.
        row_axis: index of the rows axis in `x`.
        col_axis: index of the columns axis in `x`.
        channel_axis: index of the channels axis in `x`.
        fill_mode: `"constant"`, `"nearest"`, `"reflect"` or `"wrap"`.
        cval: fill value for `fill_mode="constant"`.
        interpolation_order: 0 (nearest) or 1 (bilinear); 2-5 need SciPy.

    Returns:
        The shifted image.

    Example:
    >>> out = random_shift(np.zeros((3, 8, 8)), 0.1, 0.1)
    >>> out.shape
    (3, 8, 8)
    """
    x = np.asarray(x)
    height, width = x.shape[row_axis], x.shape[col_axis]
    # Keras draws the height shift first; keep that order so seeds give the same draws.
    vertical = np.random.uniform(-hrg, hrg) * height
    horizontal = np.random.uniform(-wrg, wrg) * width
    return apply_affine_transform(
        x,
        tx=horizontal,
        ty=vertical,
        row_axis=row_axis,
        col_axis=col_axis,
        channel_axis=channel_axis,
        fill_mode=fill_mode,
        cval=cval,
        order=interpolation_order,
    )


def random_shear(
    x,
    intensity,
    row_axis: int = 1,
    col_axis: int = 2,
    channel_axis: int = 0,
    fill_mode: str = "nearest",
    cval: float = 0.0,
    interpolation_order: int = 1,
):
    """Shears an image by a random angle drawn from `[-intensity, intensity]` degrees.

    Args:
        x: 3D NumPy array, a single image.
        intensity: shear range in degrees.
        row_axis: index of the rows axis in `x`.
        col_axis: index of the columns axis in `x`.
        channel_axis: index of the channels axis in `x`.
        fill_mode: `"constant"`, `"nearest"`, `"reflect"` or `"wrap"`.
        cval: fill value for `fill_mode="constant"`.
        interpolation_order: 0 (nearest) or 1 (bilinear); 2-5 need SciPy.

    Returns:
        The sheared image.

    Example:
    >>> out = random_shear(np.zeros((3, 8, 8)), 20)
    >>> out.shape
    (3, 8, 8)
    """
    shear = np.random.uniform(-intensity, intensity)
    return apply_affine_transform(
        x,
        shear=shear,
        row_axis=row_axis,
        col_axis=col_axis,
        channel_axis=channel_axis,
        fill_mode=fill_mode,
        cval=cval,
        order=interpolation_order,
    )


def _check_pair(value, name: str, where: str):
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
        raise ValueError(
            f"{where}: `{name}` should be a tuple or list of two floats, got {value!r}."
        )
    return value


def random_zoom(
    x,
    zoom_range,
    row_axis: int = 1,
    col_axis: int = 2,
    channel_axis: int = 0,
    fill_mode: str = "nearest",
    cval: float = 0.0,
    interpolation_order: int = 1,
):
    """Zooms an image by random factors drawn from `zoom_range` for each axis.

    Args:
        x: 3D NumPy array, a single image.
        zoom_range: `(lower, upper)` zoom factors (below 1 enlarges the content).
        row_axis: index of the rows axis in `x`.
        col_axis: index of the columns axis in `x`.
        channel_axis: index of the channels axis in `x`.
        fill_mode: `"constant"`, `"nearest"`, `"reflect"` or `"wrap"`.
        cval: fill value for `fill_mode="constant"`.
        interpolation_order: 0 (nearest) or 1 (bilinear); 2-5 need SciPy.

    Returns:
        The zoomed image.

    Example:
    >>> out = random_zoom(np.zeros((3, 8, 8)), (0.8, 1.2))
    >>> out.shape
    (3, 8, 8)
    """
    _check_pair(zoom_range, "zoom_range", "random_zoom")
    if zoom_range[0] == 1 and zoom_range[1] == 1:
        zx, zy = 1, 1
    else:
        zx, zy = np.random.uniform(zoom_range[0], zoom_range[1], 2)
    return apply_affine_transform(
        x,
        zx=zx,
        zy=zy,
        row_axis=row_axis,
        col_axis=col_axis,
        channel_axis=channel_axis,
        fill_mode=fill_mode,
        cval=cval,
        order=interpolation_order,
    )


def apply_channel_shift(x, intensity, channel_axis: int = 0):
    """Adds `intensity` to every channel, clipped to the image's original value range.

    Args:
        x: 3D NumPy array, a single image.
        intensity: the value added to each channel.
        channel_axis: index of the channels axis in `x`.

    Returns:
        The shifted image.

    Example:
    >>> apply_channel_shift(np.array([[[0.0, 10.0]]]), 3.0, channel_axis=2)
    array([[[ 3., 10.]]])
    """
    x = np.asarray(x)
    if x.ndim != 3 or not -3 <= channel_axis < 3:
        raise ValueError(
            f"apply_channel_shift expects a 3D image and a channel_axis in it, got shape "
            f"{x.shape} and channel_axis={channel_axis}."
        )
    # Every channel gets the same shift and the same clip range (the whole image's).
    return np.clip(x + intensity, np.min(x), np.max(x))


def random_channel_shift(x, intensity_range, channel_axis: int = 0):
    """Shifts all channels by a random value drawn from `[-intensity_range, intensity_range]`.

    Args:
        x: 3D NumPy array, a single image.
        intensity_range: the shift range.
        channel_axis: index of the channels axis in `x`.

    Returns:
        The shifted image.

    Example:
    >>> random_channel_shift(np.zeros((3, 4, 4)), 20.0).shape
    (3, 4, 4)
    """
    intensity = np.random.uniform(-intensity_range, intensity_range)
    return apply_channel_shift(x, intensity, channel_axis=channel_axis)


def _brightness(x: np.ndarray, brightness, scale: bool, channel_axis: int) -> np.ndarray:
    x = np.asarray(x)
    x_min, x_max = float(np.min(x)), float(np.max(x))
    local_scale = x_min < 0 or x_max > 255
    values = np.moveaxis(x, channel_axis, -1).astype(np.float32)
    if local_scale or scale:
        values = values - x_min
        if x_max - x_min != 0:
            values = values / (x_max - x_min)
        values = values * 255
    # Pillow's ImageEnhance.Brightness on 8-bit pixels: truncated float32 products,
    # clipped to [0, 255]; an alpha channel is kept.
    pixels = np.clip(values, 0, 255).astype(np.uint8).astype(np.float32)
    out = np.clip(np.floor(pixels * np.float32(brightness)), 0, 255)
    if out.shape[-1] == 4:
        out[..., 3] = pixels[..., 3]
    if not scale and local_scale:
        out = out / 255 * (x_max - x_min) + x_min
    return np.moveaxis(out.astype(np.float32), -1, channel_axis)


def apply_brightness_shift(x, brightness, scale: bool = True):
    """Changes the brightness of a channels-last image, like Pillow's `ImageEnhance.Brightness`.

    The image is taken to 8-bit pixels (rescaled to [0, 255] first when `scale` is True
    or its values fall outside that range), multiplied by `brightness`, truncated and
    clipped to [0, 255].

    Args:
        x: 3D NumPy array, a single channels-last image.
        brightness: the brightness factor (1 keeps the image, 0 makes it black).
        scale: whether to rescale the image so its minimum and maximum are 0 and 255.

    Returns:
        The float32 image.

    Example:
    >>> apply_brightness_shift(np.full((1, 1, 3), 100.0), 0.5, scale=False)[0, 0]
    array([50., 50., 50.], dtype=float32)
    """
    return _brightness(x, brightness, scale, -1)


def random_brightness(x, brightness_range, scale: bool = True):
    """Changes the brightness of an image by a random factor from `brightness_range`.

    Args:
        x: 3D NumPy array, a single channels-last image.
        brightness_range: `(lower, upper)` brightness factors.
        scale: whether to rescale the image so its minimum and maximum are 0 and 255.

    Returns:
        The float32 image.

    Example:
    >>> random_brightness(np.full((2, 2, 3), 100.0), (0.5, 1.5)).shape
    (2, 2, 3)
    """
    _check_pair(brightness_range, "brightness_range", "random_brightness")
    u = np.random.uniform(brightness_range[0], brightness_range[1])
    return apply_brightness_shift(x, u, scale)


# ---------------------------------------------------------------------------------------------
# Iterators
# ---------------------------------------------------------------------------------------------


def _numpy_dtype(dtype) -> str:
    """A NumPy dtype name from a string, NumPy or torch dtype (None: floatx)."""
    if dtype is None:
        name = _keras_backend.floatx()
        # NumPy has no bfloat16: batches then stay float32 and fit casts them.
        return name if name in ("float16", "float32", "float64") else "float32"
    try:
        return np.dtype(dtype).name
    except TypeError:
        pass
    try:
        return np.dtype(str(dtype).replace("torch.", "")).name
    except TypeError:
        raise ValueError(
            f"ImageDataGenerator: dtype must be a NumPy dtype such as 'float32', got {dtype!r}."
        ) from None


class Iterator(PyDataset):
    """Base class for image data iterators: a `PyDataset` that also works with `next()`.

    Indexing (`it[i]`) serves batch `i` of the current epoch's order; `on_epoch_end`
    draws a new order when `shuffle` is on. `next(it)` loops over the data forever, as
    Keras 2's generators did. Subclasses implement
    `_get_batches_of_transformed_samples(index_array)`.

    Args:
        n: total number of samples.
        batch_size: samples per batch.
        shuffle: whether to shuffle the samples each epoch.
        seed: seed for shuffling and the random transforms.

    Example:
    >>> it = ImageDataGenerator().flow(np.zeros((10, 4, 4, 1)), batch_size=4)
    >>> len(it), it[2].shape
    (3, (2, 4, 4, 1))
    """

    white_list_formats = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")

    def __init__(self, n: int, batch_size: int, shuffle: bool, seed):
        super().__init__()
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
        if batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size}.")
        self.n = int(n)
        self.batch_size = int(batch_size)
        self.seed = seed
        self.shuffle = shuffle
        self.batch_index = 0
        self.total_batches_seen = 0
        self.lock = threading.Lock()
        self.index_array = None
        self.index_generator = self._flow_index()

    def _set_index_array(self) -> None:
        self.index_array = np.arange(self.n)
        if self.shuffle:
            self.index_array = np.random.permutation(self.n)

    def __getitem__(self, idx):
        idx = operator.index(idx)
        length = len(self)
        if idx < 0:
            idx += length
        if not 0 <= idx < length:
            raise ValueError(
                f"Asked to retrieve batch {idx}, but this {type(self).__name__} has "
                f"{length} batches ({self.n} samples, batch_size={self.batch_size})."
            )
        if self.seed is not None:
            np.random.seed(self.seed + self.total_batches_seen)
        self.total_batches_seen += 1
        if self.index_array is None:
            self._set_index_array()
        index_array = self.index_array[self.batch_size * idx : self.batch_size * (idx + 1)]
        return self._get_batches_of_transformed_samples(index_array)

    def __len__(self) -> int:
        return (self.n + self.batch_size - 1) // self.batch_size

    def on_epoch_end(self) -> None:
        """Draws the next epoch's sample order (a new permutation when shuffling)."""
        self._set_index_array()

    def reset(self) -> None:
        """Makes `next()` start again from the first batch."""
        self.batch_index = 0

    def _flow_index(self):
        self.reset()
        while True:
            if self.seed is not None:
                np.random.seed(self.seed + self.total_batches_seen)
            if self.batch_index == 0:
                self._set_index_array()
            current = 0 if self.n == 0 else (self.batch_index * self.batch_size) % self.n
            if self.n > current + self.batch_size:
                self.batch_index += 1
            else:
                self.batch_index = 0
            self.total_batches_seen += 1
            yield self.index_array[current : current + self.batch_size]

    def __iter__(self):
        return self

    def next(self):
        """Returns the next batch (looping over the data forever)."""
        with self.lock:
            index_array = next(self.index_generator)
        # Transforms run outside the lock, so threads can build batches in parallel.
        return self._get_batches_of_transformed_samples(index_array)

    def __next__(self):
        return self.next()

    def _get_batches_of_transformed_samples(self, index_array):
        raise NotImplementedError(
            f"{type(self).__name__} must implement _get_batches_of_transformed_samples."
        )


def _save_batch(batch_x, index_array, data_format, save_to_dir, prefix, fmt, hash_range):
    for i, j in enumerate(index_array):
        image = array_to_img(batch_x[i], data_format, scale=True)
        name = f"{prefix}_{j}_{np.random.randint(hash_range)}.{fmt}"
        image.save(os.path.join(save_to_dir, name))


def _check_subset(subset, validation_split, where: str) -> None:
    if subset not in _SUBSETS:
        raise ValueError(
            f"{where}: invalid subset name {subset!r}; expected 'training' or 'validation' "
            "(or None for all the data)."
        )
    if not validation_split and subset == "validation":
        # Keras 2 would give an empty validation set. Without a split, subset='training'
        # is all the data, as in Keras 2 (real code passes it, e.g. the book
        # 'Generative Deep Learning' loading CelebA with flow_from_directory).
        raise ValueError(
            f"{where}: subset={subset!r} needs a validation split; create the generator "
            "with ImageDataGenerator(validation_split=0.2) (a fraction in (0, 1))."
        )


class NumpyArrayIterator(Iterator):
    """Iterator over augmented batches of a NumPy array of images.

    Args:
        x: the images, rank 4; or a tuple `(images, other_inputs)` where the other
            inputs (an array or a list of arrays) are passed through unchanged.
        y: labels, or None.
        image_data_generator: the `ImageDataGenerator` that transforms each image.
        batch_size: samples per batch.
        shuffle: whether to shuffle the samples each epoch.
        sample_weight: optional per-sample weights.
        seed: seed for shuffling and the random transforms.
        data_format: `"channels_last"` or `"channels_first"` (default: Keras's).
        save_to_dir: optional folder to save the augmented images in.
        save_prefix: file name prefix for saved images.
        save_format: file format for saved images, e.g. `"png"`.
        subset: `"training"` or `"validation"` when the generator has a
            `validation_split`.
        ignore_class_split: don't check that both subsets contain every class.
        dtype: dtype of the batches (default floatx).

    Example:
    >>> it = NumpyArrayIterator(np.zeros((5, 4, 4, 3)), np.arange(5), ImageDataGenerator())
    >>> [a.shape for a in it[0]]
    [(5, 4, 4, 3), (5,)]
    """

    def __init__(
        self,
        x,
        y,
        image_data_generator,
        batch_size: int = 32,
        shuffle: bool = False,
        sample_weight=None,
        seed=None,
        data_format=None,
        save_to_dir=None,
        save_prefix: str = "",
        save_format: str = "png",
        subset=None,
        ignore_class_split: bool = False,
        dtype=None,
    ):
        if data_format is None:
            data_format = _keras_backend.image_data_format()
        self.dtype = _numpy_dtype(dtype)
        if isinstance(x, (tuple, list)):
            misc = x[1]
            x_misc = [np.asarray(m) for m in misc] if isinstance(misc, list) else [np.asarray(misc)]
            x = x[0]
            for m in x_misc:
                if len(m) != len(x):
                    raise ValueError(
                        "All of the arrays in `x` should have the same length; found "
                        f"len(x[0]) = {len(x)} and an extra input of length {len(m)}."
                    )
        else:
            x_misc = []
        if y is not None and len(x) != len(y):
            raise ValueError(
                "`x` (images tensor) and `y` (labels) should have the same length. Found: "
                f"x.shape = {np.shape(x)}, y.shape = {np.shape(y)}."
            )
        if sample_weight is not None and len(x) != len(sample_weight):
            raise ValueError(
                "`x` (images tensor) and `sample_weight` should have the same length. Found: "
                f"x.shape = {np.shape(x)}, sample_weight.shape = {np.shape(sample_weight)}."
            )
        if subset is not None:
            split = getattr(image_data_generator, "_validation_split", 0.0)
            _check_subset(subset, split, "NumpyArrayIterator")
            split_idx = int(len(x) * split)
            if (
                y is not None
                and not ignore_class_split
                and not np.array_equal(
                    np.unique(np.asarray(y)[:split_idx]), np.unique(np.asarray(y)[split_idx:])
                )
            ):
                raise ValueError(
                    "Training and validation subsets have different classes after the split "
                    f"at sample {split_idx}. If your arrays are sorted by label, shuffle them "
                    "first, or pass ignore_class_split=True."
                )
            part = slice(None, split_idx) if subset == "validation" else slice(split_idx, None)
            x = x[part]
            x_misc = [m[part] for m in x_misc]
            if y is not None:
                y = y[part]
            if sample_weight is not None:
                sample_weight = sample_weight[part]
        self.x = np.asarray(x, dtype=self.dtype)
        self.x_misc = x_misc
        if self.x.ndim != 4:
            raise ValueError(
                "Input data in NumpyArrayIterator should have rank 4 (samples, rows, cols, "
                f"channels). You passed an array with shape {self.x.shape}"
                + (
                    "; add a channels axis to grayscale images, e.g. x[..., np.newaxis]."
                    if self.x.ndim == 3
                    else "."
                )
            )
        channels_axis = 3 if data_format == "channels_last" else 1
        if self.x.shape[channels_axis] not in (1, 3, 4):
            warnings.warn(
                f"NumpyArrayIterator is set to use the data format convention {data_format!r} "
                f"(channels on axis {channels_axis}), i.e. expected 1, 3 or 4 channels on axis "
                f"{channels_axis}. However, it was passed an array with shape {self.x.shape} "
                f"({self.x.shape[channels_axis]} channels).",
                stacklevel=2,
            )
        self.y = None if y is None else np.asarray(y)
        self.sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        self.image_data_generator = image_data_generator
        self.data_format = data_format
        self.save_to_dir = save_to_dir
        self.save_prefix = save_prefix
        self.save_format = save_format
        super().__init__(self.x.shape[0], batch_size, shuffle, seed)

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.zeros((len(index_array),) + self.x.shape[1:], dtype=self.dtype)
        generator = self.image_data_generator
        for i, j in enumerate(index_array):
            # A copy, so in-place standardization never writes into self.x.
            x = self.x[j].copy()
            if generator is not None:
                params = generator.get_random_transform(x.shape)
                x = generator.apply_transform(x, params)
                x = generator.standardize(x)
            batch_x[i] = x
        if self.save_to_dir:
            _save_batch(
                batch_x,
                index_array,
                self.data_format,
                self.save_to_dir,
                self.save_prefix,
                self.save_format,
                10_000,
            )
        inputs = [batch_x] + [m[index_array] for m in self.x_misc] if self.x_misc else batch_x
        if self.y is None:
            return inputs
        if self.sample_weight is None:
            return inputs, self.y[index_array]
        return inputs, self.y[index_array], self.sample_weight[index_array]


def _set_file_iterator_attrs(
    iterator,
    generator,
    target_size,
    color_mode: str,
    data_format: str,
    saving: tuple,
    subset,
    interpolation: str,
    keep_aspect_ratio: bool,
    dtype,
    where: str,
) -> None:
    """The image-loading settings both file iterators (folders, DataFrames) keep."""
    iterator.image_data_generator = generator
    iterator.target_size = tuple(int(s) for s in target_size)
    if len(iterator.target_size) != 2:
        raise ValueError(f"target_size must be (height, width), got {target_size!r}.")
    iterator.color_mode = color_mode
    iterator.data_format = data_format
    channels = _COLOR_CHANNELS[color_mode]
    if data_format == "channels_last":
        iterator.image_shape = iterator.target_size + (channels,)
    else:
        iterator.image_shape = (channels,) + iterator.target_size
    iterator.save_to_dir, iterator.save_prefix, iterator.save_format = saving
    iterator.interpolation = interpolation
    iterator.keep_aspect_ratio = keep_aspect_ratio
    iterator.dtype = _numpy_dtype(dtype)
    iterator.subset = subset
    iterator.split = None
    if subset is not None:
        split = getattr(generator, "_validation_split", 0.0)
        _check_subset(subset, split, where)
        iterator.split = (0.0, split) if subset == "validation" else (split, 1.0)


def _load_image_batch(iterator, index_array) -> np.ndarray:
    """The transformed images of a file iterator's samples `index_array`, as one array.

    Each file is loaded and resized, then gets the generator's random transform and its
    standardization; the batch is saved to `save_to_dir` when one is set.
    """
    batch_x = np.zeros((len(index_array),) + iterator.image_shape, dtype=iterator.dtype)
    generator = iterator.image_data_generator
    for i, j in enumerate(index_array):
        image = load_img(
            iterator.filepaths[j],
            color_mode=iterator.color_mode,
            target_size=iterator.target_size,
            interpolation=iterator.interpolation,
            keep_aspect_ratio=iterator.keep_aspect_ratio,
        )
        x = img_to_array(image, data_format=iterator.data_format, dtype=iterator.dtype)
        image.close()
        if generator:
            params = generator.get_random_transform(x.shape)
            x = generator.apply_transform(x, params)
            x = generator.standardize(x)
        batch_x[i] = x
    if iterator.save_to_dir:
        _save_batch(
            batch_x,
            index_array,
            iterator.data_format,
            iterator.save_to_dir,
            iterator.save_prefix,
            iterator.save_format,
            10_000_000,
        )
    return batch_x


def _list_class_files(class_dir, class_name, formats, split, follow_links):
    """Image files under one class folder, sorted, as paths relative to its parent."""
    files = []
    for root, _, names in sorted(os.walk(class_dir, followlinks=follow_links)):
        for name in sorted(names):
            if name.lower().endswith(formats):
                files.append(os.path.join(root, name))
    if split is not None:
        count = len(files)
        files = files[int(split[0] * count) : int(split[1] * count)]
    return [os.path.join(class_name, os.path.relpath(path, class_dir)) for path in files]


class DirectoryIterator(Iterator):
    """Iterator over augmented batches of the images in a folder tree (one folder per class).

    Args:
        directory: the folder holding one subfolder per class.
        image_data_generator: the `ImageDataGenerator` that transforms each image
            (or None for none).
        target_size: `(height, width)` the images are resized to.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`.
        classes: optional list of class subfolder names (default: all, sorted).
        class_mode: `"categorical"` (one-hot), `"binary"` (0/1 floats),
            `"sparse"` (integer labels as floats), `"input"` (the images
            themselves) or None (no labels).
        batch_size: samples per batch.
        shuffle: whether to shuffle the samples each epoch.
        seed: seed for shuffling and the random transforms.
        data_format: `"channels_last"` or `"channels_first"` (default: Keras's).
        save_to_dir: optional folder to save the augmented images in.
        save_prefix: file name prefix for saved images.
        save_format: file format for saved images, e.g. `"png"`.
        follow_links: whether to follow symbolic links to subfolders.
        subset: `"training"` or `"validation"` when the generator has a
            `validation_split`.
        interpolation: resampling filter for resizing (`"nearest"`,
            `"bilinear"`, `"bicubic"`, `"hamming"`, `"box"`, `"lanczos"`).
        keep_aspect_ratio: centre-crop to the target's aspect ratio before resizing.
        dtype: dtype of the batches (default floatx).

    Example:
    >>> it = DirectoryIterator("data/train", ImageDataGenerator())  # doctest: +SKIP
    Found 2000 images belonging to 2 classes.
    >>> it.class_indices  # doctest: +SKIP
    {'cats': 0, 'dogs': 1}
    """

    allowed_class_modes = {"categorical", "binary", "sparse", "input", None}

    def __init__(
        self,
        directory,
        image_data_generator,
        target_size=(256, 256),
        color_mode: str = "rgb",
        classes=None,
        class_mode="categorical",
        batch_size: int = 32,
        shuffle: bool = True,
        seed=None,
        data_format=None,
        save_to_dir=None,
        save_prefix: str = "",
        save_format: str = "png",
        follow_links: bool = False,
        subset=None,
        interpolation: str = "nearest",
        keep_aspect_ratio: bool = False,
        dtype=None,
    ):
        if data_format is None:
            data_format = _keras_backend.image_data_format()
        if color_mode not in _COLOR_CHANNELS:
            raise ValueError(
                f"Invalid color_mode {color_mode!r}; expected 'rgb', 'rgba' or 'grayscale'."
            )
        if class_mode not in _CLASS_MODES:
            raise ValueError(
                f"Invalid class_mode {class_mode!r}; expected one of 'categorical', 'binary', "
                "'sparse', 'input' or None."
            )
        directory = os.fspath(directory)
        if not os.path.isdir(directory):
            raise FileNotFoundError(
                f"flow_from_directory: directory {directory!r} does not exist or is not a "
                "folder; pass a folder holding one subfolder of images per class."
            )
        self.directory = directory
        _set_file_iterator_attrs(
            self,
            image_data_generator,
            target_size,
            color_mode,
            data_format,
            (save_to_dir, save_prefix, save_format),
            subset,
            interpolation,
            keep_aspect_ratio,
            dtype,
            "flow_from_directory",
        )
        self.class_mode = class_mode

        if not classes:
            classes = sorted(
                entry
                for entry in os.listdir(directory)
                if os.path.isdir(os.path.join(directory, entry))
            )
        classes = list(classes)
        missing = [c for c in classes if not os.path.isdir(os.path.join(directory, c))]
        if missing:
            warnings.warn(
                f"flow_from_directory: no folder for class(es) {missing} in {directory!r}; "
                "they get no images.",
                stacklevel=2,
            )
        self.num_classes = len(classes)
        self.class_indices = {name: index for index, name in enumerate(classes)}

        self.filenames = []
        labels = []
        formats = tuple(f".{ext}" for ext in self.white_list_formats)
        for name in classes:
            files = _list_class_files(
                os.path.join(directory, name), name, formats, self.split, follow_links
            )
            self.filenames += files
            labels += [self.class_indices[name]] * len(files)
        self.samples = len(self.filenames)
        self.classes = np.asarray(labels, dtype="int32")
        print(f"Found {self.samples} images belonging to {self.num_classes} classes.")
        self._filepaths = [os.path.join(directory, name) for name in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def filepaths(self):
        """Full paths of the image files, in `filenames` order."""
        return self._filepaths

    @property
    def labels(self):
        """The class index of every sample (same as `classes`)."""
        return self.classes

    @property
    def sample_weight(self):
        return None

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = _load_image_batch(self, index_array)
        if self.class_mode is None:
            return batch_x
        if self.class_mode == "input":
            return batch_x, batch_x.copy()
        labels = self.classes[index_array]
        if self.class_mode == "categorical":
            batch_y = np.zeros((len(batch_x), self.num_classes), dtype=self.dtype)
            batch_y[np.arange(len(batch_x)), labels] = 1.0
        else:
            batch_y = labels.astype(self.dtype)
        return batch_x, batch_y


class DataFrameIterator(Iterator):
    """Iterator over augmented batches of the image files a pandas DataFrame lists.

    Args:
        dataframe: a pandas DataFrame with a column of file names (relative to
            `directory`, or full paths when `directory` is None) and, depending on
            `class_mode`, label columns.
        directory: the folder the file names are relative to (None: as given).
        image_data_generator: the `ImageDataGenerator` that transforms each image
            (or None for none).
        x_col: the column of file names.
        y_col: the label column (a list of columns for `"multi_output"`).
        weight_col: optional column of sample weights (batches are then
            `(x, y, sample_weight)`).
        target_size: `(height, width)` the images are resized to.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`.
        classes: optional list of class names to keep (default: all, sorted).
        class_mode: `"categorical"` (one-hot; a list of labels gives a multi-hot
            row), `"binary"`, `"sparse"` (class indices as floats), `"input"`,
            `"multi_output"` (one array per `y_col` column), `"raw"` (the `y_col`
            values as they are) or None (no labels).
        batch_size: samples per batch.
        shuffle: whether to shuffle the samples each epoch.
        seed: seed for shuffling and the random transforms.
        data_format: `"channels_last"` or `"channels_first"` (default: Keras's).
        save_to_dir: optional folder to save the augmented images in.
        save_prefix: file name prefix for saved images.
        save_format: file format for saved images, e.g. `"png"`.
        subset: `"training"` or `"validation"` when the generator has a
            `validation_split` (validation is the first rows).
        interpolation: resampling filter for resizing.
        keep_aspect_ratio: centre-crop to the target's aspect ratio before resizing.
        dtype: dtype of the batches (default floatx).
        validate_filenames: drop (with a warning) rows whose file is missing or not an
            image file.

    Example:
    >>> frame = pandas.DataFrame({"filename": ["a.png", "b.png"], "class": ["cat", "dog"]})
    >>> it = DataFrameIterator(frame, "images", ImageDataGenerator())  # doctest: +SKIP
    Found 2 validated image filenames belonging to 2 classes.
    """

    allowed_class_modes = {"binary", "categorical", "input", "multi_output", "raw", "sparse", None}
    # Modes whose labels are class names mapped to indices.
    _class_name_modes = ("binary", "categorical", "sparse")

    def __init__(
        self,
        dataframe,
        directory=None,
        image_data_generator=None,
        x_col: str = "filename",
        y_col="class",
        weight_col=None,
        target_size=(256, 256),
        color_mode: str = "rgb",
        classes=None,
        class_mode="categorical",
        batch_size: int = 32,
        shuffle: bool = True,
        seed=None,
        data_format=None,
        save_to_dir=None,
        save_prefix: str = "",
        save_format: str = "png",
        subset=None,
        interpolation: str = "nearest",
        keep_aspect_ratio: bool = False,
        dtype=None,
        validate_filenames: bool = True,
    ):
        if data_format is None:
            data_format = _keras_backend.image_data_format()
        if color_mode not in _COLOR_CHANNELS:
            raise ValueError(
                f"Invalid color_mode {color_mode!r}; expected 'rgb', 'rgba' or 'grayscale'."
            )
        frame = dataframe.copy()
        self.directory = os.fspath(directory) if directory is not None else ""
        _set_file_iterator_attrs(
            self,
            image_data_generator,
            target_size,
            color_mode,
            data_format,
            (save_to_dir, save_prefix, save_format),
            subset,
            interpolation,
            keep_aspect_ratio,
            dtype,
            "flow_from_dataframe",
        )
        self.class_mode = class_mode
        self._check_frame(frame, x_col, y_col, weight_col, classes)
        if validate_filenames:
            frame = self._valid_rows(frame, x_col)
        labelled = class_mode in self._class_name_modes
        if labelled:
            frame, classes = _keep_classes(frame, y_col, classes)
            self.class_indices = {name: index for index, name in enumerate(classes)}
            self.num_classes = len(classes)
        if self.split is not None:
            count = len(frame)
            frame = frame.iloc[int(self.split[0] * count) : int(self.split[1] * count)]
        if labelled:
            self.classes = [
                [self.class_indices[name] for name in label]
                if isinstance(label, (list, tuple))
                else self.class_indices[label]
                for label in frame[y_col]
            ]
        self.filenames = frame[x_col].tolist()
        self._sample_weight = frame[weight_col].values if weight_col else None
        if class_mode == "multi_output":
            self._targets = [np.array(frame[column].tolist()) for column in y_col]
        elif class_mode == "raw":
            self._targets = frame[y_col].values
        self.samples = len(self.filenames)
        checked = "validated" if validate_filenames else "non-validated"
        if labelled:
            print(
                f"Found {self.samples} {checked} image filenames belonging to "
                f"{self.num_classes} classes."
            )
        else:
            print(f"Found {self.samples} {checked} image filenames.")
        self._filepaths = [os.path.join(self.directory, name) for name in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    def _check_frame(self, frame, x_col, y_col, weight_col, classes) -> None:
        mode = self.class_mode
        if mode not in self.allowed_class_modes:
            raise ValueError(
                f"Invalid class_mode {mode!r}; expected one of 'categorical', 'binary', "
                "'sparse', 'input', 'multi_output', 'raw' or None."
            )
        if mode == "multi_output" and not isinstance(y_col, list):
            raise TypeError(
                f'If class_mode="multi_output", y_col must be a list of columns. Received '
                f"{type(y_col).__name__}."
            )
        for column in [x_col] + ([] if mode in ("input", None) else _as_columns(y_col)):
            if column not in frame.columns:
                raise KeyError(
                    f"flow_from_dataframe: the DataFrame has no column {column!r}; its "
                    f"columns are {list(frame.columns)}."
                )
        if not all(isinstance(name, str) for name in frame[x_col]):
            raise TypeError(f"All values in column x_col={x_col} must be strings.")
        if mode in ("binary", "sparse") and not all(isinstance(v, str) for v in frame[y_col]):
            raise TypeError(
                f'If class_mode="{mode}", y_col="{y_col}" column values must be strings.'
            )
        if mode == "binary":
            count = len(set(classes)) if classes else frame[y_col].nunique()
            if count != 2:
                raise ValueError(
                    f'If class_mode="binary" there must be 2 classes. Found {count} classes.'
                )
        if mode == "categorical" and not all(
            isinstance(v, (str, list, tuple)) for v in frame[y_col]
        ):
            raise TypeError(
                f'If class_mode="categorical", y_col="{y_col}" column values must be type '
                "string, list or tuple."
            )
        if classes and mode in ("input", "multi_output", "raw", None):
            warnings.warn(f'`classes` will be ignored given the class_mode="{mode}"', stacklevel=4)
        # (dtype.type: pandas' own dtypes, e.g. strings, are not NumPy dtypes.)
        if weight_col and not issubclass(frame[weight_col].dtype.type, np.number):
            raise TypeError(f"Column weight_col={weight_col} must be numeric.")

    def _valid_rows(self, frame, x_col):
        suffixes = tuple(f".{ext}" for ext in self.white_list_formats)

        def valid(name):
            path = os.path.join(self.directory, name)
            return path.lower().endswith(suffixes) and os.path.isfile(path)

        mask = frame[x_col].map(valid).astype(bool)
        invalid = int((~mask).sum())
        if invalid:
            warnings.warn(
                f'Found {invalid} invalid image filename(s) in x_col="{x_col}". These '
                "filename(s) will be ignored.",
                stacklevel=4,
            )
        return frame[mask]

    @property
    def filepaths(self):
        """Full paths of the image files, in `filenames` order."""
        return self._filepaths

    @property
    def labels(self):
        """The labels: class indices, or the targets for `"multi_output"`/`"raw"`."""
        if self.class_mode in ("multi_output", "raw"):
            return self._targets
        return self.classes

    @property
    def sample_weight(self):
        return self._sample_weight

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = _load_image_batch(self, index_array)
        mode = self.class_mode
        if mode is None:
            return batch_x
        if mode == "input":
            batch_y = batch_x.copy()
        elif mode in ("binary", "sparse"):
            batch_y = np.asarray([self.classes[j] for j in index_array], dtype=self.dtype)
        elif mode == "categorical":
            batch_y = np.zeros((len(batch_x), self.num_classes), dtype=self.dtype)
            for i, j in enumerate(index_array):
                batch_y[i, self.classes[j]] = 1.0  # a list of indices sets several
        elif mode == "multi_output":
            batch_y = [target[index_array] for target in self._targets]
        else:  # raw
            batch_y = self._targets[index_array]
        if self._sample_weight is None:
            return batch_x, batch_y
        return batch_x, batch_y, self._sample_weight[index_array]


def _as_columns(y_col) -> list:
    return list(y_col) if isinstance(y_col, (list, tuple)) else [y_col]


def _keep_classes(frame, y_col, classes):
    """(rows whose labels are among `classes`, the class names in index order).

    Without `classes`, every label found is a class, sorted; with them, labels outside
    them are dropped (a row with none left is dropped) and the classes keep their order.
    """
    if classes:
        classes = list(dict.fromkeys(classes))
        keep = set(classes)

        def kept(label):
            if isinstance(label, (list, tuple)):
                return [name for name in label if name in keep] or None
            if isinstance(label, str):
                return label if label in keep else None
            raise TypeError(
                f"Expect string, list or tuple but found {type(label)} in {y_col} column."
            )

        frame = frame.copy()
        frame[y_col] = frame[y_col].apply(kept)
        return frame.dropna(subset=[y_col]), classes
    found: set = set()
    for label in frame[y_col]:
        if isinstance(label, (list, tuple)):
            found.update(label)
        else:
            found.add(label)
    return frame, sorted(found)


# ---------------------------------------------------------------------------------------------
# ImageDataGenerator
# ---------------------------------------------------------------------------------------------


def _random_shift(shift_range, size: int):
    """One random shift in pixels, drawn as Keras draws it (int/array: choice; float: uniform)."""
    if isinstance(shift_range, (int, np.integer)) or (
        hasattr(shift_range, "__len__") and not isinstance(shift_range, str)
    ):
        shift = np.random.choice(shift_range)
        shift *= np.random.choice([-1, 1])
    else:
        shift = np.random.uniform(-shift_range, shift_range)
    if np.max(shift_range) < 1:
        shift *= size
    return shift


class ImageDataGenerator:
    """Generates batches of image data with real-time data augmentation (Keras 2 legacy API).

    Args:
        featurewise_center: subtract the dataset's per-channel mean (from `fit`).
        samplewise_center: subtract each sample's mean.
        featurewise_std_normalization: divide by the dataset's per-channel std.
        samplewise_std_normalization: divide each sample by its std.
        zca_whitening: apply ZCA whitening (from `fit`).
        zca_epsilon: epsilon for ZCA whitening.
        rotation_range: degree range for random rotations.
        width_shift_range: float (fraction of the width if < 1, else pixels),
            int (integer pixels from `(-n, n)`) or 1-D array-like (random
            elements, with a random sign).
        height_shift_range: like `width_shift_range`, for the height.
        brightness_range: `(lower, upper)` range of brightness factors.
        shear_range: shear angle range in degrees (counter-clockwise).
        zoom_range: float (`[1 - z, 1 + z]`) or `[lower, upper]`.
        channel_shift_range: range of random channel shifts.
        fill_mode: `"constant"`, `"nearest"`, `"reflect"` or `"wrap"`: how points
            outside the input are filled.
        cval: fill value for `fill_mode="constant"`.
        horizontal_flip: randomly flip images left-right.
        vertical_flip: randomly flip images upside down.
        rescale: factor the data is multiplied by (after the other transforms).
        preprocessing_function: function applied to each image (a rank-3 array)
            after augmentation and before the other normalizations.
        data_format: `"channels_last"` or `"channels_first"` (default: Keras's).
        validation_split: fraction of the data held out for validation,
            selected with `subset=` in `flow` and `flow_from_directory`.
        interpolation_order: spline order for the geometric transforms
            (0 or 1; 2-5 need SciPy).
        dtype: dtype of the generated arrays (default floatx).

    Example:
    >>> datagen = ImageDataGenerator(rotation_range=20, horizontal_flip=True, rescale=1 / 255)
    >>> it = datagen.flow(np.random.rand(8, 16, 16, 3) * 255, np.arange(8), batch_size=4)
    >>> x, y = it[0]
    >>> x.shape, y.shape
    ((4, 16, 16, 3), (4,))
    """

    def __init__(
        self,
        featurewise_center: bool = False,
        samplewise_center: bool = False,
        featurewise_std_normalization: bool = False,
        samplewise_std_normalization: bool = False,
        zca_whitening: bool = False,
        zca_epsilon: float = 1e-6,
        rotation_range=0,
        width_shift_range=0.0,
        height_shift_range=0.0,
        brightness_range=None,
        shear_range=0.0,
        zoom_range=0.0,
        channel_shift_range=0.0,
        fill_mode: str = "nearest",
        cval: float = 0.0,
        horizontal_flip: bool = False,
        vertical_flip: bool = False,
        rescale=None,
        preprocessing_function=None,
        data_format=None,
        validation_split: float = 0.0,
        interpolation_order: int = 1,
        dtype=None,
    ):
        if data_format is None:
            data_format = _keras_backend.image_data_format()
        self.featurewise_center = featurewise_center
        self.samplewise_center = samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening = zca_whitening
        self.zca_epsilon = zca_epsilon
        self.rotation_range = rotation_range
        self.width_shift_range = width_shift_range
        self.height_shift_range = height_shift_range
        self.shear_range = shear_range
        self.channel_shift_range = channel_shift_range
        _check_fill_mode(fill_mode, "ImageDataGenerator")
        self.fill_mode = fill_mode
        self.cval = cval
        self.horizontal_flip = horizontal_flip
        self.vertical_flip = vertical_flip
        self.rescale = rescale
        self.preprocessing_function = preprocessing_function
        self.dtype = _numpy_dtype(dtype)
        self.interpolation_order = _check_order(interpolation_order, "ImageDataGenerator")

        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                "ImageDataGenerator: data_format should be 'channels_last' (channels after "
                "rows and columns) or 'channels_first' (channels before rows and columns), "
                f"got {data_format!r}."
            )
        self.data_format = data_format
        if data_format == "channels_first":
            self.channel_axis, self.row_axis, self.col_axis = 1, 2, 3
        else:
            self.channel_axis, self.row_axis, self.col_axis = 3, 1, 2
        if validation_split and not 0 < validation_split < 1:
            raise ValueError(
                "ImageDataGenerator: validation_split must be strictly between 0 and 1 (a "
                f"fraction of the data), got {validation_split}."
            )
        self._validation_split = validation_split

        self.mean = None
        self.std = None
        self.zca_whitening_matrix = None

        if isinstance(zoom_range, (float, int, np.floating, np.integer)) and not isinstance(
            zoom_range, bool
        ):
            self.zoom_range = [1 - zoom_range, 1 + zoom_range]
        elif (
            isinstance(zoom_range, (tuple, list, np.ndarray))
            and len(zoom_range) == 2
            and all(isinstance(v, (float, int, np.floating, np.integer)) for v in zoom_range)
        ):
            self.zoom_range = [zoom_range[0], zoom_range[1]]
        else:
            raise ValueError(
                "ImageDataGenerator: zoom_range should be a float or a tuple or list of two "
                f"floats [lower, upper], got {zoom_range!r}."
            )
        if zca_whitening:
            if not featurewise_center:
                self.featurewise_center = True
                warnings.warn(
                    "This ImageDataGenerator specifies `zca_whitening`, which overrides "
                    "setting of `featurewise_center`.",
                    stacklevel=2,
                )
            if featurewise_std_normalization:
                self.featurewise_std_normalization = False
                warnings.warn(
                    "This ImageDataGenerator specifies `zca_whitening`, which overrides "
                    "setting of `featurewise_std_normalization`.",
                    stacklevel=2,
                )
        if featurewise_std_normalization and not featurewise_center:
            self.featurewise_center = True
            warnings.warn(
                "This ImageDataGenerator specifies `featurewise_std_normalization`, which "
                "overrides setting of `featurewise_center`.",
                stacklevel=2,
            )
        if samplewise_std_normalization and not samplewise_center:
            self.samplewise_center = True
            warnings.warn(
                "This ImageDataGenerator specifies `samplewise_std_normalization`, which "
                "overrides setting of `samplewise_center`.",
                stacklevel=2,
            )
        if brightness_range is not None and (
            not isinstance(brightness_range, (tuple, list)) or len(brightness_range) != 2
        ):
            raise ValueError(
                "ImageDataGenerator: brightness_range should be a tuple or list of two "
                f"floats (lower, upper), got {brightness_range!r}."
            )
        self.brightness_range = brightness_range

    @property
    def principal_components(self):
        """The ZCA whitening matrix (Keras 2's older name for `zca_whitening_matrix`)."""
        return self.zca_whitening_matrix

    def flow(
        self,
        x,
        y=None,
        batch_size: int = 32,
        shuffle: bool = True,
        sample_weight=None,
        seed=None,
        save_to_dir=None,
        save_prefix: str = "",
        save_format: str = "png",
        ignore_class_split: bool = False,
        subset=None,
    ) -> NumpyArrayIterator:
        """Takes data and label arrays and generates batches of augmented data.

        Args:
            x: images, rank 4; or a tuple `(images, other_inputs)` whose other
                inputs pass through unchanged.
            y: labels, or None.
            batch_size: samples per batch.
            shuffle: whether to shuffle the data each epoch.
            sample_weight: optional per-sample weights.
            seed: seed for shuffling and the random transforms.
            save_to_dir: optional folder to save the augmented images in.
            save_prefix: file name prefix for saved images.
            save_format: file format for saved images, e.g. `"png"`.
            ignore_class_split: don't check that both subsets contain every class.
            subset: `"training"` or `"validation"` (needs `validation_split`).

        Returns:
            A `NumpyArrayIterator` yielding `(x, y)` (or `x`, or `(x, y, sample_weight)`).

        Example:
        >>> it = ImageDataGenerator().flow(np.zeros((4, 8, 8, 1)), np.arange(4), batch_size=2)
        >>> len(it)
        2
        """
        return NumpyArrayIterator(
            x,
            y,
            self,
            batch_size=batch_size,
            shuffle=shuffle,
            sample_weight=sample_weight,
            seed=seed,
            data_format=self.data_format,
            save_to_dir=save_to_dir,
            save_prefix=save_prefix,
            save_format=save_format,
            ignore_class_split=ignore_class_split,
            subset=subset,
            dtype=self.dtype,
        )

    def flow_from_directory(
        self,
        directory,
        target_size=(256, 256),
        color_mode: str = "rgb",
        classes=None,
        class_mode="categorical",
        batch_size: int = 32,
        shuffle: bool = True,
        seed=None,
        save_to_dir=None,
        save_prefix: str = "",
        save_format: str = "png",
        follow_links: bool = False,
        subset=None,
        interpolation: str = "nearest",
        keep_aspect_ratio: bool = False,
    ) -> DirectoryIterator:
        """Takes a folder of class subfolders and generates batches of augmented images.

        Args:
            directory: the folder holding one subfolder of images per class.
            target_size: `(height, width)` the images are resized to.
            color_mode: `"grayscale"`, `"rgb"` or `"rgba"`.
            classes: optional list of class subfolder names (default: all, sorted).
            class_mode: `"categorical"`, `"binary"`, `"sparse"`, `"input"` or None.
            batch_size: samples per batch.
            shuffle: whether to shuffle the data each epoch.
            seed: seed for shuffling and the random transforms.
            save_to_dir: optional folder to save the augmented images in.
            save_prefix: file name prefix for saved images.
            save_format: file format for saved images, e.g. `"png"`.
            follow_links: whether to follow symbolic links to subfolders.
            subset: `"training"` or `"validation"` (needs `validation_split`).
            interpolation: resampling filter for resizing.
            keep_aspect_ratio: centre-crop to the target aspect ratio before resizing.

        Returns:
            A `DirectoryIterator` yielding `(x, y)` batches (or `x` with `class_mode=None`).

        Example:
        >>> train = ImageDataGenerator(rescale=1 / 255).flow_from_directory(
        ...     "data/train", target_size=(150, 150), class_mode="binary")  # doctest: +SKIP
        Found 2000 images belonging to 2 classes.
        """
        return DirectoryIterator(
            directory,
            self,
            target_size=target_size,
            color_mode=color_mode,
            classes=classes,
            class_mode=class_mode,
            batch_size=batch_size,
            shuffle=shuffle,
            seed=seed,
            data_format=self.data_format,
            save_to_dir=save_to_dir,
            save_prefix=save_prefix,
            save_format=save_format,
            follow_links=follow_links,
            subset=subset,
            interpolation=interpolation,
            keep_aspect_ratio=keep_aspect_ratio,
            dtype=self.dtype,
        )

    def flow_from_dataframe(
        self,
        dataframe,
        directory=None,
        x_col: str = "filename",
        y_col="class",
        weight_col=None,
        target_size=(256, 256),
        color_mode: str = "rgb",
        classes=None,
        class_mode="categorical",
        batch_size: int = 32,
        shuffle: bool = True,
        seed=None,
        save_to_dir=None,
        save_prefix: str = "",
        save_format: str = "png",
        subset=None,
        interpolation: str = "nearest",
        validate_filenames: bool = True,
        **kwargs,
    ) -> DataFrameIterator:
        """Takes a pandas DataFrame of image file names (and labels) and generates batches.

        Args:
            dataframe: a DataFrame with a column of file names and label column(s).
            directory: the folder the file names are relative to (None: as given).
            x_col: the column of file names.
            y_col: the label column (a list of columns for `"multi_output"`).
            weight_col: optional column of sample weights.
            target_size: `(height, width)` the images are resized to.
            color_mode: `"grayscale"`, `"rgb"` or `"rgba"`.
            classes: optional list of class names to keep (default: all, sorted).
            class_mode: `"categorical"`, `"binary"`, `"sparse"`, `"input"`,
                `"multi_output"`, `"raw"` or None.
            batch_size: samples per batch.
            shuffle: whether to shuffle the data each epoch.
            seed: seed for shuffling and the random transforms.
            save_to_dir: optional folder to save the augmented images in.
            save_prefix: file name prefix for saved images.
            save_format: file format for saved images, e.g. `"png"`.
            subset: `"training"` or `"validation"` (needs `validation_split`).
            interpolation: resampling filter for resizing.
            validate_filenames: drop rows whose file is missing or not an image.
            **kwargs: Keras 2's deprecated `has_ext`, `sort` and `drop_duplicates`
                (ignored with a warning).

        Returns:
            A `DataFrameIterator` yielding `(x, y)` batches (`(x, y, w)` with
            `weight_col`, `x` with `class_mode=None`).

        Example:
        >>> train = ImageDataGenerator(rescale=1 / 255).flow_from_dataframe(
        ...     frame, "images", x_col="id", y_col="label", class_mode="binary",
        ...     target_size=(64, 64))  # doctest: +SKIP
        Found 2000 validated image filenames belonging to 2 classes.
        """
        for key in ("has_ext", "sort", "drop_duplicates"):
            if kwargs.pop(key, None) is not None:
                warnings.warn(
                    f"flow_from_dataframe: {key} is deprecated and ignored (as in Keras 2).",
                    DeprecationWarning,
                    stacklevel=2,
                )
        if kwargs:
            raise TypeError(f"flow_from_dataframe() got unexpected arguments {sorted(kwargs)}.")
        if class_mode == "other":
            warnings.warn(
                '`class_mode` "other" is deprecated, please use `class_mode` "raw".',
                DeprecationWarning,
                stacklevel=2,
            )
            class_mode = "raw"
        return DataFrameIterator(
            dataframe,
            directory,
            self,
            x_col=x_col,
            y_col=y_col,
            weight_col=weight_col,
            target_size=target_size,
            color_mode=color_mode,
            classes=classes,
            class_mode=class_mode,
            batch_size=batch_size,
            shuffle=shuffle,
            seed=seed,
            data_format=self.data_format,
            save_to_dir=save_to_dir,
            save_prefix=save_prefix,
            save_format=save_format,
            subset=subset,
            interpolation=interpolation,
            dtype=self.dtype,
            validate_filenames=validate_filenames,
        )

    def standardize(self, x):
        """Applies the normalization configuration in place to an image (or batch).

        In order: `preprocessing_function`, `rescale`, sample-wise centering and
        std normalization, then the feature-wise statistics and ZCA matrix from `fit`.

        Args:
            x: a float NumPy array, changed in place.

        Returns:
            The normalized array.

        Example:
        >>> ImageDataGenerator(rescale=0.5).standardize(np.array([[[2.0]]]))
        array([[[1.]]])
        """
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        if self.rescale:
            x *= self.rescale
        if self.samplewise_center:
            x -= np.mean(x, keepdims=True)
        if self.samplewise_std_normalization:
            x /= np.std(x, keepdims=True) + 1e-6
        if self.featurewise_center:
            if self.mean is not None:
                x -= self.mean
            else:
                warnings.warn(
                    "This ImageDataGenerator specifies `featurewise_center`, but it hasn't "
                    "been fit on any training data. Fit it first by calling `.fit(numpy_data)`.",
                    stacklevel=2,
                )
        if self.featurewise_std_normalization:
            if self.std is not None:
                x /= self.std + 1e-6
            else:
                warnings.warn(
                    "This ImageDataGenerator specifies `featurewise_std_normalization`, but it "
                    "hasn't been fit on any training data. Fit it first by calling "
                    "`.fit(numpy_data)`.",
                    stacklevel=2,
                )
        if self.zca_whitening:
            if self.zca_whitening_matrix is not None:
                flat = x.reshape(-1, int(np.prod(x.shape[-3:])))
                x = (flat @ self.zca_whitening_matrix).reshape(x.shape)
            else:
                warnings.warn(
                    "This ImageDataGenerator specifies `zca_whitening`, but it hasn't been fit "
                    "on any training data. Fit it first by calling `.fit(numpy_data)`.",
                    stacklevel=2,
                )
        return x

    def get_random_transform(self, img_shape, seed=None) -> dict:
        """Draws random parameters for one image's transformation.

        Args:
            img_shape: shape of the (single) image.
            seed: optional seed for NumPy's global generator.

        Returns:
            A dict with `theta`, `tx` (horizontal shift in pixels, from
            `width_shift_range`), `ty` (vertical shift, from `height_shift_range`), `shear`, `zx`, `zy`, `flip_horizontal`, `flip_vertical`,
            `channel_shift_intensity` and `brightness`.

        Example:
        >>> params = ImageDataGenerator(rotation_range=10).get_random_transform((8, 8, 3), seed=0)
        >>> -10 <= params["theta"] <= 10
        True
        """
        img_row_axis = self.row_axis - 1
        img_col_axis = self.col_axis - 1
        if seed is not None:
            np.random.seed(seed)
        theta = (
            np.random.uniform(-self.rotation_range, self.rotation_range)
            if self.rotation_range
            else 0
        )
        # `tx` is the horizontal shift and `ty` the vertical one, as `apply_transform`
        # reads them in Keras 2.9+; Keras draws the height shift first, and so does tork
        # (same random stream), but stores it as `tx`, so its `height_shift_range` moves
        # images sideways: tork keeps the documented axes instead.
        ty = (
            _random_shift(self.height_shift_range, img_shape[img_row_axis])
            if _nonzero(self.height_shift_range)
            else 0
        )
        tx = (
            _random_shift(self.width_shift_range, img_shape[img_col_axis])
            if _nonzero(self.width_shift_range)
            else 0
        )
        shear = np.random.uniform(-self.shear_range, self.shear_range) if self.shear_range else 0
        if self.zoom_range[0] == 1 and self.zoom_range[1] == 1:
            zx, zy = 1, 1
        else:
            zx, zy = np.random.uniform(self.zoom_range[0], self.zoom_range[1], 2)
        flip_horizontal = (np.random.random() < 0.5) * self.horizontal_flip
        flip_vertical = (np.random.random() < 0.5) * self.vertical_flip
        channel_shift_intensity = None
        if self.channel_shift_range != 0:
            channel_shift_intensity = np.random.uniform(
                -self.channel_shift_range, self.channel_shift_range
            )
        brightness = None
        if self.brightness_range is not None:
            brightness = np.random.uniform(self.brightness_range[0], self.brightness_range[1])
        return {
            "theta": theta,
            "tx": tx,
            "ty": ty,
            "shear": shear,
            "zx": zx,
            "zy": zy,
            "flip_horizontal": flip_horizontal,
            "flip_vertical": flip_vertical,
            "channel_shift_intensity": channel_shift_intensity,
            "brightness": brightness,
        }

    def apply_transform(self, x, transform_parameters: dict):
        """Applies a transformation to one image according to the given parameters.

        Args:
            x: 3D NumPy array, a single image.
            transform_parameters: dict with any of `theta` (degrees), `tx` (horizontal
                shift in pixels), `ty` (vertical shift in pixels), `shear`
                (degrees), `zx`, `zy` (zoom along the width and height),
                `flip_horizontal`, `flip_vertical`, `channel_shift_intensity`
                and `brightness`.

        Returns:
            The transformed image (same shape).

        Example:
        >>> gen = ImageDataGenerator()
        >>> img = np.arange(4.0).reshape(2, 2, 1)
        >>> gen.apply_transform(img, {"flip_horizontal": True})[..., 0]
        array([[1., 0.],
               [3., 2.]])
        """
        img_row_axis = self.row_axis - 1
        img_col_axis = self.col_axis - 1
        img_channel_axis = self.channel_axis - 1
        params = transform_parameters
        x = apply_affine_transform(
            x,
            params.get("theta", 0),
            params.get("tx", 0),
            params.get("ty", 0),
            params.get("shear", 0),
            params.get("zx", 1),
            params.get("zy", 1),
            row_axis=img_row_axis,
            col_axis=img_col_axis,
            channel_axis=img_channel_axis,
            fill_mode=self.fill_mode,
            cval=self.cval,
            order=self.interpolation_order,
        )
        if params.get("channel_shift_intensity") is not None:
            x = apply_channel_shift(x, params["channel_shift_intensity"], img_channel_axis)
        if params.get("flip_horizontal", False):
            x = _flip(x, img_col_axis)
        if params.get("flip_vertical", False):
            x = _flip(x, img_row_axis)
        if params.get("brightness") is not None:
            x = _brightness(x, params["brightness"], False, img_channel_axis)
        return x

    def random_transform(self, x, seed=None):
        """Applies a random transformation to one image.

        Args:
            x: 3D NumPy array, a single image.
            seed: optional seed for NumPy's global generator.

        Returns:
            The transformed image (same shape).

        Example:
        >>> ImageDataGenerator(zoom_range=0.2).random_transform(np.zeros((8, 8, 3))).shape
        (8, 8, 3)
        """
        params = self.get_random_transform(np.shape(x), seed)
        return self.apply_transform(x, params)

    def fit(self, x, augment: bool = False, rounds: int = 1, seed=None) -> None:
        """Computes the data statistics for the feature-wise normalizations and ZCA.

        Only needed with `featurewise_center`, `featurewise_std_normalization` or
        `zca_whitening`. `rescale` is applied to the data first.

        Args:
            x: sample data of rank 4 (1, 3 or 4 channels).
            augment: whether to fit on randomly augmented samples.
            rounds: number of augmentation passes over the data when `augment`.
            seed: optional seed for NumPy's global generator.

        Example:
        >>> gen = ImageDataGenerator(featurewise_center=True)
        >>> gen.fit(np.ones((4, 2, 2, 3)))
        >>> gen.mean.shape
        (1, 1, 3)
        """
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(
                "ImageDataGenerator.fit: input should have rank 4 (samples, rows, cols, "
                f"channels). Got an array with shape {x.shape}."
            )
        if x.shape[self.channel_axis] not in (1, 3, 4):
            warnings.warn(
                "Expected input to be images (as a NumPy array) following the data format "
                f"convention {self.data_format!r} (channels on axis {self.channel_axis}), i.e. "
                f"1, 3 or 4 channels on axis {self.channel_axis}. However, it was passed an "
                f"array with shape {x.shape} ({x.shape[self.channel_axis]} channels).",
                stacklevel=2,
            )
        if seed is not None:
            np.random.seed(seed)
        x = np.copy(x)
        if self.rescale:
            x *= self.rescale
        if augment:
            augmented = np.zeros((rounds * x.shape[0],) + x.shape[1:], dtype=self.dtype)
            for r in range(rounds):
                for i in range(x.shape[0]):
                    augmented[i + r * x.shape[0]] = self.random_transform(x[i])
            x = augmented
        broadcast = [1, 1, 1]
        broadcast[self.channel_axis - 1] = x.shape[self.channel_axis]
        axes = (0, self.row_axis, self.col_axis)
        if self.featurewise_center:
            self.mean = np.reshape(np.mean(x, axis=axes), broadcast)
            x -= self.mean
        if self.featurewise_std_normalization:
            self.std = np.reshape(np.std(x, axis=axes), broadcast)
            x /= self.std + 1e-6
        if self.zca_whitening:
            n = len(x)
            flat = np.reshape(x, (n, -1))
            u, s, _ = np.linalg.svd(flat.T, full_matrices=False)
            s_inv = np.sqrt(n) / (s + self.zca_epsilon)
            self.zca_whitening_matrix = (u * s_inv) @ u.T


def _flip(x, axis: int):
    index = [slice(None)] * np.ndim(x)
    index[axis] = slice(None, None, -1)
    return np.asarray(x)[tuple(index)]


def _nonzero(shift_range) -> bool:
    if hasattr(shift_range, "__len__") and not isinstance(shift_range, str):
        return len(shift_range) > 0
    return bool(shift_range)


__getattr__ = _module_getattr("tf.keras.preprocessing.image")
