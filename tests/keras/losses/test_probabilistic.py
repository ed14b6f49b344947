"""Crossentropies, focal losses, KL divergence and Poisson against NumPy formulas."""

import numpy as np
import pytest
import torch

from tork.keras import losses
from tork.keras.losses import probabilistic

EPS = 1e-7
rng = np.random.default_rng(3)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z, axis=-1):
    e = np.exp(z - z.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


def np_bce(y, p):
    # Keras 2: clip, and add epsilon inside each log.
    p = np.clip(p, EPS, 1 - EPS)
    return -(y * np.log(p + EPS) + (1 - y) * np.log(1 - p + EPS))


def np_bce_logits(y, z):
    return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))


def np_cce(y, p, axis=-1):
    p = p / p.sum(axis, keepdims=True)
    p = np.clip(p, EPS, 1 - EPS)
    return -(y * np.log(p)).sum(axis)


def np_log_softmax(z, axis=-1):
    m = z.max(axis, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis, keepdims=True))


Z = rng.normal(scale=2.0, size=(6, 3))
YB = rng.integers(0, 2, size=(6, 3)).astype(np.float64)
ZC = rng.normal(scale=2.0, size=(6, 4))
LABELS = rng.integers(0, 4, size=(6,))
ONEHOT = np.eye(4)[LABELS]


def f32(x):
    return np.asarray(x, np.float32)


# -- binary crossentropy -----------------------------------------------------------
def test_bce_probabilities_against_numpy():
    p = sigmoid(Z)
    expected = np_bce(YB, f32(p).astype(np.float64)).mean(-1)
    np.testing.assert_allclose(
        losses.binary_crossentropy(f32(YB), f32(p)).numpy(), expected, rtol=1e-5
    )
    np.testing.assert_allclose(
        losses.BinaryCrossentropy()(f32(YB), f32(p)).numpy(), expected.mean(), rtol=1e-5
    )


def test_bce_clips_probabilities_to_epsilon():
    out = losses.binary_crossentropy([[1.0, 0.0]], [[0.0, 1.0]]).numpy()
    # p is clipped to [1e-7, 1 - 1e-7] (in float32), then 1e-7 is added inside the log
    expected = (-np.log(np.float32(EPS) + EPS) - np.log(1 - np.float32(1 - EPS) + EPS)) / 2
    np.testing.assert_allclose(out, [expected], rtol=1e-5)
    # tf_keras 2.21 (Keras 3 gives 16.03024: no epsilon inside the log).
    np.testing.assert_allclose(out, [15.379093], rtol=1e-6)


def test_bce_and_focal_saturated_probabilities_match_keras_2():
    y = np.array([[1.0, 0.0, 1.0]], np.float32)
    p = np.array([[0.0, 1.0, 1e-5]], np.float32)
    # Constants from tf_keras 2.21.
    np.testing.assert_allclose(
        losses.binary_focal_crossentropy(y, p).numpy(), [14.086978], rtol=1e-6
    )
    np.testing.assert_allclose(
        losses.binary_focal_crossentropy(y, p, apply_class_balancing=True).numpy(),
        [6.0772843],
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        losses.BinaryCrossentropy()(np.array([[0.0]], np.float32), np.array([[1.0]], np.float32)),
        15.33323860168457,
        rtol=1e-6,
    )


def test_bce_logits_against_numpy_and_probabilities_agree():
    expected = np_bce_logits(YB, Z).mean(-1)
    got = losses.binary_crossentropy(f32(YB), f32(Z), from_logits=True).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    via_probs = losses.binary_crossentropy(f32(YB), f32(sigmoid(Z))).numpy()
    np.testing.assert_allclose(via_probs, got, rtol=1e-4)
    np.testing.assert_allclose(
        losses.BinaryCrossentropy(from_logits=True)(f32(YB), f32(Z)).numpy(),
        expected.mean(),
        rtol=1e-5,
    )


