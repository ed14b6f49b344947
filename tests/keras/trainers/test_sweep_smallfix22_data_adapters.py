"""Object-dtype NumPy inputs to fit/evaluate/predict raise TF's ValueError (also a TypeError).

tf_keras 2.21: fit/predict on np.array([[True, 1.5], ...], dtype=object) raise
ValueError "Failed to convert a NumPy array to a Tensor (Unsupported object type bool)".
"""

import numpy as np
import pandas as pd
import pytest

from tork import keras


def _model():
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    return model


def _mixed_frame_values():
    frame = pd.DataFrame({"a": [1.5, 2.0, 0.5, 1.0], "b": [True, False, True, False]})
    values = frame.values
    assert values.dtype == object  # float beside bool columns
    return values


@pytest.mark.parametrize("error", [ValueError, TypeError])
def test_object_array_of_numbers_is_value_and_type_error(error):
    x = _mixed_frame_values()
    pattern = (
        r"Failed to convert a NumPy array to a Tensor: .*dtype object holding numbers "
        r"\(shape \(4, 2\)\).*x\.astype\('float32'\)"
    )
    with pytest.raises(error, match=pattern):
        _model().fit(x, np.ones(4), verbose=0)
    with pytest.raises(error, match=pattern):
        _model().predict(x, verbose=0)
    with pytest.raises(error, match=r"holding numbers \(shape \(4,\)\)"):
        _model().fit(np.ones((4, 2), "float32"), np.ones(4).astype(object), verbose=0)


def test_object_array_of_other_objects_is_value_and_type_error():
    data = np.array([[None, 1.0], [2.0, 3.0]], dtype=object)
    with pytest.raises(ValueError, match="strings or Python objects") as info:
        _model().fit(data, np.ones(2), verbose=0)
    assert isinstance(info.value, TypeError)
