"""Bidirectional's forward/backward copies of an RNN over a custom cell, named as tf_keras.

Keras 2 rebuilds both copies from the RNN's config. A cell class without its own
get_config gets Keras 2's automatic config, which drops `name` unless `__init__` takes
`**kwargs` under that exact name, so the two copies get fresh cell names. The expected
weight names below were printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) after
`keras.backend.clear_session()` for the same scripts (a leading underscore in the class
name gives the `private__` prefix in both).
"""

import numpy as np

import tork as tf

keras = tf.keras


class _KwCell(keras.layers.Layer):
    # `**kw`, not `**kwargs`: Keras 2's automatic config then leaves the name out.
    def __init__(self, units, **kw):
        self.units = units
        self.state_size = units
        super().__init__(**kw)

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")

    def call(self, inputs, states):
        h = keras.backend.dot(inputs, self.kernel) + states[0]
        return h, [h]


class _KwargsCell(_KwCell):
    def __init__(self, units, **kwargs):
        super().__init__(units, **kwargs)


class _ConfigCell(_KwCell):
    def get_config(self):
        return {**super().get_config(), "units": self.units}


def _names(layer):
    b = keras.layers.Bidirectional(layer, name="b")
    b(np.zeros((1, 4, 3), "float32"))
    return [w.name for w in b.weights]


def test_auto_config_cell_with_kw_gets_fresh_names():
    keras.backend.clear_session()
    assert _names(keras.layers.RNN(_KwCell(2), name="r")) == [
        "b/forward_r/private__kw_cell_1/kernel:0",
        "b/backward_r/private__kw_cell_2/kernel:0",
    ]


def test_explicit_cell_name_is_dropped_too():
    keras.backend.clear_session()
    assert _names(keras.layers.RNN(_KwCell(2, name="mine"), name="r")) == [
        "b/forward_r/private__kw_cell/kernel:0",
        "b/backward_r/private__kw_cell_1/kernel:0",
    ]


def test_auto_config_cell_with_kwargs_keeps_its_name():
    keras.backend.clear_session()
    assert _names(keras.layers.RNN(_KwargsCell(2), name="r")) == [
        "b/forward_r/private__kwargs_cell/kernel:0",
        "b/backward_r/private__kwargs_cell/kernel:0",
    ]


def test_cell_with_get_config_keeps_its_name():
    keras.backend.clear_session()
    assert _names(keras.layers.RNN(_ConfigCell(2), name="r")) == [
        "b/forward_r/private__config_cell/kernel:0",
        "b/backward_r/private__config_cell/kernel:0",
    ]


def test_stacked_cells_keep_the_stack_name():
    keras.backend.clear_session()
    layer = keras.layers.RNN([_KwCell(2), keras.layers.GRUCell(3)], name="r")
    assert _names(layer) == [
        "b/forward_r/stacked_rnn_cells/private__kw_cell_1/kernel:0",
        "b/forward_r/stacked_rnn_cells/gru_cell/kernel:0",
        "b/forward_r/stacked_rnn_cells/gru_cell/recurrent_kernel:0",
        "b/forward_r/stacked_rnn_cells/gru_cell/bias:0",
        "b/backward_r/stacked_rnn_cells/private__kw_cell_2/kernel:0",
        "b/backward_r/stacked_rnn_cells/gru_cell/kernel:0",
        "b/backward_r/stacked_rnn_cells/gru_cell/recurrent_kernel:0",
        "b/backward_r/stacked_rnn_cells/gru_cell/bias:0",
    ]


def test_builtin_cells_keep_their_names():
    keras.backend.clear_session()
    assert _names(keras.layers.LSTM(2, name="r")) == [
        "b/forward_r/lstm_cell/kernel:0",
        "b/forward_r/lstm_cell/recurrent_kernel:0",
        "b/forward_r/lstm_cell/bias:0",
        "b/backward_r/lstm_cell/kernel:0",
        "b/backward_r/lstm_cell/recurrent_kernel:0",
        "b/backward_r/lstm_cell/bias:0",
    ]
    assert _names(keras.layers.RNN(keras.layers.GRUCell(2), name="r")) == [
        "b/forward_r/gru_cell/kernel:0",
        "b/forward_r/gru_cell/recurrent_kernel:0",
        "b/forward_r/gru_cell/bias:0",
        "b/backward_r/gru_cell/kernel:0",
        "b/backward_r/gru_cell/recurrent_kernel:0",
        "b/backward_r/gru_cell/bias:0",
    ]