def test_bce_label_smoothing():
    ls = 0.2
    ys = YB * (1 - ls) + 0.5 * ls
    expected = np_bce_logits(ys, Z).mean()
    got = losses.BinaryCrossentropy(from_logits=True, label_smoothing=ls)(f32(YB), f32(Z))
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5)


def test_bce_rank_one_labels_against_column_predictions():
    y = np.array([0.0, 1.0, 1.0], np.float32)
    p = np.array([[0.2], [0.7], [0.9]], np.float32)
    np.testing.assert_allclose(
        losses.BinaryCrossentropy()(y, p).numpy(), np_bce(y, p[:, 0]).mean(), rtol=1e-6
    )


def test_bce_gradient_finite_differences():
    y = torch.tensor(YB[:2])
    z = torch.tensor(Z[:2], requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda q: losses.BinaryCrossentropy(from_logits=True, dtype="float64")(y, q), (z,)
    )


# -- logits recovery ----------------------------------------------------------------
def _sigmoid_output(z):
    z = torch.tensor(z, dtype=torch.float32)
    out = torch.sigmoid(z)
    out._keras_logits = z
    return out


def _softmax_output(z):
    z = torch.tensor(z, dtype=torch.float32)
    out = torch.softmax(z, dim=-1)
    out._keras_logits = z
    out._keras_activation = "softmax"
    return out


def test_logits_recovery_binary_example_gives_40():
    p = _sigmoid_output([[40.0]])
    np.testing.assert_allclose(losses.BinaryCrossentropy()([[0.0]], p).numpy(), 40.0, rtol=1e-6)
    np.testing.assert_allclose(losses.binary_crossentropy([[0.0]], p).numpy(), [40.0], rtol=1e-6)
    # without the logits the probability is clipped: -log(1 - (1 - 1e-7) + 1e-7) in
    # float32, Keras 2's value (Keras 3 gives 15.9424)
    plain = torch.sigmoid(torch.tensor([[40.0]]))
    np.testing.assert_allclose(
        losses.BinaryCrossentropy()([[0.0]], plain).numpy(), 15.33324, rtol=1e-5
    )


def test_logits_recovery_survives_half_precision_cast():
    z = torch.tensor([[40.0]], dtype=torch.float16)
    p = torch.sigmoid(z)
    p._keras_logits = z
    np.testing.assert_allclose(losses.BinaryCrossentropy()([[0.0]], p).numpy(), 40.0, rtol=1e-3)


def test_logits_recovery_softmax_scce_and_cce():
    p = _softmax_output([[80.0, 0.0]])
    np.testing.assert_allclose(
        losses.SparseCategoricalCrossentropy()([1], p).numpy(), 80.0, rtol=1e-6
    )
    np.testing.assert_allclose(
        losses.CategoricalCrossentropy()([[0.0, 1.0]], p).numpy(), 80.0, rtol=1e-6
    )
    plain = torch.softmax(torch.tensor([[80.0, 0.0]]), dim=-1)
    np.testing.assert_allclose(
        losses.SparseCategoricalCrossentropy()([1], plain).numpy(), -np.log(EPS), rtol=1e-4
    )


def test_logits_recovery_uses_logits_of_any_activation():
    # tf.keras reads `_keras_logits` whichever activation kept them: binary crossentropy on
    # a softmax output is the sigmoid crossentropy of the softmax's logits [2, 0]:
    # mean(softplus(-2), softplus(0)) (see test_sweep_pyis_logits_recovery for TF's numbers).
    p = _softmax_output([[2.0, 0.0]])
    expected = np.mean([np.log1p(np.exp(-2.0)), np.log(2.0)])
    np.testing.assert_allclose(
        losses.BinaryCrossentropy()([[1.0, 0.0]], p).numpy(), expected, rtol=1e-5
    )


def test_logits_recovery_also_used_when_from_logits_true():
    # tf_keras 2.21 and Keras 3 on TF recover the logits of a sigmoid output whatever
    # from_logits says (the sigmoid is not applied twice) and warn: softplus(2) = 2.126928.
    p = _sigmoid_output([[2.0]])
    expected = np_bce_logits(0.0, 2.0)
    with pytest.warns(UserWarning, match="received `from_logits=True`"):
        got = losses.BinaryCrossentropy(from_logits=True)([[0.0]], p).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    np.testing.assert_allclose(got, 2.1269280910491943, rtol=1e-6)


