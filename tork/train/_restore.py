"""Restoring a checkpoint into live objects, now or when their variables are created.

The saved object graph is matched against the live one from the root, edge by
edge (breadth first, as TensorFlow does). A TensorFlow checkpoint's graph (what tork
writes too) is converted by `_tf_names.restoration_nodes` and its edges are looked
up by TensorFlow's names (`_tf_names.lookup`); tork's older format uses tork's. Values whose objects exist are
assigned at once, in place, after every shape has been checked, so a mismatch
raises before anything is changed. Values whose objects do not exist yet are
deferred:

- a variable or sublayer that a module creates later (a Keras layer that is
  not built yet, a `tf.Module` that creates variables on first call) is
  restored when it is registered on its module (torch's global registration
  hooks), or, for Keras layers, right after the layer's build (which also
  catches weights created unnamed and then assigned to an attribute);
- optimizer slots are restored as soon as every model variable the optimizer
  was built on has been matched: the optimizer is then built on those
  variables, in their saved order, and its slots (and other variables) are
  assigned. Training then continues exactly where the saved run stopped.

The hooks are installed only while something is pending.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import sys
import weakref

import torch

from tork import _tracking
from tork.train import _tf_names, _tf_optimizer_state
from tork.train._graph import (
    CHECKPOINT,
    DICT,
    LIST,
    METRIC,
    MODULE,
    OPTIMIZER,
    TORCH_OPTIMIZER,
    VARIABLE,
    Graph,
    child,
    children,
    kind_of,
)

_IDENTITY_KINDS = (VARIABLE, MODULE, OPTIMIZER, TORCH_OPTIMIZER, CHECKPOINT, METRIC)
_DEFERRABLE_KINDS = (MODULE, OPTIMIZER, CHECKPOINT)
# Objects that only hold named children: either stands in for the other when restoring, as
# in TensorFlow (a `tf.train.Checkpoint(l1=...)` restoring part of a saved model).
_CONTAINER_KINDS = (MODULE, CHECKPOINT)
_SHOWN = 12


def _ref(obj):
    try:
        return weakref.ref(obj)
    except TypeError:  # pragma: no cover - every identity kind supports weak references
        return lambda: obj


def _dtype_family(dtype: torch.dtype) -> str:
    if dtype == torch.bool:
        return "bool"
    if dtype.is_complex:
        return "complex"
    if dtype.is_floating_point:
        return "float"
    return "int"


@contextlib.contextmanager
def _real_tensors():
    """Runs the block with real tensors even inside a symbolic (fake-tensor) build."""
    try:
        from torch._subclasses.fake_tensor import unset_fake_temporarily
    except ImportError:  # pragma: no cover
        yield
        return
    with unset_fake_temporarily(), torch.no_grad():
        yield


def _list(items: list, total: int | None = None) -> str:
    total = len(items) if total is None else total
    shown = ", ".join(items[:_SHOWN])
    return shown + (f", ... ({total - _SHOWN} more)" if total > _SHOWN else "")


class Restoration:
    """The state of one `restore()`/`read()`: what was matched, restored and is still pending."""

    def __init__(self, payload: dict, prefix: str, read_mode: bool):
        self.prefix = prefix
        self.read_mode = read_mode
        self.nodes: list[dict] = payload["graph"]["nodes"]
        self.tensors: dict = payload.get("tensors", {})
        self.torch_states: dict = payload.get("torch_optimizers", {})
        self._matched: dict[int, tuple] = {}  # id(live object) -> (saved node, weakref)
        self._live: dict[int, object] = {}  # saved node -> weakref to its first live object
        self.matched_nodes: set[int] = set()
        self._restored: dict[int, object] = {}  # id(live tensor/optimizer) -> weakref
        self.used_keys: set[str] = set()
        self.pending_optimizers: dict[int, None] = {}
        self.cancelled = False
        # TensorFlow's checkpoints name edges as Keras 2 tracks objects (`layer-0`,
        # `_iterations`); tork's older ones by tork's attribute paths (`layers/0`).
        self.tf_names = payload.get("naming") == "tf"
        self.paths, self.parents = self._saved_paths()

    def _child(self, obj, kind, edge: str):
        if self.tf_names:
            return _tf_names.child(obj, kind, edge)
        return child(obj, edge)

    # -- the saved graph ------------------------------------------------------------
    def _saved_paths(self) -> tuple[list, list]:
        count = len(self.nodes)
        paths: list = [None] * count
        parents = [-1] * count
        if not count:
            return paths, parents
        paths[0] = ""
        queue = collections.deque([0])
        while queue:
            position = queue.popleft()
            for edge, target in self.nodes[position].get("children", {}).items():
                if not isinstance(target, int) or not 0 <= target < count:
                    continue
                if paths[target] is None:
                    base = paths[position]
                    paths[target] = f"{base}/{edge}" if base else edge
                    parents[target] = position
                    queue.append(target)
        return [p if p is not None else f"<node {i}>" for i, p in enumerate(paths)], parents

    def _is_save_counter(self, node: int) -> bool:
        return self.parents[node] == 0 and self.paths[node] == "save_counter"

    # -- bookkeeping ------------------------------------------------------------------
    def is_matched(self, obj) -> bool:
        entry = self._matched.get(id(obj))
        return entry is not None and entry[1]() is obj

    def was_restored(self, obj) -> bool:
        ref = self._restored.get(id(obj))
        return ref is not None and ref() is obj

    def _mark_restored(self, obj) -> None:
        self._restored[id(obj)] = _ref(obj)

    def live_object(self, node: int):
        ref = self._live.get(node)
        return ref() if ref is not None else None

    # -- matching ---------------------------------------------------------------------
    def start(self, root) -> None:
        """Matches the live graph under `root` and restores what exists (all or nothing)."""
        with _real_tensors():
            assignments = self._match([(root, 0)])
            self._apply(assignments)
            self._restore_optimizers()

    def _match(self, pairs: list) -> list:
        assignments = []
        queue = collections.deque(pairs)
        while queue:
            obj, node_index = queue.popleft()
            kind = kind_of(obj)
            node = self.nodes[node_index]
            saved_kind = node.get("kind")
            wrapper = None
            if self.tf_names and kind == OPTIMIZER and saved_kind == OPTIMIZER:
                inner = _tf_optimizer_state.wrapped_optimizer(obj)
                if inner is not None and "inner_optimizer" not in (node.get("children") or {}):
                    # tf_keras's LossScaleOptimizer: the node holds the inner optimizer's
                    # slots and iterations (and `loss_scale`); both objects are matched.
                    if self.is_matched(obj):
                        continue
                    self._matched[id(obj)] = (node_index, _ref(obj))
                    wrapper, obj = obj, inner
            if kind in _IDENTITY_KINDS:
                if self.is_matched(obj):
                    continue
                if saved_kind != kind and not (
                    kind in _CONTAINER_KINDS and saved_kind in _CONTAINER_KINDS
                ):
                    # A TensorFlow node that is not a variable or an optimizer: any object.
                    if saved_kind != _tf_names.ANY or kind == VARIABLE:
                        continue
                self._matched[id(obj)] = (node_index, _ref(obj))
                self._live.setdefault(node_index, _ref(obj))
            elif saved_kind not in (LIST, DICT, _tf_names.ANY):
                continue
            self.matched_nodes.add(node_index)
            if kind == VARIABLE:
                assignments.append((obj, node_index))
            elif kind == TORCH_OPTIMIZER:
                assignments.append((obj, node_index))
            elif kind == OPTIMIZER:
                self.pending_optimizers[node_index] = None
            saved_edges = node.get("children") or {}
            if not saved_edges:
                continue
            if self.tf_names:
                own = wrapper is None and _tf_optimizer_state.wrapped_optimizer(obj) is not None
                lookup = _tf_names.lookup(wrapper if wrapper is not None else obj, kind, own)
            else:
                lookup = dict(children(obj, kind)).get
            missing = {}
            for edge, target in saved_edges.items():
                value = lookup(edge)
                if value is None or kind_of(value) is None:
                    missing[edge] = target
                else:
                    queue.append((value, target))
            if missing and (kind in _DEFERRABLE_KINDS or isinstance(obj, _tracking._Notifying)):
                # Tracked lists and dicts report later appends (their owner resolves them).
                _defer(obj, self, missing)
        return assignments

    def _check(self, obj, node_index: int, key: str, saved) -> None:
        where = f"'{self.paths[node_index]}'" if node_index is not None else f"'{key}'"
        if saved is None:
            from tork.train._format import DataLossError

            raise DataLossError(
                f"The checkpoint {self.prefix!r} is corrupt: it lists {where} but holds no "
                "value for it."
            )
        if not isinstance(saved, torch.Tensor):
            raise ValueError(
                f"Cannot restore {where} from the checkpoint {self.prefix!r}: it holds a "
                "string tensor, and tork restores numeric variables only. Read it with "
                "tf.train.load_checkpoint(path).get_tensor(name)."
            )
        if tuple(obj.shape) != tuple(saved.shape):
            raise ValueError(
                f"Cannot restore {where} from the checkpoint {self.prefix!r}: the checkpoint "
                f"holds shape {tuple(saved.shape)} but the variable has shape "
                f"{tuple(obj.shape)}. The checkpoint was written by a different model "
                "(other layer sizes); build the same architecture to restore it."
            )
        if _dtype_family(obj.dtype) != _dtype_family(saved.dtype):
            raise ValueError(
                f"Cannot restore {where} from the checkpoint {self.prefix!r}: the checkpoint "
                f"holds dtype {saved.dtype} but the variable has dtype {obj.dtype}."
            )

    def _apply(self, assignments: list, slots: list | None = None) -> None:
        """Checks every value against its target, then assigns them all."""
        plan = []
        for obj, node_index in assignments:
            node = self.nodes[node_index]
            if node["kind"] == TORCH_OPTIMIZER:
                if node.get("state") not in self.used_keys:
                    plan.append((obj, node["state"], None, True))
                continue
            key = node.get("tensor")
            if key in self.used_keys:
                continue  # a second object matched to one saved value: the first has it
            saved = self.tensors.get(key)
            self._check(obj, node_index, key, saved)
            plan.append((obj, key, saved, False))
        for obj, key in slots or ():
            saved = self.tensors.get(key)
            self._check(obj, None, key, saved)
            plan.append((obj, key, saved, False))
        for obj, key, saved, is_torch_optimizer in plan:
            if is_torch_optimizer:
                self._load_torch_optimizer(obj, key)
                self.torch_states.pop(key, None)
            else:
                obj.copy_(saved)
                # A float hyperparameter's stand-in (`_tf_optimizer_state.float_hyper`).
                after = getattr(obj, _tf_optimizer_state.AFTER_RESTORE, None)
                if after is not None:
                    after(obj)
                # Free each value once restored: the checkpoint is not kept in memory twice.
                self.tensors.pop(key, None)
            self._mark_restored(obj)
            self.used_keys.add(key)

    def _load_torch_optimizer(self, optimizer, key: str) -> None:
        state = self.torch_states.get(key)
        if state is None:
            from tork.train._format import DataLossError

            raise DataLossError(
                f"The checkpoint {self.prefix!r} is corrupt: it holds no state for the torch "
                f"optimizer '{key}'."
            )
        try:
            optimizer.load_state_dict(state)
        except (ValueError, KeyError) as error:
            raise ValueError(
                f"Cannot restore the torch optimizer '{key}' from the checkpoint "
                f"{self.prefix!r}: {error}. Create it with the same parameter groups as the "
                "optimizer that was saved."
            ) from None

    def _restore_optimizers(self) -> None:
        for node_index in list(self.pending_optimizers):
            if node_index not in self.pending_optimizers:
                continue  # finished by a nested call (restoring its variables below)
            optimizer = self.live_object(node_index)
            if optimizer is None:
                self.pending_optimizers.pop(node_index, None)
                continue
            node = self.nodes[node_index]
            variables, complete = [], True
            for variable_node in node.get("trainable", []):
                if variable_node < 0:
                    continue
                variable = self.live_object(variable_node)
                if variable is None:
                    complete = False
                    break
                variables.append(variable)
            if complete and variables and any(id(v) not in optimizer._index for v in variables):
                # Build on the saved variables in their saved order: slots line up as they did.
                optimizer.build(variables)
            slots, remaining = [], False
            for variable_node, slot_name, key in node.get("slots", []):
                if key in self.used_keys:
                    continue
                variable = self.live_object(variable_node)
                position = optimizer._index.get(id(variable)) if variable is not None else None
                if node.get("legacy"):
                    slot_name = _tf_names.legacy_slot_name(optimizer, slot_name)
                slot_list = optimizer._slots.get(slot_name)
                if slot_list is None and slot_name == "momentum" and optimizer.built:
                    if _tf_names.is_plain_sgd(optimizer):
                        # tf_keras's SGD without momentum saves zero slots tork has no use
                        # for: consumed, as tork's `.h5` loader drops them.
                        self.used_keys.add(key)
                        continue
                if position is None or slot_list is None or position >= len(slot_list):
                    remaining = True
                    continue
                slot = slot_list[position]
                if key in node.get("placeholders", ()) and slot.numel() == 1:
                    # tf_keras's scalar placeholder (an int32 0) for a slot a rank-1
                    # variable does not need (Adafactor's `r`/`c`): tork's is a float 0.
                    saved = self.tensors.pop(key, None)
                    if isinstance(saved, torch.Tensor) and saved.numel() == 1:
                        slot.copy_(saved.reshape(slot.shape).to(slot.dtype))
                        self._mark_restored(slot)
                        self.used_keys.add(key)
                        continue
                slots.append((slot, key))
            self._apply([], slots)
            entry = _PENDING.get(id(optimizer))
            if entry is not None and entry.restoration is self:
                self.resolve_pending(optimizer)
            if complete and not remaining:
                self.pending_optimizers.pop(node_index, None)

    # -- deferred restoration -----------------------------------------------------------
    def resolve(self, pairs: list) -> None:
        """Matches and restores newly created objects (a variable, a sublayer...)."""
        if self.cancelled:
            return
        with _real_tensors():
            assignments = self._match(pairs)
            self._apply(assignments)
            self._restore_optimizers()

    def resolve_pending(self, owner) -> None:
        """Restores the pending children of `owner` that exist now."""
        entry = _PENDING.get(id(owner))
        if entry is None or entry.ref() is not owner or entry.restoration is not self:
            return
        pairs = []
        for edge, target in list(entry.edges.items()):
            value = self._child(owner, None, edge)
            if value is not None and kind_of(value) is not None:
                pairs.append((value, target))
                del entry.edges[edge]
        if not entry.edges:
            _drop(entry)
        if pairs:
            self.resolve(pairs)

    def cancel(self) -> None:
        """Forgets everything still pending (a newer restore replaces this one)."""
        self.cancelled = True
        for entry in [e for e in _PENDING.values() if e.restoration is self]:
            _drop(entry)
        self.pending_optimizers.clear()

    # -- reports ------------------------------------------------------------------------
    def unused_values(self) -> list[str]:
        """Checkpoint values that were not restored into anything (yet)."""
        problems, slots = [], []
        for node_index, node in enumerate(self.nodes):
            if node_index == 0:
                continue
            kind = node.get("kind")
            if kind in (_tf_names.SLOT, _tf_names.EMPTY):
                continue  # slots are listed by their optimizer; empty nodes hold nothing
            if self.read_mode and self._is_save_counter(node_index):
                continue
            if node_index not in self.matched_nodes:
                # Only the top of an unmatched subtree: its contents are unmatched too.
                if self.parents[node_index] in self.matched_nodes or self.parents[node_index] < 0:
                    problems.append(f"{self.paths[node_index]} ({node.get('class', kind)})")
                continue
            if kind == VARIABLE and node.get("tensor") not in self.used_keys:
                problems.append(self.paths[node_index])
            elif kind == TORCH_OPTIMIZER and node.get("state") not in self.used_keys:
                problems.append(self.paths[node_index])
            elif kind == OPTIMIZER:
                slots.extend(
                    key for _, _, key in node.get("slots", []) if key not in self.used_keys
                )
        return problems + slots

    def unmatched_objects(self, root) -> list[str]:
        """Live objects under `root` that got no value from the checkpoint."""
        graph = Graph(root)
        problems = []
        unmatched = set()
        # Variables a TensorFlow checkpoint has no place for (a LossScaleOptimizer's own).
        untracked = set()
        if self.tf_names:
            for obj, kind in zip(graph.objects, graph.kinds):
                if kind == OPTIMIZER:
                    untracked.update(id(v) for v in _tf_optimizer_state.not_in_tf_graph(obj))
        for position in range(1, len(graph.objects)):
            obj, kind, path = graph.objects[position], graph.kinds[position], graph.paths[position]
            if graph.parents[position] in unmatched:
                unmatched.add(position)
                continue
            if kind in (LIST, DICT) or id(obj) in untracked:
                continue
            if self.read_mode and graph.parents[position] == 0 and path == "save_counter":
                continue
            if not self.is_matched(obj):
                if self.tf_names and kind not in (VARIABLE, OPTIMIZER, TORCH_OPTIMIZER):
                    # TensorFlow's graph has other containers than tork's (`layer-0` for
                    # `layers/0`): what counts is that the values below them got restored.
                    continue
                unmatched.add(position)
                problems.append(f"{path} ({type(obj).__name__})")
            elif kind in (VARIABLE, TORCH_OPTIMIZER) and not self.was_restored(obj):
                problems.append(path)
            elif kind == OPTIMIZER:
                owners = obj._trainable_variables
                for slot_name, slot_list in obj._slots.items():
                    for index, slot in enumerate(slot_list):
                        if not self.was_restored(slot):
                            owner = owners[index] if index < len(owners) else None
                            label = (
                                graph.paths[graph.index[id(owner)]]
                                if id(owner) in graph.index
                                else getattr(owner, "name", "a variable")
                            )
                            problems.append(f"{path}: slot '{slot_name}' of {label}")
        return problems

    def matched_anything(self) -> bool:
        return any(
            n != 0
            and not self._is_save_counter(n)
            and self.nodes[n].get("kind") not in (LIST, DICT)
            for n in self.matched_nodes
        )


# -- the registry of pending restorations --------------------------------------------------
class _Entry:
    __slots__ = ("ref", "restoration", "edges", "finalizer")


_PENDING: dict[int, _Entry] = {}
_HOOKS: list = []
_BUILD_HOOK_INSTALLED = False


def _forget(key: int, ref) -> None:
    entry = _PENDING.get(key)
    if entry is not None and entry.ref is ref:
        del _PENDING[key]
        _maybe_remove_hooks()


def _drop(entry: _Entry) -> None:
    key = id(entry.ref())
    if _PENDING.get(key) is entry:
        del _PENDING[key]
    elif entry.ref() is None:
        for k, e in list(_PENDING.items()):
            if e is entry:
                del _PENDING[k]
    entry.finalizer.detach()
    _maybe_remove_hooks()


def _defer(obj, restoration: Restoration, edges: dict) -> None:
    key = id(obj)
    entry = _PENDING.get(key)
    if entry is not None and entry.ref() is obj and entry.restoration is restoration:
        entry.edges.update(edges)
        return
    if entry is not None:
        entry.finalizer.detach()
    entry = _Entry()
    entry.ref = weakref.ref(obj)
    entry.restoration = restoration
    entry.edges = dict(edges)
    entry.finalizer = weakref.finalize(obj, _forget, key, entry.ref)
    _PENDING[key] = entry
    _install_hooks(obj)


def _on_register(module, name, value):
    """torch's registration hook: restores a pending parameter, buffer or submodule."""
    entry = _PENDING.get(id(module))
    if entry is None or value is None or entry.ref() is not module:
        return None
    target = entry.edges.pop(name, None)
    if target is None:
        return None
    restoration = entry.restoration
    if not entry.edges:
        _drop(entry)
    restoration.resolve([(value, target)])
    return None


