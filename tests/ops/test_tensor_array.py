"""Tests for tf.TensorArray (eager semantics over a list of torch tensors)."""

import numpy as np
import pytest
import torch

import tork as tf


def test_write_read_stack_and_properties():
    ta = tf.TensorArray(tf.float32, size=3)
    assert ta.dtype == torch.float32 and ta.dynamic_size is False
    assert ta.element_shape == tf.TensorShape(None)
    rows = np.arange(6, dtype=np.float32).reshape(3, 2)
    for i in range(3):
        ta = ta.write(i, rows[i])
    assert ta.element_shape == tf.TensorShape([2])
    np.testing.assert_array_equal(ta.stack().numpy(), rows)
    np.testing.assert_array_equal(ta.read(1).numpy(), rows[1])
    np.testing.assert_array_equal(ta.read(tf.constant(1)).numpy(), rows[1])  # read-many
    assert ta.size().dtype == torch.int32 and int(ta.size()) == 3
    assert ta.identity() is ta


def test_write_returns_self_and_python_values_take_dtype():
    ta = tf.TensorArray(tf.int64, size=2)
    assert ta.write(0, 5) is ta
    ta.write(1, 7)
    out = ta.stack()
    assert out.dtype == torch.int64 and out.tolist() == [5, 7]


def test_gradients_flow_write_to_stack_and_read():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    ta = tf.TensorArray(tf.float32, size=3)
    for i in range(3):
        ta = ta.write(i, x * (i + 1))
    total = (ta.stack() ** 2).sum() + ta.read(0).sum()
    (grad,) = torch.autograd.grad(total, x)
    # d/dx sum_i (i+1)^2 x^2 = 2 x (1+4+9); plus d/dx sum(x) = 1
    np.testing.assert_allclose(grad.numpy(), 2 * np.array([1.0, 2.0]) * 14 + 1)


def test_dynamic_size_grows():
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for i in range(4):
        ta = ta.write(i, float(i))
    assert ta.stack().tolist() == [0.0, 1.0, 2.0, 3.0]
    ta = ta.write(6, 9.0)
    assert int(ta.size()) == 7
    assert ta.stack().tolist() == [0.0, 1.0, 2.0, 3.0, 0.0, 0.0, 9.0]  # unwritten: zeros


def test_unstack_gather_scatter_concat_split():
    value = np.arange(12, dtype=np.float32).reshape(4, 3)
    ta = tf.TensorArray(tf.float32, size=4).unstack(value)
    np.testing.assert_array_equal(ta.stack().numpy(), value)
    np.testing.assert_array_equal(ta.gather([3, 0]).numpy(), value[[3, 0]])
    np.testing.assert_array_equal(ta.concat().numpy(), value.reshape(-1))

    sc = tf.TensorArray(tf.float32, size=4, element_shape=[3])
    sc = sc.scatter([2, 0], value[:2])
    expected = np.zeros((4, 3), np.float32)
    expected[2], expected[0] = value[0], value[1]
    np.testing.assert_array_equal(sc.stack().numpy(), expected)

    sp = tf.TensorArray(tf.float32, size=3, infer_shape=False).split(value, [1, 3, 0])
    np.testing.assert_array_equal(sp.read(0).numpy(), value[:1])
    np.testing.assert_array_equal(sp.read(1).numpy(), value[1:])
    assert sp.read(2).shape == (0, 3)
    np.testing.assert_array_equal(sp.concat().numpy(), value)


def test_empty_stack_and_close():
    ta = tf.TensorArray(tf.float32, size=0, element_shape=[2, 3])
    assert ta.stack().shape == (0, 2, 3)
    ta = tf.TensorArray(tf.float32, size=2).unstack([[1.0], [2.0]])
    ta.close()
    assert int(ta.size()) == 0


def test_size_required_and_handle_rejected():
    with pytest.raises(ValueError, match="Size must be declared"):
        tf.TensorArray(tf.float32)
    with pytest.raises(ValueError, match="handles are not supported"):
        tf.TensorArray(tf.float32, size=1, handle=object())


def test_write_out_of_range_errors():
    ta = tf.TensorArray(tf.float32, size=2)
    with pytest.raises(tf.errors.OutOfRangeError, match="index 2 .*not resizeable.*size is 2"):
        ta.write(2, 1.0)
    with pytest.raises(tf.errors.OutOfRangeError, match="negative indices \\(index -1\\)"):
        ta.write(-1, 1.0)


def test_read_errors():
    ta = tf.TensorArray(tf.float32, size=2)
    with pytest.raises(tf.errors.OutOfRangeError, match="read from index 5 .*size is 2"):
        ta.read(5)
    with pytest.raises(tf.errors.OutOfRangeError, match="negative indices"):
        ta.read(-1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="index 0: it was never written"):
        ta.read(0)
    ta = ta.write(1, [1.0, 2.0])
    assert ta.read(0).tolist() == [0.0, 0.0]  # element shape now known: zeros


def test_shape_and_dtype_mismatch_errors():
    ta = tf.TensorArray(tf.float32, size=2)
    ta = ta.write(0, [1.0, 2.0])
    with pytest.raises(
        ValueError, match=r"Incompatible shape for value \(\(3,\)\), expected \(\(2,\)\)"
    ):
        ta.write(1, [1.0, 2.0, 3.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="dtype is float32 .*dtype int64"):
        ta.write(1, torch.tensor([1, 2]))
    fixed = tf.TensorArray(tf.float32, size=1, element_shape=tf.TensorShape([None, 2]))
    with pytest.raises(ValueError, match="Incompatible shape"):
        fixed.write(0, np.zeros((3, 3), np.float32))
    loose = tf.TensorArray(tf.float32, size=2, infer_shape=False)
    loose = loose.write(0, [1.0]).write(1, [1.0, 2.0])
    assert loose.concat().tolist() == [1.0, 1.0, 2.0]


def test_unstack_scatter_split_errors():
    ta = tf.TensorArray(tf.float32, size=2)
    with pytest.raises(
        ValueError, match="Cannot unstack 3 tensors into a TensorArray of static size 2"
    ):
        ta.unstack(np.zeros((3, 1), np.float32))
    with pytest.raises(ValueError, match="scatter got 2 indices but value of shape \\[3, 1\\]"):
        ta.scatter([0, 1], np.zeros((3, 1), np.float32))
    with pytest.raises(ValueError, match="lengths \\[1, 1\\] sum to 2 but value has shape \\[3\\]"):
        ta.split(np.zeros(3, np.float32), [1, 1])
    with pytest.raises(ValueError, match="rank >= 1"):
        tf.TensorArray(tf.float32, size=1).write(0, 1.0).concat()
