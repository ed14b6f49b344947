"""Keras 3's Model.stateless_call (numbers from Keras 3.15, torch backend)."""

import numpy as np
import pytest
import torch

from tork import keras

layers = keras.layers
ops = keras.ops


class MLP(keras.Model):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.d1 = layers.Dense(3)
        self.bn = layers.BatchNormalization()
        self.d2 = layers.Dense(1)

    def call(self, x, training=False):
        return self.d2(self.bn(self.d1(x), training=training))


def _mlp():
    m = MLP()
    m(ops.ones((4, 2)))
    m.d1.set_weights([np.arange(6, dtype="float32").reshape(2, 3) / 10, np.zeros(3, "float32")])
    m.d2.set_weights([np.ones((3, 1), "float32"), np.zeros(1, "float32")])
    return m


X = np.arange(8, dtype="float32").reshape(4, 2)


def _values(variables):
    return [v.detach().clone() for v in variables]


def test_stateless_call_training_returns_new_statistics_and_keeps_own():
    m = _mlp()
    tv, ntv = _values(m.trainable_variables), _values(m.non_trainable_variables)
    out, new_ntv = m.stateless_call(tv, ntv, ops.convert_to_tensor(X), training=True)
    np.testing.assert_allclose(
        out[:, 0].detach().numpy(), [-4.0226, -1.3409, 1.3409, 4.0226], atol=1e-4
    )
    assert len(new_ntv) == 2
    np.testing.assert_allclose(new_ntv[0].numpy(), [0.012, 0.019, 0.026], atol=1e-5)
    np.testing.assert_allclose(new_ntv[1].numpy(), [0.9945, 1.0025, 1.0145], atol=1e-4)
    # The model's own statistics are untouched.
    np.testing.assert_allclose(m.bn.moving_mean.numpy(), [0.0, 0.0, 0.0])
    np.testing.assert_allclose(m.bn.moving_variance.numpy(), [1.0, 1.0, 1.0])


def test_stateless_call_uses_given_values_and_gradients_reach_them():
    m = _mlp()
    x = ops.convert_to_tensor(X)
    tv = [v.requires_grad_(True) for v in _values(m.trainable_variables)]
    ntv = _values(m.non_trainable_variables)
    out, _ = m.stateless_call(tv, ntv, x)
    np.testing.assert_allclose(
        out[:, 0].detach().numpy(), [1.1994, 4.1979, 7.1964, 10.1949], atol=1e-3
    )
    out.sum().backward()
    # d(sum out)/d(d2 kernel) = sum over the batch of d2's inputs (inference BN, gamma 1).
    h = (X @ (np.arange(6, dtype="float32").reshape(2, 3) / 10)) / np.sqrt(1 + 1e-3)
    np.testing.assert_allclose(tv[-2].grad.numpy().ravel(), h.sum(0), rtol=1e-4)
    zeros, _ = m.stateless_call([t.detach() * 0 for t in tv], ntv, x)
    np.testing.assert_allclose(zeros.detach().numpy(), np.zeros((4, 1)))
    # The model's own weights still give the original outputs.
    np.testing.assert_allclose(m(x).detach().numpy(), out.detach().numpy(), rtol=1e-6)


def test_stateless_call_return_losses_and_count_errors():
    class M(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = layers.Dense(2, kernel_initializer="ones", use_bias=False)

        def call(self, x):
            y = self.d(x)
            self.add_loss(ops.sum(self.d.kernel) * 0.5)
            return y

    m = M()
    m(ops.ones((1, 2)))
    out, ntv, losses = m.stateless_call(
        [torch.full((2, 2), 2.0)], [], ops.ones((1, 2)), return_losses=True
    )
    np.testing.assert_allclose(out.detach().numpy(), [[4.0, 4.0]])
    assert ntv == []
    assert [float(v) for v in losses] == [4.0]
    with pytest.raises(ValueError, match=r"Received list with length 0, but expected 1 variables"):
        m.stateless_call([], [], ops.ones((1, 2)))
    np.testing.assert_allclose(m.d.kernel.numpy(), np.ones((2, 2)))
