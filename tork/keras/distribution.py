"""`keras.distribution`: Keras 3's data-parallel API, and how `fit` runs data-parallel.

Public (Keras 3): `list_devices`, `initialize`, `DeviceMesh`, `TensorLayout`,
`DataParallel`, `set_distribution`, `distribution`. `DataParallel` is the same
machinery as `tf.distribute.MirroredStrategy`: one process per device started
by torchrun, gradients all-reduced by torch.distributed.

Private: `_ReplicatedTraining`, the object `compile` attaches to a model
compiled under a multi-replica strategy. `fit`, `evaluate`, `predict` and
`train_on_batch` call its hooks; a model compiled without one pays nothing.
Each training step then:

1. takes this process's slice of the global batch (the adapters ask a
   `_Shard` for the rows, and shuffled orders come from rank 0);
2. runs the ordinary `train_step`; the optimizer's update sums the gradients
   over processes, each weighted by its share of the global batch, in 25 MB
   buckets (so the update equals the single-process one on the global batch
   for Keras's mean-reduced losses);
3. sums the metric states over processes (TF's SUM aggregation), averages the
   layers' non-trainable state (BatchNorm statistics) like TF's mirrored
   variables, and recomputes the logs from the summed states, so every process
   logs the same numbers, in one all-reduce.
"""

from __future__ import annotations

import contextlib
import os

import numpy as np
import torch
import torch.distributed as dist

from tork._backend.errors import module_getattr as _module_getattr
from tork.distribute import _collectives, _context, _world
from tork.distribute.input_lib import _replica_range
from tork.distribute.strategy import ReplicaContext, Strategy, _start_job
from tork.keras.trainers import data_adapters

# -- Keras 3 API ---------------------------------------------------------------------------------


def list_devices(device_type: str | None = None) -> list:
    """Returns the devices of the job, one per process under torchrun.

    Args:
        device_type: `'cpu'` or `'gpu'`; by default GPUs if there are any, else CPUs.

    Returns:
        Device names such as `['gpu:0', 'gpu:1']`. Under torchrun the list has
        one entry per process (each process drives one device); otherwise the
        GPUs visible here, or `['cpu:0']`.

    Example:
    >>> keras.distribution.list_devices("cpu")
    ['cpu:0']
    """
    _world.initialize()
    kind = (device_type or ("gpu" if torch.cuda.is_available() else "cpu")).lower()
    if kind not in ("cpu", "gpu"):
        raise ValueError(
            f"Unknown device_type {device_type!r}: tork runs on 'cpu' and 'gpu' devices."
        )
    if kind == "gpu" and not torch.cuda.is_available():
        return []
    if _world.world_size() > 1:
        count = _world.world_size()
    else:
        count = _world.visible_gpus() if kind == "gpu" else 1
    return [f"{kind}:{i}" for i in range(count)]


