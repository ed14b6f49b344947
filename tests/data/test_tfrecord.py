"""tf.data.TFRecordDataset: round trips through files, compression, corruption."""

import numpy as np
import pytest
import torch

import tork as tf


def _example(x, y, name):
    return tf.train.Example(
        features=tf.train.Features(
            feature={
                "x": tf.train.Feature(float_list=tf.train.FloatList(value=x)),
                "y": tf.train.Feature(int64_list=tf.train.Int64List(value=[y])),
                "name": tf.train.Feature(bytes_list=tf.train.BytesList(value=[name])),
            }
        )
    )


def _write(path, n, options=None, seed=0):
    rng = np.random.default_rng(seed)
    xs = rng.normal(size=(n, 3)).astype(np.float32)
    ys = (xs.sum(axis=1) > 0).astype(np.int64)
    with tf.io.TFRecordWriter(str(path), options) as writer:
        for i in range(n):
            writer.write(_example(xs[i], int(ys[i]), f"r{i}".encode()).SerializeToString())
    return xs, ys


SPEC = {
    "x": tf.io.FixedLenFeature([3], tf.float32),
    "y": tf.io.FixedLenFeature([], tf.int64),
    "name": tf.io.FixedLenFeature([], tf.string),
}


def test_elements_are_scalar_strings(tmp_path):
    path = tmp_path / "a.tfrecord"
    _write(path, 3)
    ds = tf.data.TFRecordDataset(str(path))
    assert ds.element_spec == tf.TensorSpec((), tf.string)
    records = list(ds)
    assert len(records) == 3
    assert records[0].dtype == tf.string and records[0].shape == ()
    assert tf.train.Example.FromString(records[2].numpy()).features.feature[
        "name"
    ].bytes_list.value == [b"r2"]


