"""`x.numpy()` in a user layer's call on the functional API (sweep sofq).

torch refused it on the shape-only tensors with ".numpy() is not supported for tensor
subclasses"; tork now builds such a layer on real placeholder inputs, as for other value
reads (tf_keras refuses it: a SymbolicTensor has no `numpy`).
"""

import numpy as np

import tork as tf
from tork import keras


class _Doubler(keras.layers.Layer):
    def call(self, x):
        return tf.constant(x.numpy() * 2.0)


def test_numpy_in_call_builds_a_functional_model():
    inputs = keras.Input((3,))
    outputs = _Doubler()(inputs)
    assert tuple(outputs.shape) == (None, 3)
    model = keras.Model(inputs, outputs)
    data = np.array([[1.0, -2.0, 0.5]], "float32")
    np.testing.assert_allclose(model.predict(data, verbose=0), data * 2.0)
