"""Dataset transformations: batching, mapping, filtering, shuffling, selection, caching."""

from __future__ import annotations

import contextvars
import inspect
import itertools
import os
import warnings

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.device import current_device
from tork._backend.dtypes import _is_integer, dtype_name
from tork._backend.tensor_shape import TensorShape
from tork._inplace import writable_copies, writes_in_place
from tork.data import _composite, _rows, _shuffle, _spec
from tork.data import _structure as nest
from tork.data.dataset import (
    INFINITE_CARDINALITY,
    UNKNOWN_CARDINALITY,
    Dataset,
    _as_int,
    _check_dataset,
    _slice_source,
)
from tork.data.options import Options
from tork.data.tensor_spec import TensorSpec


class _UnaryDataset(Dataset):
    """A transformation of one input dataset; content-preserving by default."""

    def __init__(self, input_dataset, where: str, options: Options | None = None):
        _check_dataset(input_dataset, where)
        super().__init__((input_dataset,), options)
        self._input = input_dataset

    def _spec(self):
        return self._input.element_spec

    def _cardinality(self) -> int:
        return self._input._cardinality()


def _check_arity(func, dataset, where: str) -> None:
    """Raises when `func` cannot take the elements of `dataset` (tuples spread).

    tf.data traces the function when the transformation is built, so a function with the
    wrong number of parameters fails there; checked here when the input's element_spec is
    known without reading elements.
    """
    spec = _spec.static_spec(dataset)
    if spec is None:
        return
    count = len(spec) if type(spec) is tuple else 1
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):  # a builtin or C callable: found out when it is called
        return
    try:
        signature.bind(*range(count))
    except TypeError as err:
        name = getattr(func, "__qualname__", type(func).__name__)
        given = f"tuples of {count} components" if type(spec) is tuple else "not tuples"
        raise TypeError(
            f"{where}: the function {name}{signature} cannot take the elements ({err}). The "
            f"elements are {given}: {spec}. A tuple element is passed as separate arguments, "
            "any other element (a tensor, a dict) as one argument."
        ) from None


def _positive_int(value, name: str, where: str) -> int:
    value = _as_int(value, name, where)
    if value <= 0:
        raise ValueError(f"{where}: `{name}` must be a positive integer, got {value}.")
    return value


def _batch_dim(batch_size: int, drop_remainder: bool):
    return batch_size if drop_remainder else None


def _batched_spec(spec, batch_size: int, drop_remainder: bool):
    def add_dim(s: TensorSpec) -> TensorSpec:
        if isinstance(s, _composite.COMPOSITE_SPECS):
            return _composite.batched_spec(s, _batch_dim(batch_size, drop_remainder))
        inner = s.shape
        if inner.rank is None:
            return TensorSpec(None, s.dtype, s.name)
        return TensorSpec(
            [_batch_dim(batch_size, drop_remainder), *inner.as_list()], s.dtype, s.name
        )

    return nest.map_structure(add_dim, spec)


def _batched_cardinality(n: int, batch_size: int, drop_remainder: bool) -> int:
    if n < 0:
        return n
    return n // batch_size if drop_remainder else -(-n // batch_size)


def _stack(elements: list, spec_of=None, eager: bool = False):
    """Stacks a list of elements component by component.

    `spec_of` returns the element_spec when a component may be ragged or sparse
    (called only then, or always when `eager`: computing it may run a map function on
    the first elements).
    """
    first = elements[0]
    single = not nest.is_nested(first)
    if single:
        flats = [[e] for e in elements]
    else:
        flats = [nest.flatten(e) for e in elements]
    specs = None
    if spec_of is not None and (eager or any(_composite.may_be_ragged(t) for t in flats[0])):
        specs = nest.flatten(spec_of())
    out = []
    for i, column in enumerate(zip(*flats)):
        if specs is None and not _composite.is_composite(column[0]):
            # The common case, stacked without first comparing every shape: stacking
            # succeeds only when the shapes agree, and on failure the checks below run.
            try:
                out.append(_rows.stack(column))
                continue
            except (RuntimeError, ValueError):
                pass
        if specs is None and spec_of is not None and _varying(column):
            # Rows of a RaggedTensor batch into a RaggedTensor; other tensors of varying
            # shapes fail below (also when the spec itself cannot be computed).
            try:
                specs = nest.flatten(spec_of())
            except Exception:  # noqa: BLE001 - the shape error below is the one to report
                specs = None
        if specs is not None and isinstance(specs[i], _composite.COMPOSITE_SPECS):
            out.append(_composite.batch(column, specs[i]))
            continue
        if _composite.is_composite(column[0]):  # no spec given: the values describe themselves
            out.append(_composite.batch(column, _composite.value_spec(column[0])))
            continue
        try:
            out.append(_rows.stack(column))
        except (RuntimeError, ValueError):
            shape0 = tuple(column[0].shape)
            other = next(k for k, t in enumerate(column) if tuple(t.shape) != shape0)
            path = nest.paths(first)[i] if not single else ""
            raise ValueError(
                "Cannot batch tensors with different shapes in component "
                f"{path or 0}. First element had shape {shape0} and element {other} had shape "
                f"{tuple(column[other].shape)}. Use padded_batch to pad elements of varying "
                "length, or make them the same shape in a map before batch."
            ) from None
    if single:
        return out[0]
    return nest.pack(first, out)


def _varying(column) -> bool:
    shape0 = tuple(column[0].shape)
    return any(tuple(t.shape) != shape0 for t in column)


