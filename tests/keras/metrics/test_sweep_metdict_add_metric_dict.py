"""`layer.add_metric(metric(y, p))` where the Metric's `result()` returns a dict (Keras 2
logs each key of the dict in fit/evaluate)."""

import numpy as np

import tork as tf

keras = tf.keras


class _DictMetric(keras.metrics.Metric):
    def __init__(self, name="dm", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = self.add_weight(name="total", initializer="zeros")
        self.count = self.add_weight(name="count", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.total.assign_add(tf.reduce_sum(tf.square(tf.cast(y_true, "float32") - y_pred)))
        self.count.assign_add(tf.cast(tf.size(y_pred), "float32"))

    def result(self):
        mse = self.total / self.count
        return {"my_mse": mse, "my_rmse": tf.sqrt(mse)}

    def reset_state(self):
        self.total.assign(0.0)
        self.count.assign(0.0)


class _Model(keras.Model):
    def __init__(self):
        super().__init__(name="m")
        self.d = keras.layers.Dense(1, name="d")
        self.met = _DictMetric(name="dm")

    def call(self, inputs):
        x, y = inputs
        out = self.d(x)
        self.add_metric(self.met(y, out), name="dm")
        return out


def _data():
    x = np.arange(24, dtype="float32").reshape(8, 3) / 10
    y = np.arange(8, dtype="float32").reshape(8, 1) / 4
    return x, y


def _model(x, y):
    model = _Model()
    model([x[:1], y[:1]])
    model.d.set_weights([np.array([[0.1], [-0.2], [0.3]], "float32"), np.array([0.05], "float32")])
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse")
    return model


def test_dict_metric_call_returns_dict():
    metric = _DictMetric()
    out = metric(np.ones((2, 1), "float32"), np.zeros((2, 1), "float32"))
    assert isinstance(out, dict)
    assert sorted(out) == ["my_mse", "my_rmse"]
    np.testing.assert_allclose(float(out["my_mse"]), 1.0)


def test_add_metric_dict_result_logs_each_key():
    x, y = _data()
    model = _model(x, y)
    history = model.fit([x, y], y, batch_size=4, epochs=2, verbose=0, shuffle=False)
    # tf_keras 2.21 (TF_USE_LEGACY_KERAS=1), same weights and data.
    assert list(history.history) == ["loss", "my_mse", "my_rmse"]
    np.testing.assert_allclose(history.history["loss"], [0.497953, 0.29521], atol=1e-5)
    np.testing.assert_allclose(history.history["my_mse"], [0.497953, 0.29521], atol=1e-5)
    np.testing.assert_allclose(history.history["my_rmse"], [0.705658, 0.543332], atol=1e-5)
    logs = model.evaluate([x, y], y, batch_size=4, verbose=0, return_dict=True)
    assert list(logs) == ["loss", "my_mse", "my_rmse"]
    np.testing.assert_allclose(logs["my_mse"], 0.1829146, atol=1e-5)
    np.testing.assert_allclose(logs["my_rmse"], 0.4276852, atol=1e-5)
    assert [m.name for m in model.metrics] == ["loss", "dm"]
