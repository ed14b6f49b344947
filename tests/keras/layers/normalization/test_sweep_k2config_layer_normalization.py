"""LayerNormalization's `axis` config before and after build, as tf_keras 2.21 gives it."""

import numpy as np
import pytest

from tork import keras


@pytest.mark.parametrize(
    "axis, before, after",
    # tf_keras 2.21, on inputs of shape (2, 3, 4).
    [(-1, -1, [2]), (1, 1, [1]), ([1, 2], [1, 2], [1, 2]), ((-2, -1), [-2, -1], [1, 2])],
)
def test_axis_config_before_and_after_build(axis, before, after):
    layer = keras.layers.LayerNormalization(axis=axis)
    assert layer.get_config()["axis"] == before
    x = np.arange(24, dtype="float32").reshape(2, 3, 4)
    y = layer(x).numpy()
    assert layer.get_config()["axis"] == after and layer.axis == after
    axes = tuple(after)
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-5, atol=1e-5)
    # The built layer keeps working, and its config rebuilds the same layer.
    np.testing.assert_allclose(layer(x).numpy(), y, rtol=1e-6)
    clone = keras.layers.LayerNormalization.from_config(layer.get_config())
    np.testing.assert_allclose(clone(x).numpy(), y, rtol=1e-6)


def test_functional_config_holds_the_built_axis():
    inputs = keras.Input((3, 4))
    model = keras.Model(inputs, keras.layers.LayerNormalization()(inputs))
    assert model.get_config()["layers"][1]["config"]["axis"] == [2]
