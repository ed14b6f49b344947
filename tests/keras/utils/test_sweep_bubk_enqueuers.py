"""`keras.utils.OrderedEnqueuer` (sweep "bubk": bubbliiiing's Keras 2 training loops).

faster-rcnn-keras, dcgan-keras and the other repositories train with their own loops:
`OrderedEnqueuer(dataset, use_multiprocessing=False, shuffle=True)`,
`start(workers=n, max_queue_size=10)`, then `next()` on `get()` for every step. The
expected values are those tf_keras 2.21 gives on the same script (batches in order,
`on_epoch_end` between epochs, a failing batch stops the enqueuer and raises).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


class _Counting(keras.utils.Sequence):
    def __init__(self):
        self.ends = 0
        self.offset = 0

    def __len__(self):
        return 5

    def __getitem__(self, i):
        return np.array([i + self.offset]), np.array([self.ends])

    def on_epoch_end(self):
        self.ends += 1
        self.offset += 100


def test_batches_in_order_epoch_after_epoch():
    enqueuer = keras.utils.OrderedEnqueuer(_Counting(), use_multiprocessing=False)
    enqueuer.start(workers=2, max_queue_size=3)
    batches = enqueuer.get()
    out = [next(batches) for _ in range(12)]
    # tf_keras 2.21: [0..4, 100..104, 200, 201], epoch counters [0]*5 + [1]*5 + [2, 2]
    assert [int(x[0]) for x, _ in out] == [0, 1, 2, 3, 4, 100, 101, 102, 103, 104, 200, 201]
    assert [int(e[0]) for _, e in out] == [0] * 5 + [1] * 5 + [2, 2]
    assert enqueuer.is_running()
    enqueuer.stop()
    assert not enqueuer.is_running()


def test_shuffle_visits_every_batch_once_per_epoch():
    enqueuer = keras.utils.OrderedEnqueuer(_Counting(), shuffle=True)
    enqueuer.start(workers=1, max_queue_size=10)
    batches = enqueuer.get()
    seen = [int(next(batches)[0][0]) for _ in range(10)]
    enqueuer.stop()
    assert sorted(seen[:5]) == [0, 1, 2, 3, 4]
    assert sorted(seen[5:]) == [100, 101, 102, 103, 104]


def test_a_failing_batch_is_raised_and_stops_the_enqueuer():
    class Failing(_Counting):
        def __getitem__(self, i):
            if i == 2:
                raise KeyError("bad batch")
            return super().__getitem__(i)

    enqueuer = keras.utils.OrderedEnqueuer(Failing())
    enqueuer.start()
    batches = enqueuer.get()
    assert [int(next(batches)[0][0]) for _ in range(2)] == [0, 1]
    with pytest.raises(KeyError, match="bad batch"):
        next(batches)
    assert not enqueuer.is_running()


def test_old_import_path_and_bad_input():
    from tork.keras.utils.data_utils import OrderedEnqueuer

    assert OrderedEnqueuer is keras.utils.OrderedEnqueuer
    with pytest.raises(TypeError, match="needs a keras.utils.Sequence"):
        OrderedEnqueuer(iter([1, 2]))
