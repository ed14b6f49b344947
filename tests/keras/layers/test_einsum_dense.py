"""Tests for keras.layers.EinsumDense against numpy.einsum and Keras's documented shapes."""

import numpy as np
import pytest
import torch

from tork import keras
from tork.keras.layers.core.einsum_dense import EinsumDense

RNG = np.random.default_rng(5)


def _np(t):
    return t.detach().cpu().numpy()


@pytest.mark.parametrize(
    "equation, output_shape, bias_axes, input_shape, kernel_shape, bias_shape, out_shape",
    [
        # The Keras docs' examples.
        ("ab,bc->ac", 64, "c", (2, 32), (32, 64), (64,), (2, 64)),
        ("abc,cd->abd", (None, 64), "d", (2, 32, 128), (128, 64), (64,), (2, 32, 64)),
        ("abc,cde->abde", (None, 8, 16), "de", (2, 32, 128), (128, 8, 16), (8, 16), (2, 32, 8, 16)),
        ("...b,bc->...c", 64, "c", (2, 32, 128), (128, 64), (64,), (2, 32, 64)),
        # Bias on a leading output axis broadcasts over the later ones.
        ("abc,cd->abd", (7, 5), "b", (2, 7, 3), (3, 5), (7, 1), (2, 7, 5)),
        # Right elision: the trailing input axes pass through (bias padded with 1s).
        ("ab...,bc->ac...", 4, "c", (2, 3, 5, 6), (3, 4), (4, 1, 1), (2, 4, 5, 6)),
        ("...b,bc->...c", 6, None, (2, 5, 7, 3), (3, 6), None, (2, 5, 7, 6)),
    ],
)
def test_shapes_and_values_match_numpy_einsum(
    equation, output_shape, bias_axes, input_shape, kernel_shape, bias_shape, out_shape
):
    layer = EinsumDense(
        equation, output_shape, bias_axes=bias_axes, bias_initializer="random_normal"
    )
    x = RNG.normal(size=input_shape).astype("float32")
    y = layer(x)
    assert tuple(layer.kernel.shape) == kernel_shape
    assert (layer.bias is None) == (bias_shape is None)
    if bias_shape is not None:
        assert tuple(layer.bias.shape) == bias_shape
    assert tuple(y.shape) == out_shape
    expected = np.einsum(equation, x, _np(layer.kernel))
    if bias_shape is not None:
        expected = expected + _np(layer.bias)
    np.testing.assert_allclose(_np(y), expected, rtol=1e-5, atol=1e-5)
    symbolic = layer.compute_output_shape((None, *input_shape[1:]))
    assert symbolic == (None, *out_shape[1:])


def test_weight_names_activation_and_gradients():
    layer = EinsumDense("abc,cd->abd", (None, 4), activation="relu", bias_axes="d", name="ed")
    x = torch.tensor(RNG.normal(size=(2, 3, 5)), dtype=torch.float32, requires_grad=True)
    y = layer(x)
    assert [w.path for w in layer.weights] == ["ed/kernel", "ed/bias"]
    expected = np.maximum(np.einsum("abc,cd->abd", _np(x), _np(layer.kernel)) + _np(layer.bias), 0)
    np.testing.assert_allclose(_np(y), expected, rtol=1e-5, atol=1e-6)
    y.sum().backward()
    assert layer.kernel.grad is not None and tuple(layer.kernel.grad.shape) == (5, 4)


def test_kernel_fans_follow_input_and_output_axes():
    # Keras 3 draws the (128, 8, 16) kernel as a (128, 128) matrix: glorot limit sqrt(6/256).
    layer = EinsumDense("abc,cde->abde", (None, 8, 16), kernel_initializer="glorot_uniform")
    layer.build((None, 10, 128))
    values = _np(layer.kernel)
    limit = np.sqrt(6.0 / (128 + 128))
    assert np.abs(values).max() <= limit
    assert np.abs(values).max() > 0.9 * limit


def test_kernel_fans_with_output_axis_first_in_kernel():
    # Kernel spec 'dc': d is an output axis, c the input axis; the fans are still (8, 600).
    layer = EinsumDense("abc,dc->abd", (None, 600), kernel_initializer="he_uniform")
    layer.build((None, 2, 8))
    values = _np(layer.kernel)
    assert values.shape == (600, 8)
    assert np.abs(values).max() <= np.sqrt(6.0 / 8) and np.abs(values).max() > 0.9 * np.sqrt(0.75)


