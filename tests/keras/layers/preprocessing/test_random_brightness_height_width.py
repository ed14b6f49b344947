"""RandomBrightness, RandomHeight, RandomWidth and the TF 2.x `experimental.preprocessing` names.

Random draws cannot match TensorFlow's: brightness is checked through the per-image shift it
adds (constant over pixels and channels, within `factor * range`, clipped), and the resizing
layers through their output sizes and degenerate factor ranges against NumPy.
"""

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras
from tork.keras.layers.preprocessing import RandomBrightness, RandomHeight, RandomWidth

RNG = np.random.default_rng(11)


def _np(t):
    return t.detach().cpu().numpy()


def _images(n=4, h=6, w=8, c=3, high=255.0):
    return (RNG.random((n, h, w, c)) * high).astype(np.float32)


LAYERS = [
    lambda: RandomBrightness(0.3, seed=1),
    lambda: RandomHeight(0.4, seed=1),
    lambda: RandomWidth((0.2, 0.5), seed=1),
]


@pytest.mark.parametrize("make", LAYERS)
def test_identity_at_inference(make):
    layer = make()
    images = _images()
    np.testing.assert_array_equal(_np(layer(images, training=False)), images)
    ints = layer(images.astype(np.uint8), training=False)
    assert ints.dtype == torch.float32
    np.testing.assert_array_equal(_np(ints), images.astype(np.uint8))


@pytest.mark.parametrize("make", LAYERS)
def test_seeded_layers_repeat_their_draws(make):
    images = _images(h=10, w=10)
    a = _np(make()(images, training=True))
    b = _np(make()(images, training=True))
    np.testing.assert_array_equal(a, b)


def test_brightness_adds_one_shift_per_image_within_factor_times_range():
    images = _images(n=64, high=100.0) + 50.0  # in [50, 150]: no clipping for |shift| <= 50
    layer = RandomBrightness(0.15, value_range=(0, 255), seed=3)
    out = _np(layer(images, training=True))
    shift = out - images
    per_image = shift[:, :1, :1, :1]
    np.testing.assert_allclose(shift, np.broadcast_to(per_image, shift.shape), atol=1e-4)
    assert np.all(np.abs(per_image) <= 0.15 * 255 + 1e-3)
    assert per_image.min() < 0 < per_image.max()  # both directions over 64 draws
    assert len(np.unique(np.round(per_image, 3))) > 32  # one draw per image


def test_brightness_pair_factor_and_clipping_to_value_range():
    images = _images(n=16, high=1.0)
    out = _np(RandomBrightness((0.5, 0.5), value_range=(0.0, 1.0))(images, training=True))
    np.testing.assert_allclose(out, np.clip(images + 0.5, 0.0, 1.0), atol=1e-6)
    dark = RandomBrightness((-1.0, -1.0), value_range=[1.0, 0.0])  # order does not matter
    np.testing.assert_array_equal(_np(dark(images, training=True)), np.zeros_like(images))
    shifted = _np(RandomBrightness((0.2, 0.4), value_range=(0, 1), seed=0)(images, training=True))
    shift = (shifted - images)[np.clip(images + 0.4, 0, 1) < 1.0]
    assert np.all((shift >= 0.2 - 1e-6) & (shift <= 0.4 + 1e-6))


def test_brightness_unbatched_and_channels_first():
    image = _images(n=1)[0]
    out = _np(RandomBrightness((0.1, 0.1))(image, training=True))
    np.testing.assert_allclose(out, np.clip(image + 25.5, 0, 255), rtol=1e-6)
    chw = np.transpose(_images(n=2), (0, 3, 1, 2))
    layer = RandomBrightness((0.1, 0.1), data_format="channels_first")
    np.testing.assert_allclose(_np(layer(chw, training=True)), np.clip(chw + 25.5, 0, 255))


def test_height_and_width_sizes_stay_in_the_factor_range():
    images = _images(n=2, h=20, w=30)
    heights, widths = set(), set()
    h_layer, w_layer = RandomHeight((-0.5, 0.25), seed=0), RandomWidth(0.3, seed=0)
    for _ in range(40):
        out = h_layer(images, training=True)
        assert out.shape[0] == 2 and out.shape[2:] == (30, 3)
        heights.add(out.shape[1])
        out = w_layer(images, training=True)
        assert out.shape[:2] == (2, 20) and out.shape[3] == 3
        widths.add(out.shape[2])
    assert min(heights) >= int(20 * 0.5) and max(heights) <= int(20 * 1.25)
    assert min(widths) >= int(30 * 0.7) and max(widths) <= int(30 * 1.3)
    assert len(heights) > 3 and len(widths) > 3


def test_fixed_factor_resizes_like_numpy_interpolation():
    images = _images(n=2, h=4, w=6)
    # Height x2 with nearest: each row repeated twice (half-pixel centers).
    out = _np(RandomHeight((1.0, 1.0), interpolation="nearest")(images, training=True))
    np.testing.assert_array_equal(out, np.repeat(images, 2, axis=1))
    # Width /2 with bilinear: the mean of each pair of columns.
    out = _np(RandomWidth((-0.5, -0.5))(images, training=True))
    want = (images[:, :, 0::2] + images[:, :, 1::2]) / 2
    np.testing.assert_allclose(out, want, rtol=1e-5)
    # Unbatched and channels-first inputs keep their layout.
    out = RandomWidth((1.0, 1.0), interpolation="nearest")(images[0], training=True)
    np.testing.assert_array_equal(_np(out), np.repeat(images[0], 2, axis=1))
    chw = np.transpose(images, (0, 3, 1, 2))
    layer = RandomHeight((1.0, 1.0), interpolation="nearest", data_format="channels_first")
    np.testing.assert_array_equal(_np(layer(chw, training=True)), np.repeat(chw, 2, axis=2))


