"""tf.keras.preprocessing.image (Keras 2 legacy): ImageDataGenerator, iterators, transforms.

References are hand-computed arrays, NumPy statistics, Pillow's ImageEnhance and
scipy.ndimage (when installed) for the resampling.
"""

import re
import sys
import warnings

import numpy as np
import pytest

import tork as tf
from tork import keras
from tork.keras.preprocessing import image as kimage

ImageDataGenerator = kimage.ImageDataGenerator
ROW = np.array([[1.0, 2.0, 4.0, 8.0], [16.0, 32.0, 64.0, 128.0]])


def _hwc(a):
    return np.asarray(a, dtype=np.float64)[:, :, None]


def _affine(x, **kwargs):
    return kimage.apply_affine_transform(x, row_axis=0, col_axis=1, channel_axis=2, **kwargs)


# --------------------------------------------------------------------------- affine transforms


@pytest.mark.parametrize("order", [0, 1])
@pytest.mark.parametrize("theta, k", [(90, 1), (-90, -1), (180, 2)])
def test_rotation_by_right_angles_matches_rot90(theta, k, order):
    img = np.arange(16.0).reshape(4, 4)
    out = _affine(_hwc(img), theta=theta, order=order)[..., 0]
    # Positive angles turn the picture counter-clockwise on screen, like np.rot90.
    np.testing.assert_allclose(out, np.rot90(img, k), atol=1e-9)


def test_half_turn_of_a_non_square_image_turns_about_its_centre():
    img = np.arange(12.0).reshape(3, 4)
    out = _affine(_hwc(img), theta=180)[..., 0]
    np.testing.assert_allclose(out, img[::-1, ::-1], atol=1e-9)


@pytest.mark.parametrize(
    "fill_mode, plus_one, minus_one, plus_two",
    [
        # out[c] = in[c + shift]; `reflect` mirrors about the edge (d c b a | a b c d | d c b a)
        # and SciPy's `wrap` overlaps the first and last samples (period n - 1).
        ("nearest", [2, 4, 8, 8], [1, 1, 2, 4], [4, 8, 8, 8]),
        ("constant", [2, 4, 8, -1], [-1, 1, 2, 4], [4, 8, -1, -1]),
        ("reflect", [2, 4, 8, 8], [1, 1, 2, 4], [4, 8, 8, 4]),
        ("wrap", [2, 4, 8, 2], [4, 1, 2, 4], [4, 8, 2, 4]),
    ],
)
def test_one_pixel_shifts_with_each_fill_mode(fill_mode, plus_one, minus_one, plus_two):
    x = _hwc(ROW)
    for tx, expected in [(1, plus_one), (-1, minus_one), (2, plus_two)]:
        for order in (0, 1):
            out = _affine(x, tx=tx, fill_mode=fill_mode, cval=-1.0, order=order)[..., 0]
            np.testing.assert_allclose(out[0], expected)
            # The second row is the first times 16 (cval aside): rows never mix.
            second = np.where(np.array(expected) == -1, -1, np.array(expected) * 16)
            np.testing.assert_allclose(out[1], second)


def test_vertical_shift_moves_rows():
    x = _hwc(ROW)
    out = _affine(x, ty=1, fill_mode="constant", cval=0.0)[..., 0]
    np.testing.assert_allclose(out, [ROW[1], np.zeros(4)])


def test_bilinear_half_pixel_shift_and_zoom():
    x = _hwc(ROW[:1])
    out = _affine(x, tx=0.5)[0, :, 0]
    np.testing.assert_allclose(out, [1.5, 3.0, 6.0, 8.0])
    # Zoom 2 about the centre (column 2): out[c] = in[2 + 2 (c - 2)].
    five = _hwc([[1.0, 2.0, 3.0, 4.0, 5.0]])
    out = _affine(five, zx=2, fill_mode="constant")[0, :, 0]
    np.testing.assert_allclose(out, [0.0, 1.0, 3.0, 5.0, 0.0])
    out = _affine(five, zx=0.5)[0, :, 0]
    np.testing.assert_allclose(out, [2.0, 2.5, 3.0, 3.5, 4.0])


def test_shear_shifts_rows_in_proportion_to_their_distance_from_the_centre():
    # shear s: in_x = x - sin(s) * y, in_y = cos(s) * y (about the centre). With
    # sin(s) = 1/2 on 3 rows, the top row (y = -1) samples half a pixel to the right.
    img = np.tile(np.array([0.0, 2.0, 4.0, 6.0, 8.0]), (3, 1))
    out = _affine(_hwc(img), shear=30, fill_mode="nearest")[..., 0]
    np.testing.assert_allclose(out[1], img[1], atol=1e-9)
    np.testing.assert_allclose(out[0], [1.0, 3.0, 5.0, 7.0, 8.0], atol=1e-9)
    np.testing.assert_allclose(out[2], [0.0, 1.0, 3.0, 5.0, 7.0], atol=1e-9)


def test_axis_conventions_channels_first_and_last_agree():
    rng = np.random.default_rng(0)
    hwc = rng.normal(size=(5, 6, 3))
    kwargs = {"theta": 17, "tx": 1.3, "ty": -0.7, "zx": 0.9, "zy": 1.1, "shear": 5}
    last = _affine(hwc, **kwargs)
    first = kimage.apply_affine_transform(np.transpose(hwc, (2, 0, 1)), **kwargs)
    np.testing.assert_allclose(np.transpose(first, (1, 2, 0)), last, atol=1e-12)
    assert last.shape == hwc.shape
    # No transform at all returns the input unchanged.
    assert kimage.apply_affine_transform(hwc) is hwc


