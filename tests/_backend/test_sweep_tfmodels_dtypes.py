"""TensorFlow's `tf.DType` properties on tork's (torch) dtypes.

tf-models' OnDeviceEmbedding reads `tf.dtypes.as_dtype(self.dtype).is_floating`; every
BertEncoder built on it raised AttributeError ('torch.dtype' object has no attribute
'is_floating'). Expected values: TensorFlow 2.21 (`tf.float32.is_floating` ...).
"""

import numpy as np
import pytest

import tork as tf

# TensorFlow 2.21: name -> (is_floating, is_integer, is_bool, is_unsigned, is_complex,
# as_numpy_dtype, size)
EXPECTED = {
    "float32": (True, False, False, False, False, np.float32, 4),
    "float16": (True, False, False, False, False, np.float16, 2),
    "float64": (True, False, False, False, False, np.float64, 8),
    "int32": (False, True, False, False, False, np.int32, 4),
    "int64": (False, True, False, False, False, np.int64, 8),
    "uint8": (False, True, False, True, False, np.uint8, 1),
    "bool": (False, False, True, False, False, np.bool_, 1),
    "complex64": (False, False, False, False, True, np.complex64, 8),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_dtype_properties_match_tf(name):
    d = tf.dtypes.as_dtype(name)
    got = (d.is_floating, d.is_integer, d.is_bool, d.is_unsigned, d.is_complex)
    assert got == EXPECTED[name][:5]
    assert d.as_numpy_dtype is EXPECTED[name][5]
    assert d.size == EXPECTED[name][6]


def test_bfloat16_numpy_type_is_ml_dtypes():
    # TensorFlow 2.21: tf.bfloat16.as_numpy_dtype is ml_dtypes.bfloat16 (NumPy has none).
    ml_dtypes = pytest.importorskip("ml_dtypes")
    assert tf.bfloat16.is_floating and tf.bfloat16.size == 2
    assert tf.bfloat16.as_numpy_dtype is ml_dtypes.bfloat16


def test_min_max_match_tf():
    # TensorFlow 2.21 values.
    assert tf.float32.max == np.float32(3.4028235e38) and type(tf.float32.max) is np.float32
    assert tf.float16.min == np.float16(-65504.0)
    assert (tf.int32.min, tf.int32.max) == (-2147483648, 2147483647)
    assert (tf.uint8.min, tf.uint8.max) == (0, 255)
    assert tf.int64.max == 9223372036854775807


@pytest.mark.parametrize("d", [tf.bool, tf.complex64])
def test_min_of_unordered_type_raises(d):
    with pytest.raises(TypeError, match="Cannot find minimum value"):
        _ = d.min


def test_is_floating_on_a_tensor_dtype_selects_the_lookup():
    # OnDeviceEmbedding's branch: an integer id tensor is not floating.
    ids = tf.constant([[1, 2]])
    assert not ids.dtype.is_floating and ids.dtype.is_integer
    assert tf.zeros((2,)).dtype.is_floating
