"""A custom train_step that never computes the compiled loss logs no `loss` (Keras 2).

tf_keras 2.21, same script: compile(SGD, loss="mse") then a train_step that tracks its own
`my_loss` and returns `{m.name: m.result() for m in self.metrics}` gives History keys
['my_loss'] and model.metrics names ['my_loss'] (Keras 3 would list `loss` too).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


class _OwnLoss(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = keras.layers.Dense(1)
        self.tracker = keras.metrics.Mean(name="my_loss")

    def call(self, x):
        return self.d(x)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self(x) - y))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.tracker.update_state(loss)
        return {m.name: m.result() for m in self.metrics}


@pytest.mark.parametrize("loss", [None, "mse"])
def test_no_loss_entry_when_the_step_never_computes_it(loss):
    model = _OwnLoss()
    model.compile(keras.optimizers.SGD(0.1), loss=loss)
    history = model.fit(np.ones((8, 2), "float32"), np.ones((8, 1), "float32"), verbose=0)
    assert sorted(history.history) == ["my_loss"]
    assert [m.name for m in model.metrics] == ["my_loss"]


def test_keras3_guide_step_still_feeds_the_loss_entry():
    class Guide(keras.Model):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    inputs = keras.Input((2,))
    model = Guide(inputs, keras.layers.Dense(1, kernel_initializer="zeros")(inputs))
    model.compile(keras.optimizers.SGD(0.0), loss="mse", metrics=["mae"])
    history = model.fit(np.ones((8, 2), "float32"), np.full((8, 1), 2.0, "float32"), verbose=0)
    # Zero weights and zero learning rate: prediction 0, so mse 4 and mae 2 (hand-computed).
    assert history.history["loss"] == pytest.approx([4.0])
    assert history.history["mae"] == pytest.approx([2.0])
