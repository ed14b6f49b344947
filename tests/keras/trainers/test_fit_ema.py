"""`fit` ends with the optimizer's `finalize_variable_values`: with `use_ema=True` the model
keeps the moving averages of its weights, as Keras's fit does.

The reference average is computed in NumPy from the raw weights after each step as Keras 2
does (`avg = w0`, the weights when training starts, then `avg = m * avg + (1 - m) * w`).
"""

import numpy as np

import tork as tf

rng = np.random.default_rng(3)
X = rng.normal(size=(24, 3)).astype(np.float32)
Y = (X @ np.array([[1.0], [-2.0], [0.5]]) + 0.3).astype(np.float32)
MOMENTUM = 0.5


class _Raw(tf.keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.after_step = []
        self.initial = None

    def on_train_begin(self, logs=None):
        self.initial = [w.copy() for w in self.model.get_weights()]

    def on_train_batch_end(self, batch, logs=None):
        self.after_step.append([w.copy() for w in self.model.get_weights()])


def _model(use_ema=True, **optimizer_args):
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
    optimizer = tf.keras.optimizers.SGD(
        0.1, use_ema=use_ema, ema_momentum=MOMENTUM, **optimizer_args
    )
    model.compile(optimizer=optimizer, loss="mse")
    return model


def _average(initial, steps):
    average = [w.copy() for w in initial]
    for weights in steps:
        average = [MOMENTUM * a + (1 - MOMENTUM) * w for a, w in zip(average, weights)]
    return average


def test_fit_leaves_the_moving_average_in_the_model():
    model, raw = _model(), _Raw()
    model.fit(X, Y, batch_size=8, epochs=2, shuffle=False, verbose=0, callbacks=[raw])
    assert len(raw.after_step) == 6
    for got, want in zip(model.get_weights(), _average(raw.initial, raw.after_step)):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    # ...which differs from the last raw weights.
    assert not np.allclose(model.get_weights()[0], raw.after_step[-1][0])


def test_without_ema_fit_leaves_the_raw_weights():
    model, raw = _model(use_ema=False), _Raw()
    model.fit(X, Y, batch_size=8, epochs=1, shuffle=False, verbose=0, callbacks=[raw])
    for got, want in zip(model.get_weights(), raw.after_step[-1]):
        np.testing.assert_array_equal(got, want)


def test_swap_on_epoch_and_the_final_average_agree():
    model, raw = _model(), _Raw()
    swap = tf.keras.callbacks.SwapEMAWeights(swap_on_epoch=True)
    model.fit(X, Y, batch_size=8, epochs=2, shuffle=False, verbose=0, callbacks=[raw, swap])
    # Training steps run on the raw weights; the model ends with their average.
    for got, want in zip(model.get_weights(), _average(raw.initial, raw.after_step)):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)


def test_zero_epochs_change_nothing():
    model = _model()
    model.fit(X, Y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    before = [w.copy() for w in model.get_weights()]
    model.fit(X, Y, epochs=0, verbose=0)
    for got, want in zip(model.get_weights(), before):
        np.testing.assert_array_equal(got, want)
