"""Discretization.adapt on arrays reads them in batches, as Keras does.

Expected boundaries are tf_keras 2.21's (Keras 3.15 gives the same for the linspace array).
"""

import numpy as np

import tork as tf


def _adapted(data, **kwargs):
    layer = tf.keras.layers.Discretization(num_bins=4, epsilon=0.01)
    layer.adapt(data, **kwargs)
    return np.asarray(layer.bin_boundaries)


def test_array_adapt_uses_batches_of_32():
    x = np.linspace(0, 1, 101).astype("float32")
    # TF 2.21: 32-row batches summarized and merged, not the exact quartiles.
    np.testing.assert_allclose(_adapted(x), [0.2425, 0.495, 0.7475], atol=1e-6)
    np.testing.assert_allclose(_adapted(x.reshape(101, 1)), [0.2425, 0.495, 0.7475], atol=1e-6)
    np.testing.assert_allclose(_adapted(tf.constant(x)), [0.2425, 0.495, 0.7475], atol=1e-6)
    # One batch holding all rows gives the exact quartiles (tf_keras, batch_size=101).
    np.testing.assert_allclose(_adapted(x, batch_size=101), [0.25, 0.5, 0.75], atol=1e-6)
    np.testing.assert_allclose(_adapted(x, batch_size=10), [0.2425, 0.495, 0.7475], atol=1e-6)


def test_dataset_and_array_adapt_agree():
    x = np.linspace(0, 1, 101).astype("float32")
    ds = tf.data.Dataset.from_tensor_slices(x).batch(32)
    np.testing.assert_allclose(_adapted(ds), _adapted(x), atol=1e-7)


def test_2d_array_rows_are_batched():
    data = np.random.RandomState(0).randn(50, 3).astype("float32")
    layer = tf.keras.layers.Discretization(num_bins=3, epsilon=0.01)
    layer.adapt(data)
    # tf_keras 2.21 for the same array.
    np.testing.assert_allclose(layer.bin_boundaries, [-0.3839, 0.4892], atol=1e-4)
    assert layer(np.array([[-1.0, 0.0, 1.0]], "float32")).numpy().tolist() == [[0, 1, 2]]
