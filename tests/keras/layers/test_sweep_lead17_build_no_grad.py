"""Tensors computed in `build` from weights are constants to training, as in Keras on TF.

Keras builds inside TF's `init_scope`, which pauses gradient tapes; Nested-LSTM-style code
(`self.k = K.concatenate([self.a, self.b])` in build, `K.dot(x, self.k)` in call) then
trains only the weights `call` uses directly. Reference: tf_keras 2.21 on the model below,
2 epochs of SGD: `a` and `b` stay 1, `c` becomes 0.912025.
"""

import warnings

import numpy as np

import tork as tf

K = tf.keras.backend


class _Concatenated(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.a = self.add_weight(name="a", shape=(input_shape[-1], 2), initializer="ones")
        self.b = self.add_weight(name="b", shape=(input_shape[-1], 2), initializer="ones")
        self.k = K.concatenate([self.a, self.b])
        self.c = self.add_weight(name="c", shape=(4,), initializer="ones")

    def call(self, inputs):
        return K.dot(inputs, self.k) * self.c


def test_tensor_made_in_build_is_a_constant_to_fit():
    model = tf.keras.Sequential([tf.keras.Input((3,)), _Concatenated()])
    model.compile("sgd", "mse")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no gradients for a and b (TF warns too)
        model.fit(np.ones((8, 3)), np.zeros((8, 4)), epochs=2, verbose=0)
    a, b, c = (w.numpy() for w in model.weights)
    np.testing.assert_array_equal(a, np.ones((3, 2)))
    np.testing.assert_array_equal(b, np.ones((3, 2)))
    np.testing.assert_allclose(c, [0.912025] * 4, rtol=1e-6)
    assert not model.layers[0].k.requires_grad


def test_weights_created_in_build_still_train():
    layer = tf.keras.layers.Dense(1, kernel_initializer="ones")
    with tf.GradientTape() as tape:
        y = layer(np.ones((1, 2), "float32"))  # built inside the tape
    grads = tape.gradient(y, layer.trainable_weights)
    np.testing.assert_array_equal(grads[0].numpy(), [[1.0], [1.0]])
