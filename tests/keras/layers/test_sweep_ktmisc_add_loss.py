"""Sweep of tf_keras's own add_loss tests (ktmisc): callable losses and loss objects on
functional-API tensors. Expected numbers come from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1)
running the same code, or are worked by hand where noted."""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

X = np.array([[0.0], [1.0], [2.0]], dtype="float32")
Y = np.array([[0.5], [2.0], [3.5]], dtype="float32")
W = np.array([[1.25], [0.5], [1.25]], dtype="float32")


class _Bias(keras.layers.Layer):
    def build(self, input_shape):
        self.bias = self.add_weight(name="bias", shape=(1,), initializer="zeros")

    def call(self, inputs):
        return inputs + self.bias


def _losses(history):
    return history.history["loss"]


def test_callable_loss_alone_trains_functional_model():
    # tf_keras: [0.0, -0.1, -0.2, -0.3, -0.4] (sum of weights, SGD(0.1) lowers it by 0.1).
    inputs = keras.Input((1,))
    model = keras.Model(inputs, _Bias()(inputs))
    model.add_loss(lambda: tf.reduce_sum(model.weights))
    model.compile(keras.optimizers.legacy.SGD(0.1))
    history = model.fit(X, batch_size=3, epochs=5, verbose=0)
    np.testing.assert_allclose(_losses(history), [0.0, -0.1, -0.2, -0.3, -0.4], atol=1e-5)


def test_callable_loss_alone_trains_subclassed_model():
    class Model(keras.Model):
        def __init__(self):
            super().__init__()
            self.bias = _Bias()

        def call(self, inputs):
            return self.bias(inputs)

    model = Model()
    model.add_loss(lambda: tf.reduce_sum(model.weights))
    model.compile(keras.optimizers.legacy.SGD(0.1))
    history = model.fit(X, batch_size=3, epochs=5, verbose=0)
    np.testing.assert_allclose(_losses(history), [0.0, -0.1, -0.2, -0.3, -0.4], atol=1e-5)


def test_callable_loss_adds_to_compiled_loss():
    # Silent before: the callable was dropped when a compiled loss was set (loss 0.0).
    # tf_keras: losses [0.5, 0.43, 0.4071], evaluate 0.38836, kernel 0.835.
    inputs = keras.Input((1,))
    dense = keras.layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros")
    model = keras.Model(inputs, dense(inputs))
    model.add_loss(lambda: 0.5 * tf.reduce_sum(tf.square(dense.kernel)))
    model.compile(keras.optimizers.SGD(0.1), "mse")
    x = np.array([[1.0], [2.0]], "float32")
    history = model.fit(x, x, batch_size=2, epochs=3, verbose=0)
    np.testing.assert_allclose(_losses(history), [0.5, 0.43, 0.4071], atol=1e-4)
    assert model.evaluate(x, x, verbose=0) == pytest.approx(0.38836, abs=1e-4)
    np.testing.assert_allclose(dense.kernel.numpy().ravel(), [0.835], atol=1e-5)


def test_loss_object_on_keras_inputs_in_fit():
    # tf_keras: [2.0, 1.8, 1.6, 1.4, 1.2] (two MAE terms, each moving by 0.1 per epoch).
    inputs = keras.Input((1,))
    targets = keras.Input((1,))
    outputs = _Bias()(inputs)
    model = keras.Model([inputs, targets], outputs)
    model.add_loss(keras.losses.MeanAbsoluteError()(targets, outputs))
    model.add_loss(tf.reduce_mean(keras.losses.mean_absolute_error(targets, outputs)))
    model.compile(keras.optimizers.legacy.SGD(0.05))
    history = model.fit([X, Y], batch_size=3, epochs=5, verbose=0)
    np.testing.assert_allclose(_losses(history), [2.0, 1.8, 1.6, 1.4, 1.2], atol=1e-4)


def test_loss_object_with_sample_weight_input_in_fit():
    # tf_keras: [4.0, 3.6, 3.2, 2.8, 2.4].
    inputs, targets, weights = keras.Input((1,)), keras.Input((1,)), keras.Input((1,))
    outputs = _Bias()(inputs)
    model = keras.Model([inputs, targets, weights], outputs)
    model.add_loss(keras.losses.MeanAbsoluteError()(targets, outputs, weights))
    model.add_loss(3 * tf.reduce_mean(weights * keras.losses.mean_absolute_error(targets, outputs)))
    model.compile(keras.optimizers.legacy.SGD(0.025))
    history = model.fit([X, Y, W], batch_size=3, epochs=5, verbose=0)
    np.testing.assert_allclose(_losses(history), [4.0, 3.6, 3.2, 2.8, 2.4], atol=1e-4)


def test_loss_object_on_keras_inputs_custom_loop():
    # tf_keras: [2.0, 1.8, 1.6, 1.4, 1.2] with SGD(0.05) on sum(model.losses).
    inputs, targets = keras.Input((1,)), keras.Input((1,))
    outputs = _Bias()(inputs)
    model = keras.Model([inputs, targets], outputs)
    model.add_loss(keras.losses.MeanAbsoluteError()(targets, outputs))
    model.add_loss(tf.reduce_mean(keras.losses.mean_absolute_error(targets, outputs)))
    optimizer = keras.optimizers.legacy.SGD(0.05)
    values = []
    for _ in range(5):
        with tf.GradientTape() as tape:
            model([X, Y])
            loss = tf.reduce_sum(model.losses)
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        values.append(float(loss))
    np.testing.assert_allclose(values, [2.0, 1.8, 1.6, 1.4, 1.2], atol=1e-4)


def test_loss_object_on_keras_inputs_values():
    # Hand-computed: MAE weighted (1*1 + 3*2) / 2 = 3.5; 'none' gives per-sample MSE.
    pred, true, weights = keras.Input((1,)), keras.Input((1,)), keras.Input((1,))
    weighted = keras.losses.MeanAbsoluteError()(true, pred, weights)
    assert tuple(weighted.shape) == ()
    model = keras.Model([pred, true, weights], weighted)
    value = model([np.array([[1.0], [2.0]]), np.zeros((2, 1)), np.array([[1.0], [3.0]])])
    assert float(value) == pytest.approx(3.5)
    a, b = keras.Input((3,)), keras.Input((3,))
    per_sample = keras.losses.MeanSquaredError(reduction="none")(b, a)
    assert tuple(per_sample.shape) == (None,)
    out = keras.Model([a, b], per_sample).predict([np.ones((2, 3)), np.zeros((2, 3))], verbose=0)
    np.testing.assert_allclose(out, [1.0, 1.0])
