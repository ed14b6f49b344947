"""`keras.layers.Activation`: applies an activation function to its input."""

from __future__ import annotations

import torch

from tork.keras import activations
from tork.keras.layers.layer import Layer

# Activations that mix values along an axis: applying them to a RaggedTensor's flat values
# would normalize across rows, so they are not taken down the value-by-value path.
_ROW_WISE = (activations.softmax, activations.log_softmax, activations.glu, activations.sparsemax)


class Activation(Layer):
    """Applies an activation function to an output.

    Args:
        activation: activation name (e.g. `'relu'`) or a callable taking and
            returning a tensor.

    Example:
    >>> layer = keras.layers.Activation("relu")
    >>> layer(tf.constant([-3.0, 0.0, 2.0])).tolist()
    [0.0, 0.0, 2.0]
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)

    def call(self, inputs):
        if not isinstance(inputs, torch.Tensor) and activations._is_ragged(inputs):
            # tf.keras applies the activation value by value to a RaggedTensor; only the
            # element-wise activations can (softmax normalizes over a ragged axis).
            if self.activation not in _ROW_WISE:
                return inputs.with_flat_values(self.activation(inputs.flat_values))
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config
