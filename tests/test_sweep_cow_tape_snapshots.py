"""GradientTape keeps the values variables had when the forward pass read them.

In TensorFlow, updating a variable after a tape's forward pass (an optimizer step, an
`assign`) does not change a later `tape.gradient` over that pass. tork does the same for
persistent tapes and tapes that record together (a lone non-persistent tape raises a
clear error instead). Expected values are NumPy formulas (checked against tf_keras 2.21,
which gives the same numbers).
"""

import gc

import numpy as np
import pytest
import torch

import tork as tf
from tork import variables as _variables

X = np.array([[1.0, -2.0], [0.5, 1.5], [-1.0, 0.25]], dtype="float32")
A_DATA = np.array([[0.3], [-0.6], [0.9]], dtype="float32")
Y = np.array([[1.0], [0.0], [-0.5]], dtype="float32")
WA, BA = np.array([[0.4], [-0.3]], dtype="float32"), np.array([0.1], dtype="float32")
WC = np.array([[0.2], [-0.5], [1.5]], dtype="float32")
BC = np.array([0.05], dtype="float32")


def _actor_critic():
    actor = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1, activation="tanh")])
    s, a = tf.keras.Input((2,)), tf.keras.Input((1,))
    q = tf.keras.layers.Dense(1)(tf.keras.layers.Concatenate()([s, a]))
    critic = tf.keras.Model([s, a], q)
    actor.set_weights([WA, BA])
    critic.set_weights([WC, BC])
    return actor, critic


def _actor_grads_numpy(wc):
    # actor_loss = -mean(q(x, tanh(x @ wa + ba))): only the critic's action weight matters.
    a = np.tanh(X @ WA + BA)
    dz = -wc[2, 0] * (1.0 - a**2) / len(X)  # (3, 1)
    return X.T @ dz, dz.sum(axis=0)


