"""tf.image against NumPy formulas, hand-computed values and the TensorFlow docs' examples."""

import colorsys
import math

import numpy as np
import pytest
import torch

import tork as tf

RNG = np.random.default_rng(0)


def _np(x):
    return x.detach().cpu().numpy()


def _rand_image(shape=(5, 6, 3)):
    return torch.from_numpy(RNG.random(shape).astype(np.float32))


# ---------------------------------------------------------------- resize


def test_resize_docs_example():
    image = torch.eye(5, dtype=torch.int32)[None, ..., None]
    out = tf.image.resize(image, [3, 5])
    assert out.dtype == torch.float32 and out.shape == (1, 3, 5, 1)
    np.testing.assert_allclose(
        _np(out[0, ..., 0]),
        [[2 / 3, 1 / 3, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1 / 3, 2 / 3]],
        atol=1e-6,
    )
    assert tf.image.resize(image[0], [3, 5]).shape == (3, 5, 1)
    # Antialiasing has no effect when upsampling (TF docs).
    a = tf.image.resize(image, [5, 10])
    b = tf.image.resize(image, [5, 10], antialias=True)
    assert float((a - b).abs().max()) < 1e-6


def test_resize_bilinear_2x2_to_4x4_half_pixel():
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])[..., None]
    out = _np(tf.image.resize(x, [4, 4])[..., 0])
    # Output pixel i samples input position (i + 0.5) / 2 - 0.5, clamped at the borders.
    pos = np.clip((np.arange(4) + 0.5) / 2 - 0.5, 0, 1)
    row = 1 + pos  # along width: 1 -> 2
    expected = 2 * pos[:, None] + row[None, :]
    np.testing.assert_allclose(out, expected, atol=1e-6)


def test_resize_nearest_keeps_dtype_and_picks_half_pixel_neighbours():
    x = torch.arange(16, dtype=torch.uint8).reshape(1, 4, 4, 1)
    out = tf.image.resize(x, [2, 3], method="nearest")
    assert out.dtype == torch.uint8
    rows = np.floor((np.arange(2) + 0.5) * 2).astype(int)
    cols = np.floor((np.arange(3) + 0.5) * 4 / 3).astype(int)
    np.testing.assert_array_equal(_np(out[0, ..., 0]), _np(x[0, ..., 0])[rows][:, cols])


def test_resize_area_averages_blocks():
    x = _rand_image((1, 4, 6, 2))
    out = tf.image.resize(x, [2, 3], method=tf.image.ResizeMethod.AREA)
    expected = _np(x).reshape(1, 2, 2, 3, 2, 2).mean(axis=(2, 4))
    np.testing.assert_allclose(_np(out), expected, atol=1e-6)


def test_resize_area_non_integer_ratio():
    x = torch.tensor([1.0, 2.0, 4.0]).reshape(1, 1, 3, 1)
    out = _np(tf.image.resize(x, [1, 2], method="area"))[0, 0, :, 0]
    # Output 0 covers [0, 1.5): 1 + 0.5 * 2; output 1 covers [1.5, 3): 0.5 * 2 + 4.
    np.testing.assert_allclose(out, [(1 + 0.5 * 2) / 1.5, (0.5 * 2 + 4) / 1.5], atol=1e-6)


def test_resize_antialias_bilinear_downsampling_is_a_tent_filter():
    x = torch.tensor([0.0, 0.0, 4.0, 0.0]).reshape(1, 1, 4, 1)
    out = _np(tf.image.resize(x, [1, 2], antialias=True))[0, 0, :, 0]
    # Output 0 centre 1.0 in input coords; tent of radius 2: sample centres 0.5, 1.5, 2.5.
    w = np.maximum(0, 1 - np.abs(np.array([0.5, 1.5, 2.5]) - 1.0) / 2)
    np.testing.assert_allclose(out[0], (w * [0, 0, 4]).sum() / w.sum(), atol=1e-6)


def test_resize_other_methods_are_identity_at_same_size_and_float32():
    x = _rand_image((1, 4, 5, 3))
    for method in ["bicubic", "lanczos3", "lanczos5", "gaussian", "mitchellcubic", "area"]:
        out = tf.image.resize(x, [4, 5], method=method)
        assert out.dtype == torch.float32
        if method not in ("gaussian", "mitchellcubic"):  # these kernels blur at scale 1
            np.testing.assert_allclose(_np(out), _np(x), atol=1e-5)


def test_resize_preserve_aspect_ratio():
    x = torch.ones((1, 10, 20, 1))
    assert tf.image.resize(x, [8, 8], preserve_aspect_ratio=True).shape == (1, 4, 8, 1)
    assert tf.image.resize(x, [5, 100], preserve_aspect_ratio=True).shape == (1, 5, 10, 1)


def test_resize_errors():
    with pytest.raises(ValueError, match="rank 3 .* or 4"):
        tf.image.resize(torch.ones((4, 4)), [2, 2])
    with pytest.raises(ValueError, match="unknown method 'cubic'"):
        tf.image.resize(torch.ones((4, 4, 1)), [2, 2], method="cubic")
    with pytest.raises(ValueError, match="1-D tensor of 2 elements"):
        tf.image.resize(torch.ones((4, 4, 1)), [2, 2, 2])
    with pytest.raises(ValueError, match="positive values"):
        tf.image.resize(torch.ones((4, 4, 1)), [0, 2])


