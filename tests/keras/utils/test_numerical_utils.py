"""keras.utils.normalize against NumPy norms."""

import numpy as np
import pytest
import torch

from tork import keras

RNG = np.random.default_rng(3)


@pytest.mark.parametrize("order", [1, 2, np.inf])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_normalize_divides_by_the_norm_along_axis(order, axis):
    x = RNG.standard_normal((4, 5, 3))
    got = keras.utils.normalize(x, axis=axis, order=order)
    assert isinstance(got, np.ndarray) and got.shape == x.shape
    norms = np.sum(np.abs(x) ** order, axis=axis, keepdims=True) ** (1 / order)
    if order == np.inf:
        norms = np.abs(x).max(axis=axis, keepdims=True)
    np.testing.assert_allclose(got, x / norms, rtol=1e-12)


def test_zero_vectors_are_left_as_is_and_default_is_l2_last_axis():
    x = np.array([[3.0, 4.0], [0.0, 0.0]])
    np.testing.assert_allclose(keras.utils.normalize(x), [[0.6, 0.8], [0.0, 0.0]])
    ints = keras.utils.normalize([[0, 5], [2, 0]])
    np.testing.assert_allclose(ints, [[0.0, 1.0], [1.0, 0.0]])
    # As Keras: a 1-D array comes back with a leading axis of 1.
    np.testing.assert_allclose(keras.utils.normalize(np.array([3.0, 4.0])), [[0.6, 0.8]])
    np.testing.assert_allclose(keras.utils.normalize(np.array([3.0, 4.0]), axis=None), [0.6, 0.8])


def test_tensor_in_tensor_out():
    x = RNG.standard_normal((3, 4)).astype(np.float32)
    x[1] = 0.0
    got = keras.utils.normalize(torch.from_numpy(x))
    assert isinstance(got, torch.Tensor) and got.dtype == torch.float32
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    np.testing.assert_allclose(got.numpy(), x / np.where(norms == 0, 1, norms), rtol=1e-6)
