"""`keras.layers.SeparableConv1D` and `SeparableConv2D`: depthwise then pointwise convolution."""

from __future__ import annotations

import torch.nn.functional as F

from tork.keras import constraints, initializers, regularizers
from tork.keras.layers.convolutional import _conv_utils as cu
from tork.keras.layers.convolutional.base_conv import _CONV_FNS, _positive_int
from tork.keras.layers.convolutional.depthwise_conv import BaseDepthwiseConv


class BaseSeparableConv(BaseDepthwiseConv):
    """Base class of separable convolutions: a depthwise convolution, then a 1x1 convolution.

    Weights, in Keras's layouts: `depthwise_kernel` `(*kernel_size, in, depth_multiplier)`,
    `pointwise_kernel` `(1, ..., in * depth_multiplier, filters)` and `bias` `(filters,)`.
    Strides, padding and dilation apply to the depthwise step.

    Args:
        rank: the number of spatial dimensions (1 or 2).
        depth_multiplier: the number of depthwise output channels per input channel.
        filters: the number of output channels.
        kernel_size: an int or a tuple of `rank` ints, the depthwise window size.
        strides: an int or a tuple of `rank` ints.
        padding: `'valid'`, `'same'` or (1D) `'causal'`.
        data_format: `'channels_last'` (default) or `'channels_first'`.
        dilation_rate: an int or a tuple of `rank` ints.
        activation: activation name or function; None means linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer: initializer of the depthwise kernel (default glorot_uniform).
        pointwise_initializer: initializer of the pointwise kernel (default glorot_uniform).
        bias_initializer: initializer of the bias (default zeros).
        depthwise_regularizer: optional regularizer of the depthwise kernel.
        pointwise_regularizer: optional regularizer of the pointwise kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        depthwise_constraint: optional constraint of the depthwise kernel.
        pointwise_constraint: optional constraint of the pointwise kernel.
        bias_constraint: optional constraint of the bias.

    Example:
    >>> keras.layers.SeparableConv2D(8, 3)(tf.ones((2, 8, 8, 3))).shape
    torch.Size([2, 6, 6, 8])
    """

    _unused_k2_args = ("groups", "kernel_initializer", "kernel_regularizer", "kernel_constraint")

    def __init__(
        self,
        rank: int,
        depth_multiplier: int = 1,
        filters: int = 1,
        kernel_size=3,
        strides=1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate=1,
        activation=None,
        use_bias: bool = True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        self._init_depthwise(rank, locals())
        self.filters = _positive_int(filters, "filters", type(self).__name__, truncate_float=True)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.pointwise_constraint = constraints.get(pointwise_constraint)
        self._pointwise_conv = _CONV_FNS[rank]

    @property
    def kernel(self):
        raise AttributeError(
            f"{type(self).__name__} has no 'kernel': its weights are 'depthwise_kernel' and "
            "'pointwise_kernel'."
        )

    def build(self, input_shape) -> None:
        channels = self._check_build_shape(input_shape)
        self._in_channels = channels
        middle = channels * self.depth_multiplier
        self._out_channels = middle
        self._flat_shape = (*self.kernel_size, middle)
        self._pointwise_2d = (middle, self.filters)
        self._pointwise_torch = (self.filters, middle) + (1,) * self.rank
        self.depthwise_kernel = self._add_kernel(
            "depthwise_kernel", (*self.kernel_size, channels, self.depth_multiplier)
        )
        self.pointwise_kernel = self._add_kernel(
            "pointwise_kernel", (1,) * self.rank + (middle, self.filters)
        )
        self._add_bias(self.filters)
        self.built = True

    def call(self, inputs):
        symbolic = self._symbolic_call(inputs)
        if symbolic is not None:
            return symbolic
        depthwise = self._depthwise(inputs, None)
        pointwise = self.pointwise_kernel.reshape(self._pointwise_2d)
        bias = self.bias
        if pointwise.dtype != depthwise.dtype:
            pointwise = pointwise.to(depthwise.dtype)
            bias = None if bias is None else bias.to(depthwise.dtype)
        if self._channels_last:
            # A 1x1 convolution on channels-last data is a matmul over the last axis.
            outputs = F.linear(self._from_torch_layout(depthwise), pointwise.T, bias)
        else:
            kernel = pointwise.T.reshape(self._pointwise_torch)
            outputs = self._pointwise_conv(depthwise, kernel, bias)
        if self._linear:
            return outputs
        return self.activation(outputs)

    def _output_channels(self, input_channels):
        return self.filters

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
                "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
                "pointwise_constraint": constraints.serialize(self.pointwise_constraint),
            }
        )
        return config


