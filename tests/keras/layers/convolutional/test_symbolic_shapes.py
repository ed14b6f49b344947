"""Convolutions called on `keras.Input` infer their output shape by arithmetic (no convolution
on fake tensors); the reference is the shape of the same layer's output on real data."""

from __future__ import annotations

import numpy as np
import pytest

from tork import keras

CASES = [
    (keras.layers.Conv2D, dict(filters=4, kernel_size=3), (9, 7, 3)),
    (keras.layers.Conv2D, dict(filters=4, kernel_size=3, strides=2, padding="same"), (9, 7, 3)),
    (keras.layers.Conv2D, dict(filters=2, kernel_size=(2, 3), dilation_rate=2), (9, 8, 3)),
    (keras.layers.Conv2D, dict(filters=4, kernel_size=3, data_format="channels_first"), (3, 9, 7)),
    (keras.layers.Conv2D, dict(filters=6, kernel_size=3, groups=3, activation="relu"), (9, 7, 6)),
    (keras.layers.Conv1D, dict(filters=5, kernel_size=4, padding="causal", strides=3), (11, 2)),
    (keras.layers.Conv3D, dict(filters=2, kernel_size=2, strides=(1, 2, 2)), (5, 6, 7, 1)),
    (keras.layers.DepthwiseConv2D, dict(kernel_size=3, depth_multiplier=2), (9, 7, 3)),
    (keras.layers.DepthwiseConv2D, dict(kernel_size=3, strides=2, padding="same"), (9, 7, 3)),
    (keras.layers.SeparableConv2D, dict(filters=5, kernel_size=3, depth_multiplier=2), (9, 7, 3)),
    (keras.layers.SeparableConv1D, dict(filters=4, kernel_size=3, padding="same"), (10, 2)),
    (keras.layers.Conv2DTranspose, dict(filters=4, kernel_size=3, strides=2), (5, 6, 3)),
    (
        keras.layers.Conv2DTranspose,
        dict(filters=2, kernel_size=4, strides=2, padding="same", output_padding=1),
        (5, 6, 3),
    ),
    (keras.layers.Conv1DTranspose, dict(filters=3, kernel_size=2, dilation_rate=2), (7, 2)),
    (keras.layers.Conv3DTranspose, dict(filters=2, kernel_size=2, strides=2), (3, 4, 2, 1)),
]


@pytest.mark.parametrize(("cls", "kwargs", "shape"), CASES)
def test_symbolic_shape_equals_the_real_output_shape(cls, kwargs, shape):
    layer = cls(**kwargs)
    symbolic = layer(keras.Input(shape))
    real = layer(np.zeros((2, *shape), np.float32))
    assert symbolic.shape == (None, *real.shape[1:])
    assert symbolic.dtype == real.dtype


def test_impossible_shapes_still_get_the_clear_errors():
    with pytest.raises(ValueError, match=r"smaller than the kernel with padding='valid'"):
        keras.layers.Conv2D(4, 3)(keras.Input((2, 2, 3)))
    layer = keras.layers.Conv2D(4, 3)
    layer(keras.Input((8, 8, 3)))
    # The message shows the declared shape, not the stand-in batch size of shape inference.
    with pytest.raises(ValueError, match=r"3 channels, but got input of shape \(None, 8, 8, 5\)"):
        layer(keras.Input((8, 8, 5)))
