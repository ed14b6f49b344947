"""`keras.models.clone_model`: a new model with the same architecture and new weights."""

from __future__ import annotations

from tork.keras.saving.errors import KerasFileError


def _default_clone(layer):
    from tork.keras.saving.serialization import SafeModeScope, in_safe_mode

    if in_safe_mode() is None:
        # As Keras 2: cloning copies layers already in this process (no file is read), so a
        # Lambda holding a Python lambda clones without safe_mode=False. An explicit
        # SafeModeScope(True) or safe-mode setting still applies.
        with SafeModeScope(False):
            return layer.__class__.from_config(layer.get_config())
    return layer.__class__.from_config(layer.get_config())


def clone_model(
    model,
    input_tensors=None,
    clone_function=None,
    call_function=None,
    recursive: bool = False,
    **kwargs,
):
    """Clones a model: same architecture, newly initialized weights.

    Sequential and functional models are rebuilt layer by layer (each layer
    through `clone_function`); a functional graph is replayed on new inputs.
    Subclassed models are recreated from their config.

    Args:
        model: the model to clone.
        input_tensors: optional `keras.Input` tensor(s) to build the clone on
            (Sequential and functional models).
        clone_function: `layer -> new layer`; by default
            `layer.__class__.from_config(layer.get_config())`. Return the
            layer itself to share it (and its weights) with the clone.
        call_function: `(layer, *args, **kwargs) -> outputs`, called instead
            of `layer(*args, **kwargs)` when replaying a functional graph.
        recursive: whether nested Sequential/functional models are cloned
            with the same `clone_function` (instead of being passed to it).

    Returns:
        The new model (not compiled).

    Example:
    >>> clone = keras.models.clone_model(model)  # doctest: +SKIP
    >>> clone.set_weights(model.get_weights())  # doctest: +SKIP
    """
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.sequential import Sequential

    if kwargs:
        raise TypeError(f"clone_model got unexpected keyword arguments: {sorted(kwargs)}.")
    clone_function = clone_function or _default_clone
    from tork.keras.layers.layer import Layer

    if not isinstance(model, Layer):
        raise ValueError(
            "clone_model expects a Keras Model (Sequential, functional or subclassed), got "
            f"{type(model).__name__}: {model!r:.100}."
        )
    if isinstance(model, Sequential) and model.__dict__.get("_tork_branch_ends"):
        # add_loss(tensor) branches: the graph is cloned as a functional model (as saved).
        from tork.keras.models import _sequential_branches

        model = _sequential_branches.functional_twin(model)
    if isinstance(model, Sequential):
        return _clone_sequential(model, input_tensors, clone_function, recursive)
    if isinstance(model, Functional):
        return _clone_functional(model, input_tensors, clone_function, call_function, recursive)
    if input_tensors is not None or clone_function is not _default_clone or call_function:
        raise ValueError(
            "clone_model: `input_tensors`, `clone_function` and `call_function` only apply to "
            f"Sequential and functional models, and {type(model).__name__} is a subclassed "
            "model. Call clone_model(model) without them."
        )
    from tork.keras.saving.serialization import (
        deserialize_keras_object,
        serialize_keras_object,
    )

    config = serialize_keras_object(model)
    config.pop("compile_config", None)
    try:
        return deserialize_keras_object(config, custom_objects={type(model).__name__: type(model)})
    except KerasFileError as error:
        raise ValueError(f"Cannot clone {type(model).__name__}: {error}") from error


def _clone_layer(layer, clone_function, recursive):
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.sequential import Sequential

    if recursive and isinstance(layer, (Sequential, Functional)):
        return clone_model(layer, clone_function=clone_function, recursive=True)
    return clone_function(layer)


def _new_input(tensor):
    from tork.keras.models.functional.input_layer import Input, InputLayer

    node = tensor._tork_node
    layer = node.operation if node is not None else None
    name = layer.name if isinstance(layer, InputLayer) else None
    # Ragged and sparse inputs stay so (keras.Input(ragged=True) / sparse=True).
    return Input(
        batch_shape=tensor.shape,
        dtype=tensor.dtype,
        name=name,
        sparse=tensor.sparse,
        ragged=tensor.ragged,
    )


def _clone_sequential(model, input_tensors, clone_function, recursive):
    from tork.keras.models.functional.node import flatten
    from tork.keras.models.sequential import Sequential

    layers = [_clone_layer(layer, clone_function, recursive) for layer in model.layers]
    clone = Sequential(name=model.name)
    if input_tensors is not None:
        tensors = flatten(input_tensors)
        if len(tensors) != 1:
            raise ValueError(
                f"clone_model: a Sequential model takes one input tensor, got {len(tensors)}."
            )
        clone.add(tensors[0], rebuild=False)
    else:
        input_layer = model.__dict__.get("_tork_input_layer")
        if input_layer is not None:
            clone.add(_new_input(input_layer.output), rebuild=False)
    for layer in layers:
        clone.add(layer, rebuild=False)
    shape = clone._tork_known_input_shape()
    if shape is None and model.built and model._build_shapes is not None:
        shape = model._build_shapes
    if shape is not None and layers:
        clone.build(shape)
    return clone


def _clone_functional(model, input_tensors, clone_function, call_function, recursive):
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.functional.input_layer import InputLayer
    from tork.keras.models.functional.keras_tensor import KerasTensor
    from tork.keras.models.functional.node import _map, flatten

    old_inputs = model.__dict__["_tork_flat_inputs"]
    if input_tensors is None:
        new_inputs = [_new_input(t) for t in old_inputs]
    else:
        new_inputs = flatten(input_tensors)
        if len(new_inputs) != len(old_inputs) or not all(
            isinstance(t, KerasTensor) for t in new_inputs
        ):
            raise ValueError(
                f"clone_model: model '{model.name}' has {len(old_inputs)} input(s); "
                f"input_tensors must be as many keras.Input tensors, got {input_tensors!r:.200}."
            )
    values = {id(old): new for old, new in zip(old_inputs, new_inputs)}
    clones: dict = {}

    def substitute(value):
        return values[id(value)] if isinstance(value, KerasTensor) else value

    for node in model.__dict__["_tork_nodes"]:
        args = _map(substitute, node.args)
        kwargs = _map(substitute, node.kwargs)
        if node.is_layer:
            layer = node.operation
            if isinstance(layer, InputLayer):
                continue
            if id(layer) not in clones:
                clones[id(layer)] = _clone_layer(layer, clone_function, recursive)
            new_layer = clones[id(layer)]
            if call_function is not None:
                outputs = call_function(new_layer, *args, **kwargs)
            else:
                outputs = new_layer(*args, **kwargs)
        else:
            # An op's layer (TFOpLambda) is cloned like any layer, as in Keras 2: by default
            # from its config, which keeps its name (`tf.nn.relu`).
            op_layer = node.layer
            if id(op_layer) not in clones:
                clones[id(op_layer)] = clone_function(op_layer)
            new_layer = clones[id(op_layer)]
            if call_function is not None:
                outputs = call_function(new_layer, *args, **kwargs)
            else:
                outputs = new_layer(*args, **kwargs)
        for old, new in zip(node.outputs, flatten(outputs)):
            values[id(old)] = new
    inputs = _map(lambda t: values[id(t)], model._tork_input_struct)
    outputs = _map(lambda t: values[id(t)], model._tork_output_struct)
    clone = Functional(inputs=inputs, outputs=outputs, name=model.name)
    for end in model.__dict__.get("_tork_branch_ends", ()):  # model.add_loss/add_metric
        clone._tork_add_branch_end(values[id(end)])
    return clone


__all__ = ["clone_model"]
