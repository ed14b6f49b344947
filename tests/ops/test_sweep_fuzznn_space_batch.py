"""tf.space_to_batch(_nd) / tf.batch_to_space(_nd), missing before (helper fuzznn).

Reference numbers come from TensorFlow 2.21 (CPU), printed by the fuzzing session's
/tmp/fuzznn/ref_numbers.py; each is quoted next to its assertion.
"""

import numpy as np
import pytest

import tork as tf
from tork.ops.debugging import InvalidArgumentError

X = np.arange(12, dtype=np.float32).reshape(2, 3, 2, 1)
# TF: tf.space_to_batch_nd(X, [2, 2], [[1, 0], [0, 2]]) -> shape (8, 2, 2, 1)
TF_S2B = [0, 0, 2, 0, 0, 0, 8, 0, 0, 0, 3, 0, 0, 0, 9, 0]
TF_S2B += [0, 0, 4, 0, 6, 0, 10, 0, 1, 0, 5, 0, 7, 0, 11, 0]


def test_space_to_batch_nd_with_paddings():
    y = tf.space_to_batch_nd(X, [2, 2], [[1, 0], [0, 2]])
    assert tuple(y.shape) == (8, 2, 2, 1)
    np.testing.assert_array_equal(y.numpy().ravel(), TF_S2B)


def test_batch_to_space_inverts_with_crops():
    y = tf.space_to_batch(X, [2, 2], [[1, 0], [0, 2]])
    back = tf.batch_to_space(y, [2, 2], [[1, 0], [0, 2]])
    np.testing.assert_array_equal(back.numpy(), X)
    back = tf.compat.v1.batch_to_space_nd(y, np.array([2, 2]), np.array([[1, 0], [0, 2]]))
    np.testing.assert_array_equal(back.numpy(), X)


def test_space_to_batch_one_block_dim():
    # TF: tf.space_to_batch(arange(6).reshape(1, 6, 1), [3], [[0, 0]])
    y = tf.space_to_batch(np.arange(6, dtype=np.float32).reshape(1, 6, 1), [3], [[0, 0]])
    np.testing.assert_array_equal(y.numpy(), [[[0.0], [3.0]], [[1.0], [4.0]], [[2.0], [5.0]]])
    assert tf.nn.space_to_batch is tf.space_to_batch


def test_tf1_square_block_signatures():
    x4 = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    # TF: tf.compat.v1.space_to_batch(x4, [[0, 0], [0, 0]], 2)
    y = tf.compat.v1.space_to_batch(x4, [[0, 0], [0, 0]], 2)
    np.testing.assert_array_equal(
        y.numpy().ravel(), [0, 2, 8, 10, 1, 3, 9, 11, 4, 6, 12, 14, 5, 7, 13, 15]
    )
    # TF: tf.compat.v1.batch_to_space(x4.reshape(4, 2, 2, 1), [[0, 1], [1, 0]], 2)
    z = tf.compat.v1.batch_to_space(x4.reshape(4, 2, 2, 1), [[0, 1], [1, 0]], 2)
    np.testing.assert_array_equal(z.numpy().ravel(), [4, 1, 5, 12, 9, 13, 6, 3, 7])
    w = tf.compat.v1.nn.space_to_batch(x4, [[0, 0], [0, 0]], block_size=2)
    np.testing.assert_array_equal(w.numpy(), y.numpy())


def test_space_to_batch_gradient():
    x = tf.Variable(X)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.space_to_batch_nd(x, [2, 2], [[1, 0], [0, 2]]) ** 2)
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(), 2 * X)


def test_space_batch_errors():
    x4 = np.zeros((1, 4, 4, 1), np.float32)
    with pytest.raises(InvalidArgumentError, match=r"padded spatial shape \[4, 4\].*divisible"):
        tf.space_to_batch_nd(x4, [3, 3], [[0, 0], [0, 0]])
    with pytest.raises(InvalidArgumentError, match=r"batch \(1, .*divisible by the product"):
        tf.batch_to_space(x4, [2, 2], [[0, 0], [0, 0]])
    with pytest.raises(ValueError, match="one \\[before, after\\] pair per block dimension"):
        tf.space_to_batch_nd(x4, [2, 2], [[0, 0]])
    with pytest.raises(InvalidArgumentError, match="crops .* remove more than"):
        tf.batch_to_space(np.zeros((4, 1, 1, 1), np.float32), [2, 2], [[2, 1], [0, 0]])
