"""Keras 2 `.h5` files: full models (`model.save('m.h5')`) and weights (`save_weights('w.h5')`).

Layout:
- root attributes `backend`, `keras_version`, `model_config` (JSON
  `{class_name, config}`) and, when compiled, `training_config` (JSON
  `{loss, metrics, weighted_metrics, loss_weights, optimizer_config}`);
- group `model_weights` (the root itself for weights-only files) with the
  attribute `layer_names`; one group per layer with the attribute
  `weight_names`, each weight a dataset at `<layer>/<weight name>`
  (`dense/kernel:0` in Keras 2), plus `top_level_model_weights`;
- group `optimizer_weights` with `weight_names` and the optimizer's variables.

Weights load by topology (the layers that have weights, in order, against the
saved layers that have weights) or, with `by_name=True`, by layer name. HDF5
attributes over 64 KB are split into `name0`, `name1`... as Keras does.
"""

from __future__ import annotations

import json
import os
import warnings

import numpy as np

from tork._warnings import warn_user
from tork.keras.saving import _keras2_config, _keras3_activations, _structure, weights_h5
from tork.keras.saving._keras2_config import KERAS2_VERSION
from tork.keras.saving.errors import KerasFileError

_ATTRIBUTE_LIMIT = 64000
_TOP_LEVEL = "top_level_model_weights"


# -- attributes ---------------------------------------------------------------------------


def _write_names(group, name: str, values: list) -> None:
    if not values:
        group.attrs[name] = np.array([], dtype=np.float64)
        return
    data = np.array([v.encode("utf8") for v in values])
    chunks = 1
    while data.nbytes / chunks > _ATTRIBUTE_LIMIT:
        chunks += 1
    if chunks == 1:
        group.attrs[name] = data
        return
    for index, part in enumerate(np.array_split(data, chunks)):
        group.attrs[f"{name}{index}"] = part


def read_names(group, name: str, label: str) -> list:
    """Reads a (possibly chunked) list-of-strings attribute; a missing one is empty."""
    try:
        attrs = group.attrs
        if name in attrs:
            raw = list(np.atleast_1d(attrs[name]))
        else:
            raw, index = [], 0
            while f"{name}{index}" in attrs:
                raw.extend(np.atleast_1d(attrs[f"{name}{index}"]))
                index += 1
    except Exception as error:
        raise KerasFileError(f"Cannot read the attribute '{name}' of {label}: {error}") from None
    names = []
    for value in raw:
        if isinstance(value, (bytes, np.bytes_)):
            try:
                value = value.decode("utf8")
            except UnicodeDecodeError:
                raise KerasFileError(f"The attribute '{name}' of {label} is corrupted.") from None
        if not isinstance(value, str):
            if isinstance(value, float) or (hasattr(value, "dtype") and value.dtype.kind == "f"):
                continue
            raise KerasFileError(f"The attribute '{name}' of {label} holds {value!r:.50}.")
        names.append(value)
    return names


def _read_text_attribute(f, name: str, label: str) -> str | None:
    try:
        if name not in f.attrs:
            return None
        value = f.attrs[name]
    except Exception as error:
        raise KerasFileError(f"Cannot read the attribute '{name}' of {label}: {error}") from None
    if isinstance(value, (bytes, np.bytes_)):
        try:
            value = value.decode("utf8")
        except UnicodeDecodeError:
            raise KerasFileError(f"The attribute '{name}' of {label} is corrupted.") from None
    if not isinstance(value, str):
        raise KerasFileError(f"The attribute '{name}' of {label} should be text.")
    return value


# -- layer order and weights ---------------------------------------------------------------


def _layers(model) -> list:
    from tork.keras.models.functional.functional import Functional

    if isinstance(model, Functional):
        from tork.keras.models.functional.config import ordered_layers

        # A functional subclass may assign more layers after `__init__` (a distiller's
        # `self.teacher`): tf_keras writes them after the graph's layers.
        graph = ordered_layers(model)
        seen = {id(layer) for layer in graph}
        return graph + [layer for layer in model._layers if id(layer) not in seen]
    return list(model.layers)


