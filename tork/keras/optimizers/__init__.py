"""`keras.optimizers`: optimizers that update torch Parameters in place, and their registry."""

from __future__ import annotations

import inspect
from typing import Any

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.optimizers import schedules
from tork.keras.optimizers.adadelta import Adadelta
from tork.keras.optimizers.adafactor import Adafactor
from tork.keras.optimizers.adagrad import Adagrad
from tork.keras.optimizers.adam import Adam
from tork.keras.optimizers.adamax import Adamax
from tork.keras.optimizers.adamw import AdamW
from tork.keras.optimizers.ftrl import Ftrl
from tork.keras.optimizers.lamb import Lamb
from tork.keras.optimizers.lion import Lion
from tork.keras.optimizers.muon import Muon
from tork.keras.optimizers.nadam import Nadam
from tork.keras.optimizers.optimizer import Optimizer
from tork.keras.optimizers.rmsprop import RMSprop
from tork.keras.optimizers.schedule_free_adamw import ScheduleFreeAdamW
from tork.keras.optimizers.sgd import SGD

_OPTIMIZERS = {
    cls.__name__: cls
    for cls in (
        Adadelta,
        Adafactor,
        Adagrad,
        Adam,
        Adamax,
        AdamW,
        Ftrl,
        Lamb,
        Lion,
        Muon,
        Nadam,
        RMSprop,
        SGD,
        ScheduleFreeAdamW,
    )
}
# Lower-case names as Keras accepts them: 'adam', 'rmsprop', 'adamw', ...
_BY_LOWER_NAME = {name.lower(): cls for name, cls in _OPTIMIZERS.items()}


def _loss_scale_optimizer():
    # Imported on use: the wrapper module imports this package.
    from tork.keras.mixed_precision.loss_scale_optimizer import LossScaleOptimizer

    return LossScaleOptimizer


def _builtin(name: str):
    if name == "LossScaleOptimizer":
        return _loss_scale_optimizer()
    return _OPTIMIZERS.get(name)


def _valid_names() -> list:
    return sorted(_BY_LOWER_NAME)


def serialize(optimizer: Optimizer) -> dict:
    """Returns the serialized form of an optimizer (Keras 3 layout).

    Args:
        optimizer: the optimizer.

    Returns:
        A dict `{'module', 'class_name', 'config', 'registered_name'}`.

    Example:
    >>> tf.keras.optimizers.serialize(tf.keras.optimizers.Adam())["class_name"]
    'Adam'
    """
    if not isinstance(optimizer, Optimizer):
        raise ValueError(
            f"`serialize` expects a Keras optimizer. Received: {optimizer!r:.100} of type "
            f"{type(optimizer).__name__}."
        )
    cls = type(optimizer)
    builtin = _builtin(cls.__name__) is cls
    module = "keras.optimizers" if builtin else cls.__module__
    if cls.__module__ == "tork.keras.optimizers.legacy":
        builtin, module = True, "keras.optimizers.legacy"
    return {
        "module": module,
        "class_name": cls.__name__,
        "config": optimizer.get_config(),
        "registered_name": None if builtin else _registered_name(cls),
    }


def _registered_name(cls) -> str:
    # `'Package>Name'` for classes registered with `register_keras_serializable`.
    from tork.keras.saving.object_registration import get_registered_name

    return get_registered_name(cls)


def _registered_class(name):
    # Classes registered with `register_keras_serializable` or a custom object scope.
    from tork.keras.saving.object_registration import get_registered_object

    return get_registered_object(name) if isinstance(name, str) else None


