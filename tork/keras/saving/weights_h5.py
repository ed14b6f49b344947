"""Keras 3 `.weights.h5` files: weights (and optimizer state) by object-structure path.

Layout: one HDF5 group per saved object, at its path in the model (see
`_structure`), holding a `vars` group with datasets `0..n` (the object's own
variables in Keras order) and the attribute `name` (the object's name). The
model's own variables sit in the root `vars` group, the optimizer's in
`optimizer/vars` (iteration, learning rate, then the slots). Metric state
(`total`/`count` of a `loss_tracker`, compiled metrics once built) is written
where tf_keras writes it (`metrics/mean/vars/0`, see `_structure.metric_paths`)
and restored from files that have it.

Loading checks every count and shape first and writes nothing until all
match, so a failed load leaves the model as it was.
"""

from __future__ import annotations

import contextlib
import io
import os

import numpy as np
import torch

from tork._warnings import warn_user
from tork.keras.saving import _structure
from tork.keras.saving.errors import KerasFileError

# Path parts of groups that Keras writes and tork has no object for (state, not weights).
_IGNORED_PARTS = frozenset({"seed_generator", "metrics", "_compile_metrics", "_loss_tracker"})


def _h5py():
    try:
        import h5py
    except ImportError:  # pragma: no cover - h5py is a dependency
        raise ImportError(
            "Reading and writing Keras weights files needs the `h5py` package: pip install h5py"
        ) from None
    return h5py


def _to_numpy(variable) -> np.ndarray:
    if not isinstance(variable, torch.Tensor):
        return _strings_to_h5(variable)
    value = variable.detach()
    if value.dtype is torch.bfloat16:
        # NumPy has no bfloat16: float32 holds every bfloat16 value exactly.
        value = value.float()
    return value.cpu().numpy()


def _strings_to_h5(variable) -> np.ndarray:
    """A string weight's bytes as an HDF5 variable-length string array."""
    values = np.asarray(variable.numpy(), dtype=object)
    if any(b"\x00" in v for v in values.reshape(-1)):
        # HDF5's variable-length strings end at a NUL byte: refuse rather than cut them.
        raise NotImplementedError(
            f"Cannot save the string weight '{getattr(variable, 'path', variable)}': one of its "
            "strings holds a NUL byte, which HDF5 strings cannot store. Save the strings "
            "yourself (e.g. `np.save(path, weight.numpy())`) and `assign` them after loading."
        )
    return values.astype(_h5py().string_dtype("ascii"))


def _strings_from_h5(value) -> np.ndarray:
    """An HDF5 string dataset's value as an object array of bytes."""
    array = np.asarray(value, dtype=object)
    out = np.empty(array.shape, dtype=object)
    out.reshape(-1)[:] = [v.encode() if isinstance(v, str) else bytes(v) for v in array.reshape(-1)]
    return out


def _join(path: str, name: str) -> str:
    return f"{path}/{name}" if path else name


class _WriteStore:
    """The `store` handed to a layer's `save_own_variables(store)`: key -> array."""

    def __init__(self, group):
        self._group = group

    def __setitem__(self, key, value) -> None:
        if isinstance(value, torch.Tensor):
            value = _to_numpy(value)
        self._group.create_dataset(str(key), data=np.asarray(value))

    def __contains__(self, key) -> bool:
        return str(key) in self._group

    def keys(self):
        return list(self._group.keys())

    def __len__(self) -> int:
        return len(self._group)


def has_hook(obj, name: str) -> bool:
    """Whether a layer defines Keras's `save_own_variables`-style hook `name` itself."""
    if _structure._kind(obj) != "layer" or not callable(getattr(obj, name, None)):
        return False
    from tork.keras.layers.layer import Layer

    # Layer's own save/load_own_variables write the plain `vars` entries, as the default
    # path does: only an override is a hook.
    return getattr(type(obj), name, None) is not getattr(Layer, name, None)


