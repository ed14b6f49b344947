"""`keras.layers.Reshape`: reshapes each sample to a target shape."""

from __future__ import annotations

import math
import operator

from tork.keras.layers._call_context import where
from tork.keras.layers.layer import Layer


class Reshape(Layer):
    """Reshapes each sample of the input to `target_shape` (the batch size is kept).

    Args:
        target_shape: the new shape without the batch size, a tuple of ints.
            One entry may be -1: it is inferred from the input's size.

    Example:
    >>> keras.layers.Reshape((3, 4))(tf.ones((2, 12))).shape
    torch.Size([2, 3, 4])
    >>> keras.layers.Reshape((-1, 2))(tf.ones((2, 12))).shape
    torch.Size([2, 6, 2])
    """

    # Reshape((1, 100)) of Input(batch_shape=(1, None)): the stand-in for the unknown size
    # cannot hold 100 values, while Keras trusts the target shape; compute_output_shape
    # gives the output in a functional model then (see node.py).
    _tork_declares_output_shape = True

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        if isinstance(target_shape, int):
            target_shape = (target_shape,)
        if hasattr(target_shape, "as_list"):
            target_shape = target_shape.as_list()
        try:
            if isinstance(target_shape, (str, bytes)):
                raise TypeError
            target_shape = tuple(-1 if d is None else operator.index(d) for d in target_shape)
        except TypeError:
            raise ValueError(
                f"Reshape(target_shape=...) must be a tuple of integers, got {target_shape!r}. "
                "Example: Reshape((4, 4, 3))."
            ) from None
        if target_shape.count(-1) > 1:
            raise ValueError(
                "Reshape(target_shape=...) may contain at most one unknown dimension (-1), "
                f"got target_shape={target_shape}."
            )
        if any(d == 0 or d < -1 for d in target_shape):
            raise ValueError(
                "Reshape(target_shape=...) entries must be positive integers (or one -1), "
                f"got target_shape={target_shape}."
            )
        self.target_shape = target_shape
        self._unknown_axis = target_shape.index(-1) if -1 in target_shape else None
        self._known_size = math.prod(d for d in target_shape if d != -1)

    def _resolve(self, input_shape) -> tuple:
        """The target shape for an input shape, with -1 filled in; errors if sizes do not fit."""
        rest = tuple(input_shape)[1:]
        if any(d is None for d in rest):
            return self.target_shape if self._unknown_axis is None else None
        size = math.prod(rest)
        if self._unknown_axis is None:
            if size == self._known_size:
                return self.target_shape
        elif size % self._known_size == 0:
            target = list(self.target_shape)
            target[self._unknown_axis] = size // self._known_size
            return tuple(target)
        if self._unknown_axis is None:
            why = f"the target holds {self._known_size} values per sample"
        else:
            why = f"that is not a multiple of {self._known_size}, the product of the known sizes"
        raise ValueError(
            f"{where(self)}: cannot reshape input of shape {_pretty(input_shape)} "
            f"({size} values per sample) to target_shape {self.target_shape}: {why}. The target "
            "shape excludes the batch size; its sizes must multiply to the input's per-sample "
            "size (use -1 for one size to infer it)."
        )

    def build(self, input_shape) -> None:
        # Fail at model construction, not at the first batch, when the sizes are known.
        self._resolve(input_shape)
        self.built = True

    def call(self, inputs):
        shape = inputs.shape
        if self._unknown_axis is None and math.prod(shape[1:]) == self._known_size:
            return inputs.reshape(shape[0], *self.target_shape)
        return inputs.reshape(shape[0], *self._resolve(shape))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        target = self._resolve(input_shape)
        if target is None:
            target = tuple(None if d == -1 else d for d in self.target_shape)
        return (input_shape[0], *target)

    def get_config(self) -> dict:
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config


def _pretty(shape) -> tuple:
    return tuple(None if d is None else int(d) for d in shape)
