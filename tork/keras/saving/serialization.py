"""`serialize_keras_object` / `deserialize_keras_object`: objects <-> JSON-able configs.

The format is Keras 3's: an object becomes
`{"module", "class_name", "config", "registered_name"}` (plus `build_config`
for layers and `compile_config` for models); tensors, arrays, bytes, slices
become `{"class_name": "__numpy__" | "__tensor__" | ..., "config": ...}`.
Keras 2 configs (`{"class_name", "config"}` without a module) load too.

Names resolve, in order, through the `custom_objects` given, active
`custom_object_scope`s and the registry (`register_keras_serializable`), then
tork's own classes and functions, then (for a class deriving from a Keras base
class: Layer, Model, Loss, Metric, Optimizer, ...) the already-imported module
the config names. Loading never imports a module named in a config and never
unpickles. In safe mode (the default) it also refuses Python bytecode (Lambda
layers holding lambdas) and functions from modules other than tork, the
registry, `custom_objects`, and the running script (`__main__`).
"""

from __future__ import annotations

import inspect
import sys
import threading
import types

import numpy as np
import torch

from tork.keras.saving import _compat, _lookup
from tork.keras.saving.errors import KerasFileError, UnknownObjectError
from tork.keras.saving.object_registration import (
    _GLOBAL_CUSTOM_NAMES,
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)

_LOCAL = threading.local()
# Keys of a config whose string value names an object (a custom one may be registered).
_OBJECT_KEY_SUFFIXES = ("activation", "initializer", "regularizer", "constraint")


class SafeModeScope:
    """Sets safe mode for every deserialization inside the `with` block.

    Args:
        safe_mode: True refuses configs that would run arbitrary code (Lambda
            bytecode, functions from arbitrary modules); False allows them.

    Example:
    >>> with keras.saving.serialization.SafeModeScope(False):  # doctest: +SKIP
    ...     model = keras.models.model_from_json(trusted_json)
    """

    def __init__(self, safe_mode: bool | None = True):
        self.safe_mode = safe_mode

    def __enter__(self) -> SafeModeScope:
        stack = getattr(_LOCAL, "safe", None)
        if stack is None:
            stack = _LOCAL.safe = []
        stack.append(self.safe_mode)
        return self

    def __exit__(self, *exc_info) -> None:
        _LOCAL.safe.pop()


# Set to False by `keras.config.enable_unsafe_deserialization()`.
_GLOBAL_SAFE_MODE: bool | None = None


def in_safe_mode() -> bool | None:
    """The safe mode of the innermost active `SafeModeScope`, else the global one (or None)."""
    stack = getattr(_LOCAL, "safe", None)
    return stack[-1] if stack else _GLOBAL_SAFE_MODE


def enable_unsafe_deserialization() -> None:
    """Allows loading configs that run arbitrary code (Lambda layers' bytecode) everywhere.

    After this call `keras.models.load_model` and `deserialize_keras_object` behave as
    if given `safe_mode=False`, unless a `SafeModeScope` says otherwise. Call it only
    when every file you load comes from a source you trust.

    Example:
    >>> keras.config.enable_unsafe_deserialization()  # doctest: +SKIP
    >>> model = keras.models.load_model("model_with_lambda.keras")  # doctest: +SKIP
    """
    global _GLOBAL_SAFE_MODE
    _GLOBAL_SAFE_MODE = False


# -- serialization ------------------------------------------------------------------------


