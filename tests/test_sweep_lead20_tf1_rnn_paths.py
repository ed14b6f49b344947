"""TF 1 RNN code imports its cells and `dynamic_rnn` from TensorFlow's op modules (DIEN).

`from tensorflow.python.ops.rnn_cell import GRUCell` and `from tensorflow.python.ops.rnn
import dynamic_rnn` resolve to `tf.compat.v1.nn`'s (under a `tensorflow` package that
re-exports tork they are `tork.python.*`); a user's own `RNNCell` subclass still raises when
built (tests/test_sweep_deepctr_python_paths.py).
"""

import tork as tf


def test_tf1_cells_and_rnn_functions_resolve_to_compat_v1():
    from tork.python.ops import rnn, rnn_cell, rnn_cell_impl

    for name in ("GRUCell", "LSTMCell", "BasicLSTMCell", "BasicRNNCell", "MultiRNNCell"):
        assert getattr(rnn_cell_impl, name) is getattr(tf.compat.v1.nn.rnn_cell, name)
        assert getattr(rnn_cell, name) is getattr(tf.compat.v1.nn.rnn_cell, name)
    assert rnn_cell.LSTMStateTuple is tf.compat.v1.nn.rnn_cell.LSTMStateTuple
    assert rnn.dynamic_rnn is tf.compat.v1.nn.dynamic_rnn
    assert rnn.static_rnn is tf.compat.v1.nn.static_rnn
    assert rnn.bidirectional_dynamic_rnn is tf.compat.v1.nn.bidirectional_dynamic_rnn


def test_dynamic_rnn_from_the_op_module_runs_a_gru_cell():
    from tork.python.ops.rnn import dynamic_rnn
    from tork.python.ops.rnn_cell import GRUCell

    outputs, state = dynamic_rnn(GRUCell(3), tf.ones((2, 4, 5)), dtype=tf.float32)
    assert tuple(outputs.shape) == (2, 4, 3)
    assert tuple(state.shape) == (2, 3)
    # The last output of a GRU is its final state.
    assert bool((outputs[:, -1] == state).all())
