"""User-written optimizers in the Keras 2 styles (OptimizerV2 and 2.11+) and Keras 3 style.

Expected weights come from tf_keras 2.21 (Keras 2) running the same code
(`keras.optimizers.legacy.Optimizer` for the OptimizerV2 style), or from NumPy.
"""

import copy
import pickle

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras

X = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [-1.0, 1.0, 1.0], [0.0, 2.0, -1.5]], "float32")
Y = np.array([[1.0], [-1.0], [0.5], [2.0]], "float32")
K = np.array([[0.2], [-0.4], [0.3]], "float32")
B = np.array([0.1], "float32")


def _fit(optimizer):
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(3,))])
    model.set_weights([K, B])
    model.compile(loss="mse", optimizer=optimizer)
    model.fit(X, Y, batch_size=2, epochs=2, shuffle=False, verbose=0)
    return model.get_weights()


def _check(weights, expected):
    for w, e in zip(weights, expected):
        np.testing.assert_allclose(w.ravel(), e, atol=1e-6)


def _v2_class(base):
    # Hands-On ML 2nd ed., ch. 12, verbatim apart from the base class.
    class MyMomentumOptimizer(base):
        def __init__(self, learning_rate=0.001, momentum=0.9, name="MyMomentumOptimizer", **kwargs):
            super().__init__(name, **kwargs)
            self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
            self._set_hyper("decay", self._initial_decay)
            self._set_hyper("momentum", momentum)

        def _create_slots(self, var_list):
            for var in var_list:
                self.add_slot(var, "momentum")

        @tf.function
        def _resource_apply_dense(self, grad, var):
            var_dtype = var.dtype.base_dtype
            lr_t = self._decayed_lr(var_dtype)
            momentum_var = self.get_slot(var, "momentum")
            momentum_hyper = self._get_hyper("momentum", var_dtype)
            momentum_var.assign(momentum_var * momentum_hyper - (1.0 - momentum_hyper) * grad)
            var.assign_add(momentum_var * lr_t)

        def _resource_apply_sparse(self, grad, var):
            raise NotImplementedError

        def get_config(self):
            base_config = super().get_config()
            return {
                **base_config,
                "learning_rate": self._serialize_hyperparameter("learning_rate"),
                "decay": self._serialize_hyperparameter("decay"),
                "momentum": self._serialize_hyperparameter("momentum"),
            }

    return MyMomentumOptimizer


V2Momentum = _v2_class(keras.optimizers.Optimizer)
V2Momentum.__qualname__ = "V2Momentum"  # picklable by name


class K2Momentum(keras.optimizers.Optimizer):
    # Hands-On ML 3rd ed. (Keras 2.11+ optimizer API).
    def __init__(self, learning_rate=0.001, momentum=0.9, name="MyMomentumOptimizer", **kwargs):
        super().__init__(name=name, **kwargs)
        self._learning_rate = self._build_learning_rate(learning_rate)
        self.momentum = momentum

    def build(self, var_list):
        super().build(var_list)
        if hasattr(self, "_built") and self._built:
            return
        self.momentums = [
            self.add_variable_from_reference(model_variable=var, variable_name="m")
            for var in var_list
        ]
        self._built = True

    def update_step(self, gradient, variable):
        lr = tf.cast(self.learning_rate, variable.dtype)
        m = self.momentums[self._index_dict[self._var_key(variable)]]
        m.assign(self.momentum * m - (1 - self.momentum) * gradient)
        variable.assign_add(m * lr)

    def get_config(self):
        base_config = super().get_config()
        return {
            **base_config,
            "learning_rate": self._serialize_hyperparameter(self._learning_rate),
            "momentum": self.momentum,
        }


# -- OptimizerV2 style ------------------------------------------------------------------------


@pytest.mark.parametrize("base", ["Optimizer", "legacy.Optimizer"])
def test_v2_style_fit_matches_tf_keras(base):
    cls = _v2_class(
        keras.optimizers.Optimizer if base == "Optimizer" else keras.optimizers.legacy.Optimizer
    )
    opt = cls(learning_rate=0.1, momentum=0.8, decay=0.1)
    assert opt.name == "MyMomentumOptimizer"
    weights = _fit(opt)
    # tf_keras 2.21, keras.optimizers.legacy.Optimizer
    _check(
        weights,
        [[0.020310107618570328, -0.03903505206108093, 0.10922118276357651], [0.2033737450838089]],
    )
    assert int(opt.iterations) == 4
    assert float(opt.momentum) == pytest.approx(0.8)
    assert float(opt.learning_rate) == pytest.approx(0.1)


