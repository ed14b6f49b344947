"""File readers with num_parallel_reads > 1 (fuzzdata2 sweep).

Expected orders come from TensorFlow 2.21 (/tmp/tfenv): TF reads n files at a time
and takes one record from each in turn (a deterministic interleave; when a file ends the
next file takes its place and the turn passes on). None, 1 and AUTOTUNE read the files
one after the other. tork ignored num_parallel_reads: a different order, silently.
"""

import pytest

import tork as tf

FILES = [("a", 3), ("b", 1), ("c", 4)]
# TF 2.21, files a (3 records), b (1), c (4):
SEQUENTIAL = ["a0", "a1", "a2", "b0", "c0", "c1", "c2", "c3"]
ORDERS = {
    None: SEQUENTIAL,
    1: SEQUENTIAL,
    tf.data.AUTOTUNE: SEQUENTIAL,
    2: ["a0", "b0", "a1", "a2", "c0", "c1", "c2", "c3"],
    3: ["a0", "b0", "c0", "a1", "c1", "a2", "c2", "c3"],
    5: ["a0", "b0", "c0", "a1", "c1", "a2", "c2", "c3"],
}


@pytest.fixture
def files(tmp_path):
    out = {"rec": [], "txt": [], "bin": []}
    for name, count in FILES:
        records = [f"{name}{i}" for i in range(count)]
        with tf.io.TFRecordWriter(str(tmp_path / f"{name}.rec")) as writer:
            for record in records:
                writer.write(record.encode())
        (tmp_path / f"{name}.txt").write_text("\n".join(records))
        (tmp_path / f"{name}.bin").write_bytes("".join(records).encode())
        for ext in out:
            out[ext].append(str(tmp_path / f"{name}.{ext}"))
    return out


def _read(ds):
    return [v.decode() for v in ds.as_numpy_iterator()]


@pytest.mark.parametrize("reads", list(ORDERS))
def test_record_order_of_the_three_readers(files, reads):
    expected = ORDERS[reads]
    assert _read(tf.data.TFRecordDataset(files["rec"], num_parallel_reads=reads)) == expected
    assert _read(tf.data.TextLineDataset(files["txt"], num_parallel_reads=reads)) == expected
    fixed = tf.data.FixedLengthRecordDataset(files["bin"], 2, num_parallel_reads=reads)
    assert _read(fixed) == expected


def test_file_names_from_a_dataset_and_a_tensor_count(files):
    names = tf.data.Dataset.from_tensor_slices(files["rec"])
    assert _read(tf.data.TFRecordDataset(names, num_parallel_reads=2)) == ORDERS[2]
    count = tf.constant(2, tf.int64)
    assert _read(tf.data.TFRecordDataset(files["rec"], num_parallel_reads=count)) == ORDERS[2]
    with pytest.raises(TypeError, match="`num_parallel_reads` must be an integer"):
        tf.data.TFRecordDataset(files["rec"], num_parallel_reads=1.5)


@pytest.mark.parametrize(
    ("reads", "expected"),
    # TF 2.21: files of ids [1, 2, 3], [4, 5], [7, 8, 9]
    [
        (None, [1, 2, 3, 4, 5, 7, 8, 9]),
        (tf.data.AUTOTUNE, [1, 2, 3, 4, 5, 7, 8, 9]),
        (2, [1, 4, 2, 5, 3, 7, 8, 9]),
        (3, [1, 4, 7, 2, 5, 8, 3, 9]),
    ],
)
def test_make_csv_dataset_interleaves_rows(tmp_path, reads, expected):
    for name, ids in (("a", [1, 2, 3]), ("b", [4, 5]), ("c", [7, 8, 9])):
        rows = "".join(f"{i},x{i}\n" for i in ids)
        (tmp_path / f"{name}.csv").write_text("id,name\n" + rows)
    ds = tf.data.experimental.make_csv_dataset(
        str(tmp_path / "*.csv"),
        20,
        shuffle=False,
        num_epochs=1,
        select_columns=["id"],
        num_parallel_reads=reads,
    )
    assert [e["id"].numpy().tolist() for e in ds] == [expected]
