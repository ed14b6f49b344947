"""NMS ops take numpy arrays and lists of any numeric dtype, as TensorFlow does.

google/automl's EfficientDet postprocessing (and much detection code) computes boxes
in numpy, whose default dtype is float64. TensorFlow converts such non-tensor inputs
to the op's float dtype (float32, or the dtype of the tensor they pair with), while a
float64 *tensor* is still rejected. Reference values: TF 2.21 in the reference env.
"""

import numpy as np
import pytest

import tork as tf
from tork._backend.errors import InvalidArgumentError

BOXES = np.array([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, 2, 1, 3]])  # float64
SCORES = np.array([0.9, 0.8, 0.7])  # float64


def test_non_max_suppression_float64_numpy():
    # TF: tf.Tensor([0 2], dtype=int32)
    np.testing.assert_array_equal(
        np.asarray(tf.image.non_max_suppression(BOXES, SCORES, 3, 0.5)), [0, 2]
    )


def test_non_max_suppression_with_scores_lists_and_int_boxes():
    boxes = [[0, 0, 1, 1], [0, 0, 1, 1], [0, 2, 1, 3]]  # Python ints
    idx, scores = tf.image.non_max_suppression_with_scores(
        boxes, SCORES, 3, 0.5, soft_nms_sigma=0.5
    )
    # TF: [0, 2, 1], [0.9, 0.7, 0.29430357] float32
    np.testing.assert_array_equal(np.asarray(idx), [0, 2, 1])
    assert scores.dtype == tf.float32
    np.testing.assert_allclose(np.asarray(scores), [0.9, 0.7, 0.29430357], rtol=1e-6)


def test_float16_numpy_converts_to_float32():
    _, scores = tf.image.non_max_suppression_with_scores(
        BOXES.astype("float16"), SCORES.astype("float16"), 3, 0.5
    )
    assert scores.dtype == tf.float32  # TF: float32


def test_numpy_scores_follow_a_float32_tensor():
    idx = tf.image.non_max_suppression(tf.constant(BOXES, tf.float32), SCORES, 3, 0.5)
    np.testing.assert_array_equal(np.asarray(idx), [0, 2])


def test_combined_and_overlaps_float64_numpy():
    r = tf.image.combined_non_max_suppression(BOXES[None, :, None], SCORES[None, :, None], 3, 3)
    # TF: boxes clipped to [0, 1]; scores [0.9, 0.7, 0.0]; valid 2
    np.testing.assert_allclose(
        np.asarray(r.nmsed_boxes), [[[0, 0, 1, 1], [0, 1, 1, 1], [0, 0, 0, 0]]], atol=1e-6
    )
    np.testing.assert_allclose(np.asarray(r.nmsed_scores), [[0.9, 0.7, 0.0]], rtol=1e-6)
    assert int(r.valid_detections[0]) == 2
    idx = tf.image.non_max_suppression_overlaps(np.eye(3), SCORES, 3)
    np.testing.assert_array_equal(np.asarray(idx), [0, 1, 2])  # TF: [0 1 2]


def test_float64_tensor_still_rejected():
    # TF: InvalidArgumentError "Value for attr 'T' of double is not in the list of
    # allowed values: half, float"
    with pytest.raises(InvalidArgumentError, match="attr 'T' of double"):
        tf.image.non_max_suppression(tf.constant(BOXES), tf.constant(SCORES), 3, 0.5)
