"""Explains a user loss or metric function whose signature is not `fn(y_true, y_pred)`."""

from __future__ import annotations

import inspect
from collections.abc import Callable


def _takes_labels_and_predictions(fn: Callable, kwargs: dict) -> bool:
    """Whether `fn(y_true, y_pred, **kwargs)` binds (True when it cannot be inspected)."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return True
    try:
        signature.bind(None, None, **kwargs)
    except TypeError:
        return False
    return True


def signature_error(fn: Callable, kwargs: dict, what: str, error: TypeError) -> TypeError | None:
    """A clear error when `error` came from calling `fn` with the wrong arguments, else None.

    Args:
        fn: the user's loss or metric function.
        kwargs: the extra keyword arguments Keras passes it.
        what: "Loss" or "Metric", for the message.
        error: the TypeError the call raised.
    """
    if _takes_labels_and_predictions(fn, kwargs):
        return None  # the TypeError came from inside the function
    name = getattr(fn, "__name__", type(fn).__name__)
    try:
        shown = f"{name}{inspect.signature(fn)}"
    except (TypeError, ValueError):  # pragma: no cover - checked above
        shown = name
    noun = what.lower()
    argument = "loss=make_loss(w)" if noun == "loss" else "metrics=[make_metric(w)]"
    base = "keras.losses.Loss" if noun == "loss" else "keras.metrics.Metric"
    return TypeError(
        f"{what} function '{shown}' cannot be called as {name}(y_true, y_pred): Keras calls a "
        f"{noun} function with exactly the labels and the predictions ({error}). Pass other "
        f"values through a closure (def make_{noun}(w): define {noun}(y_true, y_pred) inside "
        f"and return it; then compile(..., {argument})), or write a {base} subclass."
    )