def write_weights(model, target, include_optimizer: bool = True) -> None:
    """Writes `model`'s weights and optimizer state in the Keras 3 layout.

    Objects that tf_keras finds at other paths get soft links there (`_keras2_links`).

    A layer that defines Keras's `save_own_variables(store)` writes its own
    `vars` entries (e.g. lookup tables that are not weights).

    Args:
        model: a model or layer.
        target: a file path or a writable binary file object.
        include_optimizer: False leaves the optimizer's state out (Keras 2's
            `model.save(path, include_optimizer=False)`).
    """
    h5py = _h5py()
    walked = _structure.walk(model)
    with h5py.File(target, "w") as f:
        for path, obj in walked:
            if not include_optimizer and _structure._kind(obj) == "optimizer":
                continue
            group = f.require_group(_join(path, "vars"))
            name = getattr(obj, "name", None)
            if isinstance(name, str):
                group.attrs["name"] = name
            if has_hook(obj, "save_own_variables"):
                obj.save_own_variables(_WriteStore(group))
                continue
            for index, variable in enumerate(_structure.own_variables(obj)):
                group.create_dataset(str(index), data=_to_numpy(variable))
        _write_metrics(model, f)
        # Soft links where tf_keras looks for what Keras 3 places elsewhere (subclassed
        # models, MultiHeadAttention), so tf_keras reads the file as well.
        from tork.keras.saving._keras2_links import add_keras2_links

        add_keras2_links(model, f, walked)


def _write_metrics(model, f) -> None:
    """Writes the metrics' variables at tf_keras's paths (Keras 3 writes none)."""
    for path, metric in _structure.metric_paths(model):
        group = f.require_group(_join(path, "vars"))
        if len(group):
            continue  # a path some layer already uses: keep the layer's weights
        name = getattr(metric, "name", None)
        if isinstance(name, str):
            group.attrs["name"] = name
        for index, variable in enumerate(metric.variables):
            group.create_dataset(str(index), data=_to_numpy(variable))


def _metric_pairs(model, f, label: str, matched: set) -> list:
    """`(variable, array)` pairs restoring the metrics' state from a file that has it.

    Files without metric state (Keras 3's, older tork's, or metrics not built when
    saved) leave the metrics as they are; a metric whose saved state does not fit
    is skipped with a warning (its state restarts, as after `reset_state()`).
    """
    pairs: list = []
    for path, metric in _structure.metric_paths(model):
        group_path = _join(path, "vars")
        if group_path in matched:
            continue
        values = _read_vars(f, group_path, label)
        if not values:
            continue
        matched.add(group_path)
        variables = list(metric.variables)
        if len(variables) != len(values) or any(
            tuple(v.shape) != tuple(a.shape) for v, a in zip(variables, values)
        ):
            warn_user(
                f"Skipping loading the state of metric '{getattr(metric, 'name', '?')}' "
                f"({type(metric).__name__}) from '{path}' of {label}: it has variables of shapes "
                f"{[tuple(v.shape) for v in variables]} but the file has "
                f"{[tuple(a.shape) for a in values]}. The metric starts from a reset state."
            )
            continue
        pairs.extend(zip(variables, values))
    return pairs


@contextlib.contextmanager
def open_h5(source, label: str):
    """Opens an HDF5 file for reading; unreadable input raises `KerasFileError`.

    Args:
        source: a path, bytes, or a readable binary file object.
        label: how error messages name the file.

    Yields:
        The open `h5py.File`.
    """
    h5py = _h5py()
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    elif isinstance(source, (str, os.PathLike)) and not os.path.exists(source):
        raise FileNotFoundError(f"No such weights file: {os.fspath(source)!r}.")
    try:
        handle = h5py.File(source, "r")
    except (OSError, ValueError, RuntimeError, KeyError, TypeError) as error:
        raise KerasFileError(
            f"{label} is not a readable HDF5 file (it may be truncated or corrupted, or not be a "
            f"weights file): {error}"
        ) from None
    try:
        yield handle
    finally:
        with contextlib.suppress(Exception):
            handle.close()


def read_dataset(dataset, label: str) -> np.ndarray:
    """Reads a dataset into a NumPy array (bfloat16 data as torch-readable float32).

    A dataset stored in other files (HDF5 external storage or a virtual dataset) is
    refused: reading it would read whatever file a downloaded model names.
    """
    try:
        elsewhere = dataset.external or dataset.is_virtual
    except Exception:  # an h5py without these properties: nothing to check
        elsewhere = False
    if elsewhere:
        raise KerasFileError(
            f"The dataset {label} is an external Dataset: its values are stored outside the "
            "file, in files the file names. Such files are refused (they could read any file "
            "on this machine); save the model again to get a self-contained file."
        )
    try:
        value = dataset[()]
        bfloat16 = dataset.attrs.get("dtype") in ("bfloat16", b"bfloat16")
    except Exception as error:
        raise KerasFileError(f"Cannot read the dataset {label}: {error}") from None
    if _h5py().check_string_dtype(dataset.dtype) is not None:
        return _strings_from_h5(value)  # a string weight (`add_weight(dtype=tf.string)`)
    value = np.asarray(value)
    if bfloat16 and value.dtype.itemsize == 2:
        bits = torch.from_numpy(np.ascontiguousarray(value).view(np.int16))
        return bits.view(torch.bfloat16).float().numpy()
    if value.dtype.kind not in "biufc":
        raise KerasFileError(f"The dataset {label} holds {value.dtype} data, not numbers.")
    return value


