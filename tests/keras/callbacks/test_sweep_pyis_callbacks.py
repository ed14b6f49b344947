"""PyImageSearch sweep: callbacks of the DL4CV book code.

`TrainingMonitor(BaseLogger)` (pyimagesearch/callbacks/trainingmonitor.py) subclasses
Keras 2's `BaseLogger`, overrides `on_train_begin`/`on_epoch_end` and writes the logs
with `json.dumps`. Reference values: tf_keras 2.21 (TF_USE_LEGACY_KERAS=1).
"""

import json

import numpy as np

from tork import keras


class _TrainingMonitor(keras.callbacks.BaseLogger):
    # The book's callback, minus the matplotlib plot.
    def __init__(self, json_path, start_at=0):
        super(_TrainingMonitor, self).__init__()  # noqa: UP008 - as the book writes it
        self.json_path = json_path
        self.start_at = start_at

    def on_train_begin(self, logs={}):  # noqa: B006 - the book's signature
        self.H = {}

    def on_epoch_end(self, epoch, logs={}):  # noqa: B006
        for k, v in logs.items():
            history = self.H.get(k, [])
            history.append(v)
            self.H[k] = history
        with open(self.json_path, "w") as f:
            f.write(json.dumps(self.H))


def test_training_monitor_subclass_of_base_logger(tmp_path):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.set_weights([np.array([[0.5], [-0.25]], np.float32), np.zeros(1, np.float32)])
    model.compile("sgd", "mse", metrics=["mae"])
    x = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    y = np.array([[1.0], [0.0]], np.float32)
    monitor = _TrainingMonitor(str(tmp_path / "h.json"))
    history = model.fit(x, y, validation_data=(x, y), epochs=2, verbose=0, callbacks=[monitor])
    saved = json.loads((tmp_path / "h.json").read_text())
    assert sorted(saved) == ["loss", "mae", "val_loss", "val_mae"]
    for key, values in history.history.items():
        np.testing.assert_allclose(saved[key], values, rtol=1e-6)
    # first epoch loss before any update: mean((0 - 1)^2, (0.5 - 0)^2) = 0.625
    np.testing.assert_allclose(saved["loss"][0], 0.625, rtol=1e-6)


def test_base_logger_averages_by_batch_size():
    # tf_keras 2.21 gives seen=10, totals={'size': 20, 'loss': 18.0, 'acc': 0.75,
    # 'num_steps': 8} and logs {'loss': 1.8, 'acc': 0.75} for these calls.
    logger = keras.callbacks.BaseLogger(stateful_metrics=["acc"])
    logger.set_params({"metrics": ["loss", "acc", "other"]})
    logger.on_epoch_begin(0)
    logger.on_batch_end(0, {"size": 2, "loss": 1.0, "acc": 0.5})
    logger.on_batch_end(1, {"size": 4, "loss": 4.0, "acc": 0.75, "num_steps": 2})
    logs = {"loss": 99.0, "acc": 0.0}
    logger.on_epoch_end(0, logs)
    assert logger.seen == 10  # 2 + 4 * 2 steps
    assert logger.totals == {"size": 20, "loss": 18.0, "acc": 0.75, "num_steps": 8}
    assert logs == {"loss": 1.8, "acc": 0.75}  # (2 * 1 + 4 * 4) / 10; acc kept as is
    assert isinstance(logger, keras.callbacks.Callback)


def test_base_logger_in_fit_leaves_logs_alone():
    # TF 2's loops write no batch "size" and no params["metrics"]: tf_keras's BaseLogger
    # then totals 0 for averaged metrics (and raises KeyError at epoch end); tork keeps
    # the loop's epoch logs unchanged.
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.set_weights([np.array([[0.5], [-0.25]], np.float32), np.zeros(1, np.float32)])
    model.compile("sgd", "mse", metrics=["mae"])
    logger = keras.callbacks.BaseLogger(stateful_metrics=["mae"])
    x = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    y = np.array([[1.0], [0.0]], np.float32)
    history = model.fit(x, y, batch_size=1, epochs=1, verbose=0, callbacks=[logger])
    assert logger.seen == 0
    assert logger.totals["loss"] == 0
    np.testing.assert_allclose(logger.totals["mae"], history.history["mae"][0], rtol=1e-6)
    assert set(history.history) == {"loss", "mae"}
