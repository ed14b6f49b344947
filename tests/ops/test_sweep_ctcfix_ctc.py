"""CTC follow-ups: beam-search `keras.backend.ctc_decode`, sparse and TF 1 CTC losses.

Expected numbers come from TF 2.21 / tf_keras 2.21 (the same seeded inputs run there).
"""

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras
from tork.ops.nn import _ctc_core


def _logits(shape):
    # RandomState is NumPy's frozen legacy generator: the same numbers everywhere.
    return np.random.RandomState(0).randn(*shape).astype("float32")


# ---------------------------------------------------------------- dense labels == blank


def test_dense_label_equal_to_blank_counts_as_class_before_it():
    # TF's dense loss moves the blank to class 0 and shifts only the labels below it,
    # so label 22 (= blank) is read as class 21 (and [21, 22] is a repeat).
    logits = _logits((10, 2, 23))
    for blank in (-1, 22):
        loss = tf.nn.ctc_loss(
            tf.constant([[1, 2, 22, 22], [3, 4, 5, 22]]),
            logits,
            [4, 4],
            [10, 10],
            blank_index=blank,
        )
        np.testing.assert_allclose(loss.numpy(), [29.12621, 26.04606], rtol=1e-5)
    loss = tf.nn.ctc_loss(
        tf.constant([[1, 2, 21, 22], [3, 4, 22, 21]]), logits, [4, 4], [10, 10], blank_index=22
    )
    np.testing.assert_allclose(loss.numpy(), [29.12621, 27.77924], rtol=1e-5)
    loss = tf.nn.ctc_loss(
        tf.constant([[1, 5, 2, 7], [5, 4, 5, 6]]), logits, [4, 4], [10, 10], blank_index=5
    )
    np.testing.assert_allclose(loss.numpy(), [23.01926, 26.81266], rtol=1e-5)
    # Keras 3's ops.ctc_loss calls tf.nn.ctc_loss with blank_index=mask_index.
    loss = keras.ops.ctc_loss(
        tf.constant([[1, 5, 2, 7], [5, 4, 5, 6]]),
        np.transpose(logits, (1, 0, 2)),
        [4, 4],
        [10, 10],
        mask_index=5,
    )
    np.testing.assert_allclose(loss.numpy(), [23.01926, 26.81266], rtol=1e-5)
    # Blank 0: a label 0 inside label_length is a state that emits the blank.
    loss = tf.nn.ctc_loss(
        tf.constant([[1, 0, 2, 0], [0, 0, 5, 6]]), logits, [4, 4], [10, 10], blank_index=0
    )
    np.testing.assert_allclose(loss.numpy(), [25.02574, 25.75555], rtol=1e-5)


def test_null_label_padding_is_an_explicit_keyword():
    probs = torch.log_softmax(torch.tensor(_logits((1, 6, 5))), -1)
    labels = torch.tensor([[1, 2, 4, 4]])
    cut = _ctc_core(probs, labels, [4], [6], 4, "any owner", null_label_padding=True)
    short = _ctc_core(probs, torch.tensor([[1, 2]]), [2], [6], 4, "any owner")
    np.testing.assert_allclose(cut.numpy(), short.numpy(), rtol=1e-6)
    # Without it, the owner string alone no longer enables the rule (4 reads as class 3).
    plain = _ctc_core(probs, labels, [4], [6], 4, "keras.backend.ctc_batch_cost")
    as_three = _ctc_core(probs, torch.tensor([[1, 2, 3, 3]]), [4], [6], 4, "x")
    np.testing.assert_allclose(plain.numpy(), as_three.numpy(), rtol=1e-6)


def test_ctc_batch_cost_all_null_row_matches_tf():
    # A row of only null labels: TF's v1 op returns
    # -(sum_{t<T-1} log p_blank + log(1 + p_blank(T-1))), not -sum log p_blank.
    rng = np.random.RandomState(0)
    p = rng.dirichlet(np.ones(5), size=(3, 6)).astype("float32")
    y = np.array([[1, 2, 99, 99], [99, 99, 99, 99], [3, 3, 0, 99]])
    cost = keras.backend.ctc_batch_cost(y, p, np.array([[6], [6], [5]]), np.full((3, 1), 4))
    np.testing.assert_allclose(cost.numpy().ravel(), [7.4368963, 12.868612, 7.466151], rtol=1e-5)


# ---------------------------------------------------------------- sparse labels


