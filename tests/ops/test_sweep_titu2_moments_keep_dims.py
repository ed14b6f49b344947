"""`tf.nn.moments(..., keep_dims=...)`: TensorFlow 1's spelling, and `tf.compat.v1.nn.moments`.

titu1994/BatchRenormalization (batch_renorm.py) computes batch statistics with
`tf.nn.moments(x, axes, shift=None, keep_dims=False)`; tork raised "unexpected keyword
argument 'keep_dims'". Expected values: numpy's mean and biased variance (TF's definition,
`tf.compat.v1.nn.moments` in the reference env gives the same numbers).
"""

import numpy as np
import pytest

import tork as tf

X = np.array([[[1.0, 2.0], [3.0, 6.0]], [[0.5, -1.0], [2.5, 4.0]]], dtype="float32")


@pytest.mark.parametrize("keep", [False, True])
def test_keep_dims_keyword(keep):
    mean, var = tf.nn.moments(tf.constant(X), [0, 1], shift=None, keep_dims=keep)
    np.testing.assert_allclose(mean.numpy(), X.mean(axis=(0, 1), keepdims=keep), rtol=1e-6)
    np.testing.assert_allclose(var.numpy(), X.var(axis=(0, 1), keepdims=keep), rtol=1e-6)


def test_compat_v1_moments_argument_order():
    # TF 1's order is (x, axes, shift, name, keep_dims): the fourth positional is the name.
    mean, var = tf.compat.v1.nn.moments(tf.constant(X), [2], None, "m", True)
    assert tuple(mean.shape) == (2, 2, 1)
    np.testing.assert_allclose(var.numpy(), X.var(axis=2, keepdims=True), rtol=1e-6)
    mean, _ = tf.compat.v1.nn.moments(tf.constant(X), [2], keepdims=False)
    np.testing.assert_allclose(mean.numpy(), X.mean(axis=2), rtol=1e-6)
    with pytest.raises(ValueError, match="keep_dims and keepdims .* disagree"):
        tf.compat.v1.nn.moments(tf.constant(X), [2], keep_dims=True, keepdims=False)
