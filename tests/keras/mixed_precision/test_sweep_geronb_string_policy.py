"""Sweep of Geron's "Hands-On ML" (2nd ed.), ch. 13: layers created with dtype=tf.string."""

import numpy as np

import tork as tf
from tork import keras


class _Lengths(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(dtype=tf.string, **kwargs)

    def call(self, inputs):
        return tf.strings.length(inputs)


def test_string_policy_names_as_tf_keras():
    # tf_keras 2.21: Policy("string") computes and stores in 'string'.
    policy = keras.mixed_precision.Policy("string")
    assert policy.name == "string"
    assert policy.compute_dtype == "string"
    assert policy.variable_dtype == "string"
    layer = _Lengths()
    assert (layer.dtype, layer.compute_dtype, layer.variable_dtype) == ("string",) * 3


def test_string_layer_runs_eagerly_and_in_sequential():
    layer = _Lengths()
    np.testing.assert_array_equal(layer(tf.constant(["ab", "cde"])).numpy(), [2, 3])
    np.testing.assert_array_equal(layer(np.array(["ab", "cdef"])).numpy(), [2, 4])
    model = keras.models.Sequential(
        [_Lengths(), keras.layers.Lambda(lambda x: tf.cast(x, tf.float32)[:, None] * 2.0)]
    )
    np.testing.assert_allclose(model.predict(np.array(["a", "abc"]), verbose=0), [[2.0], [6.0]])
