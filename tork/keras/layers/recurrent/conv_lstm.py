"""`keras.layers.ConvLSTM1D`, `ConvLSTM2D` and `ConvLSTM3D`: LSTMs whose products are convolutions.

Weights keep Keras's layout: `kernel` (*kernel_size, in_channels, 4·filters),
`recurrent_kernel` (*kernel_size, filters, 4·filters) and `bias` (4·filters,),
with gate blocks [i | f | c | o] on the last axis, in `layer.cell` (named
`conv_lstm_cell`, as in Keras). The input convolution uses the layer's
strides, padding and dilation; the recurrent one uses stride 1 and 'same'.

The layers run on the `RNN` layer's loop (states, masks, `go_backwards`,
`stateful`, `return_state`): the sequence is handed to it with each step's
spatial and channel axes folded into one, and the cell's hooks unfold them.
The input convolution of all time steps runs as one convolution (time folded
into the batch); only the recurrent convolution runs per step. Keras drops
each gate's input (and state) with its own dropout mask; here the four masked
copies go through one grouped convolution (groups=4), which computes exactly
the four per-gate convolutions.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from tork._backend.device import current_device
from tork.keras import activations
from tork.keras.layers import _placeholder_batch
from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers.convolutional import _conv_utils as cu
from tork.keras.layers.layer import _to_keras_shape
from tork.keras.layers.recurrent._base import (
    _BuiltinCell,
    _check_states,
    _dropout_mask,
    _torch_activation,
    add_cell_properties,
    layer_config,
)
from tork.keras.layers.recurrent.lstm import _UnitForgetBias
from tork.keras.layers.recurrent.rnn import RNN, _is_shape_list, _keras_rank_sentence
from tork.ops import _conv_layout

# Safe from a oneDNN bug on one-channel inputs (see tork/ops/_conv_layout.py).
_CONV_FNS = _conv_layout.CONV_FNS

# Attributes the ConvLSTM layers expose from their cell (as Keras does).
_LAYER_PROPERTIES = (
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "data_format",
    "dilation_rate",
    "activation",
    "recurrent_activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "unit_forget_bias",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
    "seed",
)


def _symmetric_plan(pads, lead: tuple) -> tuple:
    """(torch padding, F.pad list or None) for per-axis (left, right) pads in torch layout."""
    if all(left == right for left, right in pads):
        return lead + tuple(left for left, _ in pads), None
    # torch pads symmetrically; TF's odd extra cell (right/bottom) goes in an explicit F.pad.
    return lead + (0,) * len(pads), cu.flat_pad(pads, channels_last=False)


class _ConvLSTMCell(_BuiltinCell):
    """One step of a convolutional LSTM (the cell of `ConvLSTM1D/2D/3D`).

    With `z = conv(x, kernel) + bias + conv(h, recurrent_kernel)` split on the
    channel axis into [i | f | c | o]: `c' = σ(f)·c + σ(i)·tanh(c)`,
    `h' = σ(o)·tanh(c')`. States are `[h, c]`, both shaped like the output of
    the input convolution.

    Args:
        rank: the number of spatial dimensions (1, 2 or 3).
        filters: the number of output channels.
        kernel_size, strides, padding, data_format, dilation_rate: as in `ConvLSTM2D`.
        owner: the public layer's class name, for error messages.
        Other arguments: as in `LSTMCell`.
    """

    def __init__(
        self,
        rank: int,
        filters: int,
        kernel_size,
        strides=1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate=1,
        activation="tanh",
        recurrent_activation="hard_sigmoid",
        use_bias: bool = True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias: bool = True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        owner: str = "ConvLSTM",
        **kwargs,
    ):
        if isinstance(filters, bool) or not hasattr(filters, "__index__") or int(filters) <= 0:
            raise ValueError(
                f"{owner}(filters=...) must be a positive integer, got {filters!r}. "
                f"Example: {owner}(16, 3)."
            )
        super().__init__(
            int(filters),
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            **kwargs,
        )
        self.rank = rank
        self.filters = int(filters)
        self.kernel_size = cu.normalize_tuple(kernel_size, rank, "kernel_size", owner)
        self.strides = cu.normalize_tuple(strides, rank, "strides", owner)
        self.padding = cu.normalize_padding(padding, owner, ("valid", "same"))
        self.data_format = cu.standardize_data_format(data_format, owner)
        self.dilation_rate = cu.normalize_tuple(dilation_rate, rank, "dilation_rate", owner)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"{owner}: strides > 1 cannot be combined with dilation_rate > 1 (got "
                f"strides={self.strides}, dilation_rate={self.dilation_rate}). Use strides=1 "
                "or dilation_rate=1."
            )
        self.unit_forget_bias = bool(unit_forget_bias)
        self._owner = owner
        self._channels_last = self.data_format == "channels_last"
        # Channels-last 1D runs as 2D with height 1, as Conv1D does: torch's channels_last 2D
        # kernels take the permuted views without copies.
        self._as_2d = rank == 1 and self._channels_last
        self._torch_rank = 2 if self._as_2d else rank
        lead = (1,) if self._as_2d else ()
        self._torch_strides = lead + self.strides
        self._torch_dilation = lead + self.dilation_rate
        self._to_torch_perm = cu.to_torch_perm(self._torch_rank)
        self._from_torch_perm = cu.from_torch_perm(self._torch_rank)
        self._kernel_perm = (rank + 1, rank, *range(rank))
        self._conv = _CONV_FNS[self._torch_rank]
        self._cpu_format = {2: torch.channels_last, 3: torch.channels_last_3d}.get(
            None if self._channels_last else rank
        )
        # The recurrent convolution: stride 1, no dilation, TF 'same' padding (extra cell right).
        rec_pads = [cu.same_pads(k, k, 1, 1) for k in self.kernel_size]
        self._rec_padding, self._rec_pad = _symmetric_plan(rec_pads, (0,) if self._as_2d else ())
        self._tork_in_shape = None  # one step's input shape (no batch), set by build
        self._tork_any_frame = False  # built for frames of unknown size: set per call
        self._tork_state_shape = None  # one state's shape (no batch), set by build

    # -- shapes ------------------------------------------------------------------------------
    @property
    def state_size(self) -> list:
        """`[shape, shape]`: h and c, each shaped like the input convolution's output."""
        return [self._tork_state_shape, self._tork_state_shape]

    def _spatial_of(self, shape) -> tuple:
        return tuple(shape[:-1]) if self._channels_last else tuple(shape[1:])

    def _tork_output_shape(self, step_shape) -> tuple:
        """The output shape (no batch) for one step's input shape (no batch); None stays None."""
        spatial = tuple(
            cu.conv_output_length(n, k, self.padding, s, d)
            for n, k, s, d in zip(
                self._spatial_of(step_shape), self.kernel_size, self.strides, self.dilation_rate
            )
        )
        return (*spatial, self.filters) if self._channels_last else (self.filters, *spatial)

    def build(self, input_shape) -> None:
        shape = tuple(input_shape)[1:]
        channels = shape[-1] if self._channels_last else shape[0]
        # The weights depend on the channels only: frames of unknown size (keras.Input((None,
        # None, None, 3))) take the size of each call (`_tork_set_frame`), as in Keras 2.
        self._tork_any_frame = any(d is None for d in self._spatial_of(shape))
        if not self._tork_any_frame:
            self._tork_set_frame(shape)
        self._tork_add_weights(channels)

    def _tork_set_frame(self, shape) -> None:
        """Sets one step's input shape (no batch) and the shapes and padding derived from it."""
        spatial = self._spatial_of(shape)
        self._tork_in_shape = tuple(int(d) for d in shape)
        out_spatial = self._spatial_of(self._tork_output_shape(shape))
        if self.padding == "same":
            pads = [
                cu.same_pads(n, k, s, d)
                for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate)
            ]
        else:
            pads = [(0, 0)] * self.rank
        self._in_padding, self._in_pad = _symmetric_plan(pads, (0,) if self._as_2d else ())
        self._tork_state_shape = (
            (*out_spatial, self.filters) if self._channels_last else (self.filters, *out_spatial)
        )

    def _tork_add_weights(self, channels) -> None:
        self.kernel = self.add_weight(
            name="kernel",
            shape=(*self.kernel_size, int(channels), 4 * self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel",
            shape=(*self.kernel_size, self.filters, 4 * self.filters),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        if self.use_bias:
            initializer = self.bias_initializer
            if self.unit_forget_bias:
                initializer = _UnitForgetBias(self.bias_initializer, self.filters)
            self.bias = self.add_weight(
                name="bias",
                shape=(4 * self.filters,),
                initializer=initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        self.built = True

    # -- layouts -----------------------------------------------------------------------------
    def _to_torch(self, x: torch.Tensor) -> torch.Tensor:
        """(N, *S, C) or (N, C, *S) -> torch's (N, C, *S); channels-last data is not copied."""
        if self._as_2d:
            return x.unsqueeze(1).permute(self._to_torch_perm)
        if self._channels_last:
            return x.permute(self._to_torch_perm)
        if self._cpu_format is not None and x.device.type == "cpu":
            # oneDNN's CPU convolutions run about twice as fast on channels_last memory; the
            # outputs keep that format, so after the input's copy the states stay in it.
            return x.contiguous(memory_format=self._cpu_format)
        return x

    def _from_torch(self, y: torch.Tensor) -> torch.Tensor:
        if self._as_2d:
            return y.permute(self._from_torch_perm).squeeze(1)
        return y.permute(self._from_torch_perm) if self._channels_last else y

    def _torch_kernel(self, kernel: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
        # Contiguous once per sequence, so the per-step convolutions never re-copy it.
        kernel = kernel.to(dtype).permute(self._kernel_perm)
        return (kernel.unsqueeze(2) if self._as_2d else kernel).contiguous()

    def _grouped(self, masked: torch.Tensor) -> torch.Tensor:
        """(4, N, ...) per-gate copies -> torch layout (N, 4·C, *S), gate g in channel group g."""
        x = self._to_torch(masked.flatten(0, 1))
        x = x.unflatten(0, (4, -1)).transpose(0, 1)
        return x.reshape(x.shape[0], -1, *x.shape[3:])

    # -- dropout ------------------------------------------------------------------------------
    def _tork_dropout_inputs(self, x: torch.Tensor, training) -> torch.Tensor:
        """Input dropout on a flat (batch, time, features) sequence: one mask per gate.

        Returns `x` unchanged, or (batch, time, 4, features) holding the four masked copies.
        """
        if not training or not 0.0 < self.dropout < 1.0:
            return x
        batch, features = x.shape[0], x.shape[2]
        mask = _dropout_mask((4, batch, features), self.dropout, x, self._tork_generator)
        return x[:, :, None, :] * mask.transpose(0, 1)[:, None]

    def _tork_recurrent_mask(self, h: torch.Tensor, training):
        if not training or not 0.0 < self.recurrent_dropout < 1.0:
            return None
        return _dropout_mask((4, *h.shape), self.recurrent_dropout, h, self._tork_generator)

    # -- step machinery --------------------------------------------------------------------------
    def _tork_step_weights(self, dtype):
        bias = self.bias.to(dtype) if self.bias is not None else None
        return (
            self._torch_kernel(self.kernel, dtype),
            bias,
            self._torch_kernel(self.recurrent_kernel, dtype),
        )

    def _tork_project(self, x: torch.Tensor, weights) -> torch.Tensor:
        """The input convolution of every step at once: (batch, time, *output shape with 4F)."""
        batch, steps = x.shape[0], x.shape[1]
        if x.ndim == 3:
            groups = 1
            inputs = self._to_torch(x.reshape(batch * steps, *self._tork_in_shape))
        else:  # the four per-gate dropout copies
            groups = 4
            masked = x.permute(2, 0, 1, 3).reshape(4, batch * steps, *self._tork_in_shape)
            inputs = self._grouped(masked)
        if self._in_pad is not None:
            inputs = F.pad(inputs, self._in_pad)
        out = self._conv(
            inputs,
            weights[0],
            weights[1],
            self._torch_strides,
            self._in_padding,
            self._torch_dilation,
            groups,
        )
        out = self._from_torch(out)
        return out.reshape(batch, steps, *out.shape[1:])

    def _tork_step(self, projected, states, rec_mask, weights):
        h, c = states[0], states[1]
        if rec_mask is None:
            groups, h_in = 1, self._to_torch(h)
        else:
            groups, h_in = 4, self._grouped(h[None] * rec_mask)
        if self._rec_pad is not None:
            h_in = F.pad(h_in, self._rec_pad)
        rec = self._conv(h_in, weights[2], None, 1, self._rec_padding, 1, groups)
        z = projected + self._from_torch(rec)
        i, f, g, o = z.chunk(4, -1 if self._channels_last else 1)
        gate = _torch_activation(self.recurrent_activation)
        act = _torch_activation(self.activation)
        c = gate(f) * c + gate(i) * act(g)
        h = gate(o) * act(c)
        return h, [h, c]

    def _tork_can_fuse(self) -> bool:
        return False  # torch has no fused convolutional LSTM kernel

    @property
    def _tork_builtin(self) -> bool:
        return type(self).call is _ConvLSTMCell.call

    # -- one step (Keras cell API) ---------------------------------------------------------------
    def call(self, inputs, states, training=None):
        """One step: `inputs` (batch, *spatial, channels) in the layer's data format."""
        states = list(states)
        _check_states(self, states)
        x = inputs.reshape(inputs.shape[0], 1, -1)
        x = self._tork_dropout_inputs(x, training)
        weights = self._tork_step_weights(x.dtype)
        projected = self._tork_project(x, weights)[:, 0]
        rec_mask = self._tork_recurrent_mask(states[0], training)
        return self._tork_step(projected, states, rec_mask, weights)

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None) -> list:
        """Zero `[h, c]` for a batch (the cell must be built).

        Args:
            inputs: optional input tensor, whose batch size and dtype are used.
            batch_size: the batch size, when `inputs` is not given.
            dtype: the states' dtype; default the layer's compute dtype.

        Returns:
            Two zero tensors of shape `(batch, *output_shape)`.
        """
        device = current_device()
        if inputs is not None:
            batch_size = inputs.shape[0]
            dtype = dtype or inputs.dtype
            device = inputs.device
        dtype = dtype or self._tork_compute_dtype
        return [torch.zeros((batch_size, *s), dtype=dtype, device=device) for s in self.state_size]

    # -- config ------------------------------------------------------------------------------------
    def _tork_cell_config(self) -> dict:
        config = {
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
        }
        base = super()._tork_cell_config()
        base.pop("units")
        config.update(base)
        config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        config["unit_forget_bias"] = self.unit_forget_bias
        return config


class _ConvLSTM(RNN):
    """Base of ConvLSTM1D/2D/3D; subclasses set `_rank`."""

    _rank: int = 2

    def __init__(
        self,
        filters: int,
        kernel_size,
        strides=1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate=1,
        activation="tanh",
        recurrent_activation="hard_sigmoid",
        use_bias: bool = True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias: bool = True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        **kwargs,
    ):
        owner = type(self).__name__
        if kwargs.pop("time_major", False):
            raise ValueError(
                f"{owner} does not take time_major=True: its inputs are (batch, time, ...). "
                "Transpose the first two axes of the input instead."
            )
        cell = _ConvLSTMCell(
            self._rank,
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            owner=owner,
            name="conv_lstm_cell",
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )

    # -- checks ------------------------------------------------------------------------------
    def _rank_error(self, shape) -> ValueError:
        rank = self._rank
        # Shown with batch None when a model builds on zeros of a made-up batch size.
        shape = _placeholder_batch.shown_shape(shape)
        layout = cu.layout_description(rank, self.cell._channels_last)
        layout = "(batch, time, " + layout[len("(batch, ") :]
        text = (
            f"{_keras_rank_sentence(self, shape, rank + 3)} "
            f"{where(self)} expects a {rank + 3}D input {layout}, but received input of shape "
            f"{shape} ({len(shape)}D)."
        )
        if len(shape) == rank + 2:
            text += (
                " If each sample is a single frame, add a time axis: x[:, None] (or "
                f"keras.layers.Reshape((1, {', '.join(str(d) for d in shape[1:])}))); if each "
                "frame has a single channel, add a channel axis: "
                + ("x[..., None]." if self.cell._channels_last else "x[:, :, None].")
            )
        elif len(shape) in (4, 5, 6) and len(shape) != rank + 3:
            text += f" For {len(shape) - 3}D frames use ConvLSTM{len(shape) - 3}D."
        return ValueError(text)

    def build(self, input_shape) -> None:
        shape = tuple(input_shape[0] if _is_shape_list(input_shape) else input_shape)
        if len(shape) != self._rank + 3:
            raise self._rank_error(shape)
        step = shape[2:]
        if (step[-1] if self.cell._channels_last else step[0]) is None:
            axis = "last" if self.cell._channels_last else "third"
            raise ValueError(
                f"{where(self)}: the channel dimension of the inputs ({axis} axis) must be "
                f"known to build the layer, but the input shape is {shape}. Give keras.Input "
                "the number of channels, e.g. keras.Input((None, None, None, 3))."
            )
        self._tork_check_frame(step, shape)
        if not self.cell.built:
            # In this layer's name scope (`conv_lstm2d/kernel:0`): Keras 2 builds the cell by
            # calling its build() directly.
            self.cell._tork_build(_to_keras_shape((shape[0], *step)), scoped=False)
        # Frames of unknown size: the feature count is set at each call.
        self._tork_features = None if self.cell._tork_any_frame else math.prod(step)
        self.built = True

    # -- calling -----------------------------------------------------------------------------
    def call(self, inputs, initial_state=None, mask=None, training=None):
        if isinstance(inputs, (list, tuple)):
            if initial_state is None and len(inputs) > 1:
                initial_state = list(inputs[1:])
            inputs = inputs[0]
        if inputs.ndim != self._rank + 3:
            raise self._rank_error(inputs.shape)
        batch, steps = inputs.shape[0], inputs.shape[1]
        if self.cell._tork_any_frame:
            self._tork_take_frame(inputs)
        expected = self.cell._tork_in_shape
        if tuple(inputs.shape[2:]) != expected:
            raise ValueError(
                f"{where(self)} was built for frames of shape {expected} (data_format="
                f"'{self.cell.data_format}'), but received input of shape "
                f"{tuple(inputs.shape)}. A ConvLSTM layer keeps the frame shape of its first "
                "call: resize the frames, or create a new layer for the new shape."
            )
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if mask is not None and not isinstance(mask, torch.Tensor):
            mask = torch.as_tensor(mask)
        if mask is not None and tuple(mask.shape) != (batch, steps):
            raise ValueError(
                f"{where(self)}: the mask has shape {tuple(mask.shape)}, but the input "
                f"{tuple(inputs.shape)} needs a mask of shape {(batch, steps)} (batch, time)."
            )
        # The RNN loop sees (batch, time, features); the cell's hooks unfold each step.
        flat = inputs.reshape(batch, steps, self._tork_features)
        if CONTEXT.symbolic:
            return self._tork_symbolic_call(flat, initial_state)
        return super().call(flat, initial_state=initial_state, mask=mask, training=training)

    def _tork_check_frame(self, frame, shape) -> None:
        """Refuses frames (one step's shape; unknown sizes pass) the kernel would empty."""
        cell = self.cell
        out = cell._tork_output_shape(frame)
        if any(d is not None and d < 1 for d in cell._spatial_of(out)):
            raise ValueError(
                f"{where(self)}: the input frames {cell._spatial_of(frame)} are smaller than "
                f"the kernel with padding='valid' (kernel_size={cell.kernel_size}, "
                f"dilation_rate={cell.dilation_rate}; input shape {shape}), so the output "
                "would be empty. Use padding='same', a smaller kernel_size, or larger frames."
            )

    def _tork_take_frame(self, inputs) -> None:
        """A layer built for frames of any size takes this call's frame size."""
        frame = tuple(inputs.shape[2:])
        cell = self.cell
        if frame == cell._tork_in_shape:
            return
        channels = cell.kernel.shape[-2]
        given = frame[-1] if cell._channels_last else frame[0]
        if given != channels:
            raise ValueError(
                f"{where(self)} was built for frames with {channels} channels (data_format="
                f"'{cell.data_format}'), but received input of shape {tuple(inputs.shape)}. "
                f"Pass frames with {channels} channels, or create a new layer."
            )
        self._tork_check_frame(frame, tuple(inputs.shape))
        cell._tork_set_frame(frame)
        self._tork_features = math.prod(frame)
        self.__dict__["_tork_state_shapes_cache"] = None  # the states' shapes changed

    def _tork_symbolic_call(self, flat, initial_state):
        """Shape inference (fake tensors): the outputs' shapes without looping over time.

        Unknown time lengths stand in as long fake sequences; stepping through them would
        cost a second per functional call for nothing but shapes.
        """
        x = flat if flat.is_floating_point() else flat.to(self._tork_compute_dtype)
        batch, steps = x.shape[0], x.shape[1]
        self._tork_initial_states(initial_state, batch, x, True)  # checks given states
        state = (batch, *self.cell._tork_state_shape)
        output = x.new_empty((batch, steps, *state[1:]) if self.return_sequences else state)
        if self.return_state:
            return [output, x.new_empty(state), x.new_empty(state)]
        return output

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape[0] if _is_shape_list(input_shape) else input_shape)
        if len(shape) != self._rank + 3:
            raise self._rank_error(shape)
        batch, steps = shape[0], shape[1]
        state = (batch, *self.cell._tork_output_shape(shape[2:]))
        output = (batch, steps, *state[1:]) if self.return_sequences else state
        if self.return_state:
            return [output, state, state]
        return output

    def get_config(self) -> dict:
        return layer_config(self)


add_cell_properties(_ConvLSTM, _LAYER_PROPERTIES)


class ConvLSTM1D(_ConvLSTM):
    """1D convolutional LSTM: an LSTM whose input and recurrent products are 1D convolutions.

    Input `(batch, time, steps, channels)` (`(batch, time, channels, steps)`
    with `data_format='channels_first'`). With `z = conv(x_t, kernel) + bias
    + conv(h, recurrent_kernel)` split on the channel axis into
    [i | f | c | o]: `c' = σ(f)·c + σ(i)·tanh(c)` and `h' = σ(o)·tanh(c')`.
    The recurrent convolution uses stride 1 and 'same' padding.

    Args:
        filters: the number of output channels (and of state channels).
        kernel_size: an int or a tuple of 1 int, the convolution window.
        strides: an int or a tuple of 1 int; strides > 1 exclude dilation_rate > 1.
        padding: `'valid'` or `'same'` (TensorFlow's, the extra cell on the right).
        data_format: `'channels_last'` (default) or `'channels_first'`.
        dilation_rate: an int or a tuple of 1 int, for the input convolution.
        activation: activation of the candidate and the output (default tanh).
        recurrent_activation: activation of the gates (default `'hard_sigmoid'`,
            tf.keras 2's; Keras 3 uses `'sigmoid'`).
        use_bias: whether to add a bias.
        kernel_initializer: initializer of `kernel` (default glorot_uniform).
        recurrent_initializer: initializer of `recurrent_kernel` (default orthogonal).
        bias_initializer: initializer of `bias` (default zeros).
        unit_forget_bias: start the forget-gate bias at 1.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional regularizers.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint, recurrent_constraint, bias_constraint: optional constraints.
        return_sequences: return the whole output sequence, not only the last output.
        return_state: also return the final states: `[output, h, c]`.
        go_backwards: process the sequence backwards (a returned sequence stays reversed).
        stateful: carry the final states of each batch over to the next call.
        dropout: fraction of the inputs dropped (training only; one mask per gate
            and sequence).
        recurrent_dropout: fraction of the state dropped in the recurrent
            convolution (training only).
        seed: optional seed of the dropout masks.

    Call arguments:
        inputs: a `(batch, time, steps, channels)` tensor.
        initial_state: optional `[h, c]`, each shaped like one output frame.
        mask: optional boolean `(batch, time)` tensor.
        training: whether dropout is active.

    Example:
    >>> layer = keras.layers.ConvLSTM1D(4, 3, padding="same", return_sequences=True)
    >>> layer(tf.ones((2, 5, 8, 3))).shape
    torch.Size([2, 5, 8, 4])
    """

    _rank = 1


class ConvLSTM2D(_ConvLSTM):
    """2D convolutional LSTM: an LSTM whose input and recurrent products are 2D convolutions.

    Input `(batch, time, height, width, channels)` (`(batch, time, channels,
    height, width)` with `data_format='channels_first'`). With
    `z = conv(x_t, kernel) + bias + conv(h, recurrent_kernel)` split on the
    channel axis into [i | f | c | o]: `c' = σ(f)·c + σ(i)·tanh(c)` and
    `h' = σ(o)·tanh(c')`. The recurrent convolution uses stride 1 and 'same'
    padding. Weights: `kernel` (kh, kw, in_channels, 4·filters),
    `recurrent_kernel` (kh, kw, filters, 4·filters), `bias` (4·filters,).

    Args:
        filters: the number of output channels (and of state channels).
        kernel_size: an int or a tuple of 2 ints, the convolution window.
        strides: an int or a tuple of 2 ints; strides > 1 exclude dilation_rate > 1.
        padding: `'valid'` or `'same'` (TensorFlow's, the extra cell right/bottom).
        data_format: `'channels_last'` (default) or `'channels_first'`.
        dilation_rate: an int or a tuple of 2 ints, for the input convolution.
        activation: activation of the candidate and the output (default tanh).
        recurrent_activation: activation of the gates (default `'hard_sigmoid'`,
            tf.keras 2's; Keras 3 uses `'sigmoid'`).
        use_bias: whether to add a bias.
        kernel_initializer: initializer of `kernel` (default glorot_uniform).
        recurrent_initializer: initializer of `recurrent_kernel` (default orthogonal).
        bias_initializer: initializer of `bias` (default zeros).
        unit_forget_bias: start the forget-gate bias at 1.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional regularizers.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint, recurrent_constraint, bias_constraint: optional constraints.
        return_sequences: return the whole output sequence, not only the last output.
        return_state: also return the final states: `[output, h, c]`.
        go_backwards: process the sequence backwards (a returned sequence stays reversed).
        stateful: carry the final states of each batch over to the next call.
        dropout: fraction of the inputs dropped (training only; one mask per gate
            and sequence).
        recurrent_dropout: fraction of the state dropped in the recurrent
            convolution (training only).
        seed: optional seed of the dropout masks.

    Call arguments:
        inputs: a `(batch, time, height, width, channels)` tensor.
        initial_state: optional `[h, c]`, each shaped like one output frame.
        mask: optional boolean `(batch, time)` tensor.
        training: whether dropout is active.

    Example:
    >>> layer = keras.layers.ConvLSTM2D(8, 3, padding="same", return_sequences=True)
    >>> layer(tf.ones((2, 5, 16, 16, 1))).shape
    torch.Size([2, 5, 16, 16, 8])
    """

    _rank = 2


class ConvLSTM3D(_ConvLSTM):
    """3D convolutional LSTM: an LSTM whose input and recurrent products are 3D convolutions.

    Input `(batch, time, depth, height, width, channels)` (`(batch, time,
    channels, depth, height, width)` with `data_format='channels_first'`).
    With `z = conv(x_t, kernel) + bias + conv(h, recurrent_kernel)` split on
    the channel axis into [i | f | c | o]: `c' = σ(f)·c + σ(i)·tanh(c)` and
    `h' = σ(o)·tanh(c')`. The recurrent convolution uses stride 1 and 'same'
    padding.

    Args:
        filters: the number of output channels (and of state channels).
        kernel_size: an int or a tuple of 3 ints, the convolution window.
        strides: an int or a tuple of 3 ints; strides > 1 exclude dilation_rate > 1.
        padding: `'valid'` or `'same'` (TensorFlow's, the extra cell at the end).
        data_format: `'channels_last'` (default) or `'channels_first'`.
        dilation_rate: an int or a tuple of 3 ints, for the input convolution.
        activation: activation of the candidate and the output (default tanh).
        recurrent_activation: activation of the gates (default `'hard_sigmoid'`,
            tf.keras 2's; Keras 3 uses `'sigmoid'`).
        use_bias: whether to add a bias.
        kernel_initializer: initializer of `kernel` (default glorot_uniform).
        recurrent_initializer: initializer of `recurrent_kernel` (default orthogonal).
        bias_initializer: initializer of `bias` (default zeros).
        unit_forget_bias: start the forget-gate bias at 1.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional regularizers.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint, recurrent_constraint, bias_constraint: optional constraints.
        return_sequences: return the whole output sequence, not only the last output.
        return_state: also return the final states: `[output, h, c]`.
        go_backwards: process the sequence backwards (a returned sequence stays reversed).
        stateful: carry the final states of each batch over to the next call.
        dropout: fraction of the inputs dropped (training only; one mask per gate
            and sequence).
        recurrent_dropout: fraction of the state dropped in the recurrent
            convolution (training only).
        seed: optional seed of the dropout masks.

    Call arguments:
        inputs: a `(batch, time, depth, height, width, channels)` tensor.
        initial_state: optional `[h, c]`, each shaped like one output frame.
        mask: optional boolean `(batch, time)` tensor.
        training: whether dropout is active.

    Example:
    >>> layer = keras.layers.ConvLSTM3D(4, 3, padding="same")
    >>> layer(tf.ones((2, 3, 4, 8, 8, 1))).shape
    torch.Size([2, 4, 8, 8, 4])
    """

    _rank = 3