# -- binary focal -----------------------------------------------------------------
def np_binary_focal(y, p, gamma=2.0, alpha=0.25, balance=False, bce=None):
    bce = np_bce(y, p) if bce is None else bce
    p_t = y * p + (1 - y) * (1 - p)
    out = (1 - p_t) ** gamma * bce
    if balance:
        out = (y * alpha + (1 - y) * (1 - alpha)) * out
    return out.mean(-1)


@pytest.mark.parametrize("balance", [False, True])
def test_binary_focal_against_numpy(balance):
    p = f32(sigmoid(Z)).astype(np.float64)
    expected = np_binary_focal(YB, p, gamma=1.5, alpha=0.3, balance=balance)
    loss = losses.BinaryFocalCrossentropy(apply_class_balancing=balance, alpha=0.3, gamma=1.5)
    np.testing.assert_allclose(loss(f32(YB), f32(p)).numpy(), expected.mean(), rtol=1e-5)
    fn = losses.binary_focal_crossentropy(
        f32(YB), f32(p), apply_class_balancing=balance, alpha=0.3, gamma=1.5
    )
    np.testing.assert_allclose(fn.numpy(), expected, rtol=1e-5)


def test_binary_focal_from_logits_agrees():
    expected = np_binary_focal(YB, sigmoid(Z), bce=np_bce_logits(YB, Z))
    got = losses.binary_focal_crossentropy(f32(YB), f32(Z), from_logits=True)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5)
    np.testing.assert_allclose(
        losses.binary_focal_crossentropy(f32(YB), f32(sigmoid(Z))).numpy(), expected, rtol=1e-4
    )


def test_binary_focal_gamma_zero_is_bce():
    p = f32(sigmoid(Z))
    np.testing.assert_allclose(
        losses.BinaryFocalCrossentropy(gamma=0.0)(f32(YB), p).numpy(),
        losses.BinaryCrossentropy()(f32(YB), p).numpy(),
        rtol=1e-6,
    )


# -- categorical crossentropy -----------------------------------------------------------
def test_cce_probabilities_renormalised_and_clipped():
    p = rng.uniform(0.0, 1.0, size=(6, 4))
    p[0, LABELS[0]] = 0.0  # clipped to 1e-7
    expected = np_cce(ONEHOT, f32(p).astype(np.float64))
    np.testing.assert_allclose(
        losses.categorical_crossentropy(f32(ONEHOT), f32(p)).numpy(), expected, rtol=1e-5
    )


def test_cce_logits_and_probabilities_agree():
    expected = -(ONEHOT * np_log_softmax(ZC)).sum(-1)
    np.testing.assert_allclose(
        losses.categorical_crossentropy(f32(ONEHOT), f32(ZC), from_logits=True).numpy(),
        expected,
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        losses.CategoricalCrossentropy()(f32(ONEHOT), f32(softmax(ZC))).numpy(),
        expected.mean(),
        rtol=1e-4,
    )


@pytest.mark.parametrize("from_logits", [False, True])
def test_cce_label_smoothing(from_logits):
    ls = 0.1
    ys = ONEHOT * (1 - ls) + ls / 4
    if from_logits:
        expected = -(ys * np_log_softmax(ZC)).sum(-1).mean()
        pred = ZC
    else:
        pred = f32(softmax(ZC)).astype(np.float64)
        expected = np_cce(ys, pred).mean()
    got = losses.CategoricalCrossentropy(from_logits=from_logits, label_smoothing=ls)(
        f32(ONEHOT), f32(pred)
    )
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5)