def _after_build(layer) -> None:
    for module in layer.modules():
        entry = _PENDING.get(id(module))
        if entry is not None and entry.ref() is module:
            entry.restoration.resolve_pending(module)


def _install_hooks(obj) -> None:
    global _BUILD_HOOK_INSTALLED
    if not _HOOKS:
        from torch.nn.modules import module as torch_module

        _HOOKS.extend(
            [
                torch_module.register_module_parameter_registration_hook(_on_register),
                torch_module.register_module_buffer_registration_hook(_on_register),
                torch_module.register_module_module_registration_hook(_on_register),
            ]
        )
    if not _BUILD_HOOK_INSTALLED and isinstance(obj, torch.nn.Module):
        layer_module = sys.modules.get("tork.keras.layers.layer")
        if layer_module is not None:
            _wrap_layer_build(layer_module.Layer)
            _BUILD_HOOK_INSTALLED = True


def _wrap_layer_build(layer_class) -> None:
    # A Keras layer may create a weight unnamed and rename it when assigned to an attribute
    # (`self.w = self.add_weight(...)`); only after build are the final names known.
    original = layer_class.__dict__["_tork_build"]
    if getattr(original, "_tork_restore_hook", False):
        return

    @functools.wraps(original)
    def _tork_build(self, shapes, *args, **kwargs):
        original(self, shapes, *args, **kwargs)
        if _PENDING:
            _after_build(self)

    _tork_build._tork_restore_hook = True
    layer_class._tork_build = _tork_build


