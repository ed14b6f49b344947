"""`fit` on arrays shuffles by one gather per epoch (`ArrayAdapter._gather_epoch`).

Each epoch's copy is a permutation of the data, with x and y rows kept together; the
previous epoch's copy is written over only when no batch of it is still alive.
"""

import numpy as np
import torch

import tork as tf
from tork.keras.trainers.data_adapters import ArrayAdapter


def _data(n=10):
    x = np.arange(n * 3, dtype="float32").reshape(n, 3)
    y = np.arange(n, dtype="int64")
    return x, y


def _epoch(adapter):
    xs, ys = [], []
    for batch in adapter.epoch():
        xs.append(batch[0].numpy().copy())
        ys.append(batch[1].numpy().copy())
    return np.concatenate(xs), np.concatenate(ys)


def test_every_epoch_is_a_permutation_with_rows_kept_together():
    x, y = _data()
    adapter = ArrayAdapter(x, y, batch_size=4, shuffle=True)
    orders = []
    for _ in range(4):
        ex, ey = _epoch(adapter)
        np.testing.assert_array_equal(np.sort(ey), y)
        np.testing.assert_array_equal(ex, x[ey])  # row i of x goes with label i
        orders.append(tuple(ey))
    assert len(set(orders)) > 1  # reshuffled


def test_the_previous_copy_is_reused_once_its_batches_are_gone():
    x, y = _data()
    adapter = ArrayAdapter(x, y, batch_size=4, shuffle=True)
    _epoch(adapter)
    first = [t.data_ptr() for t in adapter._gathered]
    _epoch(adapter)
    assert [t.data_ptr() for t in adapter._gathered] == first


def test_a_batch_still_held_keeps_its_values():
    x, y = _data()
    adapter = ArrayAdapter(x, y, batch_size=4, shuffle=True)
    held = next(iter(adapter.epoch()))
    expected = [t.clone() for t in held[:2]]
    ex, ey = _epoch(adapter)  # a whole epoch while `held` is alive
    np.testing.assert_array_equal(ex, x[ey])
    for value, before in zip(held[:2], expected):
        assert torch.equal(value, before)


def test_fit_over_several_epochs_sees_every_sample_each_epoch():
    x, y = _data(12)
    seen = []

    class Record(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = tf.keras.layers.Dense(1)

        def call(self, inputs):
            return self.dense(inputs)

        def train_step(self, data):
            seen.append(data[1].numpy().copy())
            return super().train_step(data)

    model = Record()
    model.compile("sgd", "mse")
    model.fit(x, y.astype("float32"), batch_size=5, epochs=3, verbose=0)
    epochs = [np.concatenate(seen[i * 3 : i * 3 + 3]) for i in range(3)]
    for labels in epochs:
        np.testing.assert_array_equal(np.sort(labels), np.arange(12))


def test_data_that_records_gradients_is_gathered_afresh():
    x = torch.arange(12.0).reshape(6, 2).requires_grad_()
    adapter = ArrayAdapter(x, None, batch_size=4, shuffle=True)
    for _ in range(2):
        # Without labels a batch is x itself, as Keras hands it to train_step.
        rows = torch.cat([batch.detach() for batch in adapter.epoch()])
        assert sorted(rows[:, 0].tolist()) == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
