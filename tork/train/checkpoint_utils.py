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


def _tensors(ckpt_dir_or_file) -> dict:
    prefix = _prefix(ckpt_dir_or_file)
    return _format.read_checkpoint(prefix)["tensors"]


# TensorFlow lists this entry (its serialized object graph) in every object-based
# checkpoint; code tests for it to choose `load_weights` over name-based restoring
# (google/automl's `restore_ckpt`). tork's checkpoints are all object-based.
_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"


def list_variables(ckpt_dir_or_file) -> list:
    """Lists the values in a checkpoint: `(name, shape)` pairs sorted by name.

    Names are the paths of the objects in the checkpoint, e.g.
    `model/layers/0/kernel`; optimizer slots are
    `<variable>/.OPTIMIZER_SLOT/<optimizer>/<slot>`. As in TensorFlow, the list also
    has `('_CHECKPOINTABLE_OBJECT_GRAPH', [])`, the mark of an object-based checkpoint.

    Args:
        ckpt_dir_or_file: a checkpoint prefix, or a directory (its latest checkpoint).

    Returns:
        A list of `(name, shape)` with the shape as a list of ints.

    Example:
    >>> tf.train.list_variables("/tmp/training")  # doctest: +SKIP
    [('model/layers/0/bias', [8]), ('model/layers/0/kernel', [4, 8]), ...]
    """
    tensors = _tensors(ckpt_dir_or_file)
    listed = [(name, list(value.shape)) for name, value in tensors.items()]
    return sorted(listed + [(_GRAPH_KEY, [])])


def load_variable(ckpt_dir_or_file, name: str) -> np.ndarray:
    """Returns the value of one variable of a checkpoint as a NumPy array.

    Args:
        ckpt_dir_or_file: a checkpoint prefix, or a directory (its latest checkpoint).
        name: the variable's name, as `list_variables` gives it, or TensorFlow's
            name for it (e.g. `model/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE`
            or `optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE`).

    Returns:
        The value, as a NumPy array.

    Raises:
        ValueError: if the checkpoint has no variable `name` (the message lists
            the names it has).

    Example:
    >>> tf.train.load_variable("/tmp/training", "model/layers/0/bias")  # doctest: +SKIP
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

    Names are those of `list_variables`; TensorFlow's spellings are accepted too
    (the `/.ATTRIBUTES/VARIABLE_VALUE` suffix, `layer_with_weights-N`, `layer-N`,
    `optimizer/_iterations`).

    Args:
        ckpt_dir_or_file: a checkpoint prefix, or a directory (its latest checkpoint).

    Example:
    >>> reader = tf.train.load_checkpoint("/tmp/training")  # doctest: +SKIP
    >>> reader.get_variable_to_shape_map()["model/layers/0/bias"]
    [8]
    """

    def __init__(self, ckpt_dir_or_file):
        self._path = ckpt_dir_or_file
        self._tensors = _tensors(ckpt_dir_or_file)

    def get_variable_to_shape_map(self) -> dict:
        """Returns `{name: shape as a list of ints}`."""
        shapes = {name: list(value.shape) for name, value in self._tensors.items()}
        return _NameMap({**shapes, _GRAPH_KEY: []})

    def get_variable_to_dtype_map(self) -> dict:
        """Returns `{name: dtype}` (torch dtypes, which are tork's tf dtypes)."""
        from tork._backend.dtypes import string

        dtypes = {name: value.dtype for name, value in self._tensors.items()}
        return _NameMap({**dtypes, _GRAPH_KEY: string})

    def has_tensor(self, name: str) -> bool:
        """Whether the checkpoint holds a value called `name`."""
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
    >>> reader.get_tensor("model/layers/0/bias")
    array([0., 0., ...], dtype=float32)
    """
    return CheckpointReader(ckpt_dir_or_file)
