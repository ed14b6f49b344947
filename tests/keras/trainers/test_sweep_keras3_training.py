"""Keras 3 style training code: `compute_loss(..., training=True)` overrides and
`train_step`s that update every entry of `self.metrics` (the keras.io Keras 3 guides).

References: NumPy re-computations of the same SGD runs; the expected logs were also
checked against Keras 3.15 (TF 2.21) and tf_keras 2.21.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras

X = np.linspace(-1, 1, 30).reshape(10, 3).astype("float32")
Y = (X.sum(1, keepdims=True) * 0.5).astype("float32")
W0 = np.array([[0.1], [0.2], [-0.3]], "float32")


def _linear(cls):
    inputs = keras.Input((3,))
    dense = keras.layers.Dense(1)
    model = cls(inputs, dense(inputs))
    dense.set_weights([W0, np.zeros(1, "float32")])
    return model


def _numpy_sgd(x, y, epochs, batch_size, lr, scale=1.0, sample_weight=None):
    """Linear model trained by SGD on `scale * weighted MSE`.

    Returns `(losses, maes, kernel, bias, batch_means)`: per epoch the batch-size weighted
    mean of the batch losses and the unweighted running MAE, the final weights, and per
    epoch the unweighted mean of the batch losses.
    """
    w, b = W0.astype("float64").copy(), np.zeros(1)
    sw = np.ones(len(x)) if sample_weight is None else np.asarray(sample_weight, "float64")
    losses, maes, batch_means = [], [], []
    for _ in range(epochs):
        total, count, abs_sum, batch_losses = 0.0, 0, 0.0, []
        for start in range(0, len(x), batch_size):
            xb, yb, wb = (
                x[start : start + batch_size],
                y[start : start + batch_size],
                sw[start : start + batch_size],
            )
            err = (xb @ w + b - yb)[:, 0]
            n = len(xb)
            loss = scale * np.sum(wb * err**2) / n
            grad = scale * 2 * wb * err / n
            w -= lr * (xb.T @ grad)[:, None]
            b -= lr * grad.sum(keepdims=True)
            total, count = total + loss * n, count + n
            abs_sum += np.abs(err).sum()
            batch_losses.append(loss)
        losses.append(total / count)
        maes.append(abs_sum / len(x))
        batch_means.append(np.mean(batch_losses))
    return losses, maes, w, b, batch_means


class _Keras3ComputeLoss(keras.Model):
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        return tf.reduce_mean(tf.square(y - y_pred)) * 2.0


class _Keras2ComputeLoss(keras.Model):
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None):
        return tf.reduce_mean(tf.square(y - y_pred)) * 2.0


@pytest.mark.parametrize("metrics", [None, ["mae"]])
def test_keras3_compute_loss_override_logs_the_loss(metrics):
    # Keras 3 tracks what compute_loss returns as `loss`, without a compiled loss.
    model = _linear(_Keras3ComputeLoss)
    model.compile(optimizer=keras.optimizers.SGD(0.1), metrics=metrics)
    history = model.fit(X, Y, batch_size=5, epochs=2, verbose=0, shuffle=False)
    losses, maes, w, b, _ = _numpy_sgd(X, Y, 2, 5, 0.1, scale=2.0)
    np.testing.assert_allclose(history.history["loss"], losses, rtol=1e-5)
    if metrics:
        np.testing.assert_allclose(history.history["mae"], maes, rtol=1e-5)
    np.testing.assert_allclose(model.get_weights()[0], w, rtol=1e-5)
    result = model.evaluate(X, Y, verbose=0, return_dict=True)
    err = X @ w + b - Y
    np.testing.assert_allclose(result["loss"], 2 * np.mean(err**2), rtol=1e-4)
    assert model.metrics_names[0] == "loss"


def test_keras2_compute_loss_override_logs_no_loss_as_tf_keras():
    # tf_keras logs only the compiled loss: an override without one logs no `loss`.
    model = _linear(_Keras2ComputeLoss)
    model.compile(optimizer=keras.optimizers.SGD(0.1), metrics=["mae"])
    history = model.fit(X, Y, batch_size=5, epochs=2, verbose=0, shuffle=False)
    assert set(history.history) == {"mae"}
    _, maes, w, _, _ = _numpy_sgd(X, Y, 2, 5, 0.1, scale=2.0)
    np.testing.assert_allclose(history.history["mae"], maes, rtol=1e-5)
    np.testing.assert_allclose(model.get_weights()[0], w, rtol=1e-5)


class _Keras3SuperComputeLoss(keras.Model):
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        loss = super().compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight)
        return loss * 3.0


@pytest.mark.parametrize("jit_compile", [False, True])
def test_keras3_compute_loss_override_logs_its_total_not_the_compiled_loss(jit_compile):
    model = _linear(_Keras3SuperComputeLoss)
    model.compile(
        optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"], jit_compile=jit_compile
    )
    history = model.fit(X, Y, batch_size=5, epochs=3, verbose=0, shuffle=False)
    losses, maes, w, b, _ = _numpy_sgd(X, Y, 3, 5, 0.05, scale=3.0)
    np.testing.assert_allclose(history.history["loss"], losses, rtol=1e-5)
    np.testing.assert_allclose(history.history["mae"], maes, rtol=1e-5)
    np.testing.assert_allclose(model.get_weights()[0], w, rtol=1e-5)


class _GuideTrainStep(keras.Model):
    """The Keras 3 guide's train_step with sample weights ("customizing what happens in fit")."""

    def train_step(self, data):
        if len(data) == 3:
            x, y, sample_weight = data
        else:
            sample_weight = None
            x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply(gradients, trainable_vars)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred, sample_weight=sample_weight)
        return {m.name: m.result() for m in self.metrics}


