"""tf.data.experimental.dense_to_ragged_batch / dense_to_sparse_batch (TF 2.x's names)."""

import tork as tf


def test_dense_to_ragged_batch_is_ragged_batch():
    # The TF ragged guide: rows of lengths 0..4, batched in twos.
    ds = tf.data.Dataset.range(5).map(lambda n: tf.range(n))
    batches = list(ds.apply(tf.data.experimental.dense_to_ragged_batch(2)))
    assert [b.to_list() for b in batches] == [[[], [0]], [[0, 1], [0, 1, 2]], [[0, 1, 2, 3]]]
    dropped = list(ds.apply(tf.data.experimental.dense_to_ragged_batch(2, drop_remainder=True)))
    assert len(dropped) == 2


def test_dense_to_sparse_batch_is_sparse_batch():
    ds = tf.data.Dataset.range(3).map(lambda n: tf.fill([n], n))
    (batch,) = list(ds.apply(tf.data.experimental.dense_to_sparse_batch(3, [4])))
    assert tf.sparse.to_dense(batch).numpy().tolist() == [[0, 0, 0, 0], [1, 0, 0, 0], [2, 2, 0, 0]]
