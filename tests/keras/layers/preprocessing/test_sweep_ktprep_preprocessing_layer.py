"""`keras.layers.experimental.preprocessing.PreprocessingLayer`, the base of adaptable layers.

Expected values were computed with real tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) on the same
subclass.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras

PreprocessingLayer = keras.layers.experimental.preprocessing.PreprocessingLayer


class MeanCenter(PreprocessingLayer):
    """Subtracts the per-feature mean learned by adapt()."""

    def build(self, input_shape):
        self.total = self.add_weight(
            name="total", shape=(input_shape[-1],), initializer="zeros", trainable=False
        )
        self.count = self.add_weight(name="count", shape=(), initializer="zeros", trainable=False)
        super().build(input_shape)

    def reset_state(self):
        self.total.assign(tf.zeros_like(self.total))
        self.count.assign(0.0)

    def update_state(self, data):
        data = tf.cast(data, "float32")
        self.total.assign_add(tf.reduce_sum(data, axis=0))
        self.count.assign_add(tf.cast(tf.shape(data)[0], "float32"))

    def call(self, inputs):
        return inputs - self.total / self.count


def test_adapt_builds_updates_and_finalizes():
    layer = MeanCenter()
    assert not layer.is_adapted
    layer.adapt(np.array([[1.0, 10.0], [3.0, 20.0], [5.0, 30.0]], np.float32), batch_size=2)
    assert layer.is_adapted
    np.testing.assert_allclose(layer(np.array([[3.0, 20.0]], np.float32)).numpy(), [[0.0, 0.0]])
    assert [w.name for w in layer.weights] == ["total:0", "count:0"]
    # A second adapt (on a dataset) starts from a reset state.
    data = tf.data.Dataset.from_tensor_slices(np.array([[2.0, 2.0], [4.0, 4.0]], np.float32))
    layer.adapt(data.batch(1))
    np.testing.assert_allclose(layer(np.array([[3.0, 3.0]], np.float32)).numpy(), [[0.0, 0.0]])


def test_adapted_layer_starts_a_sequential():
    layer = MeanCenter()
    layer.adapt(np.array([[1.0, 10.0], [3.0, 20.0]], np.float32))
    model = keras.Sequential([layer, keras.layers.Dense(1, kernel_initializer="ones")])
    # (2 - 2) + (15 - 15) = 0.
    np.testing.assert_allclose(model.predict(np.array([[2.0, 15.0]], np.float32), verbose=0), [[0]])


def test_subclass_without_state_methods_says_what_to_implement():
    class Bad(PreprocessingLayer):
        pass

    with pytest.raises(NotImplementedError, match="must implement reset_state"):
        Bad().adapt(np.ones((2, 2)))
