"""`tf.nn.RNNCellDropoutWrapper`, `RNNCellResidualWrapper`, `RNNCellDeviceWrapper` (Keras 2).

Each wraps an RNN cell (e.g. `keras.layers.LSTMCell`) and is itself a cell, to run in
`keras.layers.RNN`: dropout on the step's inputs, outputs and states; the step's input
added to its output; or (on tork, a no-op) a device placement. They are Keras layers that
TF exports under `tf.nn` only, so they live with tf.nn (loaded on first use).
"""

from __future__ import annotations

import inspect
import numbers

import torch

from tork import nest
from tork._backend.errors import not_implemented
from tork._naming import unique_name
from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers.layer import Layer, _to_keras_shape
from tork.keras.layers.recurrent.rnn import _call_cell, deserialize_layer, serialize_layer


class _CellWrapper(Layer):
    """Base of the cell wrappers: forwards the cell API to `cell` and wraps each step."""

    _tork_base_name = "wrapper"

    def __init__(self, cell, **kwargs):
        if kwargs.get("name") is None:
            # Keras 2's names: dropout_wrapper, residual_wrapper, device_wrapper.
            kwargs["name"] = unique_name(self._tork_base_name)
        super().__init__(**kwargs)
        if not (hasattr(cell, "call") and hasattr(cell, "state_size")):
            raise ValueError(
                f"{type(self).__name__} wraps an RNN cell (e.g. keras.layers.LSTMCell(8)), "
                f"but received {type(cell).__name__} {cell!r}."
            )
        self.cell = cell

    @property
    def wrapped_cell(self):
        """The wrapped cell."""
        return self.cell

    @property
    def state_size(self):
        """The wrapped cell's `state_size`."""
        return self.cell.state_size

    @property
    def output_size(self):
        """The wrapped cell's `output_size`."""
        return getattr(self.cell, "output_size", None)

    def build(self, input_shape) -> None:
        if isinstance(self.cell, Layer) and not self.cell.built:
            # In the wrapper's name scope (`rnn/dropout_wrapper/kernel:0`), as Keras 2 builds
            # the wrapped cell by calling its build() directly.
            stack = CONTEXT.stack
            pushed = not stack or stack[-1] is not self
            if pushed:
                stack.append(self)
            try:
                self.cell._tork_build(_to_keras_shape(tuple(input_shape)), scoped=False)
            finally:
                if pushed:
                    stack.pop()
        self.built = True

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        """The wrapped cell's zero states."""
        return self.cell.get_initial_state(inputs=inputs, batch_size=batch_size, dtype=dtype)

    def call(self, inputs, states, training=None, **kwargs):
        if training is not None and _takes_training(self.cell):
            kwargs["training"] = training
        return self._tork_wrap_step(inputs, states, kwargs)

    def _tork_wrap_step(self, inputs, states, kwargs):
        raise NotImplementedError

    def get_config(self) -> dict:
        config = super().get_config()
        config["cell"] = serialize_layer(self.cell)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        config = dict(config)
        cell = deserialize_layer(config.pop("cell"), custom_objects)
        return cls(cell, **config)


def _takes_training(cell) -> bool:
    try:
        parameters = inspect.signature(cell.call).parameters
    except (TypeError, ValueError):
        return False
    return "training" in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )


