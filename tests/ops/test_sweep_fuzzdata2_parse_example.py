"""tf.io.parse_single_example / parse_example inside Dataset.map (fuzzdata2 sweep).

Expected specs and values come from TensorFlow 2.21 (/tmp/tfenv) on the same records.
TF learns the parsed spec symbolically; tork's trace of the map function could not parse
its stand-in strings, so it read the first records: a required feature missing from the
data made `element_spec` raise (TF raises only when iterating), and ragged partitions
came out with static row counts. A `RaggedFeature.UniformRowLength` partition of plain
values gives a dense tensor in TF (tork gave a RaggedTensor).
"""

import pytest

import tork as tf


def _example(i):
    feature = {
        "v": tf.train.Feature(int64_list=tf.train.Int64List(value=list(range(i)))),
        "x": tf.train.Feature(float_list=tf.train.FloatList(value=[i * 0.5, i + 1.0])),
        "s": tf.train.Feature(
            bytes_list=tf.train.BytesList(value=[b"w%d" % k for k in range(i % 3)])
        ),
        "len": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 2, i - i % 2])),
    }
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


@pytest.fixture
def records(tmp_path):
    path = str(tmp_path / "e.rec")
    with tf.io.TFRecordWriter(path, options="ZLIB") as writer:
        for i in range(4):
            writer.write(_example(i))
    return tf.data.TFRecordDataset(path, compression_type="ZLIB")


def _uniform(length):
    return tf.io.RaggedFeature(tf.int64, partitions=[tf.io.RaggedFeature.UniformRowLength(length)])


def test_uniform_row_length_of_values_is_dense(records):
    ds = records.map(lambda r: tf.io.parse_single_example(r, {"v": _uniform(1)}))
    # TF: {'v': TensorSpec(shape=(None, 1), dtype=tf.int64)}
    assert ds.element_spec["v"] == tf.TensorSpec([None, 1], tf.int64)
    values = [e["v"] for e in ds]
    assert all(type(v) is not tf.RaggedTensor for v in values)
    # TF: [], [[0]], [[0], [1]], [[0], [1], [2]]
    assert [v.numpy().tolist() for v in values] == [[], [[0]], [[0], [1]], [[0], [1], [2]]]
    one = records.skip(2).take(1).map(lambda r: tf.io.parse_single_example(r, {"v": _uniform(2)}))
    # TF: TensorSpec(shape=(None, 2), int64); [[0, 1]]
    assert one.element_spec["v"] == tf.TensorSpec([None, 2], tf.int64)
    assert [e["v"].numpy().tolist() for e in one] == [[[0, 1]]]


def test_uniform_row_length_of_strings_is_dense(records):
    feature = tf.io.RaggedFeature(tf.string, partitions=[tf.io.RaggedFeature.UniformRowLength(1)])
    ds = records.map(lambda r: tf.io.parse_single_example(r, {"s": feature}))
    # TF: TensorSpec(shape=(None, 1), dtype=tf.string)
    assert ds.element_spec["s"].shape.as_list() == [None, 1]
    # TF: [], [[b'w0']], [[b'w0'], [b'w1']], []
    assert [e["s"].numpy().tolist() for e in ds] == [[], [[b"w0"]], [[b"w0"], [b"w1"]], []]


def test_uniform_row_length_in_a_batch_is_ragged_rank_1(records):
    ds = records.batch(2).map(lambda r: tf.io.parse_example(r, {"v": _uniform(1)}))
    spec = ds.element_spec["v"]
    # TF: RaggedTensorSpec(TensorShape([None, None, 1]), tf.int64, 1, tf.int32)
    assert (spec.shape.as_list(), spec.ragged_rank) == ([None, None, 1], 1)
    assert spec.row_splits_dtype == tf.int32
    # TF: [[], [[0]]], [[[0], [1]], [[0], [1], [2]]]
    assert [e["v"].to_list() for e in ds] == [[[], [[0]]], [[[0], [1]], [[0], [1], [2]]]]


def test_uniform_row_length_that_does_not_divide_raises(records):
    ds = records.map(lambda r: tf.io.parse_single_example(r, {"v": _uniform(2)}))
    # TF: InvalidArgumentError (Input to reshape is a tensor with 1 values...)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"has 1 values, which Uniform"):
        list(ds)


def test_row_lengths_partition_spec_is_unknown(records):
    feature = tf.io.RaggedFeature(
        tf.int64, value_key="v", partitions=[tf.io.RaggedFeature.RowLengths("len")]
    )
    ds = records.map(lambda r: tf.io.parse_single_example(r, {"r": feature}))
    spec = ds.element_spec["r"]
    # TF: RaggedTensorSpec(TensorShape([None, None]), tf.int64, 1, tf.int32) (tork: [2, None])
    assert (spec.shape.as_list(), spec.ragged_rank) == ([None, None], 1)
    # TF: [[], []], [[0], []], [[], [0, 1]], [[0], [1, 2]]
    assert [e["r"].to_list() for e in ds] == [[[], []], [[0], []], [[], [0, 1]], [[0], [1, 2]]]


def test_mixed_features_spec_is_traced(records):
    spec = {
        "x": tf.io.FixedLenFeature([2], tf.float32),
        "q": tf.io.FixedLenFeature([], tf.int64, default_value=-1),
        "v": tf.io.VarLenFeature(tf.int64),
    }
    ds = records.map(lambda r: tf.io.parse_single_example(r, spec))
    out = ds.element_spec
    # TF: v SparseTensorSpec([None], int64), q TensorSpec([], int64), x TensorSpec([2], float32)
    assert isinstance(out["v"], tf.SparseTensorSpec)
    assert out["v"].shape.as_list() == [None]
    assert out["q"] == tf.TensorSpec([], tf.int64)
    assert out["x"] == tf.TensorSpec([2], tf.float32)
    first = next(iter(ds))
    assert int(first["q"]) == -1
    assert first["x"].numpy().tolist() == [0.0, 1.0]


def test_sequence_feature_spec_in_a_batch(records):
    spec = {
        "s": tf.io.FixedLenSequenceFeature([], tf.string, allow_missing=True),
        "x": tf.io.FixedLenFeature([1, 2], tf.float32),
    }
    ds = records.batch(3).map(lambda r: tf.io.parse_example(r, spec))
    # TF: s TensorSpec((None, None), string), x TensorSpec((None, 1, 2), float32)
    assert ds.element_spec["s"].shape.as_list() == [None, None]
    assert ds.element_spec["x"] == tf.TensorSpec([None, 1, 2], tf.float32)
    first = next(iter(ds))
    assert first["s"].numpy().tolist() == [[b"", b""], [b"w0", b""], [b"w0", b"w1"]]


def test_missing_required_feature_raises_when_iterating_not_on_element_spec(records):
    ds = records.map(
        lambda r: tf.io.parse_single_example(r, {"q": tf.io.FixedLenFeature([], tf.int64)})
    )
    # TF: the spec is {'q': TensorSpec([], int64)}; iterating raises InvalidArgumentError
    assert ds.element_spec == {"q": tf.TensorSpec([], tf.int64)}
    with pytest.raises(tf.errors.InvalidArgumentError, match="'q'.*is required"):
        list(ds)
