"""`tf.test.compute_gradient` (ktmisc sweep of tf_keras's gradients integration test).
Expected arrays from TensorFlow 2.21 running the same calls."""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def test_jacobian_layout_and_values():
    def f(a, b):
        return tf.stack([a[0] * b, a[1] ** 2, a[0] + a[1] * b])

    theoretical, numerical = tf.test.compute_gradient(
        f, [tf.constant([1.0, 2.0]), tf.constant(3.0)]
    )
    # TF: shapes (3, 2) and (3, 1): one row per output element.
    expected = (np.array([[3.0, 0.0], [0.0, 4.0], [1.0, 3.0]]), np.array([[1.0], [0.0], [2.0]]))
    assert isinstance(theoretical, tuple) and len(theoretical) == 2
    for got, num, want in zip(theoretical, numerical, expected):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want)
        np.testing.assert_allclose(num, want, atol=1e-3)


def test_central_differences_with_given_delta():
    # TF: theoretical [[3, 12]], numerical [[3.0100012, 12.0099945]] for x**3, delta=0.1.
    theoretical, numerical = tf.test.compute_gradient(
        lambda x: tf.reduce_sum(x**3), [tf.constant([1.0, 2.0])], delta=0.1
    )
    np.testing.assert_allclose(theoretical[0], [[3.0, 12.0]])
    np.testing.assert_allclose(numerical[0], [[3.0100012, 12.0099945]], rtol=1e-6)


def test_default_delta_is_one_over_1024():
    # Central difference of x**3 at 1 is 3 + delta**2; TF gives 3 + 9.5367431640625e-07.
    _, numerical = tf.test.compute_gradient(lambda x: x**3, [np.array([1.0], "float64")])
    assert numerical[0].dtype == np.float64
    assert numerical[0][0, 0] - 3.0 == pytest.approx(1.0 / 1024**2, rel=1e-6)


def test_keras_model_jacobian_matches_finite_differences():
    class HasLSTM(keras.Model):
        def __init__(self):
            super().__init__()
            self.lstm = keras.layers.LSTM(units=3)
            self.dense = keras.layers.Dense(1, activation=tf.nn.sigmoid)

        def call(self, x):
            return self.dense(self.lstm(x))

    model = HasLSTM()
    inputs = tf.nn.l2_normalize(tf.ones([1, 2, 3]), axis=[1, 2])
    theoretical, numerical = tf.test.compute_gradient(model, [inputs], delta=1e-3)
    assert theoretical[0].shape == (1, 6)
    np.testing.assert_allclose(theoretical[0], numerical[0], atol=1e-3)


def test_integer_inputs_are_refused():
    with pytest.raises(TypeError, match="argument 0 of dtype int32: gradients need float"):
        tf.test.compute_gradient(lambda x: tf.cast(x, tf.float32), [tf.constant([1, 2])])
    with pytest.raises(TypeError, match="must be a list of the function's arguments"):
        tf.test.compute_gradient(tf.square, tf.constant([1.0]))


def test_second_order_through_an_inner_tape():
    # The Jacobian of the gradient of sum(x**3) is diag(6 x) (hand-computed).
    def gradient_of_cube_sum(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(x**3)
        return tape.gradient(y, x)

    x = tf.constant([1.0, 2.0])
    theoretical, numerical = tf.test.compute_gradient(gradient_of_cube_sum, [x], delta=1e-2)
    np.testing.assert_allclose(theoretical[0], [[6.0, 0.0], [0.0, 12.0]], rtol=1e-6)
    np.testing.assert_allclose(numerical[0], [[6.0, 0.0], [0.0, 12.0]], rtol=1e-3)
