"""A symbolic SparseTensor's dense_shape / indices / values are graph ops (tf_keras 2.21)."""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _sparse():
    return tf.SparseTensor(indices=[[0, 1], [1, 3]], values=[1.0, 2.0], dense_shape=[2, 4])


def test_symbolic_sparse_components_have_tf_keras_shapes():
    inp = keras.Input(shape=(4,), sparse=True)
    # tf_keras 2.21: (2,) int64, (None, 2) int64, (None,) float32.
    assert tuple(inp.dense_shape.shape) == (2,)
    assert inp.dense_shape.dtype == tf.int64
    assert tuple(inp.indices.shape) == (None, 2)
    assert inp.indices.dtype == tf.int64
    assert tuple(inp.values.shape) == (None,)
    assert inp.values.dtype == tf.float32


def test_sparse_components_in_functional_model():
    inp = keras.Input(shape=(4,), sparse=True)
    model = keras.Model(inp, [inp.dense_shape, inp.indices, inp.values])
    shape, indices, values = (np.asarray(o).tolist() for o in model(_sparse()))
    # tf_keras 2.21 values.
    assert shape == [2, 4]
    assert indices == [[0, 1], [1, 3]]
    assert values == [1.0, 2.0]


def test_sparse_values_feed_a_layer():
    inp = keras.Input(shape=(4,), sparse=True)
    out = keras.layers.Dense(1, kernel_initializer="ones")(tf.expand_dims(inp.values, -1))
    model = keras.Model(inp, out)
    assert tuple(out.shape) == (None, 1)
    assert np.asarray(model(_sparse())).tolist() == [[1.0], [2.0]]  # tf_keras 2.21


def test_unknown_attribute_still_raises():
    inp = keras.Input(shape=(4,), sparse=True)
    with pytest.raises(
        AttributeError, match="'SparseKerasTensor' object has no attribute 'no_such_thing'"
    ):
        getattr(inp, "no_such_thing")  # noqa: B009
