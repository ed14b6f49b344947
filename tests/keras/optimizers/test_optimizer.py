import copy
import pickle
import warnings

import numpy as np
import pytest
import torch

from tork._naming import reset_names
from tork.keras.optimizers import SGD, Adam, Optimizer, RMSprop
from tork.keras.optimizers.schedules import ExponentialDecay, PiecewiseConstantDecay
from tork.variables import Variable


def var(value, name="v", dtype=torch.float32, **kwargs):
    return Variable(torch.tensor(value, dtype=dtype), name=name, **kwargs)


def t(value, dtype=torch.float32):
    return torch.tensor(value, dtype=dtype)


def adam_reference(x, grads, lr=0.001, b1=0.9, b2=0.999, eps=1e-7):
    m = np.zeros_like(x)
    s = np.zeros_like(x)
    for step, g in enumerate(grads, start=1):
        m = m + (g - m) * (1 - b1)
        s = s + (g * g - s) * (1 - b2)
        x = x - lr * np.sqrt(1 - b2**step) / (1 - b1**step) * m / (np.sqrt(s) + eps)
    return x


# -- clipping ------------------------------------------------------------------------------


def test_clipnorm_per_variable():
    a, b = var([3.0, 4.0], "a"), var([0.3, 0.4], "b")
    SGD(learning_rate=1.0, clipnorm=1.0).apply_gradients([(t([3.0, 4.0]), a), (t([0.3, 0.4]), b)])
    # ||g_a|| = 5 is scaled to 1; ||g_b|| = 0.5 is left alone.
    np.testing.assert_allclose(a.numpy(), [3.0 - 0.6, 4.0 - 0.8], rtol=1e-6)
    np.testing.assert_allclose(b.numpy(), [0.0, 0.0], atol=1e-7)


def test_global_clipnorm():
    a, b = var([0.0, 0.0], "a"), var([0.0], "b")
    opt = SGD(learning_rate=1.0, global_clipnorm=2.0)
    opt.apply_gradients([(t([3.0, 4.0]), a), (t([12.0]), b)])
    scale = 2.0 / 13.0  # global norm sqrt(9 + 16 + 144) = 13
    np.testing.assert_allclose(a.numpy(), [-3 * scale, -4 * scale], rtol=1e-6)
    np.testing.assert_allclose(b.numpy(), [-12 * scale], rtol=1e-6)
    c = var([0.0], "c")
    SGD(learning_rate=1.0, global_clipnorm=20.0).apply_gradients([(t([12.0]), c)])
    np.testing.assert_allclose(c.numpy(), [-12.0], rtol=1e-6)


def test_clipvalue():
    a = var([0.0, 0.0, 0.0], "a")
    SGD(learning_rate=1.0, clipvalue=0.5).apply_gradients([(t([2.0, -3.0, 0.25]), a)])
    np.testing.assert_allclose(a.numpy(), [-0.5, 0.5, -0.25], rtol=1e-6)


def test_clipping_does_not_modify_caller_gradients():
    a = var([0.0, 0.0], "a")
    grad = t([3.0, 4.0])
    SGD(learning_rate=1.0, clipnorm=1.0).apply_gradients([(grad, a)])
    np.testing.assert_array_equal(grad.numpy(), [3.0, 4.0])


def test_clipnorm_and_global_clipnorm_conflict():
    with pytest.raises(
        ValueError,
        match=r"At most one of `clipnorm` and `global_clipnorm` can be set\. Received: "
        r"clipnorm=1\.0, global_clipnorm=2\.0\.",
    ):
        SGD(clipnorm=1.0, global_clipnorm=2.0)


@pytest.mark.parametrize("norm", ["clipnorm", "global_clipnorm"])
def test_norm_clipping_wins_over_clipvalue(norm):
    # tf_keras 2.21: SGD(1.0, clipnorm=1.0, clipvalue=2.0) (or global_clipnorm) on grad
    # [3, -4] gives [-0.6, 0.8]: only the norm clipping applies.
    a = var([0.0, 0.0], "a")
    SGD(learning_rate=1.0, clipvalue=2.0, **{norm: 1.0}).apply_gradients([(t([3.0, -4.0]), a)])
    np.testing.assert_allclose(a.numpy(), [-0.6, 0.8], rtol=1e-6)


