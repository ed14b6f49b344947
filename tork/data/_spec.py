"""Inferring the `element_spec` of datasets built by user functions.

tf.data traces a `map` function symbolically to learn its output signature. tork
does the same with tensors on torch's "meta" device (shapes and dtypes, no
data): unknown dimensions are stood in for by two different primes, and a
dimension of the result is static only if both traces agree on it. String
components (no meta tensors exist for them) are stood in for by real string
tensors holding different text in the two traces, so that shapes that depend on
the text (e.g. from `tf.strings.split`) come out unknown. Functions that cannot
run on these stand-ins fall back to computing the first element.
"""

from __future__ import annotations

import contextvars
import warnings
from collections.abc import Callable

import numpy as np
import torch

from tork._backend import string_tensor
from tork.data import _composite
from tork.data import _structure as nest
from tork.data.tensor_spec import DatasetSpec, TensorSpec
from tork.ops.debugging import STAND_IN_TRACE

_PRIMES = (7919, 7927)
# The most elements a stand-in may have: room below torch's limit for the function's
# own ops (batching, broadcasting) to grow it.
_MAX_STAND_IN = 2**48
# String stand-ins hold real text: at most this many strings.
_MAX_STRINGS = 10**5
# Smaller primes when the element has strings: their stand-ins hold real text that the
# function processes (89 strings for a batch of lines, 89 * 89 for two unknown dims).
_SMALL_PRIMES = (83, 89)
# Smaller pairs for elements with many unknown dimensions: meta tensors hold no data, but
# torch still refuses shapes whose byte size overflows int64 (7919 ** 5 elements do), and
# string stand-ins are real.
_FALLBACK_PRIMES = (_SMALL_PRIMES, (11, 13), (2, 3))
# The text of string stand-ins in the two traces: empty, then one that common splits
# (whitespace, punctuation, bytes) cut into a different number of pieces.
_TEXTS = (b"", b"0 0,0\t0/0;0|0:0-0_0.0\n0")


def spec_of(element):
    """The spec nest of a concrete element (dataset components, from `window`, included)."""

    def leaf_spec(t):
        if hasattr(t, "_elements") and hasattr(t, "element_spec"):  # a tf.data.Dataset
            return DatasetSpec(t.element_spec)
        if _composite.is_composite(t):
            return _composite.value_spec(t)
        return TensorSpec(tuple(t.shape), t.dtype)

    return nest.map_structure(leaf_spec, element)


def _is_string_spec(leaf) -> bool:
    return isinstance(leaf, TensorSpec) and isinstance(leaf.dtype, string_tensor.StringDType)


def _holds_strings(leaf) -> bool:
    """A string tensor or a ragged tensor of strings: its stand-ins hold real text."""
    return isinstance(getattr(leaf, "dtype", None), string_tensor.StringDType)


def _string_stand_in(leaf: TensorSpec, size: int, text: bytes):
    """A string tensor of the leaf's shape filled with `text`; None if it would be large."""
    shape = [size if d is None else d for d in leaf.shape.as_list()]
    if np.prod(shape) > _MAX_STRINGS:  # too many strings for a trace
        return None
    return string_tensor.wrap(np.full(shape, text, dtype=object))


def _ragged_stand_in(leaf, size: int, row_length: int):
    """A ragged tensor of meta values whose ragged rows all have `row_length` values.

    The row length (1 or 2) differs between the two traces, so dimensions computed from
    it (e.g. by `to_tensor()`) come out unknown; partitions with a static length in the
    spec (`[None, 2, None]`) are uniform ones of that length, as in tf.data. String
    values are real text (that of the trace). None if the spec's shape or dtype is
    unknown, or the strings would be too many.
    """
    dims = leaf.shape.as_list() if leaf.shape.rank is not None else None
    rank = leaf.ragged_rank
    strings = isinstance(leaf.dtype, string_tensor.StringDType)
    if dims is None or len(dims) <= rank or not (strings or isinstance(leaf.dtype, torch.dtype)):
        return None
    from tork._backend.ragged_tensor import RaggedTensor

    lengths = [row_length if d is None else d for d in dims[1 : rank + 1]]
    counts = [size if dims[0] is None else dims[0]]  # rows at each level
    for length in lengths:
        counts.append(counts[-1] * length)
    inner = [size if d is None else d for d in dims[rank + 1 :]]
    if strings:  # real text, as for string tensors: the two traces hold different text
        if np.prod([counts[-1], *inner]) > _MAX_STRINGS:
            return None
        text = _TEXTS[row_length - 1]
        result = string_tensor.wrap(np.full([counts[-1], *inner], text, dtype=object))
    else:
        result = torch.empty([counts[-1], *inner], dtype=leaf.dtype, device="meta")
    for level in reversed(range(rank)):
        if dims[level + 1] is not None:
            result = RaggedTensor.from_uniform_row_length(
                result, lengths[level], nrows=counts[level], validate=False
            )
            continue
        splits = torch.arange(counts[level] + 1, dtype=leaf.row_splits_dtype) * lengths[level]
        result = RaggedTensor.from_row_splits(result, splits, validate=False)
    return result.with_row_splits_dtype(leaf.row_splits_dtype)


