"""Keeping freed host memory for reuse while tork runs a training or inference loop.

A training step frees and reallocates the same large buffers (activations, gradients)
every step. With glibc's default settings the memory freed at the end of a step is
returned to the kernel (the top of the heap is trimmed, large blocks are unmapped), and
the next step's buffers fault every page in again: ~16,000 page faults and ~40 ms of
system time per step of the `small_cnn` benchmark (about a fifth of the step) on the CPU.
CUDA's caching allocator avoids this on the GPU; jemalloc or tcmalloc avoid it on the CPU
when the user preloads them.

While `retained()` is active, glibc keeps the memory it frees (a high trim threshold, and
blocks of up to 32 MiB served from the heap rather than mapped one by one), so each step
reuses the previous step's pages. `fit`, `evaluate` and `predict` run retained, and so do
`GradientTape.gradient` and `tf.function` calls (where a hand-written loop frees a step's
activations; after those the memory stays kept, as a caching allocator keeps it). When
`fit`, `evaluate` or `predict` ends, the trim threshold goes back to what glibc's
adaptive setting reaches for such blocks (the 32 MiB block limit stays: glibc cannot
return to its adaptive mode) and the freed memory is handed back to the kernel
(`malloc_trim`). Elsewhere (another C library, or the user's own
`MALLOC_*` settings) this does nothing.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading

# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# The largest block glibc serves from the heap (it refuses a higher mmap threshold): half
# of its 64 MiB heap size on 64-bit systems.
_HEAP_BLOCK_LIMIT = 32 * 1024 * 1024
# While retained: free memory at the top of the heap is kept up to this much (the largest
# value mallopt's int argument holds).
_RETAIN_BYTES = 2**31 - 1
# After: what glibc's adaptive threshold settles at once 32 MiB blocks have been freed.
_RELEASED_TRIM = 2 * _HEAP_BLOCK_LIMIT

_lock = threading.Lock()
_depth = 0
# Whether the retaining thresholds are set now (they outlive per-step scopes).
_keeping = False
_libc = None


def _glibc():
    """The process's glibc as a ctypes library, or None (another C library, or disabled)."""
    global _libc
    if _libc is None:
        _libc = False
        if sys.platform.startswith("linux") and not _user_tuned():
            try:
                lib = ctypes.CDLL(None)
                lib.gnu_get_libc_version  # noqa: B018 - only glibc has it
                lib.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
                lib.malloc_trim.argtypes = [ctypes.c_size_t]
                _libc = lib
            except (OSError, AttributeError):
                _libc = False
    return _libc or None


def _user_tuned() -> bool:
    """Whether the user configured the allocator (tork then leaves it alone)."""
    if os.environ.get("TORK_KEEP_HOST_MEMORY", "1") == "0":
        return True
    if "malloc" in os.environ.get("GLIBC_TUNABLES", ""):
        return True
    return any(name.startswith("MALLOC_") and name.endswith("_") for name in os.environ)


class _Retained:
    """The context `retained()` returns (a class: cheaper to enter than a generator)."""

    __slots__ = ("_lib", "_release")

    def __init__(self, release: bool):
        self._lib = _glibc()
        self._release = release

    def __enter__(self):
        global _depth, _keeping
        lib = self._lib
        if lib is not None:
            with _lock:
                _depth += 1
                if not _keeping:
                    lib.mallopt(_M_MMAP_THRESHOLD, _HEAP_BLOCK_LIMIT)
                    lib.mallopt(_M_TRIM_THRESHOLD, _RETAIN_BYTES)
                    _keeping = True
        return self

    def __exit__(self, *exc) -> None:
        global _depth, _keeping
        lib = self._lib
        if lib is not None:
            with _lock:
                _depth -= 1
                if _depth == 0 and self._release:
                    lib.mallopt(_M_TRIM_THRESHOLD, _RELEASED_TRIM)
                    lib.malloc_trim(0)
                    _keeping = False


def retained(release: bool = True) -> _Retained:
    """Keeps freed host memory in the process while the block runs (re-entrant).

    Args:
        release: when the outermost block ends, restore the thresholds and hand the
            retained memory back to the kernel (about 65 us). Per-step blocks
            (`tape.gradient`, a `tf.function` call) pass False: the memory stays kept
            after them, for the next step (glibc trims at any later `free`, so
            restoring the thresholds between steps would undo the reuse), until a
            loop that releases (`fit`, `evaluate`, `predict`) ends.

    Returns:
        A context manager.

    Example:
    >>> with retained():
    ...     for batch in batches:
    ...         step(batch)
    """
    return _Retained(release)


def active() -> bool:
    """Whether freed memory is being retained now (for tests)."""
    return _keeping and _glibc() is not None
