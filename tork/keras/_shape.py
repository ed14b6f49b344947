"""`KerasShape`: the shape tuple Keras code receives, with Keras 2's `TensorShape` methods."""

from __future__ import annotations

from tork._backend.shape_methods import SHAPE_METHODS


class KerasShape(tuple):
    """A shape tuple (Keras 3) that also answers Keras 2's `TensorShape` methods.

    `build(input_shape)` receives one, and so does `KerasTensor.shape`, so that both
    `input_shape[-1]` and `input_shape.as_list()` work. Slices stay `KerasShape`s.

    Example:
    >>> shape = KerasShape((None, 8))
    >>> shape, shape.as_list(), shape.rank, shape[1:]
    ((None, 8), [None, 8], 2, (8,))
    """

    # `isinstance(input_shape, tf.TensorShape)` holds for it, as for the TensorShape that
    # Keras 2 passes to `build` (see tork/_backend/tensor_shape.py).
    _tork_tensor_shape = True

    @property
    def _dims(self) -> tuple:
        return tuple(self)

    def __getitem__(self, key):
        result = super().__getitem__(key)
        return KerasShape(result) if isinstance(key, slice) else result

    # Keras 2's TensorShape concatenates with lists too: benchmark and export scripts build
    # `[batch_size] + model.inputs[0].shape[1:]`, which a plain tuple refuses.
    def __add__(self, other):
        if isinstance(other, (list, tuple)):
            return KerasShape(tuple(self) + tuple(other))
        return NotImplemented

    def __radd__(self, other):
        if isinstance(other, (list, tuple)):
            return KerasShape(tuple(other) + tuple(self))
        return NotImplemented


for _name, _method in SHAPE_METHODS.items():
    setattr(KerasShape, _name, _method)
