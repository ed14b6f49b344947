import json
import os

import numpy as np
import pytest

from tork.keras.callbacks import BackupAndRestore, Callback


class Interrupt(Callback):
    def __init__(self, at_epoch, at_batch=None):
        super().__init__()
        self.at_epoch, self.at_batch = at_epoch, at_batch

    def on_epoch_begin(self, epoch, logs=None):
        if self.at_batch is None and epoch == self.at_epoch:
            raise KeyboardInterrupt("killed")

    def on_train_batch_begin(self, batch, logs=None):
        if self.at_batch is not None and (self._epoch, batch) == (self.at_epoch, self.at_batch):
            raise KeyboardInterrupt("killed")

    def on_epoch_end(self, epoch, logs=None):
        self._epoch = epoch + 1

    def on_train_begin(self, logs=None):
        self._epoch = 0


def _state(backup_dir):
    with open(os.path.join(backup_dir, "training_metadata.json")) as f:
        return json.load(f)


def test_state_file_after_interruption_and_resume(helpers, tmp_path):
    backup_dir = str(tmp_path / "backup")
    model = helpers.FakeModel()
    with pytest.raises(KeyboardInterrupt):
        helpers.run_fit(
            model, callbacks=[BackupAndRestore(backup_dir), Interrupt(2)], epochs=5, steps=2
        )
    state = _state(backup_dir)
    assert (state["epoch"], state["batch"]) == (2, 0)
    # One weights file, the one the state names, holding the weights after epoch 1.
    files = sorted(os.listdir(backup_dir))
    assert files == sorted(["training_metadata.json", state["weights"]])
    assert state["weights"].endswith(".weights.h5")
    assert helpers.read_saved(os.path.join(backup_dir, state["weights"]))["w"] == [101.0] * 3

    fresh = helpers.FakeModel()
    history = helpers.run_fit(fresh, callbacks=[BackupAndRestore(backup_dir)], epochs=5, steps=2)
    assert fresh.loaded == [os.path.join(backup_dir, state["weights"])]
    assert history.epoch == [2, 3, 4]
    # Finished: the backup is deleted; the directory stays, empty (tf_keras 2.21).
    assert os.listdir(backup_dir) == []


def test_restored_weights_are_loaded_before_training(helpers, tmp_path):
    backup_dir = str(tmp_path / "b")
    with pytest.raises(KeyboardInterrupt):
        helpers.run_fit(
            helpers.FakeModel(), callbacks=[BackupAndRestore(backup_dir), Interrupt(1)], epochs=3
        )
    fresh = helpers.FakeModel()
    seen = []

    class Peek(Callback):
        def on_epoch_begin(self, epoch, logs=None):
            seen.append(self.model.get_weights()[0][0])

    helpers.run_fit(fresh, callbacks=[BackupAndRestore(backup_dir), Peek()], epochs=3)
    # Epoch 0 ended with step 2 -> weights 2.0 restored before epoch 1.
    assert seen[0] == 2.0


def test_keep_checkpoint(helpers, tmp_path):
    backup_dir = str(tmp_path / "b")
    helpers.run_fit(
        helpers.FakeModel(),
        callbacks=[BackupAndRestore(backup_dir, delete_checkpoint=False)],
        epochs=2,
    )
    assert _state(backup_dir)["epoch"] == 2


def test_save_freq_batches(helpers, tmp_path):
    backup_dir = str(tmp_path / "b")
    with pytest.raises(KeyboardInterrupt):
        helpers.run_fit(
            helpers.FakeModel(),
            callbacks=[BackupAndRestore(backup_dir, save_freq=2), Interrupt(1, at_batch=2)],
            epochs=3,
            steps=3,
        )
    # Saves after overall batches 2 (epoch 0, batch 1) and 4 (epoch 1, batch 0).
    state = _state(backup_dir)
    assert (state["epoch"], state["batch"]) == (1, 0)
    assert helpers.read_saved(os.path.join(backup_dir, state["weights"]))["w"] == [100.0] * 3
    fresh = helpers.FakeModel()
    history = helpers.run_fit(fresh, callbacks=[BackupAndRestore(backup_dir)], epochs=3, steps=3)
    assert history.epoch == [1, 2]


def test_save_on_last_batch_of_epoch_resumes_at_next_epoch(helpers, tmp_path):
    # tf_keras 2.21, 3 steps per epoch, save_freq=2, interrupted at the start of epoch 2:
    # the last save (6th batch = last batch of epoch 1) resumes at epoch 2
    # (history.epoch == [2]); epoch 1 is not trained twice.
    backup_dir = str(tmp_path / "b")
    with pytest.raises(KeyboardInterrupt):
        helpers.run_fit(
            helpers.FakeModel(),
            callbacks=[BackupAndRestore(backup_dir, save_freq=2), Interrupt(2)],
            epochs=3,
            steps=3,
        )
    state = _state(backup_dir)
    assert state["epoch"] == 2
    assert helpers.read_saved(os.path.join(backup_dir, state["weights"]))["w"] == [102.0] * 3
    history = helpers.run_fit(
        helpers.FakeModel(), callbacks=[BackupAndRestore(backup_dir)], epochs=3, steps=3
    )
    assert history.epoch == [2]


