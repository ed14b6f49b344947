"""The shared machinery of `MaxPooling*D` and `AveragePooling*D`.

Pooling runs on torch's kernels, with channels-last inputs handed over as
permuted views (torch's `channels_last` memory format). TensorFlow's 'same'
padding never lets padded cells into the result: max pooling ignores them and
average pooling leaves them out of the count. torch does exactly that for its
implicit left padding and for the partial windows `ceil_mode` adds on the
right, so 'same' maps to `padding=left, ceil_mode=True` whenever that yields
TensorFlow's output size; otherwise (stride 1 with an even window) the input is
padded explicitly and average pooling divides by the count of real cells.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from tork._backend.tracing import values_readable
from tork.keras.layers._call_context import where
from tork.keras.layers.convolutional import _conv_utils as cu
from tork.keras.layers.layer import Layer
from tork.keras.layers.pooling import _window_max


def _avg_pool3d(x, *args):
    """`F.avg_pool3d`, computed in float32 for 16-bit inputs on the CPU.

    torch's CPU kernel has no float16/bfloat16 version; TensorFlow pools bfloat16 there
    (a `mixed_bfloat16` model), so the window means are taken in float32 and rounded back.
    """
    if x.device.type == "cpu" and x.dtype in (torch.float16, torch.bfloat16):
        return F.avg_pool3d(x.float(), *args).to(x.dtype)
    return F.avg_pool3d(x, *args)


_MAX_FNS = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG_FNS = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: _avg_pool3d}


def _torch_ceil_length(length: int, pool: int, stride: int, pad: int) -> int:
    """The output length torch computes with `ceil_mode=True`."""
    out = -(-(length + 2 * pad - pool) // stride) + 1
    if (out - 1) * stride >= length + pad:
        out -= 1  # torch drops a last window that would start in the right padding
    return out


class BasePooling(Layer):
    """Base class of max and average pooling layers.

    Args:
        rank: the number of spatial dimensions (1, 2 or 3).
        pool_mode: `'max'` or `'average'`.
        pool_size: an int or a tuple of `rank` ints, the window size.
        strides: an int or a tuple of `rank` ints; None means `pool_size`.
        padding: `'valid'` (windows inside the input) or `'same'` (output size
            `ceil(n / stride)`; padded cells never count).
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> keras.layers.MaxPooling2D()(tf.ones((2, 28, 28, 3))).shape
    torch.Size([2, 14, 14, 3])
    """

    def __init__(
        self,
        rank: int,
        pool_mode: str,
        pool_size,
        strides=None,
        padding: str = "valid",
        data_format: str | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = rank
        self.pool_mode = pool_mode
        self.pool_size = cu.normalize_tuple(pool_size, rank, "pool_size", owner)
        self.strides = (
            self.pool_size
            if strides is None
            else cu.normalize_tuple(strides, rank, "strides", owner)
        )
        self.padding = cu.normalize_padding(padding, owner, ("valid", "same"))
        self.data_format = cu.standardize_data_format(data_format, owner)
        self._channels_last = self.data_format == "channels_last"
        self._ndim = rank + 2
        self._spatial_axes = cu.spatial_axes(rank, self._channels_last)
        self._to_torch = cu.to_torch_perm(rank)
        self._from_torch = cu.from_torch_perm(rank)
        self._is_max = pool_mode == "max"
        self._pool = (_MAX_FNS if self._is_max else _AVG_FNS)[rank]
        # A plain dict (not a tracked structure): padding plans per input size.
        object.__setattr__(self, "_plans", {})

    def _check_rank(self, shape) -> None:
        if len(shape) != self._ndim:
            raise cu.rank_error(self, shape, self.rank, self._channels_last)

    def build(self, input_shape) -> None:
        shape = tuple(input_shape)
        self._check_rank(shape)
        self._check_spatial(shape)
        self.built = True

    def _check_spatial(self, shape) -> None:
        if self.padding != "valid":
            return
        spatial = tuple(shape[a] for a in self._spatial_axes)
        if any(n is not None and n < k for n, k in zip(spatial, self.pool_size)):
            raise ValueError(
                f"{where(self)}: the input's spatial size {cu.plain_shape(spatial)} is smaller "
                f"than pool_size={self.pool_size} with padding='valid' (input shape "
                f"{cu.plain_shape(shape)}), so the output would be empty. Use padding='same', a "
                "smaller pool_size, or larger inputs."
            )

    def _plan_for(self, shape) -> tuple:
        spatial = tuple(shape[a] for a in self._spatial_axes)
        plan = self._plans.get(spatial)
        if plan is None:
            pads = [cu.same_pads(n, k, s) for n, k, s in zip(spatial, self.pool_size, self.strides)]
            fits = all(
                n + 2 * left >= k and _torch_ceil_length(n, k, s, left) == -(-n // s)
                for n, k, s, (left, _) in zip(spatial, self.pool_size, self.strides, pads)
            )
            plan = (True, tuple(left for left, _ in pads)) if fits else (False, pads)
            if len(self._plans) < 64:
                self._plans[spatial] = plan
        return plan

    def _tiled(self, shape) -> bool:
        """Whether the windows tile the input: no padding, and none overlap."""
        spatial = tuple(shape[a] for a in self._spatial_axes)
        if not _window_max.tiles(spatial, self.pool_size, self.strides):
            return False
        return self.padding == "valid" or all(n % k == 0 for n, k in zip(spatial, self.pool_size))

    def _pool_same(self, x, shape):
        implicit, pads = self._plan_for(shape)
        if implicit:
            if self._is_max:
                return self._pool(x, self.pool_size, self.strides, pads, 1, True)
            return self._pool(x, self.pool_size, self.strides, pads, True, False)
        flat = cu.flat_pad(pads, channels_last=False)
        if self._is_max:
            fill = float("-inf") if x.is_floating_point() else torch.iinfo(x.dtype).min
            return self._pool(F.pad(x, flat, value=fill), self.pool_size, self.strides)
        # Sum over each window divided by the number of real (unpadded) cells in it.
        sums = self._pool(F.pad(x, flat), self.pool_size, self.strides)
        ones = torch.ones((1, 1, *x.shape[2:]), dtype=x.dtype, device=x.device)
        counts = self._pool(F.pad(ones, flat), self.pool_size, self.strides)
        return sums / counts

    def call(self, inputs):
        if inputs.ndim != self._ndim:
            raise cu.rank_error(self, inputs.shape, self.rank, self._channels_last)
        if self._is_max and not values_readable(inputs) and self._tiled(inputs.shape):
            # Traced into a compiled step: a reduction whose backward inductor fuses.
            return _window_max.window_max(inputs, self.pool_size, self._channels_last)
        x = inputs.permute(self._to_torch) if self._channels_last else inputs
        try:
            if self.padding == "valid":
                outputs = self._pool(x, self.pool_size, self.strides)
            else:
                outputs = self._pool_same(x, inputs.shape)
        except RuntimeError:
            try:
                self._check_spatial(tuple(inputs.shape))
            except ValueError as clear:
                raise clear from None  # clearer than torch's message
            raise
        if self._channels_last:
            return outputs.permute(self._from_torch)
        return outputs

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        self._check_rank(shape)
        spatial = tuple(
            cu.conv_output_length(shape[a], k, self.padding, s)
            for a, k, s in zip(self._spatial_axes, self.pool_size, self.strides)
        )
        channels = shape[-1] if self._channels_last else shape[1]
        if self._channels_last:
            return (shape[0], *spatial, channels)
        return (shape[0], channels, *spatial)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "pool_size": self.pool_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
            }
        )
        return config
