"""layer.name_scope: tf.Module's context manager and Keras 2's method (tf_keras 2.21)."""

import tork as tf


def test_name_scope_called_gives_the_scope_name_under_the_active_one():
    layer = tf.keras.layers.Dense(2, name="dd")
    assert layer.name_scope() == "dd/"
    assert layer._name_scope() == "dd/"
    with tf.name_scope("outer"):
        assert layer.name_scope() == "outer/dd/"


def test_name_scope_as_a_context_manager_prefixes_variables():
    layer = tf.keras.layers.Dense(2, name="dd")
    with layer.name_scope:
        assert tf.Variable(1.0, name="v").name == "dd/v:0"
    with tf.name_scope(layer.name_scope()):  # the Keras 2 spelling
        assert tf.Variable(1.0, name="w").name == "dd/w:0"


def test_with_name_scope_decorator_still_works_on_layers():
    class Scaled(tf.keras.layers.Layer):
        @tf.Module.with_name_scope
        def make(self):
            return tf.Variable(2.0, name="scale")

    assert Scaled(name="sc").make().name == "sc/scale:0"
