"""fuzztape3: Keras 2 legacy optimizers' `get_gradients(loss, params)`.

tork's legacy optimizers had no `get_gradients` (AttributeError). tf_keras 2.21 returns
`tf.gradients(loss, params)` unclipped (clipping happens in apply_gradients) and raises
ValueError for a variable without gradient. Reference: TensorFlow 2.21 inside a
tf.function (/tmp/fuzztape3/repro/getgrad2.py).
"""

import numpy as np
import pytest

import tork as tf


@pytest.mark.parametrize(
    "kwargs", [{}, {"clipnorm": 1.0}, {"clipvalue": 2.0}, {"clipvalue": 7.0, "clipnorm": 5.0}]
)
def test_get_gradients_returns_unclipped_gradients(kwargs):
    v = tf.Variable([3.0, 4.0])
    opt = tf.keras.optimizers.legacy.SGD(0.1, **kwargs)

    @tf.function
    def f():
        return opt.get_gradients(tf.reduce_sum(v * v), [v])

    (grad,) = f()
    np.testing.assert_allclose(grad.numpy(), [6.0, 8.0])


def test_get_gradients_none_gradient_raises_like_tf():
    v = tf.Variable([3.0, 4.0])
    w = tf.Variable([1.0])
    opt = tf.keras.optimizers.legacy.Adam(0.1)
    with pytest.raises(ValueError, match=r"has `None` for gradient.*K\.argmax, K\.round"):
        opt.get_gradients(tf.reduce_sum(v * v), [v, w])
