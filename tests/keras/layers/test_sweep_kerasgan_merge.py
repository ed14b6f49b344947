"""User merges written as Keras-GAN's `RandomWeightedAverage(_Merge)`: `_merge_function`."""

import numpy as np
import pytest

from tork import keras
from tork.keras.layers.merging import _Merge


class WeightedAverage(_Merge):
    def _merge_function(self, inputs):
        return 0.25 * inputs[0] + 0.75 * inputs[1]


def test_merge_function_override_in_functional_model():
    a = keras.Input(shape=(2, 2, 1))
    b = keras.Input(shape=(2, 2, 1))
    out = WeightedAverage()([a, b])
    assert tuple(out.shape) == (None, 2, 2, 1)
    model = keras.Model([a, b], out)
    x = np.arange(8, dtype="float32").reshape(2, 2, 2, 1)
    y = model.predict([x, 2 * x], verbose=0)
    np.testing.assert_allclose(y, 1.75 * x)


def test_builtin_merge_function_still_available():
    x = np.array([[1.0, 2.0]], "float32")
    out = keras.layers.Add()._merge_function([x, x])
    np.testing.assert_allclose(np.asarray(out), [[2.0, 4.0]])


def test_merge_without_merge_function_says_what_to_define():
    class Empty(_Merge):
        pass

    with pytest.raises(NotImplementedError, match=r"Empty subclasses _Merge but does not define"):
        Empty()([np.ones((1, 2), "float32"), np.ones((1, 2), "float32")])
