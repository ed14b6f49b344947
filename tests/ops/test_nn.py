"""tork.ops.nn against NumPy formulas and finite differences."""

import math

import numpy as np
import pytest
import torch
from torch.autograd import gradcheck

import tork as tf
from tork.ops.debugging import InvalidArgumentError

RNG = np.random.default_rng(1)
X = RNG.standard_normal((4, 5)).astype(np.float32) * 3


def np_(t):
    return t.detach().cpu().numpy()


def np_softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


erf = np.vectorize(math.erf)
SELU_A, SELU_S = 1.6732632423543772, 1.0507009873554805


@pytest.mark.parametrize(
    "op, ref",
    [
        (tf.nn.relu, lambda v: np.maximum(v, 0)),
        (tf.nn.relu6, lambda v: np.clip(v, 0, 6)),
        (tf.nn.elu, lambda v: np.where(v > 0, v, np.expm1(v))),
        (tf.nn.selu, lambda v: SELU_S * np.where(v > 0, v, SELU_A * np.expm1(v))),
        (tf.nn.gelu, lambda v: 0.5 * v * (1 + erf(v / np.sqrt(2)))),
        (
            lambda v: tf.nn.gelu(v, approximate=True),
            lambda v: 0.5 * v * (1 + np.tanh(np.sqrt(2 / np.pi) * (v + 0.044715 * v**3))),
        ),
        (tf.nn.silu, lambda v: v / (1 + np.exp(-v))),
        (lambda v: tf.nn.silu(v, beta=2.0), lambda v: v / (1 + np.exp(-2 * v))),
        (tf.nn.swish, lambda v: v / (1 + np.exp(-v))),
        (tf.nn.leaky_relu, lambda v: np.where(v > 0, v, 0.2 * v)),
        (lambda v: tf.nn.leaky_relu(v, alpha=0.1), lambda v: np.where(v > 0, v, 0.1 * v)),
        (tf.nn.softmax, np_softmax),
        (lambda v: tf.nn.softmax(v, axis=0), lambda v: np_softmax(v, 0)),
        (tf.nn.log_softmax, lambda v: np.log(np_softmax(v))),
        (tf.nn.sigmoid, lambda v: 1 / (1 + np.exp(-v))),
        (tf.nn.tanh, np.tanh),
        (tf.nn.softplus, lambda v: np.log1p(np.exp(v))),
        (tf.nn.softsign, lambda v: v / (1 + np.abs(v))),
    ],
)
def test_activations_against_numpy(op, ref):
    got = op(X)
    assert got.dtype == torch.float32 and got.shape == X.shape
    np.testing.assert_allclose(np_(got), ref(X.astype(np.float64)), rtol=1e-5, atol=1e-6)


def test_relu_on_python_values():
    assert tf.nn.relu([-1, 2]).tolist() == [0, 2]
    assert tf.nn.relu([-1.0, 2.0]).dtype == torch.float32


def test_softmax_rejects_int_logits():
    with pytest.raises(TypeError, match="softmax expects a floating point tensor, got int32"):
        tf.nn.softmax([1, 2])


def test_dropout_statistics_and_scaling():
    x = tf.ones((200, 500))
    y = tf.nn.dropout(x, rate=0.3)
    vals = np.unique(np_(y))
    np.testing.assert_allclose(vals, [0.0, 1 / 0.7], rtol=1e-6)
    kept = float((y != 0).float().mean())
    assert abs(kept - 0.7) < 0.01
    assert tf.nn.dropout(x, 0.0) is x


def test_dropout_noise_shape_and_seed():
    x = tf.ones((8, 4, 6))
    y = tf.nn.dropout(x, 0.5, noise_shape=[None, 1, 6], seed=3)
    arr = np_(y)
    # The mask is shared along axis 1.
    assert np.all(arr == arr[:, :1, :])
    tf.random.set_seed(5)
    a = tf.nn.dropout(x, 0.5, seed=1)
    tf.random.set_seed(5)
    b = tf.nn.dropout(x, 0.5, seed=1)
    assert torch.equal(a, b)
    with pytest.raises(ValueError, match=r"rate must be a scalar in the range \[0, 1\), got 1.0"):
        tf.nn.dropout(x, 1.0)
    with pytest.raises(ValueError, match="noise_shape"):
        tf.nn.dropout(x, 0.5, noise_shape=[8, 1])