def test_keras3_train_step_leaves_compile_metrics_unweighted_on_every_batch():
    # Keras 3: `compile_metrics.update_state(y, y_pred, sample_weight)` weights only the
    # weighted_metrics. Batch 1 used to go through it, later batches to the metrics
    # themselves (weighted). Keras 3.15 logs mae [0.72769, 0.38191].
    sw = np.linspace(0.1, 2.0, 10).astype("float32")
    model = _linear(_GuideTrainStep)
    model.compile(
        optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"], weighted_metrics=["mse"]
    )
    history = model.fit(X, Y, sample_weight=sw, batch_size=4, epochs=2, verbose=0, shuffle=False)
    _, maes, w, b, batch_means = _numpy_sgd(X, Y, 2, 4, 0.1, sample_weight=sw)
    np.testing.assert_allclose(history.history["mae"], maes, rtol=1e-5)
    # Keras 3's compute_loss does not track the loss: the step's own update_state(loss)
    # calls are the `loss` log, one per batch (batches of 4, 4 and 2 here).
    np.testing.assert_allclose(history.history["loss"], batch_means, rtol=1e-5)
    np.testing.assert_allclose(history.history["loss"], [0.88137, 0.09064], atol=1e-5)
    np.testing.assert_allclose(history.history["mae"], [0.72769, 0.38191], atol=1e-5)
    np.testing.assert_allclose(history.history["mse"], [0.62002, 0.10126], atol=1e-5)
    np.testing.assert_allclose(model.get_weights()[0], w, rtol=1e-5)
    assert [m.name for m in model.metrics] == ["loss", "compile_metrics"]
    # The default test_step logs the compiled loss.
    result = model.evaluate(X, Y, batch_size=4, verbose=0, return_dict=True)
    err = X @ w + b - Y
    np.testing.assert_allclose(result["loss"], np.mean(err**2), rtol=1e-4)
    np.testing.assert_allclose(result["mae"], np.mean(np.abs(err)), rtol=1e-4)


def test_keras2_train_step_still_lists_the_individual_metrics():
    class Keras2Step(keras.Model):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compiled_loss(y, y_pred)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.compiled_metrics.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    model = _linear(Keras2Step)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    history = model.fit(X, Y, batch_size=5, epochs=2, verbose=0, shuffle=False)
    losses, maes, _, _, _ = _numpy_sgd(X, Y, 2, 5, 0.1)
    np.testing.assert_allclose(history.history["loss"], losses, rtol=1e-5)
    np.testing.assert_allclose(history.history["mae"], maes, rtol=1e-5)
    assert [m.name for m in model.metrics] == ["loss", "mae"]
