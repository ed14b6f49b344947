"""TensorFlow attributes of tork's (torch) dtypes."""

import tork as tf


def test_base_dtype_is_the_dtype_itself():
    # TF: `var.dtype.base_dtype` (Keras 2 optimizers and layers write it).
    assert tf.float32.base_dtype is tf.float32
    assert tf.Variable(1.0).dtype.base_dtype is tf.float32
    assert tf.constant([1, 2]).dtype.base_dtype is tf.int32
