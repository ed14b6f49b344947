"""`tf.Module`: a `torch.nn.Module` that tracks variables and submodules Keras-style."""

from __future__ import annotations

import functools
import itertools
import re

import torch

from tork import _tracking
from tork.variables import Variable

_STRUCTURES = (list, dict, tuple, _tracking.TrackedList, _tracking.TrackedDict)

# Assignment stamps of variables and of list/dict attributes (`_tork_direct`'s order).
_SLOT_SEQ = itertools.count()

# tf.Module names must be Python identifiers (they become name-scope components).
_VALID_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# tf.Module's default name: "_" before an upper-case letter that follows a lower-case
# letter or digit, or that starts a capitalised word (not at the start). Unlike Keras's
# rule, "Conv2D" gives "conv2_d" and "_Private" gives "__private".
_CAMEL_BOUNDARY = re.compile(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))")


def _module_default_name(class_name: str) -> str:
    return _CAMEL_BOUNDARY.sub(r"_\1", class_name).lower()


def _container_parameters(container) -> list:
    """The variables in a list/dict attribute's mirror and its nested containers (not in
    the layers it holds)."""
    found = [p for p in container._parameters.values() if p is not None]
    for m in container._modules.values():
        if m is not None and _tracking.is_container(m):
            found.extend(_container_parameters(m))
    return found