def test_matches_scipy_ndimage_for_random_transforms():
    ndimage = pytest.importorskip("scipy.ndimage")
    rng = np.random.default_rng(1)
    for trial in range(12):
        size = 7
        img = rng.normal(size=(size, size, 2)).astype(np.float32)
        theta, tx, ty, shear = rng.uniform(-40, 40), *rng.uniform(-3, 3, 2), rng.uniform(-20, 20)
        zx, zy = rng.uniform(0.7, 1.3, 2)
        mode = ("constant", "nearest", "reflect", "wrap")[trial % 4]
        order = trial % 2
        out = _affine(
            img,
            theta=theta,
            tx=tx,
            ty=ty,
            shear=shear,
            zx=zx,
            zy=zy,
            fill_mode=mode,
            cval=0.5,
            order=order,
        )
        # The documented map in (x = col, y = row) coordinates about the centre, then
        # written for scipy's (row, col) order.
        t, s = np.deg2rad(theta), np.deg2rad(shear)
        rot = np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]])
        shift = np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
        shr = np.array([[1, -np.sin(s), 0], [0, np.cos(s), 0], [0, 0, 1]])
        zoom = np.diag([zx, zy, 1.0])
        c = (size - 1) / 2
        centre = np.array([[1, 0, c], [0, 1, c], [0, 0, 1]])
        m = centre @ rot @ shift @ shr @ zoom @ np.linalg.inv(centre)
        m_rc = m[[1, 0]][:, [1, 0, 2]]
        for k in range(2):
            ref = ndimage.affine_transform(
                img[..., k], m_rc[:, :2], m_rc[:, 2], order=order, mode=mode, cval=0.5
            )
            np.testing.assert_allclose(out[..., k], ref, atol=1e-5)


def test_spline_orders_use_scipy():
    pytest.importorskip("scipy")
    img = _hwc(np.arange(16.0).reshape(4, 4))
    out = _affine(img, theta=90, order=3)
    np.testing.assert_allclose(out[..., 0], np.rot90(img[..., 0]), atol=1e-6)


def test_spline_orders_without_scipy_say_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "scipy", None)
    img = _hwc(np.arange(16.0).reshape(4, 4))
    np.testing.assert_allclose(_affine(img, theta=90)[..., 0], np.rot90(img[..., 0]), atol=1e-9)
    with pytest.raises(ImportError, match="order 3 needs SciPy.*orders 0 .* and 1 .* work"):
        _affine(img, theta=90, order=3)


def test_affine_errors():
    img = np.zeros((4, 4, 1))
    with pytest.raises(ValueError, match="'constant', 'nearest', 'reflect', 'wrap'.*'mirrored'"):
        _affine(img, theta=10, fill_mode="mirrored")
    with pytest.raises(ValueError, match="rank 3.*got shape \\(4, 4\\)"):
        kimage.apply_affine_transform(np.zeros((4, 4)), theta=10)
    with pytest.raises(ValueError, match="must be 0, 1 and 2"):
        kimage.apply_affine_transform(img, theta=10, row_axis=0, col_axis=0, channel_axis=2)
    with pytest.raises(ValueError, match="integer from 0 to 5"):
        _affine(img, theta=10, order=7)


# ------------------------------------------------------------------- other single-image ops


def test_channel_shift_clips_to_the_image_range():
    x = np.array([[[0.0, 10.0], [4.0, 6.0]]])  # (1, 2, 2), channels last
    out = kimage.apply_channel_shift(x, 3.0, channel_axis=2)
    np.testing.assert_allclose(out, [[[3.0, 10.0], [7.0, 9.0]]])
    out = kimage.apply_channel_shift(x, -5.0, channel_axis=2)
    np.testing.assert_allclose(out, [[[0.0, 5.0], [0.0, 1.0]]])
    np.random.seed(3)
    shifted = kimage.random_channel_shift(np.full((2, 3, 3), 100.0), 20.0)
    np.random.seed(3)
    intensity = np.random.uniform(-20.0, 20.0)
    # A flat image clips back to its only value.
    np.testing.assert_allclose(shifted, 100.0)
    assert -20 <= intensity <= 20


@pytest.mark.parametrize("factor", [0.0, 0.37, 1.0, 1.6])
def test_brightness_matches_pillow(factor):
    Image = pytest.importorskip("PIL.Image")
    ImageEnhance = pytest.importorskip("PIL.ImageEnhance")
    rng = np.random.default_rng(2)
    for mode, channels in [("RGB", 3), ("RGBA", 4)]:
        pixels = rng.integers(0, 256, size=(5, 6, channels), dtype=np.uint8)
        image = Image.fromarray(pixels, mode)
        expected = np.asarray(ImageEnhance.Brightness(image).enhance(factor))
        out = kimage.apply_brightness_shift(pixels.astype(np.float32), factor, scale=False)
        assert out.dtype == np.float32
        np.testing.assert_array_equal(out, expected.astype(np.float32))


