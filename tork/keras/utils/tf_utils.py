"""Keras 2's private `tf_utils` helpers that library code imports.

Layers written for tf.keras 2.x import `from tensorflow.python.keras.utils import tf_utils`
(TensorFlowTTS's GroupConv1D, complex batch-norm layers, RandomFlip copies) mostly for
`@tf_utils.shape_type_conversion` on `build`/`compute_output_shape`, and for
`smart_cond`, `constant_value` and `sync_to_numpy_or_python_type`. Under a `tensorflow`
package re-exporting tork that path is this module (`tork.python.keras.X` is `tork.keras.X`).
The helpers follow tf_keras 2.21's documented behaviour; tork runs eagerly, so there are no
graph tensors (`is_symbolic_tensor` is False, as tf_keras says for eager tensors and
`keras.Input` tensors).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import torch

from tork._backend.errors import module_getattr
from tork._backend.tensor_shape import TensorShape
from tork.keras._legacy_backend import is_sparse  # noqa: F401 (Keras 2 exports it here too)

__getattr__ = module_getattr("tensorflow.python.keras.utils.tf_utils")


def _is_shape_component(value) -> bool:
    return value is None or (isinstance(value, (int, np.integer)) and not isinstance(value, bool))


def _is_atomic_shape(value) -> bool:
    if isinstance(value, TensorShape):
        return True
    if isinstance(value, (tuple, list)) and not isinstance(value, str):
        return all(_is_shape_component(v) for v in value)
    return False


def map_structure_with_atomic(is_atomic_fn: Callable, map_fn: Callable, nested):
    """Maps `map_fn` over the leaves of `nested` that `is_atomic_fn` calls atomic.

    Lists, tuples and dicts are walked (dicts by key); any other value that is not atomic
    raises ValueError, as in Keras 2.

    Args:
        is_atomic_fn: `value -> bool`, True for a leaf.
        map_fn: applied to each leaf.
        nested: the structure.

    Returns:
        The structure with each leaf replaced by `map_fn(leaf)`.
    """
    if is_atomic_fn(nested):
        return map_fn(nested)
    if isinstance(nested, dict):
        return {k: map_structure_with_atomic(is_atomic_fn, map_fn, v) for k, v in nested.items()}
    if isinstance(nested, (list, tuple)):
        items = [map_structure_with_atomic(is_atomic_fn, map_fn, v) for v in nested]
        return items if isinstance(nested, list) else tuple(items)
    raise ValueError(
        f"tf_utils.map_structure_with_atomic: received a non-atomic and non-nested value: "
        f"{nested!r}. Pass shapes (tuples, lists or TensorShapes of ints and None), "
        "possibly nested in lists, tuples and dicts."
    )


def convert_shapes(input_shape, to_tuples: bool = True):
    """Converts nested shapes to tuples (`to_tuples=True`) or to `TensorShape`s.

    Args:
        input_shape: a shape (TensorShape, tuple or list of ints and None) or a nest of
            shapes in lists, tuples and dicts.
        to_tuples: True for tuples, False for TensorShapes.

    Returns:
        The same nest with every shape converted.

    Example:
    >>> convert_shapes([tf.TensorShape([2, None]), (3, 4)])
    [(2, None), (3, 4)]
    """

    def convert(shape):
        shape = TensorShape(shape)
        return tuple(shape.as_list()) if to_tuples else shape

    return map_structure_with_atomic(_is_atomic_shape, convert, input_shape)


def get_shapes(tensors):
    """The shapes of a nest of tensors, as `TensorShape`s."""
    return map_structure_with_atomic(
        lambda v: hasattr(v, "shape") and not isinstance(v, (list, tuple, dict)),
        lambda v: TensorShape(tuple(v.shape)),
        tensors,
    )


def shape_type_conversion(fn: Callable) -> Callable:
    """Decorator for `build(input_shape)` / `compute_output_shape(input_shape)`.

    The method receives the shape(s) as tuples; a returned shape comes back as a
    `TensorShape` (nests converted leaf by leaf), as in Keras 2.

    Example:
    >>> class Double(tf.keras.layers.Layer):
    ...     @shape_type_conversion
    ...     def compute_output_shape(self, input_shape):
    ...         return input_shape[:-1] + (2 * input_shape[-1],)
    >>> Double().compute_output_shape(tf.TensorShape([None, 3]))
    TensorShape([None, 6])
    """

    @functools.wraps(fn)
    def wrapper(instance, input_shape):
        if input_shape is not None:
            input_shape = convert_shapes(input_shape, to_tuples=True)
        output_shape = fn(instance, input_shape)
        if output_shape is not None:
            output_shape = convert_shapes(output_shape, to_tuples=False)
        return output_shape

    return wrapper


def is_symbolic_tensor(tensor) -> bool:
    """False: tork's tensors are eager, as tf_keras says for eager and `keras.Input` tensors."""
    del tensor
    return False


