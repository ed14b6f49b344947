import json
import os
import random
import signal
import warnings
import zipfile

import numpy as np
import pytest
import torch

from tork import keras
from tork.keras.saving import KerasFileError


def _fit(model, data, epochs=1):
    x, y = data
    model.fit(x, y, batch_size=8, epochs=epochs, verbose=0, shuffle=False)


# -- layout -------------------------------------------------------------------------------


def test_archive_members_and_metadata(tmp_path, make_sequential):
    model = make_sequential()
    path = tmp_path / "m.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        assert set(infos) == {"metadata.json", "config.json", "model.weights.h5"}
        assert all(info.compress_type == zipfile.ZIP_STORED for info in infos.values())
        metadata = json.loads(archive.read("metadata.json"))
        config = json.loads(archive.read("config.json"))
    assert metadata["keras_version"].startswith("3.")
    # "%Y-%m-%d@%H:%M:%S"
    date, time = metadata["date_saved"].split("@")
    assert len(date.split("-")) == 3 and len(time.split(":")) == 3
    assert config["module"] == "keras" and config["class_name"] == "Sequential"
    assert config["registered_name"] is None
    assert config["compile_config"] == {}
    assert config["config"]["build_input_shape"] == [None, 4]
    # Keras 2 and 3 both list the model's InputLayer first.
    assert config["config"]["layers"][0]["class_name"] == "InputLayer"
    dense = config["config"]["layers"][1]
    assert dense["module"] == "keras.layers" and dense["class_name"] == "Dense"
    assert dense["registered_name"] is None
    assert dense["build_config"]["input_shape"][1:] == [4]


def test_functional_config_module(tmp_path, make_functional):
    path = tmp_path / "f.keras"
    make_functional().save(path)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    # `keras.models.Model`, which Keras 3 and tf_keras both resolve (tf_keras cannot import
    # Keras 3's `keras.src.models.functional`); both build the functional model from it.
    assert config["module"] == "keras.models"
    assert config["class_name"] == "Model" and config["registered_name"] is None
    assert config["config"]["input_layers"] == ["features", 0, 0]
    assert config["config"]["output_layers"] == ["head", 0, 0]


# -- round trips --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sequential", "functional"])
def test_round_trip_predictions_compile_and_training(
    tmp_path, data, kind, make_sequential, make_functional, same_weights
):
    keras.utils.set_random_seed(1)
    model = make_sequential() if kind == "sequential" else make_functional()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01, beta_1=0.8),
        loss="mse",
        metrics=["mae"],
    )
    _fit(model, data)
    path = tmp_path / "m.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    x, _ = data
    np.testing.assert_array_equal(model.predict(x, verbose=0), restored.predict(x, verbose=0))
    assert same_weights(model, restored)
    # Compile config and optimizer state.
    assert type(restored.optimizer).__name__ == "Adam"
    assert restored.optimizer.get_config()["beta_1"] == 0.8
    assert int(restored.optimizer.iterations) == int(model.optimizer.iterations) == 4
    for a, b in zip(model.optimizer.variables, restored.optimizer.variables):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    # One more epoch on both gives the same weights.
    _fit(model, data)
    _fit(restored, data)
    assert same_weights(model, restored)


@keras.saving.register_keras_serializable(package="TorkTests")
class _Residual(keras.Model):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.blocks = [keras.layers.Dense(units, activation="relu"), keras.layers.Dense(units)]
        self.head = keras.layers.Dense(2)

    def call(self, inputs):
        hidden = self.blocks[0](inputs)
        return self.head(hidden + self.blocks[1](hidden))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_subclassed_round_trip_and_training(tmp_path, data, same_weights):
    keras.utils.set_random_seed(2)
    model = _Residual(6)
    model.compile(optimizer="rmsprop", loss="mse")
    _fit(model, data)
    path = tmp_path / "sub.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    assert config["registered_name"] == "TorkTests>_Residual"
    assert config["config"]["units"] == 6
    assert config["build_config"]["input_shape"] == [8, 4]
    restored = keras.models.load_model(path)
    assert isinstance(restored, _Residual) and restored.units == 6
    x, _ = data
    np.testing.assert_array_equal(model.predict(x, verbose=0), restored.predict(x, verbose=0))
    _fit(model, data)
    _fit(restored, data)
    assert same_weights(model, restored)


def test_uncompiled_and_compile_false(tmp_path, data, make_sequential):
    model = make_sequential()
    model.save(tmp_path / "plain.keras")
    assert not keras.models.load_model(tmp_path / "plain.keras").compiled
    model.compile("sgd", "mse")
    model.save(tmp_path / "compiled.keras")
    assert keras.models.load_model(tmp_path / "compiled.keras").compiled
    assert not keras.models.load_model(tmp_path / "compiled.keras", compile=False).compiled


