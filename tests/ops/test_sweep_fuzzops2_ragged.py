"""fuzzops2 sweep: RaggedTensor.merge_dims(1, k) and tf.math.reduce_logsumexp on ragged input.

Expected values come from TensorFlow 2.21 (CPU) (/tmp/fuzzops2/probe_sp.py, probe_lse.py).
"""

import math

import pytest

import tork as tf


def test_merge_dims_inner_axes_with_empty_rows():
    # tork raised "with_values: new values have 2 rows, expected 1".
    rt = tf.RaggedTensor.from_nested_row_lengths(tf.constant([1, 2]), [[0, 0, 0, 1], [2]])
    out = rt.merge_dims(1, 2)
    assert out.to_list() == [[], [], [], [1, 2]]
    assert out.row_splits.tolist() == [0, 0, 0, 0, 2]


def test_merge_dims_inner_axes():
    rt = tf.RaggedTensor.from_nested_row_lengths(
        tf.constant([1, 2, 3, 4, 5]), [[2, 0, 1], [2, 0, 3]]
    )
    assert rt.merge_dims(1, 2).to_list() == [[1, 2], [], [3, 4, 5]]
    assert rt.merge_dims(-2, -1).to_list() == [[1, 2], [], [3, 4, 5]]
    r3 = tf.ragged.constant([[[[1], [2]], [[3]]], [[[4, 5]]]])
    assert r3.merge_dims(1, 3).to_list() == [[1, 2, 3], [4, 5]]
    assert r3.merge_dims(1, 2).to_list() == [[[1], [2], [3]], [[4, 5]]]


def test_merge_dims_uniform_inner_axis():
    rt = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert rt.merge_dims(1, 2).to_list() == [[1, 2, 3, 4], [5, 6]]
    st = tf.ragged.constant([[["a", "b"], ["c", "d"]], [["e", "f"]]], ragged_rank=1)
    assert st.merge_dims(1, 2).to_list() == [[b"a", b"b", b"c", b"d"], [b"e", b"f"]]