class SeparableConv1D(BaseSeparableConv):
    """Depthwise separable 1D convolution: a depthwise convolution, then a pointwise one.

    Each input channel is first convolved on its own with `depth_multiplier`
    filters; a 1x1 convolution then mixes the channels into `filters` outputs.
    Weights, in Keras's layouts: `depthwise_kernel` `(k, in, depth_multiplier)`,
    `pointwise_kernel` `(1, in * depth_multiplier, filters)`, `bias` `(filters,)`.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of 1 ints, the depthwise window size.
        strides: an int or a tuple of 1 ints.
        padding: `'valid'`, `'same'` or `'causal'`.
        data_format: `'channels_last'` (default, inputs `(batch, steps, channels)`) or
            `'channels_first'` (inputs `(batch, channels, steps)`).
        dilation_rate: an int or a tuple of 1 ints.
        depth_multiplier: depthwise output channels per input channel.
        activation: activation name or function; None means linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer: initializer of the depthwise kernel (default glorot_uniform).
        pointwise_initializer: initializer of the pointwise kernel (default glorot_uniform).
        bias_initializer: initializer of the bias (default zeros).
        depthwise_regularizer: optional regularizer of the depthwise kernel.
        pointwise_regularizer: optional regularizer of the pointwise kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        depthwise_constraint: optional constraint of the depthwise kernel.
        pointwise_constraint: optional constraint of the pointwise kernel.
        bias_constraint: optional constraint of the bias.

    Example:
    >>> keras.layers.SeparableConv1D(8, 3)(tf.ones((2, 10, 3))).shape
    torch.Size([2, 8, 8])
    """

    def __init__(
        self,
        filters: int,
        kernel_size,
        strides=1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate=1,
        depth_multiplier: int = 1,
        activation=None,
        use_bias: bool = True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(1, **cu.constructor_args(locals()))


class SeparableConv2D(BaseSeparableConv):
    """Depthwise separable 2D convolution: a depthwise convolution, then a pointwise one.

    Each input channel is first convolved on its own with `depth_multiplier`
    filters; a 1x1 convolution then mixes the channels into `filters` outputs.
    Weights, in Keras's layouts: `depthwise_kernel` `(kh, kw, in, depth_multiplier)`,
    `pointwise_kernel` `(1, 1, in * depth_multiplier, filters)`, `bias` `(filters,)`.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of 2 ints, the depthwise window size.
        strides: an int or a tuple of 2 ints.
        padding: `'valid'` or `'same'`.
        data_format: `'channels_last'` (default, inputs `(batch, height, width, channels)`) or
            `'channels_first'` (inputs `(batch, channels, height, width)`).
        dilation_rate: an int or a tuple of 2 ints.
        depth_multiplier: depthwise output channels per input channel.
        activation: activation name or function; None means linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer: initializer of the depthwise kernel (default glorot_uniform).
        pointwise_initializer: initializer of the pointwise kernel (default glorot_uniform).
        bias_initializer: initializer of the bias (default zeros).
        depthwise_regularizer: optional regularizer of the depthwise kernel.
        pointwise_regularizer: optional regularizer of the pointwise kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        depthwise_constraint: optional constraint of the depthwise kernel.
        pointwise_constraint: optional constraint of the pointwise kernel.
        bias_constraint: optional constraint of the bias.

    Example:
    >>> keras.layers.SeparableConv2D(8, 3)(tf.ones((2, 8, 8, 3))).shape
    torch.Size([2, 6, 6, 8])
    """

    def __init__(
        self,
        filters: int,
        kernel_size,
        strides=(1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate=(1, 1),
        depth_multiplier: int = 1,
        activation=None,
        use_bias: bool = True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(2, **cu.constructor_args(locals()))


SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