def initialize(job_addresses=None, num_processes=None, process_id=None) -> None:
    """Joins a multi-process job (Keras 3's `keras.distribution.initialize`).

    Under torchrun nothing needs to be passed: the job is torchrun's. Otherwise
    every process calls it with the same `job_addresses` (the first address,
    `host:port`, is the rendezvous) and `num_processes`, and its own
    `process_id`. The arguments default to the environment variables
    `KERAS_DISTRIBUTION_JOB_ADDRESSES`, `KERAS_DISTRIBUTION_NUM_PROCESSES` and
    `KERAS_DISTRIBUTION_PROCESS_ID`.

    Args:
        job_addresses: comma-separated `host:port` addresses of the processes.
        num_processes: the number of processes in the job.
        process_id: this process's index, `0 .. num_processes - 1`.
    """
    if _world.initialized():
        return
    if _world.launched_with_torchrun():
        _world.initialize()
        return
    job_addresses = job_addresses or os.environ.get("KERAS_DISTRIBUTION_JOB_ADDRESSES")
    if num_processes is None and os.environ.get("KERAS_DISTRIBUTION_NUM_PROCESSES"):
        num_processes = int(os.environ["KERAS_DISTRIBUTION_NUM_PROCESSES"])
    if process_id is None and os.environ.get("KERAS_DISTRIBUTION_PROCESS_ID"):
        process_id = int(os.environ["KERAS_DISTRIBUTION_PROCESS_ID"])
    if not num_processes or int(num_processes) <= 1:
        return
    if not job_addresses or process_id is None:
        raise ValueError(
            "keras.distribution.initialize needs job_addresses (e.g. '10.0.0.1:1234,"
            "10.0.0.2:1234') and process_id when num_processes > 1 "
            f"(got job_addresses={job_addresses!r}, process_id={process_id!r}). Or launch "
            "with torchrun, which needs no arguments."
        )
    coordinator = str(job_addresses).split(",")[0].strip()
    if ":" not in coordinator:
        raise ValueError(
            f"The first job address {coordinator!r} has no port; write it as host:port, "
            "e.g. '10.0.0.1:1234'."
        )
    backend = "nccl" if torch.cuda.is_available() else "gloo"
    if backend == "nccl":
        torch.cuda.set_device(int(process_id) % torch.cuda.device_count())
    dist.init_process_group(
        backend=backend,
        init_method=f"tcp://{coordinator}",
        world_size=int(num_processes),
        rank=int(process_id),
    )


class DeviceMesh:
    """A grid of devices with named axes (`keras.distribution.DeviceMesh`).

    Args:
        shape: the grid shape, e.g. `(8,)`.
        axis_names: one name per axis, e.g. `['batch']`.
        devices: the devices (as from `list_devices()`); all of them by default.

    Example:
    >>> mesh = keras.distribution.DeviceMesh((1,), ["batch"], ["cpu:0"])
    >>> mesh.shape
    (1,)
    """

    def __init__(self, shape, axis_names, devices=None):
        shape = tuple(int(s) for s in shape)
        axis_names = list(axis_names)
        if len(shape) != len(axis_names):
            raise ValueError(
                f"DeviceMesh: shape {shape} has {len(shape)} axes but axis_names "
                f"{axis_names} has {len(axis_names)}; give one name per axis."
            )
        devices = np.array(list_devices() if devices is None else list(devices), dtype=object)
        if devices.size != int(np.prod(shape)):
            raise ValueError(
                f"DeviceMesh: shape {shape} holds {int(np.prod(shape))} devices but "
                f"{devices.size} were given ({list(devices.reshape(-1))})."
            )
        self._shape = shape
        self._axis_names = axis_names
        self._devices = devices.reshape(shape)

    @property
    def shape(self) -> tuple:
        return self._shape

    @property
    def axis_names(self) -> list:
        return self._axis_names

    @property
    def devices(self) -> np.ndarray:
        return self._devices

    def __repr__(self) -> str:
        return f"DeviceMesh(shape={self._shape}, axis_names={self._axis_names})"


class TensorLayout:
    """How a tensor is laid out on a `DeviceMesh`: one mesh axis name (or None) per dimension.

    Args:
        axes: per tensor dimension, the mesh axis it is split along, or None.
        device_mesh: the mesh.
    """

    def __init__(self, axes, device_mesh=None):
        self.axes = tuple(axes)
        self.device_mesh = device_mesh

    def __repr__(self) -> str:
        return f"TensorLayout(axes={self.axes})"


