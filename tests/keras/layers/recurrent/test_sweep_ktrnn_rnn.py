"""Keras 2 RNN behaviour from a sweep of tf_keras's own recurrent-layer tests.

Each case re-expresses a documented Keras 2 behaviour; the references are numpy formulas
or values printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) for the same weights.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


class ConstantsCell(keras.layers.Layer):
    """out = x @ K + h @ R + c @ C: a cell conditioned on an external constant."""

    def __init__(self, units, constant_size, **kwargs):
        self.units = units
        self.state_size = units
        self.constant_size = constant_size
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="rec")
        self.constant_kernel = self.add_weight(
            shape=(self.constant_size, self.units), name="constant_kernel"
        )

    def call(self, inputs, states, constants):
        [h] = states
        [c] = constants
        out = (
            keras.backend.dot(inputs, self.kernel)
            + keras.backend.dot(h, self.recurrent_kernel)
            + keras.backend.dot(c, self.constant_kernel)
        )
        return out, [out]

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units, constant_size=self.constant_size)
        return config


K = np.linspace(-0.5, 0.5, 12).reshape(3, 4).astype("float32")
R = np.linspace(0.2, -0.2, 16).reshape(4, 4).astype("float32")
C = np.linspace(0.1, 0.6, 8).reshape(2, 4).astype("float32")
X = np.linspace(-1.0, 1.0, 2 * 3 * 3).reshape(2, 3, 3).astype("float32")
CONST = np.array([[1.0, -1.0], [0.5, 2.0]], "float32")
S0 = np.array([[0.1, 0.2, 0.3, 0.4], [-0.4, -0.3, -0.2, -0.1]], "float32")


def _numpy_constants_rnn(x, c, h, reverse=False):
    steps = range(x.shape[1] - 1, -1, -1) if reverse else range(x.shape[1])
    for t in steps:
        h = x[:, t] @ K + h @ R + c @ C
    return h


def _constants_model(initial_state=False):
    x = keras.Input((None, 3))
    c = keras.Input((2,))
    layer = keras.layers.RNN(ConstantsCell(4, constant_size=2))
    if initial_state:
        s = keras.Input((4,))
        model = keras.Model([x, s, c], layer(x, initial_state=s, constants=c))
    else:
        model = keras.Model([x, c], layer(x, constants=c))
    layer.set_weights([K, R, C])
    return model, layer


def test_rnn_constants_reach_the_cell_and_round_trip_config():
    model, layer = _constants_model()
    expected = _numpy_constants_rnn(X, CONST, np.zeros((2, 4), "float32"))
    np.testing.assert_allclose(model.predict([X, CONST], verbose=0), expected, rtol=1e-5)
    config = layer.get_config()
    assert config["num_constants"] == 1  # as tf_keras writes it
    # Restored from its config, the layer takes the constants at the end of a list input.
    with keras.utils.CustomObjectScope({"ConstantsCell": ConstantsCell}):
        restored = keras.layers.RNN.from_config(config)
    x, c = keras.Input((None, 3)), keras.Input((2,))
    model2 = keras.Model([x, c], restored([x, c]))
    restored.set_weights([K, R, C])
    np.testing.assert_allclose(model2.predict([X, CONST], verbose=0), expected, rtol=1e-5)
    # Eagerly, and trainable.
    np.testing.assert_allclose(layer(X, constants=CONST).numpy(), expected, rtol=1e-5)
    model.compile("sgd", "mse")
    model.train_on_batch([X, CONST], np.zeros((2, 4)))


def test_rnn_constants_with_initial_state_and_stacked_cells():
    model, layer = _constants_model(initial_state=True)
    expected = _numpy_constants_rnn(X, CONST, S0)
    np.testing.assert_allclose(model.predict([X, S0, CONST], verbose=0), expected, rtol=1e-5)
    with keras.utils.CustomObjectScope({"ConstantsCell": ConstantsCell}):
        restored = keras.layers.RNN.from_config(layer.get_config())
    x, s, c = keras.Input((None, 3)), keras.Input((4,)), keras.Input((2,))
    model2 = keras.Model([x, s, c], restored([x, s, c]))
    restored.set_weights([K, R, C])
    np.testing.assert_allclose(model2.predict([X, S0, CONST], verbose=0), expected, rtol=1e-5)
    # Stacked: constants go to the cells whose call takes them (a GRUCell gets none).
    x, c = keras.Input((None, 3)), keras.Input((2,))
    stacked = keras.layers.RNN([keras.layers.GRUCell(3), ConstantsCell(4, constant_size=2)])
    out = keras.Model([x, c], stacked(x, constants=c)).predict([X, CONST], verbose=0)
    assert out.shape == (2, 4)


def test_rnn_constants_refused_by_a_cell_without_them():
    with pytest.raises(ValueError, match="does not support constants"):
        keras.layers.SimpleRNN(3)(X, constants=CONST)


def test_bidirectional_passes_constants_to_both_directions():
    x, c = keras.Input((None, 3)), keras.Input((2,))
    bi = keras.layers.Bidirectional(keras.layers.RNN(ConstantsCell(4, constant_size=2)))
    model = keras.Model([x, c], bi(x, constants=c))
    bi.set_weights([K, R, C, K, R, C])
    zeros = np.zeros((2, 4), "float32")
    expected = np.concatenate(
        [
            _numpy_constants_rnn(X, CONST, zeros),
            _numpy_constants_rnn(X, CONST, zeros, reverse=True),
        ],
        -1,
    )
    np.testing.assert_allclose(model.predict([X, CONST], verbose=0), expected, rtol=1e-5)
    config = bi.get_config()
    assert config["num_constants"] == 1
    with keras.utils.CustomObjectScope({"ConstantsCell": ConstantsCell}):
        restored = keras.layers.Bidirectional.from_config(config)
    model2 = keras.Model([x, c], restored([x, c]))
    restored.set_weights([K, R, C, K, R, C])
    np.testing.assert_allclose(model2.predict([X, CONST], verbose=0), expected, rtol=1e-5)


def test_stateful_rnn_given_initial_state_carries_its_states_on():
    # Keras 2: the initial_state is used while the kept states are zeros (first call, after
    # reset_states()); later batches continue from the kept states. tork used the
    # initial_state on every batch (a silent wrong result). Values from tf_keras 2.21.
    inp = keras.Input(shape=(None, 2), batch_size=2)
    gru = keras.layers.GRU(3, return_sequences=True, stateful=True)
    model = keras.Model(inp, gru(inp, initial_state=keras.backend.constant(np.ones((2, 3)))))
    gru.set_weights(
        [
            np.linspace(-0.5, 0.5, 18).reshape(2, 9),
            np.linspace(0.3, -0.3, 27).reshape(3, 9),
            np.full((2, 9), 0.05),
        ]
    )
    x = np.array([[[0.5, -1.0]], [[1.0, 0.25]]], "float32")
    first = [[0.325355, 0.26754, 0.209986], [0.448146, 0.470639, 0.492971]]
    second = [[-0.036937, -0.089428, -0.140444], [0.186564, 0.233403, 0.278951]]
    model.reset_states()
    np.testing.assert_allclose(model.predict(x, verbose=0)[:, 0], first, atol=1e-5)
    np.testing.assert_allclose(model.predict(x, verbose=0)[:, 0], second, atol=1e-5)
    model.reset_states()
    np.testing.assert_allclose(model.predict(x, verbose=0)[:, 0], first, atol=1e-5)


def test_stateful_custom_get_initial_state_gets_the_dtype_name():
    # Keras 2 makes a stateful layer's states with the layer's dtype name, so a cell's
    # np.ones(..., dtype=dtype) works.
    class OnesCell(keras.layers.AbstractRNNCell):
        state_size = 1
        output_size = 2

        def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
            return np.ones((batch_size, 1), dtype=dtype)

        def call(self, inputs, states):
            return inputs, states

    inputs = keras.Input(shape=(3, 2), batch_size=4)
    model = keras.Model(
        inputs, keras.layers.RNN(OnesCell(), stateful=True, return_state=True)(inputs)
    )
    output, state = model.predict(np.ones((4, 3, 2), "float32"), verbose=0)
    np.testing.assert_array_equal(output, np.ones((4, 2)))
    np.testing.assert_array_equal(state, np.ones((4, 1)))


def test_plain_object_cells_single_and_stacked():
    # Keras 2 accepts any object with call(inputs, states) and state_size as a cell.
    class PlainCell:
        def __init__(self, units, input_dim):
            self.state_size = (units, units)
            self.kernel = keras.backend.variable(np.full((input_dim, units), 0.1))

        def call(self, inputs, states):
            out = keras.backend.dot(inputs, self.kernel) + states[0] - states[1]
            return out, [out * 2, out * 3]

    x = keras.Input((None, 5))
    layer = keras.layers.RNN([PlainCell(3, 5), PlainCell(2, 3)])
    assert layer.cell.state_size == ((3, 3), (2, 2))  # one entry per cell, as Keras 2
    model = keras.Model(x, layer(x))
    # numpy: h1 = x@K1 + 2h1 - 3h1 (= x@K1 - h1_prev), then the same for cell 2.
    data = np.ones((1, 2, 5), "float32")
    a1, a2 = np.zeros(3), np.zeros(2)
    for t in range(2):
        o1 = data[0, t] @ np.full((5, 3), 0.1) + a1 * 2 - a1 * 3
        a1 = o1
        o2 = o1 @ np.full((3, 2), 0.1) + a2 * 2 - a2 * 3
        a2 = o2
    np.testing.assert_allclose(model.predict(data, verbose=0)[0], o2, rtol=1e-5)


class Cell2D(keras.layers.Layer):
    """A cell over 2D steps: state and output are (a, b) matrices."""

    def __init__(self, a, b, **kwargs):
        self.state_size = tf.TensorShape([a, b])
        self.output_size = tf.TensorShape([a, b])
        self.a, self.b = a, b
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-2], input_shape[-1], self.a, self.b), initializer="ones"
        )

    def call(self, inputs, states):
        out = tf.einsum("bij,ijkl->bkl", inputs, self.kernel) + 0.5 * states[0]
        return out, [out]


def test_rnn_runs_custom_cells_over_higher_rank_steps():
    x = keras.Input((None, 4, 5))
    layer = keras.layers.RNN(Cell2D(2, 3), return_sequences=True)
    model = keras.Model(x, layer(x))
    assert model.output_shape == (None, None, 2, 3)
    data = np.full((2, 3, 4, 5), 0.1, "float32")
    h = np.zeros((2, 2, 3))
    expected = []
    for t in range(3):
        h = np.full((2, 2, 3), data[:, t].sum(axis=(1, 2))[0]) + 0.5 * h
        expected.append(h)
    np.testing.assert_allclose(model.predict(data, verbose=0), np.stack(expected, 1), rtol=1e-5)
    # Stacked 2D cells, and a 2D initial state.
    stacked = keras.layers.RNN([Cell2D(2, 3), Cell2D(4, 6)])
    assert keras.Model(x, stacked(x)).output_shape == (None, 4, 6)
    s = keras.Input((2, 3))
    model = keras.Model([x, s], keras.layers.RNN(Cell2D(2, 3))(x, initial_state=s))
    assert model.predict([data, np.ones((2, 2, 3))], verbose=0).shape == (2, 2, 3)
    # Built-in cells still want 3D inputs.
    with pytest.raises(ValueError, match="expects a 3D input"):
        keras.layers.LSTM(3)(np.zeros((2, 3, 4, 5), "float32"))


def test_builtin_cell_get_initial_state_from_numpy_and_errors():
    cell = keras.layers.SimpleRNNCell(5)
    state = cell.get_initial_state(np.random.random((8, 10)), None, None)
    assert tuple(state.shape) == (8, 5) and state.dtype == tf.float64  # the inputs' dtype
    state = cell.get_initial_state(None, 8, np.float64)
    assert tuple(state.shape) == (8, 5) and state.dtype == tf.float64
    with pytest.raises(ValueError, match="batch_size and dtype cannot be None"):
        cell.get_initial_state(None, None, None)


def test_legacy_input_dim_and_input_length():
    # Keras 2 describes (timesteps, features) with them, either may be missing.
    assert keras.layers.SimpleRNN(5, input_length=10, input_dim=8)._batch_input_shape == (
        None,
        10,
        8,
    )
    assert keras.layers.SimpleRNN(5, input_dim=8)._batch_input_shape == (None, None, 8)
    assert keras.layers.SimpleRNN(5, input_length=10)._batch_input_shape == (None, 10, None)
    model = keras.Sequential([keras.layers.LSTM(3, input_dim=4)])
    assert model.input_shape == (None, None, 4) and model.output_shape == (None, 3)


def test_reset_states_checks_the_state_shapes():
    layer = keras.layers.GRU(3, stateful=True)
    layer(np.zeros((2, 4, 3), "float32"))
    layer.reset_states([np.ones((2, 3))])
    np.testing.assert_array_equal(layer.states[0].numpy(), np.ones((2, 3)))
    # tf_keras raises for a batch or size that does not fit; tork stored them.
    with pytest.raises(ValueError, match=r"State 0 is incompatible with layer .*\(2, 3\)"):
        layer.reset_states([np.ones((3, 3))])
    with pytest.raises(ValueError, match="State 0 is incompatible"):
        layer.reset_states([np.ones((2, 4))])


def test_bidirectional_of_an_rnn_subclass_with_a_shorter_call():
    # Keras 2 passes the wrapped layer only the arguments its call() names.
    class Doubler(keras.layers.SimpleRNN):
        def call(self, inputs):
            return tf.concat([inputs, inputs], axis=-1)

        def compute_output_shape(self, input_shape):
            return tuple(input_shape[:-1]) + (input_shape[-1] * 2,)

    layer = keras.layers.Bidirectional(Doubler(1))
    out = layer(keras.Input((2, 4)))
    assert tuple(out.shape) == (None, 2, 16)  # as tf_keras 2.21
    data = np.arange(8, dtype="float32").reshape(1, 2, 4)
    np.testing.assert_array_equal(layer(data).numpy(), np.concatenate([data] * 4, -1))


def test_bidirectional_custom_backward_layer_config_and_errors():
    layer = keras.layers.Bidirectional(
        keras.layers.LSTM(2, name="fw"),
        backward_layer=keras.layers.LSTM(2, go_backwards=True, name="bw"),
    )
    config = layer.get_config()
    # tf_keras keeps the backward layer's own config (name "bw"), so it round-trips.
    assert config["layer"]["config"]["name"] == "fw"
    assert config["backward_layer"]["config"]["name"] == "bw"
    restored = keras.layers.Bidirectional.from_config(config)
    assert restored.get_config() == config
    assert restored.backward_layer.name == "backward_bw"
    with pytest.raises(ValueError, match="should have different `go_backwards` value"):
        keras.layers.Bidirectional(keras.layers.LSTM(2), backward_layer=keras.layers.LSTM(2))
    for attr in ("stateful", "return_sequences", "return_state"):
        backward = keras.layers.LSTM(2, go_backwards=True, **{attr: True})
        with pytest.raises(
            ValueError, match=f'expected to have the same value for attribute "{attr}"'
        ):
            keras.layers.Bidirectional(keras.layers.LSTM(2), backward_layer=backward)


def test_implementation_attribute_and_dropout_mask_resets():
    # Keras 2 exposes `implementation` on LSTM/GRU and their cells (default 2).
    for cls in (keras.layers.LSTM, keras.layers.GRU):
        assert cls(3).implementation == 2 and cls(3).cell.implementation == 2
        layer = cls(3, implementation=1)
        assert layer.implementation == 1 and layer.cell.implementation == 1
    cell = keras.layers.LSTMCell(3, dropout=0.5, recurrent_dropout=0.5)
    cell(tf.ones((2, 4)), [tf.zeros((2, 3)), tf.zeros((2, 3))])
    # DropoutRNNCellMixin's resets exist (custom training loops call them between batches).
    cell.reset_dropout_mask()
    cell.reset_recurrent_dropout_mask()


def test_functional_rnn_with_concrete_initial_state_variables():
    # Keras 2 accepts non-symbolic initial states (variables of the data's batch size) in a
    # functional model; tork refused them against the unknown symbolic batch.
    inputs = keras.Input((3, 4))
    states = [keras.backend.variable(np.full((2, 3), 0.3)) for _ in range(2)]
    layer = keras.layers.LSTM(3)
    model = keras.Model(inputs, layer(inputs, initial_state=states))
    for i, w in enumerate(layer.weights):
        size = int(np.prod(w.shape))
        w.assign(np.linspace(-0.4, 0.4 + 0.01 * i, size).reshape(tuple(w.shape)))
    out = model.predict(np.linspace(0, 1, 24).reshape(2, 3, 4), verbose=0)
    # tf_keras 2.21, same weights.
    expected = [[0.067254, 0.122614, 0.18707], [0.069895, 0.140788, 0.226132]]
    np.testing.assert_allclose(out, expected, atol=1e-5)
    with pytest.raises(ValueError, match=r"initial_state\[0\] has shape \(2, 4\)"):
        keras.layers.LSTM(3)(inputs, initial_state=[np.zeros((2, 4)), np.zeros((2, 3))])


def test_stacked_initial_states_are_grouped_per_cell():
    # tf_keras 2.21: RNN.get_initial_state gives [[h1, c1], h2] for [LSTMCell, GRUCell]
    # (tork gave the flat [h1, c1, h2]); StackedRNNCells.get_initial_state gives a tuple.
    layer = keras.layers.RNN([keras.layers.LSTMCell(3), keras.layers.GRUCell(2)])
    layer(np.ones((2, 3, 4), "float32"))
    states = layer.get_initial_state(tf.ones((2, 3, 4)))
    assert isinstance(states, list) and len(states) == 2
    assert [tuple(s.shape) for s in states[0]] == [(2, 3), (2, 3)]
    assert tuple(states[1].shape) == (2, 2)
    cell_states = layer.cell.get_initial_state(batch_size=2, dtype="float32")
    assert isinstance(cell_states, tuple) and len(cell_states) == 2
    assert layer.cell.state_size == ([3, 3], 2)
