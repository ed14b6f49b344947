"""`tf.distribute` strategies on torch.distributed: one replica per process.

A TensorFlow strategy drives several devices from one program. tork runs the
same program once per device, started by `torchrun`, and the strategies here
are that program's view of the job: `num_replicas_in_sync` is the number of
processes, `run` runs the step on this process's replica, and everything that
crosses replicas (`reduce`, gradient aggregation in `apply_gradients`, metric
values in `fit`) is a torch.distributed collective.
"""

from __future__ import annotations

import contextlib
import os
import weakref
from collections.abc import Callable, Iterator

import torch

from tork._backend.device import current_device
from tork._backend.device import device as _device_scope
from tork._backend.errors import not_implemented
from tork._backend.tensor import convert_to_tensor
from tork.distribute import _collectives, _context, _world
from tork.distribute.reduce_util import ReduceOp, _parse


def _map_nest(fn, value):
    if isinstance(value, dict):
        return type(value)((k, _map_nest(fn, v)) for k, v in value.items())
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(_map_nest(fn, v) for v in value))
    if isinstance(value, (list, tuple)):
        return type(value)(_map_nest(fn, v) for v in value)
    if value is None:
        return None
    return fn(value)


class ReplicaContext:
    """The context of one replica inside `strategy.run` (`tf.distribute.ReplicaContext`).

    Get it with `tf.distribute.get_replica_context()` inside the function given
    to `strategy.run`.

    Args:
        strategy: the strategy running the replica.
        replica_id_in_sync_group: this replica's index, `0 .. num_replicas_in_sync - 1`.

    Example:
    >>> def step():
    ...     ctx = tf.distribute.get_replica_context()
    ...     return ctx.all_reduce("SUM", tf.constant(1.0))
    >>> float(tf.distribute.get_strategy().run(step))
    1.0
    """

    def __init__(self, strategy: Strategy, replica_id_in_sync_group: int = 0):
        self._strategy = strategy
        self._replica_id = int(replica_id_in_sync_group)

    @property
    def strategy(self) -> Strategy:
        """The strategy this replica belongs to."""
        return self._strategy

    @property
    def num_replicas_in_sync(self) -> int:
        """The number of replicas taking part in collectives."""
        return self._strategy.num_replicas_in_sync

    @property
    def replica_id_in_sync_group(self) -> int:
        """This replica's index (the process rank)."""
        return self._replica_id

    @property
    def devices(self) -> tuple:
        """The device this replica runs on."""
        return (str(self._strategy._device or current_device()),)

    def all_reduce(self, reduce_op, value, options=None):
        """Reduces `value` (a tensor or a nest of them) across all replicas.

        Every replica must call it with values of the same structure and shapes.

        Args:
            reduce_op: `ReduceOp.SUM`/`'SUM'` or `ReduceOp.MEAN`/`'MEAN'`.
            value: a tensor, a number, or a nest of them.
            options: accepted for compatibility.

        Returns:
            The reduced value, with the structure of `value`, on every replica.
        """
        del options
        op = _parse(reduce_op)
        return self._strategy._all_reduce(op, value)

    def all_gather(self, value, axis: int, options=None):
        """Concatenates `value` from all replicas along `axis`.

        Args:
            value: a tensor or a nest of tensors.
            axis: the axis to concatenate along.
            options: accepted for compatibility.

        Returns:
            The gathered value, in replica order, on every replica.
        """
        del options
        return self._strategy._gather(value, axis)

    def merge_call(self, merge_fn, args=(), kwargs=None):
        """Not available: tork replicas are processes, with no cross-replica step inside `run`."""
        raise not_implemented("tf.distribute.ReplicaContext.merge_call")

    def __repr__(self) -> str:
        return (
            f"ReplicaContext(replica_id_in_sync_group={self._replica_id}, "
            f"num_replicas_in_sync={self.num_replicas_in_sync})"
        )


