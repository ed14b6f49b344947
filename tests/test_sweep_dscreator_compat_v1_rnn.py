"""TF 1's `tf.compat.v1.nn.dynamic_rnn`/`static_rnn`/`bidirectional_dynamic_rnn` and the
`tf.compat.v1.nn.rnn_cell` cells, eager (TF 1 code run in TF 2: DIEN, legacy RNN tests).

Expected values: TF 2.21 + tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) running the same code
with the same fixed weights in the reference env.
"""

import numpy as np
import pytest

import tork as tf

v1 = tf.compat.v1
X = np.arange(2 * 4 * 3, dtype="float32").reshape(2, 4, 3) / 10 - 1


def _w(n, shape):
    return np.linspace(-0.5, 0.5, n).reshape(shape).astype("float32")


def _lstm_weights():
    return [_w(40, (5, 8)), np.linspace(-0.1, 0.2, 8).astype("float32")]


def _built(cell, weights):
    v1.nn.dynamic_rnn(cell, tf.constant(X), dtype=tf.float32)  # builds the cell
    cell.set_weights(weights)
    return cell


def _close(actual, expected):
    np.testing.assert_allclose(np.asarray(actual), expected, rtol=1e-5, atol=1e-6)


def test_dynamic_rnn_with_a_keras_lstm_cell_and_sequence_length():
    cell = tf.keras.layers.LSTMCell(2)
    v1.nn.dynamic_rnn(cell, X, sequence_length=[4, 2], dtype=tf.float32)
    cell.set_weights(
        [
            np.linspace(-0.5, 0.5, 24).reshape(3, 8).astype("float32"),
            np.linspace(0.3, -0.3, 16).reshape(2, 8).astype("float32"),
            np.linspace(-0.1, 0.2, 8).astype("float32"),
        ]
    )
    out, state = v1.nn.dynamic_rnn(cell, X, sequence_length=[4, 2], dtype=tf.float32)
    assert isinstance(state, list)  # the Keras cell's [h, c]
    _close(out[1], [[0.0422675, 0.0680591], [0.0651304, 0.1163595], [0, 0], [0, 0]])
    _close(out[0, 3], [0.0697425, 0.0760862])
    _close(state[0], [[0.0697425, 0.0760862], [0.0651304, 0.1163595]])
    _close(state[1], [[0.1264842, 0.1357658], [0.1089039, 0.1874324]])


def test_dynamic_rnn_with_a_keras_gru_cell():
    cell = tf.keras.layers.GRUCell(2)
    v1.nn.dynamic_rnn(cell, X, sequence_length=[3, 4], dtype=tf.float32)
    cell.set_weights(
        [
            _w(18, (3, 6)),
            _w(12, (2, 6))[::-1].copy(),
            np.linspace(-0.2, 0.2, 12).reshape(2, 6).astype("float32"),
        ]
    )
    out, state = v1.nn.dynamic_rnn(cell, X, sequence_length=[3, 4], dtype=tf.float32)
    _close(state, [[-0.02249094, -0.05353288], [0.3740295, 0.5663125]])
    _close(out[0, 3], [0.0, 0.0])


def test_v1_lstm_cell_gates_forget_bias_and_frozen_state():
    cell = v1.nn.rnn_cell.LSTMCell(2)
    out, state = v1.nn.dynamic_rnn(cell, X, sequence_length=[4, 2], dtype=tf.float32)
    assert [tuple(w.shape) for w in cell.weights] == [(5, 8), (8,)]
    assert cell.state_size == (2, 2) and cell.output_size == 2
    assert type(state).__name__ == "LSTMStateTuple"
    cell.set_weights(_lstm_weights())
    out, state = v1.nn.dynamic_rnn(cell, X, sequence_length=[4, 2], dtype=tf.float32)
    _close(
        out[0],
        [
            [0.2445949, 0.2340544],
            [0.3839321, 0.3821818],
            [0.4324837, 0.446104],
            [0.4117969, 0.4437984],
        ],
    )
    _close(out[1], [[-0.0412275, -0.0292763], [-0.0934228, -0.0802368], [0, 0], [0, 0]])
    _close(state.c, [[0.7841821, 0.846837], [-0.1972114, -0.1613361]])
    _close(state.h, [[0.4117969, 0.4437984], [-0.0934228, -0.0802368]])


