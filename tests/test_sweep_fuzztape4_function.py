"""fuzztape4: tf.function(jit_compile=True) steps that apply an optimizer several times.

A compiled training step reads each optimizer's per-step numbers (learning rate of a
schedule, Adam's bias correction) from a small host buffer written before each call.
A step applying the same optimizer more than once (`for _ in tf.range(2): ...
apply_gradients`) read the first update's numbers in every update, from the traced
(second) call on: weights drifted from TensorFlow's without any warning (a silent wrong
result). Each update of a call now reads its own step's numbers.
Reference values: TensorFlow 2.21 (/tmp/fuzztape4/repro4/jitloop2.py).
"""

import warnings

import numpy as np
import pytest

import tork as tf


def _run(make_optimizer):
    w = tf.Variable([[0.5, -1.0], [1.5, 0.25], [-0.5, 2.0]])
    x = tf.constant([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
    opt = make_optimizer()

    @tf.function(jit_compile=True)
    def step():
        for _ in tf.range(2):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(tf.matmul(x, w) ** 2)
            opt.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
        return loss

    with warnings.catch_warnings():
        # The fix keeps the step compiled: no "runs eagerly from now on" fallback.
        warnings.simplefilter("error", RuntimeWarning)
        losses = [float(step()) for _ in range(4)]
    return losses, w.numpy().ravel(), int(opt.iterations)


@pytest.mark.slow
def test_adam_twice_per_compiled_step_matches_tf():
    losses, w, iterations = _run(lambda: tf.keras.optimizers.Adam(0.1))
    assert iterations == 8
    np.testing.assert_allclose(losses[-1], 9.689241409301758, rtol=1e-4)
    expected = [0.2348778, -1.7671614, 0.7308239, -0.4848290, -0.2745397, 1.2307998]
    np.testing.assert_allclose(w, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.slow
def test_schedule_twice_per_compiled_step_matches_tf():
    schedule = tf.keras.optimizers.schedules.ExponentialDecay(0.1, 1, 0.5)
    losses, w, iterations = _run(lambda: tf.keras.optimizers.SGD(schedule))
    assert iterations == 8
    np.testing.assert_allclose(losses[-1], 0.7010313868522644, rtol=1e-4)
    expected = [0.4907578, -1.4124343, 0.1980436, 0.0989191, -0.2068585, 0.5942512]
    np.testing.assert_allclose(w, expected, rtol=1e-4, atol=1e-5)


def test_more_updates_than_in_the_first_call_falls_back_to_eager():
    w = tf.Variable([1.0, -2.0])
    opt = tf.keras.optimizers.Adam(0.1)

    @tf.function(jit_compile=True)
    def step(n):
        for _ in range(n):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(w**2)
            opt.apply_gradients(zip(tape.gradient(loss, [w]), [w]))

    eager_w = tf.Variable([1.0, -2.0])
    eager_opt = tf.keras.optimizers.Adam(0.1)
    for n in (1, 2, 3):
        for _ in range(n):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(eager_w**2)
            eager_opt.apply_gradients(zip(tape.gradient(loss, [eager_w]), [eager_w]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for n in (1, 2, 3):
            step(n)
    assert int(opt.iterations) == 6
    np.testing.assert_allclose(w.numpy(), eager_w.numpy(), rtol=1e-6)


@pytest.mark.parametrize("jit", [True, False])
def test_two_optimizers_once_each_still_match(jit):
    # A GAN-style step (two optimizers, one update each) is unaffected.
    a = tf.Variable([1.0, 2.0])
    b = tf.Variable([-1.0, 0.5])
    opt_a = tf.keras.optimizers.Adam(0.1)
    opt_b = tf.keras.optimizers.SGD(tf.keras.optimizers.schedules.ExponentialDecay(0.1, 1, 0.5))

    @tf.function(jit_compile=jit)
    def step():
        with tf.GradientTape(persistent=True) as tape:
            loss = tf.reduce_sum(a * a * b)
        opt_a.apply_gradients([(tape.gradient(loss, a), a)])
        opt_b.apply_gradients([(tape.gradient(loss, b), b)])

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for _ in range(4):
            step()
    # Eager reference of the same updates.
    ra, rb = tf.Variable([1.0, 2.0]), tf.Variable([-1.0, 0.5])
    oa = tf.keras.optimizers.Adam(0.1)
    ob = tf.keras.optimizers.SGD(tf.keras.optimizers.schedules.ExponentialDecay(0.1, 1, 0.5))
    for _ in range(4):
        with tf.GradientTape(persistent=True) as tape:
            loss = tf.reduce_sum(ra * ra * rb)
        oa.apply_gradients([(tape.gradient(loss, ra), ra)])
        ob.apply_gradients([(tape.gradient(loss, rb), rb)])
    np.testing.assert_allclose(a.numpy(), ra.numpy(), rtol=1e-5)
    np.testing.assert_allclose(b.numpy(), rb.numpy(), rtol=1e-5)
