"""Element structures as tf.data sees them.

Tuples (namedtuples included) and mappings are structure; everything else is a
leaf. Lists are leaves, as in tf.data: `from_tensor_slices([[1, 2], [3, 4]])`
slices one tensor, while `from_tensor_slices((x, y))` slices two. Mappings are
flattened in sorted key order and rebuilt with their own key order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

import numpy as np
import torch

from tork._backend.string_tensor import StringTensor
from tork._backend.tensor import convert_to_tensor
from tork.ops.py_function import GRAPH_FUNCTION


class StructureError(ValueError):
    """Two nests do not have the same structure."""


def is_nested(value) -> bool:
    """True for the containers tf.data treats as structure (tuples and mappings)."""
    return isinstance(value, (tuple, Mapping))


def _keys(mapping: Mapping) -> list:
    try:
        return sorted(mapping)
    except TypeError:
        return list(mapping)


def _flatten_into(value, out: list) -> None:
    # Tensors and dicts are tested first by concrete type: `isinstance(x, Mapping)` is an
    # ABC check, slow enough to show in per-element pipelines.
    if isinstance(value, torch.Tensor):
        out.append(value)
    elif isinstance(value, tuple):
        for item in value:
            _flatten_into(item, out)
    elif type(value) is dict or isinstance(value, Mapping):
        for key in _keys(value):
            _flatten_into(value[key], out)
    else:
        out.append(value)


def _flat_tuple(value) -> bool:
    """True for a plain tuple of tensors, the commonest element: its leaves are itself."""
    if type(value) is not tuple:
        return False
    for item in value:
        if not isinstance(item, torch.Tensor):
            return False
    return True


def flatten(value) -> list:
    """Returns the leaves of a nest, mappings in sorted key order."""
    if _flat_tuple(value):
        return list(value)
    out: list = []
    _flatten_into(value, out)
    return out


def _rebuild_mapping(template: Mapping, values: dict):
    items = [(key, values[key]) for key in template]
    try:
        return type(template)(items)
    except TypeError:
        # e.g. defaultdict, whose constructor wants a factory first.
        return dict(items)


def _pack(template, leaves: Iterator):
    if isinstance(template, tuple):
        values = [_pack(item, leaves) for item in template]
        if hasattr(template, "_fields"):
            return type(template)(*values)
        return tuple(values)
    if isinstance(template, Mapping):
        values = {key: _pack(template[key], leaves) for key in _keys(template)}
        return _rebuild_mapping(template, values)
    return next(leaves)


def pack(template, leaves: Sequence):
    """Builds a nest shaped like `template` from a flat sequence of leaves."""
    return _pack(template, iter(leaves))


def packer(template) -> Callable[[Sequence], object]:
    """Returns a fast function that packs flat leaves into `template`'s structure.

    The common cases (a single leaf, a flat tuple) skip the recursive rebuild,
    since this runs once per element or batch.
    """
    if not is_nested(template):
        return lambda leaves: leaves[0]
    if type(template) is tuple and not any(is_nested(item) for item in template):
        return tuple
    if type(template) is dict and not any(is_nested(item) for item in template.values()):
        # Leaves come in sorted key order; the dict keeps the template's own order.
        sorted_keys, order = _keys(template), list(template)

        def pack_dict(leaves):
            values = dict(zip(sorted_keys, leaves))
            return {key: values[key] for key in order}

        return pack_dict
    return lambda leaves: _pack(template, iter(leaves))


def paths(template) -> list[str]:
    """Returns a readable path per leaf, e.g. `"[0]"` or `"['image']"`, `""` for a bare leaf."""
    out: list[str] = []

    def visit(value, prefix):
        if isinstance(value, tuple):
            for i, item in enumerate(value):
                visit(item, f"{prefix}[{i}]")
        elif isinstance(value, Mapping):
            for key in _keys(value):
                visit(value[key], f"{prefix}[{key!r}]")
        else:
            out.append(prefix)

    visit(template, "")
    return out


def same_structure(a, b) -> bool:
    """True when both nests have the same containers, lengths and keys."""
    if isinstance(a, tuple) != isinstance(b, tuple) or isinstance(a, Mapping) != isinstance(
        b, Mapping
    ):
        return False
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same_structure(x, y) for x, y in zip(a, b))
    if isinstance(a, Mapping):
        return _keys(a) == _keys(b) and all(same_structure(a[k], b[k]) for k in _keys(a))
    return True


def map_structure(fn: Callable, *nests):
    """Applies `fn` to corresponding leaves of nests that share one structure."""
    first = nests[0]
    for other in nests[1:]:
        if not same_structure(first, other):
            raise StructureError(
                f"The structures {describe(first)} and {describe(other)} do not match."
            )
    flats = [flatten(n) for n in nests]
    return pack(first, [fn(*leaves) for leaves in zip(*flats)])


def flatten_up_to(template, value, path: str = "") -> list:
    """Flattens `value` down to the leaves of `template` (whose leaves may be nests in `value`).

    A list in `value` is accepted where `template` has a tuple, as generators
    commonly yield lists.

    Raises:
        StructureError: naming the path where `value` stops matching.
    """
    if isinstance(template, tuple):
        if not isinstance(value, (tuple, list)):
            raise StructureError(
                f"expected a tuple of {len(template)} at {path or 'the top level'}, "
                f"got {type(value).__name__}"
            )
        if len(value) != len(template):
            raise StructureError(
                f"expected {len(template)} components at {path or 'the top level'}, "
                f"got {len(value)}"
            )
        out = []
        for i, (t, v) in enumerate(zip(template, value)):
            out.extend(flatten_up_to(t, v, f"{path}[{i}]"))
        return out
    if isinstance(template, Mapping):
        if not isinstance(value, Mapping):
            raise StructureError(
                f"expected a dict with keys {_keys(template)} at {path or 'the top level'}, "
                f"got {type(value).__name__}"
            )
        if _keys(value) != _keys(template):
            raise StructureError(
                f"expected keys {_keys(template)} at {path or 'the top level'}, got {_keys(value)}"
            )
        out = []
        for key in _keys(template):
            out.extend(flatten_up_to(template[key], value[key], f"{path}[{key!r}]"))
        return out
    return [value]


def describe(value) -> str:
    """A short description of a nest for error messages (leaves by type or shape)."""
    if isinstance(value, tuple):
        inner = ", ".join(describe(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k!r}: {describe(value[k])}" for k in _keys(value)) + "}"
    if isinstance(value, (torch.Tensor, np.ndarray)):
        dtype = str(value.dtype).replace("torch.", "")
        return f"<{type(value).__name__} shape={tuple(value.shape)} dtype={dtype}>"
    return repr(value)[:80]


def to_tensor_leaf(value, where: str) -> torch.Tensor:
    """Converts one leaf returned by a user function to a tensor with TF's dtype rules."""
    if isinstance(value, torch.Tensor):
        return value
    from tork.data import _composite

    if _composite.is_composite(value):  # RaggedTensor / SparseTensor components stay as they are
        return value
    if value is None:
        raise TypeError(
            f"The function passed to {where} returned None as (part of) an element. "
            "Make it return tensors (did you forget a `return` statement?)."
        )
    return convert_to_tensor(value)


