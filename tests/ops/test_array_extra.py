"""Tests for tf.strided_slice, tf.get_static_value, tf.Assert, tf.histogram_fixed_width,
tf.broadcast_static_shape, tf.as_dtype and tf.DType."""

import numpy as np
import pytest
import torch

import tork as tf

T = [[[1, 1, 1], [2, 2, 2]], [[3, 3, 3], [4, 4, 4]], [[5, 5, 5], [6, 6, 6]]]


def test_strided_slice_docs_examples():
    t = tf.constant(T)
    assert tf.strided_slice(t, [1, 0, 0], [2, 1, 3], [1, 1, 1]).tolist() == [[[3, 3, 3]]]
    assert tf.strided_slice(t, [1, 0, 0], [2, 2, 3], [1, 1, 1]).tolist() == [[[3, 3, 3], [4, 4, 4]]]
    assert tf.strided_slice(t, [1, -1, 0], [2, -3, 3], [1, -1, 1]).tolist() == [
        [[4, 4, 4], [3, 3, 3]]
    ]


X = np.arange(5 * 6 * 7 * 4).reshape(5, 6, 7, 4)


@pytest.mark.parametrize(
    "args, kwargs, expected",
    [
        # x[2:, :3, ...]  (begin_mask on axis 1, ellipsis at spec 2)
        (
            ([2, 9, 0], [9, 3, 0], [1, 1, 1]),
            dict(end_mask=1, begin_mask=2, ellipsis_mask=4),
            X[2:, :3, ...],
        ),
        # x[..., ::-2]
        (([0, 0], [0, 0], [1, -2]), dict(ellipsis_mask=1, begin_mask=2, end_mask=2), X[..., ::-2]),
        # x[1, tf.newaxis, 4:1:-1] : shrink spec 0, new axis spec 1
        (
            ([1, 0, 4], [2, 0, 1], [1, 1, -1]),
            dict(shrink_axis_mask=1, new_axis_mask=2),
            X[1, np.newaxis, 4:1:-1],
        ),
        # x[-1, ..., 3] : shrink on both sides of an ellipsis
        (
            ([-1, 0, 3], [0, 0, 4], [1, 1, 1]),
            dict(shrink_axis_mask=5, ellipsis_mask=2),
            X[-1, ..., 3],
        ),
        # x[:, ::3, 5:-8:-2] with out-of-range ends clamped
        (
            ([0, 0, 5], [0, 100, -100], [1, 3, -2]),
            dict(begin_mask=3, end_mask=1),
            X[:, ::3, 5:-100:-2],
        ),
        # implicit trailing ellipsis and a reversed empty range
        (([3], [1], [1]), {}, X[3:1]),
        # x[tf.newaxis, ..., tf.newaxis]
        (
            ([0, 0, 0], [0, 0, 0], [1, 1, 1]),
            dict(new_axis_mask=5, ellipsis_mask=2),
            X[np.newaxis, ..., np.newaxis],
        ),
    ],
)
def test_strided_slice_matches_numpy(args, kwargs, expected):
    out = tf.strided_slice(tf.constant(X), *args, **kwargs)
    assert tuple(out.shape) == expected.shape
    np.testing.assert_array_equal(out.numpy(), expected)


def test_strided_slice_default_strides_and_gradient():
    x = torch.arange(10.0, requires_grad=True)
    y = tf.strided_slice(x, [8], [2], [-3])  # x[8:2:-3] = [8, 5]
    assert y.tolist() == [8.0, 5.0]
    (grad,) = torch.autograd.grad((y * torch.tensor([1.0, 2.0])).sum(), x)
    expected = np.zeros(10)
    expected[8], expected[5] = 1.0, 2.0
    np.testing.assert_array_equal(grad.numpy(), expected)
    assert tf.strided_slice(x, [1], [4]).tolist() == [1.0, 2.0, 3.0]


def test_strided_slice_errors():
    x = tf.constant(X)
    with pytest.raises(ValueError, match="multiple ellipses"):
        tf.strided_slice(x, [0, 0], [0, 0], [1, 1], ellipsis_mask=3)
    with pytest.raises(ValueError, match=r"strides\[1\] must be non-zero"):
        tf.strided_slice(x, [0, 0], [1, 1], [1, 0])
    with pytest.raises(ValueError, match="same length, got 2, 1 and 2"):
        tf.strided_slice(x, [0, 0], [1], [1, 1])
    with pytest.raises(ValueError, match="indexes 5 dimensions but the input has shape"):
        tf.strided_slice(x, [0] * 5, [1] * 5, [1] * 5)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="slice index 5 of dimension 0 out of bounds"
    ):
        tf.strided_slice(x, [5], [6], [1], shrink_axis_mask=1)


