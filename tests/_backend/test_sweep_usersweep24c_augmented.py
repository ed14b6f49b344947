"""Augmented assignments on broadcast views, outside any layer (OpenNMT-tf's reducer
`roll_sequence`: `cols, rows = tf.meshgrid(tf.range(time), tf.range(batch)); cols -=
tf.expand_dims(offsets, 1)`). torch refuses to write into a tensor whose elements share
memory; TF's `a -= b` is the new tensor `a - b`. Expected values from TF 2.21."""

import numpy as np

import tork as tf


def test_meshgrid_grid_minus_offsets():
    cols, rows = tf.meshgrid(tf.range(3), tf.range(2))
    cols -= tf.expand_dims(tf.constant([1, 2]), 1)
    np.testing.assert_array_equal(cols.numpy(), [[-1, 0, 1], [-2, -1, 0]])
    np.testing.assert_array_equal(rows.numpy(), [[0, 0, 0], [1, 1, 1]])
    assert cols.dtype == tf.int32


def test_roll_sequence_as_opennmt_writes_it():
    tensor = tf.reshape(tf.range(12, dtype=tf.float32), [2, 3, 2])
    offsets = tf.constant([1, 2])
    batch_size = tf.shape(tensor)[0]
    time = tf.shape(tensor)[1]
    cols, rows = tf.meshgrid(tf.range(time), tf.range(batch_size))
    cols -= tf.expand_dims(offsets, 1)
    cols = tf.math.floormod(cols, time)
    rolled = tf.gather_nd(tensor, tf.stack([rows, cols], axis=-1))
    np.testing.assert_array_equal(
        rolled.numpy(),
        [[[4.0, 5.0], [0.0, 1.0], [2.0, 3.0]], [[8.0, 9.0], [10.0, 11.0], [6.0, 7.0]]],
    )


def test_broadcast_to_result_times_two_leaves_source():
    source = tf.constant([1.0, 2.0])
    b = tf.broadcast_to(source, [3, 2])
    b *= 2.0
    np.testing.assert_array_equal(b.numpy(), [[2.0, 4.0]] * 3)
    np.testing.assert_array_equal(source.numpy(), [1.0, 2.0])