def serialize_keras_object(obj):
    """Returns the JSON-able config of a Keras object (Keras 3 format).

    Args:
        obj: a layer, model, optimizer, loss, metric, initializer, ...; a
            function; or a plain value, list, dict, tensor or array.

    Returns:
        A structure of dicts, lists, strings and numbers.

    Example:
    >>> keras.saving.serialize_keras_object(keras.layers.Dense(2))["class_name"]
    'Dense'
    """
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, np.generic) or (isinstance(obj, np.ndarray) and obj.ndim == 0):
        # A 0-d array (`layer.get_weights()[0]` of a scalar weight, put in a config) is a
        # plain number in Keras' files, as a NumPy scalar is.
        return obj.item()
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, torch.dtype):
        from tork._backend.dtypes import dtype_name

        return dtype_name(obj)
    if isinstance(obj, np.dtype):
        return obj.name
    if isinstance(obj, type) and issubclass(obj, np.generic):
        return np.dtype(obj).name
    if hasattr(obj, "as_list") and type(obj).__name__ == "TensorShape":
        return obj.as_list()
    if isinstance(obj, slice):
        return {
            "class_name": "__slice__",
            "config": {
                "start": serialize_keras_object(obj.start),
                "stop": serialize_keras_object(obj.stop),
                "step": serialize_keras_object(obj.step),
            },
        }
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, torch.Tensor):
        value = obj.detach().cpu()
        return {
            "class_name": "__tensor__",
            "config": {"value": value.tolist(), "dtype": str(value.dtype).replace("torch.", "")},
        }
    if isinstance(obj, np.ndarray):
        return {
            "class_name": "__numpy__",
            "config": {"value": obj.tolist(), "dtype": obj.dtype.name},
        }
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): serialize_keras_object(v) for k, v in obj.items()}
    if _is_function(obj):
        return _function_config(obj)
    if hasattr(obj, "get_config") and not isinstance(obj, type):
        return _object_config(obj)
    raise TypeError(
        f"Cannot serialize {obj!r:.100} of type {type(obj).__name__}: it is not a Keras object "
        "with get_config(), a function, or a plain value. Give it a get_config() method (and "
        "register its class with @keras.saving.register_keras_serializable())."
    )


def _is_function(obj) -> bool:
    return isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)) or (
        callable(obj) and not hasattr(obj, "get_config") and hasattr(obj, "__name__")
    )


def _function_config(fn) -> dict:
    if isinstance(fn, types.FunctionType) and fn.__name__ == "<lambda>":
        raise TypeError(
            "Cannot serialize a lambda function outside a Lambda layer: it has no name to find it "
            "by. Use a def-function registered with @keras.saving.register_keras_serializable()."
        )
    registered = _GLOBAL_CUSTOM_NAMES.get(fn)
    if registered is not None:
        return {
            "module": fn.__module__,
            "class_name": "function",
            "config": registered,
            "registered_name": registered,
        }
    public = _lookup.public_module(fn)
    module = public[0] if public else getattr(fn, "__module__", None)
    return {
        "module": module,
        "class_name": "function",
        "config": fn.__name__,
        "registered_name": fn.__name__,
    }


def _subclassed_model_config(model) -> dict:
    """The config of a subclassed model that does not override `get_config`.

    As for layers, it holds the constructor arguments the model was created
    with when they are plain values; otherwise the model cannot be recreated
    from a config, which raises `NotImplementedError` naming what to add.
    """
    config = model.get_config()
    cls = type(model)
    args, kwargs = model.__dict__.get("_tork_init_args", ((), {}))
    try:
        signature = inspect.signature(cls.__init__)
        bound = signature.bind(None, *args, **kwargs)
    except (TypeError, ValueError):
        return config
    extra: dict = {}
    for name, value in bound.arguments.items():
        parameter = signature.parameters[name]
        if name == "self" or parameter.kind is parameter.VAR_POSITIONAL:
            continue
        if parameter.kind is parameter.VAR_KEYWORD:
            extra.update(value)
        else:
            extra[name] = value
    positional = [
        p
        for p in signature.parameters.values()
        if p.kind is p.VAR_POSITIONAL and bound.arguments.get(p.name)
    ]
    unusable = [k for k, v in extra.items() if not _is_plain(v)]
    if positional or unusable:
        names = unusable or [p.name for p in positional]
        raise NotImplementedError(
            f"{cls.__name__} was created with arguments that are not plain values "
            f"({', '.join(names)}) and does not define get_config(), so its config cannot "
            "recreate it"
        )
    return {**config, **extra}


