"""Empty evaluation data (keras.io "Timeseries forecasting for weather prediction" with a
validation split too short for one window: `timeseries_dataset_from_array` gives 0 batches).

tf_keras 2.21 raises `ValueError: Expected input data to be non-empty.` from fit (when it
validates) and from evaluate, unless `steps`/`validation_steps` were given; tork used to
skip validation silently (no val_* in the history; EarlyStopping/ModelCheckpoint on val_loss
only warned) and evaluate returned [].
"""

import numpy as np
import pytest

import tork as tf
from tork import keras


def _model():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


def _xy(n):
    return np.ones((n, 2), "float32"), np.ones((n, 1), "float32")


def test_fit_with_empty_validation_dataset_raises():
    x, y = _xy(8)
    val = tf.data.Dataset.from_tensor_slices(_xy(0)).batch(4)
    with pytest.raises(ValueError, match="Expected input data to be non-empty"):
        _model().fit(x, y, epochs=1, verbose=0, validation_data=val)


def test_fit_with_empty_validation_arrays_raises():
    x, y = _xy(8)
    with pytest.raises(ValueError, match=r"evaluate\(\) received no data"):
        _model().fit(x, y, epochs=1, verbose=0, validation_data=_xy(0))


def test_evaluate_empty_dataset_raises():
    with pytest.raises(ValueError, match="Expected input data to be non-empty"):
        _model().evaluate(tf.data.Dataset.from_tensor_slices(_xy(0)).batch(4), verbose=0)


def test_evaluate_with_steps_on_empty_data_returns_nothing():
    # tf_keras 2.21: evaluate(empty, steps=2) returns [] (it ran out of data).
    data = tf.data.Dataset.from_tensor_slices(_xy(8)).map(lambda a, b: (a, b)).take(0).batch(4)
    with pytest.warns(UserWarning, match="ran out of data"):
        assert _model().evaluate(data, steps=2, verbose=0) == []