# ---------------------------------------------------------------- crops and pads


def test_crop_and_pad_to_bounding_box():
    x = torch.arange(20.0).reshape(4, 5, 1)
    np.testing.assert_array_equal(
        _np(tf.image.crop_to_bounding_box(x, 1, 2, 2, 3)), _np(x)[1:3, 2:5]
    )
    padded = tf.image.pad_to_bounding_box(x, 1, 2, 6, 8)
    expected = np.zeros((6, 8, 1), np.float32)
    expected[1:5, 2:7] = _np(x)
    np.testing.assert_array_equal(_np(padded), expected)
    batch = torch.ones((2, 3, 3, 1), dtype=torch.uint8)
    assert tf.image.pad_to_bounding_box(batch, 0, 0, 4, 4).dtype == torch.uint8


def test_crop_and_pad_errors():
    x = torch.ones((4, 5, 1))
    with pytest.raises(ValueError, match="height must be >= target \\+ offset"):
        tf.image.crop_to_bounding_box(x, 2, 0, 3, 5)
    with pytest.raises(ValueError, match="offset_height and offset_width must be >= 0"):
        tf.image.crop_to_bounding_box(x, -1, 0, 2, 2)
    with pytest.raises(ValueError, match="target_height and target_width must be > 0"):
        tf.image.crop_to_bounding_box(x, 0, 0, 0, 2)
    with pytest.raises(ValueError, match="height must be <= target - offset"):
        tf.image.pad_to_bounding_box(x, 2, 0, 5, 5)


def test_resize_with_crop_or_pad():
    x = torch.arange(24.0).reshape(4, 6, 1)
    out = tf.image.resize_with_crop_or_pad(x, 6, 4)
    expected = np.zeros((6, 4, 1), np.float32)
    expected[1:5] = _np(x)[:, 1:5]
    np.testing.assert_array_equal(_np(out), expected)
    with pytest.raises(ValueError, match="must be > 0"):
        tf.image.resize_with_crop_or_pad(x, 0, 4)


def test_resize_with_pad():
    x = torch.ones((1, 4, 8, 3))
    out = tf.image.resize_with_pad(x, 8, 8)
    assert out.shape == (1, 8, 8, 3) and out.dtype == torch.float32
    # 4x8 scaled to 4x8 inside 8x8: two rows of padding above and below.
    np.testing.assert_array_equal(_np(out[0, :, 0, 0]), [0, 0, 1, 1, 1, 1, 0, 0])


def test_central_crop():
    x = torch.arange(100.0).reshape(10, 10, 1)
    np.testing.assert_array_equal(_np(tf.image.central_crop(x, 0.5)), _np(x)[2:8, 2:8])
    # int((7 - 7 * 0.5) / 2) = 1 on each side of a 7-row image.
    assert tf.image.central_crop(torch.ones((2, 7, 9, 3)), 0.5).shape == (2, 5, 5, 3)
    assert tf.image.central_crop(x, 1.0) is x
    with pytest.raises(ValueError, match="central_fraction must be within \\(0, 1\\]"):
        tf.image.central_crop(x, 0.0)


# ---------------------------------------------------------------- flips and rotations


def test_flips_rot90_transpose():
    x = _rand_image((2, 3, 4, 2))
    np.testing.assert_array_equal(_np(tf.image.flip_left_right(x)), _np(x)[:, :, ::-1])
    np.testing.assert_array_equal(_np(tf.image.flip_up_down(x)), _np(x)[:, ::-1])
    np.testing.assert_array_equal(_np(tf.image.transpose(x)), _np(x).transpose(0, 2, 1, 3))
    for k in range(-1, 4):
        np.testing.assert_array_equal(_np(tf.image.rot90(x, k)), np.rot90(_np(x), k, axes=(1, 2)))
    np.testing.assert_array_equal(
        _np(tf.image.rot90(torch.tensor([[[1], [2]], [[3], [4]]]))[..., 0]), [[2, 4], [1, 3]]
    )
    with pytest.raises(ValueError, match="rank 3"):
        tf.image.flip_left_right(torch.ones((3, 3)))


def test_random_flips_are_per_image_and_seeded():
    x = torch.arange(64 * 2, dtype=torch.float32).reshape(64, 1, 2, 1)
    out = tf.image.random_flip_left_right(x, seed=3)
    flipped = (out[:, 0, 0, 0] != x[:, 0, 0, 0]).numpy()
    assert 0 < flipped.sum() < 64  # some but not all images
    np.testing.assert_array_equal(_np(out[flipped]), _np(x[flipped])[:, :, ::-1])
    np.testing.assert_array_equal(_np(out[~flipped]), _np(x[~flipped]))
    tf.random.set_seed(5)
    a = tf.image.random_flip_up_down(x.transpose(1, 2), seed=1)
    tf.random.set_seed(5)
    b = tf.image.random_flip_up_down(x.transpose(1, 2), seed=1)
    np.testing.assert_array_equal(_np(a), _np(b))


