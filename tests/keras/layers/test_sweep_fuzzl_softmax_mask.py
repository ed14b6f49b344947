"""Softmax(...)(x, mask=m): the output carries the mask (found by differential fuzzing).

tf_keras 2.21 (TF_USE_LEGACY_KERAS=1): `Softmax(axis)(x, mask=m)._keras_mask` is `m` for
axis=-1 and axis=[1, 2]; tork's output had no mask when it was passed explicitly.
"""

import numpy as np
import pytest

import tork as tf


@pytest.mark.parametrize("axis", [-1, [1, 2]])
def test_softmax_explicit_mask_propagates(axis):
    x = np.arange(12, dtype="float32").reshape(1, 3, 4) / 4.0
    m = np.array([[[1, 1, 0, 1], [0, 0, 1, 1], [1, 1, 1, 1]]], dtype=bool)
    out = tf.keras.layers.Softmax(axis=axis)(tf.constant(x), mask=tf.constant(m))
    assert out._keras_mask is not None
    np.testing.assert_array_equal(np.asarray(out._keras_mask), m)
    # Values: a softmax over the unmasked positions (numpy formula).
    axes = (-1,) if axis == -1 else tuple(axis)
    e = np.exp(x - x.max()) * m
    np.testing.assert_allclose(out.numpy(), e / e.sum(axis=axes, keepdims=True), atol=1e-6)


def test_softmax_without_mask_has_no_mask():
    out = tf.keras.layers.Softmax()(tf.constant([[0.0, 1.0]]))
    assert getattr(out, "_keras_mask", None) is None
