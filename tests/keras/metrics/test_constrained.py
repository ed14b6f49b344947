"""PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity."""

import numpy as np
import pytest

from tork.keras import metrics

rng = np.random.default_rng(7)
Y = (rng.uniform(size=(64,)) > 0.4).astype(np.float32)
P = np.clip(0.35 * Y + rng.uniform(size=(64,)) * 0.65, 0, 1).astype(np.float32)
W = rng.uniform(0.0, 2.0, size=(64,)).astype(np.float32)


def np_thresholds(n):
    if n == 1:
        return np.array([0.5])
    return np.array([0.0] + [i / (n - 1) for i in range(1, n - 1)] + [1.0])


def np_counts(y, p, w, n):
    th = np_thresholds(n)
    w = np.ones_like(p, dtype=np.float64) if w is None else w.astype(np.float64)
    above = p[None, :] > th[:, None]
    pos = y[None, :] != 0
    tp = (above & pos) @ w
    fp = (above & ~pos) @ w
    fn = (~above & pos) @ w
    tn = (~above & ~pos) @ w
    return tp, fp, tn, fn


def div(a, b):
    return np.where(b != 0, a / np.where(b != 0, b, 1), 0.0)


def np_best(constrained, dependent, value):
    feasible = constrained >= value
    return dependent[feasible].max() if feasible.any() else 0.0


def np_metric(kind, value, y, p, w=None, n=200):
    tp, fp, tn, fn = np_counts(y, p, w, n)
    rec, spec, prec = div(tp, tp + fn), div(tn, tn + fp), div(tp, tp + fp)
    return {
        "SensitivityAtSpecificity": lambda: np_best(spec, rec, value),
        "SpecificityAtSensitivity": lambda: np_best(rec, spec, value),
        "PrecisionAtRecall": lambda: np_best(rec, prec, value),
        "RecallAtPrecision": lambda: np_best(prec, rec, value),
    }[kind]()