# ---------------------------------------------------------------- dtypes


def test_convert_image_dtype():
    u8 = torch.tensor([0, 128, 255], dtype=torch.uint8)
    np.testing.assert_allclose(
        _np(tf.image.convert_image_dtype(u8, tf.float32)), [0, 128 / 255, 1.0], atol=1e-7
    )
    f = torch.tensor([0.0, 0.5, 1.0])
    # float -> int multiplies by MAX + 0.5 and truncates.
    np.testing.assert_array_equal(
        _np(tf.image.convert_image_dtype(f, tf.uint8)), [0, int(0.5 * 255.5), 255]
    )
    np.testing.assert_array_equal(
        _np(tf.image.convert_image_dtype(torch.tensor([-0.5, 2.0]), tf.uint8, saturate=True)),
        [0, 255],
    )
    # int -> int: shifts by the ratio of the ranges.
    np.testing.assert_array_equal(
        _np(tf.image.convert_image_dtype(u8, tf.int16)), np.array([0, 128, 255]) * 128
    )
    i32 = torch.tensor([0, 2**30, 2**31 - 1], dtype=torch.int32)
    np.testing.assert_array_equal(_np(tf.image.convert_image_dtype(i32, tf.uint8)), [0, 128, 255])
    assert tf.image.convert_image_dtype(f, tf.float64).dtype == torch.float64
    assert tf.image.convert_image_dtype(f, tf.float32) is f
    with pytest.raises(TypeError, match="integer or float images"):
        tf.image.convert_image_dtype(torch.tensor([True]), tf.float32)


# ---------------------------------------------------------------- colour


def test_rgb_to_grayscale_and_back():
    x = _rand_image((2, 3, 3))
    gray = tf.image.rgb_to_grayscale(x)
    np.testing.assert_allclose(_np(gray), _np(x) @ np.array([[0.2989], [0.587], [0.114]]), 1e-6)
    u8 = torch.tensor([[[255, 0, 0]]], dtype=torch.uint8)
    assert tf.image.rgb_to_grayscale(u8).dtype == torch.uint8
    assert int(tf.image.rgb_to_grayscale(u8)) == int(0.2989 * 255.5)
    rgb = tf.image.grayscale_to_rgb(gray)
    assert rgb.shape == (2, 3, 3) and bool((rgb[..., 0] == rgb[..., 2]).all())
    with pytest.raises(ValueError, match="3 channels"):
        tf.image.rgb_to_grayscale(torch.ones((2, 2, 4)))
    with pytest.raises(ValueError, match="must have size 1"):
        tf.image.grayscale_to_rgb(torch.ones((2, 2, 3)))


def test_rgb_to_hsv_pure_colours_and_colorsys():
    colours = torch.tensor(
        [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0, 0, 0], [1, 1, 1]], dtype=torch.float32
    )
    hsv = _np(tf.image.rgb_to_hsv(colours))
    np.testing.assert_allclose(
        hsv,
        [[0, 1, 1], [1 / 3, 1, 1], [2 / 3, 1, 1], [1 / 6, 1, 1], [0, 0, 0], [0, 0, 1]],
        atol=1e-6,
    )
    x = _rand_image((4, 5, 3))
    expected = np.array([colorsys.rgb_to_hsv(*p) for p in _np(x).reshape(-1, 3)]).reshape(4, 5, 3)
    np.testing.assert_allclose(_np(tf.image.rgb_to_hsv(x)), expected, atol=1e-5)
    back = np.array([colorsys.hsv_to_rgb(*p) for p in _np(x).reshape(-1, 3)]).reshape(4, 5, 3)
    np.testing.assert_allclose(_np(tf.image.hsv_to_rgb(x)), back, atol=1e-5)
    with pytest.raises(TypeError, match="needs float images"):
        tf.image.rgb_to_hsv(torch.ones((2, 2, 3), dtype=torch.uint8))


