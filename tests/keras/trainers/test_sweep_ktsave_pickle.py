"""Compiled and trained models pickle (tf_keras pickle_utils_test.py behaviour).

tf_keras 2.21 pickles built Sequential and functional models at every protocol; the
copy predicts the same and keeps training (checked there with the same script).
"""

import copy
import pickle

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _models():
    seq = keras.Sequential(
        [
            keras.layers.Dense(2, activation="relu", input_shape=(3,)),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(2, activation="relu")(inputs)
    func = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(hidden))
    return [seq, func]


def _pickle_round_trip(model, protocol):
    return pickle.loads(pickle.dumps(model, protocol=protocol))


@pytest.mark.parametrize("protocol", [None, *range(pickle.HIGHEST_PROTOCOL + 1)])
def test_trained_models_round_trip_and_keep_training(protocol):
    # protocol None: copy.deepcopy.
    rng = np.random.default_rng(0)
    x = rng.random((10, 3)).astype("float32")
    y = rng.integers(0, 2, (10,))
    for model in _models():
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        model.fit(x, y, verbose=0)
        before = model.predict(x, verbose=0)
        clone = copy.deepcopy(model) if protocol is None else _pickle_round_trip(model, protocol)
        np.testing.assert_allclose(clone.predict(x, verbose=0), before, rtol=1e-6)
        clone.fit(x, y, verbose=0)
        assert not np.allclose(clone.predict(x, verbose=0), before)
        np.testing.assert_allclose(model.predict(x, verbose=0), before)
