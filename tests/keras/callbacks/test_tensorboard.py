import os
import sys

import pytest
import torch

from tork._backend.errors import TorkNotImplementedError
from tork.keras.callbacks import TensorBoard


def test_missing_tensorboard_package_says_how_to_install(monkeypatch):
    # Make `import tensorboard` fail, as it does when the package is absent.
    monkeypatch.setitem(sys.modules, "tensorboard", None)
    for name in list(sys.modules):
        if name.startswith("torch.utils.tensorboard"):
            monkeypatch.delitem(sys.modules, name)
    with pytest.raises(ImportError, match="pip install tensorboard"):
        TensorBoard(log_dir="unused")


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"update_freq": "step"}, ValueError, "invalid update_freq='step'"),
        ({"update_freq": 0}, ValueError, "invalid update_freq=0"),
        ({"histogram_freq": -1}, ValueError, "histogram_freq must be a non-negative integer"),
        ({"profile_batch": 2}, TorkNotImplementedError, "profile_batch"),
        ({"embeddings_freq": 1}, TorkNotImplementedError, "embeddings_freq"),
    ],
)
def test_argument_errors(tmp_path, kwargs, error, match):
    pytest.importorskip("tensorboard")
    with pytest.raises(error, match=match):
        TensorBoard(log_dir=str(tmp_path), **kwargs)


def _scalars(directory):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    acc = EventAccumulator(directory, size_guidance={"scalars": 0, "histograms": 0})
    acc.Reload()
    scalars = {
        tag: [(e.step, round(e.value, 6)) for e in acc.Scalars(tag)]
        for tag in acc.Tags()["scalars"]
    }
    return scalars, acc.Tags()["histograms"]


def test_epoch_scalars_and_histograms(helpers, tmp_path):
    pytest.importorskip("tensorboard")

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.dense = torch.nn.Linear(2, 3)

    model = helpers.FakeModel(learning_rate=0.5)
    net = Net()
    model.named_parameters = net.named_parameters
    model.weights = None
    log_dir = str(tmp_path / "logs")
    helpers.run_fit(
        model,
        callbacks=[TensorBoard(log_dir=log_dir, histogram_freq=1)],
        epochs=2,
        steps=2,
        train_logs=lambda e, s: {"loss": [0.5, 0.25][e]},
        val_logs=lambda e: {"loss": [2.0, 1.0][e]},
    )
    assert sorted(os.listdir(log_dir)) == ["train", "validation"]
    train, histograms = _scalars(os.path.join(log_dir, "train"))
    assert sorted(histograms) == ["dense/bias/histogram", "dense/weight/histogram"]
    assert train["epoch_loss"] == [(0, 0.5), (1, 0.25)]
    assert train["epoch_learning_rate"] == [(0, 0.5), (1, 0.5)]
    val, _ = _scalars(os.path.join(log_dir, "validation"))
    assert val["epoch_loss"] == [(0, 2.0), (1, 1.0)]
    # Evaluation inside fit, at the optimizer's iteration count (2 and 4 steps).
    assert val["evaluation_loss_vs_iterations"] == [(2, 2.0), (4, 1.0)]


def test_weight_histograms_from_keras_style_weights(helpers, tmp_path):
    pytest.importorskip("tensorboard")

    model = helpers.FakeModel()
    model.weights = [torch.ones(3)]
    model.weights[0].path = "dense/kernel"
    log_dir = str(tmp_path)
    helpers.run_fit(model, callbacks=[TensorBoard(log_dir=log_dir, histogram_freq=2)], epochs=3)
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    acc = EventAccumulator(os.path.join(log_dir, "train"), size_guidance={"histograms": 0})
    acc.Reload()
    assert acc.Tags()["histograms"] == ["dense/kernel/histogram"]
    assert [e.step for e in acc.Histograms("dense/kernel/histogram")] == [0, 2]


def test_batch_scalars_every_update_freq(helpers, tmp_path):
    pytest.importorskip("tensorboard")
    log_dir = str(tmp_path)
    helpers.run_fit(
        helpers.FakeModel(),
        callbacks=[TensorBoard(log_dir=log_dir, update_freq=2)],
        epochs=2,
        steps=3,
        train_logs=lambda e, s: {"loss": torch.tensor(float(10 * e + s))},
    )
    train, _ = _scalars(os.path.join(log_dir, "train"))
    # Global batches 2, 4, 6 -> (epoch 0, step 1), (1, 0), (1, 2).
    assert train["batch_loss"] == [(2, 1.0), (4, 10.0), (6, 12.0)]
