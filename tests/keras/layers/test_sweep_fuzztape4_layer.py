"""fuzztape4: `add_weight(synchronization=ON_READ)` makes a non-trainable weight (Keras 2).

tf_keras turns an ON_READ weight non-trainable and refuses `trainable=True` with it;
tork ignored `synchronization`, so the weight was trainable and `fit` trained it (a
silent wrong result). The aggregation and synchronization are now kept on the variable.
Reference: tf_keras 2.21 (/tmp/fuzztape4/repro4/addw.py).
"""

import numpy as np
import pytest

import tork as tf


class _Counter(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight("w", shape=(input_shape[-1],), initializer="ones")
        self.seen = self.add_weight(
            "seen",
            shape=(),
            initializer="zeros",
            synchronization=tf.VariableSynchronization.ON_READ,
            aggregation=tf.VariableAggregation.SUM,
        )

    def call(self, x):
        self.seen.assign_add(tf.cast(tf.shape(x)[0], tf.float32))
        return x * self.w + self.seen * 0.0


def test_on_read_weight_is_non_trainable():
    layer = tf.keras.layers.Layer()
    w = layer.add_weight(
        "a",
        shape=(2,),
        synchronization=tf.VariableSynchronization.ON_READ,
        aggregation=tf.VariableAggregation.SUM,
    )
    assert w.trainable is False
    assert len(layer.trainable_weights) == 0
    assert len(layer.non_trainable_weights) == 1
    assert w.synchronization == tf.VariableSynchronization.ON_READ
    assert w.aggregation == tf.VariableAggregation.SUM


def test_on_read_weight_refuses_trainable_true():
    layer = tf.keras.layers.Layer(name="acc")
    with pytest.raises(ValueError, match="ON_READ only for non-trainable variables"):
        layer.add_weight(
            "b", shape=(2,), trainable=True, synchronization=tf.VariableSynchronization.ON_READ
        )


def test_fit_counts_but_does_not_train_the_on_read_weight():
    model = tf.keras.Sequential([_Counter()])
    model.build((None, 2))
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    x = np.ones((4, 2), np.float32)
    model.fit(x, np.zeros((4, 2), np.float32), batch_size=4, epochs=2, verbose=0)
    layer = model.layers[0]
    assert len(model.trainable_weights) == 1
    # 2 epochs of one batch of 4 rows, counted but never moved by SGD.
    assert float(layer.seen.numpy()) == 8.0
    # tf_keras: [0.81, 0.81] (mse's gradient is w, so each SGD step multiplies w by 0.9).
    np.testing.assert_allclose(layer.w.numpy(), [0.81, 0.81], rtol=1e-6)
