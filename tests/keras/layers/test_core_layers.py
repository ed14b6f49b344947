"""Tests for Activation, Identity, Masking, Embedding and Lambda against NumPy references."""

import base64
import marshal
import types

import numpy as np
import pytest
import torch

from tork._backend.device import current_device
from tork.keras import initializers, regularizers
from tork.keras.layers.core.activation import Activation
from tork.keras.layers.core.embedding import Embedding
from tork.keras.layers.core.identity import Identity
from tork.keras.layers.core.lambda_layer import Lambda
from tork.keras.layers.core.masking import Masking
from tork.keras.layers.layer import Layer

RNG = np.random.default_rng(0)


def _np(t):
    return t.detach().cpu().numpy()


def _round_trip(layer):
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    return clone


def _masked(x, mask):
    # On the current device, where the layer's outputs and masks are.
    x = torch.as_tensor(x, device=current_device())
    x._keras_mask = torch.as_tensor(mask, device=x.device)
    return x


class _Outer(Layer):
    """Calls an inner layer so that error messages name an outer `.call`."""

    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, inputs):
        return self.inner(inputs)


# -- Activation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, reference",
    [
        ("relu", lambda x: np.maximum(x, 0.0)),
        ("tanh", np.tanh),
        ("sigmoid", lambda x: 1.0 / (1.0 + np.exp(-x))),
        ("softmax", lambda x: np.exp(x) / np.exp(x).sum(-1, keepdims=True)),
        (None, lambda x: x),
    ],
)
def test_activation_matches_numpy(name, reference):
    x = RNG.normal(size=(3, 5)).astype(np.float32)
    out = Activation(name)(torch.tensor(x))
    np.testing.assert_allclose(_np(out), reference(x.astype(np.float64)), rtol=1e-5, atol=1e-6)


def test_activation_callable_mask_shape_and_config():
    layer = Activation(lambda t: t * 3.0)
    x = _masked(torch.ones(2, 4, 3), torch.tensor([[True, True, False, False]] * 2))
    out = layer(x)
    np.testing.assert_array_equal(_np(out), np.full((2, 4, 3), 3.0))
    assert torch.equal(out._keras_mask, x._keras_mask)
    assert layer.compute_output_shape((None, 4, 3)) == (None, 4, 3)

    named = Activation("relu", name="act")
    assert named.get_config()["activation"] == "relu"
    clone = _round_trip(named)
    assert clone.name == "act"


def test_activation_unknown_name():
    with pytest.raises(ValueError, match="Unknown activation 'rleu'.*relu"):
        Activation("rleu")


# -- Identity ------------------------------------------------------------------------------


def test_identity_returns_input_and_mask():
    x = _masked(torch.arange(6.0).reshape(2, 3, 1), torch.tensor([[True, False, True]] * 2))
    layer = Identity()
    out = layer(x)
    np.testing.assert_array_equal(_np(out), np.arange(6.0).reshape(2, 3, 1))
    assert torch.equal(out._keras_mask, x._keras_mask)
    assert layer.compute_output_shape((None, 3, 1)) == (None, 3, 1)
    assert tuple(out.shape) == (2, 3, 1)
    _round_trip(Identity(name="id"))


# -- Masking -------------------------------------------------------------------------------


@pytest.mark.parametrize("mask_value", [0.0, -1.0])
def test_masking_matches_numpy(mask_value):
    x = RNG.normal(size=(3, 5, 4)).astype(np.float32)
    x[0, 1] = mask_value
    x[2, 4] = mask_value
    x[1, 0, :2] = mask_value  # partly padded: stays unmasked
    layer = Masking(mask_value=mask_value)
    out = layer(torch.tensor(x))
    keep = np.any(x != mask_value, axis=-1)
    np.testing.assert_array_equal(_np(out), x * keep[..., None])
    np.testing.assert_array_equal(_np(out._keras_mask), keep)
    assert not keep[0, 1] and not keep[2, 4] and keep[1, 0]
    np.testing.assert_array_equal(_np(layer.compute_mask(torch.tensor(x))), keep)
    assert layer.compute_output_shape((None, 5, 4)) == (None, 5, 4)
    assert layer.compute_output_shape((3, 5, 4)) == tuple(out.shape)


def test_masking_mask_reaches_next_layer_and_config():
    seen = {}

    def spy(inputs, mask=None):
        seen["mask"] = mask
        return inputs

    x = np.zeros((2, 3, 2), np.float32)
    x[:, 0] = 1.0
    Lambda(spy)(Masking()(torch.tensor(x)))
    np.testing.assert_array_equal(_np(seen["mask"]), [[True, False, False]] * 2)
    clone = _round_trip(Masking(mask_value=-7.5))
    assert clone.mask_value == -7.5


# -- Embedding -----------------------------------------------------------------------------


