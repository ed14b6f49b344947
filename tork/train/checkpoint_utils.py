"""`tf.train.list_variables` and `tf.train.load_variable`: read a checkpoint without objects."""

from __future__ import annotations

import os
import re

import numpy as np
import torch

from tork._backend.errors import NotFoundError
from tork.train import _format


def _prefix(ckpt_dir_or_file) -> str:
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        from tork.train.checkpoint_management import latest_checkpoint

        latest = latest_checkpoint(path)
        if latest is None:
            raise NotFoundError(
                f"Couldn't find a 'checkpoint' file or checkpoints in the directory {path!r}."
            )
        path = latest
    return _format.resolve_prefix(path)


class _BundleValues:
    """TensorFlow's checkpoint: its keys as TensorFlow lists them, values read on demand."""

    def __init__(self, prefix: str):
        from tork.train._tensor_bundle import BundleReader

        self.reader = BundleReader(prefix)

    def shapes(self) -> dict:
        return {key: entry.shape for key, entry in self.reader.entries.items()}

    def dtypes(self) -> dict:
        from tork._backend.dtypes import string

        out = {}
        for key in self.reader.entries:
            dtype = self.reader.dtype(key)
            out[key] = string if dtype == "string" else dtype
        return out

    def key(self, name: str) -> str | None:
        candidates = [name, name.removesuffix(":0")]
        if name.endswith(_ITERATOR_SUFFIX):
            # tork keeps a dataset iterator's position as a child value of the iterator.
            candidates.append(name.removesuffix(_ITERATOR_SUFFIX) + "/ITERATOR_STATE" + _SUFFIX)
        for candidate in candidates:
            if candidate in self.reader.entries:
                return candidate
        return None

    def value(self, name: str):
        key = self.key(name)
        if key is None:
            names = sorted(self.reader.entries)
            shown = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "")
            raise ValueError(
                f"The checkpoint has no variable {name!r}. Its variables are: {shown}."
            )
        value = self.reader.get(key)
        if isinstance(value, np.ndarray):  # strings: bytes, as TensorFlow gives them
            return value.item() if value.ndim == 0 else value
        if value.dtype == torch.bfloat16:  # NumPy has no bfloat16
            value = value.float()
        return value.numpy()


def _tensors(ckpt_dir_or_file):
    """tork's checkpoint: its dict of tensors by key; TensorFlow's: a `_BundleValues`."""
    prefix = _prefix(ckpt_dir_or_file)
    if _format.is_tf_bundle(prefix):
        return _BundleValues(prefix)
    return _format.read_checkpoint(prefix)["tensors"]


# TensorFlow lists this entry (its serialized object graph) in every object-based
# checkpoint; code tests for it to choose `load_weights` over name-based restoring
# (google/automl's `restore_ckpt`). tork's checkpoints are all object-based; for its
# older format, which stores no serialized graph, the entry is listed but not readable.
_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"


def list_variables(ckpt_dir_or_file) -> list:
    """Lists the values in a checkpoint: `(name, shape)` pairs sorted by name.

    Names are TensorFlow's checkpoint keys, e.g.
    `model/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE` (for a
    checkpoint written by TensorFlow or by tork; tork's older format lists paths
    such as `model/layers/0/kernel`). The list also has
    `('_CHECKPOINTABLE_OBJECT_GRAPH', [])`, the mark of an object-based checkpoint;
    a TensorFlow 1 `Saver` checkpoint lists its variables' graph names (`dense/kernel`).

    Args:
        ckpt_dir_or_file: a checkpoint prefix, or a directory (its latest checkpoint).

    Returns:
        A list of `(name, shape)` with the shape as a list of ints.

    Example:
    >>> tf.train.list_variables("/tmp/training")  # doctest: +SKIP
    [('_CHECKPOINTABLE_OBJECT_GRAPH', []),
     ('model/layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE', [8]), ...]
    """
    tensors = _tensors(ckpt_dir_or_file)
    if isinstance(tensors, _BundleValues):
        return sorted((name, list(shape)) for name, shape in tensors.shapes().items())
    listed = [(name, list(value.shape)) for name, value in tensors.items()]
    return sorted(listed + [(_GRAPH_KEY, [])])


