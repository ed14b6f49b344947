"""`keras.layers.Conv1DTranspose`, `Conv2DTranspose`, `Conv3DTranspose` (transposed convolutions).

A transposed convolution scatters each input cell times the kernel into the
output: the gradient of a convolution with respect to its input. Output sizes
and the cropping of the full result follow Keras: the full result of length
`(n - 1) * stride + k_e` is cropped by `floor(excess / 2)` on the left (and the
rest on the right), or zero-filled on the right when the requested size is
larger. torch's `conv_transpose` crops symmetrically, so an odd excess is
cropped by one more slice on the right.
"""

from __future__ import annotations

import torch

from tork.keras.layers.convolutional import _conv_utils as cu
from tork.keras.layers.convolutional.base_conv import (
    _CONV_TRANSPOSE_FNS,
    _positive_int,
    _SpatialConv,
)


def _transpose_length(length, kernel, padding, output_padding, stride, dilation):
    """Keras's output length of a transposed convolution along one axis."""
    if length is None:
        return None
    span = cu.effective_size(kernel, dilation)
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(span - stride, 0)
        return length * stride
    if padding == "valid":
        return (length - 1) * stride + span + output_padding
    return (length - 1) * stride + span % 2 + output_padding


class BaseConvTranspose(_SpatialConv):
    """Base class of `Conv1DTranspose`, `Conv2DTranspose` and `Conv3DTranspose`.

    The kernel has Keras's layout `(*kernel_size, filters, input_channels)`.

    Args:
        rank: the number of spatial dimensions (1, 2 or 3).
        filters: the number of output channels.
        kernel_size: an int or a tuple of `rank` ints, the window size.
        strides: an int or a tuple of `rank` ints: the upsampling factor.
        padding: `'valid'` or `'same'` (output size `n * stride`).
        output_padding: None, or an int or tuple of `rank` ints, each smaller
            than the stride: the extra size added to the output.
        data_format: `'channels_last'` (default) or `'channels_first'`.
        dilation_rate: an int or a tuple of `rank` ints.
        activation: activation name or function; None means linear.
        use_bias: whether to add a bias vector.
        kernel_initializer: initializer of the kernel (default glorot_uniform).
        bias_initializer: initializer of the bias (default zeros).
        kernel_regularizer: optional regularizer of the kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint of the kernel.
        bias_constraint: optional constraint of the bias.

    Example:
    >>> layer = keras.layers.Conv2DTranspose(4, 3, strides=2, padding="same")
    >>> layer(tf.ones((2, 7, 7, 8))).shape
    torch.Size([2, 14, 14, 4])
    """

    _unused_k2_args = ("groups",)

    def __init__(
        self,
        rank: int,
        filters: int,
        kernel_size,
        strides=1,
        padding: str = "valid",
        output_padding=None,
        data_format: str | None = None,
        dilation_rate=1,
        activation=None,
        use_bias: bool = True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(rank, locals())
        owner = type(self).__name__
        self.filters = _positive_int(filters, "filters", owner, truncate_float=True)
        if output_padding is not None:
            output_padding = cu.normalize_tuple(
                output_padding, rank, "output_padding", owner, allow_zero=True
            )
            if any(p >= s for p, s in zip(output_padding, self.strides)):
                raise ValueError(
                    f"{owner}: each output_padding must be smaller than the stride, got "
                    f"output_padding={output_padding} with strides={self.strides}."
                )
        self.output_padding = output_padding
        self._set_weight_args(locals())
        self._conv_transpose = _CONV_TRANSPOSE_FNS[self._torch_rank]
        # The bias broadcast over a channels-first output: (filters, 1, ...).
        self._bias_shape = (-1,) + (1,) * self.rank
        self._make_transpose_plan()

    def _make_static_plan(self):
        return None  # transposed convolutions use their own (size-independent) plan

    def _make_transpose_plan(self) -> None:
        # (full length - Keras length) does not depend on the input length: plan once.
        pads, extra_pads, crops = [], [], []
        for i in range(self.rank):
            span, stride = self._spans[i], self.strides[i]
            op = None if self.output_padding is None else self.output_padding[i]
            # With one input cell the full result is `span` long.
            excess = span - _transpose_length(
                1, self.kernel_size[i], self.padding, op, stride, self.dilation_rate[i]
            )
            if excess >= 0:
                pads.append(excess // 2)
                extra_pads.append(0)
                crops.append(excess % 2)
            else:
                pads.append(0)
                extra_pads.append(-excess)
                crops.append(0)
        lead = (0,) if self._as_2d else ()
        self._torch_padding = lead + tuple(pads)
        self._torch_output_padding = lead + tuple(extra_pads)
        crop = tuple(slice(0, -1) if c else slice(None) for c in crops)
        if self._as_2d:
            crop = (slice(None),) + crop
        self._crop = (slice(None), slice(None), *crop) if any(crops) else None

    def _check_spatial(self, shape) -> None:
        return None  # any input size gives a non-empty output

    def build(self, input_shape) -> None:
        channels = self._check_build_shape(input_shape)
        self._in_channels = channels
        self.kernel = self._add_kernel("kernel", (*self.kernel_size, self.filters, channels))
        self._add_bias(self.filters)
        self.built = True

    def call(self, inputs):
        if inputs.ndim != self._ndim:
            raise cu.rank_error(self, inputs.shape, self.rank, self._channels_last, min_ndim=True)
        symbolic = self._symbolic_call(inputs)
        if symbolic is not None:
            return symbolic
        x = self._to_torch_layout(inputs)
        kernel = self._torch_kernel(self.kernel.permute(self._kernel_perm))
        bias = self.bias
        if kernel.dtype != x.dtype:
            x, kernel, bias = self._match_dtypes(x, kernel, bias)
        # torch's CPU (oneDNN) transposed convolution is up to 3x slower with a bias for
        # some shapes (e.g. kernel 3, stride 2, no padding: Keras's 'same' before the crop),
        # and its backward always is (fit: 1.3-1.9x for a strided layer): the bias is added
        # afterwards then, which also makes the cropped view a contiguous tensor.
        late_bias = bias is not None and (
            self._crop is not None or (bias.requires_grad and torch.is_grad_enabled())
        )
        try:
            outputs = self._conv_transpose(
                x,
                kernel,
                None if late_bias else bias,
                self._torch_strides,
                self._torch_padding,
                self._torch_output_padding,
                1,
                self._torch_dilation,
            )
        except RuntimeError:
            self._diagnose(inputs)
            raise
        if self._crop is not None:
            outputs = outputs[self._crop]
        outputs = self._from_torch_layout(outputs)
        if late_bias:
            outputs = outputs + (bias if self._channels_last else bias.view(self._bias_shape))
        if self._linear:
            return outputs
        return self.activation(outputs)

    def _output_spatial(self, spatial) -> tuple:
        ops = self.output_padding or (None,) * self.rank
        return tuple(
            _transpose_length(n, k, self.padding, op, s, d)
            for n, k, op, s, d in zip(
                spatial, self.kernel_size, ops, self.strides, self.dilation_rate
            )
        )

    def get_config(self) -> dict:
        return self._conv_config({"filters": self.filters, "output_padding": self.output_padding})


class Conv1DTranspose(BaseConvTranspose):
    """Transposed 1D convolution layer (sometimes called deconvolution).

    Upsamples by `strides`: each input cell adds `cell * kernel` into the
    output. The kernel has Keras's layout `(kernel_size, filters, input_channels)`
    and the bias `(filters,)`.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of 1 ints, the window size.
        strides: an int or a tuple of 1 ints: the upsampling factor.
        padding: `'valid'` (output `n * s + max(k - s, 0)`) or `'same'`
            (output `n * s`).
        output_padding: None, or an int or tuple of 1 ints smaller than the
            strides; then the output is `(n - 1) * s + k + output_padding`
            ('valid') or `(n - 1) * s + k % 2 + output_padding` ('same').
        data_format: `'channels_last'` (default, inputs `(batch, steps, channels)`) or
            `'channels_first'` (inputs `(batch, channels, steps)`).
        dilation_rate: an int or a tuple of 1 ints, the spacing of the taps.
        activation: activation name or function; None means linear.
        use_bias: whether to add a bias vector.
        kernel_initializer: initializer of the kernel (default glorot_uniform).
        bias_initializer: initializer of the bias (default zeros).
        kernel_regularizer: optional regularizer of the kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint of the kernel.
        bias_constraint: optional constraint of the bias.

    Example:
    >>> layer = keras.layers.Conv1DTranspose(4, 3, strides=2, padding="same")
    >>> layer(tf.ones((2, 5, 8))).shape
    torch.Size([2, 10, 4])
    """

    def __init__(
        self,
        filters: int,
        kernel_size,
        strides=1,
        padding: str = "valid",
        output_padding=None,
        data_format: str | None = None,
        dilation_rate=1,
        activation=None,
        use_bias: bool = True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(1, **cu.constructor_args(locals()))


class Conv2DTranspose(BaseConvTranspose):
    """Transposed 2D convolution layer (sometimes called deconvolution).

    Upsamples by `strides`: each input cell adds `cell * kernel` into the
    output. The kernel has Keras's layout `(kh, kw, filters, input_channels)`
    and the bias `(filters,)`.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of 2 ints, the window size.
        strides: an int or a tuple of 2 ints: the upsampling factor.
        padding: `'valid'` (output `n * s + max(k - s, 0)`) or `'same'`
            (output `n * s`).
        output_padding: None, or an int or tuple of 2 ints smaller than the
            strides; then the output is `(n - 1) * s + k + output_padding`
            ('valid') or `(n - 1) * s + k % 2 + output_padding` ('same').
        data_format: `'channels_last'` (default, inputs `(batch, height, width, channels)`) or
            `'channels_first'` (inputs `(batch, channels, height, width)`).
        dilation_rate: an int or a tuple of 2 ints, the spacing of the taps.
        activation: activation name or function; None means linear.
        use_bias: whether to add a bias vector.
        kernel_initializer: initializer of the kernel (default glorot_uniform).
        bias_initializer: initializer of the bias (default zeros).
        kernel_regularizer: optional regularizer of the kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint of the kernel.
        bias_constraint: optional constraint of the bias.

    Example:
    >>> layer = keras.layers.Conv2DTranspose(4, 3, strides=2, padding="same")
    >>> layer(tf.ones((2, 7, 7, 8))).shape
    torch.Size([2, 14, 14, 4])
    """

    def __init__(
        self,
        filters: int,
        kernel_size,
        strides=(1, 1),
        padding: str = "valid",
        output_padding=None,
        data_format: str | None = None,
        dilation_rate=(1, 1),
        activation=None,
        use_bias: bool = True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(2, **cu.constructor_args(locals()))


class Conv3DTranspose(BaseConvTranspose):
    """Transposed 3D convolution layer (sometimes called deconvolution).

    Upsamples by `strides`: each input cell adds `cell * kernel` into the
    output. The kernel has Keras's layout `(kd, kh, kw, filters, input_channels)`
    and the bias `(filters,)`.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of 3 ints, the window size.
        strides: an int or a tuple of 3 ints: the upsampling factor.
        padding: `'valid'` (output `n * s + max(k - s, 0)`) or `'same'`
            (output `n * s`).
        output_padding: None, or an int or tuple of 3 ints smaller than the
            strides; then the output is `(n - 1) * s + k + output_padding`
            ('valid') or `(n - 1) * s + k % 2 + output_padding` ('same').
        data_format: `'channels_last'` (default, inputs `(batch, depth, height, width, channels)`) or
            `'channels_first'` (inputs `(batch, channels, depth, height, width)`).
        dilation_rate: an int or a tuple of 3 ints, the spacing of the taps.
        activation: activation name or function; None means linear.
        use_bias: whether to add a bias vector.
        kernel_initializer: initializer of the kernel (default glorot_uniform).
        bias_initializer: initializer of the bias (default zeros).
        kernel_regularizer: optional regularizer of the kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint of the kernel.
        bias_constraint: optional constraint of the bias.

    Example:
    >>> layer = keras.layers.Conv3DTranspose(4, 3, strides=2, padding="same")
    >>> layer(tf.ones((2, 3, 3, 3, 8))).shape
    torch.Size([2, 6, 6, 6, 4])
    """

    def __init__(
        self,
        filters: int,
        kernel_size,
        strides=(1, 1, 1),
        padding: str = "valid",
        output_padding=None,
        data_format: str | None = None,
        dilation_rate=(1, 1, 1),
        activation=None,
        use_bias: bool = True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(3, **cu.constructor_args(locals()))


Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
