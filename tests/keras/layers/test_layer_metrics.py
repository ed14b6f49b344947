"""`Layer.metrics` (Keras 2): a layer's metric attributes and add_metric metrics, as tf_keras 2.21."""

import numpy as np
import pytest

import tork as tf
from tork import keras


class Probe(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.tracker = keras.metrics.Mean(name="tracker")

    def call(self, x):
        self.add_metric(tf.reduce_mean(x), name="act_mean")
        self.tracker.update_state(x)
        return x


class Outer(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = Probe()
        self.dense = keras.layers.Dense(2)

    def call(self, x):
        self.add_metric(tf.reduce_sum(x), name="outer_sum")
        return self.dense(self.inner(x))


def test_own_metrics_then_sublayers():
    probe = Probe()
    assert [m.name for m in probe.metrics] == ["tracker"]
    probe(np.ones((2, 3), "float32") * 2.0)
    assert [m.name for m in probe.metrics] == ["tracker", "act_mean"]
    assert float(probe.metrics[1].result()) == 2.0
    outer = Outer()
    outer(np.ones((2, 3), "float32"))
    # tf_keras 2.21 lists the same names in the same order.
    assert [m.name for m in outer.metrics] == ["outer_sum", "tracker", "act_mean"]
    assert float(outer.metrics[0].result()) == 6.0
    assert keras.layers.Dense(2).metrics == []


def test_metrics_is_read_only():
    with pytest.raises(AttributeError):
        Probe().metrics = []


def test_model_metrics_include_layer_add_metric():
    inp = keras.Input((3,))
    model = keras.Model(inp, Outer()(inp))
    model.compile("sgd", "mse", metrics=["mae"])
    model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)
    names = [m.name for m in model.metrics]
    assert names[:3] == ["loss", "mae", "outer_sum"] and "act_mean" in names
