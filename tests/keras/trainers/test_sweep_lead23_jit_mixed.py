"""compile(jit_compile=True) under mixed_float16 skips overflowing steps as eager tork and
tf_keras do (found by review23). Expected values printed by tf_keras 2.21 (jit_compile=True)
for the same code: the loss scale (32768) overflows every step's float16 gradients, so the
trainable weight stays at its initial ones."""

import numpy as np
import pytest

import tork as tf


@pytest.fixture
def mixed_policy():
    tf.keras.mixed_precision.set_global_policy("mixed_float16")
    yield
    tf.keras.mixed_precision.set_global_policy("float32")


@pytest.mark.parametrize("jit", [False, True])
def test_loss_scale_overflow_skips_the_step(mixed_policy, jit):
    class L(tf.keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(name="w", shape=(2,), initializer="ones")
            self.mm = self.add_weight(name="mm", shape=(2,), initializer="zeros", trainable=False)

        def call(self, x, training=None):
            if training:
                self.mm.assign(self.mm * 0.5 + tf.reduce_mean(x, 0) * 0.5)
            return x * self.w + self.mm

    inp = tf.keras.Input((2,))
    out = tf.keras.layers.Activation("linear", dtype="float32")(L(name="l")(inp))
    model = tf.keras.Model(inp, out)
    model.compile("sgd", "mse", jit_compile=jit)
    x = np.arange(8, dtype="float32").reshape(4, 2)
    y = np.ones((4, 2), "float32")
    model.fit(x, y, epochs=2, batch_size=2, verbose=0, shuffle=False)
    kernel, moving = model.get_weights()
    np.testing.assert_allclose(kernel, [1.0, 1.0])
    np.testing.assert_allclose(moving, [3.4375, 4.375])
    np.testing.assert_allclose(model.optimizer.dynamic_scale.numpy(), 2048.0)
