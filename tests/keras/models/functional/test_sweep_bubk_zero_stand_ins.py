"""A loss Lambda whose sizes depend on the values of one input (Mask R-CNN's RPN box loss).

bubbliiiing's mask-rcnn-keras (Matterport's graph) computes its RPN box loss in a Lambda:
the positive anchors of `rpn_match` select rows of the predictions, and as many target rows
are packed per image. The three inputs have independent unknown lengths, so stand-ins of
ones select every row and the packed targets cannot match; tf_keras builds it with shape
(). tork's last stand-in attempt fills the inputs with zeros: nothing is selected and the
shapes agree. The value below is tf_keras 2.21's (TF_USE_LEGACY_KERAS=1) on the same data.
"""

import numpy as np

import tork as tf

keras = tf.keras


def _rpn_bbox_loss(args):
    target, match, pred = args
    match = tf.squeeze(match, -1)
    picked = tf.gather_nd(pred, tf.where(tf.equal(match, 1)))
    counts = tf.reduce_sum(tf.cast(tf.equal(match, 1), tf.int32), axis=1)
    packed = tf.concat([target[i, : counts[i]] for i in range(2)], 0)
    diff = tf.abs(packed - picked)
    return tf.cond(tf.size(diff) > 0, lambda: tf.reduce_mean(diff), lambda: tf.constant(0.0))


def test_value_dependent_selection_across_independent_unknown_lengths_builds():
    target = keras.Input((None, 4))
    match = keras.Input((None, 1), dtype="int32")
    pred = keras.Input((None, 4))
    loss = keras.layers.Lambda(_rpn_bbox_loss, name="rpn_bbox_loss")([target, match, pred])
    assert tuple(loss.shape) == ()
    model = keras.Model([target, match, pred], loss)
    boxes = np.arange(40, dtype="float32").reshape(2, 5, 4)
    matches = np.array([[[1], [0], [1]], [[0], [1], [0]]], "int32")
    got = model.predict([boxes, matches, np.ones((2, 3, 4), "float32")], verbose=0)
    np.testing.assert_allclose(got, 8.666666984558105, rtol=1e-6)
