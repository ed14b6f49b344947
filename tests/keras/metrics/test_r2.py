"""R2Score against NumPy (sklearn's definitions)."""

import numpy as np
import pytest

from tork.keras import metrics

rng = np.random.default_rng(16)
Y = rng.normal(size=(12, 3)).astype(np.float32) * [1.0, 2.0, 0.5]
P = (Y + rng.normal(scale=0.5, size=(12, 3))).astype(np.float32)
W = rng.uniform(0.5, 2.0, size=12)


def np_r2(y, p, w=None):
    w = np.ones(len(y)) if w is None else w
    y, p = y.astype(np.float64), p.astype(np.float64)
    mean = (w[:, None] * y).sum(0) / w.sum()
    ss_tot = (w[:, None] * (y - mean) ** 2).sum(0)
    ss_res = (w[:, None] * (y - p) ** 2).sum(0)
    return 1 - ss_res / ss_tot, ss_tot


@pytest.mark.parametrize("aggregation", [None, "uniform_average", "variance_weighted_average"])
def test_r2_against_numpy(aggregation):
    m = metrics.R2Score(class_aggregation=aggregation)
    m.update_state(Y[:5], P[:5], sample_weight=W[:5])
    m.update_state(Y[5:], P[5:], sample_weight=W[5:])
    raw, ss_tot = np_r2(Y, P, W)
    expected = {
        None: raw,
        "uniform_average": raw.mean(),
        "variance_weighted_average": (raw * ss_tot).sum() / ss_tot.sum(),
    }[aggregation]
    np.testing.assert_allclose(m.result().numpy(), expected, rtol=1e-4)


def test_r2_keras_example_and_rank_one_inputs():
    m = metrics.R2Score()
    m.update_state([[1], [4], [3]], [[2], [4], [4]])
    np.testing.assert_allclose(m.result().numpy(), 0.5714286, rtol=1e-5)
    m1 = metrics.R2Score()
    m1.update_state(np.array([1.0, 4.0, 3.0]), np.array([2.0, 4.0, 4.0]))
    np.testing.assert_allclose(m1.result().numpy(), 0.5714286, rtol=1e-5)


def test_adjusted_r2():
    m = metrics.R2Score(num_regressors=2)
    m.update_state(Y, P)
    r2 = np_r2(Y, P)[0].mean()
    n, k = 12 * 3, 2  # Keras's n is the number of label values, not of rows
    np.testing.assert_allclose(m.result().numpy(), 1 - (1 - r2) * (n - 1) / (n - k - 1), rtol=1e-4)
    few = metrics.R2Score(num_regressors=9)
    few.update_state(Y[:3], P[:3])  # n = 9 values
    with pytest.warns(UserWarning, match="More independent predictors than datapoints"):
        few.result()


def test_adjusted_r2_matches_keras():
    # tf_keras 2.21 (and Keras 3) give 0.8955: n = 8 label values, not 4 rows.
    y = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 5.0], [4.0, 3.0]], np.float32)
    p = np.array([[1.5, 2.0], [2.0, 1.2], [3.0, 4.0], [4.0, 3.3]], np.float32)
    m = metrics.R2Score(num_regressors=1)
    m.update_state(y, p)
    np.testing.assert_allclose(m.result().numpy(), 0.8955, rtol=1e-5)


def test_invalid_arguments_messages():
    with pytest.raises(ValueError, match=r"R2Score: invalid class_aggregation 'mean'"):
        metrics.R2Score(class_aggregation="mean")
    with pytest.raises(ValueError, match=r"R2Score: num_regressors must be a non-negative integer"):
        metrics.R2Score(num_regressors=-1)
    with pytest.raises(
        ValueError, match=r"R2Score expects labels and predictions of the same 2D shape"
    ):
        metrics.R2Score().update_state(np.zeros((2, 3)), np.zeros((2, 4)))
