"""`tf.compat.v1.image.resize_bilinear/resize_nearest_neighbor(half_pixel_centers=...)`.

Sweep "yolo" (bubbliiiing's deeplabv3-plus/pspnet-style decoders and other TF 1 ports pass
`half_pixel_centers=True`). Expected values: TensorFlow 2.21 in the reference env, rounded
to 6 decimals.
"""

import numpy as np
import pytest

import tork as tf

_X = (np.arange(2 * 5 * 7 * 2) % 11).reshape(2, 5, 7, 2).astype("float32")


def test_resize_bilinear_half_pixel_centers_matches_tensorflow():
    y = tf.compat.v1.image.resize_bilinear(_X, (3, 10), half_pixel_centers=True)
    assert y.dtype == tf.float32
    expected = [
        [1.0, 2.1, 3.5, 4.9, 6.299999, 6.416667, 5.433333, 6.833334, 4.933334, 2.0],
        [6.0, 7.1, 8.5, 9.9, 4.150002, 1.7, 3.1, 4.5, 5.9, 7.0],
        [3.666668, 2.75, 2.5, 3.9, 5.299999, 6.7, 7.733334, 4.000001, 3.566668, 4.666668],
    ]
    np.testing.assert_allclose(y[0, :, :, 0].numpy(), expected, atol=1e-5)


def test_resize_nearest_half_pixel_centers_matches_tensorflow_and_keeps_dtype():
    y = tf.compat.v1.image.resize_nearest_neighbor(
        _X.astype("int32"), (9, 4), half_pixel_centers=True
    )
    assert y.dtype == tf.int32
    expected = [
        [0, 4, 8, 1],
        [0, 4, 8, 1],
        [3, 7, 0, 4],
        [3, 7, 0, 4],
        [6, 10, 3, 7],
        [9, 2, 6, 10],
        [9, 2, 6, 10],
        [1, 5, 9, 2],
        [1, 5, 9, 2],
    ]
    np.testing.assert_array_equal(y[0, :, :, 0].numpy(), expected)


def test_half_pixel_centers_false_keeps_tf1_sampling():
    # TF 1 sampling (no half-pixel offset): output pixel i samples input i * 5 / 9.
    a = tf.compat.v1.image.resize_bilinear(_X, (9, 4), half_pixel_centers=False)
    b = tf.compat.v1.image.resize_bilinear(_X, (9, 4))
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert a[0, 0, 0, 0].numpy() == _X[0, 0, 0, 0]


def test_half_pixel_centers_with_align_corners_is_refused():
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="half_pixel_centers is True, align_corners must be False",
    ):
        tf.compat.v1.image.resize_bilinear(_X, (9, 4), align_corners=True, half_pixel_centers=True)
