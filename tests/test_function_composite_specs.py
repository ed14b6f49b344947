"""tf.function input_signature with RaggedTensorSpec / SparseTensorSpec (TF's ragged guide)."""

import pytest

import tork as tf


def test_ragged_tensor_spec_signature():
    @tf.function(input_signature=[tf.RaggedTensorSpec(shape=[None, None], dtype=tf.int32)])
    def max_and_min(rt):
        return (tf.math.reduce_max(rt, axis=-1), tf.math.reduce_min(rt, axis=-1))

    # TF 2.21: ([2, 3, 6], [1, 3, 4]).
    high, low = max_and_min(tf.ragged.constant([[1, 2], [3], [4, 5, 6]]))
    assert high.tolist() == [2, 3, 6] and low.tolist() == [1, 3, 4]
    # Nested Python lists are made a RaggedTensor of the signature's dtype.
    high, _ = max_and_min([[1, 2], [3]])
    assert high.tolist() == [2, 3]
    with pytest.raises(
        TypeError, match=r"RaggedTensor of dtype torch.float32.*expects RaggedTensorSpec"
    ):
        max_and_min(tf.ragged.constant([[1.0]]))


def test_sparse_tensor_spec_signature():
    @tf.function(input_signature=[tf.SparseTensorSpec(shape=[None, 3], dtype=tf.float32)])
    def dense(sp):
        return tf.sparse.to_dense(sp)

    assert dense(tf.SparseTensor([[0, 1]], [2.0], [1, 3])).tolist() == [[0.0, 2.0, 0.0]]
    with pytest.raises(TypeError, match="the signature expects a tf.SparseTensor"):
        dense(tf.ones((1, 3)))
