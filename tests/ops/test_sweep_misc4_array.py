"""NumPy operands of tf.concat / tf.stack take the first tensor's dtype (values from TF 2.21)."""

import numpy as np
import torch

import tork as tf


def test_concat_numpy_int64_takes_int32_tensor_dtype():
    out = tf.concat([tf.fill((2, 1), 12), np.ones((2, 1), np.int64)], 1)
    assert out.dtype == torch.int32
    assert out.tolist() == [[12, 1], [12, 1]]
    # The first *tensor* decides, even when the NumPy array comes first.
    out = tf.concat([np.ones((2, 1), np.int64), tf.fill((2, 1), 12)], 1)
    assert out.dtype == torch.int32
    assert out.tolist() == [[1, 12], [1, 12]]


def test_concat_numpy_casts_like_tf():
    # TF 2.21: float64 0.5 into an int32 concat truncates to 0; 2**40 wraps to 0.
    i32 = tf.fill((2, 1), 12)
    assert tf.concat([i32, np.full((2, 1), 0.5)], 1).tolist() == [[12, 0], [12, 0]]
    assert tf.concat([i32, np.full((2, 1), 2**40, np.int64)], 1).tolist() == [[12, 0], [12, 0]]
    out = tf.concat([tf.ones((2, 1)), np.full((2, 1), 0.5)], 1)
    assert out.dtype == torch.float32
    assert out.tolist() == [[1.0, 0.5], [1.0, 0.5]]


def test_concat_only_numpy_uses_first_dtype():
    out = tf.concat([np.ones((2, 1), np.float32), np.ones((2, 1))], 1)
    assert out.dtype == torch.float32
    out = tf.concat([np.ones((2, 1), np.int64), np.ones((2, 1), np.int64)], 1)
    assert out.dtype == torch.int64


def test_stack_numpy_takes_tensor_dtype():
    out = tf.stack([tf.fill((2,), 12), np.ones((2,), np.int64)])
    assert out.dtype == torch.int32
    assert out.tolist() == [[12, 12], [1, 1]]
    out = tf.stack([tf.ones((2,)), np.full((2,), 0.5)])
    assert out.dtype == torch.float32
    assert out.tolist() == [[1.0, 1.0], [0.5, 0.5]]
