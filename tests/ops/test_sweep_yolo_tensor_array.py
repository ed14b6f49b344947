"""TensorArray patterns from yolov3-tf2's `transform_targets_for_output` (sweep "yolo")."""

import numpy as np
import pytest

import tork as tf


@tf.function
def _transform(y_true, grid_size, anchor_idxs, element_shapes):
    # yolov3-tf2 dataset.transform_targets_for_output, with the element shapes given.
    n = tf.shape(y_true)[0]
    y_true_out = tf.zeros((n, grid_size, grid_size, tf.shape(anchor_idxs)[0], 6))
    anchor_idxs = tf.cast(anchor_idxs, tf.int32)
    indexes = tf.TensorArray(tf.int32, 1, dynamic_size=True, element_shape=element_shapes[0])
    updates = tf.TensorArray(tf.float32, 1, dynamic_size=True, element_shape=element_shapes[1])
    idx = 0
    for i in tf.range(n):
        for j in tf.range(tf.shape(y_true)[1]):
            if tf.equal(y_true[i][j][2], 0):
                continue
            anchor_eq = tf.equal(anchor_idxs, tf.cast(y_true[i][j][5], tf.int32))
            if tf.reduce_any(anchor_eq):
                box = y_true[i][j][0:4]
                box_xy = (y_true[i][j][0:2] + y_true[i][j][2:4]) / 2
                anchor_idx = tf.cast(tf.where(anchor_eq), tf.int32)
                grid_xy = tf.cast(box_xy // (1 / grid_size), tf.int32)
                indexes = indexes.write(idx, [i, grid_xy[1], grid_xy[0], anchor_idx[0][0]])
                updates = updates.write(idx, [box[0], box[1], box[2], box[3], 1, y_true[i][j][4]])
                idx += 1
    return tf.tensor_scatter_nd_update(y_true_out, indexes.stack(), updates.stack())


# One image, one box (x1, y1, x2, y2, class, best anchor) matching anchor 7.
_Y = np.array([[[0.1, 0.2, 0.5, 0.6, 1.0, 7.0], [0, 0, 0, 0, 0, 0]]], np.float32)


def test_targets_scattered_where_a_box_matches():
    out = _transform(tf.constant(_Y), 2, tf.constant([6, 7, 8]), ((4,), (6,))).numpy()
    # Hand-computed: centre (0.3, 0.4) lies in grid cell x=0, y=0 of a 2x2 grid; anchor 7 is
    # the second of the mask [6, 7, 8].
    expected = np.zeros((1, 2, 2, 3, 6), np.float32)
    expected[0, 0, 0, 1] = [0.1, 0.2, 0.5, 0.6, 1.0, 1.0]
    np.testing.assert_allclose(out, expected)


def test_no_box_for_this_scale_with_element_shape_gives_zeros():
    # TensorFlow (traced tf.function) gives all zeros here: the unwritten index 0 stacks as
    # zeros and the scatter writes zeros at [0, 0, 0, 0].
    out = _transform(tf.constant(_Y), 4, tf.constant([0, 1, 2]), ((4,), (6,))).numpy()
    np.testing.assert_array_equal(out, np.zeros((1, 4, 4, 3, 6), np.float32))


def test_no_box_without_element_shape_says_how_to_fix():
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"(?s)never written.*element_shape=\(4,\).*tork runs the function eagerly",
    ):
        _transform(tf.constant(_Y), 4, tf.constant([0, 1, 2]), (None, None))
