"""Tests for Keras 3's colour augmentation layers and Pipeline (tork/keras/layers/preprocessing).

The expected arrays were computed with Keras 3.15 (TensorFlow 2.21 backend) on the same
inputs, with factors fixed (`factor=(f, f)`) so that the layers are deterministic.
"""

import numpy as np
import pytest
import torch

from tork import keras
from tork.keras.layers.preprocessing import (
    AutoContrast,
    Equalization,
    Pipeline,
    RandomColorDegeneration,
    RandomColorJitter,
    RandomGrayscale,
    RandomHue,
    RandomInvert,
    RandomPosterization,
    RandomSaturation,
    RandomSharpness,
    Solarization,
)

X = np.array(
    [
        [
            [[10, 100, 200], [0, 255, 30], [60, 60, 60]],
            [[5, 128, 250], [90, 20, 180], [255, 255, 255]],
        ]
    ],
    "float32",
)  # (1, 2, 3, 3)
G = (np.arange(4 * 5).reshape(1, 4, 5, 1) * 13 % 256).astype("float32")
B = np.array(
    [[[[0.0], [40.0]], [[40.0], [200.0]]], [[[10.0], [40.0]], [[90.0], [250.0]]]], "float32"
)  # (2, 2, 2, 1)

# Keras 3.15 outputs.
AUTO = np.array(
    [
        [
            [[10.0, 86.8085, 192.6667], [0.0, 255.0, 0.0], [60.0, 43.4043, 34.0]],
            [[5.0, 117.1915, 249.3333], [90.0, 0.0, 170.0], [255.0, 255.0, 255.0]],
        ]
    ],
    dtype=np.float32,
)
AUTO01 = np.array(
    [
        [
            [[0.0392, 0.3404, 0.7556], [0.0, 1.0, 0.0], [0.2353, 0.1702, 0.1333]],
            [[0.0196, 0.4596, 0.9778], [0.3529, 0.0, 0.6667], [1.0, 1.0, 1.0]],
        ]
    ],
    dtype=np.float32,
)
SOL = np.array(
    [
        [
            [[245.0, 155.0, 55.0], [255.0, 0.0, 225.0], [195.0, 195.0, 195.0]],
            [[250.0, 127.0, 5.0], [165.0, 235.0, 75.0], [0.0, 0.0, 0.0]],
        ]
    ],
    dtype=np.float32,
)
SOL01 = np.array(
    [
        [
            [[0.9608, 0.6078, 0.2157], [1.0, 0.0, 0.8824], [0.7647, 0.7647, 0.7647]],
            [[0.9804, 0.498, 0.0196], [0.6471, 0.9216, 0.2941], [0.0, 0.0, 0.0]],
        ]
    ],
    dtype=np.float32,
)
GRAY = np.array(
    [
        [
            [[84.489, 84.489, 84.489], [153.105, 153.105, 153.105], [59.994, 59.994, 59.994]],
            [
                [105.1305, 105.1305, 105.1305],
                [59.161, 59.161, 59.161],
                [254.9745, 254.9745, 254.9745],
            ],
        ]
    ],
    dtype=np.float32,
)
INV = np.array(
    [
        [
            [[0.9608, 0.6078, 0.2157], [1.0, 0.0, 0.8824], [0.7647, 0.7647, 0.7647]],
            [[0.9804, 0.498, 0.0196], [0.6471, 0.9216, 0.2941], [0.0, 0.0, 0.0]],
        ]
    ],
    dtype=np.float32,
)
POST = np.array(
    [
        [
            [[0.0, 96.0, 192.0], [0.0, 224.0, 0.0], [32.0, 32.0, 32.0]],
            [[0.0, 128.0, 224.0], [64.0, 0.0, 160.0], [224.0, 224.0, 224.0]],
        ]
    ],
    dtype=np.float32,
)
POST01 = np.array(
    [
        [
            [[0.0314, 0.3765, 0.7843], [0.0, 0.9725, 0.0941], [0.2196, 0.2196, 0.2196]],
            [[0.0, 0.502, 0.9725], [0.3451, 0.0627, 0.6902], [0.9725, 0.9725, 0.9725]],
        ]
    ],
    dtype=np.float32,
)
HUE = np.array(
    [
        [
            [[10.0, 100.0, 200.0], [0.0, 255.0, 30.0], [60.0, 60.0, 60.0]],
            [[5.0, 128.0, 250.0], [90.0, 20.0, 180.0], [255.0, 255.0, 255.0]],
        ]
    ],
    dtype=np.float32,
)
SAT = np.array(
    [
        [
            [[152.5, 175.0, 200.0], [191.25, 255.0, 198.75], [60.0, 60.0, 60.0]],
            [[188.75, 219.5, 250.0], [157.5, 140.0, 180.0], [255.0, 255.0, 255.0]],
        ]
    ],
    dtype=np.float32,
)
SAT0 = np.array(
    [
        [
            [[200.0, 200.0, 200.0], [255.0, 255.0, 255.0], [60.0, 60.0, 60.0]],
            [[250.0, 250.0, 250.0], [180.0, 180.0, 180.0], [255.0, 255.0, 255.0]],
        ]
    ],
    dtype=np.float32,
)
DEG = np.array(
    [
        [
            [[47.2445, 92.2445, 142.2445], [76.5525, 204.0525, 91.5525], [59.997, 59.997, 59.997]],
            [
                [55.0652, 116.5652, 177.5652],
                [74.5805, 39.5805, 119.5805],
                [254.9872, 254.9872, 254.9872],
            ],
        ]
    ],
    dtype=np.float32,
)
DEGNEG = np.array(
    [
        [
            [[0.0, 110.8577, 255.0], [0.0, 255.0, 0.0], [60.0042, 60.0042, 60.0042]],
            [[0.0, 144.0086, 255.0], [111.5873, 0.0, 255.0], [255.0, 255.0, 255.0]],
        ]
    ],
    dtype=np.float32,
)
SHARP0 = np.array(
    [
        [
            [[12.0], [25.0], [35.0], [45.0], [40.0]],
            [[53.0], [78.0], [91.0], [104.0], [87.0]],
            [[103.0], [143.0], [156.0], [169.0], [137.0]],
            [[112.0], [145.0], [155.0], [165.0], [140.0]],
        ]
    ],
    dtype=np.float32,
)
SHARP = np.array(
    [
        [
            [[0.0], [5.8], [20.6], [35.4], [59.2]],
            [[72.2], [78.0], [91.0], [104.0], [135.0]],
            [[146.2], [143.0], [156.0], [169.0], [209.0]],
            [[244.8], [245.8], [255.0], [255.0], [255.0]],
        ]
    ],
    dtype=np.float32,
)
EQ = np.array(
    [
        [
            [[0.0], [13.0], [27.0], [40.0], [54.0]],
            [[67.0], [81.0], [94.0], [107.0], [121.0]],
            [[134.0], [148.0], [161.0], [174.0], [188.0]],
            [[201.0], [215.0], [228.0], [242.0], [255.0]],
        ]
    ],
    dtype=np.float32,
)
EQ16 = np.array(
    [
        [
            [[0.0], [0.0], [14.0], [28.0], [57.0]],
            [[57.0], [71.0], [85.0], [113.0], [113.0]],
            [[128.0], [142.0], [170.0], [170.0], [184.0]],
            [[198.0], [212.0], [241.0], [241.0], [255.0]],
        ]
    ],
    dtype=np.float32,
)
EQB = np.array(
    [[[[0.0], [146.0]], [[146.0], [219.0]]], [[[36.0], [146.0]], [[182.0], [255.0]]]],
    dtype=np.float32,
)
JIT = np.array(
    [
        [
            [[99.7143, 131.6428, 174.5], [131.1429, 229.5, 133.0715], [34.5, 34.5, 34.5]],
            [[128.2857, 172.2143, 224.5], [115.9286, 88.2857, 154.5], [229.5, 229.5, 229.5]],
        ]
    ],
    dtype=np.float32,
)


