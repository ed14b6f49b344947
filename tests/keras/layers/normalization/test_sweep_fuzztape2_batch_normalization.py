"""A tape watching BatchNormalization's moving statistics (fuzztape2 sweep).

`tape.watch(bn.moving_mean)` (or `tape.watch(model.variables)`) made torch's batch_norm
kernel raise "not differentiable with respect to argument 'running_mean'". TF gives the
gradient in inference and None in training. Numbers from TensorFlow 2.21 / tf_keras
(TF_USE_LEGACY_KERAS=1; a 2-D input, which tf_keras normalizes without the fused kernel).
"""

import numpy as np
import pytest

import tork as tf

WANT = {
    False: (
        3.0457194,
        [
            [1.8543874, 0.62422025, 2.5851672, 1.4587829],
            [-0.81818175, -0.27272725, 0.27272731, 0.8181818],
            [0.8141212, 0.272387, -0.26743114, 0.577101],
            [-0.91801345, -0.1556659, -2.4857378, 0.36288133],
        ],
    ),
    True: (
        4.529678,
        [
            [1.7682348, 1.7682348, 1.7682348, 1.7682347],
            [-0.81818175, -0.27272725, 0.27272731, 0.8181818],
            None,
            None,
        ],
    ),
}


@pytest.mark.parametrize("training", [False, True])
def test_gradient_with_watched_moving_statistics(training):
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4) / 4.0 - 1.0)
    bn = tf.keras.layers.BatchNormalization(epsilon=0.01)
    bn(x)
    bn.set_weights(
        [
            np.array([1.0, 2.0, 0.5, -1.0], np.float32),
            np.array([0.1, 0.0, -0.2, 0.3], np.float32),
            np.array([0.5, -0.5, 1.0, 0.0], np.float32),
            np.array([1.0, 4.0, 0.25, 2.0], np.float32),
        ]
    )
    w = tf.constant(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4))
    with tf.GradientTape() as t:
        t.watch([bn.moving_mean, bn.moving_variance])
        y = tf.reduce_sum(bn(x, training=training) * w)
    grads = t.gradient(y, bn.weights)
    want_y, want_grads = WANT[training]
    np.testing.assert_allclose(float(y), want_y, rtol=1e-5)
    for got, want in zip(grads, want_grads):
        if want is None:
            assert got is None
        else:
            np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)
    if training:
        # The moving statistics still took the batch's update (momentum 0.99).
        np.testing.assert_allclose(
            bn.moving_mean.numpy(),
            0.99 * np.array([0.5, -0.5, 1.0, 0.0]) + 0.01 * x.numpy().mean(0),
            rtol=1e-5,
        )
