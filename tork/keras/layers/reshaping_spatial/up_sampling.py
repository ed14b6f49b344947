"""`keras.layers.UpSampling1D`, `UpSampling2D`, `UpSampling3D`: repeat (or interpolate) cells."""

from __future__ import annotations

import torch.nn.functional as F

from tork.keras.layers.convolutional import _conv_utils as cu
from tork.keras.layers.layer import Layer

# The methods of tf.image.resize that tf.keras 2's UpSampling2D accepts; beyond nearest and
# bilinear (done here with torch kernels), the result is tf.image.resize's.
_RESIZE_METHODS = ("bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")


class BaseUpSampling(Layer):
    """Base class of the upsampling layers: each spatial axis grows by its factor.

    Args:
        rank: the number of spatial dimensions (1, 2 or 3).
        size: an int or a tuple of `rank` ints, the factor of each spatial axis.
        data_format: `'channels_last'` (default) or `'channels_first'`.
        interpolation: `'nearest'` (repeat each cell) or, for 2D, one of
            `'bilinear'`, `'bicubic'`, `'area'`, `'lanczos3'`, `'lanczos5'`,
            `'gaussian'`, `'mitchellcubic'` (TensorFlow's `tf.image.resize`).

    Example:
    >>> keras.layers.UpSampling2D()(tf.ones((2, 4, 4, 3))).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        rank: int,
        size=2,
        data_format: str | None = None,
        interpolation: str = "nearest",
        **kwargs,
    ):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = rank
        self.size = cu.normalize_tuple(size, rank, "size", owner)
        self.data_format = cu.standardize_data_format(data_format, owner)
        allowed = ("nearest", "bilinear", *_RESIZE_METHODS) if rank == 2 else ("nearest",)
        method = interpolation.lower() if isinstance(interpolation, str) else interpolation
        if method not in allowed:
            valid = ", ".join(repr(a) for a in allowed)
            raise ValueError(
                f"{owner}(interpolation=...) must be one of {valid}, got {interpolation!r}."
            )
        self.interpolation = method
        self._channels_last = self.data_format == "channels_last"
        self._ndim = rank + 2
        self._spatial_axes = cu.spatial_axes(rank, self._channels_last)
        factors = [1] * self._ndim
        for axis, factor in zip(self._spatial_axes, self.size):
            factors[axis] = factor
        self._factors = tuple(factors)
        self._identity = all(f == 1 for f in self.size)

    def _check_rank(self, shape) -> None:
        if len(shape) != self._ndim:
            raise cu.rank_error(self, shape, self.rank, self._channels_last)

    def build(self, input_shape) -> None:
        self._check_rank(tuple(input_shape))
        self.built = True

    def call(self, inputs):
        if inputs.ndim != self._ndim:
            raise cu.rank_error(self, inputs.shape, self.rank, self._channels_last)
        if self.interpolation == "bilinear":
            return self._bilinear(inputs)
        if self.interpolation in _RESIZE_METHODS:
            return self._resize(inputs)
        if self._identity:
            return inputs
        # Each cell repeated: a broadcast view, then one copy into the final layout.
        view, expanded, final = [], [], []
        for d, f in zip(inputs.shape, self._factors):
            if f == 1:
                view.append(d)
                expanded.append(d)
            else:
                view += [d, 1]
                expanded += [d, f]
            final.append(d * f)
        return inputs.reshape(view).expand(expanded).reshape(final)

    def _bilinear(self, inputs):
        # torch's align_corners=False is TF's half-pixel-centers bilinear resize.
        x = inputs.permute(0, 3, 1, 2) if self._channels_last else inputs
        size = (x.shape[2] * self.size[0], x.shape[3] * self.size[1])
        outputs = F.interpolate(x, size=size, mode="bilinear", align_corners=False)
        return outputs.permute(0, 2, 3, 1) if self._channels_last else outputs

    def _resize(self, inputs):
        # Imported here: tork.ops.image imports tork.keras's preprocessing layers.
        from tork.ops.image import resize

        x = inputs if self._channels_last else inputs.permute(0, 2, 3, 1)
        size = (x.shape[1] * self.size[0], x.shape[2] * self.size[1])
        # tf.image.resize computes in float32 (as tf.keras 2, whatever the input dtype).
        outputs = resize(x, size, method=self.interpolation)
        if inputs.is_floating_point():
            outputs = outputs.to(inputs.dtype)
        return outputs if self._channels_last else outputs.permute(0, 3, 1, 2)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        self._check_rank(shape)
        for axis, factor in zip(self._spatial_axes, self.size):
            if shape[axis] is not None:
                shape[axis] = shape[axis] * factor
        return tuple(shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["size"] = self.size[0] if self.rank == 1 else self.size
        if self.rank > 1:
            config["data_format"] = self.data_format
        if self.rank == 2:
            config["interpolation"] = self.interpolation
        return config


class UpSampling1D(BaseUpSampling):
    """Upsampling layer for 1D data: repeats each step `size` times.

    Args:
        size: the repetition factor of the steps axis.

    Example:
    >>> keras.layers.UpSampling1D(2)(tf.ones((2, 4, 3))).shape
    torch.Size([2, 8, 3])
    """

    def __init__(self, size: int = 2, **kwargs):
        super().__init__(1, size, data_format="channels_last", **kwargs)


class UpSampling2D(BaseUpSampling):
    """Upsampling layer for 2D data: repeats rows and columns, or interpolates.

    Args:
        size: an int or a tuple of 2 ints, the factors of height and width.
        data_format: `'channels_last'` (default, inputs `(batch, height, width,
            channels)`) or `'channels_first'` (inputs `(batch, channels, height,
            width)`).
        interpolation: `'nearest'` (default), `'bilinear'`, `'bicubic'`,
            `'area'`, `'lanczos3'`, `'lanczos5'`, `'gaussian'` or
            `'mitchellcubic'`: the methods of TensorFlow's half-pixel-centers
            `tf.image.resize`.

    Example:
    >>> keras.layers.UpSampling2D(2, interpolation="bilinear")(tf.ones((2, 4, 4, 3))).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        size=(2, 2),
        data_format: str | None = None,
        interpolation: str = "nearest",
        **kwargs,
    ):
        super().__init__(2, size, data_format=data_format, interpolation=interpolation, **kwargs)


class UpSampling3D(BaseUpSampling):
    """Upsampling layer for 3D data: repeats cells along depth, height and width.

    Args:
        size: an int or a tuple of 3 ints, the factors of depth, height and width.
        data_format: `'channels_last'` (default, inputs `(batch, depth, height,
            width, channels)`) or `'channels_first'`.

    Example:
    >>> keras.layers.UpSampling3D(2)(tf.ones((2, 2, 2, 2, 3))).shape
    torch.Size([2, 4, 4, 4, 3])
    """

    def __init__(self, size=(2, 2, 2), data_format: str | None = None, **kwargs):
        super().__init__(3, size, data_format=data_format, **kwargs)
