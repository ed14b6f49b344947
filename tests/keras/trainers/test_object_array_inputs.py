"""fit on NumPy object arrays: the error says what is in them and how to convert."""

import numpy as np
import pandas as pd
import pytest

from tork import keras


def _model():
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    return model


def test_numbers_in_an_object_array_name_astype():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [True, False, True]})
    assert frame.values.dtype == object  # float beside bool columns
    with pytest.raises(
        TypeError,
        match=r"dtype object holding numbers \(shape \(3, 2\)\).*"
        r"x\.astype\('float32'\)",
    ):
        _model().fit(frame.values, np.ones(3), verbose=0)
    history = _model().fit(frame.values.astype("float32"), np.ones(3), verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_other_python_objects_keep_the_general_message():
    data = np.array([[None, 1.0], [2.0, 3.0]], dtype=object)
    with pytest.raises(TypeError, match="strings or Python objects.*Convert the data to numbers"):
        _model().fit(data, np.ones(2), verbose=0)
