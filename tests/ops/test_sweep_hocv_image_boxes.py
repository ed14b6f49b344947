"""Non-max suppression inside a Lambda layer of a functional model (hocv sweep).

YOLOv3 in TF 2 (Hands-On Computer Vision ch. 5, yolov3-tf2) ends its inference model
with `Lambda(lambda x: yolo_nms(...))`, which calls tf.image.combined_non_max_suppression
on the symbolic tensors; the NMS ops read values on the host and crashed there.
Expected shapes and values were printed by TF 2.21 (tf_keras).
"""

import numpy as np
import pytest

import tork as tf

L = tf.keras.layers

BOXES = (
    np.array(
        [
            [
                [[0, 0, 1, 1]],
                [[0, 0.1, 1, 1.1]],
                [[0, 2, 1, 3]],
                [[2, 2, 3, 3]],
                [[0, 0, 0.5, 0.5]],
                [[4, 4, 5, 5]],
            ]
        ],
        "float32",
    )
    / 5
)
SCORES = np.array(
    [[[0.9, 0.05], [0.8, 0.7], [0.7, 0.2], [0.05, 0.6], [0.3, 0.3], [0.2, 0.95]]], "float32"
)


def _nms(t):
    boxes, scores, classes, valid = tf.image.combined_non_max_suppression(
        t[0], t[1], 3, 4, 0.5, 0.1
    )
    return boxes, scores, classes, valid


def test_combined_nms_in_lambda_layer():
    b, s = L.Input((6, 1, 4)), L.Input((6, 2))
    out = L.Lambda(_nms)([b, s])
    assert [tuple(o.shape) for o in out] == [(None, 4, 4), (None, 4), (None, 4), (None,)]
    model = tf.keras.Model([b, s], out)
    boxes, scores, classes, valid = model([BOXES, SCORES])
    np.testing.assert_allclose(
        boxes.numpy()[0],
        [[0.8, 0.8, 1.0, 1.0], [0.0, 0.0, 0.2, 0.2], [0.0, 0.4, 0.2, 0.6], [0.0, 0.02, 0.2, 0.22]],
        rtol=1e-6,
    )
    np.testing.assert_allclose(scores.numpy(), [[0.95, 0.9, 0.7, 0.7]], rtol=1e-6)
    assert classes.numpy().tolist() == [[1.0, 0.0, 0.0, 1.0]]
    assert valid.numpy().tolist() == [4]


@pytest.mark.parametrize("with_scores", [False, True])
def test_non_max_suppression_in_lambda_layer(with_scores):
    b, s = L.Input((6, 4)), L.Input((6,))

    def select(t):
        if with_scores:
            return tf.image.non_max_suppression_with_scores(
                t[0][0], t[1][0], 3, score_threshold=0.1
            )[0]
        return tf.image.non_max_suppression(t[0][0], t[1][0], 3, score_threshold=0.1)

    model = tf.keras.Model([b, s], L.Lambda(select)([b, s]))
    assert model([BOXES[:, :, 0], SCORES[:, :, 0]]).numpy().tolist() == [0, 2, 4]