class _BatchDataset(_UnaryDataset):
    def __init__(self, input_dataset, batch_size, drop_remainder):
        super().__init__(input_dataset, "Dataset.batch")
        self._batch_size = _positive_int(batch_size, "batch_size", "Dataset.batch")
        self._drop = bool(drop_remainder)

    def _elements(self):
        rows = self._input._rows()
        if rows is not None:
            return _rows.iter_batches(rows, self._batch_size, self._drop)
        return self._generic()

    _eager_specs = False

    def _generic(self):
        size = self._batch_size
        batch = []
        spec_of, eager = self._component_specs, self._eager_specs
        for element in self._input._elements():
            if not batch and any(isinstance(t, Dataset) for t in nest.flatten(element)):
                # TF builds an opaque variant batch that no op reads: say what works.
                raise TypeError(
                    "Dataset.batch cannot batch dataset-valued elements (the windows of "
                    "`Dataset.window`, datasets from `Dataset.from_tensors(dataset)`): "
                    "batch each one into a tensor first, e.g. "
                    "`ds.flat_map(lambda w: w.batch(size))`."
                )
            batch.append(element)
            if len(batch) == size:
                yield _stack(batch, spec_of, eager)
                batch = []
        if batch and not self._drop:
            yield _stack(batch, spec_of, eager)

    def _component_specs(self):
        return self._input.element_spec

    def _spec(self):
        return _batched_spec(self._component_specs(), self._batch_size, self._drop)

    def _cardinality(self) -> int:
        return _batched_cardinality(self._input._cardinality(), self._batch_size, self._drop)

    def _tork_slices(self):
        return _slice_source(self._input._rows(), self._batch_size, self._drop)


class _RaggedBatchDataset(_BatchDataset):
    """`Dataset.ragged_batch`: components with unknown dimensions are batched as ragged."""

    _eager_specs = True

    def __init__(self, input_dataset, batch_size, drop_remainder, row_splits_dtype):
        from tork._backend.dtypes import as_dtype

        super().__init__(input_dataset, batch_size, drop_remainder)
        self._splits_dtype = as_dtype(row_splits_dtype)
        if self._splits_dtype not in (torch.int32, torch.int64):
            raise ValueError(
                "Dataset.ragged_batch: `row_splits_dtype` must be tf.int32 or tf.int64, got "
                f"{self._splits_dtype}."
            )

    def _elements(self):
        return self._generic()

    def _component_specs(self):
        spec = self._input.element_spec
        return nest.map_structure(lambda s: _composite.to_ragged_spec(s, self._splits_dtype), spec)

    def _tork_slices(self):
        return None


class _SparseBatchDataset(_UnaryDataset):
    """`Dataset.sparse_batch`: batches of dense elements as SparseTensors of shape `row_shape`."""

    def __init__(self, input_dataset, batch_size, row_shape):
        where = "Dataset.sparse_batch"
        super().__init__(input_dataset, where)
        self._batch_size = _positive_int(batch_size, "batch_size", where)
        self._row_shape = _shape_list(row_shape, where)

    def _generic(self):
        batch = []
        for element in self._input._elements():
            batch.append(element)
            if len(batch) == self._batch_size:
                yield self._sparse(batch)
                batch = []
        if batch:
            yield self._sparse(batch)

    def _sparse(self, batch: list):
        from tork._backend.errors import DataLossError
        from tork._backend.sparse_tensor import SparseTensor

        if any(nest.is_nested(e) or _composite.is_composite(e) for e in batch):
            raise TypeError(
                "Dataset.sparse_batch: the elements must be single dense tensors, got "
                f"{nest.describe(batch[0])}."
            )
        rank = len(self._row_shape)
        shape = []
        for d, fixed in enumerate(self._row_shape):
            longest = max(int(e.shape[d]) if e.ndim == rank else 0 for e in batch)
            shape.append(longest if fixed is None else fixed)
        indices, values = [], []
        for k, e in enumerate(batch):
            if e.ndim != rank or any(
                f is not None and int(n) > f for n, f in zip(e.shape, self._row_shape)
            ):
                # DataLossError, as tf.data raises here.
                raise DataLossError(
                    f"Dataset.sparse_batch: input element had shape {list(e.shape)} that does "
                    f"not fit the row shape {self._row_shape} (it needs rank {rank} and no "
                    "dimension larger)."
                )
            coords = torch.nonzero(torch.ones(tuple(e.shape), dtype=torch.bool))
            prefix = torch.full((coords.shape[0], 1), k, dtype=torch.int64)
            indices.append(torch.cat([prefix, coords], dim=1))
            values.append(e.reshape(-1))
        return SparseTensor(torch.cat(indices), torch.cat(values), [len(batch), *shape])

    def _spec(self):
        from tork._backend.sparse_tensor import SparseTensorSpec

        spec = self._input.element_spec
        if not isinstance(spec, TensorSpec):
            raise TypeError(
                "Dataset.sparse_batch: the elements must be single dense tensors, got "
                f"element_spec {spec!r}."
            )
        return SparseTensorSpec([None, *self._row_shape], spec.dtype)

    def _cardinality(self) -> int:
        return _batched_cardinality(self._input._cardinality(), self._batch_size, False)


def _shape_list(shape, where: str):
    if isinstance(shape, torch.Tensor):
        shape = shape.tolist()
    shape = TensorShape(shape)
    if shape.rank is None:
        return None
    return shape.as_list()


def _scalar(value, where: str):
    if isinstance(value, (torch.Tensor, np.ndarray)) and value.ndim:
        raise ValueError(
            f"{where}: invalid `padding_values`: padding values must be scalars, got shape "
            f"{tuple(value.shape)}."
        )
    if isinstance(value, torch.Tensor):
        return value.item()
    if isinstance(value, np.ndarray):
        return value[()]
    return value


def _check_padding_value(value, leaf, where: str) -> None:
    """A padding value whose kind (string or number) differs from its component's fails."""
    if value is None or not isinstance(leaf, TensorSpec):
        return
    _check_padding_dtype(value, leaf.dtype, where)


def _check_padding_dtype(value, dtype, where: str) -> None:
    """`_check_padding_value` for a component of `dtype` (a torch dtype or tf.string)."""
    is_text = isinstance(value, (str, bytes, np.str_, np.bytes_))
    if is_text != isinstance(dtype, string_tensor.StringDType):
        kind = "a string" if is_text else f"{type(value).__name__} {value!r:.40}"
        raise TypeError(
            f"{where}: invalid `padding_values`: {kind} does not match the "
            f"{dtype_name(dtype)} component it pads. Give a padding value of that dtype."
        )
    if is_text or not _is_integer_dtype(dtype):
        return
    # A float padding value for an integer component would be truncated (0.5 pads as 0);
    # tf.data refuses any dtype mismatch. Integers of another width stay accepted.
    is_float = isinstance(value, (float, np.floating)) or (
        isinstance(value, (torch.Tensor, np.ndarray))
        and (
            value.dtype.is_floating_point
            if isinstance(value, torch.Tensor)
            else value.dtype.kind == "f"
        )
    )
    if is_float:
        raise TypeError(
            f"{where}: invalid `padding_values`: the float {float(_scalar(value, where))!r} does not "
            f"match the {dtype_name(dtype)} component it pads (it would be truncated). "
            f"Give an integer padding value, e.g. padding_values=tf.constant(0, "
            f"tf.{dtype_name(dtype)}), or cast the component with map()."
        )