def test_cce_sequence_and_axis():
    z = rng.normal(size=(2, 3, 5))
    y = np.eye(5)[rng.integers(0, 5, size=(2, 3))]
    expected = -(y * np_log_softmax(z)).sum(-1)
    np.testing.assert_allclose(
        losses.categorical_crossentropy(f32(y), f32(z), from_logits=True).numpy(),
        expected,
        rtol=1e-5,
    )
    # classes on axis 1
    yt, zt = np.swapaxes(y, 1, 2), np.swapaxes(z, 1, 2)
    expected_t = -(yt * np_log_softmax(zt, axis=1)).sum(1)
    np.testing.assert_allclose(
        losses.categorical_crossentropy(f32(yt), f32(zt), from_logits=True, axis=1).numpy(),
        expected_t,
        rtol=1e-5,
    )
    p = softmax(zt, axis=1)
    np.testing.assert_allclose(
        losses.categorical_crossentropy(f32(yt), f32(p), axis=1).numpy(),
        np_cce(yt, f32(p).astype(np.float64), axis=1),
        rtol=1e-5,
    )


def test_cce_gradient_finite_differences():
    y = torch.tensor(ONEHOT[:2])
    z = torch.tensor(ZC[:2], requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda q: losses.CategoricalCrossentropy(
            from_logits=True, label_smoothing=0.1, dtype="float64"
        )(y, q),
        (z,),
    )


def test_cce_integer_labels_message_suggests_sparse():
    with pytest.raises(
        ValueError,
        match=r"CategoricalCrossentropy expects one-hot labels of the predictions' shape "
        r"\(32, 10\), but got labels of shape \(32,\)\. These look like integer class indices: "
        r"use SparseCategoricalCrossentropy",
    ):
        losses.CategoricalCrossentropy()(np.zeros(32, np.int64), np.full((32, 10), 0.1, np.float32))
    with pytest.raises(
        ValueError, match=r"labels of shape \(32, 1\).*SparseCategoricalCrossentropy"
    ):
        losses.categorical_crossentropy(np.zeros((32, 1)), np.full((32, 10), 0.1, np.float32))


def test_cce_other_shape_mismatch_message():
    with pytest.raises(
        ValueError, match=r"shape \(4, 3\), but got labels of shape \(4, 5\)\. Make"
    ):
        losses.CategoricalCrossentropy()(np.zeros((4, 5)), np.zeros((4, 3), np.float32))


# -- categorical focal -------------------------------------------------------------------
def np_categorical_focal(y, p, alpha=0.25, gamma=2.0):
    p = p / p.sum(-1, keepdims=True)
    p = np.clip(p, EPS, 1 - EPS)
    return (alpha * (1 - p) ** gamma * -y * np.log(p)).sum(-1)


def test_categorical_focal_against_numpy_both_ways():
    p = f32(softmax(ZC)).astype(np.float64)
    expected = np_categorical_focal(ONEHOT, p, alpha=0.5, gamma=1.0)
    got = losses.CategoricalFocalCrossentropy(alpha=0.5, gamma=1.0)(f32(ONEHOT), f32(p))
    np.testing.assert_allclose(got.numpy(), expected.mean(), rtol=1e-5)
    from_logits = losses.categorical_focal_crossentropy(
        f32(ONEHOT), f32(ZC), alpha=0.5, gamma=1.0, from_logits=True
    )
    np.testing.assert_allclose(from_logits.numpy(), expected, rtol=1e-4)


def test_categorical_focal_label_smoothing():
    ys = ONEHOT * 0.8 + 0.2 / 4
    p = f32(softmax(ZC)).astype(np.float64)
    got = losses.categorical_focal_crossentropy(f32(ONEHOT), f32(p), label_smoothing=0.2)
    np.testing.assert_allclose(got.numpy(), np_categorical_focal(ys, p), rtol=1e-5)


# -- sparse categorical crossentropy ----------------------------------------------------
@pytest.mark.parametrize("label_shape", [(6,), (6, 1)])
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.float32])
def test_scce_matches_cce_formula(label_shape, dtype):
    labels = LABELS.astype(dtype).reshape(label_shape)
    expected_logits = -(ONEHOT * np_log_softmax(ZC)).sum(-1)
    got = losses.sparse_categorical_crossentropy(labels, f32(ZC), from_logits=True)
    np.testing.assert_allclose(got.numpy(), expected_logits, rtol=1e-5)
    p = rng.uniform(0.01, 1.0, size=(6, 4))
    expected = np_cce(ONEHOT, f32(p).astype(np.float64))
    got_p = losses.SparseCategoricalCrossentropy()(labels, f32(p))
    np.testing.assert_allclose(got_p.numpy(), expected.mean(), rtol=1e-5)