def test_adjust_brightness_contrast_gamma():
    x = _rand_image((2, 4, 5, 3))
    np.testing.assert_allclose(_np(tf.image.adjust_brightness(x, 0.1)), _np(x) + 0.1, atol=1e-6)
    u8 = torch.tensor([[[250]]], dtype=torch.uint8)
    assert int(tf.image.adjust_brightness(u8, 0.5)) == 255  # saturates
    mean = _np(x).mean(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(
        _np(tf.image.adjust_contrast(x, 1.7)), (_np(x) - mean) * 1.7 + mean, atol=1e-5
    )
    np.testing.assert_allclose(
        _np(tf.image.adjust_gamma(x, 2.0, 0.5)), 0.5 * _np(x) ** 2, atol=1e-6
    )
    with pytest.raises(ValueError, match="gamma should be a non-negative"):
        tf.image.adjust_gamma(x, -1.0)
    with pytest.raises(ValueError, match="rank >= 3"):
        tf.image.adjust_contrast(torch.ones((3, 3)), 2.0)


def test_adjust_saturation_and_hue_match_colorsys():
    x = _rand_image((3, 4, 3))
    pixels = _np(x).reshape(-1, 3)

    def via_hsv(fn):
        out = []
        for p in pixels:
            h, s, v = colorsys.rgb_to_hsv(*p)
            out.append(colorsys.hsv_to_rgb(*fn(h, s, v)))
        return np.array(out).reshape(3, 4, 3)

    np.testing.assert_allclose(
        _np(tf.image.adjust_saturation(x, 1.5)),
        via_hsv(lambda h, s, v: (h, min(1.0, s * 1.5), v)),
        atol=1e-5,
    )
    np.testing.assert_allclose(
        _np(tf.image.adjust_hue(x, -0.3)),
        via_hsv(lambda h, s, v: ((h - 0.3) % 1.0, s, v)),
        atol=1e-5,
    )
    with pytest.raises(ValueError, match="delta must be in the interval \\[-1, 1\\]"):
        tf.image.adjust_hue(x, 1.5)


def test_random_colour_ops_stay_in_documented_ranges():
    x = _rand_image((2, 4, 4, 3))
    out = tf.image.random_brightness(x, 0.2, seed=1)
    delta = _np(out - x)
    assert np.allclose(delta, delta.flat[0], atol=1e-6) and abs(delta.flat[0]) <= 0.2
    out = tf.image.random_contrast(x, 0.5, 1.5, seed=2)
    mean = _np(x).mean(axis=(1, 2), keepdims=True)
    factor = (_np(out) - mean) / (_np(x) - mean)
    assert 0.5 <= float(np.median(factor)) <= 1.5
    assert tf.image.random_saturation(x, 0.5, 1.5).shape == x.shape
    assert tf.image.random_hue(x, 0.2).shape == x.shape
    with pytest.raises(ValueError, match="max_delta must be non-negative"):
        tf.image.random_brightness(x, -0.1)
    with pytest.raises(ValueError, match="upper must be > lower"):
        tf.image.random_contrast(x, 1.0, 0.5)
    with pytest.raises(ValueError, match="lower must be non-negative"):
        tf.image.random_saturation(x, -1.0, 0.5)
    with pytest.raises(ValueError, match="max_delta must be in the interval \\[0, 0.5\\]"):
        tf.image.random_hue(x, 0.6)


def test_random_crop():
    x = torch.arange(8 * 8 * 3).reshape(8, 8, 3)
    out = tf.image.random_crop(x, [4, 5, 3], seed=4)
    assert out.shape == (4, 5, 3)
    top, left = int(out[0, 0, 0]) // 24, (int(out[0, 0, 0]) % 24) // 3
    np.testing.assert_array_equal(_np(out), _np(x)[top : top + 4, left : left + 5])
    with pytest.raises(ValueError, match="need value.shape >= size"):
        tf.image.random_crop(x, [9, 4, 3])
    with pytest.raises(ValueError, match="need value.shape >= size"):
        tf.image.random_crop(x, [4, 4])


def test_per_image_standardization_docs_example():
    image = torch.arange(1, 13, dtype=torch.int32).reshape(2, 2, 3)
    out = tf.image.per_image_standardization(image)
    assert out.dtype == torch.float32
    first = [-1.593255, -1.3035723, -1.0138896]
    np.testing.assert_allclose(_np(out)[0, 0], first, atol=1e-5)
    flat = np.ones((2, 2, 3), np.float32)
    np.testing.assert_array_equal(_np(tf.image.per_image_standardization(flat)), 0 * flat)
    with pytest.raises(ValueError, match="rank >= 3"):
        tf.image.per_image_standardization(torch.ones((2, 2)))


# ---------------------------------------------------------------- measures


def test_total_variation():
    x = _rand_image((2, 4, 5, 3))
    n = _np(x)
    expected = np.abs(np.diff(n, axis=1)).sum(axis=(1, 2, 3)) + np.abs(np.diff(n, axis=2)).sum(
        axis=(1, 2, 3)
    )
    np.testing.assert_allclose(_np(tf.image.total_variation(x)), expected, rtol=1e-5)
    assert tf.image.total_variation(x[0]).dim() == 0


def test_psnr_known_mse():
    a = torch.zeros((2, 4, 4, 3))
    b = torch.full((2, 4, 4, 3), 0.1)
    np.testing.assert_allclose(_np(tf.image.psnr(a, b, 1.0)), [20.0, 20.0], atol=1e-4)
    u8a = torch.zeros((4, 4, 1), dtype=torch.uint8)
    u8b = torch.full((4, 4, 1), 51, dtype=torch.uint8)
    # mse = (51 / 255)^2 = 0.04 -> psnr = -10 log10(0.04)
    np.testing.assert_allclose(float(tf.image.psnr(u8a, u8b, 255)), -10 * math.log10(0.04), 1e-4)
    with pytest.raises(ValueError, match="same shape"):
        tf.image.psnr(a, b[:1], 1.0)


def _ssim_reference(x, y, max_val=1.0, size=11, sigma=1.5):
    coords = np.arange(size) - (size - 1) / 2
    g = np.exp(-(coords**2) / (2 * sigma**2))
    g /= g.sum()
    win = np.outer(g, g)
    h, w, c = x.shape
    vals = []
    for ch in range(c):
        for i in range(h - size + 1):
            for j in range(w - size + 1):
                px = x[i : i + size, j : j + size, ch]
                py = y[i : i + size, j : j + size, ch]
                mx, my = (win * px).sum(), (win * py).sum()
                vx = (win * px * px).sum() - mx * mx
                vy = (win * py * py).sum() - my * my
                cxy = (win * px * py).sum() - mx * my
                c1, c2 = (0.01 * max_val) ** 2, (0.03 * max_val) ** 2
                vals.append(
                    (2 * mx * my + c1)
                    * (2 * cxy + c2)
                    / ((mx * mx + my * my + c1) * (vx + vy + c2))
                )
    return np.mean(vals)


def test_ssim():
    x = _rand_image((2, 13, 14, 2))
    np.testing.assert_allclose(_np(tf.image.ssim(x, x, 1.0)), [1.0, 1.0], atol=1e-5)
    y = (x + 0.2 * _rand_image((2, 13, 14, 2))).clamp(0, 1)
    out = _np(tf.image.ssim(x, y, 1.0))
    expected = [
        _ssim_reference(_np(x[i]).astype(np.float64), _np(y[i]).astype(np.float64))
        for i in range(2)
    ]
    np.testing.assert_allclose(out, expected, atol=1e-4)
    assert tf.image.ssim(x, y, 1.0, return_index_map=True).shape == (2, 3, 4)
    with pytest.raises(ValueError, match="at least filter_size=11"):
        tf.image.ssim(x[:, :8], y[:, :8], 1.0)


def test_image_gradients_and_sobel():
    x = torch.arange(12.0).reshape(1, 3, 4, 1)
    dy, dx = tf.image.image_gradients(x)
    np.testing.assert_array_equal(_np(dy[0, ..., 0]), [[4] * 4, [4] * 4, [0] * 4])
    np.testing.assert_array_equal(_np(dx[0, ..., 0]), [[1, 1, 1, 0]] * 3)
    edges = tf.image.sobel_edges(x)
    assert edges.shape == (1, 3, 4, 1, 2)
    padded = np.pad(_np(x)[0, ..., 0], 1, mode="reflect")
    ky = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]])
    ref_y = np.array(
        [[(padded[i : i + 3, j : j + 3] * ky).sum() for j in range(4)] for i in range(3)]
    )
    ref_x = np.array(
        [[(padded[i : i + 3, j : j + 3] * ky.T).sum() for j in range(4)] for i in range(3)]
    )
    np.testing.assert_allclose(_np(edges[0, :, :, 0, 0]), ref_y)
    np.testing.assert_allclose(_np(edges[0, :, :, 0, 1]), ref_x)
    with pytest.raises(ValueError, match="4-D tensor"):
        tf.image.image_gradients(torch.ones((3, 3, 1)))
    with pytest.raises(ValueError, match="4-D tensor"):
        tf.image.sobel_edges(torch.ones((3, 3, 1)))