def _is_integer_dtype(dtype) -> bool:
    return isinstance(dtype, torch.dtype) and _is_integer(dtype)


def _padded_shape(value, where: str):
    try:
        return _shape_list(value, where)
    except (TypeError, ValueError) as err:
        raise ValueError(
            f"{where}: padded shape {value!r} is not a shape ({err}). Give a list of ints, with "
            "None or -1 for dimensions padded to the longest in the batch."
        ) from None


class _PaddedBatchDataset(_UnaryDataset):
    def __init__(self, input_dataset, batch_size, padded_shapes, padding_values, drop_remainder):
        super().__init__(input_dataset, "Dataset.padded_batch")
        self._batch_size = _positive_int(batch_size, "batch_size", "Dataset.padded_batch")
        self._padded_shapes = padded_shapes
        self._padding_values = padding_values
        self._drop = bool(drop_remainder)
        spec = _spec.static_spec(input_dataset)
        if spec is not None:  # raised here, as tf.data does, when the spec is cheap to know
            self._check_tensor_specs()
            self._check_padding(spec)

    def _check_padding(self, spec) -> None:
        """Checks `padded_shapes` and `padding_values` against the input's element_spec."""
        where = "Dataset.padded_batch"
        leaves = nest.flatten(spec) if nest.is_nested(spec) else [spec]
        shapes, values = self._resolve(spec)
        for target, value, leaf in zip(shapes, values, leaves):
            _check_padding_value(value, leaf, where)
            if target is None or leaf.shape.rank is None:
                continue
            dims = leaf.shape.as_list()
            if len(target) != len(dims) or any(
                t is not None and d is not None and d > t for t, d in zip(target, dims)
            ):
                raise ValueError(
                    f"{where}: the padded shape {tuple(target)} is not compatible with the "
                    f"shape {tuple(dims)} of the corresponding input component: it needs its "
                    "rank and no dimension smaller than the component's."
                )

    def _resolve(self, template):
        """Per-component target shapes (lists with None) and padding values."""
        n = len(nest.flatten(template)) if nest.is_nested(template) else 1
        where = "Dataset.padded_batch"
        if self._padded_shapes is None:
            shapes = [None] * n
        else:
            try:
                raw = nest.flatten_up_to(template, self._padded_shapes)
            except nest.StructureError as err:
                raise ValueError(
                    f"{where}: `padded_shapes` does not match the element structure: {err}."
                ) from None
            shapes = [_padded_shape(s, where) for s in raw]
        if self._padding_values is None:
            values = [None] * n
        elif not nest.is_nested(self._padding_values) and nest.is_nested(template):
            values = [_scalar(self._padding_values, where)] * n
        else:
            try:
                raw = nest.flatten_up_to(template, self._padding_values)
            except nest.StructureError as err:
                raise ValueError(
                    f"{where}: `padding_values` does not match the element structure: {err}."
                ) from None
            values = [_scalar(v, where) for v in raw]
        return shapes, values

    def _pad(self, elements: list, shapes, values):
        first = elements[0]
        single = not nest.is_nested(first)
        flats = [[e] if single else nest.flatten(e) for e in elements]
        paths = [""] if single else nest.paths(first)
        out = []
        for i, column in enumerate(zip(*flats)):
            name = f"component {paths[i]}" if paths[i] else "the element"
            rank = column[0].ndim
            if any(t.ndim != rank for t in column):
                raise ValueError(
                    f"Dataset.padded_batch: elements of {name} have different ranks "
                    f"({sorted({t.ndim for t in column})}); padding needs the same rank."
                )
            target = shapes[i]
            if target is not None and len(target) != rank:
                raise ValueError(
                    f"Dataset.padded_batch: padded shape {tuple(target)} for {name} has rank "
                    f"{len(target)}, but the elements have rank {rank} (e.g. shape "
                    f"{tuple(column[0].shape)})."
                )
            size = []
            for d in range(rank):
                longest = max(int(t.shape[d]) for t in column)
                fixed = None if target is None or target[d] is None else target[d]
                if fixed is not None and longest > fixed:
                    raise ValueError(
                        f"Dataset.padded_batch: {name} has an element of shape "
                        f"{tuple(next(t.shape for t in column if t.shape[d] == longest))}, larger "
                        f"than the padded shape {tuple(target)} in dimension {d}. Increase "
                        "padded_shapes or truncate the elements in a map first."
                    )
                size.append(longest if fixed is None else fixed)
            fill = values[i]
            if isinstance(column[0], np.ndarray):  # strings pad with b"" (TF's default)
                out.append(_pad_strings(column, size, fill))
                continue
            if fill is None:
                fill = False if column[0].dtype == torch.bool else 0
            try:
                batch = torch.full(
                    (len(column), *size), fill, dtype=column[0].dtype, device=column[0].device
                )
            except (TypeError, RuntimeError) as err:
                raise TypeError(
                    f"Dataset.padded_batch: invalid `padding_values`: {fill!r:.40} cannot pad "
                    f"{name} of dtype {dtype_name(column[0].dtype)} ({err}). Give a padding "
                    "value of that dtype."
                ) from None
            for k, t in enumerate(column):
                batch[(k, *(slice(0, s) for s in t.shape))] = t
            out.append(batch)
        return out[0] if single else nest.pack(first, out)

    def _check_tensor_specs(self):
        for leaf in nest.flatten(self._input.element_spec):
            if isinstance(leaf, _composite.COMPOSITE_SPECS):
                raise TypeError(
                    "`padded_batch` is only supported for datasets that produce tensor "
                    "elements but type spec of elements in the input dataset is not a subclass "
                    f"of TensorSpec: `{leaf!r}`. Use ragged_batch (or map with .to_tensor()) "
                    "for RaggedTensor elements."
                )

    def _generic(self):
        self._check_tensor_specs()
        size = self._batch_size
        batch = []
        resolved = None
        for element in self._input._elements():
            batch.append(element)
            if len(batch) == size:
                resolved = resolved or self._resolve_checked(batch[0])
                yield self._pad(batch, *resolved)
                batch = []
        if batch and not self._drop:
            resolved = resolved or self._resolve_checked(batch[0])
            yield self._pad(batch, *resolved)

    def _resolve_checked(self, element):
        """`_resolve`, plus the padding values checked once against the element's dtypes
        (the checks of __init__ need an element_spec known without iterating)."""
        resolved = self._resolve(element)
        leaves = nest.flatten(element) if nest.is_nested(element) else [element]
        for leaf, value in zip(leaves, resolved[1]):
            if value is not None and isinstance(leaf, torch.Tensor):
                _check_padding_dtype(value, leaf.dtype, "Dataset.padded_batch")
        return resolved

    def _spec(self):
        spec = self._input.element_spec
        self._check_tensor_specs()
        if self._padded_shapes is None:
            padded = spec
        else:
            shapes = nest.flatten_up_to(spec, self._padded_shapes)
            padded = nest.pack(
                spec,
                [
                    TensorSpec(_padded_shape(s, "Dataset.padded_batch"), leaf.dtype, leaf.name)
                    for s, leaf in zip(shapes, nest.flatten(spec))
                ],
            )
        return _batched_spec(padded, self._batch_size, self._drop)

    def _cardinality(self) -> int:
        return _batched_cardinality(self._input._cardinality(), self._batch_size, self._drop)