def test_round_trip_map_parse_and_fit(tmp_path):
    paths = [tmp_path / "a.tfrecord", tmp_path / "b.tfrecord"]
    xa, ya = _write(paths[0], 40, seed=1)
    xb, yb = _write(paths[1], 24, seed=2)
    ds = tf.data.TFRecordDataset([str(p) for p in paths]).map(
        lambda r: tf.io.parse_single_example(r, SPEC)
    )
    parsed = list(ds)
    assert len(parsed) == 64
    np.testing.assert_array_equal(
        np.stack([p["x"].numpy() for p in parsed]), np.concatenate([xa, xb])
    )
    np.testing.assert_array_equal([int(p["y"]) for p in parsed], np.concatenate([ya, yb]))
    assert parsed[41]["name"].numpy() == b"r1"
    assert parsed[0]["y"].dtype == torch.int64 and parsed[0]["x"].dtype == torch.float32

    train = ds.map(lambda d: (d["x"], tf.cast(d["y"], tf.float32))).batch(16)
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(train, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert np.isfinite(history.history["loss"]).all()


def test_batched_parse_example(tmp_path):
    path = tmp_path / "a.tfrecord"
    xs, ys = _write(path, 10)
    ds = tf.data.TFRecordDataset(path).batch(4).map(lambda r: tf.io.parse_example(r, SPEC))
    batches = list(ds)
    assert [tuple(b["x"].shape) for b in batches] == [(4, 3), (4, 3), (2, 3)]
    np.testing.assert_array_equal(torch.cat([b["x"] for b in batches]).numpy(), xs)
    np.testing.assert_array_equal(torch.cat([b["y"] for b in batches]).numpy(), ys)


@pytest.mark.parametrize("compression", ["GZIP", "ZLIB"])
def test_compressed_round_trip(tmp_path, compression):
    path = tmp_path / "c.tfrecord"
    xs, _ = _write(path, 5, options=compression)
    ds = tf.data.TFRecordDataset(str(path), compression_type=compression)
    got = [tf.io.parse_single_example(r, SPEC)["x"].numpy() for r in ds]
    np.testing.assert_array_equal(np.stack(got), xs)


def test_filenames_from_dataset_and_tensor(tmp_path):
    _write(tmp_path / "a.tfrecord", 2)
    _write(tmp_path / "b.tfrecord", 3)
    files = tf.data.Dataset.list_files(str(tmp_path / "*.tfrecord"), shuffle=False)
    assert len(list(tf.data.TFRecordDataset(files))) == 5
    names = tf.constant([str(tmp_path / "a.tfrecord"), str(tmp_path / "b.tfrecord")])
    assert len(list(tf.data.TFRecordDataset(names))) == 5


def test_corrupted_record_names_file_and_record(tmp_path):
    path = tmp_path / "bad.tfrecord"
    _write(path, 3)
    data = bytearray(path.read_bytes())
    record_size = len(data) // 3
    data[record_size + 20] ^= 0xFF  # inside the data of record 1
    path.write_bytes(bytes(data))
    ds = tf.data.TFRecordDataset(str(path))
    with pytest.raises(tf.errors.DataLossError, match=r"Corrupted record 1 .*bad\.tfrecord"):
        list(ds)


def test_truncated_and_wrong_compression(tmp_path):
    path = tmp_path / "t.tfrecord"
    _write(path, 2)
    data = path.read_bytes()
    path.write_bytes(data[:-3])
    with pytest.raises(tf.errors.DataLossError, match=r"Truncated record 1 .*t\.tfrecord"):
        list(tf.data.TFRecordDataset(str(path)))
    gz = tmp_path / "g.tfrecord"
    _write(gz, 1, options="GZIP")
    with pytest.raises(tf.errors.DataLossError, match="compression_type='GZIP'"):
        list(tf.data.TFRecordDataset(str(gz)))


def test_argument_errors(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="No such file"):
        list(tf.data.TFRecordDataset(str(tmp_path / "nope.tfrecord")))
    with pytest.raises(ValueError, match="unknown compression type"):
        tf.data.TFRecordDataset("x", compression_type="BZ2")
    with pytest.raises(TypeError, match="must be a file name"):
        tf.data.TFRecordDataset([1, 2])


def test_var_len_feature_with_padded_batch(tmp_path):
    path = tmp_path / "v.tfrecord"
    with tf.io.TFRecordWriter(str(path)) as writer:
        for n in [1, 3, 2]:
            tokens = tf.train.Int64List(value=list(range(10, 10 + n)))
            feature = {"t": tf.train.Feature(int64_list=tokens)}
            writer.write(
                tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()
            )
    spec = {"t": tf.io.VarLenFeature(tf.int64)}
    # VarLenFeature parses to a SparseTensor, as TF; to_dense gives the padded-batchable row.
    ds = tf.data.TFRecordDataset(str(path)).map(
        lambda r: tf.sparse.to_dense(tf.io.parse_single_example(r, spec)["t"])
    )
    (batch,) = list(ds.padded_batch(3))
    np.testing.assert_array_equal(batch.numpy(), [[10, 0, 0], [10, 11, 12], [10, 11, 0]])


def test_text_line_dataset_matches_tensorflow(tmp_path):
    import gzip

    # TF 2.21 on this file gives [b"a,1", b"b,2", b"", b"c,3"]: "\r\n" and "\n" are
    # stripped, empty lines kept, a missing final newline is fine.
    plain = tmp_path / "t1.txt"
    plain.write_bytes(b"a,1\r\nb,2\n\nc,3")
    ds = tf.data.TextLineDataset(str(plain))
    assert ds.element_spec == tf.TensorSpec(shape=(), dtype=tf.string)
    assert list(ds.as_numpy_iterator()) == [b"a,1", b"b,2", b"", b"c,3"]
    packed = tmp_path / "t2.txt.gz"
    with gzip.open(packed, "wb") as f:
        f.write(b"x\ny\n")
    both = tf.data.TextLineDataset([str(packed), str(packed)], compression_type="GZIP")
    assert list(both.as_numpy_iterator()) == [b"x", b"y", b"x", b"y"]
    names = tf.data.Dataset.from_tensor_slices([str(plain)])
    assert len(list(tf.data.TextLineDataset(names).skip(1))) == 3


def test_text_line_dataset_errors(tmp_path):
    with pytest.raises(ValueError, match=r"tf.data.TextLineDataset: `filenames` is empty"):
        tf.data.TextLineDataset([])
    with pytest.raises(tf.errors.NotFoundError, match="No such file"):
        list(tf.data.TextLineDataset(str(tmp_path / "missing.txt")))