class InputContext:
    """What `dataset_fn` of `distribute_datasets_from_function` needs to shard its input.

    Args:
        num_input_pipelines: the number of input pipelines (processes).
        input_pipeline_id: this pipeline's index (the process rank).
        num_replicas_in_sync: the number of replicas.

    Example:
    >>> ctx = tf.distribute.InputContext(num_input_pipelines=2, input_pipeline_id=1,
    ...                                  num_replicas_in_sync=2)
    >>> ctx.get_per_replica_batch_size(64)
    32
    """

    def __init__(
        self, num_input_pipelines: int = 1, input_pipeline_id: int = 0, num_replicas_in_sync=1
    ):
        self.num_input_pipelines = int(num_input_pipelines)
        self.input_pipeline_id = int(input_pipeline_id)
        self.num_replicas_in_sync = int(num_replicas_in_sync)

    def get_per_replica_batch_size(self, global_batch_size: int) -> int:
        """Returns `global_batch_size // num_replicas_in_sync` (it must divide evenly).

        Args:
            global_batch_size: the batch size summed over all replicas.
        """
        if global_batch_size % self.num_replicas_in_sync:
            raise ValueError(
                f"The global batch size ({global_batch_size}) must be divisible by the number "
                f"of replicas ({self.num_replicas_in_sync})."
            )
        return global_batch_size // self.num_replicas_in_sync

    def __repr__(self) -> str:
        return (
            f"InputContext(num_input_pipelines={self.num_input_pipelines}, "
            f"input_pipeline_id={self.input_pipeline_id}, "
            f"num_replicas_in_sync={self.num_replicas_in_sync})"
        )


class ValueContext:
    """What `value_fn` of `experimental_distribute_values_from_function` receives.

    Args:
        replica_id_in_sync_group: the replica's index.
        num_replicas_in_sync: the number of replicas.
    """

    def __init__(self, replica_id_in_sync_group: int = 0, num_replicas_in_sync: int = 1):
        self.replica_id_in_sync_group = int(replica_id_in_sync_group)
        self.num_replicas_in_sync = int(num_replicas_in_sync)


class _SumReducer:
    """Gradient aggregation of `apply_gradients` inside `strategy.run`: a sum over replicas."""

    def __init__(self):
        self._seen: set = set()

    def __call__(self, params: list, grads: list) -> list:
        key = tuple(map(id, params))
        if key not in self._seen:
            # Variables not created under the scope become identical before their first update.
            _context.mirror(params)
            self._seen.add(key)
        return _collectives.all_reduce_sum(grads)


def _tf_device_name(device: torch.device) -> str:
    """TensorFlow's full name of a local device, e.g. '/job:localhost/replica:0/task:0/device:CPU:0'."""
    kind = "GPU" if device.type == "cuda" else device.type.upper()
    return f"/job:localhost/replica:0/task:0/device:{kind}:{device.index or 0}"


