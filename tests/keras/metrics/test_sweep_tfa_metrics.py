"""Metric patterns from TF Addons (HammingLoss, CohenKappa), checked against tf_keras 2.21."""

import numpy as np
import pytest

import tork as tf


def _mismatch(y_true, y_pred, threshold):
    y_pred = tf.cast(y_pred > threshold, tf.float32)
    return tf.cast(tf.math.count_nonzero(y_true - y_pred, axis=-1), tf.float32) / 3.0


@tf.keras.utils.register_keras_serializable(package="SweepTfa")
class _Hamming(tf.keras.metrics.MeanMetricWrapper):
    # HammingLoss's pattern: the function is fixed here, `__init__` takes no `fn`.
    def __init__(self, threshold=0.5, name="hamming", dtype=None, **kwargs):
        super().__init__(_mismatch, name=name, dtype=dtype, threshold=threshold)


def test_mean_metric_wrapper_subclass_config_has_no_fn():
    metric = _Hamming(threshold=0.4)
    config = metric.get_config()
    # tf_keras 2.21: ['dtype', 'name', 'threshold'] (the wrapper itself adds 'fn').
    assert sorted(config) == ["dtype", "name", "threshold"]
    restored = _Hamming.from_config(config)
    y_true = np.array([[1, 0, 1], [0, 1, 0]], "float32")
    y_pred = np.array([[0.9, 0.45, 0.2], [0.1, 0.8, 0.3]], "float32")
    restored.update_state(y_true, y_pred)
    # Row 1 misses 2 of 3 at threshold 0.4, row 2 none: mean 1/3.
    assert float(restored.result()) == pytest.approx(1 / 3)
    assert "fn" in tf.keras.metrics.MeanMetricWrapper(_mismatch, threshold=0.5).get_config()


def test_mean_metric_wrapper_subclass_survives_h5_save(tmp_path):
    inputs = tf.keras.Input((3,))
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(3, activation="sigmoid")(inputs))
    model.compile("sgd", "mse", metrics=[_Hamming(threshold=0.5)])
    x = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
    y = (x > 0).astype("float32")
    before = model.evaluate(x, y, verbose=0, return_dict=True)
    model.save(str(tmp_path / "m.h5"))
    loaded = tf.keras.models.load_model(str(tmp_path / "m.h5"))
    after = loaded.evaluate(x, y, verbose=0, return_dict=True)
    assert after["hamming"] == pytest.approx(before["hamming"])


def test_metric_add_weight_takes_an_initializer_class():
    class Confusion(tf.keras.metrics.Metric):
        def __init__(self, name="confusion", **kwargs):
            super().__init__(name=name, **kwargs)
            # CohenKappa passes the class `tf.keras.initializers.zeros` (Keras 2 turns a
            # class into an instance).
            self.matrix = self.add_weight(
                "matrix", shape=(2, 2), initializer=tf.keras.initializers.zeros
            )
            self.ones = self.add_weight("ones", shape=(2,), initializer=tf.keras.initializers.Ones)

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.matrix.assign_add(
                tf.math.confusion_matrix(y_true, y_pred, num_classes=2, dtype=tf.float32)
            )

        def result(self):
            return self.matrix

    metric = Confusion()
    np.testing.assert_array_equal(metric.ones.numpy(), [1.0, 1.0])
    metric.update_state(np.array([0, 1, 1]), np.array([0, 0, 1]))
    np.testing.assert_array_equal(metric.result().numpy(), [[1.0, 0.0], [1.0, 1.0]])
