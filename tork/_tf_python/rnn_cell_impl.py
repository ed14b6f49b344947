"""`tensorflow.python.ops.rnn_cell_impl` / `rnn_cell`: TF 1's RNN cells.

TF 1's built-in cells (`GRUCell`, `LSTMCell`, `BasicLSTMCell`, `BasicRNNCell`,
`MultiRNNCell`, `DropoutWrapper`, `LSTMStateTuple`) are `tf.compat.v1.nn.rnn_cell`'s,
which run under `tf.compat.v1.nn.dynamic_rnn` (DIEN-style code imports them from here).
A user's own subclass of `RNNCell` builds its weights through `variable_scope`/
`get_variable`, which tork does not have; libraries that support TF 1 and 2 still define
such subclasses at import time (DeepCTR's attention GRU cells), so the base class is here
for the import to succeed and building such a cell raises, naming what to use instead.
"""

from __future__ import annotations

import torch

from tork.compat.v1.rnn_cell import (
    BasicLSTMCell,
    BasicRNNCell,
    DropoutWrapper,
    GRUCell,
    LSTMCell,
    LSTMStateTuple,
    MultiRNNCell,
)

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


class RNNCell:
    """TF 1's `tf.compat.v1.nn.rnn_cell.RNNCell`: not implemented in tork.

    Subclassing works (so modules defining cells import); creating a cell raises
    `NotImplementedError`. Write the cell as a Keras layer with `state_size` and
    `call(inputs, states)` and run it with `tf.keras.layers.RNN`.
    """

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            f"{type(self).__name__} subclasses TensorFlow 1's "
            "`tf.compat.v1.nn.rnn_cell.RNNCell` (tensorflow.python.ops.rnn_cell_impl), "
            "which tork does not implement: TF 1 cells create weights with "
            "`variable_scope`/`get_variable` and run under `dynamic_rnn`. Write the cell as "
            "a `tf.keras.layers.Layer` with `state_size` and `call(inputs, states)`, and run "
            "it with `tf.keras.layers.RNN` (or use `tf.keras.layers.GRU`/`LSTM`)."
        )
