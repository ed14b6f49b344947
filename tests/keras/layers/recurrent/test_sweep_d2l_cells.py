"""Cell `get_initial_state` as Keras 2 returns it (d2l's RNNModel.begin_state).

tf_keras 2.21 (checked by running it): SimpleRNNCell and GRUCell return one zero
tensor, LSTMCell a list `[h, c]`; `dtype` may be a name such as 'float64'.
"""

import numpy as np
import torch

import tork as tf


def test_single_state_cells_return_one_tensor():
    for cls in (tf.keras.layers.SimpleRNNCell, tf.keras.layers.GRUCell):
        cell = cls(3)
        state = cell.get_initial_state(batch_size=2, dtype=tf.float32)
        assert isinstance(state, torch.Tensor)
        assert tuple(state.shape) == (2, 3) and state.dtype == torch.float32
        np.testing.assert_array_equal(state.numpy(), np.zeros((2, 3), np.float32))
        from_inputs = cell.get_initial_state(inputs=tf.ones((4, 5)))
        assert isinstance(from_inputs, torch.Tensor) and tuple(from_inputs.shape) == (4, 3)


def test_lstm_cell_returns_list_of_two():
    state = tf.keras.layers.LSTMCell(3).get_initial_state(batch_size=2, dtype=tf.float32)
    assert isinstance(state, list) and [tuple(s.shape) for s in state] == [(2, 3), (2, 3)]


def test_dtype_name_accepted():
    state = tf.keras.layers.GRUCell(3).get_initial_state(batch_size=2, dtype="float64")
    assert state.dtype == torch.float64


def test_d2l_begin_state_feeds_rnn_layer():
    # d2l 0.17: state = rnn_layer.cell.get_initial_state(...); Y, *state = rnn_layer(X, state)
    cell = tf.keras.layers.SimpleRNNCell(4)
    layer = tf.keras.layers.RNN(cell, time_major=True, return_sequences=True, return_state=True)
    x = np.linspace(-1, 1, 3 * 2 * 5).reshape(3, 2, 5).astype("float32")
    state = cell.get_initial_state(batch_size=2, dtype=tf.float32)
    y, *new_state = layer(tf.constant(x), state)
    kernel, recurrent, bias = (w.numpy() for w in cell.weights)
    # NumPy reference of the SimpleRNN recurrence h_t = tanh(x_t K + h_{t-1} R + b).
    h = np.zeros((2, 4), "float32")
    for t in range(3):
        h = np.tanh(x[t] @ kernel + h @ recurrent + bias)
    assert tuple(y.shape) == (3, 2, 4) and len(new_state) == 1
    np.testing.assert_allclose(new_state[0].numpy(), h, rtol=1e-5, atol=1e-6)
    # A single-tensor state goes into the cell and comes back as one tensor.
    out, step_state = cell(tf.constant(x[0]), state)
    assert isinstance(step_state, torch.Tensor)
    np.testing.assert_allclose(out.numpy(), np.tanh(x[0] @ kernel + bias), rtol=1e-5, atol=1e-6)