def test_loss_scale_factor_divides_gradients():
    a = var([1.0], "a")
    opt = SGD(learning_rate=1.0, loss_scale_factor=4.0)
    assert float(opt.scale_loss(t(2.0))) == 8.0
    opt.apply_gradients([(t([2.0]), a)])
    np.testing.assert_allclose(a.numpy(), [0.5], rtol=1e-6)


# -- weight decay, constraints, EMA -------------------------------------------------------------


def test_weight_decay_before_update_with_current_lr():
    a = var([2.0], "a")
    opt = SGD(learning_rate=0.1, weight_decay=0.5)
    opt.apply_gradients([(t([1.0]), a)])
    # v -= v * wd * lr, then v -= lr * g.
    np.testing.assert_allclose(a.numpy(), [2.0 - 2.0 * 0.05 - 0.1], rtol=1e-6)


def test_constraint_applied_after_update():
    a = var([1.0, -1.0], "a", constraint=lambda v: torch.clamp(v, min=0.0))
    SGD(learning_rate=1.0).apply_gradients([(t([-0.5, 0.5]), a)])
    np.testing.assert_allclose(a.numpy(), [1.5, 0.0])


def test_ema_starts_at_the_variable_and_averages_every_step():
    # Keras 2: the average starts at the variable's value when the optimizer is built.
    # tf_keras 2.21 gives values [-1, -3, -2] and average -0.551 (= finalized value).
    a = var([0.0], "a")
    opt = SGD(learning_rate=1.0, use_ema=True, ema_momentum=0.9)
    values = []
    for g in [1.0, 2.0, -1.0]:
        opt.apply_gradients([(t([g]), a)])
        values.append(float(a.detach()))
    assert values == [-1.0, -3.0, -2.0]
    avg_var = opt.variables[2]
    assert avg_var.name == f"{opt.name}/a_average:0"
    np.testing.assert_allclose(float(avg_var), -0.551, rtol=1e-6)
    opt.finalize_variable_values([a])
    np.testing.assert_allclose(float(a.detach()), -0.551, rtol=1e-6)


def test_ema_overwrite_frequency():
    # tf_keras 2.21: values after each step are -1, -1.25 (overwritten), -2.25.
    a = var([0.0], "a")
    opt = SGD(learning_rate=1.0, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=2)
    opt.apply_gradients([(t([1.0]), a)])  # v = -1, avg = -0.5
    assert float(a.detach()) == -1.0
    opt.apply_gradients([(t([1.0]), a)])  # v = -2, avg = -1.25, overwritten
    assert float(a.detach()) == -1.25
    opt.apply_gradients([(t([1.0]), a)])  # v = -2.25, avg = -1.75, kept
    assert float(a.detach()) == -2.25


def test_adam_ema_finalized_matches_tf_keras():
    a = var([1.0, -2.0], "a")
    opt = Adam(learning_rate=0.1, use_ema=True, ema_momentum=0.8)
    for g in ([0.5, -1.0], [0.2, 0.3], [-0.4, 0.1]):
        opt.apply_gradients([(t(g), a)])
    opt.finalize_variable_values([a])
    # tf_keras 2.21
    np.testing.assert_allclose(a.numpy(), [0.9153269529342651, -1.9304332733154297], rtol=1e-6)


def test_rmsprop_overwrites_with_ema_every_100_steps_by_default():
    # Keras 2's RMSprop default (the other optimizers default to None).
    assert RMSprop().ema_overwrite_frequency == 100
    assert RMSprop().get_config()["ema_overwrite_frequency"] == 100
    assert Adam().ema_overwrite_frequency is None


def test_schedule_learning_rate_reads_the_rate_of_the_last_update():
    # tf_keras 2.21: reads before and after each of 3 steps: 0.1, 0.1, 0.05, 0.025.
    opt = SGD(learning_rate=ExponentialDecay(0.1, 1, 0.5))
    a = var([1.0], "a")
    reads = [float(opt.learning_rate)]
    for _ in range(3):
        opt.apply_gradients([(t([1.0]), a)])
        reads.append(float(opt.learning_rate))
    np.testing.assert_allclose(reads, [0.1, 0.1, 0.05, 0.025], rtol=1e-6)
    assert int(opt.iterations) == 3
    # The steps themselves used 0.1, 0.05 and 0.025.
    np.testing.assert_allclose(a.numpy(), [1.0 - 0.175], rtol=1e-6)


