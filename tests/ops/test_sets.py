"""tf.sets: expected values are TF 2.21 outputs (written in as constants)."""

import numpy as np
import pytest

import tork as tf


def parts(sp):
    values = sp.values.numpy().tolist()
    return sp.indices.tolist(), values, sp.dense_shape.tolist()


A = [[1, 2, 3], [4, 5, 6], [3, 3, 1]]
B = [[3, 1, 9], [4, 4, 4], [7, 8, 9]]


def test_dense_dense():
    a, b = tf.constant(A), tf.constant(B)
    out = tf.sets.intersection(a, b)
    assert isinstance(out, tf.SparseTensor) and out.dtype == tf.int32
    assert parts(out) == ([[0, 0], [0, 1], [1, 0]], [1, 3, 4], [3, 2])
    assert parts(tf.sets.union(a, b)) == (
        [[0, 0], [0, 1], [0, 2], [0, 3], [1, 0], [1, 1], [1, 2], [2, 0], [2, 1], [2, 2], [2, 3],
         [2, 4]],
        [1, 2, 3, 9, 4, 5, 6, 1, 3, 7, 8, 9],
        [3, 5],
    )  # fmt: skip
    assert parts(tf.sets.difference(a, b)) == (
        [[0, 0], [1, 0], [1, 1], [2, 0], [2, 1]],
        [2, 5, 6, 1, 3],
        [3, 2],
    )
    assert parts(tf.sets.difference(a, b, aminusb=False)) == (
        [[0, 0], [2, 0], [2, 1], [2, 2]],
        [9, 7, 8, 9],
        [3, 3],
    )


def test_matches_python_sets_on_random_data():
    rng = np.random.default_rng(1)
    a = rng.integers(0, 6, size=(4, 3, 5))
    b = rng.integers(0, 6, size=(4, 3, 2))
    ops = {
        "intersection": (lambda x, y: tf.sets.intersection(x, y), lambda x, y: x & y),
        "union": (lambda x, y: tf.sets.union(x, y), lambda x, y: x | y),
        "difference": (lambda x, y: tf.sets.difference(x, y), lambda x, y: x - y),
    }
    for tork_op, py_op in ops.values():
        out = tork_op(tf.constant(a, tf.int64), tf.constant(b, tf.int64))
        expected = [[sorted(py_op(set(a[i, j]), set(b[i, j]))) for j in range(3)] for i in range(4)]
        width = max(len(s) for row in expected for s in row)
        assert out.dense_shape.tolist() == [4, 3, width]
        got = [[[] for _ in range(3)] for _ in range(4)]
        for (i, j, k), v in zip(out.indices.tolist(), out.values.tolist()):
            assert k == len(got[i][j])  # positions are consecutive from 0
            got[i][j].append(v)
        assert got == expected


def test_rank3_zeros_and_empty():
    a3 = tf.constant([[[1, 2], [3, 4]], [[2, 2], [5, 1]]])
    b3 = tf.constant([[[2, 7], [3, 3]], [[1, 2], [9, 9]]])
    assert parts(tf.sets.intersection(a3, b3)) == (
        [[0, 0, 0], [0, 1, 0], [1, 0, 0]],
        [2, 3, 2],
        [2, 2, 1],
    )
    # dense sets include zeros
    assert parts(tf.sets.union(tf.constant([[0, 2]]), tf.constant([[0, 0]])))[1] == [0, 2]
    empty = tf.sets.intersection(tf.constant([[1, 2], [3, 4]]), tf.constant([[5, 6], [7, 8]]))
    assert parts(empty) == ([], [], [2, 0])
    assert parts(
        tf.sets.difference(tf.constant([[1, 2], [3, 4]]), tf.constant([[1, 2], [3, 8]]))
    ) == (
        [[1, 0]],
        [4],
        [2, 1],
    )
    assert parts(tf.sets.union(tf.constant([[1, 2], [1, 1]]), tf.constant([[5], [1]]))) == (
        [[0, 0], [0, 1], [0, 2], [1, 0]],
        [1, 2, 5, 1],
        [2, 3],
    )
    for dtype in (tf.int64, tf.uint8):
        out = tf.sets.intersection(
            tf.constant([[1, 2], [1, 1]], dtype), tf.constant([[5], [1]], dtype)
        )
        assert parts(out) == ([[1, 0]], [1], [2, 1]) and out.dtype == dtype


def test_sparse_operands_and_size():
    sa = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [3, 1, 2], [2, 3])
    assert parts(tf.sets.intersection(sa, tf.constant([[1, 9], [2, 2]]))) == (
        [[0, 0], [1, 0]],
        [1, 2],
        [2, 1],
    )
    assert parts(tf.sets.union(sa, tf.SparseTensor([[0, 0], [1, 2]], [7, 2], [2, 3]))) == (
        [[0, 0], [0, 1], [0, 2], [1, 0]],
        [1, 3, 7, 2],
        [2, 3],
    )
    assert tf.sets.size(tf.SparseTensor([[0, 0], [0, 1], [2, 0]], [5, 5, 1], [3, 4])).tolist() == [
        1,
        0,
        1,
    ]
    assert tf.sets.size(sa).dtype == tf.int32


def test_strings():
    out = tf.sets.union(tf.constant([["b", "a"]]), tf.constant([["c", "b"]]))
    assert parts(out) == ([[0, 0], [0, 1], [0, 2]], [b"a", b"b", b"c"], [1, 3])
    assert out.dtype == tf.string
    sp = tf.SparseTensor([[0, 0], [0, 1]], ["x", "x"], [1, 2])
    assert tf.sets.size(sp).tolist() == [1]


def test_errors():
    with pytest.raises(TypeError, match="Expected `SparseTensor`, got Tensor of shape \\(3, 3\\)"):
        tf.sets.size(tf.constant(A))
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"indices\[1\] = \[0,0\] is out of order"
    ):
        tf.sets.size(tf.SparseTensor([[0, 1], [0, 0]], [5, 1], [3, 4]))
    with pytest.raises(TypeError, match="'a' has invalid dtype float32, not in the supported"):
        tf.sets.union(tf.constant([1.0, 2.0]), tf.constant([1.0, 3.0]))
    with pytest.raises(TypeError, match="Types don't match, int32 vs int64"):
        tf.sets.union(tf.constant([1, 2]), tf.constant([1, 3], tf.int64))
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"a must have rank >= 2 .* shape \[2\]"
    ):
        tf.sets.union(tf.constant([1, 2]), tf.constant([1, 3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Mismatched shapes \[1\] vs \[2\]"):
        tf.sets.union(tf.constant([[1, 2]]), tf.constant([[1, 3], [4, 5]]))
    sa = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [3, 1, 2], [2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Mismatched shapes \[1\] vs \[2\]"):
        tf.sets.intersection(tf.constant([[1, 2]]), sa)
    with pytest.raises(tf.errors.InvalidArgumentError, match="must have rank >= 2"):
        tf.sets.size(tf.SparseTensor([[0]], [1], [3]))
