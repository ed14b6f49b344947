"""`keras.utils.split_dataset`: splits arrays or a dataset into two `tf.data.Dataset`s."""

from __future__ import annotations

import numbers
import random

import numpy as np
import torch

from tork.data import _structure as nest
from tork.data.dataset import INFINITE_CARDINALITY, Dataset


def _is_array(value) -> bool:
    return isinstance(value, (np.ndarray, torch.Tensor))


def _array_columns(dataset) -> tuple[object, list, int]:
    """(structure, columns, length) of an array or a tuple/list/dict of arrays."""
    if _is_array(dataset):
        columns, structure = [dataset], None
    else:
        if isinstance(dataset, list):
            # Keras zips the arrays of a list: the elements become tuples.
            dataset = tuple(dataset)
        leaves = nest.flatten(dataset)
        if not leaves:
            raise ValueError(
                "split_dataset received an empty list/tuple dataset. Provide a non-empty "
                "list or tuple of arrays."
            )
        for leaf in leaves:
            if not _is_array(leaf):
                raise ValueError(
                    "split_dataset expects a list/tuple of `numpy.ndarray` objects (or tensors); "
                    f"received an element of type {type(leaf).__name__}. Wrap Python lists "
                    "with np.asarray."
                )
        columns, structure = leaves, dataset
    for index, column in enumerate(columns):
        if column.ndim == 0:
            raise ValueError(
                f"split_dataset splits along the first axis, but array {index} is a scalar."
            )
    length = int(columns[0].shape[0])
    for index, column in enumerate(columns):
        if int(column.shape[0]) != length:
            raise ValueError(
                "split_dataset received arrays of different lengths: array 0 has "
                f"{length} samples (shape {tuple(columns[0].shape)}) but array {index} has "
                f"{int(column.shape[0])} (shape {tuple(column.shape)}). Give every array the "
                "same number of samples."
            )
    return structure, columns, length


def _stack(values: list):
    if all(isinstance(v, torch.Tensor) for v in values):
        try:
            return torch.stack(values)
        except RuntimeError as err:
            shapes = sorted({tuple(v.shape) for v in values})
            raise ValueError(
                "split_dataset needs elements of one shape to stack them into arrays; found "
                f"shapes {shapes[:4]}. Pad or resize the elements first."
            ) from err
    return np.asarray(values)


def _element_columns(elements: list) -> tuple[object, list, int]:
    """(structure, columns, length) from a list of dataset elements."""
    if not elements:
        raise ValueError("split_dataset received an empty dataset. Provide a non-empty dataset.")
    first = elements[0]
    structure = first if nest.is_nested(first) else None
    flat = [nest.flatten(e) for e in elements]
    columns = [_stack([row[i] for row in flat]) for i in range(len(flat[0]))]
    return structure, columns, len(elements)


def _dataset_columns(dataset: Dataset) -> tuple[object, list, int, int | None]:
    if int(dataset.cardinality()) == INFINITE_CARDINALITY:
        raise ValueError(
            "split_dataset cannot split an infinite dataset (e.g. one ending in .repeat()). "
            "Split the finite dataset first, then repeat each half."
        )
    # As Keras: a dataset whose last step is .batch() is split by samples, not batches,
    # and both halves are batched again with its batch size.
    batch_size = getattr(dataset, "_batch_size", None)
    if batch_size is not None:
        dataset = dataset.unbatch()
    return (*_element_columns(list(dataset)), batch_size)


def _check_size(size, side: str) -> None:
    if size is None:
        return
    if isinstance(size, bool) or not isinstance(size, numbers.Real):
        raise TypeError(
            f"Invalid `{side}_size` type. Expected an int, a float or None; received "
            f"type({side}_size)={type(size).__name__}."
        )


