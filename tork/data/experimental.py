"""`tf.data.experimental`: constants and helpers kept for TF 2.x code."""

from __future__ import annotations

import os
from collections.abc import Callable

import torch

from tork._backend.errors import NotFoundError, module_getattr
from tork.data._batched_features import make_batched_features_dataset
from tork.data._grouping import Reducer, group_by_reducer
from tork.data.dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset
from tork.data.options import (
    AutoShardPolicy,
    AutotuneAlgorithm,
    AutotuneOptions,
    DistributeOptions,
    ExternalStatePolicy,
    OptimizationOptions,
    ThreadingOptions,
)
from tork.lookup.dataset_initializer import (
    DatasetInitializer,
    index_table_from_dataset,
    table_from_dataset,
)

__all__ = [
    "AUTOTUNE",
    "INFINITE_CARDINALITY",
    "UNKNOWN_CARDINALITY",
    "AutoShardPolicy",
    "AutotuneAlgorithm",
    "AutotuneOptions",
    "DistributeOptions",
    "ExternalStatePolicy",
    "OptimizationOptions",
    "RandomDataset",
    "at",
    "from_list",
    "pad_to_cardinality",
    "ThreadingOptions",
    "Counter",
    "Reducer",
    "TFRecordWriter",
    "CsvDataset",
    "DatasetInitializer",
    "assert_cardinality",
    "bucket_by_sequence_length",
    "cardinality",
    "choose_from_datasets",
    "dense_to_ragged_batch",
    "dense_to_sparse_batch",
    "copy_to_device",
    "enable_debug_mode",
    "enumerate_dataset",
    "get_single_element",
    "get_structure",
    "group_by_reducer",
    "group_by_window",
    "ignore_errors",
    "index_table_from_dataset",
    "load",
    "make_batched_features_dataset",
    "make_csv_dataset",
    "map_and_batch",
    "parallel_interleave",
    "parse_example_dataset",
    "prefetch_to_device",
    "rejection_resample",
    "sample_from_datasets",
    "save",
    "scan",
    "shuffle_and_repeat",
    "snapshot",
    "table_from_dataset",
    "take_while",
    "unbatch",
    "unique",
]

# TensorFlow 2.x kept these under tf.data.experimental before they became Dataset methods.
sample_from_datasets = Dataset.sample_from_datasets


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset: bool = False) -> Dataset:
    """Takes element i from `datasets[choice_dataset[i]]` (the TF 2.x experimental endpoint).

    Unlike `Dataset.choose_from_datasets`, `stop_on_empty_dataset` defaults to
    False here, as in TensorFlow: choices of an exhausted dataset are skipped.

    Args:
        datasets: a list of datasets with the same element structure.
        choice_dataset: a dataset of int64 scalars in `[0, len(datasets))`.
        stop_on_empty_dataset: stop when a chosen dataset is exhausted.

    Returns:
        A `Dataset` of the chosen elements.

    Example:
    >>> choice = tf.data.Dataset.from_tensor_slices(np.array([0, 0, 1], np.int64))
    >>> ds = tf.data.experimental.choose_from_datasets(
    ...     [tf.data.Dataset.range(1), tf.data.Dataset.range(5, 6)], choice)
    >>> list(ds.as_numpy_iterator())
    [0, 5]
    """
    return Dataset.choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)


class TFRecordWriter:
    """Writes a dataset of scalar strings to a TFRecord file (TF 2.x's experimental writer).

    Each element becomes one record, as `tf.io.TFRecordWriter.write` writes it; read the
    file back with `tf.data.TFRecordDataset`.

    Args:
        filename: the path of the file to write.
        compression_type: `None` or `""` (no compression), `"GZIP"` or `"ZLIB"`.

    Example:
    >>> ds = tf.data.Dataset.from_tensor_slices([b"a", b"bc"])
    >>> tf.data.experimental.TFRecordWriter("/tmp/ab.tfrecord").write(ds)
    >>> [r.numpy() for r in tf.data.TFRecordDataset("/tmp/ab.tfrecord")]
    [b'a', b'bc']
    """

    def __init__(self, filename, compression_type=None):
        from tork.ops import _tfrecord

        self._filename = filename
        self._compression = _tfrecord.compression_name(
            compression_type, "tf.data.experimental.TFRecordWriter"
        )

    def write(self, dataset) -> None:
        """Writes every element of `dataset` (scalar `tf.string` elements) as a record.

        Args:
            dataset: a `tf.data.Dataset` of scalar strings (e.g. serialized `tf.train.Example`s).

        Raises:
            TypeError: `dataset` is not a Dataset, or its elements are not scalar strings.
        """
        from tork._backend import string_tensor
        from tork.ops.io import TFRecordWriter as _Writer

        if not isinstance(dataset, Dataset):
            raise TypeError(
                f"Invalid `dataset.` Expected a `tf.data.Dataset` object but got {type(dataset)}."
            )
        spec = dataset.element_spec
        dtype = getattr(spec, "dtype", None)
        shape = tuple(getattr(spec, "shape", ()) or ()) if dtype is not None else None
        if dtype is not string_tensor.string or shape != ():
            # TF's words, with the element's shape and dtype.
            name = getattr(dtype, "name", None) or str(dtype).replace("torch.", "")
            raise TypeError(
                "Invalid `dataset`. Expected a`dataset` that produces scalar `tf.string` "
                f"elements, but got a dataset which produces elements with shapes {shape} and "
                f"types <dtype: '{name}'>."
            )
        with _Writer(self._filename, self._compression) as writer:
            for record in dataset:
                writer.write(record)


