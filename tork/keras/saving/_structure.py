"""The object-structure paths that name weights in Keras 3 weights files.

Keras 3 does not name weights by layer name (names change between runs) but
by where the object sits in the model:

- a Sequential or functional model lists its `layers` first;
- then every attribute, sorted by name with `_private` ones last, except the
  attributes every bare Layer has;
- an object inside a list, tuple or dict attribute is named after the
  snake_case of its class, made unique within that container (`dense`,
  `dense_1`); a nested container is `container`, `container_1`;
- an object reached twice is saved once, at its first path (its name in a
  later container is still used up).

Each object's own variables go to `<path>/vars/0..n`. This module walks a
tork model the same way, so files interchange with Keras.

Keras 2 (tf_keras) `.keras` and `.weights.h5` files differ for subclassed
models: every attribute (private ones too) in reverse-sorted order, no
`layers` first, and an object already saved does not use up a name in a
container. `walk(model, keras2=True)` follows that order, to read such files. Plain torch
modules inside a model are saved too (their parameters and persistent
buffers), which Keras has no notion of.

Metric state: tf_keras also saves every `Metric` it reaches (Keras 3 saves none).
A model's `metrics` list comes before most attributes in its reverse-sorted order,
so a model's metrics usually sit at `metrics/<snake_class_name>[_n]/vars/0..`, in
the order of `model.metrics`; a metric attribute whose name sorts after `metrics`
(`total_loss_tracker`) is saved at its attribute path. `metric_paths(model)` gives
those paths, which tork writes and reads in every file.
"""

from __future__ import annotations

import functools
import re

import torch


def _snake_case(name: str) -> str:
    # Keras 3's rule (no 'private' prefix for names starting with '_', unlike Keras 2's).
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


@functools.cache
def _layer_attribute_names() -> frozenset:
    """Attributes of a bare tork Layer: never walked (Keras skips a bare Layer's attributes)."""
    from tork.keras.layers.layer import Layer

    probe = Layer(name="tork_saving_probe")
    return frozenset(dir(probe))


def _kind(obj, metrics: bool = False) -> str | None:
    from tork.keras.optimizers.optimizer import Optimizer
    from tork.module import Module

    if metrics:
        from tork.keras.metrics.metric import Metric

        if isinstance(obj, Metric):
            return "metric"

    if isinstance(obj, Module):
        # Layers, models and tf.Modules: own variables through tork's tracking.
        return "layer"
    if isinstance(obj, Optimizer):
        return "optimizer"
    if isinstance(obj, (torch.nn.ModuleList, torch.nn.ModuleDict)):
        return None
    if isinstance(obj, torch.nn.Module) and not _is_tracking_container(obj):
        return "torch"
    return None


def _is_tracking_container(obj) -> bool:
    from tork import _tracking

    return _tracking.is_container(obj)


def _is_container(obj) -> bool:
    return isinstance(obj, (list, tuple, dict, torch.nn.ModuleList, torch.nn.ModuleDict))


def _sort_key(name: str) -> str:
    return "~" + name if name.startswith("_") else name


def _attributes(obj, keras2: bool = False, metrics: bool = False):
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.sequential import Sequential

    kind = _kind(obj, metrics)
    if kind in ("optimizer", "metric"):
        return
    if kind == "torch":
        for name in sorted(obj._modules, key=_sort_key):
            yield name, obj._modules[name]
        return
    if keras2:
        # tf_keras walks `sorted(dir(obj), reverse=True)`: a model's `layers` comes in that order.
        names = sorted(dir(obj), reverse=True)
    else:
        if isinstance(obj, Functional):
            from tork.keras.models.functional.config import ordered_layers

            yield "layers", ordered_layers(obj)
        elif isinstance(obj, Sequential):
            yield "layers", obj.layers
        names = sorted(dir(obj), key=_sort_key)
    skip = _layer_attribute_names()
    for name in names:
        if name.startswith("__") or name.startswith("_tork"):
            continue
        if name in skip and not (metrics and name == "metrics"):
            continue
        try:
            value = getattr(obj, name)
        except Exception:
            continue
        if metrics and name == "metrics" and isinstance(value, (list, tuple)):
            value = _flat_metrics(value)
        if _kind(value, metrics) is not None or _is_container(value):
            yield name, value