def test_extract_patches():
    x = torch.arange(1, 101, dtype=torch.float32).reshape(1, 10, 10, 1)
    out = tf.image.extract_patches(x, [1, 3, 3, 1], [1, 5, 5, 1], [1, 1, 1, 1], "VALID")
    # TF docs example: the first patch is 1, 2, 3, 11, 12, 13, 21, 22, 23.
    assert out.shape == (1, 2, 2, 9)
    np.testing.assert_array_equal(_np(out[0, 0, 0]), [1, 2, 3, 11, 12, 13, 21, 22, 23])
    np.testing.assert_array_equal(_np(out[0, 1, 1]), [56, 57, 58, 66, 67, 68, 76, 77, 78])
    dilated = tf.image.extract_patches(x, [1, 2, 2, 1], [1, 10, 10, 1], [1, 2, 2, 1], "VALID")
    np.testing.assert_array_equal(_np(dilated[0, 0, 0]), [1, 3, 21, 23])
    rgb = _rand_image((1, 4, 4, 2))
    same = tf.image.extract_patches(rgb, [1, 2, 2, 1], [1, 3, 3, 1], [1, 1, 1, 1], "SAME")
    assert same.shape == (1, 2, 2, 8)
    np.testing.assert_array_equal(_np(same[0, 0, 0]), _np(rgb)[0, :2, :2].reshape(-1))
    with pytest.raises(ValueError, match="must be \\[1, rows, cols, 1\\]"):
        tf.image.extract_patches(x, [3, 3], [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
    with pytest.raises(ValueError, match="padding must be 'VALID' or 'SAME'"):
        tf.image.extract_patches(x, [1, 3, 3, 1], [1, 1, 1, 1], [1, 1, 1, 1], "FULL")


def test_missing_name_raises_not_implemented():
    with pytest.raises(NotImplementedError, match="tf.image.extract_glimpse"):
        tf.image.extract_glimpse  # noqa: B018


def test_resize_gaussian_antialias_span_matches_tf():
    # Column 3 of the 7 -> 4 antialiased gaussian weights, from TF 2.21: TF's
    # float32 span arithmetic includes input pixel 3 for output 3 (weight
    # 0.0059); exact arithmetic leaves it out and shifts the other weights.
    eye = torch.eye(7)[:, :, None, None]
    out = tf.image.resize(eye, (4, 1), method="gaussian", antialias=True)[:, 3, 0, 0]
    want = [0.0, 0.0, 0.0, 0.005920181516557932, 0.09499997645616531, 0.41292423009872437]
    np.testing.assert_allclose(out.numpy()[:6], want, rtol=1e-6, atol=1e-7)
    assert out[6].item() == pytest.approx(0.48615559935569763, rel=1e-6)


def test_convert_image_dtype_rounds_like_tf():
    # uint8 -> float16 is scaled in float16 (TF casts first).
    u8 = torch.tensor([72, 200, 255], dtype=torch.uint8)
    half = tf.image.convert_image_dtype(u8, tf.float16)
    assert half.dtype == torch.float16
    assert half.tolist() == [0.2822265625, 0.7841796875, 1.0]
    # float32 -> int32 multiplies in float32 (2**31 - 0.5 rounds to 2**31).
    f32 = torch.tensor([-0.5, 0.999])
    assert tf.image.convert_image_dtype(f32, tf.int32).tolist() == [-1073741824, 2145336192]
    # Saturation clamps to the largest float32 inside the int32 range, as TF.
    big = torch.tensor([-0.5, 1.0, 2.0])
    sat = tf.image.convert_image_dtype(big, tf.int32, saturate=True)
    assert sat.tolist() == [-1073741824, 2147483520, 2147483520]
    sat16 = tf.image.convert_image_dtype(big.half(), tf.int32, saturate=True)
    assert sat16.tolist() == [-65504, 65504, 65504]


def test_yuv_and_yiq_match_tf():
    # Values from TF 2.21 for the pixel (0.2, 0.5, 0.9).
    px = torch.tensor([[[0.2, 0.5, 0.9]]])
    want = {
        "rgb_to_yuv": [0.45590001344680786, 0.21854647994041443, -0.22449670732021332],
        "yuv_to_rgb": [1.2258946895599365, -0.5198807716369629, 1.2160309553146362],
        "rgb_to_yiq": [0.45590001344680786, -0.30730774998664856, 0.06101148948073387],
        "yiq_to_rgb": [1.236735463142395, -0.518490195274353, 1.1804373264312744],
    }
    for fn, values in want.items():
        out = getattr(tf.image, fn)(px)
        assert out.shape == (1, 1, 3) and out.dtype == torch.float32
        np.testing.assert_allclose(out.numpy().ravel(), values, rtol=1e-6)
    batch = torch.rand(2, 4, 5, 3, dtype=torch.float64)
    back = tf.image.yuv_to_rgb(tf.image.rgb_to_yuv(batch))
    np.testing.assert_allclose(back.numpy(), batch.numpy(), atol=1e-6)
    with pytest.raises(
        TypeError, match="rgb_to_yuv expects float images in \\[0, 1\\], got dtype uint8"
    ):
        tf.image.rgb_to_yuv(torch.zeros(2, 2, 3, dtype=torch.uint8))
    with pytest.raises(ValueError, match="3 channels in the last dimension"):
        tf.image.yiq_to_rgb(torch.zeros(2, 2, 4))


# ---------------------------------------------------------------- stateless random ops


def _rgb():
    return tf.random.stateless_uniform([4, 5, 3], seed=[7, 7])


def test_stateless_random_colour_ops_are_deterministic_and_in_range():
    x = _rgb()
    cases = [
        (tf.image.stateless_random_brightness, (0.2,), lambda f: tf.image.adjust_brightness(x, f)),
        (tf.image.stateless_random_contrast, (0.5, 1.5), lambda f: tf.image.adjust_contrast(x, f)),
        (
            tf.image.stateless_random_saturation,
            (0.5, 1.5),
            lambda f: tf.image.adjust_saturation(x, f),
        ),
        (tf.image.stateless_random_hue, (0.2,), lambda f: tf.image.adjust_hue(x, f)),
    ]
    for fn, args, adjust in cases:
        a = fn(x, *args, seed=[1, 2])
        assert a.shape == x.shape and a.dtype == x.dtype
        assert torch.equal(a, fn(x, *args, seed=[1, 2]))
        # The result is the adjust_* op at one factor drawn from the documented range.
        low, high = (-args[0], args[0]) if len(args) == 1 else args
        grid = np.linspace(low, high, 2001)
        best = min(float((adjust(float(f)) - a).abs().max()) for f in grid)
        assert best < 2e-3
        seeds = {float((fn(x, *args, seed=[s, 0]) - x).abs().sum()) for s in range(5)}
        assert len(seeds) > 1
    u8 = tf.image.stateless_random_brightness(tf.zeros([3, 3, 3], tf.uint8), 0.1, seed=[1, 2])
    assert u8.dtype == torch.uint8


def test_stateless_random_flips():
    x = tf.reshape(tf.range(8 * 2 * 3, dtype=tf.float32), [8, 2, 3, 1])
    out = tf.image.stateless_random_flip_left_right(x, seed=[1, 2])
    assert torch.equal(out, tf.image.stateless_random_flip_left_right(x, seed=[1, 2]))
    flipped = [bool(torch.equal(o, i.flip(1))) for o, i in zip(out, x)]
    kept = [bool(torch.equal(o, i)) for o, i in zip(out, x)]
    assert all(f != k for f, k in zip(flipped, kept))
    # One draw per image: over many seeds, both outcomes come up.
    draws = [
        bool(torch.equal(tf.image.stateless_random_flip_up_down(x[0], seed=[s, 1]), x[0]))
        for s in range(20)
    ]
    assert 0 < sum(draws) < 20
    u8 = tf.image.stateless_random_flip_up_down(tf.zeros([2, 3, 3, 1], tf.uint8), seed=[1, 2])
    assert u8.dtype == torch.uint8 and u8.shape == (2, 3, 3, 1)
    with pytest.raises(ValueError, match=r"'image' \(shape \(3, 3\)\) must be at least three"):
        tf.image.stateless_random_flip_left_right(tf.zeros([3, 3]), seed=[1, 2])


def test_stateless_random_crop():
    x = tf.reshape(tf.range(4 * 5 * 3, dtype=tf.float32), [4, 5, 3])
    a = tf.image.stateless_random_crop(x, [2, 2, 3], seed=[1, 2])
    assert a.shape == (2, 2, 3)
    assert torch.equal(a, tf.image.stateless_random_crop(x, [2, 2, 3], seed=[1, 2]))
    y0, x0 = divmod(int(a[0, 0, 0]) // 3, 5)
    assert torch.equal(a, x[y0 : y0 + 2, x0 : x0 + 2])
    corners = {
        int(tf.image.stateless_random_crop(x, [2, 2, 3], seed=[s, 3])[0, 0, 0]) for s in range(30)
    }
    assert len(corners) > 3
    with pytest.raises(ValueError, match=r"need value.shape >= size"):
        tf.image.stateless_random_crop(x, [5, 2, 3], seed=[1, 2])


def test_stateless_random_ops_errors():
    x = _rgb()
    with pytest.raises(ValueError, match="max_delta must be non-negative"):
        tf.image.stateless_random_brightness(x, -0.1, seed=[1, 2])
    with pytest.raises(ValueError, match="upper must be > lower"):
        tf.image.stateless_random_contrast(x, 0.5, 0.2, seed=[1, 2])
    with pytest.raises(ValueError, match="lower must be non-negative"):
        tf.image.stateless_random_saturation(x, -1, 0.2, seed=[1, 2])
    with pytest.raises(ValueError, match=r"max_delta must be in the interval \[0, 0.5\]"):
        tf.image.stateless_random_hue(x, 0.6, seed=[1, 2])
    with pytest.raises(ValueError, match="`min_jpeg_quality` must be less than `max_jpeg_quality`"):
        tf.image.stateless_random_jpeg_quality(x, 50, 40, seed=[1, 2])
    with pytest.raises(ValueError, match="jpeg encoding range must be between 0 and 100."):
        tf.image.stateless_random_jpeg_quality(x, -1, 40, seed=[1, 2])


def _ramp_rgb():
    yy, xx = np.mgrid[0:16, 0:16]
    return np.stack([yy * 16, xx * 16, (yy + xx) * 8], -1).astype(np.uint8)


def test_adjust_and_stateless_random_jpeg_quality():
    img = _ramp_rgb()
    out = tf.image.adjust_jpeg_quality(tf.constant(img), 30)
    assert out.dtype == torch.uint8 and out.shape == (16, 16, 3)
    # TF 2.21 gives a mean error of 4.65 levels on this image at quality 30 (another codec
    # build: pixels may differ by a few levels).
    err = np.abs(out.numpy().astype(int) - img).mean()
    assert 2.0 < err < 8.0
    hi = tf.image.adjust_jpeg_quality(tf.constant(img), 100)
    assert np.abs(hi.numpy().astype(int) - img).mean() < 2.0
    flt = tf.image.adjust_jpeg_quality(tf.constant(img.astype(np.float32) / 255), 30)
    assert flt.dtype == torch.float32 and float(flt.max()) <= 1.0
    assert tf.image.adjust_jpeg_quality(tf.constant(img[:, :, :1]), 30).shape == (16, 16, 1)
    a = tf.image.stateless_random_jpeg_quality(tf.constant(img), 20, 90, seed=[1, 2])
    assert torch.equal(
        a, tf.image.stateless_random_jpeg_quality(tf.constant(img), 20, 90, seed=[1, 2])
    )
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"image must be 3-dimensional\[2,16,16,3\]"
    ):
        tf.image.adjust_jpeg_quality(tf.constant(np.stack([img, img])), 30)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"1 or 3 channels, got \[16,16,2\]"):
        tf.image.adjust_jpeg_quality(tf.constant(img[:, :, :2]), 30)
    with pytest.raises(ValueError, match=r"jpeg_quality must be in \[0, 100\], got 101"):
        tf.image.adjust_jpeg_quality(tf.constant(img), 101)


# ---------------------------------------------------------------- ssim_multiscale


def _ms_pair():
    rng = np.random.RandomState(0)
    a = rng.uniform(0, 1, (2, 181, 179, 3)).astype(np.float32)
    b = np.clip(a + rng.normal(0, 0.1, a.shape), 0, 1).astype(np.float32)
    return a, b


def test_ssim_multiscale_matches_tf():
    a, b = _ms_pair()
    # Values printed by TF 2.21.
    out = tf.image.ssim_multiscale(tf.constant(a), tf.constant(b), 1.0)
    assert out.shape == (2,) and out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), [0.9532604217529297, 0.9543962478637695], rtol=1e-5)
    one = tf.image.ssim_multiscale(tf.constant(a[0]), tf.constant(b[0]), 1.0)
    assert one.shape == () and abs(float(one) - 0.9532604217529297) < 1e-5
    ua, ub = (a * 255).astype(np.uint8), (b * 255).astype(np.uint8)
    out = tf.image.ssim_multiscale(tf.constant(ua), tf.constant(ub), 255)
    np.testing.assert_allclose(out.numpy(), [0.9532208442687988, 0.9543425440788269], rtol=1e-5)
    out = tf.image.ssim_multiscale(
        tf.constant(a[:, :40, :50]),
        tf.constant(b[:, :40, :50]),
        1.0,
        power_factors=(0.5, 0.3, 0.2),
        filter_size=7,
        filter_sigma=1.0,
    )
    np.testing.assert_allclose(out.numpy(), [0.9450249671936035, 0.9399825930595398], rtol=1e-5)
    # Anti-correlated images: negative contrast-structure terms are clipped to 0.
    out = tf.image.ssim_multiscale(
        tf.constant(a[:, :40, :50]), tf.constant(1 - a[:, :40, :50]), 1.0, (0.5, 0.5), 7
    )
    assert out.tolist() == [0.0, 0.0]
    same = tf.image.ssim_multiscale(tf.constant(a), tf.constant(a), 1.0)
    np.testing.assert_allclose(same.numpy(), [1.0, 1.0], rtol=1e-6)


