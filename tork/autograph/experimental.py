"""`tf.autograph.experimental`: `do_not_convert`, a no-op on tork."""

from __future__ import annotations

from collections.abc import Callable

from tork._backend.errors import module_getattr

__all__ = ["do_not_convert"]


def do_not_convert(func: Callable | None = None) -> Callable:
    """Returns `func` unchanged: tork never converts Python code.

    TensorFlow uses it to keep AutoGraph from rewriting a function's control
    flow. In tork, functions always run as plain Python, so the function is
    returned as is. It works as `@do_not_convert`, `@do_not_convert()` and
    `do_not_convert(func)`.

    Args:
        func: the function to leave unconverted; None to get a decorator.

    Returns:
        `func` itself, or, when `func` is None, a decorator returning its
        argument.

    Example:
    >>> @tf.autograph.experimental.do_not_convert
    ... def f(x):
    ...     return x + 1
    >>> f(1)
    2
    """
    if func is None:
        return _identity
    return func


def _identity(func: Callable) -> Callable:
    return func


__getattr__ = module_getattr("tf.autograph.experimental")
