"""Tests for keras.layers.LayerNormalization against NumPy formulas."""

import numpy as np
import pytest
import torch

from tork._backend.device import current_device
from tork.keras.layers.normalization.layer_normalization import LayerNormalization

EPS = 1e-3


def _np(t):
    return t.detach().cpu().numpy()


def _reference(x, axes, gamma=None, beta=None, eps=EPS):
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)  # biased
    out = (x - mean) / np.sqrt(var + eps)
    shape = [x.shape[i] if i in axes else 1 for i in range(x.ndim)]
    if gamma is not None:
        out = out * gamma.reshape(shape)
    if beta is not None:
        out = out + beta.reshape(shape)
    return out


def _randomize(layer, rng):
    values = [rng.uniform(0.5, 2.0, w.shape).astype(np.float32) for w in layer.get_weights()]
    layer.set_weights(values)
    return values


@pytest.mark.parametrize(
    "shape, axis, axes",
    [
        ((4, 6), -1, (1,)),
        ((3, 5, 6), [1, 2], (1, 2)),  # trailing axes: torch's fused layer_norm
        ((3, 5, 6), 1, (1,)),  # not trailing
        ((2, 3, 4, 5), [1, 3], (1, 3)),  # not contiguous
        ((2, 3, 4, 5), [-3, -2, -1], (1, 2, 3)),
    ],
)
def test_output_matches_numpy(shape, axis, axes):
    rng = np.random.default_rng(0)
    layer = LayerNormalization(axis=axis)
    layer.build(shape)
    gamma, beta = _randomize(layer, rng)
    assert gamma.shape == tuple(shape[a] for a in axes)
    x = rng.normal(loc=2.0, scale=3.0, size=shape).astype(np.float32)
    out = layer(torch.from_numpy(x))
    expected = _reference(x.astype(np.float64), axes, gamma, beta)
    np.testing.assert_allclose(_np(out), expected, rtol=1e-4, atol=1e-4)


def test_weights_shape_for_two_axes_and_defaults():
    layer = LayerNormalization(axis=[1, 2])
    layer.build((None, 5, 6))
    assert [tuple(w.shape) for w in layer.weights] == [(5, 6), (5, 6)]
    gamma, beta = layer.get_weights()
    np.testing.assert_array_equal(gamma, np.ones((5, 6), np.float32))
    np.testing.assert_array_equal(beta, np.zeros((5, 6), np.float32))
    assert layer.epsilon == 1e-3


def test_rms_scaling_uses_variance_and_gamma_only():
    rng = np.random.default_rng(1)
    layer = LayerNormalization(rms_scaling=True)
    x = rng.normal(loc=1.0, size=(4, 6)).astype(np.float32)
    layer.build(x.shape)
    assert len(layer.weights) == 1  # gamma only, no beta
    (gamma,) = _randomize(layer, rng)
    out = layer(torch.from_numpy(x))
    x64 = x.astype(np.float64)
    expected = x64 / np.sqrt(x64.var(axis=-1, keepdims=True) + EPS) * gamma
    np.testing.assert_allclose(_np(out), expected, rtol=1e-5, atol=1e-5)


def test_center_and_scale_off():
    layer = LayerNormalization(center=False, scale=False)
    x = np.random.default_rng(2).normal(size=(3, 4)).astype(np.float32)
    out = layer(torch.from_numpy(x))
    assert layer.weights == []
    np.testing.assert_allclose(_np(out), _reference(x.astype(np.float64), (1,)), atol=1e-5)


@pytest.mark.parametrize("axis", [-1, 1])
def test_gradients_match_finite_differences(axis):
    rng = np.random.default_rng(3)
    layer = LayerNormalization(axis=axis, dtype="float64")
    x0 = rng.normal(size=(2, 3, 2))
    layer.build(x0.shape)
    layer.set_weights([w + rng.uniform(0.5, 1.0, w.shape) for w in layer.get_weights()])
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


def test_mixed_float16_computes_in_float32():
    rng = np.random.default_rng(4)
    layer = LayerNormalization(dtype="mixed_float16")
    x = rng.normal(scale=100.0, size=(4, 64)).astype(np.float32)
    out = layer(torch.from_numpy(x))
    assert out.dtype == torch.float16 and layer.gamma.dtype == torch.float32
    expected = _reference(x.astype(np.float16).astype(np.float64), (1,))
    np.testing.assert_allclose(_np(out).astype(np.float64), expected, atol=5e-3)


def test_config_round_trip_and_output_shape():
    layer = LayerNormalization(axis=[1, 2], epsilon=1e-5, rms_scaling=True, beta_regularizer="l1")
    config = layer.get_config()
    assert config["axis"] == [1, 2] and config["epsilon"] == 1e-5
    assert config["rms_scaling"] is True and config["beta_regularizer"]["class_name"] == "L1"
    assert LayerNormalization.from_config(config).get_config() == config
    assert layer.compute_output_shape((None, 5, 6)) == (None, 5, 6)


def test_error_axis_out_of_range():
    with pytest.raises(ValueError, match=r"axis 2 is out of range for an input of rank 2"):
        LayerNormalization(axis=2)(torch.ones(2, 3))
    with pytest.raises(ValueError, match=r"axis -4 is out of range.*valid axes are -3..2"):
        LayerNormalization(axis=-4).compute_output_shape((None, 3, 4))


def test_error_repeated_axis():
    with pytest.raises(ValueError, match=r"names the same axis twice"):
        LayerNormalization(axis=[1, -1])(torch.ones(2, 3))


def test_error_size_changes_after_build():
    layer = LayerNormalization(name="ln_size")
    layer(torch.ones(2, 4))
    with pytest.raises(ValueError, match=r"'ln_size'.*built for size \(4,\).*\(2, 5\)"):
        layer(torch.ones(2, 5))


def test_error_bad_arguments():
    with pytest.raises(TypeError, match=r"LayerNormalization\(axis=...\) must be an int"):
        LayerNormalization(axis=1.5)
    with pytest.raises(ValueError, match=r"epsilon=...\) must be a non-negative float"):
        LayerNormalization(epsilon=-1.0)


def test_default_config_has_no_keras3_rms_scaling_key():
    # tf.keras 2 has no `rms_scaling` and refuses configs holding it.
    config = LayerNormalization().get_config()
    assert "rms_scaling" not in config
    assert LayerNormalization.from_config(config).rms_scaling is False
