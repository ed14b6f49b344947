"""add_weight with names that are Layer attributes (`weights`, `trainable`, ...).

tf_keras 2.21 accepts them: the variables are named `lay/weights:0` etc. and the layer's
properties keep working.
"""

import numpy as np

import tork as tf
from tork import keras


class Named(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="weights", shape=(input_shape[-1], 2), initializer="ones")
        self.t = self.add_weight(name="trainable", shape=(2,), initializer="zeros")
        self.v = self.add_weight(name="variables", shape=(), initializer="zeros")
        self.l = self.add_weight(name="losses", shape=(), initializer="zeros")
        self.n = self.add_weight(name="name", shape=(), initializer="zeros")
        self.b = self.add_weight(name="built", shape=(), initializer="zeros")

    def call(self, x):
        return tf.matmul(x, self.w) + self.t + self.v


def test_attribute_names_as_weight_names():
    layer = Named(name="lay")
    y = layer(tf.ones((1, 3)))
    np.testing.assert_allclose(np.asarray(y), [[3.0, 3.0]])
    assert [w.name for w in layer.weights] == [
        "lay/weights:0",
        "lay/trainable:0",
        "lay/variables:0",
        "lay/losses:0",
        "lay/name:0",
        "lay/built:0",
    ]
    # The properties are untouched.
    assert layer.trainable is True
    assert layer.name == "lay"
    assert layer.built is True
    assert len(layer.variables) == 6 and layer.losses == []
    assert isinstance(layer.weights, list) and len(layer.trainable_weights) == 6


def test_repeated_weight_name_keeps_suffix():
    class Twice(keras.layers.Layer):
        def build(self, input_shape):
            self.a = self.add_weight(name="w", shape=(1,))
            self.b = self.add_weight(name="w", shape=(1,))

        def call(self, x):
            return x

    layer = Twice(name="tw")
    layer(tf.ones((1, 1)))
    assert [w.name for w in layer.weights] == ["tw/w:0", "tw/w_1:0"]


def test_attribute_named_weights_save_and_load(tmp_path):
    def make():
        inputs = keras.Input((3,))
        return keras.Model(inputs, Named()(inputs))

    model = make()
    model.layers[1].w.assign(np.arange(6, dtype="float32").reshape(3, 2))
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    other = make()
    other.load_weights(path)
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)
