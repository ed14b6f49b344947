"""`keras.models`: Model (subclassing and functional), Sequential and model utilities."""

import importlib

from tork._backend.errors import module_getattr as _module_getattr

_NAMES = {
    "Model": ("tork.keras.models.model", "Model"),
    "Sequential": ("tork.keras.models.sequential", "Sequential"),
    "Functional": ("tork.keras.models.functional.functional", "Functional"),
    "load_model": ("tork.keras.saving.saving_api", "load_model"),
    "save_model": ("tork.keras.saving.saving_api", "save_model"),
    "model_from_json": ("tork.keras.saving.model_json", "model_from_json"),
    "model_from_yaml": ("tork.keras.saving.model_json", "model_from_yaml"),
    "model_from_config": ("tork.keras.models.model_config", "model_from_config"),
    "clone_model": ("tork.keras.saving.clone", "clone_model"),
}


def __getattr__(name):
    # Lazy: the submodules import each other, and this package loads with any of them.
    if name in _NAMES:
        module_name, attr = _NAMES[name]
        return getattr(importlib.import_module(module_name), attr)
    return _module_getattr("tf.keras.models")(name)


# The names load lazily, so a star import (`from tensorflow.keras.models import *`)
# finds them only through __all__.
__all__ = sorted(_NAMES)
