"""Recording compiled steps as CUDA graphs: a whole training step in one launch.

A small model's step on a GPU is bound by kernel launches (a few microseconds each, against
far less GPU work). A CUDA graph replays the recorded kernels with one launch, at fixed
device addresses: the caller keeps its inputs where they were recorded (weights and
optimizer slots keep their storage; batches are copied into buffers the caller owns).
Both `jit_compile=True` paths use it: `fit`'s compiled step and `tf.function`'s whole
function.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import torch

# TORK_CUDA_GRAPHS=0 turns CUDA graphs off (e.g. to measure what they bring).
ENABLED = os.environ.get("TORK_CUDA_GRAPHS", "1") != "0"

# A new graph first runs once on copies of its inputs when they take at most this many bytes.
DRY_RUN_BYTES = 1 << 29


def record(compiled: Callable, inputs: list) -> tuple[torch.cuda.CUDAGraph, list]:
    """Records `compiled(*inputs)` as a CUDA graph; returns it and its (static) outputs.

    Nothing runs on `inputs` themselves: recording only captures the kernels, and the
    warm-up before it (libraries create their handles and workspaces outside the
    recording) runs on copies, on the recording stream.
    """
    device = next(t.device for t in inputs if isinstance(t, torch.Tensor))
    stream = torch.cuda.Stream(device)
    stream.wait_stream(torch.cuda.current_stream(device))
    if sum(t.nbytes for t in inputs) <= DRY_RUN_BYTES:
        with torch.cuda.stream(stream):
            compiled(*[t.clone() for t in inputs])
        stream.synchronize()
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph, stream=stream):
        outputs = compiled(*inputs)
    return graph, outputs
