"""`keras.layers.Pipeline`: a plain layer applying a list of layers in turn."""

from __future__ import annotations

import inspect

from tork.keras.layers.layer import Layer


def _takes_training(layer) -> bool:
    try:
        return "training" in inspect.signature(layer.call).parameters
    except (TypeError, ValueError):
        return False


class Pipeline(Layer):
    """Applies a series of layers to an input, one after the other.

    Unlike a `Sequential` model, a `Pipeline` is a plain layer, meant for
    preprocessing and augmentation chains (e.g. inside a `tf.data` `map`).
    The `training` flag given to the pipeline is passed to every layer
    that takes one.

    Args:
        layers: a list of layers (or callables taking a tensor).
        name: optional name of the layer.

    Example:
    >>> pipeline = keras.layers.Pipeline(
    ...     [keras.layers.AutoContrast(), keras.layers.RandomFlip(seed=0)]
    ... )
    >>> pipeline(tf.ones((2, 4, 4, 3))).shape
    torch.Size([2, 4, 4, 3])
    """

    def __init__(self, layers, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if not isinstance(layers, (list, tuple)):
            raise ValueError(
                f"Pipeline: `layers` must be a list of layers. Received: layers={layers!r}"
            )
        self._pipeline_layers = list(layers)

    @property
    def layers(self) -> list:
        """The layers applied, in order."""
        return list(self._pipeline_layers)

    def call(self, inputs, training=True):
        x = inputs
        for layer in self._pipeline_layers:
            if isinstance(layer, Layer) and _takes_training(layer):
                x = layer(x, training=training)
            else:
                x = layer(x)
        return x

    def compute_output_shape(self, input_shape):
        shape = input_shape
        for layer in self._pipeline_layers:
            shape = layer.compute_output_shape(shape)
        return shape

    def get_config(self) -> dict:
        from tork.keras.saving.serialization import serialize_keras_object

        # Keras 3 keeps only the layers and the name in a Pipeline's config.
        return {
            "layers": [serialize_keras_object(layer) for layer in self._pipeline_layers],
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        """Creates the pipeline, deserializing its layers."""
        from tork.keras.saving.serialization import deserialize_keras_object

        config = dict(config)
        layers = [
            deserialize_keras_object(layer, custom_objects=custom_objects)
            for layer in config.pop("layers")
        ]
        return cls(layers, **config)
