"""Keras 3's multi-argument `build`: `build(self, query_shape, value_shape)`.

Keras 3 builds a layer on its first call by matching `build`'s parameters to `call`'s
arguments by name: a parameter `foo_shape` gets the shape of the call argument `foo`
(KerasHub's `TransformerDecoder.build(decoder_sequence_shape, encoder_sequence_shape)`,
`MultiHeadAttention.build(query_shape, value_shape, key_shape)`). A `build` with one
parameter gets the first argument's shape, as Keras 2 does; tork keeps doing that, and
this module supplies the shapes of the other parameters.
"""

from __future__ import annotations

import inspect

_NAMED = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)


def _params(function) -> list[inspect.Parameter] | None:
    try:
        return list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):  # a builtin or C callable
        return None


def extra_build_shapes(layer, args: tuple, kwargs: dict, shape_of) -> dict:
    """The shapes for `build`'s parameters after the first, by Keras 3's naming rule.

    Args:
        layer: the layer being built by its first call.
        args: the call's positional arguments (the inputs first).
        kwargs: the call's keyword arguments.
        shape_of: maps a tensor nest to its shape nest (None for non-tensors).

    Returns:
        `{parameter: shape}` for each parameter of `build` after the first that is
        named `<call argument>_shape` and whose call argument was given a tensor (or a
        nest of them); empty unless every parameter of `build` is named that way.
    """
    build_params = _params(layer.build)
    if not build_params or len(build_params) < 2:
        return {}
    if any(p.kind not in _NAMED for p in build_params):
        return {}
    if not all(p.name.endswith("_shape") for p in build_params):
        return {}
    call_params = _params(layer.call)
    if call_params is None:
        return {}
    try:
        bound = inspect.signature(layer.call).bind_partial(*args, **kwargs).arguments
    except TypeError:
        return {}
    call_names = {p.name for p in call_params}
    extra = {}
    for param in build_params[1:]:
        name = param.name[: -len("_shape")]
        if name not in call_names or name not in bound:
            continue
        value = bound[name]
        shape = shape_of(value)
        if shape is None and hasattr(value, "shape") and not callable(value.shape):
            # A NumPy array: Keras 3 converts it to a tensor first.
            from tork.keras._shape import KerasShape

            shape = KerasShape(tuple(value.shape))
        if shape is not None:
            extra[param.name] = shape
    return extra


def first_build_parameter(layer) -> str | None:
    """The name of `build`'s first parameter (`input_shape`, `query_shape`...), or None."""
    build_params = _params(layer.build)
    return build_params[0].name if build_params else None


def split_shapes_dict(layer, shapes_dict: dict) -> tuple:
    """Keras 3's `{"shapes_dict": {...}}` build config as `(first_shape, other_shapes)`.

    `first_shape` is the value for `build`'s first parameter (by name, else the first
    entry); `other_shapes` are passed to `build` by name.
    """
    first = first_build_parameter(layer)
    if first not in shapes_dict:
        first = next(iter(shapes_dict), None)
    others = {k: v for k, v in shapes_dict.items() if k != first}
    return shapes_dict.get(first), others
