"""Keras 2's make_train/test/predict_function and Model.distribute_strategy.

Expected call counts and losses are tf_keras 2.21's (same script run both ways).
"""

from __future__ import annotations

import numpy as np

import tork as tf
from tork import keras

X = np.ones((8, 2), "float32")
Y = np.zeros((8, 1), "float32")


class _CountingModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1, kernel_initializer="ones")
        self.calls = 0

    def call(self, x):
        return self.dense(x)

    def make_train_function(self, force=False):
        if self.train_function is not None and not force:
            return self.train_function

        def train_function(iterator):
            data = next(iterator)
            self.calls += 1
            return self.train_step(data)

        self.train_function = train_function
        return train_function


def test_fit_and_train_on_batch_run_an_overridden_make_train_function():
    model = _CountingModel()
    assert model.train_function is None and model.test_function is None
    model.compile("sgd", "mse")
    history = model.fit(X, Y, batch_size=4, epochs=2, verbose=0)
    assert model.calls == 4
    # tf_keras 2.21: ones kernel, zero bias, lr 0.01.
    np.testing.assert_allclose(history.history["loss"], [3.7672, 2.9412], atol=1e-4)
    model.train_on_batch(X, Y)
    assert model.calls == 5
    model.compile("sgd", "mse")  # compile forgets the made function, as Keras 2
    assert model.train_function is None


def test_made_functions_take_an_iterator_and_are_cached_unless_forced():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile("sgd", "mse")
    made = model.make_train_function()
    assert made is model.train_function is model.make_train_function()
    assert model.make_train_function(force=True) is not made
    dataset = tf.data.Dataset.from_tensor_slices((X, Y)).batch(4)
    logs = model.make_train_function(force=True)(iter(dataset))
    assert float(logs["loss"]) == 4.0  # (1 + 1)^2 before the update
    logs = model.make_test_function()(iter(dataset))
    np.testing.assert_allclose(float(logs["loss"]), 3.7672, atol=1e-4)
    out = model.make_predict_function()(iter(dataset.map(lambda x, y: x)))
    assert np.asarray(out).shape == (4, 1)


def test_distribute_strategy_is_the_one_compiled_under():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    assert model.distribute_strategy.num_replicas_in_sync == 1
    strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    with strategy.scope():
        mirrored = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        mirrored.compile("sgd", "mse")
    assert mirrored.distribute_strategy is strategy


def test_in_place_writes_in_train_step_do_not_change_the_users_arrays():
    # TF's tensors are immutable: `x /= 2.0` in a train_step makes a new tensor. The batch
    # shares memory with the user's array, so it gets a copy (TF's means: 4, 4, 4).
    class Halving(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(1)

        def call(self, x):
            return self.d(x)

        def train_step(self, data):
            x, y = data
            x /= 2.0
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean((self(x) - y) ** 2)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            return {"loss": loss, "mean_x": tf.reduce_mean(x)}

    model = Halving()
    model.compile("sgd")
    x = np.full((4, 3), 8.0, "float32")
    history = model.fit(x, np.ones((4, 1), "float32"), batch_size=4, epochs=3, verbose=0)
    np.testing.assert_allclose(history.history["mean_x"], [4.0, 4.0, 4.0])
    np.testing.assert_array_equal(x, np.full((4, 3), 8.0))
