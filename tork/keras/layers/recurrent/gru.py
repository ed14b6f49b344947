"""`keras.layers.GRUCell` and `keras.layers.GRU`, in Keras's weight layout.

Weights: `kernel` (input_dim, 3·units), `recurrent_kernel` (units, 3·units),
column blocks in Keras's order [z | r | h]. With `reset_after=True` (default)
`bias` is (2, 3·units): row 0 the input bias, row 1 the recurrent bias, and
the candidate is `tanh(x·W_h + b0_h + r·(h·U_h + b1_h))` — exactly torch's GRU,
whose blocks are ordered [r | z | n], so the fused path reorders the blocks.
With `reset_after=False` `bias` is (3·units,) and the candidate is
`tanh(x·W_h + b_h + (r·h)·U_h)` (step loop only).
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


class GRUCell(_BuiltinCell):
    """Cell class for the GRU layer: one step of a gated recurrent unit.

    `z = σ(x·W_z + h·U_z + b)`, `r = σ(x·W_r + h·U_r + b)`, candidate `ĥ`
    (see `reset_after`), and `h' = z·h + (1 − z)·ĥ`. The state is `h`.

    Args:
        units: size of the output and of the state.
        activation: activation of the candidate (default tanh).
        recurrent_activation: activation of the gates (default sigmoid).
        use_bias: whether to add biases.
        kernel_initializer: initializer of `kernel` (default glorot_uniform).
        recurrent_initializer: initializer of `recurrent_kernel` (default orthogonal).
        bias_initializer: initializer of `bias` (default zeros).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: optional constraints.
        dropout: fraction of the inputs dropped (training only; one mask per sequence).
        recurrent_dropout: fraction of the recurrent state dropped in the recurrent matmul.
        reset_after: apply the reset gate after the recurrent matmul (default True,
            cuDNN/torch convention; bias (2, 3·units)) or before it (bias (3·units,)).
        seed: optional seed of the dropout masks.

    Example:
    >>> cell = keras.layers.GRUCell(4)
    >>> h, [h2] = cell(tf.ones((2, 3)), [tf.zeros((2, 4))])
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
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        reset_after: bool = True,
        seed: int | None = None,
        **kwargs,
    ):
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
        self.reset_after = bool(reset_after)
        self._tork_perm = None
        self._tork_implementation = implementation

    @property
    def state_size(self) -> int:
        """`units`: the hidden state h."""
        return self.units

    def build(self, input_shape) -> None:
        self._tork_add_kernels(int(input_shape[-1]), 3)
        if self.use_bias:
            shape = (2, 3 * self.units) if self.reset_after else (3 * self.units,)
            self.bias = self.add_weight(
                name="bias",
                shape=shape,
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        self.built = True

    # -- step machinery ----------------------------------------------------------------------
    def _tork_step_weights(self, dtype):
        bias = self.bias.to(dtype) if self.bias is not None else None
        if bias is not None and self.reset_after:
            # unbind: views (a variable's `bias[0]` is a copy, as TensorFlow's reads).
            input_bias, recurrent_bias = bias.unbind(0)
        else:
            input_bias, recurrent_bias = bias, None
        return (self.kernel.to(dtype), input_bias, self.recurrent_kernel.to(dtype), recurrent_bias)

    def _tork_step(self, projected, states, rec_mask, weights):
        h = states[0]
        h_in = h * rec_mask if rec_mask is not None else h
        recurrent_kernel, recurrent_bias = weights[2], weights[3]
        gate = _torch_activation(self.recurrent_activation)
        act = _torch_activation(self.activation)
        u = self.units
        x_z, x_r, x_h = projected.split(u, 1)
        if self.reset_after:
            if recurrent_bias is not None:
                inner = torch.addmm(recurrent_bias, h_in, recurrent_kernel)
            else:
                inner = h_in @ recurrent_kernel
            r_z, r_r, r_h = inner.split(u, 1)
            z = gate(x_z + r_z)
            r = gate(x_r + r_r)
            candidate = act(x_h + r * r_h)
        else:
            inner = h_in @ recurrent_kernel[:, : 2 * u]
            r_z, r_r = inner.split(u, 1)
            z = gate(x_z + r_z)
            r = gate(x_r + r_r)
            candidate = act(x_h + (r * h_in) @ recurrent_kernel[:, 2 * u :])
        h = z * h + (1.0 - z) * candidate
        return h, [h]

    def _tork_can_fuse(self) -> bool:
        return self.reset_after and self._tork_gates_are_default()

    def _tork_fused_call(self, x, states, batch_sizes):
        perm = self._tork_perm
        device = self.kernel.device
        if perm is None or perm.device != device:
            u = self.units
            # Keras blocks [z | r | h] -> torch blocks [r | z | n].
            perm = torch.cat(
                [torch.arange(u, 2 * u), torch.arange(0, u), torch.arange(2 * u, 3 * u)]
            ).to(device)
            self._tork_perm = perm
        weights = [
            self.kernel.T.index_select(0, perm),
            self.recurrent_kernel.T.index_select(0, perm),
        ]
        if self.use_bias:
            bias = self.bias.index_select(1, perm)
            weights += [bias[0], bias[1]]
        weights = _pack_weights(weights, x.dtype)
        hx = states[0][None]
        train = torch.is_grad_enabled()
        if batch_sizes is None:
            out, h = _VF.gru(x, hx, weights, self.use_bias, 1, 0.0, train, False, True)
        else:
            out, h = _VF.gru(x, batch_sizes, hx, weights, self.use_bias, 1, 0.0, train, False)
        return out, [h[0]]

    def _tork_cell_config(self) -> dict:
        config = super()._tork_cell_config()
        config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        config["reset_after"] = self.reset_after
        return config


@add_cell_properties
class GRU(RNN):
    """Gated Recurrent Unit layer (Cho et al. 2014).

    Runs on torch's fused GRU kernel when the configuration allows
    (activation tanh, recurrent_activation sigmoid, reset_after=True, no
    recurrent dropout, no mask or a right-padded one); otherwise step by
    step. Both compute the same numbers. The weights live in `layer.cell`
    (`kernel`, `recurrent_kernel`, `bias`) in Keras's layout, blocks [z | r | h].

    Args:
        units: size of the output and of the state.
        activation: activation of the candidate (default tanh).
        recurrent_activation: activation of the gates (default sigmoid).
        use_bias: whether to add biases.
        kernel_initializer: initializer of `kernel` (default glorot_uniform).
        recurrent_initializer: initializer of `recurrent_kernel` (default orthogonal).
        bias_initializer: initializer of `bias` (default zeros).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional regularizers.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint, recurrent_constraint, bias_constraint: optional constraints.
        dropout: fraction of the inputs dropped (training only).
        recurrent_dropout: fraction of the recurrent state dropped (training only).
        return_sequences: return the whole output sequence, not only the last output.
        return_state: also return the final state: `[output, h]`.
        go_backwards: process the sequence backwards (a returned sequence stays reversed).
        stateful: carry the final state of each batch over to the next call.
        unroll: accepted for compatibility (tork runs eagerly).
        time_major: inputs and outputs are `(timesteps, batch, ...)`.
        reset_after: reset gate after the recurrent matmul (default True) or before.
        seed: optional seed of the dropout masks.

    Call arguments:
        inputs: a `(batch, timesteps, features)` tensor.
        initial_state: optional `[h]`.
        mask: optional boolean `(batch, timesteps)` tensor.
        training: whether dropout is active.

    Example:
    >>> gru = keras.layers.GRU(4, return_sequences=True, return_state=True)
    >>> seq, h = gru(tf.ones((32, 10, 8)))
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
        unroll: bool = False,
        time_major: bool = False,
        reset_after: bool = True,
        seed: int | None = None,
        **kwargs,
    ):
        implementation = kwargs.pop("implementation", 2)
        kwargs.pop("use_cudnn", None)
        cell = GRUCell(
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
            reset_after=reset_after,
            seed=seed,
            implementation=implementation,
            name="gru_cell",
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            time_major=time_major,
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
    def reset_after(self) -> bool:
        """Whether the reset gate applies after the recurrent matmul."""
        return self.cell.reset_after

    def get_config(self) -> dict:
        return layer_config(self)
