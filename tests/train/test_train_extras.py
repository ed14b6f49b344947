"""tf.train.ExponentialMovingAverage, ClusterSpec, CheckpointOptions and checkpoints_iterator.

Expected values were printed by TF 2.21 for the same code.
"""

import time

import numpy as np
import pytest
import torch

import tork as tf


def test_ema_apply_average_and_names():
    ema = tf.train.ExponentialMovingAverage(0.9)
    assert ema.name == "ExponentialMovingAverage"
    v = tf.Variable([1.0, 2.0], name="w")
    w = tf.Variable(3.0, name="scope/bias")
    assert ema.apply([v, w]) is None
    avg = ema.average(v)
    assert avg.name == "w/ExponentialMovingAverage:0"
    assert avg.trainable is False
    np.testing.assert_array_equal(avg.numpy(), [1.0, 2.0])
    assert ema.average_name(v) == "w/ExponentialMovingAverage"
    assert ema.average_name(w) == "scope/bias/ExponentialMovingAverage"
    v.assign([3.0, 4.0])
    ema.apply([v, w])
    np.testing.assert_allclose(ema.average(v).numpy(), [1.2, 2.2], rtol=1e-6)
    ema.apply([v])
    # TF 2.21 prints [1.3800001 2.38]: `1 - decay` is taken in float32.
    np.testing.assert_array_equal(ema.average(v).numpy(), np.float32([1.3800001, 2.38]))
    restore = ema.variables_to_restore()
    assert list(restore) == ["w/ExponentialMovingAverage", "scope/bias/ExponentialMovingAverage"]
    assert restore["w/ExponentialMovingAverage"] is v
    assert list(ema.variables_to_restore([v])) == ["w/ExponentialMovingAverage"]
    assert ema.average(tf.Variable(1.0)) is None
    assert ema.apply(None) is None
    assert tf.train.ExponentialMovingAverage(0.5, name="Foo").name == "Foo"


def test_ema_num_updates_limits_the_decay():
    step = tf.Variable(0, dtype=tf.int64)
    ema = tf.train.ExponentialMovingAverage(0.99, num_updates=step)
    x = tf.Variable(0.0, name="x")
    ema.apply([x])
    x.assign(10.0)
    ema.apply([x])  # decay min(0.99, 1/10) = 0.1: 0.1 * 0 + 0.9 * 10
    assert float(ema.average(x)) == pytest.approx(9.0)
    step.assign(100)
    x.assign(20.0)
    ema.apply([x])  # decay min(0.99, 101/110)
    expected = 9.0 - (9.0 - 20.0) * (1 - 101 / 110)
    assert float(ema.average(x)) == pytest.approx(expected, rel=1e-6)
    assert float(ema.average(x)) == pytest.approx(9.9, abs=1e-5)  # TF 2.21


def test_ema_zero_debias_leaves_variable_averages_alone():
    # TF 2.21 eager: 5.0 then 5.5, as without zero_debias.
    ema = tf.train.ExponentialMovingAverage(0.9, zero_debias=True)
    y = tf.Variable(5.0, name="y")
    ema.apply([y])
    assert float(ema.average(y)) == 5.0
    y.assign(10.0)
    ema.apply([y])
    assert float(ema.average(y)) == pytest.approx(5.5)


def test_ema_errors():
    ema = tf.train.ExponentialMovingAverage(0.9)
    with pytest.raises(TypeError, match="^The variables must be half, float, or double: i:0$"):
        ema.apply([tf.Variable(1, name="i")])
    with pytest.raises(TypeError, match="does not support non-Variable tensors when eager"):
        ema.apply([torch.tensor(1.0)])
    with pytest.raises(TypeError, match="average_name expects a tf.Variable, got Tensor"):
        ema.average_name(torch.tensor(1.0))


def test_cluster_spec_list_and_dict_forms():
    c = tf.train.ClusterSpec({"worker": ["w0:2222", "w1:2222"], "ps": ["ps0:2222"]})
    assert repr(c) == "ClusterSpec({'ps': ['ps0:2222'], 'worker': ['w0:2222', 'w1:2222']})"
    assert c.as_dict() == {"worker": ["w0:2222", "w1:2222"], "ps": ["ps0:2222"]}
    assert c.jobs == ["worker", "ps"]
    assert c.num_tasks("worker") == 2
    assert c.task_address("worker", 1) == "w1:2222"
    assert c.task_indices("ps") == [0]
    assert c.job_tasks("worker") == ["w0:2222", "w1:2222"]
    assert bool(c) and not tf.train.ClusterSpec({})
    assert list(tf.train.ClusterSpec(c).as_dict()) == ["ps", "worker"]
    assert c == tf.train.ClusterSpec(c.as_dict())
    sparse = tf.train.ClusterSpec({"worker": {3: "w3:2222", 1: "w1:2222"}})
    assert repr(sparse) == "ClusterSpec({'worker': {1: 'w1:2222', 3: 'w3:2222'}})"
    assert sparse.num_tasks("worker") == 2
    assert sparse.task_indices("worker") == [1, 3]
    assert sparse.job_tasks("worker") == [None, "w1:2222", None, "w3:2222"]


