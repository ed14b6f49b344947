"""The object graph of a checkpoint: which objects it holds and how they are named.

Nodes are the stateful objects reachable from the checkpoint's root; edges are
named after the attributes that hold them, so the same Python code rebuilds the
same graph in a fresh process or for a fresh instance:

- a `torch.nn.Module` (Keras layers and models, `tf.Module`): its parameters,
  persistent buffers and submodules under torch's attribute names (`kernel`,
  `dense_1`, `blocks/0`); a Keras functional model's layers by position
  (`layers/0`, `layers/1`, ...), since layer names change between instances; a
  compiled Keras model's `optimizer`; and public attributes holding an
  optimizer or a `tf.train.Checkpoint`.
- a Keras optimizer: `iteration`, `learning_rate` (when it is a variable), its
  other non-slot variables as `variable-<index>` and optimizers it wraps. Slot
  variables are not edges: they are keyed by the model variable they belong to.
- a `torch.optim.Optimizer`: its `state_dict()`.
- a Keras metric (`tf.train.Checkpoint(metric=m)`, or a layer's public attribute such as
  a custom model's `self.loss_tracker`, as tf_keras tracks them): its variables under
  the attribute names that hold them (`total`, `count`, `true_positives`).
- a `tf.train.Checkpoint`: its keyword arguments and `save_counter`.
- lists, tuples and dicts: their items by index or key.

An object reachable along several edges is one node (shared layers, tied
weights, `model.optimizer` also passed as `optimizer=`).
"""

from __future__ import annotations

import sys

import torch

VARIABLE = "variable"
MODULE = "module"
OPTIMIZER = "optimizer"
TORCH_OPTIMIZER = "torch_optimizer"
CHECKPOINT = "checkpoint"
METRIC = "metric"
LIST = "list"
DICT = "dict"

# Kinds deduplicated by identity; lists and dicts are values, walked each time.
_IDENTITY_KINDS = frozenset({VARIABLE, MODULE, OPTIMIZER, TORCH_OPTIMIZER, CHECKPOINT, METRIC})
_ATTRIBUTE_KINDS = frozenset({OPTIMIZER, TORCH_OPTIMIZER, CHECKPOINT, METRIC})


def _keras_optimizer_type():
    # No Keras optimizer can exist unless its module was imported: don't import Keras here.
    module = sys.modules.get("tork.keras.optimizers.optimizer")
    return module.Optimizer if module is not None else None


def _keras_metric_type():
    module = sys.modules.get("tork.keras.metrics.metric")
    return module.Metric if module is not None else None


def kind_of(obj) -> str | None:
    """The node kind of `obj`, or None if a checkpoint cannot hold it."""
    if isinstance(obj, torch.Tensor):
        return VARIABLE
    if isinstance(obj, torch.nn.Module):
        return MODULE
    if getattr(type(obj), "_tork_is_checkpoint", False):
        return CHECKPOINT
    optimizer_type = _keras_optimizer_type()
    if optimizer_type is not None and isinstance(obj, optimizer_type):
        return OPTIMIZER
    if isinstance(obj, torch.optim.Optimizer):
        return TORCH_OPTIMIZER
    metric_type = _keras_metric_type()
    if metric_type is not None and isinstance(obj, metric_type):
        return METRIC
    if isinstance(obj, (list, tuple)):
        return LIST
    if isinstance(obj, dict):
        return DICT
    return None


def untrackable_part(obj):
    """The first value in `obj` (or `obj` itself) that a checkpoint cannot hold, else None."""
    kind = kind_of(obj)
    if kind is None:
        return obj
    if kind == LIST:
        for item in obj:
            bad = untrackable_part(item)
            if bad is not None:
                return bad
    elif kind == DICT:
        for item in obj.values():
            bad = untrackable_part(item)
            if bad is not None:
                return bad
    return None


def escape(edge) -> str:
    """An edge name usable as one segment of a `/`-separated path."""
    return str(edge).replace("%", "%25").replace("/", "%2F")


def slot_owner_map(optimizer) -> dict[int, tuple[str, int]]:
    """Maps id(slot variable) -> (slot name, index of its model variable) for a Keras optimizer."""
    owners = {}
    for name, slots in optimizer._slots.items():
        for index, slot in enumerate(slots):
            owners[id(slot)] = (name, index)
    return owners


def _module_children(module) -> list:
    strings = module.__dict__.get("_tork_string_weights")
    if strings:
        # Refused rather than left out: a restore would keep the layer's current strings.
        raise NotImplementedError(
            f"tf.train.Checkpoint: cannot save the string weight '{strings[0].path}' of "
            f"{type(module).__name__} '{getattr(module, 'name', '')}': tork checkpoints hold "
            "numeric variables only. Save the strings yourself (e.g. "
            "`np.save(path, weight.numpy())`) and `assign` them after restoring."
        )
    items = []
    for name, param in module._parameters.items():
        if param is not None:
            items.append((name, param))
    skip = module._non_persistent_buffers_set
    for name, buffer in module._buffers.items():
        if buffer is not None and name not in skip:
            items.append((name, buffer))
    functional = "_tork_functional_layers" in module.__dict__
    for name, child in module._modules.items():
        if child is None:
            continue
        if functional and name == "layers":
            # Keyed by position: layer names differ between two instances of one model.
            items.append((name, list(module.__dict__["_tork_functional_layers"])))
        else:
            items.append((name, child))
    taken = {name for name, _ in items}
    optimizer = module.__dict__.get("_tork_optimizer")
    optimizer_kinds = (OPTIMIZER, TORCH_OPTIMIZER)
    if optimizer is not None and "optimizer" not in taken and kind_of(optimizer) in optimizer_kinds:
        items.append(("optimizer", optimizer))
        taken.add("optimizer")
    for name, value in module.__dict__.items():
        if name.startswith("_") or name in taken:
            continue
        if kind_of(value) in _ATTRIBUTE_KINDS:
            items.append((name, value))
    aliases = getattr(module, "_tork_checkpoint_aliases", None)
    if aliases is not None:
        # Variables a layer shares with a sublayer that TensorFlow tracks as the layer's own
        # attribute too (tf_keras's SpectralNormalization `kernel`): the shorter path keys it.
        for name, value in aliases():
            if name not in taken:
                items.append((name, value))
    return items


