"""`model.to_json()` / `keras.models.model_from_json`: the architecture as JSON text."""

from __future__ import annotations

import json

from tork.keras.saving.errors import KerasFileError


def model_to_json(model, **kwargs) -> str:
    """Returns the model's architecture as JSON text, as Keras 2 (tf_keras) writes it.

    The text is `{"class_name", "config", "keras_version", "backend"}` with
    Keras 2's config (`batch_input_shape`, inbound nodes as
    `[[layer, node, tensor, kwargs]]` lists), so tf_keras's `model_from_json`
    reads it; it holds no compile arguments. A subclassed model keeps its own
    `get_config()`.

    Args:
        model: the model.
        **kwargs: passed to `json.dumps` (e.g. `indent=2`).
    """
    from tork.keras.saving import _keras2_config
    from tork.keras.saving.keras_archive import json_default
    from tork.keras.saving.serialization import serialize_keras_object

    kwargs.setdefault("default", json_default)
    entry = serialize_keras_object(model)
    converted = _keras2_config.convert(entry, model, json_layout=True)
    result = {
        "class_name": _keras2_config._class_name(entry),
        "config": converted["config"],
        "keras_version": _keras2_config.KERAS2_VERSION,
        "backend": "tensorflow",
    }
    return json.dumps(result, **kwargs)


def model_from_json(json_string: str, custom_objects: dict | None = None):
    """Creates a model from `model.to_json()` output (Keras 2 or Keras 3 JSON).

    The model has new, untrained weights; it is compiled when the JSON holds
    a compile config (Keras 3's `to_json()` writes one, Keras 2's does not).

    Args:
        json_string: the JSON text.
        custom_objects: optional dict mapping names to user-defined classes
            and functions.

    Returns:
        A new model.

    Example:
    >>> clone = keras.models.model_from_json(model.to_json())  # doctest: +SKIP
    """
    from tork.keras.saving.keras_archive import model_from_saved_config, parse_json

    if isinstance(json_string, bytes):
        json_string = json_string.decode("utf-8", errors="replace")
    if not isinstance(json_string, str):
        raise TypeError(
            f"model_from_json expects the JSON string from model.to_json(), got "
            f"{type(json_string).__name__}."
        )
    config = parse_json(json_string.encode("utf-8"), "The model JSON")
    if "class_name" not in config:
        raise KerasFileError(
            "The model JSON has no 'class_name': it is not the output of model.to_json()."
        )
    return model_from_saved_config(config, custom_objects, True, None)


def model_from_yaml(yaml_string, custom_objects: dict | None = None):
    """Removed in Keras 2.6 (as in tf_keras): raises, pointing to `model_from_json`.

    Args:
        yaml_string: unused.
        custom_objects: unused.

    Raises:
        RuntimeError: always.
    """
    raise RuntimeError(
        "Method `model_from_yaml()` has been removed due to security risk of arbitrary code "
        "execution. Please use `Model.to_json()` and `model_from_json()` instead."
    )


__all__ = ["model_from_json", "model_from_yaml", "model_to_json"]