def test_compute_output_shape_and_configs():
    assert RandomHeight(0.2).compute_output_shape((None, 8, 9, 3)) == (None, None, 9, 3)
    assert RandomWidth(0.2).compute_output_shape((None, 8, 9, 3)) == (None, 8, None, 3)
    layer = RandomWidth(0.2, data_format="channels_first")
    assert layer.compute_output_shape((None, 3, 8, 9)) == (None, 3, 8, None)
    assert RandomBrightness(0.2).compute_output_shape((None, 8, 9, 3)) == (None, 8, 9, 3)
    for layer in (
        RandomBrightness((-0.2, 0.4), value_range=(0, 1), seed=3),
        RandomHeight((0.1, 0.3), interpolation="bicubic", seed=1),
        RandomWidth(0.5, interpolation="nearest"),
    ):
        config = layer.get_config()
        assert type(layer).from_config(config).get_config() == config


def test_in_a_model_and_fit():
    model = keras.Sequential(
        [
            keras.Input((8, 8, 3)),
            keras.layers.RandomBrightness(0.1),
            keras.layers.RandomHeight(0.25),
            keras.layers.RandomWidth(0.25),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(1),
        ]
    )
    x = _images(n=8, h=8, w=8)
    model.compile("sgd", "mse")
    model.fit(x, np.zeros((8, 1), np.float32), batch_size=4, epochs=1, verbose=0)
    assert model.predict(x, verbose=0).shape == (8, 1)


def test_errors():
    with pytest.raises(ValueError, match=r"RandomBrightness: `factor` must be .*\[-1.0, 1.0\]"):
        RandomBrightness(1.5)
    with pytest.raises(ValueError, match=r"Received: factor=\(0.1, 0.2, 0.3\)"):
        RandomBrightness((0.1, 0.2, 0.3))
    with pytest.raises(ValueError, match="`value_range` must be a list or tuple of two numbers"):
        RandomBrightness(0.1, value_range=(0, 1, 2))
    with pytest.raises(ValueError, match="upper bound less than the lower bound"):
        RandomHeight((0.3, 0.1))
    with pytest.raises(ValueError, match="RandomWidth: `factor` must have values larger than -1"):
        RandomWidth((-1.5, 0.1))
    with pytest.raises(ValueError, match="RandomHeight: `factor` must be a number or a pair"):
        RandomHeight("big")
    with pytest.raises(ValueError, match="invalid interpolation 'cubic'"):
        RandomWidth(0.1, interpolation="cubic")
    with pytest.raises(ValueError, match=r"rank 3 .*got shape \(6, 6\)"):
        RandomHeight(0.1)(np.zeros((6, 6), np.float32), training=True)


def test_tf2_experimental_preprocessing_aliases():
    from tork.keras.layers.experimental import preprocessing

    assert tf.keras.layers.experimental.preprocessing is preprocessing
    for name in (
        "Normalization",
        "Rescaling",
        "Resizing",
        "RandomFlip",
        "RandomRotation",
        "RandomZoom",
        "RandomHeight",
        "RandomWidth",
        "TextVectorization",
        "StringLookup",
        "IntegerLookup",
        "CategoryEncoding",
    ):
        assert getattr(preprocessing, name) is getattr(keras.layers, name), name
    scaled = tf.keras.layers.experimental.preprocessing.Rescaling(1.0 / 255)(
        np.full((1, 2, 2, 3), 255.0, np.float32)
    )
    np.testing.assert_allclose(_np(scaled), np.ones((1, 2, 2, 3)))
    assert tf.keras.layers.experimental.EinsumDense is keras.layers.EinsumDense
    assert preprocessing.Hashing is keras.layers.Hashing
    # The base of adaptable layers (tests/keras/layers/preprocessing/
    # test_sweep_ktprep_preprocessing_layer.py).
    assert issubclass(preprocessing.PreprocessingLayer, keras.layers.Layer)


def test_random_height_output_size_is_unknown_in_the_functional_api():
    # tf_keras 2.21: (None, None, 24, 3), and a Dense after Flatten cannot be built.
    inputs = keras.Input((20, 24, 3))
    resized = keras.layers.RandomHeight(0.3)(inputs)
    assert tuple(resized.shape) == (None, None, 24, 3)
    assert tuple(keras.layers.RandomWidth(0.3)(inputs).shape) == (None, 20, None, 3)
    pooled = keras.layers.GlobalAveragePooling2D()(resized)
    model = keras.Model(inputs, keras.layers.Dense(2)(pooled))
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 20, 24, 3), "float32"), np.ones((4, 2), "float32"), verbose=0)
    with pytest.raises(ValueError, match="last dimension of the input must be known"):
        keras.layers.Dense(2)(keras.layers.Flatten()(resized))
