"""Mean, Sum and MeanMetricWrapper: weighted accumulation over several updates."""

import numpy as np
import pytest
import torch

from tork.keras import metrics

rng = np.random.default_rng(10)


def test_mean_accumulates_weighted_values_then_resets():
    m = metrics.Mean()
    m.update_state([1, 3, 5, 7])
    np.testing.assert_allclose(m.result().numpy(), 4.0)
    m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    np.testing.assert_allclose(m.result().numpy(), (16 + 4) / 6, rtol=1e-6)
    m.reset_state()
    assert m.result().item() == 0.0  # no NaN before any update
    m.update_state(2.0)
    m.update_state(4.0)
    np.testing.assert_allclose(m.result().numpy(), 3.0)


def test_mean_of_matrices_counts_every_element():
    a = rng.normal(size=(4, 3)).astype(np.float32)
    b = rng.normal(size=(2, 3)).astype(np.float32)
    m = metrics.Mean()
    m.update_state(a)
    m.update_state(b)
    np.testing.assert_allclose(m.result().numpy(), np.concatenate([a, b]).mean(), rtol=1e-5)
    assert m.count.item() == 18.0  # counts elements, as Keras 2 (Keras 3 counts 6 samples)


def test_mean_weighs_elements_as_keras_2():
    # Constants from tf_keras 2.21 (Keras 3, which averages each sample first, differs).
    m = metrics.Mean()
    m.update_state(np.ones((4, 3), np.float32))
    m.update_state(5.0)
    np.testing.assert_allclose(m.result().numpy(), 17.0 / 13.0, rtol=1e-6)  # K3: 1.8
    assert m.count.item() == 13.0
    m = metrics.Mean()
    # (2,) weights on (2, 3) values weigh each row's elements: count 3 * (1 + 3).
    m.update_state(np.arange(6, dtype=np.float32).reshape(2, 3), sample_weight=[1.0, 3.0])
    m.update_state(np.array([[1.0, 2.0]], np.float32))
    np.testing.assert_allclose(m.result().numpy(), 3.0, rtol=1e-6)
    assert m.count.item() == 14.0
    m = metrics.Mean()
    # (2,) weights on (2, 3, 2) values: each sample's mean is weighted once.
    m.update_state(np.arange(12, dtype=np.float32).reshape(2, 3, 2), sample_weight=[1.0, 3.0])
    np.testing.assert_allclose(m.result().numpy(), 7.0, rtol=1e-6)
    assert m.count.item() == 4.0


def test_metrics_over_batches_of_different_lengths_weigh_every_step():
    # Padded sequence batches of lengths 3 and 6: Keras 2 weighs every step the same.
    m = metrics.SparseCategoricalAccuracy()
    m.update_state(np.array([[0, 1, 1]]), np.eye(2, dtype=np.float32)[[[0, 0, 0]]])
    labels = np.array([[0, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]])
    predicted = np.array([[0, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 0]])
    m.update_state(labels, np.eye(2, dtype=np.float32)[predicted])
    np.testing.assert_allclose(m.result().numpy(), 12.0 / 15.0, rtol=1e-6)  # tf_keras: 0.8
    mse = metrics.MeanSquaredError()
    mse.update_state(np.zeros((2, 2, 3)), np.ones((2, 2, 3)))
    mse.update_state(np.zeros((1, 3, 3)), 3 * np.ones((1, 3, 3)))
    np.testing.assert_allclose(mse.result().numpy(), (4 + 27) / 7, rtol=1e-6)  # 4.428571
    rmse = metrics.RootMeanSquaredError()
    rmse.update_state(np.zeros((2, 2, 3)), np.ones((2, 2, 3)))
    rmse.update_state(np.zeros((1, 1, 3)), 3 * np.ones((1, 1, 3)), sample_weight=[2.0])
    np.testing.assert_allclose(rmse.result().numpy(), 1.4638501405715942, rtol=1e-6)


def test_mean_with_per_sample_weights_on_matrix_values():
    v = rng.normal(size=(4, 3)).astype(np.float32)
    w = np.array([1.0, 0.0, 2.0, 0.5], np.float32)
    m = metrics.Mean()
    m.update_state(v, sample_weight=w)
    np.testing.assert_allclose(m.result().numpy(), (v.mean(1) * w).sum() / w.sum(), rtol=1e-5)
    m2 = metrics.Mean()
    m2.update_state(v, sample_weight=w[:, None] * np.ones((1, 3)))
    np.testing.assert_allclose(m2.result().numpy(), m.result().numpy(), rtol=1e-5)


def test_sum():
    m = metrics.Sum()
    m.update_state([1, 3, 5, 7])
    m.update_state([[1.0, 2.0]], sample_weight=[3.0])
    np.testing.assert_allclose(m.result().numpy(), 16 + 9)


