"""Normalization.adapt on unbatched datasets, as Keras 2 (sweep of tf_keras's own tests).

Expected values were computed with real tf_keras 2.21 (TF_USE_LEGACY_KERAS=1).
"""

import numpy as np

import tork as tf
from tork import keras


def test_adapt_on_unbatched_vector_dataset_normalizes_each_feature():
    # Elements of shape (4,): the layer is built for (4,), mean 1 and variance 1 per feature.
    ds = tf.data.Dataset.from_tensor_slices([[2.0, 0.0, 2.0, 0.0], [0.0, 2.0, 0.0, 2.0]])
    layer = keras.layers.Normalization(axis=-1)
    layer.adapt(ds)
    out = list(ds.map(layer).as_numpy_iterator())
    np.testing.assert_allclose(out, [[1.0, -1.0, 1.0, -1.0], [-1.0, 1.0, -1.0, 1.0]])


def test_adapt_on_unbatched_scalar_dataset_keeps_scalars():
    ds = tf.data.Dataset.from_tensor_slices([2.0, 0.0, 2.0, 0.0])
    layer = keras.layers.Normalization(axis=None)
    layer.adapt(ds)
    out = list(ds.map(layer).as_numpy_iterator())
    assert [np.shape(v) for v in out] == [()] * 4
    np.testing.assert_allclose(out, [1.0, -1.0, 1.0, -1.0])


def test_adapt_on_batched_dataset_still_reduces_over_the_batch():
    data = np.array([[1.0], [2.0], [3.0], [4.0], [5.0]], np.float32)
    layer = keras.layers.Normalization(axis=-1)
    layer.adapt(tf.data.Dataset.from_tensor_slices(data).batch(2))
    np.testing.assert_allclose(
        layer(np.array([[1.0], [2.0], [3.0]])).numpy(), [[-1.414214], [-0.707107], [0.0]], rtol=1e-5
    )
