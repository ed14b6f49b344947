"""A layer's own weight lists: Keras 2's `layer._trainable_weights` and `_non_trainable_weights`.

In Keras 2 these are the plain lists of the weights a layer owns (not its sublayers'):
`add_weight` and variable attributes append to them, and user code appends to them too,
e.g. `self._trainable_weights.append(tf.Variable(...))` (keras-unet-collection's Snake
activation, BERT-from-hub layers) or assigns them, `self._trainable_weights = [self.W]`.
A layer's `trainable_weights` is its `_trainable_weights` then its sublayers', so a
variable appended there is trained, and one left out of both lists is no weight at all.

tork keeps no such lists while nobody touches them: a layer's own weights are the
parameters it registered, split by their `trainable` flag (`Layer._own_split`). The first
time user code mutates or assigns one of the lists, the layer switches to explicit lists
(`_OwnLists`), from then on updated with the weights the layer registers later.
Reading `layer._trainable_weights` returns an `_OwnWeightList`, a `list` whose mutations
write back to the layer; nothing here runs during `Layer.__call__`.
"""

from __future__ import annotations

import torch

from tork import _tracking

_ATTR = "_tork_own_lists"


class _OwnLists:
    """Explicit own-weight lists of one layer, once user code has touched them."""

    __slots__ = ("frozen", "known", "trainable")

    def __init__(self, trainable: list, frozen: list, own: list):
        self.trainable = trainable
        self.frozen = frozen
        # Every own variable already placed in a list (or deliberately left out of both).
        # Objects, not ids: a deep copy of the layer then holds the copies.
        self.known = list(own)


def split(layer, own: list, created_trainable) -> tuple[list, list] | None:
    """The layer's own (trainable, non-trainable) weights from its explicit lists.

    Args:
        layer: the layer.
        own: the parameters the layer registered (`_tork_direct()[0]`).
        created_trainable: `variable -> bool`, where a variable registered since the
            lists were made goes (Keras 2 appends it to one list as it is created).

    Returns:
        None when the layer has no explicit lists (its split is by `trainable` flags).
    """
    lists = layer.__dict__.get(_ATTR)
    if lists is None:
        return None
    present = {id(v) for v in own}
    known = {id(v) for v in lists.known}
    for v in own:
        if id(v) not in known:
            lists.known.append(v)
            (lists.trainable if created_trainable(v) else lists.frozen).append(v)
    if len(lists.known) != len(present):
        # A variable no longer registered (its attribute deleted) leaves both lists, as
        # in Keras 2.
        lists.known = [v for v in lists.known if id(v) in present]
        lists.trainable = [v for v in lists.trainable if id(v) in present]
        lists.frozen = [v for v in lists.frozen if id(v) in present]
    return list(lists.trainable), list(lists.frozen)


def view(layer, trainable: bool) -> _OwnWeightList:
    """`layer._trainable_weights` (or `_non_trainable_weights`): a list that writes back."""
    own_trainable, own_frozen = layer._own_split()
    return _OwnWeightList(layer, trainable, own_trainable if trainable else own_frozen)


def assign(layer, trainable: bool, values) -> None:
    """`layer._trainable_weights = values`: the layer's own trainable weights become `values`.

    Variables the layer does not hold yet are registered as its own (torch then sees them:
    `parameters()`, `state_dict()`, `.to(device)`); weights left out of both lists stay
    attributes but are no longer weights of the layer, as in Keras 2.

    Raises:
        TypeError: if an item is not a variable.
    """
    what = "_trainable_weights" if trainable else "_non_trainable_weights"
    if isinstance(values, torch.Tensor) or not hasattr(values, "__iter__"):
        raise TypeError(
            f"{type(layer).__name__} layer '{layer.name}': `{what}` must be a list of variables "
            f"(tf.Variable or add_weight results), got {type(values).__name__}."
        )
    values = list(values)
    for v in values:
        if not isinstance(v, torch.nn.Parameter):
            raise TypeError(
                f"{type(layer).__name__} layer '{layer.name}': `{what}` holds variables "
                f"(tf.Variable or add_weight results), got {type(v).__name__}. Wrap the value "
                "in tf.Variable(...) or create it with self.add_weight(...)."
            )
    own_trainable, own_frozen = layer._own_split()  # the lists as they are now
    lists = layer.__dict__.get(_ATTR)
    if lists is None:
        lists = _OwnLists(own_trainable, own_frozen, layer._tork_direct()[0])
        layer.__dict__[_ATTR] = lists
    registered = {id(p) for p in layer._tork_direct()[0]}
    known = {id(v) for v in lists.known}
    unique, seen = [], set()
    for v in values:
        if id(v) in seen:
            continue  # Keras 2 lists a variable appended twice once in `weights`
        seen.add(id(v))
        unique.append(v)
        if id(v) not in registered:
            layer.register_parameter(layer._unique_weight_key(_base_name(v)), v)
            registered.add(id(v))
        if id(v) not in known:
            known.add(id(v))
            lists.known.append(v)
    if trainable:
        lists.trainable = unique
    else:
        lists.frozen = unique


def _base_name(variable) -> str:
    """`'dense/kernel:0'` -> `'kernel'`: a torch registry key for an appended variable."""
    name = getattr(variable, "name", None)
    if not isinstance(name, str) or not name:
        return "weight"
    base = name.rsplit("/", 1)[-1].split(":", 1)[0]
    base = "".join(c if c.isalnum() or c == "_" else "_" for c in base)
    return base or "weight"


class _OwnWeightList(list):
    """`layer._trainable_weights`: a snapshot list whose mutations update the layer.

    `append`, `extend`, `insert`, `+=`, `remove`, `pop`, item assignment... change the
    list, then make the layer's own weights of that kind exactly the list's items.
    `in` compares by identity (variables are tensors: `==` is elementwise).
    """

    __slots__ = ("_tork_layer", "_tork_trainable")

    def __init__(self, layer, trainable: bool, items):
        super().__init__(items)
        self._tork_layer = layer
        self._tork_trainable = trainable

    def _tork_notify(self) -> None:
        # Called after every change (see tork._tracking._mutator): the layer takes the list.
        assign(self._tork_layer, self._tork_trainable, self)

    def __contains__(self, value) -> bool:
        return any(item is value for item in self)

    def index(self, value, *args) -> int:
        for i, item in enumerate(self):
            if item is value:
                return i
        raise ValueError(f"{value!r} is not in the layer's own weights.")

    def remove(self, value) -> None:
        del self[self.index(value)]

    def count(self, value) -> int:
        return sum(1 for item in self if item is value)

    def __reduce_ex__(self, protocol):
        return (list, (list(self),))


for _name in (
    "append",
    "extend",
    "insert",
    "pop",
    "clear",
    "sort",
    "reverse",
    "__setitem__",
    "__delitem__",
    "__iadd__",
):
    setattr(_OwnWeightList, _name, _tracking._mutator(list, _name))
del _name
