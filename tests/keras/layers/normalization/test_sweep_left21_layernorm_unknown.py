"""LayerNormalization over an axis of unknown size, as tf_keras 2.21.

With weights (the default) the axis size must be known: tf_keras fails at build, tork says
which axis. Without weights (center=False, scale=False) tf_keras builds and normalizes
inputs of any size: tf_keras gives [-1.2238, 0.0, 1.2238] for the first row below.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def test_weightless_layer_norm_on_an_unknown_axis():
    inp = keras.Input((4, None))
    out = keras.layers.LayerNormalization(center=False, scale=False)(inp)
    assert tuple(out.shape) == (None, 4, None)
    model = keras.Model(inp, out)
    y = model(np.arange(12, dtype="float32").reshape(1, 4, 3))
    np.testing.assert_allclose(np.asarray(y)[0, 0], [-1.2238, 0.0, 1.2238], atol=1e-4)
    x = np.random.RandomState(0).rand(2, 4, 5).astype("float32")
    expected = (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + 1e-3)
    np.testing.assert_allclose(np.asarray(model(x)), expected, rtol=1e-4, atol=1e-5)


def test_weightless_layer_norm_on_an_unknown_middle_axis():
    layer = keras.layers.LayerNormalization(axis=1, center=False, scale=False)
    model = keras.Model(inp := keras.Input((None, 3)), layer(inp))
    for steps in (2, 5):
        x = np.random.RandomState(steps).rand(2, steps, 3).astype("float32")
        expected = (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + 1e-3)
        np.testing.assert_allclose(np.asarray(model(x)), expected, rtol=1e-4, atol=1e-5)


def test_layer_norm_with_weights_needs_the_size():
    with pytest.raises(ValueError, match=r"size of axis \[2\] must be known"):
        keras.layers.LayerNormalization()(keras.Input((4, None)))