class Module(torch.nn.Module):
    """Base class for objects that own variables and submodules, as `tf.Module`.

    Variables, modules and (nested) lists, tuples and dicts of them assigned as
    attributes are tracked, including lists mutated after assignment. It is a
    `torch.nn.Module`, so `parameters()`, `state_dict()` and `.to()` see them.

    Args:
        name: the module's name; defaults to the snake_case class name.

    Example:
    >>> class Affine(tf.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.w = tf.Variable(tf.ones((2, 2)))
    ...         self.b = [tf.Variable(0.0)]
    >>> len(Affine().trainable_variables)
    2
    """

    # Attribute names that `variables`, `trainable_variables` and `submodules` skip, as
    # tf.Module's: a subclass extends it to keep caches out
    # (`frozenset(["cache"]).union(tf.Module._TF_MODULE_IGNORED_PROPERTIES)`).
    _TF_MODULE_IGNORED_PROPERTIES = frozenset(
        ("_self_unconditional_checkpoint_dependencies", "_self_unconditional_dependency_names")
    )

    def __init__(self, name: str | None = None):
        if "_modules" not in self.__dict__:
            torch.nn.Module.__init__(self)
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Module name must be a string, got {type(name).__name__}.")
        self._name = name if name is not None else _module_default_name(type(self).__name__)
        if type(self).variables is Module.variables and not _VALID_NAME.match(self._name):
            # Plain tf.Modules only: Keras layers (they override `variables`) accept any name.
            raise ValueError(
                f"{self._name!r} is not a valid module name. Module names must be valid Python "
                "identifiers (e.g. a valid class name)."
            )
        from tork.ops.scopes import get_current_name_scope

        # As TensorFlow, the module's scope sits under the scope active at construction.
        outer = get_current_name_scope()
        self._tork_scope_name = f"{outer}/{self._name}/" if outer else f"{self._name}/"

    # -- tracking -----------------------------------------------------------------
    def __setattr__(self, name: str, value) -> None:
        if "_modules" not in self.__dict__:
            # Attributes set before super().__init__(): start torch's bookkeeping now.
            torch.nn.Module.__init__(self)
        if type(value) in _STRUCTURES:
            self._tork_set_structure(name, value)
            return
        previous = self.__dict__.get(name)
        if isinstance(previous, _STRUCTURES):
            self._modules.pop(name, None)
            del self.__dict__[name]
        if isinstance(value, torch.nn.Parameter) and name not in self._parameters:
            if any(p is value for p in self._parameters.values()):
                # Already registered by add_weight under its own name: keep one entry.
                object.__setattr__(self, name, value)
                return
            prop = getattr(type(self), name, None)
            if isinstance(prop, property) and prop.fset is not None:
                # A settable property (a Keras 2 model's `_train_counter`): Python hands it
                # the variable, where torch would refuse a parameter under the property's name.
                prop.fset(self, value)
                return
        elif value is not None and not isinstance(value, torch.nn.Parameter):
            # A tensor, layer or plain value over a variable's attribute (Keras 2 retracks
            # the attribute; torch would refuse to store a non-Parameter there).
            self._tork_untrack_replaced(name)
        if (
            value is not None
            and not isinstance(value, torch.nn.Module)
            and self._modules.get(name) is not None
        ):
            # `self.a = 3` over a sublayer: the layer is no longer tracked, as in Keras 2.
            del self._modules[name]
        super().__setattr__(name, value)

    def _tork_untrack_replaced(self, name: str) -> None:
        """A tensor assigned over a variable's attribute: the variable is no longer tracked.

        As in TensorFlow, where Keras IndRNN-style code replaces a weight by a computed
        tensor in build (`self.recurrent_kernel = K.clip(self.recurrent_kernel, 0, 1)`)
        and the layer's weights no longer list it (torch would refuse the assignment).
        """
        params = self.__dict__.get("_parameters")
        if not params:
            return
        if name in params and params[name] is None:
            # `layer.kernel = None` left torch's empty parameter slot (weight normalization
            # wrappers clear the kernel in build and set a computed tensor in every call).
            del params[name]
            return
        previous = params.get(name) if name in params else self.__dict__.get(name)
        if not isinstance(previous, torch.nn.Parameter):
            return
        # Keras counts references: a variable another attribute still holds stays tracked
        # (weight normalization keeps `self.v` and rebinds `self.kernel` in every call).
        others = [k for k, p in params.items() if p is previous and k != name]
        others += [k for k, v in self.__dict__.items() if v is previous and k != name]
        if name in params:
            del params[name]
        if not others:
            for key in [k for k, p in params.items() if p is previous]:
                del params[key]
        elif not any(p is previous for p in params.values()):
            # Only a plain attribute still holds it (`self.keep = v` after `self.a = v`):
            # register it there, so the layer keeps listing it.
            params[others[0]] = self.__dict__.pop(others[0])
        self.__dict__.pop(name, None)

    def __delattr__(self, name: str) -> None:
        if isinstance(self.__dict__.get(name), _STRUCTURES):
            self._modules.pop(name, None)
        super().__delattr__(name)

    def _tork_set_structure(self, name: str, value) -> None:
        for registry in (self._parameters, self._buffers, self._modules):
            registry.pop(name, None)
        wrapped = _tracking.wrap(value, self, name)
        object.__setattr__(self, name, wrapped)
        self._tork_sync_attribute(name)
        self.__dict__.setdefault("_tork_slot_seq", {})[name] = next(_SLOT_SEQ)
        # Keras 2 places the variables a container holds when assigned; ones appended later
        # come after the layer's own weights.
        held = self._modules.get(name)
        self.__dict__.setdefault("_tork_slot_held", {})[name] = (
            frozenset(id(p) for p in _container_parameters(held)) if held is not None else ()
        )

    def register_parameter(self, name: str, param) -> None:
        super().register_parameter(name, param)
        if param is not None:
            self.__dict__.setdefault("_tork_slot_seq", {})[name] = next(_SLOT_SEQ)

    def _tork_structure(self, name: str):
        return self.__dict__.get(name)

    def _tork_sync_attribute(self, name: str) -> None:
        container = _tracking.mirror(self._tork_structure(name))
        if container is None:
            self._modules.pop(name, None)
        else:
            self._modules[name] = container

    def _tork_direct(self) -> tuple[list, list]:
        """This module's own parameters and its direct child modules, through containers."""
        params: list = []
        children: list = []
        seen: set[int] = set()

        def visit(module):
            for p in module._parameters.values():
                if p is not None and id(p) not in seen:
                    seen.add(id(p))
                    params.append(p)
            for m in module._modules.values():
                if m is None or id(m) in seen:
                    continue
                seen.add(id(m))
                if _tracking.is_container(m):
                    visit(m)
                else:
                    children.append(m)

        visit(self)
        return self._tork_assignment_order(params), children

    def _tork_assignment_order(self, params: list) -> list:
        """Own variables in the order their attributes were assigned, as Keras 2 lists them.

        Keras 2 appends a variable to the layer's weights when an attribute takes it, also
        inside a list or dict (`self.vs = [tf.Variable(1.0)]`); torch keeps direct
        parameters and those of container attributes apart, so a later `add_weight` came
        before the list's variables and `get_weights()` had another order than TF's.
        """
        seq = self.__dict__.get("_tork_slot_seq")
        containers = [
            (name, m)
            for name, m in self._modules.items()
            if m is not None and _tracking.is_container(m)
        ]
        if not seq or not containers:
            return params
        held = [(name, _container_parameters(m)) for name, m in containers]
        if not any(found for _, found in held):
            return params  # no variables in containers: torch's order is Keras 2's
        stamp: dict[int, int] = {}
        for name, p in self._parameters.items():
            if p is not None:
                if name not in seq:
                    return params  # registered another way: keep torch's order
                stamp.setdefault(id(p), seq[name])
        held_at = self.__dict__.get("_tork_slot_held", {})
        for name, found in held:
            if found and name not in seq:
                return params
            at_assignment = held_at.get(name, ())
            for p in found:
                # (sorted() is stable: late ones keep torch's order, after the others)
                stamp.setdefault(id(p), seq[name] if id(p) in at_assignment else float("inf"))
        if any(id(p) not in stamp for p in params):
            return params
        return sorted(params, key=lambda p: stamp[id(p)])

    def get_submodule(self, target: str) -> torch.nn.Module:
        """The module at the dotted path `target`, e.g. `"blocks.0"` (torch's API).

        Layers kept in lists or dicts are reached through their torch mirrors: the
        attribute itself is the user's list, which torch's lookup would refuse.
        """
        module: torch.nn.Module = self
        path = []
        for atom in target.split(".") if target else ():
            child = module._modules.get(atom)
            if child is None:
                where = f"under `{'.'.join(path)}`" if path else "at the top"
                raise AttributeError(
                    f"{type(self).__name__} has no submodule `{target}`: nothing named "
                    f"`{atom}` {where}. Paths are those of named_modules()."
                )
            path.append(atom)
            module = child
        return module

    def _track_trackable(self, trackable, name: str, overwrite: bool = False):
        """TF's `Trackable._track_trackable`: makes `trackable` a dependency named `name`.

        Wrapper layers call it on the layer they wrap (TF Addons' WeightNormalization:
        `self._track_trackable(layer, name="layer")`). A module or variable this module
        already holds is left where it is; another one is added under `name`, so its
        weights are saved with this module's. Other objects are recorded only.

        Returns:
            `trackable`.
        """
        held = any(value is trackable for value in self._modules.values()) or any(
            value is trackable for value in self._parameters.values()
        )
        if held:
            return trackable
        current = self._modules.get(name, self._parameters.get(name))
        if current is not None and current is not trackable and not overwrite:
            raise ValueError(
                f"{type(self).__name__}._track_trackable: '{name}' already holds another "
                "object. Pass overwrite=True to replace it."
            )
        if isinstance(trackable, (torch.nn.Module, torch.nn.Parameter)) and not hasattr(
            type(self), name
        ):
            setattr(self, name, trackable)
        else:
            self.__dict__.setdefault("_tork_tracked", {})[name] = trackable
        return trackable

    # -- tf.Module API -----------------------------------------------------------
    @property
    def name(self) -> str:
        """The module's name."""
        return self._name

    @property
    def name_scope(self):
        """A `tf.name_scope` for this module, as in TF: `"<name>/"` under the scope active
        when the module was constructed (e.g. `"outer/<name>/"`)."""
        from tork.ops.scopes import name_scope

        scope = self.__dict__.get("_tork_scope_name") or f"{self._name}/"
        # The trailing "/" makes the scope absolute, so re-entering it does not nest.
        return name_scope(scope)

    @property
    def submodules(self) -> tuple[torch.nn.Module, ...]:
        """Every module under this one, each once, in tf.Module's order (a tuple, as TF).

        A module's direct submodules come first (its attributes sorted by name, nests
        walked as tf.nest does), then the submodules of each of them, recursively.
        """
        found: list = []
        _tf_submodule_order(self, found, {id(self)}, set())
        return tuple(found)

    def _tork_all_variables(self) -> list[torch.nn.Parameter]:
        # tf.Module's order: a module's own attributes sorted by name (nests walked as
        # tf.nest does), then each submodule met there, recursively. Keras layers keep
        # their own order (creation order), so they override `variables`.
        result: list = []
        seen: set[int] = set()
        _tf_module_order(self, result, seen, set())
        return result

    @property
    def variables(self) -> tuple[torch.nn.Parameter, ...]:
        """All variables of this module and its submodules (a tuple, as tf.Module's).

        Keras layers and models override it (Keras gives lists).
        """
        return tuple(self._tork_all_variables())

    @property
    def trainable_variables(self) -> tuple[torch.nn.Parameter, ...]:
        """The variables that optimizers update (a tuple, as tf.Module's)."""
        return tuple(v for v in self._tork_all_variables() if _is_trainable(v))

    @property
    def non_trainable_variables(self) -> tuple[torch.nn.Parameter, ...]:
        """The variables that optimizers leave alone (a tuple, as tf.Module's)."""
        return tuple(v for v in self._tork_all_variables() if not _is_trainable(v))

    @classmethod
    def with_name_scope(cls, method):
        """Decorator that runs a method inside the module's `name_scope`.

        Variables created in the method are named `"<module name>/<name>"`.

        Args:
            method: the method to wrap.

        Returns:
            The wrapped method.
        """

        @functools.wraps(method)
        def method_with_name_scope(self, *args, **kwargs):
            with self.name_scope:
                return method(self, *args, **kwargs)

        return method_with_name_scope


