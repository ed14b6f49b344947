"""Tests for CLAHE, RandAugment, AugMix, RandomElasticTransform and MaxNumBoundingBoxes.

The CLAHE values are Keras 3.15's (TensorFlow 2.21 backend) on the same inputs; the random
policies and the elastic transform are checked structurally and statistically.
"""

import numpy as np
import pytest
import torch

from tork import keras
from tork.keras.layers.preprocessing import (
    AugMix,
    ContrastLimitedAdaptiveHistogramEqualization,
    MaxNumBoundingBoxes,
    RandAugment,
    RandomElasticTransform,
)

CLAHE = ContrastLimitedAdaptiveHistogramEqualization

# Inputs and Keras 3.15 outputs.
X = np.array(
    [
        [217.0, 163.0, 130.0, 69.0, 78.0, 10.0],
        [19.0, 4.0, 44.0, 208.0, 166.0, 233.0],
        [128.0, 155.0, 248.0, 186.0, 161.0, 139.0],
        [143.0, 239.0, 71.0, 208.0, 171.0, 0.0],
        [100.0, 219.0, 141.0, 8.0, 195.0, 186.0],
        [216.0, 44.0, 22.0, 220.0, 5.0, 138.0],
    ],
    dtype=np.float32,
).reshape(1, 6, 6, 1)
X2 = np.array(
    [
        [
            [
                [20.0, 123.0, 103.0, 1.0, 2.0, 134.0, 65.0],
                [195.0, 117.0, 206.0, 97.0, 243.0, 215.0, 180.0],
                [224.0, 148.0, 216.0, 96.0, 108.0, 184.0, 18.0],
                [136.0, 172.0, 65.0, 184.0, 129.0, 194.0, 84.0],
                [67.0, 182.0, 12.0, 96.0, 102.0, 81.0, 202.0],
            ],
            [
                [76.0, 108.0, 7.0, 31.0, 171.0, 165.0, 157.0],
                [98.0, 255.0, 251.0, 175.0, 166.0, 176.0, 99.0],
                [34.0, 184.0, 134.0, 79.0, 124.0, 227.0, 239.0],
                [91.0, 146.0, 82.0, 152.0, 86.0, 100.0, 227.0],
                [58.0, 159.0, 21.0, 213.0, 201.0, 61.0, 224.0],
            ],
        ]
    ],
    dtype=np.float32,
).transpose(0, 2, 3, 1)
CLAHE_GLOBAL = np.array(
    [
        [218.5714, 153.0, 102.0, 65.5714, 80.1429, 29.1429],
        [36.4286, 7.2857, 58.2857, 204.0, 160.2857, 240.4286],
        [94.7143, 138.4286, 255.0, 182.1428, 145.7143, 116.5714],
        [131.1428, 247.7143, 72.8571, 204.0, 167.5714, 0.0],
        [87.4286, 225.8572, 123.8571, 21.8571, 189.4286, 182.1428],
        [211.2857, 58.2857, 43.7143, 233.1428, 14.5714, 109.2857],
    ],
    dtype=np.float32,
)
CLAHE_CLIPPED = np.array(
    [
        [216.7678, 162.5435, 126.6749, 68.3389, 78.2125, 12.7545],
        [21.6247, 4.4997, 45.4835, 206.8943, 166.1692, 233.7634],
        [123.9233, 153.544, 248.8815, 185.6576, 159.792, 136.5485],
        [142.0517, 240.0113, 71.0905, 206.8943, 171.543, 0.0],
        [98.4457, 219.5194, 139.3001, 10.0029, 194.5278, 185.6576],
        [214.8903, 45.4835, 25.2503, 221.397, 6.3773, 134.671],
    ],
    dtype=np.float32,
)
CLAHE_TILES = np.array(
    [
        [217.6822, 165.4934, 130.1568, 69.1294, 78.494, 11.2938],
        [21.6581, 5.7172, 46.2268, 208.3176, 166.6155, 234.5525],
        [126.965, 156.0585, 248.4926, 186.4909, 159.5843, 137.0336],
        [143.9056, 239.1294, 71.7008, 207.7274, 169.9795, 0.0],
        [100.6077, 219.541, 140.5865, 9.3059, 194.6295, 184.7423],
        [214.7533, 44.8939, 22.8124, 221.3416, 6.3571, 135.3209],
    ],
    dtype=np.float32,
)
CLAHE_PADDED = np.array(
    [
        [
            [
                [20.882, 121.9769, 99.0957, 2.3935, 6.7863, 137.0987, 65.2647],
                [192.354, 113.6132, 205.1886, 94.2306, 244.2701, 216.4994, 179.118],
                [227.0988, 147.7002, 217.3995, 92.6514, 109.9492, 185.5383, 20.2491],
                [136.0002, 171.8238, 63.5153, 185.0145, 130.6171, 196.0827, 83.0739],
                [69.8758, 185.5815, 13.332, 95.9089, 103.4496, 78.6507, 204.6268],
            ],
            [
                [76.9525, 111.5632, 8.7581, 30.7178, 170.8942, 160.002, 150.6493],
                [99.6229, 255.0, 248.9244, 175.9702, 163.9244, 180.3982, 94.7662],
                [36.0991, 186.0992, 136.2658, 78.1004, 121.5177, 229.2269, 240.3329],
                [93.47, 149.6165, 83.0144, 152.0884, 84.9122, 98.6673, 228.3084],
                [59.5643, 164.8395, 21.8939, 215.4611, 202.4623, 59.5116, 223.9754],
            ],
        ]
    ],
    dtype=np.float32,
).transpose(0, 2, 3, 1)
CLAHE_UINT8 = np.array(
    [
        [218, 163, 130, 70, 79, 11],
        [22, 5, 45, 209, 166, 233],
        [126, 155, 248, 185, 160, 138],
        [142, 239, 69, 207, 170, 0],
        [98, 219, 140, 8, 195, 186],
        [215, 44, 23, 221, 5, 137],
    ],
    dtype=np.uint8,
)


