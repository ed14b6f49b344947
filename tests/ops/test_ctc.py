"""CTC loss and greedy decoding across tf.nn, keras.backend, keras.ops and keras.losses.

The reference is a brute-force CTC: enumerate every alignment over the valid time
steps, collapse it (merge repeats, drop blanks) and sum the probabilities of those
that give the label.
"""

import itertools
import math

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras


def _collapse(path, blank):
    out, prev = [], None
    for c in path:
        if c != prev and c != blank:
            out.append(c)
        prev = c
    return out


def _brute_nll(probs, label, blank):
    """-log P(label | probs) for probs (T, C) already normalised, by enumeration."""
    steps, classes = probs.shape
    total = 0.0
    for path in itertools.product(range(classes), repeat=steps):
        if _collapse(path, blank) == list(label):
            total += math.prod(probs[t, c] for t, c in enumerate(path))
    return -math.log(total)


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


RNG = np.random.default_rng(0)
# Batch of 3, up to 4 steps, 3 classes; per-example valid steps and labels.
LOGITS = RNG.normal(size=(3, 4, 3))  # (batch, time, classes)
LOGIT_LEN = [4, 3, 4]


def _labels(blank):
    # Non-blank classes, including a repeat (which needs a blank between its copies).
    others = [c for c in range(3) if c != blank]
    a, b = others
    return [[a, b], [a, a], [b]]


def _reference(probs, labels, blank, lengths=LOGIT_LEN):
    return np.array(
        [_brute_nll(probs[i, : lengths[i]], labels[i], blank) for i in range(len(labels))]
    )


def _dense(labels, pad):
    width = max(len(lab) for lab in labels)
    return [lab + [pad] * (width - len(lab)) for lab in labels], [len(lab) for lab in labels]


@pytest.mark.parametrize("blank_index, blank", [(None, 0), (1, 1), (-1, 2)])
def test_tf_nn_ctc_loss_time_major_matches_brute_force(blank_index, blank):
    labels = _labels(blank)
    dense, label_len = _dense(labels, pad=-1)
    logits = torch.tensor(LOGITS).transpose(0, 1)  # time-major (T, N, C)
    loss = tf.nn.ctc_loss(dense, logits, label_len, LOGIT_LEN, blank_index=blank_index)
    assert loss.shape == (3,)
    expected = _reference(_softmax(LOGITS), labels, blank)
    np.testing.assert_allclose(loss.numpy(), expected, rtol=1e-10)


def test_tf_nn_ctc_loss_batch_major_float32():
    labels = _labels(0)
    dense, label_len = _dense(labels, pad=0)
    logits = torch.tensor(LOGITS, dtype=torch.float32)
    loss = tf.nn.ctc_loss(dense, logits, label_len, LOGIT_LEN, logits_time_major=False)
    assert loss.dtype == torch.float32
    np.testing.assert_allclose(loss.numpy(), _reference(_softmax(LOGITS), labels, 0), rtol=1e-5)


def test_keras_backend_ctc_batch_cost_uses_probabilities_and_last_blank():
    labels = _labels(2)
    dense, label_len = _dense(labels, pad=0)
    probs = _softmax(LOGITS)
    loss = keras.backend.ctc_batch_cost(
        np.array(dense, dtype=np.float32),  # Keras Input labels are float
        torch.tensor(probs, dtype=torch.float32),
        np.array(LOGIT_LEN)[:, None],
        np.array(label_len)[:, None],
    )
    assert loss.shape == (3, 1)
    # Keras 2 takes log(p + epsilon) and renormalises.
    smoothed = (probs + 1e-7) / (probs + 1e-7).sum(axis=-1, keepdims=True)
    np.testing.assert_allclose(loss.numpy()[:, 0], _reference(smoothed, labels, 2), rtol=1e-5)


@pytest.mark.parametrize("mask_index", [0, 2])
def test_keras_ops_ctc_loss_matches_brute_force(mask_index):
    labels = _labels(mask_index)
    dense, label_len = _dense(labels, pad=-1)
    loss = keras.ops.ctc_loss(
        dense, torch.tensor(LOGITS), label_len, LOGIT_LEN, mask_index=mask_index
    )
    assert loss.shape == (3,)
    expected = _reference(_softmax(LOGITS), labels, mask_index)
    np.testing.assert_allclose(loss.numpy(), expected, rtol=1e-10)