def save(dataset, path, compression=None, shard_func=None, checkpoint_args=None) -> None:
    """`dataset.save(path, ...)` (the TF 2.x experimental endpoint); see `Dataset.save`."""
    dataset.save(path, compression, shard_func, checkpoint_args)


def load(path, element_spec=None, compression=None, reader_func=None) -> Dataset:
    """`tf.data.Dataset.load(path, ...)` (the TF 2.x experimental endpoint)."""
    return Dataset.load(path, element_spec, compression, reader_func)


def snapshot(
    path, compression="AUTO", reader_func=None, shard_func=None
) -> Callable[[Dataset], Dataset]:
    """`Dataset.snapshot` as a transformation for `Dataset.apply`."""
    return lambda dataset: dataset.snapshot(path, compression, reader_func, shard_func)


def scan(initial_state, scan_func: Callable) -> Callable[[Dataset], Dataset]:
    """`Dataset.scan` as a transformation for `Dataset.apply`."""
    return lambda dataset: dataset.scan(initial_state, scan_func)


def dense_to_ragged_batch(
    batch_size: int, drop_remainder: bool = False, row_splits_dtype=None
) -> Callable[[Dataset], Dataset]:
    """`Dataset.ragged_batch` as a transformation for `Dataset.apply` (TF 2.x's name)."""
    from tork._backend.dtypes import as_dtype

    dtype = as_dtype(row_splits_dtype) if row_splits_dtype is not None else None
    if dtype is None:
        return lambda dataset: dataset.ragged_batch(batch_size, drop_remainder)
    return lambda dataset: dataset.ragged_batch(batch_size, drop_remainder, dtype)


def dense_to_sparse_batch(batch_size: int, row_shape) -> Callable[[Dataset], Dataset]:
    """`Dataset.sparse_batch` as a transformation for `Dataset.apply` (TF 2.x's name)."""
    return lambda dataset: dataset.sparse_batch(batch_size, row_shape)


def unique() -> Callable[[Dataset], Dataset]:
    """`Dataset.unique` as a transformation for `Dataset.apply`."""
    return lambda dataset: dataset.unique()


def group_by_window(
    key_func: Callable, reduce_func: Callable, window_size=None, window_size_func=None
) -> Callable[[Dataset], Dataset]:
    """`Dataset.group_by_window` as a transformation for `Dataset.apply`."""
    return lambda dataset: dataset.group_by_window(
        key_func, reduce_func, window_size, window_size_func
    )


def rejection_resample(
    class_func: Callable, target_dist, initial_dist=None, seed: int | None = None
) -> Callable[[Dataset], Dataset]:
    """`Dataset.rejection_resample` as a transformation for `Dataset.apply`."""
    return lambda dataset: dataset.rejection_resample(class_func, target_dist, initial_dist, seed)


def bucket_by_sequence_length(
    element_length_func: Callable,
    bucket_boundaries,
    bucket_batch_sizes,
    padded_shapes=None,
    padding_values=None,
    pad_to_bucket_boundary: bool = False,
    no_padding: bool = False,
    drop_remainder: bool = False,
) -> Callable[[Dataset], Dataset]:
    """`Dataset.bucket_by_sequence_length` as a transformation for `Dataset.apply`."""
    return lambda dataset: dataset.bucket_by_sequence_length(
        element_length_func,
        bucket_boundaries,
        bucket_batch_sizes,
        padded_shapes,
        padding_values,
        pad_to_bucket_boundary,
        no_padding,
        drop_remainder,
    )