def _is_plain(value) -> bool:
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return False


def _get_config(obj) -> dict:
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.model import Model
    from tork.keras.models.sequential import Sequential

    if (
        isinstance(obj, Model)
        and not isinstance(obj, (Sequential, Functional))
        and type(obj).get_config is Model.get_config
        and type(obj).__init__ is not Model.__init__
    ):
        return _subclassed_model_config(obj)
    config = obj.get_config()
    if config is None:
        # A get_config() that builds the dict and forgets `return config` (TF raises too).
        raise TypeError(
            f"The `get_config()` method of {type(obj).__name__} should return a dict. It "
            "returned: None. End it with `return config` (e.g. `config = "
            "super().get_config(); config.update(units=self.units); return config`)."
        )
    return config


def _custom_activations_as_functions(obj, config):
    """Writes a layer's custom activation function in Keras's function form.

    A layer's `get_config` names a custom activation by its bare name, which
    Keras 3 cannot resolve; Keras writes `{"class_name": "function", "config":
    <registered name>, ...}` instead, which both Keras and tork load.
    """
    if not isinstance(config, dict):
        return config
    result = config
    for key, value in config.items():
        if not (isinstance(value, str) and key.endswith("activation")):
            continue
        try:
            fn = getattr(obj, key, None)  # an RNN layer reads it from its cell
        except Exception:
            continue
        if fn is None or not _is_function(fn) or _lookup.public_module(fn) is not None:
            continue  # not a function, or a keras.activations one: its name suffices
        if value not in (fn.__name__, _GLOBAL_CUSTOM_NAMES.get(fn)):
            continue
        if result is config:
            result = dict(config)
        result[key] = {
            "module": "builtins",
            "class_name": "function",
            "config": _GLOBAL_CUSTOM_NAMES.get(fn) or fn.__name__,
            "registered_name": "function",
        }
    return result


def _object_config(obj) -> dict:
    cls = type(obj)
    config = _custom_activations_as_functions(obj, _get_config(obj))
    if isinstance(config, dict) and "input_layers" in config and _is_sequential(cls):
        # A Sequential with add_loss(tensor) branches writes its graph as a functional model.
        from tork.keras.models.functional.functional import Functional

        cls = Functional
    registered = _GLOBAL_CUSTOM_NAMES.get(cls)
    if registered is not None:
        module = cls.__module__
    else:
        public = _lookup.public_module(cls)
        module, registered = public if public else (cls.__module__, cls.__name__)
    result = {
        "module": module,
        "class_name": cls.__name__,
        "config": _mark_passive(config, serialize_keras_object(config), cls),
        "registered_name": registered,
    }
    get_build_config = getattr(obj, "get_build_config", None)
    if get_build_config is not None:
        build_config = get_build_config()
        if build_config:
            result["build_config"] = serialize_keras_object(build_config)
    if hasattr(obj, "get_compile_config") and hasattr(obj, "compile"):
        from tork.keras.saving._compile_config import serialize_compile_config

        result["compile_config"] = serialize_compile_config(obj)
    return result


# Keras 2's mark on an object a user class's get_config() returned as itself (a layer
# rather than its config): its loader recreates the object before calling from_config.
_PASSIVE = "__passive_serialization__"


def _mark_passive(raw, serialized, cls):
    """Marks the layers a user class's config holds as objects, as Keras 2 does.

    `get_config()` returning `{"inner": self.inner}` (a Dense) is common in user layers;
    Keras 2 writes the layer's config with `__passive_serialization__` and revives it on
    load, so the class's `__init__` gets a layer again (not a dict).
    """
    from tork.keras.layers.layer import Layer

    if _lookup.is_builtin(cls) or not isinstance(raw, dict) or not isinstance(serialized, dict):
        return serialized
    marked = None
    for key, value in raw.items():
        entry = serialized.get(key)
        if isinstance(value, Layer) and isinstance(entry, dict) and "class_name" in entry:
            marked = marked if marked is not None else dict(serialized)
            marked[key] = {**entry, _PASSIVE: True}
    return marked if marked is not None else serialized


