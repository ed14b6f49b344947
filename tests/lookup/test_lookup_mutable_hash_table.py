"""tf.lookup.experimental.MutableHashTable and DenseHashTable, against TF 2.21's outputs."""

import pytest
import torch

import tork as tf


def _entries(table):
    keys, values = table.export()
    keys = keys.numpy().tolist() if keys.dtype == tf.string else keys.tolist()
    # TF's export order is the hash order; compare as a mapping.
    return dict(zip(keys, values.tolist()))


def test_insert_lookup_remove_export():
    table = tf.lookup.experimental.MutableHashTable(
        key_dtype=tf.string, value_dtype=tf.int64, default_value=-1
    )
    assert table.key_dtype == tf.string and table.value_dtype == tf.int64
    assert table.size().dtype == torch.int64 and int(table.size()) == 0
    table.insert(tf.constant(["a", "b", "c"]), tf.constant([1, 2, 3], tf.int64))
    assert int(table.size()) == 3
    out = table.lookup(tf.constant(["a", "q", "c"]))
    assert out.dtype == torch.int64 and out.tolist() == [1, -1, 3]
    table.insert(tf.constant(["a"]), tf.constant([10], tf.int64))
    assert table.lookup(tf.constant([["a", "b"]])).tolist() == [[10, 2]]
    table.remove(tf.constant(["b", "zz"]))
    assert int(table.size()) == 2
    assert _entries(table) == {b"c": 3, b"a": 10}
    assert table.lookup(
        tf.constant(["b"]), dynamic_default_values=tf.constant([99], tf.int64)
    ).tolist() == [99]
    assert table[tf.constant(["a"])].tolist() == [10]
    table.insert(["x", "y"], [5, 6])  # Python lists convert to the table's dtypes
    assert table.lookup(tf.constant(["x", "y"])).tolist() == [5, 6]


def test_vector_and_string_values():
    table = tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, default_value=[0.0, 0.0])
    table.insert(tf.constant([1, 2], tf.int64), tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    assert table.lookup(tf.constant([2, 5], tf.int64)).tolist() == [[3.0, 4.0], [0.0, 0.0]]
    assert _entries(table) == {1: [1.0, 2.0], 2: [3.0, 4.0]}
    strings = tf.lookup.experimental.MutableHashTable(tf.int64, tf.string, "?")
    strings.insert(tf.constant([1, 2], tf.int64), tf.constant(["one", "two"]))
    out = strings.lookup(tf.constant([2, 3], tf.int64))
    assert out.dtype == tf.string and out.numpy().tolist() == [b"two", b"?"]


def test_errors_as_tf():
    table = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1)
    with pytest.raises(
        ValueError,
        match="keys: Tensor conversion requested dtype string for Tensor with dtype int32",
    ):
        table.insert(tf.constant([1]), tf.constant([1], tf.int64))
    with pytest.raises(
        ValueError,
        match="values: Tensor conversion requested dtype int64 for Tensor with dtype int32",
    ):
        table.insert(tf.constant(["x"]), tf.constant([1], tf.int32))
    with pytest.raises(
        ValueError,
        match="keys: Tensor conversion requested dtype string for Tensor with dtype int32",
    ):
        table.lookup(tf.constant([1]))
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"Expected shape \[2\] for value, got \[1\]"
    ):
        table.insert(tf.constant(["x", "y"]), tf.constant([5], tf.int64))


def test_dense_hash_table():
    table = tf.lookup.experimental.DenseHashTable(
        key_dtype=tf.int64, value_dtype=tf.int64, default_value=-1, empty_key=0, deleted_key=-1
    )
    assert int(table.size()) == 0
    table.insert(tf.constant([1, 2, 3], tf.int64), tf.constant([10, 20, 30], tf.int64))
    assert table.lookup(tf.constant([1, 5, 3], tf.int64)).tolist() == [10, -1, 30]
    table.remove(tf.constant([2], tf.int64))
    assert int(table.size()) == 2
    table.erase(tf.constant([3], tf.int64))
    assert int(table.size()) == 1
    strings = tf.lookup.experimental.DenseHashTable(
        tf.string, tf.int64, -1, empty_key="", deleted_key="$"
    )
    strings.insert(tf.constant(["a", "b"]), tf.constant([1, 2], tf.int64))
    assert strings.lookup(tf.constant(["b", "c"])).tolist() == [2, -1]


def test_dense_hash_table_errors_as_tf():
    table = tf.lookup.experimental.DenseHashTable(
        tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1
    )
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="Using the empty_key as a table key is not allowed"
    ):
        table.insert(tf.constant([0], tf.int64), tf.constant([1], tf.int64))
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="Using the deleted_key as a table key is not allowed"
    ):
        table.insert(tf.constant([-1], tf.int64), tf.constant([1], tf.int64))
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="Using the empty_key as a table key is not allowed"
    ):
        table.lookup(tf.constant([0], tf.int64))
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="Empty and deleted keys cannot be equal"
    ):
        tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, empty_key=0, deleted_key=0)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="Number of buckets must be at least 4 and a power of 2, got: 10",
    ):
        tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, 0, -1, initial_num_buckets=10)
    with pytest.raises(NotImplementedError, match="tork supports scalar keys only"):
        tf.lookup.experimental.DenseHashTable(
            tf.int64, tf.int64, -1, empty_key=[0, 0], deleted_key=[-1, -1]
        )
