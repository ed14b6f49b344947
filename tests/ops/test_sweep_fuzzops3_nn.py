"""tf.nn corners found by differential fuzzing against TF 2.21 (helper fuzzops3).

Expected values printed by TF 2.21 (CPU): /tmp/fuzznn3/probe_nn3.py and the notes below.
"""

import numpy as np

import tork as tf

_X = np.array([[-np.inf, 1.0, 2.0], [np.inf, 1.0, 2.0], [np.inf, -np.inf, 0.0]], "float32")


def test_moments_mean_with_infinities():
    # TF: mean [-inf, inf, nan], variance [nan, nan, nan] (torch.var_mean gave a NaN mean)
    mean, variance = tf.nn.moments(tf.constant(_X), [1])
    np.testing.assert_array_equal(mean.numpy(), [-np.inf, np.inf, np.nan])
    assert np.isnan(variance.numpy()).all()
    mean, variance = tf.nn.moments(tf.constant([[1.0, 3.0], [2.0, 6.0]]), [0], keepdims=True)
    np.testing.assert_allclose(mean.numpy(), [[1.5, 4.5]])
    np.testing.assert_allclose(variance.numpy(), [[0.25, 2.25]])


def test_ctc_unique_labels_are_int64():
    # TF: int32 labels [[1, 2, 1, 0], [3, 3, 0, 0]] -> unique int64 [[1, 2, 0, 0], [3, 0, 0, 0]],
    # indices int32 [[0, 1, 0, 2], [0, 0, 1, 1]]
    unique, index = tf.nn.ctc_unique_labels(np.array([[1, 2, 1, 0], [3, 3, 0, 0]], np.int32))
    assert unique.dtype == tf.int64
    assert index.dtype == tf.int32
    assert unique.numpy().tolist() == [[1, 2, 0, 0], [3, 0, 0, 0]]
    assert index.numpy().tolist() == [[0, 1, 0, 2], [0, 0, 1, 1]]
