"""LossScaleOptimizer: scaling, the dynamic scale rules, both custom-loop styles, config."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import torch

import tork as tf
from tork.keras import mixed_precision, optimizers
from tork.keras.mixed_precision import LossScaleOptimizer

INF, NAN = float("inf"), float("nan")


def _sgd_lso(**kwargs):
    return LossScaleOptimizer(optimizers.SGD(learning_rate=1.0), **kwargs)


def _state(opt):
    return float(opt.loss_scale), int(opt.dynamic_counter), int(opt.iterations)


def test_defaults_and_attributes():
    inner = optimizers.Adam()
    opt = LossScaleOptimizer(inner)
    assert opt.inner_optimizer is inner
    assert opt.dynamic is True
    assert opt.initial_scale == 2.0**15
    assert opt.dynamic_growth_steps == 2000
    assert float(opt.loss_scale) == 32768.0 and opt.loss_scale.dtype == torch.float32
    assert int(opt.dynamic_counter) == 0
    assert tf.keras.mixed_precision.LossScaleOptimizer is LossScaleOptimizer


def test_non_finite_gradients_skip_the_step_and_halve_the_scale():
    opt = _sgd_lso(initial_scale=8.0, dynamic_growth_steps=3)
    v = tf.Variable([1.0, 2.0])
    opt.apply_gradients([(torch.tensor([0.5, INF]), v)])
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    assert _state(opt) == (4.0, 0, 1)  # skipped steps count in iterations (Keras 2)
    opt.apply_gradients([(torch.tensor([NAN, 0.0]), v)])
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    assert _state(opt) == (2.0, 0, 2)
    opt.apply_gradients([(torch.tensor([-INF, 1.0]), v)])
    assert _state(opt) == (1.0, 0, 3)
    opt.apply_gradients([(torch.tensor([INF, 1.0]), v)])
    assert _state(opt) == (1.0, 0, 4)  # never below 1


def test_scale_doubles_after_growth_steps_finite_steps():
    opt = _sgd_lso(initial_scale=4.0, dynamic_growth_steps=3)
    v = tf.Variable([1.0, 2.0])
    g = torch.tensor([0.25, 0.5])
    opt.apply_gradients([(g, v)])
    assert _state(opt) == (4.0, 1, 1)
    opt.apply_gradients([(g, v)])
    assert _state(opt) == (4.0, 2, 2)
    opt.apply_gradients([(g, v)])
    assert _state(opt) == (8.0, 0, 3)
    # The unscaled gradients (no scale_loss call) were applied as they are: v -= 3 * g.
    np.testing.assert_allclose(v.numpy(), [0.25, 0.5])
    # A non-finite step resets the counter.
    opt.apply_gradients([(g, v)])
    opt.apply_gradients([(torch.tensor([INF, 0.0]), v)])
    assert _state(opt) == (4.0, 0, 5)
    opt.apply_gradients([(g, v)])
    assert _state(opt) == (4.0, 1, 6)


def test_scale_stops_growing_at_float32_max():
    opt = _sgd_lso(initial_scale=2.0**127, dynamic_growth_steps=1)
    v = tf.Variable(1.0)
    opt.apply_gradients([(torch.tensor(0.0), v)])
    assert float(opt.loss_scale) == 2.0**127
    assert int(opt.dynamic_counter) == 0


def test_fixed_scale_never_changes_and_always_applies():
    opt = LossScaleOptimizer(optimizers.SGD(1.0), dynamic=False, initial_scale=16)
    assert opt.dynamic is False and opt.dynamic_counter is None
    assert opt.dynamic_growth_steps is None
    v = tf.Variable(1.0)
    loss = opt.scale_loss(torch.tensor(3.0))
    assert float(loss) == 48.0
    opt.apply_gradients([(torch.tensor(8.0), v)])  # scaled gradient: unscaled to 0.5
    assert float(v) == 0.5
    opt.apply_gradients([(torch.tensor(INF), v)])
    assert math.isinf(float(v))
    assert float(opt.loss_scale) == 16.0


def test_get_scaled_loss_and_get_unscaled_gradients():
    opt = _sgd_lso(initial_scale=8.0)
    assert float(opt.get_scaled_loss(torch.tensor(2.5))) == 20.0
    scaled_fn = opt.get_scaled_loss(lambda: torch.tensor(0.5))
    assert callable(scaled_fn) and float(scaled_fn()) == 4.0
    grads = opt.get_unscaled_gradients([torch.tensor(16.0), None, torch.tensor([8.0, 4.0])])
    assert float(grads[0]) == 2.0 and grads[1] is None
    np.testing.assert_array_equal(grads[2].numpy(), [1.0, 0.5])
    assert float(opt.scale_loss(torch.tensor(1.5))) == 12.0


def test_keras3_style_apply_unscales_scaled_gradients():
    opt = LossScaleOptimizer(optimizers.SGD(0.1), initial_scale=8.0)
    v = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        loss = v**2
        scaled = opt.scale_loss(loss)
    grads = tape.gradient(scaled, [v])
    assert float(grads[0]) == 48.0  # d(8 v^2)/dv at 3
    opt.apply_gradients(zip(grads, [v]))
    assert float(v) == pytest.approx(3.0 - 0.1 * 6.0)


def test_keras2_custom_loop_on_a_linear_model():
    # y = x @ w; loss = mean((y - t)^2); SGD(0.01); hand-computed gradient 2/N * x^T (y - t).
    opt = LossScaleOptimizer(optimizers.SGD(0.01), initial_scale=1024.0, dynamic_growth_steps=2)
    w = tf.Variable([[1.0], [-1.0]])
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    t = tf.constant([[0.0], [1.0]])
    w_ref = np.array([[1.0], [-1.0]])
    for step in range(3):
        with tf.GradientTape() as tape:
            loss = torch.mean((x @ w - t) ** 2)
            scaled_loss = opt.get_scaled_loss(loss)
        scaled_grads = tape.gradient(scaled_loss, [w])
        grads = opt.get_unscaled_gradients(scaled_grads)
        opt.apply_gradients(zip(grads, [w]))
        xn, tn = x.numpy(), t.numpy()
        w_ref = w_ref - 0.01 * (2.0 / 2.0) * xn.T @ (xn @ w_ref - tn)
        np.testing.assert_allclose(w.numpy(), w_ref, rtol=1e-6)
        assert float(opt.loss_scale) == (2048.0 if step >= 1 else 1024.0)


def test_minimize_scales_and_unscales():
    opt = LossScaleOptimizer(optimizers.SGD(0.25))
    var = tf.Variable(1.0)
    opt.minimize(lambda: var**2, var_list=[var])
    assert float(var) == 0.5  # 1 - 0.25 * 2
    v2 = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        loss = v2**2
    opt.minimize(loss, [v2], tape=tape)
    assert float(v2) == 1.0  # 2 - 0.25 * 4


def test_float16_overflow_lowers_the_scale_until_finite():
    # d(scale * 1000 w)/dw = 1000 * scale overflows float16 (max 65504) until scale <= 64:
    # 32768 -> 64 takes 9 halvings, then the step applies the unscaled gradient 1000.
    opt = LossScaleOptimizer(optimizers.SGD(1e-4))
    w = tf.Variable(torch.tensor(1.0, dtype=torch.float16))
    skipped = 0
    while True:
        with tf.GradientTape() as tape:
            loss = w * torch.tensor(1000.0, dtype=torch.float16)
            scaled = opt.scale_loss(loss)
        grad = tape.gradient(scaled, [w])
        before = float(w)
        opt.apply_gradients(zip(grad, [w]))
        if float(w) != before:
            break
        skipped += 1
        assert skipped < 20
    assert skipped == 9
    assert float(opt.loss_scale) == 64.0
    assert float(w) == pytest.approx(1.0 - 1e-4 * 1000.0, abs=1e-3)


def test_keras3_positional_order():
    opt = LossScaleOptimizer(optimizers.SGD(), 1024.0, 10)
    assert (opt.dynamic, opt.initial_scale, opt.dynamic_growth_steps) == (True, 1024.0, 10)
    opt = LossScaleOptimizer(optimizers.SGD(), 256.0, 5, "lso")
    assert (opt.initial_scale, opt.dynamic_growth_steps, opt.name) == (256.0, 5, "lso")


def test_learning_rate_and_iterations_delegate():
    inner = optimizers.Adam(learning_rate=0.01)
    opt = LossScaleOptimizer(inner)
    assert float(opt.learning_rate) == pytest.approx(0.01)
    opt.learning_rate = 0.5
    assert float(inner.learning_rate) == 0.5
    assert float(opt.lr) == 0.5
    opt.iterations = 7
    assert int(inner.iterations) == 7


def test_inner_loss_scale_factor_is_cleared():
    inner = optimizers.SGD(loss_scale_factor=4.0)
    LossScaleOptimizer(inner)
    assert inner.loss_scale_factor is None


def test_variables_order_and_weights_round_trip():
    opt = LossScaleOptimizer(optimizers.Adam(), initial_scale=4.0, dynamic_growth_steps=2)
    v = tf.Variable([1.0, 2.0])
    opt.apply_gradients([(torch.tensor([0.1, 0.2]), v)])
    names = [var.name.split("/")[-1].split(":")[0] for var in opt.variables]
    assert names[:4] == ["iteration", "learning_rate", "step_counter", "dynamic_scale"]
    assert len(opt.variables) == 4 + len(opt.inner_optimizer.variables)
    assert opt.weights == opt.variables or len(opt.weights) == len(opt.variables)
    values = opt.get_weights()
    assert float(values[3]) == 4.0 and int(values[2]) == 1

    other = LossScaleOptimizer(optimizers.Adam(), initial_scale=4.0, dynamic_growth_steps=2)
    other.build([v])
    values[3] = np.float32(256.0)
    other.set_weights(values)
    assert float(other.loss_scale) == 256.0 and int(other.dynamic_counter) == 1
    assert int(other.iterations) == 1
    with pytest.raises(ValueError, match=r"has 8 variables \(its own 4 and 4 of the inner"):
        other.set_weights(values[:3])
    with pytest.raises(ValueError, match="not yet been built"):
        LossScaleOptimizer(optimizers.Adam()).set_weights(values)

    store = {}
    opt.save_own_variables(store)
    fresh = LossScaleOptimizer(optimizers.Adam())
    fresh.build([v])
    fresh.load_own_variables(store)
    assert float(fresh.loss_scale) == 4.0
    with pytest.warns(UserWarning, match="Skipping variable loading"):
        fresh.load_own_variables({"0": 1})


def test_deepcopy_keeps_state():
    opt = _sgd_lso(initial_scale=8.0)
    v = tf.Variable(1.0)
    opt.apply_gradients([(torch.tensor(INF), v)])
    clone = copy.deepcopy(opt)
    assert float(clone.loss_scale) == 4.0
    assert clone.inner_optimizer is not opt.inner_optimizer


def test_config_round_trip():
    opt = LossScaleOptimizer(
        optimizers.Adam(learning_rate=0.003), initial_scale=512.0, dynamic_growth_steps=100
    )
    config = opt.get_config()
    assert set(config) == {"name", "inner_optimizer", "initial_scale", "dynamic_growth_steps"}
    assert config["inner_optimizer"]["class_name"] == "Adam"
    restored = LossScaleOptimizer.from_config(config)
    assert isinstance(restored.inner_optimizer, optimizers.Adam)
    assert float(restored.learning_rate) == pytest.approx(0.003)
    assert (restored.initial_scale, restored.dynamic_growth_steps) == (512.0, 100)
    assert restored.get_config() == config

    fixed = LossScaleOptimizer(optimizers.SGD(), dynamic=False, initial_scale=64)
    fixed_config = fixed.get_config()
    assert fixed_config["dynamic"] is False
    assert LossScaleOptimizer.from_config(fixed_config).dynamic is False


def test_keras2_and_keras3_configs_load():
    keras2 = {
        "inner_optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.1}},
        "dynamic": True,
        "initial_scale": 32768.0,
        "dynamic_growth_steps": 2000,
    }
    opt = LossScaleOptimizer.from_config(keras2)
    assert isinstance(opt.inner_optimizer, optimizers.SGD) and opt.dynamic
    keras3 = {
        "name": "loss_scale_optimizer",
        "inner_optimizer": {
            "module": "keras.optimizers",
            "class_name": "Adam",
            "config": {"learning_rate": 0.001},
            "registered_name": None,
        },
        "initial_scale": 32768.0,
        "dynamic_growth_steps": 2000,
        "learning_rate": 0.0,
        "clipnorm": None,
        "use_ema": False,
    }
    assert LossScaleOptimizer.from_config(keras3).name == "loss_scale_optimizer"


def test_experimental_loss_scale_optimizer():
    experimental = mixed_precision.experimental
    dynamic = experimental.LossScaleOptimizer(optimizers.SGD(), loss_scale="dynamic")
    assert dynamic.dynamic and float(dynamic.loss_scale) == 32768.0
    fixed = experimental.LossScaleOptimizer(optimizers.SGD(), loss_scale=123)
    assert not fixed.dynamic and float(fixed.loss_scale) == 123.0
    assert type(experimental.LossScaleOptimizer.from_config(fixed.get_config())) is (
        LossScaleOptimizer
    )
    with pytest.raises(ValueError, match="Invalid loss_scale 'auto'"):
        experimental.LossScaleOptimizer(optimizers.SGD(), loss_scale="auto")


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: LossScaleOptimizer("adam"), TypeError, "wraps a Keras optimizer"),
        (
            lambda: LossScaleOptimizer(LossScaleOptimizer(optimizers.SGD())),
            TypeError,
            "cannot wrap another LossScaleOptimizer",
        ),
        (
            lambda: LossScaleOptimizer(optimizers.SGD(), clipnorm=1.0),
            ValueError,
            r"does not support `clipnorm`.*Set `clipnorm` on the inner optimizer",
        ),
        (
            lambda: LossScaleOptimizer(optimizers.SGD(), foo=1),
            ValueError,
            r"not recognized by LossScaleOptimizer: \['foo'\]",
        ),
        (
            lambda: LossScaleOptimizer(optimizers.SGD(), dynamic=False),
            ValueError,
            "`initial_scale` must be given when dynamic=False",
        ),
        (
            lambda: LossScaleOptimizer(optimizers.SGD(), initial_scale=-2.0),
            ValueError,
            "positive finite number",
        ),
        (
            lambda: LossScaleOptimizer(optimizers.SGD(), dynamic_growth_steps=0),
            ValueError,
            "integer >= 1",
        ),
        (
            lambda: LossScaleOptimizer(
                optimizers.SGD(), dynamic=False, initial_scale=2, dynamic_growth_steps=5
            ),
            ValueError,
            "cannot be given when dynamic=False",
        ),
    ],
)
def test_constructor_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()
