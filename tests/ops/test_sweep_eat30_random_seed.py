"""tf.random.set_seed accepts float seeds, as TensorFlow does (eat_tensorflow2 4-1)."""

import numpy as np
import pytest

import tork as tf


def _draw(seed):
    tf.random.set_seed(seed)
    return tf.random.uniform([4]).numpy()


def test_integral_float_seed_equals_int_seed():
    np.testing.assert_array_equal(_draw(1.0), _draw(1))
    np.testing.assert_array_equal(_draw(np.float32(2.0)), _draw(2))


def test_fractional_seed_still_rejected():
    # tork refuses 1.5 (TF 2.21 accepts it); see tests/ops/test_random.py.
    with pytest.raises(TypeError, match="seed must be an int, got 1.5"):
        tf.random.set_seed(1.5)


def test_string_seed_still_rejected():
    with pytest.raises(TypeError, match="random seed must be an int"):
        tf.random.set_seed("3")
