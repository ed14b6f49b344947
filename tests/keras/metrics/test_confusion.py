"""TP/FP/TN/FN, Precision, Recall and AUC against NumPy brute force."""

import numpy as np
import pytest
import torch

from tork.keras import metrics

EPS = 1e-7
rng = np.random.default_rng(12)


def np_counts(y, p, thresholds, w=None):
    p = np.asarray(p, np.float32)
    w = np.ones(p.shape) if w is None else np.broadcast_to(w, p.shape)
    y, p, w = np.asarray(y).reshape(-1) != 0, p.reshape(-1), w.reshape(-1)
    thr = np.asarray(thresholds, np.float32)
    above = p[None, :] > thr[:, None]
    tp = (above & y).astype(float) @ w
    fp = (above & ~y).astype(float) @ w
    fn = (~above & y).astype(float) @ w
    tn = (~above & ~y).astype(float) @ w
    return tp, fp, tn, fn


def np_auc_thresholds(n):
    return [0.0 - EPS] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1.0 + EPS]


def safe_div(a, b):
    return np.where(b > 0, a / np.where(b > 0, b, 1), 0.0)


def np_auc(y, p, n=200, curve="ROC", method="interpolation", w=None):
    tp, fp, tn, fn = np_counts(y, p, np_auc_thresholds(n), w)
    if curve == "PR" and method == "interpolation":
        dtp = tp[:-1] - tp[1:]
        pp = tp + fp
        dp = pp[:-1] - pp[1:]
        slope = safe_div(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * pp[1:]
        ratio = np.where((pp[:-1] > 0) & (pp[1:] > 0), safe_div(pp[:-1], pp[1:]), 1.0)
        return safe_div(slope * (dtp + intercept * np.log(ratio)), tp[1:] + fn[1:]).sum()
    recall = safe_div(tp, tp + fn)
    if curve == "ROC":
        x, yv = safe_div(fp, fp + tn), recall
    else:
        x, yv = recall, safe_div(tp, tp + fp)
    h = {
        "interpolation": (yv[:-1] + yv[1:]) / 2,
        "minoring": np.minimum(yv[:-1], yv[1:]),
        "majoring": np.maximum(yv[:-1], yv[1:]),
    }[method]
    return ((x[:-1] - x[1:]) * h).sum()


Y = rng.integers(0, 2, size=(40,))
P = rng.uniform(size=(40,)).astype(np.float32)
W = rng.uniform(0.0, 2.0, size=(40,))


@pytest.mark.parametrize(
    "cls,index",
    [
        (metrics.TruePositives, 0),
        (metrics.FalsePositives, 1),
        (metrics.TrueNegatives, 2),
        (metrics.FalseNegatives, 3),
    ],
)
def test_condition_counts(cls, index):
    m = cls()
    m.update_state(Y[:25], P[:25])
    m.update_state(Y[25:], P[25:], sample_weight=W[25:])
    w = np.concatenate([np.ones(25), W[25:]])
    np.testing.assert_allclose(m.result().numpy(), np_counts(Y, P, [0.5], w)[index][0], rtol=1e-5)
    thresholds = [0.1, 0.5, 0.9]
    m2 = cls(thresholds=thresholds)
    m2.update_state(Y, P)
    np.testing.assert_allclose(m2.result().numpy(), np_counts(Y, P, thresholds)[index], rtol=1e-5)
    m2.reset_state()
    np.testing.assert_array_equal(m2.result().numpy(), [0, 0, 0])


def test_keras_doc_examples():
    tp = metrics.TruePositives()
    tp.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    assert tp.result().item() == 2.0
    pr = metrics.Precision()
    pr.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    np.testing.assert_allclose(pr.result().numpy(), 2 / 3, rtol=1e-6)
    rc = metrics.Recall()
    rc.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
    np.testing.assert_allclose(rc.result().numpy(), 1.0)


@pytest.mark.parametrize(
    "thresholds",
    [None, 0.3, [0.2, 0.7], [0.9, 0.05, 0.5, 0.3, 0.7, 0.1, 0.6, 0.8, 0.4, 0.2, 0.95]],
)
def test_precision_recall_thresholds(thresholds):
    thr = [0.5] if thresholds is None else np.atleast_1d(thresholds)
    tp, fp, _, fn = np_counts(Y, P, thr, W)
    for cls, expected in (
        (metrics.Precision, safe_div(tp, tp + fp)),
        (metrics.Recall, safe_div(tp, tp + fn)),
    ):
        m = cls(thresholds=thresholds)
        m.update_state(Y[:10], P[:10], sample_weight=W[:10])
        m.update_state(Y[10:], P[10:], sample_weight=W[10:])
        got = m.result().numpy()
        np.testing.assert_allclose(got, expected if len(thr) > 1 else expected[0], rtol=1e-5)


def test_precision_recall_top_k_and_class_id():
    y = rng.integers(0, 2, size=(12, 5))
    p = rng.uniform(size=(12, 5)).astype(np.float32)
    top2 = np.argsort(-p, axis=-1)[:, :2]
    keep = np.zeros_like(p, bool)
    np.put_along_axis(keep, top2, True, axis=-1)
    tp = (keep & (y == 1)).sum()
    fp = (keep & (y == 0)).sum()
    fn = (~keep & (y == 1)).sum()
    m = metrics.Precision(top_k=2)
    m.update_state(y, p)
    np.testing.assert_allclose(m.result().numpy(), tp / (tp + fp), rtol=1e-6)
    r = metrics.Recall(top_k=2)
    r.update_state(y, p)
    np.testing.assert_allclose(r.result().numpy(), tp / (tp + fn), rtol=1e-6)
    # class_id: only column 3, thresholded at 0.5
    c = metrics.Precision(class_id=3)
    c.update_state(y, p)
    tpc, fpc, _, _ = np_counts(y[:, 3], p[:, 3], [0.5])
    np.testing.assert_allclose(c.result().numpy(), tpc[0] / (tpc[0] + fpc[0]), rtol=1e-6)
    # top_k with class_id: column 3 counts only where it is in the sample's top 2
    tk = metrics.Recall(top_k=2, class_id=3)
    tk.update_state(y, p)
    tp3 = (keep[:, 3] & (y[:, 3] == 1)).sum()
    fn3 = (~keep[:, 3] & (y[:, 3] == 1)).sum()
    np.testing.assert_allclose(tk.result().numpy(), tp3 / (tp3 + fn3), rtol=1e-6)


def test_precision_before_updates_is_zero():
    assert metrics.Precision().result().item() == 0.0


def test_auc_test_vector():
    y, p = [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]
    roc = metrics.AUC()
    roc.update_state(y, p)
    np.testing.assert_allclose(roc.result().numpy(), 0.75, rtol=1e-6)
    pr = metrics.AUC(curve="PR")
    pr.update_state(y, p)
    np.testing.assert_allclose(pr.result().numpy(), 0.79727, atol=5e-6)


def test_auc_thresholds_are_keras_values():
    m = metrics.AUC(num_thresholds=5)
    np.testing.assert_allclose(m.thresholds, [-EPS, 0.25, 0.5, 0.75, 1 + EPS])
    assert len(metrics.AUC().thresholds) == 200


@pytest.mark.parametrize("curve", ["ROC", "PR"])
@pytest.mark.parametrize("method", ["interpolation", "minoring", "majoring"])
def test_auc_against_numpy(curve, method):
    m = metrics.AUC(curve=curve, summation_method=method)
    m.update_state(Y[:15], P[:15], sample_weight=W[:15])
    m.update_state(Y[15:], P[15:], sample_weight=W[15:])
    np.testing.assert_allclose(m.result().numpy(), np_auc(Y, P, 200, curve, method, W), rtol=1e-5)


def test_roc_auc_with_many_thresholds_matches_rank_statistic():
    y = rng.integers(0, 2, size=2000)
    p = np.clip(rng.normal(0.5 + 0.2 * (y - 0.5), 0.2), 0, 1).astype(np.float32)
    pos, neg = p[y == 1], p[y == 0]
    exact = ((pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()) / (
        len(pos) * len(neg)
    )
    m = metrics.AUC(num_thresholds=5000)
    m.update_state(y, p)
    np.testing.assert_allclose(m.result().numpy(), exact, atol=1e-3)


def test_auc_explicit_thresholds_from_logits_and_label_weights():
    z = rng.normal(size=(30, 3)).astype(np.float32)
    y = rng.integers(0, 2, size=(30, 3))
    p = 1 / (1 + np.exp(-z))
    thr = [0.2, 0.4, 0.6, 0.8]
    m = metrics.AUC(thresholds=thr, from_logits=True)
    assert m.num_thresholds == 6
    m.update_state(y, z)
    full = [0.0 - EPS] + thr + [1.0 + EPS]
    tp, fp, tn, fn = np_counts(y, p, full)
    tpr, fpr = safe_div(tp, tp + fn), safe_div(fp, fp + tn)
    expected = ((fpr[:-1] - fpr[1:]) * (tpr[:-1] + tpr[1:]) / 2).sum()
    np.testing.assert_allclose(m.result().numpy(), expected, rtol=1e-5)
    lw = [1.0, 0.0, 2.0]
    mw = metrics.AUC(label_weights=lw)
    mw.update_state(y, p)
    np.testing.assert_allclose(
        mw.result().numpy(), np_auc(y, p, w=np.broadcast_to(lw, p.shape)), rtol=1e-5
    )


def test_multi_label_auc_averages_per_label():
    y = rng.integers(0, 2, size=(50, 3))
    p = rng.uniform(size=(50, 3)).astype(np.float32)
    per_label = [np_auc(y[:, i], p[:, i]) for i in range(3)]
    m = metrics.AUC(multi_label=True)
    m.update_state(y[:20], p[:20])
    m.update_state(y[20:], p[20:])
    np.testing.assert_allclose(m.result().numpy(), np.mean(per_label), rtol=1e-5)
    assert m.true_positives.shape == (200, 3)
    weighted = metrics.AUC(
        multi_label=True, num_labels=3, label_weights=[1.0, 2.0, 1.0], curve="PR"
    )
    weighted.update_state(y, p)
    pr = [np_auc(y[:, i], p[:, i], curve="PR") for i in range(3)]
    np.testing.assert_allclose(
        weighted.result().numpy(), (pr[0] + 2 * pr[1] + pr[2]) / 4, rtol=1e-5
    )


def test_auc_reset_and_empty():
    m = metrics.AUC()
    assert m.result().item() == 0.0
    m.update_state([0, 1], [0.2, 0.9])
    m.reset_state()
    assert float(m.true_positives.sum()) == 0.0


def test_auc_config_round_trip():
    m = metrics.AUC(num_thresholds=50, curve="pr", summation_method="majoring", name="a")
    clone = metrics.AUC.from_config(m.get_config())
    assert (clone.num_thresholds, clone.curve, clone.summation_method, clone.name) == (
        50,
        "PR",
        "majoring",
        "a",
    )


def test_nan_predictions_count_as_negative():
    m = metrics.AUC()
    m.update_state([1, 0], torch.tensor([float("nan"), 0.3]))
    tp, fp, _, _ = np_counts([1, 0], [-np.inf, 0.3], np_auc_thresholds(200))
    np.testing.assert_allclose(m.true_positives.numpy(), tp)
    np.testing.assert_allclose(m.false_positives.numpy(), fp)


def test_invalid_arguments_messages():
    with pytest.raises(ValueError, match=r"AUC: invalid curve 'XY'"):
        metrics.AUC(curve="XY")
    with pytest.raises(ValueError, match=r"AUC: invalid summation_method 'trapezoid'"):
        metrics.AUC(summation_method="trapezoid")
    with pytest.raises(ValueError, match=r"AUC: num_thresholds must be an integer > 1"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(
        ValueError, match=r"Precision: threshold values must be numbers in \[0, 1\]"
    ):
        metrics.Precision(thresholds=[0.5, 1.5])
    with pytest.raises(ValueError, match=r"Recall: top_k must be a positive integer"):
        metrics.Recall(top_k=0)
    with pytest.raises(ValueError, match=r"Precision: class_id=7 is out of range"):
        metrics.Precision(class_id=7).update_state(np.zeros((2, 3)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"AUC with multi_label=True expects predictions of shape"):
        metrics.AUC(multi_label=True).update_state([0, 1], [0.2, 0.4])
    with pytest.raises(ValueError, match=r"Precision: labels of shape \(4, 2\) do not match"):
        metrics.Precision().update_state(np.zeros((4, 2)), np.zeros((4, 3)))


# Labels and predictions with exact 0/1 values and values outside [0, 1].
OOR_Y = np.array([0, 1, 1, 0, 1, 0, 1, 0], np.float32)
OOR_P = np.array([-0.3, 1.2, 0.7, 1.0, 0.0, 0.5, 1.5, -1.0], np.float32)


@pytest.mark.parametrize(
    "cls, kwargs, expected",
    [
        # Values from tf_keras 2.21. With evenly spaced thresholds (AUC's default, or a
        # list like [0, 0.5, 1]) Keras clips predictions to [0, 1] before counting.
        ("AUC", {}, 0.6875),
        ("AUC", {"curve": "PR"}, 0.6469688415527344),
        ("AUC", {"thresholds": [0.25, 0.5, 0.75]}, 0.6875),
        # Uneven thresholds compare the raw predictions.
        ("AUC", {"thresholds": [0.2, 0.5, 0.75]}, 0.3125),
        ("Precision", {"thresholds": [0.0, 0.5, 1.0]}, [0.6, 0.75, 0.0]),
        ("Precision", {"thresholds": [0.0, 1.0]}, [0.6, 1.0]),
        ("Recall", {"thresholds": [0.0, 0.5, 1.0]}, [0.75, 0.75, 0.0]),
        ("TruePositives", {"thresholds": [0.0, 0.5, 1.0]}, [3.0, 3.0, 0.0]),
        ("FalsePositives", {"thresholds": [0.0, 0.5, 1.0]}, [2.0, 1.0, 0.0]),
        ("TrueNegatives", {"thresholds": [0.0, 0.5, 1.0]}, [2.0, 3.0, 4.0]),
        ("FalseNegatives", {"thresholds": [0.0, 1.0]}, [1.0, 2.0]),
    ],
)
def test_out_of_range_predictions_match_keras(cls, kwargs, expected):
    m = getattr(metrics, cls)(**kwargs)
    m.update_state(OOR_Y, OOR_P)
    np.testing.assert_allclose(m.result().numpy(), expected, rtol=1e-6)


def test_true_negatives_is_never_a_tiny_negative_count():
    y = np.array([1.0, 1.0, 1.0, 0.0], np.float32)
    p = np.array([0.2, 0.7, 0.9, 0.05], np.float32)
    w = np.array([0.7371692, 0.27380055, 1.6441, 0.1], np.float32)
    m = metrics.TrueNegatives(thresholds=[0.01, 0.5])
    m.update_state(y, p, sample_weight=w)
    tn = m.result().numpy()
    assert tn[0] == 0.0
    np.testing.assert_allclose(tn[1], 0.1, rtol=1e-6)


def test_auc_interpolate_pr_auc_is_public():
    m = metrics.AUC(curve="PR")
    m.update_state([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    np.testing.assert_allclose(m.interpolate_pr_auc().numpy(), 0.7972674369812012, rtol=1e-6)