def test_embedding_weight_and_lookup():
    layer = Embedding(7, 3, name="embedding_probe")
    idx = np.array([[0, 6, 2], [3, 3, 1]])
    out = layer(idx)
    assert [w.path for w in layer.weights] == ["embedding_probe/embeddings"]
    table = layer.get_weights()[0]
    assert table.shape == (7, 3)
    np.testing.assert_array_equal(_np(out), table[idx])
    assert out.dtype == torch.float32
    assert not hasattr(out, "_keras_mask")
    # The default initializer is uniform(-0.05, 0.05).
    assert np.all(np.abs(table) <= 0.05)


@pytest.mark.parametrize(
    "dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.float32, np.float64]
)
def test_embedding_accepts_integer_valued_inputs_of_any_dtype(dtype):
    layer = Embedding(5, 2, embeddings_initializer="random_normal")
    idx = np.array([[4, 0], [1, 2]])
    out = layer(idx.astype(dtype))
    table = layer.get_weights()[0]
    np.testing.assert_array_equal(_np(out), table[idx])
    np.testing.assert_array_equal(_np(layer(torch.tensor(idx.astype(dtype)))), table[idx])


def test_embedding_python_list_and_higher_rank():
    layer = Embedding(4, 2, embeddings_initializer="random_normal")
    out = layer([1, 2, 3])
    table = layer.get_weights()[0]
    np.testing.assert_array_equal(_np(out), table[[1, 2, 3]])
    idx = RNG.integers(0, 4, size=(2, 3, 5))
    out = layer(idx)
    assert tuple(out.shape) == layer.compute_output_shape(idx.shape) == (2, 3, 5, 2)
    assert layer.compute_output_shape((None, None)) == (None, None, 2)


def test_embedding_mask_zero():
    layer = Embedding(10, 4, mask_zero=True)
    idx = np.array([[5, 3, 0, 0], [1, 0, 2, 0]])
    out = layer(idx)
    np.testing.assert_array_equal(_np(out._keras_mask), idx != 0)
    np.testing.assert_array_equal(_np(layer.compute_mask(torch.tensor(idx))), idx != 0)
    # Index 0 still has its own (unmasked) row.
    np.testing.assert_array_equal(_np(out[0, 2]), layer.get_weights()[0][0])
    assert Embedding(10, 4).compute_mask(torch.tensor(idx)) is None


def test_embedding_gradient_reaches_only_used_rows():
    layer = Embedding(6, 2)
    idx = np.array([[1, 1, 4]])
    layer(idx).sum().backward()
    grad = _np(layer.embeddings.grad)
    expected = np.zeros((6, 2))
    expected[1] = 2.0
    expected[4] = 1.0
    np.testing.assert_array_equal(grad, expected)


def test_embedding_index_too_large():
    layer = Embedding(1000, 8)
    with pytest.raises(
        ValueError,
        match=r"Embedding layer 'embedding.*': received index 1234, but input_dim=1000 allows "
        r"only indices 0\.\.999.*at least 1235",
    ):
        layer(np.array([[3, 1234, 7]]))


def test_embedding_negative_index_names_outer_call():
    inner = Embedding(10, 2, name="tokens")
    outer = _Outer(inner, name="outer_model")
    with pytest.raises(
        ValueError,
        match=r"Embedding layer 'tokens' in _Outer\.call: received the negative index -3; "
        r"indices must be in 0\.\.9",
    ):
        outer(np.array([[1, -3]]))


def test_embedding_range_check_before_lookup_off_cpu():
    """The accelerator path checks indices itself (no device assert): exercise it on CPU."""
    layer = Embedding(5, 2)
    layer.build()
    layer._check_range(torch.tensor([[0, 4]]))
    layer._check_range(torch.tensor([], dtype=torch.int64))
    with pytest.raises(ValueError, match="received index 5, but input_dim=5"):
        layer._check_range(torch.tensor([[0, 5]]))


def test_embedding_regularizer_constraint_and_weights_argument():
    table = RNG.normal(size=(4, 3)).astype(np.float32)
    layer = Embedding(4, 3, embeddings_regularizer=regularizers.L2(0.1), weights=[table])
    # Keras 2 sets the weights once built (Keras 3 builds in the constructor).
    assert not layer.built
    layer(np.array([[0]]))
    np.testing.assert_array_equal(layer.get_weights()[0], table)
    assert len(layer.losses) == 1
    np.testing.assert_allclose(float(layer.losses[0].detach()), 0.1 * np.sum(table**2), rtol=1e-5)
    # A bare array is accepted too (Keras 3).
    bare = Embedding(4, 3, weights=table, trainable=False)
    bare(np.array([[0]]))
    np.testing.assert_array_equal(bare.get_weights()[0], table)
    assert bare.trainable_weights == []
    with pytest.raises(ValueError, match=r"shape \(4, 3\).*shape \(3, 3\)"):
        Embedding(4, 3, weights=[table[:3]])