# -- deserialization ----------------------------------------------------------------------


def deserialize_keras_object(config, custom_objects: dict | None = None, safe_mode=True, **kwargs):
    """Recreates an object from its config (Keras 3 or Keras 2 format).

    Args:
        config: the output of `serialize_keras_object` (or a Keras 2 dict
            `{"class_name", "config"}`, or a name).
        custom_objects: optional dict mapping names to user-defined classes
            and functions.
        safe_mode: True (the default) refuses configs that would run
            arbitrary code, e.g. a Lambda layer holding Python bytecode. An
            active `SafeModeScope` takes precedence.

    Returns:
        The object; for a layer with a `build_config` it is built, for a
        model with a `compile_config` it is compiled.

    Example:
    >>> layer = keras.layers.Dense(2)
    >>> config = keras.saving.serialize_keras_object(layer)
    >>> keras.saving.deserialize_keras_object(config).units
    2
    """
    kwargs.pop("printable_module_name", None)
    module_objects = kwargs.pop("module_objects", None)
    if kwargs:
        raise TypeError(f"deserialize_keras_object got unexpected arguments: {sorted(kwargs)}.")
    custom_objects = dict(custom_objects or {})
    if module_objects:
        custom_objects = {**module_objects, **custom_objects}
    scoped = in_safe_mode()
    safe = scoped if scoped is not None else safe_mode
    with SafeModeScope(safe), CustomObjectScope(custom_objects):
        return _deserialize(config, custom_objects)


def _safe() -> bool:
    return in_safe_mode() is not False


def _custom(name, custom_objects: dict):
    """A user object named `name`: given custom objects, active scopes, then the registry."""
    if not isinstance(name, str):
        return None
    if name in custom_objects:
        return custom_objects[name]
    found = get_registered_object(name)
    if found is None and ">" not in name:
        # Configs that store a registered function by its bare name ('my_act' for 'Custom>my_act').
        matches = [obj for key, obj in get_custom_objects().items() if key.endswith(">" + name)]
        if len(matches) == 1:
            found = matches[0]
    return found


def _deserialize(config, custom_objects: dict):
    if config is None or isinstance(config, (bool, int, float)):
        return config
    if isinstance(config, str):
        found = _custom(config, custom_objects)
        return found if found is not None else config
    if isinstance(config, (list, tuple)):
        return [_deserialize(v, custom_objects) for v in config]
    if not isinstance(config, dict):
        if hasattr(config, "get_config"):
            # Already an object: a from_config() deserializing what Keras 2's passive form
            # revived (Keras 3's idiom: get_config() returns the layer, from_config()
            # calls keras.layers.deserialize on it).
            return config
        raise KerasFileError(
            f"Cannot read the config {config!r:.200}: expected a dict, list, string or number."
        )
    class_name = config.get("class_name")
    if class_name is None:
        return {k: _deserialize(v, custom_objects) for k, v in config.items()}
    if not isinstance(class_name, str):
        raise KerasFileError(f"The config's class_name must be a string, got {class_name!r:.100}.")
    special = _SPECIAL.get(class_name)
    if special is not None:
        return special(config.get("config"), custom_objects)
    if class_name == "function":
        return resolve_function(config, custom_objects)
    cls = resolve_class(config, custom_objects)
    return instantiate(cls, config, custom_objects)


def _inner(config) -> dict:
    if not isinstance(config, dict):
        raise KerasFileError(f"Expected a dict inside the config, got {config!r:.200}.")
    return config


def _array(inner, custom_objects):
    inner = _inner(inner)
    try:
        return np.array(inner.get("value"), dtype=inner.get("dtype") or None)
    except (TypeError, ValueError) as error:
        raise KerasFileError(f"Cannot read the array in the config: {error}") from None


