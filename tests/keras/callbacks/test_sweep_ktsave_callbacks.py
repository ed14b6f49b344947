"""Callbacks as Keras 2's own unit tests state them (tf_keras callbacks_test.py).

Expected values come from running the same scripts on tf_keras 2.21
(TF_USE_LEGACY_KERAS=1) or are computed by hand where noted.
"""

import os
import time

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _bias_model():
    # x = 1, y = 50, MAE and SGD(0.1): each step adds 0.1 to the kernel (hand-computed).
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(1,), kernel_initializer="ones")])
    model.compile(loss="mae", optimizer=keras.optimizers.SGD(0.1))
    ds = tf.data.Dataset.from_tensor_slices(([[1.0]] * 16, [[50.0]] * 16)).batch(8)
    return model, ds


@pytest.mark.parametrize("name", ["ckpt.epoch{epoch:02d}.h5", "cp-{epoch:04d}.ckpt"])
def test_load_weights_on_restart_starts_from_the_newest_checkpoint(tmp_path, name):
    model, ds = _bias_model()
    path = str(tmp_path / name)
    cb = keras.callbacks.ModelCheckpoint(path, save_weights_only=True)
    model.fit(ds, epochs=3, callbacks=[cb], verbose=0)
    newest = cb._get_most_recently_modified_file_matching_pattern(path)
    assert os.path.basename(newest) == name.format(epoch=3)
    model.fit(ds, epochs=1, verbose=0)  # kernel 1.8, not saved
    time.sleep(0.02)
    with pytest.warns(UserWarning, match="`load_weights_on_restart` argument is deprecated"):
        restart = keras.callbacks.ModelCheckpoint(
            path, save_weights_only=True, load_weights_on_restart=True
        )
    model.fit(ds, epochs=1, callbacks=[restart], verbose=0)
    # tf_keras 2.21: restored to epoch 3's 1.6, then one epoch: 1.8 (2.0 without restoring).
    np.testing.assert_allclose(model.get_weights()[0], [[1.8]], rtol=1e-6)
    assert os.path.basename(
        restart._get_most_recently_modified_file_matching_pattern(path)
    ) == name.format(epoch=1)


def test_load_weights_on_restart_without_a_file_trains_from_scratch(tmp_path):
    model, ds = _bias_model()
    path = str(tmp_path / "sub" / "w.h5")
    with pytest.warns(UserWarning):
        cb = keras.callbacks.ModelCheckpoint(
            path, save_weights_only=True, load_weights_on_restart=True
        )
    assert cb._get_most_recently_modified_file_matching_pattern(path) is None
    model.fit(ds, epochs=1, callbacks=[cb], verbose=0)
    assert os.listdir(tmp_path / "sub") == ["w.h5"]
    assert cb._get_most_recently_modified_file_matching_pattern(path) == path


def test_model_checkpoint_checks_options(tmp_path):
    with pytest.raises(ValueError, match="The native TF-Keras format does not support"):
        keras.callbacks.ModelCheckpoint(
            str(tmp_path / "m.keras"), options=tf.saved_model.SaveOptions()
        )
    with pytest.raises(TypeError, match="must be either None or a tf.train.CheckpointOptions"):
        keras.callbacks.ModelCheckpoint(
            str(tmp_path / "m.h5"), save_weights_only=True, options=tf.saved_model.SaveOptions()
        )
    with pytest.raises(TypeError, match="must be either None or a tf.saved_model.SaveOptions"):
        keras.callbacks.ModelCheckpoint(
            str(tmp_path / "m.h5"), options=tf.train.CheckpointOptions()
        )
    keras.callbacks.ModelCheckpoint(
        str(tmp_path / "m.h5"), save_weights_only=True, options=tf.train.CheckpointOptions()
    )
    keras.callbacks.ModelCheckpoint(str(tmp_path / "m.h5"), options=tf.saved_model.SaveOptions())


def test_backup_and_restore_with_an_unbuilt_model_warns_and_keeps_the_directory(tmp_path):
    model = keras.Sequential([keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    backup_dir = tmp_path / "backup"
    cb = keras.callbacks.BackupAndRestore(str(backup_dir))
    with pytest.warns(UserWarning, match="your model must be built"):
        history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, callbacks=[cb], verbose=0)
    assert history.epoch == [0, 1]
    # tf_keras 2.21 leaves the (empty) directory after a finished fit.
    assert os.listdir(backup_dir) == []


class _Dummy:
    def __init__(self):
        self.stop_training = False
        self.weights = -1

    def get_weights(self):
        return self.weights

    def set_weights(self, weights):
        self.weights = weights


@pytest.mark.parametrize(
    "kwargs, losses, trained",
    [
        (dict(patience=2), [0.2, 0.15, 0.1, 0.11, 0.12], 5),
        (dict(patience=5, baseline=0.5), [0.9, 0.8, 0.7, 0.71, 0.72, 0.73], 5),
    ],
)
def test_early_stopping_restores_any_weights_object(kwargs, losses, trained):
    # A stand-in model whose "weights" are the epoch number (tf_keras 2.21: epoch 2 restored).
    es = keras.callbacks.EarlyStopping(monitor="val_loss", restore_best_weights=True, **kwargs)
    es.model = _Dummy()
    es.on_train_begin()
    n = 0
    for epoch, loss in enumerate(losses):
        n += 1
        es.model.weights = epoch
        es.on_epoch_end(epoch, logs={"val_loss": loss})
        if es.model.stop_training:
            break
    es.on_train_end()
    assert (n, es.model.get_weights(), es.stopped_epoch) == (trained, 2, 4)


def test_reduce_lr_on_plateau_with_an_optimizer_that_has_only_lr():
    class LrOnly:
        def __init__(self):
            self.lr = keras.backend.variable(1.0)

    class Model:
        optimizer = LrOnly()

    cb = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", patience=2)
    cb.model = Model()
    lrs = []
    for epoch, loss in enumerate([0.0860, 0.1096, 0.1040]):
        cb.on_epoch_end(epoch, logs={"val_loss": loss})
        lrs.append(float(keras.backend.get_value(cb.model.optimizer.lr)))
    # tf_keras 2.21: [1.0, 1.0, 0.10000000149011612]
    np.testing.assert_allclose(lrs, [1.0, 1.0, 0.1], rtol=1e-6)


def test_batch_log_keys_added_by_a_callback_reach_the_progress_bar(capsys):
    class Adds(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            logs["extra"] = 7.0

    class Reads(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            self.seen = sorted(logs)

    reads = Reads()
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(1,))])
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 1)), np.ones((4, 1)), batch_size=2, callbacks=[Adds(), reads], verbose=1)
    assert reads.seen == ["extra", "loss"]
    # tf_keras 2.21 prints "... - loss: 1.1726 - extra: 7.0000".
    assert "- extra: 7.0000" in capsys.readouterr().out


