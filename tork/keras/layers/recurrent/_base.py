"""Shared machinery of the built-in recurrent cells (SimpleRNNCell, LSTMCell, GRUCell).

A built-in cell computes one step like any Keras cell (`call(inputs, states)`),
and also exposes private hooks the `RNN` layer uses to run a whole sequence
fast: the input projection for all steps at once, a step on projected inputs,
and a run on torch's fused RNN kernels (`torch._VF.lstm`/`gru`/`rnn_tanh`)
with the torch weights derived from the Keras-layout variables on every call
(so gradients reach the Keras variables).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from tork._backend.device import current_device
from tork._backend.dtypes import as_dtype
from tork.keras import activations, constraints, initializers, regularizers
from tork.keras.layers.layer import Layer

# Keras activations whose torch function is identical (minus the `_keras_logits`
# bookkeeping, which recurrent gates never need): used inside the step loop.
_TORCH_ACTIVATION = {
    activations.tanh: torch.tanh,
    activations.sigmoid: torch.sigmoid,
    activations.relu: torch.relu,
}


def _torch_activation(fn):
    return _TORCH_ACTIVATION.get(fn, fn)


def _check_units(owner: str, units) -> int:
    if isinstance(units, bool) or not hasattr(units, "__index__") or int(units) <= 0:
        raise ValueError(
            f"{owner}(units=...) must be a positive integer, got {units!r}. Example: {owner}(64)."
        )
    return int(units)


def _rate(value) -> float:
    # Keras clips dropout rates into [0, 1] rather than rejecting them.
    return min(1.0, max(0.0, float(value)))


def _serialize_or_none(module, value):
    return module.serialize(value) if value is not None else None


def _dropout_mask(shape, rate: float, like: torch.Tensor, generator=None) -> torch.Tensor:
    """A Keras dropout mask: kept entries are 1/(1-rate), dropped ones 0."""
    keep = 1.0 - rate
    if generator is not None:
        noise = torch.rand(shape, generator=generator).to(device=like.device, dtype=like.dtype)
    else:
        noise = torch.rand(shape, device=like.device, dtype=like.dtype)
    return (noise < keep).to(like.dtype) / keep


def _pack_weights(tensors: list, dtype: torch.dtype) -> list:
    """torch-layout weights for the fused kernels, built differentiably from Keras variables.

    On CUDA the weights go into one flat buffer, in cuDNN's order, so cuDNN can use them
    as they are instead of copying them into a buffer of its own (and warning) on every call.
    """
    tensors = [t.to(dtype) for t in tensors]
    if tensors and tensors[0].device.type == "cuda":
        flat = torch.cat([t.reshape(-1) for t in tensors])
        views, offset = [], 0
        for t in tensors:
            views.append(flat[offset : offset + t.numel()].view(t.shape))
            offset += t.numel()
        return views
    return [t.contiguous() for t in tensors]


def _check_states(cell, states: list) -> None:
    """Clear errors for too few states or states of the wrong width (a cell called by hand).

    Extra states are ignored, as tf_keras does (a GRUCell given `[h, h]` uses the first).
    """
    sizes = cell.state_size
    sizes = list(sizes) if isinstance(sizes, (list, tuple)) else [sizes]
    if len(states) >= len(sizes) and all(
        not isinstance(n, int) or (s.dim() == 2 and s.shape[1] == n) for s, n in zip(states, sizes)
    ):
        return
    names = "[h, c]" if len(sizes) == 2 else "[h]"
    shapes = [
        f"(batch, {', '.join(str(d) for d in (n if isinstance(n, (list, tuple)) else [n]))})"
        for n in sizes
    ]
    got = [tuple(s.shape) for s in states]
    hint = " (hidden state, then carry)" if len(sizes) == 2 else ""
    raise ValueError(
        f"{type(cell).__name__} '{cell.name}' expects {len(sizes)} state(s) {names}{hint} of "
        f"shapes [{', '.join(shapes)}], but got {len(states)} state(s) of shapes {got}. "
        f"Call it as cell(inputs, states={names})."
    )


class _BuiltinCell(Layer):
    """Base of the built-in cells: shared arguments, dropout masks, config.

    Subclasses define `build`, `state_size`, `_tork_project`, `_tork_step`,
    `_tork_step_weights`, and for the fused path `_tork_can_fuse` and
    `_tork_fused_call`.
    """

    @property
    def _tork_builtin(self) -> bool:
        # A subclass with its own `call` is a custom cell: the RNN must run that `call`.
        return type(self).call is _BuiltinCell.call

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation=None,
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
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.units = _check_units(type(self).__name__, units)
        self.activation = activations.get(activation)
        self.recurrent_activation = (
            activations.get(recurrent_activation) if recurrent_activation is not None else None
        )
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = _rate(dropout)
        self.recurrent_dropout = _rate(recurrent_dropout)
        self.seed = seed
        self._tork_generator = (
            torch.Generator().manual_seed(int(seed)) if seed is not None else None
        )
        # While an RNN layer runs a sequence it puts a dict here, so that every step of
        # that sequence reuses the same dropout masks (Keras's per-sequence masks).
        self._tork_mask_cache = None

    # -- sizes -------------------------------------------------------------------------
    @property
    def output_size(self) -> int:
        """The size of the cell's output (`units`)."""
        return self.units

    # -- dropout -----------------------------------------------------------------------
    def _tork_mask(self, like: torch.Tensor, rate: float, key: str, training):
        if not training or not 0.0 < rate < 1.0:
            return None  # Keras applies dropout only for rates strictly between 0 and 1
        cache = self._tork_mask_cache
        if cache is not None and key in cache:
            return cache[key]
        mask = _dropout_mask(tuple(like.shape), rate, like, self._tork_generator)
        if cache is not None:
            cache[key] = mask
        return mask

    def _tork_dropout_inputs(self, x: torch.Tensor, training) -> torch.Tensor:
        """Applies the input dropout to a whole (batch, time, features) sequence.

        One mask per sequence, shared by all time steps, as Keras does.
        """
        mask = self._tork_mask(x[:, 0], self.dropout, "dp", training)
        return x if mask is None else x * mask[:, None, :]

    def _tork_recurrent_mask(self, h: torch.Tensor, training):
        return self._tork_mask(h, self.recurrent_dropout, "rdp", training)

    def _tork_masks_for_cell(self, like, rate: float, key: str, training, count: int):
        if rate == 0:
            return None
        if not training or not 0.0 < rate < 1.0:
            # Keras 2 gives masks of ones outside training, so `inputs * mask[0]` still runs.
            return [torch.ones_like(like) for _ in range(count)]
        return [
            self._tork_mask(like, rate, key if i == 0 else f"{key}{i}", True) for i in range(count)
        ]

    def get_dropout_mask_for_cell(self, inputs, training, count: int = 1):
        """Keras 2 (`DropoutRNNCellMixin`): `count` input dropout masks for a custom `call`.

        Args:
            inputs: the step's input, whose shape the masks take.
            training: whether dropout applies (outside training the masks are ones).
            count: how many masks (one per gate, e.g. 4 for an LSTM).

        Returns:
            A list of `count` masks, or None when `dropout` is 0. A sequence reuses
            the masks of its first step, as Keras does.
        """
        return self._tork_masks_for_cell(inputs, self.dropout, "dp", training, count)

    def reset_dropout_mask(self) -> None:
        """Keras 2 (`DropoutRNNCellMixin`): forget the cached input dropout masks."""
        self._tork_forget_masks("dp")

    def reset_recurrent_dropout_mask(self) -> None:
        """Keras 2 (`DropoutRNNCellMixin`): forget the cached recurrent dropout masks."""
        self._tork_forget_masks("rdp")

    def _tork_forget_masks(self, key: str) -> None:
        cache = self._tork_mask_cache
        if cache:
            for name in [k for k in cache if k.startswith(key)]:
                del cache[name]

    @property
    def implementation(self) -> int:
        """Keras 2's `implementation` mode (1 or 2); both compute the same numbers here."""
        return self.__dict__.get("_tork_implementation", 2)

    @implementation.setter
    def implementation(self, value: int) -> None:
        self.__dict__["_tork_implementation"] = int(value)

    def get_recurrent_dropout_mask_for_cell(self, inputs, training, count: int = 1):
        """Keras 2: as `get_dropout_mask_for_cell`, for the recurrent state (`recurrent_dropout`)."""
        return self._tork_masks_for_cell(inputs, self.recurrent_dropout, "rdp", training, count)

    # -- one step (Keras cell API) ---------------------------------------------------------
    def call(self, inputs, states, training=None):
        # States may come as NumPy arrays when a cell is called by hand (Keras accepts them);
        # a single array is one state, not a list of rows.
        single = isinstance(states, (torch.Tensor, np.ndarray))
        states = [states] if single else list(states)
        states = [
            s
            if isinstance(s, torch.Tensor)
            else torch.as_tensor(s, dtype=inputs.dtype, device=inputs.device)
            for s in states
        ]
        _check_states(self, states)
        mask = self._tork_mask(inputs, self.dropout, "dp", training)
        if mask is not None:
            inputs = inputs * mask
        weights = self._tork_step_weights(inputs.dtype)
        projected = self._tork_project(inputs, weights)
        rec_mask = self._tork_recurrent_mask(states[0], training)
        output, new_states = self._tork_step(projected, states, rec_mask, weights)
        return output, (new_states[0] if single else new_states)

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        """Returns zero states for a batch.

        Args:
            inputs: optional input tensor, whose batch size and dtype are used.
            batch_size: the batch size, when `inputs` is not given.
            dtype: the states' dtype (a dtype or its name); default the layer's
                compute dtype.

        Returns:
            One zero tensor for a cell with one state (SimpleRNNCell, GRUCell), a list
            of them for a cell with several (LSTMCell: `[h, c]`), as in Keras 2.
        """
        device = current_device()
        if inputs is not None:
            batch_size = inputs.shape[0]
            dtype = dtype or inputs.dtype
            # NumPy inputs (Keras 2 accepts them) give their batch and dtype, not a device.
            if isinstance(inputs, torch.Tensor):
                device = inputs.device
        if batch_size is None:
            raise ValueError(
                f"{type(self).__name__}.get_initial_state: batch_size and dtype cannot be None "
                f"while constructing initial state. Received: batch_size={batch_size}, "
                f"dtype={dtype}. Pass the inputs, or batch_size= (and dtype=)."
            )
        dtype = as_dtype(dtype) if dtype is not None else self._tork_compute_dtype
        if not isinstance(self.state_size, (list, tuple)):
            # Keras 2 returns the single state itself; `cell(x, state)` takes it back.
            return torch.zeros((batch_size, self.state_size), dtype=dtype, device=device)
        return [torch.zeros((batch_size, s), dtype=dtype, device=device) for s in self.state_size]

    # -- fused path ------------------------------------------------------------------------
    def _tork_gates_are_default(self) -> bool:
        return (
            self.activation is activations.tanh
            and self.recurrent_activation is activations.sigmoid
            and self.recurrent_dropout == 0.0
        )

    def _tork_project_bias(self):
        return self.bias if self.use_bias else None

    def _tork_project(self, x: torch.Tensor, weights) -> torch.Tensor:
        kernel, bias = weights[0], weights[1]
        return F.linear(x, kernel.T, bias)

    # -- config ------------------------------------------------------------------------------
    def _tork_cell_config(self) -> dict:
        return {
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": _serialize_or_none(regularizers, self.kernel_regularizer),
            "recurrent_regularizer": _serialize_or_none(regularizers, self.recurrent_regularizer),
            "bias_regularizer": _serialize_or_none(regularizers, self.bias_regularizer),
            "kernel_constraint": _serialize_or_none(constraints, self.kernel_constraint),
            "recurrent_constraint": _serialize_or_none(constraints, self.recurrent_constraint),
            "bias_constraint": _serialize_or_none(constraints, self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(self._tork_cell_config())
        return config

    def _tork_add_kernels(self, input_dim: int, gates: int) -> None:
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_dim, gates * self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel",
            shape=(self.units, gates * self.units),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )


def _cell_property(name: str, doc: str):
    def getter(self):
        return getattr(self.cell, name)

    return property(getter, doc=doc)


# Attributes that the Keras LSTM/GRU/SimpleRNN layers expose from their cell.
CELL_PROPERTIES = (
    "units",
    "activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
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


def add_cell_properties(cls, names=CELL_PROPERTIES):
    """Class decorator: read-only properties forwarding `names` to `self.cell`."""
    for name in names:
        setattr(cls, name, _cell_property(name, f"The cell's `{name}`."))
    return cls


def layer_config(layer) -> dict:
    """The config of an LSTM/GRU/SimpleRNN layer: base + RNN arguments + cell arguments."""
    config = Layer.get_config(layer)
    config.update(layer._tork_rnn_config())
    cell_config = layer.cell._tork_cell_config()
    config.update(cell_config)
    config["activity_regularizer"] = _serialize_or_none(regularizers, layer.activity_regularizer)
    return config
