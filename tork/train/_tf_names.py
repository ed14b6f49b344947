"""TensorFlow's names for the objects of a checkpoint, and TensorFlow's object graph as nodes
that `_restore.Restoration` matches.

TensorFlow names the edges of a checkpoint's object graph as Keras 2 tracks them:

- a functional or Sequential model's layers as `layer-N` (the N-th of `model.layers`)
  and also `layer_with_weights-N` (the N-th layer that has weights);
- other layers and models by the attribute holding each sublayer or variable
  (`hidden`, `kernel`, `moving_mean`), lists by index;
- a compiled model's `optimizer`; a `tf.train.Checkpoint`'s keyword arguments and
  `save_counter`;
- an optimizer's `_iterations` and `_learning_rate` (Keras 2's new optimizers; its
  slots are the list `_variables`, positional after `_iterations`, with full names
  `Adam/m/<variable>`), or `iter`, `learning_rate` and hyperparameters such as
  `beta_1` (legacy optimizers; their slots are the graph's `slot_variables`, keyed by
  their model variable).

`child` finds a live object's child by such a name; `restoration_nodes` turns a
parsed `TrackableObjectGraph` into the node dicts that `_restore` matches with it.
"""

from __future__ import annotations

import re

import torch

from tork.train import _graph
from tork.train._graph import CHECKPOINT, METRIC, MODULE, OPTIMIZER, TORCH_OPTIMIZER, VARIABLE
from tork.train._tf_optimizer_state import float_hyper, loss_scale_state, wrapped_optimizer

# Kinds of converted TensorFlow nodes besides `_graph`'s: any object with named children,
# a slot variable (restored through its optimizer) and a node that holds no value.
ANY = "object"
SLOT = "slot"
EMPTY = "empty"
# The attribute under which tork stores a torch optimizer's `state_dict()` (`_tf_saving`).
TORCH_STATE = "TORK_TORCH_STATE"
# The edge from an optimizer to the list of variables it was built on, in order (tork's).
TRAINABLE_HINT = "_tork_variables"
_LAYER = re.compile(r"layer-(\d+)")
_WITH_WEIGHTS = re.compile(r"layer_with_weights-(\d+)")
# The attribute name of a TensorFlow hash table's value (keys and values under `-keys`,
# `-values`), e.g. a lookup layer's `token_counts`.
_TABLE = "table"
# Slot names of tf_keras's new optimizers that tork names differently.
_NEW_SLOT_NAMES = {"m": "momentum", "v": "velocity", "vhat": "velocity_hat", "u": "norm"}
# Legacy optimizers' slot names tork names differently, beyond `_legacy_apply`'s table.
_LEGACY_SLOT_NAMES = {"m": "momentum", "v": "velocity", "vhat": "velocity_hat"}


def _model_layers(module):
    """`model.layers` for a functional or Sequential model (named `layer-N`), else None."""
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.sequential import Sequential

    if isinstance(module, (Functional, Sequential)):
        return list(module.layers)
    return None


def _has_weights(layer) -> bool:
    try:
        return bool(layer.weights)
    except (AttributeError, RuntimeError):
        return False


