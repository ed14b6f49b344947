"""IoU, MeanIoU, BinaryIoU, OneHotIoU and OneHotMeanIoU against NumPy confusion matrices."""

import numpy as np
import pytest
import torch

from tork.keras import metrics

rng = np.random.default_rng(7)


def np_cm(labels, preds, n, w=None):
    labels = np.asarray(labels).reshape(-1).astype(np.int64)
    preds = np.asarray(preds).reshape(-1).astype(np.int64)
    w = np.ones(labels.shape) if w is None else np.asarray(w, np.float64).reshape(-1)
    cm = np.zeros((n, n))
    np.add.at(cm, (labels, preds), w)
    return cm


def np_iou(cm, targets=None):
    tp = np.diag(cm)
    denom = cm.sum(0) + cm.sum(1) - tp
    if targets is not None:
        tp, denom = tp[targets], denom[targets]
    valid = denom != 0
    if not valid.any():
        return 0.0
    return float((tp[valid] / denom[valid]).sum() / valid.sum())


def test_mean_iou_accumulates_over_updates_like_numpy():
    n = 5
    m = metrics.MeanIoU(num_classes=n)
    cm = np.zeros((n, n))
    for _ in range(3):
        y = rng.integers(0, n, size=(4, 6, 6))
        p = rng.integers(0, n, size=(4, 6, 6))
        m.update_state(y, p)
        cm += np_cm(y, p, n)
    np.testing.assert_allclose(m.total_cm.numpy(), cm)
    np.testing.assert_allclose(float(m.result()), np_iou(cm), rtol=1e-6)
    m.reset_state()
    assert float(m.total_cm.numpy().sum()) == 0.0
    assert float(m.result()) == 0.0


def test_documented_examples():
    m = metrics.IoU(num_classes=2, target_class_ids=[0])
    m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    assert float(m.result()) == pytest.approx(1 / 3)
    m.reset_state()
    m.update_state([0, 0, 1, 1], [0, 1, 0, 1], sample_weight=[0.3, 0.3, 0.3, 0.1])
    # cm = [[0.3, 0.3], [0.3, 0.1]]: 0.3 / (0.6 + 0.6 - 0.3)
    assert float(m.result()) == pytest.approx(0.3 / 0.9)

    m = metrics.MeanIoU(num_classes=2)
    m.update_state([0, 0, 1, 1], [0, 1, 0, 1], sample_weight=[0.3, 0.3, 0.3, 0.1])
    # class 1: 0.1 / (0.4 + 0.4 - 0.1)
    assert float(m.result()) == pytest.approx((0.3 / 0.9 + 0.1 / 0.7) / 2, rel=1e-6)

    m = metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
    assert float(m.result()) == pytest.approx(1 / 3)
    m.reset_state()
    m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7], sample_weight=[0.2, 0.3, 0.4, 0.1])
    # cm = [[0.2, 0.4], [0.3, 0.1]]; iou = [0.2 / 0.9, 0.1 / 0.8]
    assert float(m.result()) == pytest.approx((0.2 / 0.9 + 0.1 / 0.8) / 2, rel=1e-6)

    y_true = [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]]
    y_pred = [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]]
    w = [0.1, 0.2, 0.3, 0.4]
    # labels [2, 0, 1, 0], predictions [2, 2, 0, 2]
    cm = np_cm([2, 0, 1, 0], [2, 2, 0, 2], 3, w)
    m = metrics.OneHotIoU(num_classes=3, target_class_ids=[0, 2])
    m.update_state(y_true, y_pred, sample_weight=w)
    assert float(m.result()) == pytest.approx(np_iou(cm, [0, 2]), rel=1e-6)
    assert np_iou(cm, [0, 2]) == pytest.approx(0.07142857, rel=1e-6)
    m = metrics.OneHotMeanIoU(num_classes=3)
    m.update_state(y_true, y_pred, sample_weight=w)
    assert float(m.result()) == pytest.approx(0.04761905, rel=1e-6)


def test_iou_target_classes_and_weights_match_numpy():
    n = 6
    y = rng.integers(0, n, size=(8, 10))
    p = rng.integers(0, n, size=(8, 10))
    w = rng.uniform(0, 2, size=(8, 10))
    m = metrics.IoU(num_classes=n, target_class_ids=(1, 3, 4))
    m.update_state(y, p, sample_weight=w)
    cm = np_cm(y, p, n, w)
    np.testing.assert_allclose(m.total_cm.numpy(), cm, rtol=1e-6)
    assert float(m.result()) == pytest.approx(np_iou(cm, [1, 3, 4]), rel=1e-6)


def test_per_sample_weights_broadcast_over_pixels():
    n = 3
    y = rng.integers(0, n, size=(4, 5, 5))
    p = rng.integers(0, n, size=(4, 5, 5))
    w = np.array([1.0, 0.0, 2.0, 0.5])
    m = metrics.MeanIoU(num_classes=n)
    m.update_state(y, p, sample_weight=w)
    cm = np_cm(y, p, n, np.broadcast_to(w[:, None, None], y.shape))
    np.testing.assert_allclose(m.total_cm.numpy(), cm, rtol=1e-6)


def test_classes_absent_from_labels_and_predictions_are_left_out():
    m = metrics.MeanIoU(num_classes=4)
    m.update_state([0, 0, 1], [0, 1, 1])
    # classes 2 and 3 never occur: mean over classes 0 and 1 only
    assert float(m.result()) == pytest.approx((1 / 2 + 1 / 2) / 2)
    only_absent = metrics.IoU(num_classes=4, target_class_ids=[3])
    only_absent.update_state([0, 1], [0, 1])
    assert float(only_absent.result()) == 0.0