def _split_sizes(left_size, right_size, total: int) -> tuple[int, int]:
    """Keras's rules: floats are fractions in (0, 1), ints counts in (0, total)."""
    _check_size(left_size, "left")
    _check_size(right_size, "right")
    if left_size == 0 and right_size == 0:
        raise ValueError(
            "Both `left_size` and `right_size` are zero. At least one of the split sizes must "
            "be non-zero."
        )
    sizes = {}
    for side, size in (("left", left_size), ("right", right_size)):
        if size is None:
            sizes[side] = None
            continue
        integral = isinstance(size, numbers.Integral)
        if (integral and not 0 < size < total) or (not integral and not 0 < size < 1):
            raise ValueError(
                f"`{side}_size` should be either a positive integer smaller than {total} (the "
                f"number of samples), or a float within the range (0, 1). Received: "
                f"{side}_size={size!r}"
            )
        sizes[side] = int(size) if integral else round(float(size) * total)
    floats = [s for s in (left_size, right_size) if s is not None]
    if len(floats) == 2 and not any(isinstance(s, numbers.Integral) for s in floats):
        if left_size + right_size > 1:
            raise ValueError(
                "The sum of `left_size` and `right_size` is greater than 1 "
                f"({left_size} + {right_size}). It must be less than or equal to 1."
            )
    left, right = sizes["left"], sizes["right"]
    if left is None:
        left = total - right
    elif right is None:
        right = total - left
    if left + right > total:
        raise ValueError(
            f"The sum of `left_size` and `right_size` should not exceed {total}, the number of "
            f"samples. Received: left_size + right_size = {left + right}."
        )
    for side, size in (("left", left), ("right", right)):
        if size == 0:
            raise ValueError(
                f"With a dataset of {total} samples, left_size={left_size!r} and "
                f"right_size={right_size!r}, the {side} split would be empty. Adjust the "
                "sizes."
            )
    return left, right


def _take(column, index: np.ndarray):
    if isinstance(column, torch.Tensor):
        return column[torch.from_numpy(index).to(column.device)]
    return column[index]


def _pack(structure, columns: list):
    return columns[0] if structure is None else nest.pack(structure, columns)


def split_dataset(
    dataset, left_size=None, right_size=None, shuffle: bool = False, seed: int | None = None
) -> tuple[Dataset, Dataset]:
    """Splits a dataset into a left half and a right half (e.g. train / test).

    The left split takes the first `left_size` samples and the right split
    the last `right_size` ones (after shuffling, if asked), so with sizes
    summing to less than the whole, the samples in between are dropped.

    Args:
        dataset: a NumPy array or tensor, a list/tuple (or dict) of arrays with
            the same first dimension, a `tf.data.Dataset` (a batched one is
            split by samples), or a `torch.utils.data.Dataset` with `len()`.
        left_size: a float in (0, 1), the fraction of samples in the left
            split; an int, their number; None for the complement of
            `right_size`.
        right_size: the same for the right split; None for the complement of
            `left_size`.
        shuffle: whether to shuffle the samples before splitting.
        seed: the shuffling seed; None draws one from Python's global `random`
            state (so `random.seed` or `keras.utils.set_random_seed` makes the
            split reproducible).

    Returns:
        A tuple of two `tf.data.Dataset`s: the left and right splits, batched
        with the input's batch size when the input is a batched dataset.

    Example:
    >>> data = np.random.random(size=(1000, 4))
    >>> left_ds, right_ds = keras.utils.split_dataset(data, left_size=0.8)
    >>> int(left_ds.cardinality()), int(right_ds.cardinality())
    (800, 200)
    """
    if left_size is None and right_size is None:
        raise ValueError(
            "At least one of `left_size` or `right_size` must be specified. Received: "
            "left_size=None and right_size=None"
        )
    batch_size = None
    if isinstance(dataset, Dataset):
        structure, columns, total, batch_size = _dataset_columns(dataset)
    elif _is_array(dataset) or isinstance(dataset, (list, tuple, dict)):
        structure, columns, total = _array_columns(dataset)
    elif isinstance(dataset, torch.utils.data.Dataset) and hasattr(dataset, "__len__"):
        structure, columns, total = _element_columns([dataset[i] for i in range(len(dataset))])
    else:
        raise TypeError(
            "The `dataset` argument must be a `tf.data.Dataset`, a `torch.utils.data.Dataset` "
            "or a NumPy array or list/tuple of arrays. Received: dataset of type "
            f"{type(dataset).__name__}."
        )
    left, right = _split_sizes(left_size, right_size, total)
    if shuffle:
        if seed is None:
            seed = random.randint(0, 1_000_000)
        # Keras shuffles the list of samples with Python's `random` seeded with `seed`;
        # shuffling 0..total-1 the same way gives the same permutation, so seeded splits
        # hold the same samples as in Keras.
        permutation = list(range(total))
        random.Random(seed).shuffle(permutation)
        order = np.asarray(permutation, dtype=np.int64)
    else:
        order = np.arange(total)
    halves = []
    for index in (order[:left], order[total - right :]):
        taken = [_take(column, index) for column in columns]
        half = Dataset.from_tensor_slices(_pack(structure, taken))
        halves.append(half if batch_size is None else half.batch(batch_size))
    return halves[0], halves[1]
