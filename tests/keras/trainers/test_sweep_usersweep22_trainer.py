"""Sweep usersweep22: the order of the values `evaluate` and `*_on_batch` return.

Keras 2 and 3 list the logs of `metrics_names` first, then the other keys sorted by
name, so a custom `test_step` returning `{"loss": ..., "accuracy": ...}` without
compiled metrics gives `[accuracy, loss]` (aladdinpersson's
tutorial15-customizing-modelfit.py). The expected lists were printed by tf_keras 2.21.
"""

import numpy as np

import tork as tf
from tork import keras


class _CustomSteps(keras.Model):
    """A model whose steps return logs in an order of their own."""

    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1, kernel_initializer="ones")

    def call(self, x):
        return self.dense(x)

    def _logs(self, data):
        x, y = data
        loss = tf.reduce_mean(tf.square(self(x) - y))
        return {"zeta": tf.constant(1.0), "loss": loss, "alpha": tf.constant(2.0)}

    def train_step(self, data):
        return self._logs(data)

    def test_step(self, data):
        return self._logs(data)


X = np.array([[1.0, 2.0], [3.0, 4.0]], "float32")
Y = np.array([[1.0], [2.0]], "float32")


def test_evaluate_lists_unnamed_logs_sorted():
    model = _CustomSteps()
    model.compile()
    # tf_keras 2.21: [2.0, 14.5, 1.0] and metrics_names == [].
    assert model.evaluate(X, Y, verbose=0) == [2.0, 14.5, 1.0]
    assert model.metrics_names == []
    assert model.test_on_batch(X, Y) == [2.0, 14.5, 1.0]
    assert model.train_on_batch(X, Y) == [2.0, 14.5, 1.0]
    # The dict keeps the step's own order.
    assert list(model.evaluate(X, Y, verbose=0, return_dict=True)) == ["zeta", "loss", "alpha"]


def test_evaluate_with_compiled_loss_unused_by_step():
    model = _CustomSteps()
    model.compile(loss="mse", metrics=["mae"])
    # tf_keras 2.21: the compiled loss and metrics are never built by this step.
    assert model.evaluate(X, Y, verbose=0) == [2.0, 14.5, 1.0]
    assert model.test_on_batch(X, Y) == [2.0, 14.5, 1.0]


def test_metrics_names_come_first():
    inputs = keras.Input((2,))
    outputs = keras.layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros")(inputs)
    model = keras.Model(inputs, outputs)
    model.compile(loss="mse", metrics=["mae", "mse"])
    result = model.evaluate(X, Y, verbose=0)
    assert model.metrics_names == ["loss", "mae", "mse"]
    # Predictions 3 and 7: mse (4 + 25) / 2, mae (2 + 5) / 2.
    np.testing.assert_allclose(result, [14.5, 3.5, 14.5])
