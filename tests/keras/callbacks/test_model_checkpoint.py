import os

import numpy as np
import pytest

from tork.keras.callbacks import ModelCheckpoint


def _fit(helpers, cb, val, key="loss", steps=2, model=None):
    model = model or helpers.FakeModel()
    helpers.run_fit(
        model, callbacks=[cb], epochs=len(val), steps=steps, val_logs=lambda e: {key: val[e]}
    )
    return model


def test_filename_template_uses_one_based_epoch_and_logs(helpers, tmp_path):
    cb = ModelCheckpoint(str(tmp_path / "ckpt-{epoch:02d}-{val_loss:.2f}.keras"))
    _fit(helpers, cb, [0.5, 0.25])
    assert sorted(os.listdir(tmp_path)) == ["ckpt-01-0.50.keras", "ckpt-02-0.25.keras"]
    saved = helpers.read_saved(tmp_path / "ckpt-01-0.50.keras")
    # Saved after epoch 0 (fake weights 100 * epoch + last step).
    assert saved == {"kind": "model", "w": [1.0, 1.0, 1.0]}


def test_save_weights_only_calls_save_weights(helpers, tmp_path):
    path = tmp_path / "w.weights.h5"
    _fit(helpers, ModelCheckpoint(path, save_weights_only=True), [0.5])
    assert helpers.read_saved(path)["kind"] == "weights"


def test_save_best_only_min(helpers, tmp_path, capsys):
    path = tmp_path / "best.keras"
    model = _fit(
        helpers, ModelCheckpoint(str(path), save_best_only=True, verbose=1), [0.5, 0.6, 0.4, 0.45]
    )
    assert len(model.saves) == 2
    assert helpers.read_saved(path)["w"] == [201.0] * 3  # epoch 2
    out = capsys.readouterr().out
    assert f"\nEpoch 1: val_loss improved from inf to 0.50000, saving model to {path}\n" in out
    assert "\nEpoch 2: val_loss did not improve from 0.50000\n" in out
    assert f"\nEpoch 3: val_loss improved from 0.50000 to 0.40000, saving model to {path}\n" in out
    # Keras 3 also prints "finished saving model to"; Keras 2 does not.
    assert "finished saving" not in out


def test_save_best_only_max_auto_for_accuracy(helpers, tmp_path):
    path = tmp_path / "best.keras"
    cb = ModelCheckpoint(str(path), monitor="val_accuracy", save_best_only=True)
    model = _fit(helpers, cb, [0.5, 0.4, 0.7], key="accuracy")
    assert len(model.saves) == 2
    assert helpers.read_saved(path)["w"] == [201.0] * 3


def test_mode_max_explicit(helpers, tmp_path):
    path = tmp_path / "best.keras"
    cb = ModelCheckpoint(str(path), save_best_only=True, mode="max")
    model = _fit(helpers, cb, [0.5, 0.4, 0.7])
    assert [helpers.read_saved(path)["w"][0], len(model.saves)] == [201.0, 2]


def test_initial_value_threshold(helpers, tmp_path):
    path = tmp_path / "best.keras"
    cb = ModelCheckpoint(str(path), save_best_only=True, initial_value_threshold=0.45)
    model = _fit(helpers, cb, [0.5, 0.4])
    assert len(model.saves) == 1
    assert helpers.read_saved(path)["w"] == [101.0] * 3


def test_save_freq_counts_batches_across_epochs(helpers, tmp_path):
    cb = ModelCheckpoint(str(tmp_path / "c-{epoch}-{batch}.keras"), save_freq=2)
    _fit(helpers, cb, [0.5, 0.5], steps=3)
    # Batches 2, 4 and 6 overall: epoch 1 batch 2, epoch 2 batches 1 and 3 (1-based).
    assert sorted(os.listdir(tmp_path)) == ["c-1-2.keras", "c-2-1.keras", "c-2-3.keras"]
    assert helpers.read_saved(tmp_path / "c-2-1.keras")["w"] == [100.0] * 3


def test_save_freq_epoch_skips_batch_hooks():
    assert not ModelCheckpoint("a.keras")._implements_train_batch_hooks()
    assert ModelCheckpoint("a.keras", save_freq=5)._implements_train_batch_hooks()


