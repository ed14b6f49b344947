"""tf.clip_by_value with tensor bounds: gradients at the bounds, as TensorFlow.

Found by differential fuzzing of gradients at special points (helper fuzztape). The
expected values were printed by TensorFlow 2.21 (CPU) with the same code.
"""

import numpy as np

import tork as tf

X = np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0], np.float32)


def test_tensor_bounds_pass_the_gradient_at_the_bounds():
    x = tf.constant(X)
    lo = tf.constant(np.full(7, -1.0, np.float32))
    hi = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch([x, lo, hi])
        y = tf.clip_by_value(x, lo, hi)
    gx, glo, ghi = tape.gradient(y, [x, lo, hi])
    # TF 2.21: x keeps its gradient at both bounds; a bound gets it only strictly outside.
    np.testing.assert_allclose(gx, [0, 1, 1, 1, 1, 1, 0])
    np.testing.assert_allclose(glo, [1, 0, 0, 0, 0, 0, 0])
    np.testing.assert_allclose(ghi, 1.0)
    np.testing.assert_allclose(y, np.clip(X, -1, 1))


def test_min_above_max_gives_min():
    # TF 2.21: minimum with the upper bound first, then maximum with the lower one.
    x = tf.constant([0.0, 5.0])
    out = tf.clip_by_value(x, tf.constant(2.0), tf.constant(1.0))
    np.testing.assert_allclose(out, [2.0, 2.0])


def _grads(f, *values):
    xs = [tf.constant(np.array(v, np.float32)) for v in values]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        out = f(*xs)
    return out, [np.asarray(g) for g in tape.gradient(out, xs)]


def test_segment_max_min_gradient_when_the_extreme_is_zero():
    # torch's scatter_reduce gradient (include_self=False) shared a 0 maximum with its
    # unused initial 0 (half the gradient). TF 2.21 values:
    d = [[1.0, -1.0], [0.0, -2.0], [-1.0, 0.0], [2.0, 0.0], [0.0, 5.0]]
    m, (gm,) = _grads(lambda x: tf.math.segment_max(x, [0, 0, 0, 2, 2]), d)
    np.testing.assert_allclose(m, [[1.0, 0.0], [0.0, 0.0], [2.0, 5.0]])  # empty segment: 0
    np.testing.assert_allclose(gm, [[1, 0], [0, 0], [0, 1], [1, 0], [0, 1]])
    n, (gn,) = _grads(lambda x: tf.math.segment_min(x, [0, 0, 1, 1, 1]), d)
    np.testing.assert_allclose(n, [[0.0, -2.0], [-1.0, 0.0]])
    np.testing.assert_allclose(gn, [[0, 0], [1, 1], [1, 0.5], [0, 0.5], [0, 0]])
    # Integer data keeps its dtype and the empty-segment 0.
    out = tf.math.segment_max(tf.constant([1, 5, 3]), [0, 0, 2])
    assert out.dtype == tf.int32 and out.tolist() == [5, 0, 3]


X6 = [0.0, 0.0, 1.0, 2.0, 0.0, 3.0]
Y6 = [0.0, 2.0, 0.0, 3.0, -1.0, 0.0]
INF = np.inf


def test_xlogy_xdivy_gradients_where_x_is_zero():
    # TF 2.21: both gradients are 0 where x == 0 (torch: log(y) for x, NaN for y at 0).
    out, (gx, gy) = _grads(tf.math.xlogy, X6, Y6)
    np.testing.assert_allclose(out, [0, 0, -INF, 2.1972246, 0, -INF], 1e-6)
    np.testing.assert_allclose(gx, [0, 0, -INF, 1.0986123, 0, -INF], 1e-6)
    np.testing.assert_allclose(gy, [0, 0, INF, 0.6666667, 0, INF], 1e-6)
    out, (gx, gy) = _grads(tf.math.xdivy, X6, Y6)
    np.testing.assert_allclose(out, [0, 0, INF, 0.6666667, 0, INF], 1e-6)
    np.testing.assert_allclose(gx, [0, 0, INF, 0.33333334, 0, INF], 1e-6)
    np.testing.assert_allclose(gy, [0, 0, -INF, -0.22222222, 0, -INF], 1e-6)
    # TF 2.21: xlogy(0, nan) is 0.
    assert float(tf.math.xlogy(0.0, np.nan)) == 0.0


def test_multiply_no_nan_gradient_for_y_at_zero():
    # TF 2.21: d/dy is x, also where y == 0.
    out, (gx, gy) = _grads(tf.math.multiply_no_nan, X6, Y6)
    np.testing.assert_allclose(out, [0, 0, 0, 6, 0, 0])
    np.testing.assert_allclose(gx, [0, 2, 0, 3, -1, 0])
    np.testing.assert_allclose(gy, [0, 0, 1, 2, 0, 3])
    assert float(tf.math.multiply_no_nan(tf.constant(np.inf), tf.constant(0.0))) == 0.0


def test_reduce_std_of_a_constant_row_with_zero_upstream():
    # TF 2.21: only row 0's std is used; the constant row 1 gets 0, not NaN.
    x = tf.constant([[1.0, 2.0, 4.0], [3.0, 3.0, 3.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        a = tf.math.reduce_std(x, axis=1)[0]
        b = tf.keras.backend.std(x, axis=1)[0]
    want = [[-0.35634834, -0.08908707, 0.44543537], [0.0, 0.0, 0.0]]
    np.testing.assert_allclose(tape.gradient(a, x), want, 1e-5)
    np.testing.assert_allclose(tape.gradient(b, x), want, 1e-5)


def test_nn_selu_gradient_at_zero():
    # TF 2.21: d tf.nn.selu(x)/dx at x = 0 is scale = 1.0507009873554805 (SeluGrad takes
    # the negative branch only below 0); at -1 it is scale * alpha * exp(-1).
    x = tf.constant([0.0, -1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.selu(x)
    g = tape.gradient(y, x).numpy()
    np.testing.assert_allclose(
        g,
        [
            1.0507009873554805,
            1.0507009873554805 * 1.6732632423543772 * np.exp(-1.0),
            1.0507009873554805,
        ],
        rtol=1e-6,
    )
