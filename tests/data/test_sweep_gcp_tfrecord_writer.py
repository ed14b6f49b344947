"""tf.data.experimental.TFRecordWriter, as the tfrecord-tf.example notebook uses it.

Error texts are TensorFlow 2.21's; the records' framing is checked by reading them back
with tf.data.TFRecordDataset and by the raw TFRecord layout (length, CRCs, payload).
"""

import struct

import pytest

import tork as tf


def test_writes_a_dataset_of_serialized_examples(tmp_path):
    def serialize(value):
        feature = {"f": tf.train.Feature(int64_list=tf.train.Int64List(value=[value]))}
        return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()

    records = [serialize(3), serialize(-1)]
    path = str(tmp_path / "ex.tfrecord")
    writer = tf.data.experimental.TFRecordWriter(path)
    assert writer.write(tf.data.Dataset.from_tensor_slices(records)) is None
    read = [r.numpy() for r in tf.data.TFRecordDataset([path])]
    assert read == records
    parsed = tf.io.parse_single_example(read[1], {"f": tf.io.FixedLenFeature([], tf.int64)})
    assert int(parsed["f"]) == -1
    # TFRecord framing: uint64 length, uint32 masked CRC, payload, uint32 masked CRC.
    data = open(path, "rb").read()
    (length,) = struct.unpack("<Q", data[:8])
    assert length == len(records[0])
    assert data[12 : 12 + length] == records[0]
    assert len(data) == sum(16 + len(r) for r in records)


def test_gzip_compression(tmp_path):
    path = str(tmp_path / "ab.tfrecord.gz")
    tf.data.experimental.TFRecordWriter(path, compression_type="GZIP").write(
        tf.data.Dataset.from_tensor_slices([b"a", b"bc"])
    )
    assert open(path, "rb").read(2) == b"\x1f\x8b"
    read = tf.data.TFRecordDataset(path, compression_type="GZIP")
    assert [r.numpy() for r in read] == [b"a", b"bc"]


def test_errors_follow_tensorflow(tmp_path):
    writer = tf.data.experimental.TFRecordWriter(str(tmp_path / "x.tfrecord"))
    with pytest.raises(TypeError) as info:
        writer.write(tf.data.Dataset.range(3))
    assert str(info.value) == (
        "Invalid `dataset`. Expected a`dataset` that produces scalar `tf.string` elements, but "
        "got a dataset which produces elements with shapes () and types <dtype: 'int64'>."
    )
    with pytest.raises(TypeError) as info:
        writer.write(tf.data.Dataset.from_tensor_slices([["a", "b"]]))
    assert "produces elements with shapes (2,) and types <dtype: 'string'>." in str(info.value)
    with pytest.raises(TypeError, match=r"Expected a `tf.data.Dataset` object but got <class"):
        writer.write([b"a"])