def _optimizer_child(optimizer, edge: str, delegate: bool = True):
    inner = wrapped_optimizer(optimizer) if delegate else None
    if inner is not None:
        if edge == "loss_scale":
            return loss_scale_state(optimizer)
        if edge in ("inner_optimizer", "step_counter", "dynamic_scale"):
            return getattr(optimizer, edge)  # Keras 3's names
        return _optimizer_child(inner, edge)
    if edge in ("_iterations", "iter", "iterations"):
        return optimizer._iterations
    if edge in ("_learning_rate", "learning_rate", "lr"):
        rate = optimizer.__dict__.get("_learning_rate")
        return rate if isinstance(rate, torch.Tensor) else None
    if edge == "decay":
        decay = optimizer.__dict__.get("_decay_variable")
        if isinstance(decay, torch.Tensor):
            return decay
    value = dict(_graph.children(optimizer, OPTIMIZER)).get(edge)
    if value is not None:
        return value
    if not edge.startswith("_"):
        # A legacy optimizer's hyperparameter variable (`beta_1`, `rho`, `momentum`).
        try:
            value = getattr(optimizer, edge, None)
        except Exception:  # noqa: BLE001 - a property that fails: no such child
            value = None
        if isinstance(value, torch.Tensor):
            return value
    hyper = float_hyper(optimizer, edge)
    if hyper is not None:
        return hyper
    if edge == "momentum_cache":
        # Legacy Nadam's running product of the momentum schedule (tork's `_u_product`).
        value = optimizer.__dict__.get("_u_product")
        return value if isinstance(value, torch.Tensor) else None
    # Another variable tf_keras keeps in an attribute of the same name (Nadam's `_u_product`).
    value = optimizer.__dict__.get(edge)
    return value if isinstance(value, torch.Tensor) else None


def lookup(obj, kind: str | None, own: bool = False):
    """`child(obj, kind, edge)` as a function of `edge`, with `obj`'s edges listed once.

    `own`: an optimizer's own edges only (a Keras 3 `LossScaleOptimizer` node, which
    does not delegate to its inner optimizer as tf_keras's does).
    """
    kind = kind or _graph.kind_of(obj)
    if kind == OPTIMIZER and own:
        # Keras 3's LossScaleOptimizer node: its own `_iterations`, `_learning_rate`,
        # `step_counter`, `dynamic_scale`, and the inner optimizer under `inner_optimizer`.
        return lambda edge: _optimizer_child(obj, edge, delegate=False)
    if kind == OPTIMIZER:
        return lambda edge: child(obj, kind, edge)
    if kind == CHECKPOINT and obj._root is not None:
        # `Checkpoint(root=model)`: the model's children first, then the checkpoint's own.
        inner = lookup(obj._root, None)
        own = dict(_graph.children(obj, kind))
        return lambda edge: inner(edge) if inner(edge) is not None else own.get(edge)
    edges = {}
    if kind == MODULE:
        layers = _model_layers(obj)
        if layers is not None:
            weighted = 0
            for position, layer in enumerate(layers):
                edges[f"layer-{position}"] = layer
                if _has_weights(layer):
                    edges[f"layer_with_weights-{weighted}"] = layer
                    weighted += 1
    if kind in (MODULE, CHECKPOINT, METRIC, _graph.LIST, _graph.DICT):
        for name, value in _graph.children(obj, kind):
            edges.setdefault(name, value)
    return edges.get


def child(obj, kind: str | None, edge: str):
    """The child of live `obj` that TensorFlow's checkpoints name `edge`, or None."""
    kind = kind or _graph.kind_of(obj)
    if kind == MODULE:
        layers = _model_layers(obj)
        if layers is not None:
            match = _LAYER.fullmatch(edge)
            if match:
                index = int(match.group(1))
                return layers[index] if index < len(layers) else None
            match = _WITH_WEIGHTS.fullmatch(edge)
            if match:
                weighted = [layer for layer in layers if _has_weights(layer)]
                index = int(match.group(1))
                return weighted[index] if index < len(weighted) else None
        return dict(_graph.children(obj, kind)).get(edge)
    if kind == OPTIMIZER:
        return _optimizer_child(obj, edge)
    if kind == CHECKPOINT and obj._root is not None:
        # `Checkpoint(root=model)` (what `save_weights` writes): the model's children first.
        value = child(obj._root, None, edge)
        if value is not None:
            return value
    if kind in (CHECKPOINT, METRIC) or kind in (_graph.LIST, _graph.DICT):
        return dict(_graph.children(obj, kind)).get(edge)
    return None