def test_get_config_round_trip():
    layer = EinsumDense(
        "abc,cde->abde",
        (None, 2, 3),
        activation="tanh",
        bias_axes="e",
        kernel_regularizer="l2",
        name="x",
    )
    config = layer.get_config()
    assert config["equation"] == "abc,cde->abde"
    assert config["output_shape"] == [None, 2, 3]
    assert config["bias_axes"] == "e"
    rebuilt = EinsumDense.from_config(config)
    assert rebuilt.get_config() == config


def test_registration_and_experimental_alias():
    assert keras.layers.EinsumDense is EinsumDense
    assert keras.layers.experimental.EinsumDense is EinsumDense


def test_functional_model():
    inputs = keras.Input((5, 3))
    outputs = EinsumDense("abc,cd->abd", (None, 4), bias_axes="d")(inputs)
    assert tuple(outputs.shape) == (None, 5, 4)
    model = keras.Model(inputs, outputs)
    x = RNG.normal(size=(2, 5, 3)).astype("float32")
    layer = model.layers[-1]
    expected = np.einsum("abc,cd->abd", x, _np(layer.kernel)) + _np(layer.bias)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)


def test_lora_adds_scaled_low_rank_update_and_freezes_kernel():
    layer = EinsumDense("ab,bc->ac", 4, bias_axes="c", lora_rank=2)
    x = RNG.normal(size=(3, 5)).astype("float32")
    layer(x)
    # With LoRA, `layer.kernel` is the merged kernel and `layer._kernel` the frozen variable.
    assert not layer._kernel.trainable
    assert [w.name.split("/")[-1].split(":")[0] for w in layer.trainable_weights] == [
        "bias",
        "lora_kernel_a",
        "lora_kernel_b",
    ]
    with torch.no_grad():
        layer.lora_kernel_b.copy_(torch.tensor(RNG.normal(size=(2, 4)), dtype=torch.float32))
    kernel = _np(layer._kernel) + _np(layer.lora_kernel_a) @ _np(layer.lora_kernel_b)
    np.testing.assert_allclose(_np(layer.kernel), kernel, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(_np(layer(x)), x @ kernel + _np(layer.bias), rtol=1e-5, atol=1e-5)
    assert layer.get_config()["lora_rank"] == 2


@pytest.mark.parametrize(
    "equation, message",
    [
        ("ab,bc", "Invalid einsum equation 'ab,bc'"),
        ("ab->ac", "Invalid einsum equation"),
        ("a1,bc->ac", "Invalid einsum equation"),
    ],
)
def test_bad_equation_messages(equation, message):
    with pytest.raises(ValueError, match=message):
        EinsumDense(equation, 4)


def test_unmatched_weight_dimension_message():
    layer = EinsumDense("ab,bz->ac", 4)
    with pytest.raises(ValueError, match="dimension 'c' was specified in the output 'ac'"):
        layer(np.zeros((2, 3), "float32"))
    layer = EinsumDense("ab,bcz->ac", 4)
    with pytest.raises(ValueError, match="weight dimension 'z' did not have a match"):
        layer(np.zeros((2, 3), "float32"))


def test_shape_mismatch_messages():
    with pytest.raises(ValueError, match="do not match at shared dimension 'b'"):
        EinsumDense("abc,cd->abd", (7, 4))(np.zeros((2, 3, 5), "float32"))
    with pytest.raises(ValueError, match="expects inputs of rank 3"):
        EinsumDense("abc,cd->abd", (None, 4))(np.zeros((2, 5), "float32"))
    with pytest.raises(ValueError, match="bias dimension 'q' was requested"):
        EinsumDense("ab,bc->ac", 4, bias_axes="q")(np.zeros((2, 5), "float32"))
    with pytest.raises(ValueError, match="does not fit the output spec 'abd'"):
        EinsumDense("abc,cd->abd", 4)(np.zeros((2, 3, 5), "float32"))
    with pytest.raises(ValueError, match="unknown dimensions"):
        EinsumDense("ab,bc->ac", (None,))(np.zeros((2, 5), "float32"))
    with pytest.raises(ValueError, match="must be an int or a tuple"):
        EinsumDense("ab,bc->ac", None)


def test_keras3_quantization_config_key_is_accepted_when_none():
    # Keras 3.15 writes `quantization_config: None` into every EinsumDense config.
    config = {"equation": "ab,bc->ac", "output_shape": 3, "quantization_config": None}
    layer = EinsumDense.from_config(config)
    assert tuple(layer(torch.ones(2, 4)).shape) == (2, 3)
    with pytest.raises(NotImplementedError, match=r"EinsumDense\(quantization_config=\.\.\.\)"):
        EinsumDense("ab,bc->ac", 3, quantization_config={"mode": "int8"})