def test_unzipped_directory(tmp_path, data, make_functional):
    model = make_functional()
    model.save(tmp_path / "dir.keras", zipped=False)
    assert sorted(os.listdir(tmp_path / "dir.keras")) == [
        "config.json",
        "metadata.json",
        "model.weights.h5",
    ]
    restored = keras.models.load_model(tmp_path / "dir.keras")
    x, _ = data
    np.testing.assert_array_equal(model.predict(x, verbose=0), restored.predict(x, verbose=0))


def test_load_weights_from_keras_archive(tmp_path, data, make_sequential, same_weights):
    model = make_sequential()
    model.save(tmp_path / "m.keras")
    other = make_sequential()
    other.load_weights(tmp_path / "m.keras")
    assert same_weights(model, other)


# -- custom objects and safety --------------------------------------------------------------


class _Unregistered(keras.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def _model_with_unregistered():
    inputs = keras.Input((4,))
    return keras.Model(inputs, keras.layers.Dense(2)(_Unregistered(3.0)(inputs)))


def test_unknown_custom_class_names_it_and_how_to_register(tmp_path):
    path = tmp_path / "custom.keras"
    _model_with_unregistered().save(path)
    text = zipfile.ZipFile(path).read("config.json").decode()
    # Pretend the class lives in a module that is not loaded (another program loads the file).
    text = text.replace(f'"module": "{__name__}"', '"module": "my_project.layers"')
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["config.json"] = text.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    with pytest.raises(
        KerasFileError, match=r"Unknown class '_Unregistered'.*register_keras_serializable"
    ):
        keras.models.load_model(path)
    with pytest.raises(KerasFileError, match=r"custom_objects=\{'_Unregistered': _Unregistered\}"):
        keras.models.load_model(path)
    # Both ways of passing the class work.
    restored = keras.models.load_model(path, custom_objects={"_Unregistered": _Unregistered})
    assert restored.layers[1].factor == 3.0
    with keras.utils.custom_object_scope({"_Unregistered": _Unregistered}):
        assert keras.models.load_model(path).layers[1].factor == 3.0


def test_lambda_bytecode_refused_in_safe_mode(tmp_path, data):
    inputs = keras.Input((4,))
    outputs = keras.layers.Lambda(lambda t: t * 3.0 + 1.0)(inputs)
    model = keras.Model(inputs, outputs)
    path = tmp_path / "lambda.keras"
    model.save(path)
    with pytest.raises(KerasFileError, match=r"bytecode.*safe_mode=False"):
        keras.models.load_model(path)
    restored = keras.models.load_model(path, safe_mode=False)
    x, _ = data
    np.testing.assert_allclose(restored.predict(x, verbose=0), x * 3.0 + 1.0, rtol=1e-6)


def test_function_from_unloaded_module_is_never_imported(tmp_path):
    path = tmp_path / "m.keras"
    keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)]).save(path)
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    config = json.loads(members["config.json"])
    config["config"]["layers"][0]["config"]["activation"] = {
        "module": "tork_never_imported_module",
        "class_name": "function",
        "config": "boom",
        "registered_name": "boom",
    }
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    with pytest.raises(KerasFileError):
        keras.models.load_model(path)
    import sys

    assert "tork_never_imported_module" not in sys.modules


class _NoConfig(keras.Model):
    def __init__(self, layer):
        super().__init__()
        self.inner = layer
        self.head = keras.layers.Dense(2)

    def call(self, inputs):
        return self.head(self.inner(inputs))


def test_model_without_usable_config_keeps_weights_and_explains(tmp_path, data, same_weights):
    model = _NoConfig(keras.layers.Dense(3))
    x, _ = data
    model(x)
    path = tmp_path / "noconfig.keras"
    with pytest.warns(UserWarning, match="get_config"):
        model.save(path)
    with pytest.raises(
        KerasFileError, match=r"_NoConfig.*without a usable config.*get_config\(\).*load_weights"
    ):
        keras.models.load_model(path, custom_objects={"_NoConfig": _NoConfig})
    fresh = _NoConfig(keras.layers.Dense(3))
    fresh(x)
    fresh.load_weights(path)
    assert same_weights(model, fresh)


# -- bad input ---------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"No such model file: .*nothing\.keras"):
        keras.models.load_model(tmp_path / "nothing.keras")
    with pytest.raises(FileNotFoundError, match="No such weights file"):
        keras.Sequential([keras.layers.Dense(1)]).load_weights(tmp_path / "w.weights.h5")


