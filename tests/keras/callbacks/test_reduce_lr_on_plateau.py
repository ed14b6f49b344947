import numpy as np
import pytest

from tork.keras.callbacks import ReduceLROnPlateau


def _fit(helpers, cb, val, lr=1.0, key="loss"):
    model = helpers.FakeModel(learning_rate=lr)
    history = helpers.run_fit(
        model, callbacks=[cb], epochs=len(val), steps=1, val_logs=lambda e: {key: val[e]}
    )
    return model, history


def test_reduces_after_patience(helpers, capsys):
    model, history = _fit(helpers, ReduceLROnPlateau(factor=0.5, patience=2, verbose=1), [1.0] * 5)
    # Epoch 0 sets the best; epochs 1, 2 do not improve -> reduce at 2; again at 4.
    assert history.history["lr"] == [1.0, 1.0, 1.0, 0.5, 0.5]
    assert model.optimizer.learning_rate == 0.25
    out = capsys.readouterr().out
    assert "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.5.\n" in out
    assert "\nEpoch 5: ReduceLROnPlateau reducing learning rate to 0.25.\n" in out


def test_improvement_resets_wait(helpers):
    model, _ = _fit(helpers, ReduceLROnPlateau(factor=0.5, patience=2), [1.0, 1.0, 0.5, 0.5])
    assert model.optimizer.learning_rate == 1.0


def test_min_delta(helpers):
    # 0.95 is an improvement of less than min_delta=0.1: it counts as none.
    model, _ = _fit(helpers, ReduceLROnPlateau(factor=0.5, patience=1, min_delta=0.1), [1.0, 0.95])
    assert model.optimizer.learning_rate == 0.5


def test_cooldown(helpers):
    model, history = _fit(helpers, ReduceLROnPlateau(factor=0.5, patience=2, cooldown=2), [1.0] * 7)
    # Reductions at epochs 2 and 5 (two cooldown epochs, then patience again).
    assert history.history["lr"] == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]
    assert model.optimizer.learning_rate == 0.25


def test_min_lr_floor(helpers):
    model, _ = _fit(helpers, ReduceLROnPlateau(factor=0.1, patience=1, min_lr=0.05), [1.0] * 6)
    # 1 -> 0.1 -> max(0.01, 0.05) = 0.05, then it stays there.
    assert model.optimizer.learning_rate == 0.05


def test_auto_mode_maximizes_accuracy(helpers):
    cb = ReduceLROnPlateau(monitor="val_accuracy", factor=0.5, patience=1)
    model, _ = _fit(helpers, cb, [0.5, 0.6, 0.7], key="accuracy")
    assert model.optimizer.learning_rate == 1.0


def test_auto_mode_defaults_to_min_for_unknown_names(helpers):
    cb = ReduceLROnPlateau(monitor="val_custom", factor=0.5, patience=1)
    model, _ = _fit(helpers, cb, [0.5, 0.6], key="custom")
    assert model.optimizer.learning_rate == 0.5


def test_missing_monitor_warns(helpers):
    model = helpers.FakeModel()
    with pytest.warns(UserWarning, match="conditioned on metric `val_loss` which is not available"):
        helpers.run_fit(model, callbacks=[ReduceLROnPlateau(patience=0)], epochs=1, steps=1)


def test_factor_must_be_below_one():
    with pytest.raises(ValueError, match="does not support a factor >= 1.0. Received factor=2"):
        ReduceLROnPlateau(factor=2)


def test_epsilon_is_a_deprecated_alias():
    with pytest.warns(UserWarning, match="use `min_delta` instead"):
        cb = ReduceLROnPlateau(epsilon=0.5)
    assert cb.min_delta == 0.5


def test_unknown_kwargs_raise():
    with pytest.raises(TypeError, match=r"unexpected keyword arguments: \['paitence'\]"):
        ReduceLROnPlateau(paitence=3)


def test_logs_lr_as_float32_like_keras2(helpers):
    # tf_keras 2.21: history.history keys end with 'lr' and its values are np.float32
    # (Keras 3 logs 'learning_rate'; both names read the same list).
    _, history = _fit(helpers, ReduceLROnPlateau(factor=0.5, patience=1), [1.0] * 3, lr=0.1)
    assert list(history.history) == ["loss", "val_loss", "lr"]
    assert [type(v) for v in history.history["lr"]] == [np.float32] * 3
    assert [repr(v) for v in history.history["lr"]] == [
        "np.float32(0.1)",
        "np.float32(0.1)",
        "np.float32(0.05)",
    ]
    assert history.history["learning_rate"] is history.history["lr"]


def test_new_rate_is_computed_in_float32_like_keras2(helpers, capsys):
    # tf_keras 2.21, SGD(0.1), factor=0.2, patience=1, on a flat val_accuracy:
    model, _ = _fit(
        helpers,
        ReduceLROnPlateau(monitor="val_accuracy", factor=0.2, patience=1, verbose=1),
        [1.0, 1.0, 1.0],
        lr=0.1,
        key="accuracy",
    )
    out = capsys.readouterr().out
    assert "\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.020000001415610313.\n" in out
    assert "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.004000000189989805.\n" in out
    # min_lr wins as given (tf_keras prints "0.03").
    _fit(
        helpers,
        ReduceLROnPlateau(factor=0.5, patience=1, min_lr=0.03, verbose=1),
        [1.0] * 4,
        lr=0.05,
    )
    assert "reducing learning rate to 0.03.\n" in capsys.readouterr().out