def test_scce_sequences():
    z = rng.normal(size=(2, 3, 5))
    labels = rng.integers(0, 5, size=(2, 3))
    expected = -(np.eye(5)[labels] * np_log_softmax(z)).sum(-1)
    np.testing.assert_allclose(
        losses.sparse_categorical_crossentropy(labels, f32(z), from_logits=True).numpy(),
        expected,
        rtol=1e-5,
    )


def test_scce_gradient_finite_differences():
    y = torch.tensor(LABELS[:2])
    z = torch.tensor(ZC[:2], requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda q: losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64")(y, q),
        (z,),
    )


@pytest.mark.parametrize("from_logits", [True, False])
def test_scce_ignore_class_averages_over_valid_labels(from_logits):
    labels = np.array([0, 3, 1, 3, 2, 0])
    pred = ZC if from_logits else softmax(ZC)
    loss = losses.SparseCategoricalCrossentropy(from_logits=from_logits, ignore_class=3)
    valid = labels != 3
    per = -(np.eye(4)[labels] * np_log_softmax(ZC)).sum(-1)
    np.testing.assert_allclose(loss(labels, f32(pred)).numpy(), per[valid].mean(), rtol=1e-5)
    per_sample = losses.sparse_categorical_crossentropy(
        labels, f32(pred), from_logits=from_logits, ignore_class=3
    )
    np.testing.assert_allclose(per_sample.numpy(), np.where(valid, per, 0.0), rtol=1e-5, atol=1e-7)


def test_scce_ignore_class_outside_range():
    labels = np.array([0, -1, 1, 2, -1, 0])
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)
    valid = labels != -1
    per = -(np.eye(4)[np.where(valid, labels, 0)] * np_log_softmax(ZC)).sum(-1)
    np.testing.assert_allclose(loss(labels, f32(ZC)).numpy(), per[valid].mean(), rtol=1e-5)


def test_scce_one_hot_labels_message():
    with pytest.raises(ValueError) as info:
        losses.SparseCategoricalCrossentropy()(
            np.eye(10)[np.arange(32) % 10], np.full((32, 10), 0.1)
        )
    assert str(info.value) == (
        "SparseCategoricalCrossentropy expects integer class labels of shape (32,) or (32, 1) for "
        "predictions of shape (32, 10), but got labels of shape (32, 10). These look one-hot "
        "encoded: use CategoricalCrossentropy, or pass class indices (argmax)."
    )


def test_scce_wrong_label_shape_message():
    with pytest.raises(
        ValueError,
        match=r"sparse_categorical_crossentropy expects integer class labels of shape \(8, 5\) or "
        r"\(8, 5, 1\) for predictions of shape \(8, 5, 3\), but got labels of shape \(8,\)",
    ):
        losses.sparse_categorical_crossentropy(np.zeros(8), np.zeros((8, 5, 3), np.float32))


@pytest.fixture
def label_check(monkeypatch):
    """On CUDA labels are checked on the host only in the first calls: make this one of them."""
    monkeypatch.setattr(probabilistic, "_cuda_label_checks", [1])


@pytest.mark.parametrize("from_logits", [True, False])
@pytest.mark.parametrize("bad", [10, -2])
def test_scce_out_of_range_label_message(label_check, from_logits, bad):
    labels = np.zeros(32, np.int64)
    labels[5] = bad
    with pytest.raises(
        ValueError,
        match=rf"SparseCategoricalCrossentropy got class label\(s\) {bad}, but the predictions have "
        r"10 classes \(valid labels are 0 to 9\)\. If your labels start at 1, subtract 1",
    ):
        losses.SparseCategoricalCrossentropy(from_logits=from_logits)(
            labels, np.full((32, 10), 0.1, np.float32)
        )


