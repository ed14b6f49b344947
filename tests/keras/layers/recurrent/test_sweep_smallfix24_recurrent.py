"""Built-in RNN cells called by hand with the wrong number or width of states.

tf_keras 2.21: `LSTMCell(4)(x, [h])` raises IndexError "list index out of range", a
state of the wrong width raises TF's shape error; extra states are ignored
(`LSTMCell(x, [h, c, c])`, `GRUCell(x, [h, h])` and `SimpleRNNCell(x, [h, h])` run).
tork names the layer, the states it expects and the shapes instead.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
X = tf.ones((2, 3))
H = tf.zeros((2, 4))


@pytest.mark.parametrize("states", [[H], H])
def test_lstm_cell_with_one_state(states):
    cell = keras.layers.LSTMCell(4, name="lc")
    pattern = (
        r"LSTMCell 'lc' expects 2 state\(s\) \[h, c\] \(hidden state, then carry\) of shapes "
        r"\[\(batch, 4\), \(batch, 4\)\], but got 1 state\(s\) of shapes \[\(2, 4\)\]\. "
        r"Call it as cell\(inputs, states=\[h, c\]\)"
    )
    with pytest.raises(ValueError, match=pattern):
        cell(X, states)


def test_state_of_the_wrong_width():
    with pytest.raises(
        ValueError, match=r"LSTMCell 'lw'.*got 2 state\(s\) of shapes \[\(2, 4\), \(2, 5\)\]"
    ):
        keras.layers.LSTMCell(4, name="lw")(X, [H, tf.zeros((2, 5))])
    with pytest.raises(
        ValueError, match=r"GRUCell 'gw' expects 1 state\(s\) \[h\] of shapes \[\(batch, 4\)\]"
    ):
        keras.layers.GRUCell(4, name="gw")(X, [tf.zeros((2, 5))])


def test_extra_states_are_ignored_as_tf_keras():
    lstm = keras.layers.LSTMCell(4)
    out, states = lstm(X, [H, H, H])
    assert tuple(out.shape) == (2, 4) and len(states) == 2
    gru = keras.layers.GRUCell(4)
    out, states = gru(X, [H, H])
    assert tuple(out.shape) == (2, 4) and len(states) == 1
    out, _ = keras.layers.SimpleRNNCell(4)(X, [H, H])
    assert tuple(out.shape) == (2, 4)


def test_conv_lstm_cell_with_one_state():
    layer = keras.layers.ConvLSTM2D(2, 3, padding="same", return_sequences=True)
    layer(np.ones((1, 2, 5, 5, 1), "float32"))
    with pytest.raises(ValueError, match=r"expects 2 state\(s\) \[h, c\].*\(batch, 5, 5, 2\)"):
        layer.cell(tf.ones((1, 5, 5, 1)), [tf.zeros((1, 5, 5, 2))])
