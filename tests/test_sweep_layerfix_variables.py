"""`Variable.value`: TensorFlow's method and Keras 3's property (layerfix sweep)."""

import numpy as np
import torch

import tork as tf
from tork import keras


def test_value_called_is_a_snapshot_as_tensorflow():
    v = tf.Variable([1.0, 2.0])
    snapshot = v.value()
    v.assign([5.0, 6.0])
    # TF 2.21: [1. 2.] then [5. 6.]
    np.testing.assert_array_equal(snapshot.numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(v.value().numpy(), [5.0, 6.0])
    assert type(snapshot) is torch.Tensor
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v.value() * 3)
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [3.0, 3.0])


def test_value_property_as_keras3():
    v = tf.Variable([1.0, 2.0])
    np.testing.assert_array_equal(v.value.numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(np.asarray(keras.ops.add(v.value, 1)), [2.0, 3.0])
    # Ops on it give plain tensors; its repr is a plain tensor's.
    assert type(v.value * 2) is torch.Tensor
    assert repr(v.value).startswith("tensor([1., 2.]")
    # The property aliases the variable: later assigns show through it.
    alias = v.value
    v.assign([3.0, 4.0])
    np.testing.assert_array_equal(alias.numpy(), [3.0, 4.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v.value * 3)
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [3.0, 3.0])


def test_value_grad_is_the_variable_gradient():
    # The Keras 3 torch guide: loss.backward(), then [v.value.grad for v in weights].
    v = tf.Variable([1.0, 2.0])
    (v.value**2).sum().backward()
    np.testing.assert_array_equal(v.value.grad.numpy(), [2.0, 4.0])
    assert v.value.grad is v.grad
    v.value.grad = None
    assert v.grad is None


def test_metric_result_returning_value_property():
    class Positives(keras.metrics.Metric):
        def __init__(self, **kwargs):
            super().__init__(name="positives", **kwargs)
            self.count = self.add_weight(name="count", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.count.assign_add(keras.ops.sum(keras.ops.cast(y_true > 0.5, "float32")))

        def result(self):
            return self.count.value

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=[Positives()])
    x, y = np.ones((4, 3), "float32"), np.ones((4, 1), "float32")
    history = model.fit(x, y, epochs=2, batch_size=2, verbose=0)
    assert history.history["positives"] == [4.0, 4.0]
