"""`tf.__internal__.train.assign_moving_average`, as TF Addons' MovingAverage calls it."""

import numpy as np
import pytest

import tork as tf


def test_without_zero_debias():
    # tf 2.21: [1, 2] moved towards [3, 6] with decay 0.9 -> [1.2, 2.4].
    v = tf.Variable([1.0, 2.0])
    out = tf.__internal__.train.assign_moving_average(
        v, tf.constant([3.0, 6.0]), 0.9, zero_debias=False
    )
    np.testing.assert_allclose(v.numpy(), [1.2, 2.4], rtol=1e-6)
    assert out is v


def test_zero_debias_is_the_default():
    # tf 2.21, eagerly: each call debiases a fresh zero-started average, so the variable
    # takes the value: [3, 6], [3, 6], then [0, 0].
    v = tf.Variable([1.0, 2.0])
    for value in ([3.0, 6.0], [3.0, 6.0], [0.0, 0.0]):
        tf.__internal__.train.assign_moving_average(v, tf.constant(value), 0.9)
        np.testing.assert_allclose(v.numpy(), value, rtol=1e-5)


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="must be a float tf.Variable"):
        tf.__internal__.train.assign_moving_average(tf.constant([1.0]), [2.0], 0.9)
    with pytest.raises(
        ValueError, match=r"`value` has shape \(3,\) but the variable has shape \(2,\)"
    ):
        tf.__internal__.train.assign_moving_average(tf.Variable([1.0, 2.0]), [1.0, 2.0, 3.0], 0.9)
