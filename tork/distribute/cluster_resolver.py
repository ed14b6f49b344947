"""`tf.distribute.cluster_resolver`: the task of this process in a torchrun job."""

from __future__ import annotations

import os

from tork._backend.errors import module_getattr as _module_getattr
from tork.distribute import _world


class TorchrunClusterResolver:
    """Describes this process's task in a job started by torchrun.

    It answers what TF code asks a cluster resolver: `task_type` is
    `'worker'` (None without torchrun), `task_id` is the process rank, so the
    usual chief test `task_type is None or task_id == 0` works unchanged.

    Example:
    >>> resolver = tf.distribute.cluster_resolver.TorchrunClusterResolver()
    >>> resolver.task_id
    0
    """

    rpc_layer = ""
    environment = ""

    @property
    def task_type(self) -> str | None:
        """`'worker'` in a multi-process job, else None."""
        return "worker" if _world.world_size() > 1 else None

    @property
    def task_id(self) -> int:
        """This process's rank."""
        return _world.rank()

    @property
    def master_address(self) -> str:
        """torchrun's rendezvous address (`MASTER_ADDR:MASTER_PORT`), or '' without one."""
        host = os.environ.get("MASTER_ADDR", "")
        port = os.environ.get("MASTER_PORT", "")
        return f"{host}:{port}" if host else ""

    def master(self, task_type=None, task_id=None, rpc_layer=None) -> str:
        """Returns the rendezvous address of the job."""
        del task_type, task_id, rpc_layer
        return self.master_address

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None) -> dict:
        """Returns `{'GPU': n}`: the GPUs this process can see."""
        del task_type, task_id, config_proto
        return {"GPU": _world.visible_gpus()}

    def __repr__(self) -> str:
        return f"TorchrunClusterResolver(task_type={self.task_type!r}, task_id={self.task_id})"


class TPUClusterResolver:
    """TPU detection (`tf.distribute.cluster_resolver.TPUClusterResolver`): tork finds no TPU.

    tork runs on CPUs and GPUs only, so creating a resolver always raises the
    `ValueError` that TensorFlow raises on a machine without a TPU. The usual
    detection code then takes its fallback branch unchanged:

    >>> try:
    ...     tpu = tf.distribute.cluster_resolver.TPUClusterResolver()
    ... except ValueError:
    ...     tpu = None
    >>> strategy = tf.distribute.get_strategy() if tpu is None else ...

    Args:
        tpu: the TPU name or address; TensorFlow's other arguments are accepted.

    Raises:
        ValueError: always (no TPU can be used).
    """

    def __init__(self, tpu=None, *args, **kwargs):
        del args, kwargs
        if not tpu:
            raise ValueError(
                "Please provide a TPU Name to connect to. (tork runs on CPUs and GPUs only: "
                "use tf.distribute.MirroredStrategy() or tf.distribute.get_strategy().)"
            )
        raise ValueError(
            f"TPUClusterResolver(tpu={tpu!r}): tork runs on CPUs and GPUs only and cannot "
            "connect to a TPU. Use tf.distribute.MirroredStrategy() or "
            "tf.distribute.get_strategy() instead."
        )

    @classmethod
    def connect(cls, tpu=None, *args, **kwargs):
        """Finds and initializes a TPU; raises `ValueError` as the constructor does."""
        return cls(tpu, *args, **kwargs)


__getattr__ = _module_getattr("tf.distribute.cluster_resolver")
