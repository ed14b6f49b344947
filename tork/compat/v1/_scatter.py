"""`tf.compat.v1.scatter_*`: TensorFlow 1's in-place row updates of a `tf.Variable`.

Each function forwards to the variable's own method (`ref.scatter_update(...)` and
so on) and returns the variable, as TensorFlow 2 does in eager mode.
"""

from __future__ import annotations

from tork._backend.indexed_slices import IndexedSlices
from tork.ops.array import scatter_nd
from tork.variables import Variable


def _variable(ref, op: str) -> Variable:
    if isinstance(ref, Variable):
        return ref
    raise TypeError(
        f"tf.compat.v1.{op}: `ref` must be a tf.Variable (it is updated in place), got "
        f"{type(ref).__name__}. Tensors are immutable: for a new tensor with rows replaced "
        "use tf.tensor_scatter_nd_update (or _add/_sub)."
    )


def _row_scatter(method: str, summary: str):
    def scatter(ref, indices, updates, use_locking: bool = False, name: str | None = None):
        return getattr(_variable(ref, method), method)(IndexedSlices(updates, indices))

    scatter.__name__ = scatter.__qualname__ = method
    scatter.__doc__ = f"""{summary}

    Args:
        ref: the `tf.Variable` to update in place.
        indices: row indices along the first axis (an int or a list of ints).
        updates: the values, shaped `indices.shape + ref.shape[1:]`.
        use_locking: accepted and unused.
        name: unused.

    Returns:
        `ref`, updated.

    Example:
    >>> v = tf.Variable([1.0, 2.0, 3.0])
    >>> tf.compat.v1.{method}(v, [0, 2], [10.0, 30.0]).shape
    TensorShape([3])
    """
    return scatter


def _nd_scatter(method: str, summary: str):
    def scatter(ref, indices, updates, use_locking: bool = True, name: str | None = None):
        return getattr(_variable(ref, method), method)(indices, updates)

    scatter.__name__ = scatter.__qualname__ = method
    scatter.__doc__ = f"""{summary}

    Args:
        ref: the `tf.Variable` to update in place.
        indices: int coordinates; the last axis indexes the leading axes of `ref`.
        updates: the values, shaped `indices.shape[:-1] + ref.shape[indices.shape[-1]:]`.
        use_locking: accepted and unused.
        name: unused.

    Returns:
        `ref`, updated.

    Example:
    >>> v = tf.Variable(tf.zeros([3, 2]))
    >>> tf.compat.v1.{method}(v, [[0, 1]], [5.0]).shape
    TensorShape([3, 2])
    """
    return scatter


scatter_update = _row_scatter("scatter_update", "Sets the rows `indices` of `ref` to `updates`.")
scatter_add = _row_scatter("scatter_add", "Adds `updates` to the rows `indices` of `ref`.")
scatter_sub = _row_scatter("scatter_sub", "Subtracts `updates` from the rows `indices` of `ref`.")
scatter_mul = _row_scatter("scatter_mul", "Multiplies the rows `indices` of `ref` by `updates`.")
scatter_div = _row_scatter("scatter_div", "Divides the rows `indices` of `ref` by `updates`.")
scatter_max = _row_scatter(
    "scatter_max", "Sets rows `indices` of `ref` to their max with `updates`."
)
scatter_min = _row_scatter(
    "scatter_min", "Sets rows `indices` of `ref` to their min with `updates`."
)
scatter_nd_update = _nd_scatter("scatter_nd_update", "Sets the slices at `indices` to `updates`.")
scatter_nd_add = _nd_scatter("scatter_nd_add", "Adds `updates` to the slices at `indices`.")
scatter_nd_sub = _nd_scatter("scatter_nd_sub", "Subtracts `updates` from the slices at `indices`.")


def batch_scatter_update(ref, indices, updates, use_locking: bool = True, name: str | None = None):
    """Sets entries of `ref` along its last axis, one index list per batch row.

    Args:
        ref: the `tf.Variable` to update in place.
        indices: int indices shaped `ref.shape[:-1] + (k,)` (or with fewer leading axes).
        updates: the values, shaped like `indices`.
        use_locking: accepted and unused.
        name: unused.

    Returns:
        `ref`, updated.

    Example:
    >>> v = tf.Variable(tf.zeros([2, 3]))
    >>> tf.compat.v1.batch_scatter_update(v, [[0], [2]], [[1.0], [2.0]]).shape
    TensorShape([2, 3])
    """
    return _variable(ref, "batch_scatter_update").batch_scatter_update(
        IndexedSlices(updates, indices)
    )


__all__ = [
    "batch_scatter_update",
    "scatter_add",
    "scatter_div",
    "scatter_max",
    "scatter_min",
    "scatter_mul",
    "scatter_nd",
    "scatter_nd_add",
    "scatter_nd_sub",
    "scatter_nd_update",
    "scatter_sub",
    "scatter_update",
]
