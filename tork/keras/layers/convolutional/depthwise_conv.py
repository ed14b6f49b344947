"""`keras.layers.DepthwiseConv1D` and `DepthwiseConv2D`: one set of filters per input channel."""

from __future__ import annotations

import torch.nn.functional as F

from tork.keras.layers.convolutional import _conv_utils as cu
from tork.keras.layers.convolutional.base_conv import _CONV_FNS, _positive_int, _SpatialConv


class BaseDepthwiseConv(_SpatialConv):
    """Base class of depthwise convolutions: each input channel is convolved on its own.

    Input channel `c` is convolved with `depth_multiplier` filters, giving output
    channels `c * depth_multiplier + m`. The kernel has Keras's layout
    `(*kernel_size, input_channels, depth_multiplier)` and is named
    `depthwise_kernel` (`layer.kernel` is the same variable).

    Args:
        rank: the number of spatial dimensions (1 or 2).
        depth_multiplier: the number of output channels per input channel.
        kernel_size: an int or a tuple of `rank` ints, the window size.
        strides: an int or a tuple of `rank` ints.
        padding: `'valid'`, `'same'` or (1D) `'causal'`.
        data_format: `'channels_last'` (default) or `'channels_first'`.
        dilation_rate: an int or a tuple of `rank` ints.
        activation: activation name or function; None means linear.
        use_bias: whether to add a bias vector of size `input_channels * depth_multiplier`.
        depthwise_initializer: initializer of the kernel (default glorot_uniform).
        bias_initializer: initializer of the bias (default zeros).
        depthwise_regularizer: optional regularizer of the kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        depthwise_constraint: optional constraint of the kernel.
        bias_constraint: optional constraint of the bias.

    Example:
    >>> keras.layers.DepthwiseConv2D(3, depth_multiplier=2)(tf.ones((2, 8, 8, 3))).shape
    torch.Size([2, 6, 6, 6])
    """

    _allowed_paddings = ("valid", "same", "causal")
    _kernel_arg = "depthwise"
    # tf.keras 2 also accepts (and ignores) the Conv base's kernel_* arguments here, and
    # Keras 2 code passes them (tf-models' DepthwiseSeparableConvBlock): the kernel is
    # `depthwise_kernel`, set by the depthwise_* arguments.
    _unused_k2_args = ("groups", "kernel_initializer", "kernel_regularizer", "kernel_constraint")

    def __init__(
        self,
        rank: int,
        depth_multiplier: int = 1,
        kernel_size=3,
        strides=1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate=1,
        activation=None,
        use_bias: bool = True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        self._init_depthwise(rank, locals())

    def _init_depthwise(self, rank: int, args: dict) -> None:
        """The constructor's work, shared with separable convolutions (`args`: `locals()`)."""
        super().__init__(rank, args)
        owner = type(self).__name__
        self.depth_multiplier = _positive_int(args["depth_multiplier"], "depth_multiplier", owner)
        self._set_weight_args(args)
        self._conv = _CONV_FNS[self._torch_rank]
        # Keras (k..., in, mult) flattened to (k..., in*mult) -> torch (in*mult, k...).
        self._flat_perm = (rank, *range(rank))

    @property
    def kernel(self):
        """The depthwise kernel (Keras 3 calls it `kernel`)."""
        return self.depthwise_kernel

    def build(self, input_shape) -> None:
        channels = self._check_build_shape(input_shape)
        self._in_channels = channels
        self._out_channels = channels * self.depth_multiplier
        self._flat_shape = (*self.kernel_size, self._out_channels)
        self.depthwise_kernel = self._add_kernel(
            "depthwise_kernel", (*self.kernel_size, channels, self.depth_multiplier)
        )
        self._add_bias(self._out_channels)
        self.built = True

    def _depthwise(self, inputs, bias):
        """The depthwise convolution in torch's (N, C, *S) layout."""
        if inputs.ndim != self._ndim:
            raise cu.rank_error(self, inputs.shape, self.rank, self._channels_last, min_ndim=True)
        inputs = self._pad_for_causal_hook(inputs)
        padding, pad = self._static_plan or self._plan_for(inputs.shape)
        x = self._to_torch_layout(inputs if pad is None else F.pad(inputs, pad))
        kernel = self.depthwise_kernel.reshape(self._flat_shape).permute(self._flat_perm)
        kernel = self._torch_kernel(kernel.unsqueeze(1))
        if kernel.dtype != x.dtype:
            x, kernel, bias = self._match_dtypes(x, kernel, bias)
        try:
            return self._conv(
                x,
                kernel,
                bias,
                self._torch_strides,
                padding,
                self._torch_dilation,
                self._in_channels,
            )
        except RuntimeError:
            self._diagnose(inputs)
            raise

    def call(self, inputs):
        symbolic = self._symbolic_call(inputs)
        if symbolic is not None:
            return symbolic
        outputs = self._from_torch_layout(self._depthwise(inputs, self.bias))
        if self._linear:
            return outputs
        return self.activation(outputs)

    def _output_channels(self, input_channels):
        return None if input_channels is None else input_channels * self.depth_multiplier

    def get_config(self) -> dict:
        return self._conv_config({"depth_multiplier": self.depth_multiplier})


class DepthwiseConv1D(BaseDepthwiseConv):
    """Depthwise 1D convolution: each input channel gets its own `depth_multiplier` filters.

    Output channel `c * depth_multiplier + m` is input channel `c` convolved with
    filter `m`. The kernel (`depthwise_kernel`) has Keras's layout
    `(kernel_size, input_channels, depth_multiplier)`; the bias is `(input_channels * depth_multiplier,)`.

    Args:
        kernel_size: an int or a tuple of 1 ints, the window size.
        strides: an int or a tuple of 1 ints.
        padding: `'valid'`, `'same'` or `'causal'`.
        depth_multiplier: the number of output channels per input channel.
        data_format: `'channels_last'` (default, inputs `(batch, steps, channels)`) or
            `'channels_first'` (inputs `(batch, channels, steps)`).
        dilation_rate: an int or a tuple of 1 ints.
        activation: activation name or function; None means linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer: initializer of the kernel (default glorot_uniform).
        bias_initializer: initializer of the bias (default zeros).
        depthwise_regularizer: optional regularizer of the kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        depthwise_constraint: optional constraint of the kernel.
        bias_constraint: optional constraint of the bias.

    Example:
    >>> keras.layers.DepthwiseConv1D(3, depth_multiplier=2)(tf.ones((2, 10, 3))).shape
    torch.Size([2, 8, 6])
    """

    def __init__(
        self,
        kernel_size,
        strides=1,
        padding: str = "valid",
        depth_multiplier: int = 1,
        data_format: str | None = None,
        dilation_rate=1,
        activation=None,
        use_bias: bool = True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(1, **cu.constructor_args(locals()))


class DepthwiseConv2D(BaseDepthwiseConv):
    """Depthwise 2D convolution: each input channel gets its own `depth_multiplier` filters.

    Output channel `c * depth_multiplier + m` is input channel `c` convolved with
    filter `m`. The kernel (`depthwise_kernel`) has Keras's layout
    `(kh, kw, input_channels, depth_multiplier)`; the bias is `(input_channels * depth_multiplier,)`.

    Args:
        kernel_size: an int or a tuple of 2 ints, the window size.
        strides: an int or a tuple of 2 ints.
        padding: `'valid'` or `'same'`.
        depth_multiplier: the number of output channels per input channel.
        data_format: `'channels_last'` (default, inputs `(batch, height, width, channels)`) or
            `'channels_first'` (inputs `(batch, channels, height, width)`).
        dilation_rate: an int or a tuple of 2 ints.
        activation: activation name or function; None means linear.
        use_bias: whether to add a bias vector.
        depthwise_initializer: initializer of the kernel (default glorot_uniform).
        bias_initializer: initializer of the bias (default zeros).
        depthwise_regularizer: optional regularizer of the kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        depthwise_constraint: optional constraint of the kernel.
        bias_constraint: optional constraint of the bias.

    Example:
    >>> keras.layers.DepthwiseConv2D(3, depth_multiplier=2)(tf.ones((2, 8, 8, 3))).shape
    torch.Size([2, 6, 6, 6])
    """

    def __init__(
        self,
        kernel_size,
        strides=(1, 1),
        padding: str = "valid",
        depth_multiplier: int = 1,
        data_format: str | None = None,
        dilation_rate=(1, 1),
        activation=None,
        use_bias: bool = True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(2, **cu.constructor_args(locals()))