def test_callable_learning_rate_config_holds_its_value():
    # Keras 2 stores the callable's current value (tf_keras 2.21: 0.25).
    opt = SGD(learning_rate=lambda: 0.25)
    config = opt.get_config()
    assert config["learning_rate"] == 0.25
    assert SGD.from_config(config).get_config()["learning_rate"] == pytest.approx(0.25)


def test_ema_argument_validation():
    with pytest.raises(ValueError, match=r"`ema_momentum` must be in the range \[0, 1\]"):
        SGD(use_ema=True, ema_momentum=1.5)
    with pytest.raises(ValueError, match="`ema_overwrite_frequency` must be an integer >= 1"):
        SGD(use_ema=True, ema_overwrite_frequency=0)


# -- gradient accumulation -----------------------------------------------------------------------


def test_gradient_accumulation_updates_every_n_steps_with_mean():
    grads = [
        np.array([1.0, -2.0]),
        np.array([3.0, 0.5]),
        np.array([0.2, 0.2]),
        np.array([-1.0, 1.0]),
    ]
    a = var([1.0, 1.0], "a")
    opt = Adam(learning_rate=0.1, gradient_accumulation_steps=2)
    seen = []
    for g in grads:
        opt.apply_gradients([(t(g), a)])
        seen.append(a.numpy().copy())
    np.testing.assert_array_equal(seen[0], [1.0, 1.0])
    mean_grads = [(grads[0] + grads[1]) / 2, (grads[2] + grads[3]) / 2]
    # Bias correction counts updates (t = 1, 2), not raw steps.
    expected = adam_reference(np.array([1.0, 1.0]), mean_grads, lr=0.1)
    np.testing.assert_allclose(seen[3], expected, rtol=1e-5)
    np.testing.assert_allclose(seen[2], seen[1])
    assert int(opt.iterations) == 2
    assert int(opt._iterations) == 4
    accumulator = [v for v in opt.variables if v.name.endswith("gradient_accumulator:0")][0]
    np.testing.assert_array_equal(accumulator.numpy(), [0.0, 0.0])


def test_gradient_accumulation_schedule_sees_raw_steps():
    a = var([0.0], "a")
    schedule = PiecewiseConstantDecay([2], [1.0, 10.0])  # lr 1 for steps 0..2, then 10
    opt = SGD(learning_rate=schedule, gradient_accumulation_steps=2)
    for _ in range(4):
        opt.apply_gradients([(t([1.0]), a)])
    # Updates at raw steps 1 (lr(1) = 1) and 3 (lr(3) = 10), each with mean gradient 1.
    np.testing.assert_allclose(float(a.detach()), -11.0)


def test_gradient_accumulation_steps_validation():
    with pytest.raises(ValueError, match="`gradient_accumulation_steps` must be an integer >= 2"):
        SGD(gradient_accumulation_steps=1)


# -- learning rate and iterations ---------------------------------------------------------------


def test_schedule_gets_pre_increment_step():
    a = var([0.0], "a")
    opt = SGD(learning_rate=PiecewiseConstantDecay([0], [1.0, 0.1]))
    opt.apply_gradients([(t([1.0]), a)])
    assert float(a.detach()) == pytest.approx(-1.0)  # step 0 -> lr(0) = 1.0
    opt.apply_gradients([(t([1.0]), a)])
    assert float(a.detach()) == pytest.approx(-1.1)
    assert float(opt.learning_rate) == pytest.approx(0.1)


def test_iterations_variable():
    opt = SGD()
    it = opt.iterations
    assert isinstance(it, Variable) and it.dtype == torch.int64 and not it.trainable
    assert int(it) == 0
    a = var([0.0], "a")
    for _ in range(3):
        opt.apply_gradients([(t([1.0]), a)])
    assert int(opt.iterations) == 3
    opt.iterations.assign(10)
    assert int(opt.iterations) == 10


def test_learning_rate_readable_and_settable():
    opt = SGD(learning_rate=0.5)
    assert float(opt.learning_rate) == 0.5
    assert float(opt.lr) == 0.5
    opt.learning_rate = 0.25
    assert float(opt.learning_rate) == 0.25
    opt.learning_rate.assign(0.125)
    a = var([0.0], "a")
    opt.apply_gradients([(t([1.0]), a)])
    assert float(a.detach()) == -0.125
    opt.lr = 1.0
    opt.apply_gradients([(t([1.0]), a)])
    assert float(a.detach()) == -1.125
    assert opt.learning_rate.dtype == torch.float32


