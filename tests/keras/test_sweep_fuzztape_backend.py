"""Keras 2 backend's sqrt: TensorFlow's gradient where the upstream gradient is 0.

Found by differential fuzzing of gradients at special points (helper fuzztape); expected
values printed by TensorFlow 2.21 with tf_keras 2.21 (CPU).
"""

import numpy as np

import tork as tf


def test_keras_backend_sqrt_zero_upstream():
    # TF 2.21 / tf_keras: K.sqrt(x) at x = 0 with a zero upstream has gradient 0.
    r = tf.constant([0.0, 4.0, -1.0])
    with tf.GradientTape() as tape:
        tape.watch(r)
        out = tf.keras.backend.sqrt(r) * tf.constant([0.0, 1.0, 1.0])
    g = tape.gradient(out, r)
    np.testing.assert_allclose(out, [0.0, 2.0, 0.0])
    np.testing.assert_allclose(g, [0.0, 0.25, 0.0])