def normalize_output(value, where: str):
    """Turns a user function's return value into an element: a nest of tensors.

    A returned list becomes a tuple, as in tf.data's `map`.
    """
    if isinstance(value, torch.Tensor):
        return value
    if _flat_tuple(value):
        return value
    if type(value) is dict and all(
        isinstance(v, torch.Tensor) or type(v) is StringTensor for v in value.values()
    ):
        # What the general path below builds (a new dict, same key order; tensors and
        # string tensors are their own leaves), without it.
        return dict(value)
    if isinstance(value, list):
        value = tuple(value)
    if value is None:
        return to_tensor_leaf(value, where)
    if not is_nested(value):
        return to_tensor_leaf(value, where)
    return pack(value, [to_tensor_leaf(v, where) for v in flatten(value)])


def call(fn: Callable, element):
    """Calls a user function on an element: a plain tuple is spread into positional arguments.

    TensorFlow runs these functions as graphs: `tf.numpy_function` inside them behaves as in
    graph mode (see `tork.ops.py_function.GRAPH_FUNCTION`).
    """
    token = GRAPH_FUNCTION.set(1)  # per element: a context variable, no context manager
    try:
        if type(element) is tuple:
            return fn(*element)
        return fn(element)
    finally:
        GRAPH_FUNCTION.reset(token)
