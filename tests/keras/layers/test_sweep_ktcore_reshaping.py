"""Reshaping layers against Keras 2's own tests (tf_keras/layers/reshaping/*_test.py)."""

import numpy as np
import pytest

from tork import keras

L = keras.layers


def test_reshape_keeps_the_static_batch_of_an_unknown_size_input():
    # tf_keras reshape_test's test_reshape_set_static_shape: shape [1, 1, 100].
    inp = keras.Input(batch_shape=(1, None))
    out = L.Reshape((1, 100))(inp)
    assert tuple(out.shape) == (1, 1, 100)
    model = keras.Model(inp, out)
    x = np.arange(100, dtype="float32").reshape(1, 100)
    np.testing.assert_array_equal(model(x).numpy(), x.reshape(1, 1, 100))


def test_reshape_of_unknown_size_checks_the_size_at_run_time():
    inp = keras.Input(shape=(None, 3))
    model = keras.Model(inp, L.Reshape((4, 3))(inp))
    assert tuple(model.output_shape) == (None, 4, 3)
    with pytest.raises(ValueError, match="cannot reshape input of shape \\(2, 5, 3\\)"):
        model(np.ones((2, 5, 3), "float32"))
