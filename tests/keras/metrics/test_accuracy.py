"""Accuracy functions and metrics against NumPy."""

import numpy as np
import pytest

from tork.keras import metrics

rng = np.random.default_rng(11)
P = rng.uniform(size=(8, 5)).astype(np.float32)
LABELS = rng.integers(0, 5, size=(8,))
ONEHOT = np.eye(5, dtype=np.float32)[LABELS]


def np_in_top_k(labels, p, k):
    target = p[np.arange(len(labels)), labels]
    return ((p > target[:, None]).sum(-1) < k).astype(np.float64)


def test_binary_accuracy_threshold_is_strict():
    y = np.array([[1.0], [1.0], [0.0], [0.0]], np.float32)
    p = np.array([[0.98], [0.5], [0.5], [0.6]], np.float32)
    np.testing.assert_allclose(metrics.binary_accuracy(y, p).numpy(), [1, 0, 1, 0])
    np.testing.assert_allclose(metrics.binary_accuracy(y, p, threshold=0.4).numpy(), [1, 1, 0, 0])
    m = metrics.BinaryAccuracy()
    m.update_state(y[:2], p[:2])
    m.update_state(y[2:], p[2:], sample_weight=[3.0, 1.0])
    np.testing.assert_allclose(m.result().numpy(), (1 + 0 + 3) / 6, rtol=1e-6)
    m.reset_state()
    m.update_state(np.array([1, 0]), np.array([[0.9], [0.2]], np.float32))  # (N,) vs (N, 1)
    np.testing.assert_allclose(m.result().numpy(), 1.0)


def test_binary_accuracy_multi_label_mean_over_last_axis():
    y = rng.integers(0, 2, size=(6, 4)).astype(np.float32)
    p = rng.uniform(size=(6, 4)).astype(np.float32)
    expected = (y == (p > 0.5)).mean(-1)
    np.testing.assert_allclose(metrics.binary_accuracy(y, p).numpy(), expected, rtol=1e-6)


def test_categorical_accuracy_and_ties_first_index():
    np.testing.assert_allclose(
        metrics.categorical_accuracy(ONEHOT, P).numpy(), (P.argmax(-1) == LABELS).astype(float)
    )
    tie = np.array([[0.4, 0.4, 0.2]], np.float32)
    assert metrics.categorical_accuracy([[1, 0, 0]], tie).item() == 1.0
    assert metrics.categorical_accuracy([[0, 1, 0]], tie).item() == 0.0
    m = metrics.CategoricalAccuracy()
    m.update_state(ONEHOT[:4], P[:4])
    m.update_state(ONEHOT[4:], P[4:])
    np.testing.assert_allclose(m.result().numpy(), (P.argmax(-1) == LABELS).mean(), rtol=1e-6)


@pytest.mark.parametrize("shape", [(8,), (8, 1)])
def test_sparse_categorical_accuracy(shape):
    labels = LABELS.reshape(shape)
    np.testing.assert_allclose(
        metrics.sparse_categorical_accuracy(labels, P).numpy(),
        (P.argmax(-1) == LABELS).astype(float),
    )
    m = metrics.SparseCategoricalAccuracy()
    m.update_state(labels.astype(np.float32), P, sample_weight=np.arange(8.0))
    hits = (P.argmax(-1) == LABELS).astype(float)
    np.testing.assert_allclose(m.result().numpy(), (hits * np.arange(8)).sum() / 28, rtol=1e-6)


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_top_k_accuracies(k):
    expected = np_in_top_k(LABELS, P, k)
    np.testing.assert_allclose(metrics.top_k_categorical_accuracy(ONEHOT, P, k=k).numpy(), expected)
    np.testing.assert_allclose(
        metrics.sparse_top_k_categorical_accuracy(LABELS, P, k=k).numpy(), expected
    )
    m = metrics.SparseTopKCategoricalAccuracy(k=k)
    m.update_state(LABELS, P)
    np.testing.assert_allclose(m.result().numpy(), expected.mean(), rtol=1e-6)
    m2 = metrics.TopKCategoricalAccuracy(k=k)
    m2.update_state(ONEHOT, P)
    np.testing.assert_allclose(m2.result().numpy(), expected.mean(), rtol=1e-6)


