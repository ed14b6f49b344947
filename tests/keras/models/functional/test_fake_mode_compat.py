"""The functional API on torch versions whose FakeTensorMode refuses Parameter subclasses.

torch before 2.13 treats every Parameter subclass (tork's Variable is one) as an unknown
tensor subclass, so symbolic layer calls failed there with "Multiple dispatch failed".
These tests put torch's older check back and build, fit and reload functional models.
"""

import numpy as np
import pytest
import torch
from torch._subclasses import fake_tensor

import tork as tf
from tork.keras.models.functional import node


def _old_check(x):
    return (
        not isinstance(x, fake_tensor.FakeTensor)
        and isinstance(x, torch.Tensor)
        and type(x) is not torch.Tensor
        and type(x) is not torch.nn.Parameter
    )


@pytest.fixture
def old_fake_mode(monkeypatch):
    monkeypatch.setattr(fake_tensor, "_check_for_subclass_arg", _old_check)
    monkeypatch.setattr(node, "_REFUSES", [])
    yield
    assert node._REFUSES == [True]


def test_functional_model_builds_fits_and_keeps_its_variables(old_fake_mode):
    inputs = tf.keras.Input((4,))
    hidden = tf.keras.layers.Dense(8, activation="relu")(inputs)
    hidden = tf.keras.layers.BatchNormalization()(hidden)
    outputs = tf.keras.layers.Dense(2)(hidden)
    model = tf.keras.Model(inputs, outputs)
    assert model.output_shape == (None, 2)
    dense = model.layers[1]
    # The symbolic call saw plain views; the layer keeps its Variables.
    assert type(dense.kernel) is tf.Variable and dense.kernel is dense._parameters["kernel"]
    x = np.random.default_rng(0).normal(size=(32, 4)).astype("float32")
    y = x[:, :2] * 2.0
    model.compile("adam", "mse")
    before = dense.kernel.numpy()
    model.fit(x, y, epochs=2, verbose=0)
    assert not np.allclose(before, dense.kernel.numpy())
    # The model computes what its weights say (a NumPy forward pass).
    w1, b1 = dense.kernel.numpy(), dense.bias.numpy()
    h = np.maximum(x @ w1 + b1, 0)
    bn = model.layers[2]
    h = (h - bn.moving_mean.numpy()) / np.sqrt(bn.moving_variance.numpy() + bn.epsilon)
    h = h * bn.gamma.numpy() + bn.beta.numpy()
    want = h @ model.layers[3].kernel.numpy() + model.layers[3].bias.numpy()
    np.testing.assert_allclose(model.predict(x, verbose=0), want, rtol=1e-4, atol=1e-5)


def test_layers_built_inside_a_symbolic_call_and_unknown_sizes(old_fake_mode):
    model = tf.keras.Sequential(
        [
            tf.keras.Input((None,), dtype="int32"),
            tf.keras.layers.Embedding(10, 4),
            tf.keras.layers.LSTM(3),
            tf.keras.layers.Dense(1),
        ]
    )
    assert model.output_shape == (None, 1)
    assert model(np.array([[1, 2, 3]])).shape == (1, 1)
