"""`add_weight(dtype=tf.string)`: a layer's string state, kept on the host.

torch Parameters hold numbers only, so a string weight is a `StringVariable` (a NumPy
object array of bytes that `assign` overwrites). The layer lists it among its
non-trainable weights in creation order, as Keras, so `weights`, `get_weights`,
`set_weights` and the HDF5 weight files (`.weights.h5`, `.h5`, `.keras`) carry it.
`tf.train.Checkpoint` and `tf.saved_model.save` refuse it (their files hold numbers).
It never trains, also when created with `trainable=True`.
"""

from __future__ import annotations

import numpy as np

from tork._backend.string_variable import StringVariable

_ATTR = "_tork_string_weights"


def add(layer, name: str | None, shape: tuple, initializer, where: str) -> StringVariable:
    """Creates a string weight of `shape` on `layer`, filled by a Constant initializer.

    Raises:
        ValueError: without an initializer (as Keras), or with one that does not give
            strings.
    """
    if initializer is None:
        raise ValueError(
            f"{where}: an initializer for the string weight '{name}' is required, as in "
            "Keras. Pass e.g. `initializer=tf.keras.initializers.Constant(b'')`."
        )
    value = getattr(initializer, "value", None)
    if isinstance(initializer, (str, bytes)) or value is None:
        # Keras's random/zeros initializers make numbers, not strings.
        raise ValueError(
            f"{where}: the string weight '{name}' needs a Constant initializer with a string "
            f"value (got {initializer!r:.80}), e.g. "
            "`initializer=tf.keras.initializers.Constant(b'')`."
        )
    filled = np.empty(shape, dtype=object)
    try:
        filled[...] = np.asarray(StringVariable.create(value, "init").view(np.ndarray))
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"{where}: cannot fill the string weight '{name}' of shape {shape} with the "
            f"initializer's value {value!r:.80}: {error}"
        ) from None
    from tork.keras.layers.layer import _weight_scope

    var = StringVariable.create(filled, _weight_scope(layer) + (name or "Variable"))
    # Keras lists own weights in creation order: remember how many numeric ones came first.
    var._tork_after = len(layer._tork_direct()[0])
    layer.__dict__.setdefault(_ATTR, []).append(var)
    return var


def merged(layer, numeric: list) -> list:
    """`numeric` (the layer's own torch weights) with its string weights in creation order."""
    strings = layer.__dict__.get(_ATTR)
    if not strings:
        return numeric
    out = list(numeric)
    for offset, var in enumerate(strings):
        out.insert(min(var._tork_after + offset, len(out)), var)
    return out


def is_string_weight(variable) -> bool:
    return isinstance(variable, StringVariable)
