"""tf.lookup.StaticVocabularyTable, against ids printed by TF 2.21."""

import pytest
import torch

import tork as tf

# TF 2.21: StaticVocabularyTable(["emerson", "lake", "palmer"] -> 0, 1, 2, num_oov_buckets=5).
STRING_KEYS = ["emerson", "lake", "palmer", "king", "crimson", "", "a", "ab", "abc", "abcd", "hello world", "x" * 17, "y" * 33, "z" * 70, "tensorflow", "pytorch", "keras", "tork", "0", "1", "-1", "12345678901", "é", "日本", "longer string with spaces and punctuation!", "UPPER", "MiXeD", "tab\there", "new\nline", "q" * 8, "r" * 16, "s" * 64, "t" * 65]  # fmt: skip
STRING_IDS = [0, 1, 2, 6, 7, 6, 7, 5, 3, 3, 4, 4, 3, 7, 4, 7, 6, 7, 3, 7, 3, 5, 3, 6, 4, 3, 6, 5, 7, 3, 4, 4, 7]  # fmt: skip

# TF 2.21: int64 keys [10, 20, 30] -> 0, 1, 2, num_oov_buckets=7.
INT_KEYS = [10, 20, 30, 0, 1, 2, 3, -1, -2, 42, 99, 100, 1000, 123456789, -123456789, 2**40, -(2**40), 2**62, 7, 8, 9, 11, 12, 13, 55, 66, 77, 88, 31, 32, 33]  # fmt: skip
INT_IDS = [0, 1, 2, 5, 8, 8, 5, 7, 3, 9, 7, 7, 3, 6, 5, 3, 5, 5, 5, 7, 6, 7, 6, 5, 8, 6, 3, 8, 4, 4, 9]  # fmt: skip


def _string_table(buckets=5):
    init = tf.lookup.KeyValueTensorInitializer(
        ["emerson", "lake", "palmer"], tf.constant([0, 1, 2], dtype=tf.int64)
    )
    return tf.lookup.StaticVocabularyTable(init, num_oov_buckets=buckets)


def _int_table(**kwargs):
    init = tf.lookup.KeyValueTensorInitializer(
        tf.constant([10, 20, 30], tf.int64), tf.constant([0, 1, 2], tf.int64)
    )
    return tf.lookup.StaticVocabularyTable(init, 7, **kwargs)


def test_string_ids_match_tf():
    table = _string_table()
    out = table.lookup(tf.constant(STRING_KEYS))
    assert out.dtype == torch.int64
    assert out.tolist() == STRING_IDS
    assert table.lookup(tf.constant([["king", "lake"], ["x", "palmer"]])).tolist() == [
        [6, 1],
        [3, 2],
    ]
    assert table[tf.constant(["lake"])].tolist() == [1]


def test_int64_ids_match_tf():
    assert _int_table().lookup(tf.constant(INT_KEYS, tf.int64)).tolist() == INT_IDS


def test_attributes_and_size():
    table = _string_table()
    assert table.key_dtype == tf.string and table.value_dtype == tf.int64
    size = table.size()
    assert size.dtype == torch.int64 and int(size) == 8
    int32_table = _int_table(lookup_key_dtype=tf.int32)
    assert int32_table.key_dtype == tf.int32
    assert int32_table.lookup(tf.constant([10, 5], tf.int32)).tolist() == [0, 4]


def test_non_contiguous_ids_and_no_initializer():
    init = tf.lookup.KeyValueTensorInitializer(["a", "b"], tf.constant([5, 9], tf.int64))
    table = tf.lookup.StaticVocabularyTable(init, 3)
    assert table.lookup(tf.constant(["a", "b", "c", "d"])).tolist() == [5, 9, 3, 4]
    buckets_only = tf.lookup.StaticVocabularyTable(None, 3, lookup_key_dtype=tf.string)
    assert buckets_only.lookup(tf.constant(["a", "bb"])).tolist() == [0, 2]
    assert int(tf.lookup.StaticVocabularyTable(None, 3).size()) == 3


def test_ragged_keys():
    init = tf.lookup.KeyValueTensorInitializer(["a", "b"], tf.constant([0, 1], tf.int64))
    table = tf.lookup.StaticVocabularyTable(init, 3)
    assert table.lookup(tf.ragged.constant([["a", "z"], ["c"]])).to_list() == [[0, 3], [3]]


def test_errors_as_tf():
    with pytest.raises(
        TypeError,
        match=r"Dtype of argument `keys` must be <dtype: 'string'>, received: <dtype: 'int32'>",
    ):
        _string_table().lookup(tf.constant([1]))
    with pytest.raises(
        TypeError,
        match=r"Dtype of argument `keys` must be <dtype: 'int64'>, received: <dtype: 'int32'>",
    ):
        _int_table().lookup(tf.constant([10, 5], tf.int32))
    init = tf.lookup.KeyValueTensorInitializer(["a"], tf.constant([0], tf.int64))
    with pytest.raises(ValueError, match="`num_oov_buckets` must be > 0; use StaticHashTable."):
        tf.lookup.StaticVocabularyTable(init, 0)
    with pytest.raises(
        TypeError,
        match=r"Invalid `value_dtype`, expected <dtype: 'int64'> but got <dtype: 'int32'>.",
    ):
        tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(["a"], [0]), 2)
    int32_keys = tf.lookup.KeyValueTensorInitializer(
        tf.constant([10], tf.int32), tf.constant([0], tf.int64)
    )
    with pytest.raises(
        TypeError,
        match=r"Invalid `key_dtype`, expected one of \(tf.int64, tf.string\), but got <dtype: 'int32'>.",
    ):
        tf.lookup.StaticVocabularyTable(int32_keys, 3)
    with pytest.raises(
        TypeError, match=r"Invalid `key_dtype`, expected integer but got <dtype: 'string'>."
    ):
        tf.lookup.StaticVocabularyTable(init, 3, lookup_key_dtype=tf.int64)
    int_init = tf.lookup.KeyValueTensorInitializer(
        tf.constant([10], tf.int64), tf.constant([0], tf.int64)
    )
    with pytest.raises(
        TypeError, match=r"Invalid `key_dtype`, expected non-integer but got <dtype: 'int64'>."
    ):
        tf.lookup.StaticVocabularyTable(int_init, 3, lookup_key_dtype=tf.float32)


def test_in_dataset_map():
    init = tf.lookup.KeyValueTensorInitializer(["a", "b"], tf.constant([0, 1], tf.int64))
    table = tf.lookup.StaticVocabularyTable(init, 3)
    ds = tf.data.Dataset.from_tensor_slices([["a", "q"], ["b", "zz"]]).map(table.lookup)
    assert [b.numpy().tolist() for b in ds] == [[0, 4], [1, 3]]
