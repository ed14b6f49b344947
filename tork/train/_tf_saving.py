"""Writes a checkpoint as TensorFlow does: a tensor bundle with TensorFlow's object graph.

The graph is walked breadth first from the root with TensorFlow's edge names
(`_tf_names`): `layer_with_weights-N`/`layer-N` for the layers of functional and
Sequential models, attribute names elsewhere, `optimizer`, `save_counter`. Each
variable's value is stored under the path that first reaches it plus
`/.ATTRIBUTES/VARIABLE_VALUE`, as TensorFlow keys them, so TensorFlow restores
tork's checkpoints into the same tf.keras code and tork restores TensorFlow's.

Optimizers are written as tf_keras writes them:

- the new optimizers: `_iterations`, `_learning_rate`, the list `_variables`
  (iterations then the slots, in the order tf_keras's `build` creates them) and
  the per-slot lists (`_momentums`, `_velocities`, ...); a slot's full name is
  `<optimizer>/<slot>/<variable>`, which tork reads back to pair it with its
  variable;
- the legacy ones (`keras.optimizers.legacy.*`): `iter`, the hyperparameters
  and `learning_rate`, and the slots as the graph's `slot_variables`, keyed by
  `<variable path>/.OPTIMIZER_SLOT/<optimizer path>/<slot>`.

State TensorFlow's format has no place for is stored in extra entries TensorFlow
skips with `expect_partial()`: a torch optimizer's `state_dict()` as a string
tensor (`torch.save` bytes, read back with `weights_only=True`) under the
attribute `TORK_TORCH_STATE`.
"""

from __future__ import annotations

import io

import numpy as np
import torch

from tork.train import _graph, _object_graph_proto, _tensor_bundle, _tf_names, _tf_optimizer_state
from tork.train._graph import CHECKPOINT, MODULE, OPTIMIZER, TORCH_OPTIMIZER, VARIABLE
from tork.train._object_graph_proto import Attribute, Node, Slot

TORCH_STATE = _tf_names.TORCH_STATE
TRAINABLE_HINT = _tf_names.TRAINABLE_HINT
_VALUE = "VARIABLE_VALUE"

# tf_keras's new optimizers: the loops of their `build`, each a list of
# (tork slot, tf_keras list attribute, tf_keras variable name). `_variables` holds the
# slots loop by loop, variable by variable within a loop.
_NEW_SLOTS = {
    "Adam": [
        [("momentum", "_momentums", "m"), ("velocity", "_velocities", "v")],
        [("velocity_hat", "_velocity_hats", "vhat")],
    ],
    "Adamax": [[("momentum", "_m", "m"), ("norm", "_u", "u")]],
    "Adagrad": [[("accumulator", "_accumulators", "accumulator")]],
    "Adadelta": [
        [
            ("accumulated_grad", "_accumulated_grads", "accumulated_grad"),
            ("accumulated_delta_var", "_accumulated_delta_vars", "accumulated_delta_var"),
        ]
    ],
    "Ftrl": [[("accumulator", "_accumulators", "accumulator"), ("linear", "_linears", "linear")]],
    "Lion": [[("momentum", "momentums", "m")]],
    "Nadam": [[("momentum", "_momentums", "m"), ("velocity", "_velocities", "v")]],
    "RMSprop": [
        [("velocity", "_velocities", "velocity")],
        [("momentum", "_momentums", "momentum")],
        [("average_gradient", "_average_gradients", "average_gradient")],
    ],
    "SGD": [[("momentum", "momentums", "m")]],
}
_NEW_SLOTS["AdamW"] = _NEW_SLOTS["Adam"]
_EMA = ("average", "_model_variables_moving_average", "average")


def _escape(name: str) -> str:
    # TensorFlow's escaping of a local name inside a checkpoint key.
    return str(name).replace(".", "..").replace("/", ".S")


def _class_name(optimizer) -> str:
    from tork.keras.optimizers import _legacy_apply

    klass = _legacy_apply.builtin_class(optimizer)
    return klass.__name__ if klass is not None else type(optimizer).__name__


