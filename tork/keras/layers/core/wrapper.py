"""`keras.layers.Wrapper` (Keras 2): the base class of layers that wrap another layer."""

from __future__ import annotations

from tork.keras.layers.layer import Layer, _to_keras_shape


class Wrapper(Layer):
    """Abstract base class of layers that wrap another layer (`self.layer`).

    Subclasses implement `call` (usually calling `self.layer`) and may add
    weights in `build` after `super().build(input_shape)`, which builds the
    wrapped layer. The wrapped layer's weights are the wrapper's too, and its
    config is saved under the `layer` key.

    Args:
        layer: the layer to wrap.

    Example:
    >>> class Scaled(keras.layers.Wrapper):
    ...     def call(self, x):
    ...         return self.layer(x) * 2.0
    >>> Scaled(keras.layers.Dense(3))(tf.ones((2, 4))).shape
    torch.Size([2, 3])
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Layer {layer} supplied to wrapper is not a supported layer type. Please "
                "ensure wrapped layer is a valid TF-Keras layer."
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None) -> None:
        """Builds the wrapped layer for `input_shape` (if it is not built yet)."""
        if not self.layer.built:
            if input_shape is None:
                self.layer.build(input_shape)
                self.layer.built = True
            else:
                # In the wrapper's name scope (`wrapper/kernel:0`), as Keras 2 calls the
                # wrapped layer's build() directly.
                self.layer._tork_build(_to_keras_shape(input_shape), scoped=False)
        self.built = True

    # Keras 2 reports the wrapped layer's activity regularizer; the wrapper's own (the
    # `activity_regularizer` argument) still applies to the wrapper's outputs only.
    @property
    def activity_regularizer(self):
        own = self.__dict__.get("_tork_own_activity_regularizer")
        if own is not None:
            return own
        layer = self.__dict__.get("_modules", {}).get("layer") or self.__dict__.get("layer")
        return getattr(layer, "activity_regularizer", None)

    @activity_regularizer.setter
    def activity_regularizer(self, value) -> None:
        self.__dict__["_tork_own_activity_regularizer"] = value

    def _tork_activity_loss(self, outputs) -> None:
        if self.__dict__.get("_tork_own_activity_regularizer") is not None:
            super()._tork_activity_loss(outputs)

    def get_config(self) -> dict:
        # Imported here: the recurrent package imports this module (its wrappers subclass it).
        from tork.keras.layers.recurrent.rnn import serialize_layer

        config = super().get_config()
        config["layer"] = serialize_layer(self.layer)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        """Creates the wrapper, deserializing the wrapped layer from `config['layer']`."""
        from tork.keras.layers.recurrent.rnn import deserialize_layer

        config = dict(config)
        layer = deserialize_layer(_unbuilt(config.pop("layer")), custom_objects)
        return cls(layer, **config)


def _unbuilt(config):
    """A wrapped layer's config without its `build_config`.

    The wrapper builds it, in its own name scope (`time_distributed/kernel:0`, as Keras 2
    names it); built on its own when deserialized, it would be named `dense/kernel:0`.
    """
    if isinstance(config, dict) and "build_config" in config:
        config = {k: v for k, v in config.items() if k != "build_config"}
    return config


__all__ = ["Wrapper"]
