"""A mask reaching an RNN with RaggedTensor inputs is refused, as tf_keras 2.21 does.

tf_keras: `Embedding(mask_zero=True)` on ragged ids gives a ragged mask
(`[[True, True], [True], [True, True, True]]` for `[[1, 2], [3], [4, 5, 6]]`), and an RNN
called on ragged inputs with a mask raises ValueError "The mask that was passed in was ...,
which cannot be applied to RaggedTensor inputs. Please make sure that there is no mask
injected by upstream layers." (eagerly and when building a functional model).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

_MESSAGE = "cannot be applied to RaggedTensor inputs. Please make sure that there is no mask"


def _ids():
    return tf.ragged.constant([[1, 2], [3], [4, 5, 6]])


def test_embedding_gives_ragged_mask():
    out = keras.layers.Embedding(10, 3, mask_zero=True)(tf.ragged.constant([[1, 0], [3]]))
    mask = out._keras_mask
    assert isinstance(mask, tf.RaggedTensor)
    assert mask.to_list() == [[True, False], [True]]
    assert getattr(keras.layers.Embedding(10, 3)(_ids()), "_keras_mask", None) is None


@pytest.mark.parametrize("rnn", ["LSTM", "GRU", "SimpleRNN"])
def test_functional_model_refuses_mask(rnn):
    inp = keras.Input(shape=(None,), ragged=True, dtype="int32")
    x = keras.layers.Embedding(10, 3, mask_zero=True)(inp)
    with pytest.raises(ValueError, match=_MESSAGE) as info:
        getattr(keras.layers, rnn)(2)(x)
    assert "drop `mask_zero=True` from the Embedding" in str(info.value)


def test_bidirectional_refuses_mask():
    inp = keras.Input(shape=(None,), ragged=True, dtype="int32")
    x = keras.layers.Embedding(10, 3, mask_zero=True)(inp)
    with pytest.raises(ValueError, match=_MESSAGE):
        keras.layers.Bidirectional(keras.layers.LSTM(2))(x)


def test_eager_and_explicit_masks_are_refused():
    x = keras.layers.Embedding(10, 3, mask_zero=True)(_ids())
    with pytest.raises(ValueError, match=_MESSAGE):
        keras.layers.LSTM(2)(x)
    seq = tf.ragged.constant([[[1.0], [2.0]], [[3.0]]], ragged_rank=1)
    with pytest.raises(ValueError, match=_MESSAGE):
        keras.layers.LSTM(2)(seq, mask=tf.ragged.constant([[True, True], [True]]))


def test_without_mask_ragged_rnn_still_runs():
    inp = keras.Input(shape=(None,), ragged=True, dtype="int32")
    x = keras.layers.Embedding(10, 3)(inp)
    model = keras.Model(inp, keras.layers.LSTM(2)(x))
    assert tuple(model(_ids()).shape) == (3, 2)
    # Pooling over a masked ragged embedding works in tf_keras too (output (3, 3)).
    inp = keras.Input(shape=(None,), ragged=True, dtype="int32")
    x = keras.layers.Embedding(10, 3, mask_zero=True)(inp)
    model = keras.Model(inp, keras.layers.GlobalAveragePooling1D()(x))
    assert np.asarray(model(_ids())).shape == (3, 3)