def are_all_symbolic_tensors(tensors) -> bool:
    """Whether every tensor of the list is symbolic (True for an empty list, as Keras 2)."""
    return all(is_symbolic_tensor(t) for t in tensors)


def is_tensor_or_variable(x) -> bool:
    """True for tensors and variables (a variable is a tensor in tork)."""
    return isinstance(x, torch.Tensor)


def is_ragged(tensor) -> bool:
    """True for a `tf.RaggedTensor`."""
    from tork._backend.ragged_tensor import RaggedTensor

    return isinstance(tensor, RaggedTensor)


def sync_to_numpy_or_python_type(tensors):
    """Tensors of a nest as NumPy arrays, or Python numbers for scalars; others unchanged.

    Example:
    >>> sync_to_numpy_or_python_type({"a": tf.constant(1.5), "b": [tf.constant([1, 2]), 3]})
    {'a': 1.5, 'b': [array([1, 2], dtype=int32), 3]}
    """

    def convert(value):
        if isinstance(value, torch.Tensor):
            value = value.numpy()
            return value.item() if np.ndim(value) == 0 else value
        return value

    if isinstance(tensors, torch.Tensor):
        return convert(tensors)
    if isinstance(tensors, dict):
        return {k: sync_to_numpy_or_python_type(v) for k, v in tensors.items()}
    if isinstance(tensors, (list, tuple)):
        items = [sync_to_numpy_or_python_type(v) for v in tensors]
        return items if isinstance(tensors, list) else type(tensors)(items)
    return tensors


def constant_value(pred):
    """The Python bool of `pred`, or None for a variable (its value may change).

    Args:
        pred: a bool, 0 or 1, a boolean tensor or a variable.

    Raises:
        TypeError: for anything else.
    """
    from tork.variables import Variable

    if isinstance(pred, Variable):
        return None
    if isinstance(pred, torch.Tensor):
        return np.bool_(bool(pred))
    if isinstance(pred, (bool, np.bool_)) or pred in (0, 1):
        return bool(pred)
    raise TypeError(
        "tf_utils.constant_value: `pred` must be a Tensor, or a Python bool, or 1 or 0. "
        f"Received: {type(pred)}"
    )


def smart_cond(pred, true_fn: Callable | None = None, false_fn: Callable | None = None, name=None):
    """Calls `true_fn()` or `false_fn()` by the value of `pred` (tork runs eagerly).

    Args:
        pred: a bool, 0 or 1, a boolean tensor or a variable.
        true_fn: called when `pred` is true.
        false_fn: called otherwise.
        name: unused.

    Returns:
        What the branch returns.
    """
    del name
    if not callable(true_fn) or not callable(false_fn):
        raise TypeError("tf_utils.smart_cond: `true_fn` and `false_fn` must be callables.")
    if isinstance(pred, torch.Tensor):
        return true_fn() if bool(pred) else false_fn()
    return true_fn() if constant_value(pred) else false_fn()


def maybe_init_scope():
    """`tf.init_scope()`: a context where no gradient tape records."""
    from tork.ops.scopes import init_scope

    return init_scope()
