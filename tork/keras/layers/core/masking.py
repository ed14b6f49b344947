"""`keras.layers.Masking`: masks timesteps whose features all equal `mask_value`."""

from __future__ import annotations

import torch

from tork._backend.tensor import convert_to_tensor
from tork.keras.layers.layer import Layer


class Masking(Layer):
    """Masks a sequence by skipping timesteps whose features all equal `mask_value`.

    For an input of shape `(batch, timesteps, features)`, timestep `t` of
    sample `b` is masked (mask value False) when every feature of
    `inputs[b, t]` equals `mask_value`. Masked timesteps are set to zero in the
    output, and downstream layers that support masking (e.g. LSTM) skip them.

    Args:
        mask_value: the value that marks padding.

    Example:
    >>> x = tf.constant([[[1.0, 2.0], [0.0, 0.0]]])
    >>> keras.layers.Masking(mask_value=0.0)(x)._keras_mask.tolist()
    [[True, False]]
    """

    def __init__(self, mask_value: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True

    def compute_mask(self, inputs, mask=None):
        # Called by hand it may get a NumPy array (Keras accepts one): make it a tensor.
        if not isinstance(inputs, torch.Tensor):
            inputs = convert_to_tensor(inputs)
        return (inputs != self.mask_value).any(dim=-1)

    def call(self, inputs):
        keep = (inputs != self.mask_value).any(dim=-1, keepdim=True)
        return inputs * keep.to(inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config