def is_plain_sgd(optimizer) -> bool:
    """A (new) SGD without momentum: tork gives it no slots, tf_keras zero `m` slots."""
    from tork.keras.optimizers import _legacy_apply

    klass = _legacy_apply.builtin_class(optimizer)
    return (
        klass is not None
        and klass.__name__ == "SGD"
        and not optimizer._tork_keras2_layout
        and "momentum" not in optimizer._slots
        and not getattr(optimizer, "momentum", 0)
    )


def legacy_slot_name(optimizer, name: str) -> str:
    """tork's name for the slot a legacy (Keras 2) optimizer's checkpoint calls `name`."""
    from tork.keras.optimizers import _legacy_apply

    translated = _legacy_apply.tork_slot_name(optimizer, name)
    if translated in optimizer._slots:
        return translated
    return _LEGACY_SLOT_NAMES.get(name, name)


def _tork_slot_name(name: str, legacy: bool) -> str:
    table = _LEGACY_SLOT_NAMES if legacy else _NEW_SLOT_NAMES
    return table.get(name, name)


def restoration_nodes(nodes: list, present) -> list[dict]:
    """TensorFlow's object graph `nodes` (`_object_graph_proto.Node`) as `_restore` nodes.

    Args:
        nodes: the parsed `TrackableObjectGraph`.
        present: a container of the checkpoint keys the bundle holds.

    Returns:
        One dict per node, index for index: `kind`, `children` (edge -> node),
        `tensor` for variables, `trainable` and `slots` for optimizers.
    """
    count = len(nodes)
    full_names: dict[str, int] = {}
    out: list[dict] = []
    for node in nodes:
        value = next((a for a in node.attributes if a.name == "VARIABLE_VALUE"), None)
        state = next((a for a in node.attributes if a.name == TORCH_STATE), None)
        if value is not None and value.checkpoint_key in present:
            out.append({"kind": VARIABLE, "tensor": value.checkpoint_key, "children": {}})
        elif state is not None and state.checkpoint_key in present:
            # A torch optimizer's state_dict, in the extra entry tork writes for it.
            out.append({"kind": TORCH_OPTIMIZER, "state": state.checkpoint_key, "children": {}})
        else:
            out.append({"kind": ANY, "children": {}})
    # Which nodes hold values (themselves or below): the others are left out, as TF does.
    # A lookup layer's `token_counts` (a hash table: `table-keys`/`table-values`) holds
    # only its `adapt` accumulator, which TensorFlow restores without rebuilding the
    # vocabulary and `adapt` resets: nothing for tork to restore, so it counts as empty.
    holds = [
        bool(node.attributes) and not all(a.name == _TABLE for a in node.attributes)
        for node in nodes
    ]
    changed = True
    while changed:
        changed = False
        for position, node in enumerate(nodes):
            if holds[position]:
                continue
            if node.slot_variables or any(0 <= t < count and holds[t] for t, _ in node.children):
                holds[position] = changed = True
    slot_nodes = {s.slot_variable_node_id for n in nodes for s in n.slot_variables}
    for position, node in enumerate(nodes):
        if out[position]["kind"] == VARIABLE and position not in slot_nodes:
            full = next(a.full_name for a in node.attributes if a.name == "VARIABLE_VALUE")
            full_names.setdefault(full, []).append(position)
    parents = _parents(nodes)
    for position, node in enumerate(nodes):
        if not holds[position]:
            out[position]["kind"] = EMPTY
            continue
        names = {name for _, name in node.children}
        if node.slot_variables or names & {"_iterations", "iter"}:
            _optimizer_node(nodes, out, position, full_names, parents)
        targets_by_layer = {t for t, name in node.children if _LAYER.fullmatch(name)}
        edges = out[position]["children"]
        for target, name in node.children:
            if not 0 < target < count or not holds[target] or name in edges:
                continue
            if _WITH_WEIGHTS.fullmatch(name) and target in targets_by_layer:
                # `layer-N` names the same layer and does not depend on which are built.
                continue
            if out[position]["kind"] == OPTIMIZER and name in out[position]["_skip"]:
                continue
            edges[name] = target
        out[position].pop("_skip", None)
    for position in slot_nodes:
        if 0 <= position < count:
            out[position]["kind"] = SLOT
    return out


