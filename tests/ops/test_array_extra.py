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