def test_basic_lstm_cell_and_state_is_tuple_false():
    cell = _built(v1.nn.rnn_cell.BasicLSTMCell(2), _lstm_weights())
    out, state = v1.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    _close(out[:, -1], [[0.4117969, 0.4437984], [-0.132738, -0.1397704]])
    _close(state.c, [[0.7841821, 0.846837], [-0.3439297, -0.3353129]])
    flat = _built(v1.nn.rnn_cell.BasicLSTMCell(2, state_is_tuple=False), _lstm_weights())
    assert flat.state_size == 4
    _, state = v1.nn.dynamic_rnn(flat, X, dtype=tf.float32)
    _close(
        state,
        [
            [0.7841821, 0.846837, 0.4117969, 0.4437984],
            [-0.3439297, -0.3353129, -0.132738, -0.1397704],
        ],
    )


def test_gru_cell_weights_and_values():
    cell = v1.nn.rnn_cell.GRUCell(2)
    v1.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    assert [tuple(w.shape) for w in cell.weights] == [(5, 4), (4,), (5, 2), (2,)]
    _close(cell.weights[1], np.ones(4))  # TF 1: the gates' bias starts at 1.0
    cell.set_weights(
        [
            _w(20, (5, 4)),
            np.linspace(0.1, 0.3, 4).astype("float32"),
            np.linspace(-0.4, 0.4, 10).reshape(5, 2).astype("float32"),
            np.linspace(-0.1, 0.1, 2).astype("float32"),
        ]
    )
    out, state = v1.nn.dynamic_rnn(cell, X, sequence_length=[3, 1], dtype=tf.float32)
    _close(out[0, :3], [[0.1546562, 0.1524417], [0.2235548, 0.2390753], [0.2147958, 0.2717834]])
    _close(state, [[0.2147958, 0.2717834], [-0.1221464, 0.0069109]])


def test_basic_rnn_cell_time_major():
    cell = v1.nn.rnn_cell.BasicRNNCell(2)
    x = tf.constant(np.transpose(X, (1, 0, 2)))
    v1.nn.dynamic_rnn(cell, x, dtype=tf.float32, time_major=True)
    cell.set_weights([_w(10, (5, 2)), np.array([0.1, -0.1], "float32")])
    out, state = v1.nn.dynamic_rnn(cell, x, dtype=tf.float32, time_major=True)
    assert tuple(out.shape) == (4, 2, 2)
    _close(out[0], [[0.713582, 0.3751854], [-0.1051653, -0.2027085]])
    _close(state, [[0.4218597, 0.3599813], [-0.8452748, -0.8314935]])


def test_multi_rnn_cell():
    cell = v1.nn.rnn_cell.MultiRNNCell([v1.nn.rnn_cell.LSTMCell(2), v1.nn.rnn_cell.GRUCell(3)])
    v1.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    assert cell.state_size == ((2, 2), 3) and cell.output_size == 3
    cell.set_weights(
        [
            *_lstm_weights(),
            _w(30, (5, 6)),
            np.full(6, 0.5, "float32"),
            _w(15, (5, 3)),
            np.zeros(3, "float32"),
        ]
    )
    out, state = v1.nn.dynamic_rnn(cell, X, sequence_length=[2, 4], dtype=tf.float32)
    _close(out[:, 1], [[-0.1764458, -0.148292, -0.1200327], [0.0328743, 0.0276972, 0.0224889]])
    _close(state[0].c, [[0.6755788, 0.6687138], [-0.3439297, -0.3353129]])
    _close(state[1], [[-0.1764458, -0.148292, -0.1200327], [0.0789886, 0.0694136, 0.0597839]])


def test_static_rnn():
    cell = _built(v1.nn.rnn_cell.LSTMCell(2), _lstm_weights())
    outs, state = v1.nn.static_rnn(
        cell, tf.unstack(tf.constant(X), axis=1), dtype=tf.float32, sequence_length=[4, 2]
    )
    assert len(outs) == 4
    _close(outs[3], [[0.4117969, 0.4437984], [0.0, 0.0]])
    _close(state.h, [[0.4117969, 0.4437984], [-0.0934228, -0.0802368]])


