"""Global pooling: `GlobalMaxPooling1D/2D/3D`, `GlobalAveragePooling1D/2D/3D` (and aliases)."""

from __future__ import annotations

import torch

from tork._backend.ragged_tensor import RaggedTensor
from tork.keras.layers._call_context import where
from tork.keras.layers.convolutional import _conv_utils as cu
from tork.keras.layers.layer import Layer


class BaseGlobalPooling(Layer):
    """Base class of global pooling: reduces every spatial axis to one value per channel.

    Args:
        rank: the number of spatial dimensions (1, 2 or 3).
        pool_mode: `'max'` or `'average'`.
        data_format: `'channels_last'` (default) or `'channels_first'`.
        keepdims: False gives `(batch, channels)`; True keeps the spatial axes
            with size 1.

    Example:
    >>> keras.layers.GlobalAveragePooling2D()(tf.ones((2, 7, 7, 16))).shape
    torch.Size([2, 16])
    """

    def __init__(
        self,
        rank: int,
        pool_mode: str,
        data_format: str | None = None,
        keepdims: bool = False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.rank = rank
        self.pool_mode = pool_mode
        self.data_format = cu.standardize_data_format(data_format, type(self).__name__)
        self.keepdims = bool(keepdims)
        self._channels_last = self.data_format == "channels_last"
        self._ndim = rank + 2
        self._dims = cu.spatial_axes(rank, self._channels_last)
        self._is_max = pool_mode == "max"

    def _check_rank(self, shape) -> None:
        if len(shape) != self._ndim:
            raise cu.rank_error(self, shape, self.rank, self._channels_last)

    def build(self, input_shape) -> None:
        shape = tuple(input_shape)
        self._check_rank(shape)
        for axis in self._dims:
            if shape[axis] == 0:
                # Keras 2 refuses too: the mean of nothing is NaN, the max has no value.
                raise ValueError(
                    f"{where(self)}: incorrect input shape {shape} with dimension 0 at "
                    f"reduction axis {axis}; there is nothing to pool over. Check the "
                    "layers before it (a Cropping or a 'valid' convolution may leave no steps)."
                )
        self.built = True

    def call(self, inputs):
        if isinstance(inputs, RaggedTensor) and self._channels_last:
            # Ragged steps (Keras 2): pool each row over its own length.
            from tork.ops import math as tf_math

            reduce = tf_math.reduce_max if self._is_max else tf_math.reduce_mean
            return reduce(inputs, axis=list(self._dims), keepdims=self.keepdims)
        if inputs.ndim != self._ndim:
            raise cu.rank_error(self, inputs.shape, self.rank, self._channels_last)
        if self._is_max:
            return inputs.amax(dim=self._dims, keepdim=self.keepdims)
        return inputs.mean(dim=self._dims, keepdim=self.keepdims)

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        self._check_rank(shape)
        channels = shape[-1] if self._channels_last else shape[1]
        if not self.keepdims:
            return (shape[0], channels)
        if self._channels_last:
            return (shape[0], *(1,) * self.rank, channels)
        return (shape[0], channels, *(1,) * self.rank)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Global average pooling over the steps of 1D inputs.

    With a mask `(batch, steps)` (e.g. from `Embedding(mask_zero=True)`)
    only the unmasked steps are averaged.

    Args:
        data_format: `'channels_last'` (default, inputs `(batch, steps, channels)`) or
            `'channels_first'` (inputs `(batch, channels, steps)`).
        keepdims: False (default) gives `(batch, channels)`; True keeps the
            reduced axes with size 1.

    Example:
    >>> keras.layers.GlobalAveragePooling1D()(tf.ones((2, 10, 16))).shape
    torch.Size([2, 16])
    """

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs):
        super().__init__(1, "average", data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True
        self._step_axis = 1 if self._channels_last else 2

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        if isinstance(inputs, RaggedTensor) and self._channels_last:
            return self._ragged_masked_mean(inputs, mask)
        if inputs.ndim != 3:
            raise cu.rank_error(self, inputs.shape, 1, self._channels_last)
        # `as_tensor`: a mask passed by hand may be a NumPy array or a list.
        weights = torch.as_tensor(mask, device=inputs.device).to(inputs.dtype)
        weights = weights.unsqueeze(-1) if self._channels_last else weights.unsqueeze(1)
        total = (inputs * weights).sum(dim=self._step_axis, keepdim=self.keepdims)
        return total / weights.sum(dim=self._step_axis, keepdim=self.keepdims)

    def _ragged_masked_mean(self, inputs, mask):
        # tf.keras averages only the unmasked steps of each ragged row (a ragged mask from
        # Embedding(mask_zero=True) has the rows' structure).
        from tork.ops import math as tf_math

        flat = inputs.flat_values
        keep = torch.as_tensor(mask.flat_values if isinstance(mask, RaggedTensor) else mask)
        keep = keep.to(device=flat.device, dtype=flat.dtype)
        total = tf_math.reduce_sum(
            inputs.with_flat_values(flat * keep.reshape(-1, *(1,) * (flat.dim() - 1))), axis=1
        )
        count = tf_math.reduce_sum(inputs.with_flat_values(keep), axis=1)
        out = total / count.reshape(-1, *(1,) * (total.dim() - 1))
        return out.unsqueeze(1) if self.keepdims else out

    def compute_mask(self, inputs, mask=None):
        return None  # the steps are reduced away


class GlobalAveragePooling2D(BaseGlobalPooling):
    """Global average pooling over the height and width of 2D inputs.

    Args:
        data_format: `'channels_last'` (default, inputs `(batch, height, width, channels)`) or
            `'channels_first'` (inputs `(batch, channels, height, width)`).
        keepdims: False (default) gives `(batch, channels)`; True keeps the
            reduced axes with size 1.

    Example:
    >>> keras.layers.GlobalAveragePooling2D()(tf.ones((2, 7, 7, 16))).shape
    torch.Size([2, 16])
    """

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs):
        super().__init__(2, "average", data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalAveragePooling3D(BaseGlobalPooling):
    """Global average pooling over the depth, height and width of 3D inputs.

    Args:
        data_format: `'channels_last'` (default, inputs `(batch, depth, height, width, channels)`) or
            `'channels_first'` (inputs `(batch, channels, depth, height, width)`).
        keepdims: False (default) gives `(batch, channels)`; True keeps the
            reduced axes with size 1.

    Example:
    >>> keras.layers.GlobalAveragePooling3D()(tf.ones((2, 4, 4, 4, 16))).shape
    torch.Size([2, 16])
    """

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs):
        super().__init__(3, "average", data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalMaxPooling1D(BaseGlobalPooling):
    """Global maximum pooling over the steps of 1D inputs.

    Args:
        data_format: `'channels_last'` (default, inputs `(batch, steps, channels)`) or
            `'channels_first'` (inputs `(batch, channels, steps)`).
        keepdims: False (default) gives `(batch, channels)`; True keeps the
            reduced axes with size 1.

    Example:
    >>> keras.layers.GlobalMaxPooling1D()(tf.ones((2, 10, 16))).shape
    torch.Size([2, 16])
    """

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs):
        super().__init__(1, "max", data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalMaxPooling2D(BaseGlobalPooling):
    """Global maximum pooling over the height and width of 2D inputs.

    Args:
        data_format: `'channels_last'` (default, inputs `(batch, height, width, channels)`) or
            `'channels_first'` (inputs `(batch, channels, height, width)`).
        keepdims: False (default) gives `(batch, channels)`; True keeps the
            reduced axes with size 1.

    Example:
    >>> keras.layers.GlobalMaxPooling2D()(tf.ones((2, 7, 7, 16))).shape
    torch.Size([2, 16])
    """

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs):
        super().__init__(2, "max", data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalMaxPooling3D(BaseGlobalPooling):
    """Global maximum pooling over the depth, height and width of 3D inputs.

    Args:
        data_format: `'channels_last'` (default, inputs `(batch, depth, height, width, channels)`) or
            `'channels_first'` (inputs `(batch, channels, depth, height, width)`).
        keepdims: False (default) gives `(batch, channels)`; True keeps the
            reduced axes with size 1.

    Example:
    >>> keras.layers.GlobalMaxPooling3D()(tf.ones((2, 4, 4, 4, 16))).shape
    torch.Size([2, 16])
    """

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs):
        super().__init__(3, "max", data_format=data_format, keepdims=keepdims, **kwargs)


GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalAvgPool3D = GlobalAveragePooling3D

GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalMaxPool3D = GlobalMaxPooling3D
