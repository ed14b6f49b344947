"""tf.compat.v1.io.tf_record_iterator and tf.compat.v1.python_io (fuzzdata4).

TF 1 era code reads TFRecords with `tf.compat.v1.io.tf_record_iterator(path)`; tork
raised "does not implement". Expected values from TensorFlow 2.21 (/tmp/fuzzdata4/p_w4.py).
"""

import pytest

import tork as tf

v1 = tf.compat.v1


def _write(path, records, options=None):
    with tf.io.TFRecordWriter(str(path), options) as writer:
        for record in records:
            writer.write(record)
    return str(path)


def test_iterator_reads_records(tmp_path):
    path = _write(tmp_path / "a.tfr", [b"abc", "str"])
    assert list(v1.io.tf_record_iterator(path)) == [b"abc", b"str"]
    assert next(v1.io.tf_record_iterator(path)) == b"abc"
    assert list(v1.python_io.tf_record_iterator(path)) == [b"abc", b"str"]


def test_compressed_and_enum(tmp_path):
    path = _write(tmp_path / "g.tfr", [b"q", b"r"], "GZIP")
    assert list(v1.io.tf_record_iterator(path, options=tf.io.TFRecordOptions("GZIP"))) == [
        b"q",
        b"r",
    ]
    assert list(v1.io.tf_record_iterator(path, "GZIP")) == [b"q", b"r"]
    gzip = v1.python_io.TFRecordCompressionType.GZIP
    assert list(v1.io.tf_record_iterator(path, gzip)) == [b"q", b"r"]
    assert list(v1.io.tf_record_iterator(path, v1.python_io.TFRecordOptions(gzip))) == [
        b"q",
        b"r",
    ]
    enum = v1.python_io.TFRecordCompressionType
    assert (enum.NONE, enum.ZLIB, enum.GZIP) == (0, 1, 2)
    zpath = str(tmp_path / "z.tfr")
    with v1.python_io.TFRecordWriter(zpath, enum.ZLIB) as writer:
        writer.write(b"z")
    assert [x.numpy() for x in tf.data.TFRecordDataset(zpath, "ZLIB")] == [b"z"]


def test_errors(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="No such file"):
        v1.io.tf_record_iterator(str(tmp_path / "missing.tfr"))
    path = _write(tmp_path / "a.tfr", [b"abc", b"str"])
    data = open(path, "rb").read()
    bad = tmp_path / "bad.tfr"
    bad.write_bytes(data[:-3])
    with pytest.raises(tf.errors.DataLossError, match="Truncated record 1"):
        list(v1.io.tf_record_iterator(str(bad)))
    with pytest.raises(ValueError, match="unknown TFRecordCompressionType 7"):
        v1.io.tf_record_iterator(path, 7)


def test_other_io_names_are_tf_io():
    assert v1.io.parse_single_example is tf.io.parse_single_example
    assert v1.io.gfile is tf.io.gfile
    with pytest.raises(AttributeError, match="tf.compat.v1.io"):
        v1.io.not_a_name  # noqa: B018
