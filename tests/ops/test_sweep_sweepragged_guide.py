"""Cells of TensorFlow's "Ragged tensors" guide that failed under tork (expected values from
TF 2.21)."""

import pytest

import tork as tf


def _digits():
    return tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])


def test_tile_ragged_repeats_each_row_in_place():
    assert tf.tile(_digits(), [1, 2]).to_list() == [
        [3, 1, 4, 1, 3, 1, 4, 1],
        [],
        [5, 9, 2, 5, 9, 2],
        [6, 6],
        [],
    ]


def test_tile_ragged_rows_and_inner_axes():
    assert tf.tile(_digits(), [2, 1]).to_list() == [[3, 1, 4, 1], [], [5, 9, 2], [6], []] * 2
    assert tf.tile(_digits(), [2, 0]).to_list() == [[]] * 10
    nested = tf.ragged.constant([[[1, 2], [3]], [[4]]])
    assert tf.tile(nested, [1, 2, 2]).to_list() == [
        [[1, 2, 1, 2], [3, 3], [1, 2, 1, 2], [3, 3]],
        [[4, 4], [4, 4]],
    ]
    uniform_inner = tf.ragged.constant([[[1, 2]], [[3, 4], [5, 6]]], ragged_rank=1)
    assert tf.tile(uniform_inner, [1, 2, 2]).to_list() == [
        [[1, 2, 1, 2], [1, 2, 1, 2]],
        [[3, 4, 3, 4], [5, 6, 5, 6], [3, 4, 3, 4], [5, 6, 5, 6]],
    ]
    strings = tf.tile(tf.ragged.constant([["a", "b"], ["c"]]), [2, 2])
    assert strings.to_list() == [[b"a", b"b", b"a", b"b"], [b"c", b"c"]] * 2


def test_tile_ragged_wrong_multiples_length():
    with pytest.raises(ValueError, match="one entry per dimension"):
        tf.tile(_digits(), [2])


def test_map_fn_over_ragged_gives_ragged():
    out = tf.map_fn(tf.math.square, _digits())
    assert isinstance(out, tf.RaggedTensor)
    assert out.to_list() == [[9, 1, 16, 1], [], [25, 81, 4], [36], []]
    nested = tf.map_fn(lambda x: x * 2, tf.ragged.constant([[[1, 2], [3]], [[4]]]))
    assert nested.to_list() == [[[2, 4], [6]], [[8]]]


def test_map_fn_over_ragged_dense_signature():
    out = tf.map_fn(tf.reduce_sum, _digits(), fn_output_signature=tf.int32)
    assert not isinstance(out, tf.RaggedTensor)
    assert out.tolist() == [9, 0, 16, 6, 0]


def test_map_fn_ragged_output_signature():
    spec = tf.RaggedTensorSpec(shape=[None], dtype=tf.int32)
    out = tf.map_fn(lambda x: tf.range(x), tf.constant([1, 3, 0, 2]), fn_output_signature=spec)
    assert out.to_list() == [[0], [0, 1, 2], [], [0, 1]]
    spec = tf.RaggedTensorSpec(shape=[None], dtype=tf.string)
    words = tf.map_fn(tf.strings.split, tf.constant(["a b", "c d e"]), fn_output_signature=spec)
    assert words.to_list() == [[b"a", b"b"], [b"c", b"d", b"e"]]


def test_fill_with_string():
    queries = tf.ragged.constant([["Who", "is"], ["Pause"], ["Will", "it", "rain"]])
    marker = tf.fill([queries.nrows(), 1], "#")
    assert marker.numpy().tolist() == [[b"#"], [b"#"], [b"#"]]
    padded = tf.concat([marker, queries, marker], axis=1)
    assert padded.to_list() == [
        [b"#", b"Who", b"is", b"#"],
        [b"#", b"Pause", b"#"],
        [b"#", b"Will", b"it", b"rain", b"#"],
    ]
    assert tf.fill([2], b"x").numpy().tolist() == [b"x", b"x"]


def test_is_tensor_counts_string_sparse_and_ragged_tensors():
    # TF 2.21: True for all three; False for Python values.
    assert tf.is_tensor(tf.SparseTensor(indices=[[0, 3]], values=[10], dense_shape=[3, 10]))
    assert tf.is_tensor(tf.constant("a"))
    assert tf.is_tensor(tf.ragged.constant([[1, 2], [3]]))
    assert not tf.is_tensor([1.0])


