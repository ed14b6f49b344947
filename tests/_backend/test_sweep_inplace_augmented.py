"""`e -= m` on tensors that autograd tracks: TensorFlow's `e = e - m`, not torch's in-place op.

keras-self-attention style layers write `e = K.sigmoid(x); e -= K.max(e, -1, keepdims=True)`
inside `call`. torch's in-place `-=` overwrote the sigmoid output its backward pass needs,
so `fit` and `GradientTape.gradient` failed ("modified by an inplace operation"). Expected
numbers were computed with TF 2.21 / tf_keras (TF_USE_LEGACY_KERAS=1) running the same
layers with the same weights.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras
from tork.keras.trainers import compiled_step

X = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], np.float32)
W = np.array([[0.2, -0.4, 0.6], [0.1, 0.3, -0.5], [-0.2, 0.7, 0.4]], np.float32)
C = np.array([[1.0, -2.0, 0.5], [0.3, 1.0, -1.5]], np.float32)


class SigmoidMinusMax(keras.layers.Layer):
    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(3, 3), initializer="zeros")

    def call(self, x):
        e = tf.sigmoid(tf.matmul(x, self.kernel))
        e -= tf.reduce_max(e, axis=-1, keepdims=True)  # sigmoid's output, saved for backward
        return tf.exp(e)


class MulDivPowMod(keras.layers.Layer):
    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(3, 3), initializer="zeros")

    def call(self, x):
        a = tf.exp(tf.matmul(x, self.kernel))
        a *= x
        a /= tf.reduce_sum(a, axis=-1, keepdims=True) + 3.0
        a **= 2.0
        a %= 0.5
        return a


def _tape_gradient(cls):
    layer = cls()
    layer(tf.constant(X))
    layer.set_weights([W])
    with tf.GradientTape() as tape:
        y = layer(tf.constant(X))
        loss = tf.reduce_sum(y * C)
    return y.numpy(), tape.gradient(loss, layer.trainable_weights)[0].numpy()


def test_minus_equals_max_of_sigmoid_gradient_matches_tf():
    y, grad = _tape_gradient(SigmoidMinusMax)
    # TF 2.21 (tf_keras), same layer and weights.
    np.testing.assert_allclose(
        y, [[0.65004998, 0.88597292, 1.0], [1.0, 0.69953358, 1.0]], rtol=1e-5
    )
    np.testing.assert_allclose(
        grad,
        [
            [0.27321354, 0.01942674, -0.36479002],
            [-0.12366102, 0.39771783, -0.23066546],
            [0.21480158, -0.82901806, 0.53519595],
        ],
        rtol=1e-5,
        atol=1e-7,
    )


def test_times_div_pow_mod_equals_gradient_matches_tf_and_finite_differences():
    y, grad = _tape_gradient(MulDivPowMod)
    # TF 2.21 (tf_keras), same layer and weights.
    np.testing.assert_allclose(
        y,
        [[0.00096635398, 0.052042942, 0.3441782], [0.31560242, 0.00041518308, 0.078900605]],
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        grad,
        [
            [0.3142859, -0.02865253, -0.2456267],
            [0.07177094, 0.06308375, -0.32048658],
            [-0.1974144, -0.126612, 0.70341468],
        ],
        rtol=1e-4,
        atol=1e-6,
    )

    # And a float64 NumPy central difference of the same formula.
    def loss(w):
        a = np.exp(X.astype(np.float64) @ w) * X
        a = a / (a.sum(-1, keepdims=True) + 3.0)
        return ((a**2.0) % 0.5 * C).sum()

    numeric = np.zeros((3, 3))
    for i in range(3):
        for j in range(3):
            step = np.zeros((3, 3))
            step[i, j] = 1e-6
            numeric[i, j] = (loss(W + step) - loss(W - step)) / 2e-6
    np.testing.assert_allclose(grad, numeric, rtol=1e-3, atol=1e-5)


def _fit(cls, jit_compile=False):
    inputs = keras.Input((3,))
    model = keras.Model(inputs, cls()(inputs))
    model.set_weights([W])
    model.compile(keras.optimizers.SGD(0.5), "mse", jit_compile=jit_compile)
    model.fit(X, C, batch_size=2, epochs=2, shuffle=False, verbose=0)
    return model


# TF 2.21 (tf_keras): SigmoidMinusMax's kernel after 2 SGD(0.5) steps of the mse fit above.
_FIT_KERNEL = [
    [0.37737659, -0.46529156, 0.44468886],
    [0.10951275, 0.47534728, -0.62252617],
    [-0.24704595, 0.34586209, 0.67837149],
]


def test_fit_with_minus_equals_in_call_matches_tf():
    model = _fit(SigmoidMinusMax)
    np.testing.assert_allclose(model.get_weights()[0], _FIT_KERNEL, rtol=1e-5, atol=1e-7)


def test_jit_compile_fit_with_minus_equals_in_call_matches_tf(monkeypatch):
    # The whole-step graph (aten: no C++ compiler needed) traces the patched operator.
    monkeypatch.setattr(compiled_step, "_COMPILER", "aten")
    model = _fit(SigmoidMinusMax, jit_compile=True)
    step = model._tork_train_fn
    assert isinstance(step, compiled_step.CompiledTrainStep) and step.reason is None
    np.testing.assert_allclose(model.get_weights()[0], _FIT_KERNEL, rtol=1e-5, atol=1e-7)


def test_torch_compile_traces_the_operator_without_graph_breaks():
    def f(x, w):
        e = torch.sigmoid(x @ w)
        e -= 1.0
        e *= x
        return e.sum()

    x = torch.tensor(X)
    w = torch.tensor(W, requires_grad=True)
    explained = torch._dynamo.explain(f)(x, w)
    assert explained.graph_count == 1 and explained.graph_break_count == 0
    torch._dynamo.reset()
    loss = torch.compile(f, backend="aot_eager")(x, w)
    loss.backward()
    # d/dw of sum(x * (sigmoid(x @ w) - 1)) = x^T (x * s * (1 - s)), s = sigmoid(x @ w).
    s = 1.0 / (1.0 + np.exp(-(X.astype(np.float64) @ W)))
    np.testing.assert_allclose(w.grad.numpy(), X.T @ (X * s * (1 - s)), rtol=1e-5)


def test_gradient_tracking_tensor_gets_a_new_tensor_and_the_old_one_is_unchanged():
    w = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        a = w * 3.0
        alias = a
        a += 1.0  # TF: a = a + 1; `alias` still holds w * 3
        a //= 2.0
        loss = tf.reduce_sum(alias * alias) + tf.reduce_sum(a)
    assert a is not alias
    np.testing.assert_allclose(alias.numpy(), [3.0, 6.0])
    np.testing.assert_allclose(a.numpy(), [2.0, 3.0])
    # d/dw sum((3w)^2) = 18 w; floor division has a zero gradient (as in TF).
    np.testing.assert_allclose(tape.gradient(loss, w).numpy(), [18.0, 36.0])


def test_watched_constant_plus_equals_is_rebinding():
    # TF 2.21: gradient [5, 16, 21] of x^2 (x + 1); x keeps its value. torch refused
    # (`a leaf Variable that requires grad is being used in an in-place operation`).
    x = tf.constant([1.0, 2.0, -3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        x2 = x
        x2 += 1.0
        z = y * x2
    np.testing.assert_allclose(tape.gradient(z, x).numpy(), [5.0, 16.0, 21.0])
    np.testing.assert_allclose(x.numpy(), [1.0, 2.0, -3.0])
    np.testing.assert_allclose(x2.numpy(), [2.0, 3.0, -2.0])


def test_new_tensor_keeps_the_left_dtype():
    # torch's in-place op kept float32; the new tensor does too (TF refuses the mix).
    a = tf.Variable([1.0, 2.0]) * 1.0
    a *= torch.tensor([2.0, 4.0], dtype=torch.float64)
    assert a.dtype == torch.float32
    np.testing.assert_allclose(a.detach().numpy(), [2.0, 8.0])


def test_tensors_outside_autograd_stay_in_place():
    a = torch.ones(3)
    alias, storage = a, a.data_ptr()
    a += 1.0
    a *= torch.full((3,), 2.0)
    assert a is alias and a.data_ptr() == storage
    np.testing.assert_allclose(alias.numpy(), [4.0, 4.0, 4.0])
    # Under no_grad even a tensor that requires grad (torch's optimizer loops).
    leaf = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        leaf -= 0.5
    assert leaf.is_leaf and leaf.requires_grad
    np.testing.assert_allclose(leaf.detach().numpy(), [0.5, 0.5])


def test_variables_keep_their_rules():
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"`variable \+= value` with `tf.Variable`s"):
        v += 1.0
    storage = v.data_ptr()
    with torch.no_grad():
        v += 1.0
    assert isinstance(v, tf.Variable) and v.data_ptr() == storage
    np.testing.assert_allclose(v.numpy(), [2.0, 3.0])
    p = torch.nn.Parameter(torch.ones(2))
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        p += 1.0


def test_torch_module_buffer_update_stays_in_place():
    class Counter(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("seen", torch.zeros(()))
            self.linear = torch.nn.Linear(2, 1)

        def forward(self, x):
            seen = self.seen
            seen += 1  # PyTorch style: writes the buffer through the local name
            return self.linear(x)

    module = Counter()
    buffer = module.seen
    module(torch.ones(1, 2)).sum().backward()
    module(torch.ones(1, 2))
    assert module.seen is buffer
    assert float(buffer) == 2.0


def test_subscript_plus_equals_still_writes_the_tensor():
    # `t[:, 0] += 1` is getitem, `+=`, setitem: the new tensor is written back into `t`.
    w = torch.ones(2, 2, requires_grad=True)
    t = w * 2.0
    t[:, 0] += 1.0
    np.testing.assert_allclose(t.detach().numpy(), [[3.0, 2.0], [3.0, 2.0]])
    (t * torch.tensor([[1.0, 10.0], [100.0, 1000.0]])).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), [[2.0, 20.0], [200.0, 2000.0]])
