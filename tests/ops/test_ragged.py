"""tf.RaggedTensor and tf.ragged against values printed by TensorFlow 2.21 and hand-computed ones."""

import numpy as np
import pytest
import torch

import tork as tf


def _rt():
    return tf.ragged.constant([[1, 2, 3], [4]])


def test_constant_repr_shape_dtype():
    rt = _rt()
    # TF 2.21 reprs.
    assert repr(rt) == "<tf.RaggedTensor [[1, 2, 3], [4]]>"
    assert str(rt) == "<tf.RaggedTensor [[1, 2, 3], [4]]>"
    assert (
        repr(tf.ragged.constant([["a", "b"], ["c"]])) == "<tf.RaggedTensor [[b'a', b'b'], [b'c']]>"
    )
    assert repr(tf.ragged.constant([[1.5], [2.0, 3.0]])) == "<tf.RaggedTensor [[1.5], [2.0, 3.0]]>"
    assert repr(tf.ragged.constant([[], []])) == "<tf.RaggedTensor [[], []]>"
    assert repr(tf.RaggedTensor.from_tensor([[1, 0, 0], [2, 3, 0]])) == (
        "<tf.RaggedTensor [[1, 0, 0],\n [2, 3, 0]]>"
    )
    assert repr(tf.ragged.constant([[[1, 2], [3]], [[4]]])) == (
        "<tf.RaggedTensor [[[1, 2], [3]], [[4]]]>"
    )
    assert rt.shape == tf.TensorShape([2, None])
    assert rt.shape.as_list() == [2, None]
    assert rt.get_shape().rank == 2
    assert rt.dtype == torch.int32
    assert rt.ragged_rank == 1
    assert rt.row_splits.dtype == torch.int64
    assert rt.row_splits.tolist() == [0, 3, 4]
    assert tf.ragged.constant([[], []]).dtype == torch.float32
    assert tf.ragged.constant([[1], [2, 3]], dtype=tf.float64).dtype == torch.float64
    int32_splits = tf.ragged.constant([[1], [2, 3]], row_splits_dtype=tf.int32).row_splits
    assert int32_splits.dtype == torch.int32 and int32_splits.tolist() == [0, 1, 3]
    assert tf.ragged.constant([["a"], []]).dtype == tf.string
    assert tf.ragged.constant([[], []], dtype=tf.string).to_list() == [[], []]


def test_numpy_and_to_list():
    rt = _rt()
    array = rt.numpy()
    assert array.dtype == object and array.shape == (2,)
    np.testing.assert_array_equal(array[0], np.array([1, 2, 3], dtype=np.int32))
    assert array[0].dtype == np.int32
    # Rows of one length give a regular array (TF 2.21).
    assert tf.RaggedTensor.from_tensor([[1, 2], [3, 4]]).numpy().tolist() == [[1, 2], [3, 4]]
    assert rt.to_list() == [[1, 2, 3], [4]]
    assert tf.ragged.constant([["a"], ["b", "c"]]).to_list() == [[b"a"], [b"b", b"c"]]


def test_partition_accessors():
    rt = _rt()
    assert rt.row_lengths().tolist() == [3, 1]
    assert rt.row_lengths().dtype == torch.int64
    assert int(rt.nrows()) == 2
    assert rt.value_rowids().tolist() == [0, 0, 0, 1]
    assert rt.row_starts().tolist() == [0, 3]
    assert rt.row_limits().tolist() == [3, 4]
    assert rt.bounding_shape().tolist() == [2, 3]
    assert rt.values.tolist() == [1, 2, 3, 4]
    assert rt.flat_values.tolist() == [1, 2, 3, 4]
    assert rt.uniform_row_length is None
    assert rt.with_values(rt.values * 2).to_list() == [[2, 4, 6], [8]]
    with pytest.raises(TypeError, match="may not be used as a boolean"):
        bool(rt)
    with pytest.raises(TypeError):
        len(rt)


