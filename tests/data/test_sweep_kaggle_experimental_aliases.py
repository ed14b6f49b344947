"""TF's deprecated `tf.data.experimental` transformations, as older Kaggle pipelines call them.

Expected elements come from TensorFlow 2.21 (`tf.data.experimental` on the same
datasets, TF_USE_LEGACY_KERAS=1 /tmp/tfenv/bin/python).
"""

import numpy as np
import pytest

import tork as tf

E = tf.data.experimental


def _ints(dataset):
    return [int(v) for v in dataset.as_numpy_iterator()]


def test_get_single_element_and_structure():
    assert int(E.get_single_element(tf.data.Dataset.from_tensors(7))) == 7
    assert E.get_structure(tf.data.Dataset.range(3)) == tf.TensorSpec((), tf.int64)
    with pytest.raises(TypeError, match="get_single_element expects a tf.data.Dataset, got list"):
        E.get_single_element([1])


def test_map_and_batch():
    ds = tf.data.Dataset.range(7)
    got = [b.tolist() for b in ds.apply(E.map_and_batch(lambda x: x * 2, 3)).as_numpy_iterator()]
    assert got == [[0, 2, 4], [6, 8, 10], [12]]
    dropped = ds.apply(
        E.map_and_batch(lambda x: x * 2, 3, drop_remainder=True, num_parallel_calls=2)
    )
    assert [b.tolist() for b in dropped.as_numpy_iterator()] == [[0, 2, 4], [6, 8, 10]]
    with pytest.raises(ValueError, match="num_parallel_batches.*num_parallel_calls.*exclusive"):
        E.map_and_batch(lambda x: x, 2, num_parallel_batches=1, num_parallel_calls=1)


def test_shuffle_and_repeat_shuffles_each_pass():
    got = _ints(tf.data.Dataset.range(5).apply(E.shuffle_and_repeat(5, count=2, seed=3)))
    assert len(got) == 10
    assert sorted(got[:5]) == sorted(got[5:]) == [0, 1, 2, 3, 4]


def test_parallel_interleave_order():
    ds = tf.data.Dataset.range(1, 4).apply(
        E.parallel_interleave(
            lambda x: tf.data.Dataset.from_tensors(x).repeat(3), cycle_length=2, block_length=2
        )
    )
    assert _ints(ds) == [1, 1, 2, 2, 1, 2, 3, 3, 3]


def test_small_aliases():
    assert _ints(tf.data.Dataset.range(9).apply(E.take_while(lambda x: x < 3))) == [0, 1, 2]
    assert _ints(tf.data.Dataset.range(4).batch(2).apply(E.unbatch())) == [0, 1, 2, 3]
    pairs = [(int(a), int(b)) for a, b in tf.data.Dataset.range(3).apply(E.enumerate_dataset(5))]
    assert pairs == [(5, 0), (6, 1), (7, 2)]
    assert _ints(tf.data.Dataset.range(3).apply(E.prefetch_to_device("/gpu:0"))) == [0, 1, 2]
    assert _ints(tf.data.Dataset.range(3).apply(E.copy_to_device("/cpu:0"))) == [0, 1, 2]


def test_parse_example_dataset_and_tfrecord_interleave(tmp_path):
    path = str(tmp_path / "v.tfrec")
    with tf.io.TFRecordWriter(path) as writer:
        for i in range(5):
            feature = {"v": tf.train.Feature(int64_list=tf.train.Int64List(value=[i]))}
            example = tf.train.Example(features=tf.train.Features(feature=feature))
            writer.write(example.SerializeToString())
    parsed = (
        tf.data.TFRecordDataset(path)
        .batch(2)
        .apply(E.parse_example_dataset({"v": tf.io.FixedLenFeature([], tf.int64)}))
    )
    assert [np.asarray(d["v"]).tolist() for d in parsed] == [[0, 1], [2, 3], [4]]
    files = tf.data.Dataset.list_files(path, shuffle=False)
    records = files.apply(
        E.parallel_interleave(tf.data.TFRecordDataset, cycle_length=4, sloppy=True)
    )
    assert sum(1 for _ in records) == 5
