"""Keras 3's top-level base-class aliases: `keras.Loss`, `keras.Metric`, ..."""

import numpy as np

from tork import keras

ops = keras.ops


def test_top_level_aliases_are_the_base_classes():
    assert keras.Loss is keras.losses.Loss
    assert keras.Metric is keras.metrics.Metric
    assert keras.Optimizer is keras.optimizers.Optimizer
    assert keras.Initializer is keras.initializers.Initializer
    assert keras.Regularizer is keras.regularizers.Regularizer
    assert {"Loss", "Metric", "Optimizer"} <= set(dir(keras))


def test_keras_loss_subclass_reductions():
    class WMSE(keras.Loss):
        def call(self, y_true, y_pred):
            return 2.0 * ops.mean(ops.square(y_true - y_pred), axis=-1)

    yt = ops.array([[1.0, 2.0], [3.0, 4.0], [0.0, 0.0]])
    yp = ops.zeros((3, 2))
    sw = ops.array([1.0, 0.0, 2.0])
    # Per-sample losses are [5, 25, 0] (2 * mean of squares); values from Keras 3.15.
    np.testing.assert_allclose(float(WMSE()(yt, yp)), 10.0)
    np.testing.assert_allclose(float(WMSE()(yt, yp, sample_weight=sw)), 5.0 / 3.0, rtol=1e-6)
    np.testing.assert_allclose(float(WMSE(reduction="sum")(yt, yp)), 30.0)
    np.testing.assert_allclose(WMSE(reduction=None)(yt, yp).numpy(), [5.0, 25.0, 0.0])


def test_keras_metric_subclass_with_add_variable():
    class Total(keras.Metric):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.t = self.add_variable(shape=(2,), initializer="zeros", name="t")

        def update_state(self, values, sample_weight=None):
            self.t.assign_add(ops.sum(ops.convert_to_tensor(values), axis=0))

        def result(self):
            return ops.sum(self.t)

    m = Total(name="total_m")
    m.update_state(np.array([[1.0, 2.0], [3.0, 4.0]], "float32"))
    assert float(m.result()) == 10.0
    m.reset_state()
    assert m.t.numpy().tolist() == [0.0, 0.0]
