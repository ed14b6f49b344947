"""`tf.compat.v1.assign`/`assign_add`/`assign_sub`, as Keras 2 optimizers call them
(`state_ops.assign(var, value, use_locking=...)`). TensorFlow 2.21 eagerly returns the
variable, updated in place; a tensor `ref` has no `assign`."""

import numpy as np
import pytest

import tork as tf


def test_assign_functions_update_in_place_and_return_the_variable():
    v = tf.Variable([1.0, 2.0])
    assert tf.compat.v1.assign(v, [3.0, 4.0], use_locking=True) is v
    np.testing.assert_allclose(v.numpy(), [3.0, 4.0])
    assert tf.compat.v1.assign_add(v, [1.0, 1.0], use_locking=False) is v
    np.testing.assert_allclose(v.numpy(), [4.0, 5.0])
    assert tf.compat.v1.assign_sub(v, tf.constant([2.0, 0.5]), name="sub") is v
    np.testing.assert_allclose(v.numpy(), [2.0, 4.5])


def test_assign_to_a_tensor_says_to_use_a_variable():
    with pytest.raises(TypeError, match=r"tf\.compat\.v1\.assign: `ref` must be a tf\.Variable"):
        tf.compat.v1.assign(tf.constant(1.0), 2.0)
    with pytest.raises(TypeError, match=r"tf\.compat\.v1\.assign_sub: `ref` must be"):
        tf.compat.v1.assign_sub(tf.constant(1.0), 2.0)


def test_assign_of_another_shape_names_both_shapes():
    v = tf.Variable(1.0)
    with pytest.raises(ValueError, match=r"shape \(2,\).*shape \(\)"):
        tf.compat.v1.assign(v, [1.0, 2.0])
