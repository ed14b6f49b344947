"""Optimizer state in `.keras` files shared with Keras 3 (and what tf_keras reads).

Keras 3 and tf_keras both read `optimizer/vars/0..n-1` of `model.weights.h5` and skip the
state unless the count equals their optimizer's variable count: Keras 3 lists a learning-rate
variable when the learning rate is a number, tf_keras never does, so no layout serves both
then (tork keeps Keras 3's). With a LearningRateSchedule both lists agree.

- Nadam: Keras 3 lists `u_product` after the slots; tork listed it first, so Keras 3 failed
  to load tork's files ("could not be loaded") and tork skipped Keras 3's.
- Schedules: tork wrote tf_keras's `name: null`, on which Keras 3's schedules fail when called
  ("Argument `name` must be a string"); the file now holds Keras 3's default name.

k3_nadam.keras and its next-step weights: data/saveleft22/make_fixtures.py (Keras 3.15).
"""

import io
import json
import os
import warnings
import zipfile

import numpy as np
import pytest

import tork as tf

keras = tf.keras
DATA = os.path.join(os.path.dirname(__file__), "data", "saveleft22")
X4 = np.linspace(-1, 1, 12).reshape(4, 3).astype("float32")
Y4 = np.linspace(0, 1, 8).reshape(4, 2).astype("float32")
# Keras 3.15: the weights after one more train_on_batch of the model it saved (3 steps in).
K3_NADAM_NEXT = [
    [
        [-0.4680336117744446, -0.33362433314323425],
        [-0.06806902587413788, 0.13182178139686584],
        [0.3319023549556732, 0.5319704413414001],
    ],
    [0.13163156807422638, -0.06790342181921005],
]


def _dense_model():
    m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    m.set_weights(
        [np.linspace(-0.5, 0.5, 6).reshape(3, 2).astype("float32"), np.array([0.1, -0.1], "f4")]
    )
    return m


def _optimizer_vars(path):
    import h5py

    with zipfile.ZipFile(path) as archive:
        data = archive.read("model.weights.h5")
    with h5py.File(io.BytesIO(data)) as f:
        group = f["optimizer/vars"]
        return [np.asarray(group[str(i)]) for i in range(len(group))]


def test_keras3_nadam_file_continues_training():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "Skipping loading the state of optimizer"
        model = keras.models.load_model(os.path.join(DATA, "k3_nadam.keras"))
    model.train_on_batch(X4, Y4)
    for got, want in zip(model.get_weights(), K3_NADAM_NEXT):
        np.testing.assert_allclose(got, want, atol=2e-6)


def test_nadam_file_stores_u_product_after_the_slots_as_keras3(tmp_path):
    model = _dense_model()
    model.compile(keras.optimizers.Nadam(0.01), "mse")
    for _ in range(3):
        model.train_on_batch(X4, Y4)
    path = str(tmp_path / "m.keras")
    model.save(path)
    values = _optimizer_vars(path)
    # iteration, learning_rate, (momentum, velocity) per weight, u_product: Keras 3's order.
    assert [v.shape for v in values] == [(), (), (3, 2), (3, 2), (2,), (2,), ()]
    mu = [0.9 * (1 - 0.5 * 0.96**t) for t in (1, 2, 3)]
    np.testing.assert_allclose(values[-1], np.prod(mu), rtol=1e-6)
    assert int(values[0]) == 3


def test_older_tork_nadam_files_still_load(tmp_path):
    # tork wrote u_product right after the learning rate: it still maps by shape.
    import h5py

    model = _dense_model()
    model.compile(keras.optimizers.Nadam(0.01), "mse")
    for _ in range(3):
        model.train_on_batch(X4, Y4)
    path = str(tmp_path / "m.keras")
    model.save(path)
    values = _optimizer_vars(path)
    old = values[:2] + values[-1:] + values[2:-1]
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    buffer = io.BytesIO(members["model.weights.h5"])
    with h5py.File(buffer, "r+") as f:
        group = f["optimizer/vars"]
        for i, value in enumerate(old):
            del group[str(i)]
            group.create_dataset(str(i), data=value)
    members["model.weights.h5"] = buffer.getvalue()
    old_path = str(tmp_path / "old.keras")
    with zipfile.ZipFile(old_path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = keras.models.load_model(old_path)
    expected = model.optimizer.variables
    for got, want in zip(loaded.optimizer.variables, expected):
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-6)


def test_mismatched_optimizer_state_names_the_shapes(tmp_path):
    model = _dense_model()
    model.compile(keras.optimizers.Adam(0.01), "mse")
    model.train_on_batch(X4, Y4)
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    other = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, name="d")])
    other.compile(keras.optimizers.Adam(0.01), "mse")
    other.train_on_batch(np.ones((2, 2), "f4"), np.ones((2, 3), "f4"))
    other.save_weights(str(tmp_path / "o.weights.h5"))
    with pytest.warns(
        UserWarning,
        match=r"Skipping loading the state of optimizer .* has 6 variables but the file has 6 "
        r"for it of shapes \[\(\), \(\), \(3, 2\).* vs\. \[\(\), \(\), \(2, 3\)",
    ):
        model.load_weights(str(tmp_path / "o.weights.h5"), skip_mismatch=True)


def test_schedule_is_written_with_keras3_default_name(tmp_path):
    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, 10, 0.9)
    assert schedule.get_config()["name"] is None  # tf_keras's get_config
    model = _dense_model()
    model.compile(keras.optimizers.Adam(schedule), "mse")
    model.train_on_batch(X4, Y4)
    path = str(tmp_path / "m.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    written = config["compile_config"]["optimizer"]["config"]["learning_rate"]
    # What Keras 3.15 writes for ExponentialDecay(0.01, 10, 0.9).
    assert written["config"] == {
        "initial_learning_rate": 0.01,
        "decay_steps": 10,
        "decay_rate": 0.9,
        "staircase": False,
        "name": "ExponentialDecay",
    }
    # Same count as Keras 3 and tf_keras with a schedule: iteration and the slots.
    assert len(_optimizer_vars(path)) == 5
    loaded = keras.models.load_model(path)
    loaded.train_on_batch(X4, Y4)
    model.train_on_batch(X4, Y4)
    for got, want in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-6)
