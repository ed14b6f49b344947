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
    "assert_cardinality",
    "cardinality",
    "choose_from_datasets",
    "enable_debug_mode",
    "sample_from_datasets",
]

# TensorFlow 2.x kept these under tf.data.experimental before they became Dataset methods.
sample_from_datasets = Dataset.sample_from_datasets
choose_from_datasets = Dataset.choose_from_datasets


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
