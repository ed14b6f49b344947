"""InputLayer dtype policy under mixed precision, as tf_keras 2.21 (tfcore2 sweep)."""

import numpy as np
import pytest
import torch

from tork import keras


@pytest.fixture
def mixed_float16():
    keras.mixed_precision.set_global_policy("mixed_float16")
    yield
    keras.mixed_precision.set_global_policy("float32")


def test_input_layer_policy_is_its_dtype_under_mixed_precision(mixed_float16):
    # tf_keras 2.21: dtype, compute_dtype, variable_dtype and policy name are all 'float32'.
    inp = keras.Input((3,))
    received = []

    class Probe(keras.layers.Layer):
        def call(self, x):
            received.append(x.dtype)
            return x

    out = keras.layers.Dense(2)(Probe()(inp))
    model = keras.Model(inp, out)
    layer = model.layers[0]
    assert type(layer).__name__ == "InputLayer"
    assert (layer.dtype, layer.compute_dtype, layer.variable_dtype) == ("float32",) * 3
    assert layer.dtype_policy.name == "float32"
    assert model.inputs[0].dtype == torch.float32
    assert layer.get_config()["dtype"] == "float32"
    assert out.dtype == torch.float16
    received.clear()
    result = model(np.ones((2, 3), "float32"))
    # The first layer (mixed_float16) receives float16, as in tf_keras.
    assert received == [torch.float16] and result.dtype == torch.float16


@pytest.mark.parametrize("policy", ["mixed_float16", "float32", "mixed_bfloat16"])
@pytest.mark.parametrize("dtype", ["int32", "float16", "float64"])
def test_input_layer_policy_follows_input_dtype(policy, dtype):
    # tf_keras 2.21: InputLayer(dtype=d) has policy d whatever the global policy.
    keras.mixed_precision.set_global_policy(policy)
    try:
        layer = keras.layers.InputLayer(input_shape=(3,), dtype=dtype)
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert (layer.dtype, layer.compute_dtype, layer.variable_dtype) == (dtype,) * 3
    assert layer.dtype_policy.name == dtype
    assert layer.get_config()["dtype"] == dtype


def test_sequential_input_layer_under_mixed_precision(mixed_float16):
    model = keras.Sequential([keras.layers.InputLayer(input_shape=(3,)), keras.layers.Dense(2)])
    assert model.inputs[0].dtype == torch.float32
    assert model(np.ones((2, 3), "float32")).dtype == torch.float16


def test_string_input_layer_keeps_string_dtype(mixed_float16):
    # tork has no string dtype policy: the layer's policy is float32 (tf_keras: 'string').
    layer = keras.layers.InputLayer(input_shape=(1,), dtype="string")
    assert layer.get_config()["dtype"] == "string"
    assert layer.compute_dtype == "float32"
