"""keras.ops patterns of bert4keras3 (Keras 3 code) that tork did not run as Keras 3.

Reference values from Keras 3.6/3.15 (TensorFlow and torch backends) in the reference env.
"""

import numpy as np
import pytest
import torch

from tork import keras

ops = keras.ops


def test_cast_to_the_name_int():
    # bert4keras3's DeBERTa: `ops.cast(bucket_pos, dtype="int")`. Keras 3 maps "int" to
    # int32 (torch/JAX backends; int64 with TensorFlow), truncating as a cast.
    x = np.array([1.5, -2.7, 3.9], "float32")
    out = ops.cast(x, "int")
    assert out.dtype == torch.int32
    assert out.tolist() == [1, -2, 3]
    assert ops.convert_to_tensor([1.0, 2.0], "int").tolist() == [1, 2]
    assert ops.convert_to_tensor([1.0, 2.0], "int").dtype == torch.int32
    assert ops.full((2,), 7, dtype="int").tolist() == [7, 7]
    assert ops.arange(3, dtype="int").dtype == torch.int32
    assert ops.saturate_cast(np.array([1e10], "float32"), "int").tolist() == [2**31 - 1]
    # As `int`, Keras's name for it is int64 (Keras 3's TensorFlow backend).
    assert keras.backend.standardize_dtype("int") == "int64"


def test_bad_dtype_name_still_names_the_valid_ones():
    with pytest.raises(TypeError, match="Cannot convert 'integer' to a dtype"):
        ops.cast(np.array([1.5]), "integer")
