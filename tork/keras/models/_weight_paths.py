"""`Model.get_weight_paths()`: each variable under the attribute path that reaches it."""

from __future__ import annotations


def _is_graph_model(layer) -> bool:
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.sequential import Sequential

    return isinstance(layer, (Functional, Sequential))


def _walk(layer, prefix: str, result: dict, seen: set) -> None:
    """Adds `layer`'s variables to `result` as `prefix + attribute path`.

    A variable reached twice (a shared layer) keeps its first path, as Keras 2 does.
    """
    for name, variable in layer._parameters.items():
        if variable is not None and id(variable) not in seen:
            seen.add(id(variable))
            result[prefix + name] = variable
    if _is_graph_model(layer):
        # Keras 2 tracks a functional/Sequential model's layers as
        # `layer_with_weights-N` (counting only layers that hold weights).
        index = 0
        for sub in layer.layers:
            if sub.weights:
                _walk(sub, f"{prefix}layer_with_weights-{index}.", result, seen)
                index += 1
        return
    for name, child in layer._modules.items():
        if child is not None:
            _walk(child, f"{prefix}{name}.", result, seen)


def weight_paths(model) -> dict:
    """Maps `"attr.sub_attr.kernel"`-style paths to the model's variables.

    A functional or Sequential model names each top-level layer by its `name`; a
    subclassed model uses the attribute names (list items by index, dict items by key).
    """
    result, seen = {}, set()
    if _is_graph_model(model):
        for layer in model.layers:
            _walk(layer, f"{layer.name}.", result, seen)
        for name, variable in model._parameters.items():
            if variable is not None and id(variable) not in seen:
                seen.add(id(variable))
                result[name] = variable
        return result
    _walk(model, "", result, seen)
    return result
