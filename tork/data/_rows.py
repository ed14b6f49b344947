"""Row sources: the vectorised core of in-memory tf.data pipelines.

A pipeline that starts from in-memory tensors (`from_tensor_slices`,
`from_tensors`, `range`, a filled `cache`) and only reorders or selects rows
(`shuffle`, `take`, `skip`, `repeat`, `zip`, `prefetch`) is represented as a
`Rows`: the columns (each of shape `(N, ...)`) plus, per iteration, a stream of
row-index *chunks*. A chunk is either a `slice` (contiguous rows, gathered as a
view) or a 1-D int64 CPU tensor of row ids. `batch` cuts the stream into index
batches and gathers each column once per batch, so no Python code runs per
element.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.tensor import _plain_numpy
from tork.data import _composite
from tork.data import _structure as nest

INFINITE = -1

# Rows gathered together when elements are produced one by one: large enough
# to amortise the gather, small enough to keep the per-element views cheap.
_ELEMENT_BLOCK = 1024

Chunk = slice | torch.Tensor


class Rows:
    """Columns of equal length and a per-iteration stream of row-index chunks.

    Args:
        columns: flat list of tensors sharing their first dimension.
        structure: nest whose leaves are placeholders, one per column, in
            flatten order; it gives an element its structure.
        length: rows produced per iteration, or `INFINITE`.
        chunks: zero-argument callable starting one iteration; returns an
            iterator of chunks.
        identity: True when one iteration yields rows `0..length-1` in order.
        whole_elements: True when each row is a whole element of `Dataset.from_tensors`
            (repeated, taken...), which the training loops take as a batch, not a row.
    """

    __slots__ = ("chunks", "columns", "identity", "length", "structure", "whole_elements")

    def __init__(
        self,
        columns: list[torch.Tensor],
        structure,
        length: int,
        chunks: Callable[[], Iterator[Chunk]],
        identity: bool,
        whole_elements: bool = False,
    ):
        self.columns = columns
        self.structure = structure
        self.length = length
        self.chunks = chunks
        self.identity = identity
        self.whole_elements = whole_elements

    @property
    def num_rows(self) -> int:
        if not self.columns:
            return 0
        if isinstance(self.columns[0], _composite.COMPOSITES):
            return _composite.num_rows(self.columns[0])
        return int(self.columns[0].shape[0])

    def replace(self, **changes) -> Rows:
        values = {name: getattr(self, name) for name in self.__slots__}
        values.update(changes)
        return Rows(**values)


def from_columns(columns: list[torch.Tensor], structure) -> Rows:
    """Rows that yield every row of `columns` once, in order."""
    n = Rows(columns, structure, 0, None, True).num_rows

    def chunks():
        if n:
            yield slice(0, n)

    return Rows(columns, structure, n, chunks, identity=True)


def chunk_len(chunk: Chunk) -> int:
    if isinstance(chunk, slice):
        return chunk.stop - chunk.start
    return int(chunk.shape[0])


def sub(chunk: Chunk, start: int, stop: int) -> Chunk:
    if isinstance(chunk, slice):
        return slice(chunk.start + start, chunk.start + stop)
    return chunk[start:stop]


def as_index(chunk: Chunk, device: torch.device | None = None) -> torch.Tensor:
    if isinstance(chunk, slice):
        return torch.arange(chunk.start, chunk.stop, dtype=torch.int64, device=device)
    return chunk if device is None else chunk.to(device)


def join(pieces: list[Chunk]) -> Chunk:
    """One chunk from consecutive pieces: a slice when they are contiguous."""
    if len(pieces) == 1:
        return pieces[0]
    if all(isinstance(p, slice) for p in pieces) and all(
        a.stop == b.start for a, b in zip(pieces, pieces[1:])
    ):
        return slice(pieces[0].start, pieces[-1].stop)
    device = next((p.device for p in pieces if not isinstance(p, slice)), None)
    return torch.cat([as_index(p, device) for p in pieces])


# CPU dtypes that pipelines run off the main thread gather through NumPy: its
# single-threaded fancy indexing does not contend for the intra-op thread pool that the
# main thread's training step keeps busy. On the main thread torch's index_select is
# faster: 69 vs 99 us for 128 rows of 784 floats after a training step has displaced the
# caches, 45 vs 64 us for 32 rows of 100.
_NUMPY_GATHER = {
    torch.float16,
    torch.float32,
    torch.float64,
    torch.int8,
    torch.int16,
    torch.int32,
    torch.int64,
    torch.uint8,
    torch.bool,
    torch.complex64,
    torch.complex128,
}
_MAIN_THREAD = threading.main_thread().ident


def gather(column: torch.Tensor, chunk: Chunk) -> torch.Tensor:
    """The rows of `column` named by `chunk` (a view for a slice)."""
    if isinstance(column, _composite.COMPOSITES):
        return _composite.gather(column, chunk)
    if isinstance(chunk, slice):
        return column[chunk]
    if isinstance(column, np.ndarray):  # a string column
        return column[chunk.cpu().numpy()]
    if (
        column.device.type == "cpu"
        and chunk.device.type == "cpu"
        and column.dtype in _NUMPY_GATHER
        and not column.requires_grad
        and threading.get_ident() != _MAIN_THREAD
    ):
        # torch's own numpy(): views (tensor.numpy() copies, as TensorFlow's).
        return torch.from_numpy(_plain_numpy(column)[_plain_numpy(chunk)])
    if chunk.device != column.device:
        chunk = chunk.to(column.device, non_blocking=True)
    return column.index_select(0, chunk)


def unbind(value) -> list | tuple:
    """The slices of a tensor or string tensor along its first axis."""
    if isinstance(value, torch.Tensor):
        return value.unbind(0)
    if isinstance(value, _composite.COMPOSITES):
        return _composite.unbind(value)
    return string_tensor.unbind(value)


def stack(values) -> torch.Tensor:
    """Stacks tensors (or string tensors) of one shape on a new first axis."""
    if isinstance(values[0], np.ndarray):
        if any(tuple(v.shape) != tuple(values[0].shape) for v in values):
            raise ValueError("all input arrays must have the same shape")
        return string_tensor.stack(values)
    return torch.stack(values)


def _to_device(chunk: Chunk, device: torch.device) -> Chunk:
    if isinstance(chunk, slice) or chunk.device == device:
        return chunk
    return chunk.to(device, non_blocking=True)


def all_indices(rows: Rows) -> torch.Tensor:
    """The row ids of one full iteration as one CPU tensor (finite rows only)."""
    pieces = [as_index(c) for c in rows.chunks()]
    if not pieces:
        return torch.zeros(0, dtype=torch.int64)
    return pieces[0] if len(pieces) == 1 else torch.cat(pieces)


# --- transformations of the index stream ------------------------------------


def take(rows: Rows, count: int) -> Rows:
    """The first `count` rows of each iteration (`count < 0`: all)."""
    if count < 0:
        return rows
    length = count if rows.length == INFINITE else min(count, rows.length)
    inner = rows.chunks

    def chunks():
        left = count
        if left <= 0:
            return
        for chunk in inner():
            n = chunk_len(chunk)
            if n >= left:
                yield sub(chunk, 0, left)
                return
            yield chunk
            left -= n

    return rows.replace(length=length, chunks=chunks)


def skip(rows: Rows, count: int) -> Rows:
    """Drops the first `count` rows of each iteration (`count < 0`: all of them)."""
    if count == 0:
        return rows
    if count < 0:
        return rows.replace(length=0, chunks=lambda: iter(()), identity=False)
    length = INFINITE if rows.length == INFINITE else max(0, rows.length - count)
    inner = rows.chunks

    def chunks():
        left = count
        for chunk in inner():
            n = chunk_len(chunk)
            if left >= n:
                left -= n
                continue
            yield sub(chunk, left, n) if left else chunk
            left = 0

    return rows.replace(length=length, chunks=chunks, identity=False)


def repeat(rows: Rows, count: int | None) -> Rows:
    """Each iteration runs the inner stream `count` times (None or -1: forever)."""
    if count is not None and count >= 0:
        if count == 1:
            return rows
        length = INFINITE if rows.length == INFINITE else rows.length * count
        times = count
    else:
        length = 0 if rows.length == 0 else INFINITE
        times = None
    inner = rows.chunks

    def chunks():
        done = 0
        while times is None or done < times:
            produced = False
            for chunk in inner():
                produced = True
                yield chunk
            done += 1
            # An empty input repeated forever is still empty (as in tf.data).
            if not produced:
                return

    return rows.replace(length=length, chunks=chunks, identity=False)


def zip_rows(parts: list[Rows], structure) -> Rows | None:
    """Rows for `Dataset.zip` of row sources that all yield their rows in order."""
    if not all(p.identity for p in parts):
        return None
    columns = [c for p in parts for c in p.columns]
    length = min(p.length for p in parts)
    inner = nest.pack(structure, [p.structure for p in parts])
    placeholder = nest.pack(inner, list(range(len(columns))))
    return from_columns([c[:length] for c in columns], placeholder)


# --- consuming the stream ----------------------------------------------------


def batched_chunks(rows: Rows, batch_size: int, drop_remainder: bool) -> Iterator[Chunk]:
    """Cuts one iteration's index stream into chunks of `batch_size` rows."""
    device = rows.columns[0].device if rows.columns else torch.device("cpu")
    pending: list[Chunk] = []
    pending_n = 0
    for chunk in rows.chunks():
        # One transfer per chunk, not per batch, when the columns live on a GPU.
        chunk = _to_device(chunk, device)
        n = chunk_len(chunk)
        pos = 0
        if pending_n:
            pos = min(batch_size - pending_n, n)
            pending.append(sub(chunk, 0, pos))
            pending_n += pos
            if pending_n < batch_size:
                continue
            yield join(pending)
            pending, pending_n = [], 0
        while pos + batch_size <= n:
            yield sub(chunk, pos, pos + batch_size)
            pos += batch_size
        if pos < n:
            pending, pending_n = [sub(chunk, pos, n)], n - pos
    if pending_n and not drop_remainder:
        yield join(pending)


