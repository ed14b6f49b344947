"""`tf.train.list_variables` and `tf.train.load_variable`: read a checkpoint without objects."""

from __future__ import annotations

import os

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


def list_variables(ckpt_dir_or_file) -> list:
    """Lists the values in a checkpoint: `(name, shape)` pairs sorted by name.

    Names are the paths of the objects in the checkpoint, e.g.
    `model/layers/0/kernel`; optimizer slots are
    `<variable>/.OPTIMIZER_SLOT/<optimizer>/<slot>`.

    Args:
        ckpt_dir_or_file: a checkpoint prefix, or a directory (its latest checkpoint).

    Returns:
        A list of `(name, shape)` with the shape as a list of ints.

    Example:
    >>> tf.train.list_variables("/tmp/training")  # doctest: +SKIP
    [('model/layers/0/bias', [8]), ('model/layers/0/kernel', [4, 8]), ...]
    """
    tensors = _tensors(ckpt_dir_or_file)
    return sorted((name, list(value.shape)) for name, value in tensors.items())


def load_variable(ckpt_dir_or_file, name: str) -> np.ndarray:
    """Returns the value of one variable of a checkpoint as a NumPy array.

    Args:
        ckpt_dir_or_file: a checkpoint prefix, or a directory (its latest checkpoint).
        name: the variable's name, as `list_variables` gives it.

    Returns:
        The value, as a NumPy array.

    Raises:
        ValueError: if the checkpoint has no variable `name` (the message lists
            the names it has).

    Example:
    >>> tf.train.load_variable("/tmp/training", "model/layers/0/bias")  # doctest: +SKIP
    array([0., 0., ...], dtype=float32)
    """
    tensors = _tensors(ckpt_dir_or_file)
    key = name.removesuffix("/.ATTRIBUTES/VARIABLE_VALUE")
    if key not in tensors:
        names = sorted(tensors)
        shown = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "")
        raise ValueError(f"The checkpoint has no variable {name!r}. Its variables are: {shown}.")
    value = tensors[key]
    if value.dtype == torch.bfloat16:  # NumPy has no bfloat16
        value = value.float()
    return value.numpy()
