"""`keras.optimizers.legacy`: the Keras 2 classes with `decay` (lr / (1 + decay * iterations))."""

import numpy as np
import pytest
import torch

from tork.keras import backend as K
from tork.keras import optimizers
from tork.keras.optimizers import legacy
from tork.variables import Variable


def _sgd_reference(x, grads, lr, decay, momentum=0.0, nesterov=False):
    # Keras 2 legacy SGD: step t (0-based) uses lr / (1 + decay * t).
    m = np.zeros_like(x)
    for t, g in enumerate(grads):
        lr_t = lr / (1.0 + decay * t)
        m = momentum * m - lr_t * g
        x = x + (momentum * m - lr_t * g if nesterov else m)
    return x


def _adam_reference(x, grads, lr, decay, b1=0.9, b2=0.999, eps=1e-7):
    m = np.zeros_like(x)
    v = np.zeros_like(x)
    for t, g in enumerate(grads):
        lr_t = lr / (1.0 + decay * t)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        step = t + 1
        x = x - lr_t * np.sqrt(1 - b2**step) / (1 - b1**step) * m / (np.sqrt(v) + eps)
    return x


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_decay_matches_keras2_formula(run, start, grads, nesterov):
    opt = legacy.SGD(learning_rate=0.1, decay=0.5, momentum=0.9, nesterov=nesterov)
    expected = _sgd_reference(start, grads, 0.1, 0.5, 0.9, nesterov)
    np.testing.assert_allclose(run(opt), expected, rtol=1e-6, atol=1e-6)


def test_adam_decay_matches_keras2_formula(run, start, grads):
    opt = legacy.Adam(learning_rate=0.1, decay=0.5)
    np.testing.assert_allclose(
        run(opt), _adam_reference(start, grads, 0.1, 0.5), rtol=1e-5, atol=1e-6
    )


def test_trajectory_from_tf_keras_2_21():
    # tf_keras 2.21: legacy.SGD(lr=0.1, decay=0.5, momentum=0.9, nesterov=True), grad [0.5, 0.25]
    # applied 4 times to [1, -2].
    expected = [
        [0.9049999713897705, -2.047499895095825],
        [0.8011670112609863, -2.0994160175323486],
        [0.6902170181274414, -2.1548919677734375],
        [0.574862003326416, -2.212568998336792],
    ]
    with pytest.warns(UserWarning, match="`lr` argument is deprecated"):
        opt = legacy.SGD(lr=0.1, decay=0.5, momentum=0.9, nesterov=True)
    v = Variable(torch.tensor([1.0, -2.0]))
    for row in expected:
        opt.apply_gradients([(torch.tensor([0.5, 0.25]), v)])
        np.testing.assert_allclose(v.detach().numpy(), row, rtol=1e-6)
    # Keras 2: `lr` is the undecayed rate; `_decayed_lr` is the next step's, 0.1 / (1 + 0.5 * 4).
    assert float(K.get_value(opt.lr)) == pytest.approx(0.1)
    assert float(opt._decayed_lr(torch.float32)) == pytest.approx(0.1 / 3)


def test_adagrad_and_rmsprop_from_tf_keras_2_21():
    # tf_keras 2.21 legacy optimizers, lr=0.1, decay=0.5, grad [0.5, 0.25] on [1, -2], 4 steps.
    cases = [
        (legacy.Adagrad, [0.8262659907341003, -2.1373701095581055]),
        (legacy.RMSprop, [0.36657199263572693, -2.6334280967712402]),
    ]
    for cls, expected in cases:
        opt = cls(learning_rate=0.1, decay=0.5)
        v = Variable(torch.tensor([1.0, -2.0]))
        for _ in range(4):
            opt.apply_gradients([(torch.tensor([0.5, 0.25]), v)])
        np.testing.assert_allclose(v.detach().numpy(), expected, rtol=1e-5)


def test_zero_decay_is_the_keras_optimizer(run):
    np.testing.assert_allclose(
        run(legacy.Adam(learning_rate=0.01)), run(optimizers.Adam(learning_rate=0.01))
    )