def test_scce_single_unit_output_hint(label_check):
    with pytest.raises(
        ValueError, match=r"single unit: for binary classification use BinaryCrossentropy"
    ):
        losses.SparseCategoricalCrossentropy()(
            np.array([0, 1]), np.array([[0.3], [0.8]], np.float32)
        )


# -- KL divergence and Poisson ------------------------------------------------------------
def test_kld_against_numpy():
    y = softmax(rng.normal(size=(5, 4)))
    y[0, 0] = 0.0
    p = softmax(rng.normal(size=(5, 4)))
    yc, pc = np.clip(f32(y), EPS, 1), np.clip(f32(p), EPS, 1)
    expected = (yc * np.log(yc / pc)).sum(-1)
    np.testing.assert_allclose(losses.kl_divergence(f32(y), f32(p)).numpy(), expected, rtol=1e-5)
    np.testing.assert_allclose(
        losses.KLDivergence()(f32(y), f32(p)).numpy(), expected.mean(), rtol=1e-5
    )
    assert losses.kld is losses.KLD is losses.kl_divergence is losses.kullback_leibler_divergence


def test_poisson_against_numpy():
    y = rng.poisson(2.0, size=(5, 3)).astype(np.float64)
    p = rng.uniform(0.1, 4.0, size=(5, 3))
    expected = (p - y * np.log(p + EPS)).mean(-1)
    np.testing.assert_allclose(losses.poisson(f32(y), f32(p)).numpy(), expected, rtol=1e-5)
    np.testing.assert_allclose(losses.Poisson()(f32(y), f32(p)).numpy(), expected.mean(), rtol=1e-5)


def test_nan_predictions_give_nan_not_an_exception():
    out = losses.BinaryCrossentropy()([[1.0]], torch.tensor([[float("nan")]]))
    assert torch.isnan(out)


def test_cuda_label_guard_checks_first_then_poisons():
    # The guard runs on CUDA only (a bad label there is a fatal device assert);
    # its logic is device-independent, so it is exercised here on CPU tensors.
    labels = torch.tensor([0, 3, 5, -1])
    saved = probabilistic._cuda_label_checks[0]
    try:
        probabilistic._cuda_label_checks[0] = 1
        with pytest.raises(ValueError, match=r"got class label\(s\) 5, but the predictions have 4"):
            probabilistic._guard_cuda_labels(labels, 4, "SparseCategoricalCrossentropy", -1)
        assert probabilistic._cuda_label_checks[0] == 0
        safe, bad = probabilistic._guard_cuda_labels(labels, 4, "x", -1)
        assert safe.tolist() == [0, 3, 3, -1] and bad.tolist() == [False, False, True, False]
    finally:
        probabilistic._cuda_label_checks[0] = saved


def test_default_reduction_on_sequences_against_numpy():
    # (batch, time, classes): the default reduction averages over batch and time
    z = rng.normal(size=(2, 3, 5))
    labels = rng.integers(0, 5, size=(2, 3))
    onehot = np.eye(5)[labels]
    per = -(onehot * np_log_softmax(z)).sum(-1)
    np.testing.assert_allclose(
        losses.SparseCategoricalCrossentropy(from_logits=True)(labels, f32(z)).numpy(),
        per.mean(),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        losses.CategoricalCrossentropy(from_logits=True)(f32(onehot), f32(z)).numpy(),
        per.mean(),
        rtol=1e-5,
    )
    yb = rng.integers(0, 2, size=(2, 3, 5)).astype(np.float64)
    np.testing.assert_allclose(
        losses.BinaryCrossentropy(from_logits=True)(f32(yb), f32(z)).numpy(),
        np_bce_logits(yb, z).mean(),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        losses.BinaryCrossentropy(reduction="sum")(f32(yb), f32(sigmoid(z))).numpy(),
        np_bce(yb, f32(sigmoid(z)).astype(np.float64)).mean(-1).sum(),
        rtol=1e-5,
    )


