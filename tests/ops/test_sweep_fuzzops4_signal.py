"""tf.signal.fftshift/ifftshift axes forms found by differential fuzzing, round 4
(helper fuzzops4). Expected values printed by TF 2.21 (CPU) for the same calls."""

import numpy as np
import pytest

import tork as tf

_X = np.arange(12).reshape(3, 4)


@pytest.mark.parametrize("axes", [[], ()])
def test_fftshift_with_no_axes_returns_the_input(axes):
    # TF: ifftshift(x, axes=[]) is x (tork: torch's RuntimeError "`shifts` required")
    x = tf.constant(_X)
    np.testing.assert_array_equal(tf.signal.fftshift(x, axes=axes).numpy(), _X)
    np.testing.assert_array_equal(tf.signal.ifftshift(x, axes=axes).numpy(), _X)


def test_fftshift_takes_array_and_tensor_axes():
    # TF: fftshift(x, axes=np.array([1])) and axes=tf.constant(-1) ->
    # [[2, 3, 0, 1], [6, 7, 4, 5], [10, 11, 8, 9]]
    x = tf.constant(_X)
    expected = [[2, 3, 0, 1], [6, 7, 4, 5], [10, 11, 8, 9]]
    np.testing.assert_array_equal(tf.signal.fftshift(x, axes=np.array([1])).numpy(), expected)
    np.testing.assert_array_equal(tf.signal.fftshift(x, axes=tf.constant(-1)).numpy(), expected)
    # TF: ifftshift(x, axes=0) -> [[4, 5, 6, 7], [8, 9, 10, 11], [0, 1, 2, 3]]
    np.testing.assert_array_equal(
        tf.signal.ifftshift(x, axes=0).numpy(), [[4, 5, 6, 7], [8, 9, 10, 11], [0, 1, 2, 3]]
    )


def test_fftshift_of_a_scalar():
    # TF: fftshift(tf.constant(5)) -> 5
    assert int(tf.signal.fftshift(tf.constant(5))) == 5