def _slot_loops(optimizer) -> list:
    """The optimizer's slots as tf_keras's loops: [(tork name, list attribute, short)]."""
    known = _NEW_SLOTS.get(_class_name(optimizer))
    present = set(optimizer._slots)
    # `use_ema=True`: tf_keras's base `build` creates the moving averages first, before the
    # optimizer's own slots; TensorFlow restores `_variables` by position.
    first = [[_EMA]] if "average" in present else []
    if known is None:
        rest = [(name, None, name) for name in optimizer._slots if name != "average"]
        return first + ([rest] if rest else [])
    loops = [[item for item in loop if item[0] in present] for loop in known]
    listed = {item[0] for loop in loops for item in loop} | {"average"}
    extra = [(name, None, name) for name in optimizer._slots if name not in listed]
    return first + [loop for loop in loops if loop] + ([extra] if extra else [])


class _Builder:
    def __init__(self):
        self.objects: list = []
        self.kinds: list = []
        self.paths: list = []
        self.nodes: list[Node] = []
        self.index: dict[int, int] = {}
        self.tensors: dict = {}

    def add(self, obj, kind: str, path: str) -> int:
        if kind in _graph._IDENTITY_KINDS and id(obj) in self.index:
            return self.index[id(obj)]
        self.objects.append(obj)
        self.kinds.append(kind)
        self.paths.append(path)
        self.nodes.append(Node())
        position = len(self.objects) - 1
        if kind in _graph._IDENTITY_KINDS:
            self.index[id(obj)] = position
        return position


def _new_optimizer_children(optimizer, names: dict) -> list:
    """tf_keras's edges of a new optimizer; fills `names` with each slot's full name."""
    items = [("_iterations", optimizer._iterations)]
    rate = optimizer.__dict__.get("_learning_rate")
    if isinstance(rate, torch.Tensor):
        items.append(("_learning_rate", rate))
    variables = optimizer._trainable_variables
    slot_ids = {id(s) for slots in optimizer._slots.values() for s in slots}
    extras = [
        v
        for v in optimizer._variables[1:]
        if v is not rate and id(v) not in slot_ids and v is not optimizer._iterations
    ]
    ordered, lists = [], []
    label = str(getattr(optimizer, "name", "") or type(optimizer).__name__)
    all_slots = dict(optimizer._slots)
    loops = _slot_loops(optimizer)
    if _tf_names.is_plain_sgd(optimizer) and variables:
        # tf_keras's SGD keeps momentum slots even without momentum (they stay zero):
        # written as zeros, so TensorFlow's restore finds every variable it creates.
        all_slots["momentum"] = [torch.zeros_like(v) for v in variables]
        loops = _NEW_SLOTS["SGD"]
    for loop in loops:
        for index in range(len(variables)):
            for slot_name, _, short in loop:
                slots = all_slots[slot_name]
                if index < len(slots):
                    ordered.append(slots[index])
                    names[id(slots[index])] = (label, short, variables[index])
        for slot_name, attribute, _ in loop:
            if attribute is not None:
                lists.append((attribute, list(all_slots[slot_name])))
    if _class_name(optimizer) == "Adafactor" and {"r", "c", "velocity"} <= set(all_slots):
        ordered, lists = _adafactor_layout(optimizer, names, label)
    builtin = _class_name(optimizer) in _NEW_SLOTS or _class_name(optimizer) == "Adafactor"
    # A built-in's other variables are attributes in tf_keras too (Nadam's `_u_product`),
    # outside `_variables`; a user optimizer's `add_variable` ones are in `_variables`.
    attributes = {id(v): n for n, v in vars(optimizer).items() if isinstance(v, torch.Tensor)}
    named = [(attributes[id(v)], v) for v in extras if id(v) in attributes]
    listed = [optimizer._iterations, *([] if builtin else extras), *ordered]
    items.append(("_variables", listed))
    return items + lists + (named if builtin else [])


