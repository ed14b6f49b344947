"""Inferring the `element_spec` of datasets built by user functions.

tf.data traces a `map` function symbolically to learn its output signature. tork
does the same with tensors on torch's "meta" device (shapes and dtypes, no
data): unknown dimensions are stood in for by two different primes, and a
dimension of the result is static only if both traces agree on it. Functions
that cannot run on meta tensors fall back to computing the first element.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import torch

from tork.data import _composite
from tork.data import _structure as nest
from tork.data.tensor_spec import DatasetSpec, TensorSpec

_PRIMES = (7919, 7927)


def spec_of(element):
    """The spec nest of a concrete element (dataset components, from `window`, included)."""

    def leaf_spec(t):
        if hasattr(t, "_elements") and hasattr(t, "element_spec"):  # a tf.data.Dataset
            return DatasetSpec(t.element_spec)
        if _composite.is_composite(t):
            return _composite.value_spec(t)
        return TensorSpec(tuple(t.shape), t.dtype)

    return nest.map_structure(leaf_spec, element)


def _meta_element(spec, size: int):
    leaves = nest.flatten(spec)
    tensors = []
    for leaf in leaves:
        if isinstance(leaf, DatasetSpec):
            # A dataset component (from `window`) is stood in for by an empty dataset with
            # that element_spec: functions like `lambda w: w.batch(3)` then trace.
            from tork.data._windowing import _ElementsDataset

            tensors.append(_ElementsDataset([], leaf.element_spec))
            continue
        if (
            not isinstance(leaf, TensorSpec)
            or leaf.shape.rank is None
            or not isinstance(leaf.dtype, torch.dtype)  # tf.string: no meta tensors
        ):
            return None
        shape = [size if d is None else d for d in leaf.shape.as_list()]
        tensors.append(torch.empty(shape, dtype=leaf.dtype, device="meta"))
    return nest.pack(spec, tensors)


def merge_specs(a, b):
    """The most specific spec nest describing both, or None if they cannot be combined."""
    if not nest.same_structure(a, b):
        return None
    merged = []
    for x, y in zip(nest.flatten(a), nest.flatten(b)):
        if isinstance(x, DatasetSpec) and x == y:
            merged.append(x)
            continue
        if isinstance(x, _composite.COMPOSITE_SPECS):
            relaxed = _composite.relaxed(x, y)
            if relaxed is None:
                return None
            merged.append(relaxed)
            continue
        if not (isinstance(x, TensorSpec) and isinstance(y, TensorSpec)) or x.dtype != y.dtype:
            return None
        merged.append(x._relaxed(y))
    return nest.pack(a, merged)


def trace(probe: Callable, input_spec):
    """Runs `probe(element) -> spec nest` on meta elements; None if it cannot run.

    Args:
        probe: maps an element (a nest of meta tensors) to the output spec nest.
        input_spec: the input dataset's element_spec.
    """
    has_unknown = any(
        isinstance(s, TensorSpec) and s.shape.rank is not None and None in s.shape.as_list()
        for s in nest.flatten(input_spec)
    )
    results = []
    for size in _PRIMES if has_unknown else _PRIMES[:1]:
        element = _meta_element(input_spec, size)
        if element is None:
            return None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                results.append(probe(element))
        except Exception:  # any failure means "not traceable": the caller falls back
            return None
    if len(results) == 1:
        return results[0]
    return merge_specs(results[0], results[1])


def peek(dataset, batched: bool):
    """The spec of a dataset's first elements; leading dims unknown when `batched`.

    Dimensions that differ between the first two elements are unknown.

    Raises:
        ValueError: when the dataset is empty.
    """
    iterator = dataset._elements()
    first = next(iterator, None)
    if first is None:
        raise ValueError(
            f"Cannot infer the element_spec of {type(dataset).__name__}: its function could not "
            "be traced on symbolic tensors and the dataset has no elements to look at."
        )
    spec = spec_of(first)
    second = next(iterator, None)
    if second is not None:
        spec = merge_specs(spec, spec_of(second)) or spec
    if not batched:
        return spec

    def relax(s: TensorSpec) -> TensorSpec:
        if s.shape.rank is None:
            return s
        dims = s.shape.as_list()
        if isinstance(s, _composite.COMPOSITE_SPECS):
            return _composite.with_shape(s, [None, *dims[1:]] if dims else dims)
        return TensorSpec([None, *dims[1:]] if dims else dims, s.dtype, s.name)

    return nest.map_structure(relax, spec)


def is_batched(spec) -> bool:
    """True when some component has an unknown leading dimension (a batch)."""
    for s in nest.flatten(spec):
        if (
            isinstance(s, (TensorSpec, *_composite.COMPOSITE_SPECS))
            and s.shape.rank
            and s.shape[0] is None
        ):
            return True
    return False