def _sparse():
    return tf.SparseTensor(
        indices=[[0, 0], [0, 1], [1, 0], [2, 0], [2, 1], [2, 2]],
        values=[1, 2, 3, 0, 3, 3],
        dense_shape=[3, 4],
    )


def test_v2_ctc_loss_sparse_labels():
    lg = _logits((6, 3, 5))
    for blank in (4, -1):
        loss = tf.nn.ctc_loss(_sparse(), lg, None, [6, 6, 6], blank_index=blank)
        np.testing.assert_allclose(loss.numpy(), [4.13362, 6.63776, 8.5147], rtol=1e-5)
    loss = tf.nn.ctc_loss(_sparse(), lg, None, [6, 6, 6], blank_index=2)
    np.testing.assert_allclose(loss.numpy(), [6.09942, 8.18759, 8.39114], rtol=1e-5)
    loss = tf.nn.ctc_loss(
        _sparse(),
        np.transpose(lg, (1, 0, 2)),
        None,
        [6, 5, 6],
        logits_time_major=False,
        blank_index=2,
    )
    np.testing.assert_allclose(loss.numpy(), [6.09942, 6.52047, 8.39114], rtol=1e-5)
    f64 = tf.nn.ctc_loss(_sparse(), lg.astype("float64"), None, [6, 6, 6], blank_index=4)
    assert f64.dtype == torch.float64


def test_v2_ctc_loss_sparse_errors():
    lg = _logits((6, 3, 5))
    with pytest.raises(ValueError, match="Argument `blank_index` must be provided"):
        tf.nn.ctc_loss(_sparse(), lg, None, [6, 6, 6])
    # blank 0 shifts label 0 to -1, as in TF.
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="All labels must be nonnegative integers, batch: 2 labels: -1,2,2",
    ):
        tf.nn.ctc_loss(_sparse(), lg, None, [6, 6, 6], blank_index=0)


def test_v1_ctc_loss_values():
    lg = _logits((6, 3, 5))
    v1 = tf.compat.v1.nn.ctc_loss
    np.testing.assert_allclose(
        v1(_sparse(), lg, [6, 5, 6]).numpy(), [4.13362, 5.95421, 8.5147], rtol=1e-5
    )
    np.testing.assert_allclose(
        v1(_sparse(), lg, [6, 5, 6], preprocess_collapse_repeated=True).numpy(),
        [4.13362, 5.95421, 7.02118],
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        v1(_sparse(), lg, [6, 5, 6], ctc_merge_repeated=False).numpy(),
        [5.79174, 6.20841, 7.72061],
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        v1(
            _sparse(), lg, [6, 5, 6], preprocess_collapse_repeated=True, ctc_merge_repeated=False
        ).numpy(),
        [5.79174, 6.20841, 8.22145],
        rtol=1e-5,
    )
    batch_major = v1(_sparse(), np.transpose(lg, (1, 0, 2)), [6, 5, 6], time_major=False)
    np.testing.assert_allclose(batch_major.numpy(), [4.13362, 5.95421, 8.5147], rtol=1e-5)
    by_logits = v1(_sparse(), sequence_length=[6, 5, 6], logits=lg)
    np.testing.assert_allclose(by_logits.numpy(), [4.13362, 5.95421, 8.5147], rtol=1e-5)
    # Column indices do not matter: each row's values in storage order.
    gaps = tf.SparseTensor([[0, 1], [0, 3], [1, 0], [2, 2]], [1, 2, 3, 0], [3, 6])
    np.testing.assert_allclose(
        v1(gaps, lg, [6, 5, 6]).numpy(), [4.13362, 5.95421, 7.38736], rtol=1e-5
    )
    # Labels >= num_classes - 1 end the row; a row of only null labels has TF's value.
    null = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 0]], [1, 5, 3, 2], [3, 4])
    np.testing.assert_allclose(
        v1(null, lg, [6, 5, 6]).numpy(), [5.63704, 5.95421, 7.99453], rtol=1e-5
    )
    all_null = tf.SparseTensor([[0, 0], [1, 0], [2, 0]], [4, 3, 0], [3, 6])
    np.testing.assert_allclose(
        v1(all_null, lg, [6, 5, 6]).numpy(), [8.35549, 5.95421, 7.38736], rtol=1e-5
    )
    np.testing.assert_allclose(
        v1(all_null, lg, [6, 5, 6], ctc_merge_repeated=False).numpy(),
        [8.35549, 6.20841, 8.75555],
        rtol=1e-5,
    )
    nomerge_null = tf.SparseTensor(
        [[0, 0], [0, 1], [0, 2], [1, 0], [2, 0], [2, 1]], [1, 1, 4, 3, 2, 2], [3, 4]
    )
    np.testing.assert_allclose(
        v1(nomerge_null, lg, [6, 5, 4], ctc_merge_repeated=False).numpy(),
        [6.02456, 6.20841, 5.99479],
        rtol=1e-5,
    )
    # More labels than steps: 0 with ignore_longer_outputs_than_inputs.
    long = tf.SparseTensor(
        [[0, 0], [0, 1], [0, 2], [0, 3], [1, 0], [2, 0]], [1, 1, 1, 1, 3, 2], [3, 4]
    )
    np.testing.assert_allclose(
        v1(long, lg, [3, 6, 6], ignore_longer_outputs_than_inputs=True).numpy(),
        [0.0, 6.63776, 7.99453],
        rtol=1e-5,
    )


