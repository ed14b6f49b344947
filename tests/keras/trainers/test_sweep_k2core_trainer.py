"""Keras 2 (tf_keras 2.21) training behaviours (k2core).

`compiled_loss` is a container even when compile() got no loss (VAE-style models adding
their losses with add_loss), and steps may log arrays (a per-sample loss) that History and
evaluate keep as arrays. Expected values are NumPy formulas or tf_keras 2.21 results.
"""

import numpy as np

import tork as tf
from tork import keras

X = np.array([[1.0], [2.0], [3.0], [4.0], [10.0]], dtype="float32")


def _added_loss_model(constant=None):
    """y = x (kernel 1, no bias) with add_loss(mean(y)), or add_loss(constant)."""

    class M(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(1, kernel_initializer="ones", use_bias=False)

        def call(self, x):
            y = self.d(x)
            if constant is not None:
                self.add_loss(tf.reduce_mean(y) * 0.0 + constant)
            else:
                self.add_loss(tf.reduce_mean(y))
            return y

    return M()


# -- 1. compiled_loss without a loss ---------------------------------------------------------
def test_compiled_loss_without_loss_returns_the_added_losses():
    seen = {}

    class M(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(1)

        def call(self, x):
            y = self.d(x)
            self.add_loss(tf.reduce_mean(y) * 0.0 + 2.0)
            return y

        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.compiled_metrics.update_state(y, y_pred)  # no metrics: a no-op
            seen["loss"] = float(loss)
            seen["loss_metrics"] = [m.name for m in self.compiled_loss.metrics]
            return {"l": loss}

    model = M()
    model.compile(optimizer="sgd")
    assert model.compiled_loss is not None
    assert model.compiled_loss.metrics == []  # tf_keras: empty until the first batch
    history = model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), verbose=0)
    # tf_keras 2.21: the sum of the regularization losses; `loss` tracked once built.
    assert seen == {"loss": 2.0, "loss_metrics": ["loss"]}
    assert history.history == {"l": [2.0]}
    assert [m.name for m in model.metrics] == ["loss"]
    assert model.metrics_names == ["loss"]
    assert model.compiled_metrics.metrics == []
    assert model.evaluate(np.ones((4, 3), "float32"), np.ones((4, 1)), verbose=0) == 2.0


def test_compiled_loss_without_any_loss_returns_none():
    seen = []

    class M(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(1)

        def call(self, x):
            return self.d(x)

        def train_step(self, data):
            x, y = data
            y_pred = self(x, training=True)
            seen.append(self.compiled_loss(y, y_pred, regularization_losses=self.losses))
            seen.append(self.compiled_loss(y, y_pred))
            return {m.name: m.result() for m in self.metrics}

    model = M()
    model.compile(optimizer="sgd")
    history = model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), verbose=0)
    # tf_keras 2.21: None, and the `loss` tracker exists but is never fed.
    assert seen == [None, None]
    assert history.history == {"loss": [0.0]}


def test_default_step_without_any_loss():
    model = keras.Sequential([keras.layers.Dense(1)])
    model.compile("sgd")
    x, y = np.ones((4, 3), "float32"), np.ones((4, 1), "float32")
    try:
        model.fit(x, y, verbose=0)
    except ValueError as error:
        assert "has no loss to optimize: pass loss=... to compile()" in str(error)
    else:
        raise AssertionError("fit without any loss must raise")
    # tf_keras 2.21: evaluate gives 0.0 and lists `loss`.
    assert model.evaluate(x, y, verbose=0) == 0.0
    assert model.metrics_names == ["loss"]


def test_added_losses_alone_count_once_per_batch():
    # tf_keras 2.21: without a compiled loss the running `loss` is the plain mean of the
    # batches' add_loss totals: (mean(1, 2, 3, 4) + 10) / 2 = 6.25 (not weighted by size).
    model = _added_loss_model()
    model.compile(keras.optimizers.SGD(0.0))
    history = model.fit(X, epochs=1, batch_size=4, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], [6.25], rtol=1e-6)
    np.testing.assert_allclose(model.evaluate(X, batch_size=4, verbose=0), 6.25, rtol=1e-6)


def test_compiled_loss_batches_still_weighted_by_size():
    # With a compiled loss the batch sizes weight the running mean (the dataset mean).
    model = keras.Sequential(
        [keras.Input((1,)), keras.layers.Dense(1, kernel_initializer="zeros", use_bias=False)]
    )
    model.compile(keras.optimizers.SGD(0.0), loss="mae")
    history = model.fit(X, np.zeros((5, 1)), batch_size=4, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], [0.0])
    result = model.evaluate(X, X, batch_size=4, verbose=0)
    np.testing.assert_allclose(result, X.mean(), rtol=1e-6)


# -- 2. logs holding arrays -------------------------------------------------------------------
def _vector_loss_model():
    class M(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(2, kernel_initializer="ones", use_bias=False)

        def call(self, x):
            return self.d(x)

        def train_step(self, data):
            x, y = data
            loss = tf.reduce_mean(tf.square(self(x, training=True) - y), axis=1)
            return {"loss": loss, "other": tf.constant(3.0)}

        def test_step(self, data):
            x, y = data
            return {"loss": tf.reduce_mean(tf.square(self(x) - y), axis=1)}

    model = M()
    model.compile("sgd")
    return model


def test_vector_loss_logs_stay_arrays():
    x = np.arange(8, dtype="float32").reshape(4, 2) / 10.0
    y = np.ones((4, 2), "float32")
    per_sample = ((x.sum(axis=1, keepdims=True) - y) ** 2).mean(axis=1)  # kernel of ones
    model = _vector_loss_model()
    history = model.fit(
        x, y, batch_size=2, epochs=2, shuffle=False, verbose=0, validation_data=(x, y)
    )
    # tf_keras 2.21: History keeps the last batch's array; scalars stay floats.
    assert len(history.history["loss"]) == 2
    for value in history.history["loss"]:
        assert isinstance(value, np.ndarray)
        np.testing.assert_allclose(value, per_sample[2:], rtol=1e-6)
    assert history.history["other"] == [3.0, 3.0]
    assert isinstance(history.history["val_loss"][0], np.ndarray)
    np.testing.assert_allclose(history.history["val_loss"][0], per_sample[2:], rtol=1e-6)
    result = model.evaluate(x, y, batch_size=4, verbose=0)
    assert isinstance(result, np.ndarray)
    np.testing.assert_allclose(result, per_sample, rtol=1e-6)
    logs = model.test_on_batch(x, y, return_dict=True)
    np.testing.assert_allclose(logs["loss"], per_sample, rtol=1e-6)
    loss, other = model.train_on_batch(x, y)
    np.testing.assert_allclose(loss, per_sample, rtol=1e-6)
    assert other == 3.0


def test_vector_metric_results_in_evaluate():
    # F1Score(average=None): one value per class in evaluate too (tf_keras 2.21).
    model = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(2, activation="softmax", kernel_initializer="ones")]
    )
    model.compile("sgd", "categorical_crossentropy", metrics=[keras.metrics.F1Score()])
    labels = np.eye(2, dtype="float32")[[0, 1, 0, 1]]
    loss, f1 = model.evaluate(np.ones((4, 2), "float32"), labels, verbose=0)
    assert isinstance(loss, float)
    assert np.asarray(f1).shape == (2,)