def test_l2_loss_moments():
    assert tf.nn.l2_loss(X).item() == pytest.approx(np.sum(X.astype(np.float64) ** 2) / 2, rel=1e-5)
    mean, var = tf.nn.moments(tf.constant(X), axes=[0])
    np.testing.assert_allclose(np_(mean), X.mean(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np_(var), X.var(0), rtol=1e-5)
    m2, v2 = tf.nn.moments(tf.constant(X), axes=[0, 1], keepdims=True)
    assert m2.shape == (1, 1) and v2.shape == (1, 1)
    np.testing.assert_allclose(v2.item(), X.var(), rtol=1e-5)
    h = tf.constant(X, dtype=tf.float16)
    mh, vh = tf.nn.moments(h, axes=[1])
    assert mh.dtype == torch.float16 and vh.dtype == torch.float16


def test_batch_normalization_and_bias_add():
    mean, var = X.mean(0), X.var(0)
    gamma, beta = np.full(5, 2.0, np.float32), np.full(5, 0.5, np.float32)
    got = tf.nn.batch_normalization(tf.constant(X), mean, var, beta, gamma, 1e-3)
    want = gamma * (X - mean) / np.sqrt(var + 1e-3) + beta
    np.testing.assert_allclose(np_(got), want, rtol=1e-5, atol=1e-5)
    bias = np.arange(5, dtype=np.float32)
    np.testing.assert_allclose(np_(tf.nn.bias_add(X, bias)), X + bias)
    img = RNG.standard_normal((2, 5, 3, 3)).astype(np.float32)
    np.testing.assert_allclose(
        np_(tf.nn.bias_add(img, bias, data_format="NCHW")), img + bias[None, :, None, None]
    )
    with pytest.raises(ValueError, match=r"bias of shape \(4,\) does not match.*\(4, 5\)"):
        tf.nn.bias_add(X, np.zeros(4, np.float32))
    with pytest.raises(ValueError, match="bias must be 1-D"):
        tf.nn.bias_add(X, np.zeros((1, 5), np.float32))


def test_embedding_lookup():
    table = RNG.standard_normal((6, 3)).astype(np.float32)
    ids = np.array([[5, 0], [2, 2]])
    np.testing.assert_array_equal(np_(tf.nn.embedding_lookup(table, ids)), table[ids])
    clipped = np_(tf.nn.embedding_lookup(table, ids, max_norm=0.5))
    norms = np.linalg.norm(table[ids], axis=-1, keepdims=True)
    np.testing.assert_allclose(clipped, table[ids] * np.minimum(1, 0.5 / norms), rtol=1e-5)


def test_average_and_regularization_losses():
    assert tf.nn.compute_average_loss([1.0, 3.0]).item() == 2.0
    assert tf.nn.compute_average_loss([1.0, 3.0], global_batch_size=4).item() == 1.0
    assert tf.nn.compute_average_loss([1.0, 3.0], sample_weight=[1.0, 0.0]).item() == 0.5
    assert tf.nn.scale_regularization_loss([1.0, 2.0]).item() == 3.0


# ---------------------------------------------------------------- cross-entropies


def test_softmax_cross_entropy():
    labels = np_softmax(RNG.standard_normal((4, 5)))
    want = -np.sum(labels * np.log(np_softmax(X.astype(np.float64))), axis=-1)
    got = tf.nn.softmax_cross_entropy_with_logits(labels.astype(np.float32), X)
    assert got.shape == (4,)
    np.testing.assert_allclose(np_(got), want, rtol=1e-5)
    got0 = tf.nn.softmax_cross_entropy_with_logits(labels.T.astype(np.float32), X.T, axis=0)
    np.testing.assert_allclose(np_(got0), want, rtol=1e-5)
    z3 = RNG.standard_normal((2, 3, 4))
    y3 = np_softmax(RNG.standard_normal((2, 3, 4)))
    np.testing.assert_allclose(
        np_(tf.nn.softmax_cross_entropy_with_logits(y3, z3)),
        -np.sum(y3 * np.log(np_softmax(z3)), -1),
        rtol=1e-10,
    )
    with pytest.raises(ValueError, match=r"same shape, got \(4, 4\) and \(4, 5\)"):
        tf.nn.softmax_cross_entropy_with_logits(np.zeros((4, 4), np.float32), X)


def test_sparse_softmax_cross_entropy():
    labels = np.array([0, 4, 2, 1], dtype=np.int32)
    want = -np.log(np_softmax(X.astype(np.float64))[np.arange(4), labels])
    got = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, X)
    np.testing.assert_allclose(np_(got), want, rtol=1e-5)
    z3 = RNG.standard_normal((2, 3, 4))
    y3 = np.array([[0, 1, 3], [2, 2, 0]])
    p = np_softmax(z3)
    want3 = -np.log(np.take_along_axis(p, y3[..., None], -1)[..., 0])
    np.testing.assert_allclose(np_(tf.nn.sparse_softmax_cross_entropy_with_logits(y3, z3)), want3)


def test_sparse_softmax_cross_entropy_errors():
    with pytest.raises(
        InvalidArgumentError, match=r"label value of 5 which is outside the valid range of \[0, 5\)"
    ):
        tf.nn.sparse_softmax_cross_entropy_with_logits([0, 5, 1, 1], X)
    with pytest.raises(InvalidArgumentError, match=r"label value of -100"):
        tf.nn.sparse_softmax_cross_entropy_with_logits([0, -100, 1, 1], X)
    with pytest.raises(
        ValueError, match=r"labels of shape \(4, 1\) must have the shape of logits \(4, 5\)"
    ):
        tf.nn.sparse_softmax_cross_entropy_with_logits(np.zeros((4, 1), np.int32), X)
    with pytest.raises(TypeError, match="labels must be integer class ids, got float32"):
        tf.nn.sparse_softmax_cross_entropy_with_logits([0.0, 1.0, 1.0, 1.0], X)


