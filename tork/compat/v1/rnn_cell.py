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
- `LSTMCell` adds TF 1's peepholes (`w_f_diag`, `w_i_diag`, `w_o_diag`), projection
  (`projection/kernel`) and clipping.

`MultiRNNCell` stacks cells (a tuple of states, or with `state_is_tuple=False` one
concatenated tensor). `DropoutWrapper` (also with `variational_recurrent=True`: one
mask for every step), `ResidualWrapper` and `DeviceWrapper` share the Keras cell
wrappers' forwarding (tork/ops/_rnn_cell_wrappers.py) and add `zero_state`. A user's
`RNNCell` subclass may create its weights with `tf.compat.v1.get_variable` in `call`
(see tork/compat/v1/_variable_scope.py).
"""

from __future__ import annotations

import collections

import torch

from tork._backend import dtypes as _dtypes
from tork._backend.tensor import convert_to_tensor
from tork.keras.layers.layer import Layer
from tork.keras.layers.recurrent.rnn import _call_cell
from tork.ops._rnn_cell_wrappers import (
    RNNCellDeviceWrapper,
    RNNCellResidualWrapper,
    _CellWrapper,
    _dropout_config,
)

__all__ = [
    "BasicLSTMCell",
    "BasicRNNCell",
    "DeviceWrapper",
    "DropoutWrapper",
    "GRUCell",
    "LSTMCell",
    "LSTMStateTuple",
    "MultiRNNCell",
    "RNNCell",
    "ResidualWrapper",
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

    Subclasses define `state_size`, `output_size`, and `build(input_shape)` with
    `add_weight`, or create their weights in `call` with `tf.compat.v1.get_variable`
    (inside a Keras layer's call, they become the weights of the layer being called).
    """

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        # TF 1's variable-reuse arguments (`_reuse` in subclasses' super() calls).
        for unused in ("reuse", "_reuse", "_scope"):
            kwargs.pop(unused, None)
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
    """TF 1's `LSTMCell`: `BasicLSTMCell` with peepholes, a projection and clipping.

    The weights are TF 1's: `kernel (in + out, 4 * units)` over `[inputs, h]` (`out` is
    `num_proj` with a projection, else `num_units`), `bias (4 * units,)`, then with
    `use_peepholes` the diagonal peephole weights `w_f_diag`, `w_i_diag`, `w_o_diag`
    (`(units,)` each), then with `num_proj` the `projection/kernel (units, num_proj)`.
    With peepholes the forget and input gates see the previous `c` and the output gate
    the new `c`; `cell_clip` clips `c` to `[-cell_clip, cell_clip]`, `proj_clip` the
    projected output.

    Args:
        num_units: the size of the LSTM state `c`.
        use_peepholes: whether to add the diagonal peephole connections.
        cell_clip: optional clip value of the cell state.
        initializer: the kernels' initializer (default Glorot uniform).
        num_proj: optional size of the output projection (then `h` has this size).
        proj_clip: optional clip value of the projected output (needs `num_proj`).
        num_unit_shards: unused (TF 1's variable sharding).
        num_proj_shards: unused.
        forget_bias: added to the forget gate (default 1.0).
        state_is_tuple: True (default): the state is `LSTMStateTuple(c, h)`; False: one
            tensor `[c, h]`.
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
        super().__init__(
            num_units,
            forget_bias=forget_bias,
            state_is_tuple=state_is_tuple,
            activation=activation,
            name=name,
            dtype=dtype,
            **kwargs,
        )
        self._use_peepholes = bool(use_peepholes)
        self._cell_clip = None if cell_clip is None else float(cell_clip)
        self._num_proj = None if num_proj is None else int(num_proj)
        self._proj_clip = None if proj_clip is None else float(proj_clip)
        if initializer is not None:
            self._kernel_initializer = initializer

    @property
    def state_size(self):
        n, out = self._num_units, self.output_size
        return LSTMStateTuple(n, out) if self._state_is_tuple else n + out

    @property
    def output_size(self):
        return self._num_proj or self._num_units

    def build(self, input_shape):
        depth = _input_depth(input_shape, self)
        n = self._num_units
        self.kernel = self.add_weight(
            name="kernel",
            shape=(depth + self.output_size, 4 * n),
            initializer=self._kernel_initializer,
        )
        self.bias = self.add_weight(name="bias", shape=(4 * n,), initializer="zeros")
        if self._use_peepholes:
            # TF 1's order of creation, which set_weights follows.
            self.w_f_diag, self.w_i_diag, self.w_o_diag = (
                self.add_weight(name=name, shape=(n,), initializer=self._kernel_initializer)
                for name in ("w_f_diag", "w_i_diag", "w_o_diag")
            )
        if self._num_proj:
            self.proj_kernel = self.add_weight(
                name="projection/kernel",
                shape=(n, self._num_proj),
                initializer=self._kernel_initializer,
            )
        self.built = True

    def call(self, inputs, state):
        if self._state_is_tuple:
            c, h = state
        else:
            c, h = torch.split(state, [self._num_units, self.output_size], dim=-1)
        gates = torch.cat([inputs, h], -1) @ self.kernel + self.bias
        i, j, f, o = torch.split(gates, self._num_units, dim=-1)
        if self._use_peepholes:
            f = f + self.w_f_diag * c
            i = i + self.w_i_diag * c
        new_c = torch.sigmoid(f + self._forget_bias) * c + torch.sigmoid(i) * self._activation(j)
        if self._cell_clip is not None:
            new_c = new_c.clamp(-self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            o = o + self.w_o_diag * new_c
        new_h = torch.sigmoid(o) * self._activation(new_c)
        if self._num_proj:
            new_h = new_h @ self.proj_kernel
            if self._proj_clip is not None:
                new_h = new_h.clamp(-self._proj_clip, self._proj_clip)
        if self._state_is_tuple:
            return new_h, LSTMStateTuple(new_c, new_h)
        return new_h, torch.cat([new_c, new_h], -1)


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
        state_is_tuple: True (default): the state is a tuple of the cells' states;
            False: one tensor, the cells' states concatenated on the last axis (each
            cell's state must then be one tensor, e.g. `state_is_tuple=False` cells).
    """

    def __init__(self, cells, state_is_tuple=True, **kwargs):
        super().__init__(**kwargs)
        if not cells:
            raise ValueError("tf.compat.v1.nn.rnn_cell.MultiRNNCell: give at least one cell.")
        self._cells = list(cells)
        self._state_is_tuple = bool(state_is_tuple)
        if not self._state_is_tuple:
            for cell in self._cells:
                if not isinstance(cell.state_size, int):
                    raise ValueError(
                        "tf.compat.v1.nn.rnn_cell.MultiRNNCell(state_is_tuple=False): "
                        "every cell's state must be one tensor to concatenate, but "
                        f"{type(cell).__name__} has state_size {cell.state_size}. Use "
                        "state_is_tuple=True, or cells made with state_is_tuple=False."
                    )

    @property
    def state_size(self):
        sizes = tuple(cell.state_size for cell in self._cells)
        return sizes if self._state_is_tuple else sum(sizes)

    @property
    def output_size(self):
        last = self._cells[-1]
        size = getattr(last, "output_size", None)
        return size if size is not None else last.state_size

    def zero_state(self, batch_size, dtype):
        states = tuple(_cell_zero_state(cell, batch_size, dtype) for cell in self._cells)
        return states if self._state_is_tuple else torch.cat(states, -1)

    def call(self, inputs, state):
        if self._state_is_tuple:
            states = state
        else:
            states = torch.split(state, [cell.state_size for cell in self._cells], dim=-1)
        new_states = []
        for cell, cell_state in zip(self._cells, states):
            inputs, cell_state = cell(inputs, cell_state)
            if not self._state_is_tuple and isinstance(cell_state, (list, tuple)):
                (cell_state,) = cell_state  # a Keras cell's [h]
            new_states.append(cell_state)
        if self._state_is_tuple:
            return inputs, tuple(new_states)
        return inputs, torch.cat(new_states, -1)


