"""`tf.scalar_mul` with a tensor scalar, as DeepCTR's FwFM layer uses it.

DeepCTR (deepctr/layers/interaction.py, FwFMLayer.call) scales each pairwise product by a
trainable field strength: `tf.scalar_mul(self.field_strengths[i, j], batch_dot(e_i, e_j,
axes=1))`. tork turned the scalar into a Python number, so the field strengths got no
gradient and FwFM trained differently from TF (a silent wrong result). Expected values:
tensorflow 2.21 in the reference env.
"""

import numpy as np
import pytest

import tork as tf


def test_tensor_scalar_gets_its_gradient():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    x = tf.constant([[1.0, 2.0], [5.0, 7.0]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.scalar_mul(v[0, 1], x) * tf.constant([[1.0, 3.0]]))
    # tensorflow 2.21: [[0, 33], [0, 0]] (1*1 + 2*3 + 5*1 + 7*3).
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [[0.0, 33.0], [0.0, 0.0]])


def test_scalar_variable_gradient_and_value():
    s = tf.Variable(3.0)
    x = tf.constant([[1.0, 2.0], [5.0, 7.0]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.math.scalar_mul(s, x) ** 2)
    # tensorflow 2.21: y = 9 * 79 = 711, dy/ds = 2 * 3 * 79 = 474.
    assert float(y) == pytest.approx(711.0)
    assert float(tape.gradient(y, s)) == pytest.approx(474.0)


def test_numbers_still_multiply():
    x = tf.constant([1.0, 2.0])
    np.testing.assert_allclose(tf.scalar_mul(2, x).numpy(), [2.0, 4.0])
    np.testing.assert_allclose(tf.scalar_mul(np.float64(0.5), x).numpy(), [0.5, 1.0])
    assert tf.scalar_mul(np.float64(0.5), x).dtype == tf.float32


def test_non_scalar_refused_as_tf():
    # tensorflow 2.21: ValueError "The input scalar must be a 0-D value. Received shape (1,)."
    x = tf.constant([1.0, 2.0])
    with pytest.raises(
        ValueError, match=r"scalar_mul: the input scalar must be a 0-D value.*\(1,\)"
    ):
        tf.scalar_mul(tf.constant([2.0]), x)
    with pytest.raises(ValueError, match=r"must be a 0-D value.*\(1,\)"):
        tf.scalar_mul([2.0], x)


def test_other_dtype_tensor_refused_as_tf():
    # tensorflow 2.21: ValueError "Tensor conversion requested dtype float32 for Tensor with
    # dtype int32".
    x = tf.constant([1.0, 2.0])
    with pytest.raises(
        ValueError, match=r"scalar has dtype int32 but x has dtype float32.*tf.cast"
    ):
        tf.scalar_mul(tf.constant(2), x)


def test_fwfm_pattern_trains_field_strengths():
    # FwFM's layer in a few lines: every pair (i < j) of field embeddings, scaled by a
    # trainable strength. Only the upper triangle is used, so only it gets gradient.
    class PairStrengths(tf.keras.layers.Layer):
        def build(self, input_shape):
            self.strengths = self.add_weight(
                name="s", shape=(3, 3), initializer=tf.keras.initializers.Ones()
            )

        def call(self, inputs):
            terms = []
            for i in range(3):
                for j in range(i + 1, 3):
                    dot = tf.keras.backend.batch_dot(inputs[:, i], inputs[:, j], axes=1)
                    terms.append(tf.scalar_mul(self.strengths[i, j], dot))
            return tf.add_n(terms)

    layer = PairStrengths()
    e = np.arange(12, dtype="float32").reshape(1, 3, 4)
    with tf.GradientTape() as tape:
        out = tf.reduce_sum(layer(tf.constant(e)))
    grad = tape.gradient(out, layer.strengths).numpy()
    dots = e[0] @ e[0].T  # numpy reference: d out / d s_ij = <e_i, e_j> for i < j
    np.testing.assert_allclose(grad, np.triu(dots, 1))