def _pad_strings(column, size: list, fill):
    fill = b"" if fill is None else string_tensor.make(fill, "Dataset.padded_batch").numpy()
    if not isinstance(fill, bytes):
        raise ValueError(f"Dataset.padded_batch: padding values must be scalars, got {fill!r}.")
    batch = np.full((len(column), *size), fill, dtype=object)
    for k, t in enumerate(column):
        value = np.asarray(t)
        # A scalar string goes in as its bytes: a 0-d array stored into an object array's
        # cell would become the element itself (an array inside the batch).
        batch[(k, *(slice(0, s) for s in t.shape))] = value[()] if value.ndim == 0 else value
    return string_tensor.wrap(batch)


class _UnbatchDataset(_UnaryDataset):
    def __init__(self, input_dataset):
        super().__init__(input_dataset, "Dataset.unbatch")
        if _spec.static_spec(input_dataset) is not None:
            self.element_spec  # noqa: B018 - scalar components fail here, as in tf.data

    def _generic(self):
        pack = None
        for element in self._input._elements():
            single = not nest.is_nested(element)
            leaves = [element] if single else nest.flatten(element)
            if pack is None:
                pack = (lambda v: v[0]) if single else nest.packer(element)
            if any(_composite.is_composite(t) for t in leaves):
                # Rows of RaggedTensors (or SparseTensors): the element spec says what they are.
                self.element_spec  # noqa: B018 - computed now, while the rows are produced
            if any(not _composite.is_composite(t) and t.ndim == 0 for t in leaves):
                raise ValueError(
                    "Dataset.unbatch: cannot unbatch an element with scalar components "
                    f"({nest.describe(element)}); every component needs a leading batch dimension."
                )
            sizes = {
                _composite.num_rows(t) if _composite.is_composite(t) else int(t.shape[0])
                for t in leaves
            }
            if len(sizes) > 1:
                raise ValueError(
                    "Dataset.unbatch: the components of an element have different batch sizes "
                    f"{sorted(sizes)} ({nest.describe(element)})."
                )
            yield from map(pack, zip(*(_rows.unbind(t) for t in leaves)))

    def _spec(self):
        def drop_dim(s: TensorSpec) -> TensorSpec:
            if isinstance(s, _composite.COMPOSITE_SPECS):
                return _composite.unbatched_spec(s)
            if s.shape.rank is None:
                return TensorSpec(None, s.dtype, s.name)
            if s.shape.rank == 0:
                raise ValueError(
                    "Dataset.unbatch: cannot unbatch an input with scalar components "
                    f"({self._input.element_spec}); every component needs a leading batch "
                    "dimension. Batch it first, or drop the unbatch."
                )
            return TensorSpec(s.shape.as_list()[1:], s.dtype, s.name)

        spec = nest.map_structure(drop_dim, self._input.element_spec)
        known = [  # TF compares the dense components only
            s.shape[0]
            for s in nest.flatten(self._input.element_spec)
            if type(s) is TensorSpec and s.shape.rank and s.shape[0] is not None
        ]
        other = [d for d in known if d != known[0]]
        if other:  # as tf.data, when the pipeline is built
            raise ValueError(
                "`unbatch()` is only supported for datasets of elements whose components have "
                f"a matching leading dimension. Encountered both {known[0]} and {other[0]} "
                f"(Dataset.unbatch of {self._input.element_spec})."
            )
        return spec

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if n < 0:
            return n
        try:
            spec = nest.flatten(self._input.element_spec)
        except Exception:  # the batch size is not known statically
            return UNKNOWN_CARDINALITY
        leading = set(_batch_dims(spec))  # any unknown one makes the count unknown
        if len(leading) == 1 and None not in leading:
            return n * leading.pop()
        return UNKNOWN_CARDINALITY


def _batch_dims(specs: list) -> list:
    """The leading dimensions (None: unknown) of the components that carry the batch size.

    As tf.data counts: dense and ragged (ragged_rank >= 1) components; sparse components
    and slices of ragged tensors (ragged_rank 0) do not carry it.
    """
    leading = []
    for s in specs:
        if isinstance(s, _composite.SparseTensorSpec) or (
            isinstance(s, _composite.RaggedTensorSpec) and s.ragged_rank == 0
        ):
            continue
        leading.append(s.shape[0] if s.shape.rank else None)
    return leading


