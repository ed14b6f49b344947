"""Known value ranges of input batches: lets index checks on accelerators skip a sync.

On a GPU an out-of-range index (an embedding lookup, a sparse label) is a device-side
assert that breaks every later CUDA call of the process, so tork checks indices before
using them, at one device sync (or a few guard kernels) per batch. `fit` on arrays reads
the range of the whole input array once instead and tags each batch with it; the checks
then compare that range with their limit on the host.
"""

from __future__ import annotations

import torch

_ATTR = "_tork_value_range"


def value_range(value: torch.Tensor) -> tuple[float, float] | None:
    """`(min, max)` of a real tensor on an accelerator (one sync), else None."""
    if not isinstance(value, torch.Tensor) or value.device.type == "cpu" or not value.numel():
        return None
    if value.is_complex() or value.dtype == torch.bool:
        return None
    lo, hi = torch.aminmax(value)
    return float(lo), float(hi)


def tag(value: torch.Tensor, known: tuple[float, float]) -> None:
    """Records that `value` (as it is now) lies within `known`."""
    setattr(value, _ATTR, (known[0], known[1], value._version))


def known_range(value) -> tuple[float, float] | None:
    """The range `tag` recorded, or None (untagged, or changed in place since)."""
    known = getattr(value, _ATTR, None)
    if known is None or known[2] != value._version:
        return None
    return known[0], known[1]