def test_set_schedule_then_float_is_rejected():
    opt = SGD(learning_rate=0.1)
    opt.learning_rate = PiecewiseConstantDecay([5], [1.0, 0.5])
    assert len(opt.variables) == 1  # the learning_rate variable is untracked
    assert float(opt.learning_rate) == 1.0
    with pytest.raises(TypeError, match="learning rate is not settable to a float"):
        opt.learning_rate = 0.1


def test_callable_learning_rate():
    a = var([0.0], "a")
    SGD(learning_rate=lambda: 0.5).apply_gradients([(t([1.0]), a)])
    assert float(a.detach()) == -0.5


def test_learning_rate_type_error():
    with pytest.raises(ValueError, match="Argument `learning_rate` should be a float"):
        SGD(learning_rate="fast")


def test_keras2_lr_argument_warns():
    # tf_keras 2.21's 2.11+ optimizers log this sentence (the legacy ones another).
    with pytest.warns(UserWarning, match="`lr` is deprecated in TF-Keras optimizer"):
        opt = SGD(lr=0.3)
    assert float(opt.learning_rate) == pytest.approx(0.3)


def test_keras2_decay_argument_raises():
    with pytest.raises(ValueError, match=r"`decay` is no longer supported.*InverseTimeDecay") as e:
        Adam(learning_rate=0.01, decay=1e-4)
    assert "use the legacy optimizer `tf.keras.optimizers.legacy.Adam(..., decay=0.0001)`" in str(
        e.value
    )
    Adam(decay=0.0)  # the Keras 2 configs' default is a no-op


def test_unknown_argument():
    with pytest.raises(ValueError, match=r"Argument\(s\) not recognized by Adam: \{'betas'"):
        Adam(betas=(0.9, 0.99))


# -- variables, names, config ------------------------------------------------------------------


def test_default_names_are_the_class_names_and_explicit_names():
    # Keras 2 (tf_keras 2.21): every instance is named after its class, not uniquified.
    reset_names()
    assert Adam().name == "Adam"
    second = Adam()
    assert second.name == "Adam"
    assert second.variables[0].name == "Adam/iteration:0"
    assert SGD().name == "SGD"
    assert Adam(name="adam_1").name == "adam_1"  # Keras 3 style names still accepted
    assert Adam(name="adam_1").get_config()["name"] == "adam_1"


def test_variables_order_and_names():
    k = var([[1.0, 2.0]], "sequential/dense/kernel")
    opt = Adam(name="adam")
    opt.apply_gradients([(t([[1.0, 1.0]]), k)])
    assert [v.name for v in opt.variables] == [
        "adam/iteration:0",
        "adam/learning_rate:0",
        "adam/sequential_dense_kernel_momentum:0",
        "adam/sequential_dense_kernel_velocity:0",
    ]
    assert all(not v.requires_grad for v in opt.variables)
    assert opt.get_slot(k, "momentum") is opt.variables[2]


def test_get_config_from_config_round_trip():
    opt = RMSprop(learning_rate=0.05, rho=0.8, momentum=0.5, centered=True, clipnorm=2.0)
    config = opt.get_config()
    clone = RMSprop.from_config(config)
    assert clone.get_config() == config
    assert config["learning_rate"] == pytest.approx(0.05)
    schedule = PiecewiseConstantDecay([5], [1.0, 0.5])
    config = SGD(learning_rate=schedule).get_config()
    assert config["learning_rate"]["class_name"] == "PiecewiseConstantDecay"
    clone = SGD.from_config(config)
    assert isinstance(clone._learning_rate, PiecewiseConstantDecay)
    assert clone._learning_rate.get_config() == schedule.get_config()


def test_from_config_accepts_keras2_keys():
    opt = Adam.from_config(
        {"name": "Adam", "lr": 0.01, "decay": 0.0, "is_legacy_optimizer": False, "beta_1": 0.8}
    )
    assert float(opt.learning_rate) == pytest.approx(0.01) and opt.beta_1 == 0.8


def test_set_weights_and_get_weights():
    k = var([1.0, 2.0], "k")
    opt = Adam()
    opt.apply_gradients([(t([1.0, 1.0]), k)])
    weights = opt.get_weights()
    other = Adam()
    other.build([k])
    other.set_weights(weights)
    for a, b in zip(other.get_weights(), weights):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="has 4 variables, but `set_weights` received 1"):
        other.set_weights(weights[:1])