def test_sigmoid_cross_entropy():
    z = RNG.uniform(0, 1, X.shape).astype(np.float32)
    x = X.astype(np.float64)
    want = np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))
    got = tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=X)
    np.testing.assert_allclose(np_(got), want, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match=r"same shape \(\(4, 5\) vs \(4,\)\)"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=z[:, 0], logits=X)
    with pytest.raises(ValueError, match="needs both labels= and logits="):
        tf.nn.sigmoid_cross_entropy_with_logits(logits=X)
    pw = 3.0
    sig = 1 / (1 + np.exp(-x))
    want_w = -(pw * z * np.log(sig) + (1 - z) * np.log(1 - sig))
    got_w = tf.nn.weighted_cross_entropy_with_logits(z, X, pw)
    np.testing.assert_allclose(np_(got_w), want_w, rtol=1e-4, atol=1e-5)


# ---------------------------------------------------------------- gradients


def f64(*shape):
    return torch.tensor(RNG.standard_normal(shape), dtype=torch.float64, requires_grad=True)


def test_cross_entropy_gradients():
    logits = f64(3, 4)
    labels = torch.softmax(f64(3, 4).detach(), -1).requires_grad_()
    assert gradcheck(lambda y, z: tf.nn.softmax_cross_entropy_with_logits(y, z), (labels, logits))
    ids = torch.tensor([1, 0, 3], dtype=torch.int32)
    assert gradcheck(lambda z: tf.nn.sparse_softmax_cross_entropy_with_logits(ids, z), (logits,))
    targets = torch.rand(3, 4, dtype=torch.float64, requires_grad=True)
    assert gradcheck(
        lambda y, z: tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z), (targets, logits)
    )


def test_activation_and_moments_gradients():
    x = f64(3, 4)
    for fn in (tf.nn.gelu, tf.nn.selu, tf.nn.softmax, tf.nn.log_softmax, tf.nn.silu):
        assert gradcheck(fn, (x,))
    assert gradcheck(lambda t: tf.nn.moments(t, axes=[0]), (x,))


# ---------------------------------------------------------------- TF 2.21 sweep (numbers from TF)


def test_relu6_takes_integers():
    out = tf.nn.relu6(tf.constant([-1, 2, 9]))
    assert out.dtype == torch.int32 and out.tolist() == [0, 2, 6]


def test_crelu():
    x = tf.constant([[-1.0, 2.0], [3.0, -4.0]])
    assert tf.nn.crelu(x).tolist() == [[0.0, 2.0, 1.0, 0.0], [3.0, 0.0, 0.0, 4.0]]
    assert tf.nn.crelu(x, axis=0).tolist() == [[0, 2], [3, 0], [1, 0], [0, 4]]


def test_moment_helpers_match_tf():
    x = tf.constant([[1.0, 2.0], [3.0, 5.0]])
    count, total, squares, shift = tf.nn.sufficient_statistics(x, axes=[0], shift=1.0)
    assert count.item() == 2.0 and total.tolist() == [2.0, 5.0]
    assert squares.tolist() == [4.0, 17.0] and shift.item() == 1.0
    mean, var = tf.nn.normalize_moments(2.0, tf.constant([2.0, 4.0]), tf.constant([4.0, 16.0]), 1.0)
    assert mean.tolist() == [2.0, 3.0] and var.tolist() == [1.0, 4.0]
    mean, var = tf.nn.weighted_moments(x, axes=[0], frequency_weights=tf.constant([[1.0], [3.0]]))
    np.testing.assert_allclose(var.numpy(), [0.75, 1.6875])
    np.testing.assert_allclose(mean.numpy(), [2.5, 4.25])
    mean, var = tf.nn.weighted_moments(x, [0], tf.zeros((2, 1)), keepdims=True)
    assert mean.tolist() == [[0.0, 0.0]] and var.tolist() == [[0.0, 0.0]]


def test_log_poisson_loss_matches_tf():
    t, lg = tf.constant([0.0, 1.0, 3.0]), tf.constant([0.5, -1.0, 2.0])
    full = tf.nn.log_poisson_loss(t, lg, compute_full_loss=True)
    np.testing.assert_allclose(full.numpy(), [1.6487212, 1.3678794, 3.1531377], rtol=1e-6)
    np.testing.assert_allclose(
        tf.nn.log_poisson_loss(t, lg).numpy(), np.exp([0.5, -1, 2]) - [0, -1, 6]
    )


# ---------------------------------------------------------------- CTC decoders (values from TF 2.21)


def _ctc_inputs():
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((6, 3, 4)).astype(np.float32) * 2
    l2 = rng.standard_normal((8, 2, 5)).astype(np.float32)
    return logits, np.array([6, 4, 5], np.int32), l2


