"""`Dataset.as_numpy_iterator()` is an iterator with TensorFlow's `next()` method."""

import numpy as np
import pytest

import tork as tf


def test_as_numpy_iterator_next_method_as_in_transfer_learning_tutorial():
    images = np.arange(24, dtype="float32").reshape(6, 2, 2, 1)
    labels = np.array([0, 1, 0, 1, 1, 0], dtype="int32")
    ds = tf.data.Dataset.from_tensor_slices((images, labels)).batch(4)
    image_batch, label_batch = ds.as_numpy_iterator().next()
    assert isinstance(image_batch, np.ndarray) and isinstance(label_batch, np.ndarray)
    np.testing.assert_array_equal(image_batch, images[:4])
    np.testing.assert_array_equal(label_batch, labels[:4])
    assert label_batch.dtype == np.int32


def test_as_numpy_iterator_protocol_and_end():
    it = tf.data.Dataset.range(3).as_numpy_iterator()
    assert iter(it) is it
    assert it.next() == 0
    assert next(it) == 1
    assert [int(v) for v in it] == [2]
    with pytest.raises(StopIteration):
        it.next()
    assert list(tf.data.Dataset.range(3).as_numpy_iterator()) == [0, 1, 2]
