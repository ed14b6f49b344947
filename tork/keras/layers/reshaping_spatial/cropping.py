"""`keras.layers.Cropping1D`, `Cropping2D`, `Cropping3D`: remove cells at the spatial borders."""

from __future__ import annotations

from tork.keras.layers._call_context import where
from tork.keras.layers.convolutional import _conv_utils as cu
from tork.keras.layers.layer import Layer
from tork.keras.layers.reshaping_spatial._spatial import pairs


class BaseCropping(Layer):
    """Base class of the cropping layers; the result is a view of the input.

    Args:
        rank: the number of spatial dimensions (1, 2 or 3).
        cropping: an int, a tuple of `rank` ints (symmetric per axis) or a tuple
            of `rank` (before, after) pairs.
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> keras.layers.Cropping2D(1)(tf.ones((2, 6, 6, 3))).shape
    torch.Size([2, 4, 4, 3])
    """

    def __init__(self, rank: int, cropping=1, data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = rank
        self._pairs = pairs(cropping, rank, "cropping", owner)
        self.cropping = self._pairs[0] if rank == 1 else self._pairs
        self.data_format = cu.standardize_data_format(data_format, owner)
        self._channels_last = self.data_format == "channels_last"
        self._ndim = rank + 2
        self._spatial_axes = cu.spatial_axes(rank, self._channels_last)
        crops = tuple(slice(before, -after if after else None) for before, after in self._pairs)
        self._index = (
            (slice(None), *crops, slice(None))
            if self._channels_last
            else (slice(None), slice(None), *crops)
        )
        self._totals = tuple(before + after for before, after in self._pairs)

    def _check(self, shape) -> None:
        shape = tuple(shape)
        if len(shape) != self._ndim:
            raise cu.rank_error(self, shape, self.rank, self._channels_last)
        for axis, total, (before, after) in zip(self._spatial_axes, self._totals, self._pairs):
            size = shape[axis]
            if size is not None and size <= total:
                raise ValueError(
                    f"{where(self)}: cannot crop {before} + {after} cells from axis {axis} of "
                    f"size {size} (input shape {tuple(shape)}); at least one cell must remain. "
                    "Use a smaller cropping or larger inputs."
                )

    def build(self, input_shape) -> None:
        self._check(input_shape)
        self.built = True

    def call(self, inputs):
        self._check(inputs.shape)
        return inputs[self._index]

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        shape = list(input_shape)
        for axis, total in zip(self._spatial_axes, self._totals):
            if shape[axis] is not None:
                shape[axis] = shape[axis] - total
        return tuple(shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["cropping"] = self.cropping
        if self.rank > 1:
            config["data_format"] = self.data_format
        return config


class Cropping1D(BaseCropping):
    """Crops the steps of 1D data (the result is a view).

    Args:
        cropping: an int, or a tuple of 2 ints (before, after).

    Example:
    >>> keras.layers.Cropping1D(1)(tf.ones((2, 4, 3))).shape
    torch.Size([2, 2, 3])
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(1, cropping, data_format="channels_last", **kwargs)


class Cropping2D(BaseCropping):
    """Crops the height and width of 2D data (the result is a view).

    Args:
        cropping: an int, a tuple of 2 ints (symmetric per axis), or a tuple of 2
            (before, after) pairs.
        data_format: `'channels_last'` (default, inputs `(batch, height, width, channels)`) or
            `'channels_first'` (inputs `(batch, channels, height, width)`).

    Example:
    >>> keras.layers.Cropping2D(1)(tf.ones((2, 4, 4, 3))).shape
    torch.Size([2, 2, 2, 3])
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format: str | None = None, **kwargs):
        super().__init__(2, cropping, data_format=data_format, **kwargs)


class Cropping3D(BaseCropping):
    """Crops the depth, height and width of 3D data (the result is a view).

    Args:
        cropping: an int, a tuple of 3 ints (symmetric per axis), or a tuple of 3
            (before, after) pairs.
        data_format: `'channels_last'` (default, inputs `(batch, depth, height, width, channels)`) or
            `'channels_first'` (inputs `(batch, channels, depth, height, width)`).

    Example:
    >>> keras.layers.Cropping3D(1)(tf.ones((2, 4, 4, 4, 3))).shape
    torch.Size([2, 2, 2, 2, 3])
    """

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format: str | None = None, **kwargs):
        super().__init__(3, cropping, data_format=data_format, **kwargs)
