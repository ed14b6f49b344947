"""Per-step CUDA launches, host syncs and host time of each side of a workload, on a GPU.

    python3 bench/cuda/launch_profile.py seed_mlp,mnist_mlp [--jit] [--steps N]

For each workload and side: one warm-up run, then one run under `torch.profiler` (CPU and
CUDA activity), reporting per step the kernel launches, the host-device copies, the
synchronisations and the top host-side operators; then one run with
`torch.cuda.set_sync_debug_mode("warn")`, printing where each synchronising call came from.
A small model's eager step on a GPU is bound by the host (launch count and Python), so
these counts say where tork's step differs from the hand-written one.
"""

from __future__ import annotations

import argparse
import collections
import traceback
import warnings

import torch
from torch.profiler import ProfilerActivity, profile

from bench._core import Config
from bench.workloads import WORKLOADS

_LAUNCH = ("cudaLaunchKernel", "cuLaunchKernel", "cudaLaunchKernelExC", "cuLaunchKernelEx")
_SYNC = ("cudaStreamSynchronize", "cudaDeviceSynchronize", "cudaEventSynchronize")
_COPY = ("cudaMemcpyAsync", "cudaMemcpy")


def _sync() -> None:
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def _profile_side(side, steps_hint: int) -> None:
    side.run()
    side.units()
    _sync()
    with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
        side.run()
        _sync()
    steps = side.units() or steps_hint
    counts: collections.Counter = collections.Counter()
    ops: collections.Counter = collections.Counter()
    host_us = 0.0
    for event in prof.events():
        name = event.name
        if name in _LAUNCH:
            counts["launches"] += 1
        elif name in _SYNC:
            counts["syncs"] += 1
        elif name in _COPY:
            counts["copies"] += 1
        elif name.startswith("aten::") and (
            event.cpu_parent is None or not event.cpu_parent.name.startswith("aten::")
        ):
            ops[name] += 1
            host_us += event.cpu_time_total
    kernels: collections.Counter = collections.Counter()
    for event in prof.events():
        if event.device_type == torch.autograd.DeviceType.CUDA:
            kernels[event.name[:60]] += 1
    per = {k: v / steps for k, v in counts.items()}
    print(
        f"  {side.name:15s} steps={steps} launches/step={per.get('launches', 0):.1f} "
        f"copies/step={per.get('copies', 0):.2f} syncs/step={per.get('syncs', 0):.2f} "
        f"top-level aten ops/step={sum(ops.values()) / steps:.1f}"
    )
    print("    ops/step: " + ", ".join(f"{k[6:]} {v / steps:.1f}" for k, v in ops.most_common(24)))
    print(
        "    kernels/step: "
        + ", ".join(f"{k} {v / steps:.1f}" for k, v in kernels.most_common(40) if v >= steps / 2)
    )


def _sync_sites(side) -> None:
    sites: collections.Counter = collections.Counter()

    def record(message, category, filename, lineno, file=None, line=None):
        stack = [f for f in traceback.extract_stack()[:-1] if "/torch/" not in f.filename]
        where = " <- ".join(f"{f.filename.split('/')[-1]}:{f.lineno} {f.name}" for f in stack[-4:])
        sites[f"{str(message)[:60]} at {where}"] += 1

    previous = warnings.showwarning
    warnings.showwarning = record
    torch.cuda.set_sync_debug_mode("warn")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = record
            side.run()
    finally:
        torch.cuda.set_sync_debug_mode(0)
        warnings.showwarning = previous
    steps = side.units() or 1
    if not sites:
        print(f"  {side.name}: no synchronising calls")
    for where, n in sites.most_common(8):
        print(f"  {side.name}: {n / steps:.2f}/step {where}")


def _copy_sites(side) -> None:
    """Where host tensors meet device tensors (each such op copies to the device)."""
    from torch.utils._python_dispatch import TorchDispatchMode

    sites: collections.Counter = collections.Counter()

    class _Watch(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            tensors = [
                a
                for a in torch.utils._pytree.tree_leaves((args, kwargs))
                if isinstance(a, torch.Tensor)
            ]
            devices = {t.device.type for t in tensors}
            to_device = kwargs.get("device") is not None and str(kwargs["device"]) != "cpu"
            if ("cpu" in devices and len(devices) > 1) or (to_device and "cpu" in devices):
                stack = [
                    f
                    for f in traceback.extract_stack()[:-1]
                    if "/torch/" not in f.filename and "launch_profile" not in f.filename
                ]
                where = " <- ".join(f"{f.filename.split('/')[-1]}:{f.lineno}" for f in stack[-3:])
                sites[f"{func} at {where}"] += 1
            return func(*args, **kwargs)

    with _Watch():
        side.run()
    steps = side.units() or 1
    for where, n in sites.most_common(6):
        print(f"  {side.name}: host->device {n / steps:.2f}/step {where}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workloads")
    parser.add_argument("--jit", action="store_true")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--device", default="cuda")
    args = parser.parse_args()
    for name in args.workloads.split(","):
        cfg = Config(workload=name, device=args.device, jit=args.jit, steps=args.steps)
        cfg.torch_compiled = False
        workload = WORKLOADS[name](cfg)
        print(f"== {name}{' --jit' if args.jit else ''}: {workload.describe()}")
        sides = workload.sides()
        for side in sides:
            side.setup()
        for side in sides:
            _profile_side(side, args.steps)
        if args.device == "cuda":
            for side in sides:
                _sync_sites(side)
                _copy_sites(side)


if __name__ == "__main__":
    main()