def test_actor_critic_persistent_tape_uses_the_critic_weights_it_read():
    # SAC/TD3 agents (TensorFlow 2 Reinforcement Learning Cookbook): one persistent tape,
    # the critic is updated before the actor's gradient is taken.
    actor, critic = _actor_critic()
    critic_optimizer = tf.keras.optimizers.SGD(0.5)
    with tf.GradientTape(persistent=True) as tape:
        q = critic([X, A_DATA])
        critic_loss = tf.reduce_mean((q - Y) ** 2)
        actor_loss = -tf.reduce_mean(critic([X, actor(X)]))
    critic_grads = tape.gradient(critic_loss, critic.trainable_variables)
    critic_optimizer.apply_gradients(zip(critic_grads, critic.trainable_variables))
    kernel_grad, bias_grad = tape.gradient(actor_loss, actor.trainable_variables)

    # The critic did change.
    err = np.concatenate([X, A_DATA], axis=1) @ WC + BC - Y
    new_wc = WC - 0.5 * 2.0 * np.concatenate([X, A_DATA], axis=1).T @ err / len(X)
    np.testing.assert_allclose(critic.get_weights()[0], new_wc, rtol=1e-5, atol=1e-6)
    # The actor's gradient used the critic's old weights (the new ones give other values).
    expected_kernel, expected_bias = _actor_grads_numpy(WC)
    np.testing.assert_allclose(kernel_grad.numpy(), expected_kernel, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(bias_grad.numpy(), expected_bias, rtol=1e-5, atol=1e-7)
    assert not np.allclose(_actor_grads_numpy(new_wc)[1], expected_bias)
    del tape


def test_actor_critic_with_adam_matches_tensorflow_step():
    # The whole SAC-style update, taken twice: every step's gradient uses the values read.
    actor, critic = _actor_critic()
    actor_optimizer = tf.keras.optimizers.SGD(0.1)
    critic_optimizer = tf.keras.optimizers.Adam(0.01)
    for _ in range(2):
        with tf.GradientTape(persistent=True) as tape:
            critic_loss = tf.reduce_mean((critic([X, A_DATA]) - Y) ** 2)
            actor_loss = -tf.reduce_mean(critic([X, actor(X)]))
        wc_read = critic.get_weights()[0]
        wa_read, ba_read = actor.get_weights()
        grads = tape.gradient(critic_loss, critic.trainable_variables)
        critic_optimizer.apply_gradients(zip(grads, critic.trainable_variables))
        grads = tape.gradient(actor_loss, actor.trainable_variables)
        actor_optimizer.apply_gradients(zip(grads, actor.trainable_variables))
        del tape
        a = np.tanh(X @ wa_read + ba_read)
        dz = -wc_read[2, 0] * (1.0 - a**2) / len(X)
        np.testing.assert_allclose(
            actor.get_weights()[0], wa_read - 0.1 * (X.T @ dz), rtol=1e-5, atol=1e-7
        )
        np.testing.assert_allclose(
            actor.get_weights()[1], ba_read - 0.1 * dz.sum(axis=0), rtol=1e-5, atol=1e-7
        )


def test_two_tape_gan_step_generator_gradient_after_discriminator_update():
    # `with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:` loops that apply
    # the discriminator's gradients first.
    gen = tf.keras.layers.Dense(2)
    disc = tf.keras.layers.Dense(1, activation="sigmoid")
    gen.build((None, 3))
    disc.build((None, 2))
    wg = np.array([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], dtype="float32")
    bg = np.array([0.0, 0.1], dtype="float32")
    wd, bd = np.array([[0.7], [-0.8]], dtype="float32"), np.array([0.2], dtype="float32")
    gen.set_weights([wg, bg])
    disc.set_weights([wd, bd])
    z = np.array([[1.0, 0.5, -1.0], [0.0, 2.0, 1.0]], dtype="float32")
    real = np.array([[1.0, 1.0], [-1.0, 0.5]], dtype="float32")
    with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
        fake = gen(z)
        fake_out, real_out = disc(fake), disc(real)
        disc_loss = -tf.reduce_mean(tf.math.log(real_out) + tf.math.log(1.0 - fake_out))
        gen_loss = -tf.reduce_mean(tf.math.log(fake_out))
    grads = disc_tape.gradient(disc_loss, disc.trainable_variables)
    tf.keras.optimizers.SGD(1.0).apply_gradients(zip(grads, disc.trainable_variables))
    kernel_grad, bias_grad = gen_tape.gradient(gen_loss, gen.trainable_variables)

    f = z @ wg + bg
    p = 1.0 / (1.0 + np.exp(-(f @ wd + bd)))
    dlogit = -(1.0 - p) / len(z)  # d(-mean(log p))/dlogit
    dfake = dlogit @ wd.T
    np.testing.assert_allclose(kernel_grad.numpy(), z.T @ dfake, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(bias_grad.numpy(), dfake.sum(axis=0), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize(
    "write",
    [
        lambda v: v.assign([[5.0, 6.0], [7.0, 8.0]]),
        lambda v: v.assign_add(tf.ones((2, 2))),
        lambda v: v.assign_sub(tf.ones((2, 2))),
        lambda v: v.scatter_nd_update([[0, 1]], [9.0]),
        lambda v: v.scatter_update(tf.IndexedSlices(tf.constant([[3.0, 3.0]]), [1])),
        lambda v: v[0, :].assign([4.0, 4.0]),
    ],
    ids=["assign", "assign_add", "assign_sub", "scatter_nd", "scatter", "slice"],
)
def test_variable_writes_after_the_forward_pass(write):
    v0 = np.array([[1.0, 2.0], [3.0, 4.0]], dtype="float32")
    v = tf.Variable(v0)
    with tf.GradientTape(persistent=True) as tape:
        y = tf.reduce_sum(v**3)  # saves v
        # Saves a view of v.
        z = tf.reduce_sum(tf.transpose(v) ** 2 * tf.constant([[1.0, 2.0], [3.0, 4.0]]))
        write(v)
    grad = tape.gradient([y, z], v)
    expected = 3.0 * v0**2 + 2.0 * v0 * np.array([[1.0, 2.0], [3.0, 4.0]]).T
    np.testing.assert_allclose(grad.numpy(), expected, rtol=1e-6)


def test_assign_after_the_tape_then_gradient():
    v = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        y = v * v * v
    v.assign(-1.0)
    v.assign(100.0)
    assert tape.gradient(y, v).numpy() == pytest.approx(27.0)


def test_gradient_penalty_nested_tapes_after_update():
    # WGAN-GP: a gradient of a gradient; the critic changes before the outer gradient.
    d = tf.keras.layers.Dense(1)
    d.build((None, 2))
    w0 = np.array([[1.0], [2.0]], dtype="float32")
    d.set_weights([w0, np.array([0.5], dtype="float32")])
    x = tf.constant([[1.0, -1.0]])
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            inner.watch(x)
            out = tf.reduce_sum(d(x))
        gx = inner.gradient(out, x)  # = w^T
        penalty = tf.reduce_sum(gx**2)  # = |w|^2
    d.kernel.assign(d.kernel * 10.0)
    kernel_grad, bias_grad = outer.gradient(
        penalty, d.trainable_variables, unconnected_gradients="zero"
    )
    np.testing.assert_allclose(kernel_grad.numpy(), 2.0 * w0)
    np.testing.assert_allclose(bias_grad.numpy(), [0.0])


def test_lone_non_persistent_tape_records_without_hooks():
    # The training loop's tape pays nothing; persistent and concurrent tapes use the hooks.
    def hooks():
        return torch._C._autograd._top_saved_tensors_default_hooks(True)

    with tf.GradientTape():
        assert hooks() is None
    with tf.GradientTape(persistent=True):
        assert hooks() is not None
    with tf.GradientTape():
        assert hooks() is None
        with tf.GradientTape():
            assert hooks() is not None
    assert hooks() is None


def test_lone_tape_write_between_forward_and_gradient_has_clear_error():
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v * v)
    tf.keras.optimizers.SGD(1.0).apply_gradients([(tf.ones(2), v)])
    with pytest.raises(RuntimeError, match="Create the tape with persistent=True"):
        tape.gradient(y, v)


def test_optimizer_step_without_live_graph_copies_nothing():
    # Each graph is freed before the step: no saved read is left to copy.
    model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(2)])
    optimizer = tf.keras.optimizers.SGD(0.1)
    for _ in range(3):
        with tf.GradientTape(persistent=True) as tape:
            loss = tf.reduce_sum(model(X) ** 2)
        grads = tape.gradient(loss, model.trainable_variables)
        del loss, tape
        gc.collect()
        for v in model.trainable_variables:
            assert all(ref() is None for ref in _variables._saved_reads.get(id(v), ()))
        optimizer.apply_gradients(zip(grads, model.trainable_variables))


