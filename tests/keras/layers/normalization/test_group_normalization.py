"""Tests for keras.layers.GroupNormalization against a NumPy formula."""

import numpy as np
import pytest
import torch

from tork._backend.device import current_device
from tork.keras.layers.normalization.group_normalization import GroupNormalization

EPS = 1e-3


def _np(t):
    return t.detach().cpu().numpy()


def _reference(x, groups, axis, gamma, beta, eps=EPS):
    """Contiguous channel groups; statistics over spatial axes x channels-in-group."""
    x = np.moveaxis(x, axis, -1)
    b, c = x.shape[0], x.shape[-1]
    spatial = x.shape[1:-1]
    g = x.reshape(b, -1, groups, c // groups)
    mean = g.mean(axis=(1, 3), keepdims=True)
    var = g.var(axis=(1, 3), keepdims=True)
    out = ((g - mean) / np.sqrt(var + eps)).reshape((b, *spatial, c)) * gamma + beta
    return np.moveaxis(out, -1, axis)


@pytest.mark.parametrize(
    "shape, groups, axis",
    [
        ((2, 4, 5, 6), 3, -1),
        ((2, 6, 4, 5), 2, 1),
        ((3, 8), 4, -1),
        ((2, 7, 6), 6, -1),
        ((2, 3, 3, 2, 4), 1, -1),
    ],
)
def test_output_matches_numpy(shape, groups, axis):
    rng = np.random.default_rng(0)
    layer = GroupNormalization(groups=groups, axis=axis)
    layer.build(shape)
    c = shape[axis]
    gamma = rng.uniform(0.5, 2.0, c).astype(np.float32)
    beta = rng.normal(size=c).astype(np.float32)
    layer.set_weights([gamma, beta])
    x = rng.normal(loc=1.0, scale=2.0, size=shape).astype(np.float32)
    out = layer(torch.from_numpy(x))
    expected = _reference(x.astype(np.float64), groups, axis % len(shape), gamma, beta)
    np.testing.assert_allclose(_np(out), expected, rtol=1e-4, atol=1e-4)


def test_groups_minus_one_is_instance_normalization():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 3, 3, 4)).astype(np.float32)
    layer = GroupNormalization(groups=-1)
    out = layer(torch.from_numpy(x))
    assert layer.groups == 4
    x64 = x.astype(np.float64)
    mean, var = x64.mean(axis=(1, 2), keepdims=True), x64.var(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(_np(out), (x64 - mean) / np.sqrt(var + EPS), atol=1e-4)


def test_weights_are_per_channel_with_keras_defaults():
    layer = GroupNormalization(groups=2)
    layer.build((None, 5, 5, 6))
    assert [tuple(w.shape) for w in layer.weights] == [(6,), (6,)]
    gamma, beta = layer.get_weights()
    np.testing.assert_array_equal(gamma, np.ones(6, np.float32))
    np.testing.assert_array_equal(beta, np.zeros(6, np.float32))


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(2)
    layer = GroupNormalization(groups=2, dtype="float64")
    x0 = rng.normal(size=(2, 3, 4))
    layer.build(x0.shape)
    layer.set_weights([rng.uniform(0.5, 1.5, 4), rng.normal(size=4)])
    probe = torch.tensor(rng.normal(size=x0.shape), device=current_device())
    x = torch.from_numpy(x0).requires_grad_()
    (layer(x) * probe).sum().backward()
    numeric = np.zeros_like(x0)
    for index in np.ndindex(*x0.shape):
        plus, minus = x0.copy(), x0.copy()
        plus[index] += 1e-6
        minus[index] -= 1e-6
        f = lambda v: float((layer(torch.from_numpy(v)) * probe).sum())  # noqa: E731
        numeric[index] = (f(plus) - f(minus)) / 2e-6
    np.testing.assert_allclose(_np(x.grad), numeric, rtol=1e-5, atol=1e-7)


def test_config_round_trip_and_output_shape():
    layer = GroupNormalization(groups=4, axis=1, epsilon=1e-5, center=False)
    config = layer.get_config()
    assert config["groups"] == 4 and config["axis"] == 1 and config["center"] is False
    assert GroupNormalization.from_config(config).get_config() == config
    assert layer.compute_output_shape((None, 8, 3, 3)) == (None, 8, 3, 3)


def test_error_more_groups_than_channels():
    with pytest.raises(
        ValueError,
        match=r"number of groups \(32\) cannot be more than the number of channels \(6\)",
    ):
        GroupNormalization()(torch.ones(2, 6))


def test_error_channels_not_multiple_of_groups():
    with pytest.raises(
        ValueError,
        match=r"number of channels \(6\) must be a multiple of the number of groups \(4\); "
        r"valid group counts are \[1, 2, 3, 6\]",
    ):
        GroupNormalization(groups=4)(torch.ones(2, 6))


def test_error_bad_arguments():
    with pytest.raises(ValueError, match=r"groups=...\) must be a positive integer"):
        GroupNormalization(groups=0)
    with pytest.raises(TypeError, match=r"GroupNormalization\(axis=...\) must be an int"):
        GroupNormalization(axis=[1, 2])
    with pytest.raises(ValueError, match="size of axis"):
        GroupNormalization(groups=2).build((None, None))
