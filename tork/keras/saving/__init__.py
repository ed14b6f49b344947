"""`keras.saving`: .keras archives, weights files, configs and custom objects.

Names load on first use: `tork.keras.models.model` imports the saving mixin
from here while the model classes are still being defined.
"""

import importlib

from tork._backend.errors import module_getattr as _module_getattr

_NAMES = {
    "save_model": ("tork.keras.saving.saving_api", "save_model"),
    "load_model": ("tork.keras.saving.saving_api", "load_model"),
    "save_weights": ("tork.keras.saving.saving_api", "save_weights"),
    "load_weights": ("tork.keras.saving.saving_api", "load_weights"),
    "serialize_keras_object": ("tork.keras.saving.serialization", "serialize_keras_object"),
    "deserialize_keras_object": ("tork.keras.saving.serialization", "deserialize_keras_object"),
    "SafeModeScope": ("tork.keras.saving.serialization", "SafeModeScope"),
    "register_keras_serializable": (
        "tork.keras.saving.object_registration",
        "register_keras_serializable",
    ),
    "get_registered_name": ("tork.keras.saving.object_registration", "get_registered_name"),
    "get_registered_object": ("tork.keras.saving.object_registration", "get_registered_object"),
    "get_custom_objects": ("tork.keras.saving.object_registration", "get_custom_objects"),
    "custom_object_scope": ("tork.keras.saving.object_registration", "custom_object_scope"),
    "CustomObjectScope": ("tork.keras.saving.object_registration", "CustomObjectScope"),
    "KerasFileError": ("tork.keras.saving.errors", "KerasFileError"),
    "model_from_json": ("tork.keras.saving.model_json", "model_from_json"),
    "clone_model": ("tork.keras.saving.clone", "clone_model"),
}


def __getattr__(name):
    if name in _NAMES:
        module_name, attr = _NAMES[name]
        value = getattr(importlib.import_module(module_name), attr)
        globals()[name] = value
        return value
    return _module_getattr("tf.keras.saving")(name)


# The names load lazily, so a star import finds them only through __all__.
__all__ = sorted(_NAMES)


def __dir__():
    # The public API only, as tf.keras's module shows it (not importlib or the submodules).
    return sorted(_NAMES)
