"""tf.random.categorical with non-finite logits, as TF's CPU kernel draws them.

Found in the TF2 RL Cookbook's neural-evolutionary agent, which samples from
`tf.math.log(logits)`: negative logits give NaN, and TF still draws actions.
"""

import numpy as np

import tork as tf

NAN, INF = np.nan, np.inf


def _counts(logits, n=4000, seed=None):
    out = tf.random.categorical(np.array(logits, dtype="float32"), n, seed=seed).numpy()
    return [np.bincount(row, minlength=len(logits[0]) + 1) for row in out]


def test_nan_logits_have_zero_probability():
    tf.random.set_seed(3)
    (row,) = _counts([[0.0, NAN, 1.0]])
    assert row[1] == 0 and row[3] == 0
    # the finite logits keep their softmax odds: 1 / (1 + e) = 0.2689
    assert abs(row[0] / row.sum() - 0.2689) < 0.03


def test_infinite_logits_have_zero_probability():
    tf.random.set_seed(4)
    (row,) = _counts([[INF, 0.0, INF]])
    assert row.tolist() == [0, 4000, 0, 0]
    (row,) = _counts([[0.0, INF, 1.0]])
    assert row[1] == 0 and row[0] > 0 and row[2] > 0


def test_row_without_finite_logit_draws_num_classes():
    tf.random.set_seed(5)
    rows = _counts([[0.0, 0.0, 0.0], [NAN, NAN, NAN], [-INF, -INF, -INF]])
    assert rows[0][3] == 0 and rows[0][:3].min() > 0
    assert rows[1].tolist() == [0, 0, 0, 4000]
    assert rows[2].tolist() == [0, 0, 0, 4000]


def test_stateless_and_dtype_follow():
    x = np.array([[NAN, NAN], [0.0, NAN], [-INF, -INF]])
    out = tf.random.stateless_categorical(x, 50, seed=[1, 2], dtype=tf.int32).numpy()
    assert out.dtype == np.int32
    assert out.min(axis=1).tolist() == [2, 0, 2]
    assert out.max(axis=1).tolist() == [2, 0, 2]


def test_log_of_negative_network_outputs_samples():
    # The Cookbook's policy: tf.random.categorical(tf.math.log(action_logits), 1).
    logits = np.array([[-0.26, 0.3, -0.25, 0.5, -0.11]], dtype="float32")
    tf.random.set_seed(6)
    out = tf.random.categorical(tf.math.log(logits), num_samples=200).numpy()
    assert out.shape == (1, 200)
    assert set(np.unique(out).tolist()) <= {1, 3}


def test_keras_random_categorical_same_rule():
    logits = np.array([[NAN, 0.0, -INF], [NAN, NAN, NAN]], dtype="float32")
    out = tf.keras.random.categorical(logits, 20, seed=7)
    out = np.asarray(out)
    assert out[0].tolist() == [1] * 20
    assert out[1].tolist() == [3] * 20
