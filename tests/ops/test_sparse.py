"""tf.SparseTensor and tf.sparse: expected values are TF 2.21 outputs or NumPy references."""

import numpy as np
import pytest
import torch

import tork as tf


def parts(sp):
    return sp.indices.tolist(), sp.values.tolist(), sp.dense_shape.tolist()


A = ([[0, 1], [1, 0], [1, 2]], [1.0, 2.0, 3.0], [2, 3])


def a():
    return tf.SparseTensor(*A)


def test_construct_properties_and_repr():
    sp = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1.0, 2.0], dense_shape=[3, 4])
    assert sp.indices.dtype == torch.int64 and sp.dense_shape.dtype == torch.int64
    assert sp.dtype == tf.float32 and sp.values.dtype == tf.float32
    assert sp.shape == tf.TensorShape([3, 4]) and sp.get_shape().as_list() == [3, 4]
    # TF 2.21's repr, character for character.
    assert repr(sp) == (
        "SparseTensor(indices=tf.Tensor(\n[[0 0]\n [1 2]], shape=(2, 2), dtype=int64), "
        "values=tf.Tensor([1. 2.], shape=(2,), dtype=float32), "
        "dense_shape=tf.Tensor([3 4], shape=(2,), dtype=int64))"
    )
    assert tf.SparseTensor([[0]], [1], [3]).dtype == tf.int32
    assert tf.SparseTensor([[0]], np.array([1.0]), [3]).dtype == tf.float64
    empty = tf.SparseTensor(tf.zeros([0, 2], tf.int64), tf.zeros([0]), [3, 3])
    assert "shape=(0, 2), dtype=int64" in repr(empty)
    strings = tf.SparseTensor([[0]], ["a"], [3])
    assert strings.dtype == tf.string
    assert "values=tf.Tensor([b'a'], shape=(1,), dtype=string)" in repr(strings)
    assert tf.sparse.SparseTensor is tf.SparseTensor


def test_construct_errors():
    with pytest.raises(ValueError, match=r"indices has 1 rows but values has 2 elements"):
        tf.SparseTensor([[0, 0]], [1.0, 2.0], [2, 2])
    with pytest.raises(ValueError, match=r"Shape \(2,\) must have rank 2"):
        tf.SparseTensor([0, 0], [1.0], [2, 2])
    with pytest.raises(ValueError, match=r"Dimensions 2 and 3 are not compatible"):
        tf.SparseTensor([[0, 0]], [1.0], [2, 2, 3])
    with pytest.raises(ValueError, match="values must be a vector"):
        tf.SparseTensor([[0, 0]], [[1.0]], [2, 2])
    with pytest.raises(ValueError, match="dense_shape must be a vector"):
        tf.SparseTensor([[0, 0]], [1.0], [[2, 2]])
    with pytest.raises(TypeError, match="indices must hold integers, got dtype float32"):
        tf.SparseTensor([[0.5, 0.0]], [1.0], [2, 2])
    with pytest.raises(TypeError, match="indices must hold integers, got a string tensor"):
        tf.SparseTensor(tf.constant([["a"]]), [1.0], [2])


def test_from_value_with_values_spec():
    sp = a()
    copy = tf.SparseTensor.from_value(sp)
    assert copy is not sp and parts(copy) == parts(sp)
    doubled = sp.with_values(sp.values * 2)
    assert parts(doubled)[1] == [2.0, 4.0, 6.0]
    with pytest.raises(TypeError, match="expected a SparseTensor or SparseTensorValue"):
        tf.SparseTensor.from_value(tf.ones([2]))
    spec = tf.SparseTensorSpec([None, 3], tf.float32)
    assert repr(spec) == "SparseTensorSpec(TensorShape([None, 3]), tf.float32)"
    assert spec.is_compatible_with(sp)
    assert not tf.SparseTensorSpec([None, 4]).is_compatible_with(sp)