def test_decay_is_a_settable_variable():
    opt = legacy.SGD(learning_rate=1.0, decay=0.0)
    assert float(K.get_value(opt.decay)) == 0.0
    K.set_value(opt.decay, 1.0)
    v = Variable(torch.tensor(0.0))
    opt.apply_gradients([(torch.tensor(1.0), v)])  # lr 1 / (1 + 1 * 0) = 1
    opt.apply_gradients([(torch.tensor(1.0), v)])  # lr 1 / (1 + 1 * 1) = 0.5
    assert float(v) == pytest.approx(-1.5)
    opt.decay = 3.0
    assert opt.get_config()["decay"] == 3.0
    # A hyperparameter, not state: tf_keras 2.21 lists only `iter` (no learning rate).
    assert len(opt.variables) == 1


def test_negative_decay_raises():
    with pytest.raises(ValueError, match=r"`decay` cannot be less than 0. Received: decay=-1.0"):
        legacy.Adam(decay=-1.0)


def test_get_config_from_config_round_trip():
    opt = legacy.RMSprop(learning_rate=0.05, decay=0.25, rho=0.8)
    config = opt.get_config()
    assert config["decay"] == 0.25
    clone = legacy.RMSprop.from_config(config)
    assert type(clone) is legacy.RMSprop
    assert clone._lr_decay == 0.25 and clone.rho == 0.8


def test_serialize_names_the_legacy_module():
    data = optimizers.serialize(legacy.SGD(learning_rate=0.1, decay=0.5))
    assert data["module"] == "keras.optimizers.legacy"
    assert data["class_name"] == "SGD" and data["registered_name"] is None
    assert type(optimizers.deserialize(data)) is legacy.SGD


@pytest.mark.parametrize(
    "config",
    [
        # TF <= 2.10 files: a class name and a config holding `decay`.
        {"class_name": "SGD", "config": {"learning_rate": 0.1, "decay": 0.5, "momentum": 0.9}},
        {"class_name": "Adam", "config": {"learning_rate": 0.1, "is_legacy_optimizer": True}},
    ],
)
def test_deserialize_keras2_legacy_configs(config):
    opt = optimizers.deserialize(config)
    assert type(opt) is getattr(legacy, config["class_name"])
    assert opt._lr_decay == config["config"].get("decay", 0.0)


def test_deserialize_keras2_new_optimizer_config_stays_new():
    opt = optimizers.deserialize(
        {"class_name": "Adam", "config": {"learning_rate": 0.1, "is_legacy_optimizer": False}}
    )
    assert type(opt) is optimizers.Adam
    assert (
        type(optimizers.deserialize({"class_name": "SGD", "config": {}}, use_legacy_optimizer=True))
        is legacy.SGD
    )


def test_flag_false_wins_over_decay_key():
    # TF 2.11-2.15 new-optimizer configs may hold `decay: 0.0` next to the flag.
    config = {"learning_rate": 0.1, "decay": 0.0, "is_legacy_optimizer": False}
    assert type(optimizers.deserialize({"class_name": "Adam", "config": config})) is optimizers.Adam


# tf_keras 2.21 legacy optimizers, grads [0.01, 0.002], [0.003, -0.001], [0.02, 0.0005] applied
# to [1, -2]. Small gradients show where Keras 2 put epsilon (outside the square root for
# Adagrad and momentum-free RMSprop) and legacy Nadam's 0.96 ** (0.004 t) momentum schedule.
_SMALL_GRADS = ([0.01, 0.002], [0.003, -0.001], [0.02, 0.0005])
_TF_KERAS_LEGACY = [
    (lambda: legacy.RMSprop(0.1, epsilon=1e-3), [0.4371943175792694, -2.0930020809173584]),
    (
        lambda: legacy.RMSprop(0.1, epsilon=1e-3, momentum=0.5),
        [0.8690210580825806, -2.007904291152954],
    ),
    (
        lambda: legacy.RMSprop(0.1, epsilon=1e-3, centered=True),
        [0.39847660064697266, -2.0955252647399902],
    ),
    (
        lambda: legacy.Adagrad(0.1, epsilon=1e-3, initial_accumulator_value=0.0),
        [0.797981858253479, -2.0509564876556396],
    ),
    (lambda: legacy.Adadelta(1.0, epsilon=1e-3), [0.9672190546989441, -2.001499891281128]),
    (lambda: legacy.Adamax(0.1, epsilon=1e-3), [0.7975019216537476, -2.0957372188568115]),
    (lambda: legacy.Nadam(0.1, epsilon=1e-3), [0.7756314873695374, -2.060739278793335]),
    (lambda: legacy.Adam(0.1, epsilon=1e-3), [0.9184278845787048, -2.010004758834839]),
]


