"""Errors for user mistakes found by the second errors sweep: losses."""

import numpy as np
import pytest

from tork import keras


def test_string_sample_weight_in_fit_is_a_clear_error():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = np.ones((8, 3), "float32"), np.ones((8, 1), "float32")
    with pytest.raises(TypeError, match=r"sample_weight must be numbers, got StringTensor"):
        model.fit(x, y, sample_weight=np.array(["1"] * 8), verbose=0)


def test_numeric_sample_weight_still_weighs_the_loss():
    loss = keras.losses.MeanSquaredError()
    # per-sample losses 1 and 4; weights 1 and 0; mean over the batch of 2 -> 0.5
    value = loss(np.array([[1.0], [2.0]]), np.zeros((2, 1)), sample_weight=[1.0, 0.0])
    assert float(value) == pytest.approx(0.5)
