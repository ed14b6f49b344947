"""tf.data.experimental.DatasetInitializer, table_from_dataset, index_table_from_dataset (TF 2.21)."""

import pytest

import tork as tf


def _pairs():
    keys = tf.data.Dataset.range(100)
    values = tf.data.Dataset.range(100).map(lambda x: tf.strings.as_string(x * 2))
    return tf.data.Dataset.zip((keys, values))


def test_dataset_initializer():
    init = tf.data.experimental.DatasetInitializer(_pairs())
    assert init.key_dtype == tf.int64 and init.value_dtype == tf.string
    table = tf.lookup.StaticHashTable(init, "")
    assert table.lookup(tf.constant([0, 1, 2, 500], tf.int64)).numpy().tolist() == [
        b"0",
        b"2",
        b"4",
        b"",
    ]
    assert int(table.size()) == 100


def test_element_spec_errors_as_tf():
    with pytest.raises(
        ValueError, match="the given dataset produces non-scalar key Tensors of rank 1."
    ):
        tf.data.experimental.DatasetInitializer(_pairs().batch(10))
    three = tf.data.Dataset.zip((tf.data.Dataset.range(3),) * 3)
    with pytest.raises(ValueError, match="produces 3 components instead of two"):
        tf.data.experimental.DatasetInitializer(three)
    words = tf.data.Dataset.from_tensor_slices(["x", "y"])
    with pytest.raises(
        ValueError,
        match="`default_value` must be specified when creating a table from a dataset that produces values of type <dtype: 'string'>.",
    ):
        tf.data.experimental.table_from_dataset(tf.data.Dataset.zip((words, words)))


def test_table_from_dataset():
    table = tf.data.experimental.table_from_dataset(_pairs(), default_value="-", num_oov_buckets=0)
    assert table.lookup(tf.constant([3, 400], tf.int64)).numpy().tolist() == [b"6", b"-"]


def test_index_table_from_dataset_matches_tf():
    words = tf.data.Dataset.from_tensor_slices(["x", "y", "z"])
    table = tf.data.experimental.index_table_from_dataset(words, num_oov_buckets=3)
    ids = table.lookup(tf.constant(["y", "q", "z", "hello", "world", "x", "abc", ""]))
    assert ids.tolist() == [1, 5, 2, 4, 4, 0, 5, 5]
    assert tf.data.experimental.index_table_from_dataset(words).lookup(
        tf.constant(["z", "q"])
    ).tolist() == [2, -1]
    assert tf.data.experimental.index_table_from_dataset(words, vocab_size=2).lookup(
        tf.constant(["y", "z"])
    ).tolist() == [1, -1]
    ints = tf.data.Dataset.from_tensor_slices(tf.constant([7, 8, 9], tf.int64))
    table = tf.data.experimental.index_table_from_dataset(
        ints, num_oov_buckets=4, key_dtype=tf.int64
    )
    assert table.lookup(tf.constant([9, 1, 2, 3, 100], tf.int64)).tolist() == [2, 4, 6, 4, 6]