def _close(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert (math.isinf(w) and g == w) or abs(g - w) < 1e-5, (got, want)


def test_reduce_logsumexp_ragged():
    # tork raised "A RaggedTensor cannot be converted to a dense tensor".
    rf = tf.RaggedTensor.from_row_lengths(tf.constant([1.0, 2.0, 3.0, 900.0]), [2, 0, 0, 2])
    _close(tf.math.reduce_logsumexp(rf, axis=1).tolist(), [2.3132617, -math.inf, -math.inf, 900.0])
    kept = tf.math.reduce_logsumexp(rf, axis=1, keepdims=True)
    assert tuple(kept.shape) == (4, 1)
    assert float(tf.math.reduce_logsumexp(rf)) == pytest.approx(900.0)
    assert float(tf.reduce_logsumexp(rf)) == pytest.approx(900.0)


def test_reduce_logsumexp_ragged_dense_inner_dim():
    rd = tf.RaggedTensor.from_row_lengths(
        tf.constant([[1.0, 2.0], [3.0, 800.0], [5.0, 6.0]]), [2, 0, 1]
    )
    out = tf.math.reduce_logsumexp(rd, axis=1).tolist()
    _close(out[0], [3.126928, 800.0])
    _close(out[1], [-math.inf, -math.inf])
    _close(out[2], [5.0, 6.0])
    _close(tf.math.reduce_logsumexp(rd, axis=[1, 2]).tolist(), [800.0, -math.inf, 6.3132615])


def test_reduce_logsumexp_ragged_result_that_stays_ragged():
    # TF raises too (its peak stays ragged); tork says what to do instead.
    r3 = tf.ragged.constant([[[1.0, 2.0], [3.0]], [[4.0, 500.0]], []])
    with pytest.raises(NotImplementedError, match="would stay ragged"):
        tf.math.reduce_logsumexp(r3, axis=2)
    _close(tf.math.reduce_logsumexp(r3, axis=[1, 2]).tolist(), [3.4076059, 500.0, -math.inf])


def test_reduce_max_min_of_empty_ragged_rows_is_the_finite_extreme():
    # Silent wrong result before: tork filled empty rows with -inf/inf; TF uses the dtype's
    # lowest/highest finite value.
    low32 = -3.4028234663852886e38
    rt = tf.ragged.constant([[1.0, 2.0], []])
    assert tf.reduce_max(rt, axis=1).tolist() == [2.0, low32]
    assert tf.reduce_min(rt, axis=1).tolist() == [1.0, -low32]
    nested = tf.ragged.constant([[[1.0, 2.0]], [[]], []])
    assert tf.reduce_max(nested, axis=[1, 2]).tolist() == [2.0, low32, low32]
    assert tf.reduce_max(tf.ragged.constant([[[1.0, 2.0]], [[]]]), axis=2).to_list() == [
        [2.0],
        [low32],
    ]
    r64 = tf.ragged.constant([[1.0, 2.0], []], dtype=tf.float64)
    assert tf.reduce_max(r64, axis=1).tolist() == [2.0, -1.7976931348623157e308]
    r16 = tf.ragged.constant([[1.0, 2.0], []], dtype=tf.float16)
    assert tf.reduce_max(r16, axis=1).tolist() == [2.0, -65504.0]


def test_ragged_boolean_mask_below_the_rows():
    # tork raised "row_lengths must be 1-D" (uniform inner dim) or NotImplementedError
    # (ragged_rank 2); TF masks the items one level down and keeps the outer rows.
    rt = tf.RaggedTensor.from_row_lengths(
        tf.constant([[1.0, -2.0], [3.0, 4.0], [-5.0, 6.0]]), [2, 1]
    )
    assert tf.ragged.boolean_mask(rt, rt > 0).to_list() == [[[1.0], [3.0, 4.0]], [[6.0]]]
    row_mask = tf.ragged.constant([[True, False], [True]])
    assert tf.ragged.boolean_mask(rt, row_mask).to_list() == [[[1.0, -2.0]], [[-5.0, 6.0]]]
    r2 = tf.RaggedTensor.from_nested_row_lengths(
        tf.constant([1.0, -2.0, 3.0, -4.0, 5.0, 6.0]), [[2, 0, 1], [1, 2, 3]]
    )
    assert tf.ragged.boolean_mask(r2, r2 > 0).to_list() == [[[1.0], [3.0]], [], [[5.0, 6.0]]]
    every = tf.ones_like(r2, dtype=tf.bool)
    assert tf.ragged.boolean_mask(r2, every).to_list() == [
        [[1.0], [-2.0, 3.0]],
        [],
        [[-4.0, 5.0, 6.0]],
    ]
    outer = tf.ragged.constant([[True, False], [], [False]])
    assert tf.ragged.boolean_mask(r2, outer).to_list() == [[[1.0]], [], []]


def test_ragged_boolean_mask_row_mismatch():
    with pytest.raises(ValueError, match="different row lengths"):
        tf.ragged.boolean_mask(
            tf.ragged.constant([[1, 2], [3]]), tf.ragged.constant([[True], [True, False]])
        )


def test_stack_dynamic_partitions_splits_take_the_partitions_dtype():
    out = tf.ragged.stack_dynamic_partitions([1.0, 2.0, 3.0], tf.constant([0, 1, 0]), 2)
    assert out.row_splits.dtype == tf.int32
    assert out.to_list() == [[1.0, 3.0], [2.0]]
    ids64 = tf.constant([0, 1, 0], tf.int64)
    assert (
        tf.ragged.stack_dynamic_partitions([1.0, 2.0, 3.0], ids64, 2).row_splits.dtype == tf.int64
    )


def test_ragged_indexing_with_ellipsis():
    # tork raised NotImplementedError for `...` before other indices.
    rt = tf.RaggedTensor.from_row_lengths(
        tf.constant([[1.0, -2.0], [3.0, 4.0], [-5.0, 6.0]]), [2, 1]
    )
    r1 = tf.ragged.constant([[1, 2, 3], [4]])
    r2 = tf.RaggedTensor.from_nested_row_lengths(
        tf.constant([1.0, -2.0, 3.0, -4.0, 5.0, 6.0]), [[2, 0, 1], [1, 2, 3]]
    )
    assert rt[..., :1].to_list() == [[[1.0], [3.0]], [[-5.0]]]
    assert rt[..., 0].to_list() == [[1.0, 3.0], [-5.0]]
    assert r1[..., :2].to_list() == [[1, 2], [4]]
    assert r2[..., :1].to_list() == [[[1.0], [-2.0]], [], [[-4.0]]]
    assert r2[..., -1:].to_list() == [[[1.0], [3.0]], [], [[6.0]]]
    assert rt[0, ...].tolist() == [[1.0, -2.0], [3.0, 4.0]]
    assert rt[:1, ..., 1].to_list() == [[-2.0, 4.0]]
    assert r2[1:, ...].to_list() == [[], [[-4.0, 5.0, 6.0]]]
    assert r2[..., :1, :1].to_list() == [[[1.0]], [], [[-4.0]]]
    assert rt[..., :1, 0].to_list() == [[1.0], [-5.0]]
    with pytest.raises(ValueError, match="Cannot index into an inner ragged dimension"):
        r1[..., 0]


def test_ragged_concat_and_stack_inner_axes():
    # tork raised NotImplementedError "only 0 and 1"; values from TF 2.21 (probe_cat.py).
    rt = tf.RaggedTensor.from_row_lengths(
        tf.constant([[1.0, -2.0], [3.0, 4.0], [-5.0, 6.0]]), [2, 1]
    )
    r1 = tf.ragged.constant([[1, 2, 3], [4]])
    r2 = tf.RaggedTensor.from_nested_row_lengths(
        tf.constant([1.0, -2.0, 3.0, -4.0, 5.0, 6.0]), [[2, 0, 1], [1, 2, 3]]
    )
    assert tf.concat([rt, rt], axis=-1).to_list() == [
        [[1.0, -2.0, 1.0, -2.0], [3.0, 4.0, 3.0, 4.0]],
        [[-5.0, 6.0, -5.0, 6.0]],
    ]
    assert tf.stack([rt, rt], axis=2).to_list() == [
        [[[1.0, -2.0], [1.0, -2.0]], [[3.0, 4.0], [3.0, 4.0]]],
        [[[-5.0, 6.0], [-5.0, 6.0]]],
    ]
    assert tf.stack([r1, r1], axis=-1).to_list() == [[[1, 1], [2, 2], [3, 3]], [[4, 4]]]
    assert tf.concat([r2, r2 * 2], axis=-1).to_list() == [
        [[1.0, 2.0], [-2.0, 3.0, -4.0, 6.0]],
        [],
        [[-4.0, 5.0, 6.0, -8.0, 10.0, 12.0]],
    ]
    assert tf.stack([r2, r2], axis=-1).to_list() == [
        [[[1.0, 1.0]], [[-2.0, -2.0], [3.0, 3.0]]],
        [],
        [[[-4.0, -4.0], [5.0, 5.0], [6.0, 6.0]]],
    ]
    other = tf.ragged.constant([[[1.0], []], [], [[3.0]]])
    assert tf.concat([r2, other], axis=2).to_list() == [
        [[1.0, 1.0], [-2.0, 3.0]],
        [],
        [[-4.0, 5.0, 6.0, 3.0]],
    ]
    with pytest.raises(tf.errors.InvalidArgumentError, match="identical row splits"):
        tf.stack([r1, tf.ragged.constant([[1], [2, 3]])], axis=2)


def test_row_lengths_and_to_sparse_with_uniform_inner_dims():
    # tork raised "axis=2 is not a ragged dimension" / NotImplementedError; TF 2.21 values.
    rt = tf.RaggedTensor.from_row_lengths(
        tf.constant([[1.0, -2.0], [3.0, 4.0], [-5.0, 6.0]]), [2, 1]
    )
    assert rt.row_lengths(axis=2).to_list() == [[2, 2], [2]]
    sp = rt.to_sparse()
    assert sp.indices.tolist() == [[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1], [1, 0, 0], [1, 0, 1]]
    assert sp.values.tolist() == [1.0, -2.0, 3.0, 4.0, -5.0, 6.0]
    assert sp.dense_shape.tolist() == [2, 2, 2]
    r2 = tf.RaggedTensor.from_nested_row_lengths(
        tf.constant([[1.0, -2.0], [3.0, 4.0], [-5.0, 6.0]]), [[2, 0], [1, 2]]
    )
    assert r2.row_lengths(axis=3).to_list() == [[[2], [2, 2]], []]
    sp = r2.to_sparse()
    assert sp.indices.tolist() == [
        [0, 0, 0, 0],
        [0, 0, 0, 1],
        [0, 1, 0, 0],
        [0, 1, 0, 1],
        [0, 1, 1, 0],
        [0, 1, 1, 1],
    ]
    assert sp.dense_shape.tolist() == [2, 2, 2, 2]


def test_ragged_slicing_with_a_step():
    # tork raised NotImplementedError for a step other than 1; values from TF 2.21.
    r = tf.ragged.constant([[1, 2, 3, 4, 5], [4], []])
    assert r[:, ::2].to_list() == [[1, 3, 5], [4], []]
    assert r[:, ::-1].to_list() == [[5, 4, 3, 2, 1], [4], []]
    assert r[:, 3:0:-2].to_list() == [[4, 2], [], []]
    rt = tf.RaggedTensor.from_row_lengths(
        tf.constant([[1.0, -2.0], [3.0, 4.0], [-5.0, 6.0]]), [2, 1]
    )
    assert rt[:, ::-1, 0].to_list() == [[3.0, 1.0], [-5.0]]
    r2 = tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]]])
    assert r2[:, ::-1, ::2].to_list() == [[[3], [1]], [[4, 6]]]


