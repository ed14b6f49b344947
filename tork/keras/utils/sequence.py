"""`keras.utils.PyDataset` (and Keras 2's `Sequence`): batches served by index."""

from __future__ import annotations


class PyDataset:
    """Base class for datasets that return whole batches by index.

    Subclass it and implement `__len__` (the number of batches) and
    `__getitem__(index)` (returning `x`, `(x, y)` or `(x, y, sample_weight)`).
    `on_epoch_end` runs after each epoch (e.g. to reshuffle).

    Args:
        workers: accepted for compatibility; batches load in the main process.
        use_multiprocessing: accepted for compatibility.
        max_queue_size: accepted for compatibility.

    Example:
    >>> class Batches(keras.utils.PyDataset):
    ...     def __init__(self, x, y, batch_size):
    ...         super().__init__()
    ...         self.x, self.y, self.batch_size = x, y, batch_size
    ...     def __len__(self):
    ...         return -(-len(self.x) // self.batch_size)
    ...     def __getitem__(self, i):
    ...         s = slice(i * self.batch_size, (i + 1) * self.batch_size)
    ...         return self.x[s], self.y[s]
    """

    def __init__(
        self, workers: int = 1, use_multiprocessing: bool = False, max_queue_size: int = 10
    ):
        self.workers = workers
        self.use_multiprocessing = use_multiprocessing
        self.max_queue_size = max_queue_size

    def __len__(self) -> int:
        raise NotImplementedError(
            f"{type(self).__name__} must implement __len__ (number of batches)."
        )

    def __getitem__(self, index: int):
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__(index).")

    def on_epoch_end(self) -> None:
        """Called at the end of every epoch."""

    @property
    def num_batches(self) -> int:
        """The number of batches: `len(self)`, unless a subclass assigned its own value."""
        stored = self.__dict__.get("_tork_num_batches")
        return len(self) if stored is None else stored

    @num_batches.setter
    def num_batches(self, value) -> None:
        # Keras 2's `Sequence` has no such property, so subclasses written for it (the
        # keras.io metric-learning example) assign `self.num_batches` in `__init__`.
        self.__dict__["_tork_num_batches"] = value


Sequence = PyDataset
