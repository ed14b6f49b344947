"""A ragged mask (Embedding(mask_zero=True) on ragged ids) travels through masking layers
as a dense one does (tf_keras 2.21), so the RNN refuses it and pooling honours it."""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

RNN_ERROR = "the mask that was passed in cannot be applied to RaggedTensor inputs"


def _ids():
    return tf.ragged.constant([[1, 2, 0], [3]], dtype="int64")


def test_ragged_mask_survives_dense():
    x = keras.layers.Embedding(10, 4, mask_zero=True)(_ids())
    out = keras.layers.Dense(3)(x)
    assert isinstance(out, tf.RaggedTensor)
    assert out._keras_mask.to_list() == [[True, True, False], [True]]  # tf_keras 2.21


def test_rnn_refuses_ragged_mask_after_dense_eager():
    x = keras.layers.Dense(3)(keras.layers.Embedding(10, 4, mask_zero=True)(_ids()))
    with pytest.raises(ValueError, match=RNN_ERROR):
        keras.layers.LSTM(2)(x)


def test_rnn_refuses_ragged_mask_after_dense_functional():
    # tf_keras 2.21 raises ValueError while building this model.
    inp = keras.Input(shape=(None,), dtype="int64", ragged=True)
    x = keras.layers.Embedding(10, 4, mask_zero=True)(inp)
    x = keras.layers.Dense(3)(x)
    with pytest.raises(ValueError, match=RNN_ERROR):
        keras.layers.LSTM(2)(x)


def test_rnn_on_ragged_without_mask_still_runs():
    inp = keras.Input(shape=(None,), dtype="int64", ragged=True)
    x = keras.layers.Dense(3)(keras.layers.Embedding(10, 4)(inp))
    out = keras.layers.LSTM(2)(x)
    assert tuple(out.shape) == (None, 2)
    assert tuple(keras.Model(inp, out)(_ids()).shape) == (2, 2)


def _embedded():
    emb = keras.layers.Embedding(10, 2, mask_zero=True)
    emb.build((None, None))
    emb.set_weights([np.arange(20, dtype="float32").reshape(10, 2)])
    return emb(_ids())


def test_global_average_pooling_averages_unmasked_ragged_steps():
    # tf_keras 2.21: row [1, 2, 0] averages only ids 1 and 2.
    out = keras.layers.GlobalAveragePooling1D()(_embedded())
    np.testing.assert_allclose(np.asarray(out), [[3.0, 4.0], [6.0, 7.0]])


def test_global_max_pooling_on_masked_ragged():
    out = keras.layers.GlobalMaxPooling1D()(_embedded())
    np.testing.assert_allclose(np.asarray(out), [[4.0, 5.0], [6.0, 7.0]])  # tf_keras 2.21


def test_global_average_pooling_ragged_mask_in_functional_model():
    inp = keras.Input(shape=(None,), dtype="int64", ragged=True)
    emb = keras.layers.Embedding(10, 2, mask_zero=True)
    out = keras.layers.GlobalAveragePooling1D()(emb(inp))
    model = keras.Model(inp, out)
    emb.set_weights([np.arange(20, dtype="float32").reshape(10, 2)])
    np.testing.assert_allclose(np.asarray(model(_ids())), [[3.0, 4.0], [6.0, 7.0]])
