"""keras.ops.image against values printed by Keras 3.15 (TensorFlow 2.21) on the same inputs,
and NumPy/SciPy references."""

import numpy as np
import pytest
import torch

from tork import keras

img = keras.ops.image
M = np.arange(12, dtype="float32").reshape(3, 4)
MI = M.astype("int32")
M4 = M[None, :, :, None]


def _np(t):
    return t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)


def _close(out, expected, atol=1e-4):
    np.testing.assert_allclose(_np(out).squeeze(), np.asarray(expected, "float32"), atol=atol)


def test_resize_matches_keras():
    _close(img.resize(M4, (2, 3)), [[1.1667, 2.5, 3.8333], [7.1667, 8.5, 9.8333]])
    _close(img.resize(M4, (2, 2), interpolation="area"), [[1.8333, 3.8333], [7.1667, 9.1667]])
    _close(img.resize(M4, (2, 2), antialias=True), [[2.2143, 3.7857], [7.2143, 8.7857]])
    _close(
        img.resize(M4, (2, 2), interpolation="lanczos3"),
        [[0.8645, 3.1212], [7.8788, 10.1355]],
    )
    _close(img.resize(M4, (2, 2), crop_to_aspect_ratio=True), [[1.25, 2.75], [7.25, 8.75]])
    # Keras pads by (padded - size) // 2 on each side: here 0, so a plain resize.
    _close(img.resize(M4, (2, 2), pad_to_aspect_ratio=True), [[1.5, 3.5], [7.5, 9.5]])
    out = img.resize(M[:, :, None], (6, 8), interpolation="nearest")
    assert tuple(out.shape) == (6, 8, 1)
    np.testing.assert_array_equal(_np(out)[::2, ::2, 0], M)
    cf = img.resize(M[None, None], (2, 2), data_format="channels_first")
    assert tuple(cf.shape) == (1, 1, 2, 2)
    _close(cf, [[1.5, 3.5], [7.5, 9.5]])


def test_resize_keeps_integer_dtypes_rounded():
    out = img.resize(MI[None, :, :, None], (2, 2))
    assert out.dtype == torch.int32
    np.testing.assert_array_equal(_np(out).squeeze(), [[2, 4], [8, 10]])
    out = img.resize(MI[None, :, :, None].astype("uint8"), (2, 2), interpolation="bicubic")
    assert out.dtype == torch.uint8
    np.testing.assert_array_equal(_np(out).squeeze(), [[1, 3], [8, 10]])


def test_resize_errors():
    with pytest.raises(ValueError, match="Invalid images rank: expected rank 3"):
        img.resize(M, (2, 2))
    with pytest.raises(ValueError, match="Expected `size` to be a tuple of 2 integers"):
        img.resize(M4, (2,))
    with pytest.raises(ValueError, match="Invalid value for argument `interpolation`"):
        img.resize(M4, (2, 2), interpolation="foo")
    with pytest.raises(ValueError, match="Only one of `pad_to_aspect_ratio`"):
        img.resize(M4, (2, 2), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="Only `'constant'` is supported"):
        img.resize(M4, (2, 2), fill_mode="reflect")
    with pytest.raises(ValueError, match="must have positive height and width"):
        img.resize(M4, (0, 2))


def test_colour_conversions():
    rgb = M[:, :3].reshape(1, 1, 3, 3)
    _close(img.rgb_to_grayscale(rgb), [0.815, 4.8146, 8.8142])
    _close(
        img.rgb_to_grayscale(M[:, :3].reshape(1, 3, 1, 3), data_format="channels_first"),
        [3.26, 4.2599, 5.2598],
    )
    gray = img.rgb_to_grayscale(MI[:, :3].reshape(1, 1, 3, 3).astype("uint8"))
    assert gray.dtype == torch.uint8
    np.testing.assert_array_equal(_np(gray).squeeze(), [0, 4, 8])  # truncated, as Keras
    hsv = img.rgb_to_hsv(M[:, :3].reshape(1, 3, 3) / 11)
    _close(
        hsv,
        [[0.5833, 1.0, 0.1818], [0.5833, 0.3333, 0.5455], [0.5833, 0.2, 0.9091]],
    )
    back = img.hsv_to_rgb(hsv)
    _close(back, M[:, :3] / 11)
    with pytest.raises(ValueError, match="Invalid images dtype: expected float dtype"):
        img.rgb_to_hsv(MI[:, :3].reshape(1, 3, 3))
    with pytest.raises(ValueError, match="Invalid channel size: expected 3"):
        img.rgb_to_grayscale(np.zeros((2, 2, 4), "float32"))


