"""Sweep usersweep22: `Metric.dtype` is Keras's dtype name, as a layer's.

YunYang1994's TensorFlow2.0-Examples print `train_loss.dtype`; tf_keras 2.21 gives
`'float32'` (a metric is a layer), and custom metrics pass it to NumPy.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras


def test_metric_dtype_is_the_name():
    # tf_keras 2.21: repr(Mean(dtype='float64').dtype) == "'float64'", equal to tf.float64.
    metric = keras.metrics.Mean(dtype="float64")
    assert repr(metric.dtype) == "'float64'" and str(metric.dtype) == "float64"
    assert metric.dtype == tf.float64 and metric.dtype == "float64"
    assert np.zeros(2, dtype=metric.dtype).dtype == np.float64
    assert repr(keras.metrics.AUC().dtype) == "'float32'"
    assert repr(keras.metrics.SparseCategoricalAccuracy().dtype) == "'float32'"


def test_custom_metric_uses_its_dtype_name():
    class Counter(keras.metrics.Metric):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.n = self.add_weight(name="n", initializer="zeros", dtype=self.dtype)
            self.buffer = np.zeros(2, dtype=self.dtype)

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.n.assign_add(tf.cast(tf.shape(y_true)[0], self.dtype))
            self.n.assign_add(tf.reduce_sum(tf.ones((2,), dtype=self.dtype)))

        def result(self):
            return self.n

    metric = Counter(dtype="float64")
    metric.update_state(tf.ones((3, 1)), tf.ones((3, 1)))
    assert metric.result().dtype == tf.float64 and float(metric.result()) == 5.0
    assert metric.buffer.dtype == np.float64


def test_get_weights_reads_the_state():
    # bnsreenu's segmentation tutorials: per-class IoU from MeanIoU.get_weights().
    # tf_keras 2.21: [[1., 0.], [1., 1.]] (float32), variable 'total_confusion_matrix:0'.
    iou = keras.metrics.MeanIoU(num_classes=2)
    iou.update_state([0, 1, 1], [0, 1, 0])
    weights = iou.get_weights()
    assert len(weights) == 1 and weights[0].dtype == np.float32
    np.testing.assert_array_equal(np.array(weights).reshape(2, 2), [[1.0, 0.0], [1.0, 1.0]])
    mean = keras.metrics.Mean()
    mean.update_state([1.0, 3.0])
    assert [float(w) for w in mean.get_weights()] == [4.0, 2.0]  # total, count
    auc = keras.metrics.AUC(num_thresholds=3)
    assert [w.shape for w in auc.get_weights()] == [(3,)] * 4


def test_set_weights_restores_the_state():
    iou = keras.metrics.MeanIoU(num_classes=2)
    iou.set_weights([np.eye(2)])
    assert float(iou.result()) == 1.0
    mean = keras.metrics.Mean()
    mean.set_weights([np.float32(10), np.float32(5)])
    assert float(mean.result()) == 2.0
    with pytest.raises(
        ValueError, match=r"expected 2 arrays \(for \['total:0', 'count:0'\]\), got 1"
    ):
        mean.set_weights([1.0])
    with pytest.raises(ValueError, match=r"weight total:0 has shape \(\), but the array given"):
        mean.set_weights([np.zeros(2), 1.0])
