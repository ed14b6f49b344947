"""tf.data follow-ups: from_generator casting and make_csv_dataset file order (TF 2.21 values)."""

import numpy as np
import pytest
import torch

import tork as tf


def test_from_generator_casts_numpy_float_labels_to_int():
    # ImageDataGenerator(class_mode="binary") yields float32 0./1. labels; TF 2.21 casts
    # NumPy floats to the declared int dtype, truncating toward zero.
    def gen():
        yield np.zeros((2, 2), np.float32), np.array([0.0, 1.0], np.float32)
        yield np.zeros((2, 2), np.float32), np.array([0.5, -1.7], np.float32)

    ds = tf.data.Dataset.from_generator(gen, output_types=(tf.float32, tf.int32))
    labels = [y for _, y in ds]
    assert all(y.dtype == torch.int32 for y in labels)
    assert [y.tolist() for y in labels] == [[0, 1], [0, -1]]


def test_from_generator_numpy_float_to_int64_and_bool():
    ds = tf.data.Dataset.from_generator(
        lambda: iter([np.array([0.5, 2.9, -2.9])]), output_types=tf.int64
    )
    assert [x.tolist() for x in ds] == [[0, 2, -2]]
    ds = tf.data.Dataset.from_generator(lambda: iter([np.array([1.5, 0.0])]), output_types=tf.bool)
    assert [x.tolist() for x in ds] == [[True, False]]


def test_from_generator_python_floats_still_raise():
    # TF 2.21 refuses Python floats for an int32 spec ("Cannot convert 0.7 ...").
    ds = tf.data.Dataset.from_generator(lambda: iter([[0.5, 1.5]]), output_types=tf.int32)
    with pytest.raises(TypeError, match="floating-point values \\[0.5, 1.5\\].*int32"):
        list(ds)


def _write_csvs(tmp_path):
    for name in ("b", "a", "c"):
        (tmp_path / f"{name}.csv").write_text(f"x,y\n1,{name}1\n2,{name}2\n")
    (tmp_path / "z_extra.csv").write_text("x,y\n9,z1\n")


def _ys(pattern):
    ds = tf.data.experimental.make_csv_dataset(pattern, batch_size=1, num_epochs=1, shuffle=False)
    return [e["y"].numpy()[0] for e in ds]


def test_make_csv_dataset_reads_files_in_sorted_order(tmp_path):
    # TF 2.21 sorts all matches of all patterns together; duplicates stay.
    _write_csvs(tmp_path)
    d = str(tmp_path)
    assert _ys([f"{d}/c.csv", f"{d}/b.csv", f"{d}/a.csv"]) == [
        b"a1",
        b"a2",
        b"b1",
        b"b2",
        b"c1",
        b"c2",
    ]
    assert _ys([f"{d}/z*.csv", f"{d}/[bc].csv", f"{d}/a.csv"]) == [
        b"a1",
        b"a2",
        b"b1",
        b"b2",
        b"c1",
        b"c2",
        b"z1",
    ]
    assert _ys([f"{d}/c.csv", f"{d}/a.csv", f"{d}/c.csv"]) == [
        b"a1",
        b"a2",
        b"c1",
        b"c2",
        b"c1",
        b"c2",
    ]
