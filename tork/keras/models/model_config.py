"""`keras.models.model_from_config` (Keras 2): a model (or layer) from its config dict."""

from __future__ import annotations


def model_from_config(config, custom_objects: dict | None = None):
    """Instantiates a Keras model from its config dict.

    The config is a dict with `class_name` and `config` keys, e.g.
    `{"class_name": "Sequential", "config": model.get_config()}` or the
    parsed `model.to_json()`. The model is new and uncompiled; a layer's
    config gives that layer.

    Args:
        config: the config dict.
        custom_objects: optional dict mapping names to user-defined classes
            or functions used in the config.

    Returns:
        A new, uncompiled model (or layer).

    Raises:
        TypeError: if `config` is a list (a Sequential's layer list of old Keras).

    Example:
    >>> m = keras.Sequential([keras.layers.Dense(3, input_shape=(4,))])
    >>> clone = keras.models.model_from_config(
    ...     {"class_name": "Sequential", "config": m.get_config()})
    >>> len(clone.weights)
    2
    """
    from tork.keras.saving.serialization import deserialize_keras_object

    if isinstance(config, list):
        raise TypeError(
            "`model_from_config` expects a dictionary, not a list. "
            f"Received: config={config}. Did you meant to use "
            "`Sequential.from_config(config)`?"
        )
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise ValueError(
            f"Improper config format for {config}. Expecting python dict contains "
            "`class_name` and `config` as keys"
        )
    # Keras 2 builds a bare model: a compile config (from to_json) is not applied.
    config = {k: v for k, v in config.items() if k != "compile_config"}
    return deserialize_keras_object(config, custom_objects=custom_objects)


__all__ = ["model_from_config"]