def _decoded(sp):
    return sp.indices.tolist(), sp.values.tolist(), sp.dense_shape.tolist()


def test_ctc_greedy_decoder_matches_tensorflow():
    from tork._backend.sparse_tensor import SparseTensor

    logits, seq, l2 = _ctc_inputs()
    decoded, neg_sum = tf.nn.ctc_greedy_decoder(logits, seq)
    assert len(decoded) == 1 and isinstance(decoded[0], SparseTensor)
    assert decoded[0].values.dtype == torch.int64 and decoded[0].indices.dtype == torch.int64
    assert _decoded(decoded[0]) == (
        [[0, 0], [0, 1], [0, 2], [0, 3], [0, 4], [1, 0], [1, 1], [2, 0], [2, 1]],
        [2, 1, 0, 0, 2, 2, 1, 1, 1],
        [3, 5],
    )
    # TF returns minus the sum of the chosen logits, not a normalized log-probability.
    np.testing.assert_allclose(np_(neg_sum), [[-12.71907], [-8.16126], [-9.20987]], rtol=1e-5)
    assert neg_sum.dtype == torch.float32
    decoded, _ = tf.nn.ctc_greedy_decoder(logits, seq, merge_repeated=False)
    assert decoded[0].values.tolist() == [2, 1, 0, 0, 2, 2, 1, 1, 1, 1, 1]
    decoded, _ = tf.nn.ctc_greedy_decoder(logits, seq, blank_index=0)
    assert _decoded(decoded[0])[1:] == ([2, 1, 3, 2, 2, 3, 1, 3, 1, 3, 1], [3, 4])
    decoded, _ = tf.nn.ctc_greedy_decoder(logits, seq, blank_index=-2)
    assert decoded[0].values.tolist() == [1, 0, 3, 0, 3, 1, 3, 1, 3, 1]
    decoded, neg_sum = tf.nn.ctc_greedy_decoder(l2, [8, 7])
    assert _decoded(decoded[0])[1:] == ([2, 3, 2, 0, 1, 2, 0, 2, 2], [2, 5])
    np.testing.assert_allclose(np_(neg_sum), [[-7.63852], [-7.9642]], rtol=1e-5)
    # An empty sequence: no labels, a 0 (not -0) score.
    l3 = np.log(np.array([[[0.1, 0.6, 0.3]], [[0.1, 0.6, 0.3]], [[0.5, 0.2, 0.3]]], np.float32))
    decoded, neg_sum = tf.nn.ctc_greedy_decoder(l3, [0])
    assert _decoded(decoded[0]) == ([], [], [1, 0])
    assert math.copysign(1.0, float(neg_sum[0, 0])) == 1.0


def test_ctc_beam_search_decoder_matches_tensorflow():
    logits, seq, l2 = _ctc_inputs()
    decoded, log_probs = tf.nn.ctc_beam_search_decoder(logits, seq)
    assert _decoded(decoded[0])[1] == [2, 1, 0, 0, 2, 2, 1, 1, 1]
    np.testing.assert_allclose(np_(log_probs), [[-1.93399], [-1.15416], [-1.71451]], rtol=1e-5)
    decoded, log_probs = tf.nn.ctc_beam_search_decoder(logits, seq, beam_width=3, top_paths=3)
    assert [_decoded(d) for d in decoded] == [
        (
            [[0, 0], [0, 1], [0, 2], [0, 3], [0, 4], [1, 0], [1, 1], [2, 0], [2, 1]],
            [2, 1, 0, 0, 2, 2, 1, 1, 1],
            [3, 5],
        ),
        (
            [[0, 0], [0, 1], [0, 2], [0, 3], [1, 0], [1, 1], [1, 2], [2, 0], [2, 1], [2, 2]],
            [2, 0, 0, 2, 2, 1, 2, 1, 2, 1],
            [3, 4],
        ),
        (
            [[0, 0], [0, 1], [0, 2], [0, 3], [0, 4], [1, 0], [2, 0], [2, 1]],
            [2, 1, 0, 1, 2, 1, 1, 0],
            [3, 5],
        ),
    ]
    np.testing.assert_allclose(
        np_(log_probs),
        [
            [-1.93399, -2.56847, -2.8935],
            [-1.18962, -2.06193, -2.47219],
            [-1.78839, -2.06693, -2.31419],
        ],
        rtol=1e-5,
    )
    _, log_probs = tf.nn.ctc_beam_search_decoder(logits, seq, beam_width=1, top_paths=1)
    np.testing.assert_allclose(np_(log_probs), [[-1.93399], [-1.62061], [-1.86323]], rtol=1e-5)
    decoded, log_probs = tf.nn.ctc_beam_search_decoder(l2, [8, 7], beam_width=10, top_paths=4)
    assert [d.values.tolist() for d in decoded] == [
        [2, 3, 2, 0, 1, 2, 0, 2, 0],
        [2, 3, 2, 1, 2, 0, 2],
        [2, 3, 2, 0, 2, 2, 0, 0],
        [2, 3, 2, 0, 2, 2, 0],
    ]
    np.testing.assert_allclose(
        np_(log_probs),
        [[-4.36324, -4.89796, -4.93272, -5.00287], [-4.10681, -4.13698, -4.454, -4.46232]],
        rtol=1e-5,
    )


