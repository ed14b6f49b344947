"""Warns about a softmax over an axis of size 1: its output is 1.0 whatever the input.

`Dense(1, activation="softmax")` (binary classifiers) and `Conv2D(1, 1,
activation="softmax")` (binary segmentation) are among the most asked Keras questions
("accuracy stuck at 50%"): Keras runs them without a word, and nothing useful trains.
"""

from __future__ import annotations

from tork._warnings import warn_user
from tork.keras import activations
from tork.keras.layers._call_context import where


def warn_if_constant_softmax(layer, size, hint: str) -> None:
    """Warns when `layer` applies softmax over its `size` outputs and `size` is 1.

    Args:
        layer: the layer (for its name).
        size: the number of units/filters along the softmax axis.
        hint: the layer-specific fix, e.g. "Dense(1, activation='sigmoid')".
    """
    if size != 1 or getattr(layer, "activation", None) is not activations.softmax:
        return
    warn_user(
        f"{where(layer)} has a single output unit with activation='softmax': the softmax of "
        "one value is always 1.0, so the layer outputs 1.0 whatever its input and the model "
        f"cannot learn. For two classes use {hint} with binary_crossentropy, or 2 units with "
        "softmax and (sparse_)categorical_crossentropy."
    )