def test_from_tensor_nested_lengths():
    # tork raised a NumPy "inhomogeneous shape" error for TF's nested `lengths`.
    t = tf.constant([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])
    out = tf.RaggedTensor.from_tensor(t, lengths=([1, 2], [1, 2, 0]))
    assert out.to_list() == [[[1]], [[5, 6], []]]
    assert out.ragged_rank == 2
    assert tf.RaggedTensor.from_tensor(t, lengths=[[1, 2]]).to_list() == [
        [[1, 2]],
        [[5, 6], [7, 8]],
    ]
    assert tf.RaggedTensor.from_tensor(t[:, 0], lengths=[1, 0]).to_list() == [[1], []]


def test_ragged_int_variance_dtype_and_dense_stack_splits():
    # TF 2.21: int32/int64 ragged variance in float64 (smaller ints in float32); a ragged
    # stack of dense tensors has int32 row splits.
    var = tf.math.reduce_variance(tf.ragged.constant([[1, 2], [3]]), axis=1)
    assert var.dtype == tf.float64
    assert var.tolist() == [0.25, 0.0]
    small = tf.cast(tf.ragged.constant([[1, 2], [3]]), tf.int8)
    assert tf.math.reduce_variance(small, axis=1).dtype == tf.float32
    stacked = tf.ragged.stack([tf.constant([1, 2]), tf.constant([3])])
    assert stacked.row_splits.dtype == tf.int32
    assert stacked.to_list() == [[1, 2], [3]]