def test_ignore_class_skips_labels():
    n = 4
    y = rng.integers(0, n, size=(50,))
    y[::5] = 255
    p = rng.integers(0, n, size=(50,))
    m = metrics.MeanIoU(num_classes=n, ignore_class=255)
    m.update_state(y, p)
    keep = y != 255
    cm = np_cm(y[keep], p[keep], n)
    np.testing.assert_allclose(m.total_cm.numpy(), cm)
    assert float(m.result()) == pytest.approx(np_iou(cm), rel=1e-6)

    m = metrics.MeanIoU(num_classes=n, ignore_class=0)
    m.update_state(y[keep], p[keep])
    keep0 = y[keep] != 0
    np.testing.assert_allclose(m.total_cm.numpy(), np_cm(y[keep][keep0], p[keep][keep0], n))


def test_non_sparse_inputs_use_the_argmax_on_axis():
    n = 4
    scores = rng.normal(size=(3, n, 5)).astype(np.float32)
    onehot = np.eye(n)[rng.integers(0, n, size=(3, 5))].transpose(0, 2, 1)
    m = metrics.MeanIoU(num_classes=n, sparse_y_true=False, sparse_y_pred=False, axis=1)
    m.update_state(onehot, scores)
    cm = np_cm(onehot.argmax(1), scores.argmax(1), n)
    np.testing.assert_allclose(m.total_cm.numpy(), cm)
    m = metrics.OneHotMeanIoU(num_classes=n, axis=1)
    m.update_state(onehot, scores)
    assert float(m.result()) == pytest.approx(np_iou(cm), rel=1e-6)


def test_float_labels_truncate_and_tensor_inputs():
    m = metrics.MeanIoU(num_classes=3)
    m.update_state(torch.tensor([0.0, 1.0, 2.0]), torch.tensor([0.9, 1.2, 2.0]))
    np.testing.assert_allclose(m.total_cm.numpy(), np_cm([0, 1, 2], [0, 1, 2], 3))


def test_binary_iou_threshold_is_inclusive():
    m = metrics.BinaryIoU(threshold=0.5)
    m.update_state([1, 0, 1], [0.5, 0.49, 0.9])
    np.testing.assert_allclose(m.total_cm.numpy(), [[1, 0], [0, 2]])


def test_config_round_trip_and_default_names():
    cases = [
        (metrics.IoU(3, [0, 2], ignore_class=1), "io_u"),
        (metrics.MeanIoU(3, sparse_y_pred=False), "mean_io_u"),
        (metrics.BinaryIoU([1], threshold=0.2), "binary_io_u"),
        (metrics.OneHotIoU(3, [1]), "one_hot_io_u"),
        (metrics.OneHotMeanIoU(3, axis=1), "one_hot_mean_io_u"),
    ]
    for m, name in cases:
        assert m.name.startswith(name)
        config = m.get_config()
        again = type(m).from_config(config)
        assert again.get_config() == config
    assert cases[0][0].get_config()["target_class_ids"] == [0, 2]
    assert "num_classes" not in cases[2][0].get_config()
    assert cases[2][0].get_config()["threshold"] == 0.2
    assert "sparse_y_true" not in cases[3][0].get_config()
    assert [v.name for v in cases[1][0].variables] == ["total_confusion_matrix:0"]
    assert tuple(cases[1][0].total_cm.shape) == (3, 3)


def test_metrics_work_in_fit():
    from tork import keras

    x = rng.normal(size=(32, 4)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.float32)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=[keras.metrics.BinaryIoU()])
    history = model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    (key,) = [k for k in history.history if k.startswith("binary_io_u")]
    assert 0.0 <= history.history[key][0] <= 1.0


def test_out_of_range_labels_raise():
    m = metrics.MeanIoU(num_classes=3)
    with pytest.raises(ValueError, match=r"label 3 .*out of range \[0, 3\)"):
        m.update_state([0, 3], [0, 1])
    with pytest.raises(ValueError, match=r"predicted class -1 .*out of range"):
        m.update_state([0, 1], [0, -1])
    assert float(m.total_cm.numpy().sum()) == 0.0


def test_invalid_arguments_raise():
    with pytest.raises(ValueError, match=r"target class id 3 is out of range, which is \[0, 3\)"):
        metrics.IoU(num_classes=3, target_class_ids=[0, 3])
    with pytest.raises(ValueError, match="num_classes` must be a positive integer"):
        metrics.MeanIoU(num_classes=0)
    with pytest.raises(ValueError, match="target_class_ids` must not be empty"):
        metrics.IoU(num_classes=2, target_class_ids=[])
    with pytest.raises(ValueError, match="threshold` must be a number"):
        metrics.BinaryIoU(threshold="high")


def test_mismatched_shapes_raise_with_hint():
    m = metrics.MeanIoU(num_classes=3)
    with pytest.raises(ValueError, match="pass sparse_y_pred=False"):
        m.update_state([0, 1], [[0.1, 0.2, 0.7], [0.3, 0.3, 0.4]])
    with pytest.raises(ValueError, match=r"sample_weight of shape \(3,\) does not match"):
        m.update_state([[0, 1], [1, 2]], [[0, 1], [1, 2]], sample_weight=[1.0, 2.0, 3.0])
