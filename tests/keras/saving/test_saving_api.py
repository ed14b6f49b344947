import shutil

import numpy as np
import pytest

import tork as tf
from tork import keras
from tork.keras.saving import KerasFileError


def test_public_names():
    assert keras.models.load_model is keras.saving.load_model
    assert keras.models.save_model is keras.saving.save_model
    assert tf.keras.models.model_from_json is keras.saving.model_from_json
    assert tf.keras.models.clone_model is keras.saving.clone_model
    assert issubclass(keras.saving.KerasFileError, ValueError)


def test_format_comes_from_content_not_name(tmp_path, data, make_sequential, same_weights):
    model = make_sequential()
    model.save(tmp_path / "m.keras")
    shutil.copy(tmp_path / "m.keras", tmp_path / "model.bin")
    x, _ = data
    restored = keras.models.load_model(tmp_path / "model.bin")
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))
    model.save_weights(tmp_path / "w.weights.h5")
    shutil.copy(tmp_path / "w.weights.h5", tmp_path / "w.data")
    other = make_sequential()
    other.load_weights(tmp_path / "w.data")
    assert same_weights(model, other)


def test_save_format_h5_and_keras2_arguments(tmp_path, make_sequential):
    model = make_sequential()
    model.compile("sgd", "mse")
    model.save(tmp_path / "legacy_model", save_format="h5", include_optimizer=False)
    restored = keras.models.load_model(tmp_path / "legacy_model")
    assert not restored.compiled  # no training config without the optimizer
    with pytest.raises(ValueError, match="save_format must be 'keras', 'h5' or 'tf'"):
        model.save(tmp_path / "m", save_format="pb")


def test_by_name_needs_keras2_files(tmp_path, make_sequential):
    model = make_sequential()
    model.save_weights(tmp_path / "w.weights.h5")
    with pytest.raises(ValueError, match="by_name=True only applies to Keras 2"):
        model.load_weights(tmp_path / "w.weights.h5", by_name=True)


def test_savedmodel_directory_is_explained(tmp_path):
    folder = tmp_path / "exported"
    folder.mkdir()
    (folder / "saved_model.pb").write_bytes(b"")
    with pytest.raises(KerasFileError, match="TensorFlow SavedModel directory"):
        keras.models.load_model(folder)


def test_backup_and_restore_resumes_with_optimizer_state(tmp_path, data, make_sequential):
    x, y = data
    backup = str(tmp_path / "backup")

    class StopAfterFirstEpoch(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise KeyboardInterrupt

    keras.utils.set_random_seed(4)
    reference = make_sequential()
    reference.compile("adam", "mse")
    interrupted = make_sequential()
    interrupted.set_weights(reference.get_weights())
    interrupted.compile("adam", "mse")
    with pytest.raises(KeyboardInterrupt):
        interrupted.fit(
            x,
            y,
            epochs=2,
            batch_size=8,
            shuffle=False,
            verbose=0,
            callbacks=[keras.callbacks.BackupAndRestore(backup), StopAfterFirstEpoch()],
        )
    resumed = make_sequential()
    resumed.compile("adam", "mse")
    resumed.fit(
        x,
        y,
        epochs=2,
        batch_size=8,
        shuffle=False,
        verbose=0,
        callbacks=[keras.callbacks.BackupAndRestore(backup)],
    )
    reference.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    for a, b in zip(reference.get_weights(), resumed.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
