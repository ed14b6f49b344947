"""Sweep (usersweep23c): losses of all pairs of two tensors broadcast as in TF.

SimCLR ports (sthalles/SimCLR-tensorflow) compute the negatives' similarities with
`CosineSimilarity(axis=2, reduction=NONE)(tf.expand_dims(z, 1), tf.expand_dims(negatives, 0))`,
shapes `(N, 1, D)` against `(1, 2N, D)`; TF broadcasts to `(N, 2N)`. The values below were
recorded with tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) in the reference env.
"""

import numpy as np
import pytest

import tork as tf

_A = (np.arange(12, dtype="float32").reshape(3, 1, 4) % 5) / 4 - 0.3
_B = (np.arange(8, dtype="float32").reshape(1, 2, 4) % 3) / 2 - 0.4

_COSINE = [
    [-0.114397, 0.223359],
    [0.640848, 0.120735],
    [0.366863, -0.890833],
]
_MSE = [[0.22875, 0.26625], [0.538125, 0.325625], [0.50375, 0.04125]]


def test_cosine_similarity_pairs():
    loss = tf.keras.losses.CosineSimilarity(axis=2, reduction=tf.keras.losses.Reduction.NONE)
    out = loss(tf.constant(_A), tf.constant(_B))
    assert tuple(out.shape) == (3, 2)
    np.testing.assert_allclose(out.numpy(), _COSINE, atol=1e-5)
    mean = tf.keras.losses.CosineSimilarity(axis=-1)(tf.constant(_A), tf.constant(_B))
    np.testing.assert_allclose(float(mean), 0.057763, atol=1e-5)
    fn = tf.keras.losses.cosine_similarity(tf.constant(_A), tf.constant(_B), axis=-1)
    np.testing.assert_allclose(fn.numpy(), _COSINE, atol=1e-5)


def test_mean_squared_error_pairs():
    out = tf.keras.losses.MeanSquaredError(reduction="none")(tf.constant(_A), tf.constant(_B))
    np.testing.assert_allclose(out.numpy(), _MSE, atol=1e-5)
    np.testing.assert_allclose(tf.keras.losses.mse(_A, _B).numpy(), _MSE, atol=1e-5)


def test_one_sided_mismatch_still_raises():
    # (N, 1) labels against (N, C) predictions: TF broadcasts silently; tork keeps its error.
    with pytest.raises(ValueError, match=r"labels of shape \(4, 1\) do not match predictions"):
        tf.keras.losses.MeanSquaredError()(np.ones((4, 1), "float32"), np.ones((4, 3), "float32"))
