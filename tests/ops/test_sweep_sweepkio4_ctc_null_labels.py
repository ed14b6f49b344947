"""CTC labels padded with out-of-range values (keras.io handwriting recognition).

Keras 2's `keras.backend.ctc_batch_cost` runs TensorFlow's v1 CTC op, where a label
>= num_classes - 1 inside label_length ends the sequence. Before the fix tork passed
such labels to torch's kernel, which read out of bounds and crashed the process.
Expected losses come from TF 2.21 (tf_keras).
"""

import numpy as np
import pytest

import tork as tf
from tork import keras


def _probs():
    logits = np.random.RandomState(3).rand(2, 16, 23).astype("float32") * 3
    e = np.exp(logits - logits.max(-1, keepdims=True))
    return (e / e.sum(-1, keepdims=True)).astype("float32")


def _cost(labels, lengths):
    return keras.backend.ctc_batch_cost(
        np.array(labels, "float32"),
        _probs(),
        np.full((2, 1), 16),
        np.array(lengths).reshape(2, 1),
    ).numpy()


def test_null_label_padding_ends_the_sequence():
    expected = [[42.18552], [44.10398]]  # TF 2.21
    np.testing.assert_allclose(_cost([[1, 2, 0, 0], [3, 4, 5, 0]], [2, 3]), expected, rtol=1e-5)
    for pad in (99, 23, 22):  # 22 is the blank of 23 classes
        got = _cost([[1, 2, pad, pad], [3, 4, 5, pad]], [4, 4])
        np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_null_label_padding_gradient_matches_unpadded():
    y_pred = tf.constant(_probs())
    with tf.GradientTape() as tape:
        tape.watch(y_pred)
        loss = keras.backend.ctc_batch_cost(
            tf.constant([[1.0, 2.0, 99.0, 99.0], [3.0, 4.0, 5.0, 99.0]]),
            y_pred,
            tf.constant([[16], [16]]),
            tf.constant([[4], [4]]),
        )
    grad = tape.gradient(loss, y_pred).numpy()
    # TF 2.21 (tf_keras): the gradient sums to -274.73924 with |g| at most 55.16729.
    np.testing.assert_allclose(grad.sum(), -274.73924, rtol=1e-4)
    np.testing.assert_allclose(np.abs(grad).max(), 55.16729, rtol=1e-4)


def test_real_label_after_null_label_is_an_error():
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="Saw a non-null label \\(index >= num_classes - 1\\) following a null label, "
        "batch: 0 num_classes: 23 labels: 1,99,2",
    ):
        _cost([[1, 99, 2, 0], [3, 4, 99, 5]], [3, 4])


def test_out_of_range_label_is_an_error_not_a_crash():
    log_probs = tf.math.log(tf.constant(_probs()))
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"labels must be class indices in \[0, 23\), got \[1, 2, 99\] in batch element 0",
    ):
        tf.nn.ctc_loss(
            tf.constant([[1, 2, 99], [3, 4, 5]]),
            log_probs,
            [3, 3],
            [16, 16],
            logits_time_major=False,
            blank_index=-1,
        )
