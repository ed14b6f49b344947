"""A Keras 3 style `def build(self)` without an input-shape parameter (keras.io's
"Classification with Gated Residual and Variable Selection Networks": the VariableSelection
layer defines `def build(self): self.built = True`).

Keras 3.15 calls such a build without arguments; tf_keras raises TypeError. Expected shapes
and weight counts come from Keras 3.15 (TensorFlow backend).
"""

import numpy as np

from tork import keras


class _NoShapeBuild(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(2)

    def call(self, x):
        return self.dense(x)

    def build(self):
        self.built = True


def test_eager_call_builds_without_a_shape():
    layer = _NoShapeBuild()
    out = layer(np.ones((1, 3), "float32"))
    assert tuple(out.shape) == (1, 2)
    assert layer.built
    assert len(layer.weights) == 2  # the Dense's kernel and bias, built by the call


def test_functional_call_builds_without_a_shape():
    out = _NoShapeBuild()(keras.Input((3,)))
    assert tuple(out.shape) == (None, 2)


def test_build_with_an_optional_shape_still_gets_it():
    seen = []

    class Optional(keras.layers.Layer):
        def build(self, input_shape=None):
            seen.append(tuple(input_shape))

        def call(self, x):
            return x

    Optional()(np.ones((2, 3), "float32"))
    assert seen == [(2, 3)]
