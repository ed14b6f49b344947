"""Global pooling against Keras 2's own tests (tf_keras/layers/pooling/global_*_test.py)."""

import pytest

from tork import keras

L = keras.layers


@pytest.mark.parametrize(
    "layer, shape",
    [
        (L.GlobalAveragePooling1D, (None, 0, 2)),
        (L.GlobalMaxPooling1D, (None, 0, 2)),
        (L.GlobalAveragePooling2D, (None, 0, 16, 16)),
        (L.GlobalMaxPooling3D, (None, 0, 16, 16, 3)),
    ],
)
def test_global_pooling_refuses_an_empty_reduction_axis(layer, shape):
    # tf_keras: "Incorrect input shape [None, 0, 2] with dimension 0 at reduction axis 1."
    with pytest.raises(
        ValueError, match="incorrect input shape .* dimension 0 at reduction axis 1"
    ):
        layer(keepdims=True).build(shape)


def test_global_pooling_channels_first_empty_axis_and_nonempty_channels():
    # channels_first: axis 1 holds the channels, which may be anything; axis 2 may not be 0.
    L.GlobalAveragePooling1D(data_format="channels_first").build((None, 0, 3))
    with pytest.raises(ValueError, match="reduction axis 2"):
        L.GlobalAveragePooling1D(data_format="channels_first").build((None, 3, 0))
