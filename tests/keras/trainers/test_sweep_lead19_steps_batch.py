"""Arrays given with `steps` and no `batch_size` are cut into that many batches.

tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) on 16 samples: `fit(x, y, steps_per_epoch=4)` trains
on batches of ceil(16 / 4) = 4, four steps every epoch (tork used batches of 32: one step,
then "ran out of data" and no second epoch); `validation_steps=2` validates on two batches
of 8; `evaluate(steps=3)` reads batches of 6, 6, 4; `predict(steps=3)` the same three.
"""

import numpy as np
import pytest

import tork as tf


class _Batches(tf.keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_train_batch_end(self, batch, logs=None):
        self.seen.append(("train", batch))

    def on_test_batch_end(self, batch, logs=None):
        self.seen.append(("test", batch))

    def on_predict_batch_end(self, batch, logs=None):
        self.seen.append(("predict", len(logs["outputs"])))


def _data():
    x = np.arange(48, dtype="float32").reshape(16, 3) / 48
    return x, np.ones((16, 1), "float32")


def _model():
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(1, input_shape=(3,), kernel_initializer="ones")]
    )
    model.compile("sgd", "mse")
    return model


def test_fit_with_steps_per_epoch_batches_the_arrays_to_fit():
    x, y = _data()
    model = _model()
    seen = _Batches()
    history = model.fit(
        x,
        y,
        steps_per_epoch=4,
        shuffle=False,
        validation_data=(x, y),
        validation_steps=2,
        epochs=2,
        verbose=0,
        callbacks=[seen],
    )
    # Values from tf_keras 2.21.
    np.testing.assert_allclose(history.history["loss"], [0.94541, 0.82085], atol=2e-5)
    np.testing.assert_allclose(history.history["val_loss"], [0.83258, 0.73132], atol=2e-5)
    epoch = [("train", i) for i in range(4)] + [("test", 0), ("test", 1)]
    assert seen.seen == epoch * 2
    seen.seen.clear()
    assert model.evaluate(x, y, steps=3, verbose=0, callbacks=[seen]) == pytest.approx(
        0.7313188, abs=2e-6
    )
    assert seen.seen == [("test", 0), ("test", 1), ("test", 2)]


def test_predict_with_steps_batches_the_arrays_to_fit():
    x, _ = _data()
    model = _model()
    seen = _Batches()
    out = model.predict(x, steps=3, verbose=0, callbacks=[seen])
    assert out.shape == (16, 1)
    assert seen.seen == [("predict", 6), ("predict", 6), ("predict", 4)]
    np.testing.assert_allclose(out[:, 0], x.sum(axis=1), rtol=1e-6)


def test_an_explicit_batch_size_still_wins():
    x, _ = _data()
    seen = _Batches()
    out = _model().predict(x, batch_size=4, steps=3, verbose=0, callbacks=[seen])
    assert out.shape == (12, 1)
    assert seen.seen == [("predict", 4)] * 3