def test_pad_and_crop():
    out = img.pad_images(M[:, :, None], 1, 2, 0, 1)
    np.testing.assert_array_equal(_np(out)[..., 0], np.pad(M, ((1, 0), (2, 1))))
    out = img.pad_images(
        MI[None, :, :, None], top_padding=1, left_padding=1, target_height=5, target_width=6
    )
    np.testing.assert_array_equal(_np(out)[0, ..., 0], np.pad(MI, ((1, 1), (1, 1))))
    out = img.crop_images(M[:, :, None], 1, 1, 0, 1)
    np.testing.assert_array_equal(_np(out)[..., 0], [[5, 6], [9, 10]])
    out = img.crop_images(
        MI[None, :, :, None], top_cropping=1, left_cropping=1, target_height=2, target_width=2
    )
    np.testing.assert_array_equal(_np(out)[0, ..., 0], [[5, 6], [9, 10]])
    with pytest.raises(ValueError, match="Must specify exactly two of top_padding, bottom_padding"):
        img.pad_images(M[:, :, None], 1, 2)
    with pytest.raises(ValueError, match="top_padding must be >= 0. Received: top_padding=-1"):
        img.pad_images(M[:, :, None], -1, 2, 0, 1)
    with pytest.raises(ValueError, match="target_height must be >= 0. Received: target_height=-1"):
        img.crop_images(M[:, :, None], 3, 1, 1, 1)


def test_extract_patches():
    out = img.extract_patches(M4, 2)
    np.testing.assert_array_equal(_np(out), [[[[0, 1, 4, 5], [2, 3, 6, 7]]]])
    out = img.extract_patches(M4, (2, 3), strides=(1, 1), padding="same")
    assert tuple(out.shape) == (1, 3, 4, 6)
    np.testing.assert_array_equal(_np(out)[0, 0, 0], [0, 0, 1, 0, 4, 5])
    np.testing.assert_array_equal(_np(out)[0, 2, 3], [10, 11, 0, 0, 0, 0])
    x = np.arange(2 * 4 * 4 * 2, dtype="float32").reshape(2, 2, 4, 4)
    out = img.extract_patches(x, (2, 2), data_format="channels_first")
    assert tuple(out.shape) == (2, 8, 2, 2)
    np.testing.assert_array_equal(_np(out)[0, :, 0, 0], [0, 16, 1, 17, 4, 20, 5, 21])
    x = np.arange(25, dtype="float32").reshape(1, 5, 5, 1)
    out = img.extract_patches(x, 2, strides=1, dilation_rate=2)
    np.testing.assert_array_equal(_np(out)[0, 0, 0], [0, 2, 10, 12])
    with pytest.raises(ValueError, match="`strides > 1` not supported in conjunction with"):
        img.extract_patches(x, (2, 2), dilation_rate=2)
    v = np.arange(64, dtype="float32").reshape(1, 4, 4, 4, 1)
    out = img.extract_patches_3d(v, 2)
    assert tuple(out.shape) == (1, 2, 2, 2, 8)
    np.testing.assert_array_equal(_np(out)[0, 0, 0, 1], [2, 3, 6, 7, 18, 19, 22, 23])