def test_cwise_with_dense_broadcasts_dense_side():
    sp = tf.SparseTensor([[0, 0], [1, 2]], [1.0, 2.0], [3, 4])
    assert parts(sp * tf.constant([1.0, 2.0, 3.0, 4.0]))[1] == [1.0, 6.0]  # TF 2.21
    assert parts(sp / tf.constant([[1.0], [2.0], [3.0]]))[1] == [1.0, 1.0]  # TF 2.21
    assert parts(sp * 2.0)[1] == [2.0, 4.0]
    assert parts(2.0 * sp)[1] == [2.0, 4.0]
    with pytest.raises(TypeError, match=r"Use tf.sparse.add\(sp, other\)"):
        sp + tf.ones([3, 4])
    with pytest.raises(TypeError, match="SparseTensor \\* SparseTensor is not supported"):
        sp * sp
    with pytest.raises(ValueError, match=r"shape \(2,\) does not broadcast to .* \(3, 4\)"):
        sp * tf.ones([2])


def test_convert_to_tensor_and_matmul_name_to_dense():
    sp = a()
    for fn in (tf.convert_to_tensor, lambda s: tf.matmul(s, tf.ones([3, 2]))):
        with pytest.raises(TypeError, match=r"Convert it with tf.sparse.to_dense\(sp\)"):
            fn(sp)
    # TensorFlow raises ValueError there: both except clauses work.
    with pytest.raises(ValueError, match="a dense tensor is needed"):
        tf.convert_to_tensor(sp)
    with pytest.raises(TypeError, match="indexing a SparseTensor"):
        sp[0]


def test_text_generation_tutorial_mask():
    skip_ids = tf.constant([[1], [3]], tf.int64)
    sparse_mask = tf.SparseTensor(
        values=[-float("inf")] * len(skip_ids), indices=skip_ids, dense_shape=[5]
    )
    mask = tf.sparse.to_dense(sparse_mask)
    assert mask.tolist() == [0.0, -np.inf, 0.0, -np.inf, 0.0]


