"""ReLU, LeakyReLU, PReLU, ELU and Softmax layers against NumPy formulas."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tork import keras

X = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0, 8.0]], dtype="float32")


def _run(layer, x=X, **kwargs):
    return layer(torch.from_numpy(x), **kwargs).detach().numpy()


def test_relu_variants():
    np.testing.assert_allclose(_run(keras.layers.ReLU()), np.maximum(X, 0))
    np.testing.assert_allclose(_run(keras.layers.ReLU(max_value=6.0)), np.clip(X, 0, 6))
    expected = np.where(X >= 1.0, X, 0.1 * (X - 1.0))
    np.testing.assert_allclose(
        _run(keras.layers.ReLU(negative_slope=0.1, threshold=1.0)), expected, rtol=1e-6
    )
    with pytest.raises(ValueError, match="max_value must be >= 0"):
        keras.layers.ReLU(max_value=-1)


def test_leaky_relu_accepts_keras2_alpha():
    np.testing.assert_allclose(_run(keras.layers.LeakyReLU()), np.where(X >= 0, X, 0.3 * X))
    np.testing.assert_allclose(
        _run(keras.layers.LeakyReLU(alpha=0.2)), np.where(X >= 0, X, 0.2 * X), rtol=1e-6
    )


def test_prelu_learns_alpha_with_shared_axes():
    layer = keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25))
    np.testing.assert_allclose(_run(layer), np.where(X >= 0, X, 0.25 * X))
    assert layer.alpha.shape == (6,)
    shared = keras.layers.PReLU(shared_axes=[1, 2])
    shared(torch.ones(2, 3, 4, 5))
    assert shared.alpha.shape == (1, 1, 5)


def test_elu_and_softmax():
    np.testing.assert_allclose(
        _run(keras.layers.ELU(alpha=0.5)), np.where(X > 0, X, 0.5 * np.expm1(X)), rtol=1e-6
    )
    e = np.exp(X - X.max())
    np.testing.assert_allclose(_run(keras.layers.Softmax()), e / e.sum(), rtol=1e-5)
    mask = torch.tensor([[True, True, False, False, False, False]])
    out = keras.layers.Softmax()(torch.from_numpy(X), mask=mask).numpy()
    np.testing.assert_allclose(out[0, 2:], 0.0, atol=1e-6)
    np.testing.assert_allclose(out.sum(), 1.0, rtol=1e-6)


@pytest.mark.parametrize(
    "layer",
    [
        keras.layers.ReLU(max_value=1.0),
        keras.layers.LeakyReLU(0.1),
        keras.layers.ELU(2.0),
        keras.layers.Softmax(axis=1),
    ],
)
def test_config_round_trip(layer):
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()


def test_softmax_takes_a_numpy_mask():
    logits = np.array([[1.0, 2.0, 3.0]], "float32")
    out = keras.layers.Softmax()(logits, mask=np.array([[True, True, False]]))
    expected = np.exp([1.0, 2.0]) / np.exp([1.0, 2.0]).sum()
    np.testing.assert_allclose(out.numpy()[0, :2], expected, rtol=1e-6)
    assert out.numpy()[0, 2] < 1e-6