def _parents(nodes: list) -> list[set]:
    """Each node's parents (every node with an edge to it)."""
    parents: list[set] = [set() for _ in nodes]
    for position, node in enumerate(nodes):
        for target, _ in node.children:
            if 0 <= target < len(nodes) and target != position:
                parents[target].add(position)
    return parents


def _owner(candidates: list, optimizer: int, nodes: list, parents: list) -> int | None:
    """The variable among `candidates` (same full name) that `optimizer` trains, or None.

    Two models may name their variables alike (`d/kernel`). A compiled model tracks its
    optimizer: the candidate below a node with an edge to `optimizer` is its variable.
    """
    if len(candidates) == 1:
        return candidates[0]
    owners = {p for p, node in enumerate(nodes) if any(t == optimizer for t, _ in node.children)}
    distances = {}
    for candidate in candidates:
        seen, layer, distance = {candidate}, {candidate}, 0
        while layer and not layer & owners:
            layer = {p for current in layer for p in parents[current]} - seen
            seen |= layer
            distance += 1
        if layer:
            distances[candidate] = distance
    if not distances:
        return None
    # The nearest: the model holding `optimizer`, not the checkpoint holding both.
    best = min(distances.values())
    found = [c for c, d in distances.items() if d == best]
    return found[0] if len(found) == 1 else None


# Keras 3's per-slot list attributes (index i holds the slot of `_trainable_variables[i]`),
# without the leading underscore, and tork's slot names.
_KERAS3_LISTS = {
    "momentums": "momentum",
    "velocities": "velocity",
    "velocity_hats": "velocity_hat",
    "average_gradients": "average_gradient",
    "accumulators": "accumulator",
    "accumulated_grads": "accumulated_grad",
    "accumulated_delta_vars": "accumulated_delta_var",
    "m": "momentum",
    "u": "norm",
    "linears": "linear",
    "r": "r",
    "c": "c",
    "v": "velocity",
    "model_variables_moving_average": "average",
    "accumulated_gradients": "gradient_accumulator",
}


def _keras3_slots(nodes, out, children: dict, trainable_list: int, slots, skip) -> None:
    """Keras 3's optimizer layout: slots paired with `_trainable_variables` by position."""
    variables = [t for t, _ in nodes[trainable_list].children]
    for name, target in children.items():
        slot_name = _KERAS3_LISTS.get(name.lstrip("_"))
        elements = [t for t, _ in nodes[target].children]
        if slot_name is None or len(elements) != len(variables):
            continue
        if not all(out[e].get("kind") in (VARIABLE, SLOT) for e in elements):
            continue
        for variable, element in zip(variables, elements):
            slots.append([variable, slot_name, out[element]["tensor"]])
            out[element]["kind"] = SLOT
        skip.add(name)
        out[target]["kind"] = EMPTY
    for name in ("_trainable_variables", "_trainable_variables_indices", "_variables"):
        if name in children:
            skip.add(name)
            out[children[name]]["kind"] = EMPTY


