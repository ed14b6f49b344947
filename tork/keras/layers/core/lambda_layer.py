"""`keras.layers.Lambda`: wraps an arbitrary function as a layer."""

from __future__ import annotations

import base64
import inspect
import marshal
import sys
import types
from collections.abc import Callable

from tork import variables as _variables
from tork._inplace import writable_copies, writes_in_place
from tork.keras.layers._call_context import where
from tork.keras.layers.layer import Layer
from tork.keras.saving.object_registration import get_registered_name, get_registered_object


def _is_named_function(fn) -> bool:
    """Whether `fn` can be found again by module and name (no lambda, closure or nesting)."""
    if not isinstance(fn, types.FunctionType):
        # Builtins and C functions (torch.sum, tf.nn.relu) are module attributes too.
        return getattr(fn, "__name__", None) is not None and hasattr(fn, "__module__")
    if getattr(fn, "_tork_api_name", None) is not None:
        return True  # a tork op made symbolic-aware (tork/_symbolic.py): its module holds it
    return fn.__name__ != "<lambda>" and fn.__closure__ is None and fn.__qualname__ == fn.__name__


def _dump_bytecode(fn: types.FunctionType) -> dict:
    """Keras's `__lambda__` config: the marshalled code object, base64 (with newlines)."""
    code = base64.encodebytes(marshal.dumps(fn.__code__)).decode("ascii")
    closure = tuple(cell.cell_contents for cell in fn.__closure__) if fn.__closure__ else None
    return {"code": code, "defaults": fn.__defaults__, "closure": closure}


def _serialize_function(fn) -> dict:
    if isinstance(fn, types.MethodType):
        fn = fn.__func__
    registered = get_registered_name(fn) if isinstance(fn, types.FunctionType) else None
    if registered is not None and registered != fn.__name__:
        # A function registered with register_keras_serializable is saved by its registered
        # name ('package>name'), as Keras 3 does, even when defined inside another function.
        return {
            "module": fn.__module__,
            "class_name": "function",
            "config": registered,
            "registered_name": registered,
        }
    if isinstance(fn, types.FunctionType) and not _is_named_function(fn):
        # The module is kept (as Keras 2's `module` field does) so that loading resolves the
        # lambda's globals (e.g. `K` for the backend) in the module that defined it, not in
        # whatever `__main__` happens to hold. Keras 3 readers ignore the extra key.
        return {"module": fn.__module__, "class_name": "__lambda__", "config": _dump_bytecode(fn)}
    if _is_named_function(fn):
        return {
            "module": fn.__module__,
            "class_name": "function",
            "config": fn.__name__,
            "registered_name": fn.__name__,
        }
    if hasattr(fn, "get_config"):
        cls = type(fn)
        return {
            "module": cls.__module__,
            "class_name": cls.__name__,
            "config": fn.get_config(),
            "registered_name": cls.__name__,
        }
    raise ValueError(
        f"Lambda layer: cannot write the config of the callable {fn!r}: it is neither a function "
        "nor an object with get_config(). Wrap it in a def-function, or write a Layer subclass."
    )


def _load_bytecode(config: dict, globs: dict) -> types.FunctionType:
    code = marshal.loads(base64.decodebytes(config["code"].encode("ascii")))
    defaults = config.get("defaults")
    closure = config.get("closure")
    cells = tuple(types.CellType(value) for value in closure) if closure is not None else None
    return types.FunctionType(
        code, globs, code.co_name, tuple(defaults) if defaults is not None else None, cells
    )


def _unsafe_lambda_error(what: str) -> ValueError:
    return ValueError(
        f"Lambda.from_config: the config's `{what}` is a Python lambda stored as bytecode. "
        "Loading it runs that code, which is unsafe for files you do not trust, so it is "
        "refused by default. If you trust the source, pass safe_mode=False or call "
        "keras.config.enable_unsafe_deserialization() first."
    )


def _find_named(name: str, module: str | None, custom_objects: dict | None):
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    # Only modules already imported are searched: loading a config never imports code.
    owner = sys.modules.get(module) if module else None
    if owner is not None and hasattr(owner, name):
        return getattr(owner, name)
    raise ValueError(
        f"Lambda.from_config: cannot find the function '{name}'"
        f"{f' (module {module!r})' if module else ''}. Pass it as "
        f"custom_objects={{'{name}': {name}}}."
    )


def _deserialize_function(config, what: str, custom_objects, safe_mode, module=None):
    if config is None or callable(config):
        return config
    if isinstance(config, dict):
        class_name = config.get("class_name")
        if class_name == "__lambda__":
            if safe_mode is not False:
                raise _unsafe_lambda_error(what)
            return _load_bytecode(config["config"], _globals_for(config.get("module") or module))
        if class_name == "function":
            found = get_registered_object(config["config"], custom_objects)
            if found is not None:
                return found
            return _find_named(config["config"], config.get("module"), custom_objects)
        cls = _find_named(class_name, config.get("module"), custom_objects)
        return cls.from_config(config.get("config") or {})
    if isinstance(config, str):
        return _find_named(config, module, custom_objects)
    return config


def _globals_for(module: str | None) -> dict:
    owner = sys.modules.get(module) if module else None
    if owner is None:
        owner = sys.modules.get("__main__")
    return dict(vars(owner)) if owner is not None else {"__builtins__": __builtins__}


def _expects(fn, argument: str) -> bool:
    try:
        return argument in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


# Names of the random-generator state variables (tf.random.Generator, keras.random.
# SeedGenerator): a Lambda's function may create them.
_RANDOM_STATES = ("generator_state", "seed_generator_state")


