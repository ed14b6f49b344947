"""Subclasses of the built-in Keras 2 optimizers that call `super()._resource_apply_dense`.

Pattern from bojone/bert4keras (bert4keras/optimizers.py): class factories
(`extend_with_lookahead_v2`, `extend_with_gradient_accumulation_v2`,
`extend_with_weight_decay_v2`) subclass a built-in OptimizerV2 (`keras.optimizers.legacy.Adam`),
add slots in `_create_slots` after `super()._create_slots(var_list)`, and override
`_resource_apply_dense(grad, var)` to call the parent's update, then read slots with Keras 2's
names (`get_slot(var, "m")`) and update `var` again. The classes below reproduce that pattern.

Expected numbers: the same script (4 `fit` steps of a Dense(2) model from fixed weights)
run with `TF_USE_LEGACY_KERAS=1` on tensorflow 2.21 / tf_keras 2.21 (`tf_keras.optimizers.
legacy.*`), rounded to 6 decimals.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
K = keras.backend
L = keras.optimizers.legacy


def with_lookahead(base):
    class Lookahead(base):
        def __init__(self, *args, k=2, alpha=0.5, **kwargs):
            super().__init__(*args, **kwargs)
            self.k, self.alpha = k, alpha

        def _create_slots(self, var_list):
            super()._create_slots(var_list)
            for var in var_list:
                self.add_slot(var, "slow")

        def _resource_apply_dense(self, grad, var):
            super()._resource_apply_dense(grad, var)
            slow = self.get_slot(var, "slow")
            sync = K.equal(self.iterations % self.k, 0)
            K.update(slow, tf.where(sync, slow + self.alpha * (var - slow), slow))
            return K.update(var, tf.where(sync, slow, var))

    return Lookahead


def with_decay(base):
    class Decayed(base):
        def __init__(self, *args, rate=0.1, **kwargs):
            super().__init__(*args, **kwargs)
            self.rate = rate

        def _resource_apply_dense(self, grad, var):
            super()._resource_apply_dense(grad, var)
            lr = self._decayed_lr(var.dtype.base_dtype)
            return K.update(var, var - lr * self.rate * var)

    return Decayed


def with_accumulation(base):
    class Accumulated(base):
        def __init__(self, *args, steps=2, **kwargs):
            super().__init__(*args, **kwargs)
            self.steps = steps

        def _create_slots(self, var_list):
            super()._create_slots(var_list)
            for var in var_list:
                self.add_slot(var, "acc")

        def _resource_apply_dense(self, grad, var):
            acc = self.get_slot(var, "acc")
            super()._resource_apply_dense(acc / self.steps, var)
            reset = K.equal(self.iterations % self.steps, 0)
            K.update(acc, tf.where(reset, tf.zeros_like(acc), acc))
            return K.update(acc, acc + grad)

    return Accumulated


def scaled(base):
    class Scaled(base):
        def _resource_apply_dense(self, grad, var):
            return super()._resource_apply_dense(2.0 * grad, var)

    return Scaled


CASES = {
    "lookahead_adam": (
        lambda: with_lookahead(L.Adam)(learning_rate=0.05, decay=0.1),
        ["m", "v", "slow"],
    ),
    "decay_lookahead_adam": (
        lambda: with_decay(with_lookahead(L.Adam))(learning_rate=0.05),
        ["m", "v", "slow"],
    ),
    "accum_adam": (lambda: with_accumulation(L.Adam)(learning_rate=0.05), ["m", "v", "acc"]),
    "sgd": (
        lambda: scaled(L.SGD)(learning_rate=0.1, momentum=0.9, nesterov=True),
        ["momentum"],
    ),
    "rmsprop": (lambda: scaled(L.RMSprop)(learning_rate=0.01, rho=0.8), ["rms"]),
    "rmsprop_centered": (
        lambda: scaled(L.RMSprop)(learning_rate=0.01, momentum=0.5, centered=True),
        ["rms", "momentum", "mg"],
    ),
    "adagrad": (lambda: scaled(L.Adagrad)(learning_rate=0.1), ["accumulator"]),
    "adadelta": (
        lambda: scaled(L.Adadelta)(learning_rate=1.0, rho=0.9),
        ["accum_grad", "accum_var"],
    ),
    "adamax": (lambda: scaled(L.Adamax)(learning_rate=0.05), ["m", "v"]),
    "nadam": (lambda: scaled(L.Nadam)(learning_rate=0.05), ["m", "v"]),
    "ftrl": (
        lambda: scaled(L.Ftrl)(learning_rate=0.1, l1_regularization_strength=0.01),
        ["accumulator", "linear"],
    ),
    "amsgrad": (lambda: scaled(L.Adam)(learning_rate=0.05, amsgrad=True), ["m", "v", "vhat"]),
}

EXPECTED = {
    "lookahead_adam": {
        "kernel": [-0.403353, -0.309559, -0.067082, -0.001481, 0.201858, 0.423922],
        "bias": [-0.415625, 0.394974],
        "m": [-0.317762, -0.040726, 0.013389, 0.113725, 0.186502, 0.094758],
        "v": [0.004667, 0.000558, 0.001542, 0.000514, 0.001525, 0.000985],
        "slow": [-0.436231, -0.321747, -0.064673, 0.033979, 0.235615, 0.445264],
    },
    # `with_lookahead(legacy.Adam)(learning_rate=0.05)`, no decay: the reference for the
    # same factory over `keras.optimizers.Adam` (OptimizerV2 in tf.keras < 2.11).
    "lookahead_adam_nodecay": {
        "kernel": [-0.388121, -0.305359, -0.066425, -0.017723, 0.186229, 0.413341],
    },
    "decay_lookahead_adam": {
        "kernel": [-0.38205, -0.301036, -0.065604, -0.018009, 0.183072, 0.407178],
        "bias": [-0.3971, 0.371382],
        "m": [-0.314066, -0.039969, 0.014298, 0.111625, 0.184601, 0.093155],
        "v": [0.004621, 0.000544, 0.001537, 0.0005, 0.001511, 0.00098],
        "slow": [-0.428564, -0.319893, -0.062897, 0.027908, 0.228777, 0.43876],
    },
    "accum_adam": {
        "kernel": [-0.879267, -0.619244, -0.08111, 0.08748, 0.478013, 0.875388],
        "bias": [-0.876109, 0.884126],
        "m": [-0.299935, -0.004001, -0.100926, 0.085432, 0.164122, 0.145336],
        "v": [0.004254, 0.000175, 0.000466, 0.000455, 0.001228, 0.000893],
        "acc": [-3.237952, -0.802706, -0.231003, 1.065695, 1.661569, 1.243317],
    },
    "sgd": {
        "kernel": [0.321703, 0.001638, -0.291183, -0.291521, -0.376844, 0.055121],
        "bias": [-0.03067, -0.368012],
        "momentum": [0.144896, 0.151377, -0.090944, -0.044639, -0.177624, -0.169256],
    },
    "rmsprop": {
        "kernel": [-0.933774, -0.590592, -0.184766, 0.133132, 0.535894, 0.945574],
        "bias": [-0.941863, 0.931894],
        "rms": [6.610062, 1.612733, 1.364666, 1.058559, 1.717568, 1.090688],
    },
    "rmsprop_centered": {
        "kernel": [-0.840472, -0.594402, -0.150713, 0.044271, 0.445814, 0.868665],
        "bias": [-0.860114, 0.837994],
        "rms": [3.60731, 0.879241, 0.791032, 0.507689, 0.942138, 0.63332],
        "momentum": [-0.041783, -0.023685, 0.003375, 0.04033, 0.039407, 0.028948],
        "mg": [-1.111776, -0.294171, -0.075159, 0.377264, 0.56648, 0.419758],
    },
    "adagrad": {
        "kernel": [-0.734629, -0.542839, -0.146128, -0.046136, 0.349371, 0.790416],
        "bias": [-0.773899, 0.727136],
        "accumulator": [37.258114, 9.833774, 9.34774, 4.457484, 9.646182, 7.054073],
    },
    "adadelta": {
        "kernel": [-0.99582, -0.59889, -0.199409, 0.195624, 0.596025, 0.996875],
        "bias": [-0.996576, 0.995586],
        "accum_grad": [4.082704, 0.916738, 0.838327, 0.685151, 1.090819, 0.705395],
        "accum_var": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    },
    "adamax": {
        "kernel": [-0.808497, -0.603107, -0.119457, 0.054559, 0.418754, 0.847961],
        "bias": [-0.840334, 0.841407],
        "m": [-1.08928, -0.303091, -0.058699, 0.371222, 0.553917, 0.410403],
        "v": [3.434633, 2.24991, 1.920386, 1.696844, 1.9163, 1.914071],
    },
    "nadam": {
        "kernel": [-0.837745, -0.569858, -0.160824, 0.039178, 0.443775, 0.867129],
        "bias": [-0.858286, 0.832786],
        "m": [-1.100744, -0.29674, -0.067569, 0.367692, 0.558052, 0.413343],
        "v": [0.041392, 0.009932, 0.009533, 0.005532, 0.010865, 0.007577],
    },
    "ftrl": {
        "kernel": [-0.649687, -0.33007, -0.123414, -0.108089, 0.265231, 0.653414],
        "bias": [-0.684535, 0.502419],
        "accumulator": [31.837946, 3.659651, 8.635698, 2.022839, 8.036457, 5.544662],
        "linear": [36.668648, 6.32432, 3.636722, 1.547311, -7.528932, -15.395998],
    },
    "amsgrad": {
        "kernel": [-0.800866, -0.58302, -0.113722, 0.015152, 0.402009, 0.815787],
        "bias": [-0.809477, 0.807116],
        "m": [-1.086654, -0.297058, -0.05616, 0.358982, 0.55073, 0.404664],
        "v": [0.040514, 0.009764, 0.009346, 0.005334, 0.010634, 0.007348],
        "vhat": [0.040514, 0.009764, 0.009346, 0.005334, 0.010634, 0.007348],
    },
}


def _data():
    rng = np.random.RandomState(0)
    return rng.randn(16, 3).astype("float32"), rng.randn(16, 2).astype("float32")


def _model():
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    model.set_weights(
        [np.linspace(-1, 1, w.size).reshape(w.shape).astype("float32") for w in model.get_weights()]
    )
    return model


@pytest.mark.parametrize("case", sorted(CASES))
def test_super_resource_apply_dense_matches_tf_keras(case):
    make, slots = CASES[case]
    x, y = _data()
    model = _model()
    optimizer = make()
    model.compile(optimizer, "mse")
    model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    expected = EXPECTED[case]
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(kernel.ravel(), expected["kernel"], atol=2e-5)
    np.testing.assert_allclose(bias, expected["bias"], atol=2e-5)
    for slot in slots:
        value = np.asarray(optimizer.get_slot(model.layers[0].kernel, slot)).ravel()
        np.testing.assert_allclose(value, expected[slot], atol=2e-5, err_msg=slot)


def test_subclass_keeps_the_builtin_name_and_config():
    # tf_keras: name 'Adam', floats for beta_1/beta_2 (not their variables), decay kept.
    class MyAdam(L.Adam):
        def _resource_apply_dense(self, grad, var):
            return super()._resource_apply_dense(grad, var)

    optimizer = MyAdam(learning_rate=0.05, decay=0.1, beta_1=0.8)
    config = optimizer.get_config()
    assert config["name"] == "Adam"
    assert config["beta_1"] == 0.8 and config["beta_2"] == 0.999
    assert config["decay"] == pytest.approx(0.1)
    assert MyAdam.from_config(config).get_config() == config


def test_plain_subclass_config_holds_floats():
    # Without any override too: a subclass of legacy.SGD/Adam gave Variables in its config.
    class MySGD(L.SGD):
        pass

    config = MySGD(learning_rate=0.1, momentum=0.9).get_config()
    assert config["momentum"] == 0.9 and config["name"] == "SGD"


def test_new_keras_optimizer_base_also_works():
    # bert4keras with tf.keras < 2.11 subclasses `keras.optimizers.Adam` (then OptimizerV2).
    optimizer = with_lookahead(keras.optimizers.Adam)(learning_rate=0.05)
    model = _model()
    x, y = _data()
    model.compile(optimizer, "mse")
    model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    np.testing.assert_allclose(
        model.get_weights()[0].ravel(), EXPECTED["lookahead_adam_nodecay"]["kernel"], atol=2e-5
    )


def test_resource_apply_sparse_sums_rows_into_a_dense_update():
    # OptimizerV2's sparse update with repeated indices equals the dense one with the rows
    # summed; SGD without momentum: var -= lr * dense_grad.
    var = tf.Variable(np.ones((3, 2), "float32"))

    class Plain(L.SGD):
        def _resource_apply_dense(self, grad, var):
            return super()._resource_apply_dense(grad, var)

    optimizer = Plain(learning_rate=0.5)
    optimizer.build([var])
    grad = np.array([[1.0, 2.0], [3.0, 4.0]], "float32")
    optimizer._resource_apply_sparse(grad, var, np.array([2, 2]))
    np.testing.assert_allclose(var.numpy(), [[1, 1], [1, 1], [-1, -2]])


def test_abstract_base_has_no_rule_to_call():
    class NoRule(keras.optimizers.Optimizer):
        def __init__(self, name="NoRule", **kwargs):
            super().__init__(name, **kwargs)

        def _resource_apply_dense(self, grad, var):
            return super()._resource_apply_dense(grad, var)

    var = tf.Variable(1.0)
    with pytest.raises(NotImplementedError, match="`Optimizer` has no update rule"):
        NoRule().apply_gradients([(tf.constant(1.0), var)])


def test_untracked_variable_and_wrong_shape_are_named():
    class Plain(L.SGD):
        def _resource_apply_dense(self, grad, var):
            return super()._resource_apply_dense(grad, var)

    optimizer = Plain(learning_rate=0.5)
    var = tf.Variable(np.ones((2,), "float32"), name="w")
    optimizer.build([var])
    with pytest.raises(ValueError, match="not one it was built with"):
        optimizer._resource_apply_dense(np.ones(2, "float32"), tf.Variable([1.0, 2.0]))
    with pytest.raises(ValueError, match=r"has shape \(3,\), but the variable has shape \(2,\)"):
        optimizer._resource_apply_dense(np.ones(3, "float32"), var)


def test_get_slot_unknown_name_lists_slots():
    class Plain(L.Adam):
        def _resource_apply_dense(self, grad, var):
            return super()._resource_apply_dense(grad, var)

    optimizer = Plain()
    var = tf.Variable([1.0])
    optimizer.build([var])
    with pytest.raises(KeyError, match="no slot 'mg'"):
        optimizer.get_slot(var, "mg")


def _fit_first_kernel(optimizer):
    rng = np.random.RandomState(0)
    x, y = rng.randn(16, 3).astype("float32"), rng.randn(16, 2).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.set_weights(
        [np.linspace(-1, 1, w.size).reshape(w.shape).astype("float32") for w in model.get_weights()]
    )
    model.compile(optimizer, "mse")
    model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    return model.get_weights()[0].ravel()


# Keras 3.x (reference env, TF backend) and tf_keras 2.21 both give these kernels.
_DOUBLED_ADAM = [-0.782627, -0.57094, -0.110984, 0.012622, 0.391701, 0.797664]


def test_super_update_step_keras3_form():
    class Doubled(keras.optimizers.Adam):
        def update_step(self, gradient, variable, learning_rate):
            super().update_step(2.0 * gradient, variable, learning_rate)

    class HalfRate(keras.optimizers.SGD):
        def update_step(self, gradient, variable, learning_rate):
            super().update_step(gradient, variable, 0.5 * learning_rate)

    kernel = _fit_first_kernel(Doubled(learning_rate=0.05, weight_decay=0.1))
    np.testing.assert_allclose(kernel, _DOUBLED_ADAM, atol=2e-5)
    # Keras 3.x: the rate passed to the parent's update_step is the one it uses.
    kernel = _fit_first_kernel(HalfRate(learning_rate=0.1, momentum=0.9))
    np.testing.assert_allclose(
        kernel, [-0.326154, -0.492263, -0.082417, -0.034663, 0.230058, 0.696876], atol=2e-5
    )


def test_super_update_step_keras2_form():
    class Doubled(keras.optimizers.Adam):
        def update_step(self, gradient, variable):
            super().update_step(2.0 * gradient, variable)

    kernel = _fit_first_kernel(Doubled(learning_rate=0.05, weight_decay=0.1))
    np.testing.assert_allclose(kernel, _DOUBLED_ADAM, atol=2e-5)


def test_abstract_update_step_says_what_to_implement():
    class NoRule(keras.optimizers.Optimizer):
        def update_step(self, gradient, variable, learning_rate):
            super().update_step(gradient, variable, learning_rate)

    var = tf.Variable(1.0)
    with pytest.raises(NotImplementedError, match="must implement `update_step"):
        NoRule(learning_rate=0.1).apply_gradients([(tf.constant(1.0), var)])


def test_subclass_reads_builtin_hypers_and_apply_state():
    # A subclass of legacy.Adam writing its own update with the built-in's hyperparameters
    # (`_get_hyper`), slots and `apply_state["lr_t"]`, as tf_keras's own optimizers do.
    # tf_keras 2.21 gives this kernel and serializes beta_1 as 0.8.
    class OwnAdamW(L.Adam):
        def _resource_apply_dense(self, grad, var, apply_state=None):
            var_device, var_dtype = var.device, var.dtype.base_dtype
            coefficients = (apply_state or {}).get(
                (var_device, var_dtype)
            ) or self._fallback_apply_state(var_device, var_dtype)
            lr = coefficients["lr_t"]
            beta_1 = self._get_hyper("beta_1", var_dtype)
            beta_2 = self._get_hyper("beta_2", var_dtype)
            t = K.cast(self.iterations + 1, var_dtype)
            m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
            m_t = K.update(m, beta_1 * m + (1 - beta_1) * grad)
            v_t = K.update(v, beta_2 * v + (1 - beta_2) * grad * grad)
            m_hat, v_hat = m_t / (1 - beta_1**t), v_t / (1 - beta_2**t)
            step = m_hat / (K.sqrt(v_hat) + self.epsilon) + 0.1 * var
            return K.update(var, var - lr * step)

    optimizer = OwnAdamW(learning_rate=0.05, beta_1=0.8, decay=0.2)
    x, y = _data()
    model = _model()
    model.compile(optimizer, "mse")
    model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    np.testing.assert_allclose(
        model.get_weights()[0].ravel(),
        [-0.827449, -0.588344, -0.125297, 0.048849, 0.435088, 0.840035],
        atol=2e-5,
    )
    assert optimizer._serialize_hyperparameter("beta_1") == 0.8
    assert float(optimizer._get_hyper("decay")) == pytest.approx(0.2)
    with pytest.raises(AttributeError, match="no hyperparameter 'rho'"):
        optimizer._get_hyper("rho")