def _legacy_weights(layer) -> list:
    # Keras 2 order: trainable weights, then the others (as `layer.weights` in Keras 2).
    # A lookup layer's listed vocabulary is no variable: tf_keras's files leave it out.
    return list(layer.trainable_weights) + list(layer.non_trainable_variables)


def _weight_names(layer, weights: list) -> list:
    # Keras 2 names weights by their TF variable names: `dense/kernel:0`.
    names, seen = [], set()
    for index, weight in enumerate(weights):
        name = getattr(weight, "path", None) or getattr(weight, "name", None)
        if not isinstance(name, str) or not name or name in seen:
            name = f"{layer.name}/weight_{index}"
        seen.add(name)
        names.append(name if name.endswith(":0") else name + ":0")
    return names


def write_model_weights(group, model, layer_names: list | None = None) -> None:
    """Writes the `model_weights` layout into an HDF5 group.

    Args:
        group: the HDF5 group.
        model: the model.
        layer_names: the names of the model config's layers, when known: Keras 2
            also lists its TFOpLambda layers (ops on symbolic tensors), with no
            weights.
    """
    group.attrs["backend"] = "tensorflow"
    group.attrs["keras_version"] = KERAS2_VERSION
    layers = _layers(model)
    by_name = {layer.name: layer for layer in layers}
    if layer_names is None or any(name not in layer_names for name in by_name):
        layer_names = [layer.name for layer in layers]
    _write_names(group, "layer_names", layer_names)
    for name in layer_names:
        layer = by_name.get(name)
        # Names are HDF5 paths: 'block/conv/pad' may already have made 'block/conv'.
        layer_group = group.require_group(name)
        if layer is None:
            _write_names(layer_group, "weight_names", [])
            continue
        weights = _legacy_weights(layer)
        names = _weight_names(layer, weights)
        _write_names(layer_group, "weight_names", names)
        for name, weight in zip(names, weights):
            layer_group.create_dataset(name, data=weights_h5._to_numpy(weight))
    own = _structure.own_variables(model)
    top = group.create_group(_TOP_LEVEL)
    names = _weight_names(model, own)
    _write_names(top, "weight_names", names)
    for name, weight in zip(names, own):
        top.create_dataset(name, data=weights_h5._to_numpy(weight))


def save_legacy_weights(model, filepath) -> None:
    """`save_weights('w.h5')`: the `model_weights` layout at the file's root."""
    from tork.keras.saving._atomic import atomic_path

    h5py = weights_h5._h5py()
    with atomic_path(filepath) as tmp, h5py.File(tmp, "w") as f:
        write_model_weights(f, model)


def _optimizer_variables(optimizer) -> list:
    # Keras 2's optimizers keep the learning rate (and Nadam its `u_product`, recomputed on
    # load) out of their variables.
    variables = list(optimizer.variables)
    learning_rate = getattr(optimizer, "_learning_rate", None)
    derived = weights_h5.derived_optimizer_variables(optimizer)
    return [v for v in variables if v is not learning_rate and not any(v is d for d in derived)]


def _loss_scale_inner(optimizer):
    """A `LossScaleOptimizer`'s (non-legacy) inner optimizer, else None."""
    inner = weights_h5.loss_scale_inner(optimizer)
    return None if inner is None or _keras2_config._is_legacy(inner) else inner


def _keras2_optimizer_weights(optimizer) -> tuple[list, list]:
    """Keras 2's `optimizer_weights` names and variables for `optimizer`.

    tf_keras's `LossScaleOptimizerV3` saves only its inner optimizer's variables, named
    without the optimizer's name (`iteration:0`, `m/dense/kernel:0`), and not its loss
    scale, which restarts at `initial_scale` on load (as in tf_keras).
    """
    inner = _loss_scale_inner(optimizer)
    if inner is None:
        return _keras2_config.optimizer_weights(optimizer, _optimizer_variables(optimizer))
    names, variables = _keras2_config.optimizer_weights(inner, _optimizer_variables(inner))
    return [name.split("/", 1)[-1] for name in names], variables


