"""Sweep of tf_keras's edge-case integration model (ktmisc): a layer that creates its
weights in call() used in a functional model (tork failed while tracing on fake tensors).
Expected values from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) running the same code."""

import numpy as np

import tork as tf

keras = tf.keras


class _WeightsInCall(keras.layers.Layer):
    def __init__(self, units, input_dim, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.input_dim = input_dim
        self._custom_built = False

    def call(self, inputs):
        if not self._custom_built:
            self.w = self.add_weight(
                shape=(self.input_dim, self.units), initializer="ones", trainable=True
            )
            self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)
            self._custom_built = True
        return tf.matmul(inputs, self.w) + self.b


def test_weights_created_in_call_of_functional_layer():
    inputs = keras.Input((4,))
    layer = _WeightsInCall(3, 4, name="linear_c")
    outputs = keras.layers.Dense(2, kernel_initializer="ones", name="head")(layer(inputs))
    model = keras.Model(inputs, outputs)
    # tf_keras: linear_c/Variable:0 (4, 3) and linear_c/Variable:0 (3,), both trainable.
    assert [(w.name, tuple(w.shape)) for w in layer.weights] == [
        ("linear_c/Variable:0", (4, 3)),
        ("linear_c/Variable:0", (3,)),
    ]
    assert len(model.trainable_weights) == 4
    x = np.arange(8, dtype="float32").reshape(2, 4)
    # Hand-computed: ones kernels: each unit sums the row, the head sums 3 of those.
    np.testing.assert_allclose(model.predict(x, verbose=0), [[18.0, 18.0], [66.0, 66.0]])


def test_weights_created_in_call_train():
    inputs = keras.Input((4,))
    outputs = _WeightsInCall(1, 4)(inputs)
    model = keras.Model(inputs, outputs)
    model.compile(keras.optimizers.SGD(0.01), "mse")
    x = np.ones((2, 4), "float32")
    y = np.zeros((2, 1), "float32")
    # Hand-computed: prediction 4, loss 16; gradient 2*4 per input -> kernel 1 - 0.08.
    loss = model.train_on_batch(x, y)
    assert loss == 16.0
    np.testing.assert_allclose(model.layers[1].w.numpy(), np.full((4, 1), 0.92), rtol=1e-6)
