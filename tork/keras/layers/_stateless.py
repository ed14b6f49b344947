"""Keras 3's `stateless_call`: run a layer on given variable values, leaving its own alone."""

from __future__ import annotations

import torch

from tork._backend.tensor import convert_to_tensor


def _check_count(layer, given, expected, kind: str) -> None:
    if len(given) != len(expected):
        raise ValueError(
            f"Argument `{kind}` must be a list of tensors corresponding 1:1 to "
            f"{type(layer).__name__}().{kind}. Received list with length {len(given)}, but "
            f"expected {len(expected)} variables."
        )


def stateless_call(
    layer,
    trainable_variables,
    non_trainable_variables,
    *args,
    return_losses: bool = False,
    **kwargs,
):
    """Calls `layer` with the given variable values instead of its own (Keras 3).

    Trainable values are substituted with `torch.func.functional_call`, so gradients flow
    to the tensors passed in; non-trainable values are swapped in for the call and the values
    they hold afterwards (a BatchNormalization's updated moving statistics) are returned.
    The layer's own variables are unchanged afterwards.

    Args:
        layer: A built layer or model.
        trainable_variables: Tensors, one per `layer.trainable_variables`, in that order.
        non_trainable_variables: Tensors, one per `layer.non_trainable_variables`.
        *args: Positional arguments of the call.
        return_losses: Whether to also return the losses added during the call.
        **kwargs: Keyword arguments of the call (`training=True`...).

    Returns:
        `(outputs, non_trainable_variables)`, or
        `(outputs, non_trainable_variables, losses)` with `return_losses=True`.
    """
    own_trainable = list(layer.trainable_variables)
    own_non_trainable = list(layer.non_trainable_variables)
    _check_count(layer, trainable_variables, own_trainable, "trainable_variables")
    _check_count(layer, non_trainable_variables, own_non_trainable, "non_trainable_variables")
    names = {}
    for name, param in layer.named_parameters(remove_duplicate=False):
        names.setdefault(id(param), name)
    for name, buffer in layer.named_buffers(remove_duplicate=False):
        names.setdefault(id(buffer), name)
    substitutes = {}
    for variable, value in zip(own_trainable, trainable_variables):
        value = convert_to_tensor(value)
        if value.dtype != variable.dtype:
            value = value.to(variable.dtype)
        substitutes[names[id(variable)]] = value
    # Non-trainable values are swapped in through `.data`, not copied into the variables:
    # layers update them with `assign` (which a plain substitute tensor lacks), and an
    # in-place restore would break the backward pass of ops that saved them.
    originals = [v.data for v in own_non_trainable]
    for variable, value in zip(own_non_trainable, non_trainable_variables):
        variable.data = convert_to_tensor(value).detach().to(variable.dtype).clone()
    try:
        outputs = torch.func.functional_call(layer, substitutes, args, kwargs, strict=False)
        new_non_trainable = [v.data for v in own_non_trainable]
        losses = list(layer.losses) if return_losses else None
    finally:
        for variable, original in zip(own_non_trainable, originals):
            variable.data = original
    if return_losses:
        return outputs, new_non_trainable, losses
    return outputs, new_non_trainable
