"""Source datasets: tensor slices, single tensors, ranges, generators, zip and concatenate."""

from __future__ import annotations

import builtins
import os

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.device import current_device
from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.errors import InvalidArgumentError
from tork._backend.tensor import convert_to_tensor
from tork._backend.tensor_shape import TensorShape
from tork.data import _composite, _rows, _spec
from tork.data import _structure as nest
from tork.data.dataset import (
    INFINITE_CARDINALITY,
    UNKNOWN_CARDINALITY,
    Dataset,
    _as_int,
    _check_dataset,
    _to_component,
)
from tork.data.tensor_spec import DatasetSpec, TensorSpec


def _placeholders(structure):
    """`structure` with its leaves replaced by column numbers."""
    return nest.pack(structure, list(builtins.range(len(nest.flatten(structure)))))


def _path_name(path: str) -> str:
    return f"component {path}" if path else "the tensor"


class _TensorSliceDataset(Dataset):
    def __init__(self, tensors):
        super().__init__()
        if isinstance(tensors, Dataset):
            raise TypeError(
                "Dataset.from_tensor_slices expects tensors or arrays, got a Dataset. "
                "Use the dataset directly (or dataset.unbatch() to split its elements)."
            )
        leaves = nest.flatten(tensors)
        if not leaves:
            raise ValueError(
                "Dataset.from_tensor_slices needs at least one tensor, got an empty nest."
            )
        paths = nest.paths(tensors)
        columns = [_to_component(v, "Dataset.from_tensor_slices") for v in leaves]
        for path, column in zip(paths, columns):
            if _composite.is_composite(column):
                continue
            if column.ndim == 0:
                raise ValueError(
                    f"Dataset.from_tensor_slices slices along the first dimension, but "
                    f"{_path_name(path)} is a scalar ({column.item()!r}). Use "
                    "Dataset.from_tensors for a single element, or pass a list or array."
                )
        first = _num_rows(columns[0])
        for path, column in zip(paths[1:], columns[1:]):
            if _num_rows(column) != first:
                raise ValueError(
                    "Dataset.from_tensor_slices: all components must have the same size in "
                    f"their first dimension, but {_path_name(paths[0])} has {first} rows and "
                    f"{_path_name(path)} has {_num_rows(column)} rows (shapes "
                    f"{tuple(columns[0].shape)} and {tuple(column.shape)}). Pass the same "
                    "number of examples for every input."
                )
        self._columns = columns
        self._structure = _placeholders(tensors)

    def _rows(self):
        return _rows.from_columns(self._columns, self._structure)

    def _spec(self):
        return nest.pack(
            self._structure,
            [
                _composite.row_spec(c)
                if _composite.is_composite(c)
                else TensorSpec(tuple(c.shape[1:]), c.dtype)
                for c in self._columns
            ],
        )

    def _cardinality(self) -> int:
        return _num_rows(self._columns[0])


def _num_rows(column) -> int:
    if _composite.is_composite(column):
        return _composite.num_rows(column)
    return int(column.shape[0])


def _list_files(file_pattern, shuffle, seed) -> Dataset:
    from tork.ops import _gfile

    patterns = _gfile._patterns(file_pattern, "Dataset.list_files")
    matches = sorted(os.fsencode(m) for p in patterns for m in _gfile._match(p))
    if not matches:
        raise InvalidArgumentError(
            f"No files matched pattern: {', '.join(patterns)}. Check the path (relative "
            f"patterns are resolved from {os.getcwd()}) and the wildcards (`*` does not cross "
            "`/`: use '<dir>/*/*' for files in subdirectories)."
        )
    column = np.empty(len(matches), dtype=object)
    column[:] = matches
    dataset = _TensorSliceDataset(string_tensor.wrap(column))
    if shuffle is None or shuffle:
        dataset = dataset.shuffle(len(matches), seed=seed)
    return dataset


