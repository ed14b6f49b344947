"""Clear errors for layer inputs that are no numbers (None, strings), and `training` strings.

A layer called on None or on strings fails deep in its build or call with a bare Python
error (`'NoneType' object is not subscriptable`, `order must be str, not int`). Layers may
take such inputs on purpose (custom layers, string preprocessing), so they are not refused
up front: only when the build or call then fails with such an error is it replaced by one
that names the layer, the input and the fix.
"""

from __future__ import annotations

import numpy as np

from tork._backend.string_tensor import StringTensor


def unusable_input_error(layer, inputs, error: BaseException) -> Exception | None:
    """The clearer error to raise for `error`, or None to keep `error` as it is."""
    if not isinstance(error, (TypeError, AttributeError)) or " layer '" in str(error):
        return None
    if layer.input_spec is None and not type(layer).__module__.startswith("tork.keras.layers."):
        # A user layer may take None or strings on purpose: its own error is the real one
        # (Keras 2 checks the input only against an input_spec).
        return None
    kind = f"{type(layer).__name__} layer '{layer.name}'"
    if inputs is None:
        return TypeError(
            f"Inputs to a layer should be tensors. Got 'None' (of type {type(None)}) as input "
            f"for {kind}. Check the value passed to the layer: a function or layer that lacks "
            "a `return` statement gives None."
        )
    if isinstance(inputs, StringTensor) or (
        isinstance(inputs, np.ndarray) and inputs.dtype.kind in "US"
    ):
        return TypeError(
            f"{kind} received strings (an input of shape {tuple(inputs.shape)}), but it "
            "computes on numbers. Map strings to numbers first, e.g. with "
            "keras.layers.StringLookup or keras.layers.TextVectorization (tokens to ids), "
            "or tf.strings.to_number for numbers written as text."
        )
    return None


def check_training_str(layer, spec, training: str) -> None:
    """Raises for `training='False'` given to a built-in layer whose call uses `training`
    (Dropout, BatchNormalization, noise, RNN dropout...): any non-empty string is true, so
    the layer would run in training mode. Keras 2 refuses it in its `smart_cond`; layers
    that ignore `training` (Dense, a model of them) and user layers run on, as in Keras 2."""
    if not spec.has_training or not type(layer).__module__.startswith("tork.keras.layers."):
        return
    raise TypeError(
        f"{type(layer).__name__} layer '{layer.name}' got training={training!r}, a string; "
        "`training` must be a Python bool (or None): a string is not one ('False' is "
        "truthy). Pass training=False or training=True."
    )