class StrategyExtended:
    """The advanced part of a strategy's API (`strategy.extended`).

    tork runs one replica per process, so the devices listed are this
    process's device, and the chief duties (`should_checkpoint`,
    `should_save_summary`) belong to rank 0.

    Example:
    >>> strategy = tf.distribute.MirroredStrategy()
    >>> strategy.extended.worker_devices
    ('/job:localhost/replica:0/task:0/device:CPU:0',)
    """

    def __init__(self, container_strategy: Strategy):
        self._strategy = container_strategy

    def _devices(self) -> tuple:
        strategy = self._strategy
        if isinstance(strategy, _DefaultStrategy):
            # As TensorFlow: the default strategy has no devices of its own.
            raise RuntimeError(
                "worker_devices() method unsupported by default tf.distribute.Strategy."
            )
        if strategy._device is not None:
            from tork._backend.device import _parse

            return (_tf_device_name(_parse(strategy._device)),)
        if strategy._replicas > 1:
            return (_tf_device_name(_world.comm_device()),)
        return (_tf_device_name(current_device()),)

    @property
    def worker_devices(self) -> tuple:
        """The devices this process's replica runs on (one per process in tork)."""
        return self._devices()

    @property
    def parameter_devices(self) -> tuple:
        """The devices holding the variables: the replica's own device (mirrored copies)."""
        return self._devices()

    @property
    def should_checkpoint(self) -> bool:
        """Whether this process should write checkpoints: only the chief (rank 0)."""
        return self._strategy._rank == 0

    @property
    def should_save_summary(self) -> bool:
        """Whether this process should write summaries: only the chief (rank 0)."""
        return self._strategy._rank == 0

    @property
    def experimental_require_static_shapes(self) -> bool:
        """False: batches of any size (such as a smaller last batch) are accepted."""
        return False

    @property
    def experimental_between_graph(self) -> bool:
        """Whether each worker runs its own program: true for multi-worker strategies."""
        return isinstance(self._strategy, MultiWorkerMirroredStrategy)

    def _in_multi_worker_mode(self) -> bool:
        # Keras and user code ask this (a private TF method) to decide who writes files.
        return isinstance(self._strategy, MultiWorkerMirroredStrategy) and _world.world_size() > 1

    def __repr__(self) -> str:
        return f"<StrategyExtended of {type(self._strategy).__name__}>"


