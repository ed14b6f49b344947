"""RaggedTensor.to_tensor with a default_value out of the values' integer range.

tensorflow_similarity pads the neighbours' labels with `to_tensor(default_value=0x7FFFFFFF)`
whatever the labels' dtype (uint8 MNIST labels): TensorFlow wraps the value (C casting).
"""

import numpy as np

import tork as tf


def test_default_value_wraps_into_narrow_integer_dtypes():
    # TF 2.21: [[1, 2], [3, 255]], [[1, 2], [3, 44]], [[1, 2], [3, 255]] and int8 [[1, 2], [3, -1]].
    r = tf.ragged.constant([[1, 2], [3]], dtype=tf.uint8)
    assert r.to_tensor(default_value=0x7FFFFFFF).numpy().tolist() == [[1, 2], [3, 255]]
    assert r.to_tensor(default_value=300).numpy().tolist() == [[1, 2], [3, 44]]
    assert r.to_tensor(default_value=-1).numpy().tolist() == [[1, 2], [3, 255]]
    r8 = tf.ragged.constant([[1, 2], [3]], dtype=tf.int8)
    out = r8.to_tensor(default_value=0x7FFFFFFF)
    assert out.dtype == tf.int8
    assert out.numpy().tolist() == [[1, 2], [3, -1]]


def test_default_value_in_range_and_float_unchanged():
    r = tf.ragged.constant([[1, 2], [3]], dtype=tf.int32)
    assert r.to_tensor(default_value=7).numpy().tolist() == [[1, 2], [3, 7]]
    f = tf.ragged.constant([[1.0, 2.0], [3.0]], dtype=tf.float16)
    # TF 2.21: 1e6 overflows float16 to inf.
    assert f.to_tensor(default_value=1e6).numpy().tolist() == [[1.0, 2.0], [3.0, np.inf]]


def test_rows_of_vectors_padded_with_wrapped_value():
    r = tf.RaggedTensor.from_row_lengths(
        tf.constant([[1, 2], [3, 4], [5, 6]], dtype=tf.uint8), row_lengths=[2, 1]
    )
    out = r.to_tensor(default_value=300, shape=[2, 3, 2])
    # TF 2.21: [[[1, 2], [3, 4], [44, 44]], [[5, 6], [44, 44], [44, 44]]].
    assert out.numpy().tolist() == [[[1, 2], [3, 4], [44, 44]], [[5, 6], [44, 44], [44, 44]]]


def test_similarity_unpack_lookup_labels_pattern():
    # tensorflow_similarity.utils.unpack_lookup_labels: ragged labels of the query dtype,
    # padded with 0x7FFFFFFF (uint8 labels from mnist.load_data()).
    labels = [[np.uint8(3), np.uint8(1)], [np.uint8(2)]]
    ragged = tf.ragged.constant(labels, dtype=tf.uint8)
    assert ragged.to_tensor(default_value=0x7FFFFFFF).numpy().tolist() == [[3, 1], [2, 255]]
