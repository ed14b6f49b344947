"""tf.concat argument forms found by differential fuzzing, round 4 (helper fuzzops4).

Expected values printed by TF 2.21 (CPU) for the same calls.
"""

import numpy as np
import pytest

import tork as tf


def test_concat_takes_a_one_element_axis_list():
    # TF: tf.concat(xs, [-1]) -> [[1, 0], [1, 0]]; tf.concat(xs, (0,)) -> shape (4, 1)
    xs = [tf.ones((2, 1)), tf.zeros((2, 1))]
    np.testing.assert_array_equal(tf.concat(xs, [-1]).numpy(), [[1, 0], [1, 0]])
    assert tf.concat(xs, (0,)).shape == (4, 1)
    assert tf.concat(xs, np.array([1])).shape == (2, 2)
    v = tf.Variable(np.ones((3, 2), np.float32))
    assert tf.concat([v, v], [-2]).shape == (6, 2)


def test_tensor_scatter_nd_takes_the_dtype_of_tensor_updates():
    # TF 2.21 (/tmp/fuzzops4/p4/probe10.py): a list/NumPy `tensor` with float64 tensor
    # updates gives float64 (tork: float32, the list's default)
    updates = tf.constant([[9.0, 9.0]], tf.float64)
    for op in (tf.tensor_scatter_nd_update, tf.tensor_scatter_nd_add, tf.tensor_scatter_nd_max):
        out = op([[1.0, 2.0], [3.0, 4.0]], [[0]], updates)
        assert out.dtype == tf.float64
    out = tf.tensor_scatter_nd_update(np.zeros((2, 2), np.float32), [[0]], updates)
    assert out.dtype == tf.float64
    np.testing.assert_array_equal(out.numpy(), [[9, 9], [0, 0]])
    # TF: NumPy floats are cast to int updates' dtype: [[9, 9], [3, 4]] int32
    out = tf.tensor_scatter_nd_update(np.array([[1.5, 2], [3, 4]]), [[0]], tf.constant([[9, 9]]))
    assert out.dtype == tf.int32
    np.testing.assert_array_equal(out.numpy(), [[9, 9], [3, 4]])


def test_tensor_scatter_nd_refuses_python_floats_for_int_updates():
    # TF: TypeError "Cannot convert [[1.5, 2], [3, 4]] to EagerTensor of dtype int32"
    with pytest.raises(TypeError, match="Cannot convert"):
        tf.tensor_scatter_nd_update([[1.5, 2], [3, 4]], [[0]], tf.constant([[9, 9]]))