@pytest.mark.parametrize("case", range(len(_TF_KERAS_LEGACY)))
def test_update_rules_match_tf_keras_legacy(case):
    make, expected = _TF_KERAS_LEGACY[case]
    opt = make()
    v = Variable(torch.tensor([1.0, -2.0]))
    for g in _SMALL_GRADS:
        opt.apply_gradients([(torch.tensor(g), v)])
    np.testing.assert_allclose(v.detach().numpy(), expected, rtol=1e-6, atol=1e-6)


def test_legacy_epsilon_placement_formula(run, start, grads):
    # Adagrad: acc += g^2; v -= lr g / (sqrt(acc) + eps).
    x, acc = start.copy(), np.full_like(start, 0.1)
    for g in grads:
        acc = acc + g * g
        x = x - 0.1 * g / (np.sqrt(acc) + 1e-7)
    np.testing.assert_allclose(run(legacy.Adagrad(0.1)), x, rtol=1e-5, atol=1e-6)


def test_nadam_schedule_decay_replaces_decay_and_keeps_lr():
    opt = legacy.Nadam(learning_rate=0.01, decay=0.5)
    assert opt.get_config()["decay"] == 0.004 and opt.decay == 0.004
    assert float(opt._decayed_lr()) == pytest.approx(0.01)
    assert legacy.Nadam(schedule_decay=0.1).get_config()["decay"] == 0.1
    clone = legacy.Nadam.from_config(opt.get_config())
    assert clone.decay == 0.004


@pytest.mark.parametrize("cls", [legacy.SGD, legacy.Nadam])
@pytest.mark.parametrize("norm", ["clipnorm", "global_clipnorm"])
def test_legacy_clips_by_value_then_by_norm(cls, norm):
    # tf_keras 2.21 legacy SGD(1.0, clipvalue=2.0, clipnorm=1.0) on grad [3, -4]:
    # [2, -2] after clipvalue, then norm 1: [-0.70710677, 0.70710677].
    a = Variable(torch.zeros(2), name="a")
    opt = cls(learning_rate=1.0, clipvalue=2.0, **{norm: 1.0})
    grad = torch.tensor([3.0, -4.0])
    if cls is legacy.SGD:
        opt.apply_gradients([(grad, a)])
        np.testing.assert_allclose(a.numpy(), [-0.70710677, 0.70710677], rtol=1e-6)
    else:
        clipped = opt._clip([[grad]])[0][0]
        np.testing.assert_allclose(clipped.numpy(), [0.70710677, -0.70710677], rtol=1e-6)


def test_legacy_rejects_clipnorm_with_global_clipnorm():
    # tf_keras 2.21's OptimizerV2 message.
    with pytest.raises(ValueError, match="Cannot accept both `clipnorm` and `global_clipnorm`"):
        legacy.Adam(clipnorm=1.0, global_clipnorm=1.0)


def test_legacy_adagrad_rejects_negative_initial_accumulator():
    # tf_keras 2.21 legacy message; the new Adagrad accepts it, as in Keras.
    with pytest.raises(ValueError, match="initial_accumulator_value must be non-negative: -1"):
        legacy.Adagrad(initial_accumulator_value=-1)
    optimizers.Adagrad(initial_accumulator_value=-1)