def test_v1_ctc_loss_gradients_match_tf():
    # Column sums over time of d(sum loss)/d(logits), from TF's GradientTape.
    expected = {
        True: [
            [1.171, -0.4054, -0.3759, 0.8917, -1.2814],
            [0.4707, 1.3555, 1.2235, -0.8545, -2.1952],
            [-0.5286, 0.7465, 0.566, -0.5334, -0.2504],
        ],
        False: [
            [1.171, 0.3884, 0.1519, 0.8917, -2.6031],
            [0.4707, 1.3555, 1.2235, -0.5649, -2.4848],
            [-0.5286, 0.7465, 0.566, -0.5334, -0.2504],
        ],
    }
    for merge, want in expected.items():
        x = torch.tensor(_logits((6, 3, 5)), requires_grad=True)
        tf.compat.v1.nn.ctc_loss(_sparse(), x, [6, 5, 4], ctc_merge_repeated=merge).sum().backward()
        np.testing.assert_allclose(x.grad.numpy().sum(axis=0), want, atol=2e-4)


def test_v1_ctc_loss_errors():
    lg = _logits((6, 3, 5))
    v1 = tf.compat.v1.nn.ctc_loss
    with pytest.raises(TypeError, match="Expected argument `labels` to be a SparseTensor"):
        v1(tf.constant([[1, 2]] * 3), lg, [6, 5, 6])
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"len\(sequence_length\) != batch_size"
    ):
        v1(_sparse(), lg, [6, 5])
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"sequence_length\(0\) = 7 must lie in \[0, 6\]"
    ):
        v1(_sparse(), lg, [7, 5, 6])
    unordered = tf.SparseTensor([[2, 0], [0, 0], [0, 1], [1, 0]], [1, 1, 2, 3], [3, 4])
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"indices\[1\] = \[0,0\] is out of order"
    ):
        v1(unordered, lg, [6, 5, 6])
    repeated = tf.SparseTensor([[0, 0], [0, 0], [1, 0], [2, 0]], [1, 2, 3, 0], [3, 4])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = \[0,0\] is repeated"):
        v1(repeated, lg, [6, 5, 6])
    outside = tf.SparseTensor([[0, 0], [1, 0], [3, 0]], [1, 2, 3], [4, 6])
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"indices\[2\] = \[3,0\] is out of bounds"
    ):
        v1(outside, lg, [6, 5, 6])
    empty_row = tf.SparseTensor([[0, 0], [2, 0]], [1, 3], [3, 4])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Labels length is zero in batch 1"):
        v1(empty_row, lg, [6, 5, 6])
    long = tf.SparseTensor(
        [[0, 0], [0, 1], [0, 2], [0, 3], [1, 0], [2, 0]], [1, 1, 2, 2, 3, 0], [3, 4]
    )
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Not enough time for target transition sequence \(required: 4, available: 2\)",
    ):
        v1(long, lg, [2, 5, 6], preprocess_collapse_repeated=True)
    after_null = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 0]], [4, 1, 3, 0], [3, 4])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Saw a non-null label"):
        v1(after_null, lg, [6, 5, 6])


# ---------------------------------------------------------------- decoders


