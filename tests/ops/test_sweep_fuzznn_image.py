"""tf.image differences found by differential fuzzing against TensorFlow (helper fuzznn).

Reference values come from TensorFlow 2.21 (CPU), printed by the fuzzing session's
/tmp/fuzznn/ref_numbers.py; each is quoted next to its assertion.
"""

import numpy as np
import pytest

import tork as tf
from tork._backend.errors import InvalidArgumentError


def test_nms_overlaps_reads_candidate_row_of_asymmetric_matrix():
    # TF suppresses a candidate c against a kept box k when overlaps[c, k] > threshold
    # (tork read overlaps[k, c]). TF: [0, 2] and [0, 1, 2].
    ov = np.array([[0, 0, 0], [0.9, 0, 0], [0, 0, 0]], np.float32)
    scores = [0.9, 0.8, 0.7]
    assert tf.image.non_max_suppression_overlaps(ov, scores, 3, 0.5).numpy().tolist() == [0, 2]
    kept = tf.image.non_max_suppression_overlaps(ov.T.copy(), scores, 3, 0.5)
    assert kept.numpy().tolist() == [0, 1, 2]


def test_resize_with_pad_sizes_in_float32_like_tf():
    # 4x4 into 7x10: TF's float32 ratio gives 4 / (4 / 7) = 6.9999995, so the image is
    # resized to 6x6 (tork's float64 gave 7x7). TF (method="nearest"):
    tf_rows = [
        [0, 0, 1, 1, 2, 3, 3, 0, 0, 0],
        [0, 4, 5, 5, 6, 7, 7, 0, 0, 0],
        [0, 4, 5, 5, 6, 7, 7, 0, 0, 0],
        [0, 8, 9, 9, 10, 11, 11, 0, 0, 0],
        [0, 12, 13, 13, 14, 15, 15, 0, 0, 0],
        [0, 12, 13, 13, 14, 15, 15, 0, 0, 0],
        [0] * 10,
    ]
    img = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    out = tf.image.resize_with_pad(img, 7, 10, method="nearest")
    assert tuple(out.shape) == (1, 7, 10, 1)
    np.testing.assert_array_equal(out.numpy()[0, :, :, 0], tf_rows)


def test_resize_with_pad_to_zero_rows_raises():
    # TF raises InvalidArgumentError ("output dimensions must be positive").
    with pytest.raises(InvalidArgumentError, match="output dimensions must be positive"):
        tf.image.resize_with_pad(np.zeros((1, 8, 1), np.float32), 8, 1)


def test_crop_and_resize_converts_int_box_lists_like_tf():
    # TF converts lists / NumPy arrays to float32 boxes and int32 indices (tork refused
    # `[[0, 0, 1, 1]]` as int32). TF: [0.0, 3.0, 12.0, 15.0].
    img = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    out = tf.image.crop_and_resize(img, [[0, 0, 1, 1]], np.array([0]), [2, 2])
    np.testing.assert_array_equal(out.numpy().ravel(), [0.0, 3.0, 12.0, 15.0])
    # A tensor of another dtype is still refused, as TF does.
    with pytest.raises(ValueError, match="requested dtype float32 for Tensor with dtype int32"):
        tf.image.crop_and_resize(img, tf.constant([[0, 0, 1, 1]]), [0], [2, 2])


def test_total_variation_keeps_int32():
    # TF: [11, 11] int32.
    out = tf.image.total_variation(tf.constant(np.arange(12, dtype=np.int32).reshape(2, 3, 2, 1)))
    assert out.dtype == tf.int32
    assert out.numpy().tolist() == [11, 11]


def test_convert_image_dtype_to_string_raises_clearly():
    # TF raises too; tork raised torch's "iinfo(): argument 'type' must be torch.dtype".
    with pytest.raises(TypeError, match="works on integer or float images, got dtype string"):
        tf.image.convert_image_dtype(np.array([1.0], np.float32), tf.string)
