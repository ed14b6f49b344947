"""Input-shape errors of functional models on the DeepLearning.AI course mistakes."""

import numpy as np
import pytest

from tork import keras


def _flatten_model():
    # C1W2/C1W3: images of 28x28 flattened inside the model.
    inputs = keras.Input(shape=(28, 28))
    outputs = keras.layers.Dense(10)(keras.layers.Flatten()(inputs))
    return keras.Model(inputs, outputs)


def test_flattened_data_is_not_called_unbatched():
    model = _flatten_model()
    with pytest.raises(ValueError) as info:
        model.predict(np.ones((2, 784), "float32"), verbose=0)
    message = str(info.value)
    # tf_keras 2.21 also refuses this data (ValueError, "expected shape=(None, 28, 28),
    # found shape=(None, 784)"); the hint must not claim a missing batch axis.
    assert "expects shape (None, 28, 28)" in message
    assert "received shape (2, 784)" in message
    assert "unbatched" not in message
    assert "Check which array is passed, or change keras.Input(shape=...)." in message


def test_one_sample_is_called_unbatched():
    model = _flatten_model()
    with pytest.raises(ValueError, match=r"received shape \(28, 28\)\. The input looks unbatched"):
        model(np.ones((28, 28), "float32"))


def test_matching_data_runs():
    model = _flatten_model()
    assert model.predict(np.ones((3, 28, 28), "float32"), verbose=0).shape == (3, 10)