def test_failed_save_keeps_previous_backup(helpers, tmp_path):
    backup_dir = str(tmp_path / "b")
    model = helpers.FakeModel()
    cb = BackupAndRestore(backup_dir)
    cb.set_model(model)
    cb.on_train_begin()
    model.train_step(0, 5)
    cb.on_epoch_end(0)
    before = _state(backup_dir)
    model.fail_save = True
    with pytest.raises(OSError, match="disk full"):
        cb.on_epoch_end(1)
    assert _state(backup_dir) == before
    assert sorted(os.listdir(backup_dir)) == sorted(["training_metadata.json", before["weights"]])
    fresh = helpers.FakeModel()
    cb2 = BackupAndRestore(backup_dir)
    cb2.set_model(fresh)
    cb2.on_train_begin()
    np.testing.assert_array_equal(fresh.get_weights()[0], np.full(3, 5.0))
    assert fresh._initial_epoch == 1


def test_stale_temporaries_and_orphans_are_cleaned(helpers, tmp_path):
    backup_dir = tmp_path / "b"
    backup_dir.mkdir()
    (backup_dir / ".tmp-deadbeef-backup-x.weights.h5").write_text("partial")
    (backup_dir / "backup-orphan.weights.h5").write_text("{}")
    cb = BackupAndRestore(str(backup_dir))
    cb.set_model(helpers.FakeModel())
    cb.on_train_begin()
    cb.on_epoch_end(0)
    state = _state(backup_dir)
    assert sorted(os.listdir(backup_dir)) == sorted(["training_metadata.json", state["weights"]])


def test_other_files_in_backup_dir_are_left_alone(helpers, tmp_path):
    backup_dir = tmp_path / "b"
    backup_dir.mkdir()
    (backup_dir / "notes.txt").write_text("mine")
    helpers.run_fit(helpers.FakeModel(), callbacks=[BackupAndRestore(str(backup_dir))], epochs=1)
    assert os.listdir(backup_dir) == ["notes.txt"]


def test_unbuilt_model_warns_without_backup_and_raises_with_one(helpers, tmp_path):
    # Keras 2 (tf_keras 2.21) only warns for an unbuilt model; a backup to restore needs
    # the variables, so that case stays an error.
    model = helpers.FakeModel()
    model.built = False
    cb = BackupAndRestore(str(tmp_path))
    cb.set_model(model)
    with pytest.warns(UserWarning, match="your model must be built before you call `fit\\(\\)`"):
        cb.on_train_begin()
    (tmp_path / "training_metadata.json").write_text('{"epoch": 1}')
    with pytest.raises(ValueError, match="It is needed to restore the backup in"):
        cb.on_train_begin()


def test_corrupt_state_file_raises(helpers, tmp_path):
    (tmp_path / "training_metadata.json").write_text("{not json")
    cb = BackupAndRestore(str(tmp_path))
    cb.set_model(helpers.FakeModel())
    with pytest.raises(ValueError, match="is not a valid backup"):
        cb.on_train_begin()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"backup_dir": ""}, "Empty `backup_dir`"),
        ({"backup_dir": "x", "save_freq": "batch"}, "save_freq='batch'"),
        ({"backup_dir": "x", "save_freq": -1}, "save_freq=-1"),
    ],
)
def test_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        BackupAndRestore(**kwargs)


def test_resume_epoch_can_be_queried_before_train_begin(helpers, tmp_path):
    backup_dir = str(tmp_path / "b")
    cb = BackupAndRestore(backup_dir)
    assert cb._tork_initial_epoch() is None
    with pytest.raises(KeyboardInterrupt):
        helpers.run_fit(helpers.FakeModel(), callbacks=[cb, Interrupt(3)], epochs=5)
    assert BackupAndRestore(backup_dir)._tork_initial_epoch() == 3


def test_real_backup_survives_a_crash_mid_write(tmp_path, monkeypatch):
    import torch

    from tork import keras
    from tork.keras.saving import weights_h5

    def built_model(seed):
        keras.utils.set_random_seed(seed)
        model = keras.Sequential([keras.layers.Dense(3), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model(torch.zeros(1, 2))
        return model

    x = torch.linspace(-1, 1, 16).reshape(8, 2)
    y = x.sum(1, keepdims=True)
    backup_dir = str(tmp_path / "backup")
    model = built_model(0)
    model.fit(
        x, y, epochs=1, verbose=0, callbacks=[BackupAndRestore(backup_dir, delete_checkpoint=False)]
    )
    saved = [w.copy() for w in model.get_weights()]
    before = _state(backup_dir)

    real = weights_h5._to_numpy
    calls = []

    def dies_after_one_dataset(variable):
        calls.append(1)
        if len(calls) > 1:
            raise OSError("disk full")
        return real(variable)

    monkeypatch.setattr(weights_h5, "_to_numpy", dies_after_one_dataset)
    with pytest.raises(OSError, match="disk full"):
        model.fit(x, y, epochs=3, verbose=0, callbacks=[BackupAndRestore(backup_dir)])
    monkeypatch.setattr(weights_h5, "_to_numpy", real)
    assert _state(backup_dir) == before
    assert sorted(os.listdir(backup_dir)) == sorted(["training_metadata.json", before["weights"]])

    fresh = built_model(1)
    callback = BackupAndRestore(backup_dir)
    callback.set_model(fresh)
    callback.on_train_begin()
    assert fresh._initial_epoch == 1
    for a, b in zip(fresh.get_weights(), saved):
        np.testing.assert_array_equal(a, b)