KERAS_CASES = {
    "AUTO": (lambda: AutoContrast(), X * 0.5 + 10, False, AUTO),
    "AUTO01": (lambda: AutoContrast(value_range=(0, 1)), X / 510, True, AUTO01),
    "SOL": (lambda: Solarization(), X, True, SOL),
    "SOL01": (lambda: Solarization(value_range=(0, 1)), X / 255, True, SOL01),
    "GRAY": (lambda: RandomGrayscale(1.0), X, True, GRAY),
    "INV": (lambda: RandomInvert((1, 1), value_range=(-1, 1)), X / 255, True, INV),
    "POST": (lambda: RandomPosterization((3, 3)), X + 0.7, True, POST),
    "POST01": (lambda: RandomPosterization((5, 5), value_range=(0, 1)), X / 255, True, POST01),
    "HUE": (lambda: RandomHue((0.0, 0.0)), X, True, HUE),
    "SAT": (lambda: RandomSaturation((0.2, 0.2)), X, True, SAT),
    "SAT0": (lambda: RandomSaturation((0.0, 0.0)), X, True, SAT0),
    "DEG": (lambda: RandomColorDegeneration((0.5, 0.5)), X, True, DEG),
    "DEGNEG": (lambda: RandomColorDegeneration((-0.7, -0.7)), X, True, DEGNEG),
    "SHARP0": (lambda: RandomSharpness((0.0, 0.0)), G, True, SHARP0),
    "SHARP": (lambda: RandomSharpness((0.8, 0.8)), G, True, SHARP),
    "EQ": (lambda: Equalization(), G, True, EQ),
    "EQ16": (lambda: Equalization(bins=16), G, True, EQ16),
    "EQB": (lambda: Equalization(), B, True, EQB),
    "JIT": (
        lambda: RandomColorJitter(brightness_factor=(-0.1, -0.1), saturation_factor=(0.3, 0.3)),
        X,
        True,
        JIT,
    ),
}


