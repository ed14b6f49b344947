"""Reduced copies of TF Addons' NovoGrad and ProximalAdagrad (tensorflow_addons/optimizers),
OptimizerV2 subclasses that update through `training_ops` / `tf.raw_ops` kernels (rawops sweep).
"""

import numpy as np
from tork.python.training import training_ops

import tork as tf

Optimizer = tf.keras.optimizers.legacy.Optimizer


class NovoGrad(Optimizer):
    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 weight_decay=0.0, grad_averaging=False, name="NovoGrad", **kwargs):  # fmt: skip
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("decay", self._initial_decay)
        self._set_hyper("beta_1", beta_1)
        self._set_hyper("beta_2", beta_2)
        self._set_hyper("weight_decay", weight_decay)
        self._set_hyper("grad_averaging", grad_averaging)
        self.epsilon = epsilon or tf.keras.backend.epsilon()

    def _create_slots(self, var_list):
        for var in var_list:
            self.add_slot(var=var, slot_name="m", initializer="zeros")
        for var in var_list:
            self.add_slot(var=var, slot_name="v", initializer=tf.zeros(shape=[], dtype=var.dtype))

    def _prepare_local(self, var_device, var_dtype, apply_state):
        super()._prepare_local(var_device, var_dtype, apply_state)
        beta_1_t = tf.identity(self._get_hyper("beta_1", var_dtype))
        beta_2_t = tf.identity(self._get_hyper("beta_2", var_dtype))
        apply_state[(var_device, var_dtype)].update(
            dict(
                epsilon=tf.convert_to_tensor(self.epsilon, var_dtype),
                beta_1_t=beta_1_t,
                beta_2_t=beta_2_t,
                one_minus_beta_2_t=1 - beta_2_t,
                one_minus_beta_1_t=1 - beta_1_t,
            )
        )

    def _resource_apply_dense(self, grad, var, apply_state=None):
        var_device, var_dtype = var.device, var.dtype.base_dtype
        coefficients = (apply_state or {}).get(
            (var_device, var_dtype)
        ) or self._fallback_apply_state(var_device, var_dtype)
        weight_decay = self._get_hyper("weight_decay")
        grad_averaging = self._get_hyper("grad_averaging")
        v = self.get_slot(var, "v")
        g_2 = tf.reduce_sum(tf.square(tf.cast(grad, tf.float32)))
        v_t = tf.cond(
            tf.equal(self.iterations, 0),
            lambda: g_2,
            lambda: v * coefficients["beta_2_t"] + g_2 * coefficients["one_minus_beta_2_t"],
        )
        v_t = v.assign(v_t, use_locking=self._use_locking)
        grad = grad / (tf.sqrt(v_t) + self.epsilon)
        grad = tf.cond(tf.greater(weight_decay, 0), lambda: grad + weight_decay * var, lambda: grad)
        grad = tf.cond(
            tf.logical_and(grad_averaging, tf.not_equal(self.iterations, 0)),
            lambda: grad * coefficients["one_minus_beta_1_t"],
            lambda: grad,
        )
        m = self.get_slot(var, "m")
        return training_ops.resource_apply_keras_momentum(
            var.handle,
            m.handle,
            coefficients["lr_t"],
            grad,
            coefficients["beta_1_t"],
            use_locking=self._use_locking,
            use_nesterov=False,
        )


class ProximalAdagrad(Optimizer):
    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, l1=0.0, l2=0.0,
                 name="ProximalAdagrad", **kwargs):  # fmt: skip
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("l1", l1)
        self._set_hyper("l2", l2)
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list):
        for var in var_list:
            init = tf.keras.initializers.constant(self._initial_accumulator_value)
            self.add_slot(var, "accumulator", init)

    def _prepare_local(self, var_device, var_dtype, apply_state):
        super()._prepare_local(var_device, var_dtype, apply_state)
        apply_state[(var_device, var_dtype)].update(
            {
                "l1": tf.identity(self._get_hyper("l1", var_dtype)),
                "l2": tf.identity(self._get_hyper("l2", var_dtype)),
            }
        )

    def _resource_apply_dense(self, grad, var, apply_state=None):
        var_device, var_dtype = var.device, var.dtype.base_dtype
        coefficients = (apply_state or {}).get(
            (var_device, var_dtype)
        ) or self._fallback_apply_state(var_device, var_dtype)
        acc = self.get_slot(var, "accumulator")
        return tf.raw_ops.ResourceApplyProximalAdagrad(
            var=var.handle,
            accum=acc.handle,
            lr=coefficients["lr_t"],
            l1=coefficients["l1"],
            l2=coefficients["l2"],
            grad=grad,
            use_locking=self._use_locking,
        )


def _three_steps(optimizer):
    inputs = tf.keras.Input((3,))
    hidden = tf.keras.layers.Dense(2, name="d1")(inputs)
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(1, name="d2")(hidden))
    rng = np.random.RandomState(0)
    model.set_weights([rng.randn(*w.shape).astype("float32") for w in model.get_weights()])
    x = np.array([[0.5, 1, -1], [3, 0.25, 0]], "float32")
    y = np.array([[1.0], [-1.0]], "float32")
    for _ in range(3):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x) - y))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return [w.reshape(-1) for w in model.get_weights()]


def _check(got, expected):
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-4, atol=1e-5)


def test_novograd_scalar_slot_and_keras_momentum_kernel_match_tf():
    # The same script under TF_USE_LEGACY_KERAS=1 with TensorFlow 2.21 (/tmp/tfenv).
    got = _three_steps(NovoGrad(0.1, weight_decay=0.01, grad_averaging=True))
    _check(
        got,
        [
            [1.821157, 0.1436426, 0.9870898, 2.187054, 1.855603, -0.9473816],
            [1.010315, -0.4109567],
            [-0.3522021, 0.3099051],
            [-0.1236662],
        ],
    )


def test_proximal_adagrad_raw_op_matches_tf():
    # The same script under TF_USE_LEGACY_KERAS=1 with TensorFlow 2.21 (/tmp/tfenv).
    got = _three_steps(ProximalAdagrad(0.1, l1=0.01, l2=0.02))
    _check(
        got,
        [
            [1.821924, 0.2938833, 0.9513296, 2.163597, 1.835751, -0.9423258],
            [0.9559687, -0.2235787],
            [-0.2100943, 0.3405622],
            [0.05935304],
        ],
    )