class _TensorDataset(Dataset):
    def __init__(self, tensors):
        super().__init__()
        leaves = nest.flatten(tensors)
        # Datasets are kept as dataset-valued components (a dataset of datasets, as in
        # tf.data: `Dataset.from_tensors(ds)`, then flat_map/interleave over it).
        self._values = [
            v if isinstance(v, Dataset) else _to_component(v, "Dataset.from_tensors")
            for v in leaves
        ]
        self._structure = _placeholders(tensors)
        self._has_datasets = any(isinstance(v, Dataset) for v in self._values)

    def _generic(self):
        yield nest.pack(self._structure, list(self._values))

    def _rows(self):
        if self._has_datasets:
            return None
        rows = _rows.from_columns(
            [
                _composite.one_row(v) if _composite.is_composite(v) else v[None]
                for v in self._values
            ],
            self._structure,
        )
        return rows.replace(whole_elements=True)

    def _spec(self):
        return nest.pack(
            self._structure,
            [
                DatasetSpec(v.element_spec)
                if isinstance(v, Dataset)
                else _composite.value_spec(v)
                if _composite.is_composite(v)
                else TensorSpec(tuple(v.shape), v.dtype)
                for v in self._values
            ],
        )

    def _tork_slices(self):
        # Its one element is a whole batch to fit/evaluate/predict
        # (`fit(Dataset.from_tensors((x, y)))`, full-batch training), not a row: the
        # training loops take it as it is rather than as unbatched rows.
        return None

    def _cardinality(self) -> int:
        return 1


# Ranges up to this length are materialised once so they batch and shuffle as
# row sources; longer ones are produced in blocks.
_MAX_RANGE_COLUMN = 1 << 24


class _RangeDataset(Dataset):
    def __init__(self, args: tuple, output_type):
        super().__init__()
        if not 1 <= len(args) <= 3:
            raise TypeError(
                f"Dataset.range takes 1 to 3 arguments (stop | start, stop[, step]), got {len(args)}."
            )
        values = [_as_int(a, "start/stop/step", "Dataset.range") for a in args]
        if len(values) == 3 and values[2] == 0:
            raise InvalidArgumentError("Dataset.range: `step` must be a non-zero integer.")
        self._range = builtins.range(*values)
        self._dtype = as_dtype(output_type)
        self._device = current_device()
        self._column = None

    def _arange(self, start: int, stop: int) -> torch.Tensor:
        r = self._range
        return torch.arange(
            r.start + start * r.step,
            r.start + stop * r.step,
            r.step,
            dtype=self._dtype,
            device=self._device,
        )[: stop - start]

    def _rows(self):
        n = len(self._range)
        if n > _MAX_RANGE_COLUMN:
            return None
        if self._column is None:
            self._column = self._arange(0, n)
        return _rows.from_columns([self._column], 0)

    def _generic(self):
        n = len(self._range)
        for start in builtins.range(0, n, 1 << 16):
            yield from self._arange(start, min(n, start + (1 << 16))).unbind(0)

    def _spec(self):
        return TensorSpec((), self._dtype)

    def _cardinality(self) -> int:
        return len(self._range)


class _CounterDataset(Dataset):
    def __init__(self, start, step, dtype):
        super().__init__()
        self._start = _as_int(start, "start", "Dataset.counter")
        self._step = _as_int(step, "step", "Dataset.counter")
        self._dtype = as_dtype(dtype)

    def _generic(self):
        device = current_device()
        value = self._start
        while True:
            yield torch.tensor(value, dtype=self._dtype, device=device)
            value += self._step

    def _spec(self):
        return TensorSpec((), self._dtype)

    def _cardinality(self) -> int:
        return INFINITE_CARDINALITY


def _signature_from_types(output_types, output_shapes):
    types = nest.flatten(output_types)
    if output_shapes is None:
        shapes = [None] * len(types)
    else:
        try:
            shapes = nest.flatten_up_to(output_types, output_shapes)
        except nest.StructureError as err:
            raise ValueError(
                f"Dataset.from_generator: `output_shapes` does not match the structure of "
                f"`output_types`: {err}."
            ) from None
    return nest.pack(
        output_types,
        [
            TensorSpec(None if s is None else TensorShape(s), as_dtype(t))
            for t, s in zip(types, shapes)
        ],
    )


def _numpy_arg(value):
    if isinstance(value, str):
        return value.encode()
    if not isinstance(value, (torch.Tensor, np.ndarray, np.generic, bytes)):
        # Python values convert with TF's rules, as tf.data does (ints to int32, floats to
        # float32), so the generator sees the same NumPy dtypes as in TensorFlow.
        value = convert_to_tensor(value)
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    elif hasattr(value, "numpy"):  # a string tensor
        value = value.numpy()
    array = np.asarray(value)
    if array.ndim:
        return array
    scalar = array[()]
    # A string scalar reaches the generator as Python bytes, as in TF (not np.bytes_).
    return bytes(scalar) if isinstance(scalar, np.bytes_) else scalar