def _tensor(inner, custom_objects):
    from tork._backend.tensor import convert_to_tensor

    return convert_to_tensor(_array(inner, custom_objects))


def _slice(inner, custom_objects):
    inner = _inner(inner)
    parts = [_deserialize(inner.get(k), custom_objects) for k in ("start", "stop", "step")]
    if not all(p is None or isinstance(p, int) for p in parts):
        raise KerasFileError(f"Invalid slice in the config: {inner!r:.200}.")
    return slice(*parts)


def _bytes(inner, custom_objects):
    value = _inner(inner).get("value")
    if not isinstance(value, str):
        raise KerasFileError(f"Invalid bytes value in the config: {value!r:.100}.")
    return value.encode("utf-8")


def _tuple(inner, custom_objects):
    value = _inner(inner).get("value")
    if not isinstance(value, list):
        raise KerasFileError(f"Invalid tuple value in the config: {value!r:.100}.")
    return tuple(_deserialize(v, custom_objects) for v in value)


def _lambda(inner, custom_objects):
    if _safe():
        raise KerasFileError(
            "The config holds a Python lambda stored as bytecode. Loading it runs that code, which "
            "is unsafe for files you do not trust, so it is refused in safe mode. If you trust the "
            "file, pass safe_mode=False (e.g. keras.models.load_model(path, safe_mode=False)) "
            "or call keras.config.enable_unsafe_deserialization() first."
        )
    from tork.keras.layers.core.lambda_layer import _globals_for, _load_bytecode

    return _load_bytecode(_inner(inner), _globals_for(None))


def _unsupported(name):
    def reader(inner, custom_objects):
        raise KerasFileError(f"tork cannot read '{name}' entries: they describe TensorFlow types.")

    return reader


_SPECIAL = {
    "__numpy__": _array,
    "__tensor__": _tensor,
    "__slice__": _slice,
    "__ellipsis__": lambda inner, custom_objects: Ellipsis,
    "__bytes__": _bytes,
    "__tuple__": _tuple,
    "__lambda__": _lambda,
    "__typespec__": _unsupported("__typespec__"),
}


def _how_to_register(name: str, registered) -> str:
    # Keras 2 files name a registered class 'Package>Name' in class_name itself.
    full = registered if isinstance(registered, str) and ">" in registered else name
    package = full.split(">", 1)[0] if ">" in full else None
    python_name = name.split(">", 1)[1] if ">" in name else name
    package_arg = f"package={package!r}" if package else ""
    return (
        f"Decorate its definition with @keras.saving.register_keras_serializable({package_arg}) "
        "and import it before loading, or pass custom_objects={"
        f"'{name}': {python_name}}} to load_model (or wrap the call in "
        "keras.saving.custom_object_scope({...}))."
    )


def resolve_function(config: dict, custom_objects: dict):
    """Finds the function a `{"class_name": "function", ...}` config names."""
    name = config.get("config")
    registered = config.get("registered_name")
    module = config.get("module")
    for key in (registered, name):
        found = _custom(key, custom_objects)
        if found is not None:
            return found
    if isinstance(name, str) and ">" in name:
        name = name.split(">", 1)[1]
    loaded = None
    if isinstance(module, str) and not module.startswith(_KERAS_MODULES):
        # The user's own function first (a `dice` loss of the running script): a built-in
        # of the same name would silently compute something else.
        loaded = _lookup.find_loaded(name, module)
        if not isinstance(loaded, types.FunctionType):
            loaded = None
    found = None if loaded is not None else _lookup.find_builtin_function(name, module)
    if found is not None:
        return found
    if loaded is None:
        loaded = _lookup.find_loaded(name, module)
    if callable(loaded):
        if not _safe() or (module == "__main__" and isinstance(loaded, types.FunctionType)):
            return loaded
        raise KerasFileError(
            f"The config names the function '{name}' of module '{module}'. Safe mode only "
            "revives functions that are tork's, registered, passed in custom_objects, or "
            "defined in the running script. " + _how_to_register(str(name), registered) + " Or, "
            "for files you trust, pass safe_mode=False."
        )
    raise UnknownObjectError(
        f"Unknown function '{name}'"
        + (f" (module '{module}')" if module else "")
        + " in the saved config. "
        + _how_to_register(str(name), registered)
    )