def _np(t):
    return t.detach().cpu().numpy()


def test_clahe_matches_keras():
    out = CLAHE(tile_grid_size=(1, 1), clip_limit=100.0)(X)
    np.testing.assert_allclose(_np(out)[0, :, :, 0], CLAHE_GLOBAL, atol=1e-3)
    out = CLAHE(tile_grid_size=(1, 1), clip_limit=1.0)(X)
    np.testing.assert_allclose(_np(out)[0, :, :, 0], CLAHE_CLIPPED, atol=1e-3)
    out = CLAHE(tile_grid_size=(2, 2), clip_limit=2.0)(X)
    np.testing.assert_allclose(_np(out)[0, :, :, 0], CLAHE_TILES, atol=1e-3)
    # Tiles that do not divide the image: symmetric padding at the bottom and right.
    out = CLAHE(tile_grid_size=(2, 3), clip_limit=3.0)(X2)
    np.testing.assert_allclose(_np(out), CLAHE_PADDED, atol=1e-3)
    out = CLAHE(tile_grid_size=(3, 3), clip_limit=2.0)(X.astype("uint8"))
    assert out.dtype == torch.uint8
    np.testing.assert_array_equal(_np(out)[0, :, :, 0], CLAHE_UINT8)


def test_clahe_value_range_layouts_and_inference():
    expected = _np(CLAHE(tile_grid_size=(2, 3), clip_limit=3.0)(X2))
    out = CLAHE(value_range=(0, 1), tile_grid_size=(2, 3), clip_limit=3.0)(X2 / 255)
    np.testing.assert_allclose(_np(out) * 255, expected, atol=1e-3)
    first = CLAHE(tile_grid_size=(2, 3), clip_limit=3.0, data_format="channels_first")
    out = first(np.transpose(X2, (0, 3, 1, 2)), training=False)
    np.testing.assert_allclose(np.transpose(_np(out), (0, 2, 3, 1)), expected, atol=1e-4)
    out = CLAHE(tile_grid_size=(2, 3), clip_limit=3.0)(X2[0], training=False)
    np.testing.assert_allclose(_np(out), expected[0], atol=1e-4)
    inputs = keras.Input((5, 7, 2))
    model = keras.Model(inputs, CLAHE(tile_grid_size=(2, 3), clip_limit=3.0)(inputs))
    np.testing.assert_allclose(model.predict(X2, verbose=0), expected, atol=1e-4)


def test_clahe_config_and_errors():
    config = CLAHE().get_config()
    assert config["value_range"] == (0, 255) and config["clip_limit"] == 4.0
    assert config["tile_grid_size"] == (8, 8) and "seed" not in config
    assert CLAHE.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="`tile_grid_size` must be a tuple of two positive"):
        CLAHE(tile_grid_size=(0, 2))
    with pytest.raises(ValueError, match="Received: tile_grid_size=3"):
        CLAHE(tile_grid_size=3)


IMAGES = np.random.default_rng(5).integers(0, 256, (6, 12, 12, 3)).astype("float32")


@pytest.mark.parametrize(
    "make",
    [
        lambda: RandAugment(seed=1),
        lambda: RandAugment(num_ops=3, factor=0.8, interpolation="nearest", seed=1),
        lambda: AugMix(seed=1),
        lambda: AugMix(num_chains=2, chain_depth=1, all_ops=False, alpha=0.5, seed=1),
        lambda: RandomElasticTransform(seed=1),
    ],
)
def test_random_policies(make):
    layer = make()
    np.testing.assert_array_equal(_np(layer(IMAGES, training=False)), IMAGES)
    out = layer(IMAGES)
    assert tuple(out.shape) == IMAGES.shape and out.dtype == torch.float32
    assert not np.allclose(_np(out), IMAGES)
    assert float(out.min()) >= 0.0 and float(out.max()) <= 255.0
    np.testing.assert_array_equal(_np(make()(IMAGES)), _np(make()(IMAGES)))
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config
    inputs = keras.Input((12, 12, 3))
    model = keras.Model(inputs, make()(inputs))
    np.testing.assert_allclose(model.predict(IMAGES, verbose=0), IMAGES)


