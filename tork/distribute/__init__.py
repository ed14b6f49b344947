"""`tf.distribute`: data-parallel training on torch.distributed, one replica per process.

Start one process per device with `torchrun` (see docs/distributed.md), create
a strategy, and build and compile the model inside `strategy.scope()`. Without
torchrun a strategy is a single replica and the program runs unchanged.
"""

from tork._backend.errors import module_getattr as _module_getattr
from tork.distribute import cluster_resolver, experimental
from tork.distribute.cross_device_ops import (
    CrossDeviceOps,
    HierarchicalCopyAllReduce,
    NcclAllReduce,
    ReductionToOneDevice,
)
from tork.distribute.input_lib import DistributedDataset
from tork.distribute.reduce_util import ReduceOp
from tork.distribute.strategy import (
    InputContext,
    MirroredStrategy,
    MultiWorkerMirroredStrategy,
    OneDeviceStrategy,
    ReplicaContext,
    Strategy,
    StrategyExtended,
    ValueContext,
    get_replica_context,
    get_strategy,
    has_strategy,
    in_cross_replica_context,
    is_chief,
)

__all__ = [
    "CrossDeviceOps",
    "HierarchicalCopyAllReduce",
    "NcclAllReduce",
    "ReductionToOneDevice",
    "DistributedDataset",
    "InputContext",
    "MirroredStrategy",
    "MultiWorkerMirroredStrategy",
    "OneDeviceStrategy",
    "ReduceOp",
    "ReplicaContext",
    "Strategy",
    "StrategyExtended",
    "ValueContext",
    "cluster_resolver",
    "experimental",
    "get_replica_context",
    "get_strategy",
    "has_strategy",
    "in_cross_replica_context",
    "is_chief",
]

__getattr__ = _module_getattr("tf.distribute")
