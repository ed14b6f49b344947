"""Tests for Keras 3's geometric, mixing, blur and erasing augmentation layers.

Shear and blur values are Keras 3.15's (TensorFlow 2.21 backend) with fixed factors; the
sign of a shear is random (both signs listed). The other layers are checked statistically.
"""

import numpy as np
import pytest
import torch

from tork import keras
from tork.keras.layers.preprocessing import (
    CutMix,
    MixUp,
    RandomErasing,
    RandomGaussianBlur,
    RandomPerspective,
    RandomShear,
)

SHEAR_IMAGE = np.arange(5 * 6, dtype="float32").reshape(1, 5, 6, 1) ** 1.3
BLUR_IMAGE = (np.arange(5 * 6 * 2).reshape(1, 5, 6, 2) * 7 % 256).astype("float32")
IMPULSE = np.zeros((1, 7, 7, 1), "float32")
IMPULSE[0, 3, 3, 0] = 100.0

# Keras 3.15 outputs (the shears: one image per sign).
SHEAR_X = np.array(
    [
        [
            [0.0, 1.0, 2.4623, 4.1712, 6.0629, 8.1033],
            [10.2706, 11.4101, 13.739, 16.1636, 18.6756, 21.2686],
            [25.2892, 25.2892, 28.0625, 30.9006, 33.8001, 36.7583],
            [44.4002, 42.8405, 44.4002, 47.5445, 50.7376, 53.9779],
            [65.6632, 62.2694, 62.2694, 65.6632, 69.098, 72.5726],
        ],
        [
            [0.0, 1.0, 2.4623, 4.1712, 6.0629, 8.1033],
            [11.4101, 13.739, 16.1636, 18.6756, 21.2686, 22.5845],
            [28.0625, 30.9006, 33.8001, 36.7583, 39.7726, 39.7726],
            [47.5445, 50.7376, 53.9779, 57.2636, 58.9178, 57.2636],
            [69.098, 72.5726, 76.0861, 79.6374, 79.6374, 76.0861],
        ],
    ],
    dtype=np.float32,
)
SHEAR_XY_CONSTANT = np.array(
    [
        [
            [0.0, 1.4, 2.6774, 3.4685, 3.6126, 3.0],
            [7.3624, 9.4304, 9.1371, 8.6568, 8.0312, 7.2871],
            [7.4578, 22.8204, 22.3882, 21.8457, 21.2059, 20.479],
            [3.0, 32.0642, 38.2048, 37.5979, 36.9167, 36.1667],
            [3.0, 25.1534, 55.8114, 55.1514, 54.4303, 53.6515],
        ],
        [
            [0.0, 3.3099, 7.4488, 12.1076, 17.1747, 22.5845],
            [11.1822, 16.6404, 22.3741, 28.3581, 34.5723, 25.0635],
            [27.5078, 33.9654, 40.6132, 47.4408, 54.4388, 14.1835],
            [46.5938, 53.7766, 61.1094, 68.5863, 60.9948, 3.0],
            [67.724, 57.5462, 46.0084, 33.0868, 9.131, 3.0],
        ],
    ],
    dtype=np.float32,
)
SHEAR_X_NEAREST = np.array(
    [
        [
            [0.0, 1.0, 2.4623, 4.1712, 6.0629, 8.1033],
            [10.2706, 12.5495, 14.9285, 17.3986, 19.9526, 22.5845],
            [25.2892, 25.2892, 28.0625, 30.9006, 33.8001, 36.7583],
            [42.8405, 42.8405, 45.96, 49.1291, 52.3462, 55.6096],
            [62.2694, 62.2694, 62.2694, 65.6632, 69.098, 72.5726],
        ],
        [
            [0.0, 1.0, 2.4623, 4.1712, 6.0629, 8.1033],
            [12.5495, 14.9285, 17.3986, 19.9526, 22.5845, 22.5845],
            [28.0625, 30.9006, 33.8001, 36.7583, 39.7726, 39.7726],
            [49.1291, 52.3462, 55.6096, 58.9178, 58.9178, 58.9178],
            [69.098, 72.5726, 76.0861, 79.6374, 79.6374, 79.6374],
        ],
    ],
    dtype=np.float32,
)
SHEAR_Y = np.array(
    [
        [
            [0.0, 1.0, 2.4623, 4.1712, 8.8408, 15.3439],
            [10.2706, 9.0847, 7.4488, 5.4939, 6.0629, 8.1033],
            [25.2892, 23.4086, 21.3173, 19.0388, 17.1747, 15.3439],
            [42.8405, 40.5907, 38.192, 35.6547, 33.3972, 31.1785],
            [62.2694, 59.7522, 57.1167, 54.3688, 51.8393, 49.3452],
        ],
        [
            [0.0, 4.4649, 9.942, 16.0759, 23.3138, 31.1785],
            [10.2706, 17.2034, 24.5118, 32.16, 40.5286, 49.3452],
            [25.2892, 33.4317, 41.8377, 50.4916, 59.7049, 69.2776],
            [42.8405, 51.8709, 61.1104, 70.55, 76.0861, 79.6374],
            [62.2694, 65.6632, 69.098, 72.5726, 71.9908, 69.2776],
        ],
    ],
    dtype=np.float32,
)
BLUR_05 = np.array(
    [
        [9.326, 21.4555, 33.9644, 46.4733, 58.9822, 62.5445],
        [76.5445, 98.0, 112.0, 126.0, 140.0, 136.1067],
        [148.6938, 157.6381, 168.734, 182.734, 196.734, 186.7981],
        [180.8314, 58.7238, 51.266, 65.266, 79.266, 81.8413],
        [78.6627, 77.9457, 87.5505, 100.0594, 112.5683, 110.4232],
    ],
    dtype=np.float32,
)
BLUR_K5 = np.array(
    [
        [0.0481, 0.5011, 1.0946, 0.5011, 0.0481],
        [0.5011, 5.2218, 11.4054, 5.2218, 0.5011],
        [1.0946, 11.4054, 24.9117, 11.4054, 1.0946],
        [0.5011, 5.2218, 11.4054, 5.2218, 0.5011],
        [0.0481, 0.5011, 1.0946, 0.5011, 0.0481],
    ],
    dtype=np.float32,
)