def _drop(x, keep_prob: float, seed=None):
    if keep_prob >= 1.0:
        return x
    from tork.ops.nn import dropout

    return dropout(x, 1.0 - keep_prob, seed=seed)


def _noise(size, dtype, generator):
    """Uniform [0, 1) noise of shape `(1,) + size` in the structure of `size`."""
    from tork import nest

    def one(n):
        shape = (1, int(n)) if isinstance(n, int) else (1, *(int(d) for d in n))
        return torch.rand(shape, generator=generator).to(dtype)

    if isinstance(size, LSTMStateTuple):
        return LSTMStateTuple(*(one(n) for n in size))
    return nest.map_structure(one, size)


def _drop_with_noise(x, noise, keep_prob: float):
    # floor(keep_prob + U[0, 1)) is 1 with probability keep_prob: TF 1's binary mask.
    return x / keep_prob * torch.floor(keep_prob + noise.to(x.device))


class _V1CellWrapper(_CellWrapper, RNNCell):
    """TF 1's cell wrappers: the Keras wrappers' forwarding (`state_size`, `build`,
    `wrapped_cell`, config) plus TF 1's `zero_state`."""

    @property
    def output_size(self):
        return getattr(self.cell, "output_size", self.cell.state_size)

    def zero_state(self, batch_size, dtype):
        return _cell_zero_state(self.cell, batch_size, dtype)


class ResidualWrapper(_V1CellWrapper, RNNCellResidualWrapper):
    """TF 1's residual wrapper: the cell's output plus its step input.

    Args:
        cell: the wrapped cell; its output must have the input's shape.
        residual_fn: optional `fn(inputs, outputs)`; default `inputs + outputs`.
    """


