"""fuzzops2 sweep: tf.sparse.add thresholds and tf.sparse.bincount corners.

Expected values come from TensorFlow 2.21 (CPU) (/tmp/fuzzops2/probe_sp.py, probe_bc2.py).
"""

import numpy as np
import pytest

import tork as tf


def _parts(sp):
    return sp.indices.tolist(), sp.values.tolist(), sp.dense_shape.tolist()


A = np.array([[1.0, 0, -2], [0, 3, 0]], "float32")
B = np.array([[-0.5, 2, 0], [0, -2, 1]], "float32")


@pytest.mark.parametrize(
    "threshold, expected",
    [
        # Silent wrong result before: tork also dropped values present in one operand only.
        (1.5, ([[0, 1], [0, 2], [1, 2]], [2.0, -2.0, 1.0], [2, 3])),
        (0.6, ([[0, 1], [0, 2], [1, 1], [1, 2]], [2.0, -2.0, 1.0, 1.0], [2, 3])),
        (0, ([[0, 0], [0, 1], [0, 2], [1, 1], [1, 2]], [0.5, 2.0, -2.0, 1.0, 1.0], [2, 3])),
    ],
)
def test_sparse_add_threshold_only_on_sums(threshold, expected):
    a, b = tf.sparse.from_dense(A), tf.sparse.from_dense(B)
    assert _parts(tf.sparse.add(a, b, threshold=threshold)) == expected


def test_sparse_bincount_no_values_has_one_bin():
    sp0 = tf.sparse.from_dense(np.array([0], "int64"))
    assert _parts(tf.sparse.bincount(sp0)) == ([], [], [1])
    assert _parts(tf.sparse.bincount(sp0, binary_output=True)) == ([], [], [1])
    assert _parts(tf.sparse.bincount(sp0, minlength=3)) == ([], [], [3])
    assert _parts(tf.sparse.bincount(tf.constant([], tf.int32))) == ([], [], [1])
    assert _parts(tf.sparse.bincount(tf.constant([], tf.int32), maxlength=0)) == ([], [], [0])
    assert _parts(tf.sparse.bincount(tf.zeros([2, 0], tf.int32), axis=-1)) == ([], [], [2, 1])


def test_sparse_bincount_maxlength_sets_the_size():
    # tork gave min(max + 1, maxlength) bins; TF gives maxlength bins.
    assert _parts(tf.sparse.bincount(tf.constant([0]), maxlength=2)) == ([[0]], [1], [2])
    assert _parts(tf.sparse.bincount(tf.constant([2]), maxlength=5)) == ([[2]], [1], [5])
    assert _parts(tf.sparse.bincount(tf.constant([1, 5]), maxlength=2, minlength=4)) == (
        [[1]],
        [1],
        [2],
    )
    assert _parts(tf.sparse.bincount(tf.constant([[1, 5]]), maxlength=3, axis=-1)) == (
        [[0, 1]],
        [1],
        [1, 3],
    )
    assert _parts(tf.sparse.bincount(tf.constant([], tf.int32), maxlength=3)) == ([], [], [3])


def test_sparse_bincount_sparse_weights():
    # tork raised SparseConversionError for SparseTensor weights.
    sp = tf.sparse.from_dense(np.array([[0, 3, 1], [2, 2, 0]], "int64"))
    w = tf.SparseTensor(sp.indices, [1.0, 2.0, 3.0, 4.0], sp.dense_shape)
    assert _parts(tf.sparse.bincount(sp, weights=w)) == ([[1], [2], [3]], [2.0, 7.0, 1.0], [4])
    assert _parts(tf.sparse.bincount(sp, weights=w, axis=-1)) == (
        [[0, 1], [0, 3], [1, 2]],
        [2.0, 1.0, 7.0],
        [2, 4],
    )


def test_sparse_bincount_weights_errors():
    sp = tf.sparse.from_dense(np.array([[0, 3, 1], [2, 2, 0]], "int64"))
    with pytest.raises(ValueError, match="must be a SparseTensor when `values` is"):
        tf.sparse.bincount(sp, weights=tf.constant([1.0, 2.0, 3.0, 4.0]))
    other = tf.SparseTensor(sp.indices, [1.0, 2.0, 3.0, 4.0], [3, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="same dense shape and indices"):
        tf.sparse.bincount(sp, weights=other)
