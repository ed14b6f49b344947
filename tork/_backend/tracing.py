"""Whether a tensor's values can be read on the host right now."""

from __future__ import annotations

import torch
from torch._subclasses.fake_tensor import is_fake


def values_readable(tensor: torch.Tensor) -> bool:
    """False while tracing (dynamo, `make_fx`, symbolic Keras tensors): no values to read.

    Host-side checks of values (an index in range, a label below the number of classes)
    run only when this is True; a traced graph cannot branch on its data.
    """
    return not (torch.compiler.is_compiling() or is_fake(tensor))
