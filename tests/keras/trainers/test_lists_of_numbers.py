"""Python lists of numbers as fit/evaluate/predict data (Keras 2's ListsOfScalars rule)."""

import numpy as np
import pytest

import tork as tf
from tork import keras


def _fitted():
    x = tf.constant([-7.0, -4.0, -1.0, 2.0, 5.0, 8.0, 11.0, 14.0])
    model = keras.Sequential([keras.layers.Dense(1)])
    model.compile(loss="mae", optimizer="sgd")
    model.fit(tf.expand_dims(x, axis=-1), x + 10, epochs=1, verbose=0)
    return model


def test_a_flat_list_is_a_column_of_samples():
    # The ZTM course's first model: `model.predict([17.0])` (tf_keras gives shape (1, 1)).
    model = _fitted()
    kernel, bias = model.get_weights()
    out = model.predict([17.0], verbose=0)
    np.testing.assert_allclose(out, 17.0 * kernel + bias, rtol=1e-6)
    assert model.predict([17.0, 3.0], verbose=0).shape == (2, 1)
    assert model.predict([[17.0]], verbose=0).shape == (1, 1)


def test_lists_train_as_columns_too():
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(1,))])
    model.compile(loss="mse", optimizer="sgd")
    history = model.fit([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0], epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_a_numpy_vector_is_not_reshaped():
    # tf_keras too: a (1,) array is one sample of rank 1, which Dense refuses.
    with pytest.raises(ValueError, match="expected rank >= 2"):
        _fitted().predict(np.array([17.0]), verbose=0)
