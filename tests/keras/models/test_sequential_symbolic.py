"""Sequential models built on a symbolic input: layer/model inputs and outputs, shapes,
add/pop, copies. Expected values come from tf_keras 2.21 (Keras 2) and NumPy."""

import copy
import pickle

import numpy as np
import pytest
import torch
from torch._subclasses.fake_tensor import FakeTensor

import tork as tf

keras = tf.keras


def _dense_stack(how: str):
    if how == "input":
        return keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(2)])
    if how == "input_shape":
        return keras.Sequential([keras.layers.Dense(4, input_shape=(3,)), keras.layers.Dense(2)])
    model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(2)])
    model.build((None, 3))
    return model


@pytest.mark.parametrize("how", ["input", "input_shape", "build"])
def test_layers_and_model_have_symbolic_inputs_and_outputs(how):
    # Keras 2 (all three ways): KerasTensors of these shapes, the model's input is the
    # first layer's input.
    model = _dense_stack(how)
    first, last = model.layers
    assert tuple(first.input.shape) == (None, 3)
    assert tuple(first.output.shape) == (None, 4)
    assert tuple(last.input.shape) == (None, 4)
    assert tuple(model.input.shape) == (None, 3)
    assert tuple(model.output.shape) == (None, 2)
    assert [tuple(t.shape) for t in model.inputs] == [(None, 3)]
    assert [tuple(t.shape) for t in model.outputs] == [(None, 2)]
    assert first.input is model.input and last.output is model.output
    assert last.input is first.output
    # Keras 2: the layers' shapes show the batch size declared (None), not a placeholder's.
    assert first.input_shape == (None, 3) and last.input_shape == (None, 4)
    assert first.output_shape == (None, 4) and model.output_shape == (None, 2)


def test_feature_extraction_from_a_sequential_model():
    # The Sequential guide's pattern, checked against a NumPy forward pass.
    model = _dense_stack("input")
    features = keras.Model(model.inputs, [layer.output for layer in model.layers])
    middle = keras.Model(model.input, model.layers[-2].output)
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    k1, b1, k2, b2 = model.get_weights()
    hidden = x @ k1 + b1
    outs = features(x)
    np.testing.assert_allclose(outs[0].numpy(), hidden, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(outs[1].numpy(), hidden @ k2 + b2, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(middle(x).numpy(), hidden, rtol=1e-5, atol=1e-6)
    # The input Keras 2 makes for a Sequential without keras.Input: `<first layer>_input`.
    built = _dense_stack("build")
    assert built.input.name == f"{built.layers[0].name}_input"


def test_output_shape_follows_add_and_pop():
    # Keras 2: Input(4) -> Dense(3), add(Dense(5)) gives (None, 5); pop gives (None, 3) back.
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    assert model.output_shape == (None, 3)
    model.add(keras.layers.Dense(5))
    assert model.output_shape == (None, 5)
    assert tuple(model.output.shape) == (None, 5)
    assert tuple(model.layers[-1].output.shape) == (None, 5)
    popped = model.pop()
    assert model.output_shape == (None, 3)
    assert tuple(model.output.shape) == (None, 3)
    assert popped.name not in [layer.name for layer in model.layers]
    # A rebuild replaces the model's nodes on its layers: one node per layer, not more.
    assert len(model.layers[0]._tork_inbound_nodes) == 1


def test_model_built_by_calling_on_data_uses_the_data_shape_then_relaxes_it():
    # Keras 2: called on (1, 3) the graph is built for (1, 3) (summary shows (1, 2)); a
    # call on (5, 3) relaxes it to (None, 3). add() then extends that graph.
    model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(2)])
    model(np.ones((1, 3), "float32"))
    assert model.output_shape == (1, 2) and model.layers[0].output_shape == (1, 4)
    assert model.input_shape == (1, 3)
    model(np.ones((5, 3), "float32"))
    assert model.output_shape == (None, 2) and model.layers[0].output_shape == (None, 4)
    assert tuple(model.input.shape) == (None, 3)
    assert len(model.layers[0]._tork_inbound_nodes) == 1
    model.add(keras.layers.Dense(7))
    assert model.output_shape == (None, 7)
    model.pop()
    assert model.output_shape == (None, 2)
    assert tuple(model(np.ones((2, 3), "float32")).shape) == (2, 2)


def test_shape_given_to_build_alone_is_relaxed_by_later_calls():
    # Keras 2: build((1, 3)) then a call on (5, 3) gives (None, 2); a declared
    # batch_input_shape stays as declared.
    model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(2)])
    model.build((1, 3))
    assert model.output_shape == (1, 2) and model.layers[0].output_shape == (1, 4)
    model(np.ones((5, 3), "float32"))
    assert model.output_shape == (None, 2) and model.layers[0].output_shape == (None, 4)
    declared = keras.Sequential(
        [keras.layers.Dense(4, batch_input_shape=(1, 3)), keras.layers.Dense(2)]
    )
    declared(np.ones((5, 3), "float32"))
    assert declared.output_shape == (1, 2)