# Modules of Keras's own classes in configs: Keras 3, tork, and Keras 2 as tf_keras or
# TensorFlow wrote it ("tf_keras.src.engine.base_layer" for AddLoss).
_KERAS_MODULES = ("keras", "tork", "tf_keras", "tensorflow.python.keras", "tensorflow.keras")


def resolve_class(config: dict, custom_objects: dict):
    """Finds the class a serialized object config names.

    Looks in `custom_objects`, active custom object scopes and the registry
    (by registered name, then class name), then tork's own classes, then
    user classes already imported in the module the config names.
    """
    class_name = config["class_name"]
    registered = config.get("registered_name")
    module = config.get("module")
    for key in (registered, class_name):
        found = _custom(key, custom_objects)
        if found is not None:
            return found
    if class_name in _lookup.UNSUPPORTED_TF_LAYERS:
        raise KerasFileError(
            f"The config holds a '{class_name}' layer: a TensorFlow op applied to symbolic "
            "tensors in a Keras 2 functional model. tork cannot run TensorFlow ops; rebuild that "
            "part of the model with Keras layers (e.g. keras.layers.Lambda) and load the weights "
            "with model.load_weights()."
        )
    builtin_name = class_name.split(">")[-1]
    keras_module = not isinstance(module, str) or module.startswith(_KERAS_MODULES)
    if keras_module:
        found = _lookup.find_builtin_class(builtin_name, module)
        if found is not None:
            return _lookup.legacy_optimizer_class(found, config)
    loaded = _lookup.find_loaded(class_name, module)
    if inspect.isclass(loaded) and issubclass(loaded, _lookup.keras_base_classes()):
        return loaded
    if "tork.keras.applications" not in sys.modules:
        # The applications register their helper layers (Keras 2's
        # 'Custom>CustomScaleLayer') when first imported, which a loader may come before.
        import tork.keras.applications  # noqa: F401

        return resolve_class(config, custom_objects)
    if isinstance(module, str) and module.startswith(_KERAS_MODULES):
        raise UnknownObjectError(
            f"Unknown class '{class_name}' (module '{module}') in the saved config: tork does not "
            "implement this Keras class. If it is your own class: "
            + _how_to_register(class_name, registered)
        )
    where = ", ".join(
        part
        for part in (
            f"module '{module}'" if module else "",
            f"registered name '{registered}'" if registered and registered != class_name else "",
        )
        if part
    )
    raise UnknownObjectError(
        f"Unknown class '{class_name}'{f' ({where})' if where else ''} in the saved config: it is "
        "neither a tork Keras class nor a registered custom object. "
        + _how_to_register(class_name, registered)
    )


def _prepare(cls, inner: dict, custom_objects: dict) -> dict:
    """Drops off-valued options tork does not take; revives custom objects named in `inner`."""
    inner = _compat.drop_unknown_defaults(cls, inner)
    prepared = {}
    for key, value in inner.items():
        if isinstance(value, dict) and value.get(_PASSIVE):
            # An object the class's get_config() returned as itself (Keras 2 files and
            # tork's): recreated, as Keras 2's loader does, so __init__ gets the object.
            prepared[key] = _deserialize(
                {k: v for k, v in value.items() if k != _PASSIVE}, custom_objects
            )
            continue
        if (
            isinstance(value, str)
            and key.endswith(_OBJECT_KEY_SUFFIXES)
            and _custom(value, custom_objects) is not None
        ):
            value = _custom(value, custom_objects)
        elif isinstance(value, dict) and isinstance(value.get("class_name"), str):
            value = _prepare_nested(value, custom_objects)
        prepared[key] = value
    return prepared