class Distribution:
    """Base class of Keras 3 distributions: a device mesh and the strategy that runs it.

    Args:
        device_mesh: the `DeviceMesh`.
        batch_dim_name: the mesh axis the batch is split along.
    """

    def __init__(self, device_mesh, batch_dim_name=None):
        self._device_mesh = device_mesh
        self._batch_dim_name = batch_dim_name
        self._strategy: Strategy | None = None

    @property
    def device_mesh(self) -> DeviceMesh:
        return self._device_mesh

    @property
    def batch_dim_name(self):
        return self._batch_dim_name

    @contextlib.contextmanager
    def scope(self):
        """Models built and compiled inside train with this distribution."""
        with self._strategy.scope():
            yield

    def get_data_layout(self, data_shape) -> TensorLayout:
        """The layout of input data: split along the batch axis."""
        return TensorLayout(
            [self._batch_dim_name] + [None] * (len(data_shape) - 1), self._device_mesh
        )

    def get_variable_layout(self, variable) -> TensorLayout:
        """The layout of a variable: replicated on every device."""
        return TensorLayout([None] * len(variable.shape), self._device_mesh)

    def get_tensor_layout(self, path):
        """Intermediate tensors have no layout constraint (None)."""
        del path
        return None

    def distribute_dataset(self, dataset):
        """Returns the dataset as this process should iterate it."""
        return dataset


class _DataParallelStrategy(Strategy):
    def __init__(self, count: int | None):
        _start_job("DataParallel", count)
        super().__init__()


class DataParallel(Distribution):
    """Data parallelism (`keras.distribution.DataParallel`): replicated weights, split batches.

    tork runs one process per device (start them with torchrun); each process
    takes its slice of every global batch and gradients are all-reduced with
    torch.distributed. Set it globally with `set_distribution` (then every
    model compiled afterwards trains data-parallel) or use `scope()`.

    Args:
        device_mesh: a 1-D `DeviceMesh`; its axis is the batch axis.
        devices: the devices, when no mesh is given; all devices by default.
            Without torchrun, more than one device is refused with the
            torchrun command to use.
        auto_shard_dataset: whether `distribute_dataset` splits each batch
            across processes.

    Example:
    >>> keras.distribution.set_distribution(keras.distribution.DataParallel())
    >>> model.compile(optimizer="adam", loss="mse")  # trains data-parallel in fit
    """

    def __init__(self, device_mesh=None, devices=None, auto_shard_dataset=True):
        _world.initialize()
        if device_mesh is None:
            devices = list_devices() if devices is None else list(devices)
            device_mesh = DeviceMesh((len(devices),), ["batch"], devices)
        elif len(device_mesh.shape) != 1:
            raise ValueError(
                f"DataParallel needs a 1-D DeviceMesh (the batch axis), got shape "
                f"{device_mesh.shape}; model parallelism (ModelParallel) is not available "
                "in tork."
            )
        super().__init__(device_mesh, device_mesh.axis_names[0])
        count = int(device_mesh.devices.size)
        if _world.world_size() > 1 and count != _world.world_size():
            raise ValueError(
                f"DataParallel was given {count} device(s), but the torchrun job has "
                f"{_world.world_size()} process(es), one per device. Pass devices=None, or "
                f"start torchrun with {count} processes in total."
            )
        self._strategy = _DataParallelStrategy(count if _world.world_size() == 1 else None)
        self._auto_shard_dataset = bool(auto_shard_dataset)

    @property
    def auto_shard_dataset(self) -> bool:
        return self._auto_shard_dataset

    def distribute_dataset(self, dataset):
        """Returns a dataset yielding this process's slice of each global batch."""
        if not self._auto_shard_dataset:
            return dataset
        return self._strategy.experimental_distribute_dataset(dataset)

    def __repr__(self) -> str:
        return f"DataParallel(num_replicas={self._strategy.num_replicas_in_sync})"


_distribution: Distribution | None = None


def set_distribution(value) -> None:
    """Sets the distribution every model compiled afterwards trains with (None to unset).

    Args:
        value: a `Distribution` (e.g. `DataParallel()`) or None.
    """
    global _distribution
    if value is not None and not isinstance(value, Distribution):
        raise TypeError(
            "set_distribution expects a keras.distribution.Distribution such as "
            f"DataParallel(), or None; got {type(value).__name__}."
        )
    _distribution = value
    _context.set_global(None if value is None else value._strategy)