def ignore_errors(log_warning: bool = False) -> Callable[[Dataset], Dataset]:
    """`Dataset.ignore_errors` as a transformation for `Dataset.apply`."""
    return lambda dataset: dataset.ignore_errors(log_warning)


# TF 1.x/2.0-era transformations, deprecated in TF for the Dataset methods they equal;
# tf.data input pipelines in older notebooks (Kaggle TPU kernels) still call them.


def get_single_element(dataset: Dataset):
    """Returns the only element of `dataset` (`Dataset.get_single_element`)."""
    if not isinstance(dataset, Dataset):
        raise TypeError(
            "tf.data.experimental.get_single_element expects a tf.data.Dataset, got "
            f"{type(dataset).__name__}."
        )
    return dataset.get_single_element()


def get_structure(dataset: Dataset):
    """Returns the element spec of `dataset` (`Dataset.element_spec`)."""
    if not isinstance(dataset, Dataset):
        raise TypeError(
            "tf.data.experimental.get_structure expects a tf.data.Dataset, got "
            f"{type(dataset).__name__}."
        )
    return dataset.element_spec


def map_and_batch(
    map_func: Callable,
    batch_size: int,
    num_parallel_batches: int | None = None,
    drop_remainder: bool = False,
    num_parallel_calls: int | None = None,
) -> Callable[[Dataset], Dataset]:
    """`map(map_func)` then `batch(batch_size, drop_remainder)`, for `Dataset.apply`.

    `num_parallel_batches` and `num_parallel_calls` only tune parallelism in TF;
    the elements are the same.
    """
    if num_parallel_batches is not None and num_parallel_calls is not None:
        raise ValueError(
            "tf.data.experimental.map_and_batch: `num_parallel_batches` and "
            "`num_parallel_calls` are mutually exclusive; pass at most one."
        )
    return lambda dataset: dataset.map(map_func, num_parallel_calls=num_parallel_calls).batch(
        batch_size, drop_remainder=drop_remainder
    )


def shuffle_and_repeat(
    buffer_size: int, count: int | None = None, seed: int | None = None
) -> Callable[[Dataset], Dataset]:
    """`shuffle(buffer_size, seed)` (reshuffled each pass) then `repeat(count)`."""
    return lambda dataset: dataset.shuffle(buffer_size, seed=seed).repeat(count)


def parallel_interleave(
    map_func: Callable,
    cycle_length: int,
    block_length: int = 1,
    sloppy: bool | None = False,
    buffer_output_elements: int | None = None,
    prefetch_input_elements: int | None = None,
) -> Callable[[Dataset], Dataset]:
    """`interleave(map_func, cycle_length, block_length)`, for `Dataset.apply`.

    The order is the deterministic interleave order (TF's too unless `sloppy`);
    the buffer arguments only tune prefetching in TF.
    """
    return lambda dataset: dataset.interleave(
        map_func,
        cycle_length=cycle_length,
        block_length=block_length,
        num_parallel_calls=AUTOTUNE,
        deterministic=not sloppy,
    )


def parse_example_dataset(features: dict, num_parallel_calls: int = 1, deterministic=None):
    """Parses batches of serialized `tf.train.Example`s with `tf.io.parse_example`."""
    from tork.ops._parse_example import parse_example

    return lambda dataset: dataset.map(
        lambda serialized: parse_example(serialized, features),
        num_parallel_calls=num_parallel_calls,
        deterministic=deterministic,
    )


def take_while(predicate: Callable) -> Callable[[Dataset], Dataset]:
    """`Dataset.take_while(predicate)` as a transformation for `Dataset.apply`."""
    return lambda dataset: dataset.take_while(predicate)


def unbatch() -> Callable[[Dataset], Dataset]:
    """`Dataset.unbatch()` as a transformation for `Dataset.apply`."""
    return lambda dataset: dataset.unbatch()


def enumerate_dataset(start: int = 0) -> Callable[[Dataset], Dataset]:
    """`Dataset.enumerate(start)` as a transformation for `Dataset.apply`."""
    return lambda dataset: dataset.enumerate(start)


def prefetch_to_device(device: str, buffer_size: int | None = None) -> Callable[[Dataset], Dataset]:
    """`Dataset.prefetch`: elements stay where they are made (tork moves batches
    to the model's device when it trains or predicts, so nothing else is needed)."""
    return lambda dataset: dataset.prefetch(AUTOTUNE if buffer_size is None else buffer_size)


