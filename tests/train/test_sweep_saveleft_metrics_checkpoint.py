"""Keras metrics in `tf.train.Checkpoint` (tf_keras 2.21 tracks them; tork refused them).

tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) saves `Checkpoint(metric=Mean(), acc=..., auc=...)`
under `metric/total`, `metric/count`, `acc/total`, `auc/true_positives`, ... and restores
the results (2.0, 0.5, 1.0 below); a custom model's `self.loss_tracker` is saved under
`model/loss_tracker/total` and `model/loss_tracker/count`.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _metrics():
    return (
        keras.metrics.Mean(),
        keras.metrics.SparseCategoricalAccuracy(),
        keras.metrics.AUC(num_thresholds=5),
    )


def test_metric_state_round_trips(tmp_path, tork_format):
    mean, acc, auc = _metrics()
    mean.update_state([1.0, 2.0, 3.0])
    acc.update_state([1, 0], [[0.1, 0.9], [0.2, 0.8]])
    auc.update_state([0, 1, 1], [0.1, 0.6, 0.8])
    step = tf.Variable(7, dtype=tf.int64)
    path = tf.train.Checkpoint(metric=mean, acc=acc, auc=auc, step=step).save(str(tmp_path / "c"))
    names = sorted(n for n, _ in tf.train.list_variables(path))
    for expected in [
        "acc/count",
        "acc/total",
        "auc/false_negatives",
        "auc/false_positives",
        "auc/true_negatives",
        "auc/true_positives",
        "metric/count",
        "metric/total",
        "step",
    ]:
        assert expected in names
    mean2, acc2, auc2 = _metrics()
    step2 = tf.Variable(0, dtype=tf.int64)
    status = tf.train.Checkpoint(metric=mean2, acc=acc2, auc=auc2, step=step2).restore(path)
    status.assert_consumed()
    assert float(mean2.result()) == pytest.approx(2.0)
    assert float(acc2.result()) == pytest.approx(0.5)
    assert float(auc2.result()) == pytest.approx(1.0)
    assert int(step2.numpy()) == 7


class _Tracked(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = keras.layers.Dense(1)
        self.loss_tracker = keras.metrics.Mean(name="loss")

    def call(self, x):
        return self.d(x)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self(x) - y))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    @property
    def metrics(self):
        return [self.loss_tracker]


def test_model_attribute_metric_is_checkpointed(tmp_path, tork_format):
    m = _Tracked()
    m.compile(keras.optimizers.SGD(0.1))
    m.fit(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"), epochs=1, verbose=0)
    path = tf.train.Checkpoint(model=m).save(str(tmp_path / "c"))
    names = {n for n, _ in tf.train.list_variables(path)}
    assert {"model/loss_tracker/total", "model/loss_tracker/count"} <= names
    m2 = _Tracked()
    m2(np.ones((1, 2), "float32"))
    tf.train.Checkpoint(model=m2).restore(path)
    assert float(m2.loss_tracker.count.numpy()) == float(m.loss_tracker.count.numpy()) == 1.0
    assert float(m2.loss_tracker.result()) == pytest.approx(float(m.loss_tracker.result()))


def test_untrackable_message_names_metrics():
    with pytest.raises(ValueError, match=r"a Keras layer, model or metric"):
        tf.train.Checkpoint(thing=object())
