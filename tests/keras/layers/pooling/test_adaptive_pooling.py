"""Adaptive pooling layers against a NumPy reference of the window rule and Keras 3.15 values."""

import math

import numpy as np
import pytest

import tork as tf
from tork import keras


def _reference(x, output_size, mode):
    """Channels-last adaptive pooling by the definition: cell i covers floor(i*n/m)..ceil((i+1)*n/m)."""
    spatial = x.shape[1:-1]
    out = np.zeros((x.shape[0], *output_size, x.shape[-1]), x.dtype)
    reduce = np.max if mode == "max" else np.mean
    for cell in np.ndindex(*output_size):
        window = tuple(
            slice(math.floor(i * n / m), math.ceil((i + 1) * n / m))
            for i, n, m in zip(cell, spatial, output_size)
        )
        out[(slice(None), *cell)] = reduce(
            x[(slice(None), *window)], axis=tuple(range(1, len(spatial) + 1))
        )
    return out


@pytest.mark.parametrize("mode", ["average", "max"])
@pytest.mark.parametrize(
    "shape, output_size",
    [
        ((2, 10, 3), (4,)),
        ((2, 5, 7, 3), (2, 3)),
        ((1, 4, 6, 5, 2), (3, 2, 4)),
        ((1, 3, 3, 1), (5, 4)),
    ],
)
def test_matches_the_window_definition(mode, shape, output_size):
    rank = len(output_size)
    name = f"Adaptive{'Average' if mode == 'average' else 'Max'}Pooling{rank}D"
    x = np.random.RandomState(rank).randn(*shape).astype("float32")
    layer = getattr(keras.layers, name)(output_size)
    np.testing.assert_allclose(
        layer(x).numpy(), _reference(x, output_size, mode), rtol=1e-6, atol=1e-6
    )
    assert layer.compute_output_shape(shape) == (shape[0], *output_size, shape[-1])
    first = getattr(keras.layers, name)(output_size, data_format="channels_first")
    moved = np.moveaxis(x, -1, 1)
    np.testing.assert_allclose(
        first(moved).numpy(),
        np.moveaxis(_reference(x, output_size, mode), -1, 1),
        rtol=1e-6,
        atol=1e-6,
    )


def test_values_printed_by_keras():
    x = np.random.RandomState(0).randn(1, 5, 7, 2).astype("float32")
    np.testing.assert_allclose(
        keras.layers.AdaptiveAveragePooling2D((2, 3))(x).numpy()[0, :, :, 1],
        [[0.089435, -0.253638, -0.101901], [0.19301, -0.239781, -0.085821]],
        atol=1e-6,
    )
    np.testing.assert_allclose(
        keras.layers.AdaptiveMaxPooling2D((3, 2))(x).numpy()[0, :, :, 0],
        [[1.867558, 2.269755], [1.532779, 2.269755], [0.066517, 0.177426]],
        atol=1e-6,
    )
    squares = (np.arange(10, dtype="float32") ** 2).reshape(1, 10, 1)
    np.testing.assert_allclose(
        keras.layers.AdaptiveAveragePooling1D(4)(squares).numpy()[0, :, 0],
        [1.666667, 9.666667, 36.666668, 64.666664],
        rtol=1e-6,
    )


def test_config_round_trip_and_functional_use():
    layer = keras.layers.AdaptiveMaxPooling2D((2, 3), name="pool")
    config = layer.get_config()
    assert config["output_size"] == (2, 3) and config["data_format"] == "channels_last"
    assert keras.layers.AdaptiveMaxPooling2D.from_config(config).output_size == (2, 3)
    inputs = keras.Input((9, 9, 4))
    outputs = keras.layers.AdaptiveAveragePooling2D(3)(inputs)
    assert tuple(outputs.shape) == (None, 3, 3, 4)
    model = keras.Model(inputs, outputs)
    assert model(tf.ones((2, 9, 9, 4))).shape == (2, 3, 3, 4)


def test_gradient_of_average_pooling_spreads_over_the_window():
    x = tf.Variable(np.ones((1, 4, 1), "float32"))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(keras.layers.AdaptiveAveragePooling1D(3)(x))
    # Windows [0,1], [1,2], [2,3]: the middle cells are in two windows of 2.
    np.testing.assert_allclose(tape.gradient(y, x).numpy()[0, :, 0], [0.5, 1.0, 1.0, 0.5])


def test_bad_arguments_and_inputs():
    with pytest.raises(TypeError, match=r"must be an integer or \(height, width\) tuple"):
        keras.layers.AdaptiveAveragePooling2D((2, 2, 2))
    with pytest.raises(ValueError, match="must be a positive integer, got 0"):
        keras.layers.AdaptiveMaxPooling1D(0)
    with pytest.raises(ValueError, match=r"expects 4D input.*\(2, 3, 4\)"):
        keras.layers.AdaptiveAveragePooling2D(2)(np.ones((2, 3, 4), "float32"))