def test_ssim_multiscale_single_scale_is_ssim():
    a, b = _ms_pair()
    x, y = tf.constant(a[:, :30, :30]), tf.constant(b[:, :30, :30])
    ms = tf.image.ssim_multiscale(x, y, 1.0, power_factors=(1.0,))
    # One scale with power 1: relu(SSIM) averaged over channels equals tf.image.ssim here.
    np.testing.assert_allclose(ms.numpy(), tf.image.ssim(x, y, 1.0).numpy(), rtol=1e-5)


def test_ssim_multiscale_errors():
    a, b = _ms_pair()
    with pytest.raises(ValueError, match=r"too small for 5 scales with filter_size=11"):
        tf.image.ssim_multiscale(tf.constant(a[:, :100]), tf.constant(b[:, :100]), 1.0)
    with pytest.raises(ValueError, match="the two images must have the same shape"):
        tf.image.ssim_multiscale(tf.constant(a), tf.constant(b[:1]), 1.0)


def test_stateless_random_ops_in_functional_model():
    x = tf.keras.Input((4, 4, 3))
    y = tf.image.stateless_random_flip_left_right(x, seed=[1, 2])
    model = tf.keras.Model(x, y)
    data = np.random.RandomState(0).rand(3, 4, 4, 3).astype(np.float32)
    expected = tf.image.stateless_random_flip_left_right(tf.constant(data), seed=[1, 2])
    assert torch.equal(model(data), expected)


