"""Two 2017-2019 custom-layer idioms of titu1994's repositories.

- keras_mixnets (custom_objects.py) `GroupConvolution.__init__` assigns
  `self._layers = [Conv2D(...), ...]` and calls `self._layers[0](inputs)`: in tf_keras
  `_layers` is an ordinary attribute (a tracked list); tork's read-only property refused it.
- BatchRenormalization (batch_renorm.py) calls `self.add_update([...], inputs)`, Keras
  2.0-2.3's signature (TF 2.0-2.3 warned and ignored `inputs`; tf_keras 2.21 raises TypeError).
Expected values: tf_keras 2.21 runs GroupConvolution below with the same weights (reference env):
weight names and shapes and the output equal to the two convolutions of the channel halves.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras


class _Grouped(keras.layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self._layers = [keras.layers.Conv2D(f, 1, use_bias=False) for f in filters]

    def call(self, inputs):
        parts = tf.split(inputs, len(self._layers), -1)
        return keras.layers.concatenate([c(x) for x, c in zip(parts, self._layers)], axis=-1)


def test_layers_list_assigned_to_underscore_layers_is_tracked():
    keras.backend.clear_session()  # the sublayers' automatic names start again at conv2d
    layer = _Grouped([2, 1], name="grouped")
    x = np.arange(16, dtype="float32").reshape(1, 2, 2, 4)
    y = layer(x)
    # tf_keras 2.21: the same names and shapes.
    assert [w.name for w in layer.weights] == [
        "grouped/conv2d/kernel:0",
        "grouped/conv2d_1/kernel:0",
    ]
    assert [tuple(w.shape) for w in layer.weights] == [(1, 1, 2, 2), (1, 1, 2, 1)]
    k0, k1 = (w.numpy() for w in layer.weights)
    expected = np.concatenate([x[..., :2] @ k0[0, 0], x[..., 2:] @ k1[0, 0]], axis=-1)
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-6, atol=1e-6)
    assert len(layer._layers) == 2


def test_functional_model_counts_the_listed_layers_weights():
    i = keras.Input((2, 2, 4))
    model = keras.Model(i, _Grouped([2, 1], name="g2")(i))
    # tf_keras 2.21: 6 parameters, two sublayers in `_layers`.
    assert model.count_params() == 6
    assert len(model.layers[1]._layers) == 2


def test_add_update_takes_keras2_inputs_argument():
    class Counter(keras.layers.Layer):
        def build(self, shape):
            self.count = self.add_weight(
                name="count", shape=(), initializer="zeros", trainable=False
            )

        def call(self, inputs):
            self.add_update([self.count.assign_add(1.0)], inputs)
            return inputs

    layer = Counter()
    with pytest.warns(UserWarning, match="add_update: the `inputs` argument is deprecated"):
        layer(np.ones((2, 3), "float32"))
    assert float(layer.count.numpy()) == 1.0
