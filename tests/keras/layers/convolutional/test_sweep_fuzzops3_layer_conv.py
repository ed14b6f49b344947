"""Keras conv layers on one-channel inputs with a stride onto an output of size 1
(helper fuzzops3; goes with fuzzops3_layer_conv_strides.patch; suggested location
tests/keras/layers/convolutional/test_sweep_fuzzops3_conv_layers.py).

Before the patch Conv2D/DepthwiseConv2D/SeparableConv2D gave values up to 1e28 here (torch's
oneDNN conv2d on channels-last strides; TF 2.21's oneDNN kernel fails the same way, so the
reference is a NumPy sum over the windows).
"""

import numpy as np

import tork as tf


def _valid_conv2d(x, k, strides):
    n, h, w, _ = x.shape
    kh, kw, _, co = k.shape
    oh, ow = (h - kh) // strides[0] + 1, (w - kw) // strides[1] + 1
    out = np.zeros((n, oh, ow, co))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * strides[0] : i * strides[0] + kh, j * strides[1] : j * strides[1] + kw]
            out[:, i, j] = np.einsum("nhwc,hwco->no", patch, k)
    return out


def test_conv2d_layer_one_channel_strided():
    x = np.random.RandomState(0).randn(2, 7, 3, 1).astype("float32")
    layer = tf.keras.layers.Conv2D(3, 3, strides=(1, 2), use_bias=False)
    got = layer(x).numpy()
    expected = _valid_conv2d(x, layer.get_weights()[0], (1, 2))
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


def test_depthwise_and_separable_layers_one_channel_strided():
    x = np.random.RandomState(1).randn(2, 7, 3, 1).astype("float32")
    depthwise = tf.keras.layers.DepthwiseConv2D(
        3, strides=(1, 2), depth_multiplier=2, use_bias=False
    )
    got = depthwise(x).numpy()
    expected = _valid_conv2d(x, depthwise.get_weights()[0].reshape(3, 3, 1, 2), (1, 2))
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
    separable = tf.keras.layers.SeparableConv2D(3, 3, strides=(1, 2), use_bias=False)
    out = separable(x).numpy()
    dw, pw = separable.get_weights()
    expected = np.einsum("nhwc,co->nhwo", _valid_conv2d(x, dw, (1, 2)), pw[0, 0])
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)