GCE_LABELS = np.array([0, 1, 0, 1])
GCE_PROBS = np.array([[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.4, 0.6]], "float32")


def gce_reference(labels, probs, q):
    p = probs[np.arange(len(labels)), labels].astype(np.float64)
    return (1 - p**q) / q


def test_categorical_generalized_cross_entropy_matches_formula_and_tf():
    np.testing.assert_allclose(
        np.asarray(losses.categorical_generalized_cross_entropy(GCE_LABELS, GCE_PROBS, q=0.3)),
        gce_reference(GCE_LABELS, GCE_PROBS, 0.3),
        rtol=1e-6,
    )
    # TF 2.21 prints 0.35986 (q 0.5, mean), [0.344251, 0.218238, 0.485598, 0.485598]
    # (q 0.2, none) and 1.158286 (q 0.7, sum with weights [1, 2, 0, 1]).
    loss = losses.CategoricalGeneralizedCrossEntropy()
    np.testing.assert_allclose(float(loss(GCE_LABELS, GCE_PROBS)), 0.35986, atol=1e-5)
    none = losses.CategoricalGeneralizedCrossEntropy(q=0.2, reduction="none")
    np.testing.assert_allclose(
        np.asarray(none(GCE_LABELS, GCE_PROBS)), [0.344251, 0.218238, 0.485598, 0.485598], atol=2e-6
    )
    total = losses.CategoricalGeneralizedCrossEntropy(q=0.7, reduction="sum")
    weights = np.array([1.0, 2.0, 0.0, 1.0], "float32")
    np.testing.assert_allclose(
        float(total(GCE_LABELS, GCE_PROBS, sample_weight=weights)), 1.158286, atol=1e-5
    )
    # (N, 1) labels work like (N,) labels.
    np.testing.assert_allclose(
        np.asarray(none(GCE_LABELS[:, None], GCE_PROBS)), np.asarray(none(GCE_LABELS, GCE_PROBS))
    )


def test_categorical_generalized_cross_entropy_config_and_errors():
    loss = losses.CategoricalGeneralizedCrossEntropy(q=0.3)
    assert loss.get_config() == {
        "name": "categorical_generalized_cross_entropy",
        "reduction": "sum_over_batch_size",
        "q": 0.3,
    }
    assert losses.CategoricalGeneralizedCrossEntropy.from_config(loss.get_config()).q == 0.3
    assert losses.get("categorical_generalized_cross_entropy") is (
        losses.categorical_generalized_cross_entropy
    )
    with pytest.raises(ValueError, match=r"q must be in the interval \(0, 1\)\. Received: q=1\.0"):
        losses.CategoricalGeneralizedCrossEntropy(q=1.0)
    with pytest.raises(ValueError, match=r"one integer class label per row of y_pred"):
        losses.categorical_generalized_cross_entropy(np.zeros((4, 3)), GCE_PROBS)


@pytest.mark.parametrize("shape", [(2, 4), (2, 3, 4)])
def test_softmax_crossentropy_has_tensorflows_gradient_for_multi_hot_labels(shape):
    # TF's fused kernel backpropagates softmax - y (what tf.keras trains with), also for
    # label rows that do not sum to 1; the loss value is -sum(y * log_softmax).
    import tork as tf

    rng = np.random.default_rng(0)
    logits = rng.normal(size=shape).astype("float32")
    labels = rng.integers(0, 2, size=shape).astype("float32")
    softmax = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    value = -(labels * np.log(softmax)).sum(-1)
    for loss_fn in (
        lambda y, z: tf.keras.losses.categorical_crossentropy(y, z, from_logits=True),
        lambda y, z: tf.nn.softmax_cross_entropy_with_logits(y, z),
    ):
        z = torch.tensor(logits, requires_grad=True)
        out = loss_fn(torch.tensor(labels), z)
        out.sum().backward()
        np.testing.assert_allclose(out.detach().numpy(), value, rtol=1e-5)
        np.testing.assert_allclose(z.grad.numpy(), softmax - labels, rtol=1e-5, atol=1e-6)
