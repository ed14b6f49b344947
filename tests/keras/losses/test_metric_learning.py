"""Circle loss against a NumPy formula and values printed by TF 2.21 (Keras 3.15)."""

import numpy as np
import pytest

import tork as tf
from tork.keras import losses


def _unit(rows):
    rows = np.asarray(rows, "float32")
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


EMB = _unit(np.random.RandomState(0).randn(6, 4))
LABELS = np.array([0, 1, 0, 2, 1, 0])
REF = _unit(np.random.RandomState(1).randn(5, 4))
REF_LABELS = np.array([0, 1, 2, 2, 1])


def circle_reference(y, emb, ref_y=None, ref=None, diagonal=True, gamma=80.0, margin=0.4):
    ref_y = y if ref_y is None else ref_y
    ref = emb if ref is None else ref
    d = np.maximum(1 - emb.astype(np.float64) @ ref.T.astype(np.float64), 0)
    pos = y[:, None] == ref_y[None, :]
    neg = ~pos
    if diagonal:
        pos = pos & ~np.eye(*pos.shape, dtype=bool)
    out = []
    for i in range(len(y)):
        p_terms = [
            -gamma * max(margin + d[i, j], 0) * (margin - d[i, j])
            for j in range(d.shape[1])
            if pos[i, j]
        ]
        n_terms = [
            gamma * max(1 + margin - d[i, j], 0) * (1 - margin - d[i, j])
            for j in range(d.shape[1])
            if neg[i, j]
        ]
        if not p_terms or not n_terms:
            out.append(0.0)
            continue
        z = np.logaddexp.reduce(p_terms) + np.logaddexp.reduce(n_terms)
        out.append(np.logaddexp(0.0, z))  # softplus
    return np.array(out)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"gamma": 10.0, "margin": 0.25, "diagonal": False},
        {"ref_y": REF_LABELS, "ref": REF, "diagonal": False},
    ],
)
def test_circle_function_matches_numpy(kwargs):
    args = {
        "ref_labels": kwargs.get("ref_y"),
        "ref_embeddings": kwargs.get("ref"),
        "remove_diagonal": kwargs.get("diagonal", True),
        "gamma": kwargs.get("gamma", 80.0),
        "margin": kwargs.get("margin", 0.4),
    }
    got = np.asarray(losses.circle(LABELS, EMB, **args))
    np.testing.assert_allclose(got, circle_reference(LABELS, EMB, **kwargs), rtol=1e-4, atol=1e-4)


def test_circle_matches_tensorflow_2_21():
    # Embeddings: rows of RandomState(0).randn(6, 4), L2-normalized.
    emb = np.array(
        [
            [0.57996863, 0.13155994, 0.32178032, 0.7367399],
            [0.8060292, -0.42178848, 0.41005367, -0.06532505],
            [-0.06784103, 0.2698676, 0.09467324, 0.95582736],
            [0.801165, 0.12809058, 0.46726683, 0.351268],
            [0.8483264, -0.11648725, 0.17775738, -0.48494884],
            [-0.8892125, 0.22765693, 0.30108523, -0.25849786],
        ],
        "float32",
    )
    per_sample = [237.40291, 22.76889, 83.52499, 0.0, 3.22859, 187.84058]
    np.testing.assert_allclose(np.asarray(losses.circle(LABELS, emb)), per_sample, atol=2e-3)
    # The mean leaves out the sample with no positive pair (label 2): 534.76 / 5.
    np.testing.assert_allclose(float(losses.Circle()(LABELS, emb)), 106.95319, atol=2e-3)
    np.testing.assert_allclose(
        float(losses.Circle(gamma=20.0, reduction="sum")(LABELS, emb)), 135.39401, atol=2e-3
    )
    weights = np.array([1, 2, 0, 1, 1, 3], "float32")
    np.testing.assert_allclose(
        float(losses.Circle(gamma=20.0)(LABELS, emb, sample_weight=weights)), 43.062, atol=2e-3
    )
    # (N, 1) labels as (N,).
    np.testing.assert_allclose(
        float(losses.Circle(gamma=20.0)(LABELS[:, None], emb)), 27.0788, atol=2e-3
    )


def test_circle_config_lookup_and_fit():
    loss = losses.Circle(gamma=5.0)
    assert loss.get_config() == {
        "name": "circle",
        "reduction": "sum_over_batch_size",
        "gamma": 5.0,
        "margin": 0.4,
        "remove_diagonal": True,
    }
    assert losses.Circle.from_config(loss.get_config()).gamma == 5.0
    assert losses.get("circle") is losses.circle
    assert isinstance(losses.get("Circle"), losses.Circle)

    rng = np.random.RandomState(0)
    inputs = tf.keras.Input((3,))
    outputs = tf.keras.layers.UnitNormalization()(tf.keras.layers.Dense(4)(inputs))
    model = tf.keras.Model(inputs, outputs)
    model.compile(tf.keras.optimizers.SGD(0.01), losses.Circle(gamma=10.0))
    history = model.fit(
        rng.randn(12, 3).astype("float32"), rng.randint(0, 3, 12), batch_size=6, verbose=0
    )
    assert np.isfinite(history.history["loss"][0])


def test_circle_rejects_bad_shapes():
    with pytest.raises(ValueError, match=r"circle: y_pred must be a batch of embeddings"):
        losses.circle(LABELS, EMB[None])
    with pytest.raises(ValueError, match=r"circle: y_true must be integer class labels"):
        losses.circle(np.zeros((6, 2)), EMB)