def _np(t):
    return t.detach().cpu().numpy()


@pytest.mark.parametrize("key", sorted(KERAS_CASES))
def test_matches_keras_values(key):
    make, x, training, expected = KERAS_CASES[key]
    out = make()(x, training=training)
    assert out.dtype == torch.float32 and tuple(out.shape) == expected.shape
    np.testing.assert_allclose(_np(out), expected, atol=2e-3, rtol=1e-5)


@pytest.mark.parametrize("key", sorted(KERAS_CASES))
def test_unbatched_and_channels_first_agree(key):
    make, x, training, expected = KERAS_CASES[key]
    if x.shape[0] == 1:
        np.testing.assert_allclose(_np(make()(x[0], training=training)), expected[0], atol=2e-3)
    layer = make()
    config = dict(layer.get_config(), data_format="channels_first")
    config.pop("name")
    first = type(layer).from_config(config)
    out = first(np.transpose(x, (0, 3, 1, 2)), training=training)
    np.testing.assert_allclose(_np(out), np.transpose(expected, (0, 3, 1, 2)), atol=2e-3)


RANDOM_LAYERS = [
    lambda: Solarization(threshold_factor=0.8, seed=1),
    lambda: RandomGrayscale(0.5, seed=1),
    lambda: RandomInvert(seed=1),
    lambda: RandomPosterization(4, seed=1),
    lambda: RandomHue(0.5, seed=1),
    lambda: RandomSaturation(0.5, seed=1),
    lambda: RandomColorDegeneration(0.5, seed=1),
    lambda: RandomSharpness(0.5, seed=1),
    lambda: RandomColorJitter(brightness_factor=0.2, hue_factor=0.3, seed=1),
    lambda: Equalization(),
]
IMAGES = np.random.default_rng(3).integers(0, 256, (6, 5, 5, 3)).astype("float32")


