"""BackupAndRestore(save_freq=N) resumes in the middle of the interrupted epoch (Keras 2).

Reference numbers: tf_keras 2.21 (TF_USE_LEGACY_KERAS=1), the same script: a Dense(1) model
with fixed weights, 8 samples in batches of 2 (4 steps an epoch), 3 epochs, a callback that
raises after `at` batches, then a second fit with the same backup directory.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

X = np.arange(16, dtype="float32").reshape(8, 2) / 10
Y = (X.sum(1, keepdims=True) * 0.5 + 0.1).astype("float32")


def _make(optimizer):
    m = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    m.set_weights([np.array([[0.3], [-0.2]], "float32"), np.array([0.05], "float32")])
    m.compile(optimizer=optimizer, loss="mse")
    return m


class _Interrupt(keras.callbacks.Callback):
    def __init__(self, at):
        super().__init__()
        self.n, self.at = 0, at

    def on_train_batch_end(self, batch, logs=None):
        self.n += 1
        if self.n == self.at:
            raise RuntimeError("interrupted")


class _Record(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_epoch_begin(self, epoch, logs=None):
        self.seen.append(("E", epoch))

    def on_train_batch_begin(self, batch, logs=None):
        self.seen.append(int(batch))


def _interrupted_then_resumed(tmp_path, make_optimizer, data, save_freq, at):
    kwargs = {"batch_size": 2, "shuffle": False} if len(data) == 2 else {}
    backup = str(tmp_path / "backup")
    m = _make(make_optimizer())
    with pytest.raises(RuntimeError, match="interrupted"):
        m.fit(
            *data,
            epochs=3,
            verbose=0,
            callbacks=[
                keras.callbacks.BackupAndRestore(backup, save_freq=save_freq),
                _Interrupt(at),
            ],
            **kwargs,
        )
    m2 = _make(make_optimizer())
    rec = _Record()
    history = m2.fit(
        *data,
        epochs=3,
        verbose=0,
        callbacks=[keras.callbacks.BackupAndRestore(backup, save_freq=save_freq), rec],
        **kwargs,
    )
    return m2, rec.seen, history


def _sgd():
    return keras.optimizers.SGD(0.1, momentum=0.5)


# tf_keras: interrupted after batch 1 of epoch 1 (backup at that batch), the second fit runs
# batches 2, 3 of epoch 1 then the whole epoch 2; arrays are one stream of passes, so the
# resumed epoch takes the first two batches of the data and epoch 2 carries on from there.
@pytest.mark.parametrize("save_freq,at", [(1, 6), (2, 6), (3, 7)])
def test_resume_mid_epoch_arrays_matches_tf_keras(tmp_path, save_freq, at):
    m, seen, history = _interrupted_then_resumed(tmp_path, _sgd, (X, Y), save_freq, at)
    assert seen == [("E", 1), 2, 3, ("E", 2), 0, 1, 2, 3]
    assert history.epoch == [1, 2]
    np.testing.assert_allclose(history.history["loss"], [0.080385, 0.005081], atol=2e-6)
    kernel, bias = m.get_weights()
    np.testing.assert_allclose(kernel.ravel(), [0.7070950269699097, 0.21949054300785065], atol=1e-6)
    np.testing.assert_allclose(bias, [0.1739552617073059], atol=1e-6)


def test_backup_at_last_batch_resumes_next_epoch(tmp_path):
    # tf_keras: the backup written at an epoch's last batch resumes at the next epoch, step 0.
    m, seen, history = _interrupted_then_resumed(tmp_path, _sgd, (X, Y), 2, 5)
    assert seen == [("E", 1), 0, 1, 2, 3, ("E", 2), 0, 1, 2, 3]
    np.testing.assert_allclose(history.history["loss"], [0.124162, 0.024296], atol=2e-6)
    kernel, bias = m.get_weights()
    np.testing.assert_allclose(kernel.ravel(), [0.6915555000305176, 0.21621975302696228], atol=1e-6)
    np.testing.assert_allclose(bias, [0.2966432273387909], atol=1e-6)


def test_resume_mid_epoch_dataset_adam_matches_tf_keras(tmp_path):
    # A finite tf.data dataset starts afresh every epoch (tf_keras recreates its iterator):
    # the resumed epoch runs its first two batches as steps 2 and 3.
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(2)
    m, seen, history = _interrupted_then_resumed(
        tmp_path, lambda: keras.optimizers.Adam(0.05), (ds,), 1, 6
    )
    assert seen == [("E", 1), 2, 3, ("E", 2), 0, 1, 2, 3]
    np.testing.assert_allclose(history.history["loss"], [0.010996, 0.016086], atol=5e-6)
    kernel, bias = m.get_weights()
    np.testing.assert_allclose(kernel.ravel(), [0.6630083322525024, 0.16617316007614136], atol=1e-5)
    np.testing.assert_allclose(bias, [0.4234371781349182], atol=1e-5)


def test_explicit_later_initial_epoch_wins_over_backup(tmp_path):
    # An initial_epoch past the backed-up epoch starts that epoch at its first step.
    backup = str(tmp_path / "backup")
    m = _make(_sgd())
    with pytest.raises(RuntimeError):
        m.fit(
            X,
            Y,
            batch_size=2,
            epochs=3,
            shuffle=False,
            verbose=0,
            callbacks=[keras.callbacks.BackupAndRestore(backup, save_freq=1), _Interrupt(2)],
        )
    rec = _Record()
    m.fit(
        X,
        Y,
        batch_size=2,
        epochs=3,
        initial_epoch=2,
        shuffle=False,
        verbose=0,
        callbacks=[keras.callbacks.BackupAndRestore(backup, save_freq=1), rec],
    )
    assert rec.seen == [("E", 2), 0, 1, 2, 3]


def test_resume_mid_epoch_repeated_dataset_with_steps_per_epoch(tmp_path):
    # tf_keras: 3 steps an epoch over a repeated dataset, interrupted after batch 1 of
    # epoch 1 (5 batches, a backup every 2): the second fit runs steps 1, 2 of epoch 1.
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(2).repeat()
    backup = str(tmp_path / "backup")
    m = _make(keras.optimizers.Adam(0.05))
    with pytest.raises(RuntimeError):
        m.fit(
            ds,
            steps_per_epoch=3,
            epochs=3,
            verbose=0,
            callbacks=[keras.callbacks.BackupAndRestore(backup, save_freq=2), _Interrupt(5)],
        )
    m2 = _make(keras.optimizers.Adam(0.05))
    rec = _Record()
    history = m2.fit(
        ds,
        steps_per_epoch=3,
        epochs=3,
        verbose=0,
        callbacks=[keras.callbacks.BackupAndRestore(backup, save_freq=2), rec],
    )
    assert rec.seen == [("E", 1), 1, 2, ("E", 2), 0, 1, 2]
    np.testing.assert_allclose(history.history["loss"], [0.008438, 0.048742], atol=5e-6)
    kernel, bias = m2.get_weights()
    np.testing.assert_allclose(kernel.ravel(), [0.6373200416564941, 0.14214184880256653], atol=1e-5)
    np.testing.assert_allclose(bias, [0.41893380880355835], atol=1e-5)
