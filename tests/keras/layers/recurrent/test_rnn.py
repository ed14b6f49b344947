"""Tests for keras.layers.RNN (custom and built-in cells), StackedRNNCells, errors and configs."""

import numpy as np
import pytest
import torch

from tork import keras
from tork._backend.device import current_device
from tork.keras.layers.core.dense import Dense
from tork.keras.layers.core.embedding import Embedding
from tork.keras.layers.core.masking import Masking
from tork.keras.layers.layer import Layer
from tork.keras.layers.recurrent import GRU, LSTM, RNN, LSTMCell, SimpleRNN, StackedRNNCells

RNG = np.random.default_rng(3)
ATOL = 1e-5
# On CPU the fused kernel and the step loop agree to float32 rounding; cuDNN's fused kernels
# (CUDA) sum in another order, and differ from it by a few 1e-6.
FUSED_OUT_ATOL = ATOL if current_device().type == "cuda" else 1e-6


def _np(t):
    return t.detach().cpu().numpy()


class MinimalRNNCell(Layer):
    """The custom cell of the Keras RNN guide: output = x W + h U."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units), initializer="uniform", name="kernel"
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, self.units), initializer="uniform", name="recurrent_kernel"
        )

    def call(self, inputs, states):
        output = inputs @ self.kernel + states[0] @ self.recurrent_kernel
        return output, [output]


def _minimal_step(kernel, recurrent):
    def step(x, states):
        h = x @ kernel + states[0] @ recurrent
        return h, [h]

    return step


def _randomize(layer, scale=0.5):
    weights = [RNG.normal(scale=scale, size=w.shape).astype("float32") for w in layer.weights]
    layer.set_weights(weights)
    return [w.astype(np.float64) for w in layer.get_weights()]


@pytest.mark.parametrize("go_backwards", [False, True])
def test_rnn_with_custom_cell_and_irregular_mask(ref, go_backwards):
    x = RNG.normal(size=(3, 5, 2)).astype("float32")
    mask = np.array([[1, 1, 0, 1, 0], [0, 1, 1, 1, 1], [1, 0, 0, 0, 0]], dtype=bool)
    layer = RNN(
        MinimalRNNCell(4), return_sequences=True, return_state=True, go_backwards=go_backwards
    )
    layer(x)
    kernel, recurrent = _randomize(layer)
    inputs = torch.tensor(x)
    inputs._keras_mask = torch.tensor(mask)
    seq, h = layer(inputs)
    e_seq, _, (e_h,) = ref.run(
        _minimal_step(kernel, recurrent), x, [np.zeros((3, 4))], mask, go_backwards
    )
    np.testing.assert_allclose(_np(seq), e_seq, atol=ATOL)
    np.testing.assert_allclose(_np(h), e_h, atol=ATOL)


def test_zero_output_for_mask(ref):
    x = RNG.normal(size=(2, 4, 3)).astype("float32")
    mask = np.array([[1, 1, 0, 0], [1, 0, 1, 0]], dtype=bool)
    layer = LSTM(3, return_sequences=True, zero_output_for_mask=True)
    layer(x)
    kernel, recurrent, bias = _randomize(layer)
    e_seq, _, _ = ref.run(
        ref.lstm_step(kernel, recurrent, bias), x, [np.zeros((2, 3))] * 2, mask, zero_output=True
    )
    for fused in (True, False):
        layer._tork_use_fused = fused
        inputs = torch.tensor(x)
        inputs._keras_mask = torch.tensor(mask)
        np.testing.assert_allclose(_np(layer(inputs)), e_seq, atol=ATOL)


def test_rnn_with_builtin_cell_equals_numpy_lstm(ref):
    x = RNG.normal(size=(2, 4, 3)).astype("float32")
    layer = RNN(LSTMCell(5), return_state=True)
    layer(x)
    prefix = f"{layer.name}/{layer.cell.name}/"
    assert [w.path for w in layer.weights] == [
        prefix + "kernel",
        prefix + "recurrent_kernel",
        prefix + "bias",
    ]
    kernel, recurrent, bias = _randomize(layer)
    out, h, c = layer(x)
    _, e_last, (_, e_c) = ref.run(ref.lstm_step(kernel, recurrent, bias), x, [np.zeros((2, 5))] * 2)
    np.testing.assert_allclose(_np(out), e_last, atol=ATOL)
    np.testing.assert_allclose(_np(c), e_c, atol=ATOL)


def test_subclassed_builtin_cell_runs_its_own_call():
    class DoubledLSTMCell(LSTMCell):
        def call(self, inputs, states, training=None):
            output, new_states = super().call(inputs, states, training=training)
            return 2.0 * output, new_states

    x = torch.tensor(RNG.normal(size=(2, 3, 4)).astype("float32"))
    plain = RNN(LSTMCell(3), return_sequences=True)
    doubled = RNN(DoubledLSTMCell(3), return_sequences=True)
    plain(x)
    doubled(x)
    doubled.set_weights(plain.get_weights())
    # `doubled` runs its own call step by step, `plain` the fused kernel.
    np.testing.assert_allclose(_np(doubled(x)), 2.0 * _np(plain(x)), atol=FUSED_OUT_ATOL)


def test_stacked_cells(ref):
    x = RNG.normal(size=(2, 5, 3)).astype("float32")
    layer = RNN([LSTMCell(4), MinimalRNNCell(2)], return_sequences=True, return_state=True)
    layer(x)
    assert isinstance(layer.cell, StackedRNNCells)
    # Keras 2 (tf_keras 2.21): one state_size entry per cell, ([4, 4], 2).
    assert layer.cell.state_size == ([4, 4], 2) and layer.cell.output_size == 2
    kernel, recurrent, bias, kernel2, recurrent2 = _randomize(layer)
    # Keras 2 groups the returned states per cell: [h1, c1] for the LSTMCell, h2 alone.
    seq, (h1, c1), h2 = layer(x)
    e_seq1, _, (e_h1, e_c1) = ref.run(
        ref.lstm_step(kernel, recurrent, bias), x, [np.zeros((2, 4))] * 2
    )
    e_seq2, _, (e_h2,) = ref.run(_minimal_step(kernel2, recurrent2), e_seq1, [np.zeros((2, 2))])
    np.testing.assert_allclose(_np(seq), e_seq2, atol=ATOL)
    np.testing.assert_allclose(_np(c1), e_c1, atol=ATOL)
    np.testing.assert_allclose(_np(h2), e_h2, atol=ATOL)
    config = StackedRNNCells([LSTMCell(4), LSTMCell(2)]).get_config()
    clone = StackedRNNCells.from_config(config)
    assert [c.units for c in clone.cells] == [4, 2]


# tf_keras 2.21: RNN([LSTMCell(3), GRUCell(2)], return_sequences=True, return_state=True) on
# x = sin(arange(24)).reshape(2, 4, 3), weight i = 0.5 * cos(0.7 * arange(size) + i) reshaped,
# mask [[1, 1, 1, 0], [1, 1, 1, 1]].
_STACKED_H1 = [[0.1019497, 0.0756647, -0.012003], [0.2289787, 0.1598361, 0.0474498]]
_STACKED_C1 = [[0.3317961, 0.2476345, -0.0308454], [0.4081024, 0.3932847, 0.1565264]]
_STACKED_H2 = [[0.3039178, 0.0747634], [0.3409947, 0.1178475]]
# The same without mask, from initial_state=[[0.1, -0.2 (LSTM h, c)], 0.3 (GRU h)].
_STACKED_INIT_LAST = [[0.3516182, 0.1456847], [0.3608033, 0.1659117]]


def _stacked_lstm_gru():
    x = np.sin(np.arange(24, dtype="float32")).reshape(2, 4, 3)
    layer = RNN([LSTMCell(3), keras.layers.GRUCell(2)], return_sequences=True, return_state=True)
    layer(x)
    layer.set_weights(
        [
            0.5 * np.cos(np.arange(w.size, dtype="float32") * 0.7 + i).reshape(w.shape)
            for i, w in enumerate(layer.get_weights())
        ]
    )
    return layer, x


def test_stacked_cells_states_grouped_per_cell_as_keras2():
    layer, x = _stacked_lstm_gru()
    mask = torch.tensor([[True, True, True, False], [True, True, True, True]])
    result = layer(x, mask=mask)
    assert len(result) == 3 and isinstance(result[1], list) and len(result[1]) == 2
    seq, (h1, c1), h2 = result
    assert isinstance(h2, torch.Tensor)
    np.testing.assert_allclose(_np(h1), _STACKED_H1, atol=ATOL)
    np.testing.assert_allclose(_np(c1), _STACKED_C1, atol=ATOL)
    np.testing.assert_allclose(_np(h2), _STACKED_H2, atol=ATOL)
    np.testing.assert_allclose(_np(seq[:, -1]), _STACKED_H2, atol=ATOL)
    # The cell called by hand takes and returns the same grouping.
    cell = layer.cell
    zeros = cell.get_initial_state(batch_size=2, dtype="float32")
    assert [tuple(s.shape) for s in zeros[0]] == [(2, 3), (2, 3)]
    assert tuple(zeros[1].shape) == (2, 2)
    out, states = cell(torch.tensor(x[:, 0]), zeros)
    assert isinstance(states[0], list) and isinstance(states[1], torch.Tensor)


def test_stacked_cells_initial_state_grouped_or_flat():
    layer, x = _stacked_lstm_gru()
    h, c = np.full((2, 3), 0.1, "float32"), np.full((2, 3), -0.2, "float32")
    h2 = np.full((2, 2), 0.3, "float32")
    grouped = layer(x, initial_state=[[h, c], h2])[0]
    np.testing.assert_allclose(_np(grouped[:, -1]), _STACKED_INIT_LAST, atol=ATOL)
    flat = layer(x, initial_state=[h, c, h2])[0]  # tork also takes the flat list
    np.testing.assert_allclose(_np(flat[:, -1]), _STACKED_INIT_LAST, atol=ATOL)
    # A decoder started from an encoder's returned states, as in a seq2seq model.
    _, *states = layer(x, initial_state=[[h, c], h2])
    again = layer(x, initial_state=states)[0]
    assert again.shape == (2, 4, 2)


def test_stacked_cells_functional_return_state_structure():
    inputs = keras.Input((4, 3))
    outputs = RNN([LSTMCell(3), keras.layers.GRUCell(2)], return_state=True)(inputs)
    assert [tuple(t.shape) for t in outputs[1]] == [(None, 3), (None, 3)]
    assert tuple(outputs[2].shape) == (None, 2)
    model = keras.Model(inputs, outputs)
    result = model.predict(np.ones((5, 4, 3), "float32"), verbose=0)
    assert result[0].shape == (5, 2) and len(result[1]) == 2 and result[2].shape == (5, 2)


def test_rnn_config_round_trip_with_custom_cell():
    layer = RNN(MinimalRNNCell(3), return_sequences=True, go_backwards=True)
    config = layer.get_config()
    assert config["cell"]["class_name"] == "MinimalRNNCell"
    clone = RNN.from_config(config, custom_objects={"MinimalRNNCell": MinimalRNNCell})
    assert clone.go_backwards and clone.return_sequences and clone.cell.units == 3
    builtin = RNN.from_config(RNN(LSTMCell(2), return_state=True).get_config())
    assert isinstance(builtin.cell, LSTMCell) and builtin.return_state


def test_rnn_symbolic_shapes():
    inputs = keras.Input(shape=(None, 3))
    out = RNN(MinimalRNNCell(4), return_sequences=True)(inputs)
    assert out.shape == (None, None, 4)
    assert RNN(MinimalRNNCell(4)).compute_output_shape((None, 7, 3)) == (None, 4)


def test_embedding_mask_zero_skips_padding():
    tokens = np.array([[3, 1, 4, 0, 0], [2, 7, 1, 8, 2]])
    model = keras.Sequential([Embedding(10, 4, mask_zero=True), GRU(3)])
    padded = _np(model(tokens))
    trimmed = _np(model(tokens[:1, :3]))
    np.testing.assert_allclose(padded[:1], trimmed, atol=1e-6)


def test_masking_layer_skips_padded_steps():
    x = RNG.normal(size=(2, 5, 3)).astype("float32")
    x[0, 3:] = 0.0
    model = keras.Sequential([Masking(0.0), LSTM(4)])
    padded = _np(model(x))
    trimmed = _np(model(x[:1, :3]))
    # Packed (masked) and plain sequences are different kernels on CUDA.
    np.testing.assert_allclose(padded[:1], trimmed, atol=FUSED_OUT_ATOL)


def test_stateful_reset_with_values_and_errors():
    layer = SimpleRNN(2, stateful=True)
    layer(torch.zeros(3, 2, 1))
    layer.reset_states([np.ones((3, 2))])
    np.testing.assert_array_equal(_np(layer.states[0]), np.ones((3, 2)))
    with pytest.raises(AttributeError, match="only applies to a stateful RNN"):
        SimpleRNN(2).reset_states()


def test_states_before_the_first_call():
    # Keras 2: a stateful layer built for a known batch starts with zero states, listed
    # before any call; without a known batch (or not stateful) each state is None.
    layer = LSTM(3, stateful=True)
    layer.build((2, 5, 4))
    assert [tuple(s.shape) for s in layer.states] == [(2, 3), (2, 3)]
    np.testing.assert_array_equal(_np(layer.states[1]), np.zeros((2, 3)))
    assert LSTM(3).states == [None, None]
    unknown = GRU(3, stateful=True)
    unknown.build((None, 5, 4))
    assert unknown.states == [None]
    # reset_states before any call also gives zeros, and the first call starts from them.
    gru = GRU(2, stateful=True)
    gru.build((1, 3, 1))
    gru.reset_states()
    np.testing.assert_array_equal(_np(gru.states[0]), np.zeros((1, 2)))
    out = _np(gru(np.ones((1, 3, 1), "float32")))
    np.testing.assert_allclose(_np(gru.states[0]), out, atol=1e-6)


# -- error messages ----------------------------------------------------------------------------


def test_error_rank_2_input_suggests_reshape():
    with pytest.raises(ValueError) as info:
        LSTM(4)(torch.zeros(32, 10))
    message = str(info.value)
    assert "LSTM layer" in message
    assert "expects a 3D input of shape (batch, timesteps, features)" in message
    assert "(32, 10)" in message and "Reshape((10, 1))" in message
    assert "Reshape((1, 10))" in message


def test_error_token_ids_suggest_embedding():
    layer = GRU(4)
    layer(torch.zeros(2, 5, 3))
    with pytest.raises(ValueError, match="integer token ids, add a keras.layers.Embedding"):
        layer(torch.zeros(32, 10, dtype=torch.int64))
    with pytest.raises(ValueError, match="integer token ids, add a keras.layers.Embedding"):
        GRU(4)(torch.zeros(32, 10, dtype=torch.int64))


def test_error_feature_size_changed_after_build():
    layer = LSTM(4)
    layer(torch.zeros(2, 5, 8))
    with pytest.raises(ValueError, match=r"built for inputs with 8 features .* \(2, 5, 6\)"):
        layer(torch.zeros(2, 5, 6))


def test_error_cell_is_not_a_cell():
    with pytest.raises(ValueError, match=r"needs RNN cells.*Dense"):
        RNN(Dense(3))


def test_error_initial_state_count_and_shape():
    layer = LSTM(4)
    with pytest.raises(ValueError, match=r"initial_state has 1 tensor\(s\).*\[h, c\]"):
        layer(torch.zeros(2, 3, 5), initial_state=[torch.zeros(2, 4)])
    with pytest.raises(ValueError, match=r"initial_state\[1\] has shape \(2, 3\)"):
        layer(torch.zeros(2, 3, 5), initial_state=[torch.zeros(2, 4), torch.zeros(2, 3)])


def test_error_cell_must_return_a_pair():
    class BadCell(MinimalRNNCell):
        def call(self, inputs, states):
            return inputs @ self.kernel

    with pytest.raises(ValueError, match=r"must return a pair \(output, new_states\)"):
        RNN(BadCell(2))(torch.zeros(1, 3, 2))


def test_stacked_cells_stateful_states_grouped_per_cell():
    layer = RNN([LSTMCell(3), keras.layers.GRUCell(2)], stateful=True)
    model = keras.Sequential([keras.Input(batch_shape=(2, 4, 3)), layer])
    x = np.sin(np.arange(24, dtype="float32")).reshape(2, 4, 3)
    model.predict(x, batch_size=2, verbose=0)
    (h1, c1), h2 = layer.states  # Keras 2: [[h1, c1], h2]
    assert tuple(h1.shape) == (2, 3) and tuple(c1.shape) == (2, 3) and tuple(h2.shape) == (2, 2)
    layer.reset_states([[np.ones((2, 3)), np.full((2, 3), 2.0)], np.full((2, 2), 3.0)])
    (h1, c1), h2 = layer.states
    assert float(c1.mean()) == 2.0 and float(h2.mean()) == 3.0
    layer.reset_states()
    assert float(layer.states[1].abs().sum()) == 0.0
