"""`tf.keras` / `keras`: the Keras API on PyTorch.

Submodules load on first use, so `import tork` stays fast.
"""

import importlib
import os

from tork._backend.errors import module_getattr as _module_getattr

_SUBMODULES = {
    "layers": "tork.keras.layers",
    "models": "tork.keras.models",
    "activations": "tork.keras.activations",
    "initializers": "tork.keras.initializers",
    "regularizers": "tork.keras.regularizers",
    "constraints": "tork.keras.constraints",
    "losses": "tork.keras.losses",
    "metrics": "tork.keras.metrics",
    "optimizers": "tork.keras.optimizers",
    "callbacks": "tork.keras.callbacks",
    "utils": "tork.keras.utils",
    "backend": "tork.keras.backend",
    "saving": "tork.keras.saving",
    "mixed_precision": "tork.keras.mixed_precision",
    "distribution": "tork.keras.distribution",
    "preprocessing": "tork.keras.preprocessing",
    "tree": "tork.keras.tree",
    "ops": "tork.keras.ops",
    "datasets": "tork.keras.datasets",
    "applications": "tork.keras.applications",
    "random": "tork.keras.random",
    "config": "tork.keras.config",
    "experimental": "tork.keras.experimental",
    "dtype_policies": "tork.keras.dtype_policies",
    "wrappers": "tork.keras.wrappers",
    "export": "tork.keras.export",
}

_NAMES = {
    "DTypePolicy": ("tork.keras.mixed_precision.policy", "DTypePolicy"),
    "Model": ("tork.keras.models.model", "Model"),
    "Sequential": ("tork.keras.models.sequential", "Sequential"),
    "Input": ("tork.keras.models.functional.input_layer", "Input"),
    "KerasTensor": ("tork.keras.models.functional.keras_tensor", "KerasTensor"),
    "Layer": ("tork.keras.layers.layer", "Layer"),
    "Variable": ("tork.variables", "Variable"),
    "InputSpec": ("tork.keras.layers.input_spec", "InputSpec"),
    # Keras 3's top-level aliases of the base classes (`class MyLoss(keras.Loss)`).
    "Loss": ("tork.keras.losses.loss", "Loss"),
    "Metric": ("tork.keras.metrics.metric", "Metric"),
    "Optimizer": ("tork.keras.optimizers.optimizer", "Optimizer"),
    "Initializer": ("tork.keras.initializers", "Initializer"),
    "Regularizer": ("tork.keras.regularizers", "Regularizer"),
    "FloatDTypePolicy": ("tork.keras.dtype_policies", "FloatDTypePolicy"),
    # Keras 3's scopes and utilities.
    "name_scope": ("tork.keras._scopes", "name_scope"),
    "StatelessScope": ("tork.keras._scopes", "StatelessScope"),
    "remat": ("tork.keras._scopes", "remat"),
    "device": ("tork._backend.device", "device"),
}


def _keras_version() -> str:
    # TensorFlow 2.16+ gives tf_keras (Keras 2, versioned as TF) as `tf.keras` under
    # TF_USE_LEGACY_KERAS=1, which Keras 2 libraries (TF Recommenders, transformers' TF
    # models) check by `parse(keras.__version__).major`; else Keras 3. A PEP 440 local
    # version ("+tork"), so `packaging.version.parse` reads it.
    if os.environ.get("TF_USE_LEGACY_KERAS", "").strip().lower() in ("1", "true", "yes"):
        return "2.21.0"
    return "3.0.0+tork"


__version__ = _keras_version()


def version() -> str:
    """Returns the Keras version string, `keras.__version__`, as Keras 3's `keras.version()`.

    Example:
    >>> keras.version() == keras.__version__
    True
    """
    return __version__


def __getattr__(name):
    if name in _SUBMODULES:
        module = importlib.import_module(_SUBMODULES[name])
        globals()[name] = module
        return module
    if name in _NAMES:
        module_name, attr = _NAMES[name]
        value = getattr(importlib.import_module(module_name), attr)
        globals()[name] = value
        return value
    return _module_getattr("tf.keras")(name)


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES) + list(_NAMES))


# `from tensorflow.keras import *` gives tf_keras's public names: the lazily loaded ones
# reach a star import only through __all__. Keras 3's extra names (`random`, `device`,
# `config`, ...) stay out, so they cannot shadow the user's own modules of those names.
__all__ = [
    "Input",
    "Model",
    "Sequential",
    "activations",
    "applications",
    "backend",
    "callbacks",
    "constraints",
    "datasets",
    "experimental",
    "export",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "mixed_precision",
    "models",
    "optimizers",
    "preprocessing",
    "regularizers",
    "saving",
    "utils",
]
