"""`tf.data.experimental.make_csv_dataset` against values printed by TensorFlow 2.21."""

from __future__ import annotations

import numpy as np
import pytest

import tork as tf
from tork._backend.dtypes import dtype_name

CSV = 'a,b,c,big,label\n1,2.5,x,1,0\n2,,y,3000000000,1\n,3,"z,w",4,2\n4,1e3,,5,1\n5,6,v,6,0\n'


@pytest.fixture
def path(tmp_path):
    file = tmp_path / "t.csv"
    file.write_text(CSV)
    return str(file)


def _plain(features):
    return {k: (dtype_name(v.dtype), np.asarray(v).tolist()) for k, v in features.items()}


def test_types_are_inferred_and_missing_fields_take_defaults(path):
    ds = tf.data.experimental.make_csv_dataset(
        path, 3, label_name="label", num_epochs=1, shuffle=False
    )
    batches = list(ds)
    assert len(batches) == 2
    features, labels = batches[0]
    assert list(features) == ["a", "b", "c", "big"]  # column order, label removed
    # TF 2.21: int32, float32 ("" -> 0), string (quoted comma kept), int64 (> int32 range).
    assert _plain(features) == {
        "a": ("int32", [1, 2, 0]),
        "b": ("float32", [2.5, 0.0, 3.0]),
        "c": ("string", [b"x", b"y", b"z,w"]),
        "big": ("int64", [1, 3000000000, 4]),
    }
    assert dtype_name(labels.dtype) == "int32" and labels.tolist() == [0, 1, 2]
    features, labels = batches[1]
    assert _plain(features)["b"] == ("float32", [1000.0, 6.0])
    assert _plain(features)["c"] == ("string", [b"", b"v"])
    assert labels.tolist() == [1, 0]


def test_select_columns_and_defaults_per_selected_column(path):
    ds = tf.data.experimental.make_csv_dataset(
        path,
        2,
        select_columns=["b", "label"],
        column_defaults=[-1.0, tf.int64],
        label_name="label",
        num_epochs=1,
        shuffle=False,
    )
    got = [(_plain(f), np.asarray(lab).tolist(), dtype_name(lab.dtype)) for f, lab in ds]
    assert got == [
        ({"b": ("float32", [2.5, -1.0])}, [0, 1], "int64"),
        ({"b": ("float32", [3.0, 1000.0])}, [2, 1], "int64"),
        ({"b": ("float32", [6.0])}, [0], "int64"),
    ]


def test_endless_dataset_has_full_batches_and_epochs_run_together(path):
    ds = tf.data.experimental.make_csv_dataset(
        path,
        2,
        column_names=["A", "B", "C", "D", "E"],
        column_defaults=[0, 0.0, "?", tf.int64, 0],
        num_epochs=None,
        shuffle=False,
    )
    got = [_plain(f) for f in ds.take(3)]
    assert got[1]["C"] == ("string", [b"z,w", b"?"])
    assert got[2]["A"] == ("int32", [5, 1])  # the second epoch continues the batch
    ds = tf.data.experimental.make_csv_dataset(
        path, 4, num_epochs=2, shuffle=False, select_columns=[0, 4]
    )
    got = [_plain(f) for f in ds]
    assert [g["a"][1] for g in got] == [[1, 2, 0, 4], [5, 1, 2, 0], [4, 5]]
    assert [g["label"][1] for g in got] == [[0, 1, 2, 1], [0, 0, 1, 2], [1, 0]]


def test_shuffle_keeps_every_row(path):
    ds = tf.data.experimental.make_csv_dataset(
        path, 5, num_epochs=1, shuffle=True, shuffle_seed=1, select_columns=["a"]
    )
    assert sorted(next(iter(ds))["a"].tolist()) == [0, 1, 2, 4, 5]


def test_errors_name_the_problem(path, tmp_path):
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="Field 1 in record 0 is not a valid int32: 2.5"
    ):
        tf.data.experimental.make_csv_dataset(
            path, 2, column_defaults=[0, 0, "", 0, 0], num_epochs=1, shuffle=False
        )
    with pytest.raises(ValueError, match="label_name 'y' is not one of the columns"):
        tf.data.experimental.make_csv_dataset(path, 2, label_name="y")
    with pytest.raises(ValueError, match="no file matches"):
        tf.data.experimental.make_csv_dataset(str(tmp_path / "none.csv"), 2)
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n3\n")
    with pytest.raises(ValueError, match="a row has 1 fields but there are 2 columns"):
        tf.data.experimental.make_csv_dataset(str(bad), 2)
    ds = tf.data.experimental.make_csv_dataset(
        str(bad), 2, ignore_errors=True, num_epochs=1, shuffle=False
    )
    assert [f["a"].tolist() for f in ds] == [[1]]
