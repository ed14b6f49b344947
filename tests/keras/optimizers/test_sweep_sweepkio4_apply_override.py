"""fit() honours a user optimizer subclass overriding apply_gradients (gradient centralization)."""

import numpy as np

import tork as tf
from tork import keras


def _fit_one_step(optimizer):
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False)])
    model.set_weights([np.array([[1.0]], "float32")])
    model.compile(optimizer=optimizer, loss="mse")
    model.fit(np.array([[2.0]], "float32"), np.array([[0.0]], "float32"), epochs=1, verbose=0)
    return float(model.get_weights()[0][0, 0])


class _DoublingSGD(keras.optimizers.SGD):
    def apply_gradients(self, grads_and_vars, **kwargs):
        self.calls = getattr(self, "calls", 0) + 1
        return super().apply_gradients([(2 * g, v) for g, v in grads_and_vars], **kwargs)


class _DoublingApplySGD(keras.optimizers.SGD):
    def apply(self, grads, trainable_variables=None):
        return super().apply([2 * g for g in grads], trainable_variables)


def test_plain_sgd_step():
    # loss = (2w)^2, dloss/dw = 8w = 8 at w = 1; one SGD step: 1 - 0.1 * 8.
    np.testing.assert_allclose(_fit_one_step(keras.optimizers.SGD(0.1)), 0.2, rtol=1e-6)


def test_overridden_apply_gradients_runs_once_per_step():
    optimizer = _DoublingSGD(0.1)
    np.testing.assert_allclose(_fit_one_step(optimizer), 1 - 0.1 * 16, rtol=1e-6)
    assert optimizer.calls == 1
    assert int(optimizer.iterations) == 1


def test_overridden_apply_is_honoured():
    np.testing.assert_allclose(_fit_one_step(_DoublingApplySGD(0.1)), 1 - 0.1 * 16, rtol=1e-6)


def test_direct_apply_gradients_call_is_not_doubled_twice():
    optimizer = _DoublingSGD(0.1)
    var = tf.Variable(1.0)
    optimizer.apply_gradients([(tf.constant(8.0), var)])
    np.testing.assert_allclose(float(var.numpy()), 1 - 0.1 * 16, rtol=1e-6)
    assert optimizer.calls == 1
