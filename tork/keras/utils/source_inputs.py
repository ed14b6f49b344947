"""`keras.utils.get_source_inputs`: the Input tensors a symbolic tensor is computed from."""

from __future__ import annotations


def get_source_inputs(tensor, layer=None, node_index=None):
    """Returns the list of input tensors necessary to compute `tensor`.

    The graph of the functional API is walked back from `tensor` to the
    `keras.Input` tensors it depends on, each listed once, in the order met
    (first inputs of each layer call first).

    Args:
        tensor: a symbolic (Keras) tensor. Anything else is returned as is.
        layer: unused (Keras 2 reads the origin layer from the tensor).
        node_index: unused.

    Returns:
        A list of the source `keras.Input` tensors.

    Example:
    >>> a, b = keras.Input((3,)), keras.Input((3,))
    >>> y = keras.layers.Add()([keras.layers.Dense(2)(a), keras.layers.Dense(2)(b)])
    >>> [t is a for t in keras.utils.get_source_inputs(y)]
    [True, False]
    """
    del layer, node_index
    from tork.keras.models.functional.keras_tensor import KerasTensor

    if not isinstance(tensor, KerasTensor):
        return tensor
    sources: list = []
    seen: set[int] = set()
    visited: set[int] = set()
    # Depth-first, as Keras 2's recursion, with an explicit stack (deep graphs).
    stack = [tensor]
    while stack:
        current = stack.pop()
        node = current._tork_node
        inputs = [] if node is None else node.inputs
        if not inputs:
            if id(current) not in seen:
                seen.add(id(current))
                sources.append(current)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.extend(reversed(inputs))
    return sources


__all__ = ["get_source_inputs"]
