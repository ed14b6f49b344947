"""`tf.shape` of a RaggedTensor: TensorFlow's DynamicRaggedShape (values from TF 2.21)."""

import pytest

import tork as tf
from tork._backend.ragged_shape import DynamicRaggedShape


def _rt():
    return tf.ragged.constant([[1], [2, 3], [], [4]])


def test_shape_of_ragged_tensor_prints_as_tf():
    shape = tf.shape(_rt())
    assert isinstance(shape, DynamicRaggedShape)
    text = "<DynamicRaggedShape lengths=[4, (1, 2, 0, 1)] num_row_partitions=1>"
    assert repr(shape) == text and str(shape) == text
    assert shape.num_row_partitions == 1
    assert shape.static_lengths() == [4, (1, 2, 0, 1)]
    assert shape.static_lengths(ragged_lengths=False) == [4, None]
    assert shape.rank == 2
    assert shape.dtype == tf.int32
    assert tf.shape(_rt(), out_type=tf.int64).dtype == tf.int64
    assert shape.inner_shape.tolist() == [4]
    assert shape.is_uniform(0) and not shape.is_uniform(1)


def test_indexing_uniform_and_ragged_dimensions():
    shape = tf.shape(_rt())
    assert int(shape[0]) == 4 and shape[0].dtype == tf.int32
    with pytest.raises(ValueError, match="Index 1 is not uniform"):
        shape[1]
    with pytest.raises(ValueError, match="Index 1 is not uniform"):
        shape[-1]
    assert repr(shape[:1]) == "<DynamicRaggedShape lengths=[4] num_row_partitions=0>"
    with pytest.raises(ValueError, match="All relevant dimensions must be uniform"):
        shape[1:]


def test_inner_uniform_dimensions_and_ragged_rank_two():
    r3 = tf.ragged.constant([[[1.0, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    s3 = tf.shape(r3)
    assert repr(s3) == "<DynamicRaggedShape lengths=[2, (2, 1), 2] num_row_partitions=1>"
    assert int(s3[2]) == 2 and s3.inner_shape.tolist() == [3, 2]
    assert s3[2:].tolist() == [2]
    r4 = tf.ragged.constant([[[1, 2], [3]], [[4]], [[5, 6], [7, 8, 9]]])
    assert repr(tf.shape(r4)) == (
        "<DynamicRaggedShape lengths=[3, (2, 1, 2), (2, 1, 1, 2, 3)] num_row_partitions=2>"
    )
    assert tf.zeros(tf.shape(r4)).to_list() == [
        [[0.0, 0.0], [0.0]],
        [[0.0]],
        [[0.0, 0.0], [0.0, 0.0, 0.0]],
    ]


def test_ops_taking_a_ragged_shape():
    shape = tf.shape(_rt())
    assert tf.zeros(shape).to_list() == [[0.0], [0.0, 0.0], [], [0.0]]
    assert tf.ones(shape).to_list() == [[1.0], [1.0, 1.0], [], [1.0]]
    assert tf.zeros(shape=shape, dtype=tf.int32).to_list() == [[0], [0, 0], [], [0]]
    assert tf.fill(shape, "x").to_list() == [[b"x"], [b"x", b"x"], [], [b"x"]]
    assert tf.broadcast_to("x", shape).to_list() == [[b"x"], [b"x", b"x"], [], [b"x"]]
    assert tf.broadcast_to(2.0, shape).to_list() == [[2.0], [2.0, 2.0], [], [2.0]]
    reshaped = tf.reshape(tf.constant(["a", "b", "c", "d"]), shape)
    assert reshaped.to_list() == [[b"a"], [b"b", b"c"], [], [b"d"]]
    with pytest.raises(ValueError, match="cannot give the value the ragged shape"):
        tf.reshape(tf.range(5), shape)


def test_from_lengths_and_equality():
    shape = DynamicRaggedShape.from_lengths([4, (2, 1, 0, 8), 12])
    assert repr(shape) == (
        "<DynamicRaggedShape lengths=[4, (2, 1, 0, 8), 12] num_row_partitions=1>"
    )
    assert shape.inner_shape.tolist() == [11, 12]
    assert bool(tf.shape(_rt()) == tf.shape(_rt()))
    assert not bool(tf.shape(_rt()) == shape)


def test_row_partitions_is_not_implemented():
    with pytest.raises(NotImplementedError, match="DynamicRaggedShape.row_partitions"):
        _ = tf.shape(_rt()).row_partitions


def test_dense_shape_is_unchanged():
    assert tf.shape(tf.constant([[1, 2]])).tolist() == [1, 2]
    assert tf.zeros((2, 3)).shape == (2, 3)
    assert tf.reshape(tf.range(6), [2, 3]).shape == (2, 3)
