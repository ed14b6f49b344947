"""tf.ragged.stack_dynamic_partitions, reduce_variance/reduce_std and cumsum of
RaggedTensors (expected values are TF 2.21 outputs)."""

import numpy as np
import pytest

import tork as tf


def _rt():
    return tf.ragged.constant([[1.0, 3.0, 8.0], [2.0], [], [4.0, -1.0]])


def _rounded(value, digits=4):
    if hasattr(value, "to_list"):
        return tf.nest.map_structure(lambda v: round(v, digits), value.to_list())
    return np.round(np.asarray(value, dtype=np.float64), digits).tolist()


def test_stack_dynamic_partitions():
    sdp = tf.ragged.stack_dynamic_partitions
    assert sdp([1, 2, 3, 4], [1, 0, 1, 2], 3).to_list() == [[2], [1, 3], [4]]
    assert sdp([1, 2, 3, 4], [1, 0, 1, 1], 4).to_list() == [[2], [1, 3, 4], [], []]
    assert sdp([[1, 2], [3, 4], [5, 6]], [1, 0, 1], 2).to_list() == [[[3, 4]], [[1, 2], [5, 6]]]
    assert sdp([[1, 2], [3, 4]], [[1, 0], [0, 1]], 2).to_list() == [[2, 3], [1, 4]]
    assert sdp(["a", "b", "c"], [2, 0, 2], 3).to_list() == [[b"b"], [], [b"a", b"c"]]
    rows = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
    assert sdp(rows, [1, 0, 1], 2).to_list() == [[[3]], [[1, 2], [4, 5, 6]]]
    ids = tf.ragged.constant([[0, 1], [1], [0, 0, 1]])
    assert sdp(rows, ids, 2).to_list() == [[1, 4, 5], [2, 3, 6]]


def test_stack_dynamic_partitions_errors():
    sdp = tf.ragged.stack_dynamic_partitions
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"partitions must be in \[0, 2\)"):
        sdp([1, 2], [0, 3], 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="from -1 to 0"):
        sdp([1, 2], [0, -1], 2)
    with pytest.raises(ValueError, match=r"partitions.shape \(2,\) must be a prefix"):
        sdp([1, 2, 3], [0, 1], 2)


def test_reduce_variance_and_std_of_ragged():
    rt = _rt()
    assert _rounded(tf.math.reduce_variance(rt)) == 7.8056
    assert _rounded(tf.math.reduce_std(rt)) == 2.7938
    assert _rounded(tf.math.reduce_variance(rt, axis=0)) == [1.5556, 4.0, 0.0]
    assert _rounded(tf.math.reduce_std(rt, axis=0)) == [1.2472, 2.0, 0.0]
    var1 = np.asarray(tf.math.reduce_variance(rt, axis=1))
    np.testing.assert_allclose(var1[[0, 1, 3]], [8.666667, 0.0, 6.25], rtol=1e-5)
    assert np.isnan(var1[2])  # an empty row, as TF
    np.testing.assert_allclose(np.asarray(tf.math.reduce_std(rt, axis=-1))[[0, 3]], [2.94392, 2.5], rtol=1e-5)  # fmt: skip
    assert _rounded(tf.math.reduce_variance(rt, axis=[0, 1])) == 7.8056
    keep = np.asarray(tf.math.reduce_variance(rt, axis=1, keepdims=True))
    assert keep.shape == (4, 1)
    # TF's ragged version takes integers (its dense one does not).
    assert _rounded(tf.math.reduce_variance(tf.ragged.constant([[1, 2], [3]]), axis=1)) == [0.25, 0.0]  # fmt: skip


def test_reduce_variance_over_inner_and_outer_axes():
    rt3 = tf.RaggedTensor.from_row_lengths(
        tf.constant([[1.0, 2.0], [3.0, 5.0], [0.0, 9.0]]), [2, 1]
    )
    assert _rounded(tf.math.reduce_variance(rt3, axis=0)) == [[0.25, 12.25], [0.0, 0.0]]
    assert _rounded(tf.math.reduce_variance(rt3, axis=1)) == [[1.0, 2.25], [0.0, 0.0]]
    assert _rounded(tf.math.reduce_variance(rt3, axis=2)) == [[0.25, 1.0], [20.25]]
    nested = tf.RaggedTensor.from_nested_row_lengths(
        [1.0, 2.0, 3.0, 4.0, 5.0, 7.0], [[2, 1], [2, 1, 3]]
    )
    assert _rounded(tf.math.reduce_variance(nested, axis=0)) == [[2.25, 2.25, 0.0], [0.0]]
    assert _rounded(tf.math.reduce_variance(nested, axis=1)) == [[1.0, 0.0], [0.0, 0.0, 0.0]]
    assert _rounded(tf.math.reduce_variance(nested, axis=2)) == [[0.25, 0.0], [1.5556]]