def copy_to_device(
    target_device: str, source_device: str = "/cpu:0"
) -> Callable[[Dataset], Dataset]:
    """Leaves the dataset unchanged: tork moves batches to the model's device itself."""
    return lambda dataset: dataset


def Counter(start=0, step=1, dtype=torch.int64) -> Dataset:  # noqa: N802 (TensorFlow's name)
    """An infinite dataset counting from `start` by `step` (`Dataset.counter`)."""
    return Dataset.counter(start, step, dtype)


def RandomDataset(seed: int | None = None, name: str | None = None) -> Dataset:  # noqa: N802
    """An infinite dataset of random int64 scalars (`tf.data.Dataset.random`).

    TensorFlow's name (a class there; its instances are Datasets).

    Example:
    >>> ds = tf.data.experimental.RandomDataset(seed=3).take(2)
    """
    del name
    return Dataset.random(seed)


def from_list(elements, name: str | None = None) -> Dataset:
    """A dataset of the elements of a Python list, one by one.

    Unlike `Dataset.from_tensor_slices`, each list item is one element and keeps its
    structure (`[(1, "a"), (2, "b")]` gives tuples); all items must share it. Dimensions
    that differ between items are unknown in the element_spec.

    Args:
        elements: a non-empty list of tensors, arrays, Python values or nests of them.
        name: unused, for TensorFlow compatibility.

    Example:
    >>> list(tf.data.experimental.from_list([(1, "a"), (2, "b")]).as_numpy_iterator())
    [(1, b'a'), (2, b'b')]
    """
    from tork.data import _spec
    from tork.data._windowing import _ElementsDataset

    del name
    if not isinstance(elements, (list, tuple)) or not elements:
        raise ValueError(
            "Invalid `elements`. `elements` should not be empty. If you want an empty "
            "dataset, use `tf.data.Dataset.range(0)`."
        )
    singles = [Dataset.from_tensors(element) for element in elements]
    spec = singles[0].element_spec
    for index, single in enumerate(singles[1:], start=1):
        merged = _spec.merge_specs(spec, single.element_spec)
        if merged is None:
            raise ValueError(
                "tf.data.experimental.from_list: all elements must have the same structure "
                f"and dtypes; element 0 is {singles[0].element_spec} and element {index} is "
                f"{single.element_spec}."
            )
        spec = merged
    return _ElementsDataset([next(iter(single._elements())) for single in singles], spec)


def at(dataset: Dataset, index):
    """The element of `dataset` at position `index` (`tf.data.experimental.at`).

    Raises:
        OutOfRangeError: when `index` is negative or past the last element.

    Example:
    >>> int(tf.data.experimental.at(tf.data.Dataset.range(10).map(lambda x: x * 2), 3))
    6
    """
    from tork._backend.errors import OutOfRangeError

    position = int(index)
    size = dataset._cardinality()
    if position >= 0:
        for i, element in enumerate(dataset._elements()):
            if i == position:
                return element
    known = f"[0, {size})" if size >= 0 else "the dataset"
    raise OutOfRangeError(f"tf.data.experimental.at: index {position} is out of range {known}.")


def pad_to_cardinality(cardinality: int, mask_key: str = "valid") -> Callable[[Dataset], Dataset]:
    """Pads a dataset of dicts with zero elements up to `cardinality` elements.

    Each element gets a boolean `mask_key` entry: True for the dataset's elements, False
    for the padding (zeros, empty strings). The dataset's cardinality must be known and
    at most `cardinality`, and its components fully shaped.

    Example:
    >>> ds = tf.data.Dataset.range(3).map(lambda x: {"a": x})
    >>> ds = ds.apply(tf.data.experimental.pad_to_cardinality(5))
    """

    def apply(dataset: Dataset) -> Dataset:
        import numpy as np

        from tork._backend import string_tensor
        from tork.data.tensor_spec import TensorSpec

        size = dataset._cardinality()
        if size < 0:
            raise ValueError(
                "The dataset passed into `pad_to_cardinality` must have a known cardinalty, "
                f"but has cardinality {size}"
            )
        if size > cardinality:
            raise ValueError(
                "The dataset passed into `pad_to_cardinality` must have a cardinalty less than "
                f"the target cardinality ({cardinality}), but has cardinality {size}"
            )
        spec = dataset.element_spec
        if not isinstance(spec, dict):
            raise ValueError("`pad_to_cardinality` requires its input dataset to be a dictionary.")
        padding = {}
        for key, leaf in spec.items():
            if not isinstance(leaf, TensorSpec) or not leaf.shape.is_fully_defined():
                raise ValueError(
                    "`pad_to_cardinality` pads with zeros, which needs a fully known shape: "
                    f"component {key!r} is {leaf}."
                )
            shape = leaf.shape.as_list()
            if isinstance(leaf.dtype, string_tensor.StringDType):
                padding[key] = string_tensor.wrap(np.full(shape, b"", dtype=object))
            else:
                padding[key] = torch.zeros(shape, dtype=leaf.dtype)
        padding[mask_key] = torch.tensor(False)
        real = dataset.map(lambda element: {**element, mask_key: torch.tensor(True)})
        return real.concatenate(Dataset.from_tensors(padding).repeat(cardinality - size))

    return apply


