"""keras.ops.nn against NumPy formulas."""

import math

import numpy as np
import pytest
import torch

from tork import keras

ops = keras.ops
RNG = np.random.default_rng(1)
X = RNG.normal(scale=2.0, size=(4, 5)).astype(np.float32)
_erf = np.vectorize(math.erf)


def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


ACTIVATIONS = [
    ("relu", {}, lambda x: np.maximum(x, 0)),
    ("relu6", {}, lambda x: np.clip(x, 0, 6)),
    ("sigmoid", {}, _sig),
    ("log_sigmoid", {}, lambda x: np.log(_sig(x))),
    ("softplus", {}, lambda x: np.log1p(np.exp(x))),
    ("softsign", {}, lambda x: x / (np.abs(x) + 1)),
    ("silu", {}, lambda x: x * _sig(x)),
    ("swish", {}, lambda x: x * _sig(x)),
    ("hard_sigmoid", {}, lambda x: np.clip(x + 3, 0, 6) / 6),
    ("hard_silu", {}, lambda x: x * np.clip(x + 3, 0, 6) / 6),
    ("hard_swish", {}, lambda x: x * np.clip(x + 3, 0, 6) / 6),
    ("hard_tanh", {}, lambda x: np.clip(x, -1, 1)),
    ("tanh_shrink", {}, lambda x: x - np.tanh(x)),
    ("soft_shrink", {"threshold": 1.0}, lambda x: np.sign(x) * np.maximum(np.abs(x) - 1, 0)),
    ("hard_shrink", {}, lambda x: np.where(np.abs(x) > 0.5, x, 0)),
    ("sparse_plus", {}, lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4))),
    ("squareplus", {"b": 2}, lambda x: (x + np.sqrt(x**2 + 2)) / 2),
    ("leaky_relu", {}, lambda x: np.where(x >= 0, x, 0.2 * x)),
    ("elu", {"alpha": 0.5}, lambda x: np.where(x > 0, x, 0.5 * (np.exp(x) - 1))),
    ("selu", {}, lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * (np.exp(x) - 1))),
    ("celu", {"alpha": 2.0}, lambda x: np.maximum(x, 0) + np.minimum(0, 2 * (np.exp(x / 2) - 1))),
    ("gelu", {}, lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))),
    ("gelu", {"approximate": False}, lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2)))),
    ("softmax", {}, _softmax),
    ("softmax", {"axis": 0}, lambda x: _softmax(x, 0)),
    ("softmax", {"axis": (0, 1)}, lambda x: np.exp(x) / np.exp(x).sum()),
    ("log_softmax", {}, lambda x: np.log(_softmax(x))),
    ("glu", {"axis": 0}, lambda x: x[:2] * _sig(x[2:])),
]  # fmt: skip


@pytest.mark.parametrize(
    "name,kwargs,ref", ACTIVATIONS, ids=[f"{a[0]}{i}" for i, a in enumerate(ACTIVATIONS)]
)
def test_activations_match_numpy(name, kwargs, ref):
    got = getattr(ops, name)(X, **kwargs)
    np.testing.assert_allclose(got.numpy(), ref(X.astype(np.float64)), rtol=1e-5, atol=1e-6)


def test_one_hot_and_multi_hot():
    got = ops.one_hot([0, 2, -1, 3], 3)
    assert got.dtype == torch.float32
    np.testing.assert_array_equal(got.numpy(), np.eye(3)[[0, 2]].tolist() + [[0, 0, 0]] * 2)
    got = ops.one_hot(np.array([[1, 0]]), 2, axis=0, dtype="int32")
    assert got.shape == (2, 1, 2) and got.dtype == torch.int32
    np.testing.assert_array_equal(got.numpy(), np.moveaxis(np.eye(2)[[[1, 0]]], -1, 0))
    np.testing.assert_array_equal(
        ops.multi_hot([[0, 2], [1, 1]], 3).numpy(), [[1, 0, 1], [0, 1, 0]]
    )
    np.testing.assert_array_equal(ops.multi_hot([0, 2], num_classes=4).numpy(), [1, 0, 1, 0])