def test_bidirectional_dynamic_rnn_reverses_within_each_length():
    fw = _built(v1.nn.rnn_cell.LSTMCell(2), _lstm_weights())
    bw = _built(v1.nn.rnn_cell.BasicRNNCell(2), [_w(10, (5, 2)), np.array([0.1, -0.1], "float32")])
    (out_fw, out_bw), (state_fw, state_bw) = v1.nn.bidirectional_dynamic_rnn(
        fw, bw, tf.constant(X), sequence_length=[4, 3], dtype=tf.float32
    )
    _close(out_fw[1, 2:], [[-0.1261787, -0.1214733], [0.0, 0.0]])
    _close(
        out_bw[1],
        [[-0.4158656, -0.5878084], [-0.5560712, -0.628582], [-0.540991, -0.4664751], [0, 0]],
    )
    _close(out_bw[0, 3], [0.1434482, -0.0554985])
    _close(state_bw, [[0.8173164, 0.6420138], [-0.4158656, -0.5878084]])
    _close(state_fw.h, [[0.4117969, 0.4437984], [-0.1261787, -0.1214733]])


def test_dropout_wrapper_keep_one_is_the_cell():
    cell = _built(v1.nn.rnn_cell.LSTMCell(2), _lstm_weights())
    wrapped = v1.nn.rnn_cell.DropoutWrapper(cell, input_keep_prob=1.0, output_keep_prob=1.0)
    _, state = v1.nn.dynamic_rnn(wrapped, X, sequence_length=[4, 2], dtype=tf.float32)
    _close(state.h, [[0.4117969, 0.4437984], [-0.0934228, -0.0802368]])


def test_dropout_wrapper_drops_outputs_always():
    # TF 1's wrapper has no training flag: kept values are scaled by 1 / keep_prob.
    cell = _built(v1.nn.rnn_cell.LSTMCell(2), _lstm_weights())
    plain, _ = v1.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    wrapped = v1.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=0.5)
    out, _ = v1.nn.dynamic_rnn(wrapped, X, dtype=tf.float32)
    out, plain = np.asarray(out), np.asarray(plain)
    kept = out != 0
    np.testing.assert_allclose(out[kept], 2 * plain[kept], rtol=1e-6)


def test_gradients_reach_the_v1_cell_weights():
    cell = _built(v1.nn.rnn_cell.LSTMCell(2), _lstm_weights())
    with tf.GradientTape() as tape:
        out, state = v1.nn.dynamic_rnn(cell, X, sequence_length=[4, 2], dtype=tf.float32)
        loss = tf.reduce_sum(out**2) + tf.reduce_sum(state.c)
    grad_kernel, grad_bias = tape.gradient(loss, cell.trainable_variables)
    assert float(np.sum(grad_kernel)) == pytest.approx(-9.171437, rel=1e-5)
    _close(
        grad_bias,
        [0.6080806, 0.8024915, 3.6053572, 4.2336354, 0.3971222, 0.4278402, 0.5920849, 0.7880783],
    )


def test_errors():
    cell = v1.nn.rnn_cell.LSTMCell(2)
    with pytest.raises(ValueError, match="If no initial_state is provided, argument `dtype`"):
        v1.nn.dynamic_rnn(cell, X)
    with pytest.raises(TypeError, match="Argument `inputs` must be a sequence"):
        v1.nn.static_rnn(cell, tf.constant(X), dtype=tf.float32)
    with pytest.raises(ValueError, match="sequence_length has 3 entries but the batch has 2"):
        v1.nn.dynamic_rnn(cell, X, sequence_length=[1, 2, 3], dtype=tf.float32)
    # Peepholes, projections and variational dropout: tests/test_sweep_tf1cells_rnn_cell.py
    with pytest.raises(TypeError, match="cell must be an RNN cell"):
        v1.nn.dynamic_rnn(lambda x, s: (x, s), X, dtype=tf.float32)
