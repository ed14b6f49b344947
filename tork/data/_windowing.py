"""Regrouping transformations: window, rebatch, group_by_window, bucket_by_sequence_length."""

from __future__ import annotations

import bisect
import collections

import torch

from tork._backend.errors import InvalidArgumentError
from tork._backend.tensor_shape import TensorShape
from tork.data import _composite, _rows, _spec
from tork.data import _structure as nest
from tork.data._transforms import (
    _dataset_result,
    _stack,
    _try_columns,
    _UnaryDataset,
    _UnbatchDataset,
)
from tork.data.dataset import UNKNOWN_CARDINALITY, Dataset, _as_int
from tork.data.tensor_spec import DatasetSpec, TensorSpec


class _ElementsDataset(Dataset):
    """A finite dataset over elements already in memory (a window, a group)."""

    def __init__(self, elements: list, spec):
        super().__init__()
        self._values = elements
        self._element_spec = spec
        self._columns = None

    def _rows(self):
        # Same-shape elements are stacked once so `window.batch(n)` gathers whole columns.
        # Not for ragged/sparse specs: their (possibly dense, ragged_rank-0) values must
        # batch through the spec-aware generic path, as ragged values.
        if self._columns is None:
            composite = any(
                isinstance(leaf, _composite.COMPOSITE_SPECS)
                for leaf in nest.flatten(self._element_spec)
            )
            self._columns = False if composite else (_try_columns(self._values) or False)
        if self._columns:
            return _rows.from_columns(*self._columns)
        return None

    def _generic(self):
        return iter(self._values)

    def _spec(self):
        return self._element_spec

    def _cardinality(self) -> int:
        return len(self._values)


def _positive(value, name: str, where: str) -> int:
    value = _as_int(value, name, where)
    if value <= 0:
        raise InvalidArgumentError(f"{where}: `{name}` must be greater than zero, got {value}.")
    return value