def _flat_metrics(entries) -> list:
    """`model.metrics` as the Metric objects tf_keras lists there.

    tork lists stand-ins for a custom `train_step` (the `loss` view of the compiled
    loss tracker, the `compile_metrics` view of the compiled metrics): Keras 2 lists
    the compiled metric objects themselves (none before they are built).
    """
    from tork.keras.metrics.metric import Metric

    result: list = []
    for entry in entries:
        if isinstance(entry, Metric):
            result.append(entry)
        elif isinstance(getattr(entry, "_compiled", None), Metric):
            result.append(entry._compiled)
        elif isinstance(getattr(entry, "metrics", None), list):
            result.extend(m for m in entry.metrics if isinstance(m, Metric))
    return result


def _join(path: str, name: str) -> str:
    return f"{path}/{name}" if path else name


def walk(root, keras2: bool = False, metrics: bool = False) -> list:
    """Returns `[(path, object)]` for every saveable object under `root`, in Keras order.

    Args:
        root: a model or layer (its own path is `''`).
        keras2: follow the order of Keras 2 (tf_keras) files instead of Keras 3's.
        metrics: walk `Metric` objects too (and every layer's `metrics` list), as
            tf_keras does.

    Returns:
        A list of `(path, object)`; objects are layers, optimizers and plain
        torch modules (and metrics with `metrics=True`).
    """
    result: list = []
    visited: set = set()

    def visit(obj, path: str) -> None:
        if id(obj) in visited:
            return
        visited.add(id(obj))
        result.append((path, obj))
        for name, child in _attributes(obj, keras2, metrics):
            child_path = _join(path, name)
            if _kind(child, metrics) is not None:
                visit(child, child_path)
            else:
                visit_container(child, child_path, set())

    def visit_container(container, path: str, seen: set) -> None:
        if id(container) in seen:
            return
        seen.add(id(container))
        items = (
            container.values() if isinstance(container, (dict, torch.nn.ModuleDict)) else container
        )
        used: dict = {}
        for item in items:
            if keras2 and id(item) in visited:
                # Keras 2 skips an object saved before without using up its name.
                continue
            if _kind(item, metrics) is not None:
                visit(item, _join(path, _unique(_snake_case(_class_name(item)), used)))
            elif _is_container(item):
                visit_container(item, _join(path, _unique("container", used)), seen)

    visit(root, "")
    return result


def metric_paths(root) -> list:
    """`[(path, metric)]`: where tf_keras files keep the state of `root`'s metrics.

    Follows tf_keras's walk (Keras 3 files have no metric state); objects that
    hold metrics (a metric's own metrics) are not walked into.
    """
    return [(p, o) for p, o in walk(root, keras2=True, metrics=True) if _kind(o, True) == "metric"]


def _class_name(obj) -> str:
    # compile(metrics=['mae']) makes tork's MeanAbsoluteError where tf_keras wraps the
    # function in a MeanMetricWrapper: the class name tf_keras files use.
    return getattr(obj, "__dict__", {}).get("_tork_keras2_class_name") or type(obj).__name__


def _unique(name: str, used: dict) -> str:
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def own_variables(obj) -> list:
    """The variables saved in an object's own `vars` group, in Keras order.

    For a layer: the variables created trainable, then the others, each in
    creation order (as Keras's `_trainable_variables + _non_trainable_variables`).
    For an optimizer: its `variables`. For a plain torch module: its own
    parameters, then its persistent buffers.
    """
    kind = _kind(obj)
    if kind == "optimizer":
        # A legacy optimizer's `variables` are in Keras 2's order; files keep tork's.
        stored = getattr(obj, "_tork_stored_variables", None)
        return list(obj.variables if stored is None else stored)
    if kind == "torch":
        own = list(obj.parameters(recurse=False))
        persistent = [
            b
            for name, b in obj._buffers.items()
            if b is not None and name not in obj._non_persistent_buffers_set
        ]
        return own + persistent
    from tork.keras.layers import _string_weights

    own = _string_weights.merged(obj, obj._tork_direct()[0])
    created_trainable = [v for v in own if _created_trainable(v)]
    others = [v for v in own if not _created_trainable(v)]
    return created_trainable + others


def _created_trainable(variable) -> bool:
    created = getattr(variable, "_tork_created_trainable", None)
    if created is not None:
        return bool(created)
    trainable = getattr(variable, "trainable", None)
    if isinstance(trainable, bool):
        return trainable
    return bool(variable.requires_grad)


def describe(obj) -> str:
    """`Dense layer 'dense_1'`: how error messages name an object."""
    kind = _kind(obj)
    name = getattr(obj, "name", None)
    label = type(obj).__name__
    if kind == "optimizer":
        return f"optimizer '{name}' ({label})"
    if kind == "torch":
        return f"torch module {label}"
    return f"{label} layer '{name}'"