def test_get_static_value():
    t = tf.constant([1, 2])
    value = tf.get_static_value(t)
    assert isinstance(value, np.ndarray) and value.dtype == np.int32
    np.testing.assert_array_equal(value, [1, 2])
    v = tf.Variable([1.0, 2.0])
    snap = tf.get_static_value(v)
    v.assign([5.0, 6.0])
    np.testing.assert_array_equal(snap, [1.0, 2.0])  # a copy, not a view
    assert tf.get_static_value(3) == 3
    assert tf.get_static_value([1, 2], partial=True) == [1, 2]
    assert tf.get_static_value(None) is None


def test_assert_passes_and_raises_with_data():
    assert tf.Assert(tf.constant(True), [tf.constant([1, 2])]) is None
    assert tf.Assert(True, ["ok"]) is None
    x = tf.range(10)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"x too big\n0, 1, 2, \.\.\.$"):
        tf.Assert(tf.reduce_max(x) < 5, ["x too big", x])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"0, 1, 2, 3, 4, \.\.\."):
        tf.Assert(False, [x], summarize=5)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"data: 7\.5$"):
        tf.Assert(np.bool_(False), [tf.constant(7.5)], summarize=-1)
    with pytest.raises(
        ValueError, match=r"condition must be a scalar boolean, got a tensor of shape \(2,\)"
    ):
        tf.Assert(tf.constant([True, False]), [])


def test_histogram_fixed_width_docs_example():
    hist = tf.histogram_fixed_width([-1.0, 0.0, 1.5, 2.0, 5.0, 15], [0.0, 5.0], nbins=5)
    assert hist.dtype == torch.int32
    assert hist.tolist() == [2, 1, 1, 0, 2]


def test_histogram_fixed_width_matches_numpy():
    rng = np.random.default_rng(0)
    values = rng.uniform(-1.0, 3.0, size=(50, 7)).astype(np.float32)
    hist = tf.histogram_fixed_width(
        tf.constant(values), tf.constant([-1.0, 3.0]), nbins=13, dtype=tf.int64
    )
    expected, _ = np.histogram(values.astype(np.float64), bins=13, range=(-1.0, 3.0))
    assert hist.dtype == torch.int64
    np.testing.assert_array_equal(hist.numpy(), expected)
    # Integers, values outside the range counted in the edge bins, default nbins=100.
    ints = tf.histogram_fixed_width(tf.constant([-5, 0, 3, 9, 10, 50]), [0, 10])
    assert ints.shape == (100,) and int(ints.sum()) == 6
    assert int(ints[0]) == 2 and int(ints[30]) == 1 and int(ints[90]) == 1 and int(ints[99]) == 2


def test_histogram_fixed_width_errors():
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"value_range\[0\] < value_range\[1\]"
    ):
        tf.histogram_fixed_width([1.0], [2.0, 2.0], nbins=3)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="nbins should be a positive number, got 0"
    ):
        tf.histogram_fixed_width([1.0], [0.0, 2.0], nbins=0)
    with pytest.raises(TypeError, match="dtype must be int32 or int64, got float32"):
        tf.histogram_fixed_width([1.0], [0.0, 2.0], dtype=tf.float32)
    with pytest.raises(ValueError, match="value_range must have 2 entries"):
        tf.histogram_fixed_width([1.0], [0.0, 1.0, 2.0])


def test_broadcast_static_shape():
    out = tf.broadcast_static_shape(tf.TensorShape([1, 2, 3]), tf.TensorShape([5, 1, 3]))
    assert isinstance(out, tf.TensorShape) and out.as_list() == [5, 2, 3]
    for a, b in [((4, 1), (3,)), ((), (2, 3)), ((2, 1, 3), (1, 7, 1))]:
        got = tf.broadcast_static_shape(tf.TensorShape(a), tf.TensorShape(b))
        assert tuple(got.as_list()) == np.broadcast_shapes(a, b)
    partial = tf.broadcast_static_shape(tf.TensorShape([None, 1, 3]), tf.TensorShape([4, None, 1]))
    assert partial.as_list() == [4, None, 3]
    assert tf.broadcast_static_shape(tf.TensorShape(None), tf.TensorShape([2])).rank is None


def test_broadcast_static_shape_error():
    with pytest.raises(
        ValueError, match=r"Incompatible shapes for broadcasting: \(2, 3\) and \(4, 3\)"
    ):
        tf.broadcast_static_shape(tf.TensorShape([2, 3]), tf.TensorShape([4, 3]))


def test_as_dtype_and_dtype():
    assert tf.as_dtype("float32") is torch.float32
    assert tf.as_dtype(np.int64) is torch.int64
    assert tf.as_dtype(tf.float16) is tf.float16
    assert isinstance(tf.float32, tf.DType)
    assert tf.DType is torch.dtype
    with pytest.raises(TypeError, match="Cannot convert 'floaty' to a dtype"):
        tf.as_dtype("floaty")


# ---------------------------------------------------------------- TF 2.21 sweep (numbers from TF)