def test_to_dense_default_and_validation():
    sp = tf.SparseTensor([[0, 0], [1, 2]], [1.0, 2.0], [3, 4])
    expected = np.full((3, 4), -1.0)
    expected[0, 0], expected[1, 2] = 1.0, 2.0
    np.testing.assert_array_equal(tf.sparse.to_dense(sp, default_value=-1.0).numpy(), expected)
    unordered = tf.SparseTensor([[1, 0], [0, 0]], [1, 2], [2, 2])
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"indices\[1\] = \[0,0\] is out of order"
    ):
        tf.sparse.to_dense(unordered)
    assert tf.sparse.to_dense(unordered, validate_indices=False).tolist() == [[2, 0], [1, 0]]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = \[0,0\] is repeated"):
        tf.sparse.to_dense(tf.SparseTensor([[0, 0], [0, 0]], [1, 2], [2, 2]))
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"indices\[1\] = \[5,0\] is out of bounds: need 0 <= index < \[2,2\]",
    ):
        tf.sparse.to_dense(tf.SparseTensor([[0, 0], [5, 0]], [1, 2], [2, 2]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="default_value should be a scalar"):
        tf.sparse.to_dense(sp, default_value=tf.constant([1.0, 2.0]))
    with pytest.raises(TypeError, match="Input must be a SparseTensor"):
        tf.sparse.to_dense(tf.ones([2]))
    strings = tf.sparse.to_dense(tf.SparseTensor([[0]], ["a"], [3]))
    assert strings.numpy().tolist() == [b"a", b"", b""]


def test_to_dense_gradient_reaches_values():
    values = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        dense = tf.sparse.to_dense(tf.SparseTensor([[0, 1], [1, 0]], values, [2, 2]))
        loss = tf.reduce_sum(dense * tf.constant([[1.0, 3.0], [5.0, 7.0]]))
    assert tape.gradient(loss, values).tolist() == [3.0, 5.0]


def test_from_dense_reorder_reshape():
    assert parts(tf.sparse.from_dense(tf.constant([[0, 1], [2, 0]]))) == (
        [[0, 1], [1, 0]],
        [1, 2],
        [2, 2],
    )
    strings = tf.sparse.from_dense(tf.constant(["a", "", "b"]))
    assert strings.indices.tolist() == [[0], [2]]
    assert strings.values.numpy().tolist() == [b"a", b"b"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="must have rank >= 1, got a scalar"):
        tf.sparse.from_dense(tf.constant(3.0))
    unordered = tf.SparseTensor([[1, 0], [0, 0]], [1, 2], [2, 2])
    assert parts(tf.sparse.reorder(unordered)) == ([[0, 0], [1, 0]], [2, 1], [2, 2])
    sp = tf.SparseTensor([[0, 1], [1, 0]], [1, 2], [2, 3])
    assert parts(tf.sparse.reshape(sp, [3, -1])) == ([[0, 1], [1, 1]], [1, 2], [3, 2])
    assert parts(tf.sparse.reshape(a(), [-1])) == ([[1], [3], [5]], [1.0, 2.0, 3.0], [6])
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="tensor with 6 dense values, but the requested shape has 16",
    ):
        tf.sparse.reshape(a(), [4, 4])
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="only one output dimension may be -1, not both 0 and 1",
    ):
        tf.sparse.reshape(a(), [-1, -1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot reshape a tensor with 6"):
        tf.sparse.reshape(a(), [4, -1])


def test_add():
    b = tf.SparseTensor([[0, 1], [1, 2]], [3.0, -2.5], [2, 3])
    sp = tf.SparseTensor([[0, 1], [1, 0]], [1.0, 2.0], [2, 3])
    # TF 2.21
    assert parts(tf.sparse.add(sp, b)) == ([[0, 1], [1, 0], [1, 2]], [4.0, 2.0, -2.5], [2, 3])
    assert parts(tf.sparse.add(a(), tf.SparseTensor([[0, 1]], [-1.0], [2, 3]))) == (
        [[0, 1], [1, 0], [1, 2]],
        [0.0, 2.0, 3.0],
        [2, 3],
    )
    dropped = tf.sparse.add(a(), tf.SparseTensor([[0, 1]], [-1.0], [2, 3]), threshold=0.5)
    assert parts(dropped) == ([[1, 0], [1, 2]], [2.0, 3.0], [2, 3])
    dense = [[1.0, 2.0, 1.0], [3.0, 1.0, 1.0]]
    assert tf.sparse.add(sp, tf.ones([2, 3])).tolist() == dense
    assert tf.sparse.add(tf.ones([2, 3]), sp).tolist() == dense
    with pytest.raises(TypeError, match="At least one input should be SparseTensor"):
        tf.sparse.add(tf.ones([2]), tf.ones([2]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Operands' shapes do not match"):
        tf.sparse.add(a(), tf.SparseTensor([[0, 1]], [-1.0], [3, 3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="dtypes differ: float32 and int32"):
        tf.sparse.add(a(), tf.SparseTensor([[0, 1]], [-1], [2, 3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"dense tensor has shape \[3\]"):
        tf.sparse.add(a(), tf.ones([3]))


def test_maximum_minimum_missing_is_zero():
    other = tf.SparseTensor([[0, 1], [1, 1]], [5.0, -1.0], [2, 3])
    index = [[0, 1], [1, 0], [1, 1], [1, 2]]
    assert parts(tf.sparse.maximum(a(), other)) == (index, [5.0, 2.0, 0.0, 3.0], [2, 3])
    assert parts(tf.sparse.minimum(a(), other)) == (index, [1.0, 0.0, -1.0, 0.0], [2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Operands' shapes do not match"):
        tf.sparse.maximum(a(), tf.SparseTensor([[0, 1]], [5.0], [3, 3]))


def test_sparse_dense_matmul_matches_numpy():
    rng = np.random.default_rng(0)
    dense_a = np.zeros((4, 5), np.float32)
    dense_a[[0, 1, 3, 3], [2, 0, 1, 4]] = rng.normal(size=4)
    sp = tf.sparse.from_dense(tf.constant(dense_a))
    b = rng.normal(size=(5, 3)).astype(np.float32)
    np.testing.assert_allclose(
        tf.sparse.sparse_dense_matmul(sp, tf.constant(b)).numpy(), dense_a @ b, rtol=1e-5
    )
    c = rng.normal(size=(4, 2)).astype(np.float32)
    np.testing.assert_allclose(
        tf.sparse.sparse_dense_matmul(sp, tf.constant(c), adjoint_a=True).numpy(),
        dense_a.T @ c,
        rtol=1e-5,
    )
    d = rng.normal(size=(2, 5)).astype(np.float32)
    np.testing.assert_allclose(
        tf.sparse.sparse_dense_matmul(sp, tf.constant(d), adjoint_b=True).numpy(),
        dense_a @ d.T,
        rtol=1e-5,
    )
    e = rng.normal(size=(3, 4)).astype(np.float32)
    np.testing.assert_allclose(
        tf.sparse.sparse_dense_matmul(tf.constant(e), sp).numpy(), e @ dense_a, rtol=1e-5
    )
    np.testing.assert_allclose(
        tf.sparse.sparse_dense_matmul(tf.constant(b.T), sp, adjoint_b=True).numpy(),
        b.T @ dense_a.T,
        rtol=1e-5,
    )
    # TF 2.21: tf.sparse.sparse_dense_matmul(ones([4, 3]), a, adjoint_b=True)
    assert (
        tf.sparse.sparse_dense_matmul(tf.ones([4, 3]), a(), adjoint_b=True).tolist()
        == [[1.0, 5.0]] * 4
    )
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="inner dimension does not match: 3 vs. 2"
    ):
        tf.sparse.sparse_dense_matmul(a(), tf.ones([2, 2]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="must have rank 2"):
        tf.sparse.sparse_dense_matmul(
            tf.SparseTensor([[0, 0, 0]], [1.0], [1, 1, 1]), tf.ones([1, 1])
        )


def test_sparse_dense_matmul_gradients():
    values = tf.Variable([2.0, 3.0])
    b = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        sp = tf.SparseTensor([[0, 1], [1, 0]], values, [2, 2])
        loss = tf.reduce_sum(tf.sparse.sparse_dense_matmul(sp, b))
    grad_values, grad_b = tape.gradient(loss, [values, b])
    # d/dv of sum(A @ B): v(0,1) multiplies row 1 of B (sum 7), v(1,0) row 0 (sum 3).
    assert grad_values.tolist() == [7.0, 3.0]
    assert grad_b.tolist() == [[3.0, 3.0], [2.0, 2.0]]


def test_reduce_sum_and_max():
    sp = a()
    assert float(tf.sparse.reduce_sum(sp)) == 6.0
    assert tf.sparse.reduce_sum(sp, axis=1).tolist() == [1.0, 5.0]
    assert tf.sparse.reduce_sum(sp, 0, keepdims=True).tolist() == [[2.0, 1.0, 3.0]]
    assert float(tf.sparse.reduce_sum(sp, [0, 1])) == 6.0
    assert parts(tf.sparse.reduce_sum(sp, 1, output_is_sparse=True)) == (
        [[0], [1]],
        [1.0, 5.0],
        [2],
    )
    assert parts(tf.sparse.reduce_sum(sp, -1, keepdims=True, output_is_sparse=True)) == (
        [[0, 0], [1, 0]],
        [1.0, 5.0],
        [2, 1],
    )
    assert parts(tf.sparse.reduce_max(sp, 0, output_is_sparse=True)) == (
        [[0], [1], [2]],
        [2.0, 1.0, 3.0],
        [3],
    )
    # TF 2.21: only stored values count; empty groups give 0; duplicates add up in sums.
    neg = tf.SparseTensor([[0, 1]], [-1.0], [2, 3])
    assert tf.sparse.reduce_max(neg, 1).tolist() == [-1.0, 0.0]
    one = tf.SparseTensor([[0, 0]], [1.0], [2, 3])
    assert tf.sparse.reduce_max(one, 1, keepdims=True).tolist() == [[1.0], [0.0]]
    empty = tf.SparseTensor(tf.zeros([0, 2], tf.int64), tf.zeros([0]), [2, 3])
    assert float(tf.sparse.reduce_max(empty)) == 0.0
    dup = tf.SparseTensor([[0, 0], [0, 0]], [1.0, 2.0], [2, 3])
    assert tf.sparse.reduce_sum(dup, 1).tolist() == [3.0, 0.0]
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="Invalid reduction dimension 2, for input with 2"
    ):
        tf.sparse.reduce_sum(sp, 2)


def test_retain_fill_empty_rows():
    assert parts(tf.sparse.retain(a(), [True, False, True])) == (
        [[0, 1], [1, 2]],
        [1.0, 3.0],
        [2, 3],
    )
    with pytest.raises(ValueError, match="one bool per stored value"):
        tf.sparse.retain(a(), [True])
    out, empty = tf.sparse.fill_empty_rows(tf.SparseTensor([[1, 1]], [5.0], [3, 3]), -1.0)
    assert parts(out) == ([[0, 0], [1, 1], [2, 0]], [-1.0, 5.0, -1.0], [3, 3])
    assert empty.tolist() == [True, False, True]
    out, empty = tf.sparse.fill_empty_rows(tf.SparseTensor([[0]], [b"x"], [3]), b"z")
    assert out.values.numpy().tolist() == [b"x", b"z", b"z"]
    assert empty.tolist() == [False, True, True]
    with pytest.raises(TypeError, match="is a string but the values have dtype float32"):
        tf.sparse.fill_empty_rows(a(), "x")


def test_slice_split_concat():
    assert parts(tf.sparse.slice(a(), [0, 1], [2, 2])) == ([[0, 0], [1, 1]], [1.0, 3.0], [2, 2])
    assert parts(tf.sparse.slice(a(), [1, 0], [5, 5])) == ([[0, 0], [0, 2]], [2.0, 3.0], [1, 3])
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="Expected start to be a vector of length 2"
    ):
        tf.sparse.slice(a(), [0], [1])
    pieces = tf.sparse.split(sp_input=a(), num_split=2, axis=1)
    assert [parts(p) for p in pieces] == [
        ([[0, 1], [1, 0]], [1.0, 2.0], [2, 2]),
        ([[1, 0]], [3.0], [2, 1]),
    ]
    pieces = tf.sparse.split(sp_input=tf.SparseTensor([[0, 4]], [1.0], [1, 5]), num_split=3, axis=1)
    assert [p.dense_shape.tolist() for p in pieces] == [[1, 2], [1, 2], [1, 1]]
    assert parts(pieces[2])[0] == [[0, 0]]
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"Input axis should be in range \[-2, 2\), got 2"
    ):
        tf.sparse.split(sp_input=a(), num_split=2, axis=2)
    b = tf.SparseTensor([[0, 0], [1, 1]], [7.0, 8.0], [2, 2])
    assert parts(tf.sparse.concat(1, [a(), b])) == (
        [[0, 1], [0, 3], [1, 0], [1, 2], [1, 4]],
        [1.0, 7.0, 2.0, 3.0, 8.0],
        [2, 5],
    )
    tall = tf.SparseTensor([[2, 0]], [9.0], [3, 2])
    assert parts(tf.sparse.concat(1, [a(), tall], expand_nonconcat_dims=True)) == (
        [[0, 1], [1, 0], [1, 2], [2, 3]],
        [1.0, 2.0, 3.0, 9.0],
        [3, 5],
    )
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="Input shapes must match: expected 2 for dimension 0 but got 3 at position 1",
    ):
        tf.sparse.concat(1, [a(), tall])
    with pytest.raises(TypeError, match="Input must be a SparseTensor"):
        tf.sparse.concat(1, [a(), tf.ones([2, 2])])


def test_transpose_expand_dims_reset_shape_eye():
    assert parts(tf.sparse.transpose(a())) == ([[0, 1], [1, 0], [2, 1]], [2.0, 1.0, 3.0], [3, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="is not a permutation"):
        tf.sparse.transpose(a(), [0, 0])
    assert parts(tf.sparse.expand_dims(a(), 0))[0] == [[0, 0, 1], [0, 1, 0], [0, 1, 2]]
    assert parts(tf.sparse.expand_dims(a()))[2] == [2, 3, 1]
    assert parts(tf.sparse.expand_dims(a(), 1)) == (
        [[0, 0, 1], [1, 0, 0], [1, 0, 2]],
        [1.0, 2.0, 3.0],
        [2, 1, 3],
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match="axis 3 is out of range for rank 2"):
        tf.sparse.expand_dims(a(), 3)
    assert parts(tf.sparse.reset_shape(a()))[2] == [2, 3]
    assert parts(tf.sparse.reset_shape(tf.SparseTensor([[0, 1]], [1.0], [5, 5])))[2] == [1, 2]
    assert parts(tf.sparse.reset_shape(a(), [4, 4]))[2] == [4, 4]
    with pytest.raises(ValueError, match="should have dimension sizes >= sp_input.shape"):
        tf.sparse.reset_shape(a(), [1, 4])
    with pytest.raises(ValueError, match="new_shape has rank 1"):
        tf.sparse.reset_shape(a(), [4])
    assert parts(tf.sparse.eye(3)) == ([[0, 0], [1, 1], [2, 2]], [1.0, 1.0, 1.0], [3, 3])
    eye = tf.sparse.eye(2, 3, dtype=tf.int32)
    assert parts(eye) == ([[0, 0], [1, 1]], [1, 1], [2, 3]) and eye.dtype == tf.int32
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be >= 0"):
        tf.sparse.eye(-1)


def test_to_indicator_softmax_map_values():
    sp = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [3, 1, 2], [2, 2])
    assert tf.sparse.to_indicator(sp, 4).tolist() == [
        [False, True, False, True],
        [False, False, True, False],
    ]
    with pytest.raises(tf.errors.InvalidArgumentError, match="value 7 is out of range"):
        tf.sparse.to_indicator(tf.SparseTensor([[0, 0]], [7], [1, 2]), 4)
    soft = tf.sparse.softmax(tf.SparseTensor([[0, 0], [0, 2], [1, 1]], [1.0, 2.0, 3.0], [2, 3]))
    e = np.exp([1.0, 2.0])
    np.testing.assert_allclose(soft.values.numpy(), [*(e / e.sum()), 1.0], rtol=1e-6)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input should have rank >= 2"):
        tf.sparse.softmax(tf.SparseTensor([[0]], [1.0], [3]))
    with pytest.raises(TypeError, match="values must be floating point, got int32"):
        tf.sparse.softmax(tf.SparseTensor([[0, 1]], [1], [3, 3]))
    assert parts(tf.sparse.map_values(tf.abs, tf.SparseTensor([[0, 1]], [-3.0], [2, 3])))[1] == [
        3.0
    ]
    assert parts(tf.sparse.map_values(tf.add, a(), 1.0))[1] == [2.0, 3.0, 4.0]
    with pytest.raises(ValueError, match="No SparseTensor in argument list of map_values"):
        tf.sparse.map_values(tf.abs, tf.constant([1.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Mismatched indices"):
        tf.sparse.map_values(tf.add, a(), tf.SparseTensor([[0, 1]], [1.0], [2, 3]))


def test_segment_ops():
    data = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    assert tf.sparse.segment_sum(data, [0, 2], [0, 0]).tolist() == [[6.0, 8.0]]
    assert tf.sparse.segment_sum(data, [0, 2], [0, 0], num_segments=3).tolist() == [
        [6.0, 8.0],
        [0.0, 0.0],
        [0.0, 0.0],
    ]
    assert tf.sparse.segment_mean(data, [0, 2], [0, 1]).tolist() == [[1.0, 2.0], [5.0, 6.0]]
    np.testing.assert_allclose(
        tf.sparse.segment_sqrt_n(data, [0, 1, 2], [0, 0, 2]).numpy(),
        [[4 / np.sqrt(2), 6 / np.sqrt(2)], [0, 0], [5, 6]],
        rtol=1e-6,
    )
    with pytest.raises(TypeError, match="data must be floating point, got int32"):
        tf.sparse.segment_mean(tf.constant([[1, 2]]), [0], [0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="must have the same shape"):
        tf.sparse.segment_sum(data, [0, 1], [0])


def test_bincount_and_mask():
    counts = tf.sparse.bincount(tf.constant([[1, 1, 3], [2, 5, 5]]))
    assert parts(counts) == ([[1], [2], [3], [5]], [2, 1, 1, 2], [6])
    assert counts.dtype == tf.int32
    rows = tf.sparse.bincount(tf.constant([[1, 1, 3], [2, 5, 5]]), axis=-1)
    assert parts(rows) == ([[0, 1], [0, 3], [1, 2], [1, 5]], [2, 1, 1, 2], [2, 6])
    sp = tf.SparseTensor([[0, 0], [1, 1], [1, 2]], [2, 2, 0], [2, 3])
    assert parts(tf.sparse.bincount(sp, axis=-1)) == (
        [[0, 2], [1, 0], [1, 2]],
        [1, 1, 1],
        [2, 3],
    )
    assert parts(tf.sparse.bincount(sp)) == ([[0], [2]], [1, 2], [3])
    weighted = tf.sparse.bincount(tf.constant([1, 1, 2]), weights=tf.constant([0.5, 1.0, 2.0]))
    assert tf.sparse.to_dense(weighted).tolist() == [0.0, 1.5, 2.0]
    assert tf.sparse.bincount(tf.constant([1, 1, 2]), binary_output=True).values.tolist() == [1, 1]
    assert tf.sparse.bincount(tf.constant([1, 1, 2]), minlength=5).dense_shape.tolist() == [5]
    assert tf.sparse.bincount(tf.constant([1, 1, 7]), maxlength=3).dense_shape.tolist() == [3]
    with pytest.raises(ValueError, match="Unsupported value for argument axis=1"):
        tf.sparse.bincount(tf.constant([[1, 2]]), axis=1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="must all be non-negative"):
        tf.sparse.bincount(tf.constant([1, -2]))
    s = tf.IndexedSlices(tf.constant([[1.0], [2.0], [3.0]]), tf.constant([0, 2, 4]))
    masked = tf.sparse.mask(s, tf.constant([2]))
    assert masked.indices.tolist() == [0, 4] and masked.values.tolist() == [[1.0], [3.0]]
    with pytest.raises(TypeError, match="a must be a tf.IndexedSlices"):
        tf.sparse.mask(tf.ones([2]), [0])


def test_string_values_move_with_structure_ops():
    sp = tf.SparseTensor([[0, 1], [1, 0]], ["a", "b"], [2, 2])
    assert tf.sparse.transpose(sp).values.numpy().tolist() == [b"b", b"a"]
    both = tf.sparse.concat(0, [sp, sp])
    assert both.values.numpy().tolist() == [b"a", b"b", b"a", b"b"]
    with pytest.raises(TypeError, match="string values are not supported"):
        tf.sparse.reduce_sum(sp)


def test_cross_matches_tf():
    s = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], ["a", "b", "c"], [2, 2])
    # TF 2.21 outputs
    out = tf.sparse.cross([tf.constant([["a", "b"], ["c", "d"]]), tf.constant([["x"], ["y"]])])
    assert parts(out) == (
        [[0, 0], [0, 1], [1, 0], [1, 1]],
        [b"a_X_x", b"b_X_x", b"c_X_y", b"d_X_y"],
        [2, 2],
    )
    out = tf.sparse.cross([s, tf.constant([["x", "z"], ["y", "w"]])], separator="|")
    assert parts(out)[1] == [b"a|x", b"a|z", b"b|x", b"b|z", b"c|y", b"c|w"]
    assert parts(out)[2] == [2, 4]
    three = [
        tf.constant([[1, 2]], tf.int64),
        tf.constant([[3]], tf.int64),
        tf.constant([["u", "v"]]),
    ]
    assert parts(tf.sparse.cross(three))[1] == [
        b"1_X_3_X_u",
        b"1_X_3_X_v",
        b"2_X_3_X_u",
        b"2_X_3_X_v",
    ]
    assert parts(
        tf.sparse.cross([tf.SparseTensor([[1, 0]], ["a"], [2, 1]), tf.constant([["x"], ["y"]])])
    ) == (
        [[1, 0]],
        [b"a_X_y"],
        [2, 1],
    )
    assert parts(tf.sparse.cross([tf.constant([[1.5]])]))[1] == [b"1"]
    assert parts(tf.sparse.cross([])) == ([], [], [0, 0])
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Dense inputs should be a matrix but received shape \[2\]",
    ):
        tf.sparse.cross([tf.constant([1, 2], tf.int64)])
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="Expected batch size 1 got 2 at input 1"
    ):
        tf.sparse.cross([tf.constant([["a"]]), tf.constant([["x"], ["y"]])])
    with pytest.raises(TypeError, match="Inputs must be a list"):
        tf.sparse.cross(tf.constant([["a"]]))


def test_cross_hashed_matches_tf_bit_for_bit():
    pair = [tf.constant([["a", "b"], ["c", "d"]]), tf.constant([["x"], ["y"]])]
    # TF 2.21 outputs (FarmHash Fingerprint64 + FingerprintCat64).
    assert parts(tf.sparse.cross_hashed(pair))[1] == [
        1484974617627318892,
        3552177129620670004,
        6571367263544129360,
        3132355153294617199,
    ]
    assert parts(tf.sparse.cross_hashed(pair, num_buckets=100))[1] == [92, 4, 60, 6]
    ints = [tf.constant([[1, 2]], tf.int64), tf.constant([["x"]])]
    assert parts(tf.sparse.cross_hashed(ints, 1000, hash_key=123))[1] == [244, 94]
    mixed = [
        tf.SparseTensor([[0, 0], [0, 1], [1, 0]], ["a", "b", "c"], [2, 2]),
        tf.constant([[5, 6], [-7, 8]], tf.int64),
    ]
    out = tf.sparse.cross_hashed(mixed, 50)
    assert parts(out) == (
        [[0, 0], [0, 1], [0, 2], [0, 3], [1, 0], [1, 1]],
        [13, 19, 23, 9, 45, 39],
        [2, 4],
    )
    assert out.dtype == tf.int64
    with pytest.raises(ValueError, match="num_buckets must be >= 0"):
        tf.sparse.cross_hashed(pair, -1)


def test_sampled_addmm_matches_tf_and_numpy():
    m1 = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    m2 = np.array([[5.0, 6.0], [7.0, 8.0]], np.float32)
    indices, values, shape = tf.sparse.sampled_addmm(
        tf.constant([[0, 1], [1, 0]]),
        tf.constant([1.0, 2.0]),
        tf.constant([2, 2]),
        tf.constant(m1),
        tf.constant(m2),
        beta=0.5,
        alpha=2.0,
    )
    assert values.tolist() == [44.5, 87.0]  # TF 2.21
    assert indices.tolist() == [[0, 1], [1, 0]] and shape.tolist() == [2, 2]
    rng = np.random.default_rng(3)
    a = rng.normal(size=(3, 4, 5)).astype(np.float32)
    b = rng.normal(size=(3, 5, 6)).astype(np.float32)
    idx = np.stack([rng.integers(0, 4, size=(3, 7)), rng.integers(0, 6, size=(3, 7))], -1)
    base = rng.normal(size=(3, 7)).astype(np.float32)
    _, got, _ = tf.sparse.sampled_addmm(idx, base, [4, 6], a, b, beta=0.25, alpha=-1.5)
    full = a @ b
    expected = 0.25 * base + -1.5 * np.take_along_axis(
        full.reshape(3, -1), idx[..., 0] * 6 + idx[..., 1], 1
    )
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5, atol=1e-5)
    with pytest.raises(
        ValueError, match=r"Dense shape: \[3, 2\] does not match output shape: \[2, 2\]"
    ):
        tf.sparse.sampled_addmm([[0, 1]], [1.0], [3, 2], m1, m2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="inner dimensions must match"):
        tf.sparse.sampled_addmm([[0, 1]], [1.0], [2, 2], m1, np.ones((3, 2), np.float32))


def test_missing_names_raise_not_implemented():
    with pytest.raises(NotImplementedError, match="tf.sparse.no_such_op"):
        _ = tf.sparse.no_such_op
    with pytest.raises(NotImplementedError, match="tf.sets.no_such_op"):
        _ = tf.sets.no_such_op
