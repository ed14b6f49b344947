"""Sweep of tf_keras's backend tests: K.* behaviours tork differed on.

Reference values from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) in the reference env.
"""

import warnings

import numpy as np
import pytest
import torch

import tork as tf

keras = tf.keras
K = keras.backend


def _probe(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = np.asarray(fn())
    return value, [str(w.message) for w in caught if "from_logits" in str(w.message)]


def test_crossentropies_use_the_logits_of_saturated_activations():
    # tf_keras: 30.0 each (the logits kept on the activation's output); tork clipped the
    # probabilities and gave 16.118 / 15.425: a silent wrong loss in custom loss functions.
    t = tf.constant([[1.0, 0.0]])
    logits = tf.constant([[0.0, 30.0]])
    for make in (keras.activations.softmax, K.softmax):
        value, _ = _probe(lambda make=make: K.categorical_crossentropy(t, make(logits)))
        np.testing.assert_allclose(value, [30.0], rtol=1e-5)
        value, _ = _probe(
            lambda make=make: K.sparse_categorical_crossentropy(tf.constant([0]), make(logits))
        )
        np.testing.assert_allclose(value, [30.0], rtol=1e-5)
    for make in (keras.activations.sigmoid, K.sigmoid):
        value, _ = _probe(
            lambda make=make: K.binary_crossentropy(
                tf.constant([[1.0]]), make(tf.constant([[-30.0]]))
            )
        )
        np.testing.assert_allclose(value, [[30.0]], rtol=1e-5)


def test_crossentropy_of_a_sigmoid_dense_layer():
    layer = keras.layers.Dense(
        2,
        activation="sigmoid",
        kernel_initializer="zeros",
        bias_initializer=keras.initializers.Constant([-30.0, 40.0]),
    )
    value = np.asarray(K.binary_crossentropy(tf.constant([[1.0, 0.0]]), layer(tf.ones((1, 1)))))
    np.testing.assert_allclose(value, [[30.0, 40.0]], rtol=1e-5)  # tf_keras


def test_from_logits_true_on_an_activation_output_warns_and_is_not_applied_twice():
    t = tf.constant([[1.0, 0.0]])
    logits = tf.constant([[0.0, 30.0]])
    # tf_keras: 30.0 and a warning; tork applied softmax twice (1.3133) silently.
    value, messages = _probe(
        lambda: K.categorical_crossentropy(t, keras.activations.softmax(logits), from_logits=True)
    )
    np.testing.assert_allclose(value, [30.0], rtol=1e-5)
    assert any("received `from_logits=True`" in m for m in messages)
    _, messages = _probe(lambda: K.binary_crossentropy(t, logits, from_logits=True))
    assert messages == []


def test_plain_probabilities_still_clipped():
    # tf_keras: -log(epsilon) = 16.118 for a zero probability not made by an activation.
    value = np.asarray(
        K.categorical_crossentropy(tf.constant([[0.0, 1.0, 0.0]]), tf.constant([[1.0, 0.0, 0.0]]))
    )
    np.testing.assert_allclose(value, [16.118095], rtol=1e-5)


def test_arange_keeps_float_bounds():
    # tf_keras: K.arange(3.0) is float32; K.arange(0.5, 2.0, 0.5) -> [0.5, 1.0, 1.5].
    assert K.arange(3.0).dtype == torch.float32
    np.testing.assert_allclose(np.asarray(K.arange(0.5, 2.0, 0.5)), [0.5, 1.0, 1.5])
    assert K.arange(3).dtype == torch.int32
    assert K.arange(1, 4, dtype="float32").dtype == torch.float32
    assert np.asarray(K.arange(-2)).tolist() == []


def test_conv2d_transpose_unknown_batch_in_output_shape():
    # tf_keras: output_shape (None, 4, 4, 3) takes x's batch size.
    k = tf.constant(np.arange(2 * 2 * 3 * 2, dtype="float32").reshape(2, 2, 3, 2) / 10)
    x = tf.constant(np.arange(2 * 2 * 2 * 2, dtype="float32").reshape(2, 2, 2, 2) / 10)
    y = np.asarray(K.conv2d_transpose(x, k, (None, 4, 4, 3), strides=(2, 2)))
    assert y.shape == (2, 4, 4, 3)
    np.testing.assert_allclose(y.sum(), 166.08, rtol=1e-5)
    np.testing.assert_allclose(
        y[1, :, :, 0],
        [
            [0.09, 1.11, 0.11, 1.37],
            [2.13, 3.15, 2.63, 3.89],
            [0.13, 1.63, 0.15, 1.89],
            [3.13, 4.63, 3.63, 5.37],
        ],
        rtol=1e-5,
    )


@pytest.mark.parametrize("fn", [K.softmax, K.sigmoid])
def test_softmax_sigmoid_values_unchanged(fn):
    x = tf.constant([[0.0, 1.0, -2.0]])
    expected = (
        np.exp([0.0, 1.0, -2.0]) / np.exp([0.0, 1.0, -2.0]).sum()
        if fn is K.softmax
        else 1 / (1 + np.exp(-np.array([0.0, 1.0, -2.0])))
    )
    np.testing.assert_allclose(np.asarray(fn(x))[0], expected, rtol=1e-6)


def test_relu_keeps_integer_dtype():
    # tf_keras: K.relu(int32) -> int32 [0, 5, 2]; with max_value=3 -> [0, 3, 2];
    # a non-zero alpha gives floats ([-1., 5., 2.] for alpha=1).
    out = K.relu(tf.constant([-1, 5, 2]))
    assert out.dtype == torch.int32
    assert np.asarray(out).tolist() == [0, 5, 2]
    out = K.relu(tf.constant([-1, 5, 2]), max_value=3)
    assert out.dtype == torch.int32
    assert np.asarray(out).tolist() == [0, 3, 2]
    out = K.relu(tf.constant([-1, 5, 2]), alpha=1)
    assert out.dtype == torch.float32
    np.testing.assert_allclose(np.asarray(out), [-1.0, 5.0, 2.0])


def test_variable_of_a_scipy_sparse_matrix_is_sparse():
    scipy_sparse = pytest.importorskip("scipy.sparse")
    # tf_keras: K.variable(scipy.sparse.eye(4) * 2) is a SparseTensor; to_dense is dense.
    value = K.variable(scipy_sparse.eye(4, format="coo") * 2)
    assert K.is_sparse(value)
    dense = K.to_dense(value)
    assert not K.is_sparse(dense)
    assert dense.dtype == torch.float32
    np.testing.assert_array_equal(np.asarray(dense), np.eye(4) * 2)
    csr = K.variable(scipy_sparse.csr_matrix(np.array([[0, 1.0], [2.0, 0]])))
    np.testing.assert_array_equal(np.asarray(K.to_dense(csr)), [[0.0, 1.0], [2.0, 0.0]])
    both = K.concatenate([value, value], axis=0)
    assert K.is_sparse(both)
    np.testing.assert_array_equal(np.asarray(K.to_dense(both)), np.concatenate([np.eye(4) * 2] * 2))