def test_unbuilt_model_has_no_input_or_output():
    model = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(AttributeError, match="has not been built yet, so it has no input: give"):
        _ = model.input
    with pytest.raises(AttributeError, match="has not been built yet, so it has no outputs"):
        _ = model.outputs


class _Branchy(keras.layers.Layer):
    def call(self, x):
        return x * 2 if torch.sum(x) > 0 else x  # a Python branch on tensor values


class _ReadsNumpy(keras.layers.Layer):
    def call(self, x):
        # Fails on the shape-only stand-ins. (A NumPy read of them no longer fails: such a
        # layer is built on real placeholder inputs, see tests/_backend/test_sweep_sofq_numpy.)
        if isinstance(x, FakeTensor):
            raise RuntimeError("this layer needs real values")
        return x * float(np.asarray(x.detach()).sum() > 0)


def test_model_that_cannot_run_symbolically_still_builds_without_placeholder_sizes():
    model = keras.Sequential([keras.layers.Dense(3, input_shape=(4,)), _ReadsNumpy()])
    assert model.built
    # Built by calling on placeholder values: the layers show the declared batch size.
    assert model.layers[0].input_shape == (None, 4)
    assert model.layers[1].input_shape == (None, 3)
    assert model.output_shape == (None, 3)
    with pytest.raises(AttributeError, match="has no symbolic output: one of its layers cannot"):
        _ = model.output
    model.add(keras.layers.Dense(5))
    assert model.output_shape == (None, 5)


def test_value_branching_layer_gets_a_symbolic_output_and_branches_on_real_data():
    # tf_keras 2.21 (autograph) gives this model a symbolic output of shape (None, 3); tork
    # infers it on real placeholder data, and the branch is taken per call on real data.
    model = keras.Sequential([keras.layers.Dense(3, input_shape=(4,)), _Branchy()])
    assert tuple(model.output.shape) == (None, 3)
    dense = model.layers[0]
    kernel = np.full((4, 3), 0.5, "float32")
    dense.set_weights([kernel, np.zeros(3, "float32")])
    x = np.ones((2, 4), "float32")
    np.testing.assert_allclose(model(x).numpy(), 2 * (x @ kernel))  # sum > 0: doubled
    np.testing.assert_allclose(model(-x).numpy(), -x @ kernel)  # sum < 0: unchanged


def _copies():
    return [copy.deepcopy, lambda model: pickle.loads(pickle.dumps(model))]


@pytest.mark.parametrize("make_copy", _copies(), ids=["deepcopy", "pickle"])
def test_copies_of_functional_and_sequential_models(make_copy):
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(4, activation="relu")(inputs)
    functional = keras.Model(inputs, keras.layers.Dense(2)(hidden))
    x = np.random.default_rng(1).normal(size=(6, 3)).astype("float32")
    for model in (functional, _dense_stack("input"), _dense_stack("build")):
        clone = make_copy(model)
        np.testing.assert_allclose(clone(x).numpy(), model(x).numpy(), rtol=1e-6)
        # Independent weights: changing the copy leaves the original as it was.
        before = model(x).numpy()
        kernel = clone.weights[0]
        kernel.assign(kernel + 1.0)
        np.testing.assert_allclose(model(x).numpy(), before)
        assert not np.allclose(clone(x).numpy(), before)
        # The copy's graph works: feature extraction on the copy.
        layers = [layer for layer in clone.layers if not isinstance(layer, keras.layers.InputLayer)]
        features = keras.Model(clone.inputs, layers[0].output)
        k, b = layers[0].get_weights()
        expected = x @ k + b
        if model is functional:
            expected = np.maximum(expected, 0)
        np.testing.assert_allclose(features(x).numpy(), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("make_copy", _copies(), ids=["deepcopy", "pickle"])
def test_copy_keeps_the_symbolic_mask(make_copy):
    model = keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(5, 3, mask_zero=True),
            keras.layers.LSTM(2),
        ]
    )
    clone = make_copy(model)
    mask = clone.layers[0].output._keras_mask
    assert mask is not None and tuple(mask.shape) == (None, None) and mask.dtype == torch.bool
    tokens = np.array([[1, 2, 0, 0], [3, 0, 0, 0]])
    np.testing.assert_allclose(clone(tokens).numpy(), model(tokens).numpy(), rtol=1e-6)