def test_truncated_archive(tmp_path, make_sequential):
    path = tmp_path / "m.keras"
    make_sequential().save(path)
    payload = path.read_bytes()
    path.write_bytes(payload[: len(payload) // 2])
    with pytest.raises(KerasFileError, match="truncated or corrupted"):
        keras.models.load_model(path)


def test_corrupted_weights_member_loads_nothing(tmp_path, data, make_sequential, same_weights):
    path = tmp_path / "m.keras"
    make_sequential().save(path)
    payload = bytearray(path.read_bytes())
    start = payload.find(b"\x89HDF")
    payload[start + 3000] ^= 0xFF
    path.write_bytes(bytes(payload))
    with pytest.raises(KerasFileError, match=r"corrupted.*model\.weights\.h5"):
        keras.models.load_model(path)
    target = make_sequential()
    before = target.get_weights()
    with pytest.raises(KerasFileError):
        target.load_weights(path)
    assert all(np.array_equal(a, b) for a, b in zip(before, target.get_weights()))


def test_not_a_keras_file(tmp_path):
    path = tmp_path / "notes.keras"
    path.write_text("hello")
    with pytest.raises(KerasFileError, match="not a valid .keras archive"):
        keras.models.load_model(path)
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(KerasFileError, match="not a Keras model file"):
        keras.models.load_model(other)


def test_invalid_json_config(tmp_path, make_sequential):
    path = tmp_path / "m.keras"
    make_sequential().save(path)
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["config.json"] = b'{"module": "keras", "class_name": '
    with zipfile.ZipFile(path, "w") as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    with pytest.raises(KerasFileError, match=r"'config\.json'.*not valid JSON"):
        keras.models.load_model(path)


def test_failed_save_keeps_previous_file(tmp_path, make_sequential):
    path = tmp_path / "m.keras"
    make_sequential().save(path)
    before = path.read_bytes()

    class Broken(keras.layers.Layer):
        def get_config(self):
            raise RuntimeError("cannot describe myself")

    broken = keras.Sequential([keras.Input((4,)), Broken()])
    with pytest.raises(RuntimeError, match="cannot describe"):
        broken.save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["m.keras"]


def test_overwrite_false(tmp_path, make_sequential):
    path = tmp_path / "m.keras"
    make_sequential().save(path)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        make_sequential().save(path, overwrite=False)


def test_paths_without_a_suffix_and_weights_files(tmp_path, make_sequential):
    (tmp_path / "taken").write_bytes(b"x")
    with pytest.raises(ValueError, match=r"saved as a directory.*a file of that name exists"):
        make_sequential().save(tmp_path / "taken")
    with pytest.raises(ValueError, match="save_weights"):
        make_sequential().save(tmp_path / "m.weights.h5")


# -- checkpoints ------------------------------------------------------------------------------


def test_model_checkpoint_writes_loadable_files(tmp_path, data, make_sequential):
    model = make_sequential()
    model.compile("adam", "mse")
    x, y = data
    model.fit(
        x,
        y,
        epochs=2,
        verbose=0,
        callbacks=[
            keras.callbacks.ModelCheckpoint(str(tmp_path / "ckpt-{epoch}.keras")),
            keras.callbacks.ModelCheckpoint(str(tmp_path / "w.weights.h5"), save_weights_only=True),
        ],
    )
    restored = keras.models.load_model(tmp_path / "ckpt-2.keras")
    np.testing.assert_array_equal(model.predict(x, verbose=0), restored.predict(x, verbose=0))
    other = make_sequential()
    other.load_weights(tmp_path / "w.weights.h5")
    np.testing.assert_array_equal(model.predict(x, verbose=0), other.predict(x, verbose=0))
    assert sorted(os.listdir(tmp_path)) == ["ckpt-1.keras", "ckpt-2.keras", "w.weights.h5"]


# -- fuzz ---------------------------------------------------------------------------------------


class _Timeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise _Timeout


@pytest.mark.slow
def test_random_byte_flips_load_or_fail_cleanly(tmp_path, make_functional):
    model = make_functional()
    model.compile("adam", "mse")
    path = tmp_path / "m.keras"
    model.save(path)
    original = path.read_bytes()
    rng = random.Random(1234)
    outcomes = {"loaded": 0, "error": 0}
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        for _ in range(200):
            payload = bytearray(original)
            for _ in range(rng.randint(1, 4)):
                payload[rng.randrange(len(payload))] ^= 1 << rng.randrange(8)
            path.write_bytes(bytes(payload))
            signal.alarm(10)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    loaded = keras.models.load_model(path)
                assert isinstance(loaded, keras.Model)
                outcomes["loaded"] += 1
            except (KerasFileError, _Timeout) as error:
                assert not isinstance(error, _Timeout), "load_model hung on a corrupted file"
                assert str(error)
                outcomes["error"] += 1
            finally:
                signal.alarm(0)
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert outcomes["error"] > 0 and sum(outcomes.values()) == 200


def test_flipped_weights_dtype_is_still_float(tmp_path, make_sequential):
    model = make_sequential()
    path = tmp_path / "m.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    assert all(w.dtype == torch.float32 for w in restored.weights)


class _Vocabulary(keras.layers.Layer):
    """State that is not weights: Keras's save_own_variables / save_assets hooks."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.table = np.zeros(3, "float32")
        self.words = []

    def call(self, inputs):
        return inputs + torch.as_tensor(self.table, device=inputs.device)

    def save_own_variables(self, store):
        store["table"] = self.table

    def load_own_variables(self, store):
        self.table = np.asarray(store["table"])

    def save_assets(self, directory):
        with open(os.path.join(directory, "words.txt"), "w") as f:
            f.write("\n".join(self.words))

    def load_assets(self, directory):
        with open(os.path.join(directory, "words.txt")) as f:
            self.words = f.read().split("\n")


def test_layer_saving_hooks(tmp_path):
    inputs = keras.Input((3,))
    layer = _Vocabulary(name="vocab")
    model = keras.Model(inputs, layer(inputs))
    layer.table = np.array([1.0, 2.0, 3.0], "float32")
    layer.words = ["alpha", "beta"]
    path = tmp_path / "hooks.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        assert "assets/layers/__vocabulary/words.txt" in archive.namelist()
    restored = keras.models.load_model(path, custom_objects={"_Vocabulary": _Vocabulary})
    vocab = restored.get_layer("vocab")
    np.testing.assert_array_equal(vocab.table, [1.0, 2.0, 3.0])
    assert vocab.words == ["alpha", "beta"]


def _attention_model():
    query = keras.Input((5, 8))
    context = keras.Input((3, 6))
    attended = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4, name="mha")(
        query, context, context
    )
    return keras.Model([query, context], attended)


def test_attention_build_config_is_keras3s_and_tork_flat_form_still_loads(tmp_path):
    model = _attention_model()
    path = tmp_path / "mha.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    config = json.loads(members["config.json"])
    (entry,) = [layer for layer in config["config"]["layers"] if layer["name"] == "mha"]
    # Keras 3 builds the layer with `build(**shapes_dict)`.
    assert entry["build_config"] == {
        "shapes_dict": {
            "query_shape": [None, 5, 8],
            "value_shape": [None, 3, 6],
            "key_shape": [None, 3, 6],
        }
    }
    # Files written by earlier tork versions hold the shapes without `shapes_dict`.
    entry["build_config"] = entry["build_config"]["shapes_dict"]
    members["config.json"] = json.dumps(config).encode()
    old = tmp_path / "old_tork.keras"
    with zipfile.ZipFile(old, "w") as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    rng = np.random.default_rng(0)
    x = [rng.normal(size=(2, 5, 8)).astype("float32"), rng.normal(size=(2, 3, 6)).astype("float32")]
    expected = model.predict(x, verbose=0)
    for saved in (path, old):
        restored = keras.models.load_model(saved)
        np.testing.assert_array_equal(restored.predict(x, verbose=0), expected)


def test_frozen_nested_sequential_stays_frozen_after_loading(tmp_path):
    from tork import keras as _k

    base = _k.Sequential([_k.Input((4,)), _k.layers.Dense(4)])
    inputs = _k.Input((4,))
    model = _k.Model(inputs, _k.layers.Dense(1)(base(inputs)))
    base.trainable = False
    path = str(tmp_path / "frozen.keras")
    model.save(path)
    restored = _k.models.load_model(path)
    assert restored.layers[1].trainable is False
    assert len(restored.trainable_weights) == 2  # only the head's kernel and bias


def test_legacy_optimizer_round_trip_keeps_class_and_decay(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    optimizer = keras.optimizers.legacy.RMSprop(learning_rate=0.01, decay=0.1)
    model.compile(optimizer=optimizer, loss="mse")
    model.fit(np.ones((4, 3), "float32"), np.zeros((4, 2), "float32"), epochs=2, verbose=0)
    path = tmp_path / "legacy.keras"
    model.save(path)
    saved = json.loads(zipfile.ZipFile(path).read("config.json"))["compile_config"]
    assert saved["optimizer"]["module"] == "keras.optimizers.legacy"
    assert saved["optimizer"]["registered_name"] is None
    loaded = keras.models.load_model(path)
    assert type(loaded.optimizer) is keras.optimizers.legacy.RMSprop
    assert float(loaded.optimizer.decay) == np.float32(0.1)
    assert int(loaded.optimizer.iterations) == 2
