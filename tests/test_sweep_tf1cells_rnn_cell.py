"""TF 1's `tf.compat.v1.nn.rnn_cell`: LSTMCell's peepholes/projection/clipping,
MultiRNNCell(state_is_tuple=False) and DropoutWrapper(variational_recurrent=True).

Expected values: TF 2.21 + tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) running the same code,
with the same fixed weights (`_fixed_weights`), in the reference env.
"""

import numpy as np
import pytest

import tork as tf

v1 = tf.compat.v1
X = np.arange(2 * 4 * 3, dtype="float32").reshape(2, 4, 3) / 10 - 1


def _fixed_weights(cell):
    weights = []
    for i, w in enumerate(cell.weights):
        n = int(np.prod(w.shape))
        weights.append(
            np.linspace(-0.5 + 0.1 * i, 0.5 - 0.05 * i, n).reshape(w.shape).astype("float32")
        )
    cell.set_weights(weights)


def _run(cell, lengths=(4, 2)):
    v1.nn.dynamic_rnn(cell, X, sequence_length=list(lengths), dtype=tf.float32)  # builds
    _fixed_weights(cell)
    return v1.nn.dynamic_rnn(cell, X, sequence_length=list(lengths), dtype=tf.float32)


def _close(actual, expected):
    np.testing.assert_allclose(np.asarray(actual), expected, rtol=1e-5, atol=2e-6)


def _names(cell):
    return [(w.name.split("/", 1)[-1], tuple(w.shape)) for w in cell.weights]


def test_lstm_cell_peepholes():
    cell = v1.nn.rnn_cell.LSTMCell(2, use_peepholes=True)
    out, state = _run(cell)
    assert _names(cell) == [
        ("kernel:0", (5, 8)),
        ("bias:0", (8,)),
        ("w_f_diag:0", (2,)),
        ("w_i_diag:0", (2,)),
        ("w_o_diag:0", (2,)),
    ]
    _close(out[0, 3], [0.2769922, 0.4808531])
    _close(out[1, :2], [[-0.0632386, -0.0424834], [-0.1187187, -0.0951211]])
    _close(out[1, 2:], np.zeros((2, 2)))
    _close(state.c, [[0.4525255, 0.7730361], [-0.2299402, -0.1754998]])
    _close(state.h, [[0.2769922, 0.4808531], [-0.1187187, -0.0951211]])


def test_lstm_cell_projection_sizes_and_weights():
    cell = v1.nn.rnn_cell.LSTMCell(2, num_proj=3)
    out, state = _run(cell)
    assert cell.state_size == (2, 3) and cell.output_size == 3
    assert _names(cell) == [
        ("kernel:0", (6, 8)),  # over [inputs, projected h]
        ("bias:0", (8,)),
        ("projection/kernel:0", (2, 3)),
    ]
    _close(out[0, 0], [-0.0411064, 0.0315315, 0.1041695])
    _close(state.c, [[0.3823119, 0.5536543], [-0.2390218, -0.2009505]])
    _close(state.h, [[-0.0280946, 0.0479838, 0.1240621], [0.0222344, -0.0090327, -0.0402998]])


def test_lstm_cell_cell_clip():
    cell = v1.nn.rnn_cell.LSTMCell(2, cell_clip=0.3)
    out, state = _run(cell)
    _close(
        out[0],
        [
            [0.1978766, 0.201158],
            [0.199253, 0.2045505],
            [0.1912113, 0.1982275],
            [0.1407521, 0.1886137],
        ],
    )
    _close(state.c, [[0.2287506, 0.2957536], [-0.2266945, -0.1780997]])


def test_lstm_cell_proj_clip():
    cell = v1.nn.rnn_cell.LSTMCell(2, num_proj=3, proj_clip=0.1)
    out, state = _run(cell)
    _close(out[0, :, 2], [0.1, 0.1, 0.1, 0.1])
    _close(out[0, 3], [-0.0260392, 0.0463565, 0.1])
    _close(state.c, [[0.3627277, 0.5306916], [-0.2390218, -0.2009505]])


def test_lstm_cell_everything_together():
    cell = v1.nn.rnn_cell.LSTMCell(
        2, use_peepholes=True, num_proj=3, cell_clip=0.5, proj_clip=0.2, forget_bias=0.5
    )
    out, state = _run(cell)
    assert [n for n, _ in _names(cell)][-1] == "projection/kernel:0"
    _close(out[0, 1], [0.0511648, 0.0838007, 0.1164365])
    _close(out[1, 1], [-0.0145256, -0.0250034, -0.0354812])
    _close(state.c, [[0.2518548, 0.4002049], [-0.2285288, -0.1877942]])
    _close(state.h, [[0.0379976, 0.058107, 0.0782165], [-0.0145256, -0.0250034, -0.0354812]])


