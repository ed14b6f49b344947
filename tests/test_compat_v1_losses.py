"""tf.compat.v1.losses: TF 1's weighted, reduced losses (values from TF 2.21)."""

import numpy as np
import pytest

import tork as tf

L = tf.compat.v1.losses
R = L.Reduction
_RNG = np.random.default_rng(0)
Y = _RNG.normal(size=(4, 3)).astype("float32")
P = _RNG.normal(size=(4, 3)).astype("float32")
W = np.array([[1.0], [0.0], [2.0], [1.0]], "float32")
LABELS = (Y > 0).astype("float32")


@pytest.mark.parametrize(
    "reduction, expected",
    [
        (R.SUM, 18.86936),
        (R.MEAN, 1.57245),  # / sum of the broadcast weights (12)
        (R.SUM_OVER_BATCH_SIZE, 1.57245),  # / number of elements (12)
        (R.SUM_BY_NONZERO_WEIGHTS, 2.0966),  # / non-zero broadcast weights (9)
        (R.SUM_OVER_NONZERO_WEIGHTS, 2.0966),
    ],
)
def test_reductions_of_mean_squared_error(reduction, expected):
    value = L.mean_squared_error(Y, P, weights=W, reduction=reduction)
    assert float(value) == pytest.approx(expected, abs=1e-4)


def test_reduction_none_gives_the_weighted_elements_and_default_is_the_mean():
    np.testing.assert_allclose(
        L.mean_squared_error(Y, P, weights=W, reduction=R.NONE).numpy(), (P - Y) ** 2 * W, 1e-6
    )
    assert float(L.mean_squared_error(labels=Y, predictions=P)) == pytest.approx(1.57446, 1e-4)
    assert float(L.mean_squared_error(Y, P, weights=0.0)) == 0.0  # no NaN


@pytest.mark.parametrize(
    "name, call, expected",
    [
        ("absolute_difference", lambda: L.absolute_difference(Y, P, weights=W), 1.17042),
        ("huber_loss", lambda: L.huber_loss(Y, P, weights=W, delta=0.5), 0.45988),
        (
            "log_loss",
            lambda: L.log_loss(LABELS, 1 / (1 + np.exp(-P)), weights=W),
            1.10341,
        ),
        ("hinge_loss", lambda: L.hinge_loss(LABELS, P), 1.22217),
        (
            "sigmoid_cross_entropy",
            lambda: L.sigmoid_cross_entropy(LABELS, P, weights=W, label_smoothing=0.1),
            1.10043,
        ),
        (
            "softmax_cross_entropy",
            lambda: L.softmax_cross_entropy(
                np.eye(3, dtype="float32")[[0, 2, 1, 1]], P, weights=W[:, 0], label_smoothing=0.2
            ),
            1.99249,
        ),
        (
            "sparse_softmax_cross_entropy",
            lambda: L.sparse_softmax_cross_entropy(np.array([0, 2, 1, 1]), P, weights=W[:, 0]),
            2.05093,
        ),
        (
            "cosine_distance",
            lambda: L.cosine_distance(
                Y / np.linalg.norm(Y, axis=1, keepdims=True),
                P / np.linalg.norm(P, axis=1, keepdims=True),
                axis=1,
                weights=W,
            ),
            1.18839,
        ),
    ],
)
def test_losses_match_tensorflow(name, call, expected):
    assert float(call()) == pytest.approx(expected, abs=1e-4), name


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"labels \(2,\) and predictions \(3,\) must have"):
        L.mean_squared_error([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="Invalid reduction 'avg'"):
        L.mean_squared_error(Y, P, reduction="avg")
    with pytest.raises(ValueError, match="you must specify `axis`"):
        L.cosine_distance(Y, P)