def _attributes(module: Module) -> dict:
    """The module's attributes that may hold variables or modules, by name (not those its
    class lists in `_TF_MODULE_IGNORED_PROPERTIES`)."""
    found = {}
    for name, p in module._parameters.items():
        if p is not None:
            found[name] = p
    for name, m in module._modules.items():
        if m is None:
            continue
        # A tracked list/dict: its user-facing structure lives in __dict__.
        found[name] = module.__dict__.get(name, m) if _tracking.is_container(m) else m
    for name, value in module.__dict__.items():
        if name not in found and isinstance(value, tuple) and _tracking._holds_trackable(value):
            found[name] = value
    ignored = getattr(type(module), "_TF_MODULE_IGNORED_PROPERTIES", ())
    for name in ignored:
        found.pop(name, None)
    return found


def _leaves(value) -> list:
    """Leaves of a nest in tf.nest order (dict keys sorted)."""
    if isinstance(value, dict):
        try:
            keys = sorted(value)
        except TypeError:
            keys = list(value)
        return [leaf for k in keys for leaf in _leaves(value[k])]
    if isinstance(value, (list, tuple)):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def _tf_module_order(module, result: list, seen: set, visiting: set) -> None:
    if id(module) in visiting:
        return
    visiting.add(id(module))
    children: list = []
    attributes = _attributes(module)
    for name in sorted(attributes):
        for leaf in _leaves(attributes[name]):
            if id(leaf) in seen:
                continue
            if isinstance(leaf, torch.nn.Parameter):
                seen.add(id(leaf))
                result.append(leaf)
            elif isinstance(leaf, torch.nn.Module):
                seen.add(id(leaf))
                children.append(leaf)
    for child in children:
        if isinstance(child, Module) and type(child).variables is Module.variables:
            _tf_module_order(child, result, seen, visiting)
        else:
            # Keras layers (their own order) and plain torch modules.
            own = child.variables if isinstance(child, Module) else list(child.parameters())
            for v in own:
                if id(v) not in seen:
                    seen.add(id(v))
                    result.append(v)
    visiting.discard(id(module))


def _tf_submodule_order(module, found: list, seen: set, visiting: set) -> None:
    if id(module) in visiting:
        return
    visiting.add(id(module))
    direct: list = []
    if isinstance(module, Module) and type(module).variables is Module.variables:
        attributes = _attributes(module)
        leaves = [leaf for name in sorted(attributes) for leaf in _leaves(attributes[name])]
    elif isinstance(module, Module):
        # Keras layers list their sublayers in tracking order (as Keras's own override).
        leaves = module._tork_direct()[1]
    else:
        leaves = list(module.children())
    while leaves:
        leaf = leaves.pop(0)
        if not isinstance(leaf, torch.nn.Module):
            continue
        if _tracking.is_container(leaf):
            leaves[:0] = list(leaf.children())  # a torch mirror of a list/dict attribute
            continue
        if id(leaf) not in seen:
            seen.add(id(leaf))
            found.append(leaf)
            direct.append(leaf)
    for child in direct:
        _tf_submodule_order(child, found, seen, visiting)
    visiting.discard(id(module))


def _is_trainable(variable) -> bool:
    if isinstance(variable, Variable):
        return variable.trainable
    return bool(variable.requires_grad)