def test_keras_losses_ctc_infers_lengths_from_zero_padding():
    labels = _labels(0)
    dense, _ = _dense(labels, pad=0)
    full = [4, 4, 4]
    expected = _reference(_softmax(LOGITS), labels, 0, lengths=full)
    per_example = keras.losses.ctc(dense, torch.tensor(LOGITS))
    np.testing.assert_allclose(per_example.numpy(), expected, rtol=1e-10)
    mean = keras.losses.CTC()(dense, torch.tensor(LOGITS, dtype=torch.float32))
    np.testing.assert_allclose(float(mean), expected.mean(), rtol=1e-5)


def test_uniform_example_value():
    # 4 steps, uniform over {blank, 1, 2}: 15 of the 81 paths collapse to [1, 2].
    loss = tf.nn.ctc_loss([[1, 2]], tf.zeros([4, 1, 3]), [2], [4])
    np.testing.assert_allclose(loss.numpy(), [-math.log(15 / 81)], rtol=1e-6)


def test_gradient_matches_finite_differences():
    labels, label_len = [[1, 2], [1, 1]], [2, 2]
    logits = torch.tensor(RNG.normal(size=(4, 2, 3)), requires_grad=True)  # time-major

    def f(x):
        return tf.nn.ctc_loss(labels, x, label_len, [4, 4]).sum()

    f(logits).backward()
    numeric = np.zeros(logits.shape)
    h = 1e-6
    base = logits.detach().numpy()
    for idx in np.ndindex(*base.shape):
        plus, minus = base.copy(), base.copy()
        plus[idx] += h
        minus[idx] -= h
        numeric[idx] = (float(f(torch.tensor(plus))) - float(f(torch.tensor(minus)))) / (2 * h)
    np.testing.assert_allclose(logits.grad.numpy(), numeric, atol=1e-7)


def test_keras_ops_gradient_flows():
    logits = torch.tensor(LOGITS, requires_grad=True)
    keras.ops.ctc_loss([[1, 2], [1, 1], [2, 0]], logits, [2, 2, 1], [4, 4, 4]).sum().backward()
    assert logits.grad is not None and torch.isfinite(logits.grad).all()
    assert float(logits.grad.abs().sum()) > 0


# ---------------------------------------------------------------- errors


def test_labels_longer_than_logits_raise():
    with pytest.raises(ValueError, match=r"labels are longer than the logits"):
        tf.nn.ctc_loss([[1, 2, 1]], tf.zeros([2, 1, 3]), [3], [2])
    with pytest.raises(ValueError, match=r"labels are longer than the logits"):
        keras.ops.ctc_loss([[1, 2, 1]], keras.ops.zeros((1, 2, 3)), [3], [2])


def test_bad_lengths_shape_raises():
    with pytest.raises(ValueError, match=r"label_length must have shape \(batch,\) = \(2,\)"):
        tf.nn.ctc_loss([[1], [2]], tf.zeros([3, 2, 3]), [1, 1, 1], [3, 3])
    with pytest.raises(ValueError, match=r"logit_length must have shape \(batch,\) = \(1,\)"):
        keras.backend.ctc_batch_cost([[0]], tf.fill([1, 3, 3], 1.0 / 3), [[3, 3]], [[1]])


def test_length_out_of_range_raises():
    with pytest.raises(ValueError, match=r"logit_length \[5\] must lie in \[0, 3\]"):
        tf.nn.ctc_loss([[1]], tf.zeros([3, 1, 3]), [1], [5])
    with pytest.raises(ValueError, match=r"label_length \[2\] must lie in \[0, 1\]"):
        tf.nn.ctc_loss([[1]], tf.zeros([3, 1, 3]), [2], [3])


def test_bad_ranks_raise():
    with pytest.raises(ValueError, match=r"expected dense labels of shape"):
        tf.nn.ctc_loss([1, 2], tf.zeros([3, 1, 3]), [2], [3])
    with pytest.raises(ValueError, match=r"expected 3-D logits"):
        tf.nn.ctc_loss([[1]], tf.zeros([3, 3]), [1], [3])
    with pytest.raises(ValueError, match=r"blank index 5 is out of range for 3 classes"):
        tf.nn.ctc_loss([[1]], tf.zeros([3, 1, 3]), [1], [3], blank_index=5)


