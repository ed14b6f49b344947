"""How `get` / `serialize` / `deserialize` of the Keras object namespaces resolve identifiers.

`keras.initializers`, `regularizers`, `constraints`, `activations`, `losses` and
`metrics` each hold a table of built-in classes and functions by name and read
the same identifiers: a name, a Keras 3 config
`{"module", "class_name", "config", "registered_name"}`, a Keras 2 config
`{"class_name", "config"}` (a registered class named `'Package>Name'` in
`class_name`), an instance, a class or a function. One `ObjectRegistry` per
namespace does the work; the namespace modules keep Keras's public functions as
thin wrappers over it.

A name resolves, in order, through the `custom_objects` passed in, the active
`custom_object_scope`s and the objects registered with
`register_keras_serializable` (both through `keras.saving.get_registered_object`),
then the built-in table. Unknown names raise a `ValueError` listing the valid
names and the closest match.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Iterable, Mapping
from typing import Any

from tork.keras.saving.object_registration import get_registered_name, get_registered_object


class ObjectRegistry:
    """The built-in objects of one Keras namespace and how identifiers resolve to them.

    The initializer, regularizer and constraint namespaces use it as is (Keras
    serializes them alike); activations use its lookups; losses and metrics use
    `TrainingFunctionRegistry`.

    Args:
        kind: the singular noun used in messages, e.g. `'initializer'`.
        module: the Keras module built-in objects are saved under, e.g.
            `'keras.initializers'`.
        names: name -> built-in class or function, for names in identifiers and configs.
        base: the namespace's base class: its instances pass through `deserialize`
            and `serialize` writes their config.
        builtins: the classes and functions saved under `module` with no registered name.
        factories: functions in `names` that build an object, called like classes.
        class_names: the table for `class_name` in config dicts; `names` by default.
        function_names: the table for `{"class_name": "function"}` configs; `names`
            by default.
        valid_names: the names an unknown-name error lists; `names` sorted by default.
        usage: the advice that ends a "Could not interpret ..." error.
        identifier: the noun in "Could not interpret <identifier> identifier";
            `kind` by default.
        config_hint: what a config dict without a string `class_name` lacks.

    Example:
    >>> registry = ObjectRegistry("constraint", module="keras.constraints",
    ...                           names={"NonNeg": NonNeg}, base=Constraint)
    >>> registry.deserialize("NonNeg")
    NonNeg()
    """

    def __init__(
        self,
        kind: str,
        *,
        module: str,
        names: Mapping[str, Any],
        base: type | None = None,
        builtins: Iterable = (),
        factories: Iterable = (),
        class_names: Mapping[str, Any] | None = None,
        function_names: Mapping[str, Any] | None = None,
        valid_names: Iterable[str] | None = None,
        usage: str = "",
        identifier: str | None = None,
        config_hint: str = "",
    ):
        self.kind = kind
        self.module = module
        self.names = names
        self.base = base
        # By id: a user's callable object may be unhashable, and builtins live as long as tork.
        self._builtin_ids = frozenset(id(obj) for obj in builtins)
        self._factory_ids = frozenset(id(fn) for fn in factories)
        self.class_names = names if class_names is None else class_names
        self.function_names = names if function_names is None else function_names
        self.valid_names = tuple(sorted(names) if valid_names is None else valid_names)
        self.usage = usage
        self.identifier = kind if identifier is None else identifier
        self.config_hint = config_hint

    # -- lookup ---------------------------------------------------------------------------

    def find_custom(self, name, custom_objects: dict | None = None):
        """Returns the user object called `name`, or None.

        Args:
            name: a plain or registered (`'Package>Name'`) name.
            custom_objects: optional dict of name -> class or function, searched first.

        Returns:
            The object from `custom_objects`, an active `custom_object_scope` or
            the registry; None when none has it.
        """
        if not isinstance(name, str):
            return None
        if custom_objects and name in custom_objects:
            return custom_objects[name]
        return get_registered_object(name)

    def find(self, name: str, custom_objects: dict | None = None, table=None):
        """Returns the class or function called `name`.

        Args:
            name: the name to resolve.
            custom_objects: optional dict of name -> class or function.
            table: the built-in table to search; `names` by default.

        Returns:
            A user object (see `find_custom`), else the built-in one.

        Raises:
            ValueError: no object has that name; the message lists the valid names.
        """
        found = self.find_custom(name, custom_objects)
        if found is None:
            found = (self.names if table is None else table).get(name)
            if found is None:
                raise self.unknown(name)
        return found

    # -- building objects -----------------------------------------------------------------

    def _is_factory(self, obj) -> bool:
        return id(obj) in self._factory_ids

    def instantiate(self, found):
        """Returns a default instance of a class or factory; anything else unchanged."""
        if inspect.isclass(found) or self._is_factory(found):
            return found()
        return found

    def create(self, found, config: dict):
        """Builds an object from the class or factory a config dict names, with its arguments."""
        if inspect.isclass(found):
            if hasattr(found, "from_config"):
                return found.from_config(config)
            return found(**config)
        if self._is_factory(found):
            return found(**config)
        return found

    def from_dict(self, config: dict, custom_objects: dict | None = None):
        """Returns the object a Keras 3 or Keras 2 config dict describes.

        Args:
            config: `{"class_name": ..., "config": ...}`, optionally with `module`
                and `registered_name`; `class_name` `'function'` names a function
                in `config` (or `registered_name`).
            custom_objects: optional dict of name -> class or function.

        Returns:
            The function, or the object built with `from_config`.
        """
        class_name = config.get("class_name")
        inner = config.get("config") or {}
        if class_name == "function":
            name = inner if isinstance(inner, str) else config.get("registered_name")
            if not isinstance(name, str):
                raise self.bad_config(config)
            return self.find(name, custom_objects, self.function_names)
        if not isinstance(class_name, str):
            raise self.bad_config(config)
        found = self.find_custom(config.get("registered_name"), custom_objects)
        if found is None:
            found = self.find(class_name, custom_objects, self.class_names)
        return self.create(found, inner)

    # -- public operations ----------------------------------------------------------------

    def object_config(self, obj) -> dict:
        """The Keras 3 config of an instance of a built-in or user class."""
        # A class may stand in for a built-in one in configs (tf.random_normal_initializer
        # saves as Keras's RandomNormal, as TensorFlow's own class does).
        cls = type(obj).__dict__.get("_tork_serialize_as", type(obj))
        builtin = id(cls) in self._builtin_ids
        return {
            "module": self.module if builtin else cls.__module__,
            "class_name": cls.__name__,
            "config": obj.get_config(),
            "registered_name": None if builtin else get_registered_name(cls),
        }

    def function_config(self, fn) -> dict:
        """The Keras 3 config of a function, by its registered name when it has one."""
        builtin = id(fn) in self._builtin_ids
        name = fn.__name__ if builtin else get_registered_name(fn)
        return {
            "module": self.module if builtin else getattr(fn, "__module__", None),
            "class_name": "function",
            "config": name,
            "registered_name": name,
        }

    def serialize(self, obj) -> dict | str | None:
        """Returns the Keras 3 config of an instance or named function; None and names pass."""
        if obj is None or isinstance(obj, str):
            return obj
        if self.base is not None and isinstance(obj, self.base):
            return self.object_config(obj)
        if callable(obj) and getattr(obj, "__name__", None) is not None:
            return self.function_config(obj)
        base = self.base.__name__ if self.base is not None else "object"
        article = "an" if base[0] in "AEIOU" else "a"
        raise ValueError(
            f"Cannot serialize {self.kind} {obj!r}: pass {article} {base}, a named function "
            "or a name."
        )

    def deserialize(self, config, custom_objects: dict | None = None):
        """Returns the object for a name, config dict, instance, class or callable.

        Names and dicts give new instances, classes are instantiated with no
        arguments, instances and functions pass through.
        """
        if config is None or (self.base is not None and isinstance(config, self.base)):
            return config
        if isinstance(config, str):
            return self.instantiate(self.find(config, custom_objects))
        if isinstance(config, dict):
            return self.from_dict(config, custom_objects)
        if inspect.isclass(config):
            return config()
        if callable(config):
            return config
        raise self.not_understood(config)

    # -- errors ---------------------------------------------------------------------------

    def _closest(self, name) -> str | None:
        if not isinstance(name, str):
            return None
        close = difflib.get_close_matches(name, self.valid_names, n=1)
        return close[0] if close else None

    def unknown(self, name) -> ValueError:
        """The error for a name no object has, listing the valid names."""
        close = self._closest(name)
        hint = f" Did you mean '{close}'?" if close else ""
        return ValueError(
            f"Unknown {self.kind} '{name}'. Valid names: {', '.join(self.valid_names)}.{hint}"
        )

    def bad_config(self, config) -> ValueError:
        """The error for a config dict without a usable `class_name`."""
        return ValueError(f"Cannot deserialize {self.kind} config {config!r}: {self.config_hint}.")

    def not_understood(self, identifier) -> ValueError:
        """The error for an identifier of a type no lookup accepts."""
        return ValueError(
            f"Could not interpret {self.identifier} identifier: {identifier!r}. {self.usage}"
        )


class TrainingFunctionRegistry(ObjectRegistry):
    """The registry of a namespace whose objects are also plain functions: losses, metrics.

    Unlike `ObjectRegistry`, `serialize` refuses None, `deserialize` takes only
    names and config dicts, `get` may return some names unchanged (`markers`),
    and messages end with `advice` on what to pass instead.

    Args:
        kind: see `ObjectRegistry`.
        advice: the sentence that ends an unknown-name error.
        markers: names `get` returns unchanged (resolved later by the caller).
        instantiated: the classes `get` instantiates; other classes pass through.
        **kwargs: the other `ObjectRegistry` arguments.

    Example:
    >>> registry.get("mse") is mean_squared_error
    True
    """

    def __init__(
        self,
        kind: str,
        *,
        advice: str,
        markers: Iterable[str] = (),
        instantiated: type = object,
        **kwargs,
    ):
        super().__init__(kind, **kwargs)
        self.advice = advice
        self.markers = frozenset(markers)
        self.instantiated = instantiated

    def serialize(self, obj) -> dict | str:
        """Returns the Keras 3 config of an instance or named function; names pass."""
        if isinstance(obj, str):
            return obj
        if isinstance(obj, self.base):
            return self.object_config(obj)
        if callable(obj):
            if getattr(obj, "__name__", None) is None:
                raise ValueError(f"Cannot serialize {self.kind} {obj!r}: it has no __name__.")
            return self.function_config(obj)
        raise ValueError(
            f"Cannot serialize {obj!r}: expected a {self.base.__name__} instance or a function."
        )

    def deserialize(self, config, custom_objects: dict | None = None):
        """Returns the object for a name or config dict (a new instance for classes)."""
        if isinstance(config, str):
            return self.instantiate(self.find(config, custom_objects))
        if not isinstance(config, dict) or "class_name" not in config:
            raise self.bad_config(config)
        return self.from_dict(config, custom_objects)

    def get(self, identifier):
        """Returns the object for None, a name, config dict, class or callable."""
        if identifier is None:
            return None
        if isinstance(identifier, dict):
            return self.deserialize(identifier)
        if isinstance(identifier, str):
            if identifier in self.markers:
                return identifier
            return self.instantiate(self.find(identifier))
        if inspect.isclass(identifier) and issubclass(identifier, self.instantiated):
            return identifier()
        if callable(identifier):
            return identifier
        raise self.not_understood(identifier)

    def unknown(self, name) -> ValueError:
        close = self._closest(name)
        hint = f" Did you mean {close!r}?" if close else ""
        return ValueError(
            f"Unknown {self.kind} {name!r}.{hint} Valid names: {', '.join(self.valid_names)}. "
            f"{self.advice}"
        )

    def bad_config(self, config) -> ValueError:
        return ValueError(
            f"Cannot deserialize {self.kind} from {config!r}: expected a name or a dict with "
            "'class_name' and 'config'."
        )