@pytest.mark.parametrize("make", RANDOM_LAYERS)
def test_identity_at_inference_and_change_in_training(make):
    layer = make()
    np.testing.assert_array_equal(_np(layer(IMAGES, training=False)), IMAGES)
    ints = layer(IMAGES.astype("uint8"), training=False)
    # Like Keras 3, the colour layers return integer images as they are at inference.
    keeps = not isinstance(layer, (Solarization, RandomSharpness))
    assert ints.dtype == (torch.uint8 if keeps else torch.float32)
    np.testing.assert_array_equal(_np(ints), IMAGES.astype("uint8"))
    assert layer(IMAGES.astype("uint8"), training=True).dtype == (
        torch.uint8 if isinstance(layer, RandomGrayscale) else torch.float32
    )
    out = layer(IMAGES, training=True)
    assert tuple(out.shape) == IMAGES.shape and out.dtype == torch.float32
    assert not np.allclose(_np(out), IMAGES)
    # Keras 3 augments by default (training=True).
    assert not np.allclose(_np(layer(IMAGES)), IMAGES)
    assert float(out.min()) >= 0.0 and float(out.max()) <= 255.0


@pytest.mark.parametrize("make", RANDOM_LAYERS[:-1])
def test_same_seed_same_result_and_images_independent(make):
    a, b = make(), make()
    out_a, out_b = _np(a(IMAGES)), _np(b(IMAGES))
    np.testing.assert_array_equal(out_a, out_b)
    # The same image repeated gets different augmentations.
    same = np.repeat(IMAGES[:1], 16, axis=0)
    out = _np(make()(same))
    assert len({out[i].tobytes() for i in range(16)}) > 1


def test_auto_contrast_is_applied_at_inference_and_in_a_model():
    layer = AutoContrast()
    image = np.array([[[[10.0], [20.0], [30.0]]]], "float32")
    expected = np.array([[[[0.0], [127.5], [255.0]]]], "float32")
    np.testing.assert_allclose(_np(layer(image, training=False)), expected)
    inputs = keras.Input((1, 3, 1))
    model = keras.Model(inputs, AutoContrast()(inputs))
    np.testing.assert_allclose(model.predict(image, verbose=0), expected)
    # A constant channel is left unchanged; integer images come out as floats.
    flat = np.full((1, 2, 2, 1), 7, "uint8")
    out = layer(flat)
    assert out.dtype == torch.float32
    np.testing.assert_array_equal(_np(out), flat.astype("float32"))


def test_solarization_threshold_and_addition():
    image = np.array([[[[10.0], [100.0], [200.0]]]], "float32")
    # Pixels below 0.4 * 255 = 102 stay, the others become 255 - x.
    out = Solarization(threshold_factor=(0.4, 0.4))(image)
    np.testing.assert_allclose(_np(out)[0, 0, :, 0], [10.0, 100.0, 55.0])
    # 0.2 * 255 = 51 is added first (clipped to 255), then everything is inverted.
    out = Solarization(addition_factor=(0.2, 0.2))(image)
    np.testing.assert_allclose(_np(out)[0, 0, :, 0], [194.0, 104.0, 4.0], rtol=1e-6)


def _hsv_reference(pixel, fn):
    import colorsys

    h, s, v = colorsys.rgb_to_hsv(*(np.asarray(pixel, np.float64) / 255.0))
    h, s = fn(h, s)
    return np.array(colorsys.hsv_to_rgb(h % 1.0, s, v)) * 255.0


def test_random_hue_shifts_by_half_the_factor_either_way():
    images = np.repeat(np.array([[[[10.0, 100.0, 200.0]]]], "float32"), 32, axis=0)
    out = _np(RandomHue((0.3, 0.3), seed=2)(images))[:, 0, 0]
    plus = _hsv_reference([10, 100, 200], lambda h, s: (h + 0.15, s))
    minus = _hsv_reference([10, 100, 200], lambda h, s: (h - 0.15, s))
    is_plus = np.abs(out - plus).max(axis=1) < 1e-2
    is_minus = np.abs(out - minus).max(axis=1) < 1e-2
    assert np.all(is_plus | is_minus) and is_plus.any() and is_minus.any()


def test_random_saturation_above_half_saturates_and_clips():
    image = np.array([[[[10.0, 100.0, 200.0]]]], "float32")
    # f = 0.6 scales the saturation by 1.5, clipped to 1 (Keras 3.15 leaves it unclipped
    # and returns values outside the value range).
    out = _np(RandomSaturation((0.6, 0.6))(image))[0, 0, 0]
    expected = _hsv_reference([10, 100, 200], lambda h, s: (h, min(s * 1.5, 1.0)))
    np.testing.assert_allclose(out, expected, atol=1e-3)
    full = _np(RandomSaturation((1.0, 1.0))(np.array([[[[60.0, 60.0, 60.0]]]], "float32")))
    np.testing.assert_allclose(full[0, 0, 0], [60.0, 60.0, 60.0])


