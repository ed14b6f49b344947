"""Configs from other Keras versions: options tork's classes do not take, left at defaults.

Each Keras release adds constructor options to its configs (Keras 3.15's
Dense writes `quantization_config: None`, its initializers write
`input_axes: None`). When such an option is at its "off" value (None, False,
empty) and tork's class has no such argument, dropping it changes nothing, so
it is dropped. So is Keras 2's `fn` (a function name) on loss classes that
are that function. An option with a real value stays, and the constructor's
error names it.
"""

from __future__ import annotations

import functools
import inspect

# Arguments the tork Layer base takes through **kwargs.
_LAYER_KWARGS = frozenset(
    {
        "trainable",
        "name",
        "dtype",
        "dynamic",
        "input_shape",
        "input_dim",
        "batch_input_shape",
        "batch_size",
        "input_length",
        "activity_regularizer",
        "autocast",
        "weights",
        "input_dtype",
    }
)


@functools.cache
def accepted_arguments(cls) -> frozenset | None:
    """The keyword arguments `cls(...)` accepts, or None when it accepts anything."""
    from tork.keras.layers.layer import Layer

    names: set = set()
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        if klass is Layer:
            return frozenset(names | _LAYER_KWARGS)
        if klass is object:
            break
        if klass is not cls and _takes_locals_dict(init):
            # A private helper base (the convolutions' `_SpatialConv(rank, args)`) takes its
            # subclass's arguments as one dict and forwards their **kwargs to Layer: it is
            # no limit on what the public class accepts (else `trainable: False` is dropped).
            continue
        try:
            parameters = inspect.signature(init).parameters.values()
        except (TypeError, ValueError):
            return None
        forwards = False
        for p in parameters:
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
                names.add(p.name)
            elif p.kind is p.VAR_KEYWORD:
                forwards = True
        if not forwards:
            break
    names.discard("self")
    return frozenset(names)


def _takes_locals_dict(init) -> bool:
    try:
        names = list(inspect.signature(init).parameters)
    except (TypeError, ValueError):
        return False
    return names[-1:] == ["args"]


# Keys Keras 2 writes for information only: its loss wrappers store `fn`, the name of the
# function their class already stands for (`CategoricalCrossentropy` -> 'categorical_crossentropy').
_INFORMATIONAL = frozenset({"fn"})


def _is_off(value) -> bool:
    return value is None or value is False or (isinstance(value, (list, dict, str)) and not value)


def drop_unknown_defaults(cls, config: dict) -> dict:
    """Returns `config` without options `cls` does not take whose value is off.

    Args:
        cls: a tork class (others are returned unchanged).
        config: the constructor arguments from a saved config.

    Returns:
        A new dict.
    """
    if not (getattr(cls, "__module__", "") or "").startswith("tork."):
        return config
    accepted = accepted_arguments(cls)
    if accepted is None:
        return config
    return {
        k: v
        for k, v in config.items()
        if k in accepted or not (_is_off(v) or (k in _INFORMATIONAL and isinstance(v, str)))
    }