def _np(t):
    return t.detach().cpu().numpy()


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"x_factor": (0.5, 0.5)}, SHEAR_X),
        ({"y_factor": (0.3, 0.3)}, SHEAR_Y),
        (
            {
                "x_factor": (0.4, 0.4),
                "y_factor": (0.2, 0.2),
                "fill_mode": "constant",
                "fill_value": 3.0,
            },
            SHEAR_XY_CONSTANT,
        ),
        (
            {"x_factor": (0.5, 0.5), "interpolation": "nearest", "fill_mode": "nearest"},
            SHEAR_X_NEAREST,
        ),
    ],
)
def test_shear_matches_keras_for_both_signs(kwargs, expected):
    images = np.repeat(SHEAR_IMAGE, 16, axis=0)
    out = _np(RandomShear(**kwargs, seed=3)(images))[..., 0]
    errors = np.stack([np.abs(out - e).max(axis=(1, 2)) for e in expected], axis=1)
    assert np.all(errors.min(axis=1) < 1e-3)
    assert set(errors.argmin(axis=1).tolist()) == {0, 1}


def test_blur_matches_keras():
    out = RandomGaussianBlur((1.0, 1.0), sigma=(0.5, 0.5))(BLUR_IMAGE)
    np.testing.assert_allclose(_np(out)[0, :, :, 0], BLUR_05, atol=1e-3)
    # The blur is per channel.
    np.testing.assert_allclose(
        _np(out)[0, :, :, 1],
        _np(RandomGaussianBlur((1.0, 1.0), sigma=(0.5, 0.5))(BLUR_IMAGE[..., 1:]))[0, :, :, 0],
        rtol=1e-6,  # float32 convolutions round differently by CPU (AVX2/AVX-512 kernels)
    )
    out = RandomGaussianBlur((1.0, 1.0), kernel_size=5, sigma=(0.8, 0.8))(IMPULSE)
    np.testing.assert_allclose(_np(out)[0, 1:6, 1:6, 0], BLUR_K5, atol=1e-4)
    # sigma 0 is a no-op; value_range only clips.
    out = RandomGaussianBlur((1.0, 1.0), sigma=(0.0, 0.0))(BLUR_IMAGE)
    np.testing.assert_array_equal(_np(out), BLUR_IMAGE)
    out = RandomGaussianBlur((1.0, 1.0), sigma=(0.5, 0.5), value_range=(0, 1))(BLUR_IMAGE / 255)
    np.testing.assert_allclose(_np(out)[0, :, :, 0] * 255, BLUR_05, atol=1e-3)