# -- inputs ------------------------------------------------------------------------------------


def test_optimizer_is_not_a_module():
    model = torch.nn.Linear(2, 2)
    model.optimizer = Adam()
    assert len(list(model.parameters())) == 2
    assert not isinstance(Adam(), torch.nn.Module)


def test_plain_torch_parameter(start=None):
    p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    opt = Adam(learning_rate=0.1)
    grads = [np.array([0.5, -1.0]), np.array([0.2, 0.3])]
    for g in grads:
        opt.apply_gradients([(t(g), p)])
    np.testing.assert_allclose(
        p.detach().numpy(), adam_reference(np.array([1.0, 2.0]), grads, lr=0.1), rtol=1e-6
    )
    assert p.requires_grad and p.grad is None
    assert opt.variables[2].name.endswith("variable_momentum:0")


def test_accepts_zip_and_apply_with_built_variables():
    a, b = var([0.0], "a"), var([0.0], "b")
    opt = SGD(learning_rate=1.0)
    opt.apply_gradients(zip([t([1.0]), t([2.0])], [a, b]))
    opt.apply([t([1.0]), t([1.0])])
    np.testing.assert_allclose([float(a.detach()), float(b.detach())], [-2.0, -3.0])


def test_apply_before_build_without_variables():
    with pytest.raises(ValueError, match=r"must already be built.*optimizer.build"):
        SGD().apply([t([1.0])])