class _SnapshotGlobals(dict):
    """A copy of a module's globals that still sees names defined after the copy."""

    def __init__(self, live: dict):
        super().__init__(live)
        self._live = live

    def __missing__(self, name):
        return self._live[name]


def _bind_python_values(func):
    """`func` with the Python values its free variables hold now.

    TensorFlow traces a `Dataset.map` (`filter`, `flat_map`, `interleave`)
    function when the method is called, so the
    Python values it reads (a loop variable, as in
    `ds.map(lambda x: (x, i))` inside `for i in ...`) are fixed at that time.
    tork calls the function lazily, so it copies the closure cells and the
    globals' bindings (not the objects they name) to read the same values.
    """
    import dis
    import types

    if not isinstance(func, types.FunctionType):
        return func
    instructions = [op.opname for op in dis.get_instructions(func)]
    closure = func.__closure__
    # A function that assigns its free variables (`nonlocal n`) keeps the live cells.
    if closure is not None and "STORE_DEREF" not in instructions:
        try:
            closure = tuple(types.CellType(cell.cell_contents) for cell in closure)
        except ValueError:  # an unfilled cell (a name bound later): keep the live ones
            closure = func.__closure__
    # A function that assigns globals (`global n; n += 1`) keeps the live module dict.
    writes = "STORE_GLOBAL" in instructions or "DELETE_GLOBAL" in instructions
    bound = types.FunctionType(
        func.__code__,
        func.__globals__ if writes else _SnapshotGlobals(func.__globals__),
        func.__name__,
        func.__defaults__,
        closure,
    )
    bound.__kwdefaults__ = func.__kwdefaults__
    bound.__dict__.update(func.__dict__)
    bound.__qualname__ = func.__qualname__
    bound.__wrapped__ = func
    return bound


class _MapDataset(_UnaryDataset):
    def __init__(self, input_dataset, map_func):
        super().__init__(input_dataset, "Dataset.map")
        if not callable(map_func):
            raise TypeError(f"Dataset.map expects a callable, got {type(map_func).__name__}.")
        # TF's tensors are immutable: `img = tf.cast(img, tf.float32); img /= 255.0` makes
        # a new tensor. On torch it writes into the element (a cast or same-size resize
        # returns its input): the dataset's own storage, divided again every epoch. Such
        # functions, or the user's helpers they call (`normalize(image, mask)`), get
        # private copies of their elements.
        _check_arity(map_func, input_dataset, "Dataset.map")
        self._copies = writes_in_place(map_func, follow_helpers=True)
        self._func = _bind_python_values(map_func)

    def _generic(self):
        fn, call, normalize = self._func, nest.call, nest.normalize_output
        copies = self._copies
        for element in self._input._elements():
            if copies:
                element = writable_copies(element)
            try:
                value = normalize(call(fn, element), "Dataset.map")
            except Exception as err:
                if _skip_error(err):
                    continue
                raise
            yield value

    def _spec(self):
        input_spec = self._input.element_spec
        traced = _spec.trace(
            lambda e: _spec.spec_of(nest.normalize_output(nest.call(self._func, e), "Dataset.map")),
            input_spec,
        )
        if traced is not None:
            return traced
        return _spec.peek(self, _spec.is_batched(input_spec))


class InvalidPredicateError(TypeError, ValueError):
    """A predicate that does not return a scalar bool.

    tf.data raises ValueError when it traces the predicate; tork's per-element check
    raised TypeError: both `except` clauses catch it.
    """


def _predicate_error(where: str, described: str) -> InvalidPredicateError:
    return InvalidPredicateError(
        f"The predicate passed to {where} must return a scalar tf.bool tensor (or Python bool), "
        f"got {described}. Reduce it to one bool, e.g. with tf.reduce_all or a comparison."
    )


def _as_bool(value, where: str) -> bool:
    if isinstance(value, torch.Tensor):
        if value.dtype == torch.bool and value.numel() == 1:
            return bool(value)
    elif isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise _predicate_error(where, nest.describe(value))


def _check_predicate(predicate, dataset, where: str) -> None:
    """Checks at build time, as tf.data, the arity and result of a filter/take_while predicate."""
    _check_arity(predicate, dataset, where)
    spec = _spec.static_spec(dataset)
    if spec is None:
        return
    traced = _spec.trace(
        lambda e: _spec.spec_of(nest.normalize_output(nest.call(predicate, e), where)), spec
    )
    if traced is None:  # not traceable on stand-ins: each result is checked when it comes
        return
    if (
        nest.is_nested(traced)
        or not isinstance(traced, TensorSpec)
        or traced.dtype != torch.bool
        or traced.shape.rank != 0
    ):
        raise _predicate_error(where, str(traced))


class _FilterDataset(_UnaryDataset):
    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset, "Dataset.filter")
        _check_predicate(predicate, input_dataset, "Dataset.filter")
        self._predicate = _bind_python_values(predicate)

    def _generic(self):
        predicate, call = self._predicate, nest.call
        for element in self._input._elements():
            try:
                keep = _as_bool(call(predicate, element), "Dataset.filter")
            except Exception as err:
                if _skip_error(err):
                    continue
                raise
            if keep:
                yield element

    def _cardinality(self) -> int:
        return UNKNOWN_CARDINALITY


class _TakeWhileDataset(_UnaryDataset):
    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset, "Dataset.take_while")
        _check_predicate(predicate, input_dataset, "Dataset.take_while")
        self._predicate = predicate

    def _generic(self):
        for element in self._input._elements():
            if not _as_bool(nest.call(self._predicate, element), "Dataset.take_while"):
                return
            yield element

    def _cardinality(self) -> int:
        return UNKNOWN_CARDINALITY


