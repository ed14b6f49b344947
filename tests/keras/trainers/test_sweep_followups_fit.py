"""fit's data follow-ups: arrays running out with steps_per_epoch, PyDataset shuffling.

Expected batch counts, warnings and histories are those of tf_keras 2.21.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras

X = np.arange(10, dtype="float32").reshape(10, 1)
Y = np.zeros((10, 1), "float32")


class _FirstRows(keras.Model):
    """Records the first x value of every training batch."""

    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)
        self.firsts = []

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        x, _ = data
        self.firsts.append(float(x[0, 0]))
        return {"loss": tf.reduce_mean(self(x))}


def _model():
    model = keras.Sequential([keras.layers.Dense(1, kernel_initializer="zeros")])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_arrays_run_out_after_one_pass_per_epoch():
    # tf_keras: 10 samples in batches of 5 give 2 batches a pass, one pass per epoch:
    # 4 batches, then "ran out" during epoch 0, which still ends.
    model = _FirstRows()
    model.compile(optimizer="sgd", loss="mse")
    with pytest.warns(UserWarning) as record:
        history = model.fit(
            X, Y, batch_size=5, steps_per_epoch=5, epochs=2, shuffle=False, verbose=0
        )
    messages = [str(w.message) for w in record if "ran out" in str(w.message)]
    assert messages == [
        "Your input ran out of data; interrupting training. Make sure that your dataset or "
        "generator can generate at least `steps_per_epoch * epochs` batches (in this case, 10 "
        "batches). You may need to use the repeat() function when building your dataset."
    ]
    assert model.firsts == [0.0, 5.0, 0.0, 5.0]
    assert history.epoch == [0]
    assert len(history.history["loss"]) == 1


def test_arrays_running_out_with_validation_still_validate_that_epoch():
    model = _model()
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(
            X, Y, batch_size=5, steps_per_epoch=5, epochs=2, validation_data=(X, Y), verbose=0
        )
    assert {k: len(v) for k, v in history.history.items()} == {"loss": 1, "val_loss": 1}


def test_an_epoch_left_without_batches_ends_with_reset_metrics():
    # tf_keras: 6 batches for 3 epochs of 3 steps: epoch 2 gets none, and still ends, its
    # loss the reset metric (0.0).
    model = _model()
    with pytest.warns(UserWarning, match=r"ran out of data.*\(in this case, 9 batches\)"):
        history = model.fit(X, Y, batch_size=5, steps_per_epoch=3, epochs=3, verbose=0)
    assert history.epoch == [0, 1, 2]
    assert history.history["loss"][2] == 0.0
    assert int(model.optimizer.iterations.numpy()) == 6

    dataset = tf.data.Dataset.from_tensor_slices((X, Y)).batch(5).repeat(3)
    model = _model()
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(dataset, steps_per_epoch=3, epochs=3, verbose=0)
    assert history.epoch == [0, 1, 2]
    assert history.history["loss"][2] == 0.0


def test_arrays_give_one_pass_per_epoch_left_after_initial_epoch():
    # tf_keras: epochs=4 from initial_epoch=2: 2 passes (4 batches), "6 batches" asked.
    model = _FirstRows()
    model.compile(optimizer="sgd", loss="mse")
    with pytest.warns(UserWarning, match=r"\(in this case, 6 batches\)"):
        history = model.fit(
            X,
            Y,
            batch_size=5,
            steps_per_epoch=3,
            epochs=4,
            initial_epoch=2,
            shuffle=False,
            verbose=0,
        )
    assert model.firsts == [0.0, 5.0, 0.0, 5.0]
    assert history.epoch == [2, 3]


def test_arrays_with_enough_passes_continue_through_the_data():
    # 3 batches a pass (4, 4, 2), 2 steps an epoch, 3 epochs: 6 of the 9 batches, no warning.
    model = _FirstRows()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(X, Y, batch_size=4, steps_per_epoch=2, epochs=3, shuffle=False, verbose=0)
    assert model.firsts == [0.0, 4.0, 8.0, 0.0, 4.0, 8.0]
    assert history.epoch == [0, 1, 2]


class _Batches(keras.utils.PyDataset):
    def __init__(self):
        super().__init__()
        self.seen = []

    def __len__(self):
        return 6

    def __getitem__(self, index):
        self.seen.append(index)
        return np.full((2, 1), index, "float32"), np.zeros((2, 1), "float32")


def test_pydataset_batches_are_shuffled_each_epoch_by_default():
    # tf_keras and Keras 3 draw a new order of the batch indices every epoch (shuffle=True).
    keras.utils.set_random_seed(1)
    data = _Batches()
    _model().fit(data, epochs=4, verbose=0)
    epochs = [data.seen[i * 6 : (i + 1) * 6] for i in range(4)]
    assert all(sorted(e) == list(range(6)) for e in epochs)
    assert any(e != list(range(6)) for e in epochs)
    assert len({tuple(e) for e in epochs}) > 1

    data = _Batches()
    model = _model()
    model.fit(data, epochs=2, shuffle=False, verbose=0)
    assert data.seen == list(range(6)) * 2
    data = _Batches()
    model.evaluate(data, verbose=0)
    model.predict(data, verbose=0)
    assert data.seen == list(range(6)) * 2


def test_shuffled_pydataset_takes_the_shared_order_in_data_parallel_fit():
    # A data-parallel fit hands the adapter its shard: every process must then read
    # rank 0's batch order, or the processes would split different batches.
    from tork.keras.trainers import data_adapters

    class _RankZeroOrder:
        def sync_order(self, order):
            return torch.arange(len(order) - 1, -1, -1)

    data = _Batches()
    adapter = data_adapters.get_adapter(data, shuffle=True)
    adapter._tork_shard = _RankZeroOrder()
    firsts = [int(np.asarray(x)[0, 0]) for x, _ in adapter.epoch()]
    assert firsts == [5, 4, 3, 2, 1, 0]


def test_steps_per_epoch_continues_through_arrays_across_epochs():
    # tf_keras 2.21 with run_eagerly=True sees exactly these batches.
    x = np.arange(40, dtype="float32").reshape(40, 1)
    model = _FirstRows()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(
        x,
        np.zeros((40, 1), "float32"),
        batch_size=10,
        epochs=5,
        steps_per_epoch=3,
        shuffle=False,
        verbose=0,
    )
    assert model.firsts == [0, 10, 20, 30, 0, 10, 20, 30, 0, 10, 20, 30, 0, 10, 20]


def test_steps_per_epoch_beyond_a_finite_dataset_stops_with_keras2_warning():
    x = np.arange(40, dtype="float32").reshape(40, 1)
    dataset = tf.data.Dataset.from_tensor_slices((x, np.zeros((40, 1), "float32"))).batch(10)
    model = _FirstRows()
    model.compile(optimizer="sgd", loss="mse")
    with pytest.warns(UserWarning, match=r"ran out of data; interrupting training.*15 batches"):
        history = model.fit(dataset, epochs=5, steps_per_epoch=3, verbose=0)
    assert model.firsts == [0, 10, 20, 30]
    assert len(history.history["loss"]) == 2  # the epoch that ran out still ends
    # evaluate with steps restarts the data each call.
    assert np.isfinite(model.evaluate(dataset, steps=2, verbose=0))
