"""Metric subclasses whose `update_state` writes into slices of the targets.

TF tensors are immutable, so `t = y_true[..., :2]; t *= 2.0` in a Keras 2 metric leaves
the batch alone; on torch tensors the slice is a view, and with a `keras.utils.Sequence`
(batches that are views of the user's arrays, as in Atienza's "Advanced Deep Learning
with Keras" data generators) every epoch wrote into the user's targets. Numbers from
tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) running the same script.
"""

import numpy as np

import tork as tf
from tork.keras import backend as K

X = np.linspace(-1, 1, 12).reshape(4, 3).astype("float32")


class _TargetSum(tf.keras.metrics.Metric):
    def __init__(self, **kwargs):
        super().__init__(name="target_sum", **kwargs)
        self.total = self.add_weight(name="total", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        target = y_true[..., :2]
        target *= 2.0
        self.total.assign_add(K.sum(target))

    def result(self):
        return self.total


class _Batches(tf.keras.utils.Sequence):
    def __init__(self, x, y):
        super().__init__()
        self.x, self.y = x, y

    def __len__(self):
        return 2

    def __getitem__(self, i):
        return self.x[i * 2 : i * 2 + 2], self.y[i * 2 : i * 2 + 2]


def test_update_state_writing_into_targets_leaves_them_alone():
    # Before: [4, 8, 16] and the targets multiplied by 8. tf_keras 2.21: [4, 4, 4].
    y = np.full((4, 4), 0.25, "float32")
    model = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(3,))])
    model.compile("sgd", "mse", metrics=[_TargetSum()])
    history = model.fit(_Batches(X, y), epochs=3, verbose=0, shuffle=False)
    np.testing.assert_allclose(history.history["target_sum"], [4.0, 4.0, 4.0])
    np.testing.assert_array_equal(y, np.full((4, 4), 0.25))


def test_direct_update_state_keeps_the_callers_tensor():
    y_true = tf.constant([[1.0, 2.0, 3.0]])
    metric = _TargetSum()
    metric.update_state(y_true, y_true)
    metric.update_state(y_true, y_true)
    np.testing.assert_allclose(metric.result(), 12.0)  # 2 * (1 + 2), twice
    np.testing.assert_array_equal(np.asarray(y_true), [[1.0, 2.0, 3.0]])
