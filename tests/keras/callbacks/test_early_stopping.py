import numpy as np
import pytest

from tork.keras.callbacks import EarlyStopping


def _fit(helpers, cb, val, key="loss", epochs=None, model=None):
    model = model or helpers.FakeModel()
    history = helpers.run_fit(
        model,
        callbacks=[cb],
        epochs=epochs or len(val),
        steps=2,
        val_logs=lambda e: {key: val[e]},
    )
    return model, history


def test_stops_after_patience_epochs_without_improvement(helpers):
    cb = EarlyStopping(patience=2)
    _, history = _fit(helpers, cb, [1.0, 0.8, 0.9, 0.85, 0.95, 0.7])
    # Best 0.8 at epoch 1; epochs 2 and 3 do not improve -> stop at epoch 3.
    assert history.epoch == [0, 1, 2, 3]
    assert cb.stopped_epoch == 3
    assert cb.best == 0.8


def test_patience_zero_stops_at_first_non_improvement(helpers):
    cb = EarlyStopping(monitor="loss", patience=0)
    model = helpers.FakeModel()
    history = helpers.run_fit(
        model,
        callbacks=[cb],
        epochs=5,
        steps=1,
        train_logs=lambda e, s: {"loss": [3, 2, 2, 1, 0][e]},
    )
    assert history.epoch == [0, 1, 2]


def test_restore_best_weights(helpers, capsys):
    cb = EarlyStopping(patience=2, restore_best_weights=True, verbose=1)
    model, _ = _fit(helpers, cb, [1.0, 0.8, 0.9, 0.85, 0.95, 0.7])
    # The fake train step sets every weight to 100 * epoch + step; epoch 1 ended at step 1.
    np.testing.assert_array_equal(model.get_weights()[0], np.full(3, 101.0))
    out = capsys.readouterr().out
    assert "Epoch 4: early stopping\n" in out
    assert "Restoring model weights from the end of the best epoch: 2.\n" in out


def test_restore_best_weights_even_without_stopping(helpers):
    cb = EarlyStopping(patience=10, restore_best_weights=True)
    model, _ = _fit(helpers, cb, [1.0, 0.5, 0.9])
    np.testing.assert_array_equal(model.get_weights()[0], np.full(3, 101.0))


def test_baseline_not_beaten_stops_early(helpers):
    val = [0.9, 0.95, 0.97, 0.99]
    with_baseline = EarlyStopping(patience=2, baseline=0.5)
    _, h1 = _fit(helpers, with_baseline, val)
    # Epoch 0 improves on "nothing" but not on the baseline: patience keeps counting.
    assert h1.epoch == [0, 1]
    without = EarlyStopping(patience=2)
    _, h2 = _fit(helpers, without, val)
    assert h2.epoch == [0, 1, 2]


def test_start_from_epoch(helpers):
    val = [1.0, 2.0, 3.0, 4.0, 5.0]
    _, h = _fit(helpers, EarlyStopping(patience=0, start_from_epoch=2), val)
    # Epochs 0 and 1 are ignored; 3.0 is the first best; 4.0 stops at epoch 3.
    assert h.epoch == [0, 1, 2, 3]
    _, h = _fit(helpers, EarlyStopping(patience=0), val)
    assert h.epoch == [0, 1]


def test_min_delta(helpers):
    _, h = _fit(helpers, EarlyStopping(patience=1, min_delta=0.1), [1.0, 0.95, 0.9])
    # 0.95 is not 0.1 better than 1.0.
    assert h.epoch == [0, 1]


def test_auto_mode_maximizes_accuracy(helpers):
    cb = EarlyStopping(monitor="val_accuracy", patience=0)
    _, h = _fit(helpers, cb, [0.5, 0.6, 0.55, 0.9], key="accuracy")
    assert h.epoch == [0, 1, 2]
    assert cb.best == 0.6