def distribution():
    """Returns the distribution set by `set_distribution`, or None."""
    return _distribution


# -- the optimizer side of gradient aggregation --------------------------------------------------


def _install_optimizer_hook() -> None:
    """Kept for callers: `Optimizer._tork_step` itself consults the active gradient reducer."""


# -- fit, evaluate, predict -------------------------------------------------------------------


def _training_for_compile():
    """What `compile` attaches to the model: None unless a multi-replica strategy is active."""
    strategy = _context.active()
    if strategy is None or strategy.num_replicas_in_sync <= 1:
        return None
    return _ReplicatedTraining(strategy)


class _Shard:
    """This process's rows of each global batch; the adapters ask it per batch."""

    __slots__ = ("rank", "replicas", "local", "total")

    def __init__(self, rank: int, replicas: int):
        self.rank = rank
        self.replicas = replicas
        self.local = 0
        self.total = None

    def local_range(self, start: int, stop: int) -> tuple:
        """Rows `[a, b)` of the global batch `[start, stop)` that this process computes."""
        rows = stop - start
        a, b = _replica_range(rows, self.rank, self.replicas)
        self.total = rows
        self.local = b - a
        if a == b:
            # Fewer rows than processes: this process steps on one row whose gradient
            # counts zero and whose metric updates are undone, to stay in lockstep.
            return start, start + 1
        return start + a, start + b

    def unsplit(self, rows: int) -> None:
        """Records a batch that is already this process's own (a distributed dataset)."""
        self.total = None
        self.local = rows

    def sync_order(self, order: torch.Tensor) -> torch.Tensor:
        """Every process takes rank 0's shuffled order."""
        _collectives.broadcast_([order], src=0)
        return order

    def weight(self) -> float:
        """This process's share of the global batch's gradient."""
        if self.total is None:
            return 1.0 / self.replicas
        return self.local / self.total


class _ShardedIterable:
    """A dataset/generator adapter yielding this process's slice of each batch."""

    def __init__(self, adapter, shard: _Shard, split: bool):
        self._adapter = adapter
        self._tork_shard = shard
        self._split = split

    @property
    def steps(self):
        return self._adapter.steps

    def epoch(self):
        shard = self._tork_shard
        for batch in self._adapter.epoch():
            leaves = [t for t in data_adapters.flatten(batch) if t.ndim > 0]
            rows = int(leaves[0].shape[0]) if leaves else 0
            if not self._split:
                shard.unsplit(rows)
                yield batch
                continue
            a, b = shard.local_range(0, rows)

            def take(v, a=a, b=b, rows=rows):
                return v[a:b] if v.ndim > 0 and v.shape[0] == rows else v

            yield data_adapters.map_structure(take, batch)


def _already_distributed(adapter) -> bool:
    data = getattr(adapter, "data", None)
    if getattr(data, "_tork_distributed_dataset", False):
        return True
    sampler = getattr(data, "sampler", None)
    return isinstance(sampler, torch.utils.data.distributed.DistributedSampler)


def _log_name(metric) -> str:
    return getattr(metric, "_tork_log_name", None) or metric.name


def _frozen(value):
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_frozen(v) for v in value)
    return value


def _is_number(value) -> bool:
    if isinstance(value, torch.Tensor):
        return value.numel() == 1 and not value.is_complex()
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool)


class _WeightedReducer:
    """`fit`'s gradient aggregation: the sum over processes of `share * gradient`."""

    def __init__(self):
        self.weight = 1.0
        self._last = None
        self._seen: set = set()

    def __call__(self, params: list, grads: list) -> list:
        if params is not self._last:
            key = tuple(map(id, params))
            if key not in self._seen:
                _context.mirror(params)
                self._seen.add(key)
            self._last = params
        return _collectives.all_reduce_sum(grads, scale=self.weight)


