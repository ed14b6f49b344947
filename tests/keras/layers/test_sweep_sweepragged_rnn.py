"""RNN layers on RaggedTensor inputs (the "Ragged tensors" guide's LSTM cell); expected values
from tf_keras 2.21."""

import numpy as np

import tork as tf
from tork import keras

W = np.array([[0.24, 0.35, -0.36], [0.2, 0.32, 0.48]], "float32")
U = np.array([[0.34, -0.08, 0.48], [0.47, 0.0, 0.25], [0.41, -0.02, 0.36]], "float32")
B = np.array([0.2, -0.21, 0.27], "float32")
LAST = [[0.61703366, 0.39307714, 0.8715814], [0.5783634, 0.44223034, -0.029991]]
SEQUENCE = [
    [[0.11942729, -0.34080231, -0.37136015], [0.21477370, 0.21448989, -0.13081126], LAST[0]],
    [LAST[1]],
]


def _inputs():
    rows = [[[0.5, -1.0], [1.0, 0.25], [0.0, 2.0]], [[1.5, 0.5]]]
    return tf.ragged.constant(rows, ragged_rank=1)


def _layer(**kwargs):
    layer = keras.layers.SimpleRNN(3, **kwargs)
    layer(_inputs().to_tensor())
    layer.set_weights([W, U, B])
    return layer


def test_simple_rnn_ragged_last_output_uses_each_row_length():
    out = _layer()(_inputs())
    np.testing.assert_allclose(np.asarray(out.detach()), LAST, rtol=1e-5, atol=1e-6)


def test_simple_rnn_ragged_sequences_stay_ragged():
    out, state = _layer(return_sequences=True, return_state=True)(_inputs())
    assert isinstance(out, tf.RaggedTensor)
    assert out.row_lengths().tolist() == [3, 1]
    np.testing.assert_allclose(
        np.asarray(out.flat_values.detach()), SEQUENCE[0] + SEQUENCE[1], rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(np.asarray(state.detach()), LAST, rtol=1e-5, atol=1e-6)


def test_lstm_guide_model_fits_on_ragged_hashed_words():
    sentences = tf.constant(["What makes you think she is a witch?", "A newt?"])
    words = tf.strings.split(sentences, " ")
    hashed = tf.strings.to_hash_bucket_fast(words, 1000)
    model = keras.Sequential(
        [keras.layers.Embedding(1000, 8), keras.layers.LSTM(4), keras.layers.Dense(1)]
    )
    model.compile(loss="binary_crossentropy", optimizer="rmsprop")
    history = model.fit(hashed, tf.constant([True, True]), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert model.predict(hashed, verbose=0).shape == (2, 1)


def test_simple_rnn_ragged_go_backwards_sequences():
    # tf_keras 2.21: each row runs backwards over its own items only.
    out = _layer(go_backwards=True, return_sequences=True)(_inputs())
    assert out.row_lengths().tolist() == [3, 1]
    expected = [
        [0.5370, 0.4053, 0.8426],
        [0.8362, 0.1588, 0.5995],
        [0.6199, -0.4086, 0.2608],
        LAST[1],
    ]
    np.testing.assert_allclose(np.asarray(out.flat_values.detach()), expected, atol=1e-4)
    last = _layer(go_backwards=True)(_inputs())
    np.testing.assert_allclose(np.asarray(last.detach()), [expected[2], LAST[1]], atol=1e-4)


def test_bidirectional_ragged_sequences():
    layer = keras.layers.Bidirectional(keras.layers.SimpleRNN(3, return_sequences=True))
    layer(_inputs().to_tensor())
    layer.set_weights([W, U, B, W * 0.5, U, B])
    out = layer(_inputs())
    assert isinstance(out, tf.RaggedTensor)
    assert out.row_lengths().tolist() == [3, 1]
    expected = [  # tf_keras 2.21
        [0.1194, -0.3408, -0.3714, 0.5241, -0.3324, 0.4102],
        [0.2148, 0.2145, -0.1308, 0.6562, -0.0381, 0.5288],
        [0.6170, 0.3931, 0.8716, 0.3799, 0.1096, 0.6351],
        [0.5784, 0.4422, -0.0300, 0.4053, 0.1317, 0.1194],
    ]
    np.testing.assert_allclose(np.asarray(out.flat_values.detach()), expected, atol=1e-4)


def test_global_pooling_1d_on_ragged_steps():
    x = _inputs()
    average = keras.layers.GlobalAveragePooling1D()
    average(x.to_tensor())  # built on a dense batch: see the report on ragged build shapes
    np.testing.assert_allclose(np.asarray(average(x)), [[0.5, 0.41666667], [1.5, 0.5]], rtol=1e-6)
    maximum = keras.layers.GlobalMaxPooling1D(keepdims=True)
    maximum(x.to_tensor())
    assert np.asarray(maximum(x)).tolist() == [[[1.0, 2.0]], [[1.5, 0.5]]]
    model = keras.Sequential(
        [
            keras.layers.Embedding(10, 4),
            keras.layers.LSTM(3, return_sequences=True),
            keras.layers.GlobalAveragePooling1D(),
        ]
    )
    assert tuple(model(tf.ragged.constant([[1, 2, 3], [4]])).shape) == (2, 3)


def test_layers_called_directly_on_ragged_sequences_build():
    # tf_keras builds from the ragged shape (batch, None, features).
    rt = tf.ragged.constant([[[1.0, 2.0]], [[3.0, 4.0], [5.0, 6.0]]], ragged_rank=1)
    assert tuple(tf.keras.layers.LSTM(3)(rt).shape) == (2, 3)
    out = tf.keras.layers.Bidirectional(tf.keras.layers.GRU(2, return_sequences=True))(rt)
    assert out.row_lengths().tolist() == [1, 2] and tuple(out.shape) == (2, None, 4)
