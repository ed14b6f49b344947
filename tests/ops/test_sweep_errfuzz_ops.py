"""errfuzz: op misuse gives TensorFlow's error class with the shapes, not a bare torch error.

Reference (tf 2.21, /tmp/tfenv): `tf.tensordot(tf.ones((2, 3)), tf.ones((4, 5)), axes=1)`
raises InvalidArgumentError "Matrix size-incompatible: In[0]: [2,3], In[1]: [4,5]";
`tf.one_hot([1], -1)` raises InvalidArgumentError "depth must be non-negative, got: -1";
`tf.tensordot(ones((2, 3)), ones((3, 5)), axes=1)` has shape (2, 5) and `tf.one_hot([1], 0)`
shape (1, 0).
"""

import numpy as np
import pytest

import tork as tf


def test_tensordot_integer_axes_size_mismatch():
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"tensordot: axes=1 contracts the last 1 axes of shape \(2, 3\) with the first 1 "
        r"axes of shape \(4, 5\).*axes=\[a_axes, b_axes\]",
    ):
        tf.tensordot(tf.ones((2, 3)), tf.ones((4, 5)), axes=1)


def test_tensordot_integer_axes_value():
    a = np.arange(6.0, dtype="float32").reshape(2, 3)
    b = np.arange(15.0, dtype="float32").reshape(3, 5)
    np.testing.assert_allclose(np.asarray(tf.tensordot(a, b, axes=1)), a @ b)
    np.testing.assert_allclose(float(tf.tensordot(a, a, axes=2)), float((a * a).sum()))


def test_one_hot_negative_depth():
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"one_hot: depth must be non-negative.*got -1"
    ):
        tf.one_hot([1], -1)


def test_one_hot_zero_depth_is_empty():
    assert tuple(tf.one_hot([1], 0).shape) == (1, 0)
    np.testing.assert_array_equal(np.asarray(tf.one_hot([2, 0], 3)), np.eye(3)[[2, 0]])


# Reference (tf 2.21): `tf.argmax(tf.ones((2, 3)), axis=2)` raises InvalidArgumentError
# "Expected dimension in the range [-2, 2), but got 2"; tork gave torch's IndexError
# "Dimension out of range (expected to be in range of [-2, 1], but got 2)".
@pytest.mark.parametrize("op, axis", [("argmax", 2), ("argmin", -3)])
def test_arg_reductions_axis_out_of_range(op, axis):
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=rf"{op}: axis={axis} is out of range for a tensor of shape \(2, 3\); "
        r"expected a value in \[-2, 2\)",
    ):
        getattr(tf, op)(tf.ones((2, 3)), axis=axis)


def test_arg_reductions_values_unchanged():
    x = np.array([[1, 9, 3], [5, 2, 8]], "float32")
    np.testing.assert_array_equal(np.asarray(tf.argmax(x, axis=1)), x.argmax(1))
    np.testing.assert_array_equal(np.asarray(tf.argmin(x, axis=-2)), x.argmin(0))
    np.testing.assert_array_equal(np.asarray(tf.argmax(x)), x.argmax(0))


# Reference (tf 2.21): reduce_mean / reduce_sum / reduce_max of a string tensor raise
# InvalidArgumentError "Value for attr 'T' of string is not in the list of allowed values";
# tork gave "sum(): argument 'input' (position 1) must be Tensor, not StringTensor".
@pytest.mark.parametrize("op", ["reduce_mean", "reduce_sum", "reduce_max"])
def test_reductions_of_strings(op):
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=rf"{op} cannot reduce a string tensor \(shape \(2,\)\).*tf\.strings\.reduce_join",
    ):
        getattr(tf, op)(tf.constant(["a", "b"]))


def test_reductions_of_numbers_unchanged():
    x = np.array([[1.0, 2.0], [3.0, 6.0]], "float32")
    assert float(tf.reduce_mean(x)) == pytest.approx(3.0)
    np.testing.assert_allclose(np.asarray(tf.reduce_sum(x, axis=0)), [4.0, 8.0])


# Reference (tf 2.21): tf.fill((2, 'x'), 1.0) and tf.zeros((2, 'a')) raise ValueError
# ("Can't convert Python sequence with mixed types"), tf.ones([2, 1.5]) raises TypeError;
# tork gave "invalid literal for int() with base 10: 'x'" and made tf.ones([2, 1.5]) of
# shape (2, 1) without a word (a silent wrong shape).
@pytest.mark.parametrize(
    "make, shown",
    [
        (lambda: tf.fill((2, "x"), 1.0), r"dims must hold integers, got \(2, 'x'\)"),
        (lambda: tf.zeros((2, "a")), r"shape must hold integers, got \(2, 'a'\)"),
        (
            lambda: tf.ones([2, 1.5]),
            r"shape must hold integers, got \(2, 1\.5\) \(dimension 1\.5\)",
        ),
    ],
)
def test_shapes_must_hold_integers(make, shown):
    with pytest.raises(ValueError, match=shown):
        make()


def test_integral_shapes_unchanged():
    assert tuple(tf.zeros((2, 3.0)).shape) == (2, 3)  # tork keeps accepting whole floats
    assert tuple(tf.fill([np.int64(2)], 1.0).shape) == (2,)
    assert tuple(tf.zeros([tf.constant(2), 3]).shape) == (2, 3)