def test_writes_are_atomic_no_temporaries_left(helpers, tmp_path):
    path = tmp_path / "m.keras"
    model = _fit(helpers, ModelCheckpoint(str(path)), [0.5, 0.4, 0.3])
    assert os.listdir(tmp_path) == ["m.keras"]
    # The model wrote temporary files with the same suffix, never the target itself.
    written = [p for _, p in model.saves]
    assert all(os.path.basename(p).startswith(".tmp-") and p.endswith("-m.keras") for p in written)
    assert all(os.path.dirname(p) == str(tmp_path) for p in written)


def test_failing_writer_leaves_previous_file_intact(helpers, tmp_path):
    path = tmp_path / "m.keras"
    model = helpers.FakeModel()
    cb = ModelCheckpoint(str(path))
    cb.set_model(model)
    model.train_step(0, 7)
    cb.on_epoch_end(0, {"val_loss": 1.0})
    before = path.read_text()
    model.train_step(1, 9)
    model.fail_save = True
    with pytest.raises(OSError, match="disk full"):
        cb.on_epoch_end(1, {"val_loss": 0.5})
    assert path.read_text() == before
    assert os.listdir(tmp_path) == ["m.keras"]


def test_creates_missing_directories(helpers, tmp_path):
    path = tmp_path / "a" / "b" / "m.keras"
    _fit(helpers, ModelCheckpoint(str(path)), [0.5])
    assert path.exists()


def test_existing_directory_as_filepath_raises(helpers, tmp_path):
    (tmp_path / "d.keras").mkdir()
    cb = ModelCheckpoint(str(tmp_path / "d.keras"))
    cb.set_model(helpers.FakeModel())
    with pytest.raises(OSError, match="non-directory filepath"):
        cb.on_epoch_end(0, {"val_loss": 1.0})


def test_missing_template_key_names_available_keys(helpers, tmp_path):
    cb = ModelCheckpoint(str(tmp_path / "m-{val_acc:.2f}.keras"))
    cb.set_model(helpers.FakeModel())
    with pytest.raises(
        KeyError, match="Failed to format this callback filepath.*val_acc.*val_loss"
    ):
        cb.on_epoch_end(0, {"val_loss": 1.0})


def test_tensor_logs_are_formatted(helpers, tmp_path):
    import torch

    cb = ModelCheckpoint(str(tmp_path / "m-{val_loss:.3f}.keras"), save_best_only=True)
    cb.set_model(helpers.FakeModel())
    cb.on_epoch_end(0, {"val_loss": torch.tensor(0.25)})
    assert os.listdir(tmp_path) == ["m-0.250.keras"]


def test_missing_monitor_warns_and_skips_like_keras2(helpers, tmp_path):
    # tf_keras 2.21 logs "Can save best model only with val_loss available, skipping."
    # and writes nothing (Keras 3 saves anyway).
    cb = ModelCheckpoint(str(tmp_path / "m.keras"), save_best_only=True)
    model = helpers.FakeModel()
    cb.set_model(model)
    with pytest.warns(
        UserWarning, match="Can save best model only with val_loss available, skipping"
    ):
        cb.on_epoch_end(0, {"loss": 1.0})
    assert model.saves == []
    assert cb.best == np.inf


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"filepath": "m.weights.h5"}, "pass `save_weights_only=True`"),
        ({"filepath": "m.keras", "save_freq": "batch"}, "Unrecognized save_freq: 'batch'"),
        ({"filepath": "m.keras", "save_freq": 0}, "Unrecognized save_freq: 0"),
    ],
)
def test_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ModelCheckpoint(**kwargs)


def test_unknown_direction_is_minimised_like_keras2(helpers, tmp_path, capsys):
    # tf_keras 2.21 with monitor="val_my_metric" (a custom metric), mode="auto":
    # "val_my_metric improved from inf to 0.40980, saving model to m.h5".
    path = tmp_path / "m.keras"
    cb = ModelCheckpoint(str(path), monitor="val_thing", save_best_only=True, verbose=1)
    model = _fit(helpers, cb, [0.4098, 0.5, 0.3], key="thing")
    assert len(model.saves) == 2
    out = capsys.readouterr().out
    assert f"\nEpoch 1: val_thing improved from inf to 0.40980, saving model to {path}\n" in out
    assert "\nEpoch 2: val_thing did not improve from 0.40980\n" in out


