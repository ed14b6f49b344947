"""Strategies in one process: a transparent single replica, and the errors users can cause."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import tork as tf
from tork.distribute import _world
from tork.distribute import strategy as strategy_mod


@pytest.fixture(autouse=True)
def _single_process(monkeypatch):
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "TF_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(_world, "visible_gpus", lambda: 0)


def test_mirrored_strategy_is_one_replica_without_torchrun():
    strategy = tf.distribute.MirroredStrategy()
    assert strategy.num_replicas_in_sync == 1
    assert not tf.distribute.has_strategy()
    with strategy.scope() as entered:
        assert entered is strategy
        assert tf.distribute.has_strategy()
        assert tf.distribute.get_strategy() is strategy
        assert tf.distribute.in_cross_replica_context()
        assert tf.distribute.get_replica_context() is None
    assert tf.distribute.get_strategy().num_replicas_in_sync == 1
    assert not tf.distribute.has_strategy()


def test_default_strategy_scope_counts_as_no_strategy():
    # TF 2.21: inside tf.distribute.get_strategy().scope(), has_strategy() and
    # in_cross_replica_context() are False and a replica context exists.
    default = tf.distribute.get_strategy()
    with default.scope() as entered:
        assert entered is default
        assert tf.distribute.get_strategy() is default
        assert not tf.distribute.has_strategy()
        assert not tf.distribute.in_cross_replica_context()
        ctx = tf.distribute.get_replica_context()
        assert ctx is not None and ctx.num_replicas_in_sync == 1


def test_extended_lists_the_replica_device_and_chief_duties():
    # Values printed by TF 2.21 on one CPU.
    cpu = "/job:localhost/replica:0/task:0/device:CPU:0"
    for strategy in (tf.distribute.MirroredStrategy(), tf.distribute.OneDeviceStrategy("/cpu:0")):
        extended = strategy.extended
        assert isinstance(extended, tf.distribute.StrategyExtended)
        assert strategy.extended is extended
        assert extended.worker_devices == (cpu,)
        assert extended.parameter_devices == (cpu,)
        assert extended.should_checkpoint and extended.should_save_summary
        assert not extended.experimental_require_static_shapes
        assert not extended.experimental_between_graph
        assert not extended._in_multi_worker_mode()


def test_default_strategy_extended_has_no_devices():
    with pytest.raises(RuntimeError, match="unsupported by default tf.distribute.Strategy"):
        _ = tf.distribute.get_strategy().extended.worker_devices
    assert tf.distribute.get_strategy().extended.should_checkpoint


def test_run_gives_a_replica_context_and_returns_the_result():
    strategy = tf.distribute.MirroredStrategy()

    def step(x, scale=1.0):
        ctx = tf.distribute.get_replica_context()
        assert ctx.replica_id_in_sync_group == 0
        assert ctx.num_replicas_in_sync == 1
        assert not tf.distribute.in_cross_replica_context()
        return ctx.all_reduce("SUM", x * scale)

    out = strategy.run(step, args=(torch.tensor([1.0, 2.0]),), kwargs={"scale": 3.0})
    np.testing.assert_allclose(out.numpy(), [3.0, 6.0])
    assert strategy.experimental_local_results(out) == (out,)


def test_reduce_with_and_without_axis():
    strategy = tf.distribute.MirroredStrategy()
    value = torch.tensor([[1.0, 2.0], [3.0, 6.0], [5.0, 1.0]])
    np.testing.assert_allclose(strategy.reduce("SUM", value, axis=None).numpy(), value.numpy())
    np.testing.assert_allclose(
        strategy.reduce(tf.distribute.ReduceOp.SUM, value, axis=0).numpy(), [9.0, 9.0]
    )
    np.testing.assert_allclose(strategy.reduce("mean", value, axis=0).numpy(), [3.0, 3.0])
    nested = strategy.reduce("SUM", {"a": 1.5, "b": (value, value)}, axis=None)
    assert float(nested["a"]) == 1.5 and isinstance(nested["b"], tuple)


def test_reduce_rejects_unknown_ops():
    strategy = tf.distribute.MirroredStrategy()
    with pytest.raises(ValueError, match=r"Invalid reduce_op 'MAX'.*'SUM' or 'MEAN'"):
        strategy.reduce("MAX", torch.tensor(1.0), axis=None)


def test_reduce_op_from_variable_aggregation():
    assert tf.distribute.ReduceOp.from_variable_aggregation("sum") is tf.distribute.ReduceOp.SUM
    assert tf.distribute.ReduceOp.from_variable_aggregation("MEAN").value == "MEAN"
    with pytest.raises(ValueError, match="only 'sum' and 'mean'"):
        tf.distribute.ReduceOp.from_variable_aggregation("only_first_replica")


def test_distributed_dataset_is_the_dataset_with_one_replica():
    strategy = tf.distribute.MirroredStrategy()
    ds = tf.data.Dataset.from_tensor_slices((np.arange(10.0).reshape(5, 2), np.arange(5))).batch(2)
    batches = list(strategy.experimental_distribute_dataset(ds))
    assert [tuple(b[0].shape) for b in batches] == [(2, 2), (2, 2), (1, 2)]
    np.testing.assert_allclose(batches[2][0].numpy(), [[8.0, 9.0]])


def test_distributed_iterator_get_next_and_optional():
    # The keras.io custom-loop pattern: iterator = iter(dist_dataset); next(iterator).
    strategy = tf.distribute.MirroredStrategy()
    ds = tf.data.Dataset.from_tensor_slices(np.arange(10, dtype="float32")).batch(4)
    iterator = iter(strategy.experimental_distribute_dataset(ds))
    assert iter(iterator) is iterator
    np.testing.assert_array_equal(next(iterator).numpy(), [0.0, 1.0, 2.0, 3.0])
    np.testing.assert_array_equal(iterator.get_next().numpy(), [4.0, 5.0, 6.0, 7.0])
    optional = iterator.get_next_as_optional()
    assert bool(optional.has_value())
    np.testing.assert_array_equal(optional.get_value().numpy(), [8.0, 9.0])
    assert not bool(iterator.get_next_as_optional().has_value())
    assert iterator.element_spec == ds.element_spec
    with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
        iterator.get_next()
    with pytest.raises(StopIteration):
        next(iterator)


def test_distributed_dataset_needs_batches():
    strategy = tf.distribute.MirroredStrategy()
    # One replica never splits, so the check applies where splitting happens.
    from tork.distribute.input_lib import DistributedDataset

    split = DistributedDataset(tf.data.Dataset.from_tensor_slices([1.0, 2.0]), strategy, split=True)
    with pytest.raises(ValueError, match=r"needs a batched dataset.*dataset.batch\(64\)"):
        list(split)


def test_replica_range_splits_as_evenly_as_possible():
    from tork.distribute.input_lib import _replica_range

    assert [_replica_range(10, r, 3) for r in range(3)] == [(0, 4), (4, 7), (7, 10)]
    assert [_replica_range(1, r, 2) for r in range(2)] == [(0, 1), (1, 1)]


def test_distribute_datasets_from_function_passes_an_input_context():
    strategy = tf.distribute.MirroredStrategy()
    seen = []

    def dataset_fn(ctx):
        seen.append(ctx)
        return [torch.ones(ctx.get_per_replica_batch_size(8), 2)]

    batches = list(strategy.distribute_datasets_from_function(dataset_fn))
    assert seen[0].num_input_pipelines == 1 and seen[0].input_pipeline_id == 0
    assert tuple(batches[0].shape) == (8, 2)


def test_input_context_batch_size_must_divide():
    ctx = tf.distribute.InputContext(2, 0, 2)
    assert ctx.get_per_replica_batch_size(64) == 32
    with pytest.raises(ValueError, match=r"global batch size \(7\) must be divisible .* \(2\)"):
        ctx.get_per_replica_batch_size(7)


def test_gather_concatenates_and_rejects_scalars():
    strategy = tf.distribute.MirroredStrategy()
    np.testing.assert_allclose(strategy.gather(torch.ones(2, 3), axis=0).numpy(), np.ones((2, 3)))
    with pytest.raises(ValueError, match="at least one axis"):
        strategy.gather(torch.tensor(1.0), axis=0)


def test_mixing_strategies_is_an_error():
    first = tf.distribute.MirroredStrategy()
    second = tf.distribute.OneDeviceStrategy("/cpu:0")
    with first.scope():
        with pytest.raises(ValueError, match="Mixing different tf.distribute.Strategy objects"):
            with second.scope():
                pass
        with first.scope():  # re-entering the same strategy is fine
            assert tf.distribute.get_strategy() is first


def test_several_devices_without_torchrun_gives_the_command(monkeypatch):
    import sys
    import types

    main = types.ModuleType("__main__")
    main.__file__ = "train.py"
    monkeypatch.setitem(sys.modules, "__main__", main)
    monkeypatch.setattr(_world, "visible_gpus", lambda: 4)
    monkeypatch.setattr("sys.argv", ["train.py", "--epochs", "3"])
    with pytest.raises(RuntimeError, match="needs one process per device") as info:
        tf.distribute.MirroredStrategy()
    assert "torchrun --standalone --nproc_per_node=4 train.py --epochs 3" in str(info.value)
    with pytest.raises(RuntimeError, match="--nproc_per_node=2"):
        tf.distribute.MirroredStrategy(devices=["/gpu:0", "/gpu:1"])


def test_explicit_single_device_runs_in_process(monkeypatch):
    monkeypatch.setattr(_world, "visible_gpus", lambda: 4)
    strategy = tf.distribute.MirroredStrategy(devices=["/cpu:0"])
    assert strategy.num_replicas_in_sync == 1
    with strategy.scope():
        v = tf.Variable([1.0])
    assert v.device.type == "cpu"


def test_empty_device_list_is_an_error():
    with pytest.raises(ValueError, match=r"devices=\[\]\) lists no device"):
        tf.distribute.MirroredStrategy(devices=[])


def test_multi_worker_strategy_refuses_tf_config(monkeypatch):
    monkeypatch.setenv("TF_CONFIG", '{"cluster": {"worker": ["a:1", "b:1"]}}')
    with pytest.raises(RuntimeError, match="TF_CONFIG is set, but tork does not read it"):
        tf.distribute.MultiWorkerMirroredStrategy()


def test_multi_worker_strategy_has_a_cluster_resolver():
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    resolver = strategy.cluster_resolver
    assert resolver.task_type is None and resolver.task_id == 0
    assert resolver.num_accelerators() == {"GPU": 0}
    assert strategy.num_replicas_in_sync == 1


def test_one_device_strategy_places_variables():
    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    with strategy.scope():
        v = tf.Variable(2.0)
    assert v.device.type == "cpu"
    assert float(strategy.run(lambda: v * 2)) == 4.0


def test_is_chief_in_one_process():
    assert tf.distribute.is_chief()


def test_rank_env_decides_the_chief(monkeypatch):
    monkeypatch.setenv("RANK", "3")
    assert not tf.distribute.is_chief()


def test_fit_in_a_single_replica_scope_is_plain_fit():
    strategy = tf.distribute.MirroredStrategy()
    x = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    with strategy.scope():
        model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
    # No data-parallel hooks: the single-process path is untouched.
    assert model.__dict__["_tork_distribution"] is None
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_unknown_names_say_not_implemented():
    with pytest.raises(NotImplementedError, match=r"tf\.distribute\.TPUStrategy"):
        tf.distribute.TPUStrategy  # noqa: B018
    with pytest.raises(NotImplementedError, match="merge_call"):
        tf.distribute.get_replica_context().merge_call(lambda s: s)


def test_torchrun_command_for_a_module(monkeypatch):
    import sys
    import types

    main = types.ModuleType("__main__")
    main.__spec__ = types.SimpleNamespace(name="pkg.train")
    monkeypatch.setitem(sys.modules, "__main__", main)
    monkeypatch.setattr("sys.argv", ["/x/pkg/train.py", "--lr", "0.1"])
    assert _world.torchrun_command(2) == (
        "torchrun --standalone --nproc_per_node=2 -m pkg.train --lr 0.1"
    )


def test_strategy_module_exports():
    for name in (
        "MirroredStrategy",
        "MultiWorkerMirroredStrategy",
        "OneDeviceStrategy",
        "ReduceOp",
        "get_strategy",
        "has_strategy",
        "experimental",
    ):
        assert hasattr(tf.distribute, name)
    assert strategy_mod.MirroredStrategy is tf.distribute.MirroredStrategy
    opts = tf.distribute.experimental.CommunicationOptions(
        implementation=tf.distribute.experimental.CommunicationImplementation.NCCL
    )
    assert opts.implementation.value == "NCCL"
