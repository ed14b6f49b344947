"""`tf.compat.v1.nn.rnn_cell`: TF 1's RNN cells, as Keras layers run eagerly.

Each cell is called as `output, new_state = cell(inputs, state)` on one time step, has
`state_size`, `output_size` and `zero_state(batch_size, dtype)`, and runs under
`tf.compat.v1.nn.dynamic_rnn`/`static_rnn`. Their weights are TF 1's, so weights saved
from TF 1 code load with `set_weights`:

- `BasicRNNCell`: `kernel (in + units, units)`, `bias`; h = tanh([x, h] · kernel + bias).
- `BasicLSTMCell`, `LSTMCell`: one `kernel (in + units, 4 * units)` over `[x, h]` and
  `bias (4 * units,)`, gates in TF 1's order i, j, f, o (input gate, new input, forget
  gate, output gate) and `forget_bias` (1.0) added to the forget gate; the state is
  `LSTMStateTuple(c, h)`.
- `GRUCell`: `gates/kernel (in + units, 2 * units)` (reset r, update u) with bias
  starting at 1.0, `candidate/kernel (in + units, units)` over `[x, r * h]`;
  h' = u * h + (1 - u) * candidate.

Not implemented: `LSTMCell`'s peepholes, projections and clipping, and
`DropoutWrapper(variational_recurrent=True)`.
"""

from __future__ import annotations

import collections

import torch

from tork._backend import dtypes as _dtypes
from tork._backend.tensor import convert_to_tensor
from tork.keras.layers.layer import Layer

__all__ = [
    "BasicLSTMCell",
    "BasicRNNCell",
    "DropoutWrapper",
    "GRUCell",
    "LSTMCell",
    "LSTMStateTuple",
    "MultiRNNCell",
    "RNNCell",
]


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """TF 1's LSTM state: the cell state `c` and the output `h`."""

    __slots__ = ()

    @property
    def dtype(self):
        """The dtype of `c` (and `h`)."""
        return self.c.dtype


def _zeros_like_size(size, batch_size: int, dtype):
    if isinstance(size, LSTMStateTuple):
        return LSTMStateTuple(*(_zeros_like_size(s, batch_size, dtype) for s in size))
    if isinstance(size, (list, tuple)):
        return type(size)(_zeros_like_size(s, batch_size, dtype) for s in size)
    return torch.zeros((int(batch_size), int(size)), dtype=dtype)


def _cell_zero_state(cell, batch_size: int, dtype):
    if hasattr(cell, "zero_state"):
        return cell.zero_state(batch_size, dtype)
    return cell.get_initial_state(inputs=None, batch_size=batch_size, dtype=dtype)


class RNNCell(Layer):
    """Base class of TF 1's cells: `call(inputs, state)` returns `(output, new_state)`.

    Subclasses define `state_size`, `output_size`, `build(input_shape)` and `call`.
    """

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        kwargs.pop("reuse", None)
        super().__init__(trainable=trainable, name=name, dtype=dtype, **kwargs)

    @property
    def state_size(self):
        raise NotImplementedError(f"{type(self).__name__} must define state_size.")

    @property
    def output_size(self):
        raise NotImplementedError(f"{type(self).__name__} must define output_size.")

    def zero_state(self, batch_size, dtype):
        """Zeros in the structure of `state_size`, for `batch_size` sequences."""
        return _zeros_like_size(self.state_size, batch_size, _dtypes.as_dtype(dtype))

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        """Keras's spelling of `zero_state`."""
        if inputs is not None:
            batch_size = inputs.shape[0]
            dtype = dtype or inputs.dtype
        return self.zero_state(batch_size, dtype or "float32")


def _activation(activation, default=torch.tanh):
    if activation is None:
        return default
    from tork.keras import activations

    return activations.get(activation)


def _input_depth(input_shape, cell) -> int:
    depth = input_shape[-1]
    if depth is None:
        raise ValueError(
            f"{type(cell).__name__}: the last axis of the inputs must be known to build the "
            f"cell; got inputs of shape {tuple(input_shape)}."
        )
    return int(depth)


