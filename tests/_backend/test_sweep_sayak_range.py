"""Python `range` objects convert as sequences of Python ints (sayakpaul/swin-transformers-tf).

Swin's relative position index does `tf.meshgrid(range(h), range(w))` and feeds the result
to `tf.gather`; TensorFlow makes those int32. tork made them float32, so the gather raised.
Reference dtypes: TensorFlow 2.21.
"""

import numpy as np

import tork as tf


def test_range_converts_to_int32():
    t = tf.constant(range(3))
    assert t.dtype == tf.int32
    assert t.numpy().tolist() == [0, 1, 2]
    assert tf.convert_to_tensor(range(1, 7, 2)).numpy().tolist() == [1, 3, 5]


def test_nested_and_large_and_empty_ranges_follow_tf():
    assert tf.convert_to_tensor([range(2), range(2)]).dtype == tf.int32
    # Beyond int32: int64, as TF; an empty range is float32 like an empty list.
    assert tf.convert_to_tensor(range(2**31, 2**31 + 2)).dtype == tf.int64
    assert tf.constant(range(0)).dtype == tf.float32
    assert tf.constant(range(3), dtype=tf.float32).numpy().tolist() == [0.0, 1.0, 2.0]


def test_swin_relative_position_index():
    # Swin's index for a 2x3 window (TF 2.21 gives this int32 matrix).
    xx, yy = tf.meshgrid(range(2), range(3))
    assert xx.dtype == tf.int32
    coords = tf.reshape(tf.stack([yy, xx], axis=0), [2, -1])
    rel = tf.transpose(coords[:, :, None] - coords[:, None, :], perm=[1, 2, 0])
    index = tf.reduce_sum(tf.stack([(rel[:, :, 0] + 1) * 5, rel[:, :, 1] + 2], axis=-1), axis=-1)
    want = [
        [7, 6, 2, 1, -3, -4],
        [8, 7, 3, 2, -2, -3],
        [12, 11, 7, 6, 2, 1],
        [13, 12, 8, 7, 3, 2],
        [17, 16, 12, 11, 7, 6],
        [18, 17, 13, 12, 8, 7],
    ]
    assert index.dtype == tf.int32
    assert index.numpy().tolist() == want
    table = np.arange(30, dtype="float32").reshape(30, 1)
    # Negative entries are out of range for gather in TF too; use the valid ones.
    gathered = tf.gather(table, tf.maximum(index, 0), axis=0)
    assert gathered.shape == (6, 6, 1)
    assert tf.reduce_sum(range(4)).dtype == tf.int32