def test_to_tensor():
    rt = _rt()
    out = rt.to_tensor()
    assert out.dtype == torch.int32 and out.tolist() == [[1, 2, 3], [4, 0, 0]]
    # TF 2.21: shape cuts and pads.
    assert rt.to_tensor(default_value=-1, shape=[3, 2]).tolist() == [[1, 2], [4, -1], [-1, -1]]
    assert tf.ragged.constant([[1, 2, 3], [4], [], [5, 6]]).to_tensor(shape=[None, 2]).tolist() == [
        [1, 2],
        [4, 0],
        [0, 0],
        [5, 6],
    ]
    strings = tf.ragged.constant([["a", "bb"], ["c"]])
    assert strings.to_tensor().numpy().tolist() == [[b"a", b"bb"], [b"c", b""]]
    assert strings.to_tensor(default_value="<pad>").numpy().tolist() == [
        [b"a", b"bb"],
        [b"c", b"<pad>"],
    ]
    empty = tf.RaggedTensor.from_row_splits(tf.constant([], tf.int32), [0])
    assert tuple(empty.to_tensor().shape) == (0, 0)


def test_factories():
    assert tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 2, 3]).to_list() == [[1, 2], [3]]
    assert tf.RaggedTensor.from_row_lengths([1, 2, 3], [2, 1]).to_list() == [[1, 2], [3]]
    assert tf.RaggedTensor.from_value_rowids([1, 2, 3], [0, 0, 2]).to_list() == [[1, 2], [], [3]]
    assert tf.RaggedTensor.from_value_rowids([1, 2, 3], [0, 0, 2], nrows=4).to_list() == [
        [1, 2],
        [],
        [3],
        [],
    ]
    assert tf.RaggedTensor.from_row_starts([1, 2, 3], [0, 2]).to_list() == [[1, 2], [3]]
    assert tf.RaggedTensor.from_row_limits([1, 2, 3], [2, 3]).to_list() == [[1, 2], [3]]
    dense = [[1, 0, 0], [2, 3, 0]]
    assert tf.RaggedTensor.from_tensor(dense).to_list() == dense
    assert tf.RaggedTensor.from_tensor(dense, padding=0).to_list() == [[1], [2, 3]]
    assert tf.RaggedTensor.from_tensor(dense, lengths=[1, 3]).to_list() == [[1], [2, 3, 0]]
    padded = tf.RaggedTensor.from_tensor([["a", ""], ["b", "c"]], padding="")
    assert padded.to_list() == [[b"a"], [b"b", b"c"]]
    split_rows = tf.RaggedTensor.from_row_splits(tf.constant([[1, 2], [3, 4], [5, 6]]), [0, 1, 3])
    assert split_rows.shape.as_list() == [2, None, 2]
    assert split_rows.to_list() == [[[1, 2]], [[3, 4], [5, 6]]]
    with pytest.raises(ValueError, match="constructor is private"):
        tf.RaggedTensor([1], [0, 1])


