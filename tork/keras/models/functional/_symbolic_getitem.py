"""`x[...]` of a functional-API symbolic tensor, as a graph node (Keras 2's
`tf.__operators__.getitem` SlicingOpLambda layer).

Slice bounds may be symbolic scalars (`x[:, :tf.shape(y)[1]]`, a skip connection cropped
to another tensor's length), and a slice of an unknown size stays unknown (`x[:, :4]` of a
`(None, None, 3)` tensor is `(None, None, 3)`, as Keras: the data may be shorter).
"""

from __future__ import annotations

import numpy as np
import torch

from tork._symbolic import SymbolicTensor
from tork.keras._shape import KerasShape
from tork.keras.models.functional.keras_tensor import (
    KerasTensor,
    RaggedKerasTensor,
    SparseKerasTensor,
    make_fakes,
)


def _getitem(x, key):
    return x[_slices_of(key)]


def symbolic_getitem(x, key, layer=None):
    """`x[key]` of a symbolic tensor as a graph node (of `layer`, a SlicingOpLambda, if
    given): slice bounds may be symbolic scalars, and sliced unknown sizes stay unknown."""
    from tork.keras.models.functional.node import call_torch_op

    if isinstance(key, list) and any(isinstance(k, (slice, dict)) or k is Ellipsis for k in key):
        key = tuple(key)  # a saved config's key tuple, which JSON made a list
    key = tuple(_slice_of_dict(k) for k in key) if isinstance(key, tuple) else _slice_of_dict(key)
    out = call_torch_op(_getitem, (x, _symbolic_slices(key)), {}, layer=layer)
    if isinstance(x, KerasTensor):
        _unknown_sliced_sizes(x, key, out)
    return out


def _slice_of_dict(value):
    """A `_SliceBounds` read back from a saved config (a plain dict) as a slice again."""
    if isinstance(value, dict) and value and set(value) <= {"start", "stop", "step"}:
        return slice(value.get("start"), value.get("stop"), value.get("step"))
    return value


class _SliceBounds(dict):
    """A slice with a symbolic bound (`x[:, :tf.shape(y)[1]]`), as a dict of its `start`,
    `stop` and `step` (Keras 2's `slice_spec` form): the graph finds and replaces tensors
    in dicts, not in slice objects."""


def _symbolic_slices(key):
    """`key` with each slice that holds a symbolic tensor as `_SliceBounds`."""
    if isinstance(key, tuple):
        return tuple(_symbolic_slices(k) for k in key)
    if isinstance(key, slice) and any(
        isinstance(b, KerasTensor) for b in (key.start, key.stop, key.step)
    ):
        return _SliceBounds(start=key.start, stop=key.stop, step=key.step)
    return key


def _bound(value):
    """A slice bound that a tensor gave (the twin of `tf.shape(y)[1]`) as an int.

    The twins of shape values are real tensors; the twin run happens inside the fake
    tensor mode, which cannot read a real tensor's value, so it is read outside of it.
    """
    if isinstance(value, torch.Tensor) and not isinstance(value, SymbolicTensor):
        from torch._subclasses.fake_tensor import FakeTensor
        from torch.utils._python_dispatch import _disable_current_modes

        if not isinstance(value, FakeTensor):
            with _disable_current_modes():
                return int(value)
    return value


def _slices_of(key):
    """The index `_symbolic_slices` made, with real slices again (also from a saved
    model's config, where `_SliceBounds` are plain dicts)."""
    if isinstance(key, tuple):
        return tuple(_slices_of(k) for k in key)
    if isinstance(key, dict) and set(key) <= {"start", "stop", "step"}:
        return slice(_bound(key.get("start")), _bound(key.get("stop")), _bound(key.get("step")))
    return key


def _is_known_bound(value) -> bool:
    """Whether a slice bound is known when the graph is built: a number, or a symbolic
    scalar (`tf.shape(y)[1]`) whose value is the same in both twins (a known size)."""
    if not isinstance(value, KerasTensor):
        return True
    a, b = value._fakes
    if not isinstance(a, torch.Tensor) or a.dim() != 0:
        return False
    from torch._subclasses.fake_tensor import FakeTensor

    if isinstance(a, FakeTensor) or isinstance(b, FakeTensor):
        return False
    return bool(a == b)


def _unknown_sliced_sizes(x: KerasTensor, key, out) -> None:
    """Makes the sizes of `out` that a slice of an unknown size gives unknown, as Keras.

    `x[:, :4]` of a `(None, None, 3)` tensor is `(None, None, 3)` in Keras: the input may be
    shorter than 4 when data arrives. The twins' stand-in sizes (61, 97) are longer, so
    both twins give 4: the output's twins are made again with stand-ins there. A slice
    with a bound of unknown value (`w[:, :tf.shape(x)[1]]`, x's length unknown) likewise.
    """
    if not isinstance(out, KerasTensor) or isinstance(out, (RaggedKerasTensor, SparseKerasTensor)):
        return
    parts = key if isinstance(key, tuple) else (key,)
    plain = (slice, int, type(None), type(Ellipsis))
    if not all(isinstance(p, plain) or _is_scalar_index(p) for p in parts):
        return  # fancy indexing (lists, arrays, masks): sizes as the twins give them
    consumed = sum(1 for p in parts if p is not None and p is not Ellipsis)
    out_axis, in_axis, unknown = 0, 0, []
    for part in parts:
        if part is Ellipsis:
            skipped = max(len(x.shape) - consumed, 0)
            out_axis += skipped
            in_axis += skipped
        elif part is None:
            out_axis += 1
        elif isinstance(part, slice):
            if in_axis < len(x.shape):
                bounds = (part.start, part.stop, part.step)
                full = part.start is None and part.stop is None
                if (x.shape[in_axis] is None and not full) or not all(
                    _is_known_bound(b) for b in bounds
                ):
                    unknown.append(out_axis)
            out_axis += 1
            in_axis += 1
        else:
            in_axis += 1
    shape = list(out.shape)
    unknown = [axis for axis in unknown if axis < len(shape) and shape[axis] is not None]
    if not unknown:
        return
    for axis in unknown:
        shape[axis] = None
    out.shape = KerasShape(shape)
    out._fakes = make_fakes(out.shape, out.dtype)


def _is_scalar_index(value) -> bool:
    """A 0-d integer tensor used as an index (`x[:, tf.shape(y)[1]]`)."""
    if isinstance(value, (KerasTensor, torch.Tensor)):
        return len(value.shape) == 0
    return isinstance(value, (np.integer, _SliceBounds))