def cardinality(dataset: Dataset) -> torch.Tensor:
    """Returns the cardinality of `dataset` as a scalar int64 tensor.

    Args:
        dataset: a `tf.data.Dataset`.

    Returns:
        The number of elements, `INFINITE_CARDINALITY` (-1) or
        `UNKNOWN_CARDINALITY` (-2).

    Example:
    >>> int(tf.data.experimental.cardinality(tf.data.Dataset.range(42)))
    42
    """
    if not isinstance(dataset, Dataset):
        raise TypeError(
            f"tf.data.experimental.cardinality expects a tf.data.Dataset, got "
            f"{type(dataset).__name__}."
        )
    return dataset.cardinality()


def assert_cardinality(expected_cardinality) -> Callable[[Dataset], Dataset]:
    """Returns a transformation asserting the number of elements (use with `Dataset.apply`).

    The resulting dataset reports `expected_cardinality` and raises
    `ValueError` while iterating if the real count differs.

    Args:
        expected_cardinality: the expected number of elements (or
            `INFINITE_CARDINALITY`).

    Returns:
        A function `Dataset -> Dataset`.

    Example:
    >>> ds = tf.data.Dataset.range(10).filter(lambda x: x < 5)
    >>> ds = ds.apply(tf.data.experimental.assert_cardinality(5))
    >>> len(ds)
    5
    """
    from tork.data._transforms import _AssertCardinalityDataset

    return lambda dataset: _AssertCardinalityDataset(dataset, expected_cardinality)


