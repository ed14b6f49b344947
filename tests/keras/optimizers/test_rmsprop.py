import numpy as np
import pytest

from tork.keras.optimizers import RMSprop
from tork.variables import Variable


def rmsprop_reference(x, grads, lr=0.001, rho=0.9, momentum=0.0, eps=1e-7, centered=False):
    s = np.zeros_like(x)
    a = np.zeros_like(x)
    big_m = np.zeros_like(x)
    for g in grads:
        s = rho * s + (1 - rho) * g * g
        if centered:
            a = rho * a + (1 - rho) * g
            increment = lr * g / np.sqrt(s - a * a + eps)
        else:
            increment = lr * g / np.sqrt(s + eps)
        if momentum > 0:
            big_m = momentum * big_m + increment
            x = x - big_m
        else:
            x = x - increment
    return x


def test_default_matches_keras_formula(run, start, grads):
    np.testing.assert_allclose(
        run(RMSprop()), rmsprop_reference(start, grads), rtol=1e-6, atol=1e-7
    )


def test_epsilon_inside_sqrt(run, start, grads):
    opt = RMSprop(learning_rate=0.1, epsilon=0.5)
    expected = rmsprop_reference(start, grads, lr=0.1, eps=0.5)
    np.testing.assert_allclose(run(opt), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(("momentum", "centered"), [(0.9, False), (0.0, True), (0.9, True)])
def test_momentum_and_centered(run, start, grads, momentum, centered):
    opt = RMSprop(learning_rate=0.05, rho=0.8, momentum=momentum, centered=centered)
    expected = rmsprop_reference(
        start, grads, lr=0.05, rho=0.8, momentum=momentum, centered=centered
    )
    np.testing.assert_allclose(run(opt), expected, rtol=1e-5, atol=1e-6)


def test_docstring_example():
    opt = RMSprop(learning_rate=0.1)
    var1 = Variable(10.0)
    opt.minimize(lambda: (var1**2) / 2.0, [var1])
    assert float(var1.detach()) == pytest.approx(9.683772, abs=1e-6)


def test_slot_order_velocities_then_momentums_then_averages():
    a = Variable(np.zeros(2, np.float32), name="a")
    b = Variable(np.zeros(2, np.float32), name="b")
    opt = RMSprop(momentum=0.5, centered=True, name="rms")
    opt.build([a, b])
    assert [v.name for v in opt.variables[2:]] == [
        "rms/a_velocity:0",
        "rms/b_velocity:0",
        "rms/a_momentum:0",
        "rms/b_momentum:0",
        "rms/a_average_gradient:0",
        "rms/b_average_gradient:0",
    ]


def test_auto_name_is_the_class_name():
    assert RMSprop().name == "RMSprop"  # tf_keras 2.21 (Keras 3: rm_sprop)