def test_lstm_cell_projection_with_concatenated_state():
    cell = v1.nn.rnn_cell.LSTMCell(2, num_proj=3, state_is_tuple=False)
    out, state = _run(cell)
    assert cell.state_size == 5
    _close(
        state,
        [
            [0.3823119, 0.5536543, -0.0280946, 0.0479838, 0.1240621],
            [-0.2390218, -0.2009505, 0.0222344, -0.0090327, -0.0402998],
        ],
    )


def test_multi_rnn_cell_concatenated_state():
    cells = [
        v1.nn.rnn_cell.BasicLSTMCell(2, state_is_tuple=False),
        v1.nn.rnn_cell.GRUCell(3),
        v1.nn.rnn_cell.LSTMCell(2, num_proj=1, state_is_tuple=False),
    ]
    multi = v1.nn.rnn_cell.MultiRNNCell(cells, state_is_tuple=False)
    assert multi.state_size == 10 and multi.output_size == 1
    assert tuple(multi.zero_state(2, tf.float32).shape) == (2, 10)
    out, state = _run(multi, lengths=(3, 4))
    assert [tuple(w.shape) for w in multi.weights] == [
        (5, 8), (8,), (5, 6), (6,), (5, 3), (3,), (4, 8), (8,), (2, 1)
    ]  # fmt: skip
    _close(
        out[:, :, 0],
        [[0.024464, 0.045683, 0.063508, 0.0], [0.024682, 0.046434, 0.064987, 0.080445]],
    )
    _close(
        state,
        [
            [0.54007, 0.676852, 0.334781, 0.41477, -0.014484, 0.107085, 0.215277, 0.297323, 0.28831, 0.063508],
            [-0.322185, -0.324322, -0.137031, -0.153976, 0.039748, 0.144717, 0.240271, 0.379558, 0.3691, 0.080445],
        ],
    )  # fmt: skip


def test_multi_rnn_cell_concatenated_state_needs_single_tensor_states():
    with pytest.raises(ValueError, match=r"state_is_tuple=False.*LSTMCell has state_size"):
        v1.nn.rnn_cell.MultiRNNCell([v1.nn.rnn_cell.LSTMCell(2)], state_is_tuple=False)


def _variational(**kwargs):
    cell = v1.nn.rnn_cell.BasicRNNCell(200)
    return v1.nn.rnn_cell.DropoutWrapper(
        cell, variational_recurrent=True, dtype=tf.float32, **kwargs
    )


def test_variational_dropout_one_mask_for_all_steps_rows_and_calls():
    wrapper = _variational(output_keep_prob=0.6, seed=5)
    x = np.ones((3, 6, 4), "float32")
    out1, _ = v1.nn.dynamic_rnn(wrapper, x, dtype=tf.float32)
    out2, _ = v1.nn.dynamic_rnn(wrapper, x, dtype=tf.float32)
    dropped = np.asarray(out1) == 0
    # TF 1's masks have a batch axis of 1 and are drawn once (eager TF 2 draws them in
    # the wrapper's constructor): the same units are dropped everywhere.
    assert (dropped == dropped[:1, :1]).all()
    assert ((np.asarray(out2) == 0) == dropped).all()
    assert 0.4 < 1 - dropped[0, 0].mean() < 0.8  # keep_prob 0.6 of 200 units


def test_variational_dropout_scales_by_keep_prob_and_keeps_lstm_c():
    cell = v1.nn.rnn_cell.BasicRNNCell(300)
    wrapper = v1.nn.rnn_cell.DropoutWrapper(
        cell, output_keep_prob=0.5, variational_recurrent=True, dtype=tf.float32, seed=1
    )
    x = np.ones((2, 3, 4), "float32")
    v1.nn.dynamic_rnn(wrapper, x, dtype=tf.float32)
    plain, _ = v1.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    out, _ = v1.nn.dynamic_rnn(wrapper, x, dtype=tf.float32)
    kept = np.asarray(out) != 0
    np.testing.assert_allclose(np.asarray(out)[kept], 2 * np.asarray(plain)[kept], rtol=1e-6)
    lstm = v1.nn.rnn_cell.DropoutWrapper(
        v1.nn.rnn_cell.LSTMCell(50),
        state_keep_prob=0.5,
        variational_recurrent=True,
        dtype=tf.float32,
    )
    _, state = v1.nn.dynamic_rnn(lstm, x, dtype=tf.float32)
    assert (np.asarray(state.c) != 0).all()  # TF 1 never drops an LSTM's memory c
    assert (np.asarray(state.h) == 0).mean() > 0.2