def test_reverse_ragged():
    x = tf.ragged.constant([[1, 2, 3], [], [4, 5]])
    assert tf.reverse(x, [1]).to_list() == [[3, 2, 1], [], [5, 4]]
    assert tf.reverse(x, [-1]).to_list() == [[3, 2, 1], [], [5, 4]]
    assert tf.reverse(x, [0]).to_list() == [[4, 5], [], [1, 2, 3]]
    assert tf.reverse(x, [0, 1]).to_list() == [[5, 4], [], [3, 2, 1]]
    y = tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]]])
    assert tf.reverse(y, [2]).to_list() == [[[2, 1], [3]], [[6, 5, 4]]]
    assert tf.reverse(y, [1]).to_list() == [[[3], [1, 2]], [[4, 5, 6]]]
    assert tf.reverse(y, [0, 2]).to_list() == [[[6, 5, 4]], [[2, 1], [3]]]
    z = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert tf.reverse(z, [1, 2]).to_list() == [[[4, 3], [2, 1]], [[6, 5]]]
    assert tf.reverse(tf.ragged.constant([["a", "b"], ["c"]]), [1]).to_list() == [
        [b"b", b"a"],
        [b"c"],
    ]


def test_make_palindrome_guide_cell():
    @tf.function
    def make_palindrome(x, axis):
        return tf.concat([x, tf.reverse(x, [axis])], axis)

    out = make_palindrome(tf.ragged.constant([[1, 2], [3], [4, 5, 6]]), axis=1)
    assert out.to_list() == [[1, 2, 2, 1], [3, 3], [4, 5, 6, 6, 5, 4]]


def test_expand_dims_ragged():
    x = tf.ragged.constant([[1, 2, 3], [], [4]])
    out = tf.expand_dims(x, 0)
    assert out.to_list() == [[[1, 2, 3], [], [4]]]
    assert out.shape.as_list() == [1, 3, None]
    out = tf.expand_dims(x, 1)
    assert out.to_list() == [[[1, 2, 3]], [[]], [[4]]]
    assert out.shape.as_list() == [3, 1, None]
    out = tf.expand_dims(x, -1)
    assert out.to_list() == [[[1], [2], [3]], [], [[4]]]
    assert out.shape.as_list() == [3, None, 1]
    y = tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]]])
    assert tf.expand_dims(y, 3).to_list() == [[[[1], [2]], [[3]]], [[[4], [5], [6]]]]
    with pytest.raises(ValueError, match="out of range"):
        tf.expand_dims(x, 3)


def test_size_and_rank_ragged():
    x = tf.ragged.constant([[1, 2, 3], [], [4]])
    assert int(tf.size(x)) == 4
    assert tf.size(x).dtype == tf.int32
    assert tf.size(x, out_type=tf.int64).dtype == tf.int64
    z = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert int(tf.size(z)) == 6
    assert int(tf.rank(x)) == 2
    assert int(tf.rank(z)) == 3


def test_where_ragged_condition():
    cond = tf.ragged.constant([[True, False, True], [], [False, True]])
    assert tf.where(cond).tolist() == [[0, 0], [0, 2], [2, 1]]
    nested = tf.ragged.constant([[[True, False], [True]], [[False]]])
    assert tf.where(nested).tolist() == [[0, 0, 0], [0, 1, 0]]
    x = tf.ragged.constant([[1, 2, 3], [], [4, 5]])
    y = tf.ragged.constant([[9, 9, 9], [], [8, 8]])
    assert tf.where(cond, x, y).to_list() == [[1, 9, 3], [], [8, 5]]
    assert tf.where(cond, x, 0).to_list() == [[1, 0, 3], [], [0, 5]]
    with pytest.raises(ValueError, match="same row partitions"):
        tf.where(cond, x, tf.ragged.constant([[1, 2], [3], [4, 5]]))


def test_one_hot_ragged():
    ids = tf.ragged.constant([[1, 2], [0]])
    assert tf.one_hot(ids, 3).to_list() == [[[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[1.0, 0.0, 0.0]]]
    out = tf.one_hot(ids, depth=3, on_value=5, off_value=-1)
    assert out.to_list() == [[[-1, 5, -1], [-1, -1, 5]], [[5, -1, -1]]]


def test_split_dynamic_partition_add_n_ragged():
    r = tf.ragged.constant([[1, 2], [3], [4, 5, 6], []])
    assert [p.to_list() for p in tf.split(r, 2)] == [[[1, 2], [3]], [[4, 5, 6], []]]
    assert [p.to_list() for p in tf.split(r, [1, 3])] == [[[1, 2]], [[3], [4, 5, 6], []]]
    with pytest.raises(ValueError, match="equal parts"):
        tf.split(r, 3)
    parts = tf.dynamic_partition(r, [2, 2, 0, 2], 3)
    assert [p.to_list() for p in parts] == [[[4, 5, 6]], [], [[1, 2], [3], []]]
    assert tf.add_n([r, r, r]).to_list() == [[3, 6], [9], [12, 15, 18], []]
    assert tf.math.add_n([r, r]).to_list() == [[2, 4], [6], [8, 10, 12], []]
