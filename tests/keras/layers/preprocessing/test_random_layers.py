"""Tests for the random image augmentation layers.

Random draws cannot match TensorFlow's, so the geometry is checked with
degenerate factor ranges (a fixed rotation, shift or zoom) against NumPy.
"""

import numpy as np
import pytest
import torch

from tork.keras.layers.preprocessing import (
    RandomContrast,
    RandomCrop,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
    Resizing,
)

RNG = np.random.default_rng(4)


def _np(t):
    return t.detach().cpu().numpy()


def _images(n=4, h=6, w=6, c=3):
    return RNG.random((n, h, w, c)).astype(np.float32) * 255


LAYERS = [
    lambda: RandomFlip(seed=1),
    lambda: RandomRotation(0.2, seed=1),
    lambda: RandomTranslation(0.3, 0.3, seed=1),
    lambda: RandomZoom(0.3, seed=1),
    lambda: RandomContrast(0.5, seed=1),
]


@pytest.mark.parametrize("make", LAYERS)
def test_identity_at_inference_and_change_in_training(make):
    layer = make()
    images = _images()
    out = layer(images, training=False)
    np.testing.assert_array_equal(_np(out), images)
    out = layer(images, training=True)
    assert tuple(out.shape) == images.shape and out.dtype == torch.float32
    assert not np.allclose(_np(out), images)
    # Integer images come out as floats, unchanged at inference.
    ints = layer(images.astype(np.uint8), training=False)
    assert ints.dtype == torch.float32
    np.testing.assert_array_equal(_np(ints), images.astype(np.uint8))


@pytest.mark.parametrize("make", LAYERS)
def test_seed_reproducible_unbatched_and_channels_first(make):
    images = _images()
    a, b = make(), make()
    np.testing.assert_array_equal(_np(a(images, training=True)), _np(b(images, training=True)))
    assert tuple(make()(images[0], training=True).shape) == images.shape[1:]
    layer = make()
    if "data_format" in layer.get_config():
        config = dict(layer.get_config(), data_format="channels_first")
        config.pop("name")
        first = type(layer).from_config(config)
        out = first(np.transpose(images, (0, 3, 1, 2)), training=True)
        assert tuple(out.shape) == (4, 3, 6, 6)


def test_rotation_by_a_quarter_turn_is_rot90():
    image = np.arange(25, dtype=np.float32).reshape(1, 5, 5, 1)
    out = RandomRotation((0.25, 0.25))(image, training=True)
    # Positive factors rotate counter-clockwise.
    np.testing.assert_allclose(_np(out)[0, :, :, 0], np.rot90(image[0, :, :, 0]), atol=1e-4)


def test_translation_fill_modes():
    image = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    rows = image[0, :, :, 0]
    expected = {
        "constant": np.vstack([np.full((2, 4), -1.0), rows[:2]]),
        "wrap": np.roll(rows, 2, axis=0),
        "reflect": np.vstack([rows[1::-1], rows[:2]]),
        "nearest": np.vstack([rows[:1], rows[:1], rows[:2]]),
    }
    for mode, target in expected.items():
        layer = RandomTranslation((0.5, 0.5), (0.0, 0.0), fill_mode=mode, fill_value=-1.0)
        out = _np(layer(image, training=True))[0, :, :, 0]
        np.testing.assert_allclose(out, target, err_msg=mode)
    # A negative width factor shifts left; a fractional shift interpolates linearly.
    left = RandomTranslation((0.0, 0.0), (-0.125, -0.125), fill_mode="nearest")
    out = _np(left(image, training=True))[0, :, :, 0]
    shifted = np.hstack([rows, rows[:, -1:]])
    np.testing.assert_allclose(out, 0.5 * (shifted[:, :4] + shifted[:, 1:]))


def _lerp_matrix(positions, n):
    m = np.zeros((len(positions), n))
    for i, p in enumerate(positions):
        lo = int(np.floor(p))
        frac = p - lo
        m[i, lo] += 1 - frac
        if frac:
            m[i, lo + 1] += frac
    return m


def test_zoom_in_by_two_samples_the_center():
    image = RNG.random((1, 4, 6, 1)).astype(np.float32)
    out = _np(RandomZoom((-0.5, -0.5))(image, training=True))[0, :, :, 0]
    # Zoom 0.5 about the center: input coordinate = 0.5 * x + (n - 1) / 4.
    ys = 0.5 * np.arange(4) + 3 / 4
    xs = 0.5 * np.arange(6) + 5 / 4
    expected = _lerp_matrix(ys, 4) @ image[0, :, :, 0] @ _lerp_matrix(xs, 6).T
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    # Separate width zoom: only the width changes.
    wide = RandomZoom((0.0, 0.0), width_factor=(-0.5, -0.5))(image, training=True)
    np.testing.assert_allclose(
        _np(wide)[0, :, :, 0], image[0, :, :, 0] @ _lerp_matrix(xs, 6).T, rtol=1e-5, atol=1e-6
    )


def test_zoom_out_with_constant_fill():
    image = np.ones((1, 5, 5, 1), np.float32)
    out = _np(RandomZoom((1.0, 1.0), fill_mode="constant", fill_value=0.0)(image, training=True))
    # Zoom 2 about the center (2, 2): output pixel x reads input 2x - 2.
    np.testing.assert_array_equal(out[0, :, :, 0][[0, 4]], 0.0)
    np.testing.assert_array_equal(out[0, 1:4, 1:4, 0], 1.0)


