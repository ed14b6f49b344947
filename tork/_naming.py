"""Keras-style object names: snake_case of the class name, made unique per base name."""

from __future__ import annotations

import collections
import contextlib
import re
import threading

_counts: collections.Counter = collections.Counter()
_lock = threading.Lock()
# Names given explicitly (by a config or a clone) that automatic names of the same kind must
# skip, as Keras 2's `unique_object_name(..., avoid_observed_names=True)` does.
_observed: set = set()
# How many `scratch_names` blocks are open (functional-API builds).
_scratch_depth = 0


def to_snake_case(name: str) -> str:
    """Converts a class name to Keras's snake_case.

    `Conv2DTranspose` -> `conv2d_transpose`, `ReLU` -> `re_lu`,
    `GlobalAveragePooling2D` -> `global_average_pooling2d`.
    """
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
    if name.startswith("_"):
        name = "private" + name
    return name


def unique_name(base: str, avoid_observed: bool = False) -> str:
    """Returns `base`, then `base_1`, `base_2`... across the session (Keras's global counter).

    With `avoid_observed`, names recorded by `observe_name` are skipped.
    """
    while True:
        with _lock:
            count = _counts[base]
            _counts[base] += 1
        name = base if count == 0 else f"{base}_{count}"
        if not (avoid_observed and name in _observed):
            return name


def observe_name(name: str) -> None:
    """Records an explicitly given name that `unique_name(..., avoid_observed=True)` skips."""
    with _lock:
        _observed.add(name)


def reset_names() -> None:
    """Forgets all names handed out (as `keras.backend.clear_session()`)."""
    with _lock:
        _counts.clear()
        _observed.clear()


@contextlib.contextmanager
def scratch_names():
    """Automatic names handed out inside come from a fresh counter, forgotten afterwards.

    tf.keras builds and calls a layer on functional-API tensors in a scratch graph with its
    own name counters: sublayers created there (in `build` or `call`) are named from zero
    and leave the session's counters as they were, so the user's next `Dropout()` is still
    `dropout`.
    """
    global _counts, _scratch_depth
    with _lock:
        saved, _counts = _counts, collections.Counter()
        _scratch_depth += 1
    try:
        yield
    finally:
        with _lock:
            _counts = saved
            _scratch_depth -= 1


def in_scratch() -> bool:
    """Whether a functional-API build is running (`scratch_names` is active).

    tf.keras builds there in a scratch graph whose name scope does not include the user's
    `tf.name_scope`, so weights created there do not take it.
    """
    return _scratch_depth > 0
