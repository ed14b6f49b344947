"""Keras 2 OptimizerV2 subclasses written as CyberZHG's keras-radam and
keras-gradient-accumulation write them: `state_ops.assign(..., use_locking=self._use_locking)`
(`tf.compat.v1.assign`/`assign_add`/`assign_sub`), `tf.group` of the updates, and a
`get_config` of their own hyperparameters; trained, saved to .h5 and reloaded.

Reference numbers: the same script run with tf_keras 2.21 (TF_USE_LEGACY_KERAS=1).
"""

import json

import numpy as np
import pytest

import tork as tf

keras = tf.keras


class DecayedMomentum(keras.optimizers.legacy.Optimizer):
    """Momentum with L2 decay and a per-weight step count as a second slot."""

    def __init__(
        self, learning_rate=0.1, momentum=0.5, weight_decay=0.0, name="DecayedMomentum", **kwargs
    ):
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", learning_rate)
        self._set_hyper("momentum", momentum)
        self._set_hyper("weight_decay", weight_decay)

    def _create_slots(self, var_list):
        for var in var_list:
            self.add_slot(var, "m")
        for var in var_list:
            self.add_slot(var, "steps")

    def _resource_apply_dense(self, grad, var):
        dtype = var.dtype.base_dtype
        m = self.get_slot(var, "m")
        grad = grad + self._get_hyper("weight_decay", dtype) * var
        m_t = tf.compat.v1.assign(
            m, self._get_hyper("momentum", dtype) * m + grad, use_locking=self._use_locking
        )
        count = tf.compat.v1.assign_add(self.get_slot(var, "steps"), tf.ones_like(var))
        update = tf.compat.v1.assign_sub(
            var, self._decayed_lr(dtype) * m_t / count, use_locking=self._use_locking
        )
        return tf.group(update, m_t, count)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "learning_rate": self._serialize_hyperparameter("learning_rate"),
                "momentum": self._serialize_hyperparameter("momentum"),
                "weight_decay": self._serialize_hyperparameter("weight_decay"),
            }
        )
        return config


_X = np.array([[1.0, 2.0], [0.5, -1.0], [-1.5, 0.25], [2.0, 1.0]], "float32")
_Y = np.array([[1.0], [0.0], [-1.0], [2.0]], "float32")


def _trained_model():
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,), name="d")])
    model.set_weights([np.array([[0.5], [-0.25]], "float32"), np.array([0.1], "float32")])
    model.compile(DecayedMomentum(learning_rate=0.1, momentum=0.5, weight_decay=0.01), loss="mse")
    history = model.fit(_X, _Y, batch_size=2, epochs=2, shuffle=False, verbose=0)
    return model, history


def test_use_locking_assign_and_group_train_as_tf_keras():
    model, history = _trained_model()
    # tf_keras 2.21: losses [0.45799, 0.070946], kernel [0.733796, 0.153543], bias [0.160362].
    np.testing.assert_allclose(history.history["loss"], [0.45799, 0.070946], atol=1e-5)
    np.testing.assert_allclose(model.get_weights()[0].ravel(), [0.733796, 0.153543], atol=1e-5)
    np.testing.assert_allclose(model.get_weights()[1], [0.160362], atol=1e-5)
    assert model.optimizer._use_locking is True


def test_h5_keeps_the_optimizer_v2_subclass_as_tf_keras_writes_it(tmp_path):
    h5py = pytest.importorskip("h5py")
    model, _ = _trained_model()
    path = str(tmp_path / "model.h5")
    model.save(path)
    with h5py.File(path) as f:
        optimizer = json.loads(f.attrs["training_config"])["optimizer_config"]
        names = [
            n.decode() if isinstance(n, bytes) else n
            for n in f["optimizer_weights"].attrs["weight_names"]
        ]
    # tf_keras: the class name unprefixed (no `Custom>`), the subclass's own config as
    # get_config returns it (its `weight_decay` kept), legacy slot names, slot by slot.
    assert optimizer["class_name"] == "DecayedMomentum"
    assert optimizer["config"] == pytest.approx(
        {"name": "DecayedMomentum", "learning_rate": 0.1, "momentum": 0.5, "weight_decay": 0.01}
    )
    assert names == [
        "DecayedMomentum/iter:0",
        "DecayedMomentum/d/kernel/m:0",
        "DecayedMomentum/d/bias/m:0",
        "DecayedMomentum/d/kernel/steps:0",
        "DecayedMomentum/d/bias/steps:0",
    ]


def test_h5_reload_continues_training_with_the_saved_slots(tmp_path):
    model, _ = _trained_model()
    path = str(tmp_path / "model.h5")
    model.save(path)
    loaded = keras.models.load_model(path, custom_objects={"DecayedMomentum": DecayedMomentum})
    assert isinstance(loaded.optimizer, DecayedMomentum)
    assert int(loaded.optimizer.iterations.numpy()) == 4
    history = loaded.fit(_X, _Y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    # tf_keras 2.21, the reloaded model's third epoch: 0.05782.
    np.testing.assert_allclose(history.history["loss"], [0.05782], atol=1e-5)


class DecoupledSGD(keras.optimizers.legacy.Optimizer):
    """keras_rectified_adam's style: `weight_decay` kept as a plain attribute and applied by
    the update itself (`var - lr * (grad + weight_decay * var)`)."""

    def __init__(self, learning_rate=0.05, weight_decay=0.0, name="DecoupledSGD", **kwargs):
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", learning_rate)
        self.weight_decay = weight_decay

    def _resource_apply_dense(self, grad, var):
        lr = self._decayed_lr(var.dtype.base_dtype)
        return tf.compat.v1.assign_sub(var, lr * (grad + self.weight_decay * var))


def test_optimizer_v2_weight_decay_attribute_is_applied_once():
    # tork's decoupled weight decay (Keras 2.11+ optimizers) must not decay an OptimizerV2
    # subclass's variables a second time. By hand: 1 - 0.05 * (0.5 + 0.01 * 1) = 0.9745,
    # -2 - 0.05 * (0.25 + 0.01 * -2) = -2.0115 (RectifiedAdam's first step in tf_keras
    # gives the same numbers).
    var = tf.Variable([1.0, -2.0])
    optimizer = DecoupledSGD(learning_rate=0.05, weight_decay=0.01)
    optimizer.apply_gradients([(tf.constant([0.5, 0.25]), var)])
    np.testing.assert_allclose(var.numpy(), [0.9745, -2.0115], rtol=1e-6)


def test_optimizer_v2_private_name():
    # tf_keras 2.21: keras.optimizers.legacy.Adam()._name == 'Adam' (keras-rl reads it).
    optimizer = keras.optimizers.legacy.Adam()
    assert optimizer._name == "Adam"
    optimizer._name = "Renamed"
    assert optimizer.name == "Renamed"
    assert DecoupledSGD()._name == "DecoupledSGD"