def load_variable(ckpt_dir_or_file, name: str) -> np.ndarray:
    """Returns the value of one variable of a checkpoint as a NumPy array.

    Args:
        ckpt_dir_or_file: a checkpoint prefix, or a directory (its latest checkpoint).
        name: the variable's name, as `list_variables` gives it (e.g.
            `model/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE` or
            `optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE`); a trailing `:0`
            is ignored. For tork's older format, its own paths are accepted too.

    Returns:
        The value, as a NumPy array (strings as bytes, as TensorFlow gives them;
        bfloat16 as float32, which NumPy can hold).

    Raises:
        ValueError: if the checkpoint has no variable `name` (the message lists
            the names it has).

    Example:
    >>> tf.train.load_variable(  # doctest: +SKIP
    ...     "/tmp/training", "model/layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE")
    array([0., 0., ...], dtype=float32)
    """
    return _value(_tensors(ckpt_dir_or_file), name)


_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"
# TensorFlow's names of optimizer values that tork's checkpoints call differently.
_TF_ALIASES = {"_iterations": "iteration", "iter": "iteration", "_learning_rate": "learning_rate"}
# Keras 2's legacy slot names (Adam's `m` and `v`).
_TF_SLOT_ALIASES = {"m": "momentum", "v": "velocity"}
_WITH_WEIGHTS = re.compile(r"layer_with_weights-(\d+)")
_LAYER = re.compile(r"layer-(\d+)")


def _layer_indices(tensors: dict, prefix: str) -> list:
    """The indices `i` of the `<prefix>layers/<i>/...` entries that hold values, sorted."""
    start = prefix + "layers/"
    found = set()
    for key in tensors:
        if key.startswith(start):
            head = key[len(start) :].split("/", 1)[0]
            if head.isdigit():
                found.add(int(head))
    return sorted(found)


def _key(tensors: dict, name: str) -> str | None:
    """The checkpoint key for `name`: tork's own name, or TensorFlow's spelling of it.

    TensorFlow names a model's layers `layer_with_weights-N` (the N-th layer that has
    weights) or `layer-N`, and optimizer values `_iterations` / `_learning_rate`;
    tork's checkpoints name them `layers/<index>`, `iteration` and `learning_rate`.
    Accepting both lets code written against TensorFlow's names read tork checkpoints.
    """
    key = name.removesuffix(_SUFFIX)
    if key.endswith(_ITERATOR_SUFFIX):  # tork saves an iterator's position as a child value
        key = key.removesuffix(_ITERATOR_SUFFIX) + "/ITERATOR_STATE"
    if key in tensors:
        return key
    parts = key.split("/")
    out: list = []
    for position, part in enumerate(parts):
        prefix = "/".join(out) + "/" if out else ""
        match = _WITH_WEIGHTS.fullmatch(part)
        if match:
            indices = _layer_indices(tensors, prefix)
            number = int(match.group(1))
            if number >= len(indices):
                return None
            out += ["layers", str(indices[number])]
        elif _LAYER.fullmatch(part):
            out += ["layers", _LAYER.fullmatch(part).group(1)]
        elif position >= 2 and parts[position - 2] == ".OPTIMIZER_SLOT":
            out.append(_TF_SLOT_ALIASES.get(part, part))
        else:
            out.append(_TF_ALIASES.get(part, part))
    key = "/".join(out)
    return key if key in tensors else None


def _value(tensors: dict, name: str) -> np.ndarray:
    if isinstance(tensors, _BundleValues):
        return tensors.value(name)
    if name == _GRAPH_KEY:
        raise ValueError(
            f"{_GRAPH_KEY!r} is TensorFlow's serialized object graph; tork's checkpoints "
            "keep values by object path and store no serialized graph. Restore the "
            "checkpoint with `model.load_weights(path)` or `tf.train.Checkpoint(...).read(path)`."
        )
    key = _key(tensors, name)
    if key is None:
        names = sorted(tensors)
        shown = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "")
        raise ValueError(f"The checkpoint has no variable {name!r}. Its variables are: {shown}.")
    value = tensors[key]
    if value.dtype == torch.bfloat16:  # NumPy has no bfloat16
        value = value.float()
    return value.numpy()


