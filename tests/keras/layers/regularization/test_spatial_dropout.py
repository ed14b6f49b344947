"""Tests for keras.layers.SpatialDropout1D/2D/3D: whole-channel dropout in training only."""

import numpy as np
import pytest
import torch

from tork.keras.layers.regularization.dropout import Dropout
from tork.keras.layers.regularization.spatial_dropout import (
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)


def _np(t):
    return t.detach().cpu().numpy()


# (layer class, kwargs, input shape, spatial axes, channel axis)
CASES = [
    (SpatialDropout1D, {}, (40, 5, 50), (1,), 2),
    (SpatialDropout2D, {}, (40, 3, 4, 50), (1, 2), 3),
    (SpatialDropout2D, {"data_format": "channels_first"}, (40, 50, 3, 4), (2, 3), 1),
    (SpatialDropout3D, {}, (40, 2, 3, 2, 50), (1, 2, 3), 4),
    (SpatialDropout3D, {"data_format": "channels_first"}, (40, 50, 2, 3, 2), (2, 3, 4), 1),
]


@pytest.mark.parametrize("cls, kwargs, shape, spatial, channel", CASES)
@pytest.mark.parametrize("training", [None, False])
def test_inactive_at_inference(cls, kwargs, shape, spatial, channel, training):
    x = torch.randn(shape)
    np.testing.assert_array_equal(_np(cls(0.5, **kwargs)(x, training=training)), _np(x))


@pytest.mark.parametrize("cls, kwargs, shape, spatial, channel", CASES)
def test_training_drops_whole_channels(cls, kwargs, shape, spatial, channel):
    rate = 0.3
    x = torch.rand(shape) + 1.0  # strictly positive: zeros can only come from the mask
    out = _np(cls(rate, **kwargs)(x, training=True))
    ratio = out / _np(x)
    # One value per (sample, channel), the same on every spatial position.
    first = ratio
    for axis in spatial:
        first = np.take(first, [0], axis=axis)
    np.testing.assert_allclose(ratio, np.broadcast_to(first, ratio.shape), rtol=1e-6)
    assert np.all((first == 0) | np.isclose(first, 1 / (1 - rate), rtol=1e-5))
    # Dropped fraction of the 40 x 50 (sample, channel) pairs: 6 standard deviations of slack.
    dropped = float(np.mean(first == 0))
    assert abs(dropped - rate) < 6 * np.sqrt(rate * (1 - rate) / 2000)


def test_seeded_layers_repeat_their_masks():
    x = torch.ones(8, 4, 16)
    a = SpatialDropout1D(0.5, seed=3)(x, training=True)
    b = SpatialDropout1D(0.5, seed=3)(x, training=True)
    np.testing.assert_array_equal(_np(a), _np(b))


def test_rate_zero_and_one():
    x = torch.randn(2, 3, 4)
    np.testing.assert_array_equal(_np(SpatialDropout1D(0.0)(x, training=True)), _np(x))
    np.testing.assert_array_equal(_np(SpatialDropout1D(1.0)(x, training=True)), 0.0)


def test_gradient_flows_through_kept_channels():
    x = torch.ones(6, 3, 8, requires_grad=True)
    out = SpatialDropout1D(0.5)(x, training=True)
    out.sum().backward()
    np.testing.assert_allclose(_np(x.grad), _np(out))  # d(x * m)/dx = m = out for x = 1


def test_is_a_dropout_with_keras_config():
    layer = SpatialDropout2D(0.2, data_format="channels_first", seed=5, name="sd")
    assert isinstance(layer, Dropout)
    config = layer.get_config()
    assert config["rate"] == 0.2 and config["seed"] == 5
    # tf_keras writes Dropout's noise_shape (None) here too; files leave it out (Keras 3).
    assert config["data_format"] == "channels_first" and config["noise_shape"] is None
    assert SpatialDropout2D.from_config(config).get_config() == config
    assert "data_format" not in SpatialDropout1D(0.1).get_config()
    assert layer.compute_output_shape((None, 3, 8, 8)) == (None, 3, 8, 8)


def test_error_wrong_rank():
    with pytest.raises(ValueError, match=r"'sd2'.*expected rank 4, but received input of rank 3"):
        SpatialDropout2D(0.5, name="sd2")(torch.ones(2, 3, 4), training=True)


def test_error_bad_arguments():
    with pytest.raises(ValueError, match=r"data_format=...\) must be 'channels_last' or"):
        SpatialDropout2D(0.5, data_format="NHWC")
    with pytest.raises(ValueError, match=r"rate"):
        SpatialDropout1D(1.5)
    with pytest.raises(TypeError, match=r"SpatialDropout1D\(seed=...\) must be an int"):
        SpatialDropout1D(0.5, seed="x")
