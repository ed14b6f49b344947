"""`keras.layers.Resizing`: resizes images to a fixed size (channels-last by default)."""

from __future__ import annotations

from tork.keras.layers._call_context import where
from tork.keras.layers.layer import Layer
from tork.keras.layers.preprocessing._image import (
    as_float_images,
    check_interpolation,
    resize,
    standardize_data_format,
    to_nhwc,
)


class Resizing(Layer):
    """Resizes images to `(height, width)`.

    Input: `(height, width, channels)` or `(batch, height, width, channels)`
    images (channels first with `data_format='channels_first'`), of any range
    and integer or float dtype; the output is float. Resampling follows
    TensorFlow's `tf.image.resize` (half-pixel centers).

    Args:
        height: the output height.
        width: the output width.
        interpolation: `'bilinear'`, `'nearest'`, `'bicubic'`, `'area'`,
            `'lanczos3'`, `'lanczos5'`, `'gaussian'` or `'mitchellcubic'`.
        crop_to_aspect_ratio: if True, first crop the largest centered window
            with the target aspect ratio, so the image is not distorted.
        pad_to_aspect_ratio: if True, first pad the image symmetrically with
            `fill_value` to the target aspect ratio.
        fill_mode: only `'constant'` (padding with `fill_value`).
        fill_value: the padding value for `pad_to_aspect_ratio`.
        antialias: whether to use an antialiasing filter when downsampling
            (no effect for `'nearest'` and `'area'`).
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> keras.layers.Resizing(4, 6)(tf.ones((2, 8, 8, 3))).shape
    torch.Size([2, 4, 6, 3])
    """

    def __init__(
        self,
        height: int,
        width: int,
        interpolation: str = "bilinear",
        crop_to_aspect_ratio: bool = False,
        pad_to_aspect_ratio: bool = False,
        fill_mode: str = "constant",
        fill_value: float = 0.0,
        antialias: bool = False,
        data_format=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        for arg, value in (("height", height), ("width", width)):
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"Resizing({arg}=...) must be a positive integer, got {value!r}.")
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(
                "Only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True."
            )
        if fill_mode != "constant":
            raise NotImplementedError(
                f"tork does not implement `Resizing(fill_mode={fill_mode!r})`; only 'constant' "
                "padding is available."
            )
        self.height = height
        self.width = width
        self.interpolation = check_interpolation(interpolation, "Resizing")
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = antialias
        self.data_format = standardize_data_format(data_format)

    def call(self, inputs):
        images = as_float_images(inputs, self._tork_compute_dtype)
        x, restore = to_nhwc(images, self.data_format, where(self))
        y = resize(
            x,
            self.height,
            self.width,
            self.interpolation,
            self.crop_to_aspect_ratio,
            self.pad_to_aspect_ratio,
            self.fill_value,
            self.antialias,
        )
        return restore(y)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        axes = (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        shape[axes[0]], shape[axes[1]] = self.height, self.width
        return tuple(shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "height": self.height,
                "width": self.width,
                "interpolation": self.interpolation,
                "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
                "fill_mode": self.fill_mode,
                "fill_value": self.fill_value,
                "antialias": self.antialias,
                "data_format": self.data_format,
            }
        )
        return config