class Strategy:
    """Base class of the distribution strategies (`tf.distribute.Strategy`).

    A strategy with one replica (no `torchrun`) runs everything as is. With
    several replicas (one process each, started by `torchrun`), models compiled
    inside `scope()` train data-parallel in `fit`, and `run`, `reduce` and the
    distributed datasets give custom training loops the TF semantics.

    Example:
    >>> strategy = tf.distribute.get_strategy()
    >>> strategy.num_replicas_in_sync
    1
    """

    def __init__(self, device_name=None):
        self._device = device_name
        self._replicas = _world.world_size()
        self._rank = _world.rank() if self._replicas > 1 else 0
        self._sum_reducer = _SumReducer()
        self.cluster_resolver = None

    # -- properties -----------------------------------------------------------------
    @property
    def num_replicas_in_sync(self) -> int:
        """The number of replicas (processes) that compute each step together."""
        return self._replicas

    @property
    def extended(self) -> StrategyExtended:
        """The strategy's `tf.distribute.StrategyExtended`: its devices and chief duties."""
        extended = self.__dict__.get("_extended")
        if extended is None:
            extended = self._extended = StrategyExtended(self)
        return extended

    # -- scope ------------------------------------------------------------------------
    @contextlib.contextmanager
    def scope(self) -> Iterator[Strategy]:
        """Makes this strategy the current one inside a `with` block.

        Models built and compiled inside train data-parallel in `fit`, and with
        several replicas the weights layers create inside are broadcast from
        rank 0 so every process starts from the same values.

        Example:
        >>> strategy = tf.distribute.MirroredStrategy()
        >>> with strategy.scope():
        ...     model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])
        ...     model.compile(optimizer="sgd", loss="mse")
        """
        outer = _context.current()
        if outer is not None and outer is not self:
            raise ValueError(
                f"Mixing different tf.distribute.Strategy objects: a {type(self).__name__} "
                f"scope was entered inside the scope of another strategy "
                f"({type(outer).__name__}). Use one strategy per program, or exit the first "
                "scope before entering the second."
            )
        stack = _context._stack()
        stack.append(self)
        try:
            with self._placement(), _context.mirroring() if self._replicas > 1 else _nothing():
                yield self
        finally:
            stack.pop()

    def _placement(self):
        return _device_scope(self._device) if self._device is not None else _nothing()

    # -- running ------------------------------------------------------------------------
    def run(self, fn: Callable, args=(), kwargs=None, options=None):
        """Runs `fn` on this process's replica, in a replica context.

        Inside `fn`, `tf.distribute.get_replica_context()` gives the replica's
        context, and `optimizer.apply_gradients` sums the gradients over all
        replicas before updating (scale the loss by the global batch size, e.g.
        with `tf.nn.compute_average_loss(..., global_batch_size=...)`, as in TF).

        Args:
            fn: the function to run (one training or evaluation step).
            args: positional arguments for `fn`, e.g. this replica's batch.
            kwargs: keyword arguments for `fn`.
            options: accepted for compatibility.

        Returns:
            What `fn` returns: this replica's values. Combine them across
            replicas with `strategy.reduce`.

        Example:
        >>> strategy = tf.distribute.get_strategy()
        >>> float(strategy.run(lambda x: x * 2, args=(tf.constant(3.0),)))
        6.0
        """
        del options
        kwargs = {} if kwargs is None else kwargs
        if self._replicas > 1:
            _context.install_keras_hooks()
        context = ReplicaContext(self, self._rank)
        own_scope = _context.current() is not self
        with (
            self.scope() if own_scope else _nothing(),
            _context.replica_scope(context),
            _context.reducing(self._sum_reducer) if self._replicas > 1 else _nothing(),
        ):
            return fn(*args, **kwargs)

    experimental_run_v2 = run

    def reduce(self, reduce_op, value, axis=None):
        """Reduces per-replica values (what `run` returned) to one value on every replica.

        With several processes this is a collective: every process must call it.

        Args:
            reduce_op: `ReduceOp.SUM`/`'SUM'` or `ReduceOp.MEAN`/`'MEAN'`.
            value: this replica's value (a tensor, a number, or a nest of them).
            axis: also reduce along this axis of each value (e.g. the batch axis),
                or None to reduce only across replicas. With `MEAN` and an axis,
                the result is the mean over all elements along that axis of
                every replica (replicas may hold different sizes).

        Returns:
            The reduced value, with the structure of `value`.

        Example:
        >>> strategy = tf.distribute.get_strategy()
        >>> float(strategy.reduce("MEAN", tf.constant([1.0, 2.0, 6.0]), axis=0))
        3.0
        """
        op = _parse(reduce_op)

        def one(v):
            t = v if isinstance(v, torch.Tensor) else convert_to_tensor(v)
            if axis is None:
                return self._all_reduce_tensor(op, t)
            if not t.is_floating_point() and op is ReduceOp.MEAN:
                t = t.to(torch.get_default_dtype())
            local_sum = t.sum(dim=axis)
            if op is ReduceOp.SUM:
                return self._all_reduce_tensor(ReduceOp.SUM, local_sum)
            count = torch.tensor(float(t.shape[axis]), dtype=local_sum.dtype, device=t.device)
            total, n = self._all_reduce_list([local_sum, count])
            return total / n

        return _map_nest(one, value)

    def _all_reduce(self, op: ReduceOp, value):
        def one(v):
            t = v if isinstance(v, torch.Tensor) else convert_to_tensor(v)
            return self._all_reduce_tensor(op, t)

        return _map_nest(one, value)

    def _all_reduce_tensor(self, op: ReduceOp, t: torch.Tensor) -> torch.Tensor:
        if self._replicas == 1:
            return t
        (total,) = self._all_reduce_list([t])
        if op is ReduceOp.MEAN:
            if total.is_floating_point() or total.is_complex():
                return total / self._replicas
            return total.to(torch.get_default_dtype()) / self._replicas
        return total

    def _all_reduce_list(self, tensors: list) -> list:
        if self._replicas == 1:
            return list(tensors)
        return _collectives.all_reduce_sum(tensors)

    def gather(self, value, axis: int):
        """Concatenates per-replica values along `axis` (a collective with several processes).

        Args:
            value: this replica's value (a tensor or a nest of them).
            axis: the axis to concatenate along; replicas may differ in size there.

        Returns:
            The concatenation, in replica order, on every replica.
        """
        return self._gather(value, axis)

    def _gather(self, value, axis: int):
        def one(v):
            t = v if isinstance(v, torch.Tensor) else convert_to_tensor(v)
            if t.ndim == 0:
                raise ValueError(
                    "gather needs tensors with at least one axis to concatenate along; got a "
                    "scalar. Use strategy.reduce for scalars, or reshape to (1,)."
                )
            if self._replicas == 1:
                return t
            return _collectives.all_gather_rows(t, axis)

        return _map_nest(one, value)

    def experimental_local_results(self, value) -> tuple:
        """Returns the values of this process's replicas: a 1-tuple holding `value`."""
        return (value,)

    # -- input ---------------------------------------------------------------------------
    def experimental_distribute_dataset(self, dataset, options=None):
        """Splits each (global) batch of `dataset` across the replicas.

        The dataset must be batched with the global batch size; every process
        iterates it and keeps its own contiguous slice of each batch (sizes as
        even as possible; a final batch smaller than the number of replicas
        leaves some replicas an empty slice). Seed the dataset's shuffles, or
        create the strategy before the dataset (the strategy aligns the
        processes' random state), so all processes see the same batches.

        Args:
            dataset: a batched `tf.data.Dataset` or any iterable of batches.
            options: accepted for compatibility.

        Returns:
            A `DistributedDataset` yielding this replica's part of each batch.
        """
        del options
        from tork.distribute.input_lib import DistributedDataset

        return DistributedDataset(dataset, self, split=self._replicas > 1)

    def distribute_datasets_from_function(self, dataset_fn: Callable, options=None):
        """Builds each replica's input pipeline with `dataset_fn(input_context)`.

        `dataset_fn` receives an `InputContext` and returns this replica's dataset,
        batched with the per-replica batch size (use
        `input_context.get_per_replica_batch_size(global_batch_size)` and
        `dataset.shard(input_context.num_input_pipelines,
        input_context.input_pipeline_id)`).

        Args:
            dataset_fn: a function from `InputContext` to a dataset.
            options: accepted for compatibility.

        Returns:
            A `DistributedDataset` over the replica's dataset.
        """
        del options
        from tork.distribute.input_lib import DistributedDataset

        context = InputContext(self._replicas, self._rank, self._replicas)
        return DistributedDataset(dataset_fn(context), self, split=False)

    def experimental_distribute_values_from_function(self, value_fn: Callable):
        """Returns `value_fn(ValueContext)` for this process's replica."""
        return value_fn(ValueContext(self._rank, self._replicas))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(num_replicas_in_sync={self._replicas})"