def test_v2_style_clipping_value_then_norm():
    opt = _v2_class(keras.optimizers.Optimizer)(learning_rate=0.1, clipvalue=0.3, clipnorm=0.4)
    # tf_keras 2.21: clipvalue first, then clipnorm.
    _check(
        _fit(opt),
        [[0.17541512846946716, -0.39613327383995056, 0.3008345067501068], [0.09511299431324005]],
    )


def test_v2_style_apply_gradients_numpy():
    cls = _v2_class(keras.optimizers.Optimizer)
    v = tf.Variable([1.0, -2.0])
    opt = cls(0.5, momentum=0.5, decay=1.0)
    g = np.array([0.4, 1.0], "float32")
    m, expected = np.zeros(2), np.array([1.0, -2.0])
    for step in range(3):
        opt.apply_gradients([(tf.constant(g), v)])
        m = m * 0.5 - 0.5 * g
        expected = expected + m * 0.5 / (1.0 + 1.0 * step)
    np.testing.assert_allclose(v.numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(opt.get_slot(v, "momentum").numpy(), m, rtol=1e-6)
    assert opt.get_slot_names() == ["momentum"]


def test_v2_style_config_round_trip_and_copies():
    cls = V2Momentum
    opt = cls(learning_rate=0.05, momentum=0.8, decay=0.1, clipnorm=1.0)
    config = opt.get_config()
    # tf_keras: the name, the clipping that is set, then the subclass's hyperparameters.
    assert config == {
        "name": "MyMomentumOptimizer",
        "clipnorm": 1.0,
        "learning_rate": 0.05,
        "decay": 0.1,
        "momentum": 0.8,
    }
    clone = cls.from_config(config)
    assert type(clone) is cls and clone.get_config() == config
    v = tf.Variable([1.0])
    opt.apply_gradients([(tf.constant([1.0]), v)])
    for other in (copy.deepcopy(opt), pickle.loads(pickle.dumps(opt))):
        assert other.get_config() == config
        np.testing.assert_allclose(other.variables[-1].numpy(), [-0.2], rtol=1e-6)


def test_v2_style_hyper_attributes_and_apply_state():
    class PrepSGD(keras.optimizers.Optimizer):
        def __init__(self, learning_rate=0.01, momentum=0.5, name="PrepSGD", **kwargs):
            super().__init__(name, **kwargs)
            self._set_hyper("learning_rate", learning_rate)
            self._set_hyper("momentum", momentum)

        def _create_slots(self, var_list):
            for v in var_list:
                self.add_slot(v, "m", initializer="ones")

        def _prepare_local(self, var_device, var_dtype, apply_state):
            super()._prepare_local(var_device, var_dtype, apply_state)
            apply_state[(var_device, var_dtype)]["mom"] = tf.identity(
                self._get_hyper("momentum", var_dtype)
            )

        def _resource_apply_dense(self, grad, var, apply_state=None):
            var_device, var_dtype = var.device, var.dtype.base_dtype
            coef = (apply_state or {}).get((var_device, var_dtype)) or self._fallback_apply_state(
                var_device, var_dtype
            )
            m = self.get_slot(var, "m")
            m.assign(coef["mom"] * m + grad)
            return var.assign_sub(coef["lr_t"] * m)

    v = tf.Variable([1.0, 2.0])
    opt = PrepSGD(0.1, clipvalue=0.5)
    opt.apply_gradients([(tf.constant([1.0, -2.0]), v)])  # clipped to [0.5, -0.5]
    opt.apply_gradients([(tf.constant([0.3, 0.1]), v)])
    # m: 1 -> 0.5 + 0.5 = 1.0, -> 0.5 + 0.3 = 0.8; 1 -> 0.5 - 0.5 = 0, -> 0 + 0.1 = 0.1
    np.testing.assert_allclose(v.numpy(), [1.0 - 0.1 - 0.08, 2.0 - 0.0 - 0.01], rtol=1e-6)
    np.testing.assert_allclose(opt.get_slot(v, "m").numpy(), [0.8, 0.1], rtol=1e-6)
    opt.momentum = 0.0  # sets the hyperparameter, as in OptimizerV2
    assert float(opt._get_hyper("momentum")) == 0.0
    opt.apply_gradients([(tf.constant([1.0, 1.0]), v)])
    # gradients clipped to 0.5, m = 0 * m + 0.5: v -= 0.1 * 0.5 (tf_keras: [0.77, 1.94])
    np.testing.assert_allclose(v.numpy(), [0.77, 1.94], rtol=1e-6)
    with pytest.raises(AttributeError, match="has no hyperparameter 'beta'"):
        opt._get_hyper("beta")
    with pytest.raises(AttributeError, match="'PrepSGD' object has no attribute 'beta'"):
        opt.beta  # noqa: B018


def test_base_dtype_is_the_dtype():
    _v2_class(keras.optimizers.Optimizer)  # defining an OptimizerV2-style class provides it
    assert torch.float32.base_dtype is torch.float32
    assert tf.Variable([1.0]).dtype.base_dtype == tf.float32


def test_builtin_optimizer_still_rejects_string_learning_rate():
    with pytest.raises(ValueError, match="Argument `learning_rate` should be a float"):
        keras.optimizers.SGD("fast")


# -- Keras 2.11+ style ----------------------------------------------------------------------


def test_keras2_update_step_fit_matches_tf_keras():
    opt = K2Momentum(learning_rate=0.1, momentum=0.8)
    # tf_keras 2.21 (run_eagerly=True)
    _check(
        _fit(opt),
        [[-0.008312899619340897, 0.03031712770462036, 0.07311631739139557], [0.22839507460594177]],
    )
    assert [tuple(m.shape) for m in opt.momentums] == [(3, 1), (1,)]


def test_keras2_update_step_with_schedule():
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)
    opt = K2Momentum(schedule)
    _check(
        _fit(opt),
        [[0.13169993460178375, -0.2793627083301544, 0.2352614402770996], [0.12719988822937012]],
    )
    assert opt.get_config()["learning_rate"]["class_name"] == "ExponentialDecay"


