"""Tests for keras.layers.Dense against NumPy formulas."""

import numpy as np
import pytest
import torch

from tork._backend.device import current_device
from tork.keras import constraints, initializers, regularizers
from tork.keras.layers.core.dense import Dense
from tork.keras.layers.layer import Layer

RNG = np.random.default_rng(2)


def _np(t):
    return t.detach().cpu().numpy()


class SkipConnectionModel(Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, inputs):
        return self.inner(inputs)


def test_dense_weights_shapes_names_and_defaults():
    layer = Dense(4, name="proj")
    layer(torch.zeros(2, 3))
    kernel, bias = layer.weights
    assert tuple(kernel.shape) == (3, 4) and tuple(bias.shape) == (4,)
    assert kernel.path == "proj/kernel" and bias.path == "proj/bias"
    np.testing.assert_array_equal(_np(bias), np.zeros(4))
    # glorot_uniform: limit sqrt(6 / (fan_in + fan_out)).
    assert np.all(np.abs(_np(kernel)) <= np.sqrt(6.0 / 7.0))
    assert layer.count_params() == 16
    assert len(layer.trainable_weights) == 2


@pytest.mark.parametrize("shape", [(5, 3), (2, 4, 3), (2, 2, 2, 3)])
def test_dense_matches_numpy_on_any_rank(shape):
    layer = Dense(4, activation="tanh", bias_initializer="random_normal")
    x = RNG.normal(size=shape).astype(np.float32)
    out = layer(torch.tensor(x))
    w, b = layer.get_weights()
    np.testing.assert_allclose(_np(out), np.tanh(x @ w + b), rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape(shape) == tuple(out.shape)
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + tuple(out.shape[1:])


def test_dense_without_bias_and_with_set_weights():
    layer = Dense(2, use_bias=False)
    layer(torch.zeros(1, 3))
    assert len(layer.weights) == 1 and layer.bias is None
    w = np.arange(6, dtype=np.float32).reshape(3, 2)
    layer.set_weights([w])
    x = np.array([[1.0, -1.0, 2.0]], np.float32)
    np.testing.assert_allclose(_np(layer(torch.tensor(x))), x @ w)


def test_dense_gradient_matches_formula():
    layer = Dense(3, activation="relu")
    x = torch.tensor(RNG.normal(size=(4, 2)).astype(np.float32))
    out = layer(x)
    out.sum().backward()
    w, b = layer.get_weights()
    pre = _np(x) @ w + b
    active = (pre > 0).astype(np.float32)
    np.testing.assert_allclose(_np(layer.kernel.grad), _np(x).T @ active, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(layer.bias.grad), active.sum(0), rtol=1e-6)


def test_dense_passes_mask_through():
    x = torch.ones(2, 3, 4, device=current_device())
    x._keras_mask = torch.tensor([[True, True, False]] * 2, device=x.device)
    out = Dense(5)(x)
    assert torch.equal(out._keras_mask, x._keras_mask)


def test_dense_regularizers_and_constraints():
    layer = Dense(
        3,
        kernel_regularizer=regularizers.L2(0.5),
        bias_regularizer=regularizers.L1(0.25),
        bias_initializer="ones",
        kernel_constraint=constraints.NonNeg(),
    )
    layer(torch.zeros(1, 2))
    w, b = layer.get_weights()
    penalties = sorted(float(p.detach()) for p in layer.losses)
    expected = sorted([0.5 * np.sum(w**2), 0.25 * np.sum(np.abs(b))])
    np.testing.assert_allclose(penalties, expected, rtol=1e-5)
    assert layer.kernel.constraint is not None
    clipped = _np(layer.kernel.constraint(torch.tensor([[-1.0, 2.0]])))
    np.testing.assert_array_equal(clipped, [[0.0, 2.0]])


def test_dense_config_round_trip():
    layer = Dense(
        7,
        activation="relu",
        use_bias=False,
        kernel_initializer=initializers.HeNormal(seed=3),
        kernel_regularizer=regularizers.L1L2(l1=0.1, l2=0.2),
        kernel_constraint=constraints.MaxNorm(2.0),
        name="head",
    )
    config = layer.get_config()
    assert config["units"] == 7 and config["activation"] == "relu"
    assert config["use_bias"] is False and config["name"] == "head"
    assert config["kernel_initializer"]["class_name"] == "HeNormal"
    assert config["kernel_initializer"]["config"]["seed"] == 3
    assert config["bias_initializer"]["class_name"] == "Zeros"
    clone = Dense.from_config(config)
    assert clone.get_config() == config
    assert Dense(2).get_config()["activation"] == "linear"


@pytest.mark.parametrize("units", [0, -3, "eight", 0.5])  # Keras 2 accepts "8" (int())
def test_dense_invalid_units(units):
    with pytest.raises(ValueError, match=r"Dense\(units=\.\.\.\) must be a positive integer"):
        Dense(units)


def test_dense_accepts_numpy_integer_units():
    assert Dense(np.int64(3)).units == 3


def test_dense_input_size_change_after_build():
    layer = Dense(4, name="dense_x")
    SkipConnectionModel(layer)(torch.zeros(2, 3))
    with pytest.raises(
        ValueError,
        match=r"Dense layer 'dense_x' in SkipConnectionModel\.call: .*expected axis -1 of the "
        r"input to have size 3.*received input of shape \(2, 5\)",
    ):
        SkipConnectionModel(layer)(torch.zeros(2, 5))


def test_dense_rank_one_input():
    with pytest.raises(ValueError, match=r"Dense layer .*expected rank >= 2.*rank 1"):
        Dense(2)(torch.zeros(3))


def test_dense_on_integer_inputs_matches_keras():
    layer = Dense(2, kernel_initializer="ones")
    out = layer(np.array([[1, 2, 3]], dtype=np.int64))
    np.testing.assert_allclose(_np(out), [[6.0, 6.0]])


def test_kernel_has_keras_shape_over_torch_layout_storage():
    """Shape (input_dim, units) as in Keras, stored like nn.Linear's (units, input_dim)."""
    import tork as tf

    layer = tf.keras.layers.Dense(3)
    layer.build((None, 4))
    kernel = layer.kernel
    assert tuple(kernel.shape) == (4, 3)
    assert kernel.stride() == (1, 4)
    values = np.arange(12, dtype="float32").reshape(4, 3)
    layer.set_weights([values, np.zeros(3, "float32")])
    np.testing.assert_array_equal(layer.get_weights()[0], values)
    assert kernel.stride() == (1, 4)  # set_weights keeps the layout
    x = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
    np.testing.assert_allclose(layer(x).numpy(), x @ values, rtol=1e-6)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x))
    grad = tape.gradient(loss, layer.kernel)
    np.testing.assert_allclose(grad.numpy(), x.sum(0)[:, None] * np.ones((1, 3)), rtol=1e-5)
    assert isinstance(grad, torch.Tensor) and grad.shape == kernel.shape


def test_keras3_quantization_config_key_is_accepted_when_none():
    # Keras 3.15 writes `quantization_config: None` into every Dense config.
    layer = Dense.from_config({"name": "d", "units": 3, "quantization_config": None})
    assert tuple(layer(torch.ones(2, 4)).shape) == (2, 3)
    with pytest.raises(NotImplementedError, match=r"Dense\(quantization_config=\.\.\.\)"):
        Dense(3, quantization_config={"mode": "int8"})
