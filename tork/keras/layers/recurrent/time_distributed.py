"""`keras.layers.TimeDistributed`: applies a layer to every time step of a sequence."""

from __future__ import annotations

import inspect

import torch

from tork._backend.ragged_tensor import RaggedTensor
from tork.keras.layers import _placeholder_batch
from tork.keras.layers._call_context import where
from tork.keras.layers.core.wrapper import Wrapper
from tork.keras.layers.layer import Layer, _to_keras_shape


class TimeDistributed(Wrapper):
    """Applies `layer` to every temporal slice of an input.

    The input is `(batch, timesteps, ...)`; the batch and time axes are merged
    into one batch of `batch * timesteps` slices, `layer` runs once on it, and
    the result is split back to `(batch, timesteps, ...)`. The same weights
    serve every time step.

    Args:
        layer: the layer to apply to each time step.

    Example:
    >>> td = keras.layers.TimeDistributed(keras.layers.Dense(8))
    >>> td(tf.ones((32, 10, 16))).shape
    torch.Size([32, 10, 8])
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                "TimeDistributed wraps a keras layer, e.g. TimeDistributed(Dense(8)), but "
                f"received {type(layer).__name__} {layer!r}."
            )
        super().__init__(layer, **kwargs)
        self.supports_masking = True
        params = inspect.signature(type(layer).call).parameters
        self._tork_inner_mask = "mask" in params
        self._tork_inner_training = "training" in params or any(
            p.kind is p.VAR_KEYWORD for p in params.values()
        )

    def _check_rank(self, shape) -> None:
        if len(shape) < 3:
            raise ValueError(
                f"{where(self)} expects an input of rank 3 or more, (batch, timesteps, ...), "
                f"but received shape {_placeholder_batch.shown_shape(shape)}. The layer is applied to each of the "
                "timesteps; for an input without a time axis use the inner layer directly."
            )

    def build(self, input_shape) -> None:
        shape = tuple(input_shape)
        self._check_rank(shape)
        if not self.layer.built:
            # In this layer's name scope, not the inner layer's: `time_distributed/kernel:0`,
            # as Keras 2 builds the wrapped layer by calling its build() directly.
            try:
                self.layer._tork_build(_to_keras_shape((shape[0], *shape[2:])), scoped=False)
            except ValueError as error:
                if not self._fits_without_time_axis(shape):
                    raise
                inner = type(self.layer).__name__
                raise ValueError(
                    f"{where(self)} applies {inner} to each step of axis 1, but the input "
                    f"{_placeholder_batch.shown_shape(shape)} has no time axis: it is already "
                    f"shaped as one input of {inner}. Give the data a time axis (batch, "
                    "timesteps, ...)"
                    + (
                        f", e.g. keras.layers.Reshape({(1, *shape[1:])})"
                        if None not in shape[1:]
                        else ""
                    )
                    + f", or use the layer without TimeDistributed. ({inner} on one step: "
                    f"{error})"
                ) from error
        self.built = True

    def _fits_without_time_axis(self, shape) -> bool:
        """Whether a copy of the inner layer builds on the whole input (no time axis)."""
        try:
            probe = type(self.layer).from_config(self.layer.get_config())
            probe._tork_build(_to_keras_shape(shape), scoped=False)
        except Exception:
            return False
        return True

    def call(self, inputs, training=None, mask=None):
        if isinstance(inputs, RaggedTensor):
            return self._tork_call_ragged(inputs, training)
        self._check_rank(inputs.shape)
        batch, steps = inputs.shape[0], inputs.shape[1]
        flat = inputs.reshape(batch * steps, *inputs.shape[2:])
        kwargs = {}
        if self._tork_inner_training and training is not None:
            kwargs["training"] = training
        if mask is not None and self._tork_inner_mask:
            kwargs["mask"] = mask.reshape(batch * steps, *mask.shape[2:])
        outputs = self.layer(flat, **kwargs)
        if not isinstance(outputs, torch.Tensor):
            raise ValueError(
                f"{where(self)}: the wrapped layer {type(self.layer).__name__} returned "
                f"{type(outputs).__name__}; TimeDistributed supports layers with one output "
                "tensor."
            )
        return outputs.reshape(batch, steps, *outputs.shape[1:])

    def _tork_call_ragged(self, inputs, training):
        """Ragged (batch, None, ...) inputs, as Keras 2: the layer runs once on all the
        time steps of all rows (the values) and the result keeps the row lengths."""
        if inputs.ragged_rank != 1:
            raise ValueError(
                f"{where(self)} takes RaggedTensor inputs with one ragged (time) axis, but "
                f"received ragged_rank {inputs.ragged_rank}. Pad the inner ragged axes first "
                "(to_tensor()), or use a dense input and a mask."
            )
        kwargs = {}
        if self._tork_inner_training and training is not None:
            kwargs["training"] = training
        outputs = self.layer(inputs.values, **kwargs)
        if not isinstance(outputs, torch.Tensor):
            raise ValueError(
                f"{where(self)}: the wrapped layer {type(self.layer).__name__} returned "
                f"{type(outputs).__name__}; TimeDistributed supports layers with one output "
                "tensor."
            )
        return inputs.with_values(outputs)

    def compute_mask(self, inputs, mask=None):
        """The inner layer's mask for every time step (Keras 2).

        The inner layer sees `(batch * timesteps, ...)` slices (and the input mask
        reshaped the same way); a mask it computes (an `Embedding(mask_zero=True)`, an
        RNN returning sequences) is reshaped back to `(batch, timesteps, ...)`. When it
        computes none, the input mask is kept, reduced to `(batch, timesteps)`.
        """
        if isinstance(inputs, (list, tuple, RaggedTensor)) or not hasattr(inputs, "shape"):
            return mask
        if len(inputs.shape) < 3:
            return mask
        if any(not isinstance(n, int) for n in inputs.shape):
            return mask  # a symbolic shape with unknown sizes: nothing to reshape
        batch, steps = inputs.shape[0], inputs.shape[1]
        inner_inputs = inputs.reshape(batch * steps, *inputs.shape[2:])
        inner_mask = None
        if mask is not None:
            mask = torch.as_tensor(mask)
            inner_mask = mask.reshape(batch * steps, *mask.shape[2:])
        # An inner layer without masking support drops the mask (tf_keras raises TypeError
        # from its compute_mask here; tork keeps the model working, see below).
        inner = (
            self.layer.compute_mask(inner_inputs, inner_mask)
            # The flag compute_mask reads (a class attribute `supports_masking = True`
            # does not set it, as in tf_keras).
            if getattr(self.layer, "_tork_supports_masking", False)
            else None
        )
        if inner is None:
            if mask is None:
                return None
            # An inner layer that drops the mask (an RNN returning its last output)
            # keeps a step when any of its entries was kept.
            while mask.ndim > 2:
                mask = mask.any(-1)
            return mask
        inner = torch.as_tensor(inner)
        return inner.reshape(batch, steps, *inner.shape[1:])

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        self._check_rank(shape)
        inner = tuple(self.layer.compute_output_shape((shape[0], *shape[2:])))
        return (inner[0], shape[1], *inner[1:])
