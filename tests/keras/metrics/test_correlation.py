"""PearsonCorrelation, ConcordanceCorrelation and MeanRelativeError against NumPy."""

import numpy as np
import pytest

from tork.keras import metrics

rng = np.random.default_rng(11)
Y = rng.normal(size=(6, 5)).astype(np.float32)
P = (Y + 0.5 * rng.normal(size=(6, 5))).astype(np.float32)
W = np.array([1.0, 0.0, 2.0, 0.5, 1.0, 3.0], np.float32)


def np_pearson(y, p, axis=-1):
    yn = (y - y.mean(axis, keepdims=True)) / y.std(axis, keepdims=True)
    pn = (p - p.mean(axis, keepdims=True)) / p.std(axis, keepdims=True)
    return (yn * pn).mean(axis)


def np_ccc(y, p, axis=-1):
    my, mp = y.mean(axis, keepdims=True), p.mean(axis, keepdims=True)
    cov = ((y - my) * (p - mp)).mean(axis)
    return 2 * cov / (y.var(axis) + p.var(axis) + (my - mp).squeeze(axis) ** 2)


@pytest.mark.parametrize(
    "fn,cls,ref",
    [
        (metrics.pearson_correlation, metrics.PearsonCorrelation, np_pearson),
        (metrics.concordance_correlation, metrics.ConcordanceCorrelation, np_ccc),
    ],
)
def test_correlations_against_numpy(fn, cls, ref):
    y64, p64 = Y.astype(np.float64), P.astype(np.float64)
    expected = ref(y64, p64)
    np.testing.assert_allclose(fn(Y, P).numpy(), expected, rtol=1e-5)
    m = cls()
    m.update_state(Y[:3], P[:3])
    m.update_state(Y[3:], P[3:])
    np.testing.assert_allclose(m.result().numpy(), expected.mean(), rtol=1e-5)
    m.reset_state()
    m.update_state(Y, P, sample_weight=W)
    np.testing.assert_allclose(m.result().numpy(), (expected * W).sum() / W.sum(), rtol=1e-5)
    y3, p3 = Y.reshape(6, 5, 1), P.reshape(6, 5, 1)
    np.testing.assert_allclose(
        cls(axis=1)(y3, p3).numpy(), ref(y64[..., None], p64[..., None], 1).mean(), rtol=1e-5
    )


def test_documented_examples():
    y = [[0, 1, 0.5], [1, 1, 0.2]]
    p = [[0.1, 0.9, 0.5], [1, 0.9, 0.2]]
    np.testing.assert_allclose(
        metrics.concordance_correlation(y, p).numpy(), [0.97560976, 0.98765432], rtol=1e-6
    )
    np.testing.assert_allclose(metrics.ConcordanceCorrelation()(y, p).numpy(), 0.98163204, 1e-6)
    np.testing.assert_allclose(metrics.PearsonCorrelation()(y, p).numpy(), 0.99669963, 1e-6)


def test_correlation_config_and_lookup():
    m = metrics.PearsonCorrelation(name="pc", axis=1)
    assert m.get_config()["axis"] == 1
    clone = metrics.PearsonCorrelation.from_config(m.get_config())
    assert clone.name == "pc" and clone.axis == 1
    assert metrics.ConcordanceCorrelation().name == "concordance_correlation"
    assert metrics.PearsonCorrelation().name == "pearson_correlation"
    again = metrics.deserialize(metrics.serialize(metrics.ConcordanceCorrelation(axis=0)))
    assert isinstance(again, metrics.ConcordanceCorrelation) and again.axis == 0
    assert isinstance(metrics.get("PearsonCorrelation"), metrics.PearsonCorrelation)


def test_correlation_bad_axis_message():
    with pytest.raises(ValueError, match=r"PearsonCorrelation: axis=3 is out of range .*\(6, 5\)"):
        metrics.PearsonCorrelation(axis=3).update_state(Y, P)


def test_mean_relative_error_against_numpy():
    norm = np.abs(Y) + 0.5
    norm[0, 0] = 0.0  # a zero normalizer contributes 0, as divide_no_nan
    rel = np.abs(Y - P) / np.where(norm != 0, norm, 1)
    rel[0, 0] = 0.0
    m = metrics.MeanRelativeError(normalizer=norm)
    m.update_state(Y, P)
    np.testing.assert_allclose(m.result().numpy(), rel.mean(), rtol=1e-5)
    m.reset_state()
    m.update_state(Y, P, sample_weight=W)
    np.testing.assert_allclose(m.result().numpy(), (rel.mean(-1) * W).sum() / W.sum(), rtol=1e-5)
    row = metrics.MeanRelativeError(normalizer=[1.0, 2.0, 4.0, 1.0, 1.0])
    row.update_state(Y, P)
    np.testing.assert_allclose(
        row.result().numpy(), (np.abs(Y - P) / [1, 2, 4, 1, 1]).mean(), rtol=1e-5
    )


def test_mean_relative_error_documented_example_and_config():
    m = metrics.MeanRelativeError(normalizer=[1, 3, 2, 3])
    m.update_state([1, 3, 2, 3], [2, 4, 6, 8])
    np.testing.assert_allclose(m.result().numpy(), 1.25, rtol=1e-6)
    assert m.name.startswith("mean_relative_error")
    cfg = m.get_config()
    assert cfg["normalizer"] == [1.0, 3.0, 2.0, 3.0]
    clone = metrics.MeanRelativeError.from_config(cfg)
    clone.update_state([1, 3, 2, 3], [2, 4, 6, 8])
    np.testing.assert_allclose(clone.result().numpy(), 1.25, rtol=1e-6)
    again = metrics.deserialize(metrics.serialize(m))
    assert isinstance(again, metrics.MeanRelativeError)


def test_mean_relative_error_bad_normalizer_message():
    m = metrics.MeanRelativeError(normalizer=[1.0, 2.0, 3.0])
    with pytest.raises(
        ValueError, match=r"normalizer of shape \(3,\) cannot be broadcast.*\(6, 5\)"
    ):
        m.update_state(Y, P)
