"""keras.models.model_from_config (Keras 2), compared with tf_keras 2.21's behaviour."""

import json

import numpy as np
import pytest

from tork import keras


def test_sequential_and_functional_configs():
    seq = keras.Sequential([keras.layers.Dense(3, input_shape=(4,), name="d")], name="seq")
    clone = keras.models.model_from_config({"class_name": "Sequential", "config": seq.get_config()})
    assert type(clone).__name__ == "Sequential" and clone.name == "seq"
    assert [layer.name for layer in clone.layers] == ["d"]
    assert clone.built and len(clone.weights) == 2
    inp = keras.Input((4,), name="x")
    fun = keras.Model(inp, keras.layers.Dense(2, name="o")(inp), name="fun")
    clone = keras.models.model_from_config({"class_name": "Functional", "config": fun.get_config()})
    assert clone.name == "fun" and [layer.name for layer in clone.layers] == ["x", "o"]
    clone = keras.models.model_from_config(json.loads(fun.to_json()))
    assert clone.name == "fun"
    clone.set_weights(fun.get_weights())
    x = np.ones((2, 4), np.float32)
    np.testing.assert_allclose(np.asarray(clone(x)), np.asarray(fun(x)))


def test_layer_config_and_custom_objects():
    layer = keras.models.model_from_config({"class_name": "Dense", "config": {"units": 2}})
    assert type(layer).__name__ == "Dense" and layer.units == 2

    class MyDense(keras.layers.Dense):
        pass

    seq = keras.Sequential([MyDense(2, input_shape=(3,))])
    config = {"class_name": "Sequential", "config": seq.get_config()}
    clone = keras.models.model_from_config(config, custom_objects={"MyDense": MyDense})
    assert type(clone.layers[0]) is MyDense


def test_errors():
    with pytest.raises(TypeError) as info:
        keras.models.model_from_config([1, 2])
    assert str(info.value) == (
        "`model_from_config` expects a dictionary, not a list. Received: config=[1, 2]. "
        "Did you meant to use `Sequential.from_config(config)`?"
    )
    with pytest.raises(ValueError) as info:
        keras.models.model_from_config({"foo": 1})
    assert str(info.value) == (
        "Improper config format for {'foo': 1}. Expecting python dict contains `class_name` "
        "and `config` as keys"
    )
    with pytest.raises(ValueError, match="Nope"):
        keras.models.model_from_config({"class_name": "Nope", "config": {}})
