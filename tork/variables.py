"""`tf.Variable`: a `torch.nn.Parameter` with TensorFlow's variable API."""

from __future__ import annotations

import copy
import itertools

import numpy as np
import torch

from tork._backend.device import current_device
from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.tensor import convert_to_tensor, to_numpy

_unnamed = itertools.count()


def _rebuild_variable(data, trainable, state):
    var = Variable(data, trainable)
    var.__dict__.update(state)
    return var


class Variable(torch.nn.Parameter):
    """A mutable tensor, as `tf.Variable`; it is a `torch.nn.Parameter`.

    Any torch op accepts it and returns a plain `torch.Tensor`. `assign`,
    `assign_add` and `assign_sub` update it in place without autograd history.
    Non-trainable variables do not require grad, so torch optimizers and
    `model.parameters()` treat them as Keras does.

    Args:
        initial_value: a tensor, array, Python value, or a zero-argument
            callable returning one.
        trainable: whether gradients flow to it and optimizers update it.
        name: the variable's name; `.name` adds TensorFlow's `:0` suffix.
        dtype: optional dtype; the initial value is cast to it.
        constraint: optional callable applied by optimizers after each update.

    Example:
    >>> v = tf.Variable(1.0)
    >>> v.assign_add(2.0).numpy()
    array(3., dtype=float32)
    """

    def __new__(
        cls,
        initial_value=None,
        trainable=True,
        name=None,
        dtype=None,
        constraint=None,
        **kwargs,
    ):
        if initial_value is None:
            raise ValueError("tf.Variable needs an initial_value.")
        if callable(initial_value) and not isinstance(initial_value, torch.Tensor):
            initial_value = initial_value()
        value = convert_to_tensor(initial_value, dtype=dtype)
        if not isinstance(initial_value, torch.Tensor):
            value = value.to(current_device())
        value = value.detach().clone()
        trainable = bool(trainable) if trainable is not None else True
        if trainable and not (value.is_floating_point() or value.is_complex()):
            # Integer variables (counters, step numbers) cannot carry gradients.
            trainable_grad = False
        else:
            trainable_grad = trainable
        self = torch.Tensor._make_subclass(cls, value, trainable_grad)
        self._trainable = trainable
        return self

    def __init__(
        self,
        initial_value=None,
        trainable=True,
        name=None,
        dtype=None,
        constraint=None,
        **kwargs,
    ):
        # aggregation, synchronization, shape, validate_shape... are accepted and unused.
        self._var_name = name if name is not None else f"Variable_{next(_unnamed)}"
        self._path = self._var_name
        self.constraint = constraint

    # -- naming ---------------------------------------------------------------
    @property
    def name(self) -> str:
        """The TensorFlow-style name, e.g. `'dense/kernel:0'`."""
        return f"{self._path}:0"

    @name.setter
    def name(self, value: str) -> None:
        self._var_name = value
        self._path = value

    @property
    def path(self) -> str:
        """The full path without `:0`, as Keras 3's `Variable.path`."""
        return self._path

    # -- trainability -----------------------------------------------------------
    @property
    def trainable(self) -> bool:
        """Whether optimizers update this variable and tapes watch it."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        if self.is_floating_point() or self.is_complex():
            self.requires_grad_(self._trainable)

    # -- value access -----------------------------------------------------------
    def numpy(self, *, force: bool = False) -> np.ndarray:
        """Returns a NumPy copy of the value."""
        return to_numpy(self, copy=True)

    def __float__(self) -> float:
        return float(self.detach())

    def __int__(self) -> int:
        return int(self.detach())

    def read_value(self) -> torch.Tensor:
        """Returns the current value as a tensor (gradients flow to the variable)."""
        return self.clone()

    def value(self) -> torch.Tensor:
        """Returns the current value as a tensor (gradients flow to the variable)."""
        return self.clone()

    def _as_value(self, value) -> torch.Tensor:
        value = convert_to_tensor(value)
        if value.device != self.device or value.dtype != self.dtype:
            value = value.to(device=self.device, dtype=self.dtype)
        if value.shape != self.shape:
            try:
                value = value.expand(self.shape)
            except RuntimeError:
                raise ValueError(
                    f"Cannot assign a value of shape {tuple(value.shape)} to variable "
                    f"'{self._path}' of shape {tuple(self.shape)}."
                ) from None
        return value

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Sets the variable to `value` in place (no gradient flows through).

        Args:
            value: a tensor or array of the variable's shape.
            read_value: if False, return None instead of the variable.

        Returns:
            The variable (None with `read_value=False`).
        """
        with torch.no_grad():
            self.copy_(self._as_value(value))
        # As TensorFlow: read_value=False returns nothing (the update op, in graphs).
        return self if read_value else None

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        """Adds `delta` to the variable in place.

        Returns:
            The variable (None with `read_value=False`).
        """
        with torch.no_grad():
            self.add_(self._as_value(delta))
        # As TensorFlow: read_value=False returns nothing (the update op, in graphs).
        return self if read_value else None

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        """Subtracts `delta` from the variable in place.

        Returns:
            The variable (None with `read_value=False`).
        """
        with torch.no_grad():
            self.sub_(self._as_value(delta))
        # As TensorFlow: read_value=False returns nothing (the update op, in graphs).
        return self if read_value else None

    def get_shape(self):
        """Returns the shape as a `TensorShape`."""
        from tork._backend.tensor_shape import TensorShape

        return TensorShape(tuple(self.shape))

    # -- copying ------------------------------------------------------------------
    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self).__new__(type(self), self.data.clone(), self._trainable)
        result.__dict__.update(copy.deepcopy(self.__dict__, memo))
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, protocol):
        return (_rebuild_variable, (self.data, self._trainable, dict(self.__dict__)))

    def __repr__(self) -> str:
        # TensorFlow's text: a scalar as NumPy prints it, an array as its NumPy repr
        # (on a new line when it spans several).
        array = self.numpy()
        if array.ndim == 0:
            value = str(array.item())
        else:
            value = repr(array)
            if "\n" in value:
                value = "\n" + value
        return (
            f"<tf.Variable '{self.name}' shape={tuple(self.shape)} "
            f"dtype={dtype_name(self.dtype)}, numpy={value}>"
        )

    __str__ = __repr__


def is_variable(value) -> bool:
    """True when `value` is a tork `Variable`."""
    return isinstance(value, Variable)


__all__ = ["Variable", "as_dtype", "is_variable"]
