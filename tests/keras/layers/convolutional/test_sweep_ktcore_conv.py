"""Conv1D/2D/3D on inputs with extra batch axes, as tf_keras's conv_test
(_run_test_extra_batch_dim). Expected values from tf_keras 2.x on the same inputs."""

import numpy as np
import pytest

from tork import keras

L = keras.layers


def test_conv1d_with_two_batch_axes():
    x = np.arange(16, dtype="float32").reshape(2, 2, 4, 1)
    layer = L.Conv1D(2, 3, kernel_initializer="ones", bias_initializer="ones")
    expected = [
        [[[4.0, 4.0], [7.0, 7.0]], [[16.0, 16.0], [19.0, 19.0]]],
        [[[28.0, 28.0], [31.0, 31.0]], [[40.0, 40.0], [43.0, 43.0]]],
    ]
    np.testing.assert_allclose(layer(x).numpy(), expected)
    assert tuple(layer.kernel.shape) == (3, 1, 2)
    assert tuple(layer.compute_output_shape((None, 5, 4, 1))) == (None, 5, 2, 2)


def test_conv1d_with_extra_batch_axis_in_a_functional_model():
    inp = keras.Input((3, 6, 2))
    out = L.Conv1D(4, 3, strides=2, padding="same")(inp)
    assert tuple(out.shape) == (None, 3, 3, 4)  # tf_keras
    model = keras.Model(inp, out)
    assert tuple(model(np.ones((2, 3, 6, 2), "float32")).shape) == (2, 3, 3, 4)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_conv2d_with_extra_batch_axis(data_format):
    if data_format == "channels_last":
        x = np.arange(18, dtype="float32").reshape(1, 2, 3, 3, 1)
        expected = [[[[[8.0], [12.0]], [[20.0], [24.0]]], [[[44.0], [48.0]], [[56.0], [60.0]]]]]
    else:
        x = np.arange(18, dtype="float32").reshape(1, 2, 1, 3, 3)
        expected = [[[[[8.0, 12.0], [20.0, 24.0]]], [[[44.0, 48.0], [56.0, 60.0]]]]]
    layer = L.Conv2D(1, 2, kernel_initializer="ones", data_format=data_format)
    np.testing.assert_allclose(layer(x).numpy(), expected)
    assert tuple(layer.kernel.shape) == (2, 2, 1, 1)


def test_conv_transpose_still_needs_its_rank():
    # tf_keras's Conv2DTranspose refuses extra batch axes ("Inputs should have rank 4").
    with pytest.raises(ValueError, match="expects 4D input"):
        L.Conv2DTranspose(2, 3)(np.ones((2, 3, 5, 5, 1), "float32"))
