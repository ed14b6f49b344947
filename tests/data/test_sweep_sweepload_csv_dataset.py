"""tf.data.experimental.CsvDataset, checked against values printed by TF 2.21."""

import gzip

import numpy as np
import pytest

import tork as tf

CSV = 'a,b,c,d\n1,2.5,x,7\n,,"q, r",\n3,4,,9\n'


@pytest.fixture
def path(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text(CSV)
    return str(p)


def scalar(v):
    v = v.numpy()
    return v if isinstance(v, bytes) else v.item()


def rows(ds):
    return [[scalar(v) for v in r] for r in ds]


def test_defaults_set_types_and_fill_missing_fields(path):
    ds = tf.data.experimental.CsvDataset(path, [0, 0.0, "z", tf.constant(5, tf.int64)], header=True)
    assert [s.dtype for s in ds.element_spec] == [tf.int32, tf.float32, tf.string, tf.int64]
    assert all(tuple(s.shape) == () for s in ds.element_spec)
    # TF 2.21: [1, 2.5, b'x', 7], [0, 0.0, b'q, r', 5], [3, 4.0, b'z', 9]
    assert rows(ds) == [[1, 2.5, b"x", 7], [0, 0.0, b"q, r", 5], [3, 4.0, b"z", 9]]
    first = next(iter(ds))
    assert first[0].dtype == tf.int32 and first[3].dtype == tf.int64


def test_dtype_defaults_are_required(path):
    ds = tf.data.experimental.CsvDataset(
        path, [tf.int32, tf.float32, tf.string, tf.int64], header=True
    )
    it = iter(ds)
    assert [scalar(v) for v in next(it)] == [1, 2.5, b"x", 7]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Field 0 is required but missing"):
        next(it)


def test_select_cols_list_defaults_and_several_files(path):
    ds = tf.data.experimental.CsvDataset(
        [path, path], [[0.0], [""]], header=True, select_cols=[1, 2]
    )
    assert rows(ds) == [[2.5, b"x"], [0.0, b"q, r"], [4.0, b""]] * 2


def test_exclude_cols_and_invalid_number(path):
    ds = tf.data.experimental.CsvDataset(
        path, [tf.float64, tf.int64], header=True, exclude_cols=[2, 3]
    )
    assert [s.dtype for s in ds.element_spec] == [tf.float64, tf.int64]
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="Field 1 in record 0 is not a valid int64"
    ):
        list(ds)


def test_no_header_batch_and_wrong_width(path, tmp_path):
    ds = tf.data.experimental.CsvDataset(path, [tf.string] * 4).batch(2)
    assert [tuple(s.shape) for s in ds.element_spec] == [(None,)] * 4
    first = next(iter(ds))
    assert np.asarray(first[0]).tolist() == [b"a", b"1"]
    short = tmp_path / "s.csv"
    short.write_text("1,2\n")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Expect 3 fields but have 2"):
        list(tf.data.experimental.CsvDataset(str(short), [0, 0, 0]))


def test_gzip_and_missing_file(tmp_path):
    p = tmp_path / "m.csv.gz"
    with gzip.open(p, "wt") as f:
        f.write("h1\n5\n6\n")
    ds = tf.data.experimental.CsvDataset(str(p), [tf.int64], header=True, compression_type="GZIP")
    assert [int(r[0]) for r in ds] == [5, 6]
    missing = tf.data.experimental.CsvDataset(str(tmp_path / "nope.csv"), [0])  # lazy, as TF
    with pytest.raises(tf.errors.NotFoundError):
        list(missing)


def test_argument_errors(path):
    with pytest.raises(ValueError, match="select_cols or exclude_cols, not both"):
        tf.data.experimental.CsvDataset(path, [0], select_cols=[0], exclude_cols=[1])
    with pytest.raises(ValueError, match="one default per selected column"):
        tf.data.experimental.CsvDataset(path, [0], select_cols=[0, 1])
    with pytest.raises(ValueError, match="select_cols must be increasing"):
        tf.data.experimental.CsvDataset(path, [0, 0], select_cols=[1, 0])
