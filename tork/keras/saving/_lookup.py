"""Finding the tork class or function that a saved config names, without importing code.

Configs written by Keras name built-in objects by their public module
(`keras.layers`, `keras.optimizers`...) or by an internal one
(`keras.src.backend.torch.optimizers.torch_adam`); Keras 2 configs give only
the class name. Both resolve to tork's own classes here. Modules named in a
config are never imported: a config cannot make tork run code it did not
already load.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
import types

# Keras public module -> tork module, in the order a bare class name is searched.
_NAMESPACES = (
    ("keras.layers", "tork.keras.layers"),
    ("keras.models", "tork.keras.models"),
    ("keras.optimizers", "tork.keras.optimizers"),
    ("keras.optimizers.schedules", "tork.keras.optimizers.schedules"),
    ("keras.optimizers.legacy", "tork.keras.optimizers.legacy"),
    ("keras.losses", "tork.keras.losses"),
    ("keras.metrics", "tork.keras.metrics"),
    ("keras.initializers", "tork.keras.initializers"),
    ("keras.regularizers", "tork.keras.regularizers"),
    ("keras.constraints", "tork.keras.constraints"),
    ("keras.activations", "tork.keras.activations"),
    ("keras.utils", "tork.keras.utils"),
)
# Words in a Keras module path that say which namespace holds the object.
_HINTS = (
    ("schedules", "keras.optimizers.schedules"),
    ("optimizers", "keras.optimizers"),
    ("losses", "keras.losses"),
    ("metrics", "keras.metrics"),
    ("initializers", "keras.initializers"),
    ("regularizers", "keras.regularizers"),
    ("constraints", "keras.constraints"),
    ("activations", "keras.activations"),
    ("layers", "keras.layers"),
    ("models", "keras.models"),
)
# Keras 2 class names of functional models.
_MODEL_ALIASES = {"Functional": "Functional", "Model": "Functional", "Sequential": "Sequential"}
# tf_keras's class names of its mixed-precision wrapper (`LossScaleOptimizerV3` around a
# Keras 2.11+ optimizer, `LossScaleOptimizerV1` around a legacy one) in `.h5`/`.keras`
# files: tork has one `LossScaleOptimizer` for both.
_CLASS_ALIASES = {
    "LossScaleOptimizerV3": "LossScaleOptimizer",
    "LossScaleOptimizerV1": "LossScaleOptimizer",
}
# Keras 2 graph layers that wrap TensorFlow ops: they cannot exist in tork.
UNSUPPORTED_TF_LAYERS = ("TFOpLambda", "SlicingOpLambda", "TensorFlowOpLayer")

_layers_imported = False


def _module(name: str):
    return importlib.import_module(name)


def is_builtin(obj) -> bool:
    """Whether a class or function is part of tork."""
    return (getattr(obj, "__module__", None) or "").startswith("tork.")


def _exported(namespace: str, name: str):
    try:
        module = _module(namespace)
    except ImportError:  # pragma: no cover - tork's own modules always import
        return None
    try:
        value = getattr(module, name, None)
    except Exception:
        return None
    return value


def _layer_classes_by_name(name: str):
    """A tork Layer class called `name` defined in any `tork.keras.layers` module.

    Layer families that are not exported from `tork.keras.layers` yet are found
    too: tork's own layer modules are imported (once) to look.
    """
    global _layers_imported
    from tork.keras.layers.layer import Layer

    if not _layers_imported:
        _layers_imported = True
        package = _module("tork.keras.layers")
        for info in pkgutil.walk_packages(package.__path__, "tork.keras.layers."):
            try:
                _module(info.name)
            except Exception:  # pragma: no cover - a broken family must not break loading
                continue
    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith("tork.keras.layers") or module is None:
            continue
        value = getattr(module, name, None)
        if inspect.isclass(value) and issubclass(value, Layer):
            return value
    return None


def _model_class(name: str):
    if name == "Sequential":
        from tork.keras.models.sequential import Sequential

        return Sequential
    if name == "Functional":
        from tork.keras.models.functional.functional import Functional

        return Functional
    return None


def find_builtin_class(class_name: str, module: str | None = None):
    """Returns tork's class for a Keras class name (and optional module), or None.

    Args:
        class_name: e.g. `'Dense'`, `'Adam'`, `'GlorotUniform'`.
        module: the module the config gives, e.g. `'keras.layers'` or
            `'keras.src.backend.torch.optimizers.torch_adam'`.
    """
    if not isinstance(class_name, str) or not class_name.isidentifier():
        return None
    if class_name in _MODEL_ALIASES and (module is None or not _hinted(module, "keras.layers")):
        found = _model_class(_MODEL_ALIASES[class_name])
        if found is not None:
            return found
    class_name = _CLASS_ALIASES.get(class_name, class_name)
    order = [ns for ns, _ in _NAMESPACES]
    hinted = _namespace_hint(module)
    if hinted is not None:
        order.remove(hinted)
        order.insert(0, hinted)
    tork_names = dict(_NAMESPACES)
    for namespace in order:
        value = _exported(tork_names[namespace], class_name)
        if inspect.isclass(value) and is_builtin(value):
            return value
    return _layer_classes_by_name(class_name)


def legacy_optimizer_class(cls, config: dict):
    """`cls`, or its Keras 2 legacy optimizer class when `config` is a legacy one.

    Keras 2 saves an optimizer by class name alone (`'SGD'`, `'Adam'`); a
    `keras.optimizers.legacy` one is told apart by its module, its
    `is_legacy_optimizer` flag or, without a flag (files from TF <= 2.10), by a
    `decay` entry, which only legacy optimizers take.
    """
    if not inspect.isclass(cls) or cls.__module__.rpartition(".")[0] != "tork.keras.optimizers":
        return cls
    from tork.keras.optimizers.legacy import LEGACY_OPTIMIZERS

    legacy = LEGACY_OPTIMIZERS.get(cls.__name__)
    inner = config.get("config")
    if legacy is None or not issubclass(legacy, cls) or not isinstance(inner, dict):
        return cls
    if config.get("module") == "keras.optimizers.legacy":
        return legacy
    flag = inner.get("is_legacy_optimizer")
    if flag is None:  # no flag: TF <= 2.10, where only the legacy optimizers existed
        flag = "decay" in inner
    return legacy if flag else cls


def _hinted(module: str, namespace: str) -> bool:
    return _namespace_hint(module) == namespace


def _namespace_hint(module: str | None) -> str | None:
    if not isinstance(module, str):
        return None
    parts = module.split(".")
    for word, namespace in _HINTS:
        if word in parts:
            return namespace
    return None


def find_builtin_function(name: str, module: str | None = None):
    """Returns tork's function for a Keras function name (activation, loss, metric), or None."""
    if not isinstance(name, str) or not name.isidentifier():
        return None
    namespaces = ["keras.activations", "keras.losses", "keras.metrics"]
    hinted = _namespace_hint(module)
    if hinted in namespaces:
        namespaces.remove(hinted)
        namespaces.insert(0, hinted)
    tork_names = dict(_NAMESPACES)
    for namespace in namespaces:
        value = _exported(tork_names[namespace], name)
        if isinstance(value, types.FunctionType) and is_builtin(value):
            return value
    return None


