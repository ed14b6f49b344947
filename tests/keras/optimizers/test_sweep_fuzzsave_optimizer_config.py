"""Optimizer `get_config()` in tf_keras's layout (Keras 2 wins), Keras 3's configs still read.

tork wrote Keras 3's keys (`loss_scale_factor`, `gradient_accumulation_steps`), which tf_keras
2.21's `from_config` rejects ("Unrecognized keyword arguments" / "Argument(s) not
recognized"), and gave legacy optimizers the new optimizers' keys (`weight_decay`,
`use_ema`...), which tf_keras's legacy classes reject ("Unexpected keyword argument passed
to optimizer"). The expected key lists are tf_keras 2.21's own `get_config()` output
(/tmp/fuzzsave, TF_USE_LEGACY_KERAS=1); every config below was checked to load with
tf_keras's `from_config`.
"""

import pytest

from tork import keras

opts = keras.optimizers
_BASE = [
    "name",
    "weight_decay",
    "clipnorm",
    "global_clipnorm",
    "clipvalue",
    "use_ema",
    "ema_momentum",
    "ema_overwrite_frequency",
    "jit_compile",
    "is_legacy_optimizer",
    "learning_rate",
]

# tf_keras 2.21: list(keras.optimizers.<Name>().get_config()) after the base keys.
NEW = {
    "SGD": ["momentum", "nesterov"],
    "Adam": ["beta_1", "beta_2", "epsilon", "amsgrad"],
    "AdamW": ["beta_1", "beta_2", "epsilon", "amsgrad"],
    "RMSprop": ["rho", "momentum", "epsilon", "centered"],
    "Adagrad": ["initial_accumulator_value", "epsilon"],
    "Adadelta": ["rho", "epsilon"],
    "Adamax": ["beta_1", "beta_2", "epsilon"],
    "Nadam": ["beta_1", "beta_2", "epsilon"],
    "Lion": ["beta_1", "beta_2"],
}

# tf_keras 2.21: keras.optimizers.legacy.<Name>().get_config().
LEGACY = {
    "SGD": {"name": "SGD", "learning_rate": 0.01, "decay": 0.0, "momentum": 0.0,
            "nesterov": False},
    "Adam": {"name": "Adam", "learning_rate": 0.001, "decay": 0.0, "beta_1": 0.9,
             "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False},
    "RMSprop": {"name": "RMSprop", "learning_rate": 0.001, "decay": 0.0, "rho": 0.9,
                "momentum": 0.0, "epsilon": 1e-07, "centered": False},
    "Nadam": {"name": "Nadam", "learning_rate": 0.001, "decay": 0.004, "beta_1": 0.9,
              "beta_2": 0.999, "epsilon": 1e-07},
    "Adagrad": {"name": "Adagrad", "learning_rate": 0.001, "decay": 0.0,
                "initial_accumulator_value": 0.1, "epsilon": 1e-07},
    "Adadelta": {"name": "Adadelta", "learning_rate": 0.001, "decay": 0.0, "rho": 0.95,
                 "epsilon": 1e-07},
    "Adamax": {"name": "Adamax", "learning_rate": 0.001, "decay": 0.0, "beta_1": 0.9,
               "beta_2": 0.999, "epsilon": 1e-07},
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(NEW))
def test_new_optimizer_config_has_tf_keras_keys(name):
    config = getattr(opts, name)().get_config()
    assert list(config) == _BASE + NEW[name]
    assert config["jit_compile"] is False and config["is_legacy_optimizer"] is False
    clone = getattr(opts, name).from_config(config)
    assert clone.get_config() == config


@pytest.mark.parametrize("name", sorted(LEGACY))
def test_legacy_optimizer_config_is_tf_keras_legacy(name):
    config = getattr(opts.legacy, name)().get_config()
    assert list(config) == list(LEGACY[name])
    assert config == pytest.approx(LEGACY[name])
    clone = getattr(opts.legacy, name).from_config(config)
    assert type(clone) is getattr(opts.legacy, name)
    assert clone.get_config() == config


def test_legacy_config_lists_set_clipping_before_the_learning_rate():
    # tf_keras 2.21: legacy.SGD(momentum=0.9, clipnorm=1.0).get_config()
    config = opts.legacy.SGD(momentum=0.9, clipnorm=1.0).get_config()
    assert list(config) == ["name", "clipnorm", "learning_rate", "decay", "momentum", "nesterov"]
    assert config["clipnorm"] == 1.0 and config["momentum"] == pytest.approx(0.9)


def test_set_keras3_options_are_written_and_read_back():
    config = opts.SGD(0.1, gradient_accumulation_steps=2, loss_scale_factor=4.0).get_config()
    assert config["gradient_accumulation_steps"] == 2 and config["loss_scale_factor"] == 4.0
    clone = opts.SGD.from_config(config)
    assert clone.gradient_accumulation_steps == 2 and clone.loss_scale_factor == 4.0
    assert "gradient_accumulation_steps" not in opts.SGD(0.1).get_config()


def test_keras3_configs_still_load():
    # Keras 3.15's keras.optimizers.Adam(learning_rate=0.01).get_config()
    keras3 = {
        "name": "adam",
        "learning_rate": 0.01,
        "weight_decay": None,
        "clipnorm": None,
        "global_clipnorm": None,
        "clipvalue": None,
        "use_ema": False,
        "ema_momentum": 0.99,
        "ema_overwrite_frequency": None,
        "loss_scale_factor": None,
        "gradient_accumulation_steps": None,
        "beta_1": 0.9,
        "beta_2": 0.999,
        "epsilon": 1e-07,
        "amsgrad": False,
    }
    opt = opts.Adam.from_config(keras3)
    assert float(opt.learning_rate) == pytest.approx(0.01) and opt.name == "adam"
    assert opts.deserialize({"class_name": "Adam", "config": keras3}).beta_2 == 0.999


def test_keras3_only_optimizers_keep_keras3_layout():
    # Lamb exists only in Keras 3 (no tf_keras config to follow).
    config = opts.Lamb().get_config()
    assert "loss_scale_factor" in config and "jit_compile" not in config
