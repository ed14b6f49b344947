"""keras.layers.AbstractRNNCell (Keras 2) in keras.layers.RNN, against tf_keras 2.21's outputs."""

import numpy as np
import pytest
import torch

from tork import keras


class MinimalRNNCell(keras.layers.AbstractRNNCell):
    def __init__(self, units, **kwargs):
        self.units = units
        super().__init__(**kwargs)

    @property
    def state_size(self):
        return self.units

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units), initializer="ones", name="kernel"
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, self.units), initializer="identity", name="recurrent_kernel"
        )
        self.built = True

    def call(self, inputs, states):
        output = keras.backend.dot(inputs, self.kernel) + 0.5 * keras.backend.dot(
            states[0], self.recurrent_kernel
        )
        return output, output


def test_minimal_cell_in_rnn_matches_tf_keras():
    keras.backend.clear_session()  # the weight names below are the first automatic ones
    cell = MinimalRNNCell(2)
    layer = keras.layers.RNN(cell, return_sequences=True)
    x = np.arange(12, dtype="float32").reshape(1, 4, 3) / 10
    # tf_keras 2.21 on the same cell.
    expected = [[[0.3, 0.3], [1.35, 1.35], [2.775, 2.775], [4.3875, 4.3875]]]
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-6)
    assert [w.name for w in layer.weights] == [
        "rnn/minimal_rnn_cell/kernel:0",
        "rnn/minimal_rnn_cell/recurrent_kernel:0",
    ]
    inp = keras.Input((4, 3))
    model = keras.Model(inp, keras.layers.RNN(MinimalRNNCell(5))(inp))
    assert model.output_shape == (None, 5) and model.count_params() == 40


def test_get_initial_state():
    cell = MinimalRNNCell(2)
    state = cell.get_initial_state(batch_size=3, dtype="float32")
    assert isinstance(state, torch.Tensor) and tuple(state.shape) == (3, 2)
    assert not state.any()
    state = cell.get_initial_state(inputs=np.ones((4, 5), "float64"))
    assert tuple(state.shape) == (4, 2) and state.dtype == torch.float64


class TwoState(keras.layers.AbstractRNNCell):
    @property
    def state_size(self):
        return [2, 3]

    @property
    def output_size(self):
        return 2

    def call(self, inputs, states):
        return inputs[:, :2] + states[0], [states[0] + 1, states[1] * 2]


def test_several_states_and_return_state():
    out = keras.layers.RNN(TwoState(), return_state=True)(np.ones((2, 3, 4), "float32"))
    # tf_keras 2.21: [[3, 3], [3, 3]], h = [[3, 3], [3, 3]], c = zeros (2, 3).
    np.testing.assert_array_equal(np.asarray(out[0]), np.full((2, 2), 3.0))
    np.testing.assert_array_equal(np.asarray(out[1]), np.full((2, 2), 3.0))
    np.testing.assert_array_equal(np.asarray(out[2]), np.zeros((2, 3)))
    states = TwoState().get_initial_state(batch_size=2, dtype="float32")
    assert [tuple(s.shape) for s in states] == [(2, 2), (2, 3)]


def test_plain_attribute_sizes_accepted():
    class Cell(keras.layers.AbstractRNNCell):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.state_size = 3
            self.output_size = 3

        def call(self, inputs, states):
            return inputs + states[0], [inputs + states[0]]

    out = keras.layers.RNN(Cell())(np.ones((2, 4, 3), "float32"))
    np.testing.assert_array_equal(np.asarray(out), np.full((2, 3), 4.0))


def test_errors():
    class NoState(keras.layers.AbstractRNNCell):
        pass

    with pytest.raises(NotImplementedError) as info:
        _ = NoState().state_size
    assert str(info.value) == (
        "NoState (an AbstractRNNCell) must define the `state_size` property, e.g. "
        "`return self.units`."
    )
    with pytest.raises(NotImplementedError, match="must define the `output_size` property"):
        _ = MinimalRNNCell(2).output_size
    with pytest.raises(NotImplementedError) as info:
        NoState()(np.ones((1, 2), "float32"), [np.ones((1, 2), "float32")])
    assert "NoState (an AbstractRNNCell) must implement call(self, inputs, states)" in str(
        info.value
    )
    assert not isinstance(keras.layers.SimpleRNNCell(2), keras.layers.AbstractRNNCell)
