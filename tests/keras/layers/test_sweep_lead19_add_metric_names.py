"""`add_metric(metric(x), name=...)` with two of the layer's metrics sharing that name.

tf_keras 2.21 raises `Please provide different names for the metrics you have added. We
found 2 metrics with the name: "metric_1"` (tork logged one of them, never updated, as 0.0).
"""

import numpy as np
import pytest

import tork as tf


class _TwoMeans(tf.keras.Model):
    def __init__(self, second_name):
        super().__init__()
        self.d = tf.keras.layers.Dense(1)
        self.mean1 = tf.keras.metrics.Mean(name="metric_1")
        self.mean2 = tf.keras.metrics.Mean(name=second_name)

    def call(self, x):
        self.add_metric(self.mean1(x), name="metric_1")
        return self.d(x)


def test_two_metrics_of_the_added_name_raise():
    model = _TwoMeans("metric_1")
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match='We found 2 metrics with the name: "metric_1"'):
        model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)


def test_distinct_names_log_the_added_metric():
    model = _TwoMeans("metric_2")
    model.compile("sgd", "mse")
    logs = model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0).history
    assert logs["metric_1"] == [pytest.approx(1.0)]  # the mean of the all-ones inputs