def test_brightness_scaling_and_alpha():
    unit = np.linspace(0, 1, 12).reshape(2, 2, 3)
    # scale=True stretches the data to [0, 255] first.
    out = kimage.apply_brightness_shift(unit, 1.0, scale=True)
    np.testing.assert_allclose(out, np.floor(unit * 255 + 1e-6), atol=1.0)
    # Data outside [0, 255] is mapped to [0, 255] and back when scale=False.
    wide = np.linspace(-100, 500, 12).reshape(2, 2, 3)
    out = kimage.apply_brightness_shift(wide, 1.0, scale=False)
    np.testing.assert_allclose(out, wide, atol=600 / 255 + 1e-4)
    rgba = np.full((1, 1, 4), 200.0)
    np.testing.assert_allclose(
        kimage.apply_brightness_shift(rgba, 0.5, False)[0, 0], [100] * 3 + [200]
    )
    np.random.seed(0)
    out = kimage.random_brightness(np.full((2, 2, 3), 100.0), (0.5, 0.5), scale=False)
    np.testing.assert_allclose(out, 50.0)
    with pytest.raises(ValueError, match="brightness_range.*two floats"):
        kimage.random_brightness(np.zeros((2, 2, 3)), (0.5,))


def test_random_transforms_respect_their_axes_and_seeds():
    # Channels-first defaults (row_axis=1, col_axis=2, channel_axis=0).
    varying_by_row = np.repeat(np.arange(6.0)[None, :, None], 5, axis=2)  # (1, 6, 5)
    varying_by_col = np.repeat(np.arange(5.0)[None, None, :], 6, axis=1)
    # A horizontal shift leaves an image that only varies by row unchanged, and vice versa.
    np.testing.assert_allclose(kimage.random_shift(varying_by_row, 0.4, 0.0), varying_by_row)
    np.testing.assert_allclose(kimage.random_shift(varying_by_col, 0.0, 0.4), varying_by_col)
    assert not np.allclose(kimage.random_shift(varying_by_row, 0.0, 0.4), varying_by_row)
    img = np.random.default_rng(0).normal(size=(3, 8, 8))
    for fn, arg in [
        (kimage.random_rotation, 30),
        (kimage.random_shear, 20),
        (kimage.random_zoom, (0.7, 1.3)),
    ]:
        np.random.seed(5)
        first = fn(img, arg)
        np.random.seed(5)
        np.testing.assert_array_equal(fn(img, arg), first)
        assert first.shape == img.shape
    np.testing.assert_array_equal(kimage.random_rotation(img, 0), img)
    np.testing.assert_array_equal(kimage.random_zoom(img, (1, 1)), img)
    with pytest.raises(ValueError, match="zoom_range.*two floats"):
        kimage.random_zoom(img, (0.5, 1.0, 2.0))


# ------------------------------------------------------------------------ ImageDataGenerator


def test_generator_argument_errors():
    with pytest.raises(ValueError, match="fill_mode must be one of 'constant', 'nearest'"):
        ImageDataGenerator(fill_mode="edge")
    for zoom in ["0.2", [0.5, 1.0, 1.5], (0.5, "x")]:
        with pytest.raises(ValueError, match="zoom_range should be a float or a tuple or list"):
            ImageDataGenerator(zoom_range=zoom)
    for split in [1.0, -0.1, 1.5]:
        with pytest.raises(ValueError, match="validation_split must be strictly between 0 and 1"):
            ImageDataGenerator(validation_split=split)
    with pytest.raises(ValueError, match="data_format should be 'channels_last'"):
        ImageDataGenerator(data_format="NHWC")
    with pytest.raises(ValueError, match="brightness_range should be a tuple or list"):
        ImageDataGenerator(brightness_range=0.5)
    with pytest.raises(ValueError, match="integer from 0 to 5"):
        ImageDataGenerator(interpolation_order=1.5)
    with pytest.raises(ValueError, match="NumPy dtype"):
        ImageDataGenerator(dtype="not-a-dtype")
    assert ImageDataGenerator(zoom_range=0.2).zoom_range == [0.8, 1.2]
    assert ImageDataGenerator(zoom_range=(0.5, 2)).zoom_range == [0.5, 2]
    assert ImageDataGenerator(dtype=tf.float64).dtype == "float64"


def test_overridden_settings_warn():
    with pytest.warns(UserWarning, match="overrides setting of `featurewise_center`"):
        gen = ImageDataGenerator(featurewise_std_normalization=True)
    assert gen.featurewise_center
    with pytest.warns(UserWarning, match="overrides setting of"):
        gen = ImageDataGenerator(zca_whitening=True, featurewise_std_normalization=True)
    assert gen.featurewise_center and not gen.featurewise_std_normalization
    with pytest.warns(UserWarning, match="hasn't been fit"):
        ImageDataGenerator(featurewise_center=True).standardize(np.ones((2, 2, 3)))


def test_random_transform_parameters():
    gen = ImageDataGenerator(
        rotation_range=30,
        width_shift_range=2,
        height_shift_range=0.25,
        shear_range=10,
        zoom_range=0.2,
        channel_shift_range=5.0,
        brightness_range=(0.5, 1.5),
        horizontal_flip=True,
    )
    seen_tx = set()
    for seed in range(60):
        p = gen.get_random_transform((8, 12, 3), seed=seed)
        assert -30 <= p["theta"] <= 30 and -10 <= p["shear"] <= 10
        assert abs(p["ty"]) <= 0.25 * 8  # a fraction of the height
        seen_tx.add(int(p["tx"]))  # an integer number of pixels from (-2, 2)
        assert 0.8 <= p["zx"] <= 1.2 and 0.8 <= p["zy"] <= 1.2
        assert -5 <= p["channel_shift_intensity"] <= 5 and 0.5 <= p["brightness"] <= 1.5
        assert not p["flip_vertical"]
    assert seen_tx == {-1, 0, 1}
    assert gen.get_random_transform((8, 12, 3), seed=4) == gen.get_random_transform(
        (8, 12, 3), seed=4
    )
    listed = ImageDataGenerator(width_shift_range=[3], height_shift_range=2.0)
    for seed in range(10):
        p = listed.get_random_transform((8, 12, 3), seed=seed)
        assert abs(p["tx"]) == 3 and abs(p["ty"]) <= 2.0  # pixels when >= 1
    plain = ImageDataGenerator().get_random_transform((8, 8, 3))
    assert plain["theta"] == 0 and plain["zx"] == 1 and plain["brightness"] is None


