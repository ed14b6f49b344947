"""`tf.compat.v1.assign`, `assign_add`, `assign_sub`: TensorFlow 1's variable writes.

Keras 2 optimizers written against OptimizerV2 call these (as
`state_ops.assign(m, new_m, use_locking=self._use_locking)`) and use the result
as the new value. Each forwards to the variable's own method and returns the
variable, as TensorFlow 2 does in eager mode.
"""

from __future__ import annotations

from tork.compat.v1._scatter import _variable
from tork.variables import Variable


def assign(ref, value, validate_shape=None, use_locking=None, name: str | None = None) -> Variable:
    """Sets `ref` to `value` in place.

    Args:
        ref: the `tf.Variable` to update.
        value: a tensor of the variable's shape.
        validate_shape: accepted and unused (shapes are always checked).
        use_locking: accepted and unused.
        name: unused.

    Returns:
        `ref`, updated.

    Example:
    >>> v = tf.Variable(1.0)
    >>> float(tf.compat.v1.assign(v, 3.0))
    3.0
    """
    return _variable(ref, "assign").assign(value)


def assign_add(ref, value, use_locking=None, name: str | None = None) -> Variable:
    """Adds `value` to `ref` in place.

    Args:
        ref: the `tf.Variable` to update.
        value: a tensor of the variable's shape.
        use_locking: accepted and unused.
        name: unused.

    Returns:
        `ref`, updated.

    Example:
    >>> v = tf.Variable(1.0)
    >>> float(tf.compat.v1.assign_add(v, 2.0))
    3.0
    """
    return _variable(ref, "assign_add").assign_add(value)


def assign_sub(ref, value, use_locking=None, name: str | None = None) -> Variable:
    """Subtracts `value` from `ref` in place.

    Args:
        ref: the `tf.Variable` to update.
        value: a tensor of the variable's shape.
        use_locking: accepted and unused.
        name: unused.

    Returns:
        `ref`, updated.

    Example:
    >>> v = tf.Variable(3.0)
    >>> float(tf.compat.v1.assign_sub(v, 2.0))
    1.0
    """
    return _variable(ref, "assign_sub").assign_sub(value)
