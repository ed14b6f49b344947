"""torch convolutions made safe from a oneDNN stride bug on one-channel inputs (private).

torch 2.x on CPU (oneDNN) computes wrong values for `conv2d`/`conv3d` when the input has
one channel, its strides look channels-last (a channels-last tensor permuted to
channels-first, which is how tork feeds NHWC data to torch) and a stride above 1 meets an
output size of 1 along the last spatial axis: e.g. input (2, 7, 3, 1) NHWC, a 3x3 kernel,
strides (1, 2). TensorFlow 2.21's oneDNN kernel has the same fault. A one-channel tensor's
channel stride is arbitrary, so giving it the standard (channels-first) stride is a
zero-copy view that takes torch's correct path.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def _standard_strides(x: torch.Tensor) -> torch.Tensor:
    """`x` with a channels-first stride on its size-1 channel axis (a view, no copy)."""
    if x.dim() >= 4 and x.shape[1] == 1:
        return x.squeeze(1).unsqueeze(1)
    return x


def conv2d(x: torch.Tensor, w: torch.Tensor, *args, **kwargs) -> torch.Tensor:
    """`torch.nn.functional.conv2d` with one-channel inputs given standard strides."""
    return F.conv2d(_standard_strides(x), w, *args, **kwargs)


def conv3d(x: torch.Tensor, w: torch.Tensor, *args, **kwargs) -> torch.Tensor:
    """`torch.nn.functional.conv3d` with one-channel inputs given standard strides."""
    return F.conv3d(_standard_strides(x), w, *args, **kwargs)


# conv1d is not affected; kept beside the others so callers index one table by rank.
CONV_FNS = {1: F.conv1d, 2: conv2d, 3: conv3d}