_ITERATOR_SUFFIX = "/.ATTRIBUTES/ITERATOR_STATE"


class _NameMap(dict):
    """A dict keyed by tork's names that also finds a value by TensorFlow's spelling.

    `reader.get_variable_to_shape_map()["net/l1/kernel/.ATTRIBUTES/VARIABLE_VALUE"]`
    works as in TensorFlow; iterating lists tork's names (as `list_variables`).
    """

    def __missing__(self, name):
        # `_key` looks names up in the plain keys view, not through this class.
        key = _key(self.keys(), name) if isinstance(name, str) else None
        if key is None:
            raise KeyError(name)
        return dict.__getitem__(self, key)

    def __contains__(self, name) -> bool:
        if dict.__contains__(self, name):
            return True
        return isinstance(name, str) and _key(self.keys(), name) is not None

    def get(self, name, default=None):
        return self[name] if name in self else default


class CheckpointReader:
    """Reads the values of a checkpoint by name (TensorFlow's `tf.train.load_checkpoint`).

    Names are those of `list_variables` (TensorFlow's keys; for tork's older
    format, TensorFlow's spellings of its paths are accepted too).

    Args:
        ckpt_dir_or_file: a checkpoint prefix, or a directory (its latest checkpoint).

    Example:
    >>> reader = tf.train.load_checkpoint("/tmp/training")  # doctest: +SKIP
    >>> reader.get_variable_to_shape_map()["model/layer-0/bias/.ATTRIBUTES/VARIABLE_VALUE"]
    [8]
    """

    def __init__(self, ckpt_dir_or_file):
        self._path = ckpt_dir_or_file
        self._tensors = _tensors(ckpt_dir_or_file)

    def get_variable_to_shape_map(self) -> dict:
        """Returns `{name: shape as a list of ints}`."""
        if isinstance(self._tensors, _BundleValues):
            return {name: list(shape) for name, shape in self._tensors.shapes().items()}
        shapes = {name: list(value.shape) for name, value in self._tensors.items()}
        return _NameMap({**shapes, _GRAPH_KEY: []})

    def get_variable_to_dtype_map(self) -> dict:
        """Returns `{name: dtype}` (torch dtypes, which are tork's tf dtypes)."""
        from tork._backend.dtypes import string

        if isinstance(self._tensors, _BundleValues):
            return self._tensors.dtypes()
        dtypes = {name: value.dtype for name, value in self._tensors.items()}
        return _NameMap({**dtypes, _GRAPH_KEY: string})

    def has_tensor(self, name: str) -> bool:
        """Whether the checkpoint holds a value called `name`."""
        if isinstance(self._tensors, _BundleValues):
            return self._tensors.key(name) is not None
        return name == _GRAPH_KEY or _key(self._tensors, name) is not None

    def get_tensor(self, name: str) -> np.ndarray:
        """Returns the value called `name` as a NumPy array (see `load_variable`)."""
        return _value(self._tensors, name)


def load_checkpoint(ckpt_dir_or_file) -> CheckpointReader:
    """Returns a `CheckpointReader` for a checkpoint prefix or directory.

    Args:
        ckpt_dir_or_file: a checkpoint prefix, or a directory (its latest checkpoint).

    Returns:
        A `CheckpointReader`.

    Example:
    >>> reader = tf.train.load_checkpoint("/tmp/training")  # doctest: +SKIP
    >>> reader.get_tensor("model/layer-0/bias/.ATTRIBUTES/VARIABLE_VALUE")
    array([0., 0., ...], dtype=float32)
    """
    return CheckpointReader(ckpt_dir_or_file)
