"""Keras 2 `compiled_loss` / `compiled_metrics` details that custom train steps see.

Patterns from tensorflow_similarity: ContrastiveModel's SimSiam step calls
`self.compiled_loss(z1, p2)` on a two-output model, and its distance metrics declare
`update_state(self, y_true, y_pred, sample_weight)` with no default.
"""

import numpy as np

import tork as tf

_X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [-1.0, 1.0]], "float32")
_Y = np.array([[1.0], [0.0], [2.0], [-1.0]], "float32")


class _TwoOutputs(tf.keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            a, b = self(x, training=True)
            loss = self.compiled_loss(y, a) + self.compiled_loss(y, b)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {m.name: m.result() for m in self.metrics}


def test_one_output_passed_to_compiled_loss_logs_first_output_loss():
    inputs = tf.keras.Input((2,))
    a = tf.keras.layers.Dense(1, name="first")(inputs)
    b = tf.keras.layers.Dense(1, name="second")(inputs)
    model = _TwoOutputs(inputs, [a, b])
    model.set_weights(
        [
            np.array([[0.5], [-0.25]], "float32"),
            np.zeros(1, "float32"),
            np.array([[1.0], [0.5]], "float32"),
            np.ones(1, "float32"),
        ]
    )
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(_X, _Y, batch_size=4, epochs=2, verbose=0)
    # tf_keras 2.21: {'loss': [3.27539, 1.53575], 'first_loss': [3.27539, 1.53575]}.
    assert sorted(m.name for m in model.metrics) == ["first_loss", "loss"]
    np.testing.assert_allclose(history.history["loss"], [3.27539, 1.53575], atol=1e-4)
    np.testing.assert_allclose(history.history["first_loss"], [3.27539, 1.53575], atol=1e-4)


class _Gap(tf.keras.metrics.Metric):
    def __init__(self, name="gap", **kwargs):
        super().__init__(name=name, **kwargs)
        self.v = self.add_weight(name="v", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight):  # no default, as in tfsim
        self.v.assign(tf.reduce_max(tf.abs(y_true - y_pred)))

    def result(self):
        return self.v


def test_metric_with_required_sample_weight_gets_none():
    inputs = tf.keras.Input((2,))
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(inputs))
    model.set_weights([np.array([[0.5], [-0.25]], "float32"), np.zeros(1, "float32")])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse", metrics=[_Gap()])
    history = model.fit(_X, _Y, batch_size=4, epochs=2, verbose=0)
    # tf_keras 2.21: loss [1.91016, 1.33917], gap [1.875, 1.79688]; evaluate [1.1649, 1.72359].
    np.testing.assert_allclose(history.history["loss"], [1.91016, 1.33917], atol=1e-4)
    np.testing.assert_allclose(history.history["gap"], [1.875, 1.79688], atol=1e-4)
    np.testing.assert_allclose(model.evaluate(_X, _Y, verbose=0), [1.1649, 1.72359], atol=1e-4)
