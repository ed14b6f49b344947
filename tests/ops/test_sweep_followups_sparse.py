"""tf.sparse.cross / cross_hashed input order, values printed by TensorFlow 2.21."""

import numpy as np

import tork as tf

DENSE = tf.constant([["a"], ["b"]])
SPARSE = tf.SparseTensor([[0, 0], [1, 0], [1, 1]], tf.constant([3, 4, 5], dtype=tf.int64), [2, 2])
DENSE2 = tf.constant([["x", "y"], ["z", "w"]])
SPARSE2 = tf.SparseTensor([[0, 0], [1, 0]], tf.constant(["P", "Q"]), [2, 1])


def test_cross_takes_sparse_inputs_before_dense_ones():
    out = tf.sparse.cross([DENSE, SPARSE])
    assert out.values.numpy().tolist() == [b"3_X_a", b"4_X_b", b"5_X_b"]
    assert out.indices.numpy().tolist() == [[0, 0], [1, 0], [1, 1]]
    out = tf.sparse.cross([DENSE, SPARSE, DENSE2, SPARSE2])
    assert out.values.numpy().tolist() == [
        b"3_X_P_X_a_X_x",
        b"3_X_P_X_a_X_y",
        b"4_X_Q_X_b_X_z",
        b"4_X_Q_X_b_X_w",
        b"5_X_Q_X_b_X_z",
        b"5_X_Q_X_b_X_w",
    ]
    out = tf.sparse.cross([DENSE2, SPARSE2, DENSE])
    assert out.values.numpy().tolist() == [b"P_X_x_X_a", b"P_X_y_X_a", b"Q_X_z_X_b", b"Q_X_w_X_b"]


def test_cross_hashed_takes_sparse_inputs_before_dense_ones():
    out = tf.sparse.cross_hashed([DENSE, SPARSE], 1000)
    np.testing.assert_array_equal(out.values.numpy(), [152, 265, 136])
    out = tf.sparse.cross_hashed([SPARSE, DENSE], 1000)
    np.testing.assert_array_equal(out.values.numpy(), [152, 265, 136])
    out = tf.sparse.cross_hashed([DENSE, SPARSE, DENSE2, SPARSE2], 1000)
    np.testing.assert_array_equal(out.values.numpy(), [722, 30, 188, 307, 102, 611])
    out = tf.sparse.cross_hashed([DENSE2, SPARSE2, DENSE], 1000)
    np.testing.assert_array_equal(out.values.numpy(), [206, 511, 834, 83])


def test_ragged_cross_keeps_the_given_order():
    # tf.ragged.cross does not reorder (TensorFlow 2.21).
    ragged = tf.ragged.constant([["a", "b"], ["c"]])
    out = tf.ragged.cross([DENSE, SPARSE2, ragged])
    assert out.to_list() == [[b"a_X_P_X_a", b"a_X_P_X_b"], [b"b_X_Q_X_c"]]
    assert tf.ragged.cross_hashed([DENSE, ragged, SPARSE2], 1000).to_list() == [[206, 872], [189]]
    assert tf.ragged.cross_hashed([SPARSE2, DENSE, ragged], 1000).to_list() == [[39, 71], [255]]
