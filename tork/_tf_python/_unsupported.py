"""Stand-ins for TensorFlow internals that tork does not have."""

from __future__ import annotations

from collections.abc import Callable


def unsupported(path: str, alternative: str) -> Callable:
    """A function that raises `NotImplementedError` naming `path` and `alternative` when called.

    Importing the name works, so modules that only import it (and use it on a path not
    taken) run.
    """

    def stand_in(*args, **kwargs):
        del args, kwargs
        raise NotImplementedError(
            f"`{path}` is TensorFlow's internal API, which tork does not have (tork computes "
            f"gradients with torch autograd and has no graph mode). {alternative}"
        )

    name = path.rsplit(".", 1)[-1]
    stand_in.__name__ = stand_in.__qualname__ = name
    stand_in.__doc__ = (
        f"Not available in tork: calling it raises NotImplementedError. {alternative}"
    )
    return stand_in
