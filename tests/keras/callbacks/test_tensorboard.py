import glob
import os
import struct
import sys

import pytest
import torch

from tork.keras.callbacks import TensorBoard
from tork.ops import summary


def test_works_without_the_tensorboard_package(helpers, monkeypatch, tmp_path):
    # Make `import tensorboard` fail, as it does when the package is absent: tf.summary (and
    # so the callback) then writes the event files itself.
    monkeypatch.setitem(sys.modules, "tensorboard", None)
    for name in list(sys.modules):
        if name.startswith("torch.utils.tensorboard"):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "torch.utils.tensorboard", None)
    monkeypatch.setattr(summary, "_TB", None)
    helpers.run_fit(helpers.FakeModel(), callbacks=[TensorBoard(log_dir=str(tmp_path))])
    train, _ = _scalars(os.path.join(str(tmp_path), "train"))
    assert train == {"epoch_loss": [(0, 1.0)]}


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"update_freq": "step"}, ValueError, "invalid update_freq='step'"),
        ({"update_freq": 0}, ValueError, "invalid update_freq=0"),
        ({"histogram_freq": -1}, ValueError, "histogram_freq must be a non-negative integer"),
        ({"profile_batch": -1}, ValueError, "profile_batch must be a non-negative integer"),
    ],
)
def test_argument_errors(tmp_path, kwargs, error, match):
    with pytest.raises(error, match=match):
        TensorBoard(log_dir=str(tmp_path), **kwargs)


def _fields(data):
    """(field number, value) pairs of a protobuf message (varints and length-delimited)."""
    out, pos = [], 0

    def varint():
        nonlocal pos
        value = shift = 0
        while True:
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    while pos < len(data):
        key = varint()
        if key & 7 == 0:
            out.append((key >> 3, varint()))
        elif key & 7 == 1:
            out.append((key >> 3, data[pos : pos + 8]))
            pos += 8
        else:
            size = varint()
            out.append((key >> 3, data[pos : pos + size]))
            pos += size
    return out


def _scalars(directory):
    """{tag: [(step, value)]} of the scalar summaries and {tag: [step]} of the histograms."""
    (path,) = glob.glob(os.path.join(directory, "events.out.tfevents.*"))
    with open(path, "rb") as f:
        data = f.read()
    pos, scalars, histograms = 0, {}, {}
    while pos < len(data):
        (length,) = struct.unpack("<Q", data[pos : pos + 8])
        event = _fields(data[pos + 12 : pos + 12 + length])
        pos += 16 + length
        step = dict(event).get(2, 0)
        for _, summary_bytes in (f for f in event if f[0] == 5):
            for _, value in _fields(summary_bytes):
                value = dict(_fields(value))
                plugin = dict(_fields(dict(_fields(value[9]))[1]))[1]
                tag = value[1].decode()
                if plugin == b"scalars":
                    content = dict(_fields(value[8]))[4]
                    number = round(float(struct.unpack("<f", content)[0]), 6)
                    scalars.setdefault(tag, []).append((step, number))
                elif plugin == b"histograms":
                    histograms.setdefault(tag, []).append(step)
    return scalars, histograms


def test_epoch_scalars_and_histograms(helpers, tmp_path):
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
    # tf_keras logs the learning rate only when it is a LearningRateSchedule.
    assert "epoch_learning_rate" not in train
    val, _ = _scalars(os.path.join(log_dir, "validation"))
    assert val["epoch_loss"] == [(0, 2.0), (1, 1.0)]
    # Evaluation inside fit, at the optimizer's iteration count (2 and 4 steps).
    assert val["evaluation_loss_vs_iterations"] == [(2, 2.0), (4, 1.0)]


def test_weight_histograms_from_keras_style_weights(helpers, tmp_path):
    model = helpers.FakeModel()
    model.weights = [torch.ones(3)]
    model.weights[0].path = "dense/kernel"
    log_dir = str(tmp_path)
    helpers.run_fit(model, callbacks=[TensorBoard(log_dir=log_dir, histogram_freq=2)], epochs=3)
    _, histograms = _scalars(os.path.join(log_dir, "train"))
    assert histograms == {"dense/kernel/histogram": [0, 2]}


def test_batch_scalars_every_update_freq(helpers, tmp_path):
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