def test_top_k_default_and_ties_count_as_hits():
    assert metrics.TopKCategoricalAccuracy().k == 5
    # label 2 ties with class 1 for second place: TensorFlow's in_top_k counts it
    p = np.array([[0.5, 0.2, 0.2, 0.1]], np.float32)
    assert metrics.sparse_top_k_categorical_accuracy([2], p, k=2).item() == 1.0
    assert metrics.sparse_top_k_categorical_accuracy([3], p, k=2).item() == 0.0


def test_sparse_top_k_from_sorted_ids():
    ids = np.argsort(-P, axis=-1)
    expected = np_in_top_k(LABELS, P, 2)
    got = metrics.sparse_top_k_categorical_accuracy(LABELS, ids, k=2, from_sorted_ids=True)
    np.testing.assert_allclose(got.numpy(), expected)


def test_accuracy_exact_match():
    m = metrics.Accuracy()
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    np.testing.assert_allclose(m.result().numpy(), 0.75)
    # tf_keras 2.21: the function is elementwise (no mean over the last axis).
    np.testing.assert_allclose(metrics.accuracy([[1, 2]], [[1, 3]]).numpy(), [[1.0, 0.0]])


def test_one_hot_labels_to_sparse_accuracy_message():
    with pytest.raises(
        ValueError,
        match=r"SparseCategoricalAccuracy expects integer class labels of shape \(8,\) or \(8, 1\) "
        r".*These look one-hot encoded: use CategoricalAccuracy",
    ):
        metrics.SparseCategoricalAccuracy().update_state(ONEHOT, P)


def test_integer_labels_to_categorical_accuracy_message():
    with pytest.raises(
        ValueError,
        match=r"categorical_accuracy expects one-hot labels of the predictions' shape \(8, 5\), but "
        r"got labels of shape \(8,\)\. These look like integer class indices: use "
        r"SparseCategoricalAccuracy",
    ):
        metrics.categorical_accuracy(LABELS, P)


def test_binary_accuracy_shape_mismatch_message():
    with pytest.raises(ValueError, match=r"BinaryAccuracy: labels of shape \(8, 3\) do not match"):
        metrics.BinaryAccuracy().update_state(np.zeros((8, 3)), P)


def test_binary_accuracy_and_accuracy_weigh_elements():
    # Keras 2's classes average element-wise matches, so rank-1 inputs take one weight
    # per element and (batch, n) inputs take per-entry weights (tf_keras 2.21 values).
    m = metrics.BinaryAccuracy()
    m.update_state([1, 0, 1, 1], [0.7, 0.6, 0.2, 0.9], sample_weight=[1.0, 2.0, 0.5, 1.0])
    np.testing.assert_allclose(m.result().numpy(), 2.0 / 4.5, rtol=1e-6)
    m = metrics.BinaryAccuracy()
    m.update_state(
        [[1, 0], [1, 1]], [[0.7, 0.6], [0.2, 0.9]], sample_weight=[[1.0, 2.0], [0.5, 1.0]]
    )
    np.testing.assert_allclose(m.result().numpy(), 2.0 / 4.5, rtol=1e-6)
    m = metrics.Accuracy()
    m.update_state([1, 2, 3], [1, 2, 4], sample_weight=[0.5, 1.0, 2.0])
    np.testing.assert_allclose(m.result().numpy(), 1.5 / 3.5, rtol=1e-6)
    # The functions still average each sample's last axis.
    np.testing.assert_allclose(
        metrics.binary_accuracy([[1, 0], [1, 1]], [[0.7, 0.6], [0.2, 0.9]]).numpy(), [0.5, 0.5]
    )


def test_sparse_top_k_config_is_keras_2s_unless_from_sorted_ids():
    config = metrics.SparseTopKCategoricalAccuracy(k=2).get_config()
    assert config == {"name": "sparse_top_k_categorical_accuracy", "dtype": "float32", "k": 2}
    assert metrics.SparseTopKCategoricalAccuracy.from_config(config).k == 2
    sorted_ids = metrics.SparseTopKCategoricalAccuracy(from_sorted_ids=True).get_config()
    assert sorted_ids["from_sorted_ids"] is True
