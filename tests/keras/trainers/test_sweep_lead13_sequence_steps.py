"""A Sequence shorter than `steps`: predict/evaluate stop with Keras 2's warning; fit restarts it."""

import numpy as np
import pytest

from tork import keras


class _Three(keras.utils.Sequence):
    def __len__(self):
        return 3

    def __getitem__(self, i):
        return np.full((4, 2), i, "float32"), np.full((4, 1), i, "float32")


def _model():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.set_weights([np.array([[1.0], [2.0]], "float32"), np.zeros(1, "float32")])
    model.compile("sgd", "mse")
    return model


def test_predict_and_evaluate_stop_at_the_end_of_a_sequence():
    model = _model()
    # tf_keras 2.21: 12 rows (3 batches of 4) and the ran-out warning; tork used to restart
    # the Sequence and return 20 rows.
    with pytest.warns(UserWarning, match="Your input ran out of data"):
        out = model.predict(_Three(), steps=5, verbose=0)
    np.testing.assert_allclose(out[:, 0], np.repeat([0.0, 3.0, 6.0], 4))
    with pytest.warns(UserWarning, match="Your input ran out of data"):
        loss = model.evaluate(_Three(), steps=5, verbose=0)
    # Batches i = 0, 1, 2: prediction 3i, target i: mean of (2i)**2 = (0 + 4 + 16) / 3.
    np.testing.assert_allclose(loss, 20.0 / 3.0, rtol=1e-6)


def test_fit_restarts_a_sequence_for_steps_per_epoch():
    model = _model()
    history = model.fit(_Three(), steps_per_epoch=5, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