def test_none_gradients_skipped_with_one_warning():
    a, b = var([0.0], "a"), var([0.0], "b")
    opt = SGD(learning_rate=1.0)
    with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['b:0'\]"):
        opt.apply_gradients([(t([1.0]), a), (None, b)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.apply_gradients([(t([1.0]), a), (None, b)])
    assert float(a.detach()) == -2.0 and float(b.detach()) == 0.0


def test_all_none_gradients_raise():
    with pytest.raises(ValueError, match=r"No gradients provided for any variable: \['a:0'\]"):
        SGD().apply_gradients([(None, var([0.0], "a"))])


def test_bad_pairs_and_shapes():
    a = var([0.0, 0.0], "a")
    with pytest.raises(ValueError, match=r"iterable of \(gradient, variable\) pairs"):
        SGD().apply_gradients([var([0.0, 0.0, 0.0], "c")])
    with pytest.raises(ValueError, match=r"gradient of a:0 has shape \(3,\).*shape \(2,\)"):
        SGD().apply_gradients([(t([1.0, 2.0, 3.0]), a)])
    with pytest.raises(ValueError, match="received 1 gradients for 2 variables"):
        SGD().apply([t([1.0, 1.0])], [a, var([0.0], "b")])


def test_integer_variable_rejected():
    with pytest.raises(TypeError, match="only floating-point variables can be trained"):
        SGD().apply_gradients([(t([1]), Variable(torch.tensor([1]), name="count"))])


def test_numpy_gradients_and_mixed_dtypes():
    a = var([1.0], "a")
    b = Variable(torch.tensor([1.0], dtype=torch.float64), name="b")
    opt = SGD(learning_rate=0.5, momentum=0.5)
    for _ in range(2):
        opt.apply_gradients([(np.array([1.0]), a), (t([1.0], torch.float16), b)])
    # m1 = -0.5, v = 0.5; m2 = -0.75, v = -0.25 for both, each in its own dtype group.
    assert a.dtype == torch.float32 and b.dtype == torch.float64
    np.testing.assert_allclose([float(a.detach()), float(b.detach())], [-0.25, -0.25])


def test_new_variables_get_slots_later():
    a, b = var([0.0], "a"), var([0.0], "b")
    opt = Adam(name="adam")
    opt.apply_gradients([(t([1.0]), a)])
    opt.apply_gradients([(t([1.0]), b)])
    assert [v.name for v in opt.variables[2:]] == [
        "adam/a_momentum:0",
        "adam/a_velocity:0",
        "adam/b_momentum:0",
        "adam/b_velocity:0",
    ]


# -- minimize --------------------------------------------------------------------------------


def test_minimize_quadratic_converges():
    target = np.array([3.0, -1.0, 0.5])
    x = var([0.0, 0.0, 0.0], "x")
    opt = Adam(learning_rate=0.1)
    goal = t(target)
    for _ in range(300):
        opt.minimize(lambda: ((x - goal) ** 2).sum(), [x])
    np.testing.assert_allclose(x.numpy(), target, atol=1e-2)
    assert int(opt.iterations) == 300


def test_minimize_tensor_loss_and_callable_var_list():
    x = var([2.0], "x")
    loss = (x**2).sum() / 2
    SGD(learning_rate=0.5).minimize(loss, lambda: [x])
    assert float(x.detach()) == 1.0
    with pytest.raises(ValueError, match="`tape` is required when a `Tensor` loss is passed"):
        SGD().minimize(t(1.0), [x])


# -- custom optimizers, copies --------------------------------------------------------------------


def test_keras_style_custom_optimizer():
    class SignSGD(Optimizer):
        def __init__(self, learning_rate=0.1, **kwargs):
            super().__init__(learning_rate=learning_rate, **kwargs)

        def build(self, var_list):
            super().build(var_list)
            self.counts = [self.add_variable_from_reference(v, "count") for v in var_list]

        def update_step(self, gradient, variable, learning_rate):
            self.assign_sub(variable, learning_rate * torch.sign(gradient))
            self.assign_add(self.counts[self._get_variable_index(variable)], 1.0)

    a = var([0.0, 0.0], "a")
    opt = SignSGD()
    assert opt.name == "SignSGD"  # Keras 2: the class name
    opt.apply_gradients([(t([3.0, -0.1]), a)])
    opt.apply_gradients([(t([3.0, -0.1]), a)])
    np.testing.assert_allclose(a.numpy(), [-0.2, 0.2], rtol=1e-6)
    np.testing.assert_allclose(opt.counts[0].numpy(), [2.0, 2.0])


def test_deepcopy_and_pickle_keep_state():
    a = var([1.0], "a")
    opt = Adam(learning_rate=0.1)
    opt.apply_gradients([(t([1.0]), a)])
    for clone in (copy.deepcopy(opt), pickle.loads(pickle.dumps(opt))):
        assert int(clone.iterations) == 1
        assert float(clone.learning_rate) == pytest.approx(0.1)
        np.testing.assert_array_equal(clone.variables[2].numpy(), opt.variables[2].numpy())


def test_keras_style_build_guard_rejects_new_variables():
    class Plain(Optimizer):
        def build(self, var_list):
            if self.built:
                return
            super().build(var_list)

        def update_step(self, gradient, variable, learning_rate):
            self.assign_sub(variable, learning_rate * gradient)

    a, b = var([0.0], "a"), var([0.0], "b")
    opt = Plain(learning_rate=1.0)
    opt.apply_gradients([(t([1.0]), a)])
    with pytest.raises(
        ValueError, match="Unknown variable: b:0. This optimizer can only be called"
    ):
        opt.apply_gradients([(t([1.0]), b)])


def test_custom_optimizer_deserialize_with_custom_objects():
    class Custom(SGD):
        @classmethod
        def from_config(cls, config):
            return cls(**config)

    from tork.keras import optimizers

    data = optimizers.serialize(Custom(learning_rate=0.5))
    assert data["registered_name"] == "Custom"
    clone = optimizers.deserialize(data, custom_objects={"Custom": Custom})
    assert type(clone) is Custom and float(clone.learning_rate) == 0.5


def test_tork_step_fast_path_with_autograd_grads():
    model = torch.nn.Linear(3, 2)
    params = list(model.parameters())
    start = [p.detach().numpy().astype(np.float64) for p in params]
    opt = SGD(learning_rate=0.1, momentum=0.9)
    x = torch.ones(4, 3)
    for _ in range(3):  # the same list object each step: the cached plan is reused
        model.zero_grad()
        model(x).sum().backward()
        opt._tork_step(params, [p.grad for p in params])
    # d(sum)/dW = 4 for every weight, d/db = 4: constant gradient 4 with momentum 0.9.
    m, delta = 0.0, 0.0
    for _ in range(3):
        m = 0.9 * m - 0.1 * 4.0
        delta += m
    for p, p0 in zip(params, start):
        np.testing.assert_allclose(p.detach().numpy(), p0 + delta, rtol=1e-5, atol=1e-6)
    assert int(opt.iterations) == 3 and len(opt._plans) == 1