class _ShuffleDataset(_UnaryDataset):
    def __init__(self, input_dataset, buffer_size, seed, reshuffle_each_iteration):
        super().__init__(input_dataset, "Dataset.shuffle")
        buffer_size = _as_int(buffer_size, "buffer_size", "Dataset.shuffle")
        # -2 (UNKNOWN_CARDINALITY) asks for a buffer holding the whole dataset.
        if buffer_size <= 0 and buffer_size != UNKNOWN_CARDINALITY:
            raise ValueError(
                f"Dataset.shuffle: `buffer_size` must be a positive integer, got {buffer_size}. "
                "Use the dataset size (e.g. len(x)) for a full shuffle."
            )
        if seed is not None:
            seed = _as_int(seed, "seed", "Dataset.shuffle")
        if reshuffle_each_iteration is None:
            reshuffle_each_iteration = True
        self._buffer_size = buffer_size
        self._state = _shuffle.SeedState(seed, reshuffle_each_iteration)

    def _rows(self):
        rows = self._input._rows()
        if rows is None:
            return None
        state, buffer_size, inner = self._state, self._buffer_size, rows.chunks

        def chunks():
            generator = state.next_generator()
            return _shuffle.shuffle_chunks(inner(), rows.length, buffer_size, generator)

        return rows.replace(chunks=chunks, identity=rows.length <= 1 and rows.identity)

    def _generic(self):
        generator = self._state.next_generator()
        return _shuffle.shuffle_elements(self._input._elements(), self._buffer_size, generator)


class _RepeatDataset(_UnaryDataset):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset, "Dataset.repeat")
        self._count = None if count is None else _as_int(count, "count", "Dataset.repeat")
        if self._count is not None and self._count < 0:
            self._count = None

    def _rows(self):
        rows = self._input._rows()
        return None if rows is None else _rows.repeat(rows, self._count)

    def _generic(self):
        done = 0
        while self._count is None or done < self._count:
            produced = False
            for element in self._input._elements():
                produced = True
                yield element
            done += 1
            # Repeating an empty dataset forever yields nothing instead of hanging.
            if not produced:
                return

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if self._count is None:
            return 0 if n == 0 else INFINITE_CARDINALITY
        if self._count == 0:
            return 0
        if n < 0:
            return n
        return n * self._count


class _TakeDataset(_UnaryDataset):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset, "Dataset.take")
        self._count = _as_int(count, "count", "Dataset.take")

    def _rows(self):
        rows = self._input._rows()
        return None if rows is None else _rows.take(rows, self._count)

    def _generic(self):
        if self._count < 0:
            return self._input._elements()
        return itertools.islice(self._input._elements(), self._count)

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if self._count < 0:
            return n
        if n == INFINITE_CARDINALITY:
            return self._count
        if n == UNKNOWN_CARDINALITY:
            return UNKNOWN_CARDINALITY
        return min(n, self._count)


class _SkipDataset(_UnaryDataset):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset, "Dataset.skip")
        self._count = _as_int(count, "count", "Dataset.skip")

    def _rows(self):
        rows = self._input._rows()
        return None if rows is None else _rows.skip(rows, self._count)

    def _generic(self):
        iterator = self._input._elements()
        if self._count < 0:
            for _ in iterator:
                pass
            return iter(())
        return itertools.islice(iterator, self._count, None)

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if n < 0:
            return n
        if self._count < 0:
            return 0
        return max(0, n - self._count)


