"""CTC samples with no possible alignment: an infinite loss but finite gradients.

Label [1, 1] needs three steps (a blank between the repeats) and has two. TF 2.21's numbers
(tf_keras 2.21, CPU) for these logits: Keras 2's `ctc_batch_cost` gives loss
[inf, 3.8806543] and zero gradients for the first sample; `tf.nn.ctc_loss` gives
[709.2191, 3.8806553] (tork: inf) with finite gradients. torch alone gives NaN gradients,
which a mean over the batch spreads to every weight.
"""

import numpy as np

import tork as tf

LOGITS = np.random.default_rng(0).normal(size=(2, 2, 4)).astype("float32")
LABELS = [[1, 1], [1, 2]]
# The second sample's gradient w.r.t. its logits, the same in both TF ops (TF 2.21).
SECOND_GRAD = [
    [0.210057, -0.880215, 0.227657, 0.442501],
    [0.058559, 0.481199, -0.827713, 0.287955],
]


def test_keras2_ctc_batch_cost_gives_inf_and_zero_gradients():
    logits = tf.constant(LOGITS)
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = tf.keras.backend.ctc_batch_cost(
            tf.constant(LABELS), tf.nn.softmax(logits), [[2], [2]], [[2], [2]]
        )
    grad = tape.gradient(loss, logits).numpy()
    assert np.isinf(loss.numpy()[0, 0])
    np.testing.assert_allclose(loss.numpy()[1, 0], 3.8806543, rtol=1e-5)
    np.testing.assert_array_equal(grad[0], np.zeros((2, 4)))
    np.testing.assert_allclose(grad[1], SECOND_GRAD, atol=2e-6)


def test_dense_ctc_loss_keeps_gradients_finite():
    logits = tf.constant(LOGITS)
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = tf.nn.ctc_loss(
            tf.constant(LABELS),
            logits,
            label_length=[2, 2],
            logit_length=[2, 2],
            logits_time_major=False,
            blank_index=0,
        )
        total = tf.reduce_mean(loss)
    grad = tape.gradient(total, logits).numpy()
    assert np.isinf(loss.numpy()[0])
    np.testing.assert_allclose(loss.numpy()[1], 3.8806553, rtol=1e-5)
    assert np.isfinite(grad).all()
    np.testing.assert_allclose(grad[1], np.array(SECOND_GRAD) / 2, atol=2e-6)


def test_repeats_within_the_steps_are_fine():
    # [1, 0, 1] style: repeats separated by another symbol need no extra step; [1, 1] in
    # three steps is feasible (TF: finite). Only the label's valid prefix counts.
    logits = tf.constant(np.zeros((2, 3, 4), "float32"))
    loss = tf.nn.ctc_loss(
        tf.constant([[1, 1, 1], [1, 2, 1]]),
        logits,
        label_length=[2, 3],
        logit_length=[3, 3],
        logits_time_major=False,
        blank_index=0,
    )
    assert np.isfinite(loss.numpy()).all()
