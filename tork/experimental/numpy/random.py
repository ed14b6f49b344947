"""`tf.experimental.numpy.random`: NumPy's random functions on tensors.

They draw from torch's global generator, which `tnp.random.seed` (like
`tf.random.set_seed`) seeds. Float results are float64, as NumPy's, or float32 after
`experimental_enable_numpy_behavior(prefer_float32=True)`.
"""

from __future__ import annotations

import torch

from tork._backend.device import current_device
from tork.experimental.numpy import _core


def _size(size) -> tuple:
    if size is None:
        return ()
    if isinstance(size, int):
        return (size,)
    return tuple(int(d) for d in size)


def seed(s):
    """Seeds the global random state (as `tf.random.set_seed(s)`)."""
    from tork.ops.random import set_seed

    set_seed(int(s))


def randn(*args):
    """Standard normal samples of shape `args` (float64 by default).

    Example:
    >>> tnp.random.randn(2, 3).shape
    torch.Size([2, 3])
    """
    return torch.randn(_size(args), dtype=_core.default_float(), device=current_device())


def standard_normal(size=None):
    """Standard normal samples of shape `size`."""
    return randn(*_size(size))


def rand(*size):
    """Uniform samples in `[0, 1)` of shape `size`."""
    return torch.rand(_size(size), dtype=_core.default_float(), device=current_device())


def random(size=None):
    """Uniform samples in `[0, 1)` of shape `size`."""
    return rand(*_size(size))


def uniform(low=0.0, high=1.0, size=None):
    """Uniform samples in `[low, high)` of shape `size`."""
    sample = rand(*_size(size))
    low = _core.asarray(low, sample.dtype)
    high = _core.asarray(high, sample.dtype)
    return low + (high - low) * sample


def randint(low, high=None, size=None, dtype=int):
    """Random integers in `[low, high)` (`[0, low)` without `high`), int64 by default."""
    if high is None:
        low, high = 0, low
    return torch.randint(
        int(low),
        int(high),
        _size(size),
        dtype=_core.torch_dtype(dtype),
        device=current_device(),
    )


def poisson(lam=1.0, size=None):
    """Poisson samples with rate `lam` (int64, as NumPy's)."""
    rates = _core.asarray(lam, torch.float64).to(current_device())
    if size is not None:
        rates = torch.broadcast_to(rates, _size(size))
    return torch.poisson(rates).to(torch.int64)


__all__ = [
    "poisson",
    "rand",
    "randint",
    "randn",
    "random",
    "seed",
    "standard_normal",
    "uniform",
]
