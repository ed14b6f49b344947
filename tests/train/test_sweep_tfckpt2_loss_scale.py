"""LossScaleOptimizer in TensorFlow's checkpoints, both directions.

tf_keras's LossScaleOptimizer delegates its checkpoint dependencies to the inner
optimizer: the wrapper's node holds the inner optimizer's `_iterations`, `_variables`
(or the legacy `iter` and slot variables) and, with a dynamic scale,
`loss_scale/current_loss_scale` and `loss_scale/good_steps`. The checkpoints in
tests/train/data/tf_loss_scale were written by TensorFlow 2.21 / tf_keras 2.21
(`make_tf_checkpoints.py loss_scale`); the "next" values below are what TensorFlow
printed after one more step from the saved state.
"""

import os

import numpy as np
import pytest

import tork as tf

keras = tf.keras
DATA = os.path.join(os.path.dirname(__file__), "data", "tf_loss_scale")
X = np.linspace(-1, 1, 24, dtype=np.float32).reshape(8, 3)
Y = np.linspace(0, 1, 16, dtype=np.float32).reshape(8, 2)

# TensorFlow's keys for `Checkpoint(v=, optimizer=LossScaleOptimizer(Adam))` (explicit)
# and with a legacy Adam inside.
TF_KEYS = {
    "explicit": {
        "_CHECKPOINTABLE_OBJECT_GRAPH",
        "optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/_learning_rate/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/_variables/1/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/_variables/2/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/loss_scale/current_loss_scale/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/loss_scale/good_steps/.ATTRIBUTES/VARIABLE_VALUE",
        "v/.ATTRIBUTES/VARIABLE_VALUE",
    },
    "legacy": {
        "_CHECKPOINTABLE_OBJECT_GRAPH",
        "optimizer/beta_1/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/beta_2/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/decay/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/learning_rate/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/loss_scale/current_loss_scale/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/loss_scale/good_steps/.ATTRIBUTES/VARIABLE_VALUE",
        "v/.ATTRIBUTES/VARIABLE_VALUE",
        "v/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE",
        "v/.OPTIMIZER_SLOT/optimizer/v/.ATTRIBUTES/VARIABLE_VALUE",
    },
}
# TensorFlow after restoring and one more step: v, loss scale, good steps, iterations.
TF_NEXT = {
    "explicit": ([0.7015886306762695, -1.7006256580352783], 64.0, 0, 3),
    "legacy": ([0.7015866637229919, -1.700623631477356], 64.0, 0, 3),
}


@pytest.fixture
def float32_policy():
    yield
    keras.mixed_precision.set_global_policy("float32")


def _optimizer(name):
    inner = keras.optimizers.Adam(0.1) if name == "explicit" else keras.optimizers.legacy.Adam(0.1)
    return keras.mixed_precision.LossScaleOptimizer(
        inner, initial_scale=8.0, dynamic_growth_steps=1
    )


def _scaled_step(variable, optimizer):
    with tf.GradientTape() as tape:
        loss = optimizer.get_scaled_loss(tf.reduce_sum(variable**2))
    grads = optimizer.get_unscaled_gradients(tape.gradient(loss, [variable]))
    optimizer.apply_gradients(zip(grads, [variable]))


def test_compiled_mixed_float16_model_continues_from_tf_checkpoint(float32_policy):
    # `compile` under mixed_float16 wraps Adam in a LossScaleOptimizer; TF trained 2 steps.
    keras.mixed_precision.set_global_policy("mixed_float16")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    model.load_weights(os.path.join(DATA, "compiled")).assert_consumed()
    optimizer = model.optimizer
    # Restored into the inner optimizer: its iterations and slots, and the scale's state.
    assert int(optimizer.inner_optimizer.iterations) == 2
    assert int(optimizer.iterations) == 2
    assert float(optimizer.loss_scale) == 32768.0
    assert int(optimizer.dynamic_counter) == 2
    model.train_on_batch(X[:4], Y[:4])
    weights = model.get_weights()
    # tf_keras 2.21 after the same step (float16 compute: 1e-4).
    np.testing.assert_allclose(
        weights[0],
        [
            [-0.11033780127763748, -0.017395980656147003],
            [0.09283194690942764, 0.18532873690128326],
            [0.29563215374946594, 0.3884505331516266],
        ],
        atol=1e-4,
    )
    np.testing.assert_allclose(weights[1], [-0.07040120661258698, 0.02986888587474823], atol=1e-4)
    assert float(optimizer.loss_scale) == 32768.0
    assert int(optimizer.dynamic_counter) == 3
    assert int(optimizer.iterations) == 3


@pytest.mark.parametrize("name", ["explicit", "legacy"])
def test_explicit_loss_scale_optimizer_continues_from_tf_checkpoint(name):
    variable = tf.Variable([0.0, 0.0], name="v")
    optimizer = _optimizer(name)
    status = tf.train.Checkpoint(v=variable, optimizer=optimizer).read(os.path.join(DATA, name))
    status.assert_consumed()
    # TF's state after 2 steps with dynamic_growth_steps=1: 8 -> 16 -> 32.
    assert float(optimizer.loss_scale) == 32.0
    assert int(optimizer.dynamic_counter) == 0
    assert int(optimizer.iterations) == 2
    _scaled_step(variable, optimizer)
    values, scale, good, iterations = TF_NEXT[name]
    np.testing.assert_allclose(variable.numpy(), values, rtol=1e-6, atol=1e-6)
    assert float(optimizer.loss_scale) == scale
    assert int(optimizer.dynamic_counter) == good
    assert int(optimizer.iterations) == iterations