class _ReplicatedTraining:
    """The data-parallel side of `fit`/`evaluate`/`predict` for one compiled model."""

    def __init__(self, strategy: Strategy):
        self.strategy = strategy
        self.rank = strategy._rank
        self.replicas = strategy.num_replicas_in_sync
        self._reducer = _WeightedReducer()
        # Steps run in a replica context, as Keras runs train_step inside strategy.run.
        self._replica = ReplicaContext(strategy, self.rank)
        self._states = None
        self._mirroring = None
        _context.install_keras_hooks()

    # -- options and data ------------------------------------------------------------------
    def options(self, verbose, callbacks):
        """Rank 0 keeps everything; the others are silent and drop file-writing callbacks."""
        if self.rank == 0:
            return verbose, callbacks
        from tork.keras import callbacks as keras_callbacks

        chief_only = (
            keras_callbacks.ModelCheckpoint,
            keras_callbacks.BackupAndRestore,
            keras_callbacks.CSVLogger,
            keras_callbacks.TensorBoard,
            keras_callbacks.ProgbarLogger,
        )
        return 0, [c for c in _flatten_callbacks(callbacks) if not isinstance(c, chief_only)]

    def shard(self, adapter):
        """Makes `adapter` yield this process's slice of each global batch."""
        if adapter is None:
            return None
        shard = _Shard(self.rank, self.replicas)
        if isinstance(adapter, (data_adapters.ArrayAdapter, data_adapters._SliceDatasetAdapter)):
            adapter._tork_shard = shard
            return adapter
        if getattr(adapter, "shuffle", False):
            adapter._tork_shard = shard  # a shuffled PyDataset: one batch order for all
        return _ShardedIterable(adapter, shard, split=not _already_distributed(adapter))

    # -- steps ---------------------------------------------------------------------------
    def wrap_train(self, model, train_fn, adapter):
        """Returns `train_fn` with gradients reduced across processes and logs made global."""
        shard = getattr(adapter, "_tork_shard", None)
        if shard is None:
            return train_fn
        reducer = self._reducer
        strategy, replica = self.strategy, self._replica
        self._states = None

        def step(batch):
            has_data = shard.local > 0
            reducer.weight = shard.weight()
            saved = None if has_data else _snapshot_metrics(model)
            with _context.in_replica(strategy, replica), _context.reducing(reducer):
                logs = train_fn(batch)
            if saved is not None:
                _restore_metrics(model, saved)
            return self._reduce_logs(model, logs, has_data, with_states=True)

        return step

    def wrap_test(self, model, test_fn, adapter):
        """Returns `test_fn` with metrics summed across processes."""
        shard = getattr(adapter, "_tork_shard", None)
        if shard is None:
            return test_fn
        strategy, replica = self.strategy, self._replica

        def step(batch):
            has_data = shard.local > 0
            saved = None if has_data else _snapshot_metrics(model)
            with _context.in_replica(strategy, replica):
                logs = test_fn(batch)
            if saved is not None:
                _restore_metrics(model, saved)
            return self._reduce_logs(model, logs, has_data, with_states=False)

        return step

    def _state_weights(self, model) -> list:
        # Layer state updated in the forward pass (BatchNorm statistics): created
        # non-trainable by add_weight. Frozen kernels are left out: they never change.
        if self._states is None:
            self._states = [
                w
                for w in model.weights
                if w.is_floating_point() and getattr(w, "_tork_created_trainable", True) is False
            ]
        return self._states

    def _reduce_logs(self, model, logs, has_data: bool, with_states: bool) -> dict:
        logs = logs if isinstance(logs, dict) else {}
        metrics = model.__dict__.get("_tork_metrics_cache") or model.metrics
        names = {_log_name(m): m for m in metrics}
        device = _world.comm_device()
        first = self.rank == 0
        metric_vars, parts = [], []
        for metric in metrics:
            for v in metric.variables:
                aggregation = str(getattr(v, "aggregation", "sum")).lower()
                value = v.detach()
                if aggregation == "mean":
                    value = value.double() / self.replicas
                elif aggregation == "only_first_replica" and not first:
                    value = torch.zeros_like(value)
                metric_vars.append(v)
                parts.append(value)
        states = self._state_weights(model) if with_states else []
        others = [k for k, v in logs.items() if k not in names and _is_number(v)]
        for w in states:
            parts.append(w.detach() if has_data else torch.zeros_like(w))
        for key in others:
            value = logs[key]
            value = value.detach() if isinstance(value, torch.Tensor) else torch.tensor(value)
            parts.append(value if has_data else torch.zeros_like(value))
        parts.append(torch.ones((), device=device) if has_data else torch.zeros((), device=device))
        flat = torch.cat([p.reshape(-1).to(device=device, dtype=torch.float64) for p in parts])
        dist.all_reduce(flat)
        count = flat[-1]

        offset = 0
        reduced = []
        for v in metric_vars:
            n = v.numel()
            reduced.append(flat[offset : offset + n].view(v.shape).to(v.device, v.dtype))
            offset += n
        with torch.no_grad():
            for w in states:
                n = w.numel()
                w.copy_((flat[offset : offset + n] / count).view(w.shape).to(w.device, w.dtype))
                offset += n
        out = dict(logs)
        for key in others:
            out[key] = (flat[offset] / count).to(torch.float32)
            offset += 1

        saved = [v.data for v in metric_vars]
        try:
            for v, value in zip(metric_vars, reduced):
                v.data = value
            for key in logs:
                metric = names.get(key)
                if metric is not None:
                    out[key] = _frozen(metric.result())
        finally:
            for v, value in zip(metric_vars, saved):
                v.data = value
        return out

    # -- fit ----------------------------------------------------------------------------
    def fit_begin(self, model, initial_epoch: int) -> int:
        """Aligns the processes before the first epoch; returns rank 0's starting epoch.

        Rank 0's weights and optimizer state (restored from a backup, loaded,
        or freshly initialized) are broadcast to every process, and weights
        layers create during training are broadcast as they appear.
        """
        optimizer = model.optimizer
        built = bool(getattr(optimizer, "built", False))
        initial_epoch, chief_built = _collectives.broadcast_ints([initial_epoch, int(built)])
        if chief_built and not built and hasattr(optimizer, "build"):
            optimizer.build(model.trainable_variables)
        tensors = list(model.weights)
        if chief_built:
            tensors += [v for v in optimizer.variables if isinstance(v, torch.Tensor)]
        _collectives.broadcast_(tensors, src=0)
        _context.mark_mirrored(model.weights)
        self._states = None
        self._mirroring = _context.mirroring()
        self._mirroring.__enter__()
        return initial_epoch

    def fit_end(self) -> None:
        """Stops broadcasting newly created weights."""
        if self._mirroring is not None:
            self._mirroring.__exit__(None, None, None)
            self._mirroring = None


def _flatten_callbacks(callbacks) -> list:
    if callbacks is None:
        return []
    inner = getattr(callbacks, "callbacks", None)
    if isinstance(inner, list):
        return list(inner)
    if isinstance(callbacks, (list, tuple)):
        out = []
        for c in callbacks:
            out.extend(_flatten_callbacks(c) if isinstance(c, (list, tuple)) else [c])
        return out
    return [callbacks]


def _snapshot_metrics(model) -> tuple:
    metrics = model.metrics
    values = {id(v): (v, v.detach().clone()) for m in metrics for v in m.variables}
    return metrics, values


def _restore_metrics(model, saved) -> None:
    _, values = saved
    with torch.no_grad():
        for v, value in values.values():
            v.copy_(value)
    for metric in model.metrics:
        if any(id(v) not in values for v in metric.variables):
            # Created during the discarded step: back to its initial value.
            metric.reset_state()


__getattr__ = _module_getattr("keras.distribution")