class _ShardDataset(_UnaryDataset):
    def __init__(self, input_dataset, num_shards, index):
        super().__init__(input_dataset, "Dataset.shard")
        self._num = _positive_int(num_shards, "num_shards", "Dataset.shard")
        self._index = _as_int(index, "index", "Dataset.shard")
        if not 0 <= self._index < self._num:
            raise ValueError(
                f"Dataset.shard: `index` must be in [0, num_shards={self._num}), got {self._index}."
            )

    def _generic(self):
        return itertools.islice(self._input._elements(), self._index, None, self._num)

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if n < 0:
            return n
        return max(0, -(-(n - self._index) // self._num))


class _PassThroughDataset(_UnaryDataset):
    """A transformation that changes nothing about the elements."""

    def _rows(self):
        return self._input._rows()

    def _elements(self):
        return self._input._elements()

    def _tork_slices(self):
        return self._input._tork_slices()


class _PrefetchDataset(_PassThroughDataset):
    def __init__(self, input_dataset, buffer_size):
        super().__init__(input_dataset, "Dataset.prefetch")
        if buffer_size is not None:
            _as_int(buffer_size, "buffer_size", "Dataset.prefetch")


class _OptionsDataset(_PassThroughDataset):
    def __init__(self, input_dataset, options):
        if not isinstance(options, Options):
            raise TypeError(
                f"Dataset.with_options expects tf.data.Options, got {type(options).__name__}."
            )
        super().__init__(input_dataset, "Dataset.with_options", options)


class _AssertCardinalityDataset(_UnaryDataset):
    def __init__(self, input_dataset, expected):
        super().__init__(input_dataset, "tf.data.experimental.assert_cardinality")
        self._expected = _as_int(expected, "expected_cardinality", "assert_cardinality")

    def _generic(self):
        count = 0
        for element in self._input._elements():
            count += 1
            if self._expected >= 0 and count > self._expected:
                raise ValueError(
                    f"Input dataset was expected to contain {self._expected} elements but "
                    f"contained at least {count} elements."
                )
            yield element
        if self._expected == INFINITE_CARDINALITY or count < self._expected:
            raise ValueError(
                f"Input dataset was expected to contain {self._describe()} but contained only "
                f"{count} elements."
            )

    def _describe(self) -> str:
        if self._expected == INFINITE_CARDINALITY:
            return "an infinite number of elements"
        return f"{self._expected} elements"

    def _cardinality(self) -> int:
        return self._expected


def _try_columns(elements: list):
    """Stacks cached elements into columns when they all share shapes and dtypes."""
    if not elements:
        return None
    first = elements[0]
    single = not nest.is_nested(first)
    if single and type(first) is torch.Tensor:
        # Plain tensors (a window of scalars, say): the same test without building a
        # signature per element.
        shape, dtype, device = first.shape, first.dtype, first.device
        plain = True
        for t in elements:
            if type(t) is not torch.Tensor:
                plain = False  # e.g. a Variable among them: the general test below
                break
            if t.shape != shape or t.dtype != dtype or t.device != device:
                return None
        if plain:
            return [torch.stack(elements)], 0
    flats = [[e] if single else nest.flatten(e) for e in elements]
    if any(_composite.is_composite(t) for t in flats[0]):
        # Ragged or sparse components do not stack into one tensor: keep the elements.
        return None
    signature = [(tuple(t.shape), t.dtype, t.device) for t in flats[0]]
    for flat in flats:
        if [(tuple(t.shape), t.dtype, t.device) for t in flat] != signature:
            return None
    columns = [_rows.stack(column) for column in zip(*flats)]
    structure = 0 if single else nest.pack(first, list(range(len(columns))))
    return columns, structure


def _holds_batches(dataset) -> bool:
    """Whether a dataset's elements are batches made by an upstream batch()."""
    while isinstance(dataset, _UnaryDataset):
        if isinstance(dataset, (_BatchDataset, _PaddedBatchDataset)):
            return True
        if isinstance(dataset, _UnbatchDataset):
            return False
        dataset = dataset._input
    return False


class _CacheDataset(_UnaryDataset):
    def __init__(self, input_dataset, filename):
        super().__init__(input_dataset, "Dataset.cache")
        filename = os.fspath(filename) if filename is not None else ""
        self._path = f"{filename}.tork_cache.pt" if filename else None
        self._elements_cache = None
        self._columns = None

    def _load_file(self) -> None:
        # As in tf.data, a cache file written earlier (by this dataset, another one with
        # the same filename, or an earlier run) is read instead of the input pipeline.
        if self._columns is None and self._elements_cache is None and self._path:
            if os.path.exists(self._path):
                self._store(torch.load(self._path, weights_only=True))

    def _rows(self):
        self._load_file()
        if self._columns is not None:
            return _rows.from_columns(*self._columns)
        if self._elements_cache is not None:
            return None
        rows = self._input._rows()
        if rows is not None and rows.identity:
            # A fixed in-memory order is its own cache. (No file is written for it: that
            # pass would cost seconds on image-sized arrays, for data already in memory.)
            return rows
        return None

    def _store(self, elements: list) -> None:
        # Rows stand for samples (the training loops batch them): cached batches are
        # kept and replayed as elements instead of stacked columns.
        self._columns = None if _holds_batches(self._input) else _try_columns(elements)
        # Stacked columns replace the element list, so the cache is held once.
        self._elements_cache = None if self._columns is not None else elements

    def _generic(self):
        self._load_file()
        if self._elements_cache is not None:
            yield from self._elements_cache
            return
        collected = []
        for element in self._input._elements():
            collected.append(element)
            yield element
        # Only a complete pass is cached, as in tf.data.
        if self._path and not os.path.exists(self._path):
            torch.save(collected, self._path)
        self._store(collected)

    def _tork_slices(self):
        rows = self._rows()
        if rows is not None:
            return super()._tork_slices()
        inner = self._input._tork_slices()
        return inner if inner is not None and not inner.shuffle else None


class _EnumerateDataset(_UnaryDataset):
    def __init__(self, input_dataset, start):
        super().__init__(input_dataset, "Dataset.enumerate")
        self._start = _as_int(start, "start", "Dataset.enumerate")

    def _generic(self):
        device = current_device()
        for i, element in enumerate(self._input._elements(), self._start):
            yield torch.tensor(i, dtype=torch.int64, device=device), element

    def _spec(self):
        return (TensorSpec((), torch.int64), self._input.element_spec)


def _dataset_result(value, where: str) -> Dataset:
    if not isinstance(value, Dataset):
        raise TypeError(
            f"The function passed to {where} must return a tf.data.Dataset, got "
            f"{type(value).__name__}. Wrap values with tf.data.Dataset.from_tensors or "
            "from_tensor_slices."
        )
    return value


class _FlatMapDataset(_UnaryDataset):
    def __init__(self, input_dataset, map_func):
        super().__init__(input_dataset, "Dataset.flat_map")
        _check_arity(map_func, input_dataset, "Dataset.flat_map")
        self._func = _bind_python_values(map_func)

    def _generic(self):
        for element in self._input._elements():
            yield from _dataset_result(
                nest.call(self._func, element), "Dataset.flat_map"
            )._elements()

    def _spec(self):
        traced = _spec.trace(
            lambda e: _dataset_result(nest.call(self._func, e), "Dataset.flat_map").element_spec,
            self._input.element_spec,
        )
        return traced if traced is not None else _spec.peek(self, False)

    def _cardinality(self) -> int:
        return UNKNOWN_CARDINALITY


class _InterleaveDataset(_UnaryDataset):
    def __init__(self, input_dataset, map_func, cycle_length, block_length):
        super().__init__(input_dataset, "Dataset.interleave")
        _check_arity(map_func, input_dataset, "Dataset.interleave")
        self._func = _bind_python_values(map_func)
        if cycle_length is None or cycle_length == -1:
            cycle_length = os.cpu_count() or 1
        self._cycle = _positive_int(cycle_length, "cycle_length", "Dataset.interleave")
        self._block = _positive_int(
            1 if block_length is None else block_length, "block_length", "Dataset.interleave"
        )

    def _generic(self):
        inputs = self._input._elements()
        slots: list = [None] * self._cycle
        inputs_done = False
        index = 0
        while True:
            if slots[index] is None and not inputs_done:
                element = next(inputs, None)
                if element is None:
                    inputs_done = True
                else:
                    dataset = _dataset_result(nest.call(self._func, element), "Dataset.interleave")
                    slots[index] = dataset._elements()
            if slots[index] is not None:
                for _ in range(self._block):
                    value = next(slots[index], _END)
                    if value is _END:
                        slots[index] = None
                        break
                    yield value
            elif inputs_done and all(s is None for s in slots):
                return
            index = (index + 1) % self._cycle

    def _spec(self):
        traced = _spec.trace(
            lambda e: _dataset_result(nest.call(self._func, e), "Dataset.interleave").element_spec,
            self._input.element_spec,
        )
        return traced if traced is not None else _spec.peek(self, False)

    def _cardinality(self) -> int:
        return UNKNOWN_CARDINALITY


_END = object()


# Set while `ignore_errors` pulls the next element: functions that fail then drop their
# element instead of raising (the upstream generators could not resume after an exception).
_IGNORING_ERRORS: contextvars.ContextVar = contextvars.ContextVar("ignoring_errors", default=None)


def _skip_error(err: Exception) -> bool:
    """True (after an optional warning) when an `ignore_errors` downstream drops this element."""
    log_warning = _IGNORING_ERRORS.get()
    if log_warning is None:
        return False
    if log_warning:
        warnings.warn(
            f"Dataset.ignore_errors: skipping an element: {type(err).__name__}: {err}",
            stacklevel=2,
        )
    return True


class _IgnoreErrorsDataset(_UnaryDataset):
    def __init__(self, input_dataset, log_warning):
        super().__init__(input_dataset, "Dataset.ignore_errors")
        self._log = bool(log_warning)

    def _generic(self):
        iterator = self._input._elements()
        while True:
            token = _IGNORING_ERRORS.set(self._log)
            try:
                value = next(iterator)
            except StopIteration:
                return
            except Exception as err:  # a source failed: it cannot go on, so the dataset ends
                _skip_error(err)
                return
            finally:
                _IGNORING_ERRORS.reset(token)
            yield value

    def _cardinality(self) -> int:
        return UNKNOWN_CARDINALITY


class _ScanDataset(_UnaryDataset):
    def __init__(self, input_dataset, initial_state, scan_func):
        super().__init__(input_dataset, "Dataset.scan")
        if not callable(scan_func):
            raise TypeError(f"Dataset.scan expects a callable, got {type(scan_func).__name__}.")
        self._initial = nest.normalize_output(initial_state, "Dataset.scan")
        self._func = scan_func
        element_spec = _spec.static_spec(input_dataset)
        if element_spec is not None:
            self._check_traced_state(element_spec)

    def _step(self, state, element):
        result = self._func(state, element)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise TypeError(
                "The function passed to Dataset.scan must return a pair (new_state, "
                f"output_element), got {nest.describe(result)}."
            )
        new_state = nest.normalize_output(result[0], "Dataset.scan")
        output = nest.normalize_output(result[1], "Dataset.scan")
        return new_state, output

    @staticmethod
    def _state_error(old: str, new: str) -> TypeError:
        return TypeError(
            "The function passed to Dataset.scan must return a new state with the structure "
            f"and dtypes of the initial state: {old}, got {new}. Cast it (e.g. tf.cast) to the "
            "initial dtype."
        )

    def _check_state(self, new_state):
        old = nest.flatten(self._initial)
        new = nest.flatten(new_state) if nest.same_structure(self._initial, new_state) else None
        if new is None or any(a.dtype != b.dtype for a, b in zip(old, new)):
            raise self._state_error(nest.describe(self._initial), nest.describe(new_state))

    def _check_traced_state(self, element_spec) -> None:
        """tf.data's build-time checks of scan_func: a (state, output) pair, the state's
        structure and dtypes kept; run when the function can be traced on stand-ins."""

        def probe(state_and_element):
            result = self._func(*state_and_element)
            if not isinstance(result, (tuple, list)) or len(result) != 2:
                return None, nest.describe(result)
            return _spec.spec_of(nest.normalize_output(result[0], "Dataset.scan")), None

        state_spec = _spec.spec_of(self._initial)
        traced = _spec.trace(probe, (state_spec, element_spec))
        if traced is None:
            return
        new_spec, not_a_pair = traced
        if not_a_pair is not None:
            raise TypeError(
                "The function passed to Dataset.scan must return a pair (new_state, "
                f"output_element), got {not_a_pair}."
            )
        if not nest.same_structure(state_spec, new_spec) or any(
            a.dtype != b.dtype for a, b in zip(nest.flatten(state_spec), nest.flatten(new_spec))
        ):
            raise self._state_error(str(state_spec), str(new_spec))

    def _generic(self):
        state = self._initial
        for element in self._input._elements():
            try:
                new_state, output = self._step(state, element)
            except Exception as err:
                if _skip_error(err):
                    continue
                raise
            self._check_state(new_state)
            state = new_state
            yield output

    def _spec(self):
        element_spec = self._input.element_spec
        state_spec = _spec.spec_of(self._initial)
        # A state whose shape changes (e.g. grows by concat) has its changing dimensions
        # relaxed to None, as tf.data retraces until the state's shape is stable.
        for _ in range(3):
            traced = _spec.trace(
                lambda se: _spec.spec_of(self._step(se[0], se[1])[0]), (state_spec, element_spec)
            )
            relaxed = _spec.merge_specs(state_spec, traced) if traced is not None else None
            if relaxed is None or relaxed == state_spec:
                break
            state_spec = relaxed
        traced = _spec.trace(
            lambda se: _spec.spec_of(self._step(se[0], se[1])[1]), (state_spec, element_spec)
        )
        return traced if traced is not None else _spec.peek(self, False)


_UNIQUE_DTYPES = (torch.int32, torch.int64)


class _UniqueDataset(_UnaryDataset):
    def __init__(self, input_dataset):
        super().__init__(input_dataset, "Dataset.unique")
        spec = input_dataset.element_spec
        if nest.is_nested(spec):
            raise TypeError(
                "Dataset.unique only supports datasets whose elements have a single component, "
                f"got {spec}."
            )
        if spec.dtype not in _UNIQUE_DTYPES and spec.dtype != string_tensor.string:
            raise TypeError(
                f"`tf.data.Dataset.unique` does not support type <dtype: "
                f"'{dtype_name(spec.dtype)}'> -- only "
                "`tf.int32`, `tf.int64`, and `tf.string` are supported."
            )

    def _generic(self):
        seen = set()
        for element in self._input._elements():
            if isinstance(element, torch.Tensor):
                key = (tuple(element.shape), element.detach().cpu().numpy().tobytes())
            else:  # a string tensor
                key = (tuple(element.shape), repr(np.asarray(element.numpy()).tolist()))
            if key in seen:
                continue
            seen.add(key)
            yield element

    def _cardinality(self) -> int:
        return UNKNOWN_CARDINALITY