def test_best_starts_at_inf_and_keeps_threshold(tmp_path):
    # tf_keras 2.21: `ModelCheckpoint("x.h5").best` is inf before training; -inf for
    # accuracy-like monitors or mode="max"; `initial_value_threshold` is kept as given.
    assert ModelCheckpoint(str(tmp_path / "x.keras")).best == np.inf
    assert ModelCheckpoint(str(tmp_path / "x.keras"), monitor="val_accuracy").best == -np.inf
    assert ModelCheckpoint(str(tmp_path / "x.keras"), monitor="loss", mode="max").best == -np.inf
    cb = ModelCheckpoint(str(tmp_path / "x.keras"), initial_value_threshold=0.5)
    assert cb.best == 0.5
    assert cb.epochs_since_last_save == 0


# -- real models: a writer that dies mid-file leaves the previous checkpoint intact ----------


def _real_model():
    import torch

    from tork import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.layers.Dense(3), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model(torch.zeros(1, 2))
    return model


def _fit_real(model, callback, epochs=1):
    import torch

    x = torch.linspace(-1, 1, 16).reshape(8, 2)
    model.fit(x, x.sum(1, keepdims=True), epochs=epochs, verbose=0, callbacks=[callback])


def test_real_weights_file_survives_a_crash_mid_write(tmp_path, monkeypatch):
    import numpy as np

    from tork.keras.saving import weights_h5

    path = tmp_path / "w.weights.h5"
    model = _real_model()
    callback = ModelCheckpoint(str(path), save_weights_only=True)
    _fit_real(model, callback)
    saved = [w.copy() for w in model.get_weights()]
    real = weights_h5._to_numpy
    calls = []

    def dies_after_one_dataset(variable):
        calls.append(1)
        if len(calls) > 1:  # the HDF5 file is half written by now
            raise OSError("disk full")
        return real(variable)

    monkeypatch.setattr(weights_h5, "_to_numpy", dies_after_one_dataset)
    with pytest.raises(OSError, match="disk full"):
        _fit_real(model, callback)
    monkeypatch.setattr(weights_h5, "_to_numpy", real)
    assert os.listdir(tmp_path) == ["w.weights.h5"]
    fresh = _real_model()
    fresh.load_weights(str(path))
    for a, b in zip(fresh.get_weights(), saved):
        np.testing.assert_array_equal(a, b)


def test_real_keras_archive_survives_a_crash_mid_write(tmp_path, monkeypatch):
    import zipfile

    import numpy as np

    from tork import keras

    path = tmp_path / "m.keras"
    model = _real_model()
    callback = ModelCheckpoint(str(path))
    _fit_real(model, callback)
    saved = [w.copy() for w in model.get_weights()]
    real = zipfile.ZipFile.writestr

    def dies_after_one_entry(self, name, data, *args, **kwargs):
        if len(self.namelist()) >= 1:
            raise OSError("disk full")
        return real(self, name, data, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", dies_after_one_entry)
    with pytest.raises(OSError, match="disk full"):
        _fit_real(model, callback)
    monkeypatch.setattr(zipfile.ZipFile, "writestr", real)
    assert os.listdir(tmp_path) == ["m.keras"]
    for a, b in zip(keras.models.load_model(str(path)).get_weights(), saved):
        np.testing.assert_array_equal(a, b)


def test_keras2_period_saves_every_n_epochs(helpers, tmp_path):
    with pytest.warns(UserWarning, match=r"`period` argument is deprecated"):
        cb = ModelCheckpoint(str(tmp_path / "w-{epoch:02d}.keras"), period=2)
    _fit(helpers, cb, [0.5, 0.4, 0.3, 0.2, 0.1])
    # Keras 2: epochs 2 and 4 (1-based) of 5.
    assert sorted(os.listdir(tmp_path)) == ["w-02.keras", "w-04.keras"]


def test_keras2_options_and_load_weights_on_restart_are_accepted(helpers, tmp_path):
    with pytest.warns(UserWarning, match=r"`load_weights_on_restart` argument is deprecated"):
        cb = ModelCheckpoint(tmp_path / "m.keras", options=None, load_weights_on_restart=True)
    _fit(helpers, cb, [0.5])
    assert os.listdir(tmp_path) == ["m.keras"]
    with pytest.raises(TypeError, match=r"got unexpected keyword argument\(s\) \['perod'\]"):
        ModelCheckpoint(tmp_path / "m.keras", perod=2)