def test_policy_value_range_and_configs():
    out = _np(RandAugment(value_range=(0, 1), seed=3)(IMAGES / 255))
    assert out.min() >= 0.0 and out.max() <= 1.0
    out = _np(AugMix(value_range=(0, 1), seed=3)(IMAGES / 255))
    assert out.min() >= 0.0 and out.max() <= 1.0
    config = RandAugment().get_config()
    assert (config["value_range"], config["num_ops"], config["factor"]) == ((0, 255), 2, (0, 0.5))
    assert config["interpolation"] == "bilinear"
    config = AugMix().get_config()
    assert (config["num_chains"], config["chain_depth"], config["factor"]) == (3, 3, (0, 0.3))
    assert (config["alpha"], config["all_ops"]) == (1.0, True)
    with pytest.raises(ValueError, match=r"in the range \[0, 1\]. Received: factor=1.5"):
        RandAugment(factor=1.5)
    with pytest.raises(NotImplementedError, match="Unknown `interpolation` bicubic"):
        AugMix(interpolation="bicubic")


def test_elastic_transform_statistics():
    # A ramp in x: the output shows where each pixel was read from.
    size = 32
    ramp = np.broadcast_to(
        np.arange(size, dtype="float32").reshape(1, 1, size, 1), (40, size, size, 1)
    ).copy()
    out = _np(
        RandomElasticTransform((1.0, 1.0), scale=(1.0, 1.0), fill_mode="nearest", seed=1)(ramp)
    )
    shift = (out - ramp)[:, 4:-4, 4:-4, 0]
    # Keras 3.15: about 1 pixel of standard deviation, neighbours correlated (0.9).
    assert 0.6 < shift.std() < 1.4
    corr = np.corrcoef(shift[:, :, :-1].ravel(), shift[:, :, 1:].ravel())[0, 1]
    assert corr > 0.8
    out = _np(RandomElasticTransform((1.0, 1.0), scale=(0.0, 0.0))(ramp))
    np.testing.assert_allclose(out, ramp, atol=1e-4)
    out = _np(RandomElasticTransform(0.5, seed=1)(np.repeat(ramp, 10, axis=0)))
    changed = np.abs(out - np.repeat(ramp, 10, axis=0)).max(axis=(1, 2, 3)) > 1e-3
    assert 0.15 < changed.mean() < 0.35
    config = RandomElasticTransform().get_config()
    assert (config["factor"], config["scale"], config["fill_mode"]) == (
        (0, 1.0),
        (0, 1.0),
        "reflect",
    )
    assert (config["interpolation"], config["fill_value"], config["value_range"]) == (
        "bilinear",
        0.0,
        (0, 255),
    )
    with pytest.raises(ValueError, match=r"in the range \[0, 1\]. Received: scale=2"):
        RandomElasticTransform(scale=2)
    with pytest.raises(NotImplementedError, match="Unknown `fill_mode` x"):
        RandomElasticTransform(fill_mode="x")


def test_max_num_bounding_boxes():
    layer = MaxNumBoundingBoxes(3, bounding_box_format="xyxy")
    images = np.ones((2, 4, 4, 3), "float32")
    boxes = np.arange(2 * 2 * 4, dtype="float32").reshape(2, 2, 4)
    labels = np.array([[1, 2], [3, 4]], "int32")
    out = layer({"images": images, "bounding_boxes": {"boxes": boxes, "labels": labels}})
    np.testing.assert_array_equal(_np(out["images"]), images)
    np.testing.assert_array_equal(
        _np(out["bounding_boxes"]["boxes"]),
        np.concatenate([boxes, -np.ones((2, 1, 4), "float32")], axis=1),
    )
    assert out["bounding_boxes"]["labels"].dtype == torch.int32
    np.testing.assert_array_equal(_np(out["bounding_boxes"]["labels"]), [[1, 2, -1], [3, 4, -1]])
    many = np.arange(2 * 5 * 4, dtype="float32").reshape(2, 5, 4)
    out = MaxNumBoundingBoxes(3, fill_value=-2, bounding_box_format="xyxy")(
        {"images": images, "bounding_boxes": {"boxes": many, "labels": np.ones((2, 5))}},
        training=False,
    )
    np.testing.assert_array_equal(_np(out["bounding_boxes"]["boxes"]), many[:, :3])
    one = MaxNumBoundingBoxes(2, fill_value=-2, bounding_box_format="xyxy")(
        {"images": images[0], "bounding_boxes": {"boxes": boxes[0, :1], "labels": labels[0, :1]}}
    )
    np.testing.assert_array_equal(_np(one["bounding_boxes"]["labels"]), [1, -2])
    assert tuple(layer(images).shape) == images.shape
    config = MaxNumBoundingBoxes(3, fill_value=-2, bounding_box_format="xyxy").get_config()
    assert (config["max_number"], config["fill_value"], config["bounding_box_format"]) == (
        3,
        -2,
        "xyxy",
    )
    assert MaxNumBoundingBoxes.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="you didn't specify a bounding box format"):
        MaxNumBoundingBoxes(3)({"images": images, "bounding_boxes": {"boxes": boxes}})
