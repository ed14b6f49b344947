"""Course-notebook distribution code: cross-device ops, TPU detection, logical devices."""

import pytest

import tork as tf


def test_mirrored_strategy_accepts_cross_device_ops():
    for ops in (
        tf.distribute.HierarchicalCopyAllReduce(),
        tf.distribute.NcclAllReduce(num_packs=2),
        tf.distribute.ReductionToOneDevice(),
    ):
        assert isinstance(ops, tf.distribute.CrossDeviceOps)
        strategy = tf.distribute.MirroredStrategy(cross_device_ops=ops)
        assert strategy.num_replicas_in_sync == 1


def test_cross_device_ops_reduce_single_replica():
    ops = tf.distribute.HierarchicalCopyAllReduce()
    tf.distribute.MirroredStrategy(cross_device_ops=ops)
    # TF 2.21 with one replica: the value itself.
    assert float(ops.reduce("SUM", tf.constant(2.0), destinations="/cpu:0")) == 2.0
    out = ops.batch_reduce("MEAN", [(tf.constant([1.0, 3.0]), "/cpu:0")])
    assert [list(v.numpy()) for v in out] == [[1.0, 3.0]]


def test_num_packs_must_not_be_negative():
    # TF 2.21's messages.
    with pytest.raises(ValueError, match=r"NCCL all-reduce requires num_packs >= 0, but -1"):
        tf.distribute.NcclAllReduce(num_packs=-1)
    with pytest.raises(ValueError, match=r"HierarchicalCopy requires num_packs >= 0, but -1"):
        tf.distribute.HierarchicalCopyAllReduce(num_packs=-1)


def test_tpu_detection_falls_back():
    # The Course 3 labs: `try: TPUClusterResolver() except ValueError: tpu = None`.
    with pytest.raises(ValueError, match="Please provide a TPU Name to connect to"):
        tf.distribute.cluster_resolver.TPUClusterResolver()
    with pytest.raises(ValueError, match="tork runs on CPUs and GPUs only"):
        tf.distribute.cluster_resolver.TPUClusterResolver(tpu="local")
    with pytest.raises(ValueError, match="Please provide a TPU Name"):
        tf.distribute.cluster_resolver.TPUClusterResolver.connect()


def test_logical_devices_have_tf_names():
    cpus = tf.config.list_logical_devices("CPU")
    assert cpus[0] == tf.config.LogicalDevice(name="/device:CPU:0", device_type="CPU")
    assert repr(cpus[0]) == "LogicalDevice(name='/device:CPU:0', device_type='CPU')"
    assert tf.config.experimental.list_logical_devices("CPU") == cpus
    gpus = tf.config.experimental.list_logical_devices("GPU")
    assert [d.name for d in gpus] == [f"/device:GPU:{i}" for i in range(len(gpus))]
    # The lab passes the names on to the strategy.
    strategy = tf.distribute.MirroredStrategy([cpus[0].name])
    assert strategy.num_replicas_in_sync == 1
