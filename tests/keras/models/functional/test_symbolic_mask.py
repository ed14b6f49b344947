"""Symbolic tensors expose the mask their layer attached, as `x._keras_mask` (Keras's guide)."""

import numpy as np

from tork import keras
from tork.keras import layers


class _Relu(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return keras.activations.relu(inputs)


def test_symbolic_mask_and_the_real_one():
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(input_dim=10, output_dim=4, mask_zero=True)(inputs)
    x = _Relu()(x)
    mask = x._keras_mask
    assert mask is not None and mask.shape == (None, None) and str(mask.dtype) == "torch.bool"
    assert x._keras_mask is mask
    assert inputs._keras_mask is None
    assert layers.Dense(2)(keras.Input((3,)))._keras_mask is None
    model = keras.Model(inputs, x)
    data = np.array([[3, 1, 0, 0], [2, 0, 0, 0]])
    out = model(data)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), data != 0)