def _vars_group(f, group_path: str, label: str):
    h5py = _h5py()
    try:
        group = f.get(group_path)
    except Exception as error:
        raise KerasFileError(f"Cannot read {label} group '{group_path}': {error}") from None
    if group is not None and not isinstance(group, h5py.Group):
        raise KerasFileError(f"In {label}, '{group_path}' is not a group of weights.")
    return group


def _datasets(group, group_path: str, label: str) -> dict:
    """{key: dataset} of a group's datasets (each object opened once)."""
    h5py = _h5py()
    try:
        children = {key: group[key] for key in group.keys()}
    except Exception as error:
        raise KerasFileError(f"Cannot list {label} group '{group_path}': {error}") from None
    return {k: v for k, v in children.items() if isinstance(v, h5py.Dataset)}


def _file_group_path(f, group_path: str) -> str:
    """The path a layer's `vars` group has in the file.

    tf.keras 2 writes attribute-named sublayers with their private names
    (`multi_head_attention/_query_dense/vars` for tork's `query_dense`).
    """
    if group_path in f:
        return group_path
    parent, _, rest = group_path[: -len("/vars")].rpartition("/")
    if rest and not rest.startswith("_"):
        private = f"{parent}/_{rest}/vars" if parent else f"_{rest}/vars"
        if private in f:
            return private
    return group_path


def _read_store(f, group_path: str, label: str) -> dict | None:
    """All datasets of a `vars` group as {key: array}; None when the group is absent."""
    group = _vars_group(f, group_path, label)
    if group is None:
        return None
    return {
        key: read_dataset(dataset, f"'{group_path}/{key}' of {label}")
        for key, dataset in _datasets(group, group_path, label).items()
    }


def _read_vars(f, group_path: str, label: str) -> list | None:
    """The arrays of a `vars` group in index order; None when the group is absent."""
    group = _vars_group(f, group_path, label)
    if group is None:
        return None
    datasets = _datasets(group, group_path, label)
    if sorted(datasets, key=lambda k: (len(k), k)) != [str(i) for i in range(len(datasets))]:
        raise KerasFileError(
            f"In {label}, the weights group '{group_path}' should hold datasets named 0..n, "
            f"found {sorted(datasets)[:10]}."
        )
    return [
        read_dataset(datasets[str(i)], f"'{group_path}/{i}' of {label}")
        for i in range(len(datasets))
    ]


def _groups_with_data(f) -> list:
    """Paths of every `vars` group holding at least one entry (from names alone: fast)."""
    found: dict = {}

    def visit(name):
        parent, _, _ = name.rpartition("/")
        if parent == "vars" or parent.endswith("/vars"):
            found[parent] = True

    try:
        f.visit(visit)
    except Exception as error:
        raise KerasFileError(f"Cannot walk the weights file: {error}") from None
    return list(found)


def _weight_label(variable, index: int) -> str:
    name = getattr(variable, "path", None) or getattr(variable, "name", None)
    return f"'{name}'" if isinstance(name, str) else f"#{index}"


def check_values(obj, where: str, variables: list, values: list) -> str | None:
    """Why `values` cannot be loaded into `variables`, or None when they match."""
    if len(variables) != len(values):
        if not variables and not getattr(obj, "built", True):
            return (
                f"{_structure.describe(obj)} {where} has no weights yet because it was never "
                f"built, but the file has {len(values)} weight(s) for it. Build the model first "
                "(call it on a batch of data, or model.build(input_shape)), then load the weights."
            )
        expected = [_weight_label(v, i) for i, v in enumerate(variables)]
        found = [tuple(a.shape) for a in values]
        return (
            f"{_structure.describe(obj)} {where} expects {len(variables)} weight(s) "
            f"{expected} but the file has {len(values)} with shapes {found}. The file holds "
            "weights for a different architecture."
        )
    for index, (variable, value) in enumerate(zip(variables, values)):
        if tuple(value.shape) != tuple(variable.shape):
            return (
                f"{_structure.describe(obj)} {where}: weight {_weight_label(variable, index)} has "
                f"shape {tuple(variable.shape)} in the model but {tuple(value.shape)} in the file. "
                "The file holds weights for a different architecture."
            )
    return None


