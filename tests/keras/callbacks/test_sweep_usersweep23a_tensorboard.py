"""TensorBoard subclasses that assign Keras 2's private attributes (sentdex's DQN tutorial).

`ModifiedTensorBoard.__init__` does `self._log_write_dir = self.log_dir` and its
`set_model` assigns `self._train_step`, `self._val_step`, `self._train_dir` and
`self._should_write_train_graph`. In tf_keras 2.21 these are plain attributes, so the
assignments work and later reads return the assigned values.
"""

import os

import numpy as np

import tork as tf


class _ModifiedTensorBoard(tf.keras.callbacks.TensorBoard):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.step = 1
        self.writer = tf.summary.create_file_writer(self.log_dir)
        self._log_write_dir = self.log_dir

    def set_model(self, model):
        self.model = model
        self._train_dir = os.path.join(self._log_write_dir, "train")
        self._train_step = 7
        self._val_dir = os.path.join(self._log_write_dir, "validation")
        self._val_step = 3
        self._should_write_train_graph = False

    def on_epoch_end(self, epoch, logs=None):
        self.update_stats(**logs)

    def on_batch_end(self, batch, logs=None):
        pass

    def on_train_end(self, _):
        pass

    def update_stats(self, **stats):
        with self.writer.as_default():
            for key, value in stats.items():
                tf.summary.scalar(key, value, step=self.step)
                self.writer.flush()
        self.seen = sorted(stats)


def test_sentdex_modified_tensorboard_assigns_private_attributes(tmp_path):
    log_dir = str(tmp_path / "logs")
    board = _ModifiedTensorBoard(log_dir=log_dir)
    assert board._log_write_dir == log_dir
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    model.compile(loss="mse", optimizer="adam", metrics=["accuracy"])
    x = np.ones((4, 3), "float32")
    y = np.zeros((4, 2), "float32")
    model.fit(x, y, batch_size=4, verbose=0, shuffle=False, callbacks=[board])
    model.fit(x, y, batch_size=4, verbose=0, shuffle=False, callbacks=[board])
    assert board.seen == ["accuracy", "loss"]
    assert (board._train_step, board._val_step) == (7, 3)
    assert board._train_dir == os.path.join(log_dir, "train")
    assert any(name.startswith("events.out.tfevents") for name in os.listdir(log_dir))


def test_assigned_log_write_dir_is_read_back_and_default_is_log_dir(tmp_path):
    board = tf.keras.callbacks.TensorBoard(log_dir=str(tmp_path))
    assert board._log_write_dir == str(tmp_path)
    board._log_write_dir = str(tmp_path / "other")
    assert board._log_write_dir == str(tmp_path / "other")
    # Unassigned step counters still count the batches of the running fit.
    assert int(board._train_step) == 0
