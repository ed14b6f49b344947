"""tf.compat.v1 scatter functions: in-place variable updates (TF 2.21's results)."""

import numpy as np
import pytest

import tork as tf


def test_row_scatters_update_the_variable_in_place_and_return_it():
    v = tf.Variable([1.0, 2.0, 3.0, 4.0])
    assert tf.compat.v1.scatter_update(v, [0, 2], [10.0, 30.0]) is v
    np.testing.assert_array_equal(v.numpy(), [10, 2, 30, 4])
    tf.compat.v1.scatter_add(v, [0, 0], [1.0, 1.0])  # repeated rows add up
    tf.compat.v1.scatter_sub(v, [1], [2.0])
    np.testing.assert_array_equal(v.numpy(), [12, 0, 30, 4])
    tf.compat.v1.scatter_mul(v, [1], [5.0])
    tf.compat.v1.scatter_div(v, [3], [2.0])
    tf.compat.v1.scatter_max(v, [3], [9.0])
    tf.compat.v1.scatter_min(v, [0], [0.5])
    np.testing.assert_array_equal(v.numpy(), [0.5, 0, 30, 9])


def test_nd_scatters_and_whole_row_updates():
    m = tf.Variable(tf.zeros([3, 2]))
    tf.compat.v1.scatter_nd_update(m, [[0, 1], [2, 0]], [5.0, 6.0])
    tf.compat.v1.scatter_nd_add(m, [[0, 1]], [1.0])
    tf.compat.v1.scatter_nd_sub(m, [[2]], [[1.0, 1.0]])
    np.testing.assert_array_equal(m.numpy(), [[0, 6], [0, 0], [5, -1]])
    tf.compat.v1.scatter_update(m, 1, [7.0, 8.0])
    np.testing.assert_array_equal(m.numpy(), [[0, 6], [7, 8], [5, -1]])


def test_batch_scatter_update_and_scatter_nd():
    v = tf.Variable(tf.zeros([2, 3]))
    tf.compat.v1.batch_scatter_update(v, [[0], [2]], [[1.0], [2.0]])
    np.testing.assert_array_equal(v.numpy(), [[1, 0, 0], [0, 0, 2]])
    dense = tf.compat.v1.scatter_nd([[1], [3]], [5.0, 7.0], [4])
    np.testing.assert_array_equal(np.asarray(dense), [0, 5, 0, 7])


def test_scatter_on_a_tensor_names_the_immutable_alternative():
    with pytest.raises(
        TypeError,
        match=r"scatter_update: `ref` must be a tf.Variable.*"
        r"tf.tensor_scatter_nd_update",
    ):
        tf.compat.v1.scatter_update(tf.constant([1.0, 2.0]), [0], [3.0])