def _keras2_loss_scale_entry(training: dict, optimizer) -> dict:
    """The training config with a `LossScaleOptimizer` as tf_keras writes it in `.h5` files.

    tf_keras names the wrapper `LossScaleOptimizerV3` (around a Keras 2.11+ optimizer) or
    `LossScaleOptimizer` (around a legacy one) and always writes `dynamic`; it cannot
    read tork's Keras 3 entry (`Custom>LossScaleOptimizer`).
    """
    from tork.keras.mixed_precision.loss_scale_optimizer import LossScaleOptimizer

    entry = training.get("optimizer_config") if isinstance(training, dict) else None
    if not isinstance(optimizer, LossScaleOptimizer) or not isinstance(entry, dict):
        return training
    config = entry.get("config")
    if not isinstance(config, dict) or "inner_optimizer" not in config:
        return training
    dynamic = bool(optimizer.dynamic)
    legacy = _keras2_config._is_legacy(optimizer.inner_optimizer)
    return {
        **training,
        "optimizer_config": {
            "class_name": "LossScaleOptimizer" if legacy else "LossScaleOptimizerV3",
            "config": {
                "inner_optimizer": config["inner_optimizer"],
                "dynamic": dynamic,
                "initial_scale": float(optimizer.initial_scale),
                "dynamic_growth_steps": int(optimizer.dynamic_growth_steps) if dynamic else None,
            },
        },
    }


def save_legacy_model(model, filepath, include_optimizer: bool = True) -> None:
    """`model.save('m.h5')`: config, weights, training config and optimizer state.

    The file follows tf_keras (Keras 2): its model config and training config
    are Keras 2's, so tf_keras loads it too.

    Raises:
        NotImplementedError: for a subclassed model, as in Keras 2 (its config
            alone cannot rebuild its layers, so the weights could not be loaded).
    """
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.sequential import Sequential
    from tork.keras.saving._atomic import atomic_path
    from tork.keras.saving.keras_archive import json_default, serialize_model

    if not isinstance(model, (Functional, Sequential)):
        raise NotImplementedError(
            "Saving the model to HDF5 format requires the model to be a Functional model or a "
            "Sequential model. It does not work for subclassed models, because such models are "
            "defined via the body of a Python method, which isn't safely serializable. Consider "
            "saving to the Keras format (a path ending in '.keras') or using `save_weights`."
        )

    entry = serialize_model(model)
    model_config = _keras2_config.convert(entry, model)
    compile_config = entry.get("compile_config") or {}
    h5py = weights_h5._h5py()
    with atomic_path(filepath) as tmp, h5py.File(tmp, "w") as f:
        f.attrs["backend"] = "tensorflow"
        f.attrs["keras_version"] = KERAS2_VERSION
        f.attrs["model_config"] = json.dumps(model_config, default=json_default)
        names = None
        if isinstance(model, Functional) and not isinstance(model, Sequential):
            names = [e.get("name") for e in model_config["config"].get("layers") or []]
            if not all(isinstance(name, str) for name in names):
                names = None
        write_model_weights(f.create_group("model_weights"), model, names)
        if include_optimizer and compile_config:
            training = _keras2_config.training_config(compile_config, model)
            training = _keras2_loss_scale_entry(training, getattr(model, "optimizer", None))
            f.attrs["training_config"] = json.dumps(training, default=json_default)
            optimizer = getattr(model, "optimizer", None)
            if optimizer is not None:
                group = f.create_group("optimizer_weights")
                names, variables = _keras2_optimizer_weights(optimizer)
                _write_names(group, "weight_names", names)
                for name, variable in zip(names, variables):
                    group.create_dataset(name, data=weights_h5._to_numpy(variable))


# -- loading --------------------------------------------------------------------------------


def is_legacy_layout(f) -> bool:
    """Whether an open HDF5 file has the Keras 2 layout (else the Keras 3 one)."""
    try:
        return "model_weights" in f or "layer_names" in f.attrs or "layer_names0" in f.attrs
    except Exception as error:
        raise KerasFileError(f"Cannot read the HDF5 file: {error}") from None


