import collections

import numpy as np
import pytest
import torch

from tork.keras.callbacks._utils import (
    keras3_log_order,
    monitor_direction,
    pythonify_logs,
    to_numpy_nest,
    to_python_floats,
)


def test_to_python_floats_matches_item_for_mixed_dtypes():
    values = [
        torch.tensor(0.1),
        torch.tensor(0.3, dtype=torch.bfloat16),
        torch.tensor(7, dtype=torch.int64),
        torch.tensor([2.5]),
        np.float32(0.2),
        3,
        "text",
        torch.zeros(2),
    ]
    out = to_python_floats(values)
    assert out[:6] == [
        float(np.float32(0.1)),
        float(torch.tensor(0.3, dtype=torch.bfloat16).item()),
        7.0,
        2.5,
        float(np.float32(0.2)),
        3.0,
    ]
    assert all(type(v) is float for v in out[:6])
    assert out[6] == "text"
    assert out[7] is values[7]


def test_pythonify_flattens_nested_dicts():
    assert pythonify_logs({"a": torch.tensor(1.0), "out": {"b": 2}}) == {"a": 1.0, "b": 2.0}
    assert pythonify_logs(None) == {}


def test_keras3_log_order():
    logs = {"loss": 1, "val_loss": 2, "accuracy": 3, "val_accuracy": 4}
    assert list(keras3_log_order(logs)) == ["accuracy", "loss", "val_accuracy", "val_loss"]


@pytest.mark.parametrize(
    "name, direction",
    [
        ("val_loss", "min"),
        ("loss", "min"),
        ("output_1_loss", "min"),
        ("val_accuracy", "max"),
        ("acc", "max"),
        ("val_sparse_categorical_accuracy", "max"),
        ("auc", "max"),
        ("val_precision", "max"),
        ("recall_1", "max"),
        ("mean_squared_error", "min"),
        ("val_mae", "min"),
        ("binary_crossentropy", "min"),
        ("previous_err", None),
        ("custom", None),
    ],
)
def test_monitor_direction(name, direction):
    assert monitor_direction(name) == direction


def test_to_numpy_nest_converts_every_tensor_of_a_nest():
    Pair = collections.namedtuple("Pair", ["a", "b"])
    nest = {"x": [torch.ones(2), (torch.zeros(1), 3)], "p": Pair(torch.tensor(2.0), "s")}
    out = to_numpy_nest(nest)
    assert isinstance(out["x"][0], np.ndarray) and out["x"][0].tolist() == [1.0, 1.0]
    assert isinstance(out["x"][1], tuple) and out["x"][1][1] == 3
    assert isinstance(out["p"], Pair) and float(out["p"].a) == 2.0 and out["p"].b == "s"
    assert isinstance(out["p"].a, np.ndarray)
