"""`tensorflow.python.ops.rnn_cell_impl` / `rnn_cell`: TF 1's RNN cells.

TF 1's built-in cells (`GRUCell`, `LSTMCell`, `BasicLSTMCell`, `BasicRNNCell`,
`MultiRNNCell`, `DropoutWrapper`, `ResidualWrapper`, `DeviceWrapper`,
`LSTMStateTuple`) are `tf.compat.v1.nn.rnn_cell`'s, which run under
`tf.compat.v1.nn.dynamic_rnn` (DIEN-style code imports them from here).
A user's own subclass of `RNNCell` (DeepCTR's attention GRU cells) builds its weights
with `tf.compat.v1.get_variable` inside `variable_scope`s: run in a Keras layer's call,
those become the layer's weights (see tork/compat/v1/_variable_scope.py).
"""

from __future__ import annotations

import torch

from tork.compat.v1.rnn_cell import (
    BasicLSTMCell,
    BasicRNNCell,
    DeviceWrapper,
    DropoutWrapper,
    GRUCell,
    LSTMCell,
    LSTMStateTuple,
    MultiRNNCell,
    ResidualWrapper,
    RNNCell,
)

__all__ = [
    "BasicLSTMCell",
    "BasicRNNCell",
    "DeviceWrapper",
    "DropoutWrapper",
    "GRUCell",
    "LSTMCell",
    "LSTMStateTuple",
    "LayerRNNCell",
    "MultiRNNCell",
    "RNNCell",
    "ResidualWrapper",
]


def _dims(value) -> list:
    if isinstance(value, torch.Tensor):
        return [int(v) for v in value.reshape(-1).tolist()]
    if isinstance(value, int):
        return [value]
    return [None if d is None else int(d) for d in list(value)]


def _concat(prefix, suffix, static: bool = False):
    """TF 1's helper joining a batch shape and a state size into one shape.

    Args:
        prefix: an int, a shape (list, TensorShape) or a 1-D int tensor.
        suffix: the same kinds.
        static: True gives a Python list (None for unknown sizes), False a 1-D int32
            tensor.
    """
    dims = _dims(prefix) + _dims(suffix)
    if static:
        return dims
    if None in dims:
        raise ValueError(f"_concat: cannot make a shape tensor from {dims} (unknown sizes).")
    return torch.tensor(dims, dtype=torch.int32)


def _like_rnncell(cell) -> bool:
    """Whether `cell` looks like a TF 1 RNN cell (duck typing, as TF checks)."""
    return all(
        (
            hasattr(cell, "output_size"),
            hasattr(cell, "state_size"),
            hasattr(cell, "zero_state"),
            callable(cell),
        )
    )


class LayerRNNCell(RNNCell):
    """TF 1's `LayerRNNCell`: an `RNNCell` that builds its weights in `build`.

    `add_variable` is TF 1's name of `add_weight`.
    """

    def add_variable(self, *args, **kwargs):
        """TF 1's spelling of `add_weight`."""
        return self.add_weight(*args, **kwargs)


def _linear(args, output_size, bias, bias_initializer=None, kernel_initializer=None):
    """TF 1's `rnn_cell_impl._linear`: `concat(args, 1) @ kernel (+ bias)`, with `kernel`
    (and `bias`) made by `get_variable` in the current variable scope.

    Called in TF 1 cells' `call` (inside a Keras layer's call the variables become that
    layer's weights, made once).

    Args:
        args: a 2-D tensor or a list of them, `(batch, n_i)` each.
        output_size: the second dimension of the kernel.
        bias: whether to add a bias.
        bias_initializer: the bias's initializer (default zeros).
        kernel_initializer: the kernel's initializer (default the scope's, else Glorot
            uniform).

    Returns:
        A `(batch, output_size)` tensor.
    """
    from tork._backend.tensor import convert_to_tensor
    from tork.compat.v1._variable_scope import get_variable

    if args is None or (isinstance(args, (list, tuple)) and not args):
        raise ValueError("_linear: `args` must be specified (a 2-D tensor or a list of them).")
    if not isinstance(args, (list, tuple)):
        args = [args]
    args = [convert_to_tensor(a) for a in args]
    depths = []
    for arg in args:
        shape = tuple(arg.shape)
        if len(shape) != 2 or shape[1] is None:
            raise ValueError(
                f"_linear: expects 2-D arguments with a known last dimension; got shapes "
                f"{[tuple(a.shape) for a in args]}."
            )
        depths.append(int(shape[1]))
    dtype = args[0].dtype
    kernel = get_variable(
        "kernel", [sum(depths), output_size], dtype=dtype, initializer=kernel_initializer
    )
    inputs = args[0] if len(args) == 1 else torch.cat(list(args), 1)
    result = inputs @ kernel
    if not bias:
        return result
    biases = get_variable(
        "bias", [output_size], dtype=dtype, initializer=bias_initializer or "zeros"
    )
    return result + biases
