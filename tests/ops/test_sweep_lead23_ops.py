"""Lead's fixes of session 23 in the op surface."""

import warnings

import numpy as np

import tork as tf


def test_searchsorted_on_broadcast_inputs_warns_nothing():
    # NeRF's sample_pdf searches broadcast (non-contiguous) CDFs; torch warned
    # "input value tensor is non-contiguous" through to the user. TF 2.21 gives these.
    seq = tf.broadcast_to(tf.constant([[0.0, 1.0, 2.0, 3.0]]), [3, 4])
    vals = tf.broadcast_to(tf.constant([[0.5, 2.5]]), [3, 2])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = tf.searchsorted(seq, vals, side="right")
    np.testing.assert_array_equal(out.numpy(), [[1, 3], [1, 3], [1, 3]])
    assert out.dtype == tf.int32