@contextlib.contextmanager
def _nothing():
    yield


class _DefaultStrategy(Strategy):
    """The strategy in effect outside every scope: one replica, no communication."""

    def __init__(self):
        super().__init__()
        self._replicas = 1
        self._rank = 0


_DEFAULT: _DefaultStrategy | None = None


def _default() -> _DefaultStrategy:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = _DefaultStrategy()
    return _DEFAULT


def _start_job(kind: str, requested_devices: int | None) -> None:
    """Joins the torchrun job, or explains how to start one when one process is not enough."""
    _world.initialize()
    if _world.world_size() > 1:
        _align_random_state()
        return
    wanted = requested_devices if requested_devices is not None else _world.visible_gpus()
    if wanted > 1:
        raise RuntimeError(
            f"{kind} with {wanted} devices needs one process per device: tork trains "
            "data-parallel with torch.distributed, started by torchrun. Run:\n\n    "
            f"{_world.torchrun_command(wanted)}\n\n"
            "To train on a single device instead, pass devices=['/gpu:0'] (or set "
            "CUDA_VISIBLE_DEVICES=0)."
        )


def _align_random_state() -> None:
    # TF feeds all replicas from one input pipeline; here every process builds its own, so
    # they start from rank 0's CPU random state and unseeded shuffles and initializers agree.
    # Processes seeded alike already hold the same state, so for them this changes nothing.
    state = torch.get_rng_state()
    wire = state.clone()
    _collectives.broadcast_([wire], src=0)
    if not torch.equal(wire, state):
        torch.set_rng_state(wire)


