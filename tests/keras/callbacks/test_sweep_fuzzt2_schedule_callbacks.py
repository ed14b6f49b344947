"""ReduceLROnPlateau / LearningRateScheduler on an optimizer driven by a LearningRateSchedule."""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

X = np.random.RandomState(0).randn(12, 3).astype("float32")
Y = np.random.RandomState(1).randn(12, 1).astype("float32")


def _fit(callbacks):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)], name="sched_cb")
    model.set_weights([np.array([[0.3], [-0.2], [0.1]], "float32"), np.zeros(1, "float32")])
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)
    model.compile(keras.optimizers.SGD(schedule), "mse")
    history = model.fit(X, Y, epochs=3, batch_size=4, verbose=0, shuffle=False, callbacks=callbacks)
    return history.history


@pytest.mark.parametrize(
    "make_callback",
    [
        lambda: keras.callbacks.ReduceLROnPlateau("loss", patience=0, min_delta=100),
        lambda: keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5),
        lambda: keras.callbacks.LearningRateScheduler(lambda epoch: 0.01),
    ],
)
def test_rate_callbacks_leave_a_schedule_in_charge(make_callback):
    # tf_keras 2.21 trains exactly as without the callback (the schedule recomputes the
    # rate at every step) and logs the schedule's current rate as `lr`:
    # [0.05, 0.01768, 0.00625] (= 0.1 * 0.5 ** (step / 2) at steps 2, 5, 8). tork used to
    # raise TypeError ("learning rate is not settable"); it now warns.
    plain = _fit([])
    with pytest.warns(UserWarning, match="LearningRateSchedule .* has no effect"):
        logged = _fit([make_callback()])
    np.testing.assert_allclose(logged["loss"], plain["loss"], rtol=1e-6)
    np.testing.assert_allclose(logged["lr"], [0.05, 0.0176777, 0.00625], rtol=1e-5)