# ---------------------------------------------------------------- greedy decoding


def _one_hot_logits(paths, classes, high=3.0):
    out = np.zeros((len(paths), len(paths[0]), classes), dtype=np.float32)
    for b, path in enumerate(paths):
        for t, c in enumerate(path):
            out[b, t, c] = high
    return out


def test_keras_ops_ctc_decode_greedy_by_hand():
    logits = _one_hot_logits([[1, 1, 0, 1, 2, 2], [2, 0, 2, 1, 1, 1]], 3)
    decoded, scores = keras.ops.ctc_decode(logits, [6, 3])
    assert decoded.shape == (1, 2, 6) and decoded.dtype == torch.int32
    assert decoded.tolist() == [[[1, 1, 2, -1, -1, -1], [2, 2, -1, -1, -1, -1]]]
    np.testing.assert_allclose(scores.numpy(), [[-18.0], [-9.0]])

    decoded, _ = keras.ops.ctc_decode(logits, [6, 3], merge_repeated=False)
    assert decoded.tolist() == [[[1, 1, 1, 2, 2, -1], [2, 2, -1, -1, -1, -1]]]

    decoded, _ = keras.ops.ctc_decode(logits, [6, 6], mask_index=None)  # blank = 2
    assert decoded.tolist() == [[[1, 0, 1, -1, -1, -1], [0, 1, -1, -1, -1, -1]]]


def test_keras_backend_ctc_decode_greedy_by_hand():
    probs = np.full((2, 5, 3), 0.1, dtype=np.float32)
    paths = [[0, 0, 2, 0, 1], [1, 2, 2, 1, 0]]  # blank is the last class, 2
    for b, path in enumerate(paths):
        for t, c in enumerate(path):
            probs[b, t, c] = 0.8
    decoded, log_prob = keras.backend.ctc_decode(probs, np.array([5, 4]))
    assert isinstance(decoded, list) and len(decoded) == 1
    # TF 2.21 tf_keras: padded with -1 to (samples, time_steps)
    assert decoded[0].tolist() == [[0, 0, 1, -1, -1], [1, 1, -1, -1, -1]]
    expected = -np.array([[5 * np.log(0.8 + 1e-7)], [4 * np.log(0.8 + 1e-7)]])
    np.testing.assert_allclose(log_prob.numpy(), expected, rtol=1e-6)


def test_decode_invalid_strategies_and_lengths_raise():
    probs = np.full((1, 2, 3), 1.0 / 3, dtype=np.float32)
    with pytest.raises(ValueError, match=r"invalid strategy 'best'"):
        keras.ops.ctc_decode(probs, [2], strategy="best")
    with pytest.raises(ValueError, match=r"sequence_lengths must have shape"):
        keras.ops.ctc_decode(probs, [2, 2])


def test_ctc_label_dense_to_sparse_matches_tf_keras():
    # tf_keras 2.21 gives these indices/values; lengths of shape (n,) or (n, 1).
    labels = tf.constant([[1, 2, 3, 0], [4, 5, 0, 0]])
    for lengths in ([3, 2], [[3], [2]]):
        sp = keras.backend.ctc_label_dense_to_sparse(labels, tf.constant(lengths))
        assert sp.indices.numpy().tolist() == [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1]]
        assert sp.values.numpy().tolist() == [1, 2, 3, 4, 5]
        assert sp.values.dtype == tf.int32
        assert sp.dense_shape.numpy().tolist() == [2, 4]
    sp = keras.backend.ctc_label_dense_to_sparse(labels, [4, 1])
    assert sp.values.numpy().tolist() == [1, 2, 3, 0, 4]  # a padding 0 inside the length stays


def test_ctc_label_dense_to_sparse_errors_name_the_lengths():
    labels = tf.constant([[1, 2], [3, 4]])
    with pytest.raises(ValueError, match=r"must lie in \[0, 2\].*\[3, 1\]"):
        keras.backend.ctc_label_dense_to_sparse(labels, [3, 1])
    with pytest.raises(ValueError, match="3 label lengths for 2 rows"):
        keras.backend.ctc_label_dense_to_sparse(labels, [1, 1, 1])
