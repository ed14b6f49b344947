"""Tests for keras.layers.Dropout: inverted dropout, active only in training."""

import numpy as np
import pytest
import torch

from tork._backend.device import current_device
from tork.keras.layers.layer import Layer
from tork.keras.layers.regularization.dropout import Dropout


def _np(t):
    return t.detach().cpu().numpy()


class Block(Layer):
    """An outer layer that calls Dropout without passing `training`."""

    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.drop = Dropout(rate)

    def call(self, inputs):
        return self.drop(inputs)


@pytest.mark.parametrize("training", [None, False])
def test_dropout_inactive_without_training(training):
    x = torch.randn(8, 16)
    out = Dropout(0.5)(x, training=training)
    np.testing.assert_array_equal(_np(out), _np(x))


@pytest.mark.parametrize("rate", [0.2, 0.5, 0.8])
@pytest.mark.parametrize("seed", [None, 7])
def test_dropout_inverted_scaling_and_rate(rate, seed):
    n = 200_000
    x = torch.full((n,), 3.0)
    out = _np(Dropout(rate, seed=seed)(x, training=True))
    kept = out != 0
    # Kept values are scaled by 1 / (1 - rate); dropped ones are exactly 0.
    np.testing.assert_allclose(out[kept], 3.0 / (1.0 - rate), rtol=1e-6)
    # The dropped fraction is Binomial(n, rate) / n: 6 standard deviations of slack.
    tolerance = 6 * np.sqrt(rate * (1 - rate) / n)
    assert abs((~kept).mean() - rate) < tolerance
    # The expected value is preserved.
    assert abs(out.mean() - 3.0) < 6 * 3.0 * np.sqrt(rate / ((1 - rate) * n))


def test_dropout_rate_zero_is_identity_in_training():
    x = torch.randn(4, 5)
    np.testing.assert_array_equal(_np(Dropout(0.0)(x, training=True)), _np(x))


@pytest.mark.parametrize("noise_shape", [(64, 1, 10), (None, 1, None)])
def test_dropout_noise_shape_broadcasts(noise_shape):
    x = torch.ones(64, 20, 10)
    out = _np(Dropout(0.5, noise_shape=noise_shape)(x, training=True))
    kept = out != 0
    # The same mask value for all 20 timesteps of a (sample, feature) pair.
    assert np.all(kept == kept[:, :1, :])
    np.testing.assert_allclose(out[kept], 2.0)
    assert 0.35 < kept[:, 0, :].mean() < 0.65


def test_dropout_noise_shape_shares_mask_over_features():
    x = torch.ones(500, 8)
    out = _np(Dropout(0.25, noise_shape=(None, 1))(x, training=True))
    assert np.all((out == 0).all(axis=1) | (out != 0).all(axis=1))
    np.testing.assert_allclose(out[out != 0], 1.0 / 0.75, rtol=1e-6)


def test_dropout_seed_is_reproducible():
    x = torch.ones(1000)
    a = _np(Dropout(0.5, seed=42)(x, training=True))
    b = _np(Dropout(0.5, seed=42)(x, training=True))
    np.testing.assert_array_equal(a, b)


def test_dropout_training_flag_flows_from_outer_call():
    x = torch.ones(10_000)
    block = Block(0.5)
    np.testing.assert_array_equal(_np(block(x)), np.ones(10_000))
    out = _np(block(x, training=True))
    assert 0.45 < (out == 0).mean() < 0.55


def test_dropout_gradient_follows_mask():
    x = torch.ones(1000, requires_grad=True)
    out = Dropout(0.3)(x, training=True)
    out.sum().backward()
    np.testing.assert_allclose(_np(x.grad), _np(out), rtol=1e-6)


def test_dropout_keeps_mask_and_shape():
    x = torch.ones(2, 3, 4, device=current_device())
    x._keras_mask = torch.tensor([[True, False, True]] * 2, device=x.device)
    layer = Dropout(0.5)
    out = layer(x, training=True)
    assert torch.equal(out._keras_mask, x._keras_mask)
    assert tuple(layer.compute_output_shape((2, 3, 4))) == tuple(out.shape)


@pytest.mark.parametrize("rate", [-0.1, 1.5])
def test_dropout_invalid_rate(rate):
    with pytest.raises(ValueError, match=rf"between 0 and 1\. Received: rate={rate}"):
        Dropout(rate)


def test_dropout_config_round_trip():
    layer = Dropout(0.3, noise_shape=(None, 1, 5), seed=11, name="drop")
    config = layer.get_config()
    assert config["rate"] == 0.3 and config["noise_shape"] == (None, 1, 5)
    assert config["seed"] == 11 and config["name"] == "drop"
    assert Dropout.from_config(config).get_config() == config


def test_dropout_rate_one_gives_zeros_with_noise_shape():
    out = Dropout(1.0, noise_shape=(None, 1))(torch.ones(2, 3), training=True)
    np.testing.assert_array_equal(_np(out), np.zeros((2, 3)))


def test_noise_shape_that_does_not_broadcast_is_explained():
    layer = Dropout(0.5, noise_shape=(None, 1, 12))
    with pytest.raises(
        ValueError,
        match=r"noise_shape \(None, 1, 12\) does not broadcast to the input shape \(2, 3, 16\)",
    ):
        layer(np.ones((2, 3, 16), "float32"), training=True)
