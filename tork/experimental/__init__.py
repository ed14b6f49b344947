"""`tf.experimental`: the experimental names user code reaches for.

`tf.experimental.numpy` (NumPy's API on tensors), `DynamicRaggedShape` (what
`tf.shape` gives for a RaggedTensor), `Optional` (a value that may be missing, as
`iterator.get_next_as_optional()` returns) and `async_scope`.
"""

from __future__ import annotations

import contextlib
import importlib

from tork._backend.errors import module_getattr as _module_getattr
from tork._backend.ragged_shape import DynamicRaggedShape
from tork.data.dataset import _MISSING, IteratorOptional


class _OptionalMeta(type):
    # Optionals that `get_next_as_optional` returns are tf.experimental.Optional too.
    def __instancecheck__(cls, instance) -> bool:
        return isinstance(instance, IteratorOptional)


class Optional(IteratorOptional, metaclass=_OptionalMeta):
    """A value that may be missing, as `tf.experimental.Optional`.

    Build one with `Optional.from_value(value)` or `Optional.empty(element_spec)`;
    `has_value()` says whether it holds one and `get_value()` returns it.

    Example:
    >>> opt = tf.experimental.Optional.from_value(tf.constant(3))
    >>> bool(opt.has_value()), int(opt.get_value())
    (True, 3)
    """

    @staticmethod
    def from_value(value) -> Optional:
        """An optional holding `value` (a tensor or a structure of tensors)."""
        import torch

        from tork import nest
        from tork._backend import string_tensor
        from tork._backend.tensor import convert_to_tensor
        from tork.data import _composite
        from tork.data._spec import spec_of

        def as_tensor(v):
            # Python numbers and NumPy arrays become tensors, as TF's (5: an int32 scalar).
            kept = (torch.Tensor, string_tensor.StringTensor)
            return v if isinstance(v, kept) or _composite.is_composite(v) else convert_to_tensor(v)

        value = nest.map_structure(as_tensor, value)
        return Optional(value, spec_of(value))

    @staticmethod
    def empty(element_spec) -> Optional:
        """An optional holding nothing, for elements of `element_spec`."""
        return Optional(_MISSING, element_spec)


@contextlib.contextmanager
def async_scope():
    """TensorFlow's scope for asynchronous remote execution; tork runs ops synchronously.

    Example:
    >>> with tf.experimental.async_scope():
    ...     x = tf.constant(1.0) + 1.0
    """
    yield


def async_clear_error() -> None:
    """Clears errors of asynchronous execution: there are none in tork."""


_SUBMODULES = {"numpy": "tork.experimental.numpy"}


def __getattr__(name):
    # `tf.experimental.numpy` is imported on first use: it loads keras.ops.
    module = _SUBMODULES.get(name)
    if module is not None:
        return importlib.import_module(module)
    return _module_getattr("tf.experimental")(name)


__all__ = ["DynamicRaggedShape", "Optional", "async_clear_error", "async_scope"]
