"""tf.io.decode_csv, checked against values printed by TF 2.21."""

import numpy as np
import pytest

import tork as tf

LINES = ["1,male,22.5,x", '0,"fe,male",,y', "1,female,3,"]


def test_string_columns_keep_the_records_shape():
    cols = tf.io.decode_csv(LINES, record_defaults=[""] * 4)
    assert isinstance(cols, list) and len(cols) == 4
    assert all(c.dtype == tf.string and tuple(c.shape) == (3,) for c in cols)
    assert np.asarray(cols[1]).tolist() == [b"male", b"fe,male", b"female"]
    assert np.asarray(cols[2]).tolist() == [b"22.5", b"", b"3"]


def test_typed_defaults_fill_missing_fields():
    cols = tf.io.decode_csv(LINES, record_defaults=[0, "", 0.0, "z"])
    assert [c.dtype for c in cols] == [tf.int32, tf.string, tf.float32, tf.string]
    assert cols[0].numpy().tolist() == [1, 0, 1]
    np.testing.assert_allclose(cols[2].numpy(), [22.5, 0.0, 3.0])
    assert np.asarray(cols[3]).tolist() == [b"x", b"y", b"z"]


def test_select_cols_required_scalar_and_2d_records():
    cols = tf.io.decode_csv(
        tf.constant(LINES), record_defaults=[tf.constant([], tf.int64), 0.0], select_cols=[0, 2]
    )
    assert cols[0].dtype == tf.int64 and cols[0].numpy().tolist() == [1, 0, 1]
    a, b = tf.io.decode_csv("7;8", record_defaults=[0, 0], field_delim=";")
    assert tuple(a.shape) == () and int(a) == 7 and int(b) == 8
    a, b = tf.io.decode_csv([["1,2"], ["3,4"]], record_defaults=[0, 0.0])
    assert tuple(a.shape) == (2, 1) and a.dtype == tf.int32 and b.dtype == tf.float32
    assert b.numpy().tolist() == [[2.0], [4.0]]


def test_errors():
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="Field 1 in record 0 is not a valid int32: male"
    ):
        tf.io.decode_csv(LINES, record_defaults=[tf.constant([], tf.int32)] * 4)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="Expect 3 fields but have 4 in record 0"
    ):
        tf.io.decode_csv(LINES, record_defaults=[0] * 3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Field 1 is required but missing"):
        tf.io.decode_csv(["1,"], record_defaults=[0, tf.constant([], tf.float32)])
    with pytest.raises(ValueError, match="select_cols must be increasing"):
        tf.io.decode_csv(LINES, record_defaults=[0, 0], select_cols=[2, 0])
    with pytest.raises(ValueError, match="one default per selected column"):
        tf.io.decode_csv(LINES, record_defaults=[0], select_cols=[0, 2])


def test_in_a_text_line_pipeline(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("1,2\n3,\n")
    ds = tf.data.TextLineDataset(str(p)).map(lambda line: tf.io.decode_csv(line, [0, 0]))
    assert [s.dtype for s in ds.element_spec] == [tf.int32, tf.int32]
    assert [tuple(s.shape) for s in ds.element_spec] == [(), ()]
    assert [[int(v) for v in r] for r in ds] == [[1, 2], [3, 0]]
