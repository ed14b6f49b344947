"""tf.data.experimental.make_batched_features_dataset (fuzzdata4).

tork raised "does not implement"; expected values from TensorFlow 2.21 on the same files
(/tmp/fuzzdata4/p_mbf4.py).
"""

import pytest

import tork as tf

F = tf.train.Feature
FEATURES = {
    "x": tf.io.FixedLenFeature([2], tf.float32),
    "y": tf.io.FixedLenFeature([], tf.int64),
    "v": tf.io.VarLenFeature(tf.int64),
}


def _files(tmp_path):
    files = []
    for k in range(2):
        path = str(tmp_path / f"f{k}.tfrecord")
        with tf.io.TFRecordWriter(path) as writer:
            for i in range(5):
                feats = {
                    "x": F(float_list=tf.train.FloatList(value=[i + 10.0 * k, -i])),
                    "y": F(int64_list=tf.train.Int64List(value=[i % 2])),
                    "v": F(int64_list=tf.train.Int64List(value=list(range(i)))),
                }
                example = tf.train.Example(features=tf.train.Features(feature=feats))
                writer.write(example.SerializeToString())
        files.append(path)
    return files


def test_batches_in_file_order(tmp_path):
    files = _files(tmp_path)
    mb = tf.data.experimental.make_batched_features_dataset
    out = list(mb(files, 4, FEATURES, num_epochs=1, shuffle=False))
    assert [b["y"].numpy().tolist() for b in out] == [[0, 1, 0, 1], [0, 0, 1, 0], [1, 0]]
    assert out[1]["x"].numpy().tolist() == [[4.0, -4.0], [10.0, 0.0], [11.0, -1.0], [12.0, -2.0]]
    v = out[0]["v"]
    assert v.indices.numpy().tolist() == [[1, 0], [2, 0], [2, 1], [3, 0], [3, 1], [3, 2]]
    assert v.values.numpy().tolist() == [0, 0, 1, 0, 1, 2]
    assert v.dense_shape.numpy().tolist() == [4, 3]


def test_label_key_and_drop_final_batch(tmp_path):
    files = _files(tmp_path)
    ds = tf.data.experimental.make_batched_features_dataset(
        files, 3, FEATURES, label_key="y", num_epochs=1, shuffle=False, drop_final_batch=True
    )
    feats_spec, label_spec = ds.element_spec
    assert sorted(feats_spec) == ["v", "x"]
    # drop_final_batch: a static batch dimension, as TF.
    assert feats_spec["x"].shape.as_list() == [3, 2]
    assert feats_spec["v"].shape.as_list() == [3, None]
    assert label_spec.shape.as_list() == [3] and label_spec.dtype == tf.int64
    out = list(ds)
    assert [y.numpy().tolist() for _, y in out] == [[0, 1, 0], [1, 0, 0], [1, 0, 1]]
    assert out[2][0]["x"].numpy().tolist() == [[11.0, -1.0], [12.0, -2.0], [13.0, -3.0]]


def test_epochs_shuffle_and_glob(tmp_path):
    files = _files(tmp_path)
    mb = tf.data.experimental.make_batched_features_dataset
    ds = mb(files, 3, FEATURES, num_epochs=2, shuffle=True, shuffle_seed=1)
    assert sum(int(tf.shape(b["y"])[0]) for b in ds) == 20
    ds = mb(str(tmp_path / "f*.tfrecord"), 3, FEATURES, num_epochs=1)
    assert sum(int(tf.shape(b["y"])[0]) for b in ds) == 10
    # Two files read at once: records alternate between them.
    ds = mb(files, 4, FEATURES, num_epochs=1, shuffle=False, reader_num_threads=2)
    assert next(iter(ds))["x"].numpy()[:, 0].tolist() == [0.0, 10.0, 1.0, 11.0]


def test_bad_label_key(tmp_path):
    with pytest.raises(ValueError, match=r"label_key. provided \(zz\) must be one of"):
        tf.data.experimental.make_batched_features_dataset(
            _files(tmp_path), 3, FEATURES, label_key="zz"
        )