def _optimizer_node(nodes: list, out: list, position: int, full_names: dict, parents: list) -> None:
    node = nodes[position]
    entry = out[position]
    entry["kind"] = OPTIMIZER
    slots, trainable, skip, placeholders = [], [], set(), []
    legacy = bool(node.slot_variables)
    for slot in node.slot_variables:
        key = out[slot.slot_variable_node_id].get("tensor")
        if key is None:
            continue
        # Keras 2's name (`rms`, `accum_grad`): `tork_slot_name` translates it for the live
        # optimizer's class (legacy Adamax's `v` is tork's `norm`, RMSprop's `rms` `velocity`).
        slots.append([slot.original_variable_node_id, slot.slot_name, key])
        if slot.original_variable_node_id not in trainable:
            trainable.append(slot.original_variable_node_id)
    children = dict((name, target) for target, name in node.children)
    hint = children.get(TRAINABLE_HINT)
    built_on = [t for t, _ in nodes[hint].children] if hint is not None else []
    if hint is not None:
        skip.add(TRAINABLE_HINT)
        out[hint]["kind"] = EMPTY
    listed = children.get("_variables")
    if listed is not None and not legacy:
        # tf_keras's new optimizers: `_variables` is [iterations, slots...]; each slot's
        # full name is `<optimizer>/<slot>/<its variable's full name>`.
        iterations = children.get("_iterations")
        slot_ids = set()
        for target, _ in nodes[listed].children:
            if target == iterations or out[target].get("kind") != VARIABLE:
                continue
            full = next(a.full_name for a in nodes[target].attributes if a.name == "VARIABLE_VALUE")
            # `<optimizer>/<slot>/<variable>`, or `<slot>/<variable>` when tf_keras built
            # the optimizer outside its name scope (inside `fit`'s first step).
            parts = full.split("/", 2)
            candidates = full_names.get(parts[2], []) if len(parts) == 3 else []
            if not candidates:
                parts = ["", *full.split("/", 1)]
                candidates = full_names.get(parts[2], []) if len(parts) == 3 else []
            # Unresolved (no or several variables of that name): left unrestored, and
            # reported by assert_consumed.
            if built_on:
                candidates = [c for c in candidates if c in built_on] or candidates
            variable = _owner(candidates, position, nodes, parents) if candidates else None
            if variable is None:
                continue
            slot_ids.add(target)
            slots.append([variable, _tork_slot_name(parts[1], False), out[target]["tensor"]])
            if variable not in trainable:
                trainable.append(variable)
            out[target]["kind"] = SLOT
        # Slots kept in a per-slot list only (Adafactor's scalar `_r`/`_c` placeholders of
        # rank-1 variables): named by their list, paired by their full name's variable.
        for name, target in children.items():
            if (
                target == listed
                or not name.startswith("_")
                or name in (TRAINABLE_HINT, "_index_dict")
            ):
                continue
            for element, _ in nodes[target].children:
                if element in slot_ids or element == iterations:
                    continue
                if out[element].get("kind") != VARIABLE:
                    continue
                attribute = next(a for a in nodes[element].attributes if a.name == "VARIABLE_VALUE")
                parts = attribute.full_name.split("/", 2)
                if len(parts) < 3:
                    continue  # not `<optimizer>/<slot>/<variable>`: not a slot
                candidates = full_names.get(parts[2], [])
                if built_on:
                    candidates = [c for c in candidates if c in built_on] or candidates
                variable = _owner(candidates, position, nodes, parents) if candidates else None
                if variable is None:
                    continue
                slot_ids.add(element)
                placeholders.append(out[element]["tensor"])
                slots.append([variable, _tork_slot_name(name.lstrip("_"), False), placeholders[-1]])
                out[element]["kind"] = SLOT
        # The slot lists (`_variables`, `_momentums`...) are restored through `slots`.
        for name, target in children.items():
            if target == listed or (
                nodes[target].children and all(t in slot_ids for t, _ in nodes[target].children)
            ):
                skip.add(name)
                out[target]["kind"] = EMPTY
        skip.add("_index_dict")
    keras3 = children.get("_trainable_variables")
    if keras3 is not None and not legacy:
        _keras3_slots(nodes, out, children, keras3, slots, skip)
        trainable = [t for t, _ in nodes[keras3].children]
    if built_on:
        trainable = built_on  # written by tork: the exact order it was built in
    entry.update(
        trainable=trainable, slots=slots, legacy=legacy, placeholders=placeholders, _skip=skip
    )
