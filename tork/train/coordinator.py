"""`tf.train.Coordinator`: stops a group of Python threads together and reports their errors."""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time

from tork._backend.errors import OutOfRangeError


class Coordinator:
    """Coordinates the termination of a set of threads, as `tf.train.Coordinator`.

    Threads loop `while not coord.should_stop()`; any of them (or the main
    thread) calls `request_stop()` to end the loop, and `join(threads)` waits for
    them. An exception passed to `request_stop` (or raised inside
    `with coord.stop_on_exception():`) stops every thread and is re-raised by
    `join`, except the "clean stop" types (by default `tf.errors.OutOfRangeError`,
    the end of an input).

    Args:
        clean_stop_exception_types: exception types that stop the threads without
            being re-raised (default `(tf.errors.OutOfRangeError,)`).

    Example:
    >>> coord = tf.train.Coordinator()
    >>> threads = [threading.Thread(target=work, args=(coord,)) for _ in range(4)]  # doctest: +SKIP
    >>> for t in threads: t.start()
    >>> coord.join(threads)
    """

    def __init__(self, clean_stop_exception_types=None):
        if clean_stop_exception_types is None:
            clean_stop_exception_types = (OutOfRangeError,)
        self._clean_stop_exception_types = tuple(clean_stop_exception_types)
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info = None
        self._joined = False
        self._registered_threads: set = set()

    def _as_exc_info(self, ex):
        if ex is None:
            return None
        if isinstance(ex, tuple):
            exc_type, value, tb = ex
        else:
            exc_type, value, tb = type(ex), ex, ex.__traceback__
        if isinstance(value, self._clean_stop_exception_types):
            return None
        return (exc_type, value, tb)

    def request_stop(self, ex=None) -> None:
        """Asks every thread to stop; `ex` (an exception or `sys.exc_info()` tuple) is kept
        for `join` to re-raise, unless it is a clean-stop type or one was kept already."""
        with self._lock:
            exc_info = self._as_exc_info(ex)
            if self._stop_event.is_set():
                if exc_info is not None and self._exc_info is None and not self._joined:
                    # A stop was requested already; TensorFlow keeps only the first error.
                    logging.getLogger("tensorflow").info(
                        "Ignoring an exception raised after a stop was requested: %s", exc_info[1]
                    )
                return
            self._exc_info = exc_info
            self._stop_event.set()

    def clear_stop(self) -> None:
        """Forgets the stop request and its exception, so the threads can run again."""
        with self._lock:
            self._joined = False
            self._exc_info = None
            self._stop_event.clear()

    def should_stop(self) -> bool:
        """True once a stop was requested."""
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self):
        """A context manager that turns an exception raised inside it into `request_stop(ex)`."""
        try:
            yield
        except BaseException:  # noqa: BLE001 - every error stops the threads, as in TensorFlow
            self.request_stop(sys.exc_info())

    def wait_for_stop(self, timeout: float | None = None) -> bool:
        """Waits (up to `timeout` seconds) for a stop request; True when one was made."""
        return self._stop_event.wait(timeout)

    def register_thread(self, thread: threading.Thread) -> None:
        """Adds a thread that `join` waits for even when not passed to it."""
        with self._lock:
            self._registered_threads.add(thread)

    def join(
        self, threads=None, stop_grace_period_secs: float = 120, ignore_live_threads: bool = False
    ) -> None:
        """Waits until the threads end or a stop is requested, then gives them a grace period.

        Args:
            threads: the threads to wait for, besides the registered ones.
            stop_grace_period_secs: how long threads may run after a stop request.
            ignore_live_threads: when True, threads still running after the grace
                period are logged instead of raising.

        Raises:
            The exception given to `request_stop` (the first one), if any.
            RuntimeError: threads were still running after the grace period.
        """
        with self._lock:
            threads = list(self._registered_threads) + [
                t for t in (threads or []) if t not in self._registered_threads
            ]
        while any(t.is_alive() for t in threads) and not self.wait_for_stop(0.05):
            pass
        deadline = time.time() + stop_grace_period_secs
        delay = 0.001
        while any(t.is_alive() for t in threads) and time.time() < deadline:
            time.sleep(delay)
            delay = min(delay * 2, 1.0, max(deadline - time.time(), 0.0))
        stragglers = [t.name for t in threads if t.is_alive()]
        with self._lock:
            self._joined = True
            self._registered_threads = set()
            if self._exc_info is not None:
                raise self._exc_info[1].with_traceback(self._exc_info[2])
        if stragglers:
            message = "Coordinator stopped with threads still running: " + " ".join(stragglers)
            if not ignore_live_threads:
                raise RuntimeError(message)
            logging.getLogger("tensorflow").info(message)

    @property
    def joined(self) -> bool:
        """True once `join` has returned (or raised)."""
        return self._joined

    def raise_requested_exception(self) -> None:
        """Raises the exception given to `request_stop`, if any."""
        with self._lock:
            if self._exc_info is not None:
                raise self._exc_info[1].with_traceback(self._exc_info[2])