def test_embedding_float_indices_are_not_autocast_to_float16():
    layer = Embedding(4000, 2, dtype="mixed_float16", embeddings_initializer="random_normal")
    out = layer(torch.tensor([[3001.0]]))
    assert out.dtype == torch.float16
    expected = layer.get_weights()[0][3001].astype(np.float16)
    np.testing.assert_array_equal(_np(out[0, 0]), expected)


def test_embedding_config_round_trip_and_input_length():
    layer = Embedding(
        50,
        8,
        embeddings_initializer=initializers.RandomNormal(stddev=0.2),
        embeddings_regularizer="l2",
        mask_zero=True,
        name="emb",
    )
    config = layer.get_config()
    assert config["input_dim"] == 50 and config["output_dim"] == 8 and config["mask_zero"]
    assert config["embeddings_initializer"]["class_name"] == "RandomNormal"
    assert config["embeddings_initializer"]["config"]["stddev"] == 0.2
    assert config["embeddings_constraint"] is None and config["activity_regularizer"] is None
    assert "input_length" not in config
    clone = _round_trip(layer)
    assert clone.mask_zero and clone.name == "emb"

    keras2 = Embedding(50, 8, input_length=12)
    assert keras2.input_length == 12
    assert keras2.get_config()["input_length"] == 12
    assert keras2.get_config()["batch_input_shape"] == (None, 12)
    _round_trip(keras2)


@pytest.mark.parametrize(
    "args, match",
    [
        ((0, 4), r"input_dim=\.\.\.\) must be a positive integer, got 0"),
        ((10, -1), r"output_dim=\.\.\.\) must be a positive integer, got -1"),
        ((10.5, 4), r"input_dim=\.\.\.\) must be a positive integer, got 10\.5"),
    ],
)
def test_embedding_invalid_sizes(args, match):
    with pytest.raises(ValueError, match=match):
        Embedding(*args)


# Embedding(sparse=True): tests/keras/layers/test_sweep_ktcore_core.py; lora_rank:
# tests/keras/layers/test_sweep_lora_layers.py.


# -- Lambda --------------------------------------------------------------------------------


def module_level_square(x):
    return x * x


def scale_fn(x, factor=1.0):
    return x * factor


def test_lambda_computes_function_with_arguments():
    x = RNG.normal(size=(2, 3)).astype(np.float32)
    out = Lambda(lambda t: t**2 + 1.0)(torch.tensor(x))
    np.testing.assert_allclose(_np(out), x**2 + 1.0, rtol=1e-6)
    out = Lambda(scale_fn, arguments={"factor": -2.5})(torch.tensor(x))
    np.testing.assert_allclose(_np(out), -2.5 * x, rtol=1e-6)


def test_lambda_passes_mask_and_training_when_expected():
    seen = {}

    def fn(inputs, mask=None, training=None):
        seen["mask"], seen["training"] = mask, training
        return inputs

    m = torch.tensor([[True, False]], device=current_device())
    Lambda(fn)(_masked(torch.ones(1, 2, 3), m), training=True)
    assert torch.equal(seen["mask"], m) and seen["training"] is True
    # A function without those parameters is not given them.
    assert _np(Lambda(lambda t: t + 1)(torch.zeros(1), training=True)).tolist() == [1.0]


def test_lambda_output_mask():
    m = torch.tensor([[True, False, True]], device=current_device())
    x = _masked(torch.ones(1, 3, 2), m)
    assert not hasattr(Lambda(lambda t: t * 2)(x), "_keras_mask")
    out = Lambda(lambda t: t * 2, mask=lambda inputs, mask: ~mask)(x)
    assert torch.equal(out._keras_mask, ~m)
    fixed = torch.tensor([[True, True, False]], device=current_device())
    assert torch.equal(Lambda(lambda t: t * 2, mask=fixed)(x)._keras_mask, fixed)
    # An identity Lambda returns the input, whose mask Keras 2 keeps (tf_keras 2.21: the
    # output mask stays the input's, compute_mask is not called).
    assert torch.equal(Lambda(lambda t: t, mask=fixed)(x)._keras_mask, m)


def test_lambda_output_shape():
    layer = Lambda(lambda t: t.reshape(t.shape[0], -1), output_shape=(6,))
    out = layer(torch.ones(4, 2, 3))
    assert layer.compute_output_shape((4, 2, 3)) == tuple(out.shape) == (4, 6)
    assert layer.compute_output_shape((None, 2, 3)) == (None, 6)
    fn_shape = Lambda(lambda t: t, output_shape=lambda s: (s[0], s[1] * 2))
    assert fn_shape.compute_output_shape((None, 5)) == (None, 10)
    two = Lambda(lambda ts: ts, output_shape=[(3,), (4,)])
    assert two.compute_output_shape([(None, 3), (None, 4)]) == [(None, 3), (None, 4)]
    bad = Lambda(lambda t: t, output_shape=5)
    with pytest.raises(ValueError, match="output_shape must be a tuple"):
        bad.compute_output_shape((None, 5))