class _GeneratorDataset(Dataset):
    def __init__(self, generator, output_types, output_shapes, args, output_signature):
        super().__init__()
        if not callable(generator):
            hint = (
                " You passed a generator object; pass the generator function instead "
                "(e.g. `gen`, not `gen()`), or `lambda: gen_object` if it can only run once."
                if hasattr(generator, "__next__")
                else ""
            )
            raise TypeError(
                f"Dataset.from_generator: `generator` must be a Python callable, got "
                f"{type(generator).__name__}.{hint}"
            )
        if output_signature is not None:
            if output_types is not None or output_shapes is not None:
                raise TypeError(
                    "Dataset.from_generator: pass either `output_signature` or the deprecated "
                    "`output_types`/`output_shapes`, not both."
                )
            for leaf in nest.flatten(output_signature):
                if not isinstance(leaf, (TensorSpec, *_composite.COMPOSITE_SPECS)):
                    raise TypeError(
                        "Dataset.from_generator: `output_signature` must be a nest of "
                        "tf.TensorSpec (or tf.RaggedTensorSpec / tf.SparseTensorSpec), got "
                        f"{leaf!r}."
                    )
            signature = output_signature
        elif output_types is not None:
            signature = _signature_from_types(output_types, output_shapes)
        else:
            raise TypeError(
                "Dataset.from_generator needs `output_signature` (a nest of tf.TensorSpec) "
                "describing each element, e.g. output_signature=tf.TensorSpec(shape=(None,), "
                "dtype=tf.float32)."
            )
        self._generator = generator
        self._args = tuple(_numpy_arg(a) for a in args) if args is not None else ()
        self._signature = signature
        self._specs = nest.flatten(signature)
        self._paths = nest.paths(signature)
        self._pack = nest.packer(signature)

    def _conform(self, value):
        try:
            leaves = nest.flatten_up_to(self._signature, value)
        except nest.StructureError as err:
            raise TypeError(
                "`generator` yielded an element that did not match the expected structure "
                f"({err}). Expected {self._signature}, got {nest.describe(value)}."
            ) from None
        out = []
        for path, spec, leaf in zip(self._paths, self._specs, leaves):
            out.append(self._conform_leaf(path, spec, leaf))
        return self._pack(out)

    def _conform_leaf(self, path: str, spec: TensorSpec, leaf) -> torch.Tensor:
        where = f" at {path}" if path else ""
        if isinstance(spec, _composite.COMPOSITE_SPECS) or _composite.is_composite(leaf):
            return self._conform_composite(where, spec, leaf)
        if isinstance(leaf, torch.Tensor):
            if leaf.dtype != spec.dtype:
                raise TypeError(
                    f"`generator` yielded a tensor of dtype {dtype_name(leaf.dtype)}{where} where "
                    f"{dtype_name(spec.dtype)} was expected ({spec}). Cast it, e.g. "
                    f"tf.cast(x, tf.{dtype_name(spec.dtype)}), or change the output_signature."
                )
            tensor = leaf.detach()
        else:
            if isinstance(leaf, np.bytes_):  # its string tensor's numpy() gives bytes, as TF
                leaf = bytes(leaf)
            try:
                array = np.asarray(leaf)
            except Exception:  # fall through to convert_to_tensor's own message
                array = None
            # Floats under an integer or bool spec: NumPy values are cast, truncating as TF
            # does (ImageDataGenerator's float 0./1. binary labels under an int32 spec need
            # it). Python floats and lists too when the spec has a known rank (TF 2.21
            # converts them with np.asarray(value, dtype): 1.5 -> 1, -1.5 -> -1); under an
            # unknown shape (output_types without output_shapes) TF refuses them.
            if (
                array is not None
                and not isinstance(leaf, (np.ndarray, np.generic))
                and array.dtype.kind in "fc"
                and isinstance(spec.dtype, torch.dtype)  # a tf.string spec: converter's error
                and not (spec.dtype.is_floating_point or spec.dtype.is_complex)
            ):
                if spec.shape.rank is None or array.dtype.kind == "c":
                    raise TypeError(
                        f"`generator` yielded floating-point values {nest.describe(leaf)}{where} "
                        f"where dtype {dtype_name(spec.dtype)} was expected ({spec}); TF converts "
                        "them only under a spec of known rank. Yield integers, declare a float "
                        "dtype, or give output_shapes / a shaped output_signature."
                    )
                leaf = array.astype(torch.empty(0, dtype=spec.dtype).numpy().dtype)
            tensor = convert_to_tensor(leaf, dtype=spec.dtype)
        if not spec.shape.is_compatible_with(tuple(tensor.shape)):
            raise TypeError(
                f"`generator` yielded an element of shape {tuple(tensor.shape)}{where} where an "
                f"element of shape {spec.shape} was expected ({spec}). Make the generator yield "
                "that shape, or use None for dimensions that vary."
            )
        return tensor

    def _conform_composite(self, where: str, spec, leaf):
        """A RaggedTensor or SparseTensor yielded for a RaggedTensorSpec / SparseTensorSpec."""
        got = _composite.value_spec(leaf) if _composite.is_composite(leaf) else None
        if got is None:
            got = _spec.spec_of(convert_to_tensor(leaf))
        elif isinstance(spec, _composite.COMPOSITE_SPECS) and spec.is_compatible_with(leaf):
            return leaf
        # TensorFlow's wording: the yielded value's spec and the declared one.
        raise TypeError(
            f"`generator` yielded an element of {got!r}{where} where an element of {spec!r} was "
            "expected."
        )

    def _generic(self):
        for value in self._generator(*self._args):
            yield self._conform(value)

    def _spec(self):
        return self._signature

    def _cardinality(self) -> int:
        return UNKNOWN_CARDINALITY