def test_gaussian_blur_sobel_ssim():
    _close(
        img.gaussian_blur(M4),
        [
            [0.9948, 1.8222, 2.5481, 2.1778],
            [3.1778, 5.0, 6.0, 4.8075],
            [3.6189, 5.4371, 6.163, 4.802],
        ],
    )
    # Keras 3.15: sigma[0] acts along the width, sigma[1] along the height.
    _close(
        img.gaussian_blur(M4, kernel_size=(3, 3), sigma=(0.5, 2.0)),
        [
            [1.2132, 1.9575, 2.6383, 2.8931],
            [3.6805, 5.0, 6.0, 6.1479],
            [3.7984, 4.8508, 5.5317, 5.4783],
        ],
    )
    edges = img.sobel_edges(M4)
    assert tuple(edges.shape) == (1, 3, 4, 1, 2)
    np.testing.assert_allclose(_np(edges)[0, 1, :, 0, 0], [32, 32, 32, 32])
    np.testing.assert_allclose(_np(edges)[0, 0, :, 0, 1], [0, 8, 8, 0])
    out = img.ssim(M4 / 11, M4[:, ::-1] / 11, filter_size=3)
    np.testing.assert_allclose(_np(out), [-0.8726], atol=1e-4)


def test_affine_transform_matches_keras():
    shift = np.array([1, 0, 0.5, 0, 1, -1, 0, 0], "float32")
    _close(
        img.affine_transform(M4, shift), [[0, 0, 0, 0], [0.5, 1.5, 2.5, 1.5], [4.5, 5.5, 6.5, 3.5]]
    )
    shear = np.array([[1, 0.2, 0.5, 0.1, 1, -1, 0, 0]], "float32")
    _close(
        img.affine_transform(M4, shear, interpolation="nearest"),
        [[0, 0, 0, 0], [1, 2, 3, 0], [5, 6, 7, 0]],
    )
    _close(
        img.affine_transform(M[:, :, None], shift, fill_mode="reflect"),
        [[0.5, 1.5, 2.5, 3.0], [0.5, 1.5, 2.5, 3.0], [4.5, 5.5, 6.5, 7.0]],
    )
    t = np.array([0.9, 0.1, 0.5, 0, 1.1, -1.5, 0, 0], "float32")
    _close(
        img.affine_transform(M[:, :, None], t, fill_mode="wrap"),
        [[6.5, 7.4, 8.3, 6.0], [8.6, 9.5, 10.4, 8.0], [3.5, 4.4, 5.3, 2.8]],
    )
    _close(
        img.affine_transform(M[:, :, None], t, fill_mode="nearest"),
        [[0.5, 1.4, 2.3, 3.0], [0.6, 1.5, 2.4, 3.0], [3.5, 4.4, 5.3, 5.8]],
    )
    proj = np.array([0.9, 0.1, 0.5, 0, 1.1, -1.5, 0.01, 0.02], "float32")
    _close(
        img.affine_transform(M[:, :, None], proj, fill_value=7),
        [[7, 7, 7, 7], [3.1027, 3.6092, 4.1124, 4.8776], [3.3654, 4.1905, 5.0, 5.8624]],
    )
    out = img.affine_transform(MI[:, :, None], shift)
    assert out.dtype == torch.int32
    np.testing.assert_array_equal(_np(out)[..., 0], [[0, 0, 0, 0], [0, 1, 2, 1], [4, 5, 6, 3]])
    with pytest.raises(ValueError, match="Expected of one \\('nearest', 'bilinear'\\)"):
        img.affine_transform(M4, shift, interpolation="bicubic")
    with pytest.raises(ValueError, match="Invalid value for argument `fill_mode`"):
        img.affine_transform(M4, shift, fill_mode="mirror")
    with pytest.raises(ValueError, match="Invalid transform rank"):
        img.affine_transform(M4, np.zeros((1, 1, 8)))


def test_perspective_transform_matches_keras():
    corners = np.array([[0, 0], [3, 0], [0, 2], [3, 2]], "float32")
    _close(img.perspective_transform(M4, corners, corners), M)
    moved = np.array([[0.5, 0], [3, 0.2], [0, 2], [2.5, 2]], "float32")
    _close(
        img.perspective_transform(M4, corners, moved),
        [
            [0.0724, 0.5187, 1.4794, 2.3067],
            [2.9361, 4.6618, 5.6713, 4.5622],
            [8.0, 9.1265, 10.3489, 3.52],
        ],
        atol=2e-4,
    )
    _close(
        img.perspective_transform(
            M[:, :, None], corners, moved, interpolation="nearest", fill_value=-1
        ),
        [[-1, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, -1]],
    )
    with pytest.raises(ValueError, match="Invalid start_points shape: expected \\(4,2\\)"):
        img.perspective_transform(M4, np.zeros((3, 2)), corners)


