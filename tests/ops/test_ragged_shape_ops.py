"""RaggedTensor ops added for TF parity: reductions over an outer ragged axis, `tf.squeeze`,
`tf.math.bincount`, `tf.ragged.cross` / `cross_hashed`. Expected values from TF 2.21."""

import numpy as np
import pytest

import tork as tf
from tork._backend.errors import InvalidArgumentError


def _r4():
    return tf.ragged.constant([[[1, 2], [3]], [[4]], [[5, 6], [7, 8, 9]]])


def test_reduce_over_outer_ragged_axes_as_tf():
    assert tf.reduce_sum(_r4(), axis=1).to_list() == [[4, 2], [4], [12, 14, 9]]
    assert tf.reduce_sum(_r4(), axis=0).to_list() == [[10, 8], [10, 8, 9]]
    assert tf.reduce_max(_r4(), axis=1).to_list() == [[3, 2], [4], [7, 8, 9]]
    assert tf.reduce_min(_r4(), axis=0).to_list() == [[1, 2], [3, 8, 9]]
    assert tf.reduce_prod(_r4(), axis=1).to_list() == [[3, 2], [4], [35, 48, 9]]
    assert tf.reduce_any(_r4() > 4, axis=1).to_list() == [[False, False], [False], [True] * 3]
    mean = tf.reduce_mean(tf.cast(_r4(), tf.float32), axis=1)
    assert mean.to_list() == [[2.0, 2.0], [4.0], [6.0, 7.0, 9.0]]
    assert tf.reduce_sum(_r4(), axis=[0, 1]).tolist() == [20, 16, 9]


def test_reduce_outer_axes_of_ragged_rank_three_and_inner_dims():
    r5 = tf.ragged.constant([[[[1], [2, 3]], [[4]]], [[[5, 6]]], []])
    assert tf.reduce_sum(r5, axis=1).to_list() == [[[5], [2, 3]], [[5, 6]], []]
    assert tf.reduce_sum(r5, axis=2).to_list() == [[[3, 3], [4]], [[5, 6]], []]
    assert tf.reduce_sum(r5, axis=0).to_list() == [[[6, 6], [2, 3]], [[4]]]
    r6 = tf.ragged.constant(
        [[[[1.0, 2.0]], [[3.0, 4.0], [5.0, 6.0]]], [[[7.0, 8.0]]]], ragged_rank=2
    )
    assert tf.reduce_sum(r6, axis=1).to_list() == [[[4.0, 6.0], [5.0, 6.0]], [[7.0, 8.0]]]
    assert tf.reduce_max(r6, axis=0).to_list() == [[[7.0, 8.0]], [[3.0, 4.0], [5.0, 6.0]]]


def test_reduce_outer_axis_matches_numpy_on_padded_rows():
    rng = np.random.default_rng(0)
    rows = [[list(rng.integers(0, 9, size=rng.integers(1, 4))) for _ in range(rng.integers(1, 4))]]
    rows += [[list(rng.integers(0, 9, size=rng.integers(1, 4))) for _ in range(3)]]
    rt = tf.ragged.constant(rows, dtype=tf.int64)
    for i, row in enumerate(tf.reduce_sum(rt, axis=1).to_list()):
        width = max(len(r) for r in rows[i])
        padded = np.array([r + [0] * (width - len(r)) for r in rows[i]])
        assert row == padded.sum(axis=0).tolist()


def test_squeeze_ragged_as_tf():
    a = tf.ragged.constant([[[1], [2]], [[3]]])
    assert tf.squeeze(a, axis=2).to_list() == [[1, 2], [3]]
    assert tf.squeeze(a, axis=-1).to_list() == [[1, 2], [3]]
    b = tf.ragged.constant([[[1], [2]], [[3]]], ragged_rank=1)
    assert tf.squeeze(b, axis=[2]).to_list() == [[1, 2], [3]]
    c = tf.ragged.constant([[[1, 2]], [[3]]])
    assert tf.squeeze(c, axis=1).to_list() == [[1, 2], [3]]
    assert tf.squeeze(tf.ragged.constant([[1, 2]]), axis=0).tolist() == [1, 2]
    with pytest.raises(ValueError, match="Ragged.squeeze must have an axis argument"):
        tf.squeeze(a)
    with pytest.raises(InvalidArgumentError, match=r"the given axis \(axis = 1\) is not squeez"):
        tf.squeeze(a, axis=1)


def test_bincount_ragged_as_tf():
    rt = tf.ragged.constant([[1, 2, 3], [], [4, 5]])
    weights = tf.ragged.constant([[1.0, 2, 3], [], [4, 5]])
    assert tf.math.bincount(rt).tolist() == [0, 1, 1, 1, 1, 1]
    assert tf.math.bincount(rt, axis=0).tolist() == [0, 1, 1, 1, 1, 1]
    assert tf.math.bincount(rt, axis=-1).tolist() == [
        [0, 1, 1, 1, 0, 0],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 1, 1],
    ]
    assert tf.math.bincount(rt, weights=weights).tolist() == [0, 1, 2, 3, 4, 5]
    assert tf.math.bincount(rt, weights=weights, axis=-1).tolist() == [
        [0, 1, 2, 3, 0, 0],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 4, 5],
    ]
    assert tf.math.bincount(rt, minlength=8, axis=-1).shape == (3, 8)
    assert tf.math.bincount(rt, maxlength=3, axis=-1).tolist() == [[0, 1, 1], [0, 0, 0], [0, 0, 0]]
    binary = tf.math.bincount(tf.ragged.constant([[1, 1, 3], [2]]), binary_output=True, axis=-1)
    assert binary.tolist() == [[0, 1, 0, 1], [0, 0, 1, 0]] and binary.dtype == tf.int32
    assert tf.math.bincount(rt, dtype=tf.int64).dtype == tf.int64
    with pytest.raises(ValueError, match="weights of a RaggedTensor must be a RaggedTensor"):
        tf.math.bincount(rt, weights=tf.constant([1.0, 2.0]))


def test_ragged_cross_as_tf():
    a = tf.ragged.constant([["a", "b"], ["c"]])
    b = tf.ragged.constant([["d"], ["e", "f"]])
    assert tf.ragged.cross([a, b]).to_list() == [[b"a_X_d", b"b_X_d"], [b"c_X_e", b"c_X_f"]]
    assert tf.ragged.cross_hashed([a, b], num_buckets=100).to_list() == [[82, 54], [41, 68]]
    assert tf.ragged.cross_hashed([a, b]).to_list() == [
        [1584069791037555375, 2292520902626215647],
        [1746051686049959641, 4546572711251652368],
    ]
    assert tf.ragged.cross_hashed([a, b], num_buckets=1000, hash_key=7).to_list() == [
        [410, 597],
        [188, 804],
    ]
    ints = tf.ragged.constant([[1, 2], []], dtype=tf.int64)
    mixed = tf.ragged.cross([a, tf.constant([["x"], ["y"]]), ints])
    assert mixed.to_list() == [[b"a_X_x_X_1", b"a_X_x_X_2", b"b_X_x_X_1", b"b_X_x_X_2"], []]
    empty = tf.ragged.cross(
        [tf.ragged.constant([["a"], [], ["b", "c"]]), tf.constant([["x"], ["y"], ["z"]])]
    )
    assert empty.to_list() == [[b"a_X_x"], [], [b"b_X_z", b"c_X_z"]]
    with pytest.raises(ValueError, match=r"RaggedTensor inputs must have shape \(batch, None\)"):
        tf.ragged.cross([tf.ragged.constant([[[1]]]), a])