class RNNCellDropoutWrapper(_CellWrapper):
    """Applies dropout to a cell's inputs, outputs and new states at every step.

    As in Keras 2, the dropout applies on every call, training or not (the keep
    probabilities say how much is kept; 1.0 turns a part off). Kept values are
    scaled by `1 / keep_prob`.

    Args:
        cell: the RNN cell to wrap.
        input_keep_prob: probability of keeping each input value.
        output_keep_prob: probability of keeping each output value.
        state_keep_prob: probability of keeping each value of the new states.
        variational_recurrent: one mask for all steps (not implemented in tork).
        input_size: used with `variational_recurrent` only.
        dtype: used with `variational_recurrent` only.
        seed: optional seed of the dropout masks.
        dropout_state_filter_visitor: not implemented in tork (all states get dropout).

    Example:
    >>> cell = tf.nn.RNNCellDropoutWrapper(keras.layers.LSTMCell(4), output_keep_prob=1.0)
    >>> keras.layers.RNN(cell)(tf.ones((2, 5, 3))).shape
    torch.Size([2, 4])
    """

    _tork_base_name = "dropout_wrapper"

    def __init__(
        self,
        cell,
        input_keep_prob=1.0,
        output_keep_prob=1.0,
        state_keep_prob=1.0,
        variational_recurrent: bool = False,
        input_size=None,
        dtype=None,
        seed: int | None = None,
        dropout_state_filter_visitor=None,
        **kwargs,
    ):
        if variational_recurrent:
            raise not_implemented("tf.nn.RNNCellDropoutWrapper(variational_recurrent=True)")
        if dropout_state_filter_visitor is not None:
            raise not_implemented("tf.nn.RNNCellDropoutWrapper(dropout_state_filter_visitor=...)")
        super().__init__(cell, **kwargs)
        for value, name in (
            (input_keep_prob, "input_keep_prob"),
            (state_keep_prob, "state_keep_prob"),
            (output_keep_prob, "output_keep_prob"),
        ):
            if isinstance(value, numbers.Real) and not 0.0 <= float(value) <= 1.0:
                raise ValueError(
                    f"RNNCellDropoutWrapper: Parameter {name} must be between 0 and 1: "
                    f"{value!r}. It is the probability of keeping a value (1 - rate)."
                )
        self._input_keep_prob = input_keep_prob
        self._output_keep_prob = output_keep_prob
        self._state_keep_prob = state_keep_prob
        self._variational_recurrent = False
        self._input_size = input_size
        self._seed = seed
        self._tork_generator = (
            torch.Generator().manual_seed(int(seed)) if seed is not None else None
        )

    def _tork_dropout(self, value, keep_prob):
        keep = float(keep_prob)
        if keep >= 1.0 or not isinstance(value, torch.Tensor) or not value.is_floating_point():
            return value
        if keep <= 0.0:
            return torch.zeros_like(value)
        noise = torch.rand(value.shape, generator=self._tork_generator)
        mask = (noise < keep).to(device=value.device, dtype=value.dtype)
        return value * mask / keep

    def _tork_wrap_step(self, inputs, states, kwargs):
        inputs = nest.map_structure(lambda v: self._tork_dropout(v, self._input_keep_prob), inputs)
        result = _call_cell(self.cell, inputs, states, kwargs)
        if not (isinstance(result, (list, tuple)) and len(result) == 2):
            raise ValueError(
                f"{where(self)}: the wrapped cell must return (output, new_states), got "
                f"{type(result).__name__}."
            )
        output, new_states = result
        new_states = nest.map_structure(
            lambda v: self._tork_dropout(v, self._state_keep_prob), new_states
        )
        output = nest.map_structure(lambda v: self._tork_dropout(v, self._output_keep_prob), output)
        return output, new_states

    def get_config(self) -> dict:
        return {**super().get_config(), **_dropout_config(self)}


def _dropout_config(wrapper) -> dict:
    """The dropout wrappers' own config entries (TF 2's and TF 1's `DropoutWrapper`)."""
    return {
        "input_keep_prob": wrapper._input_keep_prob,
        "output_keep_prob": wrapper._output_keep_prob,
        "state_keep_prob": wrapper._state_keep_prob,
        "variational_recurrent": wrapper._variational_recurrent,
        "input_size": wrapper._input_size,
        "seed": wrapper._seed,
    }


class RNNCellResidualWrapper(_CellWrapper):
    """Adds a cell's step input to its output: `output = residual_fn(inputs, output)`.

    Args:
        cell: the RNN cell to wrap; its output must have the input's shape.
        residual_fn: optional `fn(inputs, outputs)`; default `inputs + outputs`.
    """

    _tork_base_name = "residual_wrapper"

    def __init__(self, cell, residual_fn=None, **kwargs):
        super().__init__(cell, **kwargs)
        self._residual_fn = residual_fn

    def _tork_wrap_step(self, inputs, states, kwargs):
        outputs, new_states = _call_cell(self.cell, inputs, states, kwargs)
        if self._residual_fn is not None:
            return self._residual_fn(inputs, outputs), new_states

        def add(inp, out):
            if tuple(inp.shape) != tuple(out.shape):
                raise ValueError(
                    f"{where(self)}: the cell's input {tuple(inp.shape)} and output "
                    f"{tuple(out.shape)} must have the same shape to be added. Give the cell "
                    "as many units as input features, or pass residual_fn=."
                )
            return inp + out

        return nest.map_structure(add, inputs, outputs), new_states

    def get_config(self) -> dict:
        if self._residual_fn is not None:
            raise not_implemented("get_config() of an RNNCellResidualWrapper with residual_fn")
        return super().get_config()


class RNNCellDeviceWrapper(_CellWrapper):
    """Runs a cell on a device (Keras 2). tork runs it where its inputs are.

    Args:
        cell: the RNN cell to wrap.
        device: the device name (kept in the config).
    """

    _tork_base_name = "device_wrapper"

    def __init__(self, cell, device, **kwargs):
        super().__init__(cell, **kwargs)
        self._device = device

    def _tork_wrap_step(self, inputs, states, kwargs):
        return _call_cell(self.cell, inputs, states, kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        config["device"] = self._device
        return config
