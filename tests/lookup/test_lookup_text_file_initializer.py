"""tf.lookup.TextFileInitializer and TextFileIndex, against TF 2.21's outputs."""

import pytest

import tork as tf


@pytest.fixture
def files(tmp_path):
    vocab = tmp_path / "v.txt"
    vocab.write_text("emerson 10\nlake 20\npalmer 30\n")
    tsv = tmp_path / "t.tsv"
    tsv.write_text("a\t1\tx\nb\t2\ty\nc\t3\tz\n")
    return str(vocab), str(tsv)


def test_text_file_index_values():
    assert tf.lookup.TextFileIndex.WHOLE_LINE == -2
    assert tf.lookup.TextFileIndex.LINE_NUMBER == -1


def test_columns_with_delimiter(files):
    vocab, tsv = files
    init = tf.lookup.TextFileInitializer(
        vocab, key_dtype=tf.string, key_index=0, value_dtype=tf.int64, value_index=1, delimiter=" "
    )
    assert init.key_dtype == tf.string and init.value_dtype == tf.int64
    table = tf.lookup.StaticHashTable(init, -1)
    assert table.lookup(tf.constant(["emerson", "lake", "x"])).tolist() == [10, 20, -1]
    assert int(table.size()) == 3
    init = tf.lookup.TextFileInitializer(tsv, tf.int64, 1, tf.string, 2)
    out = tf.lookup.StaticHashTable(init, "?").lookup(tf.constant([1, 3, 5], tf.int64))
    assert out.numpy().tolist() == [b"x", b"z", b"?"]
    init = tf.lookup.TextFileInitializer(tsv, tf.string, 0, tf.float32, 1)
    assert tf.lookup.StaticHashTable(init, -1.0).lookup(tf.constant(["b", "q"])).tolist() == [
        2.0,
        -1.0,
    ]


def test_whole_line_and_line_number(files):
    vocab, tsv = files
    index = tf.lookup.TextFileIndex
    table = tf.lookup.StaticHashTable(
        tf.lookup.TextFileInitializer(
            vocab, tf.string, index.WHOLE_LINE, tf.int64, index.LINE_NUMBER
        ),
        -1,
    )
    assert table.lookup(tf.constant(["emerson 10", "lake 20", "lake"])).tolist() == [0, 1, -1]
    keys, values = table.export()
    assert dict(zip(keys.numpy().tolist(), values.tolist())) == {
        b"emerson 10": 0,
        b"lake 20": 1,
        b"palmer 30": 2,
    }
    init = tf.lookup.TextFileInitializer(
        tsv, tf.string, 0, tf.int64, index.LINE_NUMBER, vocab_size=2
    )
    assert tf.lookup.StaticHashTable(init, -1).lookup(tf.constant(["a", "b", "c"])).tolist() == [
        0,
        1,
        -1,
    ]
    init = tf.lookup.TextFileInitializer(tsv, tf.string, 0, tf.int64, index.LINE_NUMBER)
    vocab_table = tf.lookup.StaticVocabularyTable(init, 2)
    assert vocab_table.lookup(tf.constant(["a", "zz", "c", "q"])).tolist() == [0, 3, 2, 4]


def test_crlf_lines(tmp_path):
    path = tmp_path / "e.txt"
    path.write_bytes(b"a\r\nb\nc")
    init = tf.lookup.TextFileInitializer(str(path), tf.string, -2, tf.int64, -1)
    keys, values = tf.lookup.StaticHashTable(init, -1).export()
    assert dict(zip(keys.numpy().tolist(), values.tolist())) == {b"a": 0, b"b": 1, b"c": 2}


def test_argument_errors_as_tf(files):
    _, tsv = files
    with pytest.raises(
        ValueError,
        match=r"`key_dtype` must be int64 if `key_index` is -1, received: <dtype: 'string'>",
    ):
        tf.lookup.TextFileInitializer(tsv, tf.string, -1, tf.int64, 0)
    with pytest.raises(
        ValueError,
        match=r"`value_dtype` must be int64 for `value_index` -1, received: <dtype: 'string'>",
    ):
        tf.lookup.TextFileInitializer(tsv, tf.string, 0, tf.string, -1)
    with pytest.raises(ValueError, match=r"`key_index` should be >= -2, received: -3."):
        tf.lookup.TextFileInitializer(tsv, tf.string, -3, tf.int64, -1)


def test_file_errors_as_tf(files, tmp_path):
    _, tsv = files
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"Invalid vocab_size in .*t.tsv: expected 5 but got 3"
    ):
        tf.lookup.StaticHashTable(
            tf.lookup.TextFileInitializer(tsv, tf.string, 0, tf.int64, -1, vocab_size=5), -1
        )
    with pytest.raises(tf.errors.NotFoundError, match=r"nope.txt; No such file or directory"):
        tf.lookup.StaticHashTable(
            tf.lookup.TextFileInitializer(str(tmp_path / "nope.txt"), tf.string, 0, tf.int64, -1),
            -1,
        )
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Invalid number of columns in .*t.tsv line 0 \(a\t1\tx\) : expected at least 6 got 3",
    ):
        tf.lookup.StaticHashTable(
            tf.lookup.TextFileInitializer(tsv, tf.string, 5, tf.int64, -1), -1
        )
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"Field a in line 0 of .*t.tsv is not a valid int64."
    ):
        tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(tsv, tf.int64, 0, tf.int64, -1), -1)
    empty = tmp_path / "e.txt"
    empty.write_bytes(b"a\r\nb\n\nc")
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Invalid content in .*e.txt: empty line found at position 6.",
    ):
        tf.lookup.StaticHashTable(
            tf.lookup.TextFileInitializer(str(empty), tf.string, -2, tf.int64, -1), -1
        )
    dup = tmp_path / "dup.txt"
    dup.write_text("a\nb\na\n")
    with pytest.raises(
        tf.errors.FailedPreconditionError, match="Key a has 0 and trying to add value 2"
    ):
        tf.lookup.StaticHashTable(
            tf.lookup.TextFileInitializer(str(dup), tf.string, -2, tf.int64, -1), -1
        )
