import torch

from tork.keras.callbacks import History


def test_history_contents(helpers):
    model = helpers.FakeModel()
    history = helpers.run_fit(
        model,
        epochs=3,
        steps=4,
        verbose=0,
        train_logs=lambda e, s: {"accuracy": 0.5 + e / 10, "loss": torch.tensor(1.0 / (e + 1))},
        val_logs=lambda e: {"loss": 2.0 - e},
    )
    assert isinstance(history, History)
    assert model.history is history
    assert history.epoch == [0, 1, 2]
    assert history.params == {"verbose": 0, "epochs": 3, "steps": 4}
    assert history.history == {
        "accuracy": [0.5, 0.6, 0.7],
        "loss": [1.0, 0.5, float(torch.tensor(1.0 / 3))],
        "val_loss": [2.0, 1.0, 0.0],
    }
    # Python floats, not tensors.
    assert all(type(v) is float for vs in history.history.values() for v in vs)


def test_direct_use_converts_tensors():
    h = History()
    h.on_train_begin()
    h.on_epoch_end(0, {"loss": torch.tensor(0.25), "n": 3})
    assert h.history == {"loss": [0.25], "n": [3.0]}
    assert h.epoch == [0]


def test_initial_epoch_offsets_epoch_list(helpers):
    history = helpers.run_fit(helpers.FakeModel(), epochs=4, steps=1, initial_epoch=2)
    assert history.epoch == [2, 3]


def test_lr_and_learning_rate_keys_answer_each_other():
    # tork logs Keras 2's `lr`; Keras 3 code reads history.history["learning_rate"].
    # Either name reads whichever was logged.
    h = History()
    h.on_train_begin()
    h.on_epoch_end(0, {"loss": 1.0, "lr": 0.1})
    h.on_epoch_end(1, {"loss": 0.5, "lr": 0.02})
    assert h.history["learning_rate"] == [0.1, 0.02]
    assert "learning_rate" not in h.history  # only [] lookups fall back
    assert list(h.history) == ["loss", "lr"]
    h = History()
    h.on_epoch_end(0, {"loss": 1.0, "learning_rate": 0.1})
    assert h.history["lr"] == [0.1]
    try:
        h.history["val_lr"]
    except KeyError as e:
        assert e.args == ("val_lr",)
    else:
        raise AssertionError("missing keys must still raise KeyError")


def test_lr_key_without_learning_rate_raises():
    h = History()
    h.on_epoch_end(0, {"loss": 1.0})
    try:
        h.history["lr"]
    except KeyError as e:
        assert e.args == ("lr",)
    else:
        raise AssertionError("KeyError expected")
