"""tf.nn's RNN cell wrappers (Keras 2), from a sweep of tf_keras's own cell-wrapper tests."""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _ramp(layer):
    for w in layer.weights:
        size = int(np.prod(w.shape))
        w.assign(np.linspace(-0.3, 0.3, size).reshape(tuple(w.shape)))


def test_residual_wrapper_adds_the_step_input():
    x = np.linspace(-1, 1, 2 * 4 * 3).reshape(2, 4, 3).astype("float32")
    plain = keras.layers.RNN(keras.layers.LSTMCell(3), return_sequences=True)
    wrapped = keras.layers.RNN(
        tf.nn.RNNCellResidualWrapper(keras.layers.LSTMCell(3)), return_sequences=True
    )
    plain(x)
    wrapped(x)
    _ramp(plain)
    _ramp(wrapped)
    # The LSTM's states are not changed by the wrapper, so each output is the plain
    # LSTM's output plus that step's input.
    np.testing.assert_allclose(wrapped(x).numpy(), plain(x).numpy() + x, atol=1e-6)
    # tf_keras 2.21 prints these for the same weights.
    np.testing.assert_allclose(wrapped(x).numpy()[0, 0], [-0.9898, -0.9008, -0.8118], atol=1e-4)
    # Weights sit in the wrapper's scope, as tf_keras names them.
    assert [w.name for w in wrapped.weights][0].endswith("residual_wrapper/kernel:0")
    with pytest.raises(ValueError, match="same shape to be added"):
        keras.layers.RNN(tf.nn.RNNCellResidualWrapper(keras.layers.GRUCell(2)))(x)


def test_dropout_wrapper_drops_on_every_call_and_scales():
    # Keras 2's wrapper applies its dropout training or not; kept values are scaled.
    cell = keras.layers.SimpleRNNCell(
        5, kernel_initializer="identity", recurrent_initializer="zeros", activation=None
    )
    layer = keras.layers.RNN(
        tf.nn.RNNCellDropoutWrapper(cell, input_keep_prob=0.5, seed=1), return_sequences=True
    )
    x = np.ones((4, 3, 5), "float32")
    for training in (None, False, True):
        values = set(np.round(layer(x, training=training).numpy().ravel(), 4).tolist())
        assert values == {0.0, 2.0}
    # keep probabilities of 1 leave the cell as it is.
    gru = keras.layers.GRUCell(3)
    same = keras.layers.RNN(tf.nn.RNNCellDropoutWrapper(gru, output_keep_prob=1.0))
    out = same(x)
    np.testing.assert_allclose(out.numpy(), keras.layers.RNN(gru)(x).numpy(), atol=1e-6)
    with pytest.raises(ValueError, match="input_keep_prob must be between 0 and 1"):
        tf.nn.RNNCellDropoutWrapper(keras.layers.GRUCell(2), input_keep_prob=1.5)


def test_wrapper_configs_round_trip():
    dropout = tf.nn.RNNCellDropoutWrapper(keras.layers.GRUCell(2), output_keep_prob=0.7)
    config = dropout.get_config()
    assert config["output_keep_prob"] == 0.7 and config["variational_recurrent"] is False
    restored = tf.nn.RNNCellDropoutWrapper.from_config(config)
    assert isinstance(restored.cell, keras.layers.GRUCell) and restored.cell.units == 2
    device = tf.nn.RNNCellDeviceWrapper(keras.layers.GRUCell(2), "/cpu:0")
    assert sorted(device.get_config()) == ["cell", "device", "dtype", "name", "trainable"]
    assert tuple(keras.layers.RNN(device)(np.ones((4, 3, 5), "float32")).shape) == (4, 2)