def test_raw_in_place_change_of_a_variable_keeps_the_clear_error():
    # Only tork's writes copy the old value; a torch in-place op on the variable cannot.
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        y = tf.reduce_sum(v * v)
    with torch.no_grad():
        torch.Tensor.add_(v, 1.0)
    with pytest.raises(RuntimeError, match="a value needed for this gradient was changed in place"):
        tape.gradient(y, v)


@pytest.mark.parametrize("jit_compile", [False, True])
def test_two_tape_gan_step_in_tf_function(jit_compile):
    gen, disc = tf.keras.layers.Dense(2), tf.keras.layers.Dense(1)
    gen.build((None, 4))
    disc.build((None, 2))
    gen.set_weights([np.arange(8.0).reshape(4, 2) / 10, np.array([0.1, -0.2])])
    disc.set_weights([np.array([[0.5], [-1.5]]), np.array([0.3])])
    gen_optimizer, disc_optimizer = tf.keras.optimizers.SGD(0.1), tf.keras.optimizers.SGD(0.1)

    @tf.function(jit_compile=jit_compile)
    def step(z):
        with tf.GradientTape() as disc_tape, tf.GradientTape() as gen_tape:
            fake = gen(z)
            disc_loss = tf.reduce_mean(disc(fake) ** 2)
            gen_loss = -tf.reduce_mean(disc(fake) ** 2)
        grads = disc_tape.gradient(disc_loss, disc.trainable_variables)
        disc_optimizer.apply_gradients(zip(grads, disc.trainable_variables))
        grads = gen_tape.gradient(gen_loss, gen.trainable_variables)
        gen_optimizer.apply_gradients(zip(grads, gen.trainable_variables))
        return disc_loss

    for _ in range(3):
        step(tf.ones((3, 4)))
    # tf_keras 2.21 with tf.function (jit_compile True or False) gives these weights.
    kernel, bias = gen.get_weights()
    np.testing.assert_allclose(bias, [0.07303, 0.93384], atol=2e-5)
    np.testing.assert_allclose(
        kernel,
        [[-0.02697, 1.23384], [0.17303, 1.43384], [0.37303, 1.63384], [0.57303, 1.83384]],
        atol=2e-5,
    )


def test_set_weights_between_forward_and_gradient_of_a_persistent_tape():
    # Soft target-network updates by set_weights between two gradients (RL code): the
    # gradient uses the weights the forward pass read, as TF.
    from tork import keras

    layer = keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")
    x = tf.constant([[2.0, 3.0]])
    with tf.GradientTape(persistent=True) as tape:
        y = tf.reduce_sum(layer(x) ** 2)  # (2 + 3)^2; d/dk = 2 * 5 * x
    layer.set_weights([np.zeros((2, 1), "float32")])
    np.testing.assert_allclose(tape.gradient(y, layer.kernel).numpy(), [[20.0], [30.0]])
