"""Keras 2's `model._train_counter`/`_test_counter`/`_predict_counter` (sentdex's DQN
ModifiedTensorBoard reads them)."""

import numpy as np

import tork as tf


def test_batch_counters_follow_tf_keras():
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,), name="d")])
    model.compile("sgd", "mse")
    counter = model._train_counter
    # tf_keras 2.21: int64 variables, 0 before any call, not among the model's weights.
    assert counter.dtype == tf.int64 and int(counter.numpy()) == 0
    assert int(model._test_counter.numpy()) == 0 and int(model._predict_counter.numpy()) == 0
    x = np.ones((10, 2), "float32")
    y = np.ones((10, 1), "float32")
    model.fit(x, y, batch_size=4, epochs=2, verbose=0, validation_data=(x[:6], y[:6]))
    # tf_keras 2.21 prints 6 6 2: 3 batches x 2 epochs; the last validation ran 2 batches.
    assert int(counter.numpy()) == 6 and int(model._train_counter.numpy()) == 6
    assert int(model._test_counter.numpy()) == 2
    model.evaluate(x, y, batch_size=3, verbose=0)
    assert int(model._test_counter.numpy()) == 4
    model.predict(x, batch_size=5, verbose=0)
    assert int(model._predict_counter.numpy()) == 2 and int(counter.numpy()) == 6
    model.fit(x, y, batch_size=10, epochs=1, verbose=0)
    assert int(counter.numpy()) == 1  # reset when fit starts, the same variable
    assert [w.name for w in model.weights] == ["d/kernel:0", "d/bias:0"]


def test_sentdex_modified_tensorboard_set_model_runs(tmp_path):
    class ModifiedTensorBoard(tf.keras.callbacks.TensorBoard):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.step = 1
            self.writer = tf.summary.create_file_writer(self.log_dir)
            self._log_write_dir = self.log_dir

        def set_model(self, model):
            self.model = model
            self._train_step = self.model._train_counter
            self._val_step = self.model._test_counter
            self._should_write_train_graph = False

        def on_epoch_end(self, epoch, logs=None):
            self.seen = sorted(logs)

    board = ModifiedTensorBoard(log_dir=str(tmp_path))
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0, callbacks=[board])
    assert board.seen == ["loss"]
    assert board._train_step is model._train_counter
    assert int(board._train_step.numpy()) == 1
