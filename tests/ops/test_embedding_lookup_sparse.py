"""`tf.nn.embedding_lookup_sparse` / `safe_embedding_lookup_sparse` against TF 2.21 values
and NumPy formulas."""

import numpy as np
import pytest

import tork as tf

TABLE = np.arange(12, dtype=np.float32).reshape(4, 3) / 4
INDICES = [[0, 0], [0, 1], [2, 0], [2, 1], [2, 2]]


def _ids():
    return tf.sparse.SparseTensor(INDICES, tf.constant([1, 3, 0, 2, 2], tf.int64), [4, 3])


def _weights():
    return tf.sparse.SparseTensor(INDICES, [1.0, 2.0, 0.5, 1.0, 3.0], [4, 3])


@pytest.mark.parametrize(
    "combiner, weighted, expected",
    [
        ("sum", False, [[3.0, 3.5, 4.0], [0.0, 0.0, 0.0], [3.0, 3.75, 4.5]]),
        ("sum", True, [[5.25, 6.0, 6.75], [0.0, 0.0, 0.0], [6.0, 7.125, 8.25]]),
        ("mean", False, [[1.5, 1.75, 2.0], [0.0, 0.0, 0.0], [1.0, 1.25, 1.5]]),
        ("mean", True, [[1.75, 2.0, 2.25], [0.0, 0.0, 0.0], [1.33333, 1.58333, 1.83333]]),
        (
            "sqrtn",
            False,
            [[2.12132, 2.47487, 2.82843], [0.0, 0.0, 0.0], [1.73205, 2.16506, 2.59808]],
        ),
        (
            "sqrtn",
            True,
            [[2.34787, 2.68328, 3.01869], [0.0, 0.0, 0.0], [1.87408, 2.22548, 2.57687]],
        ),
    ],
)
def test_combiners_match_tf(combiner, weighted, expected):
    weights = _weights() if weighted else None
    out = tf.nn.embedding_lookup_sparse(tf.constant(TABLE), _ids(), weights, combiner=combiner)
    # TF: one row per row id up to the last one holding ids (row 3 is empty: left out).
    np.testing.assert_allclose(np.asarray(out), expected, atol=1e-5)


def test_weighted_mean_matches_numpy():
    out = tf.nn.embedding_lookup_sparse(tf.constant(TABLE), _ids(), _weights(), combiner="mean")
    w = np.array([0.5, 1.0, 3.0], np.float32)
    row2 = (TABLE[[0, 2, 2]] * w[:, None]).sum(0) / w.sum()
    np.testing.assert_allclose(np.asarray(out)[2], row2, rtol=1e-6)


def test_ragged_ids_shards_and_max_norm():
    table = tf.constant(TABLE)
    ids = tf.ragged.constant([[1, 3], [], [0, 2, 2]], dtype=tf.int64)
    weights = tf.ragged.constant([[1.0, 2.0], [], [0.5, 1.0, 3.0]])
    mean = tf.nn.embedding_lookup_sparse(table, ids, None)
    np.testing.assert_allclose(np.asarray(mean), [[1.5, 1.75, 2.0], [0, 0, 0], [1.0, 1.25, 1.5]])
    summed = tf.nn.embedding_lookup_sparse(table, ids, weights, combiner="sum")
    np.testing.assert_allclose(np.asarray(summed)[2], [6.0, 7.125, 8.25])
    shards = [table[:2], table[2:]]
    np.testing.assert_allclose(
        np.asarray(tf.nn.embedding_lookup_sparse(shards, _ids(), None, combiner="sum")),
        [[3.0, 3.5, 4.0], [0.0, 0.0, 0.0], [3.0, 3.75, 4.5]],
    )
    clipped = tf.nn.embedding_lookup_sparse(table, _ids(), None, combiner="sum", max_norm=1.0)
    np.testing.assert_allclose(
        np.asarray(clipped),
        [[0.94216, 1.14112, 1.34009], [0.0, 0.0, 0.0], [0.98308, 1.39692, 1.81077]],
        atol=1e-5,
    )


def test_gradient_reaches_the_table():
    table = tf.Variable(TABLE)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.nn.embedding_lookup_sparse(table, _ids(), None, combiner="sum"))
    grad = np.asarray(tape.gradient(loss, table))
    np.testing.assert_allclose(grad[:, 0], [1.0, 1.0, 2.0, 1.0])


def test_bad_combiner_message():
    with pytest.raises(
        ValueError, match="combiner must be one of 'mean', 'sqrtn' or 'sum', got max"
    ):
        tf.nn.embedding_lookup_sparse(tf.constant(TABLE), _ids(), None, combiner="max")


def test_safe_lookup_prunes_and_fills_rows_as_tf():
    table = tf.constant(TABLE)
    out = tf.nn.safe_embedding_lookup_sparse(table, _ids(), None, combiner="mean")
    np.testing.assert_allclose(
        np.asarray(out), [[1.5, 1.75, 2.0], [0, 0, 0], [1.0, 1.25, 1.5], [0, 0, 0]]
    )
    filled = tf.nn.safe_embedding_lookup_sparse(table, _ids(), None, default_id=1)
    np.testing.assert_allclose(np.asarray(filled)[[1, 3]], [[0.75, 1.0, 1.25]] * 2)
    ids = tf.sparse.SparseTensor(
        [[0, 0], [0, 1], [1, 0]], tf.constant([1, -1, 2], tf.int64), [2, 2]
    )
    out = tf.nn.safe_embedding_lookup_sparse(table, ids, None, combiner="sum")
    np.testing.assert_allclose(np.asarray(out), [[0.75, 1.0, 1.25], [1.5, 1.75, 2.0]])
    zero_weight = tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 0]], [1.0, 2.0, 0.0], [2, 2])
    out = tf.nn.safe_embedding_lookup_sparse(table, ids, zero_weight, combiner="sum")
    np.testing.assert_allclose(np.asarray(out), [[0.75, 1.0, 1.25], [0.0, 0.0, 0.0]])


def test_safe_lookup_of_rank_three_ids():
    ids = tf.sparse.SparseTensor(
        [[0, 0, 0], [0, 1, 0], [0, 1, 1], [1, 0, 0]], tf.constant([1, 2, 3, 0], tf.int64), [2, 2, 2]
    )
    out = tf.nn.safe_embedding_lookup_sparse(tf.constant(TABLE), ids, None, combiner="sum")
    np.testing.assert_allclose(
        np.asarray(out),
        [[[0.75, 1.0, 1.25], [3.75, 4.25, 4.75]], [[0.0, 0.25, 0.5], [0.0, 0.0, 0.0]]],
    )
    shards = [tf.constant(TABLE[:2]), tf.constant(TABLE[2:])]
    out = tf.nn.safe_embedding_lookup_sparse(shards, ids, None, default_id=3)
    np.testing.assert_allclose(
        np.asarray(out),
        [[[0.75, 1.0, 1.25], [1.875, 2.125, 2.375]], [[0.0, 0.25, 0.5], [2.25, 2.5, 2.75]]],
    )
