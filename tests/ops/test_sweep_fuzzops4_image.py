"""tf.image.draw_bounding_boxes with NumPy images, found by differential fuzzing, round 4
(helper fuzzops4). Expected values printed by TF 2.21 (CPU) for the same calls."""

import numpy as np
import pytest

import tork as tf


@pytest.mark.parametrize("dtype", ["float64", "uint8", "int32"])
def test_draw_bounding_boxes_converts_numpy_images_to_float32(dtype):
    # TF: a NumPy (or list) image of any numeric dtype becomes float32 (the op's default
    # T): [[1, 1, 1], [1, 0, 1], [1, 1, 1]] float32 (tork raised for float64)
    images = np.zeros((1, 3, 3, 1), dtype)
    out = tf.image.draw_bounding_boxes(images, np.array([[[0.0, 0.0, 1.0, 1.0]]]), [[1.0]])
    assert out.dtype == tf.float32
    np.testing.assert_array_equal(out.numpy()[0, :, :, 0], [[1, 1, 1], [1, 0, 1], [1, 1, 1]])
    listed = tf.image.draw_bounding_boxes(images.tolist(), [[[0.0, 0.0, 1.0, 1.0]]], [[1.0]])
    assert listed.dtype == tf.float32


def test_draw_bounding_boxes_keeps_float16_numpy_and_refuses_float64_tensors():
    # TF: NumPy float16 stays float16; a float64 tensor raises InvalidArgumentError
    out = tf.image.draw_bounding_boxes(
        np.zeros((1, 3, 3, 1), "float16"), [[[0, 0, 1, 1.0]]], [[1.0]]
    )
    assert out.dtype == tf.float16
    with pytest.raises(tf.errors.InvalidArgumentError, match="float, half"):
        tf.image.draw_bounding_boxes(
            tf.zeros((1, 3, 3, 1), tf.float64), [[[0.0, 0.0, 1.0, 1.0]]], [[1.0]]
        )
