"""`tf.compat.v1.train`'s learning-rate decay functions and global step (tf_keras 2.21).

Reference values: TensorFlow 2.21 (TF_USE_LEGACY_KERAS=1), each function made with a
global step variable and evaluated after `global_step.assign(step)` for steps 0..5; and
`legacy.SGD(learning_rate=<the function>)` taking 5 steps of gradient 1 from w = 1 while
the loop increments the global step.
"""

import numpy as np
import pytest

import tork as tf

v1 = tf.compat.v1.train

CASES = {
    "exp": (
        lambda g: v1.exponential_decay(0.1, g, 2, 0.5),
        [0.1, 0.070711, 0.05, 0.035355, 0.025, 0.017678],
    ),
    "exp_stair": (
        lambda g: v1.exponential_decay(0.1, g, 2, 0.5, staircase=True),
        [0.1, 0.1, 0.05, 0.05, 0.025, 0.025],
    ),
    "pw": (
        lambda g: v1.piecewise_constant(g, [2, 4], [0.1, 0.05, 0.01]),
        [0.1, 0.1, 0.1, 0.05, 0.05, 0.01],
    ),
    "poly": (
        lambda g: v1.polynomial_decay(0.1, g, 4, 0.01, power=2.0),
        [0.1, 0.060625, 0.0325, 0.015625, 0.01, 0.01],
    ),
    "poly_cycle": (
        lambda g: v1.polynomial_decay(0.1, g, 4, 0.01, cycle=True),
        [0.1, 0.0775, 0.055, 0.0325, 0.01, 0.04375],
    ),
    "inv": (
        lambda g: v1.inverse_time_decay(0.1, g, 2, 0.5),
        [0.1, 0.08, 0.066667, 0.057143, 0.05, 0.044444],
    ),
    "nat": (
        lambda g: v1.natural_exp_decay(0.1, g, 2, 0.5),
        [0.1, 0.07788, 0.060653, 0.047237, 0.036788, 0.02865],
    ),
    "cos": (lambda g: v1.cosine_decay(0.1, g, 4), [0.1, 0.085355, 0.05, 0.014645, 0.0, 0.0]),
    "cosr": (
        lambda g: v1.cosine_decay_restarts(0.1, g, 2),
        [0.1, 0.05, 0.1, 0.085355, 0.05, 0.014645],
    ),
    "lin_cos": (
        lambda g: v1.linear_cosine_decay(0.1, g, 4),
        [0.1001, 0.064117, 0.0251, 0.003761, 0.0001, 0.0001],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_decay_reads_the_global_step_when_called(name):
    make, expected = CASES[name]
    g = tf.Variable(0, dtype=tf.int64, trainable=False)
    rate = make(g)
    assert callable(rate)
    values = []
    for step in range(6):
        g.assign(step)
        values.append(float(rate()))
    np.testing.assert_allclose(values, expected, atol=2e-6)


def test_legacy_optimizer_follows_the_global_step():
    # tf_keras: 1 - (0.1 + 0.05 + 0.025) = 0.825.
    g = tf.Variable(0, dtype=tf.int64, trainable=False)
    opt = tf.keras.optimizers.legacy.SGD(learning_rate=v1.exponential_decay(0.1, g, 1, 0.5))
    w = tf.Variable([1.0])
    for _ in range(3):
        opt.apply_gradients([(tf.constant([1.0]), w)])
        g.assign_add(1)
    np.testing.assert_allclose(w.numpy(), [0.825], atol=1e-6)


def test_global_step_helpers_and_errors():
    step = v1.get_or_create_global_step()
    assert step is v1.get_global_step() is v1.get_or_create_global_step()
    assert int(step.numpy()) == 0 and not step.trainable
    assert step.name == "global_step:0"
    with pytest.raises(ValueError, match='"global_step" already exists'):
        v1.create_global_step()
    with pytest.raises(ValueError, match="global_step is required for exponential_decay"):
        v1.exponential_decay(0.1, None, 1, 0.5)
    # Other names are TF 2's tf.train ones; TF 1's graph optimizers are not implemented.
    assert v1.Checkpoint is tf.train.Checkpoint
    with pytest.raises(NotImplementedError, match=r"tf\.compat\.v1\.train\.AdamOptimizer"):
        v1.AdamOptimizer  # noqa: B018
