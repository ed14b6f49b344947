"""`tf.distribute` cross-device reduction classes (`CrossDeviceOps` and its kinds).

TensorFlow lets `MirroredStrategy(cross_device_ops=...)` choose how gradients
are summed across the GPUs one process drives. tork runs one replica per
process and always reduces with torch.distributed (NCCL on GPUs, gloo on CPUs),
so these classes only record their arguments: programs that pass one run
unchanged. Their `reduce`/`batch_reduce` use the current strategy's all-reduce.
"""

from __future__ import annotations

from tork.distribute.reduce_util import _parse


class CrossDeviceOps:
    """Base class for cross-device reductions (`tf.distribute.CrossDeviceOps`).

    tork reduces with torch.distributed whichever subclass is given to
    `MirroredStrategy(cross_device_ops=...)`.

    Example:
    >>> ops = tf.distribute.HierarchicalCopyAllReduce()
    >>> strategy = tf.distribute.MirroredStrategy(cross_device_ops=ops)
    >>> float(ops.reduce("SUM", tf.constant(2.0), destinations="/cpu:0"))
    2.0
    """

    def reduce(self, reduce_op, per_replica_value, destinations=None, options=None):
        """Reduces `per_replica_value` across the replicas of the current strategy.

        Args:
            reduce_op: `ReduceOp.SUM`/`'SUM'` or `ReduceOp.MEAN`/`'MEAN'`.
            per_replica_value: this replica's value (a tensor, a number, or a nest).
            destinations: accepted for compatibility (every replica gets the result).
            options: accepted for compatibility.

        Returns:
            The reduced value, with the structure of `per_replica_value`.
        """
        del destinations, options
        from tork.distribute.strategy import get_strategy

        return get_strategy()._all_reduce(_parse(reduce_op), per_replica_value)

    def batch_reduce(self, reduce_op, value_destination_pairs, options=None):
        """Reduces each value of a list of `(value, destinations)` pairs.

        Args:
            reduce_op: `ReduceOp.SUM`/`'SUM'` or `ReduceOp.MEAN`/`'MEAN'`.
            value_destination_pairs: a list of `(per_replica_value, destinations)`.
            options: accepted for compatibility.

        Returns:
            A list of the reduced values, in the order given.
        """
        return [
            self.reduce(reduce_op, value, dest, options) for value, dest in value_destination_pairs
        ]


class ReductionToOneDevice(CrossDeviceOps):
    """Reduces on one device, then broadcasts (`tf.distribute.ReductionToOneDevice`).

    Args:
        reduce_to_device: accepted for compatibility.
        accumulation_fn: accepted for compatibility.
    """

    def __init__(self, reduce_to_device=None, accumulation_fn=None):
        self.reduce_to_device = reduce_to_device
        self.accumulation_fn = accumulation_fn


class _PackedAllReduce(CrossDeviceOps):
    """An all-reduce taking `num_packs` (recorded: torch.distributed buckets gradients)."""

    _what = ""  # TensorFlow's name of the algorithm in its error message

    def __init__(self, num_packs: int = 1):
        if num_packs < 0:
            raise ValueError(f"{self._what} requires num_packs >= 0, but {num_packs} is specified")
        self.num_packs = num_packs


class NcclAllReduce(_PackedAllReduce):
    """All-reduce with NCCL (`tf.distribute.NcclAllReduce`).

    Args:
        num_packs: accepted for compatibility (torch.distributed buckets gradients itself).
    """

    _what = "NCCL all-reduce"


class HierarchicalCopyAllReduce(_PackedAllReduce):
    """Hierarchical-copy all-reduce (`tf.distribute.HierarchicalCopyAllReduce`).

    Args:
        num_packs: accepted for compatibility (torch.distributed buckets gradients itself).
    """

    _what = "HierarchicalCopy"
