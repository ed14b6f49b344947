"""tf.gather of string tensors with batch_dims (TF Recommenders' streaming top-k merges
candidate ids with `tf.gather(joined_ids, top_k_indices, batch_dims=1)`).

Expected values from TF 2.21 (same calls).
"""

import numpy as np
import pytest

import tork as tf


def _s(t):
    return np.asarray(t).tolist()


P = [["a", "b", "c"], ["d", "e", "f"]]
P3 = [[["a", "b"], ["c", "d"], ["e", "f"]], [["g", "h"], ["i", "j"], ["k", "l"]]]


def test_gather_strings_batch_dims_matches_tf():
    assert _s(tf.gather(tf.constant(P), tf.constant([[2, 0], [1, 1]]), batch_dims=1)) == [
        [b"c", b"a"],
        [b"e", b"e"],
    ]
    got = tf.gather(tf.constant(P3), tf.constant([[1], [0]]), axis=2, batch_dims=1)
    assert _s(got) == [[[b"b"], [b"d"], [b"f"]], [[b"g"], [b"i"], [b"k"]]]
    got = tf.gather(tf.constant(P3), tf.constant([[2, 0, 1], [0, 0, 2]]), batch_dims=1)
    assert _s(got) == [
        [[b"e", b"f"], [b"a", b"b"], [b"c", b"d"]],
        [[b"g", b"h"], [b"g", b"h"], [b"k", b"l"]],
    ]
    got = tf.gather(tf.constant(P3), tf.constant([[1, 0], [0, 1]]), axis=2, batch_dims=-1)
    assert _s(got) == [
        [[b"b", b"a"], [b"d", b"c"], [b"f", b"e"]],
        [[b"g", b"h"], [b"i", b"j"], [b"k", b"l"]],
    ]
    empty = tf.gather(tf.constant(P), tf.zeros((2, 0), dtype=tf.int32), batch_dims=1)
    assert np.asarray(empty).shape == (2, 0)


def test_streaming_top_k_merge_of_string_ids():
    # Two candidate batches' top-2, merged: the ids follow the scores per query row.
    state_scores = tf.constant([[0.9, 0.1], [0.5, 0.4]])
    state_ids = tf.constant([["m1", "m0"], ["m0", "m1"]])
    x_scores = tf.constant([[0.3, 0.2], [0.8, 0.45]])
    x_ids = tf.constant([["m3", "m2"], ["m2", "m3"]])
    scores, idx = tf.math.top_k(tf.concat([state_scores, x_scores], axis=1), k=2)
    ids = tf.gather(tf.concat([state_ids, x_ids], axis=1), idx, batch_dims=1)
    np.testing.assert_allclose(scores, [[0.9, 0.3], [0.8, 0.5]])
    assert _s(ids) == [[b"m1", b"m3"], [b"m2", b"m0"]]


def test_gather_strings_batch_dims_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[0, 0\] = 3 is not in"):
        tf.gather(tf.constant(P), tf.constant([[3], [0]]), batch_dims=1)
    with pytest.raises(ValueError, match=r"batch\) dimensions of params \(2, 3\) and indices"):
        tf.gather(tf.constant(P), tf.constant([[1], [0], [0]]), batch_dims=1)
