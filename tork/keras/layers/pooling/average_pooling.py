"""`keras.layers.AveragePooling1D`, `AveragePooling2D`, `AveragePooling3D` (and their aliases)."""

from __future__ import annotations

from tork.keras.layers.convolutional import _conv_utils as cu
from tork.keras.layers.pooling.base_pooling import BasePooling


class AveragePooling1D(BasePooling):
    """Average pooling over 1D windows: the average of each window, per channel.

    With `padding='same'` padded cells are left out of the count: pool 3,
    stride 2 on `[1, 2, 3, 4, 5, 6]` gives `[2, 4, 5.5]`.

    Args:
        pool_size: an int or a tuple of 1 ints, the window size.
        strides: an int or a tuple of 1 ints; None (default) means `pool_size`.
        padding: `'valid'` (default) or `'same'` (output size `ceil(n / stride)`).
        data_format: `'channels_last'` (default, inputs `(batch, steps, channels)`) or
            `'channels_first'` (inputs `(batch, channels, steps)`).

    Example:
    >>> keras.layers.AveragePooling1D()(tf.ones((2, 10, 3))).shape
    torch.Size([2, 5, 3])
    """

    def __init__(
        self,
        pool_size=2,
        strides=None,
        padding: str = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(1, "average", **cu.constructor_args(locals()))


class AveragePooling2D(BasePooling):
    """Average pooling over 2D windows: the average of each window, per channel.

    With `padding='same'` padded cells are left out of the count: pool 3,
    stride 2 on `[1, 2, 3, 4, 5, 6]` gives `[2, 4, 5.5]`.

    Args:
        pool_size: an int or a tuple of 2 ints, the window size.
        strides: an int or a tuple of 2 ints; None (default) means `pool_size`.
        padding: `'valid'` (default) or `'same'` (output size `ceil(n / stride)`).
        data_format: `'channels_last'` (default, inputs `(batch, height, width, channels)`) or
            `'channels_first'` (inputs `(batch, channels, height, width)`).

    Example:
    >>> keras.layers.AveragePooling2D()(tf.ones((2, 28, 28, 3))).shape
    torch.Size([2, 14, 14, 3])
    """

    def __init__(
        self,
        pool_size=(2, 2),
        strides=None,
        padding: str = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(2, "average", **cu.constructor_args(locals()))


class AveragePooling3D(BasePooling):
    """Average pooling over 3D windows: the average of each window, per channel.

    With `padding='same'` padded cells are left out of the count: pool 3,
    stride 2 on `[1, 2, 3, 4, 5, 6]` gives `[2, 4, 5.5]`.

    Args:
        pool_size: an int or a tuple of 3 ints, the window size.
        strides: an int or a tuple of 3 ints; None (default) means `pool_size`.
        padding: `'valid'` (default) or `'same'` (output size `ceil(n / stride)`).
        data_format: `'channels_last'` (default, inputs `(batch, depth, height, width, channels)`) or
            `'channels_first'` (inputs `(batch, channels, depth, height, width)`).

    Example:
    >>> keras.layers.AveragePooling3D()(tf.ones((2, 8, 8, 8, 3))).shape
    torch.Size([2, 4, 4, 4, 3])
    """

    def __init__(
        self,
        pool_size=(2, 2, 2),
        strides=None,
        padding: str = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(3, "average", **cu.constructor_args(locals()))


AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
AvgPool3D = AveragePooling3D