def test_cumsum_of_ragged():
    rt = _rt()
    assert tf.math.cumsum(rt, axis=1).to_list() == [[1.0, 4.0, 12.0], [2.0], [], [4.0, 3.0]]
    assert tf.math.cumsum(rt, axis=-1, exclusive=True).to_list() == [[0.0, 1.0, 4.0], [0.0], [], [0.0, 4.0]]  # fmt: skip
    assert tf.math.cumsum(rt, axis=1, reverse=True).to_list() == [[12.0, 11.0, 8.0], [2.0], [], [3.0, -1.0]]  # fmt: skip
    both = tf.math.cumsum(rt, axis=1, exclusive=True, reverse=True)
    assert both.to_list() == [[11.0, 8.0, 0.0], [0.0], [], [-1.0, 0.0]]
    # Axis 0: each column over the rows that reach it.
    assert tf.math.cumsum(rt).to_list() == [[1.0, 3.0, 8.0], [3.0], [], [7.0, 2.0]]
    rt3 = tf.RaggedTensor.from_row_lengths(
        tf.constant([[1.0, 2.0], [3.0, 5.0], [0.0, 9.0]]), [2, 1]
    )
    assert tf.math.cumsum(rt3, axis=2).to_list() == [[[1.0, 3.0], [3.0, 8.0]], [[0.0, 9.0]]]
    assert tf.math.cumsum(rt3, axis=1).to_list() == [[[1.0, 2.0], [4.0, 7.0]], [[0.0, 9.0]]]
    assert tf.math.cumsum(tf.ragged.constant([[1, 2], [3]]), axis=1).to_list() == [[1, 3], [3]]


def test_from_tensor_with_ragged_rank_above_one():
    dense = np.arange(12).reshape(2, 3, 2)
    rt = tf.RaggedTensor.from_tensor(dense, ragged_rank=2)
    assert rt.ragged_rank == 2
    assert rt.to_list() == dense.tolist()
    assert tuple(rt.shape) == (2, 3, 2)  # TF 2.21: uniform partitions keep the sizes
    deep = tf.RaggedTensor.from_tensor(np.arange(24).reshape(2, 3, 2, 2), ragged_rank=3)
    assert tuple(deep.shape) == (2, 3, 2, 2)
    assert [s.numpy().tolist() for s in deep.nested_row_splits[:2]] == [
        [0, 3, 6],
        [0, 2, 4, 6, 8, 10, 12],
    ]
    strings = tf.RaggedTensor.from_tensor(np.array([["a", "b"], ["c", "d"]]).reshape(2, 2, 1), ragged_rank=2)  # fmt: skip
    assert strings.to_list() == [[[b"a"], [b"b"]], [[b"c"], [b"d"]]]
    with pytest.raises(ValueError, match=r"Shape \(2, 3, 2\) must have rank at least 4"):
        tf.RaggedTensor.from_tensor(dense, ragged_rank=3)
    with pytest.raises(ValueError, match="Argument `ragged_rank` must be greater than 0"):
        tf.RaggedTensor.from_tensor(dense, ragged_rank=0)


def test_constructor_errors_have_tf_types():
    # TF 2.21 raises ValueError for these static checks.
    values = tf.constant([1, 2, 3, 4, 5])
    with pytest.raises(ValueError, match="row_splits tensor may not be empty"):
        tf.RaggedTensor.from_row_splits(values, [])
    with pytest.raises(ValueError, match="row_splits must have dtype int32 or int64"):
        tf.RaggedTensor.from_row_splits(values, [0.0, 5.0])
    with pytest.raises(ValueError, match=r"Expected nrows >= value_rowids\[-1\] \+ 1"):
        tf.RaggedTensor.from_value_rowids(values, [0, 0, 2, 2, 2], nrows=2)
    with pytest.raises(ValueError, match=r"Shapes \(5,\) and \(3,\) are incompatible"):
        tf.RaggedTensor.from_value_rowids(values, [0, 0, 2])
    with pytest.raises(ValueError, match="uniform_row_length=2 times nrows=2 must equal nvals=5"):
        tf.RaggedTensor.from_uniform_row_length(values, 2)
    with pytest.raises(ValueError, match="Specify argument `lengths` or `padding`, but not both"):
        tf.RaggedTensor.from_tensor([[1, 2, 0]], lengths=[1], padding=0)
    # Values that only the data can show stay InvalidArgumentError, as in TF.
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.RaggedTensor.from_row_splits(values, [1, 2, 5])
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.RaggedTensor.from_value_rowids(values, [0, 2, 1, 2, 2])


def test_gather_nd_of_ragged_params_and_indices():
    rt = tf.ragged.constant([[1, 9], [2, 3], []])
    rt2 = tf.ragged.constant([[[1, 2], [3]], [[4]]])
    # TF 2.21 results.
    assert np.asarray(tf.gather_nd(rt, [[1, 0], [0, 1]])).tolist() == [2, 9]
    assert tf.gather_nd(rt, [[1], [2], [0]]).to_list() == [[2, 3], [], [1, 9]]
    rows = tf.gather_nd(rt, [[[1]], [[0]]])
    assert isinstance(rows, tf.RaggedTensor)
    assert rows.to_list() == [[[2, 3]], [[1, 9]]]
    assert np.asarray(tf.gather_nd(rt, [[[1, 0]], [[0, 1]]])).tolist() == [[2], [9]]
    assert tf.gather_nd(rt2, [[0, 1], [0, 0]]).to_list() == [[3], [1, 2]]
    assert np.asarray(tf.gather_nd(rt2, [[0, 0, 1], [1, 0, 0]])).tolist() == [2, 4]
    assert tf.gather_nd(rt2, [[1]]).to_list() == [[[4]]]
    ragged_ids = tf.ragged.constant([[[1, 0]], []], ragged_rank=1)
    assert tf.gather_nd(rt, ragged_ids).to_list() == [[2], []]
    assert tf.gather_nd(tf.constant([[1, 2], [3, 4]]), ragged_ids).to_list() == [[3], []]
    assert np.asarray(tf.gather_nd(rt, tf.zeros([0, 2], tf.int32))).tolist() == []
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"index \[2, 0\] is out of range"):
        tf.gather_nd(rt, [[2, 0]])
    with pytest.raises(ValueError, match="batch_dims != 0 is not supported for ragged gather"):
        tf.gather_nd(rt, [[0], [1], [0]], batch_dims=1)
