"""Metrics held by sublayers reach fit/evaluate logs (Keras developer guides).

Expected values come from tf_keras 2.21 running the same programs.
"""

import numpy as np

import tork as tf
from tork import keras
from tork.keras import layers


class _Probe(layers.Layer):
    """Holds a Mean tracker and reports a BinaryAccuracy through add_metric."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.tracker = keras.metrics.Mean(name="act_mean")
        self.acc = keras.metrics.BinaryAccuracy()

    def call(self, x):
        self.tracker.update_state(x)
        # The name is ignored in Keras 2: the value comes from a Metric's __call__.
        self.add_metric(self.acc(tf.ones_like(x), x), name="ignored_name")
        return x


def _model():
    inp = keras.Input((2,))
    hidden = layers.Dense(2, kernel_initializer="identity", use_bias=False)(inp)
    model = keras.Model(inp, _Probe()(hidden))
    model.compile(keras.optimizers.SGD(0.0), "mse")
    return model


# The first batch is all correct, the second all wrong: the running accuracy ends at 0.5,
# while a mean of the per-batch running values would give 0.75.
X = np.array([[0.9, 0.9], [0.9, 0.9], [0.1, 0.1], [0.1, 0.1]], "float32")


def test_evaluate_logs_sublayer_metric_attributes_and_metric_add_metric():
    model = _model()
    logs = model.evaluate(X, X, batch_size=2, verbose=0, return_dict=True)
    # tf_keras 2.21: {'loss': 0.0, 'act_mean': 0.5, 'binary_accuracy': 0.5}
    assert sorted(logs) == ["act_mean", "binary_accuracy", "loss"]
    np.testing.assert_allclose(logs["act_mean"], 0.5, rtol=1e-6)
    np.testing.assert_allclose(logs["binary_accuracy"], 0.5, rtol=1e-6)
    assert model.metrics_names == ["loss", "act_mean", "binary_accuracy"]


def test_fit_history_keys_and_values():
    model = _model()
    history = model.fit(X, X, batch_size=2, verbose=0, shuffle=False)
    # tf_keras 2.21: {'loss': [0.0], 'act_mean': [0.5], 'binary_accuracy': [0.5]}
    assert sorted(history.history) == ["act_mean", "binary_accuracy", "loss"]
    np.testing.assert_allclose(history.history["binary_accuracy"], [0.5], rtol=1e-6)
    np.testing.assert_allclose(history.history["act_mean"], [0.5], rtol=1e-6)


def test_layer_metrics_lists_the_metric_once():
    probe = _Probe()
    probe(tf.constant(X[:2]))
    # tf_keras 2.21: ['act_mean', 'binary_accuracy'], accuracy 1.0
    assert [m.name for m in probe.metrics] == ["act_mean", "binary_accuracy"]
    assert float(probe.metrics[1].result()) == 1.0


def test_add_metric_of_a_plain_tensor_still_needs_and_uses_its_name():
    class Std(layers.Layer):
        def call(self, x):
            self.add_metric(tf.math.reduce_std(x), name="std_of_activation")
            return x

    inp = keras.Input((2,))
    model = keras.Model(inp, Std()(inp))
    model.compile(keras.optimizers.SGD(0.0), "mse")
    logs = model.evaluate(X, X, batch_size=4, verbose=0, return_dict=True)
    np.testing.assert_allclose(logs["std_of_activation"], np.std(X), rtol=1e-6)
