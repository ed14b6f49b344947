"""`keras.Sequential`: a plain stack of layers, each with one input and one output."""

from __future__ import annotations

import torch

from tork import _tracking
from tork._backend import string_tensor
from tork._backend.string_tensor import StringTensor
from tork._naming import unique_name
from tork.keras.layers.layer import Layer, _to_keras_shape
from tork.keras.models.functional.functional import adjust_input_rank
from tork.keras.models.functional.input_layer import InputLayer
from tork.keras.models.functional.keras_tensor import KerasTensor
from tork.keras.models.model import Model
from tork.keras.trainers.trainer import Trainer


class Sequential(Model):
    """A linear stack of layers.

    The model builds as soon as the input shape is known: from a `keras.Input`
    first, an `input_shape=` on the first layer, `build(input_shape)`, or the
    first call on data (deferred build).

    Args:
        layers: optional list of layers to add.
        name: the model's name (default `sequential`, `sequential_1`...).

    Example:
    >>> model = keras.Sequential([
    ...     keras.layers.Dense(8, activation="relu", input_shape=(4,)),
    ...     keras.layers.Dense(1),
    ... ])
    >>> model(tf.ones((2, 4))).shape
    torch.Size([2, 1])
    """

    def __init__(self, layers=None, name=None, trainable=True, **kwargs):
        kwargs.pop("dtype", None)
        Layer.__init__(self, trainable=trainable, name=name or unique_name("sequential"), **kwargs)
        Trainer.__init__(self)
        self.__dict__["_tork_seq_layers"] = []
        self.__dict__["_tork_input_layer"] = None
        self._tork_resync()
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._tork_build_if_shape_known()

    def _tork_resync(self) -> None:
        self._modules["layers"] = _tracking._Container(self.__dict__["_tork_seq_layers"])

    @property
    def layers(self) -> list:
        """The model's layers (without the InputLayer, as in Keras)."""
        return list(self.__dict__["_tork_seq_layers"])

    @layers.setter
    def layers(self, value) -> None:
        raise AttributeError("Use Sequential.add() and pop() to change a Sequential's layers.")

    def add(self, layer, rebuild: bool = True) -> None:
        """Adds a layer on top of the stack.

        Args:
            layer: a Layer instance, or a `keras.Input` tensor to fix the input shape.
        """
        if isinstance(layer, KerasTensor):
            node = layer._tork_node
            layer = node.operation if node is not None else None
        if isinstance(layer, InputLayer):
            if self.__dict__["_tork_seq_layers"]:
                raise ValueError(
                    "An InputLayer (keras.Input) can only be the first layer of a Sequential."
                )
            self.__dict__["_tork_input_layer"] = layer
            if rebuild:
                self._tork_build_if_shape_known()
            return
        if not isinstance(layer, Layer):
            hint = (
                " It looks like a layer class: instantiate it, e.g. Dense(10)."
                if isinstance(layer, type)
                else ""
            )
            raise TypeError(
                f"Sequential.add expects a keras layer instance, got {layer!r} "
                f"({type(layer).__name__}).{hint}"
            )
        names = {existing.name for existing in self.__dict__["_tork_seq_layers"]}
        if layer.name in names:
            raise ValueError(
                f"All layers added to a Sequential model should have unique names. Name "
                f"'{layer.name}' is already the name of a layer in this model. Update the `name` "
                "argument to pass a unique name."
            )
        self.__dict__["_tork_seq_layers"].append(layer)
        self._tork_resync()
        if rebuild:
            self._tork_build_if_shape_known()

    def pop(self, rebuild: bool = True):
        """Removes and returns the last layer."""
        layers = self.__dict__["_tork_seq_layers"]
        if not layers:
            raise TypeError("There are no layers in the model.")
        layer = layers.pop()
        self._tork_resync()
        self.__dict__["built"] = False
        self._build_shapes = None
        if rebuild:
            self._tork_build_if_shape_known()
        return layer

    def _tork_known_input_shape(self):
        input_layer = self.__dict__["_tork_input_layer"]
        if input_layer is not None:
            return input_layer.batch_shape
        layers = self.__dict__["_tork_seq_layers"]
        if not layers:
            return None
        first = layers[0]
        if first._batch_input_shape is not None:
            return first._batch_input_shape
        # A nested model (e.g. a data-augmentation Sequential) knows its own input (Keras 2
        # looks through nested models for the first layer's input shape).
        if isinstance(first, Sequential):
            return first._tork_known_input_shape()
        flat = first.__dict__.get("_tork_flat_inputs")
        if flat is not None and len(flat) == 1:
            return flat[0].shape
        return None

    def _tork_build_if_shape_known(self) -> None:
        shape = self._tork_known_input_shape()
        if shape is not None and self.__dict__["_tork_seq_layers"]:
            self.build(shape)

    def build(self, input_shape=None) -> None:
        """Builds every layer for `input_shape` (batch size first)."""
        if input_shape is None:
            input_shape = self._tork_known_input_shape()
        if input_shape is None:
            raise ValueError(
                f"Sequential model '{self.name}' cannot build without an input shape: pass "
                "build((None, features)), add a keras.Input(shape=...) first, or call the model on "
                "data."
            )
        shape = _to_keras_shape(input_shape)
        input_layer = self.__dict__["_tork_input_layer"]
        if input_layer is not None and input_layer._input_dtype is string_tensor.string:
            # keras.Input(dtype="string"): no placeholder values exist, only symbolic text.
            self._tork_build_symbolically(shape)
            return
        if isinstance(shape, tuple) and any(d is None for d in shape[1:]):
            # Unknown sizes (text of any length, images of any size): build on a symbolic
            # input, as the functional API does, so that no size is guessed.
            try:
                self._tork_build_symbolically(shape)
                return
            except Exception:  # noqa: BLE001 - e.g. a layer branching on tensor values
                # Layers that cannot run symbolically still build on placeholder values.
                pass
        self._tork_build_by_calling(shape)

    def _tork_build_symbolically(self, shape: tuple) -> None:
        input_layer = self.__dict__["_tork_input_layer"]
        if input_layer is not None and tuple(input_layer.batch_shape) == tuple(shape):
            x = input_layer.output
        else:
            first = self.__dict__["_tork_seq_layers"][0]
            x = KerasTensor(shape, dtype=first._compute_dtype)
        self._build_shapes = shape
        self.__dict__["built"] = True
        try:
            for layer in self.__dict__["_tork_seq_layers"]:
                x = layer(x)
        except Exception:
            self.__dict__["built"] = False
            raise
        self._tork_out_shape = _plain_output_shape(x)

    def _tork_maybe_build(self, inputs, args, kwargs) -> None:
        if isinstance(inputs, StringTensor):
            # String tensors have no Keras shape: the layers build as the strings go through.
            self.__dict__["built"] = True
            return
        super()._tork_maybe_build(inputs, args, kwargs)

    def call(self, inputs, training=None, mask=None):
        x = inputs
        declared = self._tork_known_input_shape() if isinstance(x, torch.Tensor) else None
        if declared is not None and x.ndim != len(declared):
            x = adjust_input_rank(x, tuple(declared))
        for layer in self.__dict__["_tork_seq_layers"]:
            x = layer(x)
        return x

    @property
    def inputs(self) -> list:
        shape = self._build_shapes
        if shape is None:
            raise AttributeError(f"Sequential model '{self.name}' has not been built yet.")
        layer = self.__dict__["_tork_input_layer"]
        if layer is None:
            return [KerasTensor(tuple(shape))]
        return [layer.output]

    def get_config(self) -> dict:
        from tork.keras.saving.serialization import serialize_keras_object

        layers = [serialize_keras_object(layer) for layer in self.layers]
        first = layers[0].get("config") if layers and isinstance(layers[0], dict) else None
        declared = self.__dict__["_tork_input_layer"]
        if declared is not None and declared._input_dtype is string_tensor.string:
            # A text input cannot be rebuilt from a shape alone (no placeholder values):
            # its InputLayer goes first, as Keras 3 writes it.
            config = declared.get_config()
            layers.insert(
                0, _input_layer_entry(config["batch_shape"], config["dtype"], config["name"])
            )
        elif isinstance(first, dict) and first.get("batch_input_shape") is not None:
            # Keras 3 refuses `batch_input_shape` in a layer's config: the declared input
            # goes into an InputLayer entry first, as Keras 3 writes it (tork reads both).
            first = dict(first)
            shape = first.pop("batch_input_shape")
            dtype = first.get("dtype")
            layers[0] = {**layers[0], "config": first}
            layers.insert(0, _input_layer_entry(shape, dtype, f"{self.layers[0].name}_input"))
        config = {"name": self.name, "trainable": self.trainable, "layers": layers}
        if self._build_shapes is not None:
            config["build_input_shape"] = tuple(self._build_shapes)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from tork.keras.saving.serialization import deserialize_keras_object

        model = cls(name=config.get("name"))
        for spec in config.get("layers", []):
            model.add(deserialize_keras_object(spec, custom_objects=custom_objects), rebuild=False)
        shape = config.get("build_input_shape")
        if shape is not None:
            model.build(shape)
        if config.get("trainable", True) is False:
            model.trainable = False  # a frozen container (e.g. a transfer-learning base)
        return model


def _input_layer_entry(shape, dtype, name: str) -> dict:
    """The serialized InputLayer Keras 3 writes first in a Sequential config."""
    if isinstance(dtype, dict):  # a serialized dtype policy
        dtype = dtype.get("config", {}).get("name", "float32")
    if not isinstance(dtype, str) or dtype.startswith("mixed_"):
        dtype = "float32"
    return {
        "module": "keras.layers",
        "class_name": "InputLayer",
        "config": {"batch_shape": list(shape), "dtype": dtype, "sparse": False, "name": name},
        "registered_name": None,
    }


def _plain_output_shape(outputs):
    if isinstance(outputs, (list, tuple)):
        return [tuple(o.shape) for o in outputs]
    return tuple(outputs.shape)
