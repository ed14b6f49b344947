"""Keras 2 argument order of fit/evaluate/predict, and per-sample compiled losses.

Patterns from tensorflow_similarity: ContrastiveModel.predict forwards its eight Keras 2
arguments positionally to `backbone.predict`, and its VicReg loss (reduction="none")
goes through `self.compiled_loss(z1, z2)` in a custom train_step that adds the
regularization losses to each sample's value.
"""

import numpy as np

import tork as tf

_X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [-1.0, 1.0]], "float32")
_Y = np.array([[1.0], [0.0], [2.0], [-1.0]], "float32")
_W = np.array([[0.5], [-0.25]], "float32")


def _dense():
    inputs = tf.keras.Input((2,))
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(inputs))
    model.set_weights([_W, np.zeros(1, "float32")])
    return model


def test_keras2_positional_arguments():
    model = _dense()
    model.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss="mse", metrics=["mae"])
    # predict(x, batch_size, verbose, steps, callbacks, max_queue_size, workers,
    # use_multiprocessing), as Keras 2 subclasses forward them.
    out = model.predict(_X, 2, 0, None, None, 10, 1, False)
    np.testing.assert_allclose(out, _X @ _W, rtol=1e-6)
    # evaluate(..., callbacks, max_queue_size, workers, use_multiprocessing, return_dict).
    logs = model.evaluate(_X, _Y, 4, 0, None, None, None, 10, 1, False, True)
    expected = _X @ _W
    assert sorted(logs) == ["loss", "mae"]
    np.testing.assert_allclose(logs["loss"], np.mean((expected - _Y) ** 2), rtol=1e-5)
    history = model.fit(
        _X, _Y, 4, 1, 0, None, 0.0, None, False, None, None, 0, None, None, None, 1, 10, 1, False
    )
    assert len(history.history["loss"]) == 1


class _LossPerSample(tf.keras.losses.Loss):
    def call(self, a, b):
        return tf.reduce_mean(tf.square(a - b), axis=-1) + tf.reduce_mean(a)


def test_compiled_loss_keeps_per_sample_values():
    a = tf.constant(np.arange(8, dtype="float32").reshape(4, 2) / 7)
    b = tf.constant(np.ones((4, 2), "float32"))
    model = _dense()
    model.compile(loss=_LossPerSample(reduction="none"))
    # tf_keras 2.21: the unreduced values, `loss` logs their mean 0.857143.
    np.testing.assert_allclose(
        model.compiled_loss(a, b), [1.3673, 0.9184, 0.6327, 0.5102], atol=1e-4
    )
    np.testing.assert_allclose(model.compiled_loss.metrics[0].result(), 0.857143, atol=1e-5)
    weighted = model.compiled_loss(a, b, sample_weight=tf.constant([1.0, 0.0, 2.0, 1.0]))
    np.testing.assert_allclose(weighted, [1.3673, 0.0, 1.2653, 0.5102], atol=1e-4)
    model.compile(loss=tf.keras.losses.MeanSquaredError(reduction="none"))
    np.testing.assert_allclose(
        model.compiled_loss(a, b), [0.8673, 0.4184, 0.1327, 0.0102], atol=1e-4
    )


def test_fit_with_a_per_sample_loss_minimizes_the_sum():
    model = _dense()
    model.compile(
        optimizer=tf.keras.optimizers.SGD(0.1),
        loss=tf.keras.losses.MeanSquaredError(reduction="none"),
    )
    model.fit(_X, _Y, batch_size=4, epochs=1, verbose=0, shuffle=False)
    # One SGD step on sum_i (x_i w - y_i)^2 (the kernel's gradient: 2 X^T (X w - y)).
    grad = 2 * _X.T @ (_X @ _W - _Y)
    np.testing.assert_allclose(model.get_weights()[0], _W - 0.1 * grad, rtol=1e-5)