def test_linspace_of_integers_is_float64():
    out = tf.linspace(0, 10, 5)
    assert out.dtype == torch.float64 and out.tolist() == [0.0, 2.5, 5.0, 7.5, 10.0]
    assert tf.linspace(0.0, 1.0, 3).dtype == torch.float32


def test_expand_dims_takes_a_one_element_list():
    assert tuple(tf.expand_dims(tf.zeros((3, 4)), [0]).shape) == (1, 3, 4)
    assert tuple(tf.expand_dims(tf.zeros((3, 4)), tf.constant([1])).shape) == (3, 1, 4)
    with pytest.raises(tf.errors.InvalidArgumentError, match="axis must be a single integer"):
        tf.expand_dims(tf.zeros((3, 4)), [0, 1])


def test_range_in_the_wrong_direction_is_invalid_argument():
    with pytest.raises(tf.errors.InvalidArgumentError, match="wrong order for delta=1"):
        tf.range(5, 2)
    assert tf.range(3, 3).tolist() == []


def test_scatter_rejects_negative_indices():
    # torch's index_put would write -1 into the last element; TF refuses.
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"indices\[0\] = \[-1\] does not index"
    ):
        tf.tensor_scatter_nd_update(tf.constant([1, 2, 3]), [[-1]], [9])
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not index"):
        tf.scatter_nd([[-1]], tf.constant([9]), [3])


def test_unique_with_counts():
    out = tf.unique_with_counts(tf.constant([3, 1, 3, 2, 1, 5]))
    assert out.y.tolist() == [3, 1, 2, 5]
    assert out.idx.tolist() == [0, 1, 0, 2, 1, 3]
    assert out.count.tolist() == [2, 2, 1, 1] and out.count.dtype == torch.int32
    assert tf.unique_with_counts(tf.constant([3, 1]), out_idx=tf.int64).count.dtype == torch.int64


def test_shape_n_broadcast_dynamic_shape_unravel_index():
    shapes = tf.shape_n([tf.zeros((2, 3)), tf.zeros(4)])
    assert [s.tolist() for s in shapes] == [[2, 3], [4]] and shapes[0].dtype == torch.int32
    out = tf.broadcast_dynamic_shape(tf.constant([3, 1], tf.int64), tf.constant([4], tf.int64))
    assert out.tolist() == [3, 4] and out.dtype == torch.int64
    with pytest.raises(tf.errors.InvalidArgumentError, match="incompatible shapes"):
        tf.broadcast_dynamic_shape([3, 2], [4])
    assert tf.unravel_index([5, 7], [3, 4]).tolist() == [[1, 1], [1, 3]]
    assert tf.unravel_index(5, [3, 4]).tolist() == [1, 1]


def test_histogram_fixed_width_bins():
    got = tf.histogram_fixed_width_bins(
        tf.constant([-1.0, 0.0, 1.5, 2.0, 5.0, 15.0]), [0.0, 5.0], 5
    )
    assert got.tolist() == [0, 0, 1, 2, 4, 4] and got.dtype == torch.int32
    got = tf.histogram_fixed_width_bins(tf.constant([[-1.0, 0.0], [1.5, 2.0]]), [0.0, 5.0], 5)
    assert got.tolist() == [[0, 0], [1, 2]]


def test_reverse_sequence():
    x = tf.reshape(tf.range(12), (2, 6))
    got = tf.reverse_sequence(x, [2, 4], seq_axis=1, batch_axis=0)
    assert got.tolist() == [[1, 0, 2, 3, 4, 5], [9, 8, 7, 6, 10, 11]]
    got = tf.reverse_sequence(tf.reshape(tf.range(8), (4, 2)), [3, 1], seq_axis=0, batch_axis=1)
    assert got.tolist() == [[4, 1], [2, 3], [0, 5], [6, 7]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="seq_lengths has 1 entries"):
        tf.reverse_sequence(x, [2], seq_axis=1)


def test_dynamic_partition_and_stitch():
    parts = tf.dynamic_partition(tf.constant([1.0, 2, 3, 4]), [0, 1, 0, 2], 3)
    assert [p.tolist() for p in parts] == [[1.0, 3.0], [2.0], [4.0]]
    parts = tf.dynamic_partition(tf.constant([[1.0, 2], [3, 4]]), [1, 0], 2)
    assert [p.tolist() for p in parts] == [[[3.0, 4.0]], [[1.0, 2.0]]]
    got = tf.dynamic_stitch([[0, 2], [1, 3]], [tf.constant([1.0, 2]), tf.constant([3.0, 4])])
    assert got.tolist() == [1.0, 3.0, 2.0, 4.0]
    # A repeated index takes the later value; unwritten rows are 0.
    got = tf.dynamic_stitch([[0, 2], [2]], [tf.constant([1.0, 2]), tf.constant([9.0])])
    assert got.tolist() == [1.0, 0.0, 9.0]
    assert [t.tolist() for t in tf.identity_n([tf.constant(1), [2.0]])] == [1, [2.0]]
