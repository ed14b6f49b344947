"""tf.queue, as used by the Hands-On ML (2nd ed.) chapter 12 notebook.

Expected values and messages are TF 2.21's (eager queues).
"""

import threading
import time

import numpy as np
import pytest

import tork as tf


def _strings(t):
    return [bytes(b) for b in t.numpy().tolist()]


def test_fifo_queue_notebook_example():
    q = tf.queue.FIFOQueue(3, [tf.int32, tf.string], shapes=[(), ()])
    assert q.enqueue([10, b"windy"]) is None
    q.enqueue([15, b"sunny"])
    assert int(q.size()) == 2
    value, word = q.dequeue()
    assert int(value) == 10 and word.numpy() == b"windy"
    q.enqueue_many([[13, 16], [b"cloudy", b"rainy"]])
    values, words = q.dequeue_many(3)
    assert values.dtype == tf.int32
    np.testing.assert_array_equal(values.numpy(), [15, 13, 16])
    assert _strings(words) == [b"sunny", b"cloudy", b"rainy"]
    assert int(q.size()) == 0


def test_one_component_queue_returns_a_tensor():
    q = tf.queue.FIFOQueue(5, tf.float32)
    q.enqueue(1.5)
    q.enqueue([2.5])  # a list holds one value per component, as TF
    assert float(q.dequeue()) == 1.5
    out = q.dequeue()
    assert tuple(out.shape) == () and float(out) == 2.5


def test_named_components_are_dicts():
    q = tf.queue.FIFOQueue(5, [tf.float32], shapes=[[2]], names=["x"])
    q.enqueue({"x": [1.0, 2.0]})
    q.enqueue_many({"x": [[3.0, 4.0], [5.0, 6.0]]})
    first = q.dequeue()
    assert list(first) == ["x"]
    np.testing.assert_array_equal(first["x"].numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(q.dequeue_many(2)["x"].numpy(), [[3.0, 4.0], [5.0, 6.0]])


def test_errors_match_tensorflow():
    q = tf.queue.FIFOQueue(3, [tf.int32, tf.string], shapes=[(), ()])
    with pytest.raises(TypeError, match="Cannot convert 1.5 to EagerTensor of dtype int32"):
        q.enqueue([1.5, b"x"])
    with pytest.raises(tf.errors.InvalidArgumentError, match="expects 2 components per element"):
        q.enqueue([1])
    q2 = tf.queue.FIFOQueue(5, [tf.float32], shapes=[[2]])
    with pytest.raises(ValueError, match=r"Shapes \(3,\) and \(2,\) are incompatible"):
        q2.enqueue([[1.0, 2.0, 3.0]])
    unshaped = tf.queue.FIFOQueue(5, tf.float32)
    unshaped.enqueue(1.0)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="FIFOQueue's DequeueMany and DequeueUpTo require the components to have specified",
    ):
        unshaped.dequeue_many(1)
    with pytest.raises(TypeError, match="requested dtype int32 for Tensor with dtype float32"):
        q.enqueue([tf.constant(1.0), b"x"])


def test_closed_queue():
    q = tf.queue.FIFOQueue(5, tf.int32, shapes=[()])
    q.enqueue_many([[1, 2, 3]])
    q.close()
    assert bool(q.is_closed())
    with pytest.raises(tf.errors.CancelledError, match="FIFOQueue 'fifo_queue' is closed."):
        q.enqueue(4)
    np.testing.assert_array_equal(q.dequeue_up_to(5).numpy(), [1, 2, 3])
    with pytest.raises(
        tf.errors.OutOfRangeError,
        match=r"is closed and has insufficient elements \(requested 2, current size 0\)",
    ):
        q.dequeue_many(2)
    with pytest.raises(tf.errors.OutOfRangeError, match=r"requested 1, current size 0"):
        q.dequeue()


def test_dequeue_waits_for_another_thread():
    q = tf.queue.FIFOQueue(1, tf.int32, shapes=[()])

    def producer():
        time.sleep(0.05)
        q.enqueue(7)
        q.enqueue(8)  # waits until the main thread takes 7 (capacity 1)

    thread = threading.Thread(target=producer)
    thread.start()
    assert int(q.dequeue()) == 7
    assert int(q.dequeue()) == 8
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_close_wakes_a_waiting_dequeue():
    q = tf.queue.FIFOQueue(2, tf.int32, shapes=[()])
    threading.Timer(0.05, q.close).start()
    with pytest.raises(tf.errors.OutOfRangeError):
        q.dequeue()


def test_padding_fifo_queue_pads_with_zeros():
    q = tf.queue.PaddingFIFOQueue(5, [tf.int32], shapes=[[None]])
    q.enqueue([[1, 2]])
    q.enqueue([[3]])
    q.enqueue([[4, 5, 6]])
    np.testing.assert_array_equal(q.dequeue_many(3).numpy(), [[1, 2, 0], [3, 0, 0], [4, 5, 6]])


def test_priority_queue_smallest_first():
    q = tf.queue.PriorityQueue(5, [tf.string], shapes=[()])
    q.enqueue([5, b"five"])
    q.enqueue([1, b"one"])
    q.enqueue([3, b"three"])
    priority, word = q.dequeue()
    assert priority.dtype == tf.int64 and int(priority) == 1 and word.numpy() == b"one"
    priorities, words = q.dequeue_many(2)
    np.testing.assert_array_equal(priorities.numpy(), [3, 5])
    assert _strings(words) == [b"three", b"five"]


def test_random_shuffle_queue_keeps_min_after_dequeue():
    q = tf.queue.RandomShuffleQueue(10, 2, [tf.int32], shapes=[()], seed=1)
    q.enqueue_many([list(range(6))])
    taken = [int(q.dequeue()) for _ in range(4)]
    assert int(q.size()) == 2
    q.close()  # a closed queue hands out the last elements too
    taken += [int(q.dequeue()) for _ in range(2)]
    assert sorted(taken) == list(range(6))


def test_public_names():
    assert [n for n in dir(tf.queue) if not n.startswith("_") and n[0].isupper()] == [
        "FIFOQueue",
        "PaddingFIFOQueue",
        "PriorityQueue",
        "QueueBase",
        "RandomShuffleQueue",
    ]


def test_docstring_example():
    import doctest

    from tork.ops import queue

    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in doctest.DocTestFinder().find(queue.FIFOQueue, "FIFOQueue", globs={"tf": tf}):
        runner.run(test, out=lambda text: None)
    assert runner.tries > 0 and runner.failures == 0
