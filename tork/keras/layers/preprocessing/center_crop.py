"""`keras.layers.CenterCrop`: crops the central part of images to a fixed size."""

from __future__ import annotations

from tork.keras.layers._call_context import where
from tork.keras.layers.layer import Layer
from tork.keras.layers.preprocessing._image import (
    as_float_images,
    resize,
    standardize_data_format,
    to_nhwc,
)


class CenterCrop(Layer):
    """Crops the central `(height, width)` window of images.

    The window starts at `((H - height) // 2, (W - width) // 2)`. An image
    smaller than the target (on either axis) is instead cropped to the
    largest centered window of the target aspect ratio and resized
    (bilinear) to the target size. The output is float.

    Args:
        height: the output height.
        width: the output width.
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> keras.layers.CenterCrop(2, 2)(tf.ones((1, 4, 4, 3))).shape
    torch.Size([1, 2, 2, 3])
    """

    def __init__(self, height: int, width: int, data_format=None, **kwargs):
        super().__init__(**kwargs)
        for arg, value in (("height", height), ("width", width)):
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(
                    f"CenterCrop({arg}=...) must be a positive integer, got {value!r}."
                )
        self.height = height
        self.width = width
        self.data_format = standardize_data_format(data_format)

    def call(self, inputs):
        images = as_float_images(inputs, self._tork_compute_dtype)
        x, restore = to_nhwc(images, self.data_format, where(self))
        h, w = x.shape[1], x.shape[2]
        if h >= self.height and w >= self.width:
            top, left = (h - self.height) // 2, (w - self.width) // 2
            return restore(x[:, top : top + self.height, left : left + self.width, :])
        return restore(resize(x, self.height, self.width, "bilinear", crop_to_aspect_ratio=True))

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        axes = (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        shape[axes[0]], shape[axes[1]] = self.height, self.width
        return tuple(shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"height": self.height, "width": self.width, "data_format": self.data_format})
        return config
