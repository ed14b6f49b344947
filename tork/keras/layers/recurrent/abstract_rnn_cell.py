"""`keras.layers.AbstractRNNCell` (Keras 2): the base class of user-written RNN cells."""

from __future__ import annotations

import torch

from tork._backend.device import current_device
from tork._backend.dtypes import as_dtype
from tork.keras.layers.layer import Layer


class _UndefinedCellAttribute(NotImplementedError, AttributeError):
    """A cell attribute the subclass must define.

    A NotImplementedError, as in Keras 2, and an AttributeError, so that
    `getattr(cell, "output_size", None)` falls back (the RNN layer then uses the
    first state size as the output size).
    """


def _missing(cell, name: str, example: str) -> _UndefinedCellAttribute:
    return _UndefinedCellAttribute(
        f"{type(cell).__name__} (an AbstractRNNCell) must define the `{name}` property, "
        f"e.g. `{example}`."
    )


def _state_shapes(state_size) -> list:
    """The per-state shapes (without batch) of a `state_size`, and whether it is a list."""
    if isinstance(state_size, (list, tuple)) and not hasattr(state_size, "as_list"):
        return [_state_shapes(s)[0][0] for s in state_size], True
    if hasattr(state_size, "as_list"):
        return [tuple(state_size.as_list())], False
    if isinstance(state_size, torch.Size):
        return [tuple(state_size)], False
    return [(int(state_size),)], False


class AbstractRNNCell(Layer):
    """Abstract base class of RNN cells, for use in `keras.layers.RNN`.

    A subclass defines the `state_size` property (an int, a shape, or a list
    of them for several states), optionally `output_size` (default: the
    first state's size, as the RNN layer reads it), and
    `call(inputs, states)`, which returns `(output, new_states)` for one time
    step.

    Example:
    >>> class MinimalRNNCell(keras.layers.AbstractRNNCell):
    ...     def __init__(self, units, **kwargs):
    ...         self.units = units
    ...         super().__init__(**kwargs)
    ...     @property
    ...     def state_size(self):
    ...         return self.units
    ...     def build(self, input_shape):
    ...         self.kernel = self.add_weight(
    ...             shape=(input_shape[-1], self.units), name="kernel")
    ...         self.built = True
    ...     def call(self, inputs, states):
    ...         output = tf.matmul(inputs, self.kernel) + states[0]
    ...         return output, [output]
    >>> keras.layers.RNN(MinimalRNNCell(4))(tf.ones((2, 5, 3))).shape
    torch.Size([2, 4])
    """

    def call(self, inputs, states):
        """One time step: returns `(output, new_states)`; subclasses implement it.

        Args:
            inputs: the inputs of the step, `(batch, features)`.
            states: the list of state tensors of the previous step.
        """
        raise NotImplementedError(
            f"{type(self).__name__} (an AbstractRNNCell) must implement "
            "call(self, inputs, states), returning (output, new_states)."
        )

    # Keras 2 declares both as abstract properties. A plain attribute set in __init__
    # (`self.state_size = units`) is accepted too.
    @property
    def state_size(self):
        """The size of the state(s): an int, a shape, or a list of them."""
        if "_tork_state_size" in self.__dict__:
            return self.__dict__["_tork_state_size"]
        raise _missing(self, "state_size", "return self.units")

    @state_size.setter
    def state_size(self, value) -> None:
        self.__dict__["_tork_state_size"] = value

    @property
    def output_size(self):
        """The size of the output of a step: an int or a shape."""
        if "_tork_output_size" in self.__dict__:
            return self.__dict__["_tork_output_size"]
        raise _missing(self, "output_size", "return self.units")

    @output_size.setter
    def output_size(self, value) -> None:
        self.__dict__["_tork_output_size"] = value

    def __getattr__(self, name):
        # A property raising AttributeError falls back to __getattr__ (torch's, which would
        # replace the message): keep the cell's own.
        if name in ("state_size", "output_size"):
            raise _missing(self, name, "return self.units")
        return super().__getattr__(name)

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        """Zero states: one tensor, or a list of tensors when `state_size` is a list.

        Args:
            inputs: optional inputs, whose batch size and dtype are used.
            batch_size: the batch size, when `inputs` is not given.
            dtype: the dtype of the states.

        Returns:
            A `(batch_size, *size)` tensor of zeros per state.
        """
        device = current_device()
        if inputs is not None:
            inputs = torch.as_tensor(inputs)
            batch_size = inputs.shape[0]
            dtype = inputs.dtype
            device = inputs.device
        dtype = as_dtype(dtype) if dtype is not None else torch.float32
        shapes, several = _state_shapes(self.state_size)
        states = [torch.zeros((batch_size, *shape), dtype=dtype, device=device) for shape in shapes]
        return states if several else states[0]


__all__ = ["AbstractRNNCell"]
