"""Messages of the training step for losses that cannot train (Stack Overflow questions)."""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def test_non_differentiable_loss_names_the_cause():
    # A loss through argmax has no gradient: TF reports "No gradients provided for any
    # variable"; tork says why and what to train on instead.
    def accuracy_loss(y_true, y_pred):
        hits = tf.cast(tf.equal(tf.argmax(y_pred, -1), tf.cast(y_true, tf.int64)), "float32")
        return 1.0 - tf.reduce_mean(hits)

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile("sgd", accuracy_loss)
    x = np.ones((4, 3), "float32")
    y = np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match="does not depend on any trainable weight") as info:
        model.fit(x, y, epochs=1, verbose=0)
    assert "argmax, round, comparisons" in str(info.value)
