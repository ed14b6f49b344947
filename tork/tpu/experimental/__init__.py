"""`tf.tpu.experimental`: TPU system functions (refused) and `HardwareFeature`."""

from __future__ import annotations

import enum

from tork._backend.errors import TorkNotImplementedError
from tork.tpu.experimental import embedding

__all__ = ["HardwareFeature", "embedding", "initialize_tpu_system", "shutdown_tpu_system"]


def _no_tpu(what: str) -> TorkNotImplementedError:
    return TorkNotImplementedError(
        f"tf.tpu.experimental.{what}: tork runs on CPUs and GPUs, not TPUs. Drop the TPU "
        "setup (TPUClusterResolver, TPUStrategy) and train with the default strategy."
    )


def initialize_tpu_system(cluster_resolver=None):
    """Refused: tork has no TPUs (raises `NotImplementedError` naming the fix)."""
    raise _no_tpu("initialize_tpu_system")


def shutdown_tpu_system(cluster_resolver=None):
    """Refused: tork has no TPUs (raises `NotImplementedError` naming the fix)."""
    raise _no_tpu("shutdown_tpu_system")


class HardwareFeature:
    """TF's description of a TPU's features; only its `EmbeddingFeature` enum is here.

    Example:
    >>> tf.tpu.experimental.HardwareFeature.EmbeddingFeature.V2.value
    'V2'
    """

    class EmbeddingFeature(enum.Enum):
        """The TPU embedding support levels, as TensorFlow names them."""

        UNSUPPORTED = "UNSUPPORTED"
        V1 = "V1"
        V2 = "V2"

    def __init__(self, *args, **kwargs):
        raise _no_tpu("HardwareFeature")