def test_apply_transform_directions_and_flips():
    gen = ImageDataGenerator(fill_mode="constant", cval=-1.0)
    img = _hwc(np.arange(12.0).reshape(3, 4))
    # As tf_keras 2.21's apply_transform: tx moves columns, ty moves rows (tork draws
    # tx from width_shift_range and ty from height_shift_range).
    out = gen.apply_transform(img, {"ty": 1})[..., 0]
    np.testing.assert_allclose(out, np.vstack([img[1:, :, 0], -np.ones((1, 4))]))
    out = gen.apply_transform(img, {"tx": 1})[..., 0]
    np.testing.assert_allclose(out, np.hstack([img[:, 1:, 0], -np.ones((3, 1))]))
    np.testing.assert_array_equal(gen.apply_transform(img, {"flip_horizontal": True}), img[:, ::-1])
    np.testing.assert_array_equal(gen.apply_transform(img, {"flip_vertical": True}), img[::-1])
    first = ImageDataGenerator(data_format="channels_first")
    chw = np.transpose(img, (2, 0, 1))
    out = first.apply_transform(chw, {"ty": 1, "flip_horizontal": True})
    expected = np.transpose(gen.apply_transform(img, {"ty": 1, "flip_horizontal": True}), (2, 0, 1))
    np.testing.assert_allclose(np.where(expected == -1, img[-1:, ::-1, 0], expected), out)


def test_standardize_sample_and_rescale():
    x = np.random.default_rng(0).uniform(0, 255, size=(4, 5, 3)).astype(np.float32)
    gen = ImageDataGenerator(
        rescale=1 / 255, samplewise_center=True, samplewise_std_normalization=True
    )
    out = gen.standardize(x.copy())
    ref = x / 255
    ref = (ref - ref.mean()) / (ref.std() + 1e-6)
    np.testing.assert_allclose(out, ref, rtol=1e-4, atol=1e-5)
    double = ImageDataGenerator(preprocessing_function=lambda a: a * 2, rescale=0.5)
    np.testing.assert_allclose(double.standardize(x.copy()), x)


def test_fit_featurewise_statistics_match_numpy():
    rng = np.random.default_rng(1)
    x = rng.normal(loc=[10.0, -3.0, 50.0], scale=[2.0, 0.5, 9.0], size=(20, 6, 5, 3))
    gen = ImageDataGenerator(
        featurewise_center=True, featurewise_std_normalization=True, rescale=2.0
    )
    gen.fit(x)
    mean = (2 * x).mean(axis=(0, 1, 2))
    std = (2 * x).std(axis=(0, 1, 2))
    np.testing.assert_allclose(gen.mean, mean.reshape(1, 1, 3), rtol=1e-5)
    np.testing.assert_allclose(gen.std, std.reshape(1, 1, 3), rtol=1e-4)
    out = gen.standardize(x[0].astype(np.float32))
    np.testing.assert_allclose(out, (2 * x[0] - mean) / (std + 1e-6), rtol=1e-4, atol=1e-4)
    first = ImageDataGenerator(featurewise_center=True, data_format="channels_first")
    first.fit(np.transpose(x, (0, 3, 1, 2)))
    np.testing.assert_allclose(first.mean.ravel(), x.mean(axis=(0, 1, 2)), rtol=1e-5)
    assert first.mean.shape == (3, 1, 1)
    with pytest.raises(ValueError, match="rank 4.*\\(6, 5, 3\\)"):
        gen.fit(x[0])
    with pytest.warns(UserWarning, match="1, 3 or 4 channels"):
        ImageDataGenerator(featurewise_center=True).fit(np.zeros((2, 4, 4, 5)))


def test_fit_with_augmentation_draws_rounds_of_samples():
    x = np.random.default_rng(2).uniform(size=(4, 6, 6, 1))
    gen = ImageDataGenerator(featurewise_center=True, horizontal_flip=True)
    gen.fit(x, augment=True, rounds=3, seed=0)
    # Flips keep each image's pixels, so the mean is the data's mean.
    np.testing.assert_allclose(gen.mean.ravel(), [x.mean()], rtol=1e-5)


def test_zca_whitening_decorrelates_the_data():
    rng = np.random.default_rng(3)
    mixing = rng.normal(size=(4, 4))
    x = (rng.normal(size=(2000, 4)) @ mixing).reshape(2000, 2, 2, 1) + 5.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gen = ImageDataGenerator(zca_whitening=True, zca_epsilon=1e-9)
    gen.fit(x)
    w = gen.zca_whitening_matrix
    np.testing.assert_allclose(w, w.T, atol=1e-6)
    assert gen.principal_components is w
    white = np.stack([gen.standardize(img.astype(np.float32)) for img in x]).reshape(2000, 4)
    # Keras centres per channel, not per pixel, so the whitened second moment is the identity.
    np.testing.assert_allclose(white.T @ white / len(white), np.eye(4), atol=1e-3)