def test_ctc_beam_search_small_constant_cases():
    # Hand-checkable: p(a)=0.6, p(b)=0.1... the blank is the last class.
    l3 = np.log(
        np.array(
            [[[0.1, 0.6, 0.3]], [[0.1, 0.6, 0.3]], [[0.5, 0.2, 0.3]], [[0.1, 0.6, 0.3]]], np.float32
        )
    )
    decoded, log_probs = tf.nn.ctc_beam_search_decoder(l3, [4], beam_width=5, top_paths=3)
    assert [d.values.tolist() for d in decoded] == [[1, 0, 1], [1, 0], [1]]
    np.testing.assert_allclose(np_(log_probs), [[-1.40731, -1.63168, -1.72485]], rtol=1e-5)
    # Uniform scores: ties keep TF's order.
    decoded, log_probs = tf.nn.ctc_beam_search_decoder(np.zeros((3, 1, 3), np.float32), [3], 4, 4)
    assert [d.values.tolist() for d in decoded] == [[0], [1], [0, 1], [1, 0]]
    np.testing.assert_allclose(np_(log_probs), [[-1.50408, -1.50408, -1.6864, -2.19722]], rtol=1e-5)
    decoded, log_probs = tf.nn.ctc_beam_search_decoder(np.zeros((5, 2, 3)), [5, 2], 2, 2)
    assert log_probs.dtype == torch.float64
    assert _decoded(decoded[0]) == ([[0, 0], [0, 1], [1, 0]], [0, 1, 0], [2, 2])
    np.testing.assert_allclose(
        np_(log_probs), [[-2.09186, -3.00815], [-1.09861, -2.19722]], rtol=1e-5
    )
    decoded, log_probs = tf.nn.ctc_beam_search_decoder(l3, [0], beam_width=5, top_paths=1)
    assert _decoded(decoded[0]) == ([], [], [1, 0]) and np_(log_probs).tolist() == [[0.0]]


def test_ctc_decoder_errors():
    from tork._backend.errors import FailedPreconditionError

    logits, seq, _ = _ctc_inputs()
    for fn in (tf.nn.ctc_greedy_decoder, tf.nn.ctc_beam_search_decoder):
        with pytest.raises(
            FailedPreconditionError, match="len\\(sequence_length\\): 2 batch_size: 3"
        ):
            fn(logits, seq[:2])
        with pytest.raises(InvalidArgumentError, match="inputs must be a 3-D tensor"):
            fn(logits[0], seq)
        with pytest.raises(
            FailedPreconditionError, match="sequence_length\\(0\\) = 16 exceeds max_time 6"
        ):
            fn(logits, seq + 10)
    with pytest.raises(
        InvalidArgumentError, match="requested more paths \\(5\\) than the beam width \\(3\\)"
    ):
        tf.nn.ctc_beam_search_decoder(logits, seq, beam_width=3, top_paths=5)
    with pytest.raises(InvalidArgumentError, match="top_paths must be at least 1, got 0"):
        tf.nn.ctc_beam_search_decoder(logits, seq, top_paths=0)
    l3 = np.zeros((4, 1, 3), np.float32)
    with pytest.raises(InvalidArgumentError, match="less leaves in the beam search than requested"):
        tf.nn.ctc_beam_search_decoder(l3, [0], beam_width=5, top_paths=2)
    with pytest.raises(
        InvalidArgumentError, match="blank_index expected to be between -4 and 3 but was 4"
    ):
        tf.nn.ctc_greedy_decoder(logits, seq, blank_index=4)


# ---------------------------------------------------------------- dilation2d (values from TF 2.21)


def _dilation_inputs():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 7, 6, 3)).astype(np.float32)
    f = rng.standard_normal((3, 2, 3)).astype(np.float32)
    return x, f, rng