def public_module(cls) -> tuple[str, str | None] | None:
    """The Keras `(module, registered_name)` under which a tork class is saved, or None.

    Args:
        cls: a class or function.

    Returns:
        e.g. `('keras.layers', None)` for Dense, `('keras', None)` for
        Sequential, `('keras.src.models.functional', 'Functional')` for
        functional models; None for classes that are not tork's.
    """
    if not is_builtin(cls):
        return None
    name = getattr(cls, "__name__", None)
    if not isinstance(name, str):
        return None
    if inspect.isclass(cls):
        if name == "Sequential" and _model_class("Sequential") is cls:
            return ("keras", None)
        if name == "Functional" and _model_class("Functional") is cls:
            return ("keras.src.models.functional", "Functional")
    for namespace, tork_name in _NAMESPACES:
        if _exported(tork_name, name) is cls:
            return (namespace, None)
    if inspect.isclass(cls):
        from tork.keras.layers.layer import Layer

        if issubclass(cls, Layer) and cls.__module__.startswith("tork.keras.layers"):
            return ("keras.layers", None)
    return None


def keras_base_classes() -> tuple:
    """tork's Keras base classes: a user class deriving from one may be revived from a config."""
    from tork.keras.constraints import Constraint
    from tork.keras.initializers import Initializer
    from tork.keras.layers.layer import Layer
    from tork.keras.losses.loss import Loss
    from tork.keras.metrics.metric import Metric
    from tork.keras.optimizers.optimizer import Optimizer
    from tork.keras.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
    from tork.keras.regularizers import Regularizer

    return (
        Layer,
        Loss,
        Metric,
        Optimizer,
        LearningRateSchedule,
        Initializer,
        Regularizer,
        Constraint,
    )


def find_loaded(name: str, module: str | None):
    """`module.name` when `module` is already imported (never imports it), else None."""
    if not isinstance(module, str) or not isinstance(name, str):
        return None
    owner = sys.modules.get(module)
    if owner is None:
        return None
    try:
        return getattr(owner, name, None)
    except Exception:
        return None
