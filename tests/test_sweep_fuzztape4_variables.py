"""fuzztape4: `tf.Variable(synchronization=ON_READ)` is not trainable by default.

TensorFlow makes an ON_READ variable (a running count, a metric accumulator) non-trainable
unless `trainable=True` is given; tork made it trainable, so tapes watched it and
optimizers updated it (a silent wrong result).
Reference: TensorFlow 2.21 (/tmp/fuzztape4/repro4/probe1.py, addw.py).
"""

import numpy as np

import tork as tf


def test_on_read_variable_defaults_to_non_trainable():
    v = tf.Variable(
        [1.0, 2.0],
        synchronization=tf.VariableSynchronization.ON_READ,
        aggregation=tf.VariableAggregation.SUM,
    )
    assert v.trainable is False
    assert v.synchronization == tf.VariableSynchronization.ON_READ
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v * v)
    assert tape.gradient(y, v) is None


def test_on_read_variable_trainable_when_asked():
    # TF 2.21 accepts an explicit trainable=True on tf.Variable (Keras' add_weight refuses).
    v = tf.Variable(1.0, synchronization=tf.VariableSynchronization.ON_READ, trainable=True)
    assert v.trainable is True


def test_other_synchronizations_stay_trainable():
    for sync in (
        tf.VariableSynchronization.AUTO,
        tf.VariableSynchronization.ON_WRITE,
        tf.VariableSynchronization.NONE,
    ):
        assert tf.Variable(1.0, synchronization=sync).trainable is True
    assert tf.Variable(1.0).trainable is True
    assert tf.Variable(1.0, trainable=None).trainable is True


def test_on_read_variable_is_not_trained_by_minimize():
    w = tf.Variable([1.0, -1.0])
    count = tf.Variable(
        [3.0, 4.0],
        synchronization=tf.VariableSynchronization.ON_READ,
        aggregation=tf.VariableAggregation.SUM,
    )
    opt = tf.keras.optimizers.SGD(0.5)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w * count)
    variables = [w] + [v for v in [count] if v.trainable]
    opt.apply_gradients(zip(tape.gradient(loss, variables), variables))
    np.testing.assert_allclose(w.numpy(), [-0.5, -3.0])
    np.testing.assert_allclose(count.numpy(), [3.0, 4.0])
