"""tf_keras files of a model compiled with a LossScaleOptimizer (mixed_float16).

tf_keras names the wrapper `LossScaleOptimizerV3` in `.h5`/`.keras` configs and saves only
its inner optimizer's variables (`iteration:0`, `m/d1/kernel:0`, no optimizer-name prefix).
Before the fix tork could not load either file (unknown class), and after the name was
known it skipped the optimizer state (iterations 0: a different next step).

Reference: data/fuzzsave3/make_lso_fixtures.py with tf_keras 2.21: the weights after a third
step continued in memory (tf_keras's own reload of its `.h5` restarts at iteration 0).
"""

import json
import os
import zipfile

import h5py
import numpy as np
import pytest

from tork import keras
from tork.keras.mixed_precision import LossScaleOptimizer

DATA = os.path.join(os.path.dirname(__file__), "data", "fuzzsave3")
X = np.linspace(-1, 1, 24, dtype="float32").reshape(6, 4)
Y = np.ones((6, 1), "float32")
KERAS2_NAMES = ["iteration:0", "m/d1/kernel:0", "m/d1/bias:0", "m/o/kernel:0", "m/o/bias:0"]
AFTER_3 = [
    [
        -0.513885498046875,
        -0.40615329146385193,
        -0.28613510727882385,
        -0.20227360725402832,
        -0.1128242015838623,
        0.016946399584412575,
        0.10934560000896454,
        0.1805022954940796,
        0.32002800703048706,
        0.4209586977958679,
        0.473823606967926,
        0.6231064200401306,
    ],
    [0.23356319963932037, -0.07669679820537567, -0.06458280235528946],
    [0.48141300678253174, -0.2596004009246826, 0.25991109013557434],
    [0.3714098036289215],
]


def _path(suffix):
    path = os.path.join(DATA, f"lso_sgd.{suffix}")
    if not os.path.exists(path):
        pytest.skip(f"fixture {path} missing (gitignored .keras: git add -f it)")
    return path


def _check_next_step(model):
    model.train_on_batch(X, Y)
    for got, want in zip(model.get_weights(), AFTER_3):
        np.testing.assert_allclose(got.ravel(), want, atol=5e-5)


@pytest.mark.parametrize("suffix", ["h5", "keras"])
def test_tf_keras_loss_scale_optimizer_state_loads(suffix):
    model = keras.models.load_model(_path(suffix))
    assert isinstance(model.optimizer, LossScaleOptimizer)
    assert type(model.optimizer.inner_optimizer).__name__ == "SGD"
    assert model.optimizer.inner_optimizer.momentum == 0.5
    assert int(model.optimizer.iterations) == 2
    _check_next_step(model)


def test_tork_h5_uses_tf_keras_names(tmp_path):
    model = keras.models.load_model(_path("h5"))
    path = tmp_path / "again.h5"
    model.save(path)
    with h5py.File(path, "r") as f:
        names = [
            n.decode() if isinstance(n, bytes) else n
            for n in f["optimizer_weights"].attrs["weight_names"]
        ]
    assert names == KERAS2_NAMES
    again = keras.models.load_model(path)
    assert int(again.optimizer.iterations) == 2
    _check_next_step(again)


# tf_keras 2.21's training_config optimizer entry for LossScaleOptimizer(SGD(0.05, momentum=0.5),
# initial_scale=256, dynamic_growth_steps=1) (the fixture's .h5), minus the inner config.
KERAS2_ENTRY = {
    "class_name": "LossScaleOptimizerV3",
    "dynamic": True,
    "initial_scale": 256.0,
    "dynamic_growth_steps": 1,
}


def test_tork_h5_training_config_names_tf_keras_class(tmp_path):
    model = keras.models.load_model(_path("h5"))
    path = tmp_path / "again.h5"
    model.save(path)
    with h5py.File(path, "r") as f:
        training = json.loads(f.attrs["training_config"])
    entry = training["optimizer_config"]
    assert entry["class_name"] == KERAS2_ENTRY["class_name"]
    assert sorted(entry["config"]) == [
        "dynamic",
        "dynamic_growth_steps",
        "initial_scale",
        "inner_optimizer",
    ]
    for key in ("dynamic", "initial_scale", "dynamic_growth_steps"):
        assert entry["config"][key] == KERAS2_ENTRY[key]
    assert entry["config"]["inner_optimizer"]["class_name"] == "SGD"


def test_fixed_scale_round_trip(tmp_path):
    # tf_keras writes `dynamic: False` and `dynamic_growth_steps: None` for a fixed scale.
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile(
        LossScaleOptimizer(keras.optimizers.SGD(0.1), dynamic=False, initial_scale=8.0), "mse"
    )
    path = tmp_path / "fixed.h5"
    model.save(path)
    with h5py.File(path, "r") as f:
        config = json.loads(f.attrs["training_config"])["optimizer_config"]["config"]
    assert config["dynamic"] is False and config["dynamic_growth_steps"] is None
    loaded = keras.models.load_model(path)
    assert isinstance(loaded.optimizer, LossScaleOptimizer)
    assert not loaded.optimizer.dynamic and loaded.optimizer.initial_scale == 8.0


def test_tork_keras_archive_loss_scale_entry_is_keras3_readable(tmp_path):
    # Keras 3.15 loading tork's archive failed with "Argument(s) not recognized:
    # {'jit_compile': False, 'is_legacy_optimizer': False}" (the inner optimizer's tf_keras
    # keys), and training it with "'NoneType' object cannot be interpreted as an integer"
    # (tf_keras's `steps_per_execution: null`, kept from the tf_keras file). With both fixed
    # Keras 3 continued training to AFTER_3 exactly.
    model = keras.models.load_model(_path("keras"))
    path = tmp_path / "again.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        compile_config = json.loads(archive.read("config.json"))["compile_config"]
    entry = compile_config["optimizer"]
    assert entry["class_name"] == "LossScaleOptimizer"
    inner = entry["config"]["inner_optimizer"]["config"]
    assert "jit_compile" not in inner and "is_legacy_optimizer" not in inner
    assert compile_config["steps_per_execution"] == 1
    again = keras.models.load_model(path)
    assert int(again.optimizer.iterations) == 2
    _check_next_step(again)
