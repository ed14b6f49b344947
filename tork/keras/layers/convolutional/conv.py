"""`keras.layers.Conv1D`, `Conv2D`, `Conv3D` (and their `Convolution*D` aliases)."""

from __future__ import annotations

from tork.keras.layers.convolutional import _conv_utils as cu
from tork.keras.layers.convolutional.base_conv import BaseConv


class Conv1D(BaseConv):
    """1D convolution layer (e.g. temporal convolution over sequences).

    Slides `filters` kernels of shape `kernel_size` over the input and returns
    `activation(conv(inputs, kernel) + bias)`. The kernel has Keras's layout
    `(kernel_size, input_channels // groups, filters)` and the bias `(filters,)`.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of 1 ints, the window size.
        strides: an int or a tuple of 1 ints, the step of the window.
        padding: `'valid'`, `'same'` (output length `ceil(n / stride)`, padded as
            TensorFlow does) or `'causal'` (left padding only: output t never sees
            inputs after t).
        data_format: `'channels_last'` (default, inputs `(batch, steps, channels)`) or
            `'channels_first'` (inputs `(batch, channels, steps)`).
        dilation_rate: an int or a tuple of 1 ints, the spacing of the taps.
        groups: split the input channels in this many groups, each convolved
            with its own `filters // groups` filters.
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
    >>> keras.layers.Conv1D(8, 3, padding="causal")(tf.ones((2, 10, 4))).shape
    torch.Size([2, 10, 8])
    """

    def __init__(
        self,
        filters: int,
        kernel_size,
        strides=1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate=1,
        groups: int = 1,
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


class Conv2D(BaseConv):
    """2D convolution layer (e.g. spatial convolution over images).

    Slides `filters` kernels of shape `kernel_size` over the input and returns
    `activation(conv(inputs, kernel) + bias)`. The kernel has Keras's layout
    `(kh, kw, input_channels // groups, filters)` and the bias `(filters,)`.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of 2 ints, the window size.
        strides: an int or a tuple of 2 ints, the step of the window.
        padding: `'valid'` or `'same'` (output size `ceil(n / stride)`, padded as
            TensorFlow does: the odd padding cell goes bottom/right).
        data_format: `'channels_last'` (default, inputs `(batch, height, width, channels)`) or
            `'channels_first'` (inputs `(batch, channels, height, width)`).
        dilation_rate: an int or a tuple of 2 ints, the spacing of the taps.
        groups: split the input channels in this many groups, each convolved
            with its own `filters // groups` filters.
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
    >>> keras.layers.Conv2D(8, 3)(tf.ones((2, 28, 28, 1))).shape
    torch.Size([2, 26, 26, 8])
    """

    def __init__(
        self,
        filters: int,
        kernel_size,
        strides=(1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate=(1, 1),
        groups: int = 1,
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


class Conv3D(BaseConv):
    """3D convolution layer (e.g. spatial convolution over volumes).

    Slides `filters` kernels of shape `kernel_size` over the input and returns
    `activation(conv(inputs, kernel) + bias)`. The kernel has Keras's layout
    `(kd, kh, kw, input_channels // groups, filters)` and the bias `(filters,)`.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of 3 ints, the window size.
        strides: an int or a tuple of 3 ints, the step of the window.
        padding: `'valid'` or `'same'` (output size `ceil(n / stride)`, padded as
            TensorFlow does: the odd padding cell goes last).
        data_format: `'channels_last'` (default, inputs `(batch, depth, height, width, channels)`) or
            `'channels_first'` (inputs `(batch, channels, depth, height, width)`).
        dilation_rate: an int or a tuple of 3 ints, the spacing of the taps.
        groups: split the input channels in this many groups, each convolved
            with its own `filters // groups` filters.
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
    >>> keras.layers.Conv3D(8, 3, padding="same")(tf.ones((2, 4, 4, 4, 1))).shape
    torch.Size([2, 4, 4, 4, 8])
    """

    def __init__(
        self,
        filters: int,
        kernel_size,
        strides=(1, 1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate=(1, 1, 1),
        groups: int = 1,
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


Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution3D = Conv3D
