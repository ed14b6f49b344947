"""`keras.layers.TFSMLayer` (Keras 3): a SavedModel's endpoint as an inference layer.

It reads directories written by tork's `tf.saved_model.save` and `model.export`
(tork's SavedModel format) and SavedModels written by tf.keras 2's `model.save`
(their Keras model, rebuilt from `keras_metadata.pb`); other TensorFlow
`saved_model.pb` directories hold only graphs, which tork cannot run.
"""

from __future__ import annotations

from tork.keras.layers.layer import Layer


class TFSMLayer(Layer):
    """Calls one endpoint of a reloaded SavedModel, as Keras 3's `TFSMLayer`.

    The reloaded variables become the layer's weights (trainable ones only when
    `trainable=True`), so the layer fine-tunes and its weights save with a model.

    Args:
        filepath: the directory written by `model.export(...)` or
            `tf.saved_model.save(...)` (tork's format).
        call_endpoint: the endpoint called in inference: an attribute of the reloaded
            object (`"serve"`) or a signature key (`"serving_default"`, which returns
            a dict of outputs).
        call_training_endpoint: optional endpoint called with `training=True`.
        trainable: whether the reloaded trainable variables are trainable here.
        name: the layer's name.
        dtype: the layer's dtype.

    Example:
    >>> model.export("exported")  # doctest: +SKIP
    >>> layer = keras.layers.TFSMLayer("exported", call_endpoint="serve")  # doctest: +SKIP
    >>> outputs = layer(inputs)  # doctest: +SKIP
    """

    def __init__(
        self,
        filepath,
        call_endpoint="serve",
        call_training_endpoint=None,
        trainable=True,
        name=None,
        dtype=None,
    ):
        super().__init__(trainable=trainable, name=name, dtype=dtype)
        from tork.saved_model import load

        reloaded = load(filepath)
        # Not a sublayer: only its variables belong to this layer.
        object.__setattr__(self, "_tork_reloaded_obj", reloaded)
        self.filepath = filepath
        self.call_endpoint = call_endpoint
        self.call_training_endpoint = call_training_endpoint
        self._tork_call_fn = self._endpoint(call_endpoint, "call_endpoint")
        self._tork_training_fn = (
            self._endpoint(call_training_endpoint, "call_training_endpoint")
            if call_training_endpoint
            else None
        )
        self._tork_reloaded_weights = list(reloaded.variables)
        for variable in self._tork_reloaded_weights:
            if not trainable and variable.requires_grad:
                variable.trainable = False
        self.built = True

    def _endpoint(self, endpoint, argument):
        reloaded = self._tork_reloaded_obj
        if endpoint in reloaded.__dict__ and callable(reloaded.__dict__[endpoint]):
            return reloaded.__dict__[endpoint]
        if endpoint in reloaded.signatures:
            return reloaded.signatures[endpoint]
        available = [
            k
            for k, v in reloaded.__dict__.items()
            if not k.startswith("_") and type(v).__name__ == "RestoredFunction"
        ]
        available += [k for k in reloaded.signatures if k not in available]
        raise ValueError(
            f"The endpoint '{endpoint}' is neither an attribute of the reloaded SavedModel, nor "
            "an entry in the `signatures` field of the reloaded SavedModel. Select another "
            f"endpoint via the `{argument}` argument. Available endpoints for this SavedModel: "
            f"{available}"
        )

    def call(self, inputs, training=False, **kwargs):
        if training and self._tork_training_fn is not None:
            return self._tork_training_fn(inputs, **kwargs)
        return self._tork_call_fn(inputs, **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "filepath": self.filepath,
                "call_endpoint": self.call_endpoint,
                "call_training_endpoint": self.call_training_endpoint,
            }
        )
        return config