def test_grayscale_keeps_integer_images_integer():
    # Keras 3.15: the luma of uint8 images is truncated.
    out = RandomGrayscale(1.0)(X.astype("uint8"))
    assert out.dtype == torch.uint8
    np.testing.assert_array_equal(_np(out)[0, :, :, 0], [[84, 153, 59], [105, 59, 254]])


def test_probability_layers():
    images = np.repeat(np.array([[[[10.0, 100.0, 200.0]]]], "float32"), 400, axis=0)
    gray = _np(RandomGrayscale(0.5, seed=3)(images))[:, 0, 0]
    converted = np.abs(gray[:, 0] - gray[:, 2]) < 1e-4
    assert 0.4 < converted.mean() < 0.6
    np.testing.assert_array_equal(gray[~converted], images[~converted, 0, 0])
    inverted = _np(RandomInvert(0.5, seed=3)(images))[:, 0, 0, 0] == 245.0
    # p is drawn from [0, 0.5]: on average a quarter of the images are inverted.
    assert 0.17 < inverted.mean() < 0.33
    assert np.all(RandomGrayscale(1.0)(np.ones((2, 3, 3, 1), "float32")).numpy() == 1.0)


def test_posterization_draws_bits_in_range():
    images = np.repeat(np.array([[[[255.0]]]], "float32"), 200, axis=0)
    out = _np(RandomPosterization(3, seed=0)(images))[:, 0, 0, 0]
    # 1, 2 or 3 bits kept: 128, 192 or 224.
    assert set(out.tolist()) == {128.0, 192.0, 224.0}


CONFIGS = [
    (lambda: AutoContrast(), {"value_range": [0, 255], "data_format": "channels_last"}),
    (
        lambda: Solarization(0.2, threshold_factor=(0.1, 0.3)),
        {"addition_factor": (0, 0.2), "threshold_factor": (0.1, 0.3), "value_range": [0, 255]},
    ),
    (lambda: RandomGrayscale(), {"factor": 0.5}),
    (lambda: RandomInvert(), {"factor": (0, 1.0), "value_range": (0, 255)}),
    (lambda: RandomPosterization(3), {"factor": (1, 3), "value_range": (0, 255)}),
    (lambda: RandomHue(0.5), {"factor": (0, 0.5), "value_range": (0, 255)}),
    (lambda: RandomSaturation(0.5), {"factor": (-0.5, 0.5), "value_range": [0, 255]}),
    (lambda: RandomColorDegeneration(0.3), {"factor": (-0.3, 0.3), "value_range": [0, 255]}),
    (lambda: RandomSharpness((0.4, 0.2)), {"factor": (0.2, 0.4), "value_range": [0, 255]}),
    (
        lambda: RandomColorJitter(),
        {
            "value_range": (0, 255),
            "brightness_factor": None,
            "contrast_factor": None,
            "saturation_factor": None,
            "hue_factor": None,
        },
    ),
    (lambda: Equalization(value_range=(1, 0)), {"value_range": [0, 1], "bins": 256}),
]


@pytest.mark.parametrize("make, expected", CONFIGS)
def test_config(make, expected):
    layer = make()
    config = layer.get_config()
    for key, value in expected.items():
        assert config[key] == value, key
    assert config["data_format"] == "channels_last"
    if isinstance(layer, (AutoContrast, Equalization)):
        assert "seed" not in config
    else:
        assert "seed" in config
    rebuilt = type(layer).from_config(config)
    assert rebuilt.get_config() == config


