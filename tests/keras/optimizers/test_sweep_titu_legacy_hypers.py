"""Keras 2 legacy optimizers keep `momentum`, `beta_1`, `rho` in variables.

keras-one-cycle's `OneCycleLR` callback calls `K.set_value(self.model.optimizer.momentum,
m)` every batch on `tf.keras.optimizers.legacy.SGD`. tork stored a float there, so
`K.set_value` failed with "'float' object has no attribute 'dtype'". Expected numbers were
computed with TF 2.21 / tf_keras (TF_USE_LEGACY_KERAS=1) running the same code.
"""

from __future__ import annotations

import numpy as np
import pytest

import tork as tf
from tork import keras

K = keras.backend
legacy = keras.optimizers.legacy


@pytest.mark.parametrize(
    ("cls", "kwargs", "hypers", "expected"),
    [
        # tf_keras 2.21: v=[1, 2], two steps of grad [0.5, 0.25] at lr 0.1, the hyper set
        # to 0.5 with K.set_value between the steps.
        (legacy.SGD, {"momentum": 0.9}, ("momentum",), [0.875, 1.9375]),
        (legacy.Adam, {"beta_1": 0.8}, ("beta_1",), [0.820001, 1.820002]),
        (legacy.RMSprop, {"rho": 0.7, "momentum": 0.3}, ("rho", "momentum"), [0.602104, 1.602105]),
        (legacy.Adadelta, {"rho": 0.9}, ("rho",), [0.99984, 1.99984]),
        (legacy.Adamax, {}, ("beta_1",), [0.826667, 1.826667]),
    ],
)
def test_set_value_on_hyperparameter_changes_the_next_step(cls, kwargs, hypers, expected):
    opt = cls(0.1, **kwargs)
    v = tf.Variable([1.0, 2.0])
    opt.apply_gradients([(tf.constant([0.5, 0.25]), v)])
    for name in hypers:
        K.set_value(getattr(opt, name), 0.5)
    opt.apply_gradients([(tf.constant([0.5, 0.25]), v)])
    np.testing.assert_allclose(v.numpy(), expected, atol=2e-6)
    config = opt.get_config()
    assert all(config[name] == 0.5 for name in hypers)
    restored = cls.from_config(config)
    assert all(float(K.get_value(getattr(restored, name))) == 0.5 for name in hypers)


def test_config_keeps_the_given_float_and_variables_are_not_optimizer_state():
    opt = legacy.SGD(0.1, momentum=0.9)
    assert opt.get_config()["momentum"] == 0.9  # not float32's 0.8999999761581421
    assert isinstance(opt.momentum, tf.Variable)
    opt.momentum = 0.8  # plain assignment, as Keras 2 allows
    assert float(K.get_value(opt.momentum)) == pytest.approx(0.8)
    assert opt.get_config()["momentum"] == 0.8
    v = tf.Variable([1.0])
    opt.apply_gradients([(tf.constant([1.0]), v)])
    assert not any(var is opt.momentum for var in opt.variables)


def test_one_cycle_style_callback_sets_lr_and_momentum_each_batch():
    class Cycle(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seen = []

        def on_train_begin(self, logs=None):
            K.set_value(self.model.optimizer.lr, 0.01)
            K.set_value(self.model.optimizer.momentum, 0.95)

        def on_batch_end(self, batch, logs=None):
            self.seen.append(float(K.get_value(self.model.optimizer.momentum)))
            K.set_value(self.model.optimizer.lr, 0.01 * (batch + 2))
            K.set_value(self.model.optimizer.momentum, 0.95 - 0.05 * (batch + 1))

    model = keras.Sequential([keras.layers.Dense(3, activation="relu"), keras.layers.Dense(1)])
    model.build((None, 4))
    model.set_weights(
        [np.full((4, 3), 0.1, "f"), np.zeros(3, "f"), np.full((3, 1), 0.2, "f"), np.zeros(1, "f")]
    )
    model.compile(legacy.SGD(0.1, momentum=0.9, nesterov=True), "mse")
    x = np.random.RandomState(0).randn(24, 4).astype("f")
    y = x.sum(1, keepdims=True)
    cb = Cycle()
    h = model.fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[cb], shuffle=False)
    np.testing.assert_allclose(cb.seen, [0.95, 0.9, 0.85], atol=1e-6)
    # tf_keras 2.21, same model, data and callback.
    np.testing.assert_allclose(h.history["loss"], [4.889925003051758], rtol=1e-5)
