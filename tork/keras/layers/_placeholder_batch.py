"""Whether a model is building by calling itself on zeros whose batch size is made up.

`Model._tork_build_by_calling` (a Sequential given `input_shape=`, `model.build(shape)`)
runs call() on zeros with batch size 2 where the batch is unknown. Shape errors raised
there should show the user's shape, `(None, ...)`, not that made-up 2.
"""

from __future__ import annotations

_depth = 0


def enter(active: bool) -> None:
    """Marks the start of a build on a made-up batch size (when `active`)."""
    global _depth
    _depth += int(active)


def leave(active: bool) -> None:
    """Marks the end of the build started by `enter(active)`."""
    global _depth
    _depth -= int(active)


def in_use() -> bool:
    """True while a model builds on zeros whose batch size is made up."""
    return _depth > 0


def shown_shape(shape) -> tuple:
    """`shape` as a tuple for an error message, its batch axis None during such a build."""
    shape = tuple(None if d is None else int(d) for d in shape)
    if shape and in_use():
        return (None, *shape[1:])
    return shape