def test_crossentropies_match_numpy():
    eps = 1e-7
    p = _sig(X)
    t = (RNG.uniform(size=X.shape) > 0.5).astype(np.float32)
    want = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    np.testing.assert_allclose(ops.binary_crossentropy(t, p).numpy(), want, rtol=1e-4)
    np.testing.assert_allclose(
        ops.binary_crossentropy(t, X, from_logits=True).numpy(), want, rtol=1e-4, atol=1e-6
    )
    probs = _softmax(X)
    labels = np.array([0, 3, 4, 1])
    onehot = np.eye(5, dtype=np.float32)[labels]
    want = -np.log(np.clip(probs[np.arange(4), labels], eps, 1 - eps))
    np.testing.assert_allclose(ops.categorical_crossentropy(onehot, probs).numpy(), want, 1e-5)
    np.testing.assert_allclose(
        ops.categorical_crossentropy(onehot, X, from_logits=True).numpy(), want, 1e-5
    )
    np.testing.assert_allclose(
        ops.sparse_categorical_crossentropy(labels, probs).numpy(), want, 1e-5
    )
    np.testing.assert_allclose(
        ops.sparse_categorical_crossentropy(labels[:, None], X, from_logits=True).numpy(),
        want,
        1e-5,
    )
    # Class axis first (channels_first), and unnormalised probabilities are renormalised.
    np.testing.assert_allclose(
        ops.sparse_categorical_crossentropy(labels, 2 * probs.T, axis=0).numpy(), want, 1e-5
    )
    # Keras's documented example.
    got = ops.sparse_categorical_crossentropy(
        [0, 1, 2], [[0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.2, 0.3, 0.5]]
    )
    np.testing.assert_allclose(got.numpy(), [0.10536056, 0.22314355, 0.6931472], rtol=1e-5)


def test_moments_batch_normalization_normalize():
    mean, var = ops.moments(X, axes=[0])
    np.testing.assert_allclose(mean.numpy(), X.mean(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(var.numpy(), X.var(0), rtol=1e-5)
    mean, var = ops.moments(X.astype(np.float16), axes=(0, 1), keepdims=True)
    assert mean.dtype == torch.float16 and mean.shape == (1, 1)
    np.testing.assert_allclose(float(var), X.var(), rtol=1e-2)
    m, v = X.mean(0), X.var(0)
    gamma, beta = np.full(5, 2.0, np.float32), np.full(5, 0.5, np.float32)
    got = ops.batch_normalization(X, m, v, axis=-1, offset=beta, scale=gamma, epsilon=1e-3)
    np.testing.assert_allclose(got.numpy(), (X - m) / np.sqrt(v + 1e-3) * 2 + 0.5, rtol=1e-5)
    got = ops.batch_normalization(X.T, m, v, axis=0)
    np.testing.assert_allclose(got.numpy(), ((X - m) / np.sqrt(v + 1e-3)).T, rtol=1e-5)
    np.testing.assert_allclose(
        ops.normalize(X).numpy(), X / np.linalg.norm(X, axis=-1, keepdims=True), rtol=1e-5
    )
    np.testing.assert_allclose(
        ops.normalize(X, axis=0, order=1).numpy(),
        X / np.abs(X).sum(0, keepdims=True),
        rtol=1e-5,
    )


def test_custom_train_step_gradient_matches_finite_differences():
    x = torch.tensor(X[:, :3], dtype=torch.float64)
    y = torch.tensor([0, 2, 1, 1])
    w0 = RNG.normal(size=(3, 3))

    def loss_fn(w):
        logits = ops.matmul(x, w)
        return ops.mean(ops.sparse_categorical_crossentropy(y, logits, from_logits=True))

    w = torch.tensor(w0, requires_grad=True)
    loss_fn(w).backward()
    h, fd = 1e-6, np.zeros_like(w0)
    for idx in np.ndindex(*w0.shape):
        dw = np.zeros_like(w0)
        dw[idx] = h
        plus = loss_fn(torch.tensor(w0 + dw)).item()
        minus = loss_fn(torch.tensor(w0 - dw)).item()
        fd[idx] = (plus - minus) / (2 * h)
    np.testing.assert_allclose(w.grad.numpy(), fd, rtol=1e-5, atol=1e-7)


def test_nn_errors_have_clear_messages():
    with pytest.raises(ValueError, match=r"target.shape=\(2,\), output.shape=\(3,\)"):
        ops.binary_crossentropy([1.0, 0.0], [0.5, 0.5, 0.5])
    with pytest.raises(ValueError, match=r"categorical_crossentropy: target and output"):
        ops.categorical_crossentropy([[0.0, 1.0]], [[0.5, 0.3, 0.2]])
    with pytest.raises(ValueError, match=r"target shape \(3,\) must equal output shape \(4, 5\)"):
        ops.sparse_categorical_crossentropy([0, 1, 2], X)
    with pytest.raises(
        ValueError, match=r"target value 5 is outside the valid class range \[0, 4\]"
    ):
        ops.sparse_categorical_crossentropy([0, 1, 2, 5], X, from_logits=True)
    with pytest.raises(TypeError, match=r"one_hot needs integer class indices"):
        ops.one_hot([0.0, 1.0], 2)
    with pytest.raises(ValueError, match=r"glu: axis -1 of shape \(4, 5\) has odd size 5"):
        ops.glu(X)
    with pytest.raises(ValueError, match=r"statistics of shape \(3,\) do not match axis -1"):
        ops.batch_normalization(X, np.zeros(3), np.ones(3), axis=-1)
    with pytest.raises(ValueError, match=r"multi_hot needs `num_classes`"):
        ops.multi_hot([0, 1])
    with pytest.raises(NotImplementedError, match=r"one_hot\(sparse=True\)"):
        ops.one_hot([0], 2, sparse=True)