@pytest.mark.parametrize("name", ["val_auc", "precision", "val_recall", "f1_score", "mean_iou"])
def test_auto_mode_max_names(helpers, name):
    cb = EarlyStopping(monitor=name, patience=0)
    model = helpers.FakeModel()
    cb.set_model(model)
    cb.on_train_begin()
    cb.on_epoch_end(0, {name: 0.5})
    cb.on_epoch_end(1, {name: 0.6})
    assert not model.stop_training


def test_min_mode_on_accuracy_overrides_auto(helpers):
    cb = EarlyStopping(monitor="val_accuracy", mode="min", patience=0)
    _, h = _fit(helpers, cb, [0.5, 0.6, 0.4], key="accuracy")
    assert h.epoch == [0, 1]


def test_metric_direction_attribute_is_used(helpers):
    class Metric:
        name = "my_score"
        _direction = "up"

    model = helpers.FakeModel()
    model.metrics = [Metric()]
    cb = EarlyStopping(monitor="val_my_score", patience=0)
    cb.set_model(model)
    cb.on_train_begin()
    cb.on_epoch_end(0, {"val_my_score": 1.0})
    cb.on_epoch_end(1, {"val_my_score": 2.0})
    assert not model.stop_training


def test_unknown_direction_is_minimised_like_keras2(helpers):
    # tf_keras 2.21: monitor="val_my_metric" (a custom metric) with mode="auto" is
    # minimised; Keras 3 raises instead.
    cb = EarlyStopping(monitor="val_custom", patience=0)
    _, h = _fit(helpers, cb, [1.0, 0.5, 0.7, 0.2], key="custom")
    assert h.epoch == [0, 1, 2]
    assert cb.best == 0.5


def test_best_starts_at_inf_like_keras2(helpers):
    # tf_keras 2.21 prints `best inf` when the monitored key never appears, and -inf
    # for accuracy-like (maximised) quantities.
    cb = EarlyStopping(monitor="val_missing")
    with pytest.warns(UserWarning):
        _fit(helpers, cb, [1.0, 0.5])
    assert cb.best == np.inf
    cb = EarlyStopping(monitor="val_accuracy")
    cb.set_model(helpers.FakeModel())
    cb.on_train_begin()
    assert cb.best == -np.inf
    cb = EarlyStopping(monitor="loss", mode="max")
    cb.on_train_begin()
    assert cb.best == -np.inf


def test_missing_monitor_warns_and_continues(helpers):
    cb = EarlyStopping(monitor="val_loss", patience=0)
    model = helpers.FakeModel()
    with pytest.warns(
        UserWarning, match="`val_loss` which is not available. Available metrics are: loss"
    ):
        h = helpers.run_fit(model, callbacks=[cb], epochs=3, steps=1)
    assert h.epoch == [0, 1, 2]


def test_unknown_mode_warns():
    with pytest.warns(UserWarning, match="EarlyStopping mode up is unknown, fallback to auto mode"):
        cb = EarlyStopping(mode="up")
    assert cb.mode == "auto"


def test_reusable_across_fits(helpers):
    cb = EarlyStopping(patience=0)
    _fit(helpers, cb, [1.0, 2.0])
    _, h = _fit(helpers, cb, [5.0, 4.0, 6.0])
    # A fresh best at the start of the second fit: 5.0 is not compared with 1.0.
    assert h.epoch == [0, 1, 2]


def test_restore_best_weights_on_a_real_model():
    # The best epoch's weights must be a snapshot, not a view of the weights trained on.
    import numpy as np
    import torch

    from tork import keras

    class Record(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.weights = []

        def on_epoch_end(self, epoch, logs=None):
            self.weights.append([w.copy() for w in self.model.get_weights()])

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    x = torch.linspace(-1, 1, 32).reshape(16, 2)
    y = x.sum(1, keepdims=True)
    # Validation targets of the opposite sign: val_loss is best after the first epoch.
    record = Record()
    stop = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    history = model.fit(
        x, y, epochs=6, verbose=0, validation_data=(x, -y), callbacks=[record, stop]
    )
    best = int(np.argmin(history.history["val_loss"]))
    for restored, expected in zip(model.get_weights(), record.weights[best]):
        np.testing.assert_array_equal(restored, expected)
    assert best < len(history.history["val_loss"]) - 1