def make_csv_dataset(
    file_pattern,
    batch_size: int,
    column_names=None,
    column_defaults=None,
    label_name: str | None = None,
    select_columns=None,
    field_delim: str = ",",
    use_quote_delim: bool = True,
    na_value: str = "",
    header: bool = True,
    num_epochs: int | None = None,
    shuffle: bool = True,
    shuffle_buffer_size: int = 10000,
    shuffle_seed: int | None = None,
    prefetch_buffer_size=None,
    num_parallel_reads=None,
    sloppy: bool = False,
    num_rows_for_inference: int = 100,
    compression_type=None,
    ignore_errors: bool = False,
    encoding: str = "utf-8",
) -> Dataset:
    """Reads CSV files into a dataset of `(features, label)` batches.

    Each element is an `OrderedDict` mapping column names to batched tensors
    (and, with `label_name`, a `(features, labels)` pair). Column types are
    inferred from the first `num_rows_for_inference` rows as TensorFlow does:
    int32, then int64, float32, float64, else string. Empty fields (or
    `na_value`) take the column default: 0 for numbers, `""` for strings.

    Args:
        file_pattern: a file path, glob pattern, or list of them.
        batch_size: rows per batch.
        column_names: the column names; by default the file's header line.
        column_defaults: per-column defaults (a value whose type sets the
            column's type, or `[]`/`None` to infer it).
        label_name: the column returned separately as the label.
        select_columns: names or indices of the columns to keep.
        field_delim: the field separator.
        use_quote_delim: whether double quotes group fields.
        na_value: the text that marks a missing value.
        header: whether each file starts with a header line to skip.
        num_epochs: times to repeat the data; `None` repeats forever (and then
            every batch is full).
        shuffle: whether to shuffle the rows.
        shuffle_buffer_size: the shuffle buffer's size.
        shuffle_seed: the shuffle seed.
        prefetch_buffer_size: accepted; tork reads eagerly.
        num_parallel_reads: None, 1 or AUTOTUNE: the files one after the other; n > 1:
            n files at a time, one row from each in turn (TF's deterministic order).
        sloppy: accepted; the order is deterministic.
        num_rows_for_inference: rows read to infer the column types.
        compression_type: `None`/`""` or `"GZIP"`.
        ignore_errors: skip rows with the wrong number of fields.
        encoding: the files' text encoding.

    Returns:
        A `tf.data.Dataset`.

    Example:
    >>> ds = tf.data.experimental.make_csv_dataset(
    ...     "iris.csv", batch_size=32, label_name="species", num_epochs=1)
    """
    import collections
    import csv
    import glob
    import gzip
    import io
    import os

    import numpy as np

    from tork.data._tfrecord import _cycle_length, _interleaved

    del prefetch_buffer_size, sloppy
    cycle = _cycle_length(num_parallel_reads, "make_csv_dataset")
    patterns = [file_pattern] if isinstance(file_pattern, (str, bytes)) else list(file_pattern)
    files: list = []
    for pattern in patterns:
        pattern = pattern.decode() if isinstance(pattern, bytes) else str(pattern)
        matched = sorted(glob.glob(pattern))
        files.extend(matched or [pattern])
    # TF lists the files with tf.data.Dataset.list_files, which sorts every match of all
    # the patterns together (duplicates kept), so the order given does not matter.
    files.sort()
    absent = [f for f in files if not os.path.exists(f)]
    if absent:
        raise ValueError(f"make_csv_dataset: no file matches {absent[0]!r}.")
    per_file: list = []
    names = list(column_names) if column_names is not None else None
    for path in files:
        if compression_type in ("GZIP", "gzip"):
            with gzip.open(path, "rb") as handle:
                text = handle.read().decode(encoding)
        else:
            with open(path, encoding=encoding, newline="") as handle:
                text = handle.read()
        quoting = csv.QUOTE_MINIMAL if use_quote_delim else csv.QUOTE_NONE
        reader = csv.reader(io.StringIO(text), delimiter=field_delim, quoting=quoting)
        lines = [r for r in reader if r]
        if header and lines:
            if names is None:
                names = [n.strip() for n in lines[0]]
            lines = lines[1:]
        per_file.append(lines)
    # TF reads `num_parallel_reads` files at a time, one row from each in turn.
    rows = list(_interleaved(iter(per_file), iter, cycle))
    if names is None:
        raise ValueError(
            "make_csv_dataset: pass column_names=..., or header=True with a header line."
        )
    width = len(names)
    bad = [r for r in rows if len(r) != width]
    if bad and not ignore_errors:
        raise ValueError(
            f"make_csv_dataset: a row has {len(bad[0])} fields but there are {width} columns "
            f"({names}); pass ignore_errors=True to skip such rows."
        )
    rows = [r for r in rows if len(r) == width]
    if select_columns is not None:
        keep = [names.index(c) if isinstance(c, str) else int(c) for c in select_columns]
        keep = sorted(set(keep))
    else:
        keep = list(range(width))
    if label_name is not None and label_name not in [names[i] for i in keep]:
        raise ValueError(
            f"make_csv_dataset: label_name {label_name!r} is not one of the columns "
            f"{[names[i] for i in keep]}."
        )
    columns = collections.OrderedDict()
    for position, index in enumerate(keep):
        raw = [r[index] for r in rows]
        default = None
        if column_defaults is not None:
            # One default per selected column; `[]` (or None) means: infer the type.
            default = column_defaults[position]
            if isinstance(default, (list, tuple)):
                default = default[0] if default else None
        columns[names[index]] = _csv_column(
            raw, index, default, na_value, num_rows_for_inference, np
        )
    labels = columns.pop(label_name) if label_name is not None else None
    dataset = Dataset.from_tensor_slices(columns if labels is None else (columns, labels))
    # TF reads the files as it goes: the dataset's length is unknown (cardinality -2,
    # len() raises), which fit's first epoch also counts on (see trainer.py).
    dataset = _unknown_length(dataset)
    if shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, seed=shuffle_seed)
    if num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    # An endless dataset has only full batches, as in TensorFlow.
    return dataset.batch(batch_size, drop_remainder=num_epochs is None)


def _unknown_length(dataset: Dataset) -> Dataset:
    """`dataset`'s elements, with an unknown cardinality (as TF's file readers have)."""
    from tork.data._transforms import _UnaryDataset

    class _UnknownLengthDataset(_UnaryDataset):
        def _rows(self):
            return self._input._rows()

        def _generic(self):
            return self._input._elements()

        def _cardinality(self) -> int:
            return UNKNOWN_CARDINALITY

    return _UnknownLengthDataset(dataset, "tf.data.experimental.make_csv_dataset")


