"""fit's progress bar averages the logs that are not the model's metrics, as tf_keras 2.21.

The numbers are tf_keras 2.21's output for the same programs (same weights, same data).
"""

import numpy as np
import pytest

import tork as tf
from tork import keras

X = np.arange(40, dtype="float32").reshape(20, 2) / 40
Y = X[:, :1] * 2


class _WithTracker(keras.Model):
    """A custom train_step logging a metric (`loss`), a tensor and a float no metric tracks."""

    def __init__(self):
        super().__init__()
        self.d = keras.layers.Dense(1)
        self.tracker = keras.metrics.Mean(name="loss")
        self.step = tf.Variable(0.0, trainable=False)

    def call(self, x):
        return self.d(x)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self(x) - y))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.tracker.update_state(loss)
        self.step.assign_add(1.0)
        return {"loss": self.tracker.result(), "my_value": self.step * 1.0, "pyfloat": 2.0}

    @property
    def metrics(self):
        return [self.tracker]


class _RawLoss(keras.Model):
    """A custom train_step returning the batch loss itself (no metric tracks it)."""

    def __init__(self):
        super().__init__()
        self.d = keras.layers.Dense(1)

    def call(self, x):
        return self.d(x)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self(x) - y))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


def _fit(model, verbose, epochs, **compile_kwargs):
    model.d.build((None, 2))
    model.d.set_weights([np.array([[0.5], [0.25]], "float32"), np.zeros(1, "float32")])
    model.compile(keras.optimizers.SGD(0.1), **compile_kwargs)
    return model.fit(X, Y, batch_size=5, epochs=epochs, verbose=verbose, shuffle=False)


def _final_lines(out):
    return [line.rsplit("\r", 1)[-1] for line in out.splitlines() if "/4" in line]


def test_verbose1_averages_logs_that_are_not_metrics(capsys):
    history = _fit(_WithTracker(), 1, 2)
    lines = _final_lines(capsys.readouterr().out)
    # tf_keras 2.21: "4/4 [====] - 0s 5ms/step - loss: 0.2443 - my_value: 2.8000 -
    # pyfloat: 2.0000", then "... loss: 0.0572 - my_value: 6.8000 ...". my_value is 1..4,
    # averaged with the epoch-end value counted once more: (1+2+3+4+4)/5 = 2.8.
    assert lines[0].endswith(" - loss: 0.2443 - my_value: 2.8000 - pyfloat: 2.0000")
    assert lines[1].endswith(" - loss: 0.0572 - my_value: 6.8000 - pyfloat: 2.0000")
    # History keeps the last value.
    assert history.history["my_value"] == [4.0, 8.0]
    np.testing.assert_allclose(history.history["loss"], [0.24429, 0.05721], atol=1e-5)


def test_verbose2_shows_the_epoch_logs(capsys):
    _fit(_WithTracker(), 2, 2)
    lines = _final_lines(capsys.readouterr().out)
    # tf_keras 2.21: "4/4 - 0s - loss: 0.2443 - my_value: 4.0000 - pyfloat: 2.0000 - ...".
    assert " - loss: 0.2443 - my_value: 4.0000 - pyfloat: 2.0000 - " in lines[0]
    assert " - loss: 0.0572 - my_value: 8.0000 - pyfloat: 2.0000 - " in lines[1]


@pytest.mark.parametrize("compile_kwargs", [{}, {"loss": "mse"}])
def test_a_batch_loss_no_metric_tracks_is_averaged(capsys, compile_kwargs):
    # A compiled loss the step never calls tracks nothing either (tf_keras: model.metrics
    # stays []).
    history = _fit(_RawLoss(), 1, 1, **compile_kwargs)
    lines = _final_lines(capsys.readouterr().out)
    # tf_keras 2.21: "4/4 [====] - 0s 7ms/step - loss: 0.2796"; History: the last batch's.
    assert lines[0].endswith(" - loss: 0.2796")
    np.testing.assert_allclose(history.history["loss"], [0.42069], atol=1e-5)


def test_compiled_metrics_are_shown_as_logged(capsys):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.set_weights([np.array([[0.5], [0.25]], "float32"), np.zeros(1, "float32")])
    model.compile(keras.optimizers.SGD(0.1), "mse", metrics=["mae"])
    history = model.fit(X, Y, batch_size=5, epochs=1, verbose=1, shuffle=False)
    line = _final_lines(capsys.readouterr().out)[0]
    loss, mae = history.history["loss"][0], history.history["mae"][0]
    assert line.endswith(f" - loss: {loss:.4f} - mae: {mae:.4f}")


def test_progbar_logger_stateful_metrics_are_shown_as_logged(capsys):
    model = _WithTracker()
    model.d.build((None, 2))
    model.d.set_weights([np.array([[0.5], [0.25]], "float32"), np.zeros(1, "float32")])
    model.compile(keras.optimizers.SGD(0.1))
    logger = keras.callbacks.ProgbarLogger(stateful_metrics=["my_value"])
    model.fit(X, Y, batch_size=5, epochs=1, verbose=1, shuffle=False, callbacks=[logger])
    # tf_keras 2.21: "... - loss: 0.2443 - my_value: 4.0000 - pyfloat: 2.0000".
    line = _final_lines(capsys.readouterr().out)[0]
    assert line.endswith(" - loss: 0.2443 - my_value: 4.0000 - pyfloat: 2.0000")


def test_a_logged_tensor_with_a_graph_is_not_kept_attached():
    from tork.keras.utils import Progbar

    bar = Progbar(3, verbose=0)
    w = tf.Variable(2.0)
    for step in (1, 2):
        bar.update(step, [("v", w * step)])
    total, count = bar._values["v"]
    assert not total.requires_grad
    assert float(total) / count == pytest.approx(3.0)
