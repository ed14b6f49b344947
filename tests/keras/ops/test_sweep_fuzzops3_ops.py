"""keras.ops dtype promotion of NumPy operands (helper fuzzops3, differential fuzzing).

Expected dtypes and values were printed by Keras 3.15 with the TensorFlow backend
(/tmp/fuzzops3/probe_kops.py): NumPy arrays are strongly typed whatever their rank, Python
scalars weakly typed.
"""

import numpy as np
import torch

import tork.keras.ops as kops


def test_zero_d_array_beside_a_tensor_promotes():
    half = torch.ones(2, dtype=torch.float16)
    # Keras: add(float16 tensor, 0-d float32 array) -> float32 [3.5, 3.5]
    out = kops.add(half, np.array(2.5, np.float32))
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), [3.5, 3.5])
    # Keras: arctan2(float16, 0-d float32 1.0) -> float32 [0.7854, 0.7854]
    out = kops.arctan2(half, np.array(1.0, np.float32))
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), [0.7853982, 0.7853982], rtol=1e-6)
    # an int32 0-d array beside an int8 tensor: int32, as Keras
    out = kops.multiply(torch.ones(2, dtype=torch.int8), np.array(3, np.int32))
    assert out.dtype == torch.int32


def test_numpy_arrays_keep_weak_python_scalars():
    # Keras: add(0-d float16 array, 2.5) -> float16 3.5; add(float16 array, 2.5) -> float16
    out = kops.add(np.array(1.0, np.float16), 2.5)
    assert out.dtype == torch.float16
    assert float(out) == 3.5
    out = kops.add(2.5, np.ones(2, np.float16))
    assert out.dtype == torch.float16
    # Keras: multiply(int32 array, 2.5) -> float32 [2.5, 2.5]
    out = kops.multiply(np.ones(2, np.int32), 2.5)
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), [2.5, 2.5])


def test_tensor_operands_unchanged():
    # Two tensors keep tork's rule; a Python scalar beside a tensor stays weak.
    half = torch.ones(2, dtype=torch.float16)
    assert kops.add(half, 2.5).dtype == torch.float16
    assert kops.add(half, torch.ones(2)).dtype == torch.float32
    assert kops.add(np.ones(2, np.float16), np.ones(2, np.float32)).dtype == torch.float32


def test_absolute_of_bool():
    # Keras: absolute([True, False]) -> bool [True, False] (torch has no bool abs kernel)
    out = kops.absolute(np.array([True, False]))
    assert out.dtype == torch.bool
    assert out.tolist() == [True, False]
    assert kops.abs(np.array([-1, 2])).tolist() == [1, 2]


def test_median_quantile_of_float16():
    # Keras: median([[1, 2, 4]] float16, axis=1) -> [2.] float16; quantile(.., 0.25) -> 1.5
    out = kops.median(np.array([[1, 2, 4]], np.float16), axis=1)
    assert out.dtype == torch.float16
    assert out.tolist() == [2.0]
    out = kops.quantile(np.array([1, 2, 4], np.float16), 0.25)
    assert out.dtype == torch.float16
    assert float(out) == 1.5


def test_view_as_complex_of_float16():
    # Keras: view_as_complex([[1, 2], [3, 4]] float16) -> complex64 [1+2j, 3+4j]
    out = kops.view_as_complex(np.array([[1, 2], [3, 4]], np.float16))
    assert out.dtype == torch.complex64
    np.testing.assert_allclose(out.numpy(), [1 + 2j, 3 + 4j])


def test_sign_of_complex():
    # Keras: sign([3+4j, 0j] complex64) -> [0.6+0.8j, 0j]
    out = kops.sign(np.array([3 + 4j, 0j], np.complex64))
    assert out.dtype == torch.complex64
    np.testing.assert_allclose(out.numpy(), [0.6 + 0.8j, 0j], rtol=1e-6)
    assert kops.sign(np.array([-2, 0, 3])).tolist() == [-1, 0, 1]


def test_moments_mean_with_infinities():
    # Keras 3 (TF backend): moments of [[-inf, 1, 2], [0.5, 0.2, 0.1]] over the last axis:
    # mean [-inf, 0.26667], variance [nan, 0.02889]
    mean, variance = kops.moments(np.array([[-np.inf, 1.0, 2.0], [0.5, 0.2, 0.1]]), axes=[-1])
    np.testing.assert_allclose(mean.numpy(), [-np.inf, 0.2666667], rtol=1e-5)
    assert np.isnan(variance.numpy()[0])
    np.testing.assert_allclose(variance.numpy()[1], 0.0288889, rtol=1e-4)


def test_python_numbers_beside_unsigned_tensors_keep_their_value():
    # Keras 3 (TF backend), x = uint8 [5, 2]: divide(x, -3) -> float32 [-1.6666666, -0.6666667]
    # (tork wrapped -3 to 253 and gave [0.0198, 0.0079]); arctan2(x, -3) -> [2.1112158, 2.55359];
    # greater(x, -3) -> [True, True]; add(x, -3) wraps -> uint8 [2, 255]
    x = np.array([5, 2], np.uint8)
    out = kops.divide(x, -3)
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), [-1.6666666, -0.6666667], rtol=1e-6)
    np.testing.assert_allclose(kops.divide(-3, x).numpy(), [-0.6, -1.5], rtol=1e-6)
    np.testing.assert_allclose(kops.arctan2(x, -3).numpy(), [2.1112158, 2.55359], rtol=1e-6)
    np.testing.assert_allclose(kops.hypot(x, -3).numpy(), [5.8309517, 3.6055512], rtol=1e-6)
    assert kops.greater(x, -3).tolist() == [True, True]
    assert kops.less_equal(-3, x).tolist() == [True, True]
    assert kops.equal(x, 2).tolist() == [False, True]
    assert kops.greater(np.array([100], np.int8), 300).tolist() == [False]
    out = kops.add(x, -3)
    assert out.dtype == torch.uint8
    assert out.tolist() == [2, 255]
    # Keras: int64 / 2 and int32 / 2.5 are float32, float64 / 2 is float64
    assert kops.divide(np.array([1, 2], np.int64), 2).dtype == torch.float32
    assert kops.divide(np.array([1, 2], np.int32), 2.5).dtype == torch.float32
    assert kops.divide(np.array([3.0]), 2).dtype == torch.float64