# Reordered columns on an accelerator up to this size are gathered once per iteration (then
# sliced): a gather per batch is a kernel launch per column per step.
_EPOCH_GATHER_BYTES = 1 << 30


def _epoch_gather_wanted(columns: list) -> bool:
    """Whether one gather per iteration beats one per batch: on accelerators (launches)."""
    return all(isinstance(c, torch.Tensor) and c.device.type != "cpu" for c in columns)


def iter_batches(rows: Rows, batch_size: int, drop_remainder: bool) -> Iterator:
    """Batched elements: one gather per column per batch (per iteration on accelerators)."""
    columns = rows.columns
    pack = nest.packer(rows.structure)
    if (
        columns
        and not rows.identity
        and rows.length != INFINITE
        and _epoch_gather_wanted(columns)
        and sum(c.nbytes for c in columns) <= _EPOCH_GATHER_BYTES
    ):
        index = all_indices(rows).to(columns[0].device, non_blocking=True)
        gathered = [gather(col, index) for col in columns]
        n = index.numel()
        stop_at = n - n % batch_size if drop_remainder else n
        for start in range(0, stop_at, batch_size):
            yield pack([g[start : start + batch_size] for g in gathered])
        return
    for chunk in batched_chunks(rows, batch_size, drop_remainder):
        yield pack([gather(col, chunk) for col in columns])


def iter_elements(rows: Rows) -> Iterator:
    """Single elements: rows are gathered in blocks and split into views."""
    columns = rows.columns
    pack = nest.packer(rows.structure)
    device = columns[0].device if columns else torch.device("cpu")
    for chunk in rows.chunks():
        chunk = _to_device(chunk, device)
        n = chunk_len(chunk)
        for start in range(0, n, _ELEMENT_BLOCK):
            piece = sub(chunk, start, min(start + _ELEMENT_BLOCK, n))
            parts = [unbind(gather(col, piece)) for col in columns]
            for values in zip(*parts):
                yield pack(values)
