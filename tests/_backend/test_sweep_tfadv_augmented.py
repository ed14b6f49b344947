"""`a += b` where the result broadcasts to a larger shape (TensorFlow's immutable tensors)."""

import numpy as np
import torch

import tork as tf


def test_scalar_plus_equals_vector_gives_vector():
    # The style-transfer labs: `loss += var_weight * tf.image.total_variation(image)`.
    loss = tf.constant(2.0)
    loss += tf.constant([1.5])
    assert tuple(loss.shape) == (1,)
    np.testing.assert_allclose(loss.numpy(), [3.5])


def test_broadcast_growth_leaves_the_original_tensor_alone():
    x = tf.constant([[1.0], [2.0]])
    alias = x
    x *= tf.constant([1.0, 2.0, 3.0])
    assert tuple(x.shape) == (2, 3)
    np.testing.assert_allclose(x.numpy(), [[1, 2, 3], [2, 4, 6]])
    np.testing.assert_allclose(alias.numpy(), [[1.0], [2.0]])


def test_each_operator_broadcasts():
    for op, expected in (
        ("-=", [[0.0, -1.0]]),
        ("/=", [[1.0, 0.5]]),
        ("**=", [[1.0, 1.0]]),
    ):
        scope = {"a": tf.constant([[1.0]]), "b": tf.constant([1.0, 2.0])}
        exec(f"a {op} b", scope)
        np.testing.assert_allclose(scope["a"].numpy(), expected)


def test_same_shape_updates_stay_in_place():
    # torch code relies on `+=` writing into the tensor when the shapes fit.
    a = torch.zeros(2)
    alias = a
    a += torch.ones(2)
    assert a is alias
    np.testing.assert_allclose(alias.numpy(), [1.0, 1.0])


def test_gradient_through_broadcasting_plus_equals():
    image = tf.Variable(np.array([[[[1.0], [4.0]], [[2.0], [0.0]]]], dtype=np.float32))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(image))
        loss += 2.0 * tf.image.total_variation(image)
    grad = tape.gradient(loss, image).numpy()[0, :, :, 0]
    # d/dx of sum(x^2) = 2x; total variation |x01-x00| + |x11-x10| + |x10-x00| + |x11-x01|.
    x = np.array([[1.0, 4.0], [2.0, 0.0]])
    tv = np.zeros_like(x)
    for (r0, c0), (r1, c1) in (
        ((0, 0), (0, 1)),
        ((1, 0), (1, 1)),
        ((0, 0), (1, 0)),
        ((0, 1), (1, 1)),
    ):
        s = np.sign(x[r1, c1] - x[r0, c0])
        tv[r1, c1] += s
        tv[r0, c0] -= s
    np.testing.assert_allclose(grad, 2 * x + 2 * tv)
    assert tuple(loss.shape) == (1,)
