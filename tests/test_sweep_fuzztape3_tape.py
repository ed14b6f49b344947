"""fuzztape3: GradientTape with a complex scalar target.

`tape.gradient(tf.reduce_sum(z * z), z)` raised torch's "grad can be implicitly created
only for real scalar outputs"; TF seeds complex targets with ones (its conjugate
convention). Reference numbers: TensorFlow 2.21 (/tmp/fuzztape3/repro/cpx.py).
"""

import numpy as np
import pytest

import tork as tf


def test_complex_scalar_target_gradient_matches_tf():
    z = tf.constant(np.array([1.0 + 2.0j, -0.5 + 0.25j], np.complex64))
    v = tf.Variable(np.array([0.5 - 1.0j, 2.0 + 0.0j], np.complex64))
    with tf.GradientTape(persistent=True) as t:
        t.watch(z)
        s = tf.reduce_sum(z * z * (1.0 - 2.0j))
        p = tf.reduce_prod(v) * z[0]
    np.testing.assert_allclose(t.gradient(s, z), [10.0 + 0.0j, -2.5j], atol=1e-6)
    np.testing.assert_allclose(t.gradient(p, v), [2.0 - 4.0j, 2.5 + 0.0j], atol=1e-6)
    gz, gv = t.gradient(p, [z, v])
    np.testing.assert_allclose(gz, [1.0 + 2.0j, 0.0j], atol=1e-6)
    np.testing.assert_allclose(gv, [2.0 - 4.0j, 2.5 + 0.0j], atol=1e-6)
    assert gz.dtype == tf.complex64


def test_real_scalar_target_still_uses_implicit_seed():
    x = tf.constant([1.0, -2.0])
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.reduce_sum(x**3)
    np.testing.assert_allclose(t.gradient(y, x), [3.0, 12.0])


def test_watched_int_variable_is_listed_with_none_gradient():
    # TF 2.21: watch() of an int variable warns, lists it in watched_variables() (creation
    # order) and gives it a None gradient; tork dropped it from the list.
    v = tf.Variable([1, 2], name="ints")
    w = tf.Variable(1.0, name="w")
    with pytest.warns(UserWarning, match="must be floating"):
        with tf.GradientTape() as t:
            t.watch(v)
            y = w * 2.0
    gv, gw = t.gradient(y, [v, w])
    assert gv is None
    assert float(gw) == 2.0
    watched = t.watched_variables()
    assert len(watched) == 2
    assert watched[0] is v and watched[1] is w


def test_output_gradients_of_wrong_shape_raise_invalid_argument():
    # TF 2.21 raises InvalidArgumentError (tork's is also a ValueError).
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    v = tf.Variable(tf.ones([3, 2]))
    with tf.GradientTape() as t:
        h = tf.matmul(x, v)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"output_gradients shape \(3, 3\)"):
        t.gradient(h, v, output_gradients=tf.ones([3, 3]))