def CsvDataset(  # noqa: N802 (TensorFlow's name; TF's is a class, its instances are Datasets)
    filenames,
    record_defaults,
    compression_type=None,
    buffer_size=None,
    header: bool = False,
    field_delim: str = ",",
    use_quote_delim: bool = True,
    na_value: str = "",
    select_cols=None,
    exclude_cols=None,
) -> Dataset:
    """A dataset of the records of CSV files, one tuple of scalars per line.

    Args:
        filenames: a file name or a list of them, read in order.
        record_defaults: one entry per kept column: a value (`0`, `0.0`,
            `""`, a scalar tensor, or a one-element list) is the column's
            default and sets its type; a dtype (`tf.int64`) makes the column
            required (a missing field raises `InvalidArgumentError`).
        compression_type: `None`/`""`, `"GZIP"` or `"ZLIB"`.
        buffer_size: accepted; tork reads each file whole.
        header: whether each file's first line is skipped.
        field_delim: the field separator.
        use_quote_delim: whether double quotes group fields.
        na_value: the text that marks a missing field.
        select_cols: the (increasing) indices of the columns to keep.
        exclude_cols: the indices of the columns to drop.

    Returns:
        A `tf.data.Dataset` of tuples of scalar tensors.

    Example:
    >>> ds = tf.data.experimental.CsvDataset(
    ...     "titanic.csv", [tf.int32, 0.0, ""], header=True, select_cols=[0, 1, 2])
    """
    import numpy as np

    from tork._backend.dtypes import as_dtype
    from tork._backend.errors import InvalidArgumentError
    from tork.data.tensor_spec import TensorSpec

    del buffer_size
    if select_cols is not None and exclude_cols is not None:
        raise ValueError("CsvDataset: pass select_cols or exclude_cols, not both.")
    if select_cols is not None and list(select_cols) != sorted(set(select_cols)):
        raise ValueError(f"CsvDataset: select_cols must be increasing, got {list(select_cols)}.")
    if select_cols is not None and len(select_cols) != len(record_defaults):
        raise ValueError(
            f"CsvDataset: {len(select_cols)} select_cols but {len(record_defaults)} "
            "record_defaults; give one default per selected column."
        )
    kinds, fills = _csv_record_kinds(record_defaults)
    names = [filenames] if isinstance(filenames, (str, bytes)) else list(filenames)
    names = [n.decode() if isinstance(n, bytes) else str(n) for n in names]

    def records():
        for name in names:
            # As in TensorFlow, a missing file fails when the dataset is read.
            if not os.path.exists(name):
                raise NotFoundError(None, None, f"{name}; No such file or directory")
            for number, fields in enumerate(
                _csv_rows(name, compression_type, header, field_delim, use_quote_delim)
            ):
                if exclude_cols is not None:
                    fields = [f for i, f in enumerate(fields) if i not in set(exclude_cols)]
                elif select_cols is not None:
                    if max(select_cols) >= len(fields):
                        raise InvalidArgumentError(
                            None,
                            None,
                            f"Expect {max(select_cols) + 1} fields but have "
                            f"{len(fields)} in record {number}",
                        )
                    fields = [fields[i] for i in select_cols]
                if len(fields) != len(kinds):
                    raise InvalidArgumentError(
                        None,
                        None,
                        f"Expect {len(kinds)} fields but have {len(fields)} in record {number}",
                    )
                yield tuple(
                    _csv_field(field, kinds[i], fills[i], na_value, i, number, np)
                    for i, field in enumerate(fields)
                )

    signature = tuple(TensorSpec((), as_dtype(kind)) for kind in kinds)
    return Dataset.from_generator(records, output_signature=signature)


