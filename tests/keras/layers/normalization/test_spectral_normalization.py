"""Tests for keras.layers.SpectralNormalization against NumPy SVD and power iteration."""

import numpy as np
import pytest
import torch

from tork import keras
from tork.keras.layers.normalization.spectral_normalization import SpectralNormalization

L = keras.layers
RNG = np.random.default_rng(11)


def _with_spectrum(rows, cols, singular_values):
    """A (rows, cols) matrix with the given, well separated, singular values."""
    q1, _ = np.linalg.qr(RNG.normal(size=(rows, rows)))
    q2, _ = np.linalg.qr(RNG.normal(size=(cols, cols)))
    s = np.zeros((rows, cols))
    s[np.arange(len(singular_values)), np.arange(len(singular_values))] = singular_values
    return (q1 @ s @ q2.T).astype("float32")


def _np(t):
    return t.detach().cpu().numpy()


def test_weights_and_inference_leaves_kernel_alone():
    sn = SpectralNormalization(L.Dense(5, name="proj"), name="sn")
    x = RNG.normal(size=(4, 6)).astype("float32")
    y = sn(x)
    # Keras 2's order (tf_keras 2.21: sn/kernel, sn/bias, sn/vector_u): trainable first.
    assert [w.path for w in sn.weights] == ["sn/kernel", "sn/bias", "sn/vector_u"]
    assert tuple(sn.vector_u.shape) == (1, 5) and not sn.vector_u.trainable
    kernel = _np(sn.layer.kernel).copy()
    np.testing.assert_allclose(_np(y), x @ kernel, rtol=1e-5, atol=1e-6)
    sn(x, training=False)
    np.testing.assert_array_equal(_np(sn.layer.kernel), kernel)


def test_one_training_step_matches_numpy_power_iteration():
    sn = SpectralNormalization(L.Dense(3, bias_initializer="random_normal"), power_iterations=2)
    x = RNG.normal(size=(2, 4)).astype("float32")
    sn(x)
    w = _np(sn.layer.kernel).astype(np.float64)
    u = _np(sn.vector_u).astype(np.float64)
    for _ in range(2):
        v = u @ w.T
        v /= np.linalg.norm(v)
        u = v @ w
        u /= np.linalg.norm(u)
    sigma = (v @ w @ u.T).item()
    y = sn(x, training=True)
    np.testing.assert_allclose(_np(sn.vector_u), u, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(_np(sn.layer.kernel), w / sigma, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(_np(y), x @ (w / sigma) + _np(sn.layer.bias), rtol=1e-4, atol=1e-5)


def test_converges_to_unit_spectral_norm_of_conv_kernel():
    sn = SpectralNormalization(L.Conv2D(4, 3), power_iterations=5)
    x = RNG.normal(size=(1, 6, 6, 2)).astype("float32")
    sn(x)
    w0 = _with_spectrum(18, 4, [2.0, 1.0, 0.5, 0.25])
    sn.layer.set_weights([w0.reshape(3, 3, 2, 4), np.zeros(4, "float32")])
    sigma0 = np.linalg.svd(w0, compute_uv=False)[0]
    for _ in range(10):
        sn(x, training=True)
    w = _np(sn.layer.kernel).reshape(-1, 4)
    assert np.linalg.svd(w, compute_uv=False)[0] == pytest.approx(1.0, rel=1e-4)
    # The kernel is the original one divided by its largest singular value.
    np.testing.assert_allclose(w, w0 / sigma0, rtol=1e-3, atol=1e-5)


def test_embeddings_are_normalized_and_zero_kernel_is_left_alone():
    sn = SpectralNormalization(L.Embedding(6, 3), power_iterations=20)
    ids = np.array([[0, 1, 2]])
    sn(ids)
    sn.layer.set_weights([_with_spectrum(6, 3, [3.0, 1.0, 0.5])])
    sn(ids, training=True)
    w = _np(sn.layer.embeddings)
    assert np.linalg.svd(w, compute_uv=False)[0] == pytest.approx(1.0, rel=1e-4)
    zero = SpectralNormalization(L.Dense(2, kernel_initializer="zeros"))
    zero(np.ones((1, 3), "float32"))
    u = _np(zero.vector_u).copy()
    zero(np.ones((1, 3), "float32"), training=True)
    np.testing.assert_array_equal(_np(zero.layer.kernel), np.zeros((3, 2)))
    np.testing.assert_array_equal(_np(zero.vector_u), u)


def test_fit_updates_u_and_trains_kernel():
    inputs = keras.Input((4,))
    outputs = SpectralNormalization(L.Dense(2))(inputs)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="mse")
    layer = model.layers[-1]
    u0 = _np(layer.vector_u).copy()
    model.fit(RNG.normal(size=(8, 4)), RNG.normal(size=(8, 2)), epochs=1, verbose=0)
    assert not np.allclose(_np(layer.vector_u), u0)
    assert len(model.trainable_weights) == 2


def test_config_round_trip():
    sn = SpectralNormalization(L.Dense(3, activation="relu"), power_iterations=3, name="sn")
    config = sn.get_config()
    assert config["power_iterations"] == 3
    rebuilt = SpectralNormalization.from_config(config)
    assert isinstance(rebuilt.layer, L.Dense) and rebuilt.layer.units == 3
    assert rebuilt.get_config() == config
    assert keras.layers.SpectralNormalization is SpectralNormalization


def test_errors():
    with pytest.raises(ValueError, match="`power_iterations` should be greater than zero"):
        SpectralNormalization(L.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="wraps a keras layer"):
        SpectralNormalization(torch.nn.Linear(2, 2))
    with pytest.raises(ValueError, match="has no attribute 'kernel' nor 'embeddings'"):
        SpectralNormalization(L.Flatten())(np.ones((1, 2, 2), "float32"))
