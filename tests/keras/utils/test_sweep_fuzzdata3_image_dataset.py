"""image/text_dataset_from_directory with a list of float labels (regression targets).

Expected values from tf_keras 2.21 and Keras 3 (/tmp/fuzzdata3/p_lbl.py): with
label_mode="int" the float labels come out as float32 values, not truncated integers;
Keras 2's class_names are the sorted distinct labels.
"""

import os

import numpy as np
import pytest
from PIL import Image

import tork as tf


@pytest.fixture
def folder(tmp_path):
    os.makedirs(tmp_path / "a")
    for i in range(4):
        Image.fromarray(np.full((4, 4, 3), i * 20, "uint8")).save(tmp_path / "a" / f"{i}.png")
        (tmp_path / "a" / f"{i}.txt").write_text(f"t{i}")
    return str(tmp_path)


def test_image_float_labels_stay_float(folder):
    ds = tf.keras.utils.image_dataset_from_directory(
        folder, labels=[0.5, 1.5, 2.25, 3.0], image_size=(4, 4), batch_size=4, shuffle=False
    )
    assert ds.element_spec[1] == tf.TensorSpec((None,), tf.float32)
    _, y = next(iter(ds))
    np.testing.assert_array_equal(np.asarray(y), np.float32([0.5, 1.5, 2.25, 3.0]))
    assert ds.class_names == [0.5, 1.5, 2.25, 3.0]


def test_text_float_labels_stay_float(folder):
    ds = tf.keras.utils.text_dataset_from_directory(
        folder, labels=[0.5, 1.5, 2.25, 3.0], batch_size=4, shuffle=False
    )
    assert ds.element_spec[1] == tf.TensorSpec((None,), tf.float32)
    x, y = next(iter(ds))
    assert [v.decode() for v in x.numpy()] == ["t0", "t1", "t2", "t3"]
    np.testing.assert_array_equal(np.asarray(y), np.float32([0.5, 1.5, 2.25, 3.0]))


def test_integral_float_labels_are_float32(folder):
    # TF: labels=[0.0, 1.0, ...] with label_mode="int" also gives float32 labels.
    ds = tf.keras.utils.image_dataset_from_directory(
        folder, labels=[0.0, 2.0, 1.0, 0.0], image_size=(4, 4), batch_size=4, shuffle=False
    )
    assert ds.element_spec[1].dtype == tf.float32
    np.testing.assert_array_equal(np.asarray(next(iter(ds))[1]), np.float32([0, 2, 1, 0]))


def test_int_labels_unchanged(folder):
    ds = tf.keras.utils.image_dataset_from_directory(
        folder, labels=[0, 2, 1, 0], image_size=(4, 4), batch_size=4, shuffle=False
    )
    assert ds.element_spec[1] == tf.TensorSpec((None,), tf.int32)
    assert np.asarray(next(iter(ds))[1]).tolist() == [0, 2, 1, 0]
    assert ds.class_names == [0, 1, 2]
    cat = tf.keras.utils.text_dataset_from_directory(
        folder, labels=[0, 2, 1, 0], label_mode="categorical", batch_size=4, shuffle=False
    )
    assert np.asarray(next(iter(cat))[1]).tolist() == [
        [1.0, 0.0, 0.0],
        [0.0, 0.0, 1.0],
        [0.0, 1.0, 0.0],
        [1.0, 0.0, 0.0],
    ]


def test_binary_float_labels(folder):
    ds = tf.keras.utils.image_dataset_from_directory(
        folder,
        labels=[0.0, 1.0, 1.0, 0.0],
        label_mode="binary",
        image_size=(4, 4),
        batch_size=4,
        shuffle=False,
    )
    assert ds.element_spec[1] == tf.TensorSpec((None, 1), tf.float32)
    assert np.asarray(next(iter(ds))[1]).tolist() == [[0.0], [1.0], [1.0], [0.0]]