class _ZipDataset(Dataset):
    def __init__(self, datasets):
        flat = nest.flatten(datasets)
        if not flat:
            raise TypeError("Dataset.zip needs at least one dataset.")
        for ds in flat:
            _check_dataset(ds, "Dataset.zip")
        super().__init__(tuple(flat))
        self._structure = datasets
        self._datasets = flat

    def _rows(self):
        parts = [d._rows() for d in self._datasets]
        if any(p is None or p.length == _rows.INFINITE for p in parts):
            return None
        return _rows.zip_rows(parts, self._structure)

    def _generic(self):
        iterators = [d._elements() for d in self._datasets]
        while True:
            values = []
            for it in iterators:
                value = next(it, _END)
                if value is _END:
                    return
                values.append(value)
            yield nest.pack(self._structure, values)

    def _spec(self):
        return nest.pack(self._structure, [d.element_spec for d in self._datasets])

    def _cardinality(self) -> int:
        result = INFINITE_CARDINALITY
        for d in self._datasets:
            n = d._cardinality()
            if n == UNKNOWN_CARDINALITY:
                return UNKNOWN_CARDINALITY
            if n != INFINITE_CARDINALITY:
                result = n if result == INFINITE_CARDINALITY else min(result, n)
        return result


_END = object()


class _ConcatenateDataset(Dataset):
    def __init__(self, first: Dataset, second):
        _check_dataset(first, "Dataset.concatenate")
        _check_dataset(second, "Dataset.concatenate")
        super().__init__((first, second))
        self._first, self._second = first, second
        try:
            a, b = first.element_spec, second.element_spec
        except Exception:  # specs that cannot be inferred are checked element by element
            return
        if _spec.merge_specs(a, b) is None:
            raise TypeError(
                "Dataset.concatenate: the datasets' elements differ in structure or dtype: "
                f"{a} vs {b}. Map one of them (e.g. with tf.cast) so they match."
            )

    def _generic(self):
        yield from self._first._elements()
        yield from self._second._elements()

    def _spec(self):
        merged = _spec.merge_specs(self._first.element_spec, self._second.element_spec)
        return merged if merged is not None else self._first.element_spec

    def _cardinality(self) -> int:
        a, b = self._first._cardinality(), self._second._cardinality()
        if INFINITE_CARDINALITY in (a, b):
            return INFINITE_CARDINALITY
        if UNKNOWN_CARDINALITY in (a, b):
            return UNKNOWN_CARDINALITY
        return a + b