def assign_all(pairs: list) -> None:
    """Copies every `(variable, array)` pair; run only after all pairs are checked."""
    with torch.no_grad():
        for variable, value in pairs:
            if not isinstance(variable, torch.Tensor):
                variable.assign(value)  # a string weight
                continue
            tensor = torch.as_tensor(value)
            variable.copy_(tensor.to(device=variable.device, dtype=variable.dtype))


def loss_scale_inner(optimizer):
    """A `LossScaleOptimizer`'s inner optimizer, else None."""
    from tork.keras.mixed_precision.loss_scale_optimizer import LossScaleOptimizer

    return optimizer.inner_optimizer if isinstance(optimizer, LossScaleOptimizer) else None


def derived_optimizer_variables(optimizer) -> list:
    """Optimizer variables that Keras 2 does not save but computes from the step count.

    tf_keras's Nadam keeps its momentum-cache product `u_product` outside its
    variables, so its files (and tork's Keras 2 files) lack it. tf_keras's legacy
    Nadam does save the product, as its `momentum_cache` weight, so it is not derived.
    """
    from tork.keras.saving import _keras2_config

    product = getattr(optimizer, "_u_product", None)
    if type(optimizer).__name__ != "Nadam" or product is None:
        return []
    if _keras2_config._is_legacy(optimizer):
        return []
    return [product]


def restore_derived_variables(optimizer, pairs: list) -> None:
    """Recomputes the derived variables that `pairs` did not load, from `iterations`.

    Nadam's `u_product` after k steps is the product over t = 1..k of
    `beta_1 * (1 - 0.5 * 0.96**t)` (tf_keras's momentum cache).
    """
    loaded = {id(variable) for variable, _ in pairs}
    for variable in derived_optimizer_variables(optimizer):
        if id(variable) in loaded:
            continue
        try:
            steps = int(np.asarray(optimizer.iterations))
            beta_1 = float(optimizer.beta_1)
        except (TypeError, ValueError):
            continue
        product = 1.0
        for t in range(1, steps + 1):
            product *= beta_1 * (1.0 - 0.5 * 0.96**t)
            if product == 0.0:  # underflowed: every later factor keeps it 0
                break
        with torch.no_grad():
            variable.fill_(product)


def optimizer_pairs(optimizer, values: list, model) -> list | None:
    """Matches saved optimizer values to `optimizer.variables`; None when they cannot match.

    An unbuilt optimizer is built on the model's trainable weights first when
    the file holds slot variables. Keras 2 files have no learning-rate
    variable: their values map around it.
    """
    variables = _structure.own_variables(optimizer)  # the order files store them in
    if len(values) > len(variables) and not getattr(optimizer, "built", False):
        optimizer.build([w for w in model.trainable_weights if w.requires_grad])
        variables = _structure.own_variables(optimizer)
    derived = derived_optimizer_variables(optimizer)
    if derived and len(values) < len(variables):
        # A Keras 2 file: without the variables recomputed after loading.
        variables = [v for v in variables if not any(v is d for d in derived)]
    if len(values) == len(variables):
        pairs = list(zip(variables, values))
    else:
        learning_rate = getattr(optimizer, "_learning_rate", None)
        if (
            len(values) == len(variables) - 1
            and len(variables) > 1
            and variables[1] is learning_rate
        ):
            pairs = [(variables[0], values[0])] + list(zip(variables[2:], values[1:]))
        else:
            return None
    if any(tuple(v.shape) != tuple(a.shape) for v, a in pairs) and derived:
        # tork files before Keras 3's Nadam order: `u_product` right after the step count
        # (and the learning rate), not after the slots.
        rest = [v for v in variables if not any(v is d for d in derived)]
        at = 2 if len(rest) > 1 and rest[1] is getattr(optimizer, "_learning_rate", None) else 1
        pairs = list(zip(rest[:at] + derived + rest[at:], values))
    if any(tuple(v.shape) != tuple(a.shape) for v, a in pairs):
        return None
    return pairs


def load_weights_from(model, f, label: str, skip_mismatch: bool = False) -> None:
    """Loads the Keras 3 layout from an open HDF5 file into `model` (all or nothing).

    Files that Keras 2 (tf_keras) wrote for subclassed models name the weights
    in another attribute order: when the Keras 3 paths do not fit, the Keras 2
    ones are tried before the error is raised.
    """
    try:
        _load_weights_from(model, f, label, skip_mismatch, keras2=False)
    except KerasFileError:
        if skip_mismatch or [p for p, _ in _structure.walk(model)] == [
            p for p, _ in _structure.walk(model, keras2=True)
        ]:
            raise
        try:
            _load_weights_from(model, f, label, skip_mismatch, keras2=True)
        except KerasFileError:
            pass
        else:
            return
        raise


