"""Core layers against Keras 2's own tests (tf_keras/layers/core/*_test.py).

Expected values from tf_keras 2.x (TF_USE_LEGACY_KERAS=1) on the same inputs.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras

L = keras.layers

_TABLE = np.array([[0.1, 0.1], [1.0, 1.0], [2.0, 2.0]], "float32")


def test_embedding_of_sparse_ids_gives_dense_output():
    # tf_keras embedding_test's test_embedding_with_sparse_input_dense_output.
    layer = L.Embedding(input_dim=3, output_dim=2, weights=[_TABLE])
    ids = tf.SparseTensor(indices=[[0, 1], [1, 2]], values=[1, 2], dense_shape=[3, 3])
    expected = [
        [[0.1, 0.1], [1.0, 1.0], [0.1, 0.1]],
        [[0.1, 0.1], [0.1, 0.1], [2.0, 2.0]],
        [[0.1, 0.1], [0.1, 0.1], [0.1, 0.1]],
    ]
    np.testing.assert_allclose(layer(ids).numpy(), expected)


def test_embedding_of_sparse_ids_in_a_functional_model():
    inp = L.Input(shape=(3,), sparse=True, dtype="int64")
    layer = L.Embedding(input_dim=3, output_dim=2)
    out = layer(inp)
    assert tuple(out.shape) == (None, 3, 2)
    model = keras.Model(inp, out)
    layer.set_weights([_TABLE])
    ids = tf.SparseTensor(indices=[[0, 0]], values=[2], dense_shape=[1, 3])
    np.testing.assert_allclose(model(ids).numpy(), [[[2.0, 2.0], [0.1, 0.1], [0.1, 0.1]]])


def test_embedding_of_sparse_ids_refuses_mask_zero():
    layer = L.Embedding(input_dim=3, output_dim=2, mask_zero=True)
    ids = tf.SparseTensor(indices=[[0, 1]], values=[1], dense_shape=[3, 3])
    with pytest.raises(ValueError, match="`mask_zero` cannot be enabled .*SparseTensor"):
        layer(ids)


_ZERO_ROW = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]], "float32")


def test_embedding_sparse_output_of_sparse_ids():
    # tf_keras embedding_test's test_embedding_with_sparse_input_sparse_output.
    layer = L.Embedding(input_dim=3, output_dim=2, weights=[_ZERO_ROW], sparse=True)
    ids = tf.SparseTensor(indices=[[0, 1], [1, 2]], values=[1, 2], dense_shape=[3, 3])
    out = layer(ids)
    assert isinstance(out, tf.SparseTensor)
    assert out.indices.tolist() == [[0, 1, 0], [0, 1, 1], [1, 2, 0], [1, 2, 1]]
    np.testing.assert_allclose(out.values.numpy(), [1.0, 1.0, 2.0, 2.0])
    assert out.dense_shape.tolist() == [3, 3, 2]


def test_embedding_sparse_output_of_dense_ids():
    # tf_keras's test_embedding_with_dense_input_sprase_output: zero vectors are dropped.
    layer = L.Embedding(input_dim=3, output_dim=2, weights=[_ZERO_ROW], sparse=True)
    out = layer(tf.constant([0, 0, 0, 2, 1]))
    assert out.indices.tolist() == [[3, 0], [3, 1], [4, 0], [4, 1]]
    np.testing.assert_allclose(out.values.numpy(), [2.0, 2.0, 1.0, 1.0])
    assert out.dense_shape.tolist() == [5, 2]
    assert L.Embedding.from_config(layer.get_config()).sparse


def test_embedding_sparse_output_in_a_functional_model():
    inp = L.Input(shape=(3,), sparse=True, dtype="int64")
    layer = L.Embedding(3, 2, sparse=True)
    model = keras.Model(inp, layer(inp))
    layer.set_weights([_ZERO_ROW])
    ids = tf.SparseTensor(indices=[[0, 1]], values=[2], dense_shape=[1, 3])
    out = model(ids)
    assert isinstance(out, tf.SparseTensor)
    assert out.indices.tolist() == [[0, 1, 0], [0, 1, 1]]


def test_embedding_sparse_output_refuses_mask_zero():
    # tf_keras raises in the constructor.
    with pytest.raises(ValueError, match="`mask_zero` cannot be enabled"):
        L.Embedding(3, 2, sparse=True, mask_zero=True)
