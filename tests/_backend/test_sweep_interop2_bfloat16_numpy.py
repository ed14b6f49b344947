"""bfloat16 tensors convert to NumPy as TensorFlow's do (interop sweep)."""

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras

# TensorFlow's bfloat16 NumPy type (without it tork returns float32 values).
ml_dtypes = pytest.importorskip("ml_dtypes")


def test_bfloat16_tensor_numpy_is_ml_dtypes_bfloat16():
    t = torch.tensor([1.5, -2.25, 3.0], dtype=torch.bfloat16, requires_grad=True)
    array = t.numpy()
    assert array.dtype == ml_dtypes.bfloat16
    np.testing.assert_array_equal(array.astype(np.float32), [1.5, -2.25, 3.0])
    assert np.asarray(t * 2).dtype == ml_dtypes.bfloat16
    assert float(torch.tensor(0.5, dtype=torch.bfloat16).numpy()) == 0.5


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    kernel = np.array([[1.0, 0.5], [0.25, -1.0], [2.0, 0.125]], "float32")
    model.set_weights([kernel, np.array([0.5, -0.5], "float32")])
    return model, kernel


@pytest.fixture
def bfloat16_policy():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    yield
    keras.mixed_precision.set_global_policy("float32")


def test_predict_under_mixed_bfloat16_policy(bfloat16_policy):
    # TF 2.21 returns a bfloat16 NumPy array here; torch refused the conversion.
    model, kernel = _model()
    x = np.array([[1.0, 2.0, 3.0], [0.5, 0.25, -1.0]], "float32")
    out = model.predict(x, verbose=0)
    assert out.dtype == ml_dtypes.bfloat16
    np.testing.assert_allclose(out.astype("float32"), x @ kernel + [0.5, -0.5], rtol=1e-2)
    assert model(x).numpy().dtype == ml_dtypes.bfloat16


def test_predict_under_torch_autocast():
    model, kernel = _model()
    x = np.array([[1.0, 2.0, 3.0]], "float32")
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = model.predict(x, verbose=0)
    assert out.dtype == ml_dtypes.bfloat16
    np.testing.assert_allclose(out.astype("float32"), x @ kernel + [0.5, -0.5], rtol=1e-2)
    assert tf.is_tensor(model(x))
