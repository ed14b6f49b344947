"""`keras.utils.OrderedEnqueuer`: Keras 2's background loader of a `Sequence`'s batches.

Keras 2 training scripts that run their own loops (GAN training with `train_on_batch`,
Faster R-CNN's two-stage steps) load batches with
`OrderedEnqueuer(sequence, use_multiprocessing=False, shuffle=True)`, `start(workers=...,
max_queue_size=...)` and an endless `get()` generator, epoch after epoch. tork's loader
reads the batches in worker threads (the `Sequence` runs in this process; with
`use_multiprocessing=True` too, where Keras 2 used processes) and hands them out in order.
"""

from __future__ import annotations

import queue
import random
import threading
from concurrent.futures import ThreadPoolExecutor


class SequenceEnqueuer:
    """Base class of the enqueuers: serves a `Sequence`'s batches from a queue.

    Args:
        sequence: a `keras.utils.Sequence` (or `PyDataset`): `len()` batches, `[i]` the
            i-th batch, `on_epoch_end()` after each epoch.
        use_multiprocessing: Keras 2 loaded batches in processes when True; tork reads
            them in threads either way.
    """

    def __init__(self, sequence, use_multiprocessing: bool = False):
        if not (hasattr(sequence, "__len__") and hasattr(sequence, "__getitem__")):
            raise TypeError(
                f"{type(self).__name__} needs a keras.utils.Sequence (with __len__ and "
                f"__getitem__), got {type(sequence).__name__}. Wrap a Python generator in "
                "a Sequence, or pass it to fit() directly."
            )
        self.sequence = sequence
        self.use_multiprocessing = use_multiprocessing
        self.workers = 0
        self.queue: queue.Queue | None = None
        self.stop_signal: threading.Event | None = None
        self.run_thread: threading.Thread | None = None
        self._executor: ThreadPoolExecutor | None = None

    def is_running(self) -> bool:
        """Whether `start` was called and `stop` was not."""
        return self.stop_signal is not None and not self.stop_signal.is_set()

    def start(self, workers: int = 1, max_queue_size: int = 10) -> None:
        """Starts loading batches in the background.

        Args:
            workers: the number of threads reading batches (at least one runs).
            max_queue_size: the most batches loaded ahead of `get()`.
        """
        self.workers = max(int(workers), 1)
        self.queue = queue.Queue(max(int(max_queue_size), 1))
        self.stop_signal = threading.Event()
        self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="tork-enqueuer")
        self.run_thread = threading.Thread(target=self._run, daemon=True)
        self.run_thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Stops the loading thread and the workers (batches still queued are dropped).

        Args:
            timeout: seconds to wait for the loading thread to end.
        """
        if self.stop_signal is None:
            return
        self.stop_signal.set()
        if self.queue is not None:
            while True:
                try:
                    self.queue.get_nowait().cancel()
                except queue.Empty:
                    break
        if self.run_thread is not None:
            self.run_thread.join(timeout)
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self.run_thread = None

    def __del__(self):
        # `getattr`: an enqueuer whose __init__ refused its sequence has no stop signal.
        if getattr(self, "stop_signal", None) is not None and self.is_running():
            self.stop()

    def _put(self, future) -> bool:
        """Queues `future`, waiting for room; False once `stop` was called."""
        while not self.stop_signal.is_set():
            try:
                self.queue.put(future, timeout=0.1)
                return True
            except queue.Full:
                continue
        future.cancel()
        return False

    def _run(self) -> None:
        raise NotImplementedError

    def get(self):
        """An endless generator of the batches, in order: `next(enqueuer.get())`.

        An error raised by the `Sequence` stops the enqueuer and is raised here.
        """
        while self.is_running():
            try:
                future = self.queue.get(timeout=0.1)
            except queue.Empty:
                continue
            try:
                inputs = future.result()
            except BaseException:
                self.stop()
                raise
            finally:
                self.queue.task_done()
            if inputs is not None:
                yield inputs


class OrderedEnqueuer(SequenceEnqueuer):
    """Loads a `Sequence`'s batches in the background and serves them in order.

    Args:
        sequence: a `keras.utils.Sequence`.
        use_multiprocessing: accepted (Keras 2 used processes; tork uses threads).
        shuffle: visit the batch indices in a new random order every epoch.

    Example:
    >>> enqueuer = keras.utils.OrderedEnqueuer(sequence, shuffle=True)  # doctest: +SKIP
    >>> enqueuer.start(workers=2, max_queue_size=10)  # doctest: +SKIP
    >>> x, y = next(enqueuer.get())  # doctest: +SKIP
    """

    def __init__(self, sequence, use_multiprocessing: bool = False, shuffle: bool = False):
        super().__init__(sequence, use_multiprocessing)
        self.shuffle = shuffle

    def _run(self) -> None:
        while not self.stop_signal.is_set():
            indices = list(range(len(self.sequence)))
            if self.shuffle:
                random.shuffle(indices)
            for i in indices:
                try:
                    future = self._executor.submit(self.sequence.__getitem__, i)
                except RuntimeError:  # the executor was shut down by stop()
                    return
                if not self._put(future):
                    return
            # As in Keras 2: the epoch's batches are all handed out before
            # `on_epoch_end` (which often reshuffles the sequence's samples) runs.
            while self.queue.unfinished_tasks and not self.stop_signal.is_set():
                self.stop_signal.wait(0.01)
            if self.stop_signal.is_set():
                return
            self.sequence.on_epoch_end()