def deserialize(config: dict, custom_objects: dict[str, Any] | None = None, **kwargs) -> Optimizer:
    """Creates an optimizer from its serialized form (Keras 2 or Keras 3 layout).

    Args:
        config: a dict with `class_name` and `config`.
        custom_objects: optional dict mapping names to user-defined optimizer or
            schedule classes.

    Returns:
        A new optimizer.

    Example:
    >>> tf.keras.optimizers.deserialize({"class_name": "SGD", "config": {"momentum": 0.9}})
    """
    kwargs.pop("use_legacy_format", None)
    use_legacy_optimizer = kwargs.pop("use_legacy_optimizer", False)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "Could not interpret optimizer config: expected a dict with 'class_name' and "
            f"'config'. Received: {config!r:.200}"
        )
    name = config["class_name"]
    custom_objects = custom_objects or {}
    registered = config.get("registered_name")
    cls = custom_objects.get(name) or (registered and custom_objects.get(registered))
    if cls is None and registered:
        cls = _registered_class(registered)
    inner = config.get("config", {})
    flag = inner.get("is_legacy_optimizer") if isinstance(inner, dict) else None
    if flag is None:  # no flag: TF <= 2.10 configs, where `decay` marks a legacy optimizer
        flag = isinstance(inner, dict) and "decay" in inner
    if cls is None and (
        use_legacy_optimizer or config.get("module") == "keras.optimizers.legacy" or flag
    ):
        # Keras 2 legacy optimizers (`keras.optimizers.legacy.*`, which take `decay`).
        from tork.keras.optimizers.legacy import LEGACY_OPTIMIZERS

        cls = LEGACY_OPTIMIZERS.get(name) or {
            key.lower(): value for key, value in LEGACY_OPTIMIZERS.items()
        }.get(str(name).lower())
    cls = cls or _builtin(name) or _BY_LOWER_NAME.get(str(name).lower())
    cls = cls or _registered_class(name)
    if cls is None:
        raise ValueError(
            f"Unknown optimizer: '{name}'. Valid names are {_valid_names()} (or the class "
            "names); pass user-defined optimizers in `custom_objects`."
        )
    inner = dict(config.get("config", {}))
    if "custom_objects" in inspect.signature(cls.from_config).parameters:
        return cls.from_config(inner, custom_objects=custom_objects)
    return cls.from_config(inner)


def get(identifier, use_legacy_optimizer: bool = False, **kwargs) -> Optimizer:
    """Returns an optimizer from a name, a config dict, or an optimizer instance.

    Args:
        identifier: an `Optimizer` (returned as is), a name such as `'adam'`,
            `'sgd'` or `'RMSprop'` (case-insensitive; a new optimizer with default
            arguments), or a serialized config dict.
        use_legacy_optimizer: Keras 2: build the `tf.keras.optimizers.legacy`
            optimizer of that name (names and config dicts only).
        **kwargs: Keras 2's `use_legacy_format`, accepted and ignored.

    Returns:
        An `Optimizer`.

    Example:
    >>> tf.keras.optimizers.get("adam").get_config()["learning_rate"]
    0.0010000000474974513
    """
    unknown = set(kwargs) - {"use_legacy_format"}
    if unknown:
        raise TypeError(
            f"optimizers.get() got unexpected keyword argument(s) {sorted(unknown)}; it takes "
            "`identifier` and `use_legacy_optimizer`."
        )
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier, use_legacy_optimizer=use_legacy_optimizer)
    if isinstance(identifier, str) and use_legacy_optimizer:
        return deserialize({"class_name": identifier, "config": {}}, use_legacy_optimizer=True)
    if isinstance(identifier, str):
        cls = _OPTIMIZERS.get(identifier) or _BY_LOWER_NAME.get(identifier.lower())
        if cls is None:
            raise ValueError(
                f"Unknown optimizer: '{identifier}'. Valid names are {_valid_names()} "
                "(case-insensitive), or pass an optimizer instance such as "
                "`tf.keras.optimizers.Adam(learning_rate=1e-3)`."
            )
        return cls()
    raise ValueError(
        f"Could not interpret optimizer identifier: {identifier!r:.100}. Pass an optimizer "
        f"name (one of {_valid_names()}), a config dict, or an optimizer instance."
    )


def __getattr__(name):
    if name in ("legacy", "experimental"):
        import importlib

        return importlib.import_module(f"tork.keras.optimizers.{name}")
    if name == "LossScaleOptimizer":
        return _loss_scale_optimizer()
    return _module_getattr("tf.keras.optimizers")(name)


__all__ = [
    "LossScaleOptimizer",
    "SGD",
    "ScheduleFreeAdamW",
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Ftrl",
    "Lamb",
    "Lion",
    "Muon",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "deserialize",
    "get",
    "schedules",
    "serialize",
]