@pytest.mark.parametrize("name", ["image", "_image_boxes"])
def test_docstring_examples(name):
    # tests/ops/test_examples.py covers other ops modules; the image modules are run here.
    import doctest
    import importlib
    import re

    class AnyDevice(doctest.OutputChecker):
        # The examples show CPU reprs; off the CPU a tensor's repr adds its device.
        def check_output(self, want, got, optionflags):
            got = re.sub(r",\s*device='[^']*'", "", got)
            return super().check_output(want, got, optionflags)

    module = importlib.import_module(f"tork.ops.{name}")
    runner = doctest.DocTestRunner(checker=AnyDevice(), optionflags=doctest.NORMALIZE_WHITESPACE)
    attempted = 0
    for attr in dir(module):
        obj = getattr(module, attr)
        if callable(obj) and getattr(obj, "__module__", None) == module.__name__:
            for test in doctest.DocTestFinder().find(obj, attr, globs={"tf": tf, "np": np}):
                attempted += runner.run(test, out=lambda text: None).attempted
    assert runner.failures == 0, f"{runner.failures} docstring example(s) failed in {name}"
    assert attempted > 10


def test_random_jpeg_quality():
    img = tf.constant(_ramp_rgb())
    tf.random.set_seed(3)
    a = tf.image.random_jpeg_quality(img, 10, 95, seed=1)
    tf.random.set_seed(3)
    assert torch.equal(a, tf.image.random_jpeg_quality(img, 10, 95, seed=1))
    assert a.dtype == torch.uint8 and a.shape == (16, 16, 3)
    # One quality from the range: the result is one of the fixed-quality round trips.
    trips = [tf.image.adjust_jpeg_quality(img, q) for q in range(10, 95)]
    assert any(torch.equal(a, t) for t in trips)
    with pytest.raises(ValueError, match="`min_jpeg_quality` must be less than"):
        tf.image.random_jpeg_quality(img, 50, 50)
    with pytest.raises(ValueError, match="jpeg encoding range must be between 0 and 100."):
        tf.image.random_jpeg_quality(img, 50, 101)
