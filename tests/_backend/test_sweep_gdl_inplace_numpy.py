"""`array op= tensor` with a NumPy array on the left, as TensorFlow's tensors behave.

TF's tensors make NumPy give up on in-place operators, so `a += t` rebinds `a` to the
tensor `a + t` (the array's dtype becomes the tensor's, the gradient flows, and the array
object is not written). Expected values below were checked with TF 2.21.
"""

import numpy as np
import torch

import tork as tf


def test_iadd_gives_tensor_of_tensor_dtype_and_leaves_array_alone():
    data = np.zeros((4, 2))  # float64
    view = data[:2]
    view += tf.ones((2, 2))
    assert isinstance(view, torch.Tensor)
    assert view.dtype == torch.float32
    np.testing.assert_array_equal(view.numpy(), np.ones((2, 2), np.float32))
    assert data.sum() == 0.0  # TF 2.21: the user's array is untouched


def test_imul_and_isub():
    a = np.full((3,), 2.0)
    a *= tf.constant([1.0, 2.0, 3.0])
    assert isinstance(a, torch.Tensor) and a.dtype == torch.float32
    np.testing.assert_allclose(a.numpy(), [2.0, 4.0, 6.0])
    b = np.array([5, 6, 7], np.int64)
    b -= tf.constant([1, 2, 3])
    assert isinstance(b, torch.Tensor) and b.dtype == torch.int32
    np.testing.assert_array_equal(b.numpy(), [4, 4, 4])


def test_iadd_keeps_gradient():
    w = tf.Variable(np.ones((2,), np.float32))
    with tf.GradientTape() as tape:
        a = np.zeros((2,), np.float32)
        a += w * 3.0
        loss = tf.reduce_sum(a)
    # TF 2.21: [3., 3.] (before, NumPy wrote into `a` and the gradient was None).
    np.testing.assert_allclose(tape.gradient(loss, w).numpy(), [3.0, 3.0])


def test_langevin_step_on_numpy_start_stays_float32():
    # The EBM sampler of 'Generative Deep Learning': a float64 NumPy start image.
    imgs = np.random.RandomState(0).uniform(size=(2, 3)) * 2 - 1
    imgs += tf.random.normal(imgs.shape, mean=0, stddev=0.0)
    imgs = tf.clip_by_value(imgs, -1.0, 1.0)
    assert imgs.dtype == torch.float32  # TF 2.21: float32


def test_slice_iadd_writes_into_array():
    a = np.zeros((3,))
    a[1:] += tf.constant([1.0, 2.0])
    assert isinstance(a, np.ndarray) and a.dtype == np.float64
    np.testing.assert_array_equal(a, [0.0, 1.0, 2.0])


def test_explicit_out_still_writes_into_array():
    c = np.zeros((2, 2))
    result = np.add(c, tf.ones((2, 2)), out=c)
    assert isinstance(result, np.ndarray) and result is c
    np.testing.assert_array_equal(c, np.ones((2, 2)))
