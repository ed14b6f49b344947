"""Epoch and evaluation logs of custom steps, as Keras 2 reports them (fuzzt4).

tf_keras 2.21 ends each fit epoch and each evaluation by replacing the last step's logs
with the model's metric results when both have the same names: a custom `train_step`
that returns the batch's loss under `loss` logs the epoch's mean loss in History and in
`evaluate`. Expected numbers come from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1, CPU) running
the same code (/tmp/fuzzt4/chk_epochlogs.py and chk_epochlogs2.py).
"""

import numpy as np
import pytest

import tork as tf
from tork import keras

X = np.arange(24, dtype="float32").reshape(8, 3) / 10.0
Y = np.linspace(-1, 1, 8, dtype="float32").reshape(8, 1)
W0 = [np.array([[0.5], [-0.3], [0.2]], "float32"), np.array([0.1], "float32")]


class _BatchLossModel(keras.Model):
    """The common Keras 2 custom step: metrics' results, but the batch's loss."""

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compiled_loss(y, y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.compiled_metrics.update_state(y, y_pred)
        out = {m.name: m.result() for m in self.metrics}
        out["loss"] = loss
        return out

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        loss = self.compiled_loss(y, y_pred)
        self.compiled_metrics.update_state(y, y_pred)
        out = {m.name: m.result() for m in self.metrics}
        out["loss"] = loss
        return out


def _model(cls):
    inp = keras.Input((3,))
    model = cls(inp, keras.layers.Dense(1)(inp))
    model.set_weights(W0)
    model.compile(keras.optimizers.SGD(0.1), "mse", metrics=["mae"])
    return model


def test_batch_loss_step_logs_the_epoch_mean_in_history_and_evaluate():
    model = _model(_BatchLossModel)
    batch_losses, test_end = [], []
    cb = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda b, logs: batch_losses.append(float(logs["loss"])),
        on_test_end=lambda logs: test_end.append(float(logs["loss"])),
    )
    h = model.fit(
        X,
        Y,
        batch_size=3,
        epochs=2,
        verbose=0,
        shuffle=False,
        validation_data=(X[:5], Y[:5]),
        callbacks=[cb],
    )
    hist = h.history
    # tf_keras 2.21: the epoch's mean loss (the step returned 0.263561 / 0.334765 last).
    np.testing.assert_allclose(hist["loss"], [0.420176, 0.559742], rtol=1e-5)
    np.testing.assert_allclose(hist["mae"], [0.538291, 0.691567], rtol=1e-5)
    np.testing.assert_allclose(hist["val_loss"], [1.026417, 0.868834], rtol=1e-5)
    np.testing.assert_allclose(hist["val_mae"], [1.012343, 0.931853], rtol=1e-5)
    # Batch hooks still see each step's own values; on_test_end the replaced ones.
    np.testing.assert_allclose(
        batch_losses, [0.909983, 0.034779, 0.263561, 1.083034, 0.186435, 0.334765], atol=2e-6
    )
    np.testing.assert_allclose(test_end, [1.026417, 0.868834], rtol=1e-5)
    np.testing.assert_allclose(
        model.evaluate(X, Y, batch_size=3, verbose=0), [0.913702, 0.955211], rtol=1e-5
    )
    ev = model.evaluate(X, Y, batch_size=3, verbose=0, return_dict=True)
    assert ev == pytest.approx({"loss": 0.913702, "mae": 0.955211}, rel=1e-5)


@pytest.mark.parametrize("kind", ["double", "extra"])
def test_super_train_step_with_changed_or_extra_logs(kind):
    class M(keras.Model):
        def train_step(self, data):
            res = super().train_step(data)
            if kind == "double":
                res["loss"] = res["loss"] * 2.0  # same names: tf_keras logs the metrics
            else:
                res["extra"] = res["loss"] * 0.0 + 1.5  # other names: logged as returned
            return res

    model = _model(M)
    hist = model.fit(X, Y, batch_size=3, epochs=2, verbose=0, shuffle=False).history
    np.testing.assert_allclose(hist["loss"], [0.420176, 0.559742], rtol=1e-5)
    np.testing.assert_allclose(hist["mae"], [0.538291, 0.691567], rtol=1e-5)
    if kind == "extra":
        assert hist["extra"] == pytest.approx([1.5, 1.5])
    else:
        assert set(hist) == {"loss", "mae"}


def test_keras3_test_step_with_compute_loss():
    class M(keras.Model):
        def test_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
            out = self.compute_metrics(x, y, y_pred, None)
            out["loss"] = loss
            return out

    model = _model(M)
    model.fit(X, Y, batch_size=3, epochs=2, verbose=0, shuffle=False)
    np.testing.assert_allclose(
        model.evaluate(X, Y, batch_size=3, verbose=0), [0.913702, 0.955211], rtol=1e-5
    )
