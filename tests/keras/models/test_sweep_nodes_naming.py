"""Layer naming details of Keras 2: name="" and layers added twice to a Sequential.

Expected values and messages were printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) running
the same code.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

_DUPLICATE = (
    'All layers added to a Sequential model should have unique names. Name "{}" is already '
    "the name of a layer in this model. Update the `name` argument to pass a unique name."
)


def test_same_layer_instance_twice_with_known_input_is_applied_twice():
    dense = keras.layers.Dense(3, name="dense", kernel_initializer="ones")
    model = keras.Sequential([keras.Input((3,)), dense, dense])
    assert [la.name for la in model.layers] == ["dense"]
    assert len(model.weights) == 2
    # Applied twice with shared weights: ones(3) -> 3 -> 9.
    np.testing.assert_allclose(model(np.ones((1, 3), "float32")).numpy(), [[9.0, 9.0, 9.0]])
    assert len(dense.inbound_nodes) == 2
    assert [layer["config"]["name"] for layer in model.get_config()["layers"]][1:] == ["dense"]


def test_same_layer_instance_added_twice_without_input_is_kept_once():
    dense = keras.layers.Dense(3, name="dense", kernel_initializer="ones")
    model = keras.Sequential()
    model.add(dense)
    model.add(dense)
    assert [la.name for la in model.layers] == ["dense"]
    np.testing.assert_allclose(model(np.ones((1, 3), "float32")).numpy(), [[3.0, 3.0, 3.0]])
    assert [la.name for la in keras.Sequential([dense, dense]).layers] == ["dense"]


def test_different_layers_with_one_name_are_refused():
    dense = keras.layers.Dense(3, name="dense")
    with pytest.raises(ValueError) as info:
        keras.Sequential([dense, keras.layers.Dense(3, name="dense")])
    assert str(info.value) == _DUPLICATE.format("dense")
    with pytest.raises(ValueError) as info:
        keras.Sequential(
            [keras.Input((2,)), keras.layers.Dense(2, name="x2"), keras.layers.Dense(2, name="x2")]
        )
    assert str(info.value) == _DUPLICATE.format("x2")
    with pytest.raises(ValueError) as info:
        keras.Sequential([keras.layers.Dense(2, name=""), keras.layers.Dense(2, name="")])
    assert str(info.value) == _DUPLICATE.format("")


def test_empty_name_is_kept_for_layers():
    layer = keras.layers.Dense(2, name="")
    layer.build((None, 3))
    assert layer.name == ""
    assert [w.name for w in layer.weights] == ["kernel:0", "bias:0"]
    lstm = keras.layers.LSTM(2, name="")
    lstm.build((None, 4, 3))
    assert [w.name for w in lstm.weights] == [
        "lstm_cell/kernel:0",
        "lstm_cell/recurrent_kernel:0",
        "lstm_cell/bias:0",
    ]
    assert keras.layers.Lambda(lambda x: x, name="").name == ""

    class Sub(keras.Model):
        def call(self, x):
            return x

    assert Sub(name="").name == ""


def test_empty_name_gives_default_names_to_inputs_and_graph_models():
    keras.backend.clear_session()
    x = keras.Input((3,), name="")
    assert x.name == "input_1"
    assert keras.layers.InputLayer((3,), name="").name == "input_2"
    model = keras.Model(x, keras.layers.Dense(1, name="")(x), name="")
    assert model.name == "model"
    assert [la.name for la in model.layers] == ["input_1", ""]
    assert keras.Sequential(name="").name == "sequential"


def test_name_must_be_a_string():
    with pytest.raises(TypeError) as info:
        keras.layers.Dense(2, name=3)
    assert str(info.value) == "Expected `name` argument to be a string, but got: 3"