def test_flip_modes():
    images = _images(n=64)
    out = _np(RandomFlip("horizontal", seed=3)(images, training=True))
    same = np.all(out == images, axis=(1, 2, 3))
    flipped = np.all(out == images[:, :, ::-1], axis=(1, 2, 3))
    assert np.all(same | flipped) and 10 < flipped.sum() < 54
    out = _np(RandomFlip("vertical", seed=3)(images, training=True))
    flipped = np.all(out == images[:, ::-1], axis=(1, 2, 3))
    assert np.all(np.all(out == images, axis=(1, 2, 3)) | flipped) and 10 < flipped.sum() < 54


def test_contrast_factor_range_and_clipping():
    images = _images(n=32)
    lower, upper = 0.3, 0.6
    out = _np(RandomContrast((lower, upper), value_range=(0, 255), seed=2)(images, training=True))
    mean = images.mean(axis=(1, 2), keepdims=True)
    # Recover each image's factor by least squares from the unclipped pixels.
    for i in range(len(images)):
        inside = (out[i] > 0) & (out[i] < 255)
        d = (images[i] - mean[i])[inside]
        factor = (d * (out[i] - mean[i])[inside]).sum() / (d * d).sum()
        assert 1 - lower - 1e-4 <= factor <= 1 + upper + 1e-4
        np.testing.assert_allclose(
            out[i], np.clip((images[i] - mean[i]) * factor + mean[i], 0, 255), rtol=1e-4, atol=1e-3
        )
    assert out.min() >= 0 and out.max() <= 255


def test_random_crop():
    images = _images(n=3, h=8, w=10)
    layer = RandomCrop(4, 5, seed=0)
    out = _np(layer(images, training=True))
    assert out.shape == (3, 4, 5, 3)
    windows = [
        (top, left)
        for top in range(5)
        for left in range(6)
        if np.array_equal(out, images[:, top : top + 4, left : left + 5])
    ]
    assert len(windows) == 1  # one location for the whole batch
    # Inference: largest centered window of the target aspect ratio, resized.
    expected = Resizing(4, 5, crop_to_aspect_ratio=True)(images)
    np.testing.assert_allclose(_np(layer(images, training=False)), _np(expected))
    # An image not larger than the target is resized in training too.
    small = images[:, :4, :4]
    np.testing.assert_allclose(
        _np(layer(small, training=True)), _np(Resizing(4, 5, crop_to_aspect_ratio=True)(small))
    )
    assert layer.compute_output_shape((None, 8, 10, 3)) == (None, 4, 5, 3)


def test_configs_round_trip():
    layers = [
        RandomFlip("vertical", seed=1),
        RandomRotation((-0.1, 0.2), fill_mode="constant", fill_value=3.0, seed=2),
        RandomTranslation(0.1, (0.0, 0.2), interpolation="nearest"),
        RandomZoom(0.2, 0.3, fill_mode="wrap"),
        RandomContrast(0.4, value_range=(0, 1)),
        RandomCrop(3, 4, seed=5),
    ]
    for layer in layers:
        config = layer.get_config()
        assert type(layer).from_config(config).get_config() == config


def test_errors():
    with pytest.raises(ValueError, match="unknown mode argument 'diagonal'"):
        RandomFlip("diagonal")
    with pytest.raises(ValueError, match=r"height_factor` must be in the range \[-1.0, 1.0\]"):
        RandomTranslation(1.5, 0.1)
    with pytest.raises(NotImplementedError, match="Unknown `fill_mode` 'mirror'"):
        RandomRotation(0.1, fill_mode="mirror")
    with pytest.raises(ValueError, match="invalid interpolation 'bicubic'"):
        RandomZoom(0.1, interpolation="bicubic")
    with pytest.raises(ValueError, match="cannot have negative values"):
        RandomContrast(-0.2)
    with pytest.raises(ValueError, match=r"rank 3 .*got shape \(6, 6\)"):
        RandomFlip()(np.zeros((6, 6), np.float32), training=True)


@pytest.mark.parametrize("make", LAYERS)
def test_training_defaults_to_true_like_keras(make):
    # TF 2.21 (Keras 2 and 3): `layer(x)` and `model(x)` augment outside fit,
    # only `predict` (training=False) leaves the images alone.
    from tork import keras

    images = _images()
    assert not np.allclose(_np(make()(images)), images)
    model = keras.Sequential([keras.Input((6, 6, 3)), make()])
    assert not np.allclose(_np(model(images)), images)
    np.testing.assert_array_equal(model.predict(images, verbose=0), images)
    # Inside an outer call that says training=False, the layer follows it.
    np.testing.assert_array_equal(_np(model(images, training=False)), images)


def test_functional_model_with_random_crop_builds_and_augments():
    # Building on keras.Input runs the layer symbolically: no random draws there.
    from tork import keras

    images = _images(n=2, h=8, w=10)
    inputs = keras.Input((8, 10, 3))
    model = keras.Model(inputs, RandomCrop(4, 5, seed=0)(inputs))
    assert tuple(model.output.shape) == (None, 4, 5, 3)
    out = _np(model(images))
    assert any(
        np.array_equal(out, images[:, t : t + 4, s : s + 5]) for t in range(5) for s in range(6)
    )
    expected = Resizing(4, 5, crop_to_aspect_ratio=True)(images)
    np.testing.assert_allclose(model.predict(images, verbose=0), _np(expected), rtol=1e-6)
