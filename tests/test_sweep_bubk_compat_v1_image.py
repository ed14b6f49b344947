"""TensorFlow 1's bicubic resize (sweep "bubk", bubbliiiing's classification-keras ViT).

`AddPositionEmbs` resizes the position embedding with `tf.image.resize_bicubic` (TF 1;
`tf.compat.v1.image.resize_bicubic` in TF 2): no half-pixel centers and Keys' cubic with
a = -0.75, which gives other values than `tf.image.resize(..., 'bicubic')`. tork had no
`resize_bicubic`, and `tf.compat.v1.image.resize(method=BICUBIC)` used TF 2's kernel:
silently different numbers. Expected values: TensorFlow 2.21 on the same input.
"""

import numpy as np
import pytest

import tork as tf

v1 = tf.compat.v1.image
_X = (np.arange(16, dtype="float32").reshape(1, 4, 4, 1)) ** 1.5

# tf.compat.v1.image.resize_bicubic(_X, (3, 5)), TensorFlow 2.21
_TF1_3x5 = [
    [0.0, 0.64819, 1.93467, 3.94554, 5.42357],
    [12.43788, 15.13933, 18.44144, 22.2749, 24.8599],
    [36.42419, 40.09787, 44.50981, 49.50214, 52.82347],
]
# ... with align_corners=True
_TF1_3x5_CORNERS = [
    [0.0, 0.5806, 1.78599, 3.55771, 5.19615],
    [14.28791, 16.86227, 20.20658, 23.75987, 26.72458],
    [41.56922, 45.08948, 49.58938, 54.25846, 58.09475],
]
# tf.image.resize(_X, (3, 5), method='bicubic') (TensorFlow 2's sampling)
_TF2_3x5 = [
    [0.69861, 1.49787, 2.91149, 4.84679, 6.62747],
    [14.46362, 17.10998, 20.51147, 24.12574, 27.17244],
    [39.34463, 42.93192, 47.46416, 52.165, 56.06951],
]


def test_resize_bicubic_samples_as_tensorflow_1():
    out = v1.resize_bicubic(_X, (3, 5))
    assert out.shape == (1, 3, 5, 1)
    np.testing.assert_allclose(np.asarray(out)[0, :, :, 0], _TF1_3x5, rtol=1e-5, atol=1e-4)


def test_align_corners():
    out = v1.resize_bicubic(_X, (3, 5), align_corners=True)
    np.testing.assert_allclose(np.asarray(out)[0, :, :, 0], _TF1_3x5_CORNERS, rtol=1e-5, atol=1e-4)


def test_resize_with_the_bicubic_method_is_the_legacy_kernel():
    out = v1.resize(_X, (6, 2), method=v1.ResizeMethod.BICUBIC)
    # TensorFlow 2.21: tf.compat.v1.image.resize(_X, (6, 2), method=BICUBIC)
    expected = [[0.0, 2.82843], [3.85904, 9.08409], [12.43788, 20.18653],
                [22.62742, 31.62278], [36.42419, 46.79378], [43.67386, 54.68992]]  # fmt: skip
    np.testing.assert_allclose(np.asarray(out)[0, :, :, 0], expected, rtol=1e-5, atol=1e-4)


def test_half_pixel_centers_is_tensorflow_2s_resize():
    out = v1.resize_bicubic(_X, (3, 5), half_pixel_centers=True)
    np.testing.assert_allclose(np.asarray(out)[0, :, :, 0], _TF2_3x5, rtol=1e-5, atol=1e-4)
    with pytest.raises(tf.errors.InvalidArgumentError, match="align_corners must be False"):
        v1.resize_bicubic(_X, (3, 5), align_corners=True, half_pixel_centers=True)


def test_resize_area_is_the_tf2_area_resize():
    x = np.random.RandomState(0).rand(1, 5, 7, 2).astype("float32")
    np.testing.assert_allclose(
        np.asarray(v1.resize_area(x, (2, 3))),
        np.asarray(tf.image.resize(x, (2, 3), method="area")),
        rtol=1e-6,
    )
    with pytest.raises(NotImplementedError, match="align_corners=True only with"):
        v1.resize_area(x, (2, 3), align_corners=True)