ERRORS = [
    (
        lambda: AutoContrast(value_range=(0,)),
        "The `value_range` argument should be a list of two numbers. Received: value_range=(0,)",
    ),
    (
        lambda: Solarization(addition_factor=1.5),
        "The `addition_factor` and `threshold_factor` arguments should be a number (or a list "
        "of two numbers) in the range [0, 1]. Received: input_number=1.5",
    ),
    (
        lambda: Solarization(threshold_factor=(0.2, 1.2)),
        "in the range [0, 1]. Received: input_number=1.2",
    ),
    (lambda: RandomGrayscale(1.5), "`factor` should be between 0 and 1. Received: factor=1.5"),
    (
        lambda: RandomInvert(-0.5),
        "The `factor` argument should be a number (or a list of two numbers) in the range "
        "[0, 1]. Received: factor=-0.5",
    ),
    (
        lambda: RandomPosterization(9),
        "The `factor` argument should be a number (or a list of two numbers) in the range "
        "[1, 8]. Received: factor=9",
    ),
    (lambda: RandomHue(1.5), "in the range [0, 1]. Received: factor=1.5"),
    (lambda: RandomSaturation(1.5), "in the range [-1, 1]. Received: factor=1.5"),
    (lambda: RandomColorDegeneration(1.5), "in the range [-1, 1]. Received: factor=1.5"),
    (lambda: RandomSharpness("x"), "in the range [0, 1]. Received: factor='x'"),
    (lambda: RandomColorJitter(hue_factor=2.0), "in the range [0, 1]. Received: factor=2.0"),
    (lambda: Equalization(bins=0), "`bins` must be a positive integer. Received: bins=0"),
    (lambda: Pipeline(3), "Pipeline: `layers` must be a list of layers. Received: layers=3"),
]


@pytest.mark.parametrize("make, message", ERRORS)
def test_argument_errors(make, message):
    with pytest.raises(ValueError) as info:
        make()
    assert message in str(info.value)


def test_non_rgb_inputs_are_rejected():
    with pytest.raises(ValueError, match="expected 3 \\(RGB\\) or 1 \\(Grayscale\\)"):
        RandomGrayscale(1.0)(np.ones((1, 2, 2, 4), "float32"))
    with pytest.raises(ValueError, match="RandomHue expects RGB images with 3 channels"):
        RandomHue(0.5)(np.ones((1, 2, 2, 1), "float32"))


def test_pipeline_applies_layers_in_order_and_passes_training():
    image = X * 0.5
    pipeline = Pipeline([AutoContrast(), RandomInvert((1, 1))])
    stretched = _np(AutoContrast()(image))
    np.testing.assert_allclose(_np(pipeline(image)), 255.0 - stretched, atol=1e-4)
    # training=False reaches RandomInvert; AutoContrast applies regardless.
    np.testing.assert_allclose(_np(pipeline(image, training=False)), stretched, atol=1e-4)
    assert [type(layer).__name__ for layer in pipeline.layers] == ["AutoContrast", "RandomInvert"]
    assert pipeline.compute_output_shape((None, 2, 3, 3)) == (None, 2, 3, 3)


def test_pipeline_config_and_functional_model(tmp_path):
    pipeline = Pipeline([AutoContrast(), RandomInvert((1, 1), seed=2)], name="prep")
    config = pipeline.get_config()
    assert set(config) == {"layers", "name"} and config["name"] == "prep"
    assert [c["class_name"] for c in config["layers"]] == ["AutoContrast", "RandomInvert"]
    rebuilt = Pipeline.from_config(config)
    assert rebuilt.get_config() == config
    inputs = keras.Input((2, 3, 3))
    model = keras.Model(inputs, Pipeline([AutoContrast(), RandomInvert((1, 1))])(inputs))
    expected = _np(AutoContrast()(X * 0.5))
    np.testing.assert_allclose(model.predict(X * 0.5, verbose=0), expected, atol=1e-4)
    model.save(tmp_path / "m.keras")
    restored = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(restored.predict(X * 0.5, verbose=0), expected, atol=1e-4)


def test_layers_work_in_tf_data_map():
    import tork as tf

    dataset = tf.data.Dataset.from_tensor_slices(X * 0.5).batch(1).map(AutoContrast())
    out = np.concatenate([np.asarray(batch) for batch in dataset])
    np.testing.assert_allclose(out, _np(AutoContrast()(X * 0.5)), atol=1e-4)
