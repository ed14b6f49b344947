"""Adaptive pooling (Keras 3): `AdaptiveAveragePooling1D/2D/3D`, `AdaptiveMaxPooling1D/2D/3D`.

Adaptive pooling fixes the output's spatial size instead of the window: output
cell `i` of an axis of length `n` pooled to `m` covers input cells
`floor(i * n / m)` to `ceil((i + 1) * n / m) - 1`, so windows may overlap and
differ in size by one. These are torch's `adaptive_*_pool` definitions, which
Keras 3 shares.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from tork.keras.layers._call_context import where
from tork.keras.layers.convolutional import _conv_utils as cu
from tork.keras.layers.layer import Layer

_AXES_NAMES = {1: "(length,)", 2: "(height, width)", 3: "(depth, height, width)"}
_TORCH_POOLS = {
    ("average", 1): F.adaptive_avg_pool1d,
    ("average", 2): F.adaptive_avg_pool2d,
    ("average", 3): F.adaptive_avg_pool3d,
    ("max", 1): F.adaptive_max_pool1d,
    ("max", 2): F.adaptive_max_pool2d,
    ("max", 3): F.adaptive_max_pool3d,
}


def _output_size(value, rank: int, owner: str) -> tuple:
    if isinstance(value, int) and not isinstance(value, bool):
        sizes = (value,) * rank
    elif isinstance(value, (tuple, list)) and len(value) == rank:
        sizes = tuple(value)
    else:
        raise TypeError(
            f"{owner}: `output_size` must be an integer or {_AXES_NAMES[rank]} tuple. "
            f"Received: {value!r} of type {type(value)}"
        )
    if not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in sizes):
        raise ValueError(
            f"{owner}: every `output_size` entry must be a positive integer, got {value!r}."
        )
    return sizes


class BaseAdaptivePooling(Layer):
    """Base class of adaptive pooling: pools each spatial axis to a fixed size.

    Args:
        output_size: an int (the same size for every spatial axis) or a tuple
            with one size per spatial axis.
        rank: the number of spatial dimensions (1, 2 or 3).
        pool_mode: `'average'` or `'max'`.
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> keras.layers.AdaptiveAveragePooling2D((2, 3))(tf.ones((1, 5, 7, 4))).shape
    torch.Size([1, 2, 3, 4])
    """

    def __init__(self, output_size, rank: int, pool_mode: str, data_format=None, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.output_size = _output_size(output_size, rank, owner)
        self.rank = rank
        self.pool_mode = pool_mode
        self.data_format = cu.standardize_data_format(data_format, owner)
        self._channels_last = self.data_format == "channels_last"
        self._pool = _TORCH_POOLS[(pool_mode, rank)]

    def build(self, input_shape) -> None:
        shape = tuple(input_shape)
        if len(shape) != self.rank + 2:
            raise cu.rank_error(where(self), shape, self.rank, self._channels_last)
        self.built = True

    def call(self, inputs):
        if inputs.ndim != self.rank + 2:
            raise cu.rank_error(where(self), inputs.shape, self.rank, self._channels_last)
        if not self._channels_last:
            return self._pool(inputs, self.output_size)
        # torch pools (N, C, *S); permuted views feed it without copying.
        x = torch.permute(inputs, cu.to_torch_perm(self.rank))
        return torch.permute(self._pool(x, self.output_size), cu.from_torch_perm(self.rank))

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        if len(shape) != self.rank + 2:
            raise cu.rank_error(where(self), shape, self.rank, self._channels_last)
        if self._channels_last:
            return (shape[0], *self.output_size, shape[-1])
        return (shape[0], shape[1], *self.output_size)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"output_size": self.output_size, "data_format": self.data_format})
        return config


class AdaptiveAveragePooling1D(BaseAdaptivePooling):
    """Averages 1D inputs down to a fixed number of steps.

    Args:
        output_size: an int, or a (length,) tuple: the size of each spatial
            axis of the output.
        data_format: `'channels_last'` (default, `(batch, *spatial, channels)`)
            or `'channels_first'`.

    Example:
    >>> keras.layers.AdaptiveAveragePooling1D(3)(tf.ones((2, 6, 4))).shape
    torch.Size([2, 3, 4])
    """

    def __init__(self, output_size, data_format: str | None = None, **kwargs):
        super().__init__(output_size, 1, "average", data_format, **kwargs)


class AdaptiveAveragePooling2D(BaseAdaptivePooling):
    """Averages 2D inputs down to a fixed height and width.

    Args:
        output_size: an int, or a (height, width) tuple: the size of each spatial
            axis of the output.
        data_format: `'channels_last'` (default, `(batch, *spatial, channels)`)
            or `'channels_first'`.

    Example:
    >>> keras.layers.AdaptiveAveragePooling2D(3)(tf.ones((2, 6, 6, 4))).shape
    torch.Size([2, 3, 3, 4])
    """

    def __init__(self, output_size, data_format: str | None = None, **kwargs):
        super().__init__(output_size, 2, "average", data_format, **kwargs)


class AdaptiveAveragePooling3D(BaseAdaptivePooling):
    """Averages 3D inputs down to a fixed spatial size.

    Args:
        output_size: an int, or a (depth, height, width) tuple: the size of each spatial
            axis of the output.
        data_format: `'channels_last'` (default, `(batch, *spatial, channels)`)
            or `'channels_first'`.

    Example:
    >>> keras.layers.AdaptiveAveragePooling3D(3)(tf.ones((2, 6, 6, 6, 4))).shape
    torch.Size([2, 3, 3, 3, 4])
    """

    def __init__(self, output_size, data_format: str | None = None, **kwargs):
        super().__init__(output_size, 3, "average", data_format, **kwargs)


class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Max-pools 1D inputs down to a fixed number of steps.

    Args:
        output_size: an int, or a (length,) tuple: the size of each spatial
            axis of the output.
        data_format: `'channels_last'` (default, `(batch, *spatial, channels)`)
            or `'channels_first'`.

    Example:
    >>> keras.layers.AdaptiveMaxPooling1D(3)(tf.ones((2, 6, 4))).shape
    torch.Size([2, 3, 4])
    """

    def __init__(self, output_size, data_format: str | None = None, **kwargs):
        super().__init__(output_size, 1, "max", data_format, **kwargs)


class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """Max-pools 2D inputs down to a fixed height and width.

    Args:
        output_size: an int, or a (height, width) tuple: the size of each spatial
            axis of the output.
        data_format: `'channels_last'` (default, `(batch, *spatial, channels)`)
            or `'channels_first'`.

    Example:
    >>> keras.layers.AdaptiveMaxPooling2D(3)(tf.ones((2, 6, 6, 4))).shape
    torch.Size([2, 3, 3, 4])
    """

    def __init__(self, output_size, data_format: str | None = None, **kwargs):
        super().__init__(output_size, 2, "max", data_format, **kwargs)


class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """Max-pools 3D inputs down to a fixed spatial size.

    Args:
        output_size: an int, or a (depth, height, width) tuple: the size of each spatial
            axis of the output.
        data_format: `'channels_last'` (default, `(batch, *spatial, channels)`)
            or `'channels_first'`.

    Example:
    >>> keras.layers.AdaptiveMaxPooling3D(3)(tf.ones((2, 6, 6, 6, 4))).shape
    torch.Size([2, 3, 3, 3, 4])
    """

    def __init__(self, output_size, data_format: str | None = None, **kwargs):
        super().__init__(output_size, 3, "max", data_format, **kwargs)