def test_mutated_logs_are_shared_by_all_hooks():
    hooks = [
        "on_epoch_begin",
        "on_epoch_end",
        "on_predict_batch_begin",
        "on_predict_batch_end",
        "on_predict_begin",
        "on_predict_end",
        "on_test_batch_begin",
        "on_test_batch_end",
        "on_test_begin",
        "on_test_end",
        "on_train_batch_begin",
        "on_train_batch_end",
        "on_train_begin",
        "on_train_end",
    ]
    wrong = []

    class AllHooks(keras.callbacks.Callback):
        def __init__(self, tf_logs):
            super().__init__()
            self._supports_tf_logs = tf_logs
            for hook in hooks:
                setattr(self, hook, self._run)

    class Mutate(AllHooks):
        def __init__(self, key, value, tf_logs):
            super().__init__(tf_logs)
            self.key, self.value = key, value

        def _run(self, *args, logs=None):
            (logs if logs is not None else args[-1])[self.key] = self.value

    class Check(AllHooks):
        def _run(self, *args, logs=None):
            logs = logs if logs is not None else args[-1]
            if logs != {"all": 0, "numpy": 1, "tf": 2}:
                wrong.append(dict(logs))

    cbs = keras.callbacks.CallbackList(
        [Mutate("numpy", 1, False), Mutate("tf", 2, True), Check(False), Check(True)]
    )
    for hook in hooks:
        if "batch" in hook or "epoch" in hook:
            getattr(cbs, hook)(0, logs={"all": 0})
        else:
            getattr(cbs, hook)(logs={"all": 0})
    assert wrong == []


def test_callback_list_reports_which_batch_hooks_it_calls():
    class Batches(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            pass

        def on_test_batch_end(self, batch, logs=None):
            pass

        def on_predict_batch_end(self, batch, logs=None):
            pass

    class EpochsOnly(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            pass

    class TfLogs(keras.callbacks.Callback):
        _supports_tf_logs = True

    cbs = keras.callbacks.CallbackList([Batches()], verbose=0)
    assert cbs._should_call_train_batch_hooks
    assert cbs._should_call_test_batch_hooks
    assert cbs._should_call_predict_batch_hooks
    assert not cbs._batch_hooks_support_tf_logs
    assert keras.callbacks.CallbackList([TfLogs()])._batch_hooks_support_tf_logs
    cbs = keras.callbacks.CallbackList([EpochsOnly()], verbose=0)
    assert not cbs._should_call_train_batch_hooks
    assert not cbs._should_call_test_batch_hooks
    assert not cbs._should_call_predict_batch_hooks


def test_most_recent_file_matching_a_pattern(tmp_path):
    # tf_keras 2.21 on the same files: the newest matching file wins ("baatch" does not
    # match); files modified at the same time go to the largest name.
    pattern = str(tmp_path / "f.batch{batch:02d}epoch{epoch:02d}.h5")
    cb = keras.callbacks.ModelCheckpoint("unused.h5")
    names = ["f.batch03epoch02.h5", "f.batch02epoch02.h5", "f.baatch01epoch01.h5"]
    for i, name in enumerate(names):
        (tmp_path / name).write_text("x")
        os.utime(tmp_path / name, (1000 + i, 1000 + i))
    assert cb._get_most_recently_modified_file_matching_pattern(pattern) == str(
        tmp_path / "f.batch02epoch02.h5"
    )
    (tmp_path / "f.batch01epoch01.h5").write_text("x")
    for name in ["f.batch03epoch02.h5", "f.batch02epoch02.h5", "f.batch01epoch01.h5"]:
        os.utime(tmp_path / name, (5000, 5000))
    assert cb._get_most_recently_modified_file_matching_pattern(pattern) == str(
        tmp_path / "f.batch03epoch02.h5"
    )


def test_experimental_backup_and_restore_is_the_deprecated_name(tmp_path):
    # tf_keras 2.21 keeps tf.keras.callbacks.experimental.BackupAndRestore with a warning.
    with pytest.warns(DeprecationWarning, match="endpoint is deprecated"):
        cb = keras.callbacks.experimental.BackupAndRestore(str(tmp_path / "b"))
    assert isinstance(cb, keras.callbacks.BackupAndRestore)
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, callbacks=[cb], verbose=0)
    assert history.epoch == [0, 1]
