"""PReLU under a mixed precision policy computes (and returns) the compute dtype.

Found by differential layer testing against tf_keras (helper fuzzl3). Expected values
printed by TensorFlow 2.21 with tf_keras 2.21 (CPU) running the same code.
"""

import numpy as np
import torch

import tork as tf

L = tf.keras.layers


def test_prelu_mixed_float16_returns_float16_and_keeps_a_float32_alpha():
    x = np.array([[-1.0, 2.0, -3.0], [0.5, -0.25, 4.0]], "float32")
    layer = L.PReLU(dtype="mixed_float16", alpha_initializer=tf.keras.initializers.Constant(0.3))
    with tf.GradientTape() as tape:
        y = layer(x)
        loss = tf.reduce_sum(tf.cast(y, "float32") ** 2)
    (grad,) = tape.gradient(loss, layer.trainable_weights)
    # tf_keras: output float16 (alpha autocast), alpha and its gradient float32.
    assert y.dtype == torch.float16
    assert layer.alpha.dtype == torch.float32
    assert grad.dtype == torch.float32
    np.testing.assert_allclose(
        np.asarray(y, "float32"),
        [[-0.300048828125, 2.0, -0.900390625], [0.5, -0.07501220703125, 4.0]],
    )
    np.testing.assert_allclose(grad, [0.60009765625, 0.037506103515625, 5.40234375], rtol=1e-6)


def test_prelu_mixed_bfloat16_returns_bfloat16():
    y = L.PReLU(dtype="mixed_bfloat16")(np.ones((2, 3), "float32"))
    assert y.dtype == torch.bfloat16
