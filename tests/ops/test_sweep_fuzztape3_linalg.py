"""fuzztape3: gradients of tf.linalg.eigh / eigvalsh read only the lower triangle.

TF's eigh uses the lower triangle of its input, so its gradient is zero above the
diagonal and the off-diagonal entries below it are doubled. tork gave torch's symmetric
gradient (silently different from TF and from finite differences of the op).
Reference numbers: TensorFlow 2.21 (/tmp/fuzztape3/repro/eigh.py).
"""

import numpy as np

import tork as tf

A = [[2.0, 0.5, -0.3], [0.1, 1.5, 0.2], [0.4, -0.6, 3.0]]


def _grads():
    a = tf.constant(A, tf.float64)
    with tf.GradientTape(persistent=True) as t:
        t.watch(a)
        e, v = tf.linalg.eigh(a)
        l1 = tf.reduce_sum(e * tf.constant([1.0, 2.0, 3.0], tf.float64))
        w = tf.constant([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0], [2.0, 0.0, 1.0]], tf.float64)
        l2 = tf.reduce_sum(v * v * w)
        l3 = tf.reduce_sum(tf.linalg.eigvalsh(a) ** 2)
    return e, [np.asarray(t.gradient(loss, a)) for loss in (l1, l2, l3)]


def test_eigh_gradient_is_lower_triangular_as_tf():
    e, (g1, g2, g3) = _grads()
    np.testing.assert_allclose(e, [1.218324010979602, 1.9784046100203794, 3.3032713790000194])
    np.testing.assert_allclose(
        g1,
        [
            [1.97814053, 0.0, 0.0],
            [0.37593524, 1.30730542, 0.0],
            [0.69673201, -1.1795995, 2.71455405],
        ],
        atol=1e-7,
    )
    np.testing.assert_allclose(
        g2,
        [
            [0.00230959, 0.0, 0.0],
            [0.0804191, 0.21930368, 0.0],
            [0.50249646, -0.20370768, -0.22161327],
        ],
        atol=1e-7,
    )
    np.testing.assert_allclose(g3, [[4.0, 0.0, 0.0], [0.4, 3.0, 0.0], [1.6, -2.4, 6.0]], atol=1e-7)


def test_eigh_gradient_matches_finite_differences_of_the_op():
    # The op ignores the upper triangle, so its derivative there is exactly zero.
    a0 = np.array(A)
    _, (g1, _, _) = _grads()
    eps = 1e-6
    for i in range(3):
        for j in range(3):
            d = np.zeros((3, 3))
            d[i, j] = eps
            up = tf.linalg.eigvalsh(tf.constant(a0 + d, tf.float64))
            down = tf.linalg.eigvalsh(tf.constant(a0 - d, tf.float64))
            fd = float(np.sum((np.asarray(up) - np.asarray(down)) * [1.0, 2.0, 3.0]) / (2 * eps))
            np.testing.assert_allclose(g1[i, j], fd, atol=1e-5)


def test_eigvalsh_batched_float32_gradient():
    b = tf.constant([[[1.0, 0.2], [0.7, 2.0]], [[3.0, -1.0], [0.5, 1.0]]])
    with tf.GradientTape() as t:
        t.watch(b)
        w = tf.linalg.eigvalsh(b)
        loss = tf.reduce_sum(w * tf.constant([1.0, 3.0]))
    np.testing.assert_allclose(
        t.gradient(loss, b),
        [[[1.418762, 0.0], [1.627467, 2.581238]], [[2.894427, 0.0], [0.894427, 1.105573]]],
        atol=1e-5,
    )
    np.testing.assert_allclose(w, [[0.639768, 2.360232], [0.881966, 3.118034]], atol=1e-5)


def test_eigvalsh_forward_mode_ignores_upper_triangle():
    a = tf.constant([[2.0, 0.5], [0.1, 1.5]])
    with tf.autodiff.ForwardAccumulator(a, tf.constant([[0.0, 1.0], [0.0, 0.0]])) as acc:
        e = tf.linalg.eigvalsh(a)
    np.testing.assert_allclose(acc.jvp(e), [0.0, 0.0])


def test_cholesky_solve_gradient_reads_only_the_lower_triangle():
    # TF 2.21 (/tmp/fuzztape3/repro/linprobe.py, "cholsolve_full"): a full matrix given
    # as `chol` has a zero gradient above the diagonal; tork gave torch's full gradient.
    a = tf.constant(A, tf.float64)
    b = tf.constant([[1.0, 2.0], [0.5, -1.0], [0.3, 0.7]], tf.float64)
    with tf.GradientTape() as t:
        t.watch([a, b])
        y = tf.linalg.cholesky_solve(a + 2 * tf.eye(3, dtype=tf.float64), b)
        loss = tf.reduce_sum(tf.sin(y * 1.3))
    ga, gb = t.gradient(loss, [a, b])
    np.testing.assert_allclose(
        y, [[0.06036, 0.12581], [0.04071, -0.08352], [0.01126, 0.0128]], atol=1e-5
    )
    np.testing.assert_allclose(
        ga,
        [[-0.11396, 0.0, 0.0], [-0.07081, 0.03376, 0.0], [-0.04938, 0.00044, -0.01335]],
        atol=1e-5,
    )
    np.testing.assert_allclose(
        gb, [[0.07263, 0.07181], [0.11284, 0.11239], [0.05549, 0.0555]], atol=1e-5
    )
