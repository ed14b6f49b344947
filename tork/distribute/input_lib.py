"""Distributed datasets: each replica's part of every global batch."""

from __future__ import annotations

import torch

from tork._backend.errors import OutOfRangeError
from tork._backend.tensor import convert_to_tensor


def _leaves(value, out: list) -> list:
    if isinstance(value, dict):
        for v in value.values():
            _leaves(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _leaves(v, out)
    elif value is not None:
        out.append(value)
    return out


def _slice_nest(value, start: int, stop: int, rows: int):
    if isinstance(value, dict):
        return type(value)((k, _slice_nest(v, start, stop, rows)) for k, v in value.items())
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(_slice_nest(v, start, stop, rows) for v in value))
    if isinstance(value, (list, tuple)):
        return type(value)(_slice_nest(v, start, stop, rows) for v in value)
    if value is None:
        return None
    tensor = value if isinstance(value, torch.Tensor) else convert_to_tensor(value)
    if tensor.ndim == 0 or tensor.shape[0] != rows:
        # Not a batch-major component (e.g. a per-batch constant): every replica keeps it.
        return tensor
    return tensor[start:stop]


def _replica_range(rows: int, rank: int, replicas: int) -> tuple:
    """Rows `[start, stop)` of a global batch for one replica, as even as possible."""
    q, r = divmod(rows, replicas)
    start = rank * q + min(rank, r)
    return start, start + q + (1 if rank < r else 0)


class DistributedDataset:
    """A dataset whose elements are this replica's part of each global batch.

    Made by `strategy.experimental_distribute_dataset` (which splits each
    global batch) or `strategy.distribute_datasets_from_function` (whose
    per-replica datasets are used as they are). Iterate it in a Python loop and
    pass each element to `strategy.run`.

    Example:
    >>> dist_ds = strategy.experimental_distribute_dataset(dataset.batch(64))
    >>> for x, y in dist_ds:
    ...     strategy.run(train_step, args=(x, y))
    """

    _tork_distributed_dataset = True

    def __init__(self, dataset, strategy, split: bool = True):
        self._dataset = dataset
        self._strategy = strategy
        self._split = bool(split)

    def _pieces(self):
        """Yields `(element, rows in the global batch or None)` for this replica."""
        replicas = self._strategy.num_replicas_in_sync
        rank = self._strategy._rank
        for element in self._dataset:
            if not self._split:
                yield element, None
                continue
            leaves = _leaves(element, [])
            tensors = [v if isinstance(v, torch.Tensor) else convert_to_tensor(v) for v in leaves]
            batched = [t for t in tensors if t.ndim > 0]
            if not batched:
                raise ValueError(
                    "experimental_distribute_dataset needs a batched dataset (each element's "
                    "tensors have a leading batch axis), but got an element of scalars. Batch "
                    "the dataset with the global batch size, e.g. dataset.batch(64)."
                )
            rows = int(batched[0].shape[0])
            start, stop = _replica_range(rows, rank, replicas)
            yield _slice_nest(element, start, stop, rows), rows

    def __iter__(self) -> DistributedIterator:
        return DistributedIterator(self)

    def __len__(self) -> int:
        return len(self._dataset)

    @property
    def element_spec(self):
        """The element spec of the underlying dataset (batch sizes are per replica)."""
        return getattr(self._dataset, "element_spec", None)

    def __repr__(self) -> str:
        return (
            f"DistributedDataset(num_replicas_in_sync={self._strategy.num_replicas_in_sync}, "
            f"split={self._split})"
        )


class DistributedIterator:
    """An iterator over a `DistributedDataset`, as returned by `iter(dist_dataset)`.

    Besides `next(iterator)`, it has TensorFlow's `get_next()` and
    `get_next_as_optional()`, used by training loops that run a fixed number
    of steps per epoch.

    Example:
    >>> iterator = iter(strategy.experimental_distribute_dataset(dataset))
    >>> strategy.run(train_step, args=(next(iterator),))
    """

    def __init__(self, dataset: DistributedDataset):
        self._dataset = dataset
        self._elements = (element for element, _ in dataset._pieces())

    def __iter__(self) -> DistributedIterator:
        return self

    def __next__(self):
        return next(self._elements)

    def get_next(self):
        """Returns this replica's next element.

        Raises:
            tf.errors.OutOfRangeError: at the end of the dataset, as in TensorFlow
                (`next(iterator)` raises `StopIteration` instead).
        """
        try:
            return next(self._elements)
        except StopIteration:
            raise OutOfRangeError("End of sequence (DistributedIterator.get_next).") from None

    def get_next_as_optional(self):
        """Returns the next element wrapped in an optional, empty at the end of the dataset."""
        from tork.data.dataset import _MISSING, IteratorOptional

        return IteratorOptional(next(self._elements, _MISSING), self.element_spec)

    @property
    def element_spec(self):
        """The element spec of the dataset being iterated."""
        return self._dataset.element_spec
