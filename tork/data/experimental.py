"""`tf.data.experimental`: constants and helpers kept for TF 2.x code."""

from __future__ import annotations

from collections.abc import Callable

import torch

from tork._backend.errors import module_getattr
from tork.data.dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset
from tork.data.options import (
    AutoShardPolicy,
    AutotuneOptions,
    DistributeOptions,
    ExternalStatePolicy,
    OptimizationOptions,
    ThreadingOptions,
)

__all__ = [
    "AUTOTUNE",
    "INFINITE_CARDINALITY",
    "UNKNOWN_CARDINALITY",
    "AutoShardPolicy",
    "AutotuneOptions",
    "DistributeOptions",
    "ExternalStatePolicy",
    "OptimizationOptions",
    "ThreadingOptions",
    "Counter",
    "assert_cardinality",
    "bucket_by_sequence_length",
    "cardinality",
    "choose_from_datasets",
    "enable_debug_mode",
    "group_by_window",
    "ignore_errors",
    "load",
    "sample_from_datasets",
    "save",
    "scan",
    "snapshot",
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


def Counter(start=0, step=1, dtype=torch.int64) -> Dataset:  # noqa: N802 (TensorFlow's name)
    """An infinite dataset counting from `start` by `step` (`Dataset.counter`)."""
    return Dataset.counter(start, step, dtype)


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


def enable_debug_mode() -> None:
    """Accepted for compatibility: tork pipelines already run eagerly, in order."""


__getattr__ = module_getattr("tf.data.experimental")
