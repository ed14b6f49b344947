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