def test_factory_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="row_splits must start with 0, got 1"):
        tf.RaggedTensor.from_row_splits([1, 2, 3], [1, 2, 3])
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"the last row split \(4\) must equal the number of values \(3\)",
    ):
        tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 2, 4])
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be non-decreasing"):
        tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 3, 2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="do not form a valid RaggedTensor"):
        tf.RaggedTensor.from_row_lengths([1, 2, 3], [2, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"row_lengths must be >= 0"):
        tf.RaggedTensor.from_row_lengths([1, 2, 3], [4, -1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be non-negative and sorted"):
        tf.RaggedTensor.from_value_rowids([1, 2, 3], [0, 2, 1])
    with pytest.raises(ValueError, match="all scalar values must have the same nesting depth"):
        tf.ragged.constant([[1, 2], 3])


def test_nested():
    n = tf.ragged.constant([[[1, 2], [3]], [[4]]])
    assert n.shape.as_list() == [2, None, None]
    assert n.ragged_rank == 2
    assert [s.tolist() for s in n.nested_row_splits] == [[0, 2, 3], [0, 2, 3, 4]]
    assert [s.tolist() for s in n.nested_row_lengths()] == [[2, 1], [2, 1, 1]]
    assert n.values.to_list() == [[1, 2], [3], [4]]
    assert n.flat_values.tolist() == [1, 2, 3, 4]
    assert n.to_tensor().tolist() == [[[1, 2], [3, 0]], [[4, 0], [0, 0]]]
    assert n.merge_dims(0, 1).to_list() == [[1, 2], [3], [4]]
    assert n.merge_dims(0, -1).tolist() == [1, 2, 3, 4]
    assert n.bounding_shape().tolist() == [2, 2, 2]
    assert n.row_lengths(axis=2).to_list() == [[2, 1], [1]]
    assert n.with_flat_values(n.flat_values * 2).to_list() == [[[2, 4], [6]], [[8]]]
    assert n[0].to_list() == [[1, 2], [3]]
    assert n[0, 1].tolist() == [3]
    from_lengths = tf.RaggedTensor.from_nested_row_lengths([1, 2, 3, 4], [[2, 1], [1, 2, 1]])
    assert from_lengths.to_list() == [[[1], [2, 3]], [[4]]]
    from_splits = tf.RaggedTensor.from_nested_row_splits([1, 2, 3], [[0, 2, 3], [0, 1, 2, 3]])
    assert from_splits.to_list() == [[[1], [2]], [[3]]]
    uniform_inner = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert uniform_inner.shape.as_list() == [2, None, 2]
    assert uniform_inner.values.tolist() == [[1, 2], [3, 4], [5, 6]]
    assert repr(uniform_inner) == "<tf.RaggedTensor [[[1, 2],\n  [3, 4]], [[5, 6]]]>"
    inner = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], inner_shape=(2,))
    assert inner.ragged_rank == 1 and inner.to_list() == [[[1, 2], [3, 4]], [[5, 6]]]


def test_indexing():
    rt = tf.ragged.constant([[1, 2, 3], [4], [], [5, 6]])
    assert rt[0].tolist() == [1, 2, 3]
    assert rt[-1].tolist() == [5, 6]
    assert int(rt[0, 1]) == 2
    assert rt[1:].to_list() == [[4], [], [5, 6]]
    assert rt[::2].to_list() == [[1, 2, 3], []]
    assert rt[:, :2].to_list() == [[1, 2], [4], [], [5, 6]]
    assert rt[:, 1:].to_list() == [[2, 3], [], [], [6]]
    assert rt[:, -2:].to_list() == [[2, 3], [4], [], [5, 6]]
    assert rt[:, :-1].to_list() == [[1, 2], [], [], [5]]
    assert rt[1:3, :1].to_list() == [[4], []]
    assert [r.tolist() for r in rt] == [[1, 2, 3], [4], [], [5, 6]]
    with pytest.raises(ValueError, match="Cannot index into an inner ragged dimension"):
        rt[:, 0]
    with pytest.raises(IndexError, match="out of range for 4 rows"):
        rt[5]


def test_operators():
    rt = _rt()
    assert (rt + 1).to_list() == [[2, 3, 4], [5]]
    assert (1 - rt).to_list() == [[0, -1, -2], [-3]]
    half = rt / 2
    assert half.dtype == torch.float64 and half.to_list() == [[0.5, 1.0, 1.5], [2.0]]
    assert (rt // 2).to_list() == [[0, 1, 1], [2]]
    assert (rt % 2).to_list() == [[1, 0, 1], [0]]
    assert (rt**2).to_list() == [[1, 4, 9], [16]]
    assert (2**rt).to_list() == [[2, 4, 8], [16]]
    assert (-rt).to_list() == [[-1, -2, -3], [-4]]
    assert abs(-rt).to_list() == [[1, 2, 3], [4]]
    assert (rt == 1).to_list() == [[True, False, False], [False]]
    assert (rt > 1).to_list() == [[False, True, True], [True]]
    assert (rt + rt).to_list() == [[2, 4, 6], [8]]
    assert (rt + tf.constant([[10], [20]])).to_list() == [[11, 12, 13], [24]]
    assert (np.int32(1) + rt).to_list() == [[2, 3, 4], [5]]
    strings = tf.ragged.constant([["a", "bb"], ["c"]])
    assert (strings == "a").to_list() == [[True, False], [False]]
    with pytest.raises(ValueError, match="different row partitions"):
        rt + tf.ragged.constant([[1], [2, 3, 4]])
    with pytest.raises(ValueError, match="cannot broadcast a dense operand of shape"):
        rt + tf.constant([1, 2, 3])


def test_tf_ops_dispatch():
    rt = tf.ragged.constant([[1, 2, 3], [4], [], [5, 6]])
    f = tf.ragged.constant([[1.0, 2.0, 3.0], [4.0]])
    assert tf.add(rt, 1).to_list() == [[2, 3, 4], [5], [], [6, 7]]
    assert tf.maximum(rt, 3).to_list() == [[3, 3, 3], [4], [], [5, 6]]
    assert tf.abs(-rt).to_list() == rt.to_list()
    cast = tf.cast(rt, tf.float32)
    assert isinstance(cast, tf.RaggedTensor) and cast.dtype == torch.float32
    assert tf.cast(rt, tf.bool).to_list() == [[True, True, True], [True], [], [True, True]]
    expected = [[np.log1p(1.0), np.log1p(2.0), np.log1p(3.0)], [np.log1p(4.0)]]
    for out in (tf.math.log1p(f), tf.ragged.map_flat_values(tf.math.log1p, f)):
        np.testing.assert_allclose(out.flat_values.numpy(), np.concatenate(expected), rtol=1e-6)
        assert out.row_lengths().tolist() == [3, 1]
    assert tf.zeros_like(rt).to_list() == [[0, 0, 0], [0], [], [0, 0]]
    assert tf.ragged.map_flat_values(tf.add, rt, rt).to_list() == [[2, 4, 6], [8], [], [10, 12]]
    with pytest.raises(TypeError, match=r"Call \.to_tensor\(\) to pad it"):
        tf.convert_to_tensor(rt)


def test_reductions():
    # TF 2.21 values.
    rt = tf.ragged.constant([[1, 2, 3], [4]])
    total = tf.reduce_sum(rt, axis=1)
    assert total.dtype == torch.int32 and total.tolist() == [6, 4]
    assert tf.reduce_sum(rt, axis=-1).tolist() == [6, 4]
    assert tf.reduce_sum(rt, axis=0).tolist() == [5, 2, 3]
    assert int(tf.reduce_sum(rt)) == 10
    mean = tf.reduce_mean(rt, axis=1)
    assert mean.dtype == torch.float64 and mean.tolist() == [2.0, 4.0]
    assert tf.reduce_mean(rt, axis=0).tolist() == [2.5, 2.0, 3.0]
    assert tf.reduce_mean(tf.cast(rt, tf.float32), axis=1).dtype == torch.float32
    assert tf.reduce_max(tf.ragged.constant([[1, 2], []]), axis=1).tolist() == [2, -2147483648]
    assert tf.reduce_max(rt, axis=0).tolist() == [4, 2, 3]
    assert tf.reduce_prod(rt, axis=0).tolist() == [4, 2, 3]
    four = tf.ragged.constant([[1, 2, 3], [4], [], [5, 6]])
    assert tf.reduce_min(four, axis=1).tolist() == [1, 4, 2147483647, 5]
    assert tf.reduce_prod(four, axis=1).tolist() == [6, 4, 1, 30]
    assert tf.reduce_sum(four, axis=1, keepdims=True).tolist() == [[6], [4], [0], [11]]
    assert int(tf.reduce_sum(four, axis=[0, 1])) == 21
    assert tf.reduce_any(four > 4, axis=1).tolist() == [False, False, False, True]
    assert tf.reduce_all(four > 0, axis=1).tolist() == [True, True, True, True]
    floats = tf.ragged.constant([[1.5, 2.25], [3.0]])
    assert tf.reduce_max(floats, axis=1).tolist() == [2.25, 3.0]
    assert tf.reduce_mean(floats, axis=0).tolist() == [2.25, 2.25]
    n = tf.ragged.constant([[[1, 2], [3]], [[4]], []])
    assert tf.reduce_sum(n, axis=-1).to_list() == [[3, 3], [4], []]
    assert int(tf.reduce_sum(n)) == 10


def test_reduction_gradient():
    values = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    rt = tf.RaggedTensor.from_row_lengths(values, [3, 1])
    loss = tf.reduce_sum(tf.reduce_mean(rt * rt, axis=1))
    loss.backward()
    # d/dv mean(v^2) over a row of n values is 2v/n.
    np.testing.assert_allclose(values.grad.numpy(), [2 / 3, 4 / 3, 2.0, 8.0], rtol=1e-6)


def test_concat_stack_gather():
    rt = _rt()
    assert tf.concat([rt, rt], axis=0).to_list() == [[1, 2, 3], [4], [1, 2, 3], [4]]
    assert tf.concat([rt, rt], axis=1).to_list() == [[1, 2, 3, 1, 2, 3], [4, 4]]
    a, b = tf.ragged.constant([[1, 2], [3], []]), tf.ragged.constant([[4], [], [5, 6]])
    assert tf.concat([a, b, a], axis=1).to_list() == [[1, 2, 4, 1, 2], [3, 3], [5, 6]]
    assert tf.concat([rt, tf.constant([[7, 8]])], axis=0).to_list() == [[1, 2, 3], [4], [7, 8]]
    stacked = tf.stack([rt, rt], axis=0)
    assert stacked.to_list() == [[[1, 2, 3], [4]], [[1, 2, 3], [4]]]
    assert tf.stack([rt, rt], axis=1).to_list() == [[[1, 2, 3], [1, 2, 3]], [[4], [4]]]
    assert tf.ragged.stack([rt, rt]).to_list() == stacked.to_list()
    assert tf.ragged.stack([[1, 2], [3]], axis=0).to_list() == [[1, 2], [3]]
    assert tf.gather(rt, [1, 0, 1]).to_list() == [[4], [1, 2, 3], [4]]
    assert tf.gather(rt, 1).tolist() == [4]
    four = tf.ragged.constant([[1, 2, 3], [4], [], [5, 6]])
    assert tf.gather(four, [[0, 1], [3, 3]]).to_list() == [[[1, 2, 3], [4]], [[5, 6], [5, 6]]]


def test_ragged_module():
    assert tf.ragged.range([3, 1, 2]).to_list() == [[0, 1, 2], [0], [0, 1]]
    assert tf.ragged.range([0, 5], [3, 7], 2).to_list() == [[0, 2], [5]]
    assert tf.ragged.range([5], [0], -2).to_list() == [[5, 3, 1]]
    assert tf.ragged.range([0.0, 1.0], [1.0, 2.0], 0.5).to_list() == [[0.0, 0.5], [1.0, 1.5]]
    masked = tf.ragged.boolean_mask(
        [[1, 2, 3], [4, 5, 6]], [[True, False, True], [False, False, True]]
    )
    assert masked.to_list() == [[1, 3], [6]]
    ragged_mask = tf.ragged.constant([[True, False, True], [False]])
    assert tf.ragged.boolean_mask(_rt(), ragged_mask).to_list() == [[1, 3], []]
    four = tf.ragged.constant([[1, 2, 3], [4], [], [5, 6]])
    assert tf.ragged.boolean_mask(four, [True, False, True, True]).to_list() == [
        [1, 2, 3],
        [],
        [5, 6],
    ]
    assert tf.ragged.row_splits_to_segment_ids([0, 2, 2, 5]).tolist() == [0, 0, 2, 2, 2]
    assert tf.ragged.segment_ids_to_row_splits([0, 0, 2, 2, 2]).tolist() == [0, 2, 2, 5]
    assert tf.ragged.segment_ids_to_row_splits([0, 0, 2], num_segments=5).tolist() == [
        0,
        2,
        2,
        3,
        3,
        3,
    ]
    assert repr(tf.RaggedTensorSpec([None, None], tf.int32)) == (
        "RaggedTensorSpec(TensorShape([None, None]), tf.int32, 1, tf.int64)"
    )
    assert tf.RaggedTensorSpec.from_value(_rt()).is_compatible_with(_rt())


def test_uniform_row_length_shape():
    # TF 2.21: uniform partitions show their length in `shape`; gathering rows forgets it.
    u = tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4], 2)
    assert u.shape.as_list() == [2, 2]
    assert int(u.uniform_row_length) == 2
    assert u.to_list() == [[1, 2], [3, 4]]
    assert (u + 1).shape.as_list() == [2, 2]
    assert u[1:].shape.as_list() == [1, 2]
    assert tf.gather(u, [0]).shape.as_list() == [1, None]
    assert tf.ragged.constant([[1], [2, 3]]).uniform_row_length is None
    split = tf.strings.split([["a b"], ["c d e"]])
    assert split.shape.as_list() == [2, 1, None] and split.ragged_rank == 2
    stacked = tf.stack([tf.ragged.constant([[1], [2, 3]])] * 2, axis=1)
    assert stacked.shape.as_list() == [2, None, None]