def test_cluster_spec_errors():
    c = tf.train.ClusterSpec({"worker": ["w0:2222"]})
    with pytest.raises(ValueError, match="^No such job in cluster: 'chief'$"):
        c.num_tasks("chief")
    with pytest.raises(ValueError, match="^No task with index 5 in job 'worker'$"):
        c.task_address("worker", 5)
    with pytest.raises(TypeError, match="`cluster` must be a dictionary mapping one or more job"):
        tf.train.ClusterSpec(["a"])
    with pytest.raises(TypeError, match="tasks for job 'w' must be a list or a dictionary"):
        tf.train.ClusterSpec({"w": 5})
    with pytest.raises(TypeError, match="^Job name 1 must be bytes or unicode$"):
        tf.train.ClusterSpec({1: ["a"]})


def test_checkpoint_options_are_recorded():
    options = tf.train.CheckpointOptions()
    assert options.experimental_io_device is None
    assert options.enable_async is False and options.experimental_enable_async_checkpoint is False
    options = tf.train.CheckpointOptions(experimental_io_device="/job:localhost", enable_async=True)
    assert options.experimental_io_device == "/job:localhost"
    assert options.enable_async and options.experimental_enable_async_checkpoint
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        tf.train.CheckpointOptions(bogus=1)


def test_checkpoints_iterator(tmp_path):
    directory = str(tmp_path)
    start = time.time()
    assert list(tf.train.checkpoints_iterator(directory, timeout=0.1)) == []
    checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    first = checkpoint.save(str(tmp_path / "ckpt"))
    iterator = tf.train.checkpoints_iterator(directory, timeout=0.1)
    assert next(iterator) == first
    assert list(iterator) == []  # no newer checkpoint within the timeout
    calls = []

    def timeout_fn():
        calls.append(1)
        if len(calls) == 1:
            checkpoint.save(str(tmp_path / "ckpt"))
            return False
        return True

    paths = list(tf.train.checkpoints_iterator(directory, timeout=0.1, timeout_fn=timeout_fn))
    assert paths == [first, first.replace("ckpt-1", "ckpt-2")]
    assert len(calls) == 2
    assert time.time() - start < 10


def test_coordinator_stops_threads_together():
    import threading

    coord = tf.train.Coordinator()
    assert coord.should_stop() is False and coord.joined is False
    counter = [0]

    def work():
        while not coord.should_stop():
            time.sleep(0.005)
            counter[0] += 1
            if counter[0] > 3:
                coord.request_stop()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    coord.join(threads)
    assert coord.should_stop() and coord.joined and counter[0] > 3
    coord.clear_stop()
    assert not coord.should_stop() and not coord.joined
    assert coord.wait_for_stop(0.01) is False


def test_coordinator_reraises_errors_but_not_clean_stops():
    import threading

    def failing(coord):
        with coord.stop_on_exception():
            raise ValueError("boom")

    coord = tf.train.Coordinator()
    thread = threading.Thread(target=failing, args=(coord,))
    thread.start()
    with pytest.raises(ValueError, match="^boom$"):
        coord.join([thread])
    coord = tf.train.Coordinator(clean_stop_exception_types=(ValueError,))
    thread = threading.Thread(target=failing, args=(coord,))
    coord.register_thread(thread)
    thread.start()
    coord.join()
    assert coord.should_stop()
    coord = tf.train.Coordinator()
    coord.request_stop(tf.errors.OutOfRangeError(None, None, "end of input"))
    coord.join()  # OutOfRangeError is a clean stop by default
    coord = tf.train.Coordinator()
    try:
        raise RuntimeError("x")
    except RuntimeError as error:
        coord.request_stop(error)
    coord.request_stop(KeyError("later"))  # only the first error is kept
    assert coord.wait_for_stop(0.01) is True
    with pytest.raises(RuntimeError, match="^x$"):
        coord.raise_requested_exception()


def test_coordinator_names_threads_still_running():
    import threading

    release = threading.Event()
    thread = threading.Thread(target=release.wait, name="slow-worker")
    thread.start()
    coord = tf.train.Coordinator()
    coord.request_stop()
    with pytest.raises(
        RuntimeError, match="^Coordinator stopped with threads still running: slow-worker$"
    ):
        coord.join([thread], stop_grace_period_secs=0.05)
    coord.clear_stop()
    coord.request_stop()
    coord.join([thread], stop_grace_period_secs=0.01, ignore_live_threads=True)
    release.set()
    thread.join()
