"""tf.map_fn over RaggedTensors with several outputs (TF 2.21 results)."""

import numpy as np

import tork as tf


def test_map_fn_over_ragged_elems_returns_every_output():
    rt = tf.ragged.constant([[1.0, 2.0], [3.0], [4.0, 5.0, 6.0]])
    out = tf.map_fn(
        lambda a: (tf.reduce_max(a[0]), a[1]),
        (rt, tf.constant([1, 2, 3])),
        fn_output_signature=(tf.float32, tf.int32),
    )
    assert isinstance(out, tuple) and len(out) == 2
    assert np.asarray(out[0]).tolist() == [2.0, 3.0, 6.0]
    assert np.asarray(out[1]).tolist() == [1, 2, 3]
    assert out[1].dtype == tf.int32


def test_map_fn_over_ragged_elems_single_output_is_a_tensor():
    rt = tf.ragged.constant([[1.0, 2.0], [3.0], [4.0, 5.0, 6.0]])
    out = tf.map_fn(tf.reduce_sum, rt, fn_output_signature=tf.float32)
    assert np.asarray(out).tolist() == [3.0, 3.0, 15.0]
