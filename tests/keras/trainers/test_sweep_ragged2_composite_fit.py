"""fit on arrays holding RaggedTensors: epochs and `steps_per_epoch` as in tf_keras 2.21.

tf_keras serves such arrays through a tf.data pipeline that is restarted (and reshuffled)
every epoch and cut to `steps_per_epoch`: an epoch asking for more batches than one pass
runs out of data. The expected epoch/batch counts below were printed by tf_keras 2.21.
"""

import warnings

import numpy as np
import pytest

import tork as tf

keras = tf.keras


class _Recorder(keras.Model):
    """Records the targets of each batch (one sample's target is its row number)."""

    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)
        self.seen = []

    def train_step(self, data):
        _, y = data
        self.seen[-1].append(sorted(np.asarray(y).ravel().astype(int).tolist()))
        return {"loss": 0.0}

    def call(self, x):
        return self.dense(tf.reduce_sum(x, axis=1, keepdims=True))


class _EpochMarks(keras.callbacks.Callback):
    def __init__(self, model):
        super().__init__()
        self.recorder = model

    def on_epoch_begin(self, epoch, logs=None):
        self.recorder.seen.append([])


def _fit(steps_per_epoch, shuffle=True):
    x = tf.ragged.constant([[1, 2], [3], [4, 5, 6], [7], [8, 9], [1], [2, 3], [4]])
    y = np.arange(8, dtype="float32").reshape(8, 1)
    model = _Recorder()
    model.compile("sgd", "mse", run_eagerly=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(
            x,
            y,
            batch_size=4,
            epochs=3,
            steps_per_epoch=steps_per_epoch,
            shuffle=shuffle,
            verbose=0,
            callbacks=[_EpochMarks(model)],
        )
    ran_out = [w for w in caught if "ran out of data" in str(w.message)]
    return model.seen, len(history.history["loss"]), ran_out


@pytest.mark.parametrize("steps_per_epoch", [None, 2])
def test_each_epoch_is_a_full_new_pass(steps_per_epoch):
    # tf_keras: 3 epochs of 2 batches each, every epoch sees all 8 samples.
    seen, epochs, ran_out = _fit(steps_per_epoch)
    assert epochs == 3
    assert not ran_out
    assert [len(batches) for batches in seen] == [2, 2, 2]
    for batches in seen:
        assert sorted(batches[0] + batches[1]) == list(range(8))


def test_short_epochs_restart_the_data():
    # tf_keras: steps_per_epoch=1 runs all 3 epochs (the pipeline restarts every epoch);
    # a pipeline continued across epochs would run out in the third.
    seen, epochs, ran_out = _fit(1)
    assert epochs == 3
    assert not ran_out
    assert [len(batches) for batches in seen] == [1, 1, 1]


def test_more_steps_than_one_pass_runs_out():
    # tf_keras: 2 batches, then "Your input ran out of data" (9 batches asked), 1 epoch logged.
    seen, epochs, ran_out = _fit(3)
    assert epochs == 1
    assert len(seen[0]) == 2
    assert len(ran_out) == 1
    assert "at least `steps_per_epoch * epochs` batches (in this case, 9 batches)" in str(
        ran_out[0].message
    )


def test_epochs_are_reshuffled():
    keras.utils.set_random_seed(0)
    seen, _, _ = _fit(None)
    orders = {tuple(batches[0]) for batches in seen}
    # Three draws of the first batch (4 of 8 samples): with a fixed order all would match.
    assert len(orders) > 1


def test_without_shuffle_the_order_is_kept():
    seen, _, _ = _fit(None, shuffle=False)
    assert seen == [[[0, 1, 2, 3], [4, 5, 6, 7]]] * 3
