"""Non-max suppression inside a Lambda in the functional API: the number of kept boxes is
known only at run time, so its size is None, as in Keras (tf_keras 2.21 gives `(None,)`
for both an unknown and a fixed batch of 10 boxes; a Lambda adding a `(5,)` tensor to it
builds to `(5,)`)."""

from __future__ import annotations

import numpy as np

import tork as tf

keras = tf.keras


def _nms(t):
    boxes, scores = t
    return tf.image.non_max_suppression(boxes, scores, 5)


def test_kept_count_is_unknown():
    out = keras.layers.Lambda(_nms)([keras.Input((4,)), keras.Input(())])
    assert tuple(out.shape) == (None,)
    fixed = keras.layers.Lambda(_nms)(
        [keras.Input((4,), batch_size=10), keras.Input((), batch_size=10)]
    )
    assert tuple(fixed.shape) == (None,)
    joined = keras.layers.Lambda(lambda t: t + tf.zeros((5,), tf.int32))(fixed)
    assert tuple(joined.shape) == (5,)


def test_model_runs_with_the_real_selection():
    boxes_in, scores_in = keras.Input((4,)), keras.Input(())
    model = keras.Model([boxes_in, scores_in], keras.layers.Lambda(_nms)([boxes_in, scores_in]))
    boxes = np.array([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, 2, 1, 3]], "float32")
    scores = np.array([0.9, 0.8, 0.7], "float32")
    # By hand: box 1 overlaps box 0 (IoU 0.82 > 0.5) and is dropped.
    np.testing.assert_array_equal(model([boxes, scores]).numpy(), [0, 2])
