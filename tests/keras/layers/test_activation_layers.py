"""ReLU, LeakyReLU, PReLU, ELU, Softmax and ThresholdedReLU layers against NumPy formulas."""

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
    expected = np.where(X > 1.0, X, 0.1 * (X - 1.0))
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


def test_relu_threshold_is_exclusive_and_non_negative_as_keras2():
    # tf.keras 2.21 on [-1, 0, 0.5, 1, 1.5, 7]: f(threshold) is 0, not threshold.
    x = np.array([[-1.0, 0.0, 0.5, 1.0, 1.5, 7.0]], dtype="float32")
    cases = [
        ({"threshold": 1.0}, [0.0, 0.0, 0.0, 0.0, 1.5, 7.0]),
        ({"threshold": 1.0, "negative_slope": 0.5}, [-1.0, -0.5, -0.25, 0.0, 1.5, 7.0]),
        ({"threshold": 1.0, "max_value": 6.0}, [0.0, 0.0, 0.0, 0.0, 1.5, 6.0]),
        ({"max_value": 0.5, "negative_slope": 0.1}, [-0.1, 0.0, 0.5, 0.5, 0.5, 0.5]),
    ]
    for kwargs, expected in cases:
        np.testing.assert_allclose(_run(keras.layers.ReLU(**kwargs), x)[0], expected, rtol=1e-6)
    with pytest.raises(ValueError, match=r"threshold of a ReLU layer cannot be a negative value"):
        keras.layers.ReLU(threshold=-0.5)


def test_leaky_relu_config_uses_keras2_alpha_key():
    config = keras.layers.LeakyReLU(negative_slope=0.2).get_config()
    assert config["alpha"] == pytest.approx(0.2) and "negative_slope" not in config
    assert keras.layers.LeakyReLU.from_config(config).negative_slope == pytest.approx(0.2)


def test_thresholded_relu():
    from tork.keras.layers.activations import ThresholdedReLU

    # tf.keras 2.21: ThresholdedReLU(0.5) on [-1, 0, 0.5, 1, 1.5, 7].
    x = np.array([[-1.0, 0.0, 0.5, 1.0, 1.5, 7.0]], dtype="float32")
    np.testing.assert_allclose(_run(ThresholdedReLU(0.5), x)[0], [0.0, 0.0, 0.0, 1.0, 1.5, 7.0])
    np.testing.assert_allclose(_run(ThresholdedReLU(), X), np.where(X > 1.0, X, 0.0))
    layer = ThresholdedReLU(theta=0.3, name="thr")
    config = layer.get_config()
    assert config["theta"] == pytest.approx(0.3) and config["name"] == "thr"
    assert ThresholdedReLU.from_config(config).get_config() == config
    assert layer.compute_output_shape((None, 4)) == (None, 4)
    with pytest.raises(ValueError, match=r"Theta of a Thresholded ReLU layer cannot be None"):
        ThresholdedReLU(None)
    with pytest.raises(ValueError, match=r"theta value of a Thresholded ReLU layer should be >=0"):
        ThresholdedReLU(-1)
