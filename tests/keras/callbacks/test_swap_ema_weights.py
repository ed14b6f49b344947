"""SwapEMAWeights with a real model: evaluation sees the EMA weights, training the raw ones."""

import numpy as np
import pytest

import tork as tf
from tork.keras.callbacks import Callback, SwapEMAWeights

rng = np.random.default_rng(5)
X = rng.normal(size=(32, 3)).astype(np.float32)
Y = (X @ np.array([[1.0], [-2.0], [0.5]]) + 0.3).astype(np.float32)
MOMENTUM = 0.5


class Recorder(Callback):
    def __init__(self):
        super().__init__()
        self.initial = None  # the weights when training starts (where Keras 2's EMA starts)
        self.raw_after_step = []  # weights after each optimizer step (EMA updated too)
        self.at_test = []
        self.at_epoch_end = []
        self.at_epoch_begin = []

    def _w(self):
        return np.concatenate([w.ravel() for w in self.model.get_weights()])

    def on_train_begin(self, logs=None):
        self.initial = self._w()

    def on_train_batch_end(self, batch, logs=None):
        self.raw_after_step.append(self._w())

    def on_test_batch_begin(self, batch, logs=None):
        self.at_test.append((len(self.raw_after_step), self._w()))

    def on_epoch_begin(self, epoch, logs=None):
        self.at_epoch_begin.append(self._w())

    def on_epoch_end(self, epoch, logs=None):
        self.at_epoch_end.append((len(self.raw_after_step), self._w()))


def ema_reference(initial, raw, upto):
    # Keras 2: the average starts at the weights when the optimizer is built, then
    # `avg = m * avg + (1 - m) * w` after every step.
    avg = initial.copy()
    for w in raw[:upto]:
        avg = MOMENTUM * avg + (1 - MOMENTUM) * w
    return avg


def make_model():
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
    model.compile(
        optimizer=tf.keras.optimizers.SGD(0.1, use_ema=True, ema_momentum=MOMENTUM), loss="mse"
    )
    return model


def test_validation_uses_ema_weights_and_training_resumes_from_raw():
    model = make_model()
    rec = Recorder()
    model.fit(
        X,
        Y,
        batch_size=8,
        epochs=2,
        verbose=0,
        validation_data=(X, Y),
        callbacks=[SwapEMAWeights(), rec],
    )
    assert len(rec.at_test) == 8  # 4 validation batches per epoch
    for steps, weights in rec.at_test:
        np.testing.assert_allclose(
            weights, ema_reference(rec.initial, rec.raw_after_step, steps), rtol=1e-5
        )
        assert not np.allclose(weights, rec.raw_after_step[steps - 1])
    # swap_on_epoch=False: epoch-end callbacks and the next epoch see the raw weights.
    for steps, weights in rec.at_epoch_end:
        np.testing.assert_allclose(weights, rec.raw_after_step[steps - 1], rtol=1e-6)
    np.testing.assert_allclose(rec.at_epoch_begin[1], rec.raw_after_step[3], rtol=1e-6)


def test_swap_on_epoch_puts_ema_weights_in_at_epoch_end():
    model = make_model()
    rec = Recorder()
    model.fit(
        X, Y, batch_size=8, epochs=2, verbose=0, callbacks=[SwapEMAWeights(swap_on_epoch=True), rec]
    )
    for steps, weights in rec.at_epoch_end:
        np.testing.assert_allclose(
            weights, ema_reference(rec.initial, rec.raw_after_step, steps), rtol=1e-5
        )
    # Swapped back before the second epoch trains.
    np.testing.assert_allclose(rec.at_epoch_begin[1], rec.raw_after_step[3], rtol=1e-6)
    # After the last epoch the model keeps the EMA weights, and so do the averages.
    final = np.concatenate([w.ravel() for w in model.get_weights()])
    np.testing.assert_allclose(final, ema_reference(rec.initial, rec.raw_after_step, 8), rtol=1e-5)
    averages = model.optimizer._slots["average"]
    np.testing.assert_allclose(
        np.concatenate([a.detach().numpy().ravel() for a in averages]), final, rtol=1e-6
    )


def test_evaluate_and_predict_swap_in_and_back():
    model = make_model()
    model.fit(X, Y, batch_size=8, epochs=1, verbose=0)
    raw = [w.copy() for w in model.get_weights()]
    ema = [a.detach().numpy().copy() for a in model.optimizer._slots["average"]]
    seen = {}

    class Peek(Callback):
        def on_test_batch_begin(self, batch, logs=None):
            seen["test"] = [w.copy() for w in self.model.get_weights()]

        def on_predict_batch_begin(self, batch, logs=None):
            seen["predict"] = [w.copy() for w in self.model.get_weights()]

    swap = SwapEMAWeights()
    model.evaluate(X, Y, verbose=0, callbacks=[swap, Peek()])
    model.predict(X, verbose=0, callbacks=[swap, Peek()])
    for key in ("test", "predict"):
        for got, want in zip(seen[key], ema):
            np.testing.assert_allclose(got.reshape(want.shape), want, rtol=1e-6)
    for got, want in zip(model.get_weights(), raw):
        np.testing.assert_allclose(got, want, rtol=1e-7)


def test_requires_use_ema_message():
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    with pytest.raises(ValueError, match=r"SwapEMAWeights must be used when `use_ema=True`.*"):
        model.fit(X, Y, epochs=1, verbose=0, callbacks=[SwapEMAWeights()])


def test_namespace_and_default():
    assert tf.keras.callbacks.SwapEMAWeights is SwapEMAWeights
    assert SwapEMAWeights().swap_on_epoch is False
