"""`keras.layers.Bidirectional`: runs a recurrent layer forwards and backwards and merges."""

from __future__ import annotations

import copy
import inspect

import torch

from tork._backend import ragged_tensor
from tork._backend.ragged_tensor import RaggedTensor
from tork.keras.layers._call_context import where
from tork.keras.layers.core.wrapper import Wrapper, _unbuilt
from tork.keras.layers.layer import Layer
from tork.keras.layers.recurrent.rnn import (
    RNN,
    build_sublayer,
    deserialize_layer,
    serialize_layer,
)

_MERGE_MODES = ("concat", "sum", "mul", "ave", None)


def _strip(name: str, prefix: str) -> str:
    return name[len(prefix) :] if name.startswith(prefix) else name


def _clone(layer, name: str, go_backwards: bool):
    try:
        if isinstance(layer, RNN):
            return layer._tork_clone(name, go_backwards)
        config = layer.get_config()
        config["name"] = name
        # A wrapper of an RNN (cond_rnn's ConditionalRecurrent) has no `go_backwards` in
        # its config, only a read-only property: Keras 2 copies the config as it is when
        # the direction stays the same.
        if "go_backwards" in config or go_backwards != layer.go_backwards:
            config["go_backwards"] = go_backwards
        return type(layer).from_config(config)
    except (ValueError, TypeError, NotImplementedError):
        if layer.built:
            raise
    # Configs holding custom objects (e.g. an activation function) may not round-trip;
    # an _unbuilt layer holds no weights yet, so a deep copy is an equally fresh layer.
    clone = copy.deepcopy(layer)
    clone._name = name
    if clone.go_backwards != go_backwards:
        clone.go_backwards = go_backwards
    return clone


def _call_arguments(layer) -> tuple:
    # The parameter names of `layer.call`: a subclass of RNN may override call() with fewer
    # (Keras 2 then passes only those); **kwargs takes everything.
    parameters = inspect.signature(layer.call).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return ("inputs", "mask", "training", "initial_state", "constants")
    return tuple(parameters)


