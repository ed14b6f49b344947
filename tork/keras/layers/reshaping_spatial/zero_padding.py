"""`keras.layers.ZeroPadding1D`, `ZeroPadding2D`, `ZeroPadding3D`: zeros around the spatial axes."""

from __future__ import annotations

import torch.nn.functional as F

from tork.keras.layers.convolutional import _conv_utils as cu
from tork.keras.layers.layer import Layer
from tork.keras.layers.reshaping_spatial._spatial import pairs


class BaseZeroPadding(Layer):
    """Base class of the zero-padding layers.

    Args:
        rank: the number of spatial dimensions (1, 2 or 3).
        padding: an int, a tuple of `rank` ints (symmetric per axis) or a tuple
            of `rank` (before, after) pairs.
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> keras.layers.ZeroPadding2D(1)(tf.ones((2, 4, 4, 3))).shape
    torch.Size([2, 6, 6, 3])
    """

    def __init__(self, rank: int, padding=1, data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = rank
        self._pairs = pairs(padding, rank, "padding", owner)
        self.padding = self._pairs[0] if rank == 1 else self._pairs
        self.data_format = cu.standardize_data_format(data_format, owner)
        self._channels_last = self.data_format == "channels_last"
        self._ndim = rank + 2
        self._spatial_axes = cu.spatial_axes(rank, self._channels_last)
        self._flat = cu.flat_pad(self._pairs, self._channels_last)

    def _check_rank(self, shape) -> None:
        if len(shape) != self._ndim:
            raise cu.rank_error(self, shape, self.rank, self._channels_last)

    def build(self, input_shape) -> None:
        self._check_rank(tuple(input_shape))
        self.built = True

    def call(self, inputs):
        if inputs.ndim != self._ndim:
            raise cu.rank_error(self, inputs.shape, self.rank, self._channels_last)
        return F.pad(inputs, self._flat)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        self._check_rank(shape)
        for axis, (before, after) in zip(self._spatial_axes, self._pairs):
            if shape[axis] is not None:
                shape[axis] = shape[axis] + before + after
        return tuple(shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["padding"] = self.padding
        # tf.keras 2's ZeroPadding1D has no `data_format` (Keras 3 added it) and refuses
        # configs that hold it: the 1D layer writes it only when it is not the default.
        if self.rank > 1 or not self._channels_last:
            config["data_format"] = self.data_format
        return config


class ZeroPadding1D(BaseZeroPadding):
    """Pads the steps of 1D data with zeros.

    Args:
        padding: an int, or a tuple of 2 ints (before, after).
        data_format: `'channels_last'` (default, inputs `(batch, steps, channels)`) or
            `'channels_first'` (inputs `(batch, channels, steps)`).

    Example:
    >>> keras.layers.ZeroPadding1D(1)(tf.ones((2, 4, 3))).shape
    torch.Size([2, 6, 3])
    """

    def __init__(self, padding=1, data_format: str | None = None, **kwargs):
        super().__init__(1, padding, data_format=data_format, **kwargs)


class ZeroPadding2D(BaseZeroPadding):
    """Pads the height and width of 2D data with zeros.

    Args:
        padding: an int, a tuple of 2 ints (symmetric per axis), or a tuple of 2
            (before, after) pairs.
        data_format: `'channels_last'` (default, inputs `(batch, height, width, channels)`) or
            `'channels_first'` (inputs `(batch, channels, height, width)`).

    Example:
    >>> keras.layers.ZeroPadding2D(1)(tf.ones((2, 4, 4, 3))).shape
    torch.Size([2, 6, 6, 3])
    """

    def __init__(self, padding=(1, 1), data_format: str | None = None, **kwargs):
        super().__init__(2, padding, data_format=data_format, **kwargs)


class ZeroPadding3D(BaseZeroPadding):
    """Pads the depth, height and width of 3D data with zeros.

    Args:
        padding: an int, a tuple of 3 ints (symmetric per axis), or a tuple of 3
            (before, after) pairs.
        data_format: `'channels_last'` (default, inputs `(batch, depth, height, width, channels)`) or
            `'channels_first'` (inputs `(batch, channels, depth, height, width)`).

    Example:
    >>> keras.layers.ZeroPadding3D(1)(tf.ones((2, 4, 4, 4, 3))).shape
    torch.Size([2, 6, 6, 6, 3])
    """

    def __init__(self, padding=(1, 1, 1), data_format: str | None = None, **kwargs):
        super().__init__(3, padding, data_format=data_format, **kwargs)