def test_mean_metric_wrapper_with_custom_function():
    def abs_diff(y_true, y_pred):
        return (torch.as_tensor(y_pred) - torch.as_tensor(y_true)).abs().sum(-1)

    m = metrics.MeanMetricWrapper(abs_diff)
    # tf_keras 2.21 and Keras 3 name it after the class, not after the function.
    assert m.name.startswith("mean_metric_wrapper")
    y = rng.normal(size=(5, 2)).astype(np.float32)
    p = rng.normal(size=(5, 2)).astype(np.float32)
    m.update_state(y[:3], p[:3])
    m.update_state(y[3:], p[3:], sample_weight=[2.0, 1.0])
    per = np.abs(p - y).sum(-1)
    w = np.array([1, 1, 1, 2, 1.0])
    np.testing.assert_allclose(m.result().numpy(), (per * w).sum() / w.sum(), rtol=1e-5)


def test_mean_metric_wrapper_kwargs_and_config():
    m = metrics.MeanMetricWrapper(metrics.binary_accuracy, name="acc", threshold=0.7)
    m.update_state([[1.0], [1.0]], [[0.6], [0.8]])
    np.testing.assert_allclose(m.result().numpy(), 0.5)
    config = m.get_config()
    assert config["threshold"] == 0.7 and config["fn"]["config"] == "binary_accuracy"
    clone = metrics.MeanMetricWrapper.from_config(config)
    clone.update_state([[1.0], [1.0]], [[0.6], [0.8]])
    np.testing.assert_allclose(clone.result().numpy(), 0.5)


def test_keras_mask_on_predictions_is_ignored_by_standalone_metrics():
    # tf_keras 2.x: metric.update_state ignores `y_pred._keras_mask` (only compile()'s
    # metrics container folds the mask into the sample weights; see
    # tests/keras/trainers/test_sweep_metmask_masked_metrics.py).
    y = rng.integers(0, 3, size=(2, 4))
    p = torch.tensor(rng.uniform(size=(2, 4, 3)).astype(np.float32))
    mask = np.array([[1, 1, 1, 0], [1, 0, 0, 0]], bool)
    p._keras_mask = torch.tensor(mask)
    hits = (p.numpy().argmax(-1) == y).astype(np.float64)
    m = metrics.SparseCategoricalAccuracy()
    m.update_state(y, p)
    np.testing.assert_allclose(m.result().numpy(), hits.mean(), rtol=1e-6)
    w = np.array([1.0, 3.0], np.float32)
    mw = metrics.SparseCategoricalAccuracy()
    mw.update_state(y, p, sample_weight=w)
    wm = np.ones_like(hits) * w[:, None]
    np.testing.assert_allclose(mw.result().numpy(), (hits * wm).sum() / wm.sum(), rtol=1e-6)


def test_ignore_class_mask_from_loss_function_is_respected():
    m = metrics.MeanMetricWrapper(
        metrics.sparse_categorical_crossentropy, from_logits=True, ignore_class=0
    )
    z = rng.normal(size=(4, 3)).astype(np.float32)
    labels = np.array([0, 1, 2, 0])
    m.update_state(labels, z)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    per = -logp[np.arange(4), labels]
    np.testing.assert_allclose(m.result().numpy(), per[1:3].mean(), rtol=1e-5)


def test_bad_sample_weight_message():
    with pytest.raises(ValueError, match=r"sample_weight of shape \(3,\) cannot be applied"):
        metrics.Mean().update_state(np.ones((4, 2)), sample_weight=np.ones(3))


def test_mean_result_stays_right_whichever_way_its_count_changes():
    # result() divides directly while the host knows the count (unweighted updates since a
    # reset), and falls back to divide-unless-zero otherwise; the values must not differ.
    m = metrics.Mean()
    assert float(m.result()) == 0.0
    m.update_state([1.0, 3.0])
    assert m._known_count() == 2.0
    assert float(m.result()) == 2.0
    m.update_state([5.0], sample_weight=[3.0])  # a tensor weight: the count is unknown
    assert m._known_count() is None
    np.testing.assert_allclose(float(m.result()), (1 + 3 + 15) / 5)
    m.reset_state()
    assert m._known_count() == 0.0 and float(m.result()) == 0.0
    m.update_state([4.0])
    m.count.assign(0.0)  # a user's own change: the host's count no longer holds
    assert m._known_count() is None
    assert float(m.result()) == 0.0  # divide_no_nan, as Keras
    m.update_state([2.0, 2.0], sample_weight=[1.0, -1.0])  # weights summing to zero
    assert float(m.result()) == 0.0


def test_loss_tracker_weights_each_batch_by_its_size():
    # The trainer adds each batch's mean loss with weight = batch size (two kernels).
    m = metrics.Mean(name="loss")
    for value, batch in ((2.0, 4), (5.0, 2)):
        m._tork_add_batch_mean(torch.tensor(value), batch)
    np.testing.assert_allclose(float(m.result()), (2.0 * 4 + 5.0 * 2) / 6)
    assert m._known_count() == 6.0
