"""Rank errors of recurrent layers start with tf_keras 2.21's sentence, then tork's hint.

Expected sentences printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) for the same calls.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
L = keras.layers


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: L.LSTM(2, name="l"), "l"),
        (lambda: L.GRU(2, name="g"), "g"),
        (lambda: L.SimpleRNN(2, name="s"), "s"),
    ],
)
def test_rnn_rank2_keras_sentence_then_hint(make, name):
    layer = make()
    with pytest.raises(ValueError) as info:
        layer(keras.Input((5,)))
    text = str(info.value)
    assert text.startswith(
        f'Input 0 of layer "{name}" is incompatible with the layer: expected ndim=3, '
        "found ndim=2. Full shape received: (None, 5). "
    )
    assert f"{type(layer).__name__} layer '{name}' expects a 3D input" in text
    assert "keras.layers.Reshape((5, 1))" in text


def test_lstm_rank4_keras_sentence():
    with pytest.raises(
        ValueError,
        match=r'^Input 0 of layer "l4" is incompatible with the layer: expected ndim=3, '
        r"found ndim=4\. Full shape received: \(None, 5, 3, 2\)\. LSTM layer 'l4' .*"
        r"Flatten the extra axes",
    ):
        L.LSTM(2, name="l4")(keras.Input((5, 3, 2)))


def test_lstm_eager_keras_sentence():
    with pytest.raises(
        ValueError,
        match=r'^Input 0 of layer "le" is incompatible with the layer: expected ndim=3, '
        r"found ndim=2\. Full shape received: \(2, 5\)\. LSTM layer 'le'",
    ):
        L.LSTM(2, name="le")(np.zeros((2, 5), "float32"))


def test_sequential_input_shape_shows_none_batch():
    with pytest.raises(
        ValueError,
        match=r'^Input 0 of layer "q" is incompatible with the layer: expected ndim=3, '
        r"found ndim=2\. Full shape received: \(None, 5\)\.",
    ):
        keras.Sequential([L.LSTM(2, input_shape=(5,), name="q")])


def test_bidirectional_names_the_wrapper():
    # tf_keras: the wrapper's input spec fails first, so its sentence names "bi".
    with pytest.raises(
        ValueError,
        match=r'^Input 0 of layer "bi" is incompatible with the layer: expected ndim=3, '
        r"found ndim=2\. Full shape received: \(None, 5\)\. LSTM layer 'forward_inner24' in "
        r"Bidirectional\.call",
    ):
        L.Bidirectional(L.LSTM(2, name="inner24"), name="bi")(keras.Input((5,)))


def test_conv_lstm_keras_sentence():
    with pytest.raises(
        ValueError,
        match=r'^Input 0 of layer "cl" is incompatible with the layer: expected ndim=5, '
        r"found ndim=4\. Full shape received: \(None, 5, 8, 8\)\. ConvLSTM2D layer 'cl' "
        r"expects a 5D input",
    ):
        L.ConvLSTM2D(2, 3, name="cl")(keras.Input((5, 8, 8)))


def test_conv_lstm_sequential_shows_none_batch():
    with pytest.raises(
        ValueError,
        match=r"Full shape received: \(None, 5, 8, 8\)\. ConvLSTM2D layer 'q3'",
    ):
        keras.Sequential([L.ConvLSTM2D(2, 3, input_shape=(5, 8, 8), name="q3")])