# ---------------------------------------------------------------------------------- flow()


def test_flow_batches_cover_every_sample_once_per_epoch():
    x = np.arange(10, dtype=np.float64).reshape(10, 1, 1, 1) * np.ones((1, 2, 2, 1))
    y = np.arange(10)
    it = ImageDataGenerator().flow(x, y, batch_size=4, seed=3)
    assert isinstance(it, keras.utils.Sequence) and isinstance(it, keras.utils.PyDataset)
    assert len(it) == 3 and it.n == 10 and it.batch_size == 4
    epochs = []
    for _ in range(2):
        batches = [it[i] for i in range(len(it))]
        assert [b[0].shape[0] for b in batches] == [4, 4, 2]
        xb = np.concatenate([b[0] for b in batches])
        yb = np.concatenate([b[1] for b in batches])
        assert xb.dtype == np.float32
        np.testing.assert_array_equal(xb[:, 0, 0, 0], yb)  # images stay with their labels
        assert sorted(yb.tolist()) == list(range(10))
        epochs.append(yb.tolist())
        it.on_epoch_end()
    assert epochs[0] != epochs[1]  # reshuffled
    np.testing.assert_array_equal(it[-1][1], it[2][1])
    with pytest.raises(ValueError, match="Asked to retrieve batch 3.*has 3 batches"):
        it[3]


def test_flow_next_loops_forever_and_is_seeded():
    x = np.random.default_rng(0).uniform(size=(5, 4, 4, 3))
    gen = ImageDataGenerator(rotation_range=40, zoom_range=0.3)
    a = gen.flow(x, batch_size=2, seed=11)
    b = gen.flow(x, batch_size=2, seed=11)
    sizes = []
    for _ in range(6):
        xa, xb = next(a), b.next()
        np.testing.assert_array_equal(xa, xb)
        sizes.append(len(xa))
    assert sizes == [2, 2, 1, 2, 2, 1]
    assert iter(a) is a


def test_flow_leaves_the_source_array_untouched_and_keeps_order_without_shuffle():
    x = np.random.default_rng(1).uniform(0, 255, size=(3, 4, 4, 1)).astype(np.float32)
    before = x.copy()
    it = ImageDataGenerator(rescale=1 / 255).flow(x, batch_size=3, shuffle=False)
    np.testing.assert_allclose(it[0], before / 255, rtol=1e-6)
    np.testing.assert_array_equal(x, before)
    np.testing.assert_array_equal(it.x, before)


def test_flow_sample_weights_extra_inputs_and_subsets():
    x = np.zeros((10, 2, 2, 1))
    y = np.array([0, 1] * 5)
    w = np.arange(10.0)
    extra = np.arange(20.0).reshape(10, 2)
    gen = ImageDataGenerator(validation_split=0.3)
    xb, yb, wb = gen.flow(x, y, sample_weight=w, shuffle=False, batch_size=10)[0]
    np.testing.assert_array_equal(wb, w)
    (images, other), labels = gen.flow((x, extra), y, shuffle=False, batch_size=4)[1]
    np.testing.assert_array_equal(other, extra[4:8])
    val = gen.flow(x, y, subset="validation", shuffle=False)
    train = gen.flow(x, y, subset="training", shuffle=False, sample_weight=w)
    assert val.n == 3 and train.n == 7
    np.testing.assert_array_equal(val[0][1], y[:3])
    np.testing.assert_array_equal(train[0][2], w[3:])


def test_flow_errors():
    gen = ImageDataGenerator(validation_split=0.5)
    with pytest.raises(
        ValueError,
        match="Input data in NumpyArrayIterator should have rank 4.*x\\[..., np.newaxis\\]",
    ):
        gen.flow(np.zeros((5, 28, 28)))
    with pytest.raises(
        ValueError, match="`x` \\(images tensor\\) and `y` \\(labels\\) should have the same length"
    ):
        gen.flow(np.zeros((5, 2, 2, 1)), np.zeros(4))
    with pytest.raises(ValueError, match="sample_weight"):
        gen.flow(np.zeros((5, 2, 2, 1)), np.zeros(5), sample_weight=np.ones(3))
    with pytest.raises(
        ValueError, match="invalid subset name 'test'; expected 'training' or 'validation'"
    ):
        gen.flow(np.zeros((4, 2, 2, 1)), subset="test")
    with pytest.raises(ValueError, match="different classes after the split"):
        gen.flow(np.zeros((4, 2, 2, 1)), np.array([0, 0, 1, 1]), subset="training")
    gen.flow(
        np.zeros((4, 2, 2, 1)), np.array([0, 0, 1, 1]), subset="training", ignore_class_split=True
    )
    with pytest.raises(ValueError, match="needs a validation split.*validation_split=0.2"):
        ImageDataGenerator().flow(np.zeros((4, 2, 2, 1)), subset="validation")
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        gen.flow(np.zeros((4, 2, 2, 1)), batch_size=0)
    with pytest.warns(UserWarning, match="expected 1, 3 or 4 channels on axis 3"):
        gen.flow(np.zeros((4, 2, 2, 7)))


