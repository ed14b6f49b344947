"""Sparse categorical crossentropy with labels of another rank (Keras 2 flattens them).

Seen in a seq2seq training loop (Gulli et al., "Deep Learning with TensorFlow 2 and
Keras", chapter 8): labels `decoder_out[:, t]` of shape (batch,) against one-step
decoder logits of shape (batch, 1, vocab), with a mask as sample_weight.
"""

import numpy as np
import pytest

import tork as tf


def _np_scce_from_logits(labels, logits):
    logits = logits.reshape(-1, logits.shape[-1]).astype(np.float64)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return -log_probs[np.arange(len(labels)), labels.reshape(-1)]


LABELS = np.array([1, 0, 2, 3], dtype="int32")
LOGITS = np.linspace(-1, 1, 20).reshape(4, 1, 5).astype("float32")


def test_function_reshapes_labels_to_prediction_batch_axes():
    out = tf.keras.losses.sparse_categorical_crossentropy(LABELS, LOGITS, from_logits=True)
    assert tuple(out.shape) == (4, 1)  # tf_keras 2.21 gives (4, 1) too
    expected = _np_scce_from_logits(LABELS, LOGITS).reshape(4, 1)
    np.testing.assert_allclose(np.asarray(out), expected, rtol=1e-5)
    # The values tf_keras 2.21 printed for this input.
    np.testing.assert_allclose(
        np.asarray(out).ravel(), [1.72575, 1.83102, 1.62049, 1.51523], atol=1e-4
    )


def test_probabilities_path_flattens_too():
    probs = np.exp(LOGITS) / np.exp(LOGITS).sum(axis=-1, keepdims=True)
    out = tf.keras.losses.sparse_categorical_crossentropy(LABELS, probs)
    expected = _np_scce_from_logits(LABELS, LOGITS).reshape(4, 1)
    np.testing.assert_allclose(np.asarray(out), expected, rtol=1e-4)


@pytest.mark.parametrize("shape", [(1, 4), (2, 2)])
def test_labels_of_higher_rank_are_flattened(shape):
    logits = LOGITS.reshape(4, 5)
    out = tf.keras.losses.sparse_categorical_crossentropy(
        LABELS.reshape(shape), logits, from_logits=True
    )
    assert tuple(out.shape) == (4,)
    np.testing.assert_allclose(np.asarray(out), _np_scce_from_logits(LABELS, logits), rtol=1e-5)


def test_loss_object_with_mask_sample_weight():
    scce = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    per_sample = _np_scce_from_logits(LABELS, LOGITS)
    np.testing.assert_allclose(float(scce(LABELS, LOGITS)), per_sample.mean(), rtol=1e-5)
    mask = tf.cast(tf.math.logical_not(tf.math.equal(LABELS, 0)), dtype=tf.int64)
    # sum_over_batch_size: the weighted sum over all 4 labels, divided by 4.
    expected = (per_sample * np.array([1, 0, 1, 1])).sum() / 4
    np.testing.assert_allclose(float(scce(LABELS, LOGITS, sample_weight=mask)), expected, rtol=1e-5)
    np.testing.assert_allclose(expected, 1.2153687, rtol=1e-5)  # tf_keras 2.21


def test_label_count_mismatch_still_raises():
    with pytest.raises(ValueError, match=r"expects integer class labels of shape \(4, 1\)"):
        tf.keras.losses.sparse_categorical_crossentropy(
            np.array([1, 0, 2], dtype="int32"), LOGITS, from_logits=True
        )