class Bidirectional(Wrapper):
    """Bidirectional wrapper for RNNs: one copy reads the sequence forwards, one backwards.

    The forward layer is named `forward_<name>` and the backward one
    `backward_<name>`; both are fresh copies of `layer` (built from its
    config). The backward output sequence is re-reversed to the input's time
    order before merging. With masks and `return_sequences`, masked steps
    output zeros in both directions.

    Args:
        layer: a recurrent layer (`LSTM`, `GRU`, `SimpleRNN` or `RNN`).
        merge_mode: how to combine the two outputs: `'concat'` (default, forward
            first), `'sum'`, `'mul'`, `'ave'`, or None to return `[forward, backward]`.
        weights: optional initial weights (forward layer's, then backward layer's).
        backward_layer: optional recurrent layer to use for the backward direction;
            it must have `go_backwards` opposite to `layer`.

    Call arguments:
        inputs: a `(batch, timesteps, features)` tensor.
        initial_state: optional list: the forward layer's states, then the backward's.
        mask: optional boolean `(batch, timesteps)` tensor.
        training: whether dropout is active.

    Returns:
        The merged output; with `return_state`, `[output, *forward_states,
        *backward_states]`.

    Example:
    >>> bi = keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True))
    >>> bi(tf.ones((2, 5, 3))).shape
    torch.Size([2, 5, 8])
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if (
            not isinstance(layer, Layer)
            or not hasattr(layer, "go_backwards")
            or not hasattr(layer, "return_sequences")
        ):
            described = (
                f"{type(layer).__name__} layer '{layer.name}'"
                if isinstance(layer, Layer)
                else f"{type(layer).__name__} {layer!r}"
            )
            raise ValueError(
                f"Bidirectional wraps a recurrent layer (LSTM, GRU, SimpleRNN or RNN), but "
                f"received {described}. Pass a recurrent layer, e.g. "
                "keras.layers.Bidirectional(keras.layers.LSTM(64)); to apply a layer to every "
                "time step use keras.layers.TimeDistributed instead."
            )
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f"Invalid merge_mode {merge_mode!r} for Bidirectional. Valid modes: 'concat', "
                "'sum', 'mul', 'ave' or None."
            )
        # Not Wrapper.__init__: `self.layer` is the layer given, kept untracked (as Keras 2
        # does): its copies `forward_layer` and `backward_layer` hold the weights.
        num_constants = kwargs.pop("num_constants", 0)
        Layer.__init__(self, **kwargs)
        self.__dict__["layer"] = layer
        self.__dict__["_tork_layer_config"] = serialize_layer(layer)
        base = _strip(layer.name, "forward_")
        self.forward_layer = _clone(layer, "forward_" + base, layer.go_backwards)
        if backward_layer is None:
            self.backward_layer = _clone(layer, "backward_" + base, not layer.go_backwards)
            self._tork_custom_backward = False
        else:
            self._check_backward(layer, backward_layer)
            # Keras 2 saves the backward layer's config as given, before the renaming.
            self.__dict__["_tork_backward_config"] = serialize_layer(backward_layer)
            backward_layer._name = "backward_" + _strip(backward_layer.name, "backward_")
            self.backward_layer = backward_layer
            self._tork_custom_backward = True
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.stateful = getattr(layer, "stateful", False)
        # Written by get_config when the layer was called with constants (Keras 2).
        self._num_constants = int(num_constants or 0)
        self.__dict__["_tork_initial_weights"] = weights
        self.supports_masking = True
        # Masked steps must give zeros in both directions once sequences are merged.
        for sub in (self.forward_layer, self.backward_layer):
            if hasattr(sub, "zero_output_for_mask"):
                sub.zero_output_for_mask = sub.return_sequences

    def _check_backward(self, layer, backward) -> None:
        if not isinstance(backward, Layer) or not hasattr(backward, "go_backwards"):
            raise ValueError(
                f"Bidirectional(backward_layer=...) must be a recurrent layer, got "
                f"{type(backward).__name__}."
            )
        problems = []
        # Keras 2's phrases first, then what to do.
        if backward.go_backwards == layer.go_backwards:
            problems.append(
                f"Forward layer {layer.name} and backward layer {backward.name} should have "
                f"different `go_backwards` value. Both are {layer.go_backwards}: create the "
                f"backward layer with go_backwards={not layer.go_backwards}"
            )
        for attr in ("return_sequences", "return_state", "stateful"):
            if getattr(backward, attr, False) != getattr(layer, attr, False):
                problems.append(
                    f"Forward layer and backward layer are expected to have the same value for "
                    f'attribute "{attr}" (forward {getattr(layer, attr, False)}, backward '
                    f"{getattr(backward, attr, False)})"
                )
        if problems:
            raise ValueError(
                "Bidirectional: the backward_layer does not match the forward layer: "
                + "; ".join(problems)
                + "."
            )

    @property
    def stateful(self) -> bool:
        """Whether the wrapped layers are stateful."""
        return self.__dict__.get("_tork_stateful", False)

    @stateful.setter
    def stateful(self, value: bool) -> None:
        self.__dict__["_tork_stateful"] = bool(value)

    def build(self, input_shape) -> None:
        for sub in (self.forward_layer, self.backward_layer):
            if not sub.built:
                build_sublayer(self, sub, input_shape)
        self.built = True
        if self._tork_initial_weights is not None:
            weights = self._tork_initial_weights
            self.__dict__["_tork_initial_weights"] = None
            self.set_weights(weights)

    def _tork_time_axis(self) -> int:
        return 0 if getattr(self.forward_layer, "time_major", False) else 1

    def call(self, inputs, initial_state=None, mask=None, training=None, constants=None):
        # Keras 2 passes the wrapped layers only the arguments their call() names. A
        # user wrapper around an RNN without `initial_state` (cond_rnn's
        # ConditionalRecurrent takes `[x, condition]`) gets the inputs as they are.
        arguments = _call_arguments(self.forward_layer)
        if "initial_state" not in arguments:
            if initial_state is not None:
                raise ValueError(
                    f"{where(self)}: initial_state was given, but the wrapped layer "
                    f"{type(self.forward_layer).__name__} '{self.forward_layer.name}' takes no "
                    "initial_state argument in call(). Pass the states as its call() expects."
                )
            kwargs = {"training": training, "mask": mask}
            kwargs = {k: v for k, v in kwargs.items() if k in arguments}
            y = self.forward_layer(inputs, **kwargs)
            y_rev = self.backward_layer(inputs, **kwargs)
            return self._merge(y, y_rev)
        if isinstance(inputs, (list, tuple)):
            inputs = list(inputs)
            if constants is None and self._num_constants and initial_state is None:
                # [x, *states, *constants]: a layer restored from a config (Keras 2).
                constants = inputs[-self._num_constants :]
                inputs = inputs[: -self._num_constants]
            if initial_state is None and len(inputs) > 1:
                initial_state = list(inputs[1:])
            inputs = inputs[0]
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        extra = {}
        if constants is not None:
            # Both directions see the same constants (Keras 2).
            constants = list(constants) if isinstance(constants, (list, tuple)) else [constants]
            self._num_constants = len(constants)
            extra["constants"] = constants
        forward_state = backward_state = None
        if initial_state is not None:
            states = (
                [initial_state] if isinstance(initial_state, torch.Tensor) else list(initial_state)
            )
            if len(states) % 2:
                raise ValueError(
                    f"{where(self)}: initial_state must hold the forward layer's states then the "
                    f"backward layer's (an even number of tensors), but got {len(states)}."
                )
            half = len(states) // 2
            forward_state, backward_state = states[:half], states[half:]
        y = self.forward_layer(
            inputs, initial_state=forward_state, mask=mask, training=training, **extra
        )
        y_rev = self.backward_layer(
            inputs, initial_state=backward_state, mask=mask, training=training, **extra
        )
        return self._merge(y, y_rev)

    def _merge(self, y, y_rev):
        if self.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        ragged = isinstance(y, RaggedTensor)  # ragged inputs give ragged sequences
        if self.return_sequences:
            y_rev = (
                ragged_tensor.reverse(y_rev, [1]) if ragged else y_rev.flip(self._tork_time_axis())
            )
        if self.merge_mode == "concat":
            if ragged:
                output = y.with_flat_values(torch.cat([y.flat_values, y_rev.flat_values], dim=-1))
            else:
                output = torch.cat([y, y_rev], dim=-1)
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) / 2
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            output = [y, y_rev]
        if self.return_state:
            if self.merge_mode is None:
                return output + states
            return [output, *states]
        return output

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        masks = [output_mask, output_mask] if self.merge_mode is None else [output_mask]
        if self.return_state:
            count = len(self.forward_layer._tork_state_shapes()) * 2
            return masks + [None] * count
        return masks if self.merge_mode is None else output_mask

    def compute_output_shape(self, input_shape):
        shape = self.forward_layer.compute_output_shape(input_shape)
        states = []
        if self.return_state:
            states = list(shape[1:]) * 2
            shape = shape[0]
        shape = tuple(shape)
        if self.merge_mode == "concat":
            shape = shape[:-1] + (shape[-1] * 2,)
        outputs = [shape, shape] if self.merge_mode is None else [shape]
        if self.return_state:
            return outputs + [tuple(s) for s in states]
        return outputs if self.merge_mode is None else shape

    def reset_states(self, states=None) -> None:
        """Resets the states of both (stateful) directions."""
        if states is None:
            self.forward_layer.reset_states()
            self.backward_layer.reset_states()
            return
        half = len(states) // 2
        self.forward_layer.reset_states(states[:half])
        self.backward_layer.reset_states(states[half:])

    reset_state = reset_states

    def get_config(self) -> dict:
        config = Layer.get_config(self)
        config["layer"] = self._tork_layer_config
        config["merge_mode"] = self.merge_mode
        if self._tork_custom_backward:
            config["backward_layer"] = self.__dict__.get(
                "_tork_backward_config"
            ) or serialize_layer(self.backward_layer)
        if self._num_constants:
            config["num_constants"] = self._num_constants
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        config = dict(config)
        layer = deserialize_layer(_unbuilt(config.pop("layer")), custom_objects)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            backward = deserialize_layer(_unbuilt(backward), custom_objects)
        return cls(layer, backward_layer=backward, **config)