class DeviceWrapper(_V1CellWrapper, RNNCellDeviceWrapper):
    """TF 1's device wrapper: tork runs the cell where its inputs are.

    Args:
        cell: the wrapped cell.
        device: the device name (unused).
    """


class DropoutWrapper(_V1CellWrapper):
    """TF 1's dropout around a cell's inputs, outputs and state (always applied).

    TF 1 has no training flag here: with a keep probability below 1 the wrapper drops
    values on every call (set them to 1.0 for inference, as TF 1 code does with a
    placeholder). An LSTM's `c` state is never dropped, as TF 1's default. Kept values
    are scaled by `1 / keep_prob`.

    With `variational_recurrent=True` the masks are drawn once, when the wrapper is made,
    with a batch axis of 1: the same mask applies at every time step and to every
    sequence of the batch, on every call (as TensorFlow 2 running this TF 1 wrapper
    eagerly).

    Args:
        cell: the wrapped cell.
        input_keep_prob: probability to keep each input value.
        output_keep_prob: probability to keep each output value.
        state_keep_prob: probability to keep each state value.
        variational_recurrent: whether one mask applies at every step.
        input_size: the inputs' depth (an int, or a structure of them); needed with
            `variational_recurrent` and `input_keep_prob < 1`.
        dtype: the dtype of the masks; needed with `variational_recurrent`.
        seed: optional seed.
        dropout_state_filter_visitor: unused (`c` of an LSTM state is kept, as TF 1's
            default).
    """

    _tork_base_name = "dropout_wrapper"

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
        super().__init__(cell, **kwargs)
        what = "tf.compat.v1.nn.rnn_cell.DropoutWrapper"
        for name, value in (
            ("input_keep_prob", input_keep_prob),
            ("output_keep_prob", output_keep_prob),
            ("state_keep_prob", state_keep_prob),
        ):
            if not 0.0 < float(value) <= 1.0:
                raise ValueError(f"{what}: {name} must be in (0, 1]; got {value}.")
        self._input_keep_prob = float(input_keep_prob)
        self._output_keep_prob = float(output_keep_prob)
        self._state_keep_prob = float(state_keep_prob)
        self._seed = seed
        self._input_size = input_size
        self._variational_recurrent = bool(variational_recurrent)
        self._input_noise = self._state_noise = self._output_noise = None
        if self._variational_recurrent:
            if dtype is None:
                raise ValueError(
                    f"{what}: when variational_recurrent=True, dtype must be provided "
                    "(e.g. dtype=tf.float32)."
                )
            if self._input_keep_prob < 1.0 and input_size is None:
                raise ValueError(
                    f"{what}: when variational_recurrent=True and input_keep_prob < 1.0, "
                    "input_size must be provided (the depth of the cell's inputs)."
                )
            dtype = _dtypes.as_dtype(dtype)
            generator = torch.Generator()
            if seed is None:
                generator.seed()
            else:
                generator.manual_seed(int(seed))
            if self._input_keep_prob < 1.0:
                self._input_noise = _noise(input_size, dtype, generator)
            self._state_noise = _noise(cell.state_size, dtype, generator)
            self._output_noise = _noise(
                getattr(cell, "output_size", cell.state_size), dtype, generator
            )

    def get_config(self) -> dict:
        return {**super().get_config(), **_dropout_config(self)}

    def _dropout(self, values, noise, keep_prob: float):
        from tork import nest

        if noise is None:
            return nest.map_structure(lambda v: _drop(v, keep_prob, self._seed), values)
        return nest.map_structure(lambda v, n: _drop_with_noise(v, n, keep_prob), values, noise)

    def _drop_state(self, state, noise):
        # TF 1's default filter: an LSTM's memory `c` is never dropped, at any depth.
        if isinstance(state, LSTMStateTuple):
            h_noise = None if noise is None else noise.h
            return LSTMStateTuple(state.c, self._drop_state(state.h, h_noise))
        if isinstance(state, (list, tuple)):
            noises = [None] * len(state) if noise is None else noise
            return type(state)(self._drop_state(s, n) for s, n in zip(state, noises))
        return self._dropout(state, noise, self._state_keep_prob)

    def _tork_wrap_step(self, inputs, state, kwargs):
        if self._input_keep_prob < 1.0:
            inputs = self._dropout(
                convert_to_tensor(inputs), self._input_noise, self._input_keep_prob
            )
        output, new_state = _call_cell(self.cell, inputs, state, kwargs)
        if self._state_keep_prob < 1.0:
            new_state = self._drop_state(new_state, self._state_noise)
        if self._output_keep_prob < 1.0:
            output = self._dropout(output, self._output_noise, self._output_keep_prob)
        return output, new_state
