"""Keras 2's Layer.add_metric and keras.backend reductions (TensorFlow's training guide)."""

import numpy as np
import pytest

import tork as tf
from tork import keras
from tork.keras import layers


class _MeanActivation(layers.Layer):
    def call(self, inputs):
        self.add_metric(keras.backend.mean(inputs), name="mean_activation", aggregation="mean")
        return inputs


def test_add_metric_reports_the_epoch_mean_of_each_batch_value():
    inputs = keras.Input((3,))
    outputs = layers.Dense(1)(_MeanActivation()(inputs))
    model = keras.Model(inputs, outputs)
    model.compile("sgd", "mse")
    x = np.arange(24, dtype="float32").reshape(8, 3)
    y = np.zeros((8, 1), "float32")
    logs = model.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)
    # Two batches: the mean of their means (equal sizes: the overall mean).
    batch_means = [x[:4].mean(), x[4:].mean()]
    np.testing.assert_allclose(logs["mean_activation"], np.mean(batch_means), rtol=1e-6)
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    np.testing.assert_allclose(history.history["mean_activation"], [np.mean(batch_means)] * 2)
    assert "mean_activation" in model.metrics_names


def test_add_metric_in_a_subclassed_model_and_its_errors():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)

        def call(self, x):
            h = self.dense(x)
            self.add_metric(keras.backend.std(h), name="std_h")
            return h

    model = Net()
    model.compile("sgd", "mse")
    x = np.random.default_rng(0).normal(size=(6, 3)).astype("float32")
    logs = model.evaluate(x, np.zeros((6, 2), "float32"), batch_size=6, verbose=0, return_dict=True)
    h = x @ model.dense.kernel.numpy() + model.dense.bias.numpy()
    np.testing.assert_allclose(logs["std_h"], h.std(), rtol=1e-5)

    class Bad(layers.Layer):
        def call(self, x):
            self.add_metric(tf.reduce_mean(x))
            return x

    with pytest.raises(ValueError, match="add_metric needs a `name`"):
        Bad()(np.ones((2, 2), "float32"))
    with pytest.raises(ValueError, match="aggregation must be 'mean'"):
        layers.Layer().add_metric(tf.constant(1.0), name="m", aggregation="sum")
    # On symbolic tensors only a functional model takes one (test_add_loss.py).
    inputs = keras.Input((2,))
    with pytest.raises(ValueError, match=r"add_metric\(\) received a symbolic tensor"):
        layers.Layer(name="plain").add_metric(inputs, name="m")


def test_backend_reductions_match_numpy():
    x = np.array([[1.0, 2.0], [3.0, 7.0]], "float32")
    K = keras.backend
    np.testing.assert_allclose(float(K.std(x)), x.std(), rtol=1e-6)
    np.testing.assert_allclose(float(K.var(x)), x.var(), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(K.mean(x, axis=0)), x.mean(0))
    np.testing.assert_allclose(np.asarray(K.sum(x, axis=1, keepdims=True)), x.sum(1, keepdims=True))
    assert float(K.max(x)) == 7.0 and float(K.min(x)) == 1.0


def test_add_metric_inside_a_compiled_training_step(monkeypatch):
    from tork.keras.trainers import compiled_step

    monkeypatch.setattr(compiled_step, "_COMPILER", "aten")  # the traced graph, op by op
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layers.Dense(1)(_MeanActivation()(inputs)))
    model.compile("sgd", "mse", jit_compile=True)
    x = np.arange(48, dtype="float32").reshape(16, 3)
    history = model.fit(x, np.zeros((16, 1), "float32"), batch_size=4, epochs=2, verbose=0)
    step = model.__dict__["_tork_train_fn"]
    assert step.reason is None and step.compile_count == 1
    np.testing.assert_allclose(history.history["mean_activation"], [x.mean()] * 2, rtol=1e-6)