def test_flow_save_to_dir(tmp_path):
    pytest.importorskip("PIL")
    x = np.random.default_rng(0).uniform(0, 255, size=(3, 4, 4, 3))
    ImageDataGenerator().flow(x, batch_size=3, save_to_dir=tmp_path, save_prefix="aug")[0]
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 3 and all(n.startswith("aug_") and n.endswith(".png") for n in names)


def test_fit_on_flow_trains_with_validation_data():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 255, size=(24, 6, 6, 3)).astype(np.float32)
    y = keras.utils.to_categorical(np.arange(24) % 2, 2)
    gen = ImageDataGenerator(rescale=1 / 255, horizontal_flip=True, validation_split=0.25)
    model = keras.Sequential(
        [
            keras.Input((6, 6, 3)),
            keras.layers.Flatten(),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(
        gen.flow(x, y, batch_size=6, subset="training", seed=0),
        validation_data=gen.flow(x, y, batch_size=6, subset="validation"),
        epochs=2,
        verbose=0,
    )
    assert len(history.history["loss"]) == 2 and "val_loss" in history.history


# -------------------------------------------------------------------- flow_from_directory()


def _write_tree(root, counts=(("cats", 3), ("dogs", 2)), size=(5, 4)):
    Image = pytest.importorskip("PIL.Image")
    rng = np.random.default_rng(0)
    pixels = {}
    for name, count in counts:
        (root / name).mkdir()
        for i in range(count):
            array = rng.integers(0, 256, size=(size[0], size[1], 3), dtype=np.uint8)
            Image.fromarray(array).save(root / name / f"img_{i}.png")
            pixels[f"{name}/img_{i}.png"] = array
    (root / counts[0][0] / "notes.txt").write_text("not an image")
    return pixels


def test_flow_from_directory_lists_classes_and_reads_exact_pixels(tmp_path, capsys):
    pixels = _write_tree(tmp_path)
    it = ImageDataGenerator().flow_from_directory(
        tmp_path, target_size=(5, 4), batch_size=2, shuffle=False
    )
    assert "Found 5 images belonging to 2 classes." in capsys.readouterr().out
    assert it.class_indices == {"cats": 0, "dogs": 1} and it.num_classes == 2
    assert it.samples == it.n == 5 and len(it) == 3
    assert it.classes.tolist() == [0, 0, 0, 1, 1] and it.labels is it.classes
    assert it.filenames == [f"cats/img_{i}.png" for i in range(3)] + [
        f"dogs/img_{i}.png" for i in range(2)
    ]
    assert it.filepaths[0] == str(tmp_path / "cats" / "img_0.png")
    batches = [it[i] for i in range(len(it))]
    images = np.concatenate([b[0] for b in batches])
    labels = np.concatenate([b[1] for b in batches])
    assert images.shape == (5, 5, 4, 3) and images.dtype == np.float32
    np.testing.assert_array_equal(labels, np.eye(2)[[0, 0, 0, 1, 1]])
    for image, name in zip(images, it.filenames):
        np.testing.assert_array_equal(image, pixels[name].astype(np.float32))


@pytest.mark.parametrize(
    "class_mode, check",
    [
        ("binary", lambda x, y: y.tolist() == [0, 0, 0, 1, 1] and y.dtype == np.float32),
        ("sparse", lambda x, y: y.tolist() == [0, 0, 0, 1, 1]),
        ("input", lambda x, y: np.array_equal(x, y) and x is not y),
    ],
)
def test_flow_from_directory_class_modes(tmp_path, class_mode, check):
    _write_tree(tmp_path)
    it = ImageDataGenerator().flow_from_directory(
        tmp_path, target_size=(5, 4), class_mode=class_mode, batch_size=5, shuffle=False
    )
    x, y = it[0]
    assert check(x, y)


def test_flow_from_directory_options(tmp_path):
    _write_tree(tmp_path)
    gen = ImageDataGenerator(rescale=1 / 255, validation_split=0.5)
    bare = gen.flow_from_directory(
        tmp_path, target_size=(3, 2), class_mode=None, color_mode="grayscale"
    )
    batch = bare[0]
    assert isinstance(batch, np.ndarray) and batch.shape == (5, 3, 2, 1)
    assert 0 <= batch.min() and batch.max() <= 1
    # The split is taken per class folder: the first files of each class are validation.
    val = gen.flow_from_directory(tmp_path, target_size=(5, 4), subset="validation", shuffle=False)
    train = gen.flow_from_directory(tmp_path, target_size=(5, 4), subset="training", shuffle=False)
    assert val.filenames == ["cats/img_0.png", "dogs/img_0.png"]
    assert train.filenames == ["cats/img_1.png", "cats/img_2.png", "dogs/img_1.png"]
    only = ImageDataGenerator().flow_from_directory(
        tmp_path, target_size=(5, 4), classes=["dogs"], shuffle=False
    )
    assert only.samples == 2 and only.class_indices == {"dogs": 0}
    first = ImageDataGenerator(data_format="channels_first").flow_from_directory(
        tmp_path, target_size=(5, 4), color_mode="rgba", batch_size=1
    )
    assert first[0][0].shape == (1, 4, 5, 4)


def test_flow_from_directory_errors(tmp_path):
    _write_tree(tmp_path)
    gen = ImageDataGenerator()
    with pytest.raises(FileNotFoundError, match="'.*missing' does not exist"):
        gen.flow_from_directory(tmp_path / "missing")
    with pytest.raises(ValueError, match="Invalid class_mode 'onehot'; expected one of"):
        gen.flow_from_directory(tmp_path, class_mode="onehot")
    with pytest.raises(ValueError, match="Invalid color_mode 'cmyk'"):
        gen.flow_from_directory(tmp_path, color_mode="cmyk")
    with pytest.raises(ValueError, match="invalid subset name 'train'"):
        ImageDataGenerator(validation_split=0.2).flow_from_directory(tmp_path, subset="train")
    with pytest.raises(ValueError, match="needs a validation split"):
        gen.flow_from_directory(tmp_path, subset="validation")
    with pytest.warns(UserWarning, match="no folder for class"):
        gen.flow_from_directory(tmp_path, classes=["cats", "birds"])


def test_model_fit_on_flow_from_directory(tmp_path):
    _write_tree(tmp_path, counts=(("a", 4), ("b", 4)), size=(8, 8))
    gen = ImageDataGenerator(rescale=1 / 255, rotation_range=10, horizontal_flip=True)
    train = gen.flow_from_directory(tmp_path, target_size=(8, 8), batch_size=3, seed=1)
    val = ImageDataGenerator(rescale=1 / 255).flow_from_directory(
        tmp_path, target_size=(8, 8), batch_size=4, shuffle=False
    )
    model = keras.Sequential(
        [
            keras.Input((8, 8, 3)),
            keras.layers.Flatten(),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile("adam", "categorical_crossentropy")
    history = model.fit(train, epochs=1, validation_data=val, verbose=0)
    assert np.isfinite(history.history["loss"][0]) and "val_loss" in history.history
    history = model.fit(train, epochs=1, steps_per_epoch=2, verbose=0)
    assert np.isfinite(history.history["loss"][0])


# -------------------------------------------------------------------------------- the module


def test_module_namespace_and_reexports():
    assert tf.keras.preprocessing.image is kimage
    assert kimage.load_img is keras.utils.load_img
    assert kimage.img_to_array is keras.utils.img_to_array
    assert kimage.array_to_img is keras.utils.array_to_img
    assert kimage.save_img is keras.utils.save_img
    assert isinstance(kimage.DataFrameIterator, type)


def test_flow_from_directory_keep_aspect_ratio_and_deep_grayscale_as_keras(tmp_path):
    from PIL import Image

    (tmp_path / "c").mkdir()
    array = (np.arange(4 * 6 * 3).reshape(4, 6, 3) * 5 % 256).astype(np.uint8)
    Image.fromarray(array).save(tmp_path / "c" / "a.png")
    gen = ImageDataGenerator()
    x, _ = gen.flow_from_directory(
        str(tmp_path),
        target_size=(2, 2),
        keep_aspect_ratio=True,
        interpolation="bilinear",
        shuffle=False,
    )[0]
    # tf_keras 2.21 values: Pillow resizes the centred 4x4 box of the full image.
    np.testing.assert_array_equal(x[0, ..., 0], [[87, 117], [119, 149]])
    deep = tmp_path / "deep"
    (deep / "c").mkdir(parents=True)
    values = np.array([[0, 300], [1000, 65535]], dtype=np.uint16)
    Image.fromarray(values).save(deep / "c" / "a.png")
    x, _ = gen.flow_from_directory(
        str(deep), target_size=(2, 2), color_mode="grayscale", shuffle=False
    )[0]
    # As Keras: 16-bit grayscale images keep their values.
    np.testing.assert_array_equal(x[0, ..., 0], values)


def test_smart_resize_is_exported_here():
    from tork.keras.preprocessing import image

    assert image.smart_resize(np.zeros((6, 9, 3)), (2, 2)).shape == (2, 2, 3)


# ------------------------------------------------------------------------ flow_from_dataframe


def _frame_and_images(tmp_path):
    pandas = pytest.importorskip("pandas")
    from PIL import Image

    folder = tmp_path / "imgs"
    folder.mkdir()
    for i in range(6):
        Image.fromarray(np.full((5, 7, 3), 40 * i, np.uint8)).save(folder / f"im{i}.png")
    (folder / "notes.txt").write_text("x")
    frame = pandas.DataFrame(
        {
            "filename": ["im0.png", "im1.png", "missing.png", "im2.png", "notes.txt"]
            + ["im3.png", "im4.png", "im5.png"],
            "class": ["dog", "cat", "cat", "dog", "cat", "bird", "cat", "dog"],
            "tags": [["a"], ["b", "a"], ["a"], ["c"], ["a"], ["b"], ["a", "c"], ["c"]],
            "score": [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5],
            "w": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
        }
    )
    return frame, folder


def _batches(iterator):
    return [iterator[i] for i in range(len(iterator))]


def test_flow_from_dataframe_as_tf_keras(tmp_path, capsys):
    # Every expected value below is what tf_keras 2.21 gives on the same frame and files.
    frame, folder = _frame_and_images(tmp_path)
    gen = ImageDataGenerator(rescale=1 / 255.0)
    kw = dict(target_size=(4, 6), shuffle=False)
    with pytest.warns(
        UserWarning, match=r'Found 2 invalid image filename\(s\) in x_col="filename"'
    ):
        it = gen.flow_from_dataframe(frame, str(folder), batch_size=3, **kw)
    assert capsys.readouterr().out == (
        "Found 6 validated image filenames belonging to 3 classes.\n"
    )
    assert it.class_indices == {"bird": 0, "cat": 1, "dog": 2}
    assert it.filenames == [f"im{i}.png" for i in range(6)]
    (x0, y0), (x1, y1) = _batches(it)
    assert x0.shape == (3, 4, 6, 3) and x0.dtype == np.float32
    np.testing.assert_allclose(x0[:, 0, 0, 0], [0.0, 40 / 255, 80 / 255], rtol=1e-6)
    np.testing.assert_array_equal(y0, [[0, 0, 1], [0, 1, 0], [0, 0, 1]])
    np.testing.assert_array_equal(y1, [[1, 0, 0], [0, 1, 0], [0, 0, 1]])

    with pytest.warns(UserWarning):
        it = gen.flow_from_dataframe(
            frame, str(folder), class_mode="sparse", classes=["dog", "cat"], batch_size=4, **kw
        )
    assert it.class_indices == {"dog": 0, "cat": 1}  # given classes keep their order
    assert it.filenames == ["im0.png", "im1.png", "im2.png", "im4.png", "im5.png"]
    assert [y.tolist() for _, y in _batches(it)] == [[0.0, 1.0, 0.0, 1.0], [0.0]]

    with pytest.warns(UserWarning):
        it = gen.flow_from_dataframe(
            frame, str(folder), y_col="tags", weight_col="w", batch_size=4, **kw
        )
    (_, y, w), _ = _batches(it)
    np.testing.assert_array_equal(y, [[1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 0]])
    np.testing.assert_array_equal(w, [1.0, 2.0, 4.0, 6.0])

    with pytest.warns(UserWarning):
        raw = gen.flow_from_dataframe(
            frame, str(folder), y_col="score", class_mode="raw", batch_size=4, **kw
        )
        multi = gen.flow_from_dataframe(
            frame, str(folder), y_col=["score", "w"], class_mode="multi_output", batch_size=4, **kw
        )
    assert [y.tolist() for _, y in _batches(raw)] == [[0.5, 1.5, 3.5, 5.5], [6.5, 7.5]]
    _, outputs = _batches(multi)[1]
    assert [o.tolist() for o in outputs] == [[6.5, 7.5], [7.0, 8.0]]


def test_flow_from_dataframe_subsets_and_modes_as_tf_keras(tmp_path):
    frame, folder = _frame_and_images(tmp_path)
    split = ImageDataGenerator(validation_split=0.34)
    with pytest.warns(UserWarning):
        val = split.flow_from_dataframe(
            frame, str(folder), class_mode=None, target_size=(4, 6), shuffle=False,
            subset="validation",
        )  # fmt: skip
        train = split.flow_from_dataframe(
            frame, str(folder), class_mode="input", target_size=(2, 2), batch_size=8,
            shuffle=False, subset="training", color_mode="grayscale",
        )  # fmt: skip
    assert val.filenames == ["im0.png", "im1.png"]  # the first rows are the validation rows
    assert val[0][:, 0, 0, 0].tolist() == [0.0, 40.0]
    x, y = train[0]
    assert train.filenames == ["im2.png", "im3.png", "im4.png", "im5.png"]
    assert x.shape == (4, 2, 2, 1) and x[:, 0, 0, 0].tolist() == [80.0, 120.0, 160.0, 200.0]
    np.testing.assert_array_equal(x, y)
    # Full paths with directory=None, without validation.
    rows = frame.iloc[[0, 1, 3, 6, 7]].assign(
        filename=lambda f: [str(folder / name) for name in f.filename]
    )
    binary = ImageDataGenerator().flow_from_dataframe(
        rows, None, class_mode="binary", target_size=(4, 6), shuffle=False,
        validate_filenames=False,
    )  # fmt: skip
    assert binary.class_indices == {"cat": 0, "dog": 1}
    assert binary[0][1].tolist() == [1.0, 0.0, 1.0, 0.0, 1.0]


def test_flow_from_dataframe_errors(tmp_path):
    frame, folder = _frame_and_images(tmp_path)
    gen = ImageDataGenerator()
    cases = [
        (dict(class_mode="binary"), ValueError, 'class_mode="binary" there must be 2 classes. '
         "Found 3 classes"),
        (dict(class_mode="sparse", y_col="tags"), TypeError,
         'class_mode="sparse", y_col="tags" column values must be strings'),
        (dict(class_mode="multi_output", y_col="score"), TypeError,
         'class_mode="multi_output", y_col must be a list'),
        (dict(weight_col="class"), TypeError, "Column weight_col=class must be numeric"),
        (dict(class_mode="onehot"), ValueError, "Invalid class_mode 'onehot'"),
        (dict(x_col="path"), KeyError, "the DataFrame has no column 'path'"),
    ]  # fmt: skip
    for kwargs, error, message in cases:
        with pytest.raises(error, match=re.escape(message)):
            gen.flow_from_dataframe(frame, str(folder), **kwargs)


def test_model_fit_on_flow_from_dataframe(tmp_path):
    frame, folder = _frame_and_images(tmp_path)
    with pytest.warns(UserWarning):
        train = ImageDataGenerator(rescale=1 / 255.0).flow_from_dataframe(
            frame, str(folder), target_size=(4, 6), batch_size=4, seed=0
        )
    model = keras.Sequential(
        [keras.Input((4, 6, 3)), keras.layers.Flatten(), keras.layers.Dense(3, "softmax")]
    )
    model.compile("adam", "categorical_crossentropy")
    history = model.fit(train, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()
