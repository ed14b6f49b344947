"""`tf.compat.v1.data`: TF 1's readers of a dataset's element structure, and its iterator.

TensorFlow 2 dropped `dataset.output_shapes`/`output_types`/`output_classes` and
`dataset.make_one_shot_iterator()`; these functions are what TF 2 keeps for them.
"""

from __future__ import annotations

from tork import nest
from tork.compat.v1 import _v2_names


def _specs(dataset):
    spec = getattr(dataset, "element_spec", None)
    if spec is None:
        raise TypeError(
            f"tf.compat.v1.data: expected a tf.data.Dataset, got {type(dataset).__name__}."
        )
    return spec


def get_output_shapes(dataset):
    """The shapes of a dataset's elements: `dataset.element_spec`'s shapes.

    Args:
        dataset: a `tf.data.Dataset`.

    Returns:
        A `TensorShape`, or a structure of them matching the elements.

    Example:
    >>> tf.compat.v1.data.get_output_shapes(tf.data.Dataset.from_tensor_slices([[1, 2]]))
    TensorShape([2])
    """
    return nest.map_structure(lambda spec: spec.shape, _specs(dataset))


def get_output_types(dataset):
    """The dtypes of a dataset's elements: `dataset.element_spec`'s dtypes.

    Args:
        dataset: a `tf.data.Dataset`.

    Returns:
        A dtype, or a structure of them matching the elements.

    Example:
    >>> tf.compat.v1.data.get_output_types(tf.data.Dataset.range(3))
    tf.int64
    """
    return nest.map_structure(lambda spec: spec.dtype, _specs(dataset))


def get_output_classes(dataset):
    """The Python classes of a dataset's elements (`torch.Tensor`, `tf.RaggedTensor`...).

    Args:
        dataset: a `tf.data.Dataset`.

    Returns:
        A class, or a structure of them matching the elements.

    Example:
    >>> tf.compat.v1.data.get_output_classes(tf.data.Dataset.range(3))
    <class 'torch.Tensor'>
    """
    return nest.map_structure(lambda spec: spec.value_type, _specs(dataset))


def make_one_shot_iterator(dataset):
    """An iterator over `dataset`: `iter(dataset)`, with TF 1's `get_next()`.

    Args:
        dataset: a `tf.data.Dataset`.

    Returns:
        An iterator; `next(it)` or `it.get_next()` gives the next element.

    Example:
    >>> it = tf.compat.v1.data.make_one_shot_iterator(tf.data.Dataset.range(3))
    >>> int(it.get_next())
    0
    """
    _specs(dataset)
    return iter(dataset)


__all__ = ["get_output_classes", "get_output_shapes", "get_output_types", "make_one_shot_iterator"]


def _no_attribute(name: str):
    raise AttributeError(f"module 'tf.compat.v1.data' has no attribute '{name}'")


# `tf.compat.v1.data.Dataset`, `AUTOTUNE`, `experimental`: TF 2's tf.data.
__getattr__ = _v2_names.fallback_getattr(globals(), "tork.data", _no_attribute)
