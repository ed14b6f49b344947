"""Graph-building scopes of TensorFlow 2, with their eager behaviour.

tork runs eagerly, so these only keep what an eager TensorFlow program can observe:
`name_scope` tracks the current scope name, `init_scope` pauses gradient recording,
`control_dependencies` runs callables it is given (ops already run in program order),
`group` and `no_op` return None.
"""

from __future__ import annotations

import threading
import time

import torch

from tork._backend.errors import module_getattr

__all__ = [
    "control_dependencies",
    "get_current_name_scope",
    "group",
    "init_scope",
    "name_scope",
    "no_op",
    "timestamp",
]

__getattr__ = module_getattr("tf")

# TensorFlow keeps the eager scope name per thread (in its thread-local context).
_state = threading.local()


def _scope() -> str:
    return getattr(_state, "scope", "")


class name_scope:  # noqa: N801 - TensorFlow's public name
    """A context manager that prefixes the names of ops created within it.

    Scopes nest: inside `name_scope("outer")`, `name_scope("inner")` is
    `"outer/inner/"`. A name ending in `"/"` is used as given (it does not nest),
    and an empty name returns to the top level. Names are not made unique, as in
    TensorFlow's eager mode.

    Args:
        name: the prefix to use on all names created within the name scope.

    Raises:
        ValueError: if `name` is not a string.

    Example:
    >>> with tf.name_scope("outer"):
    ...     with tf.name_scope("inner") as scope:
    ...         print(scope)
    outer/inner/
    """

    __slots__ = ("_name", "_previous")

    def __init__(self, name: str):
        if not isinstance(name, str):
            raise ValueError(
                f"name for name_scope must be a string, got {type(name).__name__} {name!r}."
            )
        self._name = name
        self._previous: list[str] = []

    @property
    def name(self) -> str:
        """The name given to this scope."""
        return self._name

    def __enter__(self) -> str:
        """Starts the scope block.

        Returns:
            The full scope name, ending with `"/"` (or `""` for an empty name).
        """
        old = _scope()
        name = self._name
        if not name:
            new = ""
        elif name.endswith("/"):
            new = name
        else:
            new = old + name + "/"
        self._previous.append(old)
        _state.scope = new
        return new

    def __exit__(self, exc_type, exc_value, traceback) -> bool:
        _state.scope = self._previous.pop()
        return False


def get_current_name_scope() -> str:
    """Returns the current full name scope, without the trailing `"/"`.

    Returns:
        A string such as `"outer/inner"`, or `""` outside any scope.

    Example:
    >>> with tf.name_scope("outer"):
    ...     tf.get_current_name_scope()
    'outer'
    """
    return _scope().rstrip("/")


class _InitScope:
    """Lifts code out of function-building contexts: pauses gradient recording."""

    __slots__ = ("_no_grad",)

    def __enter__(self) -> None:
        self._no_grad = torch.no_grad()
        self._no_grad.__enter__()

    def __exit__(self, exc_type, exc_value, traceback) -> bool:
        self._no_grad.__exit__(exc_type, exc_value, traceback)
        return False


def init_scope() -> _InitScope:
    """A context manager that lifts ops out of control-flow scopes and function-building graphs.

    Eagerly there is no graph to lift out of; as in TensorFlow, gradient tapes stop
    recording inside the block (it is a `torch.no_grad()` block) and control
    dependencies are cleared. The name scope is kept.

    Returns:
        A context manager.

    Example:
    >>> with tf.init_scope():
    ...     v = tf.Variable(tf.zeros((2,)))
    """
    return _InitScope()


class _NullContext:
    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc_value, traceback) -> bool:
        return False


_NULL = _NullContext()


def control_dependencies(control_inputs) -> _NullContext:
    """Specifies control dependencies: a no-op eagerly, where ops run in program order.

    As in TensorFlow's eager mode, callables in `control_inputs` are called now;
    tensors and operations are ignored.

    Args:
        control_inputs: a list of tensors, operations or callables, or None.

    Returns:
        A context manager.

    Example:
    >>> x = tf.constant([1.0, 2.0])
    >>> with tf.control_dependencies([tf.debugging.assert_less(x, 3.0)]):
    ...     y = tf.identity(x)
    """
    if control_inputs:
        for control in control_inputs:
            if callable(control) and not isinstance(control, torch.Tensor):
                control()
    return _NULL


def no_op(name: str | None = None) -> None:
    """Does nothing: only useful as a placeholder for control edges in graphs.

    Args:
        name: a name for the operation (unused).

    Returns:
        None, as in TensorFlow's eager mode.

    Example:
    >>> tf.no_op() is None
    True
    """
    return None


def group(*inputs, name: str | None = None) -> None:
    """Groups operations so that they run together: a no-op eagerly.

    In a graph, `tf.group(a, b)` is one operation that waits for `a` and `b`;
    optimizers return it from `_resource_apply_dense`. Eagerly (as in tork)
    the grouped updates have already run when their results are passed here.

    Args:
        *inputs: tensors, variables or operations (already computed; unused).
        name: a name for the operation (unused).

    Returns:
        None, as in TensorFlow's eager mode.

    Example:
    >>> v = tf.Variable(1.0)
    >>> tf.group(v.assign(2.0), v.assign_add(1.0)) is None
    True
    >>> float(v)
    3.0
    """
    return None


def timestamp(name: str | None = None) -> torch.Tensor:
    """Returns the current time in seconds since the Unix epoch.

    Args:
        name: a name for the operation (unused).

    Returns:
        A float64 scalar tensor, as `tf.timestamp`.

    Example:
    >>> tf.timestamp().dtype
    torch.float64
    """
    # float64 keeps sub-microsecond precision for today's epoch seconds (~1.8e9).
    return torch.tensor(time.time(), dtype=torch.float64)