def test_map_coordinates():
    coords = np.array([[0.5, 1.5, 2.0], [0.5, 3.0, -1.0]])
    _close(img.map_coordinates(M, coords, order=1), [2.5, 9.0, 0.0])
    _close(img.map_coordinates(M, coords, order=0), [0.0, 11.0, 0.0])
    far = np.array([[0.5, 1.5, 2.6], [0.5, 3.2, -1.0]])
    _close(img.map_coordinates(M, far, order=1, fill_mode="nearest"), [2.5, 9.0, 8.0])
    wrap = np.array([[0.5, 1.5, 2.6], [0.5, 3.2, -1.7]])
    _close(img.map_coordinates(M, wrap, order=1, fill_mode="wrap"), [2.5, 8.4, 5.5])
    # scipy.ndimage's "mirror" and "reflect" (d c b a | a b c d | d c b a) conventions.
    _close(img.map_coordinates(M, wrap, order=1, fill_mode="mirror"), [2.5, 8.8, 7.3])
    _close(img.map_coordinates(M, wrap, order=1, fill_mode="reflect"), [2.5, 9.0, 8.7])
    out = img.map_coordinates(MI, np.array([[0.5, 1.5], [0.5, 3.0]]), order=1, fill_value=-3)
    assert out.dtype == torch.int32
    np.testing.assert_array_equal(_np(out), [2, 9])
    with pytest.raises(NotImplementedError, match="map_coordinates currently requires order<=1"):
        img.map_coordinates(M, coords, order=2)
    with pytest.raises(ValueError, match="First dim of `coordinates` must be the same as the rank"):
        img.map_coordinates(M, np.zeros((3, 2)), order=1)
    with pytest.raises(ValueError, match="Invalid coordinates rank: expected at least rank 2"):
        img.map_coordinates(M, np.zeros((2,)), order=1)


def test_scale_and_translate_matches_keras():
    out = img.scale_and_translate(
        M4, (1, 6, 8, 1), np.array([2.0, 2.0]), np.array([0.0, 0.0]), (1, 2), "linear"
    )
    np.testing.assert_allclose(_np(out)[0, 0, :, 0], [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3])
    np.testing.assert_allclose(_np(out)[0, :, 0, 0], [0, 1, 3, 5, 7, 8])
    args = (M, (2, 3), np.array([0.5, 0.7]), np.array([0.3, -0.2]), (0, 1))
    _close(
        img.scale_and_translate(*args, "cubic", antialias=False),
        [[0.2387, 1.7555, 2.9361], [8.183, 9.6998, 10.8805]],
    )
    _close(
        img.scale_and_translate(*args, "lanczos3"),
        [[1.5849, 3.3438, 4.3074], [6.568, 8.327, 9.2905]],
    )
    with pytest.raises(ValueError, match="Invalid value for argument `method`"):
        img.scale_and_translate(*args, "nearest")


def test_elastic_transform_is_seeded_and_shaped():
    x = np.random.default_rng(0).random((2, 8, 8, 3)).astype("float32")
    a = img.elastic_transform(x, seed=3)
    b = img.elastic_transform(x, seed=3)
    assert tuple(a.shape) == x.shape
    np.testing.assert_array_equal(_np(a), _np(b))
    still = img.elastic_transform(x, alpha=0.0, seed=3)
    np.testing.assert_allclose(_np(still), x, atol=1e-6)


def test_image_ops_in_a_functional_model():
    inp = keras.Input((6, 8, 3))
    small = img.resize(inp, (3, 4))
    gray = img.rgb_to_grayscale(small)
    model = keras.Model(inp, [gray, img.extract_patches(inp, 2)])
    x = np.random.default_rng(1).random((2, 6, 8, 3)).astype("float32")
    g, p = model(x)
    assert tuple(g.shape) == (2, 3, 4, 1) and tuple(p.shape) == (2, 3, 4, 12)
    np.testing.assert_allclose(_np(g), _np(img.rgb_to_grayscale(img.resize(x, (3, 4)))))
    clone = keras.Model.from_config(model.get_config())
    np.testing.assert_allclose(_np(clone(x)[0]), _np(g))