def _check_devices(kind: str, devices) -> tuple:
    if devices is None:
        return None, None
    if isinstance(devices, str):
        devices = [devices]
    devices = list(devices)
    if not devices:
        raise ValueError(f"{kind}(devices=[]) lists no device; pass None to use every GPU.")
    return devices, len(devices)


class MirroredStrategy(Strategy):
    """Synchronous data-parallel training on the GPUs of one machine (`tf.distribute.MirroredStrategy`).

    tork runs one process per GPU, started by `torchrun`; the processes form a
    torch.distributed group (NCCL on GPUs, gloo on CPUs). Started without
    torchrun on a machine with one device, the strategy is a single replica and
    the program runs unchanged; with several visible GPUs and no torchrun it
    raises an error giving the exact torchrun command. Under torchrun the same
    class also spans several machines (see `MultiWorkerMirroredStrategy`).

    In `fit`, each process takes its slice of every global batch (`batch_size`
    is the global batch size), gradients are averaged over all samples of the
    global batch with a bucketed all-reduce, metrics are summed across
    replicas, only rank 0 prints progress and writes checkpoints, and all
    processes keep identical weights.

    Args:
        devices: the devices to use; under torchrun each process uses its own
            GPU (`LOCAL_RANK`), so this only checks the count. Without
            torchrun, one device runs in this process and several are refused
            with the torchrun command to use.
        cross_device_ops: accepted for compatibility; gradients are always
            all-reduced by torch.distributed (NCCL or gloo).

    Example:
    >>> strategy = tf.distribute.MirroredStrategy()
    >>> with strategy.scope():
    ...     model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])
    ...     model.compile(optimizer="sgd", loss="mse")
    >>> model.fit(x, y, batch_size=64)  # 64 samples per step, split across replicas
    """

    def __init__(self, devices=None, cross_device_ops=None):
        del cross_device_ops
        kind = type(self).__name__
        devices, count = _check_devices(kind, devices)
        _start_job(kind, count)
        world = _world.world_size()
        if world > 1 and count is not None:
            local = int(os.environ.get("LOCAL_WORLD_SIZE", world))
            if count != local:
                raise ValueError(
                    f"{kind}(devices={devices}) names {count} device(s), but torchrun started "
                    f"{local} process(es) on this machine; each process drives one device. "
                    f"Start torchrun with --nproc_per_node={count}, or leave devices=None."
                )
        device_name = devices[0] if (world == 1 and devices) else None
        super().__init__(device_name)
        self._function_copies = weakref.WeakKeyDictionary()

    def run(self, fn: Callable, args=(), kwargs=None, options=None):
        """Runs `fn` on this process's replica, in a replica context (see `Strategy.run`).

        A `tf.function` given here runs through a copy of it made for this strategy, as in
        TensorFlow: the copy's first call may create variables (a new model's optimizer
        slots) even when the function itself was called before, e.g. without the strategy.
        """
        from tork.function import Function

        if isinstance(fn, Function):
            copies = self.__dict__.setdefault("_function_copies", weakref.WeakKeyDictionary())
            copy = copies.get(fn)
            if copy is None:
                copy = copies[fn] = _fresh_copy(fn)
            fn = copy
        return super().run(fn, args, kwargs, options)


def _fresh_copy(function):
    """A new `tf.function` over the same Python function and options, not yet called."""
    from tork.function import Function

    return Function(
        function.python_function,
        input_signature=function.input_signature,
        jit_compile=function._jit_compile,
        reduce_retracing=function._reduce_retracing,
        autograph=function._autograph,
    )


