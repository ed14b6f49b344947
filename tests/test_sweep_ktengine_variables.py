"""A layer writing its inputs into a variable can be used in a functional model.

tf_keras engine sweep (base_layer_test): `self.total.assign_add(inputs)` with a (None, 1)
input and a (1, 1) variable. Keras 2 builds the functional graph symbolically, where the
unknown batch size is compatible with 1, and checks the update when the model runs; tork's
build ran on stand-in tensors whose made-up batch size failed the shape check. Writes
during the build leave the variable unchanged, as in Keras 2 (values from tf_keras 2.21).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


class _ComputeSum(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.total = tf.Variable(initial_value=tf.zeros((1, 1)), trainable=False)

    def call(self, inputs):
        self.total.assign_add(inputs)
        return self.total


def test_functional_model_over_a_layer_returning_its_variable():
    inputs = keras.Input(shape=(1,))
    layer = _ComputeSum()
    model = keras.Model(inputs, layer(inputs))
    assert layer.total.numpy().tolist() == [[0.0]]  # building wrote nothing
    out = model.predict(np.ones((1, 1)), verbose=0)
    assert out.tolist() == [[1.0]]
    assert layer.total.numpy().tolist() == [[1.0]]


def test_real_shape_mismatch_still_raises_when_the_model_runs():
    inputs = keras.Input(shape=(1,))
    model = keras.Model(inputs, _ComputeSum()(inputs))
    with pytest.raises(ValueError, match=r"Cannot assign a value of shape \(3, 1\)"):
        model(np.ones((3, 1), "float32"))