KINDS = [
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
    "PrecisionAtRecall",
    "RecallAtPrecision",
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("value", [0.0, 0.3, 0.8, 1.0])
@pytest.mark.parametrize("n", [1, 3, 200])
def test_against_numpy(kind, value, n):
    m = getattr(metrics, kind)(value, num_thresholds=n)
    m.update_state(Y[:40], P[:40])
    m.update_state(Y[40:], P[40:])
    np.testing.assert_allclose(
        m.result().numpy(), np_metric(kind, value, Y, P, n=n), rtol=1e-5, atol=1e-7
    )


@pytest.mark.parametrize("kind", KINDS)
def test_sample_weight_and_reset(kind):
    m = getattr(metrics, kind)(0.6)
    m.update_state(Y, P, sample_weight=W)
    np.testing.assert_allclose(m.result().numpy(), np_metric(kind, 0.6, Y, P, W), rtol=1e-5)
    m.reset_state()
    assert float(m.result()) == 0.0
    assert float(m.true_positives.sum()) == 0.0


def test_documented_examples():
    y, p = [0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]
    m = metrics.SensitivityAtSpecificity(0.5)
    m.update_state(y, p)
    np.testing.assert_allclose(m.result().numpy(), 0.5)
    m = metrics.SpecificityAtSensitivity(0.5)
    m.update_state(y, p)
    np.testing.assert_allclose(m.result().numpy(), 2 / 3, rtol=1e-6)
    m = metrics.PrecisionAtRecall(0.5)
    m.update_state(y, p)
    np.testing.assert_allclose(m.result().numpy(), 0.5)
    m = metrics.RecallAtPrecision(0.8)
    m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    np.testing.assert_allclose(m.result().numpy(), 0.5)


def test_class_id_uses_one_column():
    y2 = np.stack([1 - Y, Y], axis=-1)
    p2 = np.stack([1 - P, P], axis=-1)
    m = metrics.PrecisionAtRecall(0.7, class_id=1)
    m.update_state(y2, p2)
    np.testing.assert_allclose(
        m.result().numpy(), np_metric("PrecisionAtRecall", 0.7, Y, P), rtol=1e-5
    )
    with pytest.raises(ValueError, match=r"class_id=2 is out of range .*\(64, 2\)"):
        metrics.PrecisionAtRecall(0.7, class_id=2).update_state(y2, p2)


def test_defaults_config_and_lookup():
    m = metrics.RecallAtPrecision(0.8, num_thresholds=50, class_id=0, name="rap")
    cfg = m.get_config()
    assert cfg == {
        "num_thresholds": 50,
        "class_id": 0,
        "precision": 0.8,
        "name": "rap",
        "dtype": "float32",
    }
    clone = metrics.RecallAtPrecision.from_config(cfg)
    assert (clone.precision, clone.num_thresholds, clone.class_id) == (0.8, 50, 0)
    assert metrics.SensitivityAtSpecificity(0.5).name.startswith("sensitivity_at_specificity")
    assert metrics.SpecificityAtSensitivity(0.5).num_thresholds == 200
    again = metrics.deserialize(metrics.serialize(metrics.PrecisionAtRecall(0.4)))
    assert isinstance(again, metrics.PrecisionAtRecall) and again.recall == 0.4
    assert len(metrics.SensitivityAtSpecificity(0.5).thresholds) == 200


@pytest.mark.parametrize(
    "kind,arg",
    [(k, a) for k, a in zip(KINDS, ["specificity", "sensitivity", "recall", "precision"])],
)
def test_bad_arguments(kind, arg):
    cls = getattr(metrics, kind)
    with pytest.raises(
        ValueError, match=rf"{kind}: argument `{arg}` must be in the range \[0, 1\]"
    ):
        cls(1.5)
    with pytest.raises(ValueError, match=r"`num_thresholds` must be an integer > 0.*=0"):
        cls(0.5, num_thresholds=0)


def test_shape_mismatch_message():
    with pytest.raises(ValueError, match=r"PrecisionAtRecall: labels of shape \(4,\) do not"):
        metrics.PrecisionAtRecall(0.5).update_state([0, 1, 0, 1], [0.2, 0.5, 0.3])


# Labels and predictions with exact 0/1 values and values outside [0, 1].
OOR_Y = np.array([0, 1, 1, 0, 1, 0, 1, 0], np.float32)
OOR_P = np.array([-0.3, 1.2, 0.7, 1.0, 0.0, 0.5, 1.5, -1.0], np.float32)


def test_end_thresholds_are_exactly_zero_and_one():
    # As Keras: a prediction of exactly 0 is negative at every threshold (AUC, unlike
    # these metrics, puts its end points at -1e-7 and 1 + 1e-7).
    assert metrics.PrecisionAtRecall(0.5, num_thresholds=5).thresholds == [
        0.0,
        0.25,
        0.5,
        0.75,
        1.0,
    ]
    y = np.array([1.0, 0.0, 1.0, 1.0], np.float32)
    p = np.array([0.0, 0.3, 0.6, 0.9], np.float32)
    m = metrics.RecallAtPrecision(0.5)
    m.update_state(y, p)
    # Recall 1 needs the positive predicted 0.0 above a threshold: no threshold is
    # below 0, so the best recall at precision >= 0.5 is 2/3.
    np.testing.assert_allclose(m.result().numpy(), 2 / 3, rtol=1e-6)


@pytest.mark.parametrize(
    "kind, args, expected",
    [
        # Values from tf_keras 2.21: predictions are clipped to [0, 1] first.
        ("SensitivityAtSpecificity", (0.5,), 0.75),
        ("SensitivityAtSpecificity", (0.5, 2), 0.75),
        ("RecallAtPrecision", (0.4, 3), 0.75),
        ("PrecisionAtRecall", (0.5, 1), 0.75),
        ("SpecificityAtSensitivity", (0.5,), 0.75),
    ],
)
def test_out_of_range_predictions_match_keras(kind, args, expected):
    m = getattr(metrics, kind)(*args)
    m.update_state(OOR_Y, OOR_P)
    np.testing.assert_allclose(m.result().numpy(), expected, rtol=1e-6)


def test_precision_at_recall_matches_keras_with_weights():
    # Checked against tf_keras 2.21 (a positive predicted exactly 0.0 among them).
    y = np.array([1, 0, 1, 1, 0, 1, 0, 0, 1, 1], np.float32)
    p = np.array([0.0, 0.1, 0.35, 0.4, 0.5, 0.65, 0.7, 0.8, 0.9, 1.0], np.float32)
    w = np.array([2.0, 1.0, 0.5, 1.0, 1.0, 1.5, 1.0, 0.5, 1.0, 1.0], np.float32)
    m = metrics.PrecisionAtRecall(0.9, num_thresholds=15)
    m.update_state(y, p, sample_weight=w)
    # The positive at 0.0 (weight 2) is never recalled: max recall is 5/7 < 0.9.
    np.testing.assert_allclose(m.result().numpy(), 0.0)
    m = metrics.PrecisionAtRecall(0.7, num_thresholds=15)
    m.update_state(y, p, sample_weight=w)
    # Recall 5/7 at thresholds in [1/7, 5/14): TP 5, FP 1 + 1 + 0.5 = 2.5 (tf_keras: 0.6667).
    np.testing.assert_allclose(m.result().numpy(), 5.0 / 7.5, rtol=1e-6)