def _adafactor_layout(optimizer, names: dict, label: str) -> tuple[list, list]:
    """tf_keras's Adafactor: `_variables` holds, variable by variable, `r` and `c` (rank >= 2
    only) then `v`; a rank-1 variable's `r` and `c` are int32 scalar zeros kept only in the
    lists `_r` and `_c`."""
    ordered, rows, columns = [], [], []
    slots = optimizer._slots
    for index, variable in enumerate(optimizer._trainable_variables):
        row, column, velocity = slots["r"][index], slots["c"][index], slots["velocity"][index]
        if variable.ndim >= 2:
            ordered += [row, column]
        else:
            row = column = None
        for slot, short, target in ((row, "r", rows), (column, "c", columns)):
            if slot is None:
                slot = torch.zeros((), dtype=torch.int32)
            names[id(slot)] = (label, short, variable)
            target.append(slot)
        ordered.append(velocity)
        names[id(velocity)] = (label, "v", variable)
    return ordered, [("_r", rows), ("_c", columns), ("_v", list(slots["velocity"]))]


def _legacy_optimizer_children(optimizer) -> list:
    items = [("iter", optimizer._iterations)]
    for name, value in vars(optimizer).items():
        if name.startswith("_tork_hyper_") and isinstance(value, torch.Tensor):
            items.append((name.removeprefix("_tork_hyper_"), value))
    decay = optimizer.__dict__.get("_decay_variable")
    if isinstance(decay, torch.Tensor):
        items.append(("decay", decay))
    rate = optimizer.__dict__.get("_learning_rate")
    if isinstance(rate, torch.Tensor):
        items.append(("learning_rate", rate))
    # tf_keras's variables for what tork keeps in floats (legacy Nadam's `beta_1`, `decay`).
    klass = _class_name(optimizer)
    taken = {name for name, _ in items}
    for name in _tf_optimizer_state.FLOAT_HYPERS.get(klass, ()):
        hyper = _tf_optimizer_state.float_hyper(optimizer, name)
        if hyper is not None and name not in taken:
            items.append((name, hyper))
    product = optimizer.__dict__.get("_u_product")
    if klass == "Nadam" and isinstance(product, torch.Tensor):
        items.append(("momentum_cache", product))  # legacy Nadam's name for it
    return items


def tf_children(obj, kind: str, slot_names: dict) -> list:
    """The `(TensorFlow edge name, child)` pairs of a live object, in TensorFlow's order."""
    if kind == MODULE:
        layers = _tf_names._model_layers(obj)
        items = []
        if layers is not None:
            weighted = 0
            for position, layer in enumerate(layers):
                if _tf_names._has_weights(layer):
                    items.append((f"layer_with_weights-{weighted}", layer))
                    weighted += 1
                items.append((f"layer-{position}", layer))
        for name, value in _graph.children(obj, MODULE):
            if layers is not None and name == "layers":
                continue
            items.append((name, value))
        table = _EmptyTable.of(obj)
        if table is not None:
            items.append(("token_counts", table))
        return items
    if kind == CHECKPOINT and getattr(obj, "_root", None) is not None:
        # `Checkpoint(root=model)` (what `save_weights` writes): the model's children first.
        root = obj._root
        items = tf_children(root, _graph.kind_of(root), slot_names)
        taken = {name for name, _ in items}
        for name, value in _graph.children(obj, CHECKPOINT):
            if name not in taken and name not in dict(_graph.children(root)):
                items.append((name, value))
        return items
    if kind == CHECKPOINT:
        # `tf.train.Checkpoint(**kwargs)` tracks its keyword arguments sorted by name, then
        # `save_counter`: the first path to a shared object (its key) follows that order.
        items = _graph.children(obj, kind)
        counter = [item for item in items if item[0] == "save_counter"]
        return (
            sorted((item for item in items if item[0] != "save_counter"), key=lambda i: i[0])
            + counter
        )
    if kind == OPTIMIZER and _tf_optimizer_state.wrapped_optimizer(obj) is not None:
        # tf_keras's LossScaleOptimizer: the inner optimizer's edges on the wrapper's node,
        # then the dynamic scale's state.
        items = tf_children(_tf_optimizer_state.wrapped_optimizer(obj), OPTIMIZER, slot_names)
        state = _tf_optimizer_state.loss_scale_state(obj)
        if state is not None:
            items.insert(
                len(items) - 1 if items[-1][0] == TRAINABLE_HINT else len(items),
                ("loss_scale", state),
            )
        return items
    if kind == OPTIMIZER:
        if obj._tork_keras2_layout:
            items = _legacy_optimizer_children(obj)
        else:
            items = _new_optimizer_children(obj, slot_names)
        if obj._trainable_variables:
            # tork's hint (TensorFlow has no field for it): the variables the optimizer was
            # built on, in order, so tork rebuilds it exactly. A node without values of its
            # own, which TensorFlow's restore passes over.
            items.append((TRAINABLE_HINT, list(obj._trainable_variables)))
        taken = {name for name, _ in items}
        named = {id(value) for _, value in items if isinstance(value, torch.Tensor)}
        for name, value in _graph.children(obj, OPTIMIZER):
            if id(value) in named:
                continue  # already under tf_keras's name (Nadam's `_u_product`)
            # tork's other optimizer variables keep tork's names (`variable-2`, by position
            # in `_variables`), so they are restored when the optimizer is built.
            if name not in ("iteration", "learning_rate") and name not in taken:
                items.append((name, value))
        return items
    return _graph.children(obj, kind)


