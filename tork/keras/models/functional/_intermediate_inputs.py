"""`keras.Model(x, y)` where `x` is an intermediate tensor, not a `keras.Input` (Keras 2).

Keras 2 gives each such input a fresh `keras.Input` of the same shape and dtype, then
calls the layers between the inputs and the outputs again on it. The model then owns a
real `InputLayer` (so `model.layers`, `summary()` and saving see it), and each re-called
layer gets a second inbound node. The original graph is left as it was, so
`keras.Model(original_input, y)` still works.
"""

from __future__ import annotations

from tork.keras.models.functional.keras_tensor import KerasTensor
from tork.keras.models.functional.node import _map


def _is_input(tensor: KerasTensor) -> bool:
    node = getattr(tensor, "_tork_node", None)
    return node is not None and node.is_input


def reroot_intermediate_inputs(inputs, outputs, flat_inputs: list, nodes: list):
    """Returns `(inputs, outputs)` rebuilt on fresh Inputs (see `has_intermediate_inputs`).

    Args:
        inputs, outputs: the structures given to `keras.Model`.
        flat_inputs: the input KerasTensors, flattened.
        nodes: the nodes between the inputs and the outputs, in execution order.
    """
    from tork.keras.models.functional.input_layer import Input

    values = {}
    for tensor in flat_inputs:
        if _is_input(tensor):
            values[id(tensor)] = tensor
        else:
            values[id(tensor)] = Input(batch_shape=tuple(tensor.shape), dtype=tensor.dtype)
    for node in nodes:
        # Calling the operation on the new symbolic tensors records the new nodes.
        node.run(values)

    def swap(value):
        return values.get(id(value), value) if isinstance(value, KerasTensor) else value

    return _map(swap, inputs), _map(swap, outputs)


def has_intermediate_inputs(flat_inputs: list) -> bool:
    """Whether a model input is not a `keras.Input` (checked before the rebuild's graph
    walk, which every `keras.Model` construction would otherwise pay)."""
    return not all(_is_input(t) for t in flat_inputs)
