"""`tf.compat.v1.image.resize` with TensorFlow 1 sampling (align_corners), values from TF 2.21."""

import numpy as np
import pytest
import torch

import tork as tf

# x[1, :, :, 0] of arange(24).reshape(2, 3, 4, 1) ** 1.5, resized to (5, 7) / (2, 3).
_X = np.arange(24, dtype="float32").reshape(2, 3, 4, 1) ** 1.5

_EXPECTED = {
    ((5, 7), "bilinear", False): [
        [41.569221, 44.599476, 47.659458, 50.808620, 54.015072, 57.278816, 58.094749],
        [55.027687, 58.328751, 61.657295, 65.068298, 68.532532, 72.049988, 72.929344],
        [69.088547, 72.649979, 76.236885, 79.900200, 83.613068, 87.375488, 88.316086],
        [84.354179, 88.155121, 91.979973, 95.876541, 99.819771, 103.809647, 104.807114],
        [89.442719, 93.323502, 97.227669, 101.201988, 105.222000, 109.287697, 110.304123],
    ],
    ((5, 7), "bilinear", True): [
        [41.569221, 44.220695, 46.872166, 49.627686, 52.383202, 55.238976, 58.094749],
        [52.784611, 55.633549, 58.482483, 61.428925, 64.375366, 67.416138, 70.456909],
        [64.0, 67.046402, 70.092796, 73.230164, 76.367531, 79.593307, 82.819077],
        [76.721359, 79.942404, 83.163445, 86.470894, 89.778336, 93.169968, 96.561600],
        [89.442719, 92.838409, 96.234093, 99.711624, 103.189148, 106.746635, 110.304123],
    ],
    ((2, 3), "bilinear", False): [
        [41.569221, 48.709179, 56.190899],
        [76.721359, 85.368408, 94.300514],
    ],
    ((2, 3), "nearest", True): [
        [41.569221, 52.383202, 58.094749],
        [89.442719, 103.189148, 110.304123],
    ],
}


@pytest.mark.parametrize("key", sorted(_EXPECTED, key=str))
def test_resize_matches_tensorflow_1(key):
    size, method, align_corners = key
    y = tf.compat.v1.image.resize(_X, size, method=method, align_corners=align_corners)
    assert tuple(y.shape) == (2, *size, 1) and y.dtype == torch.float32
    np.testing.assert_allclose(y[1, ..., 0].numpy(), _EXPECTED[key], rtol=1e-6)


def test_nearest_indices():
    # Rows of the (5, 7) result: floor(i * 3 / 5) without, round(i * 2 / 4) with align_corners.
    ramp = np.arange(3, dtype="float32").reshape(1, 3, 1, 1) * np.ones((1, 1, 4, 1), "float32")
    plain = tf.compat.v1.image.resize(ramp, (5, 7), method="nearest")
    aligned = tf.compat.v1.image.resize_nearest_neighbor(ramp, (5, 7), align_corners=True)
    np.testing.assert_array_equal(plain[0, :, 0, 0].numpy(), [0, 0, 1, 1, 2])
    np.testing.assert_array_equal(aligned[0, :, 0, 0].numpy(), [0, 1, 1, 2, 2])
    cols = np.arange(4, dtype="int32").reshape(1, 1, 4, 1)
    wide = tf.compat.v1.image.resize(cols, (1, 7), method=1, align_corners=True)
    assert wide.dtype == torch.int32  # nearest keeps the dtype, as TF
    np.testing.assert_array_equal(wide[0, 0, :, 0].numpy(), [0, 1, 1, 2, 2, 3, 3])


def test_aliases_and_unbatched():
    x = np.arange(4, dtype="float32").reshape(2, 2, 1)
    y = tf.compat.v1.image.resize_bilinear(x[None], (3, 3), align_corners=True)
    np.testing.assert_allclose(y[0, ..., 0].numpy(), [[0, 0.5, 1], [1, 1.5, 2], [2, 2.5, 3]])
    z = tf.compat.v1.image.resize_images(x, (3, 3), align_corners=True)
    assert tuple(z.shape) == (3, 3, 1)
    # One output pixel: the scale falls back to in / out, sampling the first pixel.
    one = tf.compat.v1.image.resize(_X, (1, 1), align_corners=True)
    np.testing.assert_allclose(one[:, 0, 0, 0].numpy(), [0.0, 41.569221], rtol=1e-6)


def test_unsupported_method_with_align_corners():
    # (bicubic has TensorFlow 1's kernel since sweep "bubk": area is the method left)
    with pytest.raises(NotImplementedError, match="align_corners=True only with the bilinear"):
        tf.compat.v1.image.resize(_X, (5, 7), method="area", align_corners=True)


def test_in_a_lambda_layer():
    # keras-unet-collection's ASPP block resizes inside a Lambda layer.
    from tork import keras

    inputs = keras.Input((1, 1, 2))
    resize = keras.layers.Lambda(
        lambda t: tf.compat.v1.image.resize(t, [4, 4], method="bilinear", align_corners=True)
    )
    model = keras.Model(inputs, resize(inputs))
    assert model.output_shape == (None, 4, 4, 2)
    out = model.predict(np.array([[[[1.0, 2.0]]]], "float32"), verbose=0)
    np.testing.assert_allclose(out, np.broadcast_to([1.0, 2.0], (1, 4, 4, 2)))