class BasicRNNCell(RNNCell):
    """TF 1's basic RNN cell: h = activation([inputs, h] · kernel + bias).

    Args:
        num_units: the size of the state and output.
        activation: default `tanh`.
        reuse: unused (TF 1's variable reuse).
        name: the layer's name.
        dtype: the layer's dtype.
    """

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, **kwargs)
        self._num_units = int(num_units)
        self._activation = _activation(activation)

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, input_shape):
        depth = _input_depth(input_shape, self)
        self.kernel = self.add_weight(
            name="kernel", shape=(depth + self._num_units, self._num_units)
        )
        self.bias = self.add_weight(name="bias", shape=(self._num_units,), initializer="zeros")
        self.built = True

    def call(self, inputs, state):
        h = state[0] if isinstance(state, (list, tuple)) else state
        output = self._activation(torch.cat([inputs, h], -1) @ self.kernel + self.bias)
        return output, output


class BasicLSTMCell(RNNCell):
    """TF 1's LSTM cell without peepholes, projection or clipping.

    One kernel over `[inputs, h]` gives the gates i, j, f, o (in that order);
    c' = sigmoid(f + forget_bias) * c + sigmoid(i) * activation(j),
    h' = sigmoid(o) * activation(c').

    Args:
        num_units: the size of the LSTM state.
        forget_bias: added to the forget gate (default 1.0).
        state_is_tuple: True (default): the state is `LSTMStateTuple(c, h)`; False: one
            tensor `[c, h]` concatenated on the last axis.
        activation: default `tanh`.
        reuse: unused.
        name: the layer's name.
        dtype: the layer's dtype.
    """

    def __init__(
        self,
        num_units,
        forget_bias=1.0,
        state_is_tuple=True,
        activation=None,
        reuse=None,
        name=None,
        dtype=None,
        **kwargs,
    ):
        super().__init__(name=name, dtype=dtype, **kwargs)
        self._num_units = int(num_units)
        self._forget_bias = float(forget_bias)
        self._state_is_tuple = bool(state_is_tuple)
        self._activation = _activation(activation)
        self._kernel_initializer = "glorot_uniform"

    @property
    def state_size(self):
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    @property
    def output_size(self):
        return self._num_units

    def build(self, input_shape):
        depth = _input_depth(input_shape, self)
        self.kernel = self.add_weight(
            name="kernel",
            shape=(depth + self._num_units, 4 * self._num_units),
            initializer=self._kernel_initializer,
        )
        self.bias = self.add_weight(name="bias", shape=(4 * self._num_units,), initializer="zeros")
        self.built = True

    def call(self, inputs, state):
        if self._state_is_tuple:
            c, h = state
        else:
            c, h = torch.split(state, self._num_units, dim=-1)
        gates = torch.cat([inputs, h], -1) @ self.kernel + self.bias
        i, j, f, o = torch.split(gates, self._num_units, dim=-1)
        new_c = torch.sigmoid(f + self._forget_bias) * c + torch.sigmoid(i) * self._activation(j)
        new_h = torch.sigmoid(o) * self._activation(new_c)
        if self._state_is_tuple:
            return new_h, LSTMStateTuple(new_c, new_h)
        return new_h, torch.cat([new_c, new_h], -1)