def test_is_tensor():
    # TF 2.21: tf.is_tensor(ragged) is True.
    assert tf.is_tensor(tf.ragged.constant([[1], [2, 3]]))
    assert not tf.is_tensor([1, 2])


def test_gather_with_ragged_indices():
    # TF 2.21: dense params gathered at ragged ids give a RaggedTensor.
    emb = tf.constant([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    ids = tf.ragged.constant([[0, 2], [1]])
    rows = tf.gather(emb, ids)
    assert rows.shape.as_list() == [2, None, 2]
    assert rows.to_list() == [[[0.0, 0.0], [2.0, 2.0]], [[1.0, 1.0]]]
    picked = tf.gather(_rt(), tf.ragged.constant([[0, 1], [1]]))
    assert picked.to_list() == [[[1, 2, 3], [4]], [[4]]]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices \[3\] are out of range"):
        tf.gather(_rt(), [3])


def test_dispatch_with_keyword_arguments():
    rt = _rt()
    assert tf.reduce_sum(input_tensor=rt, axis=1).tolist() == [6, 4]
    assert tf.reduce_sum(input_tensor=tf.constant([[1, 2], [3, 4]]), axis=1).tolist() == [3, 7]
    assert tf.cast(x=rt, dtype=tf.float32).dtype == torch.float32
    assert tf.add(x=rt, y=1).to_list() == [[2, 3, 4], [5]]
    assert tf.add(x=tf.constant([1]), y=1).tolist() == [2]
    assert tf.concat(values=[rt, rt], axis=0).nrows_int() == 4
    assert tf.gather(params=rt, indices=[1]).to_list() == [[4]]
    with pytest.raises(TypeError):
        tf.reduce_sum(axis=1)


def test_constant_uniform_inner_error():
    with pytest.raises(ValueError, match="inner values have inconsistent shape"):
        tf.ragged.constant([[[1, 2], [3]], [[4, 5]]], ragged_rank=1)
    with pytest.raises(ValueError, match="must keep the outer dimension"):
        tf.ragged.map_flat_values(lambda v: v[:1], _rt())


def test_sparse_conversions():
    # TF 2.21 values.
    st = tf.ragged.constant([[1, 2, 3], [], [4]]).to_sparse()
    assert st.indices.tolist() == [[0, 0], [0, 1], [0, 2], [2, 0]]
    assert st.values.tolist() == [1, 2, 3, 4]
    assert st.dense_shape.tolist() == [3, 3]
    nested = tf.ragged.constant([[[1, 2], [3]], [[4]]]).to_sparse()
    assert nested.indices.tolist() == [[0, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]]
    assert nested.dense_shape.tolist() == [2, 2, 2]
    sparse = tf.SparseTensor([[0, 0], [0, 1], [2, 0]], [1, 2, 3], [4, 5])
    assert tf.RaggedTensor.from_sparse(sparse).to_list() == [[1, 2], [], [3], []]
    with pytest.raises(tf.errors.InvalidArgumentError, match="SparseTensor is not right-ragged"):
        tf.RaggedTensor.from_sparse(tf.SparseTensor([[0, 1]], [1], [2, 3]))


def test_to_tensor_and_slicing_keep_gradients():
    values = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    rt = tf.RaggedTensor.from_row_lengths(values, [2, 1])
    padded = rt[:, :1].to_tensor(default_value=5.0)
    assert padded.tolist() == [[1.0], [3.0]]
    (padded * torch.tensor([[2.0], [3.0]])).sum().backward()
    assert values.grad.tolist() == [2.0, 0.0, 3.0]


def test_nn_activations_keep_the_row_structure():
    rt = tf.ragged.constant([[-1.0, 2.0], [3.0]])
    relu = tf.nn.relu(rt)
    assert isinstance(relu, tf.RaggedTensor)
    assert relu.to_list() == [[0.0, 2.0], [3.0]]
    np.testing.assert_allclose(
        tf.nn.sigmoid(rt).flat_values.numpy(), 1 / (1 + np.exp([1.0, -2.0, -3.0])), rtol=1e-6
    )