class MultiWorkerMirroredStrategy(MirroredStrategy):
    """Synchronous data-parallel training over several machines (`tf.distribute.MultiWorkerMirroredStrategy`).

    Start one process per device on every machine with torchrun's rendezvous
    arguments (see docs/distributed.md), e.g. on each of 2 machines:
    `torchrun --nnodes=2 --nproc_per_node=8 --rdzv_backend=c10d
    --rdzv_endpoint=host0:29400 --rdzv_id=job1 train.py`. It behaves exactly
    like `MirroredStrategy` over all processes of the job. `TF_CONFIG` is not
    read: torchrun's rendezvous replaces it.

    Args:
        cluster_resolver: accepted; the job is described by torchrun. The
            `cluster_resolver` attribute describes this process's task.
        communication_options: accepted for compatibility (NCCL on GPUs,
            gloo on CPUs).

    Example:
    >>> strategy = tf.distribute.MultiWorkerMirroredStrategy()
    >>> strategy.cluster_resolver.task_id  # this process's rank
    0
    """

    def __init__(self, cluster_resolver=None, communication_options=None):
        del communication_options
        if (
            "TF_CONFIG" in os.environ
            and not _world.launched_with_torchrun()
            and not _world.initialized()
        ):
            raise RuntimeError(
                "TF_CONFIG is set, but tork does not read it: multi-worker jobs are started "
                "by torchrun, whose rendezvous replaces TF_CONFIG. On each machine run e.g.\n\n"
                "    torchrun --nnodes=<machines> --nproc_per_node=<gpus per machine> "
                "--rdzv_backend=c10d --rdzv_endpoint=<first machine>:29400 --rdzv_id=<job id> "
                f"{_world.script_target()}\n\n"
                "and unset TF_CONFIG (see docs/distributed.md)."
            )
        super().__init__()
        from tork.distribute.cluster_resolver import TorchrunClusterResolver

        self.cluster_resolver = (
            cluster_resolver if cluster_resolver is not None else TorchrunClusterResolver()
        )


class OneDeviceStrategy(Strategy):
    """Runs on one device (`tf.distribute.OneDeviceStrategy`): a single replica.

    Variables and tensors created inside `scope()` (and inside `run`) are
    placed on `device`.

    Args:
        device: the device, e.g. `'/gpu:0'` or `'/cpu:0'`.

    Example:
    >>> strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    >>> with strategy.scope():
    ...     v = tf.Variable(1.0)
    """

    def __init__(self, device):
        super().__init__(device)
        self._replicas = 1
        self._rank = 0


def get_strategy() -> Strategy:
    """Returns the strategy of the enclosing `scope()`, or the default single-replica one.

    Example:
    >>> tf.distribute.get_strategy().num_replicas_in_sync
    1
    """
    strategy = _context.current()
    return strategy if strategy is not None else _default()


def _entered() -> Strategy | None:
    """The strategy of the enclosing scope, or None outside every non-default scope.

    `get_strategy().scope()` enters the default strategy; TensorFlow still reports no
    strategy there (`has_strategy()` False, a replica context), so it counts as none.
    """
    strategy = _context.current()
    return None if isinstance(strategy, _DefaultStrategy) else strategy


def has_strategy() -> bool:
    """Whether a strategy's `scope()` is entered (the default strategy does not count)."""
    return _entered() is not None


def in_cross_replica_context() -> bool:
    """Whether code runs inside a strategy scope but outside `strategy.run`."""
    return _entered() is not None and _context.replica() is None


def get_replica_context() -> ReplicaContext | None:
    """Returns the current `ReplicaContext`.

    Inside `strategy.run` it is that replica's context; inside a scope but
    outside `run` (cross-replica context) it is None; outside every scope it
    is the default strategy's single replica.
    """
    context = _context.replica()
    if context is not None:
        return context
    if _entered() is not None:
        return None
    return ReplicaContext(_default(), 0)


def is_chief() -> bool:
    """Whether this process is the chief (rank 0): the one that prints and writes files.

    True in a single-process program. Guard file writes (checkpoints, exports,
    logs) in multi-process scripts with it.

    Example:
    >>> if tf.distribute.is_chief():
    ...     model.save("model.keras")
    """
    return _world.rank() == 0
