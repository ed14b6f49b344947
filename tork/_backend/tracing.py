"""Whether a tensor's values can be read on the host right now."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch
from torch._subclasses.fake_tensor import is_fake

# Above zero while a step is being turned into one graph (tf.function(jit_compile=True)).
_GRAPH_CAPTURE = [0]


def values_readable(tensor: torch.Tensor) -> bool:
    """False while tracing (dynamo, `make_fx`, symbolic Keras tensors): no values to read.

    Host-side checks of values (an index in range, a label below the number of classes)
    run only when this is True; a traced graph cannot branch on its data, and a step
    becoming one graph must not read values on the host.
    """
    return not (_GRAPH_CAPTURE[0] or torch.compiler.is_compiling() or is_fake(tensor))


@contextlib.contextmanager
def graph_capture() -> Iterator[None]:
    """Marks code that runs to become one graph: tork's own host-side value checks skip."""
    _GRAPH_CAPTURE[0] += 1
    try:
        yield
    finally:
        _GRAPH_CAPTURE[0] -= 1
