"""NumPy operands of KerasTensor operators, as Keras 2 (YunYang1994/TensorFlow2.0-Examples sweep).

The YOLOv3 head of that repository decodes its functional outputs with
`(tf.exp(conv_raw_dwdh) * ANCHORS[i]) * STRIDES[i]`, ANCHORS a float32 NumPy array and
STRIDES[i] a NumPy int64. tf_keras 2.21 converts NumPy operands to the KerasTensor's dtype,
on either side of the operator; tork raised TypeError from torch.mul (array on the right)
or built a NumPy object array (array on the left).
"""

import numpy as np
import pytest

import tork as tf
from tork import keras

A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32)
VALUES = np.arange(12, dtype=np.float32).reshape(2, 3, 2)


def _run(build):
    x = keras.Input((3, 2))
    y = build(x)
    assert isinstance(y, type(x))  # a KerasTensor, not an array
    return np.asarray(keras.Model(x, y)(VALUES))


@pytest.mark.parametrize(
    "build, expected",
    [
        (lambda x: x * A, VALUES * A),
        (lambda x: A * x, A * VALUES),
        (lambda x: A - x, A - VALUES),
        (lambda x: x + A.astype(np.float64), VALUES + A),
        (lambda x: x / np.int64(2), VALUES / 2),
        (lambda x: np.float32(3) * x, 3 * VALUES),
        (lambda x: x ** np.float64(2.0), VALUES**2),
        (lambda x: x @ np.ones((2, 4), np.float32), VALUES @ np.ones((2, 4), np.float32)),
        (lambda x: A / (x + 1.0), A / (VALUES + 1.0)),
    ],
)
def test_numpy_operands_become_graph_constants(build, expected):
    out = _run(build)
    # Keras 2 converts the NumPy operand to the KerasTensor's dtype: float32 throughout.
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_comparison_with_numpy_array():
    out = _run(lambda x: tf.cast(x > A, tf.float32))
    np.testing.assert_array_equal(out, (VALUES > A).astype(np.float32))


def test_yolo_decode_head():
    # The decode step of YunYang1994's YOLOv3, on a symbolic (None, 2, 2, 3*(5+1)) output.
    anchors = np.array([[1.25, 1.625], [2.0, 3.75], [4.125, 2.875]], np.float32)
    strides = np.array([8, 16, 32])
    x = keras.Input((2, 2, 18))
    shape = tf.shape(x)
    conv = tf.reshape(x, (shape[0], shape[1], shape[1], 3, 6))
    pred_wh = (tf.exp(conv[..., 2:4]) * anchors) * strides[0]
    model = keras.Model(x, pred_wh)
    data = np.random.RandomState(0).normal(size=(2, 2, 2, 18)).astype(np.float32)
    expected = np.exp(data.reshape(2, 2, 2, 3, 6)[..., 2:4]) * anchors * 8
    out = np.asarray(model(data))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, expected, rtol=1e-5)


def test_model_with_numpy_constant_saves(tmp_path):
    x = keras.Input((3, 2))
    y = keras.layers.Dense(2)(A * x - np.float64(1.5))
    model = keras.Model(x, y)
    expected = np.asarray(model(VALUES))
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(np.asarray(loaded(VALUES)), expected, rtol=1e-6)