def _csv_record_kinds(record_defaults):
    """Each column's type name and default (None: a required column)."""
    import numpy as np

    from tork._backend.dtypes import as_dtype, dtype_name

    kinds, fills = [], []  # fill None: a required column
    for default in record_defaults:
        if isinstance(default, (list, tuple)):
            default = default[0] if default else None
        if hasattr(default, "numpy") and not isinstance(default, type):
            value = np.asarray(default.numpy())
            if value.dtype == object or value.dtype.kind in "SU":
                kind = "string"
            else:
                kind = str(value.dtype)
            default = value.reshape(-1)[0] if value.size else None
            if isinstance(default, np.generic):
                default = default.item()
        elif isinstance(default, (str, bytes)):
            kind = "string"
        elif isinstance(default, np.generic):
            kind, default = str(default.dtype), default.item()
        elif isinstance(default, bool):
            kind = "bool"
        elif isinstance(default, int):
            kind = "int32"
        elif isinstance(default, float):
            kind = "float32"
        else:
            kind, default = dtype_name(as_dtype(default)), None
        if kind == "string" and isinstance(default, str):
            default = default.encode()
        kinds.append(kind)
        fills.append(default)
    return kinds, fills


def _csv_rows(path, compression_type, header, field_delim, use_quote_delim):
    """The rows of one CSV file as lists of strings."""
    import csv
    import gzip
    import io
    import zlib

    with open(path, "rb") as handle:
        data = handle.read()
    if compression_type in ("GZIP", "gzip"):
        data = gzip.decompress(data)
    elif compression_type in ("ZLIB", "zlib"):
        data = zlib.decompress(data)
    quoting = csv.QUOTE_MINIMAL if use_quote_delim else csv.QUOTE_NONE
    reader = csv.reader(io.StringIO(data.decode("utf-8")), delimiter=field_delim, quoting=quoting)
    rows = [r for r in reader if r]
    return rows[1:] if header else rows


def _csv_field(field, kind, fill, na_value, column, record, np):
    """One CSV field as a NumPy scalar (or bytes) of the column's type."""
    from tork._backend.errors import InvalidArgumentError

    if field == "" or field == na_value:
        if fill is None:
            raise InvalidArgumentError(
                None, None, f"Field {column} is required but missing in record {record}!"
            )
        return fill if kind == "string" else np.asarray(fill, dtype=kind)
    if kind == "string":
        return field.encode()
    try:
        if kind == "bool":
            return np.asarray(field.strip().lower() in ("1", "true"), dtype=bool)
        parse = float if kind.startswith("float") else int
        return np.asarray(parse(field), dtype=kind)
    except (ValueError, OverflowError):
        raise InvalidArgumentError(
            None, None, f"Field {column} in record {record} is not a valid {kind}: {field}"
        ) from None


def _csv_column(raw: list, column: int, default, na_value: str, num_rows: int, np):
    """One CSV column as a NumPy array of TensorFlow's inferred (or the default's) type."""
    from tork._backend.dtypes import as_dtype, dtype_name
    from tork._backend.errors import InvalidArgumentError

    def missing(value):
        return value == "" or value == na_value

    fill = None
    if default is None:
        kind = "int32"
        for value in [v for v in raw if not missing(v)][:num_rows]:
            kind = _widen(kind, value)
    elif isinstance(default, (str, bytes)):
        kind, fill = "string", default
    elif isinstance(default, bool) or isinstance(default, int):
        kind, fill = "int32", int(default)
    elif isinstance(default, float):
        kind, fill = "float32", default
    else:  # a dtype: a required column of that type
        kind = dtype_name(as_dtype(default))
    if fill is None:
        fill = "" if kind == "string" else 0
    if kind == "string":
        values = [fill if missing(v) else v for v in raw]
        return np.array([v.encode() if isinstance(v, str) else v for v in values], dtype=object)
    parse = float if kind.startswith("float") else int
    out = np.empty(len(raw), dtype=kind)
    for row, value in enumerate(raw):
        try:
            out[row] = fill if missing(value) else parse(value)
        except (ValueError, OverflowError):
            raise InvalidArgumentError(
                None, None, f"Field {column} in record {row} is not a valid {kind}: {value}"
            ) from None
    return out


def _widen(kind: str, value: str) -> str:
    """The narrowest TF CSV type at least `kind` that holds `value`."""
    order = ["int32", "int64", "float32", "float64", "string"]
    for candidate in order[order.index(kind) :]:
        try:
            if candidate.startswith("int"):
                number = int(value)
                if candidate == "int32" and not -(2**31) <= number < 2**31:
                    continue
            elif candidate.startswith("float"):
                number = float(value)
                if candidate == "float32" and abs(number) > 3.4e38 and number != float("inf"):
                    continue
            return candidate
        except ValueError:
            continue
    return "string"


def enable_debug_mode() -> None:
    """Accepted for compatibility: tork pipelines already run eagerly, in order."""


__getattr__ = module_getattr("tf.data.experimental")