def _optimizer_children(optimizer) -> list:
    items = [("iteration", optimizer._iterations)]
    learning_rate = optimizer._learning_rate
    if isinstance(learning_rate, torch.Tensor):
        items.append(("learning_rate", learning_rate))
    skip = {id(optimizer._iterations), id(learning_rate)}
    skip.update(slot_owner_map(optimizer))
    for index, variable in enumerate(optimizer._variables):
        if id(variable) not in skip:
            items.append((f"variable-{index}", variable))
    for name, value in vars(optimizer).items():
        if not name.startswith("_") and kind_of(value) in (OPTIMIZER, TORCH_OPTIMIZER):
            items.append((name, value))
    # Dependencies declared with `_track_trackable` (a wrapper's inner optimizer).
    taken = {name for name, _ in items}
    for name, value in optimizer.__dict__.get("_tork_tracked", {}).items():
        if name not in taken and kind_of(value) is not None:
            items.append((name, value))
    return items


def _metric_children(metric) -> list:
    # Named as TensorFlow tracks them: by the attribute holding each variable
    # (`self.total = self.add_weight("total")`), else by the variable's own name.
    attributes = {}
    for name, value in vars(metric).items():
        if isinstance(value, torch.Tensor) and id(value) not in attributes:
            attributes[id(value)] = name
    items, taken = [], set()
    for index, variable in enumerate(getattr(metric, "_variables", ())):
        name = attributes.get(id(variable))
        if name is None:
            label = str(getattr(variable, "name", "") or "")
            name = label.rsplit("/", 1)[-1].split(":")[0] or f"variable-{index}"
        name = name.lstrip("_") or f"variable-{index}"
        if name in taken:
            name = f"{name}-{index}"
        taken.add(name)
        items.append((name, variable))
    # Metrics held by the metric (a wrapper's inner metric).
    for name, value in vars(metric).items():
        if not name.startswith("_") and name not in taken and kind_of(value) == METRIC:
            items.append((name, value))
    return items


def checkpoint_children(checkpoint) -> list:
    items = []
    root = checkpoint._root
    if root is not None:
        items.extend(children(root))
    taken = {name for name, _ in items}
    for name, value in checkpoint._children.items():
        if name not in taken:
            items.append((name, value))
    if checkpoint._save_counter is not None and "save_counter" not in taken:
        items.append(("save_counter", checkpoint._save_counter))
    return items


def children(obj, kind: str | None = None) -> list:
    """The `(edge name, child)` pairs of `obj`, in a deterministic order."""
    kind = kind or kind_of(obj)
    if kind == MODULE:
        return _module_children(obj)
    if kind == OPTIMIZER:
        return _optimizer_children(obj)
    if kind == CHECKPOINT:
        return checkpoint_children(obj)
    if kind == METRIC:
        return _metric_children(obj)
    if kind == LIST:
        return [(str(i), item) for i, item in enumerate(obj)]
    if kind == DICT:
        return [(str(key), item) for key, item in obj.items()]
    return []


def child(obj, edge: str):
    """The child of `obj` along `edge`, or None."""
    for name, value in children(obj):
        if name == edge:
            return value
    return None


class Graph:
    """The object graph reachable from a root, walked breadth first.

    Attributes:
        objects: the node objects; node 0 is the root.
        kinds: the kind of each node.
        paths: the first path of each node (`model/layers/0/kernel`).
        parents: the node each node was first reached from (-1 for the root).
        edges: per node, a dict edge name -> child node index.
        index: id(object) -> node index, for identity-deduplicated kinds.
    """

    def __init__(self, root, root_kind: str | None = None):
        self.objects = [root]
        self.kinds = [root_kind or kind_of(root)]
        self.paths = [""]
        self.parents = [-1]
        self.edges: list[dict] = []
        self.index = {id(root): 0}
        position = 0
        while position < len(self.objects):
            obj, kind = self.objects[position], self.kinds[position]
            out: dict = {}
            for edge, value in children(obj, kind):
                value_kind = kind_of(value)
                if value_kind is None:
                    continue
                known = self.index.get(id(value)) if value_kind in _IDENTITY_KINDS else None
                if known is None:
                    known = len(self.objects)
                    self.objects.append(value)
                    self.kinds.append(value_kind)
                    parent = self.paths[position]
                    self.paths.append(f"{parent}/{escape(edge)}" if parent else escape(edge))
                    self.parents.append(position)
                    if value_kind in _IDENTITY_KINDS:
                        self.index[id(value)] = known
                out[edge] = known
            self.edges.append(out)
            position += 1