def _meta_element(spec, size: int, variant: int = 0):
    leaves = nest.flatten(spec)
    tensors = []
    for leaf in leaves:
        if isinstance(leaf, _composite.RaggedTensorSpec) and leaf.ragged_rank >= 1:
            stand_in = _ragged_stand_in(leaf, size, variant + 1)
            if stand_in is None:
                return None
            tensors.append(stand_in)
            continue
        if _is_string_spec(leaf) and leaf.shape.rank is not None:
            stand_in = _string_stand_in(leaf, size, _TEXTS[variant])
            if stand_in is None:
                return None
            tensors.append(stand_in)
            continue
        if isinstance(leaf, DatasetSpec):
            # A dataset component (from `window`) is stood in for by an empty dataset with
            # that element_spec: functions like `lambda w: w.batch(3)` then trace.
            from tork.data._windowing import _ElementsDataset

            tensors.append(_ElementsDataset([], leaf.element_spec))
            continue
        if (
            isinstance(leaf, _composite.RaggedTensorSpec)
            and leaf.ragged_rank == 0
            and leaf.shape.rank is not None
            and isinstance(leaf.dtype, torch.dtype)
        ):
            # A slice of a ragged_rank-1 tensor: its elements are plain tensors (the
            # function sees one, as in tf.data), so a meta tensor stands in for it.
            shape = [size if d is None else d for d in leaf.shape.as_list()]
            tensors.append(torch.empty(shape, dtype=leaf.dtype, device="meta"))
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


def _primes_for(leaves: list, primes: tuple) -> tuple:
    """`primes`, or a smaller pair when a leaf with many unknown dims would get too big."""
    limits = [
        (leaf.shape.as_list(), _MAX_STRINGS if _holds_strings(leaf) else _MAX_STAND_IN)
        for leaf in leaves
        if getattr(leaf, "shape", None) is not None and leaf.shape.rank is not None
    ]

    def fits(size: int) -> bool:
        return all(
            float(np.prod([size if d is None else d for d in dims], dtype=np.float64)) <= limit
            for dims, limit in limits
        )

    for candidate in (primes, *_FALLBACK_PRIMES):
        if fits(candidate[1]):
            return candidate
    return _FALLBACK_PRIMES[-1]


def trace(probe: Callable, input_spec):
    """Runs `probe(element) -> spec nest` on meta elements; None if it cannot run.

    Args:
        probe: maps an element (a nest of meta tensors) to the output spec nest.
        input_spec: the input dataset's element_spec.
    """
    leaves = nest.flatten(input_spec)
    has_unknown = any(
        isinstance(s, (TensorSpec, _composite.RaggedTensorSpec))
        and s.shape.rank is not None
        and None in s.shape.as_list()
        for s in leaves
    )
    strings = [s for s in leaves if _holds_strings(s) and s.shape.rank is not None]
    traces = 2 if has_unknown or strings else 1
    primes = _primes_for(leaves, _SMALL_PRIMES if strings else _PRIMES)
    results = []
    for variant, size in enumerate(primes[:traces]):
        element = _meta_element(input_spec, size, variant)
        if element is None:
            return None
        token = STAND_IN_TRACE.set(True)  # tf.print must not print stand-in values
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                results.append(probe(element))
        except Exception:  # any failure means "not traceable": the caller falls back
            return None
        finally:
            STAND_IN_TRACE.reset(token)
    if len(results) == 1:
        return results[0]
    return merge_specs(results[0], results[1])


# False while `static_spec` runs: a spec that needs real elements is not computed then.
_MAY_READ_ELEMENTS: contextvars.ContextVar = contextvars.ContextVar("may_read", default=True)


class _NeedsElements(Exception):
    """Raised by `peek` under `static_spec`: the spec would need the dataset's elements."""


def static_spec(dataset):
    """The dataset's element_spec when it is known without reading elements, else None.

    tf.data checks a transformation against its input's spec when the pipeline is built;
    tork does the same where the spec comes from the sources and from tracing functions
    on stand-ins, but does not read elements (run a pipeline) just to raise earlier; a
    spec that cannot be computed (its error surfaces when the data flows) gives None too.
    """
    if dataset._element_spec is not None:
        return dataset._element_spec
    if getattr(dataset, "_spec_needs_elements", False):
        return None
    token = _MAY_READ_ELEMENTS.set(False)
    try:
        return dataset.element_spec
    except Exception:  # noqa: BLE001 - needs elements, or fails: found out when iterating
        dataset._spec_needs_elements = True  # datasets are immutable: don't trace again
        return None
    finally:
        _MAY_READ_ELEMENTS.reset(token)


def peek(dataset, batched: bool):
    """The spec of a dataset's first elements; leading dims unknown when `batched`.

    Dimensions that differ between the first two elements are unknown.

    Raises:
        ValueError: when the dataset is empty.
    """
    if not _MAY_READ_ELEMENTS.get():
        raise _NeedsElements
    iterator = dataset._elements()
    first = next(iterator, None)
    if first is None:
        raise ValueError(
            f"Cannot infer the element_spec of {type(dataset).__name__}: its function could not "
            "be traced on symbolic tensors and the dataset has no elements to look at."
        )
    spec = spec_of(first)
    try:
        second = next(iterator, None)
    except Exception:  # noqa: BLE001 - e.g. a bad record that ignore_errors() drops later:
        second = None  # the spec comes from the first element; the error shows when iterating
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
