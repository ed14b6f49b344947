import types

import numpy as np
import pytest
import torch

from tork.keras.callbacks import LearningRateScheduler


def test_schedule_sets_rate_each_epoch_and_logs_it(helpers, capsys):
    model = helpers.FakeModel(learning_rate=0.1)
    seen = []

    def schedule(epoch, lr):
        seen.append((epoch, lr))
        return lr * 0.5

    history = helpers.run_fit(
        model, callbacks=[LearningRateScheduler(schedule, verbose=1)], epochs=3, steps=1
    )
    assert seen == [(0, 0.1), (1, 0.05), (2, 0.025)]
    assert model.optimizer.learning_rate == 0.0125
    assert history.history["lr"] == [0.05, 0.025, 0.0125]
    assert "\nEpoch 2: LearningRateScheduler setting learning rate to 0.025.\n" in (
        capsys.readouterr().out
    )


def test_one_argument_schedule(helpers):
    model = helpers.FakeModel()
    history = helpers.run_fit(
        model,
        callbacks=[LearningRateScheduler(lambda epoch: [0.3, 0.2][epoch])],
        epochs=2,
        steps=1,
    )
    assert history.history["lr"] == [0.3, 0.2]


def test_tensor_and_numpy_outputs_are_accepted(helpers):
    model = helpers.FakeModel(learning_rate=1.0)
    helpers.run_fit(
        model,
        callbacks=[LearningRateScheduler(lambda e, lr: lr * torch.exp(torch.tensor(-1.0)))],
        epochs=1,
        steps=1,
    )
    assert model.optimizer.learning_rate == pytest.approx(np.exp(-1.0), rel=1e-6)
    helpers.run_fit(
        model, callbacks=[LearningRateScheduler(lambda e, lr: np.float32(0.5))], epochs=1, steps=1
    )
    assert model.optimizer.learning_rate == 0.5


def test_tensor_learning_rate_is_read(helpers):
    model = helpers.FakeModel()
    model.optimizer.learning_rate = torch.tensor(0.2)
    seen = []
    helpers.run_fit(
        model,
        callbacks=[LearningRateScheduler(lambda e, lr: seen.append(lr) or 0.1)],
        epochs=1,
        steps=1,
    )
    assert seen == [pytest.approx(0.2)]
    assert isinstance(seen[0], float)


def test_torch_optimizer_param_groups(helpers):
    model = helpers.FakeModel()
    # A torch.optim-style optimizer: no `learning_rate`, rates in param_groups.
    model.optimizer = types.SimpleNamespace(param_groups=[{"lr": 0.4}, {"lr": 0.4}])
    helpers.run_fit(
        model, callbacks=[LearningRateScheduler(lambda e, lr: lr / 4)], epochs=1, steps=1
    )
    assert [g["lr"] for g in model.optimizer.param_groups] == [0.1, 0.1]


def test_non_float_output_raises(helpers):
    model = helpers.FakeModel()
    with pytest.raises(ValueError, match="should be a float. Got: 1 of type int"):
        helpers.run_fit(model, callbacks=[LearningRateScheduler(lambda e, lr: 1)], epochs=1)


def test_model_without_optimizer_raises(helpers):
    model = helpers.FakeModel()
    model.optimizer = None
    with pytest.raises(ValueError, match="needs a compiled model with an optimizer"):
        helpers.run_fit(model, callbacks=[LearningRateScheduler(lambda e, lr: 0.1)], epochs=1)


def test_schedule_must_be_callable():
    with pytest.raises(TypeError, match="expects a callable"):
        LearningRateScheduler(0.1)


def test_logs_lr_as_float32_and_csv_column_like_keras2(helpers, tmp_path):
    # tf_keras 2.21 with LearningRateScheduler(lambda e, lr: lr * 0.5) and CSVLogger on
    # SGD(0.1): the column is `lr` and its cells read 0.05, 0.025 (np.float32 str()).
    from tork.keras.callbacks import CSVLogger

    path = tmp_path / "log.csv"
    history = helpers.run_fit(
        helpers.FakeModel(learning_rate=np.float32(0.1)),
        callbacks=[LearningRateScheduler(lambda e, lr: lr * 0.5), CSVLogger(str(path))],
        epochs=2,
        steps=1,
        train_logs=lambda e, s: {"loss": 0.5},
    )
    assert [repr(v) for v in history.history["lr"]] == ["np.float32(0.05)", "np.float32(0.025)"]
    assert path.read_text().splitlines() == [
        "epoch,loss,lr,val_loss,val_lr",
        "0,0.5,0.05,NA,NA",
        "1,0.5,0.025,NA,NA",
    ]
