"""errfuzz: layers called on None or on strings, or given training='False', say so.

Goes with /work/notes/errfuzz_layer_inputs.patch; proposed path
tests/keras/layers/test_sweep_errfuzz_layer_inputs.py.

tf_keras 2.21 (reference env): `Dense(2)(None)` raises TypeError "Inputs to a layer should be
tensors. Got 'None' ... for layer 'd1'"; `Dense(2)(np.array([['a', 'b']]))` raises
UnimplementedError "Cast string to float is not supported" from layer 'd1'. tork raised
"'NoneType' object is not subscriptable" (or "... not iterable", "has no len()") from the
build of Dense, Conv2D, LSTM, BatchNormalization, LayerNormalization, and in Flatten's call.
"""

import numpy as np
import pytest

import tork as tf

L = tf.keras.layers

_LAYERS = [
    lambda: L.Dense(2, name="d1"),
    lambda: L.Conv2D(2, 3, name="d1"),
    lambda: L.LSTM(2, name="d1"),
    lambda: L.BatchNormalization(name="d1"),
    lambda: L.LayerNormalization(name="d1"),
    lambda: L.Flatten(name="d1"),
    lambda: L.Rescaling(1 / 255, name="d1"),
]


@pytest.mark.parametrize("make", _LAYERS)
def test_none_input_names_the_layer(make):
    with pytest.raises(
        TypeError, match=r"Inputs to a layer should be tensors\. Got 'None'.*layer 'd1'.*`return`"
    ):
        make()(None)


@pytest.mark.parametrize("make", _LAYERS)
def test_string_input_names_the_layer_and_string_lookup(make):
    with pytest.raises(
        TypeError, match=r"layer 'd1' received strings \(an input of shape \(2, 2\)\).*StringLookup"
    ):
        make()(np.array([["a", "b"], ["c", "d"]]))


def test_layers_that_take_none_or_strings_still_work():
    class Custom(L.Layer):
        def call(self, x):
            return tf.constant(1.0) if x is None else x

    assert float(Custom()(None)) == 1.0
    ids = L.StringLookup(vocabulary=["a", "b"])(np.array([["a", "b"], ["b", "z"]]))
    # StringLookup with one OOV index: 'a' -> 1, 'b' -> 2, unknown -> 0 (Keras' documented order).
    np.testing.assert_array_equal(np.asarray(ids), [[1, 2], [2, 0]])
    out = L.Dense(2, kernel_initializer="ones", name="d1")(np.ones((1, 3), "float32"))
    np.testing.assert_allclose(np.asarray(out), [[3.0, 3.0]])


# tf_keras 2.21: `Dropout(0.5)(x, training='False')` raises TypeError from its smart_cond
# ("... Received: pred=False of type str"); a model of Dense layers ignores the string.
# tork ran the Dropout in training mode (a non-empty string is true): a silent wrong result.
@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: L.Dropout(0.5, name="dr"), "Dropout layer 'dr'"),
        (lambda: L.BatchNormalization(name="bn"), "BatchNormalization layer 'bn'"),
        (
            lambda: tf.keras.Sequential([tf.keras.Input((4,)), L.Dropout(0.5, name="dr")]),
            "Dropout layer 'dr'",
        ),
    ],
)
def test_training_given_as_a_string(make, name):
    with pytest.raises(TypeError, match=rf"{name} got training='False', a string"):
        make()(np.ones((2, 4), "float32"), training="False")


def test_training_string_ignored_where_keras_ignores_it():
    x = np.ones((2, 4), "float32")
    model = tf.keras.Sequential([tf.keras.Input((4,)), L.Dense(3, kernel_initializer="ones")])
    np.testing.assert_allclose(np.asarray(model(x, training="yes")), np.full((2, 3), 4.0))
    np.testing.assert_array_equal(np.asarray(L.Dropout(0.5)(x, training=False)), x)


def test_set_weights_before_build_says_build_first():
    # tf_keras 2.21: "You called `set_weights(weights)` on layer "a" with a weight list of
    # length 2, but the layer was expecting 0 weights."; tork said "expected 0 arrays".
    layer = L.Dense(3, name="a")
    with pytest.raises(
        ValueError, match=r"expected 0 arrays \(for \[\]\), got 2\. The layer has not created"
    ):
        layer.set_weights([np.ones((4, 3)), np.ones(3)])
    layer.build((None, 4))
    layer.set_weights([np.full((4, 3), 2.0), np.ones(3)])
    out = layer(np.ones((1, 4), "float32"))
    np.testing.assert_allclose(np.asarray(out), [[9.0, 9.0, 9.0]])  # 4 * 2 + 1
