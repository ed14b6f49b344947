"""Tests for tf.py_function and tf.numpy_function."""

import numpy as np
import pytest
import torch

import tork as tf


def test_py_function_single_dtype_and_gradient():
    x = torch.tensor(3.0, requires_grad=True)
    m = torch.tensor(2.0)

    def log_huber(a, b):
        if torch.abs(a) <= b:
            return a**2
        return b**2 * (1 - 2 * torch.log(b) + torch.log(a**2))

    y = tf.py_function(func=log_huber, inp=[x, m], Tout=tf.float32)
    expected = 4.0 * (1 - 2 * np.log(2.0) + np.log(9.0))
    assert y.dtype == torch.float32
    np.testing.assert_allclose(y.item(), expected, rtol=1e-6)
    (grad,) = torch.autograd.grad(y, x)
    np.testing.assert_allclose(grad.item(), 4.0 * 2 / 3.0, rtol=1e-6)  # b^2 * 2/a


def test_py_function_list_tout_casts_and_converts():
    def f(a, b):
        return a + b, [1, 2], np.float64(0.5)

    out = tf.py_function(f, [tf.constant([1, 2]), 3], Tout=[tf.float32, tf.int64, tf.float64])
    assert isinstance(out, list) and len(out) == 3
    assert out[0].dtype == torch.float32 and out[0].tolist() == [4.0, 5.0]
    assert out[1].dtype == torch.int64 and out[1].tolist() == [1, 2]
    assert out[2].dtype == torch.float64 and out[2].item() == 0.5


def test_py_function_inputs_are_tensors_and_tensorspec_tout():
    seen = []

    def f(a):
        seen.append(type(a))
        return a * 2

    out = tf.py_function(f, [[1.0, 2.0]], Tout=[tf.TensorSpec(None, tf.float64)])
    assert seen == [torch.Tensor]
    assert out[0].dtype == torch.float64 and out[0].tolist() == [2.0, 4.0]


def test_py_function_no_outputs():
    calls = []
    assert tf.py_function(lambda a: calls.append(a.item()), [1.0], Tout=None) is None
    assert tf.py_function(lambda a: None, [1.0], Tout=[]) == []
    assert calls == [1.0]


def test_py_function_as_decorator():
    @tf.py_function(Tout=tf.float32)
    def double(a):
        return a * 2

    assert double(tf.constant(2.0)).item() == 4.0


def test_py_function_output_count_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="returned 2 output.*names 3 dtype"):
        tf.py_function(lambda a: (a, a), [1.0], Tout=[tf.float32] * 3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="returned 2 outputs but Tout names 1"):
        tf.py_function(lambda a: (a, a), [1.0], Tout=tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="returned 1 output.*Tout is None"):
        tf.py_function(lambda a: a, [1.0], Tout=None)
    with pytest.raises(tf.errors.InvalidArgumentError, match="output 0 of func is None"):
        tf.py_function(lambda a: None, [1.0], Tout=tf.float32)
    with pytest.raises(TypeError, match="Tout must be a dtype"):
        tf.py_function(lambda a: a, [1.0], Tout=object())


def test_numpy_function_passes_arrays_and_has_no_gradient():
    x = torch.tensor([0.0, 0.5, 2.0], requires_grad=True)
    seen = []

    def f(a):
        seen.append(type(a))
        return np.sinc(a).astype(np.float64)

    y = tf.numpy_function(f, [x], Tout=tf.float32)
    assert seen == [np.ndarray]
    assert y.dtype == torch.float32 and not y.requires_grad and y.device == x.device
    np.testing.assert_allclose(y.numpy(), np.sinc([0.0, 0.5, 2.0]), rtol=1e-6, atol=1e-7)


def test_numpy_function_multiple_outputs_and_decorator():
    out = tf.numpy_function(
        lambda a, b: (a + b, a * b), [tf.constant([1, 2]), np.array([3, 4])], [tf.int32, tf.int64]
    )
    assert out[0].dtype == torch.int32 and out[0].tolist() == [4, 6]
    assert out[1].dtype == torch.int64 and out[1].tolist() == [3, 8]

    @tf.numpy_function(Tout=tf.float32, stateful=False)
    def square(a):
        return a**2

    assert square(tf.constant([3.0])).tolist() == [9.0]


def test_numpy_function_output_count_error():
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"returned 1 output.*\['float32', 'int32'\]"
    ):
        tf.numpy_function(lambda a: a, [1.0], Tout=[tf.float32, tf.int32])
