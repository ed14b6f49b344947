"""The shared machinery of Keras convolution layers, and `BaseConv` (Conv1D/2D/3D).

Weights keep Keras's layouts (`(k..., in/groups, out)` for a convolution) and
the compute goes to torch's kernels. Channels-last inputs are handed to torch
as permuted *views* (an NHWC tensor permuted to NCHW is exactly torch's
`channels_last` memory format), so no layout copy happens on the way in or out.
TensorFlow's 'same' padding, which puts the odd cell on the right, is given to
torch as symmetric padding when it is symmetric and as an explicit `F.pad`
otherwise.
"""

from __future__ import annotations

import warnings

import torch
import torch.nn.functional as F

from tork._backend.tensor import convert_to_tensor
from tork.keras import activations, constraints, initializers, regularizers
from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers._constant_softmax import warn_if_constant_softmax
from tork.keras.layers.convolutional import _conv_utils as cu
from tork.keras.layers.core import _lora
from tork.keras.layers.layer import Layer
from tork.ops import _conv_layout

# torch's conv2d/conv3d, safe from a oneDNN bug on one-channel inputs (see _conv_layout).
_CONV_FNS = _conv_layout.CONV_FNS
_CONV_TRANSPOSE_FNS = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
# The roles of a weight's `{weight}_{role}` arguments, and how each is resolved.
_WEIGHT_ARG_GETTERS = (
    ("initializer", initializers.get),
    ("regularizer", regularizers.get),
    ("constraint", constraints.get),
)


