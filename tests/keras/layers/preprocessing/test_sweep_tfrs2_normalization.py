"""Normalization(axis=None) output shapes, as TF Recommenders' featurization tutorial prints.

The tutorial adapts `Normalization(axis=None)` on a dataset of timestamps and normalizes
single timestamps: tf_keras prints `[1.0079302]` (shape `(1,)`). The statistics broadcast
with the rank of the data the layer was built on. Shapes from TF 2.21 + tf_keras
(TF_USE_LEGACY_KERAS=1).
"""

import numpy as np

import tork as tf


def test_adapted_on_vectors_a_scalar_gives_one_value():
    layer = tf.keras.layers.Normalization(axis=None)
    layer.adapt(tf.data.Dataset.from_tensor_slices(np.arange(8.0)).batch(4))
    out = layer(tf.constant(2, dtype=tf.int64))
    # tf_keras: (1,) float32; mean 3.5, variance 5.25.
    assert tuple(out.shape) == (1,)
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), [(2 - 3.5) / np.sqrt(5.25)], rtol=1e-6)
    assert tuple(layer(tf.constant([2.0, 3.0])).shape) == (2,)
    assert tuple(layer(tf.constant([[2.0], [3.0]])).shape) == (2, 1)


def test_adapted_on_matrices_statistics_have_rank_two():
    layer = tf.keras.layers.Normalization(axis=None)
    layer.adapt(np.arange(8.0).reshape(4, 2))
    # tf_keras: (1, 1) (1, 3) (2, 1)
    assert tuple(layer(tf.constant(2.0)).shape) == (1, 1)
    assert tuple(layer(tf.constant([2.0, 3.0, 1.0])).shape) == (1, 3)
    assert tuple(layer(tf.constant([[2.0], [3.0]])).shape) == (2, 1)


def test_fixed_statistics_build_on_the_first_input():
    layer = tf.keras.layers.Normalization(axis=None, mean=2.0, variance=4.0)
    # tf_keras: () (1,)
    assert tuple(layer(tf.constant(2.0)).shape) == ()
    np.testing.assert_allclose(layer(tf.constant([4.0])).numpy(), [1.0])
