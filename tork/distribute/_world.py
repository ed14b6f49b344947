"""The process group behind every strategy: torchrun's environment and torch.distributed.

tork runs one replica per process. `torchrun` starts the processes and sets
`RANK`, `WORLD_SIZE`, `LOCAL_RANK`, `MASTER_ADDR` and `MASTER_PORT`; the first
strategy created joins them into one `torch.distributed` process group (NCCL
on GPUs, gloo on CPUs). A process group the user initialized already is used
as it is. Without either, there is one replica and no communication at all.
"""

from __future__ import annotations

import atexit
import importlib
import os
import shlex
import sys

import torch
import torch.distributed as dist

_owned_group = False


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(
            f"The environment variable {name}={value!r} is not an integer; torchrun sets it. "
            f"Launch the script with torchrun, or unset {name}."
        ) from None


def available() -> bool:
    """Whether this torch build has torch.distributed."""
    return dist.is_available()


def initialized() -> bool:
    """Whether a torch.distributed process group exists in this process."""
    return dist.is_available() and dist.is_initialized()


def launched_with_torchrun() -> bool:
    """Whether torchrun (or an equivalent launcher) started several processes."""
    return _env_int("WORLD_SIZE", 1) > 1


def _use_cuda() -> bool:
    forced = os.environ.get("TORK_DISTRIBUTED_BACKEND", "").lower()
    if forced == "gloo":
        return False
    return torch.cuda.is_available()


def initialize() -> None:
    """Joins the torchrun process group if there is one and it is not joined yet."""
    global _owned_group
    if initialized() or not launched_with_torchrun():
        return
    if not available():
        raise RuntimeError(
            "This process was started by torchrun (WORLD_SIZE="
            f"{os.environ.get('WORLD_SIZE')}), but this torch build has no torch.distributed. "
            "Install a torch build with distributed support."
        )
    kwargs = {}
    if _use_cuda():
        local = local_rank()
        count = torch.cuda.device_count()
        if local >= count:
            raise RuntimeError(
                f"Process with LOCAL_RANK={local} has no GPU of its own: only {count} GPU(s) are "
                f"visible. Start at most {count} processes per machine, e.g. "
                f"torchrun --nproc_per_node={count} ..."
            )
        torch.cuda.set_device(local)
        kwargs["device_id"] = torch.device("cuda", local)
        backend = "nccl"
    else:
        backend = "gloo"
    # Loaded before the process group, as it was when tork imported it eagerly: without it,
    # gloo workers sometimes abort at exit ("terminate called without an active exception").
    importlib.import_module("torch._dynamo")

    dist.init_process_group(backend=backend, init_method="env://", **kwargs)
    _owned_group = True
    atexit.register(_shutdown)


def _shutdown() -> None:
    global _owned_group
    if _owned_group and initialized():
        _owned_group = False
        try:
            dist.destroy_process_group()
        except Exception:
            # The interpreter is exiting; a peer that left first is not worth a traceback.
            pass


def world_size() -> int:
    """The number of processes (replicas) in the job."""
    return dist.get_world_size() if initialized() else 1


def rank() -> int:
    """This process's rank (0 is the chief)."""
    if initialized():
        return dist.get_rank()
    return _env_int("RANK", 0)


def local_rank() -> int:
    """This process's index on its machine (its GPU index under torchrun)."""
    return _env_int("LOCAL_RANK", 0)


def comm_device() -> torch.device:
    """The device collectives run on: the process's GPU with NCCL, else the CPU."""
    if initialized() and dist.get_backend() == "nccl":
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device("cpu")


def visible_gpus() -> int:
    """How many CUDA devices torch can see in this process."""
    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def script_target() -> str:
    """How torchrun should name this program: `script.py args` or `-m module args`."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    script_args = " ".join(shlex.quote(a) for a in sys.argv[1:])
    if spec is not None and getattr(spec, "name", None) and spec.name != "__main__":
        target = f"-m {spec.name.removesuffix('.__main__')}"
    elif getattr(main, "__file__", None) and sys.argv and sys.argv[0] not in ("", "-c"):
        target = shlex.quote(sys.argv[0])
    else:
        return "your_script.py"
    return f"{target} {script_args}".strip()


def torchrun_command(nproc: int) -> str:
    """The torchrun command that starts this program with `nproc` processes on one machine."""
    return f"torchrun --standalone --nproc_per_node={nproc} {script_target()}"
