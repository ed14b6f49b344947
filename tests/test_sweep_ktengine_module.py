"""Reassigning a tracked attribute with a value of another kind (tf_keras engine sweep).

Keras 2 retracks an attribute on every assignment: a variable replaced by a layer, or a
layer by a plain value, is no longer tracked. torch refuses to store a non-Parameter where
a Parameter was registered (and a non-Module over a Module), so tork raised a TypeError
from torch. Expected weights/sublayers are what tf_keras 2.21 lists for the same code.
"""

import tork as tf

keras = tf.keras


def _sublayers(layer):
    return list(layer._flatten_layers(include_self=False, recursive=False))


def test_variable_then_layer_then_value():
    layer = keras.layers.Layer()
    layer.a = keras.layers.Layer()
    layer.a = []
    layer.a = tf.Variable(1.0)
    layer.a = keras.layers.Layer()
    last = keras.layers.Layer()
    layer.a = last
    layer.b = tf.Variable(1.0)
    del layer.b
    layer.c = keras.layers.Layer()
    del layer.c
    layer.d = last
    del layer.d
    assert _sublayers(layer) == [last]
    assert layer.weights == [] and layer.trainable_weights == []


def test_layer_replaced_by_a_plain_value_is_untracked():
    layer = keras.layers.Layer()
    layer.a = keras.layers.Dense(1)
    layer.a = 3
    assert layer.a == 3
    assert _sublayers(layer) == []


def test_variable_replaced_by_a_plain_value_or_a_layer():
    layer = keras.layers.Layer()
    layer.a = tf.Variable(1.0)
    layer.a = 3
    assert layer.a == 3 and layer.weights == []
    layer.b = tf.Variable(1.0)
    dense = keras.layers.Dense(1)
    layer.b = dense
    assert layer.b is dense and _sublayers(layer) == [dense]
    assert layer.weights == []


def test_variable_shared_by_another_attribute_stays_tracked():
    layer = keras.layers.Layer()
    v = tf.Variable(1.0)
    layer.a = v
    layer.keep = v
    layer.a = "replaced"
    assert len(layer.weights) == 1 and layer.weights[0] is v
