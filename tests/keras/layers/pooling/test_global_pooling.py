"""Tests for GlobalMax/AveragePooling1D/2D/3D against NumPy reductions."""

import numpy as np
import pytest
import torch

from tork.keras.layers.pooling import (
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAveragePooling3D,
    GlobalAvgPool2D,
    GlobalMaxPool2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    GlobalMaxPooling3D,
)

RNG = np.random.default_rng(4)


def _np(t):
    return t.detach().cpu().numpy()


@pytest.mark.parametrize(
    "cls, rank",
    [
        (GlobalAveragePooling1D, 1),
        (GlobalAveragePooling2D, 2),
        (GlobalAveragePooling3D, 3),
        (GlobalMaxPooling1D, 1),
        (GlobalMaxPooling2D, 2),
        (GlobalMaxPooling3D, 3),
    ],
)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("keepdims", [False, True])
def test_global_pooling_matches_numpy(cls, rank, data_format, keepdims):
    spatial = (5, 4, 3)[:rank]
    shape = (2, *spatial, 6) if data_format == "channels_last" else (2, 6, *spatial)
    x = RNG.normal(size=shape).astype(np.float32)
    layer = cls(data_format=data_format, keepdims=keepdims)
    out = layer(torch.tensor(x))
    axes = (
        tuple(range(1, rank + 1)) if data_format == "channels_last" else tuple(range(2, rank + 2))
    )
    fn = np.max if "Max" in cls.__name__ else np.mean
    ref = fn(x, axis=axes, keepdims=keepdims)
    assert tuple(out.shape) == ref.shape
    np.testing.assert_allclose(_np(out), ref, rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape(shape) == ref.shape
    assert layer.compute_output_shape((None, *shape[1:])) == (None, *ref.shape[1:])


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_masked_global_average_pooling1d(data_format):
    x = RNG.normal(size=(3, 5, 4)).astype(np.float32)
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0]], dtype=bool)
    expected = np.stack([x[i][mask[i]].mean(0) for i in range(3)])
    tx = torch.tensor(x if data_format == "channels_last" else np.moveaxis(x, -1, 1))
    layer = GlobalAveragePooling1D(data_format=data_format)
    out = layer(tx, mask=torch.tensor(mask))
    np.testing.assert_allclose(_np(out), expected, rtol=1e-5, atol=1e-6)
    # The mask also arrives attached to the input (as an Embedding(mask_zero=True) sets it),
    # and it stops here: the output has no steps left to mask.
    tx._keras_mask = torch.tensor(mask)
    out = layer(tx)
    np.testing.assert_allclose(_np(out), expected, rtol=1e-5, atol=1e-6)
    assert getattr(out, "_keras_mask", None) is None
    kept = GlobalAveragePooling1D(data_format=data_format, keepdims=True)(tx)
    assert kept.shape[1 if data_format == "channels_last" else 2] == 1


def test_errors_and_aliases():
    with pytest.raises(
        ValueError,
        match=r"GlobalAveragePooling2D layer 'gap': expects 4D input \(batch, height, width, "
        r"channels\), but got input of shape \(4, 7, 7\)",
    ):
        GlobalAveragePooling2D(name="gap")(torch.zeros(4, 7, 7))
    with pytest.raises(ValueError, match=r"data_format=\.\.\.\) must be 'channels_last' or"):
        GlobalMaxPooling2D(data_format="NCHW")
    assert GlobalAvgPool2D is GlobalAveragePooling2D and GlobalMaxPool2D is GlobalMaxPooling2D


def test_config_round_trip_and_sequential():
    from tork.keras.models.sequential import Sequential

    layer = GlobalAveragePooling2D(keepdims=True, name="g")
    config = layer.get_config()
    assert config["keepdims"] is True and config["data_format"] == "channels_last"
    assert GlobalAveragePooling2D.from_config(config).get_config() == config
    model = Sequential([GlobalMaxPooling1D()])
    assert tuple(model(torch.zeros(2, 7, 3)).shape) == (2, 3)


def test_masked_global_average_pooling1d_accepts_a_numpy_mask():
    x = RNG.normal(size=(2, 4, 3)).astype(np.float32)
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1]], dtype=bool)
    out = GlobalAveragePooling1D()(torch.tensor(x), mask=mask)
    expected = np.stack([x[0, :2].mean(0), x[1].mean(0)])
    np.testing.assert_allclose(_np(out), expected, rtol=1e-5, atol=1e-6)