def _prepare_nested(value: dict, custom_objects: dict):
    class_name = value["class_name"]
    if class_name.startswith("__") or class_name == "function":
        if class_name == "function" and any(
            _custom(k, custom_objects) is not None
            for k in (value.get("registered_name"), value.get("config"))
        ):
            return resolve_function(value, custom_objects)
        return value
    for key in (value.get("registered_name"), class_name):
        found = _custom(key, custom_objects)
        if found is not None:
            if inspect.isclass(found):
                return instantiate(found, value, custom_objects)
            return found
    found = _lookup.find_builtin_class(class_name, value.get("module"))
    inner = value.get("config")
    if found is not None and isinstance(inner, dict):
        return {**value, "config": _prepare(found, inner, custom_objects)}
    return value


def _is_sequential(cls) -> bool:
    from tork.keras.models.sequential import Sequential

    return inspect.isclass(cls) and issubclass(cls, Sequential)


def instantiate(cls, config: dict, custom_objects: dict):
    """Creates `cls` from a serialized config: from_config, then build and compile configs."""
    if not hasattr(cls, "from_config"):
        if callable(cls) and not inspect.isclass(cls):
            return cls
        return _call_constructor(cls, config, custom_objects)
    inner = config.get("config")
    if inner is None:
        inner = {}
    if isinstance(inner, list) and _is_sequential(cls):
        # Keras before 2.2.3 (TF 1.x files) saved a Sequential's config as its list of layers.
        inner = {"layers": inner}
    if not isinstance(inner, dict):
        raise KerasFileError(
            f"The config of {config['class_name']} must be a dict, got {type(inner).__name__}: "
            f"{inner!r:.200}."
        )
    reason = config.get("tork_config_error")
    if reason:
        raise KerasFileError(
            f"The {cls.__name__} object was saved without a usable config ({reason}), so it "
            f"cannot be recreated from the file. Add a get_config() method to {cls.__name__} "
            "returning its constructor arguments (and a from_config() classmethod if they are "
            "not plain values), then save it again. The weights are in the file: create the "
            "model in code and call model.load_weights(path) to restore them."
        )
    inner = _prepare(cls, inner, custom_objects)
    obj = _call_from_config(cls, inner, custom_objects)
    build_config = config.get("build_config")
    if build_config and hasattr(obj, "build_from_config") and not getattr(obj, "built", False):
        try:
            obj.build_from_config(build_config)
        except Exception as error:
            raise KerasFileError(
                f"Could not build {cls.__name__} '{getattr(obj, 'name', '?')}' from its saved "
                f"build_config {build_config!r:.200}: {type(error).__name__}: {error}"
            ) from error
    compile_config = config.get("compile_config")
    if compile_config and hasattr(obj, "compile"):
        from tork.keras.saving._compile_config import compile_from_config

        compile_from_config(obj, compile_config, custom_objects)
    return obj


def _call_constructor(cls, config: dict, custom_objects: dict):
    """A class without from_config(), revived as Keras 2 does: `cls(**config)`.

    Plain helper classes a custom loss or layer keeps in its config (tensorflow_similarity's
    `CosineDistance` inside `MultiSimilarityLoss`) have `get_config()` but no
    `from_config()`; tf.keras 2 calls the class with the saved config.
    """
    inner = config.get("config")
    if inner is None:
        inner = {}
    if isinstance(inner, list) and _is_sequential(cls):
        # Keras before 2.2.3 (TF 1.x files) saved a Sequential's config as its list of layers.
        inner = {"layers": inner}
    if not isinstance(inner, dict):
        raise KerasFileError(
            f"The class {cls.__name__} named in the config has no from_config(), and its "
            f"config is not a dict of constructor arguments: {inner!r:.200}. Add a "
            f"from_config() classmethod to {cls.__name__}."
        )
    inner = _prepare(cls, inner, custom_objects)
    try:
        return cls(**inner)
    except TypeError as error:
        raise KerasFileError(
            f"The class {cls.__name__} named in the config has no from_config(), and "
            f"{cls.__name__}(**config) failed with the saved config {inner!r:.200}: {error}. "
            f"Add a from_config() classmethod to {cls.__name__}, or make get_config() return "
            "its constructor arguments."
        ) from error


