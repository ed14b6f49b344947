"""keras.backend functions on half-precision inputs keep the input dtype, as tf_keras does.

Expected dtypes from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1, reference env) on
`tf.cast([[0.5, -1.0, 2.0]], dtype)`.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras

K = keras.backend

_SAME_DTYPE = {
    "abs": lambda h: K.abs(h),
    "batch_dot": lambda h: K.batch_dot(h, h, axes=1),
    "bias_add": lambda h: K.bias_add(h, tf.cast([1.0, 1.0, 1.0], h.dtype)),
    "binary_crossentropy": lambda h: K.binary_crossentropy(K.sigmoid(h), K.sigmoid(h)),
    "categorical_crossentropy": lambda h: K.categorical_crossentropy(K.softmax(h), K.softmax(h)),
    "sparse_categorical_crossentropy": lambda h: K.sparse_categorical_crossentropy(
        tf.constant([1]), K.softmax(h)
    ),
    "clip": lambda h: K.clip(h, 0.0, 1.0),
    "dot": lambda h: K.dot(h, tf.transpose(h)),
    "dropout": lambda h: K.dropout(h, 0.5, seed=1),
    "elu": lambda h: K.elu(h),
    "epsilon_add": lambda h: h + K.epsilon(),
    "exp": lambda h: K.exp(h),
    "hard_sigmoid": lambda h: K.hard_sigmoid(h),
    "l2_normalize": lambda h: K.l2_normalize(h),
    "mean": lambda h: K.mean(h),
    "pow": lambda h: K.pow(h, 2),
    "relu": lambda h: K.relu(h),
    "sigmoid": lambda h: K.sigmoid(h),
    "softmax": lambda h: K.softmax(h),
    "softplus": lambda h: K.softplus(h),
    "softsign": lambda h: K.softsign(h),
    "std": lambda h: K.std(h),
    "sum": lambda h: K.sum(h),
    "tanh": lambda h: K.tanh(h),
    "var": lambda h: K.var(h),
}


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("name", sorted(_SAME_DTYPE))
def test_half_precision_results_keep_the_dtype(name, dtype):
    h = tf.cast(tf.constant([[0.5, -1.0, 2.0]]), dtype)
    assert _SAME_DTYPE[name](h).dtype == getattr(tf, dtype)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_half_precision_other_result_dtypes(dtype):
    h = tf.cast(tf.constant([[0.5, -1.0, 2.0]]), dtype)
    assert K.argmax(h).dtype == tf.int64
    assert K.less(h, h).dtype == tf.bool
    # cast_to_floatx gives floatx() (float32) whatever the input.
    assert K.cast_to_floatx(np.ones(2, "float16")).dtype == np.float32


def test_softmax_of_a_vector():
    # tf.nn.softmax([1, 2, 3]) in TF: [0.09003, 0.24473, 0.66524]. tf_keras's K.softmax
    # raises ValueError for rank 1; tork (as Keras 3's activations.softmax) computes it.
    expected = [0.09003057, 0.24472848, 0.6652409]
    np.testing.assert_allclose(
        np.asarray(K.softmax(tf.constant([1.0, 2.0, 3.0]))), expected, rtol=1e-6
    )
