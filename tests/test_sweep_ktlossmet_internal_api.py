"""`tf.__internal__.ops.broadcast_weights`, as custom metrics (tf_keras's own tests) use it.

Reference values from TensorFlow 2.21.
"""

import numpy as np
import pytest

import tork as tf


def test_broadcast_weights():
    # TF: [[1, 1, 1], [2, 2, 2]]; a Python scalar takes the values' dtype (float64 here).
    out = tf.__internal__.ops.broadcast_weights(tf.constant([[1.0], [2.0]]), tf.zeros((2, 3)))
    assert out.numpy().tolist() == [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]
    out = tf.__internal__.ops.broadcast_weights(2, tf.zeros((2, 3), dtype=tf.float64))
    assert out.dtype == tf.float64 and out.numpy().tolist() == [[2.0] * 3] * 2
    same = tf.constant([[1.0, 2.0]])
    assert tf.__internal__.ops.broadcast_weights(same, tf.zeros((1, 2))) is same


def test_broadcast_weights_refuses_other_ranks():
    # TF: "weights can not be broadcast to values. values.rank=2. weights.rank=1. ..."
    with pytest.raises(ValueError, match=r"weights can not be broadcast to values. values.rank=2"):
        tf.__internal__.ops.broadcast_weights(tf.constant([1.0, 2.0]), tf.zeros((2, 3)))


class _BinaryTruePositives(tf.keras.metrics.Metric):
    def __init__(self, name="binary_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_weight(name="tp", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        both = tf.logical_and(tf.cast(y_true, tf.bool), tf.cast(y_pred, tf.bool))
        values = tf.cast(both, self.dtype)
        if sample_weight is not None:
            weight = tf.cast(sample_weight, self.dtype)
            values = values * tf.__internal__.ops.broadcast_weights(weight, values)
        self.true_positives.assign_add(tf.reduce_sum(values))

    def result(self):
        return self.true_positives


def test_custom_metric_with_broadcast_weights():
    # tf_keras's base_metric_test: 12.0.
    y_true = np.array([[0, 0.9, 0, 1, 0], [0, 0, 1, 1, 1], [1, 1, 1, 1, 0], [0, 0, 0, 0, 1.5]])
    y_pred = np.array([[0, 0, 1, 5, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0], [1, 10, 1, 1, 1]])
    metric = _BinaryTruePositives()
    out = metric(y_true, y_pred, sample_weight=np.array([[1.0], [1.5], [2.0], [2.5]]))
    assert float(out) == 12.0
