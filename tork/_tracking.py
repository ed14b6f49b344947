"""Tracking of layers and variables held in attributes, lists, tuples and dicts.

torch only sees `nn.Module`s and `Parameter`s stored directly as attributes.
Keras users also keep them in (nested) lists and dicts, and mutate those lists
after assignment (`self.blocks = []; self.blocks.append(Dense(8))`). Such an
attribute keeps the user's structure in `__dict__` (as a list/dict subclass that
reports mutations) and gets a hidden `_Container` module in `_modules` under the
same name that mirrors it for torch, so `parameters()`, `state_dict()` and
`.to(device)` see everything, with torch-style keys such as `blocks.0.kernel`.
"""

from __future__ import annotations

import torch


def _is_trackable(value) -> bool:
    return isinstance(value, (torch.nn.Module, torch.nn.Parameter))


def _holds_trackable(value) -> bool:
    if _is_trackable(value):
        return True
    if isinstance(value, dict):
        return any(_holds_trackable(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds_trackable(v) for v in value)
    return False


def _dict_items(value: dict, sort_keys: bool) -> list:
    """A dict's items, sorted by key when `sort_keys` (and the keys sort).

    Keras 2 tracks a dict attribute by sorted key: its layers' weights, `_layers` and
    `submodules` follow the keys' order, not the insertion order.
    """
    if sort_keys:
        try:
            items = [(key, value[key]) for key in sorted(value)]
        except TypeError:
            return list(value.items())  # keys of mixed types: insertion order
        initial = getattr(value, "_tork_initial", None)
        if initial is None:
            return items
        # A layer's variables in a dict: Keras 2 tracks those there when the dict is
        # assigned (by key), then the ones put in later (by key, after all the others).
        later = [
            (k, v)
            for k, v in items
            if isinstance(v, torch.nn.Parameter) and initial.get(k, _MISSING) is not v
        ]
        if later:
            ids = {id(v) for _, v in later}
            items = [(k, v) for k, v in items if id(v) not in ids] + later
        return items
    return list(value.items())


_MISSING = object()


def _is_keras_layer(value) -> bool:
    # Keras layers (tork's Layer and Model) are the modules that have a Keras build step;
    # checked by duck typing because this module sits below keras.
    return callable(getattr(value, "_tork_build", None))


class _Container(torch.nn.Module):
    """A torch-visible mirror of a list/tuple/dict holding layers or variables.

    `sort_keys` orders dicts by key, as Keras 2 tracks a dict attribute (`mirror`);
    Sequential and functional models keep their layer dicts in insertion order.
    """

    def __init__(self, structure, sort_keys: bool = False):
        super().__init__()
        if isinstance(structure, dict):
            items = _dict_items(structure, sort_keys)
        else:
            items = enumerate(structure)
        for key, item in items:
            # torch keys cannot hold dots: state_dict uses dots as separators.
            key = str(key).replace(".", "_")
            if isinstance(item, torch.nn.Parameter):
                self._parameters[key] = item
            elif isinstance(item, torch.nn.Module):
                self._modules[key] = item
            elif isinstance(item, (list, tuple, dict)) and _holds_trackable(item):
                self._modules[key] = _Container(item, sort_keys)

    def __repr__(self) -> str:
        return f"TrackedContainer({len(self._modules) + len(self._parameters)} items)"


class _Notifying:
    """Mixin for list/dict wrappers: every mutation re-syncs the owner's mirror."""

    __slots__ = ()

    def _tork_notify(self) -> None:
        owner = getattr(self, "_tork_owner", None)
        if owner is not None:
            owner._tork_sync_attribute(self._tork_attr)

    @property
    def layers(self) -> list:
        """The Keras layers held in this list/dict, nested structures flattened.

        Keras 2 wraps a list or dict assigned to a layer attribute in a structure with
        a `layers` property; code such as `for layer in self.blocks.layers:` (d2l's
        DenseNet) relies on it. Each layer appears once, in order (a dict's by key).
        """
        # A dict's layers by key, as Keras 2 lists them.
        return [v for v in self._tork_leaves(sort_keys=True) if _is_keras_layer(v)]

    def _tork_extra_variables(self) -> list:
        """The variables held directly in this structure (not inside its layers), in order."""
        # Keras 2 keeps a dict's own variables in insertion order.
        return [v for v in self._tork_leaves(sort_keys=False) if isinstance(v, torch.nn.Parameter)]

    def _tork_leaves(self, sort_keys: bool):
        """The Keras layers and variables held in this structure, nests walked in order
        (each once); a layer's own contents are not entered."""
        seen = set()
        pending = [self]
        while pending:
            value = pending.pop()
            if id(value) in seen:
                continue
            seen.add(id(value))
            if _is_keras_layer(value) or isinstance(value, torch.nn.Parameter):
                yield value
            elif isinstance(value, (list, tuple)):
                pending.extend(reversed(value))
            elif isinstance(value, dict):
                values = (
                    [v for _, v in _dict_items(value, sort_keys)] if sort_keys else value.values()
                )
                pending.extend(reversed(list(values)))

    def _tork_weights(self, trainable: bool) -> list:
        # Keras 2's ListWrapper/_DictWrapper: the layers' weights first, then the
        # structure's own variables.
        kind = "trainable_weights" if trainable else "non_trainable_weights"
        result = [w for layer in self.layers for w in getattr(layer, kind)]
        for var in self._tork_extra_variables():
            if bool(getattr(var, "trainable", var.requires_grad)) == trainable:
                result.append(var)
        return result

    @property
    def trainable_weights(self) -> list:
        """The trainable weights of the held layers, then the held trainable variables."""
        return self._tork_weights(trainable=True)

    @property
    def non_trainable_weights(self) -> list:
        """The non-trainable weights of the held layers, then held non-trainable variables."""
        return self._tork_weights(trainable=False)

    @property
    def weights(self) -> list:
        """All held weights: `trainable_weights + non_trainable_weights` (Keras 2)."""
        return self.trainable_weights + self.non_trainable_weights

    variables = weights
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights


def _adopt(value, owner, attr):
    """A list/dict put into an owned structure, wrapped so its own mutations notify too.

    `self.blocks = {}; self.blocks["dense"] = []; self.blocks["dense"].append(Dense(5))`
    (Keras 2 wraps values inserted into a tracked structure): without this the inner
    list would not report the append and the layer would be untracked.
    """
    if type(value) in (list, dict, tuple) or (
        isinstance(value, (TrackedList, TrackedDict))
        and getattr(value, "_tork_owner", None) is None
    ):
        return wrap(value, owner, attr)
    return value


def _adopt_args(self, name: str, args: tuple, kwargs: dict) -> tuple:
    """The mutator's arguments with the inserted values adopted (see `_adopt`)."""
    owner, attr = self._tork_owner, self._tork_attr

    def adopt(value):
        return _adopt(value, owner, attr)

    if name == "append" and len(args) == 1:
        return (adopt(args[0]),), kwargs
    if name == "insert" and len(args) == 2:
        return (args[0], adopt(args[1])), kwargs
    if name in ("extend", "__iadd__") and len(args) == 1:
        return ([adopt(v) for v in args[0]],), kwargs
    if name == "__setitem__" and len(args) == 2:
        key, value = args
        if isinstance(self, list) and isinstance(key, slice):
            return (key, [adopt(v) for v in value]), kwargs
        return (key, adopt(value)), kwargs
    if name == "setdefault" and args:
        return (args[0], adopt(args[1] if len(args) > 1 else None)), kwargs
    if name == "update":
        return ({k: adopt(v) for k, v in dict(*args, **kwargs).items()},), {}
    return args, kwargs


def _mutator(base_type, name):
    base = getattr(base_type, name)

    def method(self, *args, **kwargs):
        if getattr(self, "_tork_owner", None) is not None:
            args, kwargs = _adopt_args(self, name, args, kwargs)
        result = base(self, *args, **kwargs)
        self._tork_notify()
        return result

    method.__name__ = name
    return method


class TrackedList(_Notifying, list):
    """A `list` that keeps its owner's tracking in sync when mutated."""

    for _name in (
        "append",
        "extend",
        "insert",
        "pop",
        "remove",
        "clear",
        "sort",
        "reverse",
        "__setitem__",
        "__delitem__",
        "__iadd__",
        "__imul__",
    ):
        locals()[_name] = _mutator(list, _name)
    del _name

    def __reduce_ex__(self, protocol):
        return (_rebuild_list, (list(self), getattr(self, "__dict__", {})))


class TrackedDict(_Notifying, dict):
    """A `dict` that keeps its owner's tracking in sync when mutated."""

    for _name in ("__setitem__", "__delitem__", "pop", "popitem", "clear", "update", "setdefault"):
        locals()[_name] = _mutator(dict, _name)
    del _name

    def __reduce_ex__(self, protocol):
        return (_rebuild_dict, (dict(self), getattr(self, "__dict__", {})))


def _rebuild_list(items, state):
    result = TrackedList(items)
    result.__dict__.update(state)
    return result


def _rebuild_dict(items, state):
    result = TrackedDict(items)
    result.__dict__.update(state)
    return result


def wrap(value, owner, attr):
    """Wraps lists and dicts (recursively) so mutations notify `owner`.

    Args:
        value: the value being assigned to `owner.<attr>`.
        owner: the module that owns the attribute.
        attr: the attribute name.

    Returns:
        The value, with lists and dicts replaced by tracked equivalents.
    """
    if type(value) is list or isinstance(value, TrackedList):
        result = TrackedList(wrap(v, owner, attr) for v in value)
    elif type(value) is dict or isinstance(value, TrackedDict):
        result = TrackedDict((k, wrap(v, owner, attr)) for k, v in value.items())
        # What it held when assigned: those come first in the weights (`_dict_items`).
        result._tork_initial = dict(result)
    elif type(value) is tuple:
        return tuple(wrap(v, owner, attr) for v in value)
    else:
        return value
    result._tork_owner = owner
    result._tork_attr = attr
    return result


def mirror(value) -> _Container | None:
    """Returns the torch mirror for a structure, or None if it holds nothing trackable."""
    if isinstance(value, (list, tuple, dict)) and _holds_trackable(value):
        return _Container(value, sort_keys=True)
    return None


def is_container(module) -> bool:
    """True for the hidden mirror modules that tracking creates."""
    return isinstance(module, _Container)


def _install_accessor_fallback() -> None:
    """Lets `torch.func.functional_call` reach layers kept in lists and dicts.

    torch's accessor resolves each step of a parameter path with `getattr`, which returns
    the user's list (not a module) for `self.blocks = [...]`; on that refusal the lookup
    is retried through the owner's `get_submodule`, which follows the torch mirror.
    """
    from torch.nn.utils import _named_member_accessor as accessor

    cls = getattr(accessor, "NamedMemberAccessor", None)
    original = getattr(cls, "get_submodule", None)
    if original is None or getattr(original, "_tork_fallback", False):
        return

    def get_submodule(self, name):
        try:
            return original(self, name)
        except TypeError:
            if not hasattr(self.module, "_tork_sync_attribute"):
                raise
            submodule = self.module.get_submodule(name)
            self.memo[name] = submodule
            return submodule

    get_submodule._tork_fallback = True
    cls.get_submodule = get_submodule


_install_accessor_fallback()
