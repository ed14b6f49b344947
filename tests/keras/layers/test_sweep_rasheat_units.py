"""Float layer sizes, as layer-size searches write them (`Dense(count * shrink)`).

Keras 2 (tf_keras 2.21) truncates a float `units` of Dense and a float `filters` of the
convolution layers to an int: `Dense(7.9).units == 7`, `Conv2D(7.9, 3).filters == 7`
(values checked with tf_keras 2.21). Sizes below 1 are still refused.
"""

import numpy as np
import pytest

import tork as tf
from tork.keras import layers


@pytest.mark.parametrize("units", [7.0, 7.9])
def test_dense_truncates_float_units(units):
    layer = layers.Dense(units)
    assert layer.units == 7 and type(layer.units) is int
    out = layer(np.zeros((2, 3), "float32"))
    assert tuple(out.shape) == (2, 7)
    assert tuple(layer.kernel.shape) == (3, 7)
    assert layer.get_config()["units"] == 7


@pytest.mark.parametrize(
    "make, shape, out_shape",
    [
        (lambda f: layers.Conv1D(f, 3), (1, 8, 2), (1, 6, 7)),
        (lambda f: layers.Conv2D(f, 3), (1, 5, 5, 2), (1, 3, 3, 7)),
        (lambda f: layers.Conv2DTranspose(f, 3), (1, 4, 4, 2), (1, 6, 6, 7)),
        (lambda f: layers.SeparableConv2D(f, 3), (1, 5, 5, 2), (1, 3, 3, 7)),
    ],
)
def test_conv_truncates_float_filters(make, shape, out_shape):
    layer = make(7.9)
    assert layer.filters == 7 and type(layer.filters) is int
    out = layer(np.zeros(shape, "float32"))
    assert tuple(out.shape) == out_shape
    assert layer.get_config()["filters"] == 7


def test_sizes_below_one_still_raise():
    with pytest.raises(ValueError, match=r"Dense\(units=\.\.\.\) must be a positive integer"):
        layers.Dense(0.5)
    with pytest.raises(ValueError, match=r"Conv2D\(filters=\.\.\.\) must be a positive integer"):
        layers.Conv2D(0.5, 3)


def test_shrinking_layer_search_builds():
    # The layer-size search of Heaton's course: each hidden layer is a fraction of the last.
    model = tf.keras.Sequential()
    count, shrink, layer = 100, 0.5, 0
    while count > 25 and layer < 10:
        model.add(layers.Dense(count, activation="relu"))
        layer += 1
        count = count * shrink
    model.add(layers.Dense(3, activation="softmax"))
    model.build((None, 6))
    assert [w.shape[-1] for w in model.get_weights()[::2]] == [100, 50, 3]
    assert model.count_params() == (6 * 100 + 100) + (100 * 50 + 50) + (50 * 3 + 3)