@pytest.mark.parametrize("name", ["explicit", "legacy"])
def test_loss_scale_optimizer_written_with_tf_keys(tmp_path, name):
    variable = tf.Variable([1.0, -2.0], name="v")
    optimizer = _optimizer(name)
    for _ in range(2):
        _scaled_step(variable, optimizer)
    prefix = tf.train.Checkpoint(v=variable, optimizer=optimizer).write(str(tmp_path / "ckpt"))
    keys = {key for key, _ in tf.train.list_variables(prefix)}
    assert keys == TF_KEYS[name]
    reader = tf.train.load_checkpoint(prefix)
    assert reader.get_tensor(
        "optimizer/loss_scale/current_loss_scale/.ATTRIBUTES/VARIABLE_VALUE"
    ) == np.float32(32.0)
    # tork reads its own back into a fresh optimizer, and continues as TF does.
    fresh, again = tf.Variable([0.0, 0.0], name="v"), _optimizer(name)
    tf.train.Checkpoint(v=fresh, optimizer=again).read(prefix).assert_consumed()
    _scaled_step(fresh, again)
    # tork trained the first two steps itself here: float32 rounding apart (1e-5).
    np.testing.assert_allclose(fresh.numpy(), TF_NEXT[name][0], atol=1e-5)
    assert float(again.loss_scale) == 64.0


def test_fixed_scale_is_not_written_and_not_expected(tmp_path):
    # tf_keras does not track a fixed loss scale: no `loss_scale` node either way.
    variable = tf.Variable([1.0, -2.0], name="v")
    optimizer = keras.mixed_precision.LossScaleOptimizer(
        keras.optimizers.SGD(0.1, momentum=0.5), dynamic=False, initial_scale=8.0
    )
    _scaled_step(variable, optimizer)
    prefix = tf.train.Checkpoint(v=variable, optimizer=optimizer).write(str(tmp_path / "ckpt"))
    keys = {key for key, _ in tf.train.list_variables(prefix)}
    assert not any("loss_scale" in key for key in keys)
    assert "optimizer/_variables/1/.ATTRIBUTES/VARIABLE_VALUE" in keys
    again = keras.mixed_precision.LossScaleOptimizer(
        keras.optimizers.SGD(0.1, momentum=0.5), dynamic=False, initial_scale=8.0
    )
    fresh = tf.Variable([0.0, 0.0], name="v")
    tf.train.Checkpoint(v=fresh, optimizer=again).read(prefix).assert_consumed()
    # SGD with momentum 0.5 from [1, -2]: one step of 0.1 * 2v.
    np.testing.assert_allclose(fresh.numpy(), [0.8, -1.6], rtol=1e-6)
    np.testing.assert_allclose(again.inner_optimizer._slots["momentum"][0].numpy(), [-0.2, 0.4])


def test_keras3_loss_scale_optimizer_checkpoint_continues_as_tf():
    # tests/train/data/tf_keras3/lso: Keras 3 (TF backend) writes the wrapper's own
    # `_iterations`/`_learning_rate` (0), `step_counter`, `dynamic_scale` and the inner
    # optimizer under `inner_optimizer`, its slots paired by `_trainable_variables`.
    # Before, tork restored the wrapper's learning rate 0 into the inner optimizer.
    path = os.path.join(os.path.dirname(__file__), "data", "tf_keras3", "lso")
    v, w = tf.Variable([0.0, 0.0], name="v"), tf.Variable(np.zeros((2, 2), np.float32), name="w")
    optimizer = _optimizer("explicit")
    status = tf.train.Checkpoint(v=v, w=w, optimizer=optimizer).read(path)
    assert float(optimizer.learning_rate) == pytest.approx(0.1)
    assert float(optimizer.loss_scale) == 32.0 and int(optimizer.iterations) == 2
    with tf.GradientTape() as tape:
        loss = optimizer.scale_loss(tf.reduce_sum(v**2) + tf.reduce_sum(tf.sin(w)))
    optimizer.apply_gradients(zip(tape.gradient(loss, [v, w]), [v, w]))
    status.assert_consumed()
    # Keras 3.x (TF 2.21) after the same step.
    np.testing.assert_allclose(v.numpy(), [0.7015886306762695, -1.7006256580352783], atol=1e-6)
    np.testing.assert_allclose(
        w.numpy(),
        [[-0.7991589307785034, -0.2999098300933838], [0.19967269897460938, 0.6995392441749573]],
        atol=1e-6,
    )
    assert float(optimizer.loss_scale) == 64.0 and int(optimizer.dynamic_counter) == 0


def test_compiled_mixed_float16_model_written_with_tf_keys(tmp_path, float32_policy):
    keras.mixed_precision.set_global_policy("mixed_float16")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    model.fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    model.save_weights(str(tmp_path / "ckpt"))
    ours = {key for key, _ in tf.train.list_variables(str(tmp_path / "ckpt"))}
    theirs = {key for key, _ in tf.train.list_variables(os.path.join(DATA, "compiled"))}
    assert ours == theirs
    assert "optimizer/loss_scale/good_steps/.ATTRIBUTES/VARIABLE_VALUE" in ours
