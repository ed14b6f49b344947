"""Gathering `predict`'s per-batch outputs into whole arrays.

When the number of samples is known (array inputs), each output is written into one
buffer allocated after the first batch, instead of keeping every batch's tensor and
concatenating at the end. Besides skipping the final copy, this keeps memory flat: the
small per-batch results, kept alive between a batch's large transient activations,
fragmented glibc's heap so that it grew by one activation per batch (~120 MiB over a
60,000-sample predict of a 512-wide MLP, against ~7 MiB with the buffers).
"""

from __future__ import annotations

import torch

from tork import nest


class OutputCollector:
    """Collects batch outputs (a tensor or a nest of tensors) along the batch axis.

    Args:
        total: the number of samples that will arrive, or None when unknown (then the
            batches are kept and concatenated, as before).
    """

    def __init__(self, total: int | None):
        self._total = total
        self._buffers: list | None = None
        self._structure = None
        self._offset = 0
        self._batches: list = []
        # Batches seen: a model whose outputs hold no rows for a batch (a detection model's
        # boxes after NMS kept none) still returns them, empty, not "no data".
        self._added = 0

    def add(self, result) -> None:
        """Adds one batch's outputs."""
        self._added += 1
        if self._total is not None and not self._batches:
            leaves = nest.flatten(result)
            if self._buffers is None:
                self._start(result, leaves)
            if self._buffers is not None and self._fits(leaves):
                end = self._offset + leaves[0].shape[0]
                for buffer, leaf in zip(self._buffers, leaves):
                    buffer[self._offset : end].copy_(leaf.detach())
                self._offset = end
                return
            self._spill()
        self._batches.append(result)

    def _start(self, result, leaves) -> None:
        if not leaves or not all(isinstance(v, torch.Tensor) and v.ndim >= 1 for v in leaves):
            self._total = None
            return
        rows = leaves[0].shape[0]
        if any(v.shape[0] != rows for v in leaves) or rows > self._total:
            self._total = None
            return
        self._structure = result
        self._buffers = [
            torch.empty((self._total, *v.shape[1:]), dtype=v.dtype, device=v.device) for v in leaves
        ]

    def _fits(self, leaves) -> bool:
        buffers = self._buffers
        if len(leaves) != len(buffers):
            return False
        rows = leaves[0].shape[0] if isinstance(leaves[0], torch.Tensor) else -1
        return self._offset + rows <= self._total and all(
            isinstance(v, torch.Tensor)
            and v.shape[0] == rows
            and v.shape[1:] == b.shape[1:]
            and v.dtype == b.dtype
            for v, b in zip(leaves, buffers)
        )

    def _spill(self) -> None:
        """Falls back to keeping batches: what was written becomes the first batch."""
        if self._buffers is not None and self._offset:
            filled = [b[: self._offset] for b in self._buffers]
            self._batches.append(nest.pack_sequence_as(self._structure, filled))
        self._buffers = None
        self._total = None

    def result(self, concat):
        """All outputs, or None when no batch arrived.

        Args:
            concat: the function concatenating a list of batch outputs (fallback mode).
        """
        if self._buffers is not None:
            if not self._added:
                return None
            filled = [b[: self._offset] for b in self._buffers]
            return nest.pack_sequence_as(self._structure, filled)
        if not self._batches:
            return None
        return concat(self._batches)
