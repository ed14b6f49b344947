"""Maximum/Minimum gradients at ties and Dot(normalize=True) on tiny vectors, as tf_keras.

Found by differential fuzzing of gradients at special points (helper fuzztape). Expected
values printed by TensorFlow 2.21 with tf_keras 2.21 (CPU) running the same code.
"""

import numpy as np

import tork as tf

L = tf.keras.layers


def test_maximum_minimum_ties_send_the_gradient_to_the_earlier_input():
    a = tf.constant([[1.0, 2.0, 0.0]])
    b = tf.constant([[1.0, 1.0, 0.0]])
    c = tf.constant([[0.5, 2.0, 0.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, b, c])
        mx = L.Maximum()([a, b, c])
        mn = L.Minimum()([a, b, c])
    np.testing.assert_allclose(mx, [[1.0, 2.0, 0.0]])
    np.testing.assert_allclose(mn, [[0.5, 1.0, 0.0]])
    # tf_keras 2.21 (torch.maximum would give 0.5 / 0.5 at the ties).
    gmax = [np.asarray(g) for g in tape.gradient(mx, [a, b, c])]
    np.testing.assert_allclose(gmax, [[[1, 1, 1]], [[0, 0, 0]], [[0, 0, 0]]])
    gmin = [np.asarray(g) for g in tape.gradient(mn, [a, b, c])]
    np.testing.assert_allclose(gmin, [[[0, 0, 1]], [[0, 1, 0]], [[1, 0, 0]]])


def test_dot_normalize_bounds_the_squared_norm():
    # tf.linalg.l2_normalize's epsilon (1e-12) bounds the squared norm: a vector of norm
    # 1.7e-8 is divided by 1e-6, so the cosine is 0.01, not 1 / sqrt(3).
    p = tf.constant([[1e-8, 1e-8, 1e-8], [1.0, 2.0, 2.0]])
    q = tf.constant([[1.0, 0.0, 0.0], [0.0, 3.0, 4.0]])
    with tf.GradientTape() as tape:
        tape.watch([p, q])
        d = L.Dot(axes=1, normalize=True)([p, q])
    gp, gq = tape.gradient(d, [p, q])
    np.testing.assert_allclose(d, [[0.01], [0.93333334]], 1e-5)  # tf_keras 2.21
    np.testing.assert_allclose(gp[0], [1e6, 0.0, 0.0], 1e-5)
    np.testing.assert_allclose(gp[1], [-0.1037037, -0.00740741, 0.05925926], 1e-4, 1e-6)
    np.testing.assert_allclose(gq, [[0.0, 0.01, 0.01], [0.06666667, 0.02133332, -0.016]], 1e-4)