def _saved_layers(group, label: str) -> list:
    """`[(layer name, [arrays])]` for every saved layer, in file order."""
    h5py = weights_h5._h5py()
    result = []
    for name in read_names(group, "layer_names", label):
        layer_group = group.get(name) if name in group else None
        if layer_group is None or not isinstance(layer_group, h5py.Group):
            raise KerasFileError(f"{label} lists the layer '{name}' but has no group for it.")
        values = []
        for weight_name in read_names(layer_group, "weight_names", f"layer '{name}' of {label}"):
            dataset = layer_group.get(weight_name)
            if not isinstance(dataset, h5py.Dataset):
                raise KerasFileError(
                    f"{label} lists the weight '{weight_name}' of layer '{name}' but has no "
                    "data for it."
                )
            values.append(weights_h5.read_dataset(dataset, f"'{name}/{weight_name}' of {label}"))
        result.append((name, values))
    return result


def load_legacy_weights(
    model, f, label: str, by_name: bool = False, skip_mismatch: bool = False
) -> None:
    """Loads Keras 2 `model_weights` (by topology or by name) into `model`, all or nothing."""
    group = f["model_weights"] if "model_weights" in f else f
    saved = _saved_layers(group, label)
    pairs: list = []
    saved, summaries = _keras2_summaries(model, saved, label)
    model_layers = [layer for layer in _layers(model) if _legacy_weights(layer)]

    def match(layer, saved_name, values):
        variables = _legacy_weights(layer)
        where = f"(saved as '{saved_name}')"
        problem = weights_h5.check_values(layer, where, variables, values)
        if problem is None:
            pairs.extend(zip(variables, values))
            return
        if not skip_mismatch:
            raise KerasFileError(f"Cannot load {label} into model '{model.name}': {problem}")
        if len(variables) != len(values):
            warn_user(f"Skipping loading weights: {problem}")
            return
        # Same weight count: Keras skips only the weights whose shapes differ. A nested
        # Model is one saved layer, so fine-tuning a detector on a new number of classes
        # (`by_name=True, skip_mismatch=True`) must still load the rest of its head.
        for variable, value in zip(variables, values):
            problem = weights_h5.check_values(layer, where, [variable], [value])
            if problem is None:
                pairs.append((variable, value))
            else:
                warn_user(f"Skipping loading weights: {problem}")

    if by_name:
        by_layer_name = {name: values for name, values in saved}
        for layer in model_layers:
            if layer.name in by_layer_name:
                match(layer, layer.name, by_layer_name[layer.name])
    else:
        with_weights = [(name, values) for name, values in saved if values]
        if len(with_weights) != len(model_layers):
            unbuilt = [layer.name for layer in _layers(model) if not layer.built]
            if len(with_weights) > len(model_layers) and (unbuilt or not model.built):
                # SO's most common load_weights failure: a subclassed model loaded before
                # its first call has no weights yet (tf_keras: "Call the Model first").
                raise KerasFileError(
                    f"Cannot load {label} into model '{model.name}': the model has not "
                    "created its weights yet"
                    + (f" (layers {unbuilt} are not built)" if unbuilt else "")
                    + f", but the file has weights for {len(with_weights)} layer(s). Call the "
                    "model on a batch of data first (model(x)), or model.build(input_shape), "
                    "then load the weights."
                )
            raise KerasFileError(
                f"Cannot load {label} into model '{model.name}': the model has "
                f"{len(model_layers)} layer(s) with weights "
                f"{[layer.name for layer in model_layers]} but the file has "
                f"{len(with_weights)} {[name for name, _ in with_weights]}. The file holds "
                "weights for a different architecture (or pass by_name=True to match layers "
                "by name)."
            )
        for layer, (name, values) in zip(model_layers, with_weights):
            match(layer, name, values)
    if _TOP_LEVEL in group:
        values = [
            weights_h5.read_dataset(group[_TOP_LEVEL][n], f"'{_TOP_LEVEL}/{n}' of {label}")
            for n in read_names(group[_TOP_LEVEL], "weight_names", label)
        ]
        own = _structure.own_variables(model)
        if values or own:
            problem = weights_h5.check_values(model, "(its own weights)", own, values)
            if problem is not None and not skip_mismatch:
                raise KerasFileError(f"Cannot load {label} into model '{model.name}': {problem}")
            if problem is None:
                pairs.extend(zip(own, values))
    weights_h5.assign_all(pairs)
    for layer, summary in summaries:
        layer._tork_set_summary(summary)


