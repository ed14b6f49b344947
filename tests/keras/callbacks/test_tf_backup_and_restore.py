"""`BackupAndRestore` resumes from the backup directory TensorFlow's callback wrote.

tests/train/data/tf_backup was written by tests/train/data/make_tf_checkpoints.py
(TF 2.21 / tf_keras): `fit(epochs=4)` with `SGD(0.1)` interrupted at the start of
epoch 2; its `chief/` checkpoint holds the model after epoch 1 and the counters.
"""

import os
import shutil

import numpy as np

import tork as tf

keras = tf.keras
DATA = os.path.join(os.path.dirname(__file__), "..", "..", "train", "data", "tf_backup")
X = np.linspace(-1, 1, 24, dtype=np.float32).reshape(8, 3)
Y = np.linspace(0, 1, 16, dtype=np.float32).reshape(8, 2)
# Printed by the script: the weights TensorFlow backed up at the end of epoch 1.
KERNEL = [
    [0.11235430091619492, 0.11032053828239441],
    [0.1268012821674347, 0.12683260440826416],
    [0.14124828577041626, 0.1433446854352951],
]
BIAS = [0.1661403477191925, 0.1898888498544693]


def test_fit_resumes_where_tensorflow_was_interrupted(tmp_path):
    backup = tmp_path / "backup"
    shutil.copytree(DATA, backup)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    seen = []

    class Record(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            seen.append((epoch, [w.copy() for w in model.get_weights()]))

    callback = keras.callbacks.BackupAndRestore(str(backup))
    history = model.fit(
        X, Y, batch_size=4, epochs=4, shuffle=False, verbose=0, callbacks=[callback, Record()]
    )
    assert [epoch for epoch, _ in seen] == [2, 3]
    np.testing.assert_allclose(seen[0][1][0], KERNEL, rtol=1e-6)
    np.testing.assert_allclose(seen[0][1][1], BIAS, rtol=1e-6)
    assert int(model.optimizer.iterations) == 8  # 4 restored + 2 epochs of 2 steps
    assert len(history.history["loss"]) == 2
    # The finished fit leaves no backup to resume from, TensorFlow's included.
    assert os.listdir(backup) == []