def test_keras2_config_round_trip_and_defaults():
    opt = K2Momentum(momentum=0.7)
    assert opt.name == "MyMomentumOptimizer"
    assert float(opt.learning_rate) == pytest.approx(0.001)
    config = opt.get_config()
    assert config["learning_rate"] == pytest.approx(0.001) and config["momentum"] == 0.7
    clone = K2Momentum.from_config(config)
    assert clone.get_config() == config


def test_add_variable_from_reference_keywords():
    opt = keras.optimizers.SGD()
    v = tf.Variable([[1.0, 2.0]])
    a = opt.add_variable_from_reference(model_variable=v, variable_name="m")
    b = opt.add_variable_from_reference(v, "n", initial_value=tf.constant([[3.0, 4.0]]))
    c = opt.add_variable_from_reference(reference_variable=v, name="o", initializer="ones")
    np.testing.assert_array_equal(a.numpy(), [[0.0, 0.0]])
    np.testing.assert_array_equal(b.numpy(), [[3.0, 4.0]])
    np.testing.assert_array_equal(c.numpy(), [[1.0, 1.0]])
    with pytest.raises(TypeError, match="pass `reference_variable` \\(Keras 3\\) or `model_var"):
        opt.add_variable_from_reference(name="x")


# -- Keras 3 style ------------------------------------------------------------------------------


def test_keras3_update_step_with_keyword_reference():
    class K3Momentum(keras.optimizers.Optimizer):
        def __init__(self, learning_rate=0.1, momentum=0.5, **kwargs):
            super().__init__(learning_rate=learning_rate, **kwargs)
            self.momentum = momentum

        def build(self, var_list):
            if self.built:
                return
            super().build(var_list)
            self.ms = [
                self.add_variable_from_reference(reference_variable=v, name="m") for v in var_list
            ]

        def update_step(self, gradient, variable, learning_rate):
            m = self.ms[self._get_variable_index(variable)]
            self.assign(m, self.momentum * m + gradient)
            self.assign_sub(variable, learning_rate * m)

    v = tf.Variable([1.0, 2.0])
    opt = K3Momentum()
    m, expected = np.zeros(2), np.array([1.0, 2.0])
    for g in ([1.0, -1.0], [0.5, 2.0]):
        opt.apply_gradients([(tf.constant(g), v)])
        m = 0.5 * m + np.array(g)
        expected = expected - 0.1 * m
    np.testing.assert_allclose(v.numpy(), expected, rtol=1e-6)


def test_update_step_with_defaulted_learning_rate_gets_it():
    class Plain(keras.optimizers.Optimizer):
        def update_step(self, gradient, variable, learning_rate=None):
            self.assign_sub(variable, learning_rate * gradient)

    v = tf.Variable([1.0])
    Plain(learning_rate=0.5).apply_gradients([(tf.constant([2.0]), v)])
    np.testing.assert_allclose(v.numpy(), [0.0])


def test_v2_style_decay_hyper_unused_without_initial_decay():
    # OptimizerV2 decays the rate only when created with decay > 0.
    opt = V2Momentum(learning_rate=0.5, momentum=0.0)
    opt.decay = 1.0
    v = tf.Variable([0.0])
    for _ in range(2):
        opt.apply_gradients([(tf.constant([1.0]), v)])
    np.testing.assert_allclose(v.numpy(), [-1.0], rtol=1e-6)
