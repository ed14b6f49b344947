"""`tf.data.Dataset`: input pipelines whose elements are (nests of) torch tensors.

Pipelines over in-memory tensors are vectorised: `from_tensor_slices((x, y))
.shuffle(n).batch(128)` draws one permutation per epoch and gathers each batch
with one indexing op per column (see `_rows.py`). Pipelines with per-element
Python work (generators, `map` or `filter` before `batch`) run element by
element, as tf.data's semantics require.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator as _PyIterator

import numpy as np
import torch

from tork._backend.errors import InvalidArgumentError, OutOfRangeError, not_implemented
from tork._backend.tensor import convert_to_tensor, to_numpy
from tork.data import _composite, _rows
from tork.data import _structure as nest
from tork.data.options import Options
from tork.data.tensor_spec import DatasetSpec

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2


def _check_dataset(value, where: str) -> None:
    if not isinstance(value, Dataset):
        raise TypeError(
            f"{where} expects a tf.data.Dataset, got {type(value).__name__}. Wrap tensors or "
            "arrays with tf.data.Dataset.from_tensor_slices(...) first."
        )


def _as_int(value, name: str, where: str) -> int:
    if isinstance(value, torch.Tensor) and value.numel() == 1 and not value.is_floating_point():
        value = value.item()
    if isinstance(value, np.integer):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{where}: `{name}` must be an integer, got {value!r}.")
    return value


# The class names TF's repr shows where tork builds a dataset with a different class:
# `repr(ds.cache())` is "<CacheDataset element_spec=...>" in TF, for instance.
_TF_REPR_NAMES = {
    "_CacheDataset": "CacheDataset",
    "_RaggedBatchDataset": "_BatchDataset",
    "_SparseBatchDataset": "_DenseToSparseBatchDataset",
    "_EnumerateDataset": "_ZipDataset",
    "_SampleDataset": "_DirectedInterleaveDataset",
    "_ChooseDataset": "_DirectedInterleaveDataset",
    "_CounterDataset": "_ScanDataset",
    "_GeneratorDataset": "_FlatMapDataset",
    "_ElementsDataset": "_VariantDataset",
    "TFRecordDataset": "TFRecordDatasetV2",
    "_ShardsDataset": "_VariantDataset",
    "_SnapshotDataset": "_MapDataset",
    "TextLineDataset": "TextLineDatasetV2",
    "FixedLengthRecordDataset": "FixedLengthRecordDatasetV2",
}


def _with_repr_name(dataset: Dataset, name: str) -> Dataset:
    # TF builds another class when `num_parallel_calls` is given (e.g.
    # `_ParallelMapDataset`); tork runs the same class, so only the repr changes.
    dataset._repr_name = name
    return dataset


class _DatasetMeta(type):
    def __getattr__(cls, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        raise not_implemented(f"tf.data.Dataset.{name}")


class Dataset(metaclass=_DatasetMeta):
    """A sequence of elements, each a tensor or a nest (tuple/dict) of tensors.

    Build datasets with the static constructors (`from_tensor_slices`,
    `from_tensors`, `from_generator`, `range`, `zip`) and transform them with
    methods that return new datasets. Iterating a dataset (`for x in ds`)
    starts from the beginning each time.

    Example:
    >>> ds = tf.data.Dataset.from_tensor_slices(([1, 2, 3], [4, 5, 6]))
    >>> ds = ds.shuffle(3).batch(2)
    >>> for x, y in ds:
    ...     print(x.shape)
    """

    # The class name shown by repr when it differs from TF's (see `_TF_REPR_NAMES`).
    _repr_name: str | None = None

    def __init__(self, inputs: tuple = (), options: Options | None = None):
        self._inputs = inputs
        self._own_options = options
        self._element_spec = None

    # --- to be provided by subclasses -------------------------------------

    def _generic(self) -> _PyIterator:
        """Iterates elements one by one (used when `_rows()` is None)."""
        raise NotImplementedError(type(self).__name__)

    def _rows(self) -> _rows.Rows | None:
        """The vectorised row-index form of this dataset, when it has one."""
        return None

    def _spec(self):
        raise NotImplementedError(type(self).__name__)

    def _cardinality(self) -> int:
        return UNKNOWN_CARDINALITY

    # --- iteration -----------------------------------------------------------

    def _elements(self) -> _PyIterator:
        rows = self._rows()
        if rows is not None:
            return _rows.iter_elements(rows)
        return self._generic()

    def __iter__(self) -> Iterator:
        return Iterator(self)

    def __bool__(self) -> bool:
        return True

    def __len__(self) -> int:
        n = self._cardinality()
        if n == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if n == UNKNOWN_CARDINALITY:
            raise TypeError(
                "The dataset length is unknown. Use dataset.cardinality() (which may be "
                "tf.data.UNKNOWN_CARDINALITY) or count the elements by iterating."
            )
        return n

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        attribute = getattr(type(self), name, None)
        if isinstance(attribute, property):
            # The property raised AttributeError (e.g. from a map function computing the
            # element_spec) and Python fell back here: run it again so that error surfaces,
            # instead of claiming the property is not implemented.
            return attribute.fget(self)
        raise not_implemented(f"tf.data.Dataset.{name}")

    def __repr__(self) -> str:
        try:
            spec = self.element_spec
        except Exception:  # the repr must not fail because a map cannot be traced
            spec = "<unknown>"
        cls = type(self)
        name = self._repr_name or cls.__name__
        if cls.__module__.startswith("tork.data."):
            name = _TF_REPR_NAMES.get(name, name)
        return f"<{name} element_spec={spec}>"

    @property
    def element_spec(self):
        """The structure of an element: a nest of `tf.TensorSpec`.

        A batch dimension is `None` after `batch` unless `drop_remainder=True`.

        Example:
        >>> tf.data.Dataset.range(5).batch(2).element_spec
        TensorSpec(shape=(None,), dtype=tf.int64, name=None)
        """
        if self._element_spec is None:
            self._element_spec = self._spec()
        return self._element_spec

    def options(self) -> Options:
        """Returns the `tf.data.Options` of this dataset and its inputs, merged."""
        merged = Options()
        for parent in self._inputs:
            merged = merged.merge(parent.options())
        if self._own_options is not None:
            merged = merged.merge(self._own_options)
        return merged

    def as_numpy_iterator(self) -> _NumpyIterator:
        """Returns an iterator over elements converted to NumPy.

        Scalars come out as NumPy scalars and nests keep their structure.

        Returns:
            A Python iterator; as in TensorFlow it also has a `next()` method
            (`dataset.as_numpy_iterator().next()`).

        Example:
        >>> list(tf.data.Dataset.range(3).as_numpy_iterator())
        [0, 1, 2]
        """

        def convert(t):
            if _composite.is_composite(t):
                return _composite.to_numpy(t)
            array = to_numpy(t)
            return array[()] if array.ndim == 0 else array

        if any(isinstance(s, DatasetSpec) for s in nest.flatten(self.element_spec)):
            raise TypeError(
                "`tf.data.Dataset.as_numpy_iterator()` is not supported for datasets that "
                "produce datasets (e.g. the windows of `Dataset.window`): turn each window "
                "into a tensor first, e.g. `ds.flat_map(lambda w: w.batch(size))`."
            )

        def elements():
            for element in self._elements():
                if isinstance(element, torch.Tensor):
                    yield convert(element)
                else:
                    yield nest.pack(element, [convert(t) for t in nest.flatten(element)])

        return _NumpyIterator(elements())

    def cardinality(self) -> torch.Tensor:
        """Returns the number of elements as a scalar int64 tensor.

        Returns:
            The count, or `tf.data.INFINITE_CARDINALITY` (-1) for an infinite
            dataset, or `tf.data.UNKNOWN_CARDINALITY` (-2) when it cannot be
            known without iterating (e.g. after `filter`).

        Example:
        >>> int(tf.data.Dataset.range(10).batch(3).cardinality())
        4
        """
        return torch.tensor(self._cardinality(), dtype=torch.int64)

    def _tork_slices(self) -> _SliceSource | None:
        """Fast-path hook for training loops: see `_SliceSource`.

        Returns a `_SliceSource` when this dataset is an in-memory row source
        (tensor slices, reordered by shuffle/take/skip/finite repeat) that is
        optionally batched as its last step (then possibly prefetched); None
        otherwise.
        """
        return _slice_source(self._rows(), None, False)

    # --- sources -------------------------------------------------------------

    @staticmethod
    def from_tensor_slices(tensors, name: str | None = None) -> Dataset:
        """Creates a dataset whose elements are slices of `tensors` along their first axis.

        Args:
            tensors: a tensor, array or Python list, or a tuple/dict nest of
                them; all must have the same size in the first dimension.
                Python floats become float32 and ints int32; NumPy arrays keep
                their dtype.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset`.

        Example:
        >>> ds = tf.data.Dataset.from_tensor_slices({"a": [1, 2], "b": [3.0, 4.0]})
        >>> [sorted(e) for e in ds]
        [['a', 'b'], ['a', 'b']]
        """
        return _sources._TensorSliceDataset(tensors)

    @staticmethod
    def from_tensors(tensors, name: str | None = None) -> Dataset:
        """Creates a dataset with one element, `tensors`.

        Args:
            tensors: a tensor, array, Python value or nest of them.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset` with a single element.

        Example:
        >>> [x.shape for x in tf.data.Dataset.from_tensors([1, 2, 3])]
        [torch.Size([3])]
        """
        return _sources._TensorDataset(tensors)

    @staticmethod
    def from_generator(
        generator: Callable,
        output_types=None,
        output_shapes=None,
        args=None,
        output_signature=None,
        name: str | None = None,
    ) -> Dataset:
        """Creates a dataset whose elements are produced by a Python generator.

        Args:
            generator: a callable returning an iterator (e.g. a generator
                function, not a generator object); called anew for each
                iteration over the dataset.
            output_types: (deprecated) nest of dtypes of an element.
            output_shapes: (deprecated) nest of shapes matching `output_types`.
            args: tuple of arguments passed to `generator`, as NumPy values.
            output_signature: nest of `tf.TensorSpec` describing an element.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset`. Every yielded element is converted to the declared
            dtypes and checked against the declared structure and shapes.

        Example:
        >>> def gen():
        ...     for i in range(3):
        ...         yield i, [1.0] * i
        >>> ds = tf.data.Dataset.from_generator(gen, output_signature=(
        ...     tf.TensorSpec(shape=(), dtype=tf.int32),
        ...     tf.TensorSpec(shape=(None,), dtype=tf.float32)))
        """
        return _sources._GeneratorDataset(
            generator, output_types, output_shapes, args, output_signature
        )

    @staticmethod
    def list_files(
        file_pattern, shuffle: bool | None = None, seed: int | None = None, name: str | None = None
    ) -> Dataset:
        """Creates a dataset of the names of the files that match glob patterns.

        The names are sorted, then shuffled unless `shuffle=False` (as in
        TensorFlow, the default is to shuffle, with a new order each time the
        dataset is iterated). Pass `shuffle=False` or a `seed` for a
        deterministic order.

        Args:
            file_pattern: a glob pattern (`*`, `?`, `[...]`; `*` does not cross
                `/`) or a list / 1-D string tensor of patterns.
            shuffle: shuffle the names (default True).
            seed: optional seed of the shuffle.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset` of scalar `tf.string` tensors.

        Raises:
            InvalidArgumentError: no file matches the pattern(s).

        Example:
        >>> ds = tf.data.Dataset.list_files("/data/flowers/*/*.jpg", shuffle=False)
        >>> next(iter(ds)).numpy()
        b'/data/flowers/daisy/100080576_f52e8ee070_n.jpg'
        """
        return _sources._list_files(file_pattern, shuffle, seed)

    @staticmethod
    def range(*args, **kwargs) -> Dataset:
        """Creates a dataset of a step-separated range of values, like Python's `range`.

        Args:
            *args: `stop`, or `start, stop`, or `start, stop, step`.
            **kwargs: `output_type` (default `tf.int64`) and `name`; other keywords
                are ignored, as in tf.data (`dtype=` does not change the int64 values).

        Returns:
            A `Dataset` of scalars.

        Example:
        >>> list(tf.data.Dataset.range(1, 7, 2).as_numpy_iterator())
        [1, 3, 5]
        """
        # Other keywords (e.g. `dtype=`, a common slip for `output_type=`) are ignored, as
        # tf.data ignores them: the values stay int64, which code written for TF expects.
        output_type = kwargs.get("output_type", torch.int64)
        if any(isinstance(a, torch.Tensor) and a.device.type == "meta" for a in args):
            # Called by an interleave/flat_map function that tork is tracing on meta
            # stand-ins to learn its element_spec: only the spec of the result matters.
            from tork.data._windowing import _ElementsDataset
            from tork.data.tensor_spec import TensorSpec

            return _ElementsDataset([], TensorSpec((), output_type))
        return _sources._RangeDataset(args, output_type)

    @staticmethod
    def counter(start=0, step=1, dtype=torch.int64, name: str | None = None) -> Dataset:
        """An infinite dataset of `start, start + step, start + 2 * step, ...`.

        Args:
            start: the first value.
            step: the increment.
            dtype: the elements' dtype (default `tf.int64`).
            name: unused, for TensorFlow compatibility.

        Returns:
            An infinite `Dataset` of scalars.

        Example:
        >>> list(tf.data.Dataset.counter(2, 3).take(3).as_numpy_iterator())
        [2, 5, 8]
        """
        return _sources._CounterDataset(start, step, dtype)

    @staticmethod
    def random(
        seed: int | None = None,
        rerandomize_each_iteration: bool | None = None,
        name: str | None = None,
    ) -> Dataset:
        """An infinite dataset of random int64 scalars, uniform in `[0, 2**32)`.

        The same `seed` gives the same stream in tork (not TensorFlow's numbers).
        Without a seed, the stream comes from torch's global generator (so
        `tf.random.set_seed` makes it reproducible).

        Args:
            seed: an integer seed, or None.
            rerandomize_each_iteration: when True, each iteration over the dataset
                gives a new stream; by default every iteration repeats the first.
            name: unused, for TensorFlow compatibility.

        Returns:
            An infinite `Dataset` of int64 scalars.

        Raises:
            TypeError: `seed` is not an integer.

        Example:
        >>> ds = tf.data.Dataset.random(seed=4).take(3)
        >>> [int(x) for x in ds] == [int(x) for x in ds]
        True
        """
        return _persist._RandomDataset(seed, rerandomize_each_iteration)

    @staticmethod
    def load(
        path,
        element_spec=None,
        compression: str | None = None,
        reader_func: Callable | None = None,
        wait: bool = False,
    ) -> Dataset:
        """Loads a dataset written by `Dataset.save` (tork's format, not TensorFlow's).

        Args:
            path: the directory given to `save`.
            element_spec: optional; by default the spec recorded by `save`. When
                given it must have the same structure (e.g. relaxed shapes).
            compression: accepted for compatibility: the compression recorded by
                `save` is used ("GZIP", "ZLIB" or None).
            reader_func: optional function taking a dataset whose elements are
                the shard datasets and returning the dataset of elements (e.g.
                `lambda shards: shards.interleave(lambda x: x)`); by default the
                shards are read one after the other.
            wait: unused (tork does not read datasets while they are being saved).

        Returns:
            A `Dataset` with the saved elements, its cardinality the saved count.

        Raises:
            NotFoundError: `path` holds no dataset saved by tork.
            ValueError: `element_spec` does not match the saved structure.

        Example:
        >>> tf.data.Dataset.range(3).save("/tmp/ds")
        >>> list(tf.data.Dataset.load("/tmp/ds").as_numpy_iterator())
        [0, 1, 2]
        """
        return _persist.load(path, element_spec, compression, reader_func)

    @staticmethod
    def zip(*args, datasets=None, name: str | None = None) -> Dataset:
        """Zips datasets together: element i is the nest of every dataset's element i.

        Args:
            *args: datasets, or one tuple/dict nest of datasets.
            datasets: alternatively, the nest of datasets as a keyword.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset` as long as the shortest input.

        Example:
        >>> a = tf.data.Dataset.range(3)
        >>> b = tf.data.Dataset.range(3, 6)
        >>> list(tf.data.Dataset.zip(a, b).as_numpy_iterator())
        [(0, 3), (1, 4), (2, 5)]
        """
        if datasets is not None:
            if args:
                raise TypeError("Dataset.zip takes datasets either positionally or as `datasets=`.")
        elif len(args) == 1:
            datasets = args[0]
        elif args:
            datasets = args
        else:
            raise TypeError("Dataset.zip needs at least one dataset.")
        if isinstance(datasets, list):
            datasets = tuple(datasets)
        return _sources._ZipDataset(datasets)

    @staticmethod
    def sample_from_datasets(
        datasets,
        weights=None,
        seed: int | None = None,
        stop_on_empty_dataset: bool = False,
        rerandomize_each_iteration: bool | None = None,
    ) -> Dataset:
        """Draws each element from one of `datasets`, chosen at random by `weights`.

        Args:
            datasets: a list of datasets with the same element structure.
            weights: one non-negative weight per dataset (normalised); default
                uniform.
            seed: optional seed of the random choices.
            stop_on_empty_dataset: stop at the first exhausted dataset; by default
                an exhausted dataset is skipped and the others keep their odds.
            rerandomize_each_iteration: draw new choices each time the dataset is
                iterated (default: the same sequence every epoch).

        Returns:
            A `Dataset` interleaving the elements of `datasets`.

        Example:
        >>> pos = tf.data.Dataset.from_tensors(1).repeat()
        >>> neg = tf.data.Dataset.from_tensors(0).repeat()
        >>> ds = tf.data.Dataset.sample_from_datasets([pos, neg], weights=[0.5, 0.5], seed=1)
        >>> sorted({int(v) for v in ds.take(100)})
        [0, 1]
        """
        from tork.data._sampling import _SampleDataset

        return _SampleDataset(
            datasets, weights, seed, stop_on_empty_dataset, rerandomize_each_iteration
        )

    @staticmethod
    def choose_from_datasets(
        datasets, choice_dataset, stop_on_empty_dataset: bool = True
    ) -> Dataset:
        """Takes element i from `datasets[choice_dataset[i]]`.

        Args:
            datasets: a list of datasets with the same element structure.
            choice_dataset: a dataset of int64 scalars in `[0, len(datasets))`.
            stop_on_empty_dataset: stop when a chosen dataset is exhausted (the
                default); otherwise skip such choices.

        Returns:
            A `Dataset` of the chosen elements.

        Example:
        >>> letters = [tf.data.Dataset.from_tensors(i).repeat() for i in range(3)]
        >>> choice = tf.data.Dataset.range(3).repeat(2)
        >>> [int(v) for v in tf.data.Dataset.choose_from_datasets(letters, choice)]
        [0, 1, 2, 0, 1, 2]
        """
        from tork.data._sampling import _ChooseDataset

        return _ChooseDataset(datasets, choice_dataset, stop_on_empty_dataset)

    # --- transformations ---------------------------------------------------

    def apply(self, transformation_func: Callable) -> Dataset:
        """Applies a function that takes and returns a dataset.

        Args:
            transformation_func: `Dataset -> Dataset`.

        Returns:
            The dataset returned by `transformation_func`.

        Example:
        >>> ds = tf.data.Dataset.range(10).apply(lambda d: d.filter(lambda x: x < 3))
        """
        result = transformation_func(self)
        if not isinstance(result, Dataset):
            raise TypeError(
                "The function passed to Dataset.apply must return a tf.data.Dataset, got "
                f"{type(result).__name__}."
            )
        return result

    def batch(
        self,
        batch_size: int,
        drop_remainder: bool = False,
        num_parallel_calls=None,
        deterministic=None,
        name: str | None = None,
    ) -> Dataset:
        """Combines consecutive elements into batches (stacked on a new first axis).

        Args:
            batch_size: elements per batch.
            drop_remainder: drop a final batch smaller than `batch_size`.
            num_parallel_calls: accepted for compatibility (batches are built
                with vectorised gathers).
            deterministic: accepted for compatibility.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset` of batches.

        Example:
        >>> [b.tolist() for b in tf.data.Dataset.range(5).batch(2)]
        [[0, 1], [2, 3], [4]]
        """
        result = _transforms._BatchDataset(self, batch_size, drop_remainder)
        if num_parallel_calls is not None:
            return _with_repr_name(result, "_ParallelBatchDataset")
        return result

    def ragged_batch(
        self,
        batch_size: int,
        drop_remainder: bool = False,
        row_splits_dtype=torch.int64,
        name: str | None = None,
    ) -> Dataset:
        """Combines consecutive elements into batches; elements of varying shape become ragged.

        A component whose spec has unknown dimensions (e.g. `(None,)`) is batched
        into a `tf.RaggedTensor`; components of fixed shape are stacked as by `batch`.

        Args:
            batch_size: elements per batch.
            drop_remainder: drop a final batch smaller than `batch_size`.
            row_splits_dtype: the dtype of the new `row_splits` (tf.int64 or tf.int32).
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset` of batches.

        Example:
        >>> ds = tf.data.Dataset.range(1, 4).map(lambda x: tf.range(x))
        >>> [b.to_list() for b in ds.ragged_batch(2)]
        [[[0], [0, 1]], [[0, 1, 2]]]
        """
        return _transforms._RaggedBatchDataset(self, batch_size, drop_remainder, row_splits_dtype)

    def sparse_batch(self, batch_size: int, row_shape, name: str | None = None) -> Dataset:
        """Combines consecutive dense elements into `tf.SparseTensor` batches.

        Every entry of an element is stored; the batch's dense shape is
        `[batch, *row_shape]` (`None` dimensions: the longest in the batch).

        Args:
            batch_size: elements per batch.
            row_shape: the dense shape of one row; each element must fit in it.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset` of SparseTensors.

        Example:
        >>> ds = tf.data.Dataset.range(1, 3).map(lambda x: tf.fill([x], x))
        >>> tf.sparse.to_dense(next(iter(ds.sparse_batch(2, [3])))).tolist()
        [[1, 0, 0], [2, 2, 0]]
        """
        return _transforms._SparseBatchDataset(self, batch_size, row_shape)

    def padded_batch(
        self,
        batch_size: int,
        padded_shapes=None,
        padding_values=None,
        drop_remainder: bool = False,
        name: str | None = None,
    ) -> Dataset:
        """Batches elements of different shapes by padding them to a common shape.

        Args:
            batch_size: elements per batch.
            padded_shapes: nest of shapes per component; `None` or -1
                dimensions pad to the longest in the batch. Default: pad every
                dimension to the longest in the batch.
            padding_values: nest of scalars (or one scalar) to pad with;
                default 0 (False for bools).
            drop_remainder: drop a final batch smaller than `batch_size`.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset` of padded batches.

        Example:
        >>> ds = tf.data.Dataset.range(1, 4).map(lambda x: tf.fill([x], x))
        >>> [b.tolist() for b in ds.padded_batch(2)]
        [[[1, 0], [2, 2]], [[3, 3, 3]]]
        """
        return _transforms._PaddedBatchDataset(
            self, batch_size, padded_shapes, padding_values, drop_remainder
        )

    def unbatch(self, name: str | None = None) -> Dataset:
        """Splits each element into its slices along the first axis.

        Returns:
            A `Dataset`.

        Example:
        >>> list(tf.data.Dataset.range(4).batch(3).unbatch().as_numpy_iterator())
        [0, 1, 2, 3]
        """
        return _transforms._UnbatchDataset(self)

    def map(
        self,
        map_func: Callable,
        num_parallel_calls=None,
        deterministic=None,
        name: str | None = None,
    ) -> Dataset:
        """Applies `map_func` to each element.

        A tuple element is passed as separate positional arguments; any other
        element (a tensor, a dict) as one argument. After `batch`, the function
        receives whole batches, so it runs once per batch.

        Args:
            map_func: the function; it returns a tensor or a nest of tensors
                (a returned list becomes a tuple).
            num_parallel_calls: accepted for compatibility; runs sequentially.
            deterministic: accepted for compatibility.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset`.

        Example:
        >>> ds = tf.data.Dataset.from_tensor_slices(([1, 2], [3, 4]))
        >>> list(ds.map(lambda x, y: x + y).as_numpy_iterator())
        [4, 6]
        """
        result = _transforms._MapDataset(self, map_func)
        if num_parallel_calls is not None:
            return _with_repr_name(result, "_ParallelMapDataset")
        return result

    def filter(self, predicate: Callable, name: str | None = None) -> Dataset:
        """Keeps the elements for which `predicate` returns True.

        Args:
            predicate: maps an element (tuples spread as arguments) to a scalar
                bool tensor or Python bool.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset` of unknown cardinality.

        Example:
        >>> list(tf.data.Dataset.range(6).filter(lambda x: x % 2 == 0).as_numpy_iterator())
        [0, 2, 4]
        """
        return _transforms._FilterDataset(self, predicate)

    def shuffle(
        self,
        buffer_size: int,
        seed: int | None = None,
        reshuffle_each_iteration: bool = True,
        name: str | None = None,
    ) -> Dataset:
        """Randomly shuffles elements with a buffer of `buffer_size` elements.

        The buffer is filled, then each output is drawn uniformly from it and
        replaced by the next input element. A buffer at least as large as the
        dataset gives a uniform random permutation.

        Args:
            buffer_size: the number of elements in the buffer.
            seed: optional seed for reproducible orders.
            reshuffle_each_iteration: draw a new order each time the dataset
                is iterated (otherwise every iteration uses the same order).
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset`.

        Example:
        >>> ds = tf.data.Dataset.range(5).shuffle(5, seed=1)
        >>> sorted(ds.as_numpy_iterator())
        [0, 1, 2, 3, 4]
        """
        return _transforms._ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def repeat(self, count: int | None = None, name: str | None = None) -> Dataset:
        """Repeats the dataset `count` times (forever when `count` is None or -1).

        Returns:
            A `Dataset`.

        Example:
        >>> list(tf.data.Dataset.range(2).repeat(2).as_numpy_iterator())
        [0, 1, 0, 1]
        """
        return _transforms._RepeatDataset(self, count)

    def take(self, count: int, name: str | None = None) -> Dataset:
        """Keeps at most the first `count` elements (-1: all).

        Returns:
            A `Dataset`.

        Example:
        >>> list(tf.data.Dataset.range(10).take(3).as_numpy_iterator())
        [0, 1, 2]
        """
        return _transforms._TakeDataset(self, count)

    def skip(self, count: int, name: str | None = None) -> Dataset:
        """Skips the first `count` elements (-1: all of them).

        Returns:
            A `Dataset`.

        Example:
        >>> list(tf.data.Dataset.range(5).skip(3).as_numpy_iterator())
        [3, 4]
        """
        return _transforms._SkipDataset(self, count)

    def take_while(self, predicate: Callable, name: str | None = None) -> Dataset:
        """Keeps elements until `predicate` first returns False.

        Returns:
            A `Dataset`.

        Example:
        >>> list(tf.data.Dataset.range(9).take_while(lambda x: x < 3).as_numpy_iterator())
        [0, 1, 2]
        """
        return _transforms._TakeWhileDataset(self, predicate)

    def shard(self, num_shards: int, index: int, name: str | None = None) -> Dataset:
        """Keeps every `num_shards`-th element, starting at `index`.

        Returns:
            A `Dataset`.

        Example:
        >>> list(tf.data.Dataset.range(7).shard(3, 1).as_numpy_iterator())
        [1, 4]
        """
        return _transforms._ShardDataset(self, num_shards, index)

    def prefetch(self, buffer_size: int, name: str | None = None) -> Dataset:
        """Returns the dataset unchanged in content (elements are produced on demand).

        Args:
            buffer_size: accepted for compatibility (`tf.data.AUTOTUNE` is fine).
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset`.

        Example:
        >>> ds = tf.data.Dataset.range(3).prefetch(tf.data.AUTOTUNE)
        """
        if isinstance(buffer_size, int) and buffer_size < AUTOTUNE:
            from tork._backend.errors import InvalidArgumentError

            raise InvalidArgumentError(
                "Dataset.prefetch: buffer_size must be >= 0 or set buffer_size to be -1 "
                f"(tf.data.AUTOTUNE) for auto-tuning, got {buffer_size}."
            )
        return _transforms._PrefetchDataset(self, buffer_size)

    def cache(self, filename: str = "", name: str | None = None) -> Dataset:
        """Caches elements after the first complete iteration.

        Later iterations replay the cached elements (so a `shuffle` before
        `cache` is frozen, as in tf.data). An incomplete first iteration caches
        nothing.

        Args:
            filename: a file prefix to keep the cache on disk (as
                `<filename>.tork_cache.pt`), reused by later runs; `""` keeps it
                in memory.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset`.

        Example:
        >>> ds = tf.data.Dataset.range(5).map(lambda x: x * 2).cache()
        """
        return _transforms._CacheDataset(self, filename)

    def save(
        self,
        path,
        compression: str | None = None,
        shard_func: Callable | None = None,
        checkpoint_args=None,
    ) -> None:
        """Writes every element to the directory `path`, for `Dataset.load`.

        The files are tork's own format (see `tork/data/_persist.py`): TensorFlow
        cannot read them, and tork cannot read TensorFlow's. The element spec and
        the number of elements are recorded, so `load` needs only the path.
        Elements may be tensors, string tensors and tuples/dicts of them. Saving
        again to the same path replaces the earlier dataset.

        Args:
            path: the directory to write (created if needed).
            compression: None, "GZIP" or "ZLIB".
            shard_func: optional function mapping an element to an int64 shard
                index; elements go to one file per index. By default one file.
            checkpoint_args: accepted and ignored (tork writes the whole dataset
                in one go and cannot resume a save).

        Raises:
            ValueError: an unknown `compression`.
            TypeError: the elements have a structure tork cannot save.

        Example:
        >>> tf.data.Dataset.from_tensor_slices({"x": [1, 2]}).save("/tmp/ds")
        """
        _persist.save(self, path, compression, shard_func, checkpoint_args)

    def snapshot(
        self,
        path,
        compression: str | None = "AUTO",
        reader_func: Callable | None = None,
        shard_func: Callable | None = None,
        name: str | None = None,
    ) -> Dataset:
        """Writes the elements to `path` on the first full iteration, then reads them back.

        As TensorFlow: a complete snapshot already at `path` (from an earlier
        iteration or run) is read instead of running this pipeline; an
        interrupted first iteration leaves nothing and the next one writes again.
        Unlike TensorFlow, the snapshot is not keyed by a fingerprint of the
        pipeline: after changing the pipeline, use a new `path` (or delete the
        old directory), or the old elements are read. Files are tork's format
        (see `save`).

        Args:
            path: the snapshot directory.
            compression: "AUTO" (no compression in tork), None, "GZIP" or "ZLIB".
            reader_func: as in `Dataset.load`.
            shard_func: as in `Dataset.save`.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset` with the same elements.

        Example:
        >>> ds = tf.data.Dataset.range(5).map(lambda x: x * 2).snapshot("/tmp/snap")
        """
        return _persist.make_snapshot(self, path, compression, reader_func, shard_func)

    def enumerate(self, start: int = 0, name: str | None = None) -> Dataset:
        """Pairs each element with its position: `(index, element)`, index int64.

        Returns:
            A `Dataset`.

        Example:
        >>> list(tf.data.Dataset.range(5, 7).enumerate().as_numpy_iterator())
        [(0, 5), (1, 6)]
        """
        return _transforms._EnumerateDataset(self, start)

    def concatenate(self, dataset: Dataset, name: str | None = None) -> Dataset:
        """Appends the elements of `dataset` after those of this dataset.

        Args:
            dataset: a dataset with the same element structure and dtypes.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset`.

        Example:
        >>> a = tf.data.Dataset.range(2)
        >>> list(a.concatenate(tf.data.Dataset.range(5, 7)).as_numpy_iterator())
        [0, 1, 5, 6]
        """
        return _sources._ConcatenateDataset(self, dataset)

    def flat_map(self, map_func: Callable, name: str | None = None) -> Dataset:
        """Maps each element to a dataset and chains those datasets.

        Args:
            map_func: element -> `Dataset` (tuples spread as arguments).
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset`.

        Example:
        >>> ds = tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4]])
        >>> list(ds.flat_map(tf.data.Dataset.from_tensor_slices).as_numpy_iterator())
        [1, 2, 3, 4]
        """
        return _transforms._FlatMapDataset(self, map_func)

    def interleave(
        self,
        map_func: Callable,
        cycle_length: int | None = None,
        block_length: int | None = None,
        num_parallel_calls=None,
        deterministic=None,
        name: str | None = None,
    ) -> Dataset:
        """Maps elements to datasets and interleaves their elements.

        Up to `cycle_length` datasets are open at once; `block_length`
        consecutive elements are taken from each in turn. Runs sequentially.

        Args:
            map_func: element -> `Dataset`.
            cycle_length: datasets open at once (default: the CPU count, as in
                tf.data).
            block_length: consecutive elements per turn (default 1).
            num_parallel_calls: accepted for compatibility.
            deterministic: accepted for compatibility.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset`.

        Example:
        >>> ds = tf.data.Dataset.range(1, 3).interleave(
        ...     lambda x: tf.data.Dataset.from_tensors(x).repeat(2), cycle_length=2)
        >>> list(ds.as_numpy_iterator())
        [1, 2, 1, 2]
        """
        result = _transforms._InterleaveDataset(self, map_func, cycle_length, block_length)
        if num_parallel_calls is not None:
            return _with_repr_name(result, "_ParallelInterleaveDataset")
        return result

    def with_options(self, options: Options, name: str | None = None) -> Dataset:
        """Returns the dataset with `options` set (they have no effect in tork).

        Args:
            options: a `tf.data.Options`.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset`.

        Example:
        >>> ds = tf.data.Dataset.range(3).with_options(tf.data.Options())
        """
        return _transforms._OptionsDataset(self, options)

    def window(
        self,
        size: int,
        shift: int | None = None,
        stride: int = 1,
        drop_remainder: bool = False,
        name: str | None = None,
    ) -> Dataset:
        """Groups elements into windows, each a dataset (a nest of datasets for nested elements).

        Window `i` starts at input element `i * shift` and holds `size` elements
        taken every `stride` elements. Flatten windows into batches with
        `flat_map(lambda w: w.batch(size))`.

        Args:
            size: elements per window.
            shift: input elements between window starts (default `size`).
            stride: input elements between a window's elements (default 1).
            drop_remainder: drop windows with fewer than `size` elements at the end.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset` of windows.

        Example:
        >>> ds = tf.data.Dataset.range(5).window(3, shift=1, drop_remainder=True)
        >>> [b.tolist() for b in ds.flat_map(lambda w: w.batch(3))]
        [[0, 1, 2], [1, 2, 3], [2, 3, 4]]
        """
        from tork.data._windowing import _WindowDataset

        return _WindowDataset(self, size, shift, stride, drop_remainder)

    def rebatch(
        self, batch_sizes, drop_remainder: bool = False, name: str | None = None
    ) -> Dataset:
        """Re-splits batched elements into batches of `batch_sizes` (cycled if a list).

        Rows flow across input batches: `range(10).batch(3).rebatch(4)` gives
        batches of 4, 4 and 2 rows.

        Args:
            batch_sizes: the new batch size, or a list of sizes used in turn.
            drop_remainder: drop a final batch smaller than its size.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset` of batches.

        Example:
        >>> [b.tolist() for b in tf.data.Dataset.range(8).batch(4).rebatch([1, 3])]
        [[0], [1, 2, 3], [4], [5, 6, 7]]
        """
        from tork.data._windowing import _RebatchDataset

        return _RebatchDataset(self, batch_sizes, drop_remainder)

    def scan(self, initial_state, scan_func: Callable, name: str | None = None) -> Dataset:
        """Maps elements with a running state: `(state, element) -> (new_state, output)`.

        Args:
            initial_state: the starting state (a tensor, value or nest).
            scan_func: takes the state and the element (one argument, even for
                tuples) and returns the new state (same structure and dtypes)
                and the output element.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset` of the outputs.

        Example:
        >>> ds = tf.data.Dataset.range(5).scan(np.int64(0), lambda s, x: (s + x, s + x))
        >>> list(ds.as_numpy_iterator())
        [0, 1, 3, 6, 10]
        """
        return _transforms._ScanDataset(self, initial_state, scan_func)

    def unique(self, name: str | None = None) -> Dataset:
        """Drops elements seen before (int32, int64 or string elements of one component).

        Returns:
            A `Dataset` keeping the first occurrence of each value, in order.

        Example:
        >>> list(tf.data.Dataset.from_tensor_slices([1, 3, 1, 2]).unique().as_numpy_iterator())
        [1, 3, 2]
        """
        return _transforms._UniqueDataset(self)

    def rejection_resample(
        self,
        class_func: Callable,
        target_dist,
        initial_dist=None,
        seed: int | None = None,
        name: str | None = None,
    ) -> Dataset:
        """Resamples elements so that their classes follow `target_dist`.

        Each output element is a `(class, element)` pair. Elements may be rejected or
        repeated (the output can be longer than the input), as in tf.data.

        Args:
            class_func: element (tuples spread as arguments) -> scalar integer class in
                `[0, num_classes)`.
            target_dist: the wanted class probabilities, shape `[num_classes]`.
            initial_dist: the input's class probabilities; by default estimated while
                streaming.
            seed: optional seed of the random choices.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset` of `(class, element)` pairs.

        Example:
        >>> ds = tf.data.Dataset.from_tensor_slices([0, 0, 0, 1] * 250)
        >>> ds = ds.rejection_resample(lambda x: x, [0.5, 0.5], initial_dist=[0.75, 0.25])
        >>> ds = ds.map(lambda class_value, element: element)
        """
        from tork.data._resampling import _RejectionResampleDataset

        return _RejectionResampleDataset(self, class_func, target_dist, initial_dist, seed)

    def group_by_window(
        self,
        key_func: Callable,
        reduce_func: Callable,
        window_size: int | None = None,
        window_size_func: Callable | None = None,
        name: str | None = None,
    ) -> Dataset:
        """Groups elements by key into windows and reduces each window to a dataset.

        A window is reduced as soon as it is full; at the end, the unfinished
        windows are reduced in increasing key order.

        Args:
            key_func: element -> int64 scalar key.
            reduce_func: `(key, window_dataset) -> Dataset`.
            window_size: elements per window, or
            window_size_func: key -> window size.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset` of the reduced windows' elements.

        Example:
        >>> ds = tf.data.Dataset.range(6).group_by_window(
        ...     lambda x: x % 2, lambda key, w: w.batch(3), window_size=3)
        >>> [b.tolist() for b in ds]
        [[0, 2, 4], [1, 3, 5]]
        """
        from tork.data._windowing import _GroupByWindowDataset

        return _GroupByWindowDataset(self, key_func, reduce_func, window_size, window_size_func)

    def bucket_by_sequence_length(
        self,
        element_length_func: Callable,
        bucket_boundaries,
        bucket_batch_sizes,
        padded_shapes=None,
        padding_values=None,
        pad_to_bucket_boundary: bool = False,
        no_padding: bool = False,
        drop_remainder: bool = False,
        name: str | None = None,
    ) -> Dataset:
        """Batches elements of similar length together, padding each batch.

        An element of length `L` goes to bucket `i`, the number of boundaries
        `<= L`; bucket `i` emits a padded batch of `bucket_batch_sizes[i]`
        elements when full, and the unfinished buckets at the end.

        Args:
            element_length_func: element -> int scalar length.
            bucket_boundaries: increasing upper length boundaries.
            bucket_batch_sizes: one batch size per bucket
                (`len(bucket_boundaries) + 1`).
            padded_shapes: as in `padded_batch`.
            padding_values: as in `padded_batch`.
            pad_to_bucket_boundary: pad unknown dimensions to the bucket's
                boundary minus 1 (elements must be shorter than the largest
                boundary).
            no_padding: batch with `batch` instead of `padded_batch`.
            drop_remainder: drop batches smaller than their bucket's size.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset` of batches.

        Example:
        >>> ds = tf.data.Dataset.range(1, 5).map(lambda n: tf.fill([n], n))
        >>> ds = ds.bucket_by_sequence_length(lambda x: tf.shape(x)[0], [3], [2, 2])
        >>> [b.tolist() for b in ds]
        [[[1, 0], [2, 2]], [[3, 3, 3, 0], [4, 4, 4, 4]]]
        """
        from tork.data._windowing import bucket_by_sequence_length

        return bucket_by_sequence_length(
            self,
            element_length_func,
            bucket_boundaries,
            bucket_batch_sizes,
            padded_shapes,
            padding_values,
            pad_to_bucket_boundary,
            no_padding,
            drop_remainder,
        )

    def ignore_errors(self, log_warning: bool = False, name: str | None = None) -> Dataset:
        """Drops the elements whose computation raised an error.

        Errors raised by `map`, `filter` and `scan` functions skip that element;
        an error from a source (a generator, a file) ends the dataset, since a
        failed source cannot resume.

        Args:
            log_warning: warn about each skipped element.
            name: unused, for TensorFlow compatibility.

        Returns:
            A `Dataset` of unknown cardinality.

        Example:
        >>> ds = tf.data.Dataset.from_tensor_slices([1.0, 0.0, 2.0])
        >>> ds = ds.map(lambda x: tf.debugging.check_numerics(1 / x, "inf")).ignore_errors()
        >>> list(ds.as_numpy_iterator())
        [1.0, 0.5]
        """
        return _transforms._IgnoreErrorsDataset(self, log_warning)

    # --- consumers -----------------------------------------------------------

    def reduce(self, initial_state, reduce_func: Callable, name: str | None = None):
        """Folds the dataset into one value: `state = reduce_func(state, element)`.

        Args:
            initial_state: the starting state (a tensor, value or nest).
            reduce_func: `(state, element) -> new state`, same structure.
            name: unused, for TensorFlow compatibility.

        Returns:
            The final state.

        Example:
        >>> int(tf.data.Dataset.range(5).reduce(np.int64(0), lambda s, x: s + x))
        10
        """
        _check_dataset(self, "Dataset.reduce")
        state = nest.normalize_output(initial_state, "Dataset.reduce")
        for element in self._elements():
            state = nest.normalize_output(reduce_func(state, element), "Dataset.reduce")
        return state

    def get_single_element(self, name: str | None = None):
        """Returns the only element of a one-element dataset.

        Raises:
            InvalidArgumentError: (a `ValueError`) if the dataset is empty or has more
                than one element.

        Example:
        >>> int(tf.data.Dataset.from_tensors(7).get_single_element())
        7
        """
        _check_dataset(self, "Dataset.get_single_element")
        iterator = self._elements()
        first = next(iterator, _MISSING)
        if first is _MISSING:
            raise InvalidArgumentError("Dataset.get_single_element: the dataset is empty.")
        if next(iterator, _MISSING) is not _MISSING:
            raise InvalidArgumentError(
                "Dataset.get_single_element: the dataset has more than one element."
            )
        return first


_MISSING = object()


class _NumpyIterator:
    """The iterator `Dataset.as_numpy_iterator()` returns.

    A plain generator lacks the `next()` method TensorFlow's iterator has, which tutorials
    call (`test_dataset.as_numpy_iterator().next()`).
    """

    def __init__(self, elements: _PyIterator):
        self._elements = elements

    def __iter__(self) -> _NumpyIterator:
        return self

    def __next__(self):
        return next(self._elements)

    def next(self):
        """Returns the next element as NumPy values (raises `StopIteration` at the end)."""
        return next(self._elements)


class Iterator:
    """An iterator over a dataset's elements, as returned by `iter(dataset)`.

    Args:
        dataset: the `Dataset` to iterate.

    Example:
    >>> it = iter(tf.data.Dataset.range(3))
    >>> int(next(it)), int(it.get_next())
    (0, 1)
    """

    # A `tf.train.Checkpoint` holds an iterator as a node with one child, its position
    # (`ITERATOR_STATE`: how many elements it has produced), like a nested Checkpoint.
    _tork_is_checkpoint = True
    _root = None
    _save_counter = None

    def __init__(self, dataset: Dataset):
        self._dataset = dataset
        self._iterator = dataset._elements()
        self._consumed = 0
        # Created only when a checkpoint walks this iterator, so plain iteration pays nothing.
        # `_written` is the position last put into `_state`: a different value there means
        # a checkpoint restored it.
        self._state = None
        self._written = 0

    def _restored_position(self):
        if self._state is None:
            return None
        position = int(self._state)
        return None if position == self._written else position

    @property
    def _children(self) -> dict:
        if self._state is None:
            self._state = torch.zeros((), dtype=torch.int64)
        if self._restored_position() is None:
            self._state.fill_(self._consumed)
            self._written = self._consumed
        return {"ITERATOR_STATE": self._state}

    def _next(self):
        target = self._restored_position()
        if target is not None:
            # A checkpoint restored another position: start over and skip to it. A shuffled
            # dataset without a seed gives a new order, where TensorFlow restores its buffer.
            self._written = target
            self._iterator = self._dataset._elements()
            self._consumed = 0
            for _ in range(target):
                next(self._iterator)
                self._consumed += 1
        element = next(self._iterator)
        self._consumed += 1
        return element

    def __iter__(self) -> Iterator:
        return self

    def __next__(self):
        return self._next()

    def get_next(self):
        """Returns the next element.

        Raises:
            tf.errors.OutOfRangeError: at the end of the dataset, as in TensorFlow
                (`next(iterator)` raises `StopIteration` instead).
        """
        try:
            return self._next()
        except StopIteration:
            raise OutOfRangeError("End of sequence (Iterator.get_next).") from None

    def get_next_as_optional(self) -> IteratorOptional:
        """Returns the next element wrapped in an optional, empty at the end of the dataset.

        Example:
        >>> it = iter(tf.data.Dataset.range(1))
        >>> bool(it.get_next_as_optional().has_value()), bool(it.get_next_as_optional().has_value())
        (True, False)
        """
        try:
            return IteratorOptional(self._next(), self._dataset.element_spec)
        except StopIteration:
            return IteratorOptional(_MISSING, self._dataset.element_spec)

    @property
    def element_spec(self):
        """The element_spec of the dataset being iterated."""
        return self._dataset.element_spec


class IteratorOptional:
    """An element that may be missing (`tf.experimental.Optional`), from `get_next_as_optional`.

    Args:
        value: the element, or nothing at the end of the dataset.
        element_spec: the structure of `TensorSpec`s the element has.
    """

    def __init__(self, value, element_spec):
        self._value = value
        self._element_spec = element_spec

    def has_value(self) -> torch.Tensor:
        """A scalar bool tensor: True when the optional holds an element."""
        return torch.tensor(self._value is not _MISSING)

    def get_value(self):
        """Returns the element.

        Raises:
            tf.errors.InvalidArgumentError: if the optional is empty.
        """
        if self._value is _MISSING:
            raise InvalidArgumentError(
                "The optional has no value (the iterator reached the end of the dataset); "
                "check has_value() first."
            )
        return self._value

    @property
    def element_spec(self):
        """The structure of `TensorSpec`s of the element."""
        return self._element_spec


class _SliceSource:
    """What a training loop needs to batch an in-memory dataset itself.

    Returned by `Dataset._tork_slices()`. Unpacks as
    `(columns, batch_size, shuffle, drop_remainder)`:

    - `columns`: the element structure with, in place of each component, the
      whole column tensor of shape `(num_rows, ...)`.
    - `batch_size`: the batch size, or None when the dataset is not batched.
    - `shuffle`: False when rows come in stored order; True when `order()`
      must be called each epoch.
    - `drop_remainder`: whether a final partial batch is dropped.

    `order()` starts one epoch (advancing the dataset's shuffle state exactly
    as iterating it would) and returns the row ids for that epoch as a 1-D
    int64 tensor on the columns' device, or None when `shuffle` is False.
    """

    def __init__(self, rows: _rows.Rows, batch_size: int | None, drop_remainder: bool):
        columns = rows.columns
        if rows.identity and rows.length != rows.num_rows:
            columns = [c[: rows.length] for c in columns]
        self.columns = nest.pack(rows.structure, columns)
        self.batch_size = batch_size
        self.shuffle = not rows.identity
        self.drop_remainder = bool(drop_remainder)
        self.num_rows = rows.length
        self._source = rows

    def order(self) -> torch.Tensor | None:
        if not self.shuffle:
            return None
        index = _rows.all_indices(self._source)
        device = self._source.columns[0].device if self._source.columns else index.device
        return index.to(device)

    def __iter__(self):
        return iter((self.columns, self.batch_size, self.shuffle, self.drop_remainder))

    def __repr__(self) -> str:
        return (
            f"_SliceSource(num_rows={self.num_rows}, batch_size={self.batch_size}, "
            f"shuffle={self.shuffle}, drop_remainder={self.drop_remainder})"
        )


def _slice_source(rows, batch_size: int | None, drop_remainder: bool) -> _SliceSource | None:
    """The `_tork_slices` answer for finite row sources of tensors (None otherwise).

    String columns are left to plain iteration: the training loops gather torch tensors.
    """
    if rows is None or rows.length == _rows.INFINITE:
        return None
    if batch_size is None and rows.whole_elements:
        # `Dataset.from_tensors((x, y)).repeat(3)`: each element is a whole batch
        # (full-batch training), which plain iteration hands to the loops as it is.
        return None
    if any(isinstance(c, (np.ndarray, *_composite.COMPOSITES)) for c in rows.columns):
        return None
    return _SliceSource(rows, batch_size, drop_remainder)


def _to_component(value, where: str) -> torch.Tensor:
    if _composite.is_composite(value):  # RaggedTensor / SparseTensor components
        return value
    tensor = convert_to_tensor(value)
    if isinstance(tensor, np.ndarray):  # a string tensor (see tork/_backend/string_tensor.py)
        return tensor
    if isinstance(tensor, torch.nn.Parameter):
        # A variable's value now, as tf.data takes it: later assigns and training steps
        # do not change the dataset's elements.
        return tensor.detach().clone()
    # No gradient history into the graph that made the tensor.
    return tensor.detach() if tensor.requires_grad else tensor


# The subclasses need `Dataset`, so they are imported after it is defined.
from tork.data import _persist, _sources, _transforms  # noqa: E402