def _np_dilation(x, f, strides, rates, padding):
    n, h, w, c = x.shape
    kh, kw, _ = f.shape
    sh, sw = strides
    rh, rw = rates
    eh, ew = (kh - 1) * rh + 1, (kw - 1) * rw + 1
    if padding == "SAME":
        oh, ow = -(-h // sh), -(-w // sw)
        top = max((oh - 1) * sh + eh - h, 0) // 2
        left = max((ow - 1) * sw + ew - w, 0) // 2
    else:
        oh, ow = (h - eh) // sh + 1, (w - ew) // sw + 1
        top = left = 0
    out = np.full((n, oh, ow, c), -np.inf)
    for i in range(oh):
        for j in range(ow):
            for dy in range(kh):
                for dx in range(kw):
                    y, xx = i * sh + dy * rh - top, j * sw + dx * rw - left
                    if 0 <= y < h and 0 <= xx < w:
                        out[:, i, j] = np.maximum(out[:, i, j], x[:, y, xx] + f[dy, dx])
    return out


@pytest.mark.parametrize(
    "strides, rates, padding, shape, corner",
    [
        (
            (1, 1),
            (1, 1),
            "VALID",
            (2, 5, 5, 3),
            [[1.30766, 3.38832, 1.44514], [2.15675, 1.68061, 1.16631]],
        ),
        (
            (2, 2),
            (1, 1),
            "SAME",
            (2, 4, 3, 3),
            [[1.18069, 2.2137, 0.01547], [0.89759, 3.29289, -0.3048]],
        ),
        (
            (1, 2),
            (2, 1),
            "SAME",
            (2, 7, 3, 3),
            [[1.30766, 2.2137, 0.68652], [1.34, 3.29289, 1.13286]],
        ),
        (
            (3, 1),
            (2, 2),
            "VALID",
            (2, 1, 4, 3),
            [[2.15675, 2.21619, 1.44514], [1.17122, 1.08674, 1.61414]],
        ),
    ],
)
def test_dilation2d_matches_tensorflow(strides, rates, padding, shape, corner):
    x, f, _ = _dilation_inputs()
    y = tf.nn.dilation2d(x, f, [1, *strides, 1], padding, "NHWC", [1, *rates, 1])
    assert tuple(y.shape) == shape and y.dtype == torch.float32
    np.testing.assert_allclose(np_(y)[0, 0, :2], corner, atol=1e-5)
    np.testing.assert_allclose(np_(y), _np_dilation(x, f, strides, rates, padding), rtol=1e-6)


def test_dilation2d_gradient_and_dtypes():
    x, f, _ = _dilation_inputs()
    xv, fv = tf.Variable(x), tf.Variable(f)
    with tf.GradientTape() as tape:
        y = tf.nn.dilation2d(xv, fv, [1, 2, 1, 1], "SAME", "NHWC", [1, 1, 2, 1])
        w = np.random.default_rng(5).standard_normal(tuple(y.shape)).astype(np.float32)
        loss = tf.reduce_sum(y * w)
    gx, gf = tape.gradient(loss, [xv, fv])
    # Finite differences in float64 (the max is locally linear).
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    ft = torch.tensor(f, dtype=torch.float64, requires_grad=True)
    assert gradcheck(
        lambda a, b: tf.nn.dilation2d(a, b, [1, 2, 1, 1], "SAME", "NHWC", [1, 1, 2, 1]),
        (xt, ft),
        fast_mode=True,
    )
    assert tuple(gx.shape) == x.shape and tuple(gf.shape) == f.shape
    # Every output sends its gradient to one input cell and one filter entry.
    np.testing.assert_allclose(np_(gf).sum(), w.sum(), rtol=1e-4)
    np.testing.assert_allclose(np_(gx).sum(), w.sum(), rtol=1e-4)
    out = tf.nn.dilation2d(
        x.astype(np.int32), f.astype(np.int32), [1, 1, 1, 1], "SAME", "NHWC", [1, 1, 1, 1]
    )
    assert out.dtype == torch.int32
    assert tuple(
        tf.nn.dilation2d(x[:, :2, :2], f, [1, 1, 1, 1], "VALID", "NHWC", [1, 1, 1, 1]).shape
    ) == (2, 0, 1, 3)


def test_dilation2d_errors():
    from tork._backend.errors import UnimplementedError

    x, f, _ = _dilation_inputs()
    ones = [1, 1, 1, 1]
    with pytest.raises(ValueError, match="data_format values other than 'NHWC' are not supported"):
        tf.nn.dilation2d(x, f, ones, "VALID", "NCHW", ones)
    with pytest.raises(UnimplementedError, match="stride is only supported across spatial"):
        tf.nn.dilation2d(x, f, [2, 1, 1, 1], "VALID", "NHWC", ones)
    with pytest.raises(UnimplementedError, match="rate is only supported across spatial"):
        tf.nn.dilation2d(x, f, ones, "VALID", "NHWC", [2, 1, 1, 1])
    with pytest.raises(InvalidArgumentError, match="strides must have 4 elements"):
        tf.nn.dilation2d(x, f, [1, 1, 1], "VALID", "NHWC", ones)
    with pytest.raises(InvalidArgumentError, match="padding must be 'SAME' or 'VALID', got 'BAD'"):
        tf.nn.dilation2d(x, f, ones, "BAD", "NHWC", ones)
    with pytest.raises(
        InvalidArgumentError, match="input and filter must have the same depth: 3 vs 2"
    ):
        tf.nn.dilation2d(x, f[..., :2], ones, "VALID", "NHWC", ones)
    with pytest.raises(InvalidArgumentError, match=r"input must be 4-dimensional.*\(7, 6, 3\)"):
        tf.nn.dilation2d(x[0], f, ones, "VALID", "NHWC", ones)
    with pytest.raises(InvalidArgumentError, match=r"filters must be 3-dimensional.*\(2, 3\)"):
        tf.nn.dilation2d(x, f[0], ones, "VALID", "NHWC", ones)


# ---------------------------------------------------------------- nce_loss, sampled_softmax_loss


def _sampled_case():
    rng = np.random.default_rng(0)
    w = rng.standard_normal((10, 4)).astype(np.float32)
    b = rng.standard_normal(10).astype(np.float32)
    x = rng.standard_normal((3, 4)).astype(np.float32)
    labels1 = np.array([[1], [4], [7]], np.int64)
    labels2 = np.array([[1, 2], [4, 0], [7, 7]], np.int64)
    sampled = tf.constant([0, 2, 5, 7, 9], tf.int64)
    sec = tf.constant([0.4, 0.2, 0.1, 0.05, 0.02])
    sv1 = (sampled, tf.constant([[0.3], [0.1], [0.05]]), sec)
    sv2 = (sampled, tf.constant([[0.3, 0.2], [0.1, 0.4], [0.05, 0.05]]), sec)
    return w, b, x, labels1, labels2, sv1, sv2


def test_nce_loss_with_given_samples_equals_tensorflow():
    w, b, x, labels1, labels2, sv1, sv2 = _sampled_case()
    cases = [
        (labels1, 1, sv1, False, [16.52402, 18.95337, 16.68424]),
        (labels2, 2, sv2, False, [20.02211, 21.67487, 22.72424]),
        (labels1, 1, sv1, True, [16.52402, 18.95337, 10.64424]),
        (labels2, 2, sv2, True, [15.74537, 21.08062, 16.68424]),
    ]
    for labels, num_true, sv, rah, expected in cases:
        loss = tf.nn.nce_loss(
            w, b, labels, x, 5, 10, num_true=num_true, sampled_values=sv, remove_accidental_hits=rah
        )
        assert loss.dtype == torch.float32
        np.testing.assert_allclose(np_(loss), expected, rtol=1e-5)
    # Sharded weights use the "div" strategy (shards of 4, 3 and 3 rows).
    shards = [w[0::3], w[1::3], w[2::3]]
    loss = tf.nn.nce_loss(shards, b, labels1, x, 5, 10, sampled_values=sv1)
    np.testing.assert_allclose(np_(loss), [17.40392, 16.43781, 16.70066], rtol=1e-5)


def test_sampled_softmax_loss_with_given_samples_equals_tensorflow():
    w, b, x, labels1, labels2, sv1, sv2 = _sampled_case()
    loss = tf.nn.sampled_softmax_loss(w, b, labels1, x, 5, 10, sampled_values=sv1)
    np.testing.assert_allclose(np_(loss), [3.73638, 3.49257, 0.3669], rtol=1e-5)
    loss = tf.nn.sampled_softmax_loss(w, b, labels2, x, 5, 10, num_true=2, sampled_values=sv2)
    np.testing.assert_allclose(np_(loss), [2.95774, 5.61982, 0.89333], rtol=1e-5)
    loss = tf.nn.sampled_softmax_loss(
        w, b, labels1, x, 5, 10, sampled_values=sv1, remove_accidental_hits=False
    )
    np.testing.assert_allclose(np_(loss), [3.73638, 3.49257, 0.89333], rtol=1e-5)
    shards = [w[:4], w[4:7], w[7:]]
    loss = tf.nn.sampled_softmax_loss(shards, b, labels1, x, 5, 10, sampled_values=sv1)
    np.testing.assert_allclose(np_(loss), [3.73638, 3.49257, 0.3669], rtol=1e-5)
    shards = [w[0::3], w[1::3], w[2::3]]
    loss = tf.nn.sampled_softmax_loss(shards, b, labels1, x, 5, 10, sampled_values=sv1)
    np.testing.assert_allclose(np_(loss), [4.84176, 1.93456, 0.12371], rtol=1e-5, atol=1e-5)


def test_sampled_losses_gradients_equal_tensorflow():
    w, b, x, _, labels2, _, sv2 = _sampled_case()
    wv, bv, xv = tf.Variable(w), tf.Variable(b), tf.Variable(x)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(
            tf.nn.sampled_softmax_loss(wv, bv, labels2, xv, 5, 10, num_true=2, sampled_values=sv2)
        )
    gw, gb, gx = tape.gradient(loss, [wv, bv, xv])
    # TF 2.21 (rounded to 4 places).
    np.testing.assert_allclose(
        np_(tf.convert_to_tensor(gb)),
        [-0.4976, -0.4762, -0.25, 0.0, -0.4696, 0.0132, 0.0, 0.0308, 0.0, 1.6493],
        atol=1e-4,
    )
    np.testing.assert_allclose(
        np_(gx),
        [
            [-0.0091, 0.2546, 0.0614, 0.5972],
            [-0.4212, 0.1156, 0.0692, 0.7374],
            [-0.0399, -0.2007, 0.1454, 0.1237],
        ],
        atol=1e-4,
    )
    np.testing.assert_allclose(
        np_(tf.convert_to_tensor(gw))[9], [-0.9182, -0.5749, 0.3459, 1.0198], atol=1e-4
    )
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(
            tf.nn.nce_loss(wv, bv, labels2, xv, 5, 10, num_true=2, sampled_values=sv2)
        )
    gw, gb, gx = tape.gradient(loss, [wv, bv, xv])
    np.testing.assert_allclose(
        np_(tf.convert_to_tensor(gb)),
        [1.1867, 0.4373, 3.4223, 0.0, 0.4828, 2.3158, 0.0, 3.9743, 0.0, 2.9792],
        atol=1e-4,
    )
    np.testing.assert_allclose(np_(gx)[0], [-2.395, -0.8217, -0.6717, 2.03], atol=1e-4)


def test_sampled_losses_draw_their_own_samples():
    w, b, x, labels1, _, _, _ = _sampled_case()
    tf.random.set_seed(1)
    a = tf.nn.sampled_softmax_loss(w, b, labels1, x, 5, 10, seed=3)
    tf.random.set_seed(1)
    again = tf.nn.sampled_softmax_loss(w, b, labels1, x, 5, 10, seed=3)
    assert a.shape == (3,) and np.isfinite(np_(a)).all()
    np.testing.assert_allclose(np_(a), np_(again))
    assert tf.nn.nce_loss(w, b, labels1, x, 5, 10).shape == (3,)


def test_sampled_losses_errors():
    w, b, x, labels1, labels2, sv1, _ = _sampled_case()
    for fn in (tf.nn.sampled_softmax_loss, tf.nn.nce_loss):
        with pytest.raises(InvalidArgumentError, match="true_classes must have num_true columns"):
            fn(w, b, labels2, x, 5, 10)
        with pytest.raises(
            InvalidArgumentError, match="inputs have 3 features but weights rows have 4"
        ):
            fn(w, b, labels1, x[:, :3], 5, 10, sampled_values=sv1)
        with pytest.raises(ValueError, match="not enough values to unpack"):
            fn(w, b, labels1, x, 5, 10, sampled_values=sv1[:2])
    with pytest.raises(InvalidArgumentError, match="do not follow the 'div' partition"):
        tf.nn.nce_loss([w[:2], w[2:]], b, labels1, x, 5, 10, sampled_values=sv1)
    with pytest.raises(TypeError):
        tf.nn.nce_loss(w, b, labels1, x, 5, 10, partition_strategy="mod")


def test_ctc_beam_search_decoder_wide_beam_matches_tensorflow():
    # beam_width 100 over 30 classes: TF 2.21's three best paths and their log-probabilities
    # (the scores are computed in float32 as TF does, so they agree to the last bit).
    x = np.random.default_rng(0).standard_normal((50, 2, 30)).astype(np.float32) * 3
    decoded, log_probs = tf.nn.ctc_beam_search_decoder(x, [50, 40], beam_width=100, top_paths=3)
    common = [21, 19, 15, 7, 12, 1, 4, 1, 23, 3, 2, 8, 3, 8, 1, 19, 28, 14, 7, 14, 18, 7, 22, 27,
              24, 28]  # fmt: skip
    tails = [
        [6, 24, 6, 15, 14, 8, 11, 4, 15, 14, 21, 20, 0, 17, 19, 8, 19, 15, 28, 25, 15, 27, 17, 1,
         14, 9, 0, 21, 13, 23, 6, 10, 6, 3, 2, 26, 3, 5, 1, 0, 2, 17, 4, 19, 5, 24, 26, 25, 21, 5,
         26, 6, 19, 15, 0, 16, 8, 18, 9, 15],
        [6, 24, 6, 15, 14, 8, 11, 4, 15, 14, 21, 23, 0, 17, 19, 8, 19, 15, 28, 25, 15, 27, 17, 1,
         14, 9, 0, 21, 13, 23, 10, 6, 3, 2, 26, 3, 5, 1, 0, 2, 17, 4, 19, 5, 24, 26, 25, 21, 5, 26,
         6, 19, 15, 0, 16, 8, 18, 9, 15],
        [26, 24, 6, 15, 14, 8, 11, 4, 15, 14, 21, 20, 0, 17, 19, 8, 19, 15, 28, 25, 15, 27, 17, 1,
         14, 9, 0, 21, 13, 23, 6, 10, 6, 3, 2, 26, 3, 5, 1, 11, 2, 17, 4, 19, 5, 24, 26, 25, 21, 5,
         26, 6, 19, 15, 0, 16, 8, 18, 9, 15],
    ]  # fmt: skip
    for sparse, tail in zip(decoded, tails):
        assert sparse.values.tolist() == common + tail
        assert sparse.dense_shape.tolist() == [2, 48]
    assert np_(log_probs).tolist() == [
        [-37.169921875, -37.189422607421875, -37.19078826904297],
        [-30.389894485473633, -30.411481857299805, -30.4674015045166],
    ]
