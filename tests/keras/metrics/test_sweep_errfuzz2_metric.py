"""errfuzz2: a Metric subclass whose __init__ forgets super().__init__().

TF 2.21 + tf_keras fails in compile() (its own internals, AttributeError); tork gave the bare
"'MyMetric' object has no attribute 'name'" in fit(). Now construction fails (RuntimeError,
the type tork already raised in update_state) and says what to fix.
"""

import pytest

import tork as tf

keras = tf.keras


class _NoSuper(keras.metrics.Metric):
    def __init__(self):
        self.total = 0.0

    def update_state(self, y_true, y_pred, sample_weight=None):
        pass

    def result(self):
        return 0.0


def test_metric_without_super_init_fails_at_construction():
    with pytest.raises(
        RuntimeError,
        match=r"subclassing `Metric` .*forgot to call `super\(\).__init__\(\)`: _NoSuper",
    ):
        _NoSuper()


def test_metric_subclass_with_super_init_keeps_its_signature():
    import inspect

    class Counted(keras.metrics.Metric):
        def __init__(self, scale=2.0, name="counted", **kwargs):
            super().__init__(name=name, **kwargs)
            self.scale = scale
            self.total = self.add_weight(name="total", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.total.assign_add(self.scale)

        def result(self):
            return self.total

    assert list(inspect.signature(Counted.__init__).parameters)[:3] == ["self", "scale", "name"]
    metric = Counted(scale=3.0)
    metric.update_state(None, None)
    assert float(metric.result()) == 3.0


def test_metric_missing_attribute_keeps_plain_error():
    metric = keras.metrics.Mean(name="m")
    assert not hasattr(metric, "no_such_attribute")
    with pytest.raises(AttributeError, match=r"'Mean' object has no attribute 'no_such_attribute'"):
        metric.no_such_attribute  # noqa: B018
    # The base attributes still read normally on a proper metric.
    metric.update_state([1.0, 3.0])
    assert metric.name == "m" and float(metric.result()) == 2.0
