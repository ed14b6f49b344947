"""Subclasses of built-in merges that override `_merge_function` (machinelearningmastery's
Progressive GAN `WeightedSum(Add)` fade-in layer): Keras calls the override."""

import numpy as np

from tork import keras
from tork.keras import backend as K


class WeightedSum(keras.layers.Add):
    """The tutorial's fade-in layer: `(1 - alpha) * old + alpha * new`, alpha a backend variable."""

    def __init__(self, alpha=0.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = K.variable(alpha, name="ws_alpha")

    def _merge_function(self, inputs):
        return ((1.0 - self.alpha) * inputs[0]) + (self.alpha * inputs[1])


def test_add_subclass_merge_function_is_used_and_follows_set_value():
    a = keras.Input((2, 3))
    b = keras.Input((2, 3))
    ws = WeightedSum(name="ws")
    model = keras.Model([a, b], ws([a, b]))
    rs = np.random.RandomState(0)
    xa = rs.rand(2, 2, 3).astype("float32")
    xb = rs.rand(2, 2, 3).astype("float32")
    # Expected values by the tutorial's formula (tf_keras 2.21 gives the same: before the fix
    # tork ignored the override and returned xa + xb).
    np.testing.assert_allclose(model.predict([xa, xb], verbose=0), xa, rtol=1e-6)
    K.set_value(ws.alpha, 0.75)
    np.testing.assert_allclose(
        model.predict([xa, xb], verbose=0), 0.25 * xa + 0.75 * xb, rtol=1e-6, atol=1e-7
    )


def test_subclass_calling_super_merge_function_gets_builtin_result():
    class HalfSum(keras.layers.Add):
        def _merge_function(self, inputs):
            return 0.5 * super()._merge_function(inputs)

    class DoubledMax(keras.layers.Maximum):
        def _merge_function(self, inputs):
            return 2.0 * super()._merge_function(inputs)

    x = np.array([[1.0, 4.0]], "float32")
    y = np.array([[3.0, 2.0]], "float32")
    np.testing.assert_allclose(np.asarray(HalfSum()([x, y])), [[2.0, 3.0]])
    np.testing.assert_allclose(np.asarray(DoubledMax()([x, y])), [[6.0, 8.0]])


def test_builtin_merges_unchanged():
    x = np.array([[1.0, 4.0]], "float32")
    y = np.array([[3.0, 2.0]], "float32")
    np.testing.assert_allclose(np.asarray(keras.layers.Add()([x, y])), [[4.0, 6.0]])
    np.testing.assert_allclose(np.asarray(keras.layers.Average()([x, y])), [[2.0, 3.0]])
    np.testing.assert_allclose(np.asarray(keras.layers.Concatenate()([x, y])), [[1, 4, 3, 2]])