def _call_from_config(cls, inner: dict, custom_objects: dict):
    from_config = cls.from_config
    try:
        parameters = inspect.signature(from_config).parameters
    except (TypeError, ValueError):
        parameters = {}
    kwargs = {}
    if "custom_objects" in parameters:
        kwargs["custom_objects"] = custom_objects
    if "safe_mode" in parameters:
        kwargs["safe_mode"] = _safe()
    try:
        return from_config(inner, **kwargs)
    except KerasFileError:
        raise
    except TypeError as error:
        if not _lookup.is_builtin(cls):
            revived = _revive_with_accepted(cls, inner)
            if revived is not None:
                return revived
        raise KerasFileError(_revive_message(cls, inner, error)) from error
    except ValueError as error:
        if "safe_mode" in str(error) or "unsafe" in str(error):
            raise KerasFileError(str(error)) from error
        # A tork class whose config names a custom function or class this process lacks.
        unknown = _unknown_name(error) is not None and _lookup.is_builtin(cls)
        error_class = UnknownObjectError if unknown else KerasFileError
        raise error_class(_revive_message(cls, inner, error)) from error


def _revive_with_accepted(cls, inner: dict):
    """Calls a user class with only the config keys its constructor takes (base keys aside)."""
    from tork.keras.layers.layer import Layer

    if not issubclass(cls, Layer) or cls.from_config.__func__ not in _default_from_configs():
        return None
    try:
        parameters = inspect.signature(cls.__init__).parameters
    except (TypeError, ValueError):
        return None
    if any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
        return None
    args = {k: v for k, v in inner.items() if k in parameters and k != "self"}
    try:
        obj = cls(**args)
    except TypeError:
        return None
    name = inner.get("name")
    if isinstance(name, str) and "name" not in args:
        obj._name = name
    if "trainable" in inner and "trainable" not in args:
        obj.trainable = bool(inner["trainable"])
    return obj


def _default_from_configs():
    from tork.keras.layers.layer import Layer
    from tork.keras.models.model import Model

    return {Layer.from_config.__func__, Model.from_config.__func__}


def _revive_message(cls, inner: dict, error: Exception) -> str:
    detail = str(error).rstrip(".")
    start = f"Could not recreate {cls.__name__} from its saved config: {type(error).__name__}: "
    unknown = _unknown_name(error)
    if unknown is not None and _lookup.is_builtin(cls):
        # A tork class failed only because its config names a user object (an activation,
        # initializer, ... function or class) that this process cannot find.
        return (
            f"{start}{detail}. '{unknown}' is not one of tork's names, so it is a custom "
            f"object: pass custom_objects={{'{unknown}': {unknown}}} to load_model (or wrap "
            "the call in keras.saving.custom_object_scope({...})), or decorate its "
            "definition with @keras.saving.register_keras_serializable() and import it "
            "before loading."
        )
    return (
        f"{start}{detail}. The config holds {sorted(inner)}. If {cls.__name__} is your class, "
        "make get_config() return exactly the arguments of its __init__ (adding them to "
        "super().get_config()), or define a from_config(cls, config) classmethod that creates "
        "it from that config."
    )


def _unknown_name(error: Exception) -> str | None:
    """The name in a registry's "Unknown <kind> 'name'" error, else None."""
    if not isinstance(error, ValueError):
        return None
    text = str(error)
    if not text.startswith("Unknown "):
        return None
    quoted = text.split("'")
    return quoted[1] if len(quoted) > 2 and quoted[1].isidentifier() else None


__all__ = [
    "CustomObjectScope",
    "SafeModeScope",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "in_safe_mode",
    "register_keras_serializable",
    "serialize_keras_object",
]