class _WindowDataset(_UnaryDataset):
    def __init__(self, input_dataset, size, shift, stride, drop_remainder):
        where = "Dataset.window"
        super().__init__(input_dataset, where)
        self._size = _positive(size, "size", where)
        self._shift = self._size if shift is None else _positive(shift, "shift", where)
        self._stride = 1 if stride is None else _positive(stride, "stride", where)
        self._drop = bool(drop_remainder)
        # Input elements one window spans.
        self._span = (self._size - 1) * self._stride + 1

    def _window(self, elements: list):
        """Packs a window's elements into the input's structure, one dataset per component."""
        spec = self._input.element_spec
        if not nest.is_nested(spec):
            return _ElementsDataset(elements, spec)
        columns = zip(*(nest.flatten(e) for e in elements))
        datasets = [
            _ElementsDataset(list(column), leaf)
            for column, leaf in zip(columns, nest.flatten(spec))
        ]
        return nest.pack(spec, datasets)

    def _generic(self):
        iterator = self._input._elements()
        buffer: collections.deque = collections.deque()
        exhausted = False
        while True:
            while len(buffer) < self._span and not exhausted:
                value = next(iterator, _END)
                if value is _END:
                    exhausted = True
                else:
                    buffer.append(value)
            if not buffer or (self._drop and len(buffer) < self._span):
                return
            yield self._window(list(buffer)[: self._span : self._stride])
            # Move the window start by `shift`, reading past the buffer when shift > span.
            if self._shift <= len(buffer):
                for _ in range(self._shift):
                    buffer.popleft()
            else:
                missing = self._shift - len(buffer)
                buffer.clear()
                for _ in range(missing):
                    if exhausted or next(iterator, _END) is _END:
                        exhausted = True
                        break

    def _spec(self):
        return nest.map_structure(DatasetSpec, self._input.element_spec)

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if n < 0:
            return n
        if self._drop:
            return 0 if n < self._span else (n - self._span) // self._shift + 1
        return -(-n // self._shift)


_END = object()


def _batch_sizes(batch_sizes, where: str) -> list[int]:
    if isinstance(batch_sizes, torch.Tensor):
        batch_sizes = batch_sizes.tolist()
    if isinstance(batch_sizes, (list, tuple)):
        sizes = [_as_int(b, "batch_sizes", where) for b in batch_sizes]
    else:
        sizes = [_as_int(batch_sizes, "batch_sizes", where)]
    if not sizes or any(b < 0 for b in sizes) or not any(sizes):
        raise InvalidArgumentError(
            f"{where}: `batch_sizes` must be non-negative integers, at least one of them "
            f"positive; got {batch_sizes!r}."
        )
    return sizes


class _RebatchDataset(_UnaryDataset):
    def __init__(self, input_dataset, batch_sizes, drop_remainder):
        where = "Dataset.rebatch"
        super().__init__(input_dataset, where)
        self._sizes = _batch_sizes(batch_sizes, where)
        self._drop = bool(drop_remainder)
        for leaf in nest.flatten(input_dataset.element_spec):
            if leaf.shape.rank == 0:
                raise ValueError(
                    f"{where}: the dataset's elements must have rank >= 1 (be batches), but "
                    f"they are scalars ({input_dataset.element_spec}). Add a `batch` "
                    "transformation before `rebatch`."
                )
        # As tf.data, when the pipeline is built: the dense components' batch dims agree.
        leading = [
            leaf.shape[0]
            for leaf in nest.flatten(input_dataset.element_spec)
            if type(leaf) is TensorSpec and leaf.shape.rank and leaf.shape[0] is not None
        ]
        if any(d != leading[0] for d in leading):
            raise ValueError(
                f"Invalid `input_dataset.` The batch dimension of component 0 is {leading[0]}, "
                f"while the batch dimensions of the components are {leading} ({where} of "
                f"{input_dataset.element_spec}); every component needs the same batch size."
            )

    def _generic(self):
        unbatched = _UnbatchDataset(self._input)
        rows = unbatched._elements()

        def spec_of():  # rows of RaggedTensor batches go back into RaggedTensors
            return unbatched.element_spec

        first = next(rows, _END)
        if first is _END:
            return
        rows = _chain(first, rows)
        index = 0
        while True:
            size = self._sizes[index % len(self._sizes)]
            index += 1
            if size == 0:  # tf.data emits empty batches for zero sizes
                yield _empty_batch(first)
                continue
            batch = []
            for value in rows:
                batch.append(value)
                if len(batch) == size:
                    break
            if len(batch) == size:
                yield _stack(batch, spec_of)
            else:
                if batch and not self._drop:
                    yield _stack(batch, spec_of)
                return

    def _spec(self):
        spec = self._input.element_spec

        def rebatched(s):
            if isinstance(s, _composite.COMPOSITE_SPECS):
                return _composite.batched_spec(_composite.unbatched_spec(s), self._static_dim())
            return TensorSpec(
                None if s.shape.rank is None else [self._static_dim(), *s.shape.as_list()[1:]],
                s.dtype,
                s.name,
            )

        return nest.map_structure(rebatched, spec)

    def _static_dim(self):
        """The new batch dimension when every batch surely has the same size, else None."""
        if len(set(self._sizes)) != 1:
            return None
        size = self._sizes[0]
        if self._drop:
            return size
        dims = {
            leaf.shape[0]
            for leaf in nest.flatten(self._input.element_spec)
            if leaf.shape.rank is not None and leaf.shape[0] is not None
        }
        # Fixed input batches that split evenly leave no partial batch.
        if len(dims) == 1 and dims.pop() % size == 0:
            return size
        return None

    def _cardinality(self) -> int:
        return UNKNOWN_CARDINALITY


def _chain(first, rest):
    yield first
    yield from rest


def _empty_batch(template):
    """A batch of zero rows shaped like `template` (an unbatched element)."""
    leaves = [template] if not nest.is_nested(template) else nest.flatten(template)
    empty = [leaf[None][:0] for leaf in leaves]
    return empty[0] if not nest.is_nested(template) else nest.pack(template, empty)


def _int_scalar(value, what: str, where: str) -> int:
    if isinstance(value, torch.Tensor):
        if value.numel() != 1 or value.is_floating_point() or value.dtype == torch.bool:
            raise TypeError(
                f"{where}: `{what}` must return a scalar integer (tf.int64) tensor, got "
                f"{nest.describe(value)}."
            )
        return int(value.item())
    return _as_int(value, what, where)


class _GroupByWindowDataset(_UnaryDataset):
    # Set by bucket_by_sequence_length, whose buckets pad to different shapes.
    _bucket_spec = None

    def __init__(self, input_dataset, key_func, reduce_func, window_size, window_size_func):
        where = "Dataset.group_by_window"
        super().__init__(input_dataset, where)
        if (window_size is None) == (window_size_func is None):
            raise ValueError(f"{where}: pass exactly one of `window_size` and `window_size_func`.")
        if window_size is not None:
            size = _positive(window_size, "window_size", where)
            window_size_func = lambda key: size  # noqa: E731
        self._key_func = key_func
        self._reduce_func = reduce_func
        self._size_func = window_size_func

    def _reduce(self, key: int, elements: list):
        key_tensor = torch.tensor(key, dtype=torch.int64)
        window = _ElementsDataset(elements, self._input.element_spec)
        return _dataset_result(
            self._reduce_func(key_tensor, window), "Dataset.group_by_window"
        )._elements()

    def _generic(self):
        where = "Dataset.group_by_window"
        groups: dict[int, list] = {}
        sizes: dict[int, int] = {}
        for element in self._input._elements():
            key = _int_scalar(nest.call(self._key_func, element), "key_func", where)
            if key not in groups:
                groups[key] = []
                sizes[key] = _positive(
                    _int_scalar(
                        self._size_func(torch.tensor(key, dtype=torch.int64)),
                        "window_size_func",
                        where,
                    ),
                    "window_size_func",
                    where,
                )
            groups[key].append(element)
            if len(groups[key]) == sizes[key]:
                yield from self._reduce(key, groups.pop(key))
        # Unfinished windows at the end, in increasing key order (as tf.data).
        for key in sorted(groups):
            yield from self._reduce(key, groups[key])

    def _spec(self):
        if self._bucket_spec is not None:
            return self._bucket_spec
        try:
            window = _ElementsDataset([], self._input.element_spec)
            result = self._reduce_func(torch.tensor(0, dtype=torch.int64), window)
            return _dataset_result(result, "Dataset.group_by_window").element_spec
        except Exception:  # the reduce function needs data: look at the output instead
            return _spec.peek(self, False)

    def _cardinality(self) -> int:
        return UNKNOWN_CARDINALITY


def bucket_by_sequence_length(
    dataset,
    element_length_func,
    bucket_boundaries,
    bucket_batch_sizes,
    padded_shapes,
    padding_values,
    pad_to_bucket_boundary,
    no_padding,
    drop_remainder,
) -> Dataset:
    where = "Dataset.bucket_by_sequence_length"
    boundaries = [_as_int(b, "bucket_boundaries", where) for b in bucket_boundaries]
    sizes = [_as_int(b, "bucket_batch_sizes", where) for b in bucket_batch_sizes]
    if len(sizes) != len(boundaries) + 1:
        raise ValueError(
            f"{where}: `len(bucket_batch_sizes)` must equal `len(bucket_boundaries) + 1` but "
            f"`len(bucket_batch_sizes)={len(sizes)}` and "
            f"`len(bucket_boundaries)={len(boundaries)}`."
        )
    if boundaries != sorted(boundaries):
        raise ValueError(f"{where}: `bucket_boundaries` must be sorted, got {boundaries}.")
    spec = dataset.element_spec

    def bucket_of(*element):
        length = _int_scalar(element_length_func(*element), "element_length_func", where)
        return torch.tensor(bisect.bisect_right(boundaries, length), dtype=torch.int64)

    def shapes_for(bucket: int):
        if not pad_to_bucket_boundary:
            return padded_shapes
        if bucket == len(boundaries):
            raise InvalidArgumentError(
                f"{where}: with pad_to_bucket_boundary=True every element must be shorter "
                f"than the largest bucket boundary ({boundaries[-1] if boundaries else None}); "
                "an element fell in the last bucket."
            )
        fill = boundaries[bucket] - 1
        base = (
            padded_shapes
            if padded_shapes is not None
            else nest.map_structure(lambda s: s.shape, spec)
        )
        leaves = nest.flatten_up_to(spec, base)
        shapes = []
        for leaf in leaves:
            dims = TensorShape(leaf).as_list()
            shapes.append([fill if d is None or d == -1 else d for d in dims])
        return nest.pack(spec, shapes)

    def reduce(key, window):
        bucket = int(key)
        size = sizes[bucket]
        if no_padding:
            return window.batch(size, drop_remainder=drop_remainder)
        return window.padded_batch(
            size,
            padded_shapes=shapes_for(bucket),
            padding_values=padding_values,
            drop_remainder=drop_remainder,
        )

    def window_size(key):
        return sizes[int(key)]

    grouped = _GroupByWindowDataset(
        dataset,
        lambda *e: bucket_of(*e),
        reduce,
        None,
        window_size,
    )
    grouped._bucket_spec = _bucketed_spec(spec, padded_shapes, no_padding)
    return grouped


def _bucketed_spec(spec, padded_shapes, no_padding):
    """Buckets batch to different sizes and pad to different lengths.

    A dimension is None unless every bucket pads to the same size: fixed by the user's
    `padded_shapes`, or static in the element (padding keeps static dimensions, with or
    without `pad_to_bucket_boundary`, as in tf.data).
    """

    def leaf_spec(leaf, shape):
        if isinstance(leaf, _composite.COMPOSITE_SPECS):
            if no_padding:
                return _composite.batched_spec(leaf, None)
            # As tf.data, whose padded_batch rejects them when the dataset is built.
            raise TypeError(
                "Dataset.bucket_by_sequence_length: `padded_batch` is only supported for "
                "datasets that produce tensor elements, got an element of type spec "
                f"`{leaf!r}`. Pass no_padding=True to batch ragged/sparse elements "
                "without padding, or map them to dense tensors (.to_tensor()) first."
            )
        if no_padding or shape is None:
            dims = leaf.shape.as_list() if leaf.shape.rank is not None else None
        else:
            dims = [None if d == -1 else d for d in TensorShape(shape).as_list()]
        return TensorSpec(None if dims is None else [None, *dims], leaf.dtype, leaf.name)

    leaves = nest.flatten(spec)
    shapes = (
        [None] * len(leaves) if padded_shapes is None else nest.flatten_up_to(spec, padded_shapes)
    )
    return nest.pack(spec, [leaf_spec(leaf, s) for leaf, s in zip(leaves, shapes)])