class _EmptyTable:
    """A lookup layer's `token_counts` as tf_keras checkpoints it: its `adapt` accumulator,
    a hash table that is empty once `adapt` finished. Written (empty) so that TensorFlow's
    `assert_consumed` finds a value for the table its lookup layers track."""

    KIND = "table"

    def __init__(self, key_dtype):
        self.key_dtype = key_dtype

    @classmethod
    def of(cls, layer):
        from tork.keras.layers.preprocessing._index_lookup import IndexLookup
        from tork.keras.layers.preprocessing.integer_lookup import IntegerLookup

        if not isinstance(layer, IndexLookup):
            return None
        return cls(np.int64 if isinstance(layer, IntegerLookup) else object)

    def tensors(self) -> tuple:
        keys = np.zeros((0,), dtype=self.key_dtype)
        return keys, torch.zeros((0,), dtype=torch.int64)


def _kind(value) -> str | None:
    return _EmptyTable.KIND if isinstance(value, _EmptyTable) else _graph.kind_of(value)


def _full_name(variable, fallback: str) -> str:
    name = str(getattr(variable, "name", "") or "")
    return name.removesuffix(":0") or fallback


def build(root, root_kind: str | None = None) -> tuple[dict, bytes]:
    """The tensors (key -> value) and serialized object graph of a checkpoint of `root`."""
    builder = _Builder()
    builder.add(root, root_kind or _graph.kind_of(root), "")
    slot_names: dict = {}  # id(slot) -> (short name, model variable), new optimizers
    position = 0
    hints = []
    while position < len(builder.objects) or hints:
        if position == len(builder.objects):
            # tork's hint lists last: the variables they name keep the paths TensorFlow
            # gives them (`model/...`), even when the optimizer comes first (sorted).
            node, base, edge, value = hints.pop(0)
            path = f"{base}/{_escape(edge)}" if base else _escape(edge)
            node.children.append((builder.add(value, _kind(value), path), edge))
            continue
        obj, kind = builder.objects[position], builder.kinds[position]
        node = builder.nodes[position]
        base = builder.paths[position]
        for edge, value in tf_children(obj, kind, slot_names):
            value_kind = _kind(value)
            if value_kind is None:
                continue
            if edge == TRAINABLE_HINT:
                hints.append((node, base, edge, value))
                continue
            path = f"{base}/{_escape(edge)}" if base else _escape(edge)
            node.children.append((builder.add(value, value_kind, path), edge))
        position += 1
    _attach_values(builder, slot_names)
    _mark_values(builder)
    return builder.tensors, _object_graph_proto.serialize(builder.nodes)