class LSTMCell(BasicLSTMCell):
    """TF 1's `LSTMCell` (as `BasicLSTMCell`, with TF 1's wider signature).

    Args:
        num_units: the size of the LSTM state.
        use_peepholes: must be False (peepholes are not implemented in tork).
        cell_clip: must be None (not implemented).
        initializer: the kernel's initializer (default Glorot uniform).
        num_proj: must be None (projections are not implemented).
        proj_clip: must be None.
        num_unit_shards: unused.
        num_proj_shards: unused.
        forget_bias: added to the forget gate (default 1.0).
        state_is_tuple: True (default): the state is `LSTMStateTuple(c, h)`.
        activation: default `tanh`.
        reuse: unused.
        name: the layer's name.
        dtype: the layer's dtype.
    """

    def __init__(
        self,
        num_units,
        use_peepholes=False,
        cell_clip=None,
        initializer=None,
        num_proj=None,
        proj_clip=None,
        num_unit_shards=None,
        num_proj_shards=None,
        forget_bias=1.0,
        state_is_tuple=True,
        activation=None,
        reuse=None,
        name=None,
        dtype=None,
        **kwargs,
    ):
        unsupported = {
            "use_peepholes": use_peepholes or None,
            "cell_clip": cell_clip,
            "num_proj": num_proj,
            "proj_clip": proj_clip,
        }
        given = [k for k, v in unsupported.items() if v is not None]
        if given:
            raise NotImplementedError(
                f"tf.compat.v1.nn.rnn_cell.LSTMCell: {', '.join(given)} is not implemented "
                "in tork. Use the plain LSTM (leave these out), or tf.keras.layers.LSTMCell "
                "followed by a Dense layer for a projection."
            )
        super().__init__(
            num_units,
            forget_bias=forget_bias,
            state_is_tuple=state_is_tuple,
            activation=activation,
            name=name,
            dtype=dtype,
            **kwargs,
        )
        if initializer is not None:
            self._kernel_initializer = initializer


class GRUCell(RNNCell):
    """TF 1's GRU cell: reset and update gates, then a candidate over `[x, r * h]`.

    Args:
        num_units: the size of the state and output.
        activation: the candidate's activation, default `tanh`.
        reuse: unused.
        kernel_initializer: the kernels' initializer (default Glorot uniform).
        bias_initializer: the biases' initializer (default: 1.0 for the gates, 0.0 for
            the candidate, as TF 1).
        name: the layer's name.
        dtype: the layer's dtype.
    """

    def __init__(
        self,
        num_units,
        activation=None,
        reuse=None,
        kernel_initializer=None,
        bias_initializer=None,
        name=None,
        dtype=None,
        **kwargs,
    ):
        super().__init__(name=name, dtype=dtype, **kwargs)
        self._num_units = int(num_units)
        self._activation = _activation(activation)
        self._kernel_initializer = kernel_initializer or "glorot_uniform"
        self._bias_initializer = bias_initializer

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, input_shape):
        depth = _input_depth(input_shape, self) + self._num_units
        n = self._num_units
        self.gate_kernel = self.add_weight(
            name="gates/kernel", shape=(depth, 2 * n), initializer=self._kernel_initializer
        )
        self.gate_bias = self.add_weight(
            name="gates/bias", shape=(2 * n,), initializer=self._bias_initializer or "ones"
        )
        self.candidate_kernel = self.add_weight(
            name="candidate/kernel", shape=(depth, n), initializer=self._kernel_initializer
        )
        self.candidate_bias = self.add_weight(
            name="candidate/bias", shape=(n,), initializer=self._bias_initializer or "zeros"
        )
        self.built = True

    def call(self, inputs, state):
        h = state[0] if isinstance(state, (list, tuple)) else state
        gates = torch.sigmoid(torch.cat([inputs, h], -1) @ self.gate_kernel + self.gate_bias)
        r, u = torch.split(gates, self._num_units, dim=-1)
        candidate = self._activation(
            torch.cat([inputs, r * h], -1) @ self.candidate_kernel + self.candidate_bias
        )
        new_h = u * h + (1 - u) * candidate
        return new_h, new_h