class Lambda(Layer):
    """Wraps an arbitrary function (or expression) as a `Layer`.

    `Lambda(function)(inputs)` returns `function(inputs, **arguments)`. The
    function also receives `mask=` and `training=` when its signature has
    those parameters. Prefer a `Layer` subclass for anything with state:
    a Lambda's config stores a lambda or closure as Python bytecode, which is
    neither portable nor safe to load.

    Args:
        function: the function to wrap; takes the inputs as first argument.
        output_shape: the output shape without the batch size (tuple), or a
            function of the full input shape; inferred by running the
            function when None.
        mask: the output mask (a tensor), or a function `(inputs, mask)`
            returning it; None means the layer outputs no mask.
        arguments: optional dict of keyword arguments passed to `function`.

    Example:
    >>> layer = keras.layers.Lambda(lambda x: x ** 2)
    >>> layer(tf.constant([1.0, 2.0, 3.0])).tolist()
    [1.0, 4.0, 9.0]
    """

    # Its function is the user's TF code: augmented assignments in it give new tensors, as
    # in a user layer's call (see tork/_backend/augmented.py).
    _tork_runs_user_code = True

    def __init__(
        self,
        function: Callable,
        output_shape=None,
        mask=None,
        arguments: dict | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(
                f"Lambda(function=...) must be callable, got {type(function).__name__} "
                f"{function!r}. Example: Lambda(lambda x: x * 2)."
            )
        self.function = function
        self.arguments = dict(arguments) if arguments else {}
        self._output_shape = output_shape
        self.mask = mask
        # Keras 2: always True; the output mask is `mask` (None: no mask), see compute_mask.
        self.supports_masking = True
        self._fn_expects_training_arg = _expects(function, "training")
        self._fn_expects_mask_arg = _expects(function, "mask")

    def call(self, inputs, mask=None, training=None):
        if writes_in_place(self.function):
            # `x *= 2` in a function written for TF's immutable tensors (see _inplace.py).
            inputs = writable_copies(inputs)
        kwargs = dict(self.arguments)
        if self._fn_expects_mask_arg:
            kwargs["mask"] = mask
        if self._fn_expects_training_arg:
            kwargs["training"] = training
        # A variable made in the function would be made again at every call and never train:
        # Keras 2 refuses it (also a layer created or first built there).
        outer = _variables._creation_check
        _variables._creation_check = self._tork_refuse_variable
        try:
            return self.function(inputs, **kwargs)
        finally:
            _variables._creation_check = outer

    def _tork_refuse_variable(self, name) -> None:
        if name in _RANDOM_STATES:
            return  # a random generator's state, not a weight (Keras 2 lets it through too)
        from tork.ops.scopes import get_current_name_scope

        scope = get_current_name_scope()
        name = name if name is not None else "Variable"
        path = f"{scope}/{name}" if scope else name
        raise ValueError(
            f"The following Variables were created within a Lambda layer ({self.name}) but "
            f"are not tracked by said layer:\n  {path}:0\nA Lambda layer holds no weights: a "
            "variable (or the weights of a layer created or first built) in its function would "
            "be created again at every call and never be trained. Write a subclassed Layer "
            "instead: create the variables in build() with self.add_weight(), or the sublayers "
            "in __init__, and use them in call()."
        )

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        nested = isinstance(input_shape, (list, tuple)) and any(
            isinstance(s, (list, tuple)) for s in input_shape
        )
        batch = input_shape[0][0] if nested else input_shape[0]
        shape = self._output_shape
        if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
            return [(batch, *s) for s in shape]
        try:
            return (batch, *shape)
        except TypeError:
            raise ValueError(
                f"{where(self)}: output_shape must be a tuple (without the batch size) or a "
                f"function of the input shape, got {shape!r}."
            ) from None

    def get_config(self) -> dict:
        config = super().get_config()
        config["function"] = _serialize_function(self.function)
        if self._output_shape is not None:
            shape = self._output_shape
            config["output_shape"] = _serialize_function(shape) if callable(shape) else shape
        if self.mask is not None:
            mask = self.mask
            config["mask"] = _serialize_function(mask) if callable(mask) else mask
        config["arguments"] = dict(self.arguments)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None, safe_mode=None):
        """Creates a Lambda layer from its config.

        A function stored by name is looked up in `custom_objects`, then in
        its (already imported) module. A Python lambda stored as bytecode is
        loaded only with `safe_mode=False`.

        Args:
            config: the output of `get_config()` (Keras 3 or Keras 2 format).
            custom_objects: optional dict of name -> function.
            safe_mode: must be False to load functions stored as bytecode.

        Returns:
            A new `Lambda` layer.
        """
        if safe_mode is None:
            # Unset: the enclosing SafeModeScope (or keras.config setting) decides.
            from tork.keras.saving.serialization import in_safe_mode

            safe_mode = in_safe_mode()
        config = dict(config)
        module = config.pop("module", None)
        for key in ("function", "output_shape", "mask"):
            kind = config.pop(f"{key}_type", None)
            key_module = config.pop(f"{key}_module", None) if key != "function" else module
            value = config.get(key)
            if kind == "lambda":
                # Keras 2 stores (code, defaults, closure) with a separate type field.
                if safe_mode is not False:
                    raise _unsafe_lambda_error(key)
                code, defaults, closure = value
                value = _load_bytecode(
                    {"code": code, "defaults": defaults, "closure": closure},
                    _globals_for(key_module),
                )
            elif kind == "function":
                value = _find_named(value, key_module, custom_objects)
            elif kind != "raw" and (key == "function" or isinstance(value, (dict, str))):
                value = _deserialize_function(value, key, custom_objects, safe_mode, key_module)
            if key in config:
                config[key] = value
        return cls(**config)