def test_keras_backend_ctc_decode_beam_search():
    probs = np.array([[[0.9, 0.1], [0.2, 0.8], [0.9, 0.1]]], "float32")
    decoded, log_prob = keras.backend.ctc_decode(probs, [3], greedy=False)
    assert decoded[0].tolist() == [[0, -1, -1]]
    np.testing.assert_allclose(log_prob.numpy(), [[-0.4339]], atol=1e-4)

    p = np.random.RandomState(1).dirichlet(np.ones(4) * 0.3, size=(3, 7)).astype("float32")
    decoded, log_prob = keras.backend.ctc_decode(p, np.array([7, 5, 3]), greedy=False)
    assert len(decoded) == 1 and decoded[0].dtype == torch.int64
    assert decoded[0].tolist() == [
        [0, 1, 2, 0, 2, -1, -1],
        [1, 0, 2, -1, -1, -1, -1],
        [1, -1, -1, -1, -1, -1, -1],
    ]
    np.testing.assert_allclose(log_prob.numpy(), [[-1.0233], [-1.0725], [-1.4913]], atol=1e-4)

    decoded, log_prob = keras.backend.ctc_decode(
        p, np.array([7, 5, 3]), greedy=False, beam_width=3, top_paths=3
    )
    assert [d.tolist() for d in decoded] == [
        [[0, 1, 2, 0, 2, -1, -1], [1, 0, 2, -1, -1, -1, -1], [1, -1, -1, -1, -1, -1, -1]],
        [[0, 2, 0, 2, -1, -1, -1], [0, 2, -1, -1, -1, -1, -1], [0, -1, -1, -1, -1, -1, -1]],
        [[0, 1, 2, 0, 1, 2, -1], [1, 2, -1, -1, -1, -1, -1], [0, 1, -1, -1, -1, -1, -1]],
    ]
    np.testing.assert_allclose(
        log_prob.numpy(),
        [[-1.1534, -1.1692, -3.2276], [-1.3521, -2.1504, -2.5424], [-1.4931, -1.5471, -1.5841]],
        atol=1e-4,
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"requested more paths \(3\) than"):
        keras.backend.ctc_decode(p, np.array([7, 5, 3]), greedy=False, beam_width=2, top_paths=3)


def test_beam_search_merge_repeated():
    # Class 2 is the blank; the best path is "0 * 0 0 1".
    q = np.array(
        [[[0.7, 0.1, 0.2], [0.1, 0.1, 0.8], [0.7, 0.1, 0.2], [0.7, 0.1, 0.2], [0.1, 0.8, 0.1]]],
        "float32",
    )
    scores = [[-0.9408, -1.6076, -2.3902]]
    # Keras 2 (TF 1's decoder, merge_repeated=True) merges "0 0 1" into "0 1".
    decoded, log_prob = keras.backend.ctc_decode(q, [5], greedy=False, top_paths=3)
    assert [d.tolist() for d in decoded] == [
        [[0, 1, -1, -1, -1]],
        [[0, 1, -1, -1, -1]],
        [[1, 0, 1, -1, -1]],
    ]
    np.testing.assert_allclose(log_prob.numpy(), scores, atol=1e-4)
    logits = np.log(q.transpose(1, 0, 2))
    for merge, first in ((True, [0, 1]), (False, [0, 0, 1])):
        dec, lp = tf.compat.v1.nn.ctc_beam_search_decoder(
            logits, [5], top_paths=3, merge_repeated=merge
        )
        assert dec[0].values.tolist() == first
        assert dec[2].values.tolist() == [1, 0, 1]
        np.testing.assert_allclose(lp.numpy(), scores, atol=1e-4)
    dec, _ = tf.nn.ctc_beam_search_decoder(logits, [5], top_paths=3)
    assert dec[0].values.tolist() == [0, 0, 1]


def test_compat_v1_names():
    assert tf.compat.v1.edit_distance is tf.edit_distance
    assert tf.compat.v1.nn.ctc_greedy_decoder is tf.nn.ctc_greedy_decoder
    hyp = tf.sparse.from_dense(tf.constant([[1, 2, 0]], tf.int64))
    truth = tf.sparse.from_dense(tf.constant([[1, 3, 4]], tf.int64))
    np.testing.assert_allclose(tf.compat.v1.edit_distance(hyp, truth).numpy(), [2 / 3], rtol=1e-6)
    # TF 1-only names still raise (TF 2's, such as conv2d, are tf.nn's: see _v2_names).
    with pytest.raises(NotImplementedError, match=r"tf\.compat\.v1\.nn\.raw_rnn"):
        tf.compat.v1.nn.raw_rnn  # noqa: B018