def _maybe_remove_hooks() -> None:
    if not _PENDING and _HOOKS:
        for handle in _HOOKS:
            handle.remove()
        _HOOKS.clear()


# -- load status objects --------------------------------------------------------------------
class CheckpointLoadStatus:
    """What `tf.train.Checkpoint.restore` returns: checks on how the restore went.

    The checks look at the objects as they are when called, so values restored
    later (deferred until a layer is built or an optimizer creates its slots)
    count once they have been restored.

    Example:
    >>> status = checkpoint.restore(manager.latest_checkpoint)  # doctest: +SKIP
    >>> model.fit(x, y)  # builds the model: the deferred values are restored
    >>> status.assert_consumed()
    """

    def __init__(self, restoration: Restoration, root):
        self._restoration = restoration
        self._root = root

    def _header(self) -> str:
        return f"Restoring the checkpoint {self._restoration.prefix!r}"

    def _live_problems(self) -> list[str]:
        return self._restoration.unmatched_objects(self._root)

    def assert_consumed(self) -> CheckpointLoadStatus:
        """Checks that the checkpoint and the objects matched one to one.

        Every value in the checkpoint must have been restored into an object and
        every object (variable, layer, optimizer slot) under the checkpoint must
        have received a value.

        Returns:
            This status, for chaining.

        Raises:
            AssertionError: naming the unused checkpoint values and the objects
                that got no value.
        """
        unused = self._restoration.unused_values()
        missing = self._live_problems()
        if unused or missing:
            lines = [f"{self._header()} did not consume it exactly (assert_consumed):"]
            if unused:
                lines.append(
                    f"- {len(unused)} value(s) in the checkpoint were not restored into any "
                    f"object: {_list(unused)}. Objects that are not built yet (layers never "
                    "called, optimizers before their first step) receive their values when "
                    "they are created; objects missing from the new code never do."
                )
            if missing:
                lines.append(
                    f"- {len(missing)} object(s) got no value from the checkpoint: "
                    f"{_list(missing)}."
                )
            lines.append(
                "If the checkpoint and the objects are meant to differ, check less: "
                "assert_existing_objects_matched() only checks the objects that exist, and "
                "expect_partial() accepts a partial restore."
            )
            raise AssertionError("\n".join(lines))
        return self

    def assert_existing_objects_matched(self) -> CheckpointLoadStatus:
        """Checks that every object that exists now received a value from the checkpoint.

        Unlike `assert_consumed`, checkpoint values with no object yet (e.g. the
        weights of a layer that is not built) are fine.

        Returns:
            This status, for chaining.

        Raises:
            AssertionError: naming the objects that got no value.
        """
        missing = self._live_problems()
        if missing:
            raise AssertionError(
                f"{self._header()}: {len(missing)} existing object(s) got no value from the "
                f"checkpoint: {_list(missing)}. They were not in the code that wrote it (or "
                "are named differently there)."
            )
        return self

    def assert_nontrivial_match(self) -> CheckpointLoadStatus:
        """Checks that at least one object other than the root was matched.

        Returns:
            This status, for chaining.

        Raises:
            AssertionError: if nothing but the root matched.
        """
        if not self._restoration.matched_anything():
            raise AssertionError(
                f"{self._header()} matched nothing but the root object: the checkpoint's "
                "objects have other names. Pass the objects with the same keyword names as "
                "when saving, e.g. tf.train.Checkpoint(model=model, optimizer=optimizer)."
            )
        return self

    def expect_partial(self) -> CheckpointLoadStatus:
        """Marks the restore as expected to be partial (tork does not warn either way).

        Returns:
            This status, for chaining.
        """
        return self

    def run_restore_ops(self, session=None) -> None:
        """Does nothing: restoring is eager (TensorFlow 1 graph-mode API)."""
        del session

    def initialize_or_restore(self, session=None) -> None:
        """Does nothing: values are restored eagerly (TensorFlow 1 graph-mode API)."""
        del session


class InitializationOnlyStatus:
    """What `restore(None)` returns: nothing was restored, objects keep their initial values.

    `restore(manager.latest_checkpoint)` gives this when there is no checkpoint
    yet, so the same code starts fresh or resumes.
    """

    def _fail(self, method: str):
        raise AssertionError(
            f"{method}: no checkpoint was restored (restore() was given save_path=None, e.g. "
            "tf.train.latest_checkpoint(directory) found no checkpoint); the objects keep "
            "their initial values."
        )

    def assert_consumed(self):
        """Raises AssertionError: nothing was restored."""
        self._fail("assert_consumed")

    def assert_existing_objects_matched(self):
        """Raises AssertionError: nothing was restored."""
        self._fail("assert_existing_objects_matched")

    def assert_nontrivial_match(self):
        """Raises AssertionError: nothing was restored."""
        self._fail("assert_nontrivial_match")

    def expect_partial(self) -> InitializationOnlyStatus:
        """Returns this status."""
        return self

    def run_restore_ops(self, session=None) -> None:
        """Does nothing."""
        del session

    def initialize_or_restore(self, session=None) -> None:
        """Does nothing: variables are initialized when created."""
        del session