@pytest.mark.slow  # the first symbolic (fake tensor) run of a process takes seconds
def test_lambda_output_shape_inferred():
    layer = Lambda(lambda t: torch.cat([t, t], dim=-1))
    assert tuple(layer.compute_output_shape((None, 3))) == (None, 6)


def test_lambda_config_named_function():
    layer = Lambda(module_level_square, output_shape=(3,), arguments={}, name="sq")
    config = layer.get_config()
    assert config["function"] == {
        "module": __name__,
        "class_name": "function",
        "config": "module_level_square",
        "registered_name": "module_level_square",
    }
    assert config["output_shape"] == (3,)
    assert config["arguments"] == {}
    clone = _round_trip(layer)
    assert clone.function is module_level_square
    clone = Lambda.from_config(config, custom_objects={"module_level_square": np.negative})
    assert clone.function is np.negative


def test_lambda_config_builtin_function():
    config = Lambda(torch.abs).get_config()
    assert config["function"]["class_name"] == "function"
    assert config["function"]["config"] == "abs"


def _decode(code: str):
    return marshal.loads(base64.decodebytes(code.encode("ascii")))


def test_lambda_config_stores_lambda_and_closure_as_bytecode():
    layer = Lambda(lambda t, k=3: t * k)
    fn_config = layer.get_config()["function"]
    assert fn_config["class_name"] == "__lambda__"
    code = _decode(fn_config["config"]["code"])
    assert isinstance(code, types.CodeType) and code.co_name == "<lambda>"
    assert fn_config["config"]["defaults"] == (3,)
    assert fn_config["config"]["closure"] is None

    offset = 4.0

    def shifted(t):
        return t + offset

    closure_config = Lambda(shifted).get_config()["function"]
    assert closure_config["class_name"] == "__lambda__"
    assert _decode(closure_config["config"]["code"]).co_name == "shifted"
    assert closure_config["config"]["closure"] == (4.0,)


def test_lambda_from_config_with_bytecode_needs_safe_mode_false():
    offset = 2.0
    layer = Lambda(lambda t: t * 10 + offset)
    config = layer.get_config()
    with pytest.raises(ValueError, match="safe_mode=False"):
        Lambda.from_config(config)
    clone = Lambda.from_config(config, safe_mode=False)
    np.testing.assert_array_equal(_np(clone(torch.tensor([1.0, 2.0]))), [12.0, 22.0])
    reloaded = clone.get_config()["function"]["config"]
    assert _decode(reloaded["code"]) == _decode(config["function"]["config"]["code"])
    assert reloaded["closure"] == (2.0,)


def test_lambda_from_config_unknown_function():
    config = Lambda(module_level_square).get_config()
    config["function"] = dict(config["function"], module="no_such_module", config="nope")
    with pytest.raises(ValueError, match=r"cannot find the function 'nope'.*custom_objects"):
        Lambda.from_config(config)


def test_lambda_from_keras2_config():
    config = {
        "name": "k2",
        "trainable": True,
        "dtype": "float32",
        "function": "module_level_square",
        "function_type": "function",
        "module": __name__,
        "output_shape": None,
        "output_shape_type": "raw",
        "output_shape_module": None,
        "arguments": {},
    }
    layer = Lambda.from_config(config)
    assert layer.function is module_level_square
    np.testing.assert_array_equal(_np(layer(torch.tensor([3.0]))), [9.0])


def test_lambda_requires_callable():
    with pytest.raises(TypeError, match=r"Lambda\(function=\.\.\.\) must be callable, got int"):
        Lambda(3)


def test_embedding_first_builds_a_sequential_model_as_in_keras2():
    from tork import keras
    from tork.keras import layers

    model = keras.Sequential([layers.Embedding(1000, 8), layers.LSTM(4), layers.Dense(2)])
    assert model.built and model.output_shape == (None, 2)
    assert [tuple(w.shape) for w in model.layers[0].weights] == [(1000, 8)]
    # The implicit (None, None) input shape stays out of the config (Keras 3 refuses it).
    assert "batch_input_shape" not in model.layers[0].get_config()
    fixed = layers.Embedding(10, 3, input_length=5)
    assert fixed.get_config()["batch_input_shape"] == (None, 5)
    out = model(np.array([[1, 2, 3], [4, 5, 0]]))
    assert tuple(out.shape) == (2, 2)
