"""Crossentropy, KL, Poisson and hinge metrics against NumPy."""

import numpy as np
import torch

from tork.keras import metrics

EPS = 1e-7
rng = np.random.default_rng(14)
Z = rng.normal(size=(6, 4)).astype(np.float32)
LABELS = rng.integers(0, 4, size=6)
ONEHOT = np.eye(4, dtype=np.float32)[LABELS]
W = np.array([1.0, 2.0, 0.0, 1.0, 0.5, 1.0])


def log_softmax(z):
    z = z.astype(np.float64)
    return (
        z
        - z.max(-1, keepdims=True)
        - np.log(np.exp(z - z.max(-1, keepdims=True)).sum(-1, keepdims=True))
    )


def weighted(per, w=W):
    return (per * w).sum() / w.sum()


def two_updates(m, y, p, w=W):
    m.update_state(y[:3], p[:3], sample_weight=w[:3])
    m.update_state(y[3:], p[3:], sample_weight=w[3:])
    return m.result().numpy()


def test_binary_crossentropy_metric_both_ways():
    y = rng.integers(0, 2, size=(6, 4)).astype(np.float32)
    ref = np.maximum(Z, 0) - Z * y + np.log1p(np.exp(-np.abs(Z)))
    expected = weighted(ref.mean(-1))
    np.testing.assert_allclose(
        two_updates(metrics.BinaryCrossentropy(from_logits=True), y, Z), expected, rtol=1e-5
    )
    p = 1 / (1 + np.exp(-Z))
    np.testing.assert_allclose(two_updates(metrics.BinaryCrossentropy(), y, p), expected, rtol=1e-4)
    ls = metrics.BinaryCrossentropy(from_logits=True, label_smoothing=0.2)
    ys = y * 0.8 + 0.1
    ref_ls = (np.maximum(Z, 0) - Z * ys + np.log1p(np.exp(-np.abs(Z)))).mean(-1)
    np.testing.assert_allclose(two_updates(ls, y, Z), weighted(ref_ls), rtol=1e-5)


def test_categorical_and_sparse_crossentropy_metrics():
    per = -(ONEHOT * log_softmax(Z)).sum(-1)
    np.testing.assert_allclose(
        two_updates(metrics.CategoricalCrossentropy(from_logits=True), ONEHOT, Z),
        weighted(per),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        two_updates(metrics.SparseCategoricalCrossentropy(from_logits=True), LABELS, Z),
        weighted(per),
        rtol=1e-5,
    )
    p = np.exp(log_softmax(Z)).astype(np.float32)
    np.testing.assert_allclose(
        two_updates(metrics.SparseCategoricalCrossentropy(), LABELS, p), weighted(per), rtol=1e-4
    )


def test_crossentropy_metric_uses_recovered_logits():
    z = torch.tensor([[40.0]])
    p = torch.sigmoid(z)
    p._keras_logits = z
    m = metrics.BinaryCrossentropy()
    m.update_state([[0.0]], p)
    np.testing.assert_allclose(m.result().numpy(), 40.0, rtol=1e-6)


def test_kld_and_poisson_metrics():
    y = np.exp(log_softmax(rng.normal(size=(6, 4))))
    p = np.exp(log_softmax(Z))
    yc, pc = np.clip(y.astype(np.float32), EPS, 1), np.clip(p.astype(np.float32), EPS, 1)
    kld = (yc * np.log(yc / pc)).sum(-1)
    np.testing.assert_allclose(
        two_updates(metrics.KLDivergence(), y.astype(np.float32), p.astype(np.float32)),
        weighted(kld),
        rtol=1e-5,
    )
    counts = rng.poisson(2.0, size=(6, 4)).astype(np.float32)
    rate = rng.uniform(0.5, 3.0, size=(6, 4)).astype(np.float32)
    poisson = (rate - counts * np.log(rate + EPS)).mean(-1)
    np.testing.assert_allclose(
        two_updates(metrics.Poisson(), counts, rate), weighted(poisson), rtol=1e-5
    )


def test_hinge_metrics():
    y = rng.integers(0, 2, size=(6, 4)).astype(np.float32)
    s = 2 * y - 1
    hinge = np.maximum(1 - s * Z, 0).mean(-1)
    squared = (np.maximum(1 - s * Z, 0) ** 2).mean(-1)
    cat = np.maximum(0, ((1 - ONEHOT) * Z).max(-1) - (ONEHOT * Z).sum(-1) + 1)
    np.testing.assert_allclose(two_updates(metrics.Hinge(), y, Z), weighted(hinge), rtol=1e-5)
    np.testing.assert_allclose(
        two_updates(metrics.SquaredHinge(), y, Z), weighted(squared), rtol=1e-5
    )
    np.testing.assert_allclose(
        two_updates(metrics.CategoricalHinge(), ONEHOT, Z), weighted(cat), rtol=1e-5
    )


def test_sparse_categorical_crossentropy_ignore_class():
    y = np.array([0, 1, 2, 1], np.float32)
    p = np.array([[0.7, 0.2, 0.1], [0.3, 0.5, 0.2], [0.1, 0.1, 0.8], [0.6, 0.3, 0.1]], np.float32)
    m = metrics.SparseCategoricalCrossentropy(ignore_class=1)
    m.update_state(y, p)
    # Labels 1 are left out: mean(-log 0.7, -log 0.8) (tf_keras 2.21: 0.28990924).
    np.testing.assert_allclose(m.result().numpy(), -np.log([0.7, 0.8]).mean(), rtol=1e-6)
    m.update_state(y, p, sample_weight=[1.0, 2.0, 0.5, 1.0])
    np.testing.assert_allclose(m.result().numpy(), 0.2994472086429596, rtol=1e-6)
    assert m.get_config() == {
        "name": "sparse_categorical_crossentropy",
        "dtype": "float32",
        "from_logits": False,
        "ignore_class": 1,
        "axis": -1,
    }
    logits = metrics.SparseCategoricalCrossentropy(ignore_class=2, from_logits=True)
    logits.update_state(y, np.log(p))
    np.testing.assert_allclose(logits.result().numpy(), -np.log([0.7, 0.5, 0.3]).mean(), rtol=1e-6)


def test_kl_divergence_default_name_is_keras_2s():
    # Keras 2 names it (and its `fit` log key) 'kullback_leibler_divergence'.
    assert metrics.KLDivergence().name == "kullback_leibler_divergence"


def test_metrics_hinge_is_the_function_not_its_submodule():
    import tork.keras.metrics as metrics_module

    y = np.array([[1.0, -1.0], [-1.0, 1.0]], np.float32)
    p = np.array([[0.5, 0.2], [-0.3, 2.0]], np.float32)
    expected = np.maximum(1 - y * p, 0).mean(-1)  # [0.85, 0.35]
    np.testing.assert_allclose(metrics_module.hinge(y, p).numpy(), expected, rtol=1e-6)
