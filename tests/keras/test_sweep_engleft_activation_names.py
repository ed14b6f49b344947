"""Activation function names as tf.keras 2 gives them (code builds names/dicts from them).

Expected values: tf_keras 2.21 (TF_USE_LEGACY_KERAS=1): `keras.activations.swish.__name__`
is 'swish' (tork said 'silu'), and so are `get('swish')`'s and `tf.nn.swish`/`tf.nn.silu`'s;
the other names match the function names. Keras 3's extra functions keep Keras 3's names.
"""

import pytest

import tork as tf

keras = tf.keras
A = keras.activations

_KERAS2 = [
    "swish",
    "gelu",
    "hard_sigmoid",
    "selu",
    "elu",
    "softplus",
    "softsign",
    "exponential",
    "linear",
    "mish",
    "relu",
    "sigmoid",
    "tanh",
    "softmax",
]


@pytest.mark.parametrize("name", _KERAS2)
def test_names_and_round_trips(name):
    fn = getattr(A, name)
    assert fn.__name__ == name
    assert A.get(name) is fn and A.get(name).__name__ == name
    assert A.serialize(fn) == name
    assert A.deserialize(name).__name__ == name


def test_silu_is_swish():
    assert A.silu is A.swish and A.get("silu") is A.swish
    assert A.serialize(A.silu) == "swish"
    assert tf.nn.swish is tf.nn.silu and tf.nn.swish.__name__ == "swish"
    assert tf.nn.gelu.__name__ == "gelu" and tf.nn.relu6.__name__ == "relu6"
    dense = keras.layers.Dense(2, activation=tf.nn.swish)
    assert dense.get_config()["activation"] == "swish"
    assert keras.layers.Activation("swish").get_config()["activation"] == "swish"
    # Keras 3's own functions keep Keras 3's names.
    assert A.hard_swish.__name__ == "hard_silu" and A.relu6.__name__ == "relu6"


def test_op_layer_config_name_stays_tf_nn_silu():
    # tf_keras 2.21 names all three TFOpLambda layers by the function `nn.silu`.
    inp = keras.Input((3,))
    model = keras.Model(inp, [tf.nn.swish(inp), tf.nn.silu(inp), A.swish(inp)])
    names = [layer["name"] for layer in model.get_config()["layers"][1:]]
    assert all(n.startswith("tf.nn.silu") for n in names)