def test_blur_non_square_kernel_is_separable_gaussian():
    out = _np(RandomGaussianBlur((1.0, 1.0), kernel_size=(3, 5), sigma=(0.8, 0.8))(IMPULSE))
    g = lambda k: np.exp(-((np.arange(k) - k // 2) ** 2) / (2 * 0.8**2))  # noqa: E731
    gy, gx = g(3) / g(3).sum(), g(5) / g(5).sum()
    np.testing.assert_allclose(out[0, 2:5, 1:6, 0], 100 * np.outer(gy, gx), atol=1e-4)


def test_blur_probability():
    images = np.repeat(IMPULSE, 400, axis=0)
    out = _np(RandomGaussianBlur(0.6, sigma=(0.5, 0.5), seed=1)(images))
    # p is drawn from [0, 0.6]: 30% of the images blurred on average.
    assert 0.22 < (out[:, 3, 3, 0] != 100).mean() < 0.38


def test_erasing_statistics():
    images = np.full((400, 20, 30, 1), 100.0, "float32")
    out = _np(RandomErasing(1.0, fill_value=0.0, seed=1)(images))[..., 0]
    erased = out == 0
    applied = erased.any(axis=(1, 2))
    assert 0.4 < applied.mean() < 0.6
    fraction = erased.mean(axis=(1, 2))[applied]
    assert 0.0 < fraction.min() and fraction.max() <= 0.36
    # Every patch is one rectangle.
    heights, widths = erased.any(2).sum(1), erased.any(1).sum(1)
    np.testing.assert_array_equal(erased.sum(axis=(1, 2)), heights * widths)
    # Each side is at most sqrt(0.33) of the image's (Keras 3.15: 12 of 20 rows, 18 of 30).
    assert heights.max() <= 12 and widths.max() <= 18
    assert np.all(out[~erased] == 100.0)
    noise = _np(RandomErasing((1.0, 1.0), seed=2)(images))
    values = noise[noise != 100.0]
    # N(0, 1) * 255 clipped to [0, 255]: half the values are 0, the mean is about 80.
    assert values.min() == 0.0 and values.max() == 255.0
    assert 60 < values.mean() < 100


def test_perspective_statistics_and_identity_scale_zero():
    images = np.ones((200, 20, 20, 1), "float32")
    out = _np(RandomPerspective((1.0, 1.0), scale=1.0, seed=1)(images))[..., 0]
    outside = (out < 0.5).mean()
    # Keras 3.15 gives 0.17 for this case.
    assert 0.12 < outside < 0.23
    out = _np(RandomPerspective((1.0, 1.0), scale=0.0)(images))
    np.testing.assert_allclose(out, images, atol=1e-5)
    out = _np(RandomPerspective((0.0, 0.0), scale=1.0, seed=1)(images))
    np.testing.assert_allclose(out, images, atol=1e-5)


def test_perspective_moves_corners():
    from tork.keras.layers.preprocessing.geometric import perspective_transforms

    source = torch.tensor([[[0.0, 0.0], [9.0, 0.0], [9.0, 9.0], [0.0, 9.0]]], dtype=torch.float64)
    target = source + torch.tensor([[[1.0, 2.0], [-1.0, 0.5], [0.0, -2.0], [0.5, 0.0]]])
    t = perspective_transforms(source, target)[0]
    for (u, v), (x, y) in zip(source[0].tolist(), target[0].tolist()):
        k = t[6] * x + t[7] * y + 1
        assert abs((t[0] * x + t[1] * y + t[2]) / k - u) < 1e-9
        assert abs((t[3] * x + t[4] * y + t[5]) / k - v) < 1e-9


def _mixing_inputs(n=64):
    values = np.arange(n, dtype="float32") * 3
    images = np.broadcast_to(values.reshape(n, 1, 1, 1), (n, 4, 4, 2)).copy()
    labels = np.eye(n, dtype="float32")
    return images, labels


def test_mixup_mixes_images_and_labels_alike():
    images, labels = _mixing_inputs()
    out = MixUp(alpha=0.4, seed=1)({"images": images, "labels": labels})
    assert sorted(out) == ["images", "labels"]
    mixed, soft = _np(out["images"]), _np(out["labels"])
    np.testing.assert_allclose(soft.sum(axis=1), 1.0, atol=1e-6)
    # Each image is the label-weighted sum of the originals.
    expected = np.einsum("nk,k->n", soft, images[:, 0, 0, 0])
    np.testing.assert_allclose(mixed[:, 0, 0, 0], expected, rtol=1e-4, atol=1e-3)
    weights = soft.max(axis=1)
    assert weights.min() >= 0.5 - 1e-6 and (weights < 0.99).any()
    # Plain images in, images out; identity at inference.
    assert tuple(MixUp(seed=1)(images).shape) == images.shape
    same = MixUp()({"images": images, "labels": labels}, training=False)
    np.testing.assert_array_equal(_np(same["images"]), images)
    np.testing.assert_array_equal(_np(same["labels"]), labels)


def test_mixup_same_seed_same_result_and_beta_mean():
    images, labels = _mixing_inputs(256)
    a = _np(MixUp(alpha=1.0, seed=5)(images))
    b = _np(MixUp(alpha=1.0, seed=5)(images))
    np.testing.assert_array_equal(a, b)
    out = MixUp(alpha=1.0, seed=5)({"images": images, "labels": labels})
    # Beta(1, 1) is uniform: the weight of the own label averages 1/2.
    own = np.diag(_np(out["labels"]))
    assert 0.4 < own.mean() < 0.6


def test_cutmix_pastes_boxes_and_mixes_labels_by_area():
    images, labels = _mixing_inputs()
    out = CutMix(seed=2)({"images": images, "labels": labels})
    mixed, soft = _np(out["images"]), _np(out["labels"])
    np.testing.assert_allclose(soft.sum(axis=1), 1.0, atol=1e-6)
    for i in range(len(images)):
        own = mixed[i, :, :, 0] == images[i, 0, 0, 0]
        # The label weight of the image itself is the fraction of its pixels kept.
        assert abs(soft[i, i] - own.mean()) < 1e-6 or soft[i, i] == 1.0
        rows, cols = np.nonzero(~own)
        if rows.size:
            assert rows.size == (rows.max() - rows.min() + 1) * (cols.max() - cols.min() + 1)
    assert (np.diag(soft) < 1).any()
    same = CutMix()(images, training=False)
    np.testing.assert_array_equal(_np(same), images)


def test_channels_first_and_unbatched():
    images = np.random.default_rng(0).random((2, 6, 6, 3)).astype("float32") * 255
    for make in (
        lambda **k: RandomShear(x_factor=(0.3, 0.3), seed=1, **k),
        lambda **k: RandomGaussianBlur((1.0, 1.0), sigma=(0.5, 0.5), **k),
    ):
        last = _np(make()(images))
        first = _np(make(data_format="channels_first")(np.transpose(images, (0, 3, 1, 2))))
        np.testing.assert_allclose(np.transpose(first, (0, 2, 3, 1)), last, atol=1e-4)
    assert tuple(RandomErasing(seed=1)(images[0]).shape) == (6, 6, 3)
    assert tuple(RandomPerspective(seed=1)(images[0]).shape) == (6, 6, 3)


@pytest.mark.parametrize(
    "make",
    [
        lambda: RandomShear(0.3, 0.3, seed=1),
        lambda: RandomPerspective(seed=1),
        lambda: RandomGaussianBlur(seed=1),
        lambda: RandomErasing(seed=1),
        lambda: MixUp(seed=1),
        lambda: CutMix(seed=1),
    ],
)
def test_identity_at_inference_and_in_a_model(make):
    images = np.random.default_rng(1).random((3, 6, 6, 3)).astype("float32") * 255
    np.testing.assert_array_equal(_np(make()(images, training=False)), images)
    inputs = keras.Input((6, 6, 3))
    model = keras.Model(inputs, make()(inputs))
    np.testing.assert_allclose(model.predict(images, verbose=0), images)
    layer = make()
    assert type(layer).from_config(layer.get_config()).get_config() == layer.get_config()


def test_configs():
    assert RandomShear().get_config()["x_factor"] == (0.0, 0.0)
    config = RandomShear(0.2, (0.1, 0.3)).get_config()
    assert config["x_factor"] == (-0.2, 0.2) and config["y_factor"] == (0.1, 0.3)
    assert (config["fill_mode"], config["interpolation"], config["fill_value"]) == (
        "reflect",
        "bilinear",
        0.0,
    )
    config = RandomPerspective().get_config()
    assert (config["factor"], config["scale"], config["fill_value"]) == ((0, 1.0), 1.0, 0.0)
    config = RandomGaussianBlur(0.3, kernel_size=(3, 5), sigma=0.2).get_config()
    assert (config["factor"], config["kernel_size"], config["sigma"]) == (
        (0, 0.3),
        (3, 5),
        (0, 0.2),
    )
    assert RandomGaussianBlur().get_config()["kernel_size"] == (3, 3)
    config = RandomErasing().get_config()
    assert (config["factor"], config["scale"], config["fill_value"]) == (
        (0, 1.0),
        (0.02, 0.33),
        None,
    )
    assert config["value_range"] == (0, 255)
    assert MixUp().get_config()["alpha"] == 0.2
    assert CutMix().get_config()["factor"] == (0, 1.0)


ERRORS = [
    (
        lambda: RandomShear(x_factor=-0.5),
        ValueError,
        "The `factor` argument should be a number (or a list of two numbers) in the range "
        "[0, 1.0]. Received: input_number=-0.5",
    ),
    (lambda: RandomShear(y_factor=(0.2, 1.5)), ValueError, "Received: input_number=1.5"),
    (lambda: RandomShear(x_factor="a"), ValueError, "Received: x_factor=a"),
    (
        lambda: RandomShear(interpolation="bicubic"),
        NotImplementedError,
        "Unknown `interpolation` bicubic. Expected of one ('nearest', 'bilinear').",
    ),
    (
        lambda: RandomShear(fill_mode="x"),
        NotImplementedError,
        "Unknown `fill_mode` x. Expected of one ('reflect', 'wrap', 'constant', 'nearest').",
    ),
    (
        lambda: RandomPerspective(scale=1.5),
        ValueError,
        "The `scale` argument should be a number in the range [0,1]. Received: scale=1.5",
    ),
    (lambda: RandomPerspective(factor=1.5), ValueError, "[0, 1]. Received: factor=1.5"),
    (lambda: CutMix(factor=1.5), ValueError, "[0, 1]. Received: factor=1.5"),
    (lambda: RandomErasing(factor=1.5), ValueError, "[0, 1]. Received: factor=1.5"),
    (
        lambda: RandomGaussianBlur(kernel_size=4),
        ValueError,
        "kernel_size must be an odd number. Received: kernel_size=4",
    ),
    (
        lambda: RandomGaussianBlur(sigma=2.0),
        ValueError,
        "The `sigma` argument should be a number (or a list of two numbers) in the range "
        "[0, 1]. Received: factor=2.0",
    ),
]


@pytest.mark.parametrize("make, error, message", ERRORS)
def test_argument_errors(make, error, message):
    with pytest.raises(error) as info:
        make()
    assert message in str(info.value)


def test_random_layers_in_tf_data_map():
    import tork as tf

    images = np.random.default_rng(2).random((8, 6, 6, 3)).astype("float32") * 255
    layer = RandomShear(0.3, 0.3, seed=4)
    dataset = tf.data.Dataset.from_tensor_slices(images).batch(4).map(layer)
    out = np.concatenate([np.asarray(batch) for batch in dataset])
    assert out.shape == images.shape and not np.allclose(out, images)
    # Unbatched elements are augmented one image at a time.
    dataset = tf.data.Dataset.from_tensor_slices(images).map(RandomErasing(1.0, seed=1))
    assert [tuple(x.shape) for x in dataset][:2] == [(6, 6, 3), (6, 6, 3)]