def _attach_values(builder: _Builder, slot_names: dict) -> None:
    full_names: dict[int, str] = {}
    taken: dict[str, int] = {}
    for position, (obj, kind) in enumerate(zip(builder.objects, builder.kinds)):
        if kind == VARIABLE and id(obj) not in slot_names:
            name = _full_name(obj, builder.paths[position])
            # Unique full names: tork pairs new optimizers' slots with variables by them.
            if name in taken and taken[name] != position:
                name = builder.paths[position]
            taken[name] = position
            full_names[id(obj)] = name
    for position in range(len(builder.objects)):
        obj, kind, node = (
            builder.objects[position],
            builder.kinds[position],
            builder.nodes[position],
        )
        key = f"{builder.paths[position]}/.ATTRIBUTES/{_VALUE}"
        if kind == VARIABLE:
            if id(obj) in slot_names:
                label, short, variable = slot_names[id(obj)]
                owner = full_names.get(id(variable), _full_name(variable, "variable"))
                full = f"{label}/{short}/{owner}"
            else:
                full = full_names[id(obj)]
            node.attributes.append(Attribute(_VALUE, full, key))
            builder.tensors[key] = _plain(obj)
        elif kind == _EmptyTable.KIND:
            key = f"{builder.paths[position]}/.ATTRIBUTES/{_tf_names._TABLE}"
            node.attributes.append(Attribute(_tf_names._TABLE, "", key))
            keys, values = obj.tensors()
            builder.tensors[f"{key}-keys"] = keys
            builder.tensors[f"{key}-values"] = values
        elif kind == TORCH_OPTIMIZER:
            key = f"{builder.paths[position]}/.ATTRIBUTES/{TORCH_STATE}"
            buffer = io.BytesIO()
            torch.save(obj.state_dict(), buffer)
            node.attributes.append(Attribute(TORCH_STATE, type(obj).__name__, key))
            builder.tensors[key] = buffer.getvalue()
        elif kind == OPTIMIZER:
            optimizer = _tf_optimizer_state.wrapped_optimizer(obj) or obj
            if optimizer._tork_keras2_layout:
                _legacy_slots(builder, position, optimizer)


def _legacy_slots(builder: _Builder, position: int, optimizer) -> None:
    from tork.keras.optimizers import _legacy_layout

    variables = optimizer._trainable_variables
    name = str(getattr(optimizer, "name", "") or type(optimizer).__name__)
    for slot_name, slots in optimizer._slots.items():
        short = _legacy_layout.keras2_slot_name(optimizer, slot_name)
        for index, slot in enumerate(slots):
            owner = builder.index.get(id(variables[index])) if index < len(variables) else None
            if owner is None or builder.kinds[owner] != VARIABLE:
                continue  # as in TensorFlow: slots of variables outside the checkpoint
            key = (
                f"{builder.paths[owner]}/.OPTIMIZER_SLOT/{builder.paths[position]}/"
                f"{_escape(short)}/.ATTRIBUTES/{_VALUE}"
            )
            full = f"{name}/{_full_name(variables[index], 'variable')}/{short}"
            slot_node = Node(attributes=[Attribute(_VALUE, full, key)])
            builder.objects.append(slot)
            builder.kinds.append(VARIABLE)
            builder.paths.append(key)
            builder.nodes.append(slot_node)
            builder.tensors[key] = _plain(slot)
            builder.nodes[position].slot_variables.append(
                Slot(owner, short, len(builder.nodes) - 1)
            )


def _mark_values(builder: _Builder) -> None:
    nodes = builder.nodes
    holds = [bool(node.attributes) or bool(node.slot_variables) for node in nodes]
    hints = {t for node in nodes for t, name in node.children if name == TRAINABLE_HINT}
    changed = True
    while changed:
        changed = False
        for position, node in enumerate(nodes):
            if position in hints:
                continue
            if not holds[position] and any(holds[t] for t, _ in node.children):
                holds[position] = changed = True
    for position, node in enumerate(nodes):
        node.has_checkpoint_values = holds[position]


def _plain(tensor: torch.Tensor) -> torch.Tensor:
    value = tensor.detach()
    if type(value) is not torch.Tensor:
        value = value.as_subclass(torch.Tensor)
    return value


def write(prefix: str, root, root_kind: str | None = None) -> None:
    """Writes the checkpoint of `root` at `prefix` in TensorFlow's format, atomically."""
    with _object_graph_proto.no_gc():
        tensors, graph = build(root, root_kind)
    tensors[_object_graph_proto.GRAPH_KEY] = np.array(graph, dtype=object)
    _tensor_bundle.write_tensor_bundle(prefix, tensors)
