"""One-channel convolutions with a stride over an output of size 1 (helper fuzzops3).

torch's CPU (oneDNN) conv2d/conv3d gave values off by up to 1e30 for an NHWC input with one
channel, a stride above 1 and an output width of 1 (found by the differential fuzzer of
/tmp/fuzznn3, SEED=8 case conv2d_47; TF 2.21's oneDNN kernel fails there too, so the
reference here is a NumPy sum over the windows).
"""

import numpy as np
import pytest

import tork as tf
import tork.keras.ops as kops


def _conv_reference(x, k, strides):
    """VALID cross-correlation of channels-last `x` with `k` (*window, in, out), in float64."""
    rank = x.ndim - 2
    window = k.shape[:rank]
    out_shape = [(x.shape[1 + i] - window[i]) // strides[i] + 1 for i in range(rank)]
    out = np.zeros([x.shape[0], *out_shape, k.shape[-1]])
    for index in np.ndindex(*out_shape):
        region = tuple(
            slice(i * s, i * s + w) for i, s, w in zip(index, strides, window, strict=True)
        )
        patch = x[(slice(None), *region)].astype(np.float64)
        letters = "hwd"[:rank]
        out[(slice(None), *index)] = np.einsum(
            f"n{letters}c,{letters}co->no", patch, k.astype(np.float64)
        )
    return out


CASES_2D = [
    # (input NHWC, kernel hw, strides): output width 1 with a width stride above 1
    ((2, 7, 3, 1), (3, 3), (1, 2)),
    ((3, 11, 4, 1), (4, 3), (1, 2)),
    ((2, 9, 2, 1), (4, 2), (1, 3)),
    ((4, 5, 4, 1), (3, 2), (1, 3)),
]


@pytest.mark.parametrize("shape,window,strides", CASES_2D)
def test_conv2d_one_channel_strided(shape, window, strides):
    r = np.random.RandomState(0)
    x = r.randn(*shape).astype("float32")
    k = r.randn(*window, 1, 3).astype("float32")
    expected = _conv_reference(x, k, strides)
    got = tf.nn.conv2d(x, k, [1, *strides, 1], "VALID").numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
    got = tf.nn.convolution(x, k, strides=list(strides), padding="VALID").numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
    got = kops.conv(x, k, strides=strides).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
    got = tf.keras.backend.conv2d(x, k, strides=strides).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


def test_conv3d_one_channel_strided():
    r = np.random.RandomState(1)
    x = r.randn(2, 5, 4, 3, 1).astype("float32")
    k = r.randn(2, 2, 3, 1, 2).astype("float32")
    expected = _conv_reference(x, k, (1, 2, 2))
    got = tf.nn.conv3d(x, k, [1, 1, 2, 2, 1], "VALID").numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
    got = kops.conv(x, k, strides=(1, 2, 2)).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


def test_conv2d_one_channel_gradient_flows():
    # The stride fix is a view: gradients reach the input as before (d sum / dx = window counts).
    x = tf.Variable(np.ones((2, 7, 3, 1), "float32"))
    k = tf.constant(np.ones((3, 3, 1, 1), "float32"))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.nn.conv2d(x, k, [1, 1, 2, 1], "VALID"))
    grad = tape.gradient(y, x).numpy()
    counts = np.array([1, 2, 3, 3, 3, 2, 1], "float32")[:, None] * np.ones((1, 3), "float32")
    np.testing.assert_allclose(grad[0, :, :, 0], counts)