def _keras2_summaries(model, saved: list, label: str) -> tuple[list, list]:
    """Takes tf_keras's Discretization `summary` weights out of `saved`.

    An adapted tf_keras Discretization saves its quantile summary (one (2, n) array) as its
    only weight; tork's layer has no weight and derives its boundaries from the summary
    instead. Saved layers match tork's Discretization layers by name, else in order when
    the counts agree. Returns the other saved layers and the `(layer, summary)` pairs.
    """
    takers = [
        layer
        for layer in _layers(model)
        if callable(getattr(layer, "_tork_takes_summary", None))
        and layer._tork_takes_summary()
        and not _legacy_weights(layer)
    ]
    if not takers:
        return saved, []

    def is_summary(values):
        return len(values) == 1 and values[0].ndim == 2 and values[0].shape[0] == 2

    by_name = {layer.name: layer for layer in takers}
    pairs, rest = [], []
    for name, values in saved:
        layer = by_name.pop(name, None)
        if layer is not None and is_summary(values):
            pairs.append((layer, values[0]))
        else:
            rest.append((name, values))
    left = [layer for layer in takers if layer.name in by_name]
    candidates = [entry for entry in rest if is_summary(entry[1])]
    if left and len(left) == len(candidates):
        # Other layer names (a model rebuilt with automatic names): pair them in order.
        with_weights = [layer for layer in _layers(model) if _legacy_weights(layer)]
        if len([entry for entry in rest if entry[1]]) - len(with_weights) == len(left):
            ids = {id(entry) for entry in candidates}
            rest = [entry for entry in rest if id(entry) not in ids]
            pairs.extend(zip(left, (values[0] for _, values in candidates)))
    for layer, summary in pairs:
        try:
            layer._tork_set_summary(summary, check_only=True)
        except ValueError as error:
            raise KerasFileError(
                f"Cannot load {label} into model '{model.name}': {error}"
            ) from None
    return rest, pairs


def _unused_sgd_momenta(optimizer, keys: set) -> bool:
    """Whether `keys` are the momentum slots tf_keras saves for an SGD without momentum.

    tf_keras's SGD creates an `m` slot per variable even with `momentum=0` and never
    updates it, so its files hold zeros that tork's momentum-free SGD has no slot for.
    """
    return (
        type(optimizer).__name__ == "SGD"
        and not getattr(optimizer, "momentum", 0)
        and all(k.startswith("m/") for k in keys)
    )


def _optimizer_pairs_by_name(optimizer, names: list, values: list, model) -> list | None:
    """Matches Keras 2 optimizer weights by name (`Adam/m/dense/kernel:0`); None if they differ.

    Keras 2's legacy optimizers store their slots slot by slot (all `m`, then
    all `v`), where tork's optimizers keep them variable by variable.
    """
    if len(values) > len(optimizer.variables) and not getattr(optimizer, "built", False):
        optimizer.build([w for w in model.trainable_weights if w.requires_grad])
    own_names, variables = _keras2_config.optimizer_weights(
        optimizer, _optimizer_variables(optimizer)
    )

    def key(name):  # without the optimizer's name, which the user may have changed
        return name.split("/", 1)[1] if "/" in name else name

    # Files from older tork versions hold Nadam's `u_product`, which is recomputed instead.
    saved = {key(n): v for n, v in zip(names, values) if not key(n).endswith("u_product:0")}
    if len(saved) < len(values) and any(key(n) == "u_product:0" for n in names):
        values = [v for n, v in zip(names, values) if key(n) != "u_product:0"]
    extra = set(saved) - {key(n) for n in own_names}
    if extra and _unused_sgd_momenta(optimizer, extra):
        saved = {k: v for k, v in saved.items() if k not in extra}
        values = list(saved.values())
    if len(saved) != len(values) or set(saved) != {key(n) for n in own_names}:
        return None
    pairs = [(variable, saved[key(n)]) for n, variable in zip(own_names, variables)]
    if any(tuple(v.shape) != tuple(np.shape(a)) for v, a in pairs):
        return None
    return pairs


