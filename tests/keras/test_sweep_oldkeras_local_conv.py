"""`K.local_conv1d` / `K.local_conv2d`: Keras 2's unshared-weights convolutions.

The Keras 2 example cifar10_cnn_capsule.py computes a capsule layer's predictions
with `K.local_conv1d(inputs, kernel, [1], [1])` when weights are not shared.
"""

import numpy as np
import pytest

from tork import keras
from tork.keras import backend as K


def _numpy_local_conv(x, kernel, kernel_size, strides, out_shape, channels_first):
    """Reference: each output position multiplies its flattened window by its own matrix."""
    nd = len(kernel_size)
    first = 2 if channels_first else 1
    batch, filters = x.shape[0], kernel.shape[-1]
    out = np.zeros((batch, *out_shape, filters), np.float64)
    for p, pos in enumerate(np.ndindex(*out_shape)):
        index = [slice(None)] * x.ndim
        for d in range(nd):
            index[first + d] = slice(pos[d] * strides[d], pos[d] * strides[d] + kernel_size[d])
        window = x[tuple(index)].reshape(batch, -1)
        out[(slice(None), *pos)] = window @ kernel[p]
    if channels_first:
        out = np.moveaxis(out, -1, 1)
    return out


def test_local_conv1d_channels_last_matches_numpy_and_tf():
    x = np.arange(2 * 5 * 3, dtype="float32").reshape(2, 5, 3) / 10 - 1
    k = np.cos(np.arange(2 * 6 * 4, dtype="float32")).reshape(2, 6, 4)
    got = np.asarray(K.local_conv1d(x, k, (2,), (2,)))
    assert got.shape == (2, 2, 4)
    np.testing.assert_allclose(got, _numpy_local_conv(x, k, (2,), (2,), (2,), False), atol=1e-5)
    # tf_keras 2.21 K.local_conv1d on the same data
    np.testing.assert_allclose(got[0, 0], [-0.5154638, -0.2629441, 0.2313251, 0.5129151], atol=1e-5)
    np.testing.assert_allclose(got[1, 1], [0.8161529, 0.6064802, -0.1607878, -0.7802282], atol=1e-5)


def test_local_conv1d_channels_first():
    x = np.arange(2 * 5 * 3, dtype="float32").reshape(2, 5, 3) / 10 - 1
    xcf = np.transpose(x, (0, 2, 1)).copy()
    k = np.cos(np.arange(2 * 6 * 4, dtype="float32")).reshape(2, 6, 4)
    got = np.asarray(K.local_conv1d(xcf, k, (2,), (2,), data_format="channels_first"))
    assert got.shape == (2, 4, 2)
    np.testing.assert_allclose(got, _numpy_local_conv(xcf, k, (2,), (2,), (2,), True), atol=1e-5)
    np.testing.assert_allclose(
        got[0, :, 0], [-0.3557252, 0.0306786, 0.3888767, 0.3895434], atol=1e-5
    )


@pytest.mark.parametrize("channels_first", [False, True])
def test_local_conv2d_matches_numpy(channels_first):
    x = np.arange(2 * 4 * 3 * 2, dtype="float32").reshape(2, 4, 3, 2) / 10 - 1
    if channels_first:
        x = np.transpose(x, (0, 3, 1, 2)).copy()
    k = np.sin(np.arange(4 * 8 * 3, dtype="float32")).reshape(4, 8, 3)
    fmt = "channels_first" if channels_first else "channels_last"
    got = np.asarray(K.local_conv2d(x, k, (2, 2), (2, 1), (2, 2), data_format=fmt))
    want = _numpy_local_conv(x, k, (2, 2), (2, 1), (2, 2), channels_first)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, atol=1e-5)
    # tf_keras 2.21 K.local_conv2d on the same data
    if channels_first:
        np.testing.assert_allclose(got[0, 0, 0], [0.0857912, 0.7373334], atol=1e-5)
    else:
        np.testing.assert_allclose(got[0, 0, 0], [-0.1058839, -0.4159094, -0.3435497], atol=1e-5)


def test_local_conv1d_in_a_trained_functional_model():
    class Local(keras.layers.Layer):
        def build(self, input_shape):
            self.kernel = self.add_weight(name="k", shape=(input_shape[1], input_shape[2], 2))

        def call(self, inputs):
            return K.local_conv1d(inputs, self.kernel, [1], [1])

    inp = keras.Input((3, 4))
    layer = Local()
    out = layer(inp)
    assert tuple(out.shape) == (None, 3, 2)
    model = keras.Model(inp, keras.layers.Flatten()(out))
    model.compile(optimizer="sgd", loss="mse")
    before = layer.get_weights()[0].copy()
    x = np.random.RandomState(0).rand(4, 3, 4).astype("float32")
    model.fit(x, np.ones((4, 6), "float32"), epochs=1, verbose=0)
    assert not np.allclose(before, layer.get_weights()[0])  # gradients reached the kernel


def test_local_conv_kernel_shape_errors():
    x = np.ones((1, 5, 3), "float32")
    with pytest.raises(ValueError, match=r"kernel.shape\[1\] is 5"):
        K.local_conv1d(x, np.ones((2, 5, 4), "float32"), (2,), (2,))
    with pytest.raises(ValueError, match="positions = 4"):
        K.local_conv2d(np.ones((1, 4, 4, 1)), np.ones((3, 4, 1)), (2, 2), (2, 2), (2, 2))


def test_local_conv_windows_past_the_input_edge():
    with pytest.raises(ValueError, match="3 windows of size 2 with stride 1 need 4 input steps"):
        K.local_conv1d(np.ones((1, 3, 2)), np.ones((3, 4, 1)), (2,), (1,))
