"""Stateless tf.random checks from differential fuzzing against TensorFlow (helper fuzznn).

Values cannot match TF's generators; shapes, dtypes, ranges and errors do.
"""

import numpy as np
import pytest

import tork as tf


def test_stateless_uniform_int_bounds_must_be_ordered():
    # TF raises InvalidArgumentError ("Need minval < maxval"); tork raised torch's
    # "random_ expects 'from' to be less than 'to'".
    with pytest.raises(ValueError, match=r"stateless_uniform needs minval < maxval, got \[5, 1\)"):
        tf.random.stateless_uniform([2], seed=[1, 2], minval=5, maxval=1, dtype=tf.int32)


def test_stateless_uniform_int_range_and_determinism():
    a = tf.random.stateless_uniform([200], seed=[3, 4], minval=-5, maxval=7, dtype=tf.int64)
    b = tf.random.stateless_uniform([200], seed=[3, 4], minval=-5, maxval=7, dtype=tf.int64)
    assert a.dtype == tf.int64 and tuple(a.shape) == (200,)
    values = np.asarray(a)
    assert values.min() >= -5 and values.max() < 7
    np.testing.assert_array_equal(values, np.asarray(b))