def test_variational_dropout_input_mask_uses_input_size():
    wrapper = _variational(input_keep_prob=0.5, input_size=300, seed=2)
    assert tuple(wrapper._input_noise.shape) == (1, 300)
    wrapper.cell.build((None, 300))
    wrapper.cell.set_weights([np.eye(500, 200, dtype="float32"), np.zeros(200, "float32")])
    x = np.ones((2, 3, 300), "float32")
    out, _ = v1.nn.dynamic_rnn(wrapper, x, dtype=tf.float32)
    # Identity kernel: output unit k is tanh(dropped input k), the same at every step.
    out = np.asarray(out)
    values = np.unique(out)
    assert np.isclose(values[:, None], [0.0, np.tanh(2.0)], atol=1e-6).any(1).all()
    assert 0.3 < (out[0, 0] == 0).mean() < 0.7
    assert (out == out[:1, :1]).all()


def test_variational_dropout_errors():
    cell = v1.nn.rnn_cell.BasicRNNCell(3)
    with pytest.raises(ValueError, match="variational_recurrent=True, dtype must be provided"):
        v1.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=0.5, variational_recurrent=True)
    with pytest.raises(ValueError, match="input_size must be provided"):
        v1.nn.rnn_cell.DropoutWrapper(
            cell, input_keep_prob=0.5, variational_recurrent=True, dtype=tf.float32
        )


def test_state_and_output_keep_prob_without_variational():
    cell = v1.nn.rnn_cell.BasicRNNCell(400)
    wrapper = v1.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=0.5, state_keep_prob=0.7)
    out, state = v1.nn.dynamic_rnn(wrapper, np.ones((2, 3, 4), "float32"), dtype=tf.float32)
    dropped = np.asarray(out) == 0
    assert 0.35 < dropped.mean() < 0.65
    assert not (dropped[:, 0] == dropped[:, 1]).all()  # a new mask at each step
    assert 0.15 < (np.asarray(state) == 0).mean() < 0.45


def test_static_bidirectional_rnn():
    static_bidirectional_rnn = tf.compat.v1.nn.static_bidirectional_rnn

    fw, bw = v1.nn.rnn_cell.GRUCell(2), v1.nn.rnn_cell.BasicLSTMCell(2)
    steps = list(np.transpose(X, (1, 0, 2)))
    static_bidirectional_rnn(fw, bw, steps, dtype=tf.float32, sequence_length=[4, 3])
    _fixed_weights(fw)
    _fixed_weights(bw)
    outs, state_fw, state_bw = static_bidirectional_rnn(
        fw, bw, steps, dtype=tf.float32, sequence_length=[4, 3]
    )
    assert len(outs) == 4 and tuple(outs[0].shape) == (2, 4)
    _close(outs[0][0], [0.071899, 0.152633, 0.335115, 0.412155])
    _close(outs[3][0], [-0.007724, 0.35942, -0.028089, 0.001453])
    _close(outs[2][1], [-0.403494, 0.195193, -0.0767, -0.078375])
    _close(outs[3][1], [0.0, 0.0, 0.0, 0.0])
    _close(state_fw, [[-0.007724, 0.35942], [-0.403494, 0.195193]])
    _close(state_bw.c, [[0.515415, 0.652138], [-0.310072, -0.266218]])
    _close(state_bw.h, [[0.335115, 0.412155], [-0.161323, -0.148496]])


def test_residual_and_device_wrappers():
    cell = v1.nn.rnn_cell.GRUCell(3)
    plain, _ = v1.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    residual = v1.nn.rnn_cell.ResidualWrapper(cell, name="tf1cells_residual")
    out, state = v1.nn.dynamic_rnn(residual, X, dtype=tf.float32)
    np.testing.assert_allclose(np.asarray(out), np.asarray(plain) + X, rtol=1e-6)
    assert residual.output_size == 3
    assert tuple(residual.zero_state(2, tf.float32).shape) == (2, 3)
    device = v1.nn.rnn_cell.DeviceWrapper(v1.nn.rnn_cell.LSTMCell(2), "/cpu:0", name="dev")
    _, state = v1.nn.dynamic_rnn(device, X, dtype=tf.float32)
    assert type(state).__name__ == "LSTMStateTuple"
    wrapper = v1.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=0.5, seed=1, name="drop")
    assert wrapper.wrapped_cell is cell
    assert wrapper.get_config()["output_keep_prob"] == 0.5