class MultiRNNCell(RNNCell):
    """TF 1's stack of cells: each cell's output is the next one's input.

    Args:
        cells: the cells, first to last (TF 1 or Keras cells).
        state_is_tuple: must be True (the state is a tuple of the cells' states).
    """

    def __init__(self, cells, state_is_tuple=True, **kwargs):
        super().__init__(**kwargs)
        if not cells:
            raise ValueError("tf.compat.v1.nn.rnn_cell.MultiRNNCell: give at least one cell.")
        if not state_is_tuple:
            raise NotImplementedError(
                "tf.compat.v1.nn.rnn_cell.MultiRNNCell(state_is_tuple=False) is not "
                "implemented in tork: use state_is_tuple=True (the default)."
            )
        self._cells = list(cells)

    @property
    def state_size(self):
        return tuple(cell.state_size for cell in self._cells)

    @property
    def output_size(self):
        last = self._cells[-1]
        size = getattr(last, "output_size", None)
        return size if size is not None else last.state_size

    def zero_state(self, batch_size, dtype):
        return tuple(_cell_zero_state(cell, batch_size, dtype) for cell in self._cells)

    def call(self, inputs, state):
        new_states = []
        for cell, cell_state in zip(self._cells, state):
            inputs, cell_state = cell(inputs, cell_state)
            new_states.append(cell_state)
        return inputs, tuple(new_states)


def _drop(x, keep_prob: float, seed=None):
    if keep_prob >= 1.0:
        return x
    from tork.ops.nn import dropout

    return dropout(x, 1.0 - keep_prob, seed=seed)


class DropoutWrapper(RNNCell):
    """TF 1's dropout around a cell's inputs, outputs and state (always applied).

    TF 1 has no training flag here: with a keep probability below 1 the wrapper drops
    values on every call (set them to 1.0 for inference, as TF 1 code does with a
    placeholder). An LSTM's `c` state is never dropped, as TF 1's default.

    Args:
        cell: the wrapped cell.
        input_keep_prob: probability to keep each input value.
        output_keep_prob: probability to keep each output value.
        state_keep_prob: probability to keep each state value.
        variational_recurrent: must be False (not implemented in tork).
        input_size: unused.
        dtype: unused.
        seed: optional seed.
        dropout_state_filter_visitor: unused (`c` of an LSTM state is kept, as TF 1's
            default).
    """

    def __init__(
        self,
        cell,
        input_keep_prob=1.0,
        output_keep_prob=1.0,
        state_keep_prob=1.0,
        variational_recurrent=False,
        input_size=None,
        dtype=None,
        seed=None,
        dropout_state_filter_visitor=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if variational_recurrent:
            raise NotImplementedError(
                "tf.compat.v1.nn.rnn_cell.DropoutWrapper(variational_recurrent=True) is not "
                "implemented in tork: use the `dropout`/`recurrent_dropout` arguments of "
                "tf.keras.layers.LSTM/GRU instead."
            )
        for name, value in (
            ("input_keep_prob", input_keep_prob),
            ("output_keep_prob", output_keep_prob),
            ("state_keep_prob", state_keep_prob),
        ):
            if not 0.0 < float(value) <= 1.0:
                raise ValueError(
                    f"tf.compat.v1.nn.rnn_cell.DropoutWrapper: {name} must be in (0, 1]; "
                    f"got {value}."
                )
        self.cell = cell
        self._input_keep_prob = float(input_keep_prob)
        self._output_keep_prob = float(output_keep_prob)
        self._state_keep_prob = float(state_keep_prob)
        self._seed = seed

    @property
    def wrapped_cell(self):
        return self.cell

    @property
    def state_size(self):
        return self.cell.state_size

    @property
    def output_size(self):
        return getattr(self.cell, "output_size", self.cell.state_size)

    def zero_state(self, batch_size, dtype):
        return _cell_zero_state(self.cell, batch_size, dtype)

    def call(self, inputs, state):
        inputs = _drop(convert_to_tensor(inputs), self._input_keep_prob, self._seed)
        output, new_state = self.cell(inputs, state)
        if self._state_keep_prob < 1.0:
            if isinstance(new_state, LSTMStateTuple):
                new_state = LSTMStateTuple(
                    new_state.c, _drop(new_state.h, self._state_keep_prob, self._seed)
                )
            else:
                from tork import nest

                new_state = nest.map_structure(
                    lambda s: _drop(s, self._state_keep_prob, self._seed), new_state
                )
        output = _drop(output, self._output_keep_prob, self._seed)
        return output, new_state
