"""Errors for user mistakes found by the second errors sweep: layers."""

import numpy as np
import pytest

import tork as tf
from tork import keras


def test_embedding_on_strings_names_the_layer_and_stringlookup():
    # Keras fails in a Cast op ("Cast string to int32 is not supported").
    layer = keras.layers.Embedding(10, 2, name="emb")
    with pytest.raises(TypeError) as info:
        layer(tf.constant([["a", "b"]]))
    text = str(info.value)
    assert "Embedding layer 'emb' expects integer token ids" in text
    assert "StringLookup" in text


def test_embedding_still_accepts_integer_ids():
    layer = keras.layers.Embedding(10, 2, embeddings_initializer="ones")
    out = layer(tf.constant([[1, 2]]))
    np.testing.assert_array_equal(np.asarray(out), np.ones((1, 2, 2), "float32"))


def test_einsum_dense_feature_change_after_build_is_a_clear_error():
    layer = keras.layers.EinsumDense("ab,bc->ac", output_shape=2, name="ed")
    layer(np.ones((4, 3), "float32"))
    with pytest.raises(ValueError) as info:
        layer(np.ones((4, 5), "float32"))
    text = str(info.value)
    assert "EinsumDense layer 'ed': input of shape (4, 5)" in text
    assert "kernel of shape (3, 2)" in text
    assert "equation 'ab,bc->ac'" in text


def test_einsum_dense_values_unchanged_by_the_check():
    layer = keras.layers.EinsumDense("ab,bc->ac", output_shape=2, bias_axes="c")
    x = np.arange(6, dtype="float32").reshape(2, 3)
    layer(x)
    kernel = np.arange(6, dtype="float32").reshape(3, 2)
    layer.set_weights([kernel, np.array([1.0, -1.0], "float32")])
    np.testing.assert_allclose(np.asarray(layer(x)), x @ kernel + [1.0, -1.0])
