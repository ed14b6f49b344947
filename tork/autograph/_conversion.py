"""`tf.autograph.to_code` / `to_graph`: tork runs Python control flow as written, so the
code it "converts" is the function itself."""

import inspect as _inspect
import textwrap as _textwrap
from collections.abc import Callable
from typing import Any


def _check_convertible(entity: Any, api: str) -> None:
    # TF refuses what has no `__code__` (a `tf.function` object, a number)
    # with this ValueError's wording; keep it so user code catching it works.
    if not hasattr(entity, "__code__") and not _inspect.ismethod(entity):
        raise ValueError(
            f"tf.autograph.{api}: cannot apply autograph to {entity!r}: it does "
            "not expose a __code__ object. If this is a @tf.function, try "
            "passing f.python_function instead."
        )


def to_code(
    entity: Callable,
    recursive: bool = True,
    experimental_optional_features: Any = None,
) -> str:
    """Returns the source code tork runs for `entity`: the function as written.

    TensorFlow returns AutoGraph's rewritten graph code; tork runs Python control
    flow directly, so the code it runs is the function's own source (without its
    decorators).

    Args:
        entity: a Python function or method (for a `tf.function`, pass
            `f.python_function`).
        recursive: accepted for TensorFlow compatibility; ignored.
        experimental_optional_features: accepted and ignored.

    Returns:
        The function's source as a string.

    Raises:
        ValueError: if `entity` is not a Python function, or its source cannot
            be read (functions made by `exec` or typed at a plain REPL).

    Example:
    >>> def f(x):
    ...     return x + 1
    >>> print(tf.autograph.to_code(f))  # doctest: +SKIP
    def f(x):
        return x + 1
    """
    del recursive, experimental_optional_features
    _check_convertible(entity, "to_code")
    try:
        source = _inspect.getsource(entity)
    except (OSError, TypeError) as e:
        raise ValueError(
            f"tf.autograph.to_code: the source of {entity!r} is not available "
            f"({e}); define the function in a file or notebook cell."
        ) from None
    lines = _textwrap.dedent(source).splitlines(keepends=True)
    # Drop decorator lines (`@tf.function`, possibly spanning several lines)
    # up to the `def`, as TF's converted code has none.
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("def ", "async def ")):
            lines = lines[i:]
            break
    return "".join(lines)


def to_graph(
    entity: Callable,
    recursive: bool = True,
    experimental_optional_features: Any = None,
) -> Callable:
    """Returns `entity` itself: tork runs Python control flow as written.

    TensorFlow returns an AutoGraph-converted copy of the function; tork needs
    no conversion, so the result behaves exactly like the converted one.

    Args:
        entity: a Python function or method (for a `tf.function`, pass
            `f.python_function`).
        recursive: accepted for TensorFlow compatibility; ignored.
        experimental_optional_features: accepted and ignored.

    Returns:
        `entity`.

    Raises:
        ValueError: if `entity` is not a Python function.

    Example:
    >>> def f(x):
    ...     return x * 2 if x > 0 else x
    >>> g = tf.autograph.to_graph(f)
    >>> int(g(tf.constant(2)))
    4
    """
    del recursive, experimental_optional_features
    _check_convertible(entity, "to_graph")
    return entity
