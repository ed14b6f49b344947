"""A Sequential with a keras.Input casts its inputs to the Input's dtype, as tf_keras does."""

import re

import numpy as np
import pytest

import tork as tf
from tork import keras


class _ToFloat(keras.layers.Layer):
    def call(self, x):
        return tf.cast(x, "float32")


def test_int_input_truncates_floats_as_tf_keras():
    model = keras.Sequential([keras.Input((3,), dtype="int32"), _ToFloat()])
    x = np.array([[1.7, -1.7, 2.5]], dtype="float32")
    # tf_keras 2.21: [[1.0, -1.0, 2.0]] from the call and from predict.
    np.testing.assert_array_equal(np.asarray(model(x)), [[1.0, -1.0, 2.0]])
    np.testing.assert_array_equal(model.predict(x, verbose=0), [[1.0, -1.0, 2.0]])


def test_bool_input_is_nonzero():
    model = keras.Sequential([keras.Input((2,), dtype="bool"), _ToFloat()])
    # tf_keras 2.21: [[0.0, 1.0]].
    np.testing.assert_array_equal(np.asarray(model(np.array([[0.0, 3.0]], "float32"))), [[0, 1]])


def test_float_input_unchanged():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, use_bias=False)])
    model.layers[0].set_weights([np.array([[1.0], [2.0]], "float32")])
    np.testing.assert_allclose(np.asarray(model(np.array([[1.5, 2.0]]))), [[5.5]])


@pytest.mark.parametrize("shape", [(2, 784), (2, 14, 56)])
def test_data_not_of_the_declared_input_shape_is_refused(shape):
    # tf_keras: 'Input 0 of layer "sequential" is incompatible with the layer'. Before,
    # (2, 784) ran on silently and (2, 14, 56) was flattened in the wrong layout.
    model = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)), keras.layers.Dense(10)])
    assert model.predict(np.ones((2, 28, 28)), verbose=0).shape == (2, 10)
    with pytest.raises(
        ValueError,
        match=r"is incompatible with the layer: expected shape=\(None, 28, 28\), found shape="
        + re.escape(str(shape)),
    ):
        model.predict(np.ones(shape), verbose=0)
