"""Output shapes of layers from input shapes, by running `call` on fake tensors."""

from __future__ import annotations

from tork.keras.models.functional.keras_tensor import KerasTensor


def _symbolic(shape, dtype):
    if isinstance(shape, dict):
        return {k: _symbolic(v, dtype) for k, v in shape.items()}
    if isinstance(shape, list) or (
        isinstance(shape, tuple) and shape and isinstance(shape[0], (tuple, list))
    ):
        return [_symbolic(s, dtype) for s in shape]
    return KerasTensor(tuple(shape), dtype)


def infer_output_shape(layer, input_shape):
    """Returns the output shape (nest) of `layer` for `input_shape` without computing."""
    from tork.keras.models.functional.node import _symbolic_outputs, flatten

    inputs = _symbolic(input_shape, layer._tork_compute_dtype)
    if not layer.built:
        from tork.keras.layers.layer import _to_keras_shape

        layer._tork_build(_to_keras_shape(input_shape))
    outputs = _symbolic_outputs(layer.__call__, (inputs,), {})
    leaves = flatten(outputs)
    if len(leaves) == 1 and isinstance(outputs, KerasTensor):
        return outputs.shape

    def to_shape(v):
        return v.shape if isinstance(v, KerasTensor) else v

    from tork.keras.models.functional.node import _map

    return _map(to_shape, outputs)
