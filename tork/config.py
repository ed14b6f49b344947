"""`tf.config`: device discovery and run-time settings."""

import os

import torch

from tork._backend.device import PhysicalDevice, list_physical_devices
from tork._backend.errors import module_getattr

__all__ = [
    "PhysicalDevice",
    "list_logical_devices",
    "list_physical_devices",
    "run_functions_eagerly",
    "functions_run_eagerly",
    "set_visible_devices",
    "experimental",
]

_run_eagerly = False


def list_logical_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """Lists logical devices; in tork they are the physical ones."""
    return list_physical_devices(device_type)


def run_functions_eagerly(run_eagerly: bool) -> None:
    """Makes every `tf.function` run eagerly (no `torch.compile`), for debugging."""
    global _run_eagerly
    _run_eagerly = bool(run_eagerly)


def functions_run_eagerly() -> bool:
    """True when `run_functions_eagerly(True)` is in force."""
    return _run_eagerly


def set_visible_devices(devices, device_type: str | None = None) -> None:
    """Accepted for compatibility; use CUDA_VISIBLE_DEVICES to hide GPUs from torch."""


class _Experimental:
    """`tf.config.experimental`: memory growth is torch's default behaviour."""

    @staticmethod
    def set_memory_growth(device, enable: bool) -> None:
        """No-op: torch's caching allocator already grows on demand."""

    @staticmethod
    def list_physical_devices(device_type: str | None = None):
        return list_physical_devices(device_type)

    @staticmethod
    def enable_op_determinism() -> None:
        """Makes ops deterministic: the same inputs give bit-identical results on every run.

        On torch this calls `torch.use_deterministic_algorithms(True, warn_only=True)`:
        torch then picks deterministic kernels (e.g. for scatter/index_add and
        convolutions on CUDA) and warns when an op has none, where TensorFlow
        would raise. It also turns off `torch.backends.cudnn.benchmark` (its
        autotuning can pick different kernels per run) and sets
        `CUBLAS_WORKSPACE_CONFIG=:4096:8` when unset, which deterministic cuBLAS
        needs (call this before the first CUDA matmul for that to apply).
        Seed the random ops separately, with `tf.random.set_seed` or
        `keras.utils.set_random_seed`.

        Example:
        >>> tf.keras.utils.set_random_seed(1)
        >>> tf.config.experimental.enable_op_determinism()
        """
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.backends.cudnn.benchmark = False
        torch.use_deterministic_algorithms(True, warn_only=True)

    __getattr__ = staticmethod(module_getattr("tf.config.experimental"))


experimental = _Experimental()

__getattr__ = module_getattr("tf.config")