class _SpatialConv(Layer):
    """Arguments, padding plan, shape checks and error messages common to all convolutions.

    Subclasses keep Keras's explicit constructor signatures and hand their `locals()` here,
    so each argument is normalised, checked and serialized in one place.
    """

    _allowed_paddings: tuple = ("valid", "same")
    # The prefix of the kernel's `*_initializer`, `*_regularizer` and `*_constraint` arguments.
    _kernel_arg: str = "kernel"
    # Arguments that Keras 2 writes into this layer's config (inherited from its `Conv` base
    # class) although the layer does not use them: accepted so that its configs load, and
    # not written (Keras 3 refuses them; Keras 2 reads their defaults).
    _unused_k2_args: tuple = ()

    @property
    def _linear(self) -> bool:
        # Read at call time, not cached: Grad-CAM code sets `layer.activation = None` on a
        # built layer (Keras then skips the activation), and a new activation must apply.
        return self.activation is None or self.activation is activations.linear

    def __init__(self, rank: int, args: dict):
        """Stores the window arguments and precomputes what `call` needs from them.

        Args:
            rank: the number of spatial dimensions.
            args: the subclass constructor's `locals()`: `kernel_size`, `strides`, `padding`,
                `data_format`, `dilation_rate`, `activation`, `activity_regularizer` and the
                `kwargs` for `Layer`.
        """
        kwargs = dict(args["kwargs"])
        unused = {k: kwargs.pop(k) for k in self._unused_k2_args if k in kwargs}
        super().__init__(activity_regularizer=args["activity_regularizer"], **kwargs)
        owner = type(self).__name__
        self._set_unused_k2_args(unused)
        self.rank = rank
        self.kernel_size = cu.normalize_tuple(args["kernel_size"], rank, "kernel_size", owner)
        self.strides = cu.normalize_tuple(args["strides"], rank, "strides", owner)
        # 'causal' exists for 1D only, unless a subclass pads for it itself (Keras 2's
        # `_compute_causal_padding` hook: tf-models' causal Conv2D/Conv3D for video).
        hooked = self._has_causal_hook()
        allowed = tuple(p for p in self._allowed_paddings if p != "causal" or rank == 1 or hooked)
        self.padding = cu.normalize_padding(args["padding"], owner, allowed)
        # Keras 2's flag, read by such subclasses: it stays set when they later switch
        # `padding` to 'valid' and pad in their own `call` (tf-models' DepthwiseConv2D).
        self._is_causal = self.padding == "causal"
        self._hooked_causal = hooked and self._is_causal
        self.data_format = cu.standardize_data_format(args["data_format"], owner)
        self.dilation_rate = cu.normalize_tuple(args["dilation_rate"], rank, "dilation_rate", owner)
        # Keras (2 and 3) refuses the combination, even on different axes; torch would
        # accept it, so code that runs here would fail under TensorFlow.
        if any(s > 1 for s in self.strides) and any(d > 1 for d in self.dilation_rate):
            raise ValueError(
                f"{owner}: `strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}. "
                "Use strides=1 with the dilation (and pool or stride in a separate layer)."
            )
        self.activation = activations.get(args["activation"])
        self._channels_last = self.data_format == "channels_last"
        self._ndim = rank + 2
        self._channel_axis = -1 if self._channels_last else 1
        self._spatial_axes = cu.spatial_axes(rank, self._channels_last)
        # Channels-last 1D runs as 2D with height 1: torch's channels_last 2D kernels beat
        # conv1d on a permuted (strided) view, and the output comes back contiguous.
        self._as_2d = rank == 1 and self._channels_last
        torch_rank = 2 if self._as_2d else rank
        lead = (1,) if self._as_2d else ()
        self._torch_rank = torch_rank
        self._torch_strides = lead + self.strides
        self._torch_dilation = lead + self.dilation_rate
        self._to_torch = cu.to_torch_perm(torch_rank)
        self._from_torch = cu.from_torch_perm(torch_rank)
        # Keras (k..., a, b) -> torch (b, a, k...): the same permutation for every conv kind.
        self._kernel_perm = (rank + 1, rank, *range(rank))
        self._spans = tuple(
            cu.effective_size(k, d) for k, d in zip(self.kernel_size, self.dilation_rate)
        )
        self._in_channels = None
        # A plain dict (not a tracked structure): it caches padding plans per input size.
        object.__setattr__(self, "_plans", {})
        self._static_plan = self._make_static_plan()

    @property
    def padding(self) -> str:
        """The padding mode: `'valid'`, `'same'` or `'causal'`."""
        return self._padding

    @padding.setter
    def padding(self, value: str) -> None:
        # Keras 2 subclasses set it after the constructor (tf-models' causal
        # DepthwiseConv2D switches to 'valid'): the padding plans must follow.
        object.__setattr__(self, "_padding", value)
        if "_plans" in self.__dict__:
            self._padding_changed()

    def _padding_changed(self) -> None:
        """Recomputes what depends on `padding` after it changed on a constructed layer."""
        self._hooked_causal = self._has_causal_hook() and self.padding == "causal"
        self._plans.clear()
        self._static_plan = self._make_static_plan()

    @classmethod
    def _has_causal_hook(cls) -> bool:
        """Whether a subclass defines Keras 2's `_compute_causal_padding(inputs)` hook."""
        return cls._compute_causal_padding is not _SpatialConv._compute_causal_padding

    def _compute_causal_padding(self, inputs) -> list:
        """Keras 2's causal padding of `inputs`, as a `tf.pad` list (one pair per axis).

        The first spatial axis is padded on the left by the dilated kernel's span minus
        one. Subclasses may override it (with `padding='causal'` then allowed for any
        rank): the layer pads its inputs with the returned pairs and convolves them with
        'valid' padding.
        """
        pads = [[0, 0] for _ in range(self._ndim)]
        pads[self._spatial_axes[0]] = [self._spans[0] - 1, 0]
        return pads

    def _pad_for_causal_hook(self, inputs):
        """`inputs` padded by a subclass's `_compute_causal_padding` (when it applies)."""
        if not self._hooked_causal:
            return inputs
        pads = self._compute_causal_padding(inputs)
        if len(pads) != inputs.ndim or any(len(pair) != 2 for pair in pads):
            raise ValueError(
                f"{where(self)}: `_compute_causal_padding` must return one [before, after] "
                f"pair per input axis ({inputs.ndim} for input shape "
                f"{cu.plain_shape(tuple(inputs.shape))}), got {pads!r}."
            )
        # tf.pad's pairs run from the first axis; F.pad's from the last.
        flat = [int(v) for pair in reversed(pads) for v in pair]
        if not any(flat):
            return inputs
        return F.pad(inputs, flat)

    def _set_unused_k2_args(self, given: dict) -> None:
        """Checks the Keras 2 config arguments this layer accepts but does not use."""
        groups = given.get("groups", 1)
        if groups != 1:
            # Keras 2 accepts and ignores it here; refusing would stop its configs loading.
            warnings.warn(
                f"{type(self).__name__} ignores groups={groups!r}, as Keras 2 does: the "
                "layer is not grouped. Use Conv1D/Conv2D/Conv3D for grouped convolutions.",
                stacklevel=4,
            )

    # -- weight arguments ------------------------------------------------------------------
    def _set_weight_args(self, args: dict) -> None:
        """Resolves `use_bias` and the kernel's and bias's initializer, regularizer, constraint.

        Args:
            args: the constructor's `locals()`, holding `use_bias` and the
                `{kernel}_*`/`bias_*` arguments (`kernel` being `_kernel_arg`).
        """
        self.use_bias = bool(args["use_bias"])
        for role, get in _WEIGHT_ARG_GETTERS:
            for weight in (self._kernel_arg, "bias"):
                setattr(self, f"{weight}_{role}", get(args[f"{weight}_{role}"]))

    def _add_kernel(self, name: str, shape: tuple):
        """Adds kernel weight `name` with its initializer, regularizer and constraint.

        `kernel` takes the `kernel_*` arguments, `depthwise_kernel` the `depthwise_*` ones.
        """
        arg = name.removesuffix("_kernel")
        return self.add_weight(
            name=name,
            shape=shape,
            initializer=getattr(self, f"{arg}_initializer"),
            regularizer=getattr(self, f"{arg}_regularizer"),
            constraint=getattr(self, f"{arg}_constraint"),
        )

    def _add_bias(self, size: int) -> None:
        """Adds the `(size,)` bias when `use_bias`; otherwise `bias` is None."""
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(size,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None

    # -- padding ---------------------------------------------------------------------------
    def _make_static_plan(self):
        """(torch padding, F.pad list or None) when it does not depend on the input size."""
        if self.padding == "valid":
            return self._plan_from_pads([(0, 0)] * self.rank)
        if self.padding == "causal":
            if self._hooked_causal:
                # The subclass's hook pads the inputs in `call`; the convolution is 'valid'.
                return self._plan_from_pads([(0, 0)] * self.rank)
            return self._plan_from_pads([(self._spans[0] - 1, 0)])
        if all(s == 1 for s in self.strides):
            return self._plan_from_pads(
                [((sp - 1) // 2, sp - 1 - (sp - 1) // 2) for sp in self._spans]
            )
        return None

    def _plan_from_pads(self, pads) -> tuple:
        lead = (0,) if self._as_2d else ()
        if all(left == right for left, right in pads):
            return lead + tuple(left for left, _ in pads), None
        # torch's own padding is symmetric: pad the odd cell explicitly, in the input's layout.
        return lead + (0,) * self.rank, cu.flat_pad(pads, self._channels_last)

    # -- layouts -----------------------------------------------------------------------------
    def _to_torch_layout(self, x):
        """The input as torch's (N, C, *S) view; channels-last data is not copied."""
        if self._as_2d:
            return x.unsqueeze(1).permute(self._to_torch)
        return x.permute(self._to_torch) if self._channels_last else x

    def _from_torch_layout(self, y):
        """torch's (N, C, *S) output back in the layer's data format (a view)."""
        if self._as_2d:
            return y.permute(self._from_torch).squeeze(1)
        return y.permute(self._from_torch) if self._channels_last else y

    def _torch_kernel(self, kernel):
        """A (out, in, *k) torch kernel with the extra height axis of the 1D-as-2D path."""
        return kernel.unsqueeze(2) if self._as_2d else kernel

    def _plan_for(self, shape) -> tuple:
        spatial = tuple(shape[a] for a in self._spatial_axes)
        plan = self._plans.get(spatial)
        if plan is None:
            pads = [
                cu.same_pads(n, k, s, d)
                for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate)
            ]
            plan = self._plan_from_pads(pads)
            if len(self._plans) < 64:
                self._plans[spatial] = plan
        return plan

    def _match_dtypes(self, x, kernel, bias) -> tuple:
        """Integer inputs become the compute dtype; weights follow a float input's dtype."""
        if not x.is_floating_point():
            x = x.to(self._tork_compute_dtype)
        if kernel.dtype != x.dtype:
            kernel = kernel.to(x.dtype)
            bias = None if bias is None else bias.to(x.dtype)
        return x, kernel, bias

    # -- checks ----------------------------------------------------------------------------
    def _check_rank(self, shape) -> None:
        if len(shape) != self._ndim:
            raise cu.rank_error(self, shape, self.rank, self._channels_last, min_ndim=True)

    def _check_build_shape(self, input_shape) -> int:
        """Checks rank, known channels and sizes at build time; returns the channel count."""
        shape = tuple(input_shape)
        self._check_rank(shape)
        channels = shape[self._channel_axis]
        if channels is None:
            raise ValueError(
                f"{where(self)}: the channel dimension of the input must be known to build the "
                f"kernel, but the input shape is {cu.plain_shape(shape)} (data_format="
                f"'{self.data_format}', channels on axis {self._channel_axis})."
            )
        self._check_spatial(shape)
        return int(channels)

    def _check_spatial(self, shape) -> None:
        if self.padding != "valid":
            return
        spatial = tuple(shape[a] for a in self._spatial_axes)
        if any(n is not None and n < sp for n, sp in zip(spatial, self._spans)):
            dilated = any(d != 1 for d in self.dilation_rate)
            if dilated:
                kernel = f"the dilated kernel spans {self._spans}"
            else:
                kernel = f"kernel_size is {self.kernel_size}"
            raise ValueError(
                f"{where(self)}: the input's spatial size {cu.plain_shape(spatial)} is smaller "
                f"than the kernel with padding='valid' ({kernel}; input shape "
                f"{cu.plain_shape(shape)}), so the output would be empty. Use padding='same', a "
                "smaller kernel_size, or larger inputs (less downsampling before this layer)."
            )

    def _check_channels(self, shape) -> None:
        got = shape[self._channel_axis]
        if self._in_channels is not None and got != self._in_channels:
            raise ValueError(
                f"{where(self)}: the layer was built for inputs with {self._in_channels} channels, "
                f"but got input of shape {cu.plain_shape(shape)} with {got} channels (data_format="
                f"'{self.data_format}'). A built layer keeps its input channels: pass inputs with "
                f"{self._in_channels} channels, or create a new layer for the new input."
            )

    def _diagnose(self, inputs) -> None:
        """After torch refused the inputs: raise a clear error if the cause is a user's."""
        shape = tuple(inputs.shape)
        try:
            self._check_channels(shape)
            self._check_spatial(shape)
        except ValueError as clear:
            raise clear from None  # torch's own message would only repeat it less clearly

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        self._check_rank(shape)
        spatial = self._spatial_output_shape([shape[a] for a in self._spatial_axes])
        channels = self._output_channels(shape[self._channel_axis])
        if self._channels_last:
            return (shape[0], *spatial, channels)
        return (shape[0], channels, *spatial)

    def _symbolic_call(self, inputs):
        """`call`'s result during the functional API's shape inference, or None to compute.

        Convolutions on fake tensors cost ~7 ms a call in torch, most of building a large
        functional model; the output's shape follows from the convolution arithmetic.
        """
        if not CONTEXT.symbolic or inputs.ndim != self._ndim:
            return None
        outputs = self._symbolic_outputs(inputs)
        if outputs is None:
            return None
        return outputs if self._linear else self.activation(outputs)

    def _symbolic_outputs(self, inputs):
        """The output of a symbolic call (the functional API's shape inference), or None.

        An empty tensor of the shape the convolution arithmetic gives: torch's convolution
        on fake tensors costs ~7 ms per call, most of building a large functional model.
        None (run the convolution, whose failure `_diagnose` explains) when the shapes do
        not fit: other input channels than built for, or a window larger than the input.
        """
        if inputs.shape[self._channel_axis] != self._in_channels:
            return None
        shape = self.compute_output_shape(tuple(inputs.shape))
        if any(d <= 0 for d in shape[1:]):
            return None
        dtype = inputs.dtype if inputs.is_floating_point() else self._tork_compute_dtype
        return inputs.new_empty(shape, dtype=dtype)

    def _spatial_output_shape(self, spatial_input_shape: list) -> list:
        """The output's spatial sizes (a list) for these input sizes (None: unknown).

        Keras 2's hook: subclasses may override it (calling super) to change the shape
        `compute_output_shape` and functional models give.
        """
        return list(self._output_spatial(tuple(spatial_input_shape)))

    def _output_spatial(self, spatial) -> tuple:
        return tuple(
            cu.conv_output_length(n, k, self.padding, s, d)
            for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate)
        )

    def _output_channels(self, input_channels):
        return self.filters

    def _conv_config(self, own: dict) -> dict:
        """The config: Layer's, the window arguments, `own`, then activation and weights'."""
        kernel = self._kernel_arg
        config = super().get_config()
        config.update(
            {
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
            }
        )
        config.update(own)
        config.update(
            {
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                f"{kernel}_initializer": initializers.serialize(
                    getattr(self, f"{kernel}_initializer")
                ),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                f"{kernel}_regularizer": regularizers.serialize(
                    getattr(self, f"{kernel}_regularizer")
                ),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                f"{kernel}_constraint": constraints.serialize(
                    getattr(self, f"{kernel}_constraint")
                ),
                "bias_constraint": constraints.serialize(self.bias_constraint),
            }
        )
        return config


class BaseConv(_SpatialConv):
    """Base class of `Conv1D`, `Conv2D` and `Conv3D`: an N-D cross-correlation.

    `outputs = activation(conv(inputs, kernel) + bias)` with the kernel in
    Keras's layout `(*kernel_size, input_channels // groups, filters)`.

    Args:
        rank: the number of spatial dimensions (1, 2 or 3).
        filters: the number of output channels.
        kernel_size: an int or a tuple of `rank` ints, the window size.
        strides: an int or a tuple of `rank` ints, the step of the window.
        padding: `'valid'` (no padding), `'same'` (output size `ceil(n / stride)`,
            padded as TensorFlow does) or, for 1D, `'causal'` (any rank in a subclass
            that defines Keras 2's `_compute_causal_padding(inputs)` hook).
        data_format: `'channels_last'` (default) or `'channels_first'`.
        dilation_rate: an int or a tuple of `rank` ints, the spacing of the
            kernel's taps.
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
        lora_rank: optional rank of a LoRA update: the layer is built with
            `enable_lora(lora_rank)` (Keras 3).
        lora_alpha: optional LoRA scale numerator (default `lora_rank`); see
            `enable_lora`.

    Example:
    >>> keras.layers.Conv2D(8, 3, padding="same")(tf.ones((2, 28, 28, 1))).shape
    torch.Size([2, 28, 28, 8])
    """

    _allowed_paddings = ("valid", "same", "causal")
    # Class-level LoRA defaults, as Dense's (see `_lora.init`).
    lora_rank = None
    lora_alpha = None
    lora_enabled = False

    def __init__(
        self,
        rank: int,
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
        lora_rank: int | None = None,
        lora_alpha: float | None = None,
        **kwargs,
    ):
        super().__init__(rank, locals())
        _lora.init(self, lora_rank, lora_alpha)
        owner = type(self).__name__
        # Keras 2's Conv takes `filters=None` from subclasses that make their own kernel
        # (2017 model zoos' `class DepthwiseConv2D(Conv2D)` with its own build and call).
        self.filters = (
            None
            if filters is None
            else _positive_int(filters, "filters", owner, truncate_float=True)
        )
        self.groups = _positive_int(groups, "groups", owner)
        if self.filters is not None and self.filters % self.groups:
            raise ValueError(
                f"{owner}: filters={self.filters} must be divisible by groups={self.groups} "
                "(each group gets filters // groups output channels)."
            )
        self._set_weight_args(locals())
        if self._channels_last:  # the softmax runs over the filters only in channels_last
            warn_if_constant_softmax(self, self.filters, f"{owner}(1, ..., activation='sigmoid')")
        self._conv = _CONV_FNS[self._torch_rank]
        # Channels-last convolutions that are a matrix product over the channel axis run as
        # one (F.linear): torch's CPU convolution re-packs the kernel on every call, which
        # costs up to 10x the product itself on small maps (its backward up to 5x).
        # `_tap`: the one kernel tap a 'same' convolution reads on a 1x1 map (the deepest
        # maps of a CNN on small images; None when that does not apply).
        plain = self._channels_last and self.groups == 1
        plain = plain and all(d == 1 for d in self.dilation_rate)
        self._pointwise_kernel = plain and all(k == 1 for k in self.kernel_size)
        self._pointwise = self._pointwise_kernel and all(st == 1 for st in self.strides)
        # A strided 1x1 kernel reads every `stride`-th cell: a slice (set in build).
        self._stride_slices = None
        self._plain = plain
        self._set_tap()
        # A subclass's own `convolution_op` replaces the fast paths below (Keras's `call`
        # goes through `convolution_op`); decided once here, not on every call.
        self._custom_convolution_op = type(self).convolution_op is not BaseConv.convolution_op

    def _set_tap(self) -> None:
        self._tap = None
        if self._plain and self.padding == "same" and not self._pointwise:
            self._tap = tuple((k - 1) // 2 for k in self.kernel_size)

    def _padding_changed(self) -> None:
        super()._padding_changed()
        if "_plain" in self.__dict__:
            self._set_tap()

    def _inner_shape(self, input_shape) -> tuple:
        """`input_shape` with extra leading batch axes folded into one (Keras 2).

        tf.keras's Conv1D/2D/3D take inputs of higher rank, every axis before the last
        `rank + 1` a batch axis: a character CNN runs Conv1D on (batch, words, chars, dim).
        """
        shape = tuple(input_shape)
        if len(shape) <= self._ndim:
            return shape
        return (None, *shape[len(shape) - self._ndim + 1 :])

    def build(self, input_shape) -> None:
        input_shape = self._inner_shape(input_shape)
        if self.filters is None:
            raise ValueError(
                f"{where(self)}: filters=None, so the convolution has no output size to build "
                "its kernel with. Pass a positive integer `filters`, or (for a subclass that "
                "makes its own weights, as a DepthwiseConv2D built on Conv2D) override build()."
            )
        channels = self._check_build_shape(input_shape)
        if channels % self.groups:
            divisors = [g for g in range(1, channels + 1) if channels % g == 0]
            raise ValueError(
                f"{where(self)}: groups={self.groups} must divide the number of input channels, "
                f"but the input has {channels} channels (input shape "
                f"{cu.plain_shape(input_shape)}). Use one of groups={divisors}."
            )
        self._in_channels = channels
        if self._pointwise_kernel and not self._pointwise and channels >= 256:
            # Sliced, then a product: faster than torch's strided convolution from about
            # 256 input channels (ResNet's strided 1x1 convolutions: 1.3-10x); slower with
            # few channels, where the slice's copy dominates.
            self._pointwise = True
            strides = (slice(None, None, st) for st in self.strides)
            self._stride_slices = (slice(None), *strides, slice(None))
        self.kernel = self._add_kernel(
            "kernel", (*self.kernel_size, channels // self.groups, self.filters)
        )
        self._add_bias(self.filters)
        self.built = True
        _lora.build(self)

    def enable_lora(
        self,
        rank: int,
        lora_alpha: float | None = None,
        a_initializer="he_uniform",
        b_initializer="zeros",
    ) -> None:
        """Freezes the kernel and adds a trainable low-rank update to it (LoRA, Keras 3).

        The layer then convolves with `kernel + (lora_alpha / rank) * lora_kernel_a @
        lora_kernel_b`, which `layer.kernel` returns (`layer._kernel` is the frozen
        variable). Saving writes that merged kernel; loading zeroes the LoRA weights.

        Args:
            rank: the rank of the update.
            lora_alpha: scale numerator (the update is scaled by `lora_alpha / rank`);
                default `rank`.
            a_initializer: initializer of `lora_kernel_a`, shape
                `(*kernel_size, input_channels // groups, rank)`.
            b_initializer: initializer of `lora_kernel_b`, shape `(rank, filters)`.

        Raises:
            ValueError: if the layer is not built, has a `kernel_constraint`, or has
                LoRA enabled already.

        Example:
        >>> layer = keras.layers.Conv2D(8, 3)
        >>> layer.build((None, 16, 16, 3))
        >>> layer.enable_lora(2)
        >>> [tuple(w.shape) for w in layer.trainable_weights]
        [(8,), (3, 3, 3, 2), (2, 8)]
        """
        _lora.enable_lora(self, rank, lora_alpha, a_initializer, b_initializer)

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        if len(shape) > self._ndim:  # extra batch axes (see _inner_shape)
            lead = len(shape) - self._ndim + 1
            inner = super().compute_output_shape(self._inner_shape(shape))
            return (*shape[:lead], *inner[1:])
        return super().compute_output_shape(shape)

    def call(self, inputs):
        if inputs.ndim > self._ndim and not self._custom_convolution_op:
            # Extra batch axes (see _inner_shape): fold them into one, convolve, unfold.
            lead = inputs.shape[: inputs.ndim - self._ndim + 1]
            outputs = self.call(inputs.reshape(-1, *inputs.shape[len(lead) :]))
            return outputs.reshape(*lead, *outputs.shape[1:])
        if inputs.ndim != self._ndim:
            raise cu.rank_error(self, inputs.shape, self.rank, self._channels_last, min_ndim=True)
        symbolic = None if self._custom_convolution_op else self._symbolic_call(inputs)
        if symbolic is not None:
            return symbolic
        inputs = self._pad_for_causal_hook(inputs)
        if self._custom_convolution_op:
            return self._call_convolution_op(inputs)
        if self._pointwise or (
            self._tap is not None and all(inputs.shape[a] == 1 for a in self._spatial_axes)
        ):
            outputs = self._matmul(inputs)
            return outputs if self._linear else self.activation(outputs)
        outputs = self._convolve(inputs, self.kernel, self.bias)
        if self._linear:
            return outputs
        return self.activation(outputs)

    def convolution_op(self, inputs, kernel):
        """The layer's convolution of `inputs` with `kernel`, without bias or activation.

        Uses the layer's strides, padding, dilation rate, groups and data format.
        Subclasses may override it to change the convolution (e.g. to standardize the
        kernel first): the layer's `call` then runs
        `activation(convolution_op(inputs, self.kernel) + bias)`.

        Args:
            inputs: the input tensor, in the layer's data format.
            kernel: a kernel of shape `(*kernel_size, input_channels // groups, filters)`.

        Returns:
            The convolution's output tensor.
        """
        if not isinstance(inputs, torch.Tensor):
            inputs = convert_to_tensor(inputs)
        if not isinstance(kernel, torch.Tensor):
            kernel = convert_to_tensor(kernel)
        if self.padding == "causal":
            # As Keras 2: the causal padding is `call`'s, the convolution is 'valid'.
            return self._convolve(inputs, kernel, None, self._plan_from_pads([(0, 0)] * self.rank))
        return self._convolve(inputs, kernel, None)

    def _call_convolution_op(self, inputs):
        """`call` for a subclass that overrides `convolution_op` (as Keras's `call` runs)."""
        if self.padding == "causal" and not self._hooked_causal:
            inputs = F.pad(inputs, self._causal_pad())
        outputs = self.convolution_op(inputs, self.kernel)
        if self.bias is not None:
            bias = self.bias
            if not self._channels_last:
                bias = bias.reshape((self.filters,) + (1,) * self.rank)
            outputs = outputs + bias.to(outputs.dtype)
        return outputs if self._linear else self.activation(outputs)

    def _causal_pad(self) -> list:
        """F.pad's list that left-pads the (one) spatial axis for a causal convolution."""
        left = self._spans[0] - 1
        return [0, 0, left, 0] if self._channels_last else [left, 0]

    def _convolve(self, inputs, kernel, bias, plan=None):
        """torch's convolution of `inputs` with a Keras-layout `kernel`, plus `bias` if any.

        `plan`: (torch padding, F.pad list or None); the layer's padding by default.
        """
        padding, pad = plan or self._static_plan or self._plan_for(inputs.shape)
        x = self._to_torch_layout(inputs if pad is None else F.pad(inputs, pad))
        kernel = self._torch_kernel(kernel.permute(self._kernel_perm))
        if kernel.dtype != x.dtype:
            x, kernel, bias = self._match_dtypes(x, kernel, bias)
        try:
            outputs = self._conv(
                x, kernel, bias, self._torch_strides, padding, self._torch_dilation, self.groups
            )
        except RuntimeError:
            self._diagnose(inputs)
            raise
        return self._from_torch_layout(outputs)

    def _matmul(self, inputs):
        """The convolution as a product over the channel axis (channels last, one group).

        A 1x1 kernel (strided: on every `stride`-th cell), or a 'same' kernel on a 1x1 map
        (TensorFlow's padding puts the map on tap `(k - 1) // 2` of each axis, the only
        one that reads it).
        """
        kernel = self.kernel
        if self._tap is not None:
            # torch's indexing: a view (a variable's own `kernel[...]` is a snapshot copy).
            kernel = torch.Tensor.__getitem__(kernel, self._tap)
        # (in, filters) -> F.linear's (filters, in): a transposed view, not a copy.
        weight = kernel.reshape(kernel.shape[-2], self.filters).t()
        bias = self.bias
        x = inputs if self._stride_slices is None else inputs[self._stride_slices]
        if weight.dtype != x.dtype:
            x, weight, bias = self._match_dtypes(x, weight, bias)
        try:
            return F.linear(x, weight, bias)
        except RuntimeError:
            self._diagnose(inputs)
            raise

    def get_config(self) -> dict:
        config = self._conv_config({"filters": self.filters, "groups": self.groups})
        config.update(_lora.config(self))
        return config


def _positive_int(value, arg: str, owner: str, truncate_float: bool = False) -> int:
    if truncate_float and isinstance(value, float) and value >= 1:
        # Keras 2 truncates a float `filters` (`Conv2D(n * 1.5, 3)`) to an int.
        value = int(value)
    if isinstance(value, bool) or not hasattr(value, "__index__") or int(value) <= 0:
        raise ValueError(f"{owner}({arg}=...) must be a positive integer, got {value!r}.")
    return int(value)
