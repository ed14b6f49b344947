"""Regression metrics against NumPy, accumulated over two weighted updates."""

import numpy as np
import pytest

from tork.keras import metrics

EPS = 1e-7
rng = np.random.default_rng(13)
Y = rng.uniform(0.0, 3.0, size=(7, 3)).astype(np.float32)
P = rng.uniform(0.0, 3.0, size=(7, 3)).astype(np.float32)
W = np.array([1.0, 0.5, 0.0, 2.0, 1.0, 1.0, 3.0])


def cos(y, p):
    yn = y / np.maximum(np.linalg.norm(y, axis=-1, keepdims=True), 1e-6)
    pn = p / np.maximum(np.linalg.norm(p, axis=-1, keepdims=True), 1e-6)
    return (yn * pn).sum(-1)


CASES = [
    (metrics.MeanSquaredError, lambda y, p: ((y - p) ** 2).mean(-1)),
    (metrics.MeanAbsoluteError, lambda y, p: np.abs(y - p).mean(-1)),
    (
        metrics.MeanAbsolutePercentageError,
        lambda y, p: 100 * (np.abs(y - p) / np.maximum(np.abs(y), EPS)).mean(-1),
    ),
    (
        metrics.MeanSquaredLogarithmicError,
        lambda y, p: ((np.log(np.maximum(p, EPS) + 1) - np.log(np.maximum(y, EPS) + 1)) ** 2).mean(
            -1
        ),
    ),
    (metrics.CosineSimilarity, cos),
    (metrics.LogCoshError, lambda y, p: np.log(np.cosh(p - y)).mean(-1)),
]


@pytest.mark.parametrize("cls,ref", CASES, ids=[c[0].__name__ for c in CASES])
def test_weighted_running_mean(cls, ref):
    m = cls()
    m.update_state(Y[:3], P[:3], sample_weight=W[:3])
    m.update_state(Y[3:], P[3:], sample_weight=W[3:])
    per = ref(Y.astype(np.float64), P.astype(np.float64))
    np.testing.assert_allclose(m.result().numpy(), (per * W).sum() / W.sum(), rtol=1e-5)
    m.reset_state()
    m.update_state(Y, P)
    np.testing.assert_allclose(m.result().numpy(), per.mean(), rtol=1e-5)


def test_root_mean_squared_error():
    m = metrics.RootMeanSquaredError()
    m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    np.testing.assert_allclose(m.result().numpy(), 0.5)
    m.reset_state()
    m.update_state(Y[:4], P[:4], sample_weight=W[:4])
    m.update_state(Y[4:], P[4:], sample_weight=W[4:])
    per = ((Y - P) ** 2).mean(-1)
    np.testing.assert_allclose(m.result().numpy(), np.sqrt((per * W).sum() / W.sum()), rtol=1e-5)


def test_cosine_similarity_metric_is_positive_loss_is_negative():
    from tork.keras import losses

    y, p = [[0.0, 1.0]], [[1.0, 1.0]]
    np.testing.assert_allclose(metrics.cosine_similarity(y, p).numpy(), [np.sqrt(0.5)], rtol=1e-6)
    np.testing.assert_allclose(losses.cosine_similarity(y, p).numpy(), [-np.sqrt(0.5)], rtol=1e-6)


def test_function_forms_are_reexported_losses():
    from tork.keras import losses

    assert metrics.mean_squared_error is losses.mean_squared_error
    assert metrics.mae is losses.mae and metrics.kld is losses.kld
    assert metrics.binary_crossentropy is losses.binary_crossentropy


def test_shape_mismatch_names_the_metric():
    with pytest.raises(ValueError, match=r"RootMeanSquaredError: labels of shape \(4, 2\)"):
        metrics.RootMeanSquaredError().update_state(np.zeros((4, 2)), np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"MeanSquaredError: labels of shape \(4, 2\)"):
        metrics.MeanSquaredError().update_state(np.zeros((4, 2)), np.zeros((4, 3)))


def test_huber_function_is_exported_as_a_metric():
    # tf.keras.metrics.huber exists in TF 2.21: the per-sample Huber loss (delta 1):
    # |d| = 3 -> 1 * (3 - 0.5) = 2.5; |d| = 0.5 -> 0.5 * 0.25 = 0.125.
    values = metrics.huber([[0.0], [0.0]], [[3.0], [0.5]])
    np.testing.assert_allclose(np.asarray(values), [2.5, 0.125])
