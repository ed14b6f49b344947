"""`tf.edit_distance` (keras.io handwriting recognition); expected values from TF 2.21."""

import numpy as np
import pytest

import tork as tf


def test_dense_int_sequences():
    hyp = tf.sparse.from_dense(tf.constant([[1, 2, 0], [3, 0, 0]], tf.int64))
    truth = tf.sparse.from_dense(tf.constant([[1, 3, 4], [3, 3, 0]], tf.int64))
    out = tf.edit_distance(hyp, truth)
    assert out.dtype == tf.float32
    # [1, 2] -> [1, 3, 4]: one substitution and one insertion, over 3 truth items.
    np.testing.assert_allclose(out.numpy(), [2 / 3, 1 / 2], rtol=1e-6)
    np.testing.assert_allclose(tf.edit_distance(hyp, truth, normalize=False).numpy(), [2, 1])


def test_strings_empty_sequences_and_output_shape():
    hyp = tf.SparseTensor(
        [[0, 0, 0], [1, 0, 0], [1, 0, 1], [1, 1, 0]], ["a", "b", "c", "d"], [2, 2, 2]
    )
    truth = tf.SparseTensor(
        [[0, 1, 0], [1, 0, 0], [1, 0, 1], [1, 0, 2], [2, 0, 0]],
        ["a", "b", "x", "c", "q"],
        [3, 2, 3],
    )
    inf = np.inf
    np.testing.assert_allclose(
        tf.edit_distance(hyp, truth).numpy(), [[inf, 1.0], [1 / 3, inf], [1.0, 0.0]]
    )
    np.testing.assert_allclose(
        tf.edit_distance(hyp, truth, normalize=False).numpy(), [[1, 1], [1, 1], [1, 0]]
    )


def test_storage_order_is_kept():
    hyp = tf.SparseTensor([[0, 1], [0, 0]], [5, 7], [1, 2])
    truth = tf.SparseTensor([[0, 0], [0, 1]], [7, 5], [1, 2])
    np.testing.assert_allclose(tf.edit_distance(hyp, truth, normalize=False).numpy(), [2.0])


def test_errors():
    sp = tf.SparseTensor([[0, 0]], [1], [1, 2])
    with pytest.raises(TypeError, match="Hypothesis must be a SparseTensor."):
        tf.edit_distance(tf.constant([1]), sp)
    with pytest.raises(TypeError, match="Truth must be a SparseTensor."):
        tf.edit_distance(sp, tf.constant([1]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="matching ranks.*\\[3\\] and \\[2\\]"):
        tf.edit_distance(sp, tf.SparseTensor([[0, 0, 0]], [1], [1, 1, 2]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="same dtype, got int32 and float32"):
        tf.edit_distance(sp, tf.SparseTensor([[0, 0]], [1.0], [1, 2]))