def _loss_scale_pairs(optimizer, inner, names: list, values: list, model) -> list | None:
    """Pairs tf_keras's `LossScaleOptimizerV3` weights (`m/dense/kernel:0`) with `inner`'s."""
    if not getattr(inner, "built", False) and len(values) > 1:
        optimizer.build([w for w in model.trainable_weights if w.requires_grad])
    own_names, variables = _keras2_optimizer_weights(optimizer)
    saved = dict(zip(names, values))
    if len(saved) != len(values) or set(saved) != set(own_names):
        return None
    pairs = [(variable, saved[name]) for name, variable in zip(own_names, variables)]
    if any(tuple(v.shape) != tuple(np.shape(a)) for v, a in pairs):
        return None
    return pairs


def _load_optimizer_weights(model, f, label: str) -> None:
    h5py = weights_h5._h5py()
    group = f.get("optimizer_weights")
    optimizer = getattr(model, "optimizer", None)
    if not isinstance(group, h5py.Group) or optimizer is None:
        return
    names = read_names(group, "weight_names", label)
    values = []
    for name in names:
        dataset = group.get(name)
        if not isinstance(dataset, h5py.Dataset):
            raise KerasFileError(f"{label} lists the optimizer weight '{name}' but has no data.")
        values.append(weights_h5.read_dataset(dataset, f"optimizer weight '{name}' of {label}"))
    inner = _loss_scale_inner(optimizer)
    if inner is not None:
        pairs = _loss_scale_pairs(optimizer, inner, names, values, model)
    else:
        pairs = _optimizer_pairs_by_name(optimizer, names, values, model)
    if pairs is None:
        pairs = weights_h5.optimizer_pairs(optimizer, values, model)
    if pairs is None:
        warnings.warn(
            f"Skipping loading the optimizer state from {label}: optimizer '{optimizer.name}' "
            f"has {len(optimizer.variables)} variables but the file has {len(values)}.",
            stacklevel=3,
        )
        return
    weights_h5.assign_all(pairs)
    weights_h5.restore_derived_variables(inner if inner is not None else optimizer, pairs)


def load_legacy_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a Keras 2 (or Keras 3 legacy) `.h5` full-model file."""
    from tork.keras.saving._compile_config import compile_from_training_config
    from tork.keras.saving.keras_archive import model_from_saved_config, parse_json

    label = f"the HDF5 file {os.fspath(filepath)!r}"
    with weights_h5.open_h5(filepath, label) as f:
        text = _read_text_attribute(f, "model_config", label)
        if text is None:
            raise KerasFileError(
                f"{label} holds no model config, only weights: create the model in code and "
                "call model.load_weights(path)."
            )
        config = parse_json(text.encode("utf8"), f"The model config of {label}")
        if _keras3_activations.written_by_keras3(f.attrs.get("keras_version")):
            config = _keras3_activations.translate_keras3_config(config)
        model = model_from_saved_config(config, custom_objects, False, safe_mode)
        load_legacy_weights(model, f, label)
        training = _read_text_attribute(f, "training_config", label)
        if compile and training:
            compile_from_training_config(
                model,
                parse_json(training.encode("utf8"), f"The training config of {label}"),
                custom_objects,
                label,
            )
            _load_optimizer_weights(model, f, label)
        elif compile:
            # tf_keras's words: a model saved before compile() comes back uncompiled.
            warnings.warn(
                "No training configuration found in the save file, so the model was *not* "
                "compiled. Compile it manually.",
                stacklevel=3,
            )
    return model