def _load_weights_from(model, f, label: str, skip_mismatch: bool, keras2: bool) -> None:
    pairs: list = []
    hooks: list = []
    matched: set = set()
    optimizer_entry = None
    for path, obj in _structure.walk(model, keras2):
        group_path = _file_group_path(f, _join(path, "vars"))
        if has_hook(obj, "load_own_variables"):
            store = _read_store(f, group_path, label)
            if store is not None:
                matched.add(group_path)
            hooks.append((obj, store or {}))
            continue
        values = _read_vars(f, group_path, label)
        if values is not None:
            matched.add(group_path)
        values = values or []
        if _structure._kind(obj) == "optimizer":
            optimizer_entry = (obj, values)
            continue
        where = f"at '{path}'" if path else f"(the model '{getattr(obj, 'name', '?')}' itself)"
        problem = check_values(obj, where, _structure.own_variables(obj), values)
        if problem is not None:
            if not skip_mismatch:
                raise KerasFileError(f"Cannot load {label} into model '{model.name}': {problem}")
            warn_user(f"Skipping loading weights: {problem}")
            continue
        pairs.extend(zip(_structure.own_variables(obj), values))
    pairs.extend(_metric_pairs(model, f, label, matched))
    leftover = [
        p
        for p in _groups_with_data(f)
        if p not in matched
        and not (_IGNORED_PARTS & set(p.split("/")))
        and not p.startswith("optimizer/")
        # An attribute this model does not have at all (the optimizers a custom compile()
        # sets, e.g. a GAN's `d_optimizer`, when loading skipped that compile): Keras 2
        # loads what the model has and ignores it.
        and hasattr(model, p.split("/")[0])
    ]
    if leftover:
        message = (
            f"{label} has weights at {leftover[:5]}{' ...' if len(leftover) > 5 else ''} that "
            f"no layer of model '{model.name}' matches: the file holds weights for a different "
            "architecture (the paths are the layers' positions in the model, e.g. "
            "'layers/dense_1' is the second Dense layer)."
        )
        if not skip_mismatch:
            raise KerasFileError(message)
        warn_user(message)
    if optimizer_entry is not None and optimizer_entry[1]:
        optimizer, values = optimizer_entry
        matched_pairs = optimizer_pairs(optimizer, values, model)
        inner = loss_scale_inner(optimizer)
        if matched_pairs is None and inner is not None:
            # tf_keras's LossScaleOptimizerV3 stores its inner optimizer's variables alone
            # (step count and slots); its loss scale restarts, as when tf_keras loads it.
            matched_pairs = optimizer_pairs(inner, values, model)
            if matched_pairs is not None:
                optimizer_entry = (inner, values)
        if matched_pairs is None:
            shapes = ""
            if len(optimizer.variables) == len(values):
                shapes = (
                    f" of shapes {[tuple(v.shape) for v in optimizer.variables]} vs. "
                    f"{[tuple(a.shape) for a in values]}"
                )
            warn_user(
                f"Skipping loading the state of optimizer '{optimizer.name}': it has "
                f"{len(optimizer.variables)} variables but the file has {len(values)} for it"
                f"{shapes} (a different optimizer or model). Training continues from a fresh "
                "optimizer state."
            )
        else:
            pairs.extend(matched_pairs)
    assign_all(pairs)
    if optimizer_entry is not None and optimizer_entry[1] and matched_pairs is not None:
        restore_derived_variables(optimizer_entry[0], matched_pairs)
    for obj, store in hooks:
        try:
            obj.load_own_variables(store)
        except Exception as error:
            raise KerasFileError(
                f"{_structure.describe(obj)}.load_own_variables() failed on {label}: "
                f"{type(error).__name__}: {error}"
            ) from error


def save_weights_h5(model, filepath) -> None:
    """Writes a `.weights.h5` file at `filepath` atomically."""
    from tork.keras.saving._atomic import atomic_path

    with atomic_path(filepath) as tmp:
        write_weights(model, tmp)


def load_weights_h5(model, source, skip_mismatch: bool = False, label: str | None = None) -> None:
    """Loads a Keras 3 weights file (path, bytes or file object) into `model`."""
    label = label or (
        f"the weights file {os.fspath(source)!r}"
        if isinstance(source, (str, os.PathLike))
        else "the weights file"
    )
    with open_h5(source, label) as f:
        load_weights_from(model, f, label, skip_mismatch=skip_mismatch)
