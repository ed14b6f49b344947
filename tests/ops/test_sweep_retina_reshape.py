"""retinanet-tensorflow2.x reshapes with float tensors in the shape list.

Its label encoder and anchor generator write
`tf.reshape(t, [tf.math.ceil(h / 8), tf.math.ceil(w / 8), 9])`: TF packs the list
into an int shape, truncating each float tensor (tensorflow 2.21, eager). tork
raised "Cannot reshape ... (6 elements) to shape (2, 3) (6 elements)".

The fix is in tork/ops/array.py (`reshape`'s error path).
"""

import numpy as np
import pytest

import tork as tf


def test_reshape_list_with_float_tensor_dims():
    x = tf.range(6)
    # TF: shape (2, 3), values unchanged.
    out = tf.reshape(x, [tf.math.ceil(1.5), 3])
    assert tuple(out.shape) == (2, 3)
    np.testing.assert_array_equal(np.asarray(out), np.arange(6).reshape(2, 3))


def test_reshape_float_tensor_dim_truncates_like_tf():
    # TF 2.21: [tf.constant(2.5), 3] -> shape (2, 3) (cast toward zero).
    out = tf.reshape(tf.range(6), [tf.constant(2.5), 3])
    assert tuple(out.shape) == (2, 3)


def test_reshape_python_float_dim_is_a_clear_error():
    # TF raises InvalidArgumentError for plain Python floats in the list.
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"holds the float 2.0.*int\(\.\.\.\)"):
        tf.reshape(tf.range(6), [2.0, 3])


def test_reshape_float_array_shape_already_works():
    # TF 2.21 accepts a NumPy float array shape: (2, 3).
    assert tuple(tf.reshape(tf.range(6), np.array([2.0, 3.0])).shape) == (2, 3)
