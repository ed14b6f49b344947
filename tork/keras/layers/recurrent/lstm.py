"""`keras.layers.LSTMCell` and `keras.layers.LSTM`, in Keras's weight layout.

Weights: `kernel` (input_dim, 4·units), `recurrent_kernel` (units, 4·units)
and `bias` (4·units,), with column blocks in Keras's gate order [i | f | c | o].
torch's fused LSTM uses the same gate order with transposed matrices, so the
fused path passes transposed views of the Keras variables (plus a zero
recurrent bias, since Keras has a single bias).
"""

from __future__ import annotations

import torch
from torch import _VF

from tork.keras import activations
from tork.keras.layers.recurrent._base import (
    _BuiltinCell,
    _pack_weights,
    _torch_activation,
    add_cell_properties,
    layer_config,
)
from tork.keras.layers.recurrent.rnn import RNN


class LSTMCell(_BuiltinCell):
    """Cell class for the LSTM layer: one step of a long short-term memory.

    With `z = x·kernel + h·recurrent_kernel + bias` split into blocks
    [i | f | c | o]: `c' = σ(f)·c + σ(i)·tanh(c)`, `h' = σ(o)·tanh(c')`
    (σ = `recurrent_activation`, tanh = `activation`). States are `[h, c]`.

    Args:
        units: size of the output and of each state.
        activation: activation of the candidate and of the output (default tanh).
        recurrent_activation: activation of the gates (default sigmoid).
        use_bias: whether to add a bias.
        kernel_initializer: initializer of `kernel` (default glorot_uniform).
        recurrent_initializer: initializer of `recurrent_kernel` (default orthogonal).
        bias_initializer: initializer of `bias` (default zeros).
        unit_forget_bias: start the forget-gate bias at 1 (the rest uses bias_initializer).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: optional constraints.
        dropout: fraction of the inputs dropped (training only; one mask per sequence).
        recurrent_dropout: fraction of the recurrent state dropped in the recurrent matmul.
        seed: optional seed of the dropout masks.

    Example:
    >>> cell = keras.layers.LSTMCell(4)
    >>> h, (h2, c2) = cell(tf.ones((2, 3)), [tf.zeros((2, 4)), tf.zeros((2, 4))])
    >>> h.shape
    torch.Size([2, 4])
    """

    def __init__(
        self,
        units: int,
        activation="tanh",
        recurrent_activation="sigmoid",
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
        **kwargs,
    ):
        # Keras 2's `implementation` picks which gate hook a subclass's override runs
        # (1: `_compute_carry_and_output`, 2: `_compute_carry_and_output_fused`).
        implementation = kwargs.pop("implementation", 2)
        super().__init__(
            units,
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
        self.unit_forget_bias = bool(unit_forget_bias)
        self._tork_implementation = implementation

    @property
    def state_size(self) -> list:
        """`[units, units]`: the hidden state h and the carry c."""
        return [self.units, self.units]

    def build(self, input_shape) -> None:
        self._tork_add_kernels(int(input_shape[-1]), 4)
        if self.use_bias:
            initializer = self.bias_initializer
            if self.unit_forget_bias:
                initializer = _UnitForgetBias(self.bias_initializer, self.units)
            self.bias = self.add_weight(
                name="bias",
                shape=(4 * self.units,),
                initializer=initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        self.built = True

    # -- step machinery ----------------------------------------------------------------------
    def _tork_step_weights(self, dtype):
        bias = self.bias.to(dtype) if self.bias is not None else None
        return (self.kernel.to(dtype), bias, self.recurrent_kernel.to(dtype))

    def _tork_gate_hooks(self) -> bool:
        # A subclass overriding Keras 2's gate hooks (TF Addons' PeepholeLSTMCell).
        cls = type(self)
        return (
            cls._compute_carry_and_output is not LSTMCell._compute_carry_and_output
            or cls._compute_carry_and_output_fused is not LSTMCell._compute_carry_and_output_fused
        )

    def _compute_carry_and_output(self, x, h_tm1, c_tm1):
        """Keras 2 (`implementation=1`): the new carry and the output gate.

        Args:
            x: the four input projections (with bias) `[x_i, x_f, x_c, x_o]`.
            h_tm1: the previous hidden state, once per gate (recurrent dropout applied).
            c_tm1: the previous carry.

        Returns:
            `(c, o)`: the new carry and the output gate; the cell's output is
            `o * activation(c)`.
        """
        x_i, x_f, x_c, x_o = x
        h_i, h_f, h_c, h_o = h_tm1
        # torch.split: views of the kernel (a variable's `kernel[:, :units]` is a copy).
        k_i, k_f, k_c, k_o = torch.split(self.recurrent_kernel, self.units, dim=1)
        gate = self.recurrent_activation
        i = gate(x_i + torch.matmul(h_i, k_i))
        f = gate(x_f + torch.matmul(h_f, k_f))
        c = f * c_tm1 + i * self.activation(x_c + torch.matmul(h_c, k_c))
        o = gate(x_o + torch.matmul(h_o, k_o))
        return c, o

    def _compute_carry_and_output_fused(self, z, c_tm1):
        """Keras 2 (`implementation=2`): the new carry and output gate from `z`'s blocks.

        Args:
            z: `[z_i, z_f, z_c, z_o]`, the blocks of `x·kernel + h·recurrent_kernel + bias`.
            c_tm1: the previous carry.

        Returns:
            `(c, o)`, as `_compute_carry_and_output`.
        """
        z0, z1, z2, z3 = z
        gate = self.recurrent_activation
        c = gate(z1) * c_tm1 + gate(z0) * self.activation(z2)
        return c, gate(z3)

    def _tork_hooked_step(self, projected, h, c, rec_mask, weights):
        # Keras 2's LSTMCell.call around the hooks a subclass overrides.
        h_in = h * rec_mask if rec_mask is not None else h
        if self._tork_implementation == 1:
            x = list(projected.chunk(4, 1))
            c, o = self._compute_carry_and_output(x, (h_in,) * 4, c)
        else:
            z = torch.addmm(projected, h_in, weights[2])
            c, o = self._compute_carry_and_output_fused(list(z.chunk(4, 1)), c)
        h = o * self.activation(c)
        return h, [h, c]

    def _tork_step(self, projected, states, rec_mask, weights):
        h, c = states[0], states[1]
        if self._tork_gate_hooks():
            return self._tork_hooked_step(projected, h, c, rec_mask, weights)
        h_in = h * rec_mask if rec_mask is not None else h
        z = torch.addmm(projected, h_in, weights[2])
        i, f, g, o = z.chunk(4, 1)
        gate = _torch_activation(self.recurrent_activation)
        act = _torch_activation(self.activation)
        c = gate(f) * c + gate(i) * act(g)
        h = gate(o) * act(c)
        return h, [h, c]

    def _tork_can_fuse(self) -> bool:
        return self._tork_gates_are_default() and not self._tork_gate_hooks()

    def _tork_fused_call(self, x, states, batch_sizes):
        weights = [self.kernel.T, self.recurrent_kernel.T]
        if self.use_bias:
            weights += [self.bias, torch.zeros_like(self.bias)]
        weights = _pack_weights(weights, x.dtype)
        hx = (states[0][None], states[1][None])
        train = torch.is_grad_enabled()
        if batch_sizes is None:
            out, h, c = _VF.lstm(x, hx, weights, self.use_bias, 1, 0.0, train, False, True)
        else:
            out, h, c = _VF.lstm(x, batch_sizes, hx, weights, self.use_bias, 1, 0.0, train, False)
        return out, [h[0], c[0]]

    def _tork_cell_config(self) -> dict:
        config = super()._tork_cell_config()
        config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        config["unit_forget_bias"] = self.unit_forget_bias
        return config


class _UnitForgetBias:
    """Bias initializer: `bias_initializer` everywhere except ones on the forget block."""

    def __init__(self, base, units: int):
        self.base = base
        self.units = units

    def __call__(self, shape, dtype=None, **kwargs):
        u = self.units
        first = torch.as_tensor(self.base((u,), dtype=dtype))
        rest = torch.as_tensor(self.base((2 * u,), dtype=dtype), device=first.device)
        return torch.cat([first, torch.ones((u,), dtype=first.dtype, device=first.device), rest])


@add_cell_properties
class LSTM(RNN):
    """Long Short-Term Memory layer (Hochreiter 1997).

    Runs on torch's fused LSTM kernel when the configuration allows
    (activation tanh, recurrent_activation sigmoid, no recurrent dropout, no
    mask or a right-padded one); otherwise step by step. Both compute the same
    numbers. The weights live in `layer.cell` (`kernel`, `recurrent_kernel`,
    `bias`), in Keras's layout and gate order [i | f | c | o].

    Args:
        units: size of the output and of the states.
        activation: activation of the candidate and of the output (default tanh).
        recurrent_activation: activation of the gates (default sigmoid).
        use_bias: whether to add a bias.
        kernel_initializer: initializer of `kernel` (default glorot_uniform).
        recurrent_initializer: initializer of `recurrent_kernel` (default orthogonal).
        bias_initializer: initializer of `bias` (default zeros).
        unit_forget_bias: start the forget-gate bias at 1.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional regularizers.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint, recurrent_constraint, bias_constraint: optional constraints.
        dropout: fraction of the inputs dropped (training only).
        recurrent_dropout: fraction of the recurrent state dropped (training only).
        return_sequences: return the whole output sequence, not only the last output.
        return_state: also return the final states: `[output, h, c]`.
        go_backwards: process the sequence backwards (a returned sequence stays reversed).
        stateful: carry the final states of each batch over to the next call.
        time_major: inputs and outputs are `(timesteps, batch, ...)`.
        unroll: accepted for compatibility (tork runs eagerly).
        seed: optional seed of the dropout masks.

    Call arguments:
        inputs: a `(batch, timesteps, features)` tensor.
        initial_state: optional `[h, c]`.
        mask: optional boolean `(batch, timesteps)` tensor.
        training: whether dropout is active.

    Example:
    >>> lstm = keras.layers.LSTM(4, return_sequences=True, return_state=True)
    >>> seq, h, c = lstm(tf.ones((32, 10, 8)))
    >>> seq.shape, h.shape
    (torch.Size([32, 10, 4]), torch.Size([32, 4]))
    """

    def __init__(
        self,
        units: int,
        activation="tanh",
        recurrent_activation="sigmoid",
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
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        time_major: bool = False,
        unroll: bool = False,
        seed: int | None = None,
        **kwargs,
    ):
        implementation = kwargs.pop("implementation", 2)
        kwargs.pop("use_cudnn", None)
        cell = LSTMCell(
            units,
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
            implementation=implementation,
            name="lstm_cell",
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            time_major=time_major,
            unroll=unroll,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )

    @property
    def recurrent_activation(self):
        """The gates' activation."""
        return self.cell.recurrent_activation

    @property
    def implementation(self) -> int:
        """The cell's `implementation` (Keras 2: 1 or 2; both compute the same numbers)."""
        return self.cell.implementation

    @property
    def unit_forget_bias(self) -> bool:
        """Whether the forget-gate bias starts at 1."""
        return self.cell.unit_forget_bias

    def get_config(self) -> dict:
        return layer_config(self)
